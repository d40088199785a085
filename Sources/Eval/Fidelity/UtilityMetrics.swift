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
        func scores(_ x: Matrix, _ y: [Int32]) -> ClassifierScores.Classification {
            let predicted: [Int32]
            if Set(y).count < 2 {
                // One class to learn from: the only sensible prediction is that class.
                predicted = [Int32](repeating: y.first ?? 0, count: test.rows)
            } else {
                predicted = LogisticRegression(features: x, labels: y, classes: max(classes, 2)).predict(test)
            }
            return ClassifierScores.classification(truth: testLabels, predicted: predicted, classes: max(classes, 2))
        }
        trainOnSynthetic = scores(synthetic, syntheticLabels)
        trainOnReal = scores(realTrain, realTrainLabels)
        testRows = test.rows
    }
}
