import Synth
import SynthctlCore

/// A classifier two-sample test: can a model tell real rows from synthetic
/// ones? Real rows are labelled 1 and synthetic 0, the ``Detector`` is
/// trained k-fold, seeded, and the out-of-fold probabilities of "real" give
/// one ROC AUC over all rows, with its DeLong standard error.
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

    public let auc: ClassifierScores.AUC
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
    }
}
