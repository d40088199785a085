import SynthctlCore

extension LearningCurves {
    /// A curve whose points all lie within the test split's resolution of
    /// each other: its shape (falling, flat, the gap to another curve) is
    /// not measured on these test rows.
    ///
    /// Every point's error is measured on the same n held-out rows, so
    /// averaging over seeds does not remove the test split's own error: an
    /// error rate p on n rows has the binomial standard error √(p(1 − p)/n),
    /// and two error rates must differ by more than z·√2 of it (z = 1.96,
    /// independent errors; ``LimitsFindings/TestSplit/resolution``) to be told
    /// apart. A curve whose largest and smallest point means differ by no
    /// more than that resolution is within noise: with the 53 test
    /// rows at an error of 0.2 the resolution is 1.96·√2·0.055 ≈ 0.15, more
    /// than most curves fall.
    public struct WithinNoise: Sendable, Equatable {
        /// The curve's name ("human", "synthetic", "human+synthetic").
        public let curve: String
        /// max − min of the curve's point means (error rates).
        public let spread: Double
        /// The test split's resolution it is within.
        public let resolution: Double
    }

    /// The curves (of the human, synthetic and mixed ones, in that order)
    /// with at least two points whose point means all lie within
    /// `resolution` of each other.
    public func withinNoise(resolution: Double) -> [WithinNoise] {
        guard resolution.isFinite else { return [] }
        return [human, synthetic, mixed].compactMap { c in
            let means = c.points.map(\.mean).filter(\.isFinite)
            guard means.count >= 2, let lo = means.min(), let hi = means.max(), hi - lo <= resolution else { return nil }
            return WithinNoise(curve: c.name, spread: hi - lo, resolution: resolution)
        }
    }
}

extension LimitsReport {
    /// `"curves_within_noise": [{"curve", "spread"}…]` for the test split's
    /// object, only when a curve is within noise (reports without one keep
    /// their bytes).
    var withinNoiseJSON: [String: JSONValue] {
        let within = curves.withinNoise(resolution: findings.testSplit.resolution)
        guard !within.isEmpty else { return [:] }
        return ["curves_within_noise": .array(within.map {
            .object(["curve": .string($0.curve), "spread": $0.spread.isFinite ? .double($0.spread) : .null])
        })]
    }
}
