import Synth
import SynthctlCore

/// A two-sided 95% interval around a reported number, and how it was
/// obtained, so a reader can tell a difference from noise.
///
/// Three constructions, each where it applies:
/// - ``normal(_:standardError:)``: value ± 1.96·SE, for a statistic with a
///   closed-form standard error (the detection AUC's DeLong SE, DeLong et
///   al. 1988, ``ClassifierScores/AUC``);
/// - ``wilson(share:trials:)``: Wilson's score interval for a share of n
///   counted items (Wilson 1927; Agresti & Coull 1998 recommend it over the
///   Wald interval for small n or shares near 0 or 1);
/// - ``percentileBootstrap(_:resamples:seed:statistic:)``: the 2.5% and
///   97.5% quantiles of a statistic over seeded resamples with replacement
///   (Efron & Tibshirani 1993, ch. 13), where no closed form exists.
public struct ConfidenceInterval: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    /// How it was obtained ("DeLong", "Wilson", "bootstrap"), as the JSON report names it.
    public let method: String

    public init(lower: Double, upper: Double, method: String) {
        self.lower = lower
        self.upper = upper
        self.method = method
    }

    /// The standard normal's 97.5% quantile.
    public static let z95 = 1.959963984540054

    public func contains(_ x: Double) -> Bool { lower <= x && x <= upper }

    /// value ± 1.96·`standardError`, clipped to `bounds`; NaN ends when
    /// either is not finite.
    public static func normal(_ value: Double, standardError: Double, bounds: ClosedRange<Double> = 0...1,
                              method: String = "DeLong") -> ConfidenceInterval {
        guard value.isFinite, standardError.isFinite else { return .init(lower: .nan, upper: .nan, method: method) }
        return .init(lower: max(bounds.lowerBound, value - z95 * standardError),
                     upper: min(bounds.upperBound, value + z95 * standardError), method: method)
    }

    /// Wilson's score interval for a share p̂ of `trials` items:
    /// (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n). NaN ends without trials.
    public static func wilson(share p: Double, trials n: Int) -> ConfidenceInterval {
        guard n > 0, p.isFinite else { return .init(lower: .nan, upper: .nan, method: "Wilson") }
        let z = z95, nn = Double(n), z2 = z * z
        let centre = p + z2 / (2 * nn)
        let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
        let d = 1 + z2 / nn
        return .init(lower: max(0, (centre - half) / d), upper: min(1, (centre + half) / d), method: "Wilson")
    }

    /// The percentile bootstrap of `statistic` over `n` items: resample b
    /// draws n indices with replacement from row b of the seeded bootstrap
    /// stream (the same resamples for any thread count), and the interval
    /// is the linear-interpolated 2.5% and 97.5% quantiles of the finite
    /// resampled values. NaN ends with fewer than 2 finite values.
    ///
    /// - Parameters:
    ///   - n: the items resampled (test rows, distances).
    ///   - statistic: the number computed from a resample's item indices.
    public static func percentileBootstrap(_ n: Int, resamples: Int, seed: UInt64,
                                           statistic: ([Int]) -> Double) -> ConfidenceInterval {
        let stream = FidelityStreams.stream(seed: seed, FidelityStreams.bootstrap)
        var values = [Double]()
        values.reserveCapacity(resamples)
        var indices = [Int](repeating: 0, count: n)
        for b in 0..<resamples where n > 0 {
            for i in 0..<n { indices[i] = stream.integer(below: n, row: UInt64(b), draw: UInt32(truncatingIfNeeded: i)) }
            let v = statistic(indices)
            if v.isFinite { values.append(v) }
        }
        guard values.count >= 2 else { return .init(lower: .nan, upper: .nan, method: "bootstrap") }
        values.sort()
        return .init(lower: linearQuantile(sorted: values, 0.025), upper: linearQuantile(sorted: values, 0.975), method: "bootstrap")
    }

    /// `[lower, upper]` for the JSON report, or null when not finite.
    public var json: JSONValue {
        lower.isFinite && upper.isFinite ? JSONValue([lower, upper]) : .null
    }
}
