import SynthctlCore

/// The rows `synthctl limits`' learners see: with categorical feature
/// columns, `compare`'s standardized feature space (``FeatureSpace``,
/// ``OneHotEncoding``); without them, the numeric columns as they are.
///
/// With categorical columns every matrix — the human training pool, the
/// held-out test rows and the synthetic rows — is
///
///     [ (x − μ) / σ  |  one-hot of each categorical column (1/√2 per level) ]
///
/// μ and σ per numeric column from the **human training pool** (a
/// constant column centred, not scaled), as `compare` fits its space on
/// the human training rows. A categorical column's levels are the
/// categories the human training pool has, in the human set's category
/// order: a row whose category the pool never has — a synthetic category
/// no human row shows, or a rare one that fell in the test rows only — is
/// encoded as all zeros in that column's block (no learner was trained on
/// such a level, and a column for it would be zero in every training row
/// of the human curve), and counted (``Column``) for a note.
///
/// Without categorical columns nothing is transformed (the space is
/// ``FeatureSpace/raw``), so that the curves of numeric tables keep their
/// numbers: the logistic regression standardizes its own training rows
/// already, k-nearest neighbours measures in the columns' units as before,
/// and the trees split on values, not distances.
///
/// Errors: ``SynthctlCore/InputError`` naming the column when a column is
/// categorical in one set and numeric in the other, and
/// ``CategoricalFeatures``' error when one set has a categorical column the
/// other lacks.
public struct LearnerFeatures: Sendable {
    /// One categorical column as the learners see it.
    public struct Column: Sendable, Equatable {
        public let name: String
        /// The levels: the human training pool's categories, in the human
        /// set's order; one one-hot column each.
        public let levels: [String]
        /// Synthetic rows whose category the training pool does not have
        /// (encoded as all zeros), and those categories, in the synthetic set's order.
        public let unseenSyntheticRows: Int
        public let unseenSyntheticCategories: [String]
        /// Held-out test rows whose category the training pool does not have
        /// (encoded as all zeros), and those categories.
        public let unseenTestRows: Int
        public let unseenTestCategories: [String]
    }

    /// The space the numeric columns are in: standardized by the human
    /// training pool with categorical columns, raw without.
    public let space: FeatureSpace
    /// The human set's numeric feature names, in the columns' order.
    public let numericNames: [String]
    /// The categorical columns, one-hot encoded after the numeric ones, in the human set's order.
    public let categoricalColumns: [Column]
    /// Rows × (numeric columns + levels), each: the human training pool,
    /// the held-out test rows, the synthetic rows.
    public let training: Matrix
    public let test: Matrix
    public let synthetic: Matrix

    /// Whether categorical columns were encoded (and the numeric ones standardized).
    public var isEncoded: Bool { !categoricalColumns.isEmpty }

    /// The learners' rows of `split` and `syntheticSet`, whose numeric
    /// columns `syntheticNumeric` holds in the human set's column order
    /// (``ClassAlignment``'s synthetic features).
    public init(_ split: LimitsReport.HumanSplit, syntheticSet: LabeledFeatures, syntheticNumeric: Matrix) throws {
        let categorical = try Self.matchedColumns(human: split.human, synthetic: syntheticSet)
        numericNames = split.human.featureNames
        guard !categorical.isEmpty else {
            space = .raw
            categoricalColumns = []
            training = split.trainingFeatures
            test = split.testFeatures
            synthetic = syntheticNumeric
            return
        }
        var columns = [Column](), trainingCodes = [[Int32]](), testCodes = [[Int32]](), syntheticCodes = [[Int32]]()
        for (k, column) in categorical.columns.enumerated() {
            let pool = split.trainingRowIndices.map { categorical.human[k][$0] }
            let held = split.testRowIndices.map { categorical.human[k][$0] }
            // Code (the matched column's) → level (0 ..< levels), −1 for a category the pool lacks.
            var level = [Int32](repeating: -1, count: column.categories.count)
            for v in pool where v >= 0 { level[Int(v)] = 0 }
            var levels = [String]()
            for c in column.categories.indices where level[c] == 0 {
                level[c] = Int32(levels.count)
                levels.append(column.categories[c])
            }
            func encoded(_ codes: [Int32]) -> (codes: [Int32], unseenRows: Int, unseen: [String]) {
                var unseenRows = 0, unseen = [Int32]()
                let out = codes.map { v -> Int32 in
                    guard v >= 0 else { return -1 }
                    let l = level[Int(v)]
                    if l < 0 {
                        unseenRows += 1
                        if !unseen.contains(v) { unseen.append(v) }
                    }
                    return l
                }
                return (out, unseenRows, unseen.map { column.categories[Int($0)] })
            }
            let t = encoded(held), s = encoded(categorical.synthetic[k])
            columns.append(Column(name: column.name, levels: levels, unseenSyntheticRows: s.unseenRows, unseenSyntheticCategories: s.unseen,
                                  unseenTestRows: t.unseenRows, unseenTestCategories: t.unseen))
            trainingCodes.append(encoded(pool).codes)
            testCodes.append(t.codes)
            syntheticCodes.append(s.codes)
        }
        let widths = columns.map(\.levels.count)
        // A column of ids has as many levels as rows: its one-hot block would be rows² floats.
        let rows = MemoryEstimate.sum([split.trainingFeatures.rows, split.testFeatures.rows, syntheticNumeric.rows])
        let width = MemoryEstimate.sum([split.trainingFeatures.columns] + widths)
        var memory = MemoryEstimate()
        memory.add("the learners' rows (\(rows) rows × (\(split.trainingFeatures.columns) numeric columns + \(widths.reduce(0, +)) one-hot levels) × 4 bytes × 2)",
                   rows, width, 8)
        try MemoryBudget.current.check(memory, subject: "limits")
        let space = FeatureSpace(.standardized, fittedOn: split.trainingFeatures)
        self.space = space
        categoricalColumns = columns
        training = OneHotEncoding.appending(space.apply(split.trainingFeatures), codes: trainingCodes, categoryCounts: widths)
        test = OneHotEncoding.appending(space.apply(split.testFeatures), codes: testCodes, categoryCounts: widths)
        synthetic = OneHotEncoding.appending(space.apply(syntheticNumeric), codes: syntheticCodes, categoryCounts: widths)
    }

    /// The categorical columns of both sets matched by name
    /// (``CategoricalFeatures``), after refusing, in one line naming them,
    /// a column that is categorical in one set and numeric in the other
    /// (``SetColumnTypeError``) and columns only one set has
    /// (``ClassAlignment/requireSameColumns(human:synthetic:)``).
    static func matchedColumns(human: LabeledFeatures, synthetic: LabeledFeatures) throws -> CategoricalFeatures {
        if !human.featureNamesArePositions, !synthetic.featureNamesArePositions {
            try ClassAlignment.requireSameColumns(human: human, synthetic: synthetic)
        }
        return try CategoricalFeatures(human: human, synthetic: synthetic)
    }

    /// Feature columns the learners see (numeric columns and levels).
    public var width: Int { training.columns }

    /// What the report says about rows encoded as all zeros, one sentence
    /// per column and set: the synthetic set's (`synthetic` true) or the
    /// human test rows'.
    public func unseenCategoryNotes(synthetic: Bool) -> [String] {
        categoricalColumns.compactMap { c in
            let (rows, categories, total) = synthetic
                ? (c.unseenSyntheticRows, c.unseenSyntheticCategories, self.synthetic.rows)
                : (c.unseenTestRows, c.unseenTestCategories, test.rows)
            guard rows > 0 else { return nil }
            let whose = synthetic ? "rows" : "held-out test rows"
            return "column \"\(c.name)\": \(rows) of \(total) \(whose) in \(categories.count == 1 ? "a category" : "categories") the human training rows do not have (\(NameList.describe(categories.map { "\"\($0)\"" }))), encoded as all zeros for the learners"
        }
    }
}
