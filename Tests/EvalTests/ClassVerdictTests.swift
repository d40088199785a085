import Testing
import Synth
@testable import Eval
@testable import SynthctlCore

/// The verdict's per-class rule (``FidelityVerdict/ClassDetection``) and
/// the summary's boundary-adherence check
/// (``BoundaryAdherence/fallsShort(_:rows:of:holdoutRows:)``), on the
/// numbers compare printed for a real-looking table (343 training rows,
/// 147 held out, 1,470 synthetic; classes alpha 175, beta 140 and gamma 28
/// human rows).
@Suite struct ClassVerdictTests {
    typealias Share = FidelityVerdict.Share
    static let coverage = Share(mean: 0.793, standardDeviation: 0.019, trials: 343)
    static let holdout = Share(mean: 0.843, standardDeviation: 0, trials: 343)

    /// A DeLong standard error from a printed 95% interval.
    static func se(_ lower: Double, _ upper: Double) -> Double { (upper - lower) / (2 * ConfidenceInterval.z95) }

    /// z for 0.05/K two-sided: 1.96 at K = 1 (the overall rule), 2.394 at 3.
    @Test func bonferroniZ() {
        #expect(FidelityVerdict.bonferroniZ(classes: 1) == ConfidenceInterval.z95)
        #expect(abs(FidelityVerdict.bonferroniZ(classes: 3) - 2.393980) < 1e-5)
        #expect(abs(FidelityVerdict.bonferroniZ(classes: 2) - 2.241403) < 1e-5)
    }

    /// `region` redrawn uniformly: overall AUC 0.534 [0.479, 0.590] includes
    /// 0.5, but class alpha's 0.574 [0.530, 0.618] lies above it, and at
    /// z = 2.394 still does ([0.520, 0.628]). Gamma (28 rows, unreliable)
    /// would pass too (0.683 − 2.394·0.0555 = 0.550) but is not named; it
    /// counts in K.
    @Test func aDistinguishableClassMakesTheSetDistinguishable() {
        let overall = ConfidenceInterval(lower: 0.4786, upper: 0.5900, method: "DeLong")
        let classes: [FidelityVerdict.ClassDetection] = [
            .init(name: "alpha", auc: 0.5739, standardError: Self.se(0.5297, 0.6182), unreliable: false),
            .init(name: "beta", auc: 0.5256, standardError: Self.se(0.4721, 0.5791), unreliable: false),
            .init(name: "gamma", auc: 0.6829, standardError: Self.se(0.5741, 0.7917), unreliable: true),
        ]
        let v = FidelityVerdict(auc: (0.5343, overall), coverage: Self.coverage, holdoutCoverage: Self.holdout, classes: classes)
        #expect(v.kind == .distinguishable)
        #expect(v.distinguishableClasses == ["alpha"] && v.testedClasses == 3)
        #expect(v.text == "distinguishable in class alpha: held-out detection AUC 0.574 [0.520, 0.628] (Bonferroni-adjusted 98.33% interval over 3 classes); "
                + "overall held-out detection AUC 0.534 [0.479, 0.590]; coverage 0.793 ± 0.019 vs 0.843 for the human holdout")
        // Without the classes, the verdict of before.
        let before = FidelityVerdict(auc: (0.5343, overall), coverage: Self.coverage, holdoutCoverage: Self.holdout)
        #expect(before.kind == .indistinguishable && before.distinguishableClasses.isEmpty && before.testedClasses == 0)
        // Among 20 classes (z = 3.023) alpha still passes (0.506); among 100 (z = 3.481) it does not (0.495).
        let many = (0..<99).map { FidelityVerdict.ClassDetection(name: "c\($0)", auc: 0.5, standardError: 0.03, unreliable: false) }
        let diluted = FidelityVerdict(auc: (0.5343, overall), coverage: Self.coverage, holdoutCoverage: Self.holdout,
                                      classes: [classes[0]] + many)
        #expect(diluted.kind == .indistinguishable && diluted.distinguishableClasses.isEmpty && diluted.testedClasses == 100)
    }

    /// A second human sample: overall 0.502 [0.447, 0.558], and every class
    /// includes 0.5 too (alpha 0.508 [0.463, 0.553], beta 0.455 [0.401,
    /// 0.508]; gamma 0.584 [0.466, 0.702], unreliable): indistinguishable.
    @Test func aSecondHumanSampleStaysIndistinguishable() {
        let overall = ConfidenceInterval(lower: 0.4468, upper: 0.5576, method: "DeLong")
        let classes: [FidelityVerdict.ClassDetection] = [
            .init(name: "alpha", auc: 0.5077, standardError: Self.se(0.4626, 0.5528), unreliable: false),
            .init(name: "beta", auc: 0.4545, standardError: Self.se(0.4005, 0.5084), unreliable: false),
            .init(name: "gamma", auc: 0.5844, standardError: Self.se(0.4664, 0.7024), unreliable: true),
        ]
        let v = FidelityVerdict(auc: (0.5022, overall), coverage: Share(mean: 0.829, standardDeviation: 0.037, trials: 343),
                                holdoutCoverage: Self.holdout, classes: classes)
        #expect(v.kind == .indistinguishable && v.distinguishableClasses.isEmpty && v.testedClasses == 3)
        #expect(v.text.hasPrefix("indistinguishable at this size: held-out detection AUC 0.502 [0.447, 0.558] includes 0.5"))
    }

    /// A class with an undefined AUC is not counted in K.
    @Test func undefinedClassAUCsAreNotCounted() {
        let classes: [FidelityVerdict.ClassDetection] = [
            .init(name: "a", auc: 0.58, standardError: 0.03, unreliable: false),
            .init(name: "b", auc: .nan, standardError: .nan, unreliable: true),
        ]
        let v = FidelityVerdict(auc: (0.52, .normal(0.52, standardError: 0.02)), coverage: Self.coverage, holdoutCoverage: nil, classes: classes)
        // K = 1: 0.58 − 1.96·0.03 = 0.521 > 0.5.
        #expect(v.testedClasses == 1 && v.distinguishableClasses == ["a"] && v.kind == .distinguishable)
    }

    /// Negative counts (visits − 3): boundary adherence 0.9018 over 1,470
    /// rows against the holdout's 0.9932 over 147 falls short (gap 0.0914,
    /// bound 1.96·√(0.0884/1470 + 0.00676/147) = 0.0202); a second human
    /// sample at 0.9905 does not (gap 0.0027), nor does one above the holdout.
    @Test func boundaryAdherenceFallsShortOfTheHoldoutBeyondSamplingError() {
        #expect(BoundaryAdherence.fallsShort(0.9017687074829933, rows: 1470, of: 0.9931972789115646, holdoutRows: 147))
        #expect(!BoundaryAdherence.fallsShort(0.9905, rows: 1470, of: 0.9931972789115646, holdoutRows: 147))
        #expect(!BoundaryAdherence.fallsShort(1, rows: 1470, of: 0.9931972789115646, holdoutRows: 147))
        #expect(!BoundaryAdherence.fallsShort(0.5, rows: 0, of: 1, holdoutRows: 147))
        // Both at 1: no sampling error, and no gap.
        #expect(!BoundaryAdherence.fallsShort(1, rows: 10, of: 1, holdoutRows: 10))
    }
}
