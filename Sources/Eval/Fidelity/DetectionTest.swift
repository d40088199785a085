import Synth
import SynthctlCore

/// A classifier two-sample test: can a model tell real rows from synthetic
/// ones? Real rows are labelled 1 and synthetic 0, and the ``Detector``
/// scores them twice:
/// - **cross-validated** (``auc``): trained k-fold, seeded, the out-of-fold
///   probabilities of "real" give one ROC AUC over all rows. This is the
///   score SDMetrics and synthcity report, and the best estimate of how
///   separable the sets are, since every row is scored;
/// - **held out** (``heldOut``): trained on one stratified half, scored on
///   the other, whose ROC AUC has an exact DeLong standard error. This is
///   the classifier two-sample test of Lopez-Paz & Oquab ("Revisiting
///   classifier two-sample tests", ICLR 2017), and what a verdict tests.
///
/// Why two. The cross-validated AUC's DeLong standard error is too small:
/// each fold's model learns the same chance differences between the two
/// realized samples, so the folds' AUCs are positively correlated and
/// their pooled (or averaged) AUC spreads more than DeLong, which treats
/// the scores as one fixed scorer's, allows. With scikit-learn's
/// HistGradientBoosting on 571 against 571 rows of one distribution, z =
/// (AUC − 0.5)/SE had sd 1.36 and |z| > 1.96 in 15% of 60 seeds, pooled
/// or averaged over folds alike (`benchmarks/detection_null_calibration.py`).
/// On the held-out half the model is fixed before its test rows are seen,
/// so its scores of them are independent draws and DeLong's variance is
/// the AUC's: the same experiment gave sd 1.05 and 2.5%. The price is
/// power: half the rows train, half test, so the held-out interval is
/// about √2 wider. The cross-validated AUC is therefore reported without
/// an interval, and the held-out AUC with one.
///
/// The folds are stratified by side and class together. Stratified by side
/// alone, a fold's share of real rows within a tight class cluster is the
/// complement of the other folds' share, and a model that can pick the
/// cluster out predicts it backwards: on class-structured embeddings that
/// put the AUC of two halves of one set at 0.46, "significantly" below 0.5.
///
/// Conventions, since tools differ:
/// - `auc`: 0.5 means indistinguishable, 1 perfectly separable (synthcity's
///   detection_* report this, as a mean over folds);
/// - `sdmetricsScore` = 1 − (max(AUC, 0.5)·2 − 1): SDMetrics'
///   LogisticDetection convention, 1 meaning indistinguishable (SDMetrics
///   averages it over 3 unseeded folds; this is the pooled out-of-fold AUC).
/// A linear model detects differences in means and in linear combinations
/// only; a clean result says that much and no more. Trees also see
/// differences in shape, bounds and interactions (a Gaussian sample of a
/// non-negative column with a quarter of its values negative reads as
/// indistinguishable to the linear model and separable to the trees), which
/// is why they are the default.
public struct DetectionTest: Sendable {
    /// The classifier that tries to tell the sets apart.
    public enum Detector: String, Sendable, CaseIterable {
        /// ``HistGradientBoostingClassifier`` with scikit-learn's defaults.
        case gbdt
        /// The BLAS ``LogisticRegression`` (standardized features, C = 1).
        case logistic

        /// The model as a report names it.
        public var name: String {
            switch self {
            case .gbdt: return "gradient-boosted trees"
            case .logistic: return "logistic regression"
            }
        }
    }

    /// The cross-validated AUC over all rows. Its `standardError` is
    /// DeLong's on the pooled out-of-fold scores, which understates the
    /// AUC's spread (see above): read ``heldOut`` for an interval.
    public let auc: ClassifierScores.AUC
    /// The AUC of the detector trained on one half of the rows (stratified
    /// by side and class; ``Substream/fidelityDetectionHeldOutSplit``) and
    /// scored on the other, with its DeLong standard error, which is exact
    /// there (DeLong et al. 1988). Positives and negatives are the test
    /// half's rows. NaN when a side has fewer than 2 rows in either half.
    public let heldOut: ClassifierScores.AUC
    public let folds: Int
    public let detector: Detector
    /// The ROC curve of the out-of-fold scores (real rows positive),
    /// thinned (``ROCCurve``); empty when the test could not run.
    public let roc: ROCCurve
    public var sdmetricsScore: Double { 1 - (max(auc.value, 0.5) * 2 - 1) }

    /// - Parameters:
    ///   - realClasses, syntheticClasses: class ids of the rows (in
    ///     0..<classes), for the folds; nil treats all rows as one class.
    public init(real: Matrix, synthetic: Matrix, realClasses: [Int32]? = nil, syntheticClasses: [Int32]? = nil,
                classes: Int = 1, folds: Int = 5, detector: Detector = .gbdt, seed: UInt64 = 0,
                threads: Int = Parallel.coreCount) {
        precondition(real.columns == synthetic.columns)
        self.detector = detector
        let x = Matrix(rows: real.rows + synthetic.rows, columns: real.columns, storage: real.storage + synthetic.storage)
        let labels = [Int32](repeating: 1, count: real.rows) + [Int32](repeating: 0, count: synthetic.rows)
        let usable = min(folds, real.rows, synthetic.rows)
        self.folds = usable
        guard usable >= 2 else {
            auc = ClassifierScores.AUC(value: .nan, standardError: .nan, positives: real.rows, negatives: synthetic.rows)
            heldOut = auc
            roc = ROCCurve(scores: [], positive: [])
            return
        }
        // Rows are real then synthetic; stratum = side·classes + class, the
        // classes numbered by first appearance in the rows
        // (``FirstAppearanceClasses``), so the folds do not depend on the
        // order of the class names.
        let k = max(classes, 1)
        let realIDs = realClasses ?? [Int32](repeating: 0, count: real.rows)
        let syntheticIDs = syntheticClasses ?? [Int32](repeating: 0, count: synthetic.rows)
        let numbered = FirstAppearanceClasses(labels: realIDs + syntheticIDs, classes: k).labels
        let strata = numbered[..<real.rows].map { Int32(k) + $0 } + numbered[real.rows...]
        let p: PredictedProbabilities
        switch detector {
        case .gbdt:
            p = CrossValidation.gradientBoostingProbabilities(features: x, labels: labels, classes: 2, folds: usable, seed: seed,
                                                              strata: strata, strataCount: 2 * k, threads: threads)
        case .logistic:
            p = CrossValidation.logisticProbabilities(features: x, labels: labels, classes: 2, folds: usable, seed: seed,
                                                      strata: strata, strataCount: 2 * k, threads: threads).0
        }
        let scores = (0..<x.rows).map { p.values[$0 * 2 + 1] }
        auc = ClassifierScores.auc(scores: scores, positive: labels.map { $0 == 1 })
        roc = ROCCurve(scores: scores, positive: labels.map { $0 == 1 })
        heldOut = Self.heldOutAUC(features: x, labels: labels, strata: strata, strataCount: 2 * k, detector: detector,
                                  seed: seed ^ UInt64(Substream.fidelityDetectionHeldOutSplit.id), threads: threads)
    }

    /// The held-out test (``heldOut``): the rows of each stratum, in a
    /// seeded order, are dealt alternately to a training half and a test
    /// half (``CrossValidation/folds(labels:classes:count:seed:)`` with two
    /// folds: every stratum split in half to within one row); the detector
    /// is fitted on the first and scores the second.
    ///
    /// - Parameters:
    ///   - labels: 1 for a real row, 0 for a synthetic one.
    ///   - strata: one id in 0..<strataCount per row.
    /// - Returns: NaN when the test half lacks a side or the training half
    ///   has fewer than 2 rows of a side (a detector needs both to fit).
    static func heldOutAUC(features x: Matrix, labels: [Int32], strata: [Int32], strataCount: Int, detector: Detector,
                           seed: UInt64, threads: Int) -> ClassifierScores.AUC {
        let half = CrossValidation.folds(labels: strata, classes: strataCount, count: 2, seed: seed)
        let train = half.indices.filter { half[$0] == 0 }, test = half.indices.filter { half[$0] == 1 }
        let trainLabels = train.map { labels[$0] }, testPositive = test.map { labels[$0] == 1 }
        let trainReal = trainLabels.lazy.filter { $0 == 1 }.count
        guard trainReal >= 2, train.count - trainReal >= 2, testPositive.contains(true), testPositive.contains(false) else {
            return ClassifierScores.AUC(value: .nan, standardError: .nan, positives: testPositive.lazy.filter { $0 }.count,
                                        negatives: testPositive.lazy.filter { !$0 }.count)
        }
        let probabilities: [Double]
        switch detector {
        case .gbdt:
            var o = HistGradientBoostingClassifier.Options()
            o.seed = seed
            let model = HistGradientBoostingClassifier(features: x.gatheringRows(train), labels: trainLabels, classes: 2,
                                                       options: o, threads: threads)
            probabilities = model.probabilities(x.gatheringRows(test), threads: threads)
        case .logistic:
            BLAS.useSingleThreadedBLAS()
            probabilities = LogisticRegression(features: x.gatheringRows(train), labels: trainLabels, classes: 2)
                .probabilities(x.gatheringRows(test))
        }
        return ClassifierScores.auc(scores: test.indices.map { probabilities[$0 * 2 + 1] }, positive: testPositive)
    }
}
