import ArgumentParser
import Eval

/// One `--gate NAME=LIMIT` of `synthctl compare`: a limit on a gate that a
/// fidelity metric declares (``FidelityMetric/Gate``), so a metric's gate
/// needs no option of its own. NAME is the gate's name (`max-mean-ks`),
/// LIMIT a number within the gate's ``FidelityMetric/Gate/limits``.
///
/// An unknown name, a missing `=` or a limit that is not a number in range
/// is refused while the command line is parsed, as one line that names
/// the valid gates (or the limit's range) and exits with 2:
///
///     --gate: expected NAME=LIMIT with NAME one of max-mean-ks, …, found nope=1
///     --gate: expected max-mean-ks=LIMIT with LIMIT a number in [0, 1], found max-mean-ks=2
struct GateLimit: Equatable, Sendable {
    /// The declared gate's name.
    let gate: String
    let limit: Double

    init(gate: String, limit: Double) {
        self.gate = gate
        self.limit = limit
    }

    /// Parses `NAME=LIMIT`; throws ``OptionValueError``, which
    /// ``ErrorLine`` prints after the flag with the value.
    init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "="),
              let (_, gate) = FidelityMetric.gate(named: String(text[..<equals])) else {
            throw OptionValueError(expected: "NAME=LIMIT with NAME one of \(Self.gateNames)")
        }
        let range = NumberRange(lowerBound: gate.limits.lowerBound, upperBound: gate.limits.upperBound)
        guard let limit = try? range.value(parsing: String(text[text.index(after: equals)...])) else {
            throw OptionValueError(expected: "\(gate.name)=LIMIT with LIMIT \(range.expected)")
        }
        self.init(gate: gate.name, limit: limit)
    }

    /// The declared gates' names, in declaration order, for messages and help.
    static var gateNames: String { FidelityMetric.allGates.map(\.name).joined(separator: ", ") }

    /// `--help`'s text for the option, made from the declarations.
    static var help: String {
        "Fail when a metric lies beyond LIMIT, for any declared gate NAME (repeatable): \(gateNames). "
            + "Each --max-…/--min-… option above is the gate of its name; failures are listed for those first, "
            + "in their order, then for --gate in the order of this list."
    }
}
