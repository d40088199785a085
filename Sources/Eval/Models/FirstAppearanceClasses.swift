/// The classes of a set of labels renumbered by first appearance in the
/// rows, so that out-of-sample probabilities do not depend on the run's
/// class order.
///
/// Why: the class order is the user's (`--label-order`, a `ClassLabel`'s
/// id order, or numeric/byte order of the names), and the same table given
/// as `ClassLabel` ids or as text, or under two orders, must get the same
/// label issues. Cross-validation folds are stratified class by class
/// (``CrossValidation/folds(labels:classes:count:seed:)``: each class's
/// rows get their own seeded order and are dealt on where the last class
/// stopped), and the models sum over classes in index order (softmax
/// normalizers, gradient norms), so both would change with the order.
/// Numbered by first appearance they do not: scikit-learn's
/// `StratifiedKFold` numbers its strata the same way (`np.unique(y,
/// return_index=True, return_inverse=True)`, then the classes ranked by
/// their first index), so that its folds do not depend on how classes are
/// named or ordered either.
///
/// Shapes: `labels` N ids in 0..<K (the run's order); ``labels`` the same
/// N rows in 0..<K numbered by first appearance, the classes no row uses
/// last, in the run's order (no model sees them: they get probability 0
/// wherever they stand).
public struct FirstAppearanceClasses: Sendable {
    /// The labels renumbered: row i's class in first-appearance order.
    public let labels: [Int32]
    /// `canonical[c]`: the first-appearance number of run class `c`.
    public let canonical: [Int]

    public init(labels: [Int32], classes k: Int) {
        var canonical = [Int](repeating: -1, count: k)
        var next = 0
        for label in labels where canonical[Int(label)] < 0 {
            canonical[Int(label)] = next
            next += 1
        }
        for c in 0..<k where canonical[c] < 0 {
            canonical[c] = next
            next += 1
        }
        self.canonical = canonical
        self.labels = labels.map { Int32(canonical[Int($0)]) }
    }

    /// Whether the run's order is already first-appearance order.
    public var isIdentity: Bool { canonical.indices.allSatisfy { canonical[$0] == $0 } }

    /// Class ids in first-appearance order (a model's predictions) put
    /// back in the run's order: `c` becomes the run class whose
    /// first-appearance number is `c`.
    public func inRunOrder(_ predicted: [Int32]) -> [Int32] {
        guard !isIdentity else { return predicted }
        var run = [Int32](repeating: 0, count: canonical.count)
        for (c, number) in canonical.enumerated() { run[number] = Int32(c) }
        return predicted.map { run[Int($0)] }
    }

    /// Probabilities whose columns are in first-appearance order, with
    /// their columns put back in the run's class order: column c of the
    /// result is column `canonical[c]` of `p`. The values are moved, not
    /// recomputed, so the bits are those of the canonical fit.
    public func inRunOrder(_ p: PredictedProbabilities) -> PredictedProbabilities {
        guard !isIdentity else { return p }
        let k = canonical.count
        precondition(p.classes == k)
        var out = [Double](repeating: 0, count: p.rows * k)
        for i in 0..<p.rows {
            for c in 0..<k { out[i * k + c] = p.values[i * k + canonical[c]] }
        }
        return PredictedProbabilities(rows: p.rows, classes: k, values: out)
    }
}
