import Synth
import SynthctlCore

extension CrossValidation {
    /// ``HistGradientBoostingClassifier`` probabilities for every row, each
    /// from the model fitted on the other folds: the same stratified folds
    /// as ``logisticProbabilities(features:labels:classes:folds:seed:options:strata:strataCount:threads:progress:)``.
    /// Folds run one after another, each model's histograms on `threads`
    /// workers; fold f's model is seeded with `seed + f`.
    public static func gradientBoostingProbabilities(features x: Matrix, labels: [Int32], classes k: Int, folds: Int,
                                                     seed: UInt64, options: HistGradientBoostingClassifier.Options = .init(),
                                                     strata: [Int32]? = nil, strataCount: Int = 0,
                                                     threads: Int = Parallel.coreCount,
                                                     progress: WorkProgress = .silent) -> PredictedProbabilities {
        let assignment = strata.map { Self.folds(labels: $0, classes: strataCount, count: folds, seed: seed) }
            ?? Self.folds(labels: labels, classes: k, count: folds, seed: seed)
        var out = [Double](repeating: 0, count: x.rows * k)
        for f in 0..<folds {
            let train = assignment.indices.filter { assignment[$0] != f }
            let test = assignment.indices.filter { assignment[$0] == f }
            guard !test.isEmpty, !train.isEmpty else { continue }
            var o = options
            o.seed = seed &+ UInt64(f)
            let model = HistGradientBoostingClassifier(features: x.gatheringRows(train), labels: train.map { labels[$0] },
                                                       classes: k, options: o, threads: threads)
            let p = model.probabilities(x.gatheringRows(test), threads: threads)
            for (r, i) in test.enumerated() { for c in 0..<k { out[i * k + c] = p[r * k + c] } }
            progress.step("cross-validation folds", of: folds)
        }
        return PredictedProbabilities(rows: x.rows, classes: k, values: out)
    }
}
