import SynthctlCore

/// Grows one tree of a ``HistGradientBoostingClassifier`` leaf-wise
/// (best-first), as LightGBM (Ke et al. 2017) and scikit-learn's
/// `TreeGrower` (`grower.py`) do: the splittable leaf whose best split has
/// the largest gain is split next, until `maxLeafNodes` leaves or no leaf
/// has a split of positive gain. A node with fewer than 2·`minSamplesLeaf`
/// rows becomes a leaf. Of two children, the smaller's histograms are
/// built from its rows and the larger's are the parent's minus them.
/// A leaf's value is −G/(H + λ) times the learning rate (shrinkage).
///
/// Where it differs: equal gains are split in the order the leaves were
/// made (scikit-learn's heap leaves that order unspecified).
struct HistGradientBoostingGrower {
    struct Options {
        var maxLeafNodes: Int
        var minSamplesLeaf: Int
        var l2Regularization: Double
        var learningRate: Double
    }

    /// The grown tree and, per leaf, its training rows (a range of the
    /// workspace's `partition`) and value, for updating the training raw
    /// scores.
    struct Result {
        var tree: HistGradientBoostingTree
        var leaves: [(rows: Range<Int>, value: Double)]
    }

    private struct GrowingNode {
        var start: Int, count: Int
        var gradient: Double, hessian: Double, value: Double
        var histograms: UnsafeMutablePointer<GradientHistogramBin>?
        var split: HistGradientBoostingSplit?
        var treeIndex: Int
    }

    /// Grows one tree on the workspace's bins and gradients (loaded with
    /// ``_UnsafeGrowerWorkspace/load(gradients:hessians:)``); on return the
    /// workspace's `partition` holds each leaf's rows.
    static func grow(workspace w: _UnsafeGrowerWorkspace, binning: HistogramBinning, hasMissing: [Bool],
                     options o: Options, threads: Int) -> Result {
        let n = w.rowCount, features = w.features
        let pool = w.pool
        for i in 0..<n { w.partition[i] = Int32(i) }
        let nonMissing = (0..<features).map { binning.nonMissingBins($0) }
        var treeNodes = [HistGradientBoostingTree.Node()]
        var growing: [GrowingNode] = []
        var splittable: [Int] = []
        var leaves: [Int] = []

        func histograms(_ start: Int, _ count: Int) -> UnsafeMutablePointer<GradientHistogramBin> {
            let block = pool.take()
            GradientHistograms.build(into: block, workspace: w, start: start, count: count, threads: threads)
            return block
        }
        func release(_ id: Int) {
            if let block = growing[id].histograms { pool.give(block); growing[id].histograms = nil }
        }
        func findSplit(_ id: Int) {
            let node = growing[id]
            let split = HistGradientBoostingSplit.best(
                histograms: node.histograms!, features: features, nonMissingBins: nonMissing, hasMissing: hasMissing,
                count: node.count, gradient: node.gradient, hessian: node.hessian, value: node.value,
                minSamplesLeaf: o.minSamplesLeaf, l2: o.l2Regularization)
            if let split { growing[id].split = split; splittable.append(id) } else { leaves.append(id); release(id) }
        }

        var rootGradient = 0.0, rootHessian = 0.0
        for i in 0..<n { rootGradient += w.gradients[i].x; rootHessian += w.gradients[i].y }
        growing.append(GrowingNode(start: 0, count: n, gradient: rootGradient, hessian: rootHessian,
                                   value: HistGradientBoostingSplit.value(gradient: rootGradient, hessian: rootHessian,
                                                                          l2: o.l2Regularization),
                                   histograms: nil, split: nil, treeIndex: 0))
        if n < 2 * o.minSamplesLeaf {
            leaves.append(0)
        } else {
            growing[0].histograms = histograms(0, n)
            findSplit(0)
        }
        var leafCount = 1
        while !splittable.isEmpty {
            // The largest gain; the earliest node among equal gains.
            var pick = 0
            for j in 1..<splittable.count where growing[splittable[j]].split!.gain > growing[splittable[pick]].split!.gain {
                pick = j
            }
            let id = splittable.remove(at: pick)
            let parent = growing[id]
            var split = parent.split!
            let countLeft = w.partitionRows(start: parent.start, count: parent.count, feature: split.feature,
                                            bin: split.bin, missingGoesLeft: split.missingGoesLeft)
            precondition(countLeft == split.countLeft, "histogram counts disagree with the partition")
            if !hasMissing[split.feature] { split.missingGoesLeft = split.countLeft > split.countRight }

            let leftTree = treeNodes.count, rightTree = leftTree + 1
            treeNodes.append(HistGradientBoostingTree.Node()); treeNodes.append(HistGradientBoostingTree.Node())
            let threshold = split.bin == nonMissing[split.feature] - 1 ? Double.infinity : binning.thresholds[split.feature][split.bin]
            treeNodes[parent.treeIndex].feature = split.feature
            treeNodes[parent.treeIndex].threshold = threshold
            treeNodes[parent.treeIndex].missingGoesLeft = split.missingGoesLeft
            treeNodes[parent.treeIndex].left = leftTree
            treeNodes[parent.treeIndex].right = rightTree
            let leftId = growing.count, rightId = leftId + 1
            growing.append(GrowingNode(start: parent.start, count: split.countLeft, gradient: split.gradientLeft,
                                       hessian: split.hessianLeft, value: split.valueLeft, histograms: nil, split: nil,
                                       treeIndex: leftTree))
            growing.append(GrowingNode(start: parent.start + split.countLeft, count: split.countRight,
                                       gradient: split.gradientRight, hessian: split.hessianRight, value: split.valueRight,
                                       histograms: nil, split: nil, treeIndex: rightTree))
            leafCount += 1
            if leafCount == o.maxLeafNodes {
                release(id)
                for s in splittable { release(s) }
                leaves.append(leftId); leaves.append(rightId)
                leaves.append(contentsOf: splittable); splittable.removeAll()
                break
            }
            let splitLeft = split.countLeft >= 2 * o.minSamplesLeaf
            let splitRight = split.countRight >= 2 * o.minSamplesLeaf
            if !splitLeft { leaves.append(leftId) }
            if !splitRight { leaves.append(rightId) }
            if splitLeft || splitRight {
                let (small, large) = split.countLeft < split.countRight ? (leftId, rightId) : (rightId, leftId)
                growing[small].histograms = histograms(growing[small].start, growing[small].count)
                // The larger child's histograms overwrite the parent's block.
                let parentBlock = parent.histograms!
                GradientHistograms.subtract(parentBlock, growing[small].histograms!, into: parentBlock,
                                            bins: features * GradientHistograms.binsPerFeature)
                growing[large].histograms = parentBlock
                growing[id].histograms = nil
                if splitLeft { findSplit(leftId) }
                if splitRight { findSplit(rightId) }
                if !splitLeft { release(leftId) }
                if !splitRight { release(rightId) }
            } else {
                release(id)
            }
        }
        var leafRows: [(rows: Range<Int>, value: Double)] = []
        for id in leaves.sorted() {
            let node = growing[id]
            let value = node.value * o.learningRate
            treeNodes[node.treeIndex].value = value
            leafRows.append((node.start..<(node.start + node.count), value))
        }
        return Result(tree: HistGradientBoostingTree(nodes: treeNodes), leaves: leafRows)
    }
}

/// What growing trees needs for one fit, allocated once and reused by every
/// node and tree: the column-major bins, each row's (gradient, hessian) for
/// the tree being grown, the partition of row indices by node (scikit-learn's
/// `sample_indices`, a node's rows a contiguous range of it), a scratch
/// buffer for partitioning, the gathered gradients of a node, and the
/// histogram blocks.
///
/// Preconditions for callers of its pointers: `binned` holds `rowCount`
/// bins per feature; `partition`, `scratch`, `gradients` and `ordered`
/// hold `rowCount` elements; only one tree grows at a time.
final class _UnsafeGrowerWorkspace {
    let rowCount: Int
    let features: Int
    let binned: UnsafeMutablePointer<UInt8>
    let partition: UnsafeMutablePointer<Int32>
    let scratch: UnsafeMutablePointer<Int32>
    let gradients: UnsafeMutablePointer<SIMD2<Double>>
    let ordered: UnsafeMutablePointer<SIMD2<Double>>
    let pool: _UnsafeHistogramPool

    /// - Parameter binned: column-major bins, `rows` per feature.
    init(binned bins: [UInt8], rows n: Int, features d: Int) {
        precondition(bins.count == n * d && n <= Int(Int32.max))
        rowCount = n; features = d
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, n * d))
        copy.initialize(repeating: 0, count: max(1, n * d))
        bins.withUnsafeBufferPointer { if n * d > 0 { copy.update(from: $0.baseAddress!, count: n * d) } }
        binned = copy
        partition = .allocate(capacity: max(1, n)); partition.initialize(repeating: 0, count: max(1, n))
        scratch = .allocate(capacity: max(1, n)); scratch.initialize(repeating: 0, count: max(1, n))
        gradients = .allocate(capacity: max(1, n)); gradients.initialize(repeating: .zero, count: max(1, n))
        ordered = .allocate(capacity: max(1, n)); ordered.initialize(repeating: .zero, count: max(1, n))
        pool = _UnsafeHistogramPool(bins: d * GradientHistograms.binsPerFeature)
    }

    deinit {
        binned.deallocate(); partition.deallocate(); scratch.deallocate()
        gradients.deallocate(); ordered.deallocate()
    }

    /// Interleaves one output's gradients and hessians (`rowCount` each)
    /// for the next tree.
    func load(gradients g: UnsafeBufferPointer<Double>, hessians h: UnsafeBufferPointer<Double>) {
        precondition(g.count == rowCount && h.count == rowCount)
        for i in 0..<rowCount { gradients[i] = SIMD2(g[i], h[i]) }
    }

    /// Stable partition of `partition[start ..< start + count]`: rows whose
    /// bin of `feature` is ≤ `bin` (the missing bin: as `missingGoesLeft`)
    /// first, each side in its previous order (scikit-learn's
    /// `Splitter.split_indices`). Branch-free: every row is written to both
    /// sides and the side's cursor advances by 0 or 1. Returns the left count.
    func partitionRows(start: Int, count: Int, feature: Int, bin: Int, missingGoesLeft: Bool) -> Int {
        precondition(bin < HistogramBinning.missingBin)
        let column = binned + feature * rowCount
        let rows = partition + start
        let limit = UInt8(bin), missingLeft = missingGoesLeft ? 1 : 0
        var l = 0, r = 0
        for k in 0..<count {
            let row = rows[k]
            let b = column[Int(row)]
            let left = (b <= limit ? 1 : 0) | (b == UInt8(HistogramBinning.missingBin) ? missingLeft : 0)
            rows[l] = row; scratch[r] = row
            l += left; r += 1 - left
        }
        (rows + l).update(from: scratch, count: r)
        return l
    }
}
