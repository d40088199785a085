/// The classes of an answer set that at least one answer uses, and the
/// answers restricted to them, for the aggregation models.
///
/// A class nobody answered — a label in `--label-order` that no annotator
/// used, or a gold label no answer has (a typo such as "fish") — has no
/// evidence in the answers, and an aggregation model that keeps it in its
/// EM gives it items: Dawid–Skene floored its prior and every confusion
/// entry at 1e-10, so its confusion rows came out uniform and it won items
/// that were unlikely under every real class (accuracy 0.9833 → 0.9667 on a
/// 300-item cat/dog/bird set with an unused "fish"); one-coin Dawid–Skene
/// and GLAD spread a wrong answer over K − 1 classes and MACE its prior and
/// strategies over K, so an unused class changed their numbers too. Each
/// model therefore runs on the answered classes alone (renumbered in
/// order, so ties still fall to the same class) and reports every other
/// class with probability 0: its results equal those of the same answers
/// without the unused classes. crowd-kit, which takes its classes from the
/// answers, never sees such a class.
struct AnsweredClasses {
    /// Ascending ids (in the full set) of the classes some answer uses.
    let ids: [Int32]
    /// The answers with their labels renumbered to 0..<ids.count.
    let answers: AnswerSet
    /// Classes of the full set.
    let fullCount: Int

    /// Nil when every class has an answer (or none has): nothing to leave out.
    init?(_ full: AnswerSet) {
        var used = [Bool](repeating: false, count: full.classCount)
        for l in full.label { used[Int(l)] = true }
        let ids = full.classNames.indices.filter { used[$0] }.map { Int32($0) }
        guard !ids.isEmpty, ids.count < full.classCount else { return nil }
        var compact = [Int32](repeating: -1, count: full.classCount)
        for (c, id) in ids.enumerated() { compact[Int(id)] = Int32(c) }
        self.ids = ids
        fullCount = full.classCount
        answers = AnswerSet(itemNames: full.itemNames, workerNames: full.workerNames, classNames: ids.map { full.classNames[Int($0)] },
                            item: full.item, worker: full.worker, label: full.label.map { compact[Int($0)] })
    }

    /// Gold truth in the restricted classes: a gold class nobody answered
    /// cannot be an item's class in the models (−1, as for an item without gold).
    func restrict(_ gold: GoldLabels?) -> GoldLabels? {
        guard let gold else { return nil }
        var compact = [Int32](repeating: -1, count: fullCount)
        for (c, id) in ids.enumerated() { compact[Int(id)] = Int32(c) }
        return GoldLabels(truth: gold.truth.map { $0 >= 0 ? compact[Int($0)] : -1 }, unmatchedItems: gold.unmatchedItems,
                          droppedRows: gold.droppedRows)
    }

    /// Rows of per-class values (rows × restricted classes) spread to the
    /// full classes, 0 for the unanswered ones.
    func expand(_ values: [Double]) -> [Double] {
        let k = ids.count, rows = values.count / max(k, 1)
        var out = [Double](repeating: 0, count: rows * fullCount)
        for r in 0..<rows { for c in 0..<k { out[r * fullCount + Int(ids[c])] = values[r * k + c] } }
        return out
    }

    /// Class ids (−1 kept) in the full set.
    func expand(_ labels: [Int32]) -> [Int32] { labels.map { $0 >= 0 ? ids[Int($0)] : $0 } }

    /// Square blocks (blocks × restricted classes²) spread to the full
    /// classes, 0 in the rows and columns of the unanswered ones.
    func expandSquare(_ values: [Double]) -> [Double] {
        let k = ids.count, blocks = values.count / max(k * k, 1), f = fullCount
        var out = [Double](repeating: 0, count: blocks * f * f)
        for b in 0..<blocks { for i in 0..<k { for j in 0..<k {
            out[(b * f + Int(ids[i])) * f + Int(ids[j])] = values[(b * k + i) * k + j]
        } } }
        return out
    }
}
