import Synth
import SynthctlCore

/// Is the synthetic set good enough to train on? Train on synthetic, test
/// on real (TSTR, Esteban et al. 2017), against train on real, test on real
/// (TRTR), both tested on the same held-out real rows, with the same model:
/// the BLAS multinomial logistic regression (standardized features, C = 1).
/// The ratios TSTR/TRTR say how much of the real data's usefulness the
/// synthetic set keeps; per-class F1 shows which classes it fails.
public struct UtilityMetrics: Sendable {
    public let trainOnSynthetic: ClassifierScores.Classification
    public let trainOnReal: ClassifierScores.Classification
    public let testRows: Int
    /// The held-out rows' classes and each model's predictions of them, for
    /// the bootstrap intervals (``macroF1Interval(_:classes:resamples:seed:)``).
    public let testLabels: [Int32]
    public let syntheticPredictions: [Int32]
    public let realPredictions: [Int32]

    /// TSTR / TRTR accuracy; undefined when TRTR's is 0 (nothing to keep a share of).
    public var accuracyRatio: MetricValue {
        MetricValue(trainOnSynthetic.accuracy, over: trainOnReal.accuracy,
                    undefinedBecause: "the model trained on the human rows (TRTR) gets no held-out row right: no accuracy to keep a share of")
    }
    /// TSTR / TRTR macro-F1; undefined when TRTR's is 0.
    public var macroF1Ratio: MetricValue {
        MetricValue(trainOnSynthetic.macroF1, over: trainOnReal.macroF1,
                    undefinedBecause: "the model trained on the human rows (TRTR) has a macro-F1 of 0: no F1 to keep a share of")
    }

    public init(realTrain: Matrix, realTrainLabels: [Int32], synthetic: Matrix, syntheticLabels: [Int32],
                test: Matrix, testLabels: [Int32], classes: Int) {
        func predictions(_ x: Matrix, _ y: [Int32]) -> [Int32] {
            // One class to learn from: the only sensible prediction is that class.
            guard Set(y).count >= 2 else { return [Int32](repeating: y.first ?? 0, count: test.rows) }
            // Fitted with the classes numbered by first appearance in its
            // training rows and mapped back (the softmax sums and the ties
            // of the argmax run in class order), so the predictions do not
            // depend on the order of the class names.
            let order = FirstAppearanceClasses(labels: y, classes: max(classes, 2))
            return order.inRunOrder(LogisticRegression(features: x, labels: order.labels, classes: max(classes, 2)).predict(test))
        }
        syntheticPredictions = predictions(synthetic, syntheticLabels)
        realPredictions = predictions(realTrain, realTrainLabels)
        trainOnSynthetic = ClassifierScores.classification(truth: testLabels, predicted: syntheticPredictions, classes: max(classes, 2))
        trainOnReal = ClassifierScores.classification(truth: testLabels, predicted: realPredictions, classes: max(classes, 2))
        testRows = test.rows
        self.testLabels = testLabels
    }

    /// The percentile-bootstrap 95% interval of a model's macro-F1 over the
    /// held-out rows (resampled with replacement; ``ConfidenceInterval/percentileBootstrap(_:resamples:seed:statistic:)``):
    /// the test rows are the noise in TSTR and TRTR, the models stay fixed.
    public func macroF1Interval(_ predictions: [Int32], classes: Int, resamples: Int, seed: UInt64) -> ConfidenceInterval {
        ConfidenceInterval.percentileBootstrap(testLabels.count, resamples: resamples, seed: seed) { rows in
            ClassifierScores.classification(truth: rows.map { testLabels[$0] }, predicted: rows.map { predictions[$0] },
                                            classes: max(classes, 2)).macroF1
        }
    }
}
