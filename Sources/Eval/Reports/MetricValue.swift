import Foundation
import Synth
import SynthctlCore

/// A statistic that is a number or undefined, and if undefined, why.
///
/// Many of the numbers `synthctl score` reports are ratios whose denominator
/// can be zero on valid input: Krippendorff's α and Fleiss' or Cohen's κ
/// when every answer is the same label (no disagreement is expected, 0/0), an
/// accuracy over no gold items, a class's label noise when nobody gave that
/// label, a precision when nothing was flagged. Such a value is neither 0
/// nor 1 nor NaN to be printed as "nan"; it is reported as undefined (`null`
/// in JSON, `n/a` in text) with the reason, everything else is still
/// computed, and a gate on it fails saying why. scikit-learn's
/// `UndefinedMetricWarning` marks the same cases.
public enum MetricValue: Sendable, Equatable, CustomStringConvertible {
    case defined(Double)
    /// The reason, in words a reader of the report understands
    /// ("every answer is the same label: no disagreement is expected").
    case undefined(String)

    /// numerator / denominator, or undefined for `reason` when the
    /// denominator is zero (or either is not finite).
    public init(_ numerator: Double, over denominator: Double, undefinedBecause reason: String) {
        if denominator != 0, numerator.isFinite, denominator.isFinite {
            self = .defined(numerator / denominator)
        } else {
            self = .undefined(reason)
        }
    }

    public var value: Double? {
        if case .defined(let v) = self { return v }
        return nil
    }

    public var undefinedReason: String? {
        if case .undefined(let why) = self { return why }
        return nil
    }

    /// The value with four decimals (``fixedDecimals(_:_:)``: scientific
    /// from 10⁶), or `n/a`. A value that rounds to zero prints as `0.0000`,
    /// never `-0.0000`: C's `%f` keeps the sign of a small negative (an
    /// unbiased MMD² of −3e-6), which reads as a negative statistic where
    /// the printed precision shows none.
    public var description: String {
        guard let v = value else { return "n/a" }
        return fixedDecimals(v, 4)
    }

    /// The value, or JSON `null` when undefined.
    public var json: JSONValue { value.map { .double($0) } ?? .null }

    /// The same value passed through `transform` when defined (1 − x, a
    /// rescaling); an undefined value keeps its reason.
    public func map(_ transform: (Double) -> Double) -> MetricValue {
        switch self {
        case .defined(let v): .defined(transform(v))
        case .undefined: self
        }
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// Sets `key` to the metric's value (or `null`) and, when it is
    /// undefined, records why under `"undefined"`: `{"key": "reason"}`, so a
    /// reader of the JSON sees why a field is null without the summary.
    mutating func set(_ key: String, _ metric: MetricValue) {
        self[key] = metric.json
        guard let why = metric.undefinedReason else { return }
        var reasons: [String: JSONValue] = [:]
        if case .object(let existing)? = self["undefined"] { reasons = existing }
        reasons[key] = .string(why)
        self["undefined"] = .object(reasons)
    }
}
