import ArgumentParser
import Eval

/// The valid values of a numeric option, declared once where the option is:
///
///     @Option(help: "Cross-validation folds.", range: .atLeast(2)) var folds = 5
///
/// Such an option
/// - takes the next word as its value whatever it looks like, so that
///   `--seed -1` reads the value -1 (argument-parser's default would take
///   `-1` for an option and report a missing value);
/// - is checked while the command line is parsed, before anything runs: a
///   value that is not a number, is NaN or infinite, or lies outside the
///   range is refused, and ``SynthCtl`` prints it as one line,
///   `--folds: expected an integer ≥ 2, found 1`;
/// - states its range (and its default) in `--help`.
protocol OptionRange: Sendable {
    associatedtype Bound: Sendable
    /// What a valid value is, as messages and help say it ("an integer ≥ 2").
    var expected: String { get }
    /// The value of the option's text, or ``OptionValueError``.
    func value(parsing text: String) throws -> Bound
}

/// A value outside its option's range. argument-parser wraps it in its own
/// sentence ("The value '1' is invalid for '--folds <folds>': expected …"),
/// which ``ErrorLine`` turns back into synthctl's form.
struct OptionValueError: Error, CustomStringConvertible {
    let expected: String
    /// The refused value as the message shows it, when the option shows it
    /// its own way (``OptionChoice``); nil leaves it to ``ErrorLine``.
    var found: String? = nil
    var description: String { "expected \(expected)" + (found.map { ", found \($0)" } ?? "") }
}

/// Integers from `lowerBound` through `upperBound` (both included).
struct IntegerRange<Bound: FixedWidthInteger & Sendable>: OptionRange {
    let lowerBound: Bound
    let upperBound: Bound

    var expected: String {
        upperBound == .max ? "an integer ≥ \(lowerBound)" : "an integer in [\(lowerBound), \(upperBound)]"
    }

    func value(parsing text: String) throws -> Bound {
        guard let v = Bound(text), v >= lowerBound, v <= upperBound else { throw OptionValueError(expected: expected) }
        return v
    }
}

/// Finite numbers in an interval whose ends may be open or closed; either
/// end may be unbounded (±infinity). NaN and ±infinity are never valid.
struct NumberRange: OptionRange {
    let lowerBound: Double, upperBound: Double
    var lowerOpen = false, upperOpen = false

    var expected: String {
        func show(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
        switch (lowerBound.isFinite, upperBound.isFinite) {
        case (true, true):
            return "a number in \(lowerOpen ? "(" : "[")\(show(lowerBound)), \(show(upperBound))\(upperOpen ? ")" : "]")"
        case (true, false): return "a number \(lowerOpen ? ">" : "≥") \(show(lowerBound))"
        case (false, true): return "a number \(upperOpen ? "<" : "≤") \(show(upperBound))"
        case (false, false): return "a finite number"
        }
    }

    func value(parsing text: String) throws -> Double {
        guard let v = Double(text), v.isFinite,
              lowerOpen ? v > lowerBound : v >= lowerBound,
              upperOpen ? v < upperBound : v <= upperBound else { throw OptionValueError(expected: expected) }
        return v
    }
}

extension Option {
    /// An option with a default whose values are limited to `range`.
    init<R: OptionRange>(wrappedValue: R.Bound, name: NameSpecification = .long, help: String, range: R) where Value == R.Bound {
        self.init(wrappedValue: wrappedValue, name: name, parsing: .unconditional,
                  help: ArgumentHelp("\(help) (\(range.expected); default: \(wrappedValue))"),
                  transform: { try range.value(parsing: $0) })
    }

    /// An optional option whose values are limited to `range`.
    init<R: OptionRange>(name: NameSpecification = .long, help: String, range: R) where Value == R.Bound? {
        self.init(name: name, parsing: .unconditional, help: ArgumentHelp("\(help) (\(range.expected))"),
                  transform: { try range.value(parsing: $0) })
    }

    /// The same, with the value's name in `--help` (`--max-memory <size>`).
    init<R: OptionRange>(name: NameSpecification = .long, help: String, valueName: String, range: R) where Value == R.Bound? {
        self.init(name: name, parsing: .unconditional, help: ArgumentHelp("\(help) (\(range.expected))", valueName: valueName),
                  transform: { try range.value(parsing: $0) })
    }
}

// `range: .atLeast(2)` at an option: the ranges in use, as members of the
// protocol (SE-0299), each for the type of option it fits.
extension OptionRange where Self == IntegerRange<Int> {
    /// Counts with a smallest sensible value (folds ≥ 2, threads ≥ 1, top ≥ 0).
    static func atLeast(_ n: Int) -> Self { IntegerRange(lowerBound: n, upperBound: .max) }
    static func within(_ r: ClosedRange<Int>) -> Self { IntegerRange(lowerBound: r.lowerBound, upperBound: r.upperBound) }
}

extension OptionRange where Self == IntegerRange<UInt64> {
    /// Seeds: 0 through 2^63 − 1, the seeds a spec file can hold (its
    /// integers are signed 64-bit) and reports write back as JSON integers.
    static var seed: Self { IntegerRange(lowerBound: 0, upperBound: UInt64(Int64.max)) }
}

extension OptionRange where Self == NumberRange {
    /// Shares, rates, probabilities, accuracies: [0, 1].
    static var share: Self { NumberRange(lowerBound: 0, upperBound: 1) }
    /// A share that must leave something on both sides (holdout fractions): (0, 1).
    static var openShare: Self { NumberRange(lowerBound: 0, upperBound: 1, lowerOpen: true, upperOpen: true) }
    /// A share that must keep something: (0, 1].
    static var positiveShare: Self { NumberRange(lowerBound: 0, upperBound: 1, lowerOpen: true) }
    /// Distances, ratios and divergences: [0, ∞).
    static var nonNegative: Self { NumberRange(lowerBound: 0, upperBound: .infinity) }
    /// Strictly positive parameters: (0, ∞).
    static var positive: Self { NumberRange(lowerBound: 0, upperBound: .infinity, lowerOpen: true) }
    /// scikit-learn's C, the inverse L2 strength: [1e-8, 1e16], where the
    /// penalty 1/(C·n) stays finite and L-BFGS can fit the model (see
    /// ``LogisticRegression/Options/inverseRegularization`` for the derivation).
    static var inverseRegularization: Self {
        NumberRange(lowerBound: LogisticRegression.Options.inverseRegularizationRange.lowerBound,
                    upperBound: LogisticRegression.Options.inverseRegularizationRange.upperBound)
    }
    /// A detection AUC threshold: 0.5 (indistinguishable) through 1 (always told apart).
    static var detectionAUC: Self { NumberRange(lowerBound: 0.5, upperBound: 1) }
    /// Chance-corrected agreement (Krippendorff's α, κ): [−1, 1].
    static var agreement: Self { NumberRange(lowerBound: -1, upperBound: 1) }
}
