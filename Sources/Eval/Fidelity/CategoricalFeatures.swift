import SynthctlCore

/// The categorical feature columns of a human and a synthetic set, matched
/// by column name and by category value, so that one code means one
/// category in both sets.
///
/// Names and values match by their bytes (``ExactText``), as class names
/// do (``ClassAlignment``). The categories of a column are the human set's,
/// in its order, then the synthetic set's that the human set never has, in
/// the synthetic set's order: such an **unseen category** is not an error
/// but a finding (``UnseenCategories``), and it gets a code and a one-hot
/// column of its own (``OneHotEncoding``).
///
/// Errors: ``SynthctlCore/InputError`` naming the synthetic set when the
/// two sets' categorical columns have different names.
public struct CategoricalFeatures: Sendable, Equatable {
    /// One matched column.
    public struct Column: Sendable, Equatable {
        public let name: String
        /// The human set's categories, then the synthetic set's unseen ones.
        public let categories: [String]
        /// How many of ``categories`` (the first ones) the human set has.
        public let humanCategories: Int
    }

    /// In the human set's column order.
    public let columns: [Column]
    /// Per column, one code per human row, indexing the column's
    /// ``Column/categories`` (−1 only for a missing cell, which readers
    /// refuse or drop before a comparison).
    public let human: [[Int32]]
    /// Per column, one code per synthetic row, as ``human``.
    public let synthetic: [[Int32]]

    /// No categorical columns.
    public static let none = CategoricalFeatures(columns: [], human: [], synthetic: [])

    init(columns: [Column], human: [[Int32]], synthetic: [[Int32]]) {
        self.columns = columns
        self.human = human
        self.synthetic = synthetic
    }

    public var isEmpty: Bool { columns.isEmpty }
    /// Categories per column (the width of its one-hot block).
    public var categoryCounts: [Int] { columns.map(\.categories.count) }

    /// Matches `synthetic`'s ``LabeledFeatures/categoricalColumns`` with `human`'s.
    public init(human: LabeledFeatures, synthetic: LabeledFeatures) throws {
        let hc = human.categoricalColumns, sc = synthetic.categoricalColumns
        let position = Dictionary(sc.enumerated().map { (ExactText($1.name), $0) }) { first, _ in first }
        let humanNames = Set(hc.map { ExactText($0.name) })
        let onlyHuman = hc.map(\.name).filter { position[ExactText($0)] == nil }
        let onlySynthetic = sc.map(\.name).filter { !humanNames.contains(ExactText($0)) }
        guard onlyHuman.isEmpty, onlySynthetic.isEmpty else {
            func list(_ names: [String]) -> String { names.isEmpty ? "none" : NameList.describe(names) }
            throw InputError(file: synthetic.source, expected: "the categorical feature columns of \(human.source) (matched by name)",
                             found: "other ones: only in \(human.source): \(list(onlyHuman)); only in \(synthetic.source): \(list(onlySynthetic))")
        }
        var columns = [Column](), humanCodes = [[Int32]](), syntheticCodes = [[Int32]]()
        for h in hc {
            let s = sc[position[ExactText(h.name)]!]
            var categories = h.categories
            var index = Dictionary(categories.enumerated().map { (ExactText($1), Int32($0)) }) { first, _ in first }
            var syntheticIndex = [Int32]()
            syntheticIndex.reserveCapacity(s.categories.count)
            for name in s.categories {
                if let i = index[ExactText(name)] { syntheticIndex.append(i); continue }
                index[ExactText(name)] = Int32(categories.count)
                syntheticIndex.append(Int32(categories.count))
                categories.append(name)
            }
            columns.append(Column(name: h.name, categories: categories, humanCategories: h.categories.count))
            humanCodes.append(h.codes)
            syntheticCodes.append(s.codes.map { $0 < 0 ? -1 : syntheticIndex[Int($0)] })
        }
        self.init(columns: columns, human: humanCodes, synthetic: syntheticCodes)
    }

    /// `codes` (per column, one per row) of the rows `rows`, in that order.
    static func gathering(_ codes: [[Int32]], rows: [Int]) -> [[Int32]] {
        codes.map { column in rows.map { column[$0] } }
    }
}
