import Synth

/// Class ids as `.npy` files give them (`labels.npy`, `true_labels.npy`,
/// `annotations.npy`: any integers in 0...Int32.max), mapped to dense class
/// indices 0..<K.
///
/// K is the number of distinct ids present, not the largest id plus one:
/// one stray label 999999 makes one class named "999999", not a million
/// classes and a 10¹²-cell confusion matrix. The ids keep their increasing
/// order and become the class names, so ids that are already 0..<K (what
/// synthctl writes) map to themselves.
struct ClassIds {
    /// The distinct ids in increasing order: class c is `ids[c]`.
    let ids: [Int32]
    /// True when the ids are exactly 0..<K, so indices equal ids.
    let isIdentity: Bool
    private let index: [Int32: Int32]

    /// The distinct non-negative ids of `lists` (negative values, such as
    /// annotations' −1 for "no answer", are skipped).
    init(_ lists: [[Int32]]) {
        var seen = Set<Int32>()
        for list in lists { for id in list where id >= 0 { seen.insert(id) } }
        let sorted = seen.sorted()
        let identity = sorted.last.map { Int($0) + 1 == sorted.count } ?? true
        ids = sorted
        isIdentity = identity
        index = identity ? [:] : Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Int32($0)) })
    }

    var count: Int { ids.count }
    var names: [String] { ids.map { String($0) } }

    /// The dense index of `id` (which must be one of `ids`), or `id` itself when negative.
    func callAsFunction(_ id: Int32) -> Int32 {
        guard id >= 0 else { return id }
        return isIdentity ? id : index[id]!
    }
}
