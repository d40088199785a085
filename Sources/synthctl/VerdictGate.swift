import ArgumentParser
import Eval

/// `--fail-on-verdict KIND[,KIND…]` of `synthctl compare`: a gate on the
/// verdict the report opens with (``FidelityVerdict``), for CI that acts on
/// the judgement rather than on one number — `--fail-on-verdict
/// distinguishable,indistinguishable_lower_coverage` fails a synthetic set
/// that a detector tells from human data or that covers less of it than a
/// human holdout does.
///
/// KIND is a verdict kind as the JSON report's `verdict.kind` spells it
/// (``FidelityVerdict/Kind``); the list is comma-separated or the option
/// repeated (``ListOption``). An unknown kind is refused while the command
/// line is parsed, in one line that lists the kinds, exit code 2:
///
///     --fail-on-verdict: expected verdict kinds among distinguishable, …, found "lower"
///
/// When one of the verdict's findings is one of the kinds
/// (``FidelityVerdict/kinds``: a set distinguishable in one class and
/// copying another is both distinguishable and closer_than_human), the run
/// fails with exit code 1 and `synthctl: gate failed: verdict KIND
/// (--fail-on-verdict): TEXT`, KIND the first such finding and TEXT the
/// verdict line.
struct VerdictGate: Equatable, Sendable {
    /// The kinds one occurrence names, in its order.
    let kinds: [FidelityVerdict.Kind]

    /// Parses one occurrence's comma-separated kinds; throws
    /// ``OptionValueError`` naming the first unknown one.
    init(parsing text: String) throws {
        kinds = try ListOption.split(text).map { item in
            guard let kind = FidelityVerdict.Kind(rawValue: item) else {
                throw OptionValueError(expected: "verdict kinds among \(Self.kindNames)", found: "\"\(item)\"")
            }
            return kind
        }
    }

    /// The verdict kinds, in their declaration order, for messages and help.
    static var kindNames: String { FidelityVerdict.Kind.allCases.map(\.rawValue).joined(separator: ", ") }

    /// `--help`'s text for the option.
    static var help: String {
        "Fail when the report's verdict is one of these kinds (as the JSON's verdict.kind spells them): \(kindNames). "
            + ListOption.syntax
    }

    /// The gate's failure line when one of `verdict`'s findings is among `kinds`, else nil.
    static func failure(_ verdict: FidelityVerdict, kinds: [FidelityVerdict.Kind]) -> String? {
        verdict.kinds.first(where: kinds.contains).map { "verdict \($0.rawValue) (--fail-on-verdict): \(verdict.text)" }
    }
}
