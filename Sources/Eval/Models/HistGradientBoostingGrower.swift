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

    /// The grown tree and, per leaf, its training rows (a range of
    /// `partition`) and value, for updating the training raw scores.
    struct Result {
        var tree: HistGradientBoostingTree
        var partition: [Int32]
        var leaves: [(rows: Range<Int>, value: Double)]
    }

    private struct GrowingNode {
        var start: Int, count: Int
        var gradient: Double, hessian: Double, value: Double
        var histograms: GradientHistograms?
        var split: HistGradientBoostingSplit?
        var treeIndex: Int
    }

    /// - Parameters:
    ///   - binned: column-major bins, N per feature.
    ///   - gradients, hessians: N each (one class's, for multiclass).
    static func grow(binned: UnsafeBufferPointer<UInt8>, rowCount n: Int, features: Int, binning: HistogramBinning,
                     hasMissing: [Bool], gradients: UnsafeBufferPointer<Double>, hessians: UnsafeBufferPointer<Double>,
                     options o: Options, threads: Int) -> Result {
        var partition = (0..<n).map { Int32($0) }
        var scratch = [Int32](repeating: 0, count: n)
        let nonMissing = (0..<features).map { binning.nonMissingBins($0) }
        var treeNodes = [HistGradientBoostingTree.Node()]
        var growing: [GrowingNode] = []
        var splittable: [Int] = []
        var leaves: [Int] = []

        func histograms(_ start: Int, _ count: Int) -> GradientHistograms {
            partition.withUnsafeBufferPointer { p in
                GradientHistograms(binned: binned, rowCount: n, features: features,
                                   rows: UnsafeBufferPointer(rebasing: p[start..<(start + count)]),
                                   gradients: gradients, hessians: hessians, threads: threads)
            }
        }
        func findSplit(_ id: Int) {
            let node = growing[id]
            let split = HistGradientBoostingSplit.best(
                histograms: node.histograms!, features: features, nonMissingBins: nonMissing, hasMissing: hasMissing,
                count: node.count, gradient: node.gradient, hessian: node.hessian, value: node.value,
                minSamplesLeaf: o.minSamplesLeaf, l2: o.l2Regularization)
            if let split { growing[id].split = split; splittable.append(id) } else { leaves.append(id); growing[id].histograms = nil }
        }

        var rootGradient = 0.0, rootHessian = 0.0
        for i in 0..<n { rootGradient += gradients[i]; rootHessian += hessians[i] }
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
            // Stable partition of the node's rows: left rows first, each side in row order.
            let column = binned.baseAddress! + split.feature * n
            var l = parent.start, r = 0
            for k in parent.start..<(parent.start + parent.count) {
                let row = partition[k]
                let b = Int(column[Int(row)])
                let goesLeft = b == HistogramBinning.missingBin ? split.missingGoesLeft : b <= split.bin
                if goesLeft { partition[l] = row; l += 1 } else { scratch[r] = row; r += 1 }
            }
            for k in 0..<r { partition[l + k] = scratch[k] }
            precondition(l - parent.start == split.countLeft, "histogram counts disagree with the partition")
            if !hasMissing[split.feature] { split.missingGoesLeft = split.countLeft > split.countRight }

            let leftTree = treeNodes.count, rightTree = leftTree + 1
            treeNodes.append(HistGradientBoostingTree.Node()); treeNodes.append(HistGradientBoostingTree.Node())
            let threshold = split.bin == nonMissing[split.feature] - 1 ? Double.infinity : binning.thresholds[split.feature][split.bin]
            treeNodes[parent.treeIndex].feature = split.feature
            treeNodes[parent.treeIndex].threshold = threshold
            treeNodes[parent.treeIndex].missingGoesLeft = split.missingGoesLeft
            treeNodes[parent.treeIndex].left = leftTree
            treeNodes[parent.treeIndex].right = rightTree
            growing[id].histograms = nil
            let leftId = growing.count, rightId = leftId + 1
            growing.append(GrowingNode(start: parent.start, count: split.countLeft, gradient: split.gradientLeft,
                                       hessian: split.hessianLeft, value: split.valueLeft, histograms: nil, split: nil,
                                       treeIndex: leftTree))
            growing.append(GrowingNode(start: parent.start + split.countLeft, count: split.countRight,
                                       gradient: split.gradientRight, hessian: split.hessianRight, value: split.valueRight,
                                       histograms: nil, split: nil, treeIndex: rightTree))
            leafCount += 1
            if leafCount == o.maxLeafNodes {
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
                growing[large].histograms = GradientHistograms(parent: parent.histograms!, minus: growing[small].histograms!)
                if splitLeft { findSplit(leftId) }
                if splitRight { findSplit(rightId) }
                if !splitLeft { growing[leftId].histograms = nil }
                if !splitRight { growing[rightId].histograms = nil }
            }
        }
        var leafRows: [(rows: Range<Int>, value: Double)] = []
        for id in leaves.sorted() {
            let node = growing[id]
            let value = node.value * o.learningRate
            treeNodes[node.treeIndex].value = value
            leafRows.append((node.start..<(node.start + node.count), value))
        }
        return Result(tree: HistGradientBoostingTree(nodes: treeNodes), partition: partition, leaves: leafRows)
    }
}
