import SynthctlCore

/// One regression tree of a ``HistGradientBoostingClassifier``: binary
/// splits on one feature each, a raw-score contribution (learning rate
/// applied) at each leaf.
///
/// A row goes left when its value is ≤ the split's threshold (the bin's
/// upper threshold; +∞ for a split that sends only missing values right,
/// scikit-learn's "split on NaN") and, when missing, as `missingGoesLeft`
/// says. Predicting from raw values with these thresholds is the same as
/// predicting from bins (x ≤ thresholds[b] ⇔ bin(x) ≤ b), as scikit-learn's
/// `TreePredictor.predict` does.
public struct HistGradientBoostingTree: Sendable {
    @usableFromInline
    struct Node: Sendable {
        @usableFromInline var feature: Int = -1
        @usableFromInline var threshold: Double = 0
        @usableFromInline var missingGoesLeft = false
        @usableFromInline var left = -1
        @usableFromInline var right = -1
        @usableFromInline var value: Double = 0
        @usableFromInline var isLeaf: Bool { left < 0 }
    }

    /// Node 0 is the root.
    @usableFromInline var nodes: [Node]

    public var leafCount: Int { nodes.filter(\.isLeaf).count }

    /// The tree's contribution to the raw score of a row of D features.
    @inlinable
    func value(_ row: UnsafePointer<Float>) -> Double {
        nodes.withUnsafeBufferPointer { Self.value(row, nodes: $0) }
    }

    /// The walk from the root to a leaf. Precondition: `nodes` is a tree's
    /// nodes (children inside it), `row` holds every feature a node names.
    @inlinable
    static func value(_ row: UnsafePointer<Float>, nodes: UnsafeBufferPointer<Node>) -> Double {
        var i = 0
        while nodes[i].left >= 0 {
            let node = nodes[i]
            let x = row[node.feature]
            let left = x.isNaN ? node.missingGoesLeft : Double(x) <= node.threshold
            i = left ? node.left : node.right
        }
        return nodes[i].value
    }
}
