import Synth
import SynthctlCore

extension CrossValidation {
    /// ``HistGradientBoostingClassifier`` probabilities for every row, each
    /// from the model fitted on the other folds: the same stratified folds
    /// as ``logisticProbabilities(features:labels:classes:folds:seed:options:strata:strataCount:threads:progress:)``.
    /// Folds run side by side, each model on one thread when there are at
    /// least as many folds as threads (a fold's histograms are too small to
    /// split across cores with profit: two threads on one model took 93% of
    /// one thread's time, two folds side by side half); with more threads
    /// than folds each model gets `threads / folds` histogram workers. A
    /// model's result does not depend on its thread count and each fold
    /// writes only its own test rows, so the probabilities do not depend on
    /// `threads`. Fold f's model is seeded with `seed + f`.
    public static func gradientBoostingProbabilities(features x: Matrix, labels: [Int32], classes k: Int, folds: Int,
                                                     seed: UInt64, options: HistGradientBoostingClassifier.Options = .init(),
                                                     strata: [Int32]? = nil, strataCount: Int = 0,
                                                     threads: Int = Parallel.coreCount,
                                                     progress: WorkProgress = .silent) -> PredictedProbabilities {
        let assignment = strata.map { Self.folds(labels: $0, classes: strataCount, count: folds, seed: seed) }
            ?? Self.folds(labels: labels, classes: k, count: folds, seed: seed)
        var out = [Double](repeating: 0, count: x.rows * k)
        let workers = max(1, min(threads, folds)), perModel = max(1, threads / workers)
        out.withUnsafeMutableBufferPointer { outp in
            let sink = _UnsafeFoldProbabilities(values: outp)
            Parallel.forEach(folds, threads: workers) { f in
                let train = assignment.indices.filter { assignment[$0] != f }
                let test = assignment.indices.filter { assignment[$0] == f }
                guard !test.isEmpty, !train.isEmpty else { return }
                var o = options
                o.seed = seed &+ UInt64(f)
                let model = HistGradientBoostingClassifier(features: x.gatheringRows(train), labels: train.map { labels[$0] },
                                                           classes: k, options: o, threads: perModel)
                let p = model.probabilities(x.gatheringRows(test), threads: perModel)
                for (r, i) in test.enumerated() { for c in 0..<k { sink.values[i * k + c] = p[r * k + c] } }
                progress.step("cross-validation folds", of: folds)
            }
        }
        return PredictedProbabilities(rows: x.rows, classes: k, values: out)
    }
}

/// Where concurrent folds write their probabilities. Precondition: fold f
/// writes only the rows of its own test items, so no two folds touch the
/// same memory.
struct _UnsafeFoldProbabilities: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<Double>
}
