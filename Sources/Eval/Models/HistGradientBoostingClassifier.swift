import Synth
import SynthctlCore

/// Gradient-boosted trees on binned features: scikit-learn's
/// `HistGradientBoostingClassifier` (`sklearn/ensemble/_hist_gradient_boosting`,
/// 1.9) with its defaults, after LightGBM (Ke et al., "LightGBM: A Highly
/// Efficient Gradient Boosting Decision Tree", NeurIPS 2017).
///
/// Features are binned (``HistogramBinning``, at most 255 bins and one for
/// NaN); each iteration fits one tree per raw score (one for two classes,
/// one per class for three or more) to the gradients and hessians of the
/// log-loss (``HistGradientBoostingLoss``), grown leaf-wise by gain
/// (``HistGradientBoostingGrower``), its leaves shrunk by the learning rate.
/// With early stopping (on by default above 10,000 rows, scikit-learn's
/// "auto"), a stratified 10 % of the rows is held out before binning, and
/// training stops when none of the last 10 iterations lowered the
/// validation loss by more than 1e-7 below the loss 11 scores back.
///
/// Like ``LogisticRegression``, the model's classes are the labels it saw:
/// ids below `classes` it did not see get probability 0, and a single
/// class gets probability 1.
///
/// Determinism: histograms are summed in Double, one feature per thread in
/// row order, so the model and its probabilities are the same for every
/// thread count and CPU. Where it differs from scikit-learn: the binning
/// subsample and the validation split come from synthctl's seeded streams,
/// the validation split gives each class ⌊share⌋ rows and the remainder to
/// the classes with the largest fractional parts (scikit-learn breaks ties
/// at random), and equal gains split in node order; scikit-learn matches
/// within 0.01 in AUC and accuracy on the oracle's data sets
/// (`Tests/Oracles/hist_gradient_boosting_oracle.py`).
public struct HistGradientBoostingClassifier: Sendable {
    public enum EarlyStopping: Sendable { case auto, on, off }

    public struct Options: Sendable {
        public var learningRate = 0.1
        public var maxIterations = 100
        public var maxLeafNodes = 31
        public var minSamplesLeaf = 20
        public var l2Regularization = 0.0
        /// Bins for non-missing values, 2…255.
        public var maxBins = 255
        /// `.auto`: on when there are more than 10,000 rows.
        public var earlyStopping = EarlyStopping.auto
        public var validationFraction = 0.1
        public var iterationsWithoutChange = 10
        public var tolerance = 1e-7
        /// Rows the bin thresholds are computed from, at most.
        public var binningSubsample = 200_000
        public var seed: UInt64 = 0
        public init() {}
    }

    public let classes: Int
    /// The class ids the labels contained, ascending.
    let present: [Int]
    let baseline: [Double]
    /// Per iteration, one tree per raw score.
    let trees: [[HistGradientBoostingTree]]
    /// Boosting iterations run (scikit-learn's `n_iter_`).
    public var iterations: Int { trees.count }

    /// - Parameters:
    ///   - x: N × D features (float32; NaN is a missing value).
    ///   - labels: N class ids in 0..<classes.
    ///   - threads: histogram workers (the result does not depend on it).
    public init(features x: Matrix, labels: [Int32], classes: Int, options o: Options = Options(),
                threads: Int = Parallel.coreCount) {
        precondition(x.rows == labels.count && x.rows > 0)
        self.classes = classes
        present = Set(labels.map(Int.init)).sorted()
        let m = present.count
        guard m >= 2 else { baseline = []; trees = []; return }
        var index = [Int](repeating: -1, count: classes)
        for (j, c) in present.enumerated() { index[c] = j }
        let y = labels.map { index[Int($0)] }
        let t = m == 2 ? 1 : m

        let stopEarly = o.earlyStopping == .on || (o.earlyStopping == .auto && x.rows > 10_000)
        let (trainRows, validationRows) = stopEarly
            ? Self.stratifiedSplit(y, classes: m, fraction: o.validationFraction, seed: o.seed)
            : (Array(0..<x.rows), [])
        let trainX = validationRows.isEmpty ? x : x.gatheringRows(trainRows)
        let trainY = validationRows.isEmpty ? y : trainRows.map { y[$0] }
        let validationX = x.gatheringRows(validationRows)
        let validationY = validationRows.map { y[$0] }

        let binning = HistogramBinning(fitting: trainX, maxBins: o.maxBins, subsample: o.binningSubsample, seed: o.seed)
        let binned = binning.binned(trainX, threads: threads)
        let n = trainX.rows, d = x.columns
        var hasMissing = [Bool](repeating: false, count: d)
        for f in 0..<d { hasMissing[f] = binned[(f * n)..<((f + 1) * n)].contains(UInt8(HistogramBinning.missingBin)) }

        let base = HistGradientBoostingLoss.baseline(labels: trainY, classes: m)
        baseline = base
        var raw = (0..<n).flatMap { _ in base }
        var validationRaw = validationY.flatMap { _ in base }
        var scores = validationY.isEmpty ? [] : [-HistGradientBoostingLoss.meanLoss(raw: validationRaw, labels: validationY, outputs: t)]
        var g = [Double](repeating: 0, count: n * t), h = [Double](repeating: 0, count: n * t)
        let grower = HistGradientBoostingGrower.Options(maxLeafNodes: o.maxLeafNodes, minSamplesLeaf: o.minSamplesLeaf,
                                                        l2Regularization: o.l2Regularization, learningRate: o.learningRate)
        let workspace = _UnsafeGrowerWorkspace(binned: binned, rows: n, features: d)
        var fitted: [[HistGradientBoostingTree]] = []
        for _ in 0..<o.maxIterations {
            HistGradientBoostingLoss.gradients(raw: raw, labels: trainY, outputs: t, gradients: &g, hessians: &h)
            var round: [HistGradientBoostingTree] = []
            for c in 0..<t {
                g.withUnsafeBufferPointer { gp in
                    h.withUnsafeBufferPointer { hp in
                        workspace.load(gradients: UnsafeBufferPointer(rebasing: gp[(c * n)..<((c + 1) * n)]),
                                       hessians: UnsafeBufferPointer(rebasing: hp[(c * n)..<((c + 1) * n)]))
                    }
                }
                let result = HistGradientBoostingGrower.grow(workspace: workspace, binning: binning, hasMissing: hasMissing,
                                                             options: grower, threads: threads)
                raw.withUnsafeMutableBufferPointer { r in
                    for leaf in result.leaves {
                        for k in leaf.rows { r[Int(workspace.partition[k]) * t + c] += leaf.value }
                    }
                }
                validationX.storage.withUnsafeBufferPointer { v in
                    validationRaw.withUnsafeMutableBufferPointer { vr in
                        for i in 0..<validationX.rows { vr[i * t + c] += result.tree.value(v.baseAddress! + i * d) }
                    }
                }
                round.append(result.tree)
            }
            fitted.append(round)
            if !validationY.isEmpty {
                scores.append(-HistGradientBoostingLoss.meanLoss(raw: validationRaw, labels: validationY, outputs: t))
                if Self.shouldStop(scores, patience: o.iterationsWithoutChange, tolerance: o.tolerance) { break }
            }
        }
        trees = fitted
    }

    /// scikit-learn's `_should_stop`: stop when none of the last `patience`
    /// scores beats the one before them by more than `tolerance`.
    static func shouldStop(_ scores: [Double], patience: Int, tolerance: Double) -> Bool {
        guard scores.count >= patience + 1 else { return false }
        let reference = scores[scores.count - patience - 1] + tolerance
        return !scores.suffix(patience).contains { $0 > reference }
    }

    /// Rows (ascending) for training and validation: each class gives
    /// ⌊share⌋ of the ⌈fraction·N⌉ validation rows, the remainder one each
    /// to the classes with the largest fractional shares (lower id first
    /// among equal ones), chosen in the order of one seeded permutation of
    /// all rows.
    static func stratifiedSplit(_ y: [Int], classes m: Int, fraction: Double, seed: UInt64) -> ([Int], [Int]) {
        let n = y.count
        let total = Int((fraction * Double(n)).rounded(.up))
        var counts = [Int](repeating: 0, count: m)
        for c in y { counts[c] += 1 }
        var quota = counts.map { $0 * total / n }
        let remainder = total - quota.reduce(0, +)
        let byFraction = (0..<m).sorted { a, b in
            let fa = counts[a] * total % n, fb = counts[b] * total % n
            return fa != fb ? fa > fb : a < b
        }
        for c in byFraction.prefix(remainder) { quota[c] += 1 }
        let order = IndexPermutation(count: n, stream: RandomStream(seed: seed, .gradientBoostingValidationSplit))
        var validation = [Bool](repeating: false, count: n)
        for position in 0..<n {
            let row = order[position]
            if quota[y[row]] > 0 { quota[y[row]] -= 1; validation[row] = true }
        }
        return ((0..<n).filter { !validation[$0] }, (0..<n).filter { validation[$0] })
    }
}
