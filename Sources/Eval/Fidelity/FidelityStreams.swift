import Synth
import SynthctlCore

/// The random streams of the fidelity metrics: their ids are declared in
/// ``Substream`` (one purpose, ids far above the class indices that the
/// cross-validation folds use as theirs), so that no two draws share a
/// stream and every subsample is a pure function of the seed.
enum FidelityStreams {
    static let holdoutSplit = Substream.fidelityHoldoutSplit.id
    static let bandwidthSample = Substream.fidelityBandwidthSample.id
    static let exactMMDSubsampleReal = Substream.fidelityExactMMDReal.id
    static let exactMMDSubsampleSynthetic = Substream.fidelityExactMMDSynthetic.id
    static let linearMMDOrderReal = Substream.fidelityLinearMMDReal.id
    static let linearMMDOrderSynthetic = Substream.fidelityLinearMMDSynthetic.id
    static let copyBaseline = Substream.fidelityCopyBaseline.id
    static let detectionFolds = Substream.fidelityDetectionFolds.id
    /// KID subset s draws from kidSubsets + 2s (real) and + 2s + 1 (synthetic).
    static let kidSubsets = Substream.kidSubsets.ids.lowerBound
    /// The independent-marginals baseline: draw (row r, feature j).
    static let independentMarginals = Substream.fidelityIndependentMarginals.id
    /// Learning-curve subsets: learningCurves + 2·(curve·10⁶ + point·10³ + seed) (+1 for a mix's synthetic part).
    static let learningCurves = Substream.learningCurveSubsets.ids.lowerBound
    /// Matched sizes: draw d subsamples from matchedSizeDraws + d.
    static let matchedSizeDraws = Substream.fidelityMatchedSizeDraws.ids.lowerBound
    /// Per-class matched sizes: draw d of the class numbered s shuffles row d·2³² + s.
    static let classMatchedSizeDraws = Substream.fidelityClassMatchedSizeDraws.id
    /// Seeded bootstraps: resample b draws from row b of this stream.
    static let bootstrap = Substream.fidelityBootstrap.id

    static func stream(seed: UInt64, _ id: UInt32) -> RandomStream {
        RandomStream(seed: seed, purpose: .shuffle, substream: id)
    }

    /// The first `count` indices of a seeded permutation of 0..<n, in
    /// increasing order (so subsampling keeps the rows' relative order).
    static func subsample(_ n: Int, count: Int, seed: UInt64, _ id: UInt32) -> [Int] {
        guard count < n else { return Array(0..<n) }
        let p = IndexPermutation(count: n, stream: stream(seed: seed, id))
        return (0..<count).map { p[$0] }.sorted()
    }
}

extension FidelityStreams {
    /// A seeded order of 0..<n.
    static func permutation(_ n: Int, seed: UInt64, _ id: UInt32) -> [Int] {
        let p = IndexPermutation(count: n, stream: stream(seed: seed, id))
        return (0..<n).map { p[$0] }
    }
}

extension FidelityStreams {
    /// `items` in a seeded random order (Fisher–Yates). Swap t draws from
    /// (row, t) of the stream, so several shuffles can share one stream id
    /// by using different rows (one per class).
    static func shuffled<T>(_ items: [T], seed: UInt64, _ id: UInt32, row: UInt64) -> [T] {
        var out = items
        let s = stream(seed: seed, id)
        var t = out.count - 1
        while t > 0 {
            out.swapAt(t, s.integer(below: t + 1, row: row, draw: UInt32(t)))
            t -= 1
        }
        return out
    }
}
