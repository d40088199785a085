import Foundation
import Synth
import SynthctlCore

/// A seeded split of a labeled set's rows into a training part and a
/// holdout, stratified by class: what `synthctl split` writes, so that a
/// generator is fitted on the training part only and `compare` tests on
/// rows it has never seen.
///
/// In each class of n rows, a seeded permutation of its rows (the same
/// substream as `compare`'s own holdout, ``FidelityStreams/holdoutSplit``,
/// one stream row per class, numbered by first appearance in the rows as
/// ``FirstAppearanceClasses`` does, so the same rows are drawn whatever
/// the order of the class names); the first h = round(fraction·n) go to
/// the holdout, with 1 ≤ h ≤ n − 1 when n ≥ 2, so that every class of two
/// rows or more has a row on each side. A class of one row stays in the
/// training part (a generator can learn it; a holdout of one class row
/// tests nothing). Where round(fraction·n) ≥ 1 for every class, the parts
/// are exactly the rows `compare --human` holds out with the same seed and
/// fraction when the classes are numbered alike.
///
/// Both lists ascend (rows keep their order within each part); the result
/// depends only on the labels, the fraction and the seed, never on threads.
public struct StratifiedSplit: Sendable, Equatable {
    /// Rows (0-based, in the set's order) of the training part, ascending.
    public let train: [Int]
    /// Rows of the holdout, ascending.
    public let holdout: [Int]

    /// `labels` are class ids 0..<`classes`; `fraction` is in (0, 1).
    public init(labels: [Int32], classes: Int, fraction: Double, seed: UInt64) {
        let members = rowsByClass(labels, classes: classes)
        let stratum = FirstAppearanceClasses(labels: labels, classes: classes).canonical
        var isHoldout = [Bool](repeating: false, count: labels.count)
        for c in 0..<classes where members[c].count > 1 {
            let n = members[c].count
            let take = max(1, min(Int((fraction * Double(n)).rounded()), n - 1))
            let order = FidelityStreams.shuffled(members[c], seed: seed, FidelityStreams.holdoutSplit, row: UInt64(stratum[c]))
            for t in 0..<take { isHoldout[order[t]] = true }
        }
        train = labels.indices.filter { !isHoldout[$0] }
        holdout = labels.indices.filter { isHoldout[$0] }
    }
}
