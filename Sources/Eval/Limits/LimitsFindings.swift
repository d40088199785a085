import Foundation
import SynthctlCore

/// What a set of ``LearningCurves`` can claim, each claim with its
/// uncertainty: the level each curve settles at (its plateau, or the level
/// of a flat curve), the gap between the synthetic and the human level, and
/// the exchange rate, how many synthetic rows reach the error of m human
/// rows. All intervals are two-sided 95% (z = 1.96), normal on the linear
/// scale for error rates and on the log scale for row counts.
///
/// Two sources of noise enter every number:
/// - **the fits**: each curve's (c, a, b) covariance from ``PowerLawFit``
///   (SciPy `curve_fit`'s, scaled by the reduced χ²), carried to derived
///   numbers by the delta method (first-order Taylor expansion);
/// - **the test split**: every point is an error rate measured on the same
///   n held-out rows, so the spread over seeds does not show that sample's
///   own error. An error rate p measured on n rows has the binomial
///   standard error √(p(1 − p)/n); it is evaluated at the Agresti–Coull
///   centre p̃ = (p·n + z²/2)/(n + z²) with n + z² rows, which stays above 0
///   when no test row is wrong (the sample then still allows an error rate
///   of about 3/n). p is always an error rate that was observed on the
///   test rows — a point's mean, the mean of a flat curve's points, or for
///   a fitted plateau the error at the curve's largest n — never an
///   extrapolated one: a plateau fitted (or held) near 0 below observed
///   errors of 0.3 does not make the test rows measure to ±0.008. Two error
///   rates are treated as independent, which overstates the noise of their
///   difference when the two models err on the same rows, as they mostly
///   do: the claims err on the side of "cannot tell".
///
/// A curve is **flat** when its fall from the smallest to the largest n is
/// within z standard errors (both points' spread over seeds and the test
/// split's binomial error, in quadrature): no decrease beyond noise. Its
/// level is then the mean of its points, with the standard error of that
/// mean over points and the test split's; a power law fitted to a flat
/// curve has no meaningful plateau.
///
/// A curve is **rising** when its error at the largest n exceeds its error
/// at the smallest n by more than z such standard errors: more of these
/// rows make the learner worse (synthetic rows that contradict the human
/// labels do this). A power law c + a·n^(−b) with a, b > 0 only falls, so
/// none is fitted to it; its level is its error at the largest n (the
/// mean over seeds there, with that mean's and the test split's standard
/// errors in quadrature): where the curve ends, not a plateau, since it may
/// go on rising.
///
/// A falling curve is described by the power law only when the fit is one
/// that falls toward its plateau, a > 0 and b > 0. An optimum with a ≤ 0
/// or b ≤ 0 (a curve still falling linearly in log n fits c − |a|·n^|b|,
/// whose c is no plateau) is not reported as a fit: the curve is **falling
/// with no power law**, its level the error at the largest n as for a
/// rising curve (an upper bound on where it settles), and no number of
/// synthetic rows is read off it.
///
/// A plateau the power law's optimum puts below zero is **held at zero**.
/// Its standard error from the free fit can be anything (a curve that is
/// still falling steeply extrapolates to −∞ as easily as to 0: 318 was
/// seen), so it is bounded by what was observed: a falling curve's plateau
/// lies below its error at every measured size, so it is at most the
/// upper 95% bound of the error at the largest n (that point's mean plus z
/// times its seeds' and the test split's standard errors in quadrature).
/// The interval is [0, U], U the smaller of that bound and z times the
/// free fit's standard error; the standard error reported is U/z.
///
/// The **test split is too small to tell** when two error rates at the
/// human error would have to differ by more than z·√2 binomial standard
/// errors to be told apart on it (its resolution), and neither the human
/// curve's fall nor the plateau gap is that large: every finding is then
/// within the noise of the test rows, and no exchange rate is given.
///
/// Unless the human curve is **at chance**: at no size is its error lower
/// than the majority-class error of the test split (the error of always
/// predicting the test split's most common class, the best a learner that
/// ignores the features can do) less the resolution, on a test split that
/// could tell such a learner from one doing better (its resolution is
/// below that majority-class error). Such a curve is flat at chance, or
/// falls toward chance from above (a learner that overfits noise at small
/// sizes). Then the finding is that the features do not predict the label
/// on these rows — more held-out rows would not change it — and no
/// exchange rate is given.
public struct LimitsFindings: Sendable {
    /// The two-sided 95% quantile of the standard normal.
    public static let z = 1.959963984540054

    public struct Interval: Sendable, Equatable {
        public let lower: Double
        public let upper: Double
    }

    /// How finely the held-out rows measure an error rate.
    public struct TestSplit: Sendable {
        public let rows: Int
        /// The error rate the resolution is evaluated at: the human error
        /// observed on the test rows (the level of a flat human curve, else
        /// the mean error at its largest n).
        public let errorRate: Double
        /// √(p̃(1 − p̃)/(n + z²)), the binomial standard error at that rate.
        public let standardError: Double
        /// z·√2·standardError: the smallest difference between two error
        /// rates near `errorRate` that these rows tell apart.
        public let resolution: Double
        public let tooSmallToTell: Bool
    }

    /// The error of a learner that ignores the features, and which curves
    /// do no better.
    public struct Chance: Sendable {
        /// The test split's most common class (the lowest id on ties).
        public let majorityClass: Int32
        /// 1 − its share of the test rows.
        public let majorityClassError: Double
        /// The human curve is at chance (see the type's documentation).
        public let humanAtChance: Bool
        /// The synthetic curve is at chance by the same rule.
        public let syntheticAtChance: Bool
    }

    /// How a curve's error moves from its smallest to its largest n.
    public enum Shape: String, Sendable {
        /// No change beyond noise.
        case flat
        /// A decrease beyond noise.
        case falling
        /// An increase beyond noise: more of these rows hurt.
        case rising
    }

    /// Where a curve settles.
    public struct Level: Sendable {
        public let shape: Shape
        /// No decrease beyond noise over the measured sizes.
        public var flat: Bool { shape == .flat }
        /// The error rises beyond noise over the measured sizes.
        public var rising: Bool { shape == .rising }
        /// The power law the level is read from: a falling curve's fit with
        /// scale and exponent above 0; nil for a flat or rising curve and
        /// for a falling one no such power law fits (see the type's
        /// documentation).
        public let powerLaw: PowerLawFit?
        /// The fitted plateau c, the mean of the points of a flat curve, or
        /// the error at the largest n of a curve without a power law.
        public let value: Double
        /// The fit's (or the points') and the test split's standard errors in
        /// quadrature; NaN when the fit has none (fewer than 4 points).
        public let standardError: Double
        /// value ± z·standardError within [0, 1]; [0, z·standardError] when
        /// the plateau is held at zero (see the type's documentation); nil
        /// without a standard error.
        public let interval: Interval?
        /// The power law's optimum put the plateau below zero; it is 0.
        public let heldAtZero: Bool
        /// The observed error rate the test split's binomial term is
        /// evaluated at: `value` for a flat curve, else the mean error at
        /// the largest n.
        public let observedError: Double
        /// Mean error at the smallest n minus at the largest n, and its standard error.
        public let fall: Double
        public let fallStandardError: Double
        /// The variance of `value` from the fit or the points alone (without the test split).
        let fitVariance: Double
    }

    public enum ExchangeStatus: String, Sendable {
        /// A finite number of synthetic rows, with an interval.
        case estimated
        /// The synthetic curve is flat below the human error: every measured
        /// synthetic size, the smallest included, already reaches it.
        case everyMeasuredSize = "every_measured_size"
        /// The human error lies below the synthetic level beyond noise: no
        /// amount of synthetic rows reaches it.
        case unreachable
        /// The human error and the synthetic level cannot be told apart.
        case cannotTell = "cannot_tell"
        /// The human curve is at chance: there is no learned human error
        /// to reach.
        case humanAtChance = "human_at_chance"
        /// The synthetic curve rises: more synthetic rows raise the error,
        /// so none are exchanged for human rows.
        case syntheticRising = "synthetic_rising"
        /// The synthetic curve falls, but no power law with a, b > 0 fits
        /// it to read a number of rows off.
        case noPowerLaw = "no_power_law"
    }

    public struct Exchange: Sendable {
        public let humanRows: Int
        /// The human curve's error at humanRows (fitted, or its flat level).
        public let humanError: Double
        public let status: ExchangeStatus
        /// The synthetic rows that reach humanError (`estimated`), or the
        /// smallest synthetic size measured (`everyMeasuredSize`).
        public let syntheticRows: Double?
        public let interval: Interval?
        /// More (or fewer) synthetic rows than the curve measured: read off the power law beyond its points.
        public let extrapolated: Bool
    }

    public struct Gap: Sendable {
        /// Synthetic level − human level.
        public let value: Double
        public let standardError: Double
        public let interval: Interval?
        /// The interval excludes 0.
        public let resolved: Bool
    }

    public let testSplit: TestSplit
    public let chance: Chance
    public let human: Level?
    public let synthetic: Level?
    public let mixed: Level?
    public let gap: Gap?
    public let exchange: [Exchange]

    /// The binomial standard error of an error rate p measured on n rows, at
    /// the Agresti–Coull centre (see the type's documentation).
    public static func binomialStandardError(_ p: Double, rows n: Int) -> Double {
        let z2 = z * z, m = Double(max(n, 0)) + z2
        let centre = (min(max(p, 0), 1) * Double(max(n, 0)) + z2 / 2) / m
        return (centre * (1 - centre) / m).squareRoot()
    }

    public init(_ curves: LearningCurves) {
        let n = curves.testRows, z = Self.z
        func binomial(_ p: Double) -> Double { Self.binomialStandardError(p, rows: n) }
        func level(_ curve: LearningCurves.Curve) -> Level? {
            guard let first = curve.points.first, let last = curve.points.last else { return nil }
            let fall = first.mean - last.mean
            let fallSE = (libmPow(first.standardError, 2) + libmPow(last.standardError, 2)
                          + libmPow(binomial(first.mean), 2) + libmPow(binomial(last.mean), 2)).squareRoot()
            if abs(fall) <= z * fallSE || curve.points.count == 1 {
                let means = curve.points.map(\.mean), k = Double(means.count)
                let value = means.reduce(0, +) / k
                let spread = k > 1 ? means.reduce(0) { $0 + ($1 - value) * ($1 - value) } / (k - 1) : 0
                let se = (spread / k + libmPow(binomial(value), 2)).squareRoot()
                return Level(shape: .flat, powerLaw: nil, value: value, standardError: se,
                             interval: Interval(lower: max(0, value - z * se), upper: min(1, value + z * se)),
                             heldAtZero: false, observedError: value, fall: fall, fallStandardError: fallSE, fitVariance: spread / k)
            }
            let observed = last.mean, observedVariance = libmPow(binomial(observed), 2)
            // A rising curve, or a falling one no decreasing power law fits:
            // the level is the error observed at the largest n.
            func atLargestSize(_ shape: Shape) -> Level {
                let seeds = last.standardError * last.standardError, se = (seeds + observedVariance).squareRoot()
                return Level(shape: shape, powerLaw: nil, value: observed, standardError: se,
                             interval: Interval(lower: max(0, observed - z * se), upper: min(1, observed + z * se)),
                             heldAtZero: false, observedError: observed, fall: fall, fallStandardError: fallSE, fitVariance: seeds)
            }
            if fall < 0 { return atLargestSize(.rising) }
            guard let fit = curve.fit else { return nil }
            guard fit.scale > 0, fit.exponent > 0, fit.plateau.isFinite, fit.scale.isFinite, fit.exponent.isFinite else {
                return atLargestSize(.falling)
            }
            if fit.plateauAtZero {
                // Bounded by the error observed at the largest n (see the type's documentation).
                let observedBound = observed + z * (libmPow(last.standardError, 2) + observedVariance).squareRoot()
                let free = fit.unconstrainedPlateau.standardError
                let upper = min(1, observedBound, free.isFinite ? z * free : .infinity)
                let se = upper / z
                return Level(shape: .falling, powerLaw: fit, value: 0, standardError: se, interval: Interval(lower: 0, upper: upper),
                             heldAtZero: true, observedError: observed, fall: fall, fallStandardError: fallSE,
                             fitVariance: max(se * se - observedVariance, 0))
            }
            let c = fit.plateau, fitSE = fit.standardErrors.plateau
            let se = (fitSE * fitSE + observedVariance).squareRoot()
            return Level(shape: .falling, powerLaw: fit, value: c, standardError: se,
                         interval: se.isFinite ? Interval(lower: max(0, c - z * se), upper: min(1, c + z * se)) : nil,
                         heldAtZero: false, observedError: observed, fall: fall, fallStandardError: fallSE, fitVariance: fitSE * fitSE)
        }
        let h = level(curves.human), s = level(curves.synthetic)
        human = h
        synthetic = s
        mixed = level(curves.mixed)
        if let h, let s {
            let value = s.value - h.value, se = (libmPow(s.standardError, 2) + libmPow(h.standardError, 2)).squareRoot()
            gap = Gap(value: value, standardError: se, interval: se.isFinite ? Interval(lower: value - z * se, upper: value + z * se) : nil,
                      resolved: se.isFinite && abs(value) > z * se)
        } else {
            gap = nil
        }
        let rate = h?.observedError ?? curves.human.points.last?.mean ?? 0
        let se = binomial(rate), resolution = z * 2.0.squareRoot() * se
        let chanceError = curves.testMajorityClassError
        func atChance(_ curve: LearningCurves.Curve) -> Bool {
            guard let best = curve.points.map(\.mean).min() else { return false }
            return resolution < chanceError && best >= chanceError - resolution
        }
        let humanAtChance = atChance(curves.human)
        chance = Chance(majorityClass: curves.testMajorityClass, majorityClassError: chanceError,
                        humanAtChance: humanAtChance, syntheticAtChance: atChance(curves.synthetic))
        let tooSmall = !humanAtChance && resolution > abs(h?.fall ?? 0) && resolution > abs(gap?.value ?? 0)
        testSplit = TestSplit(rows: n, errorRate: rate, standardError: se, resolution: resolution, tooSmallToTell: tooSmall)

        let largestSynthetic = Double(curves.synthetic.points.last?.rows ?? 0)
        let smallestSynthetic = Double(curves.synthetic.points.first?.rows ?? 0)
        exchange = curves.human.points.map { point in
            let m = Double(point.rows)
            func result(_ error: Double, _ status: ExchangeStatus, _ rows: Double? = nil, _ interval: Interval? = nil) -> Exchange {
                Exchange(humanRows: point.rows, humanError: error, status: status, syntheticRows: rows, interval: interval,
                         extrapolated: status == .estimated && ((rows ?? 0) > largestSynthetic || (rows ?? 0) < smallestSynthetic))
            }
            guard let h, let s else { return result(curves.human.fit?.error(at: m) ?? point.mean, .cannotTell) }
            // The human error at m and the variance of its estimate: the
            // power law's, a flat curve's level, or else the point itself.
            let humanFit = h.powerLaw
            let error = humanFit?.error(at: m) ?? (h.flat ? h.value : point.mean)
            if humanAtChance { return result(error, .humanAtChance) }
            if s.rising { return result(error, .syntheticRising) }
            let errorVariance = humanFit?.errorVariance(at: m) ?? (h.flat ? h.fitVariance : point.standardError * point.standardError)
            let difference = error - s.value
            // The test split's noise at the errors observed: this human point's, the synthetic curve's.
            let testNoise = libmPow(binomial(h.flat ? h.value : point.mean), 2) + libmPow(binomial(s.observedError), 2)
            let noise = errorVariance + s.fitVariance + testNoise
            guard !tooSmall, noise.isFinite else { return result(error, .cannotTell) }
            if !s.flat && s.powerLaw == nil { return result(error, .noPowerLaw) }
            if difference < -z * noise.squareRoot() { return result(error, .unreachable) }
            guard difference > z * noise.squareRoot() else { return result(error, .cannotTell) }
            if s.flat { return result(error, .everyMeasuredSize, smallestSynthetic) }
            guard let fit = s.powerLaw, let rows = fit.rows(toReach: error) else { return result(error, .cannotTell) }
            // log n = −(ln D − ln a)/b, D = error − c: gradient in the
            // synthetic (c, a, b), and through D in the human error and the
            // test split's noise of both error rates.
            let a = fit.scale, b = fit.exponent, logRows = libmLog(rows)
            let dD = -1 / (b * difference)
            let g = [-dD, 1 / (b * a), -logRows / b]
            var variance = dD * dD * (errorVariance + testNoise)
            if s.heldAtZero { variance += dD * dD * s.fitVariance }
            for i in 0..<3 { for j in 0..<3 { variance += g[i] * fit.covariance[i][j] * g[j] } }
            guard variance.isFinite else { return result(error, .estimated, rows) }
            let spread = z * variance.squareRoot()
            return result(error, .estimated, rows, Interval(lower: rows * libmExp(-spread), upper: rows * libmExp(spread)))
        }
    }
}
