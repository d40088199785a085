import Foundation
import Synth
import SynthctlCore

/// A human set given as two parts, a training part and a holdout (what
/// `synthctl split` writes), joined into one set with the split that
/// `compare` then uses instead of drawing its own: the training rows come
/// first, the holdout's after them.
///
/// The holdout's columns meet the training part's by name (in any order;
/// `.npy` columns, which have no names, by position), and its classes by
/// name: a class only the holdout has is added after the training part's
/// classes.
public struct GivenHoldout: Sendable {
    /// The two parts as one set: training rows, then holdout rows.
    public let joined: LabeledFeatures
    /// Rows of ``joined`` in each part (ascending).
    public let train: [Int]
    public let holdout: [Int]
    public let trainSource: String
    public let holdoutSource: String
    /// Holdout rows that repeat a training row exactly (numeric values by
    /// their float32 bits, categories by name, and class): 0 for
    /// `synthctl split`'s parts of a table without repeated rows. Some
    /// are expected on data whose rows repeat; many mean the holdout
    /// holds the training rows (the whole human set given as the holdout
    /// of its own training part), which makes every held-out number
    /// optimistic, so `compare` says the count in a note.
    public let holdoutRowsInTraining: Int

    /// Errors: ``PartColumnTypeError`` when a column is categorical in one
    /// part and numeric in the other; ``TimeColumnMismatch`` when it holds
    /// times of another kind in each; the holdout's columns differ from the
    /// training part's (one line naming those only one part has), or a part
    /// has no features; every holdout row repeats a training row
    /// (``holdoutRowsInTraining``): the same file given twice, or a copy,
    /// which read as a holdout scored the baseline against copies of the
    /// training rows (coverage 0.96, median DCR 0) with no word.
    public init(train t: LabeledFeatures, holdout h: LabeledFeatures) throws {
        guard let tx = t.features, let hx = h.features else {
            throw InputError(file: t.features == nil ? t.source : h.source, expected: "feature columns", found: "labels only")
        }
        // Every feature column the user sees, numeric and categorical, by name (`.npy` columns, positions, below).
        if !t.featureNamesArePositions, !h.featureNamesArePositions {
            let trainColumns = t.featureNames + t.categoricalColumns.map(\.name), holdoutColumns = h.featureNames + h.categoricalColumns.map(\.name)
            let inTrain = Set(trainColumns), inHoldout = Set(holdoutColumns)
            let missing = trainColumns.filter { !inHoldout.contains($0) }, extra = holdoutColumns.filter { !inTrain.contains($0) }
            if !missing.isEmpty || !extra.isEmpty {
                throw InputError(file: h.source, expected: "the columns of the training part \(t.source) (\(trainColumns.count))",
                                 found: "\(holdoutColumns.count) columns" + (missing.isEmpty ? "" : "; \(Self.noColumn(missing))")
                                    + (extra.isEmpty ? "" : "; not in the training part: \(Self.quoted(extra))"))
            }
        }
        let trainCategorical = Set(t.categoricalColumns.map(\.name)), holdoutCategorical = Set(h.categoricalColumns.map(\.name))
        let categoricalInTraining = h.featureNames.filter { trainCategorical.contains($0) }
        let numericInTraining = t.featureNames.filter { holdoutCategorical.contains($0) }
        if !categoricalInTraining.isEmpty || !numericInTraining.isEmpty {
            throw PartColumnTypeError(file: h.source, trainingPart: t.source, categoricalInTraining: categoricalInTraining, numericInTraining: numericInTraining)
        }
        if let refusal = TimeColumnMismatch.refusal(reference: t, other: h, role: "the training part") { throw refusal }
        var order = Array(0..<hx.columns)
        if t.featureNames != h.featureNames || tx.columns != hx.columns {
            let at = Dictionary(h.featureNames.enumerated().map { ($1, $0) }) { first, _ in first }
            let missing = t.featureNames.filter { at[$0] == nil }, extra = h.featureNames.filter { !Set(t.featureNames).contains($0) }
            guard !t.featureNamesArePositions, !h.featureNamesArePositions, missing.isEmpty, extra.isEmpty, tx.columns == hx.columns else {
                throw InputError(file: h.source, expected: "the columns of the training part \(t.source) (\(tx.columns))",
                                 found: "\(hx.columns) columns" + (missing.isEmpty ? "" : "; missing \(NameList.describe(missing, noun: "columns"))")
                                    + (extra.isEmpty ? "" : "; not in the training part: \(NameList.describe(extra, noun: "columns"))"))
            }
            order = t.featureNames.map { at[$0]! }
        }
        var classNames = t.classNames
        var id = Dictionary(classNames.enumerated().map { ($1, Int32($0)) }) { first, _ in first }
        let remap = h.classNames.map { name -> Int32 in
            if let known = id[name] { return known }
            classNames.append(name)
            id[name] = Int32(classNames.count - 1)
            return Int32(classNames.count - 1)
        }
        var storage = tx.storage
        storage.reserveCapacity(storage.count + hx.rows * tx.columns)
        for r in 0..<hx.rows { for c in order { storage.append(hx.storage[r * hx.columns + c]) } }
        var joined = LabeledFeatures(source: t.source, features: Matrix(rows: tx.rows + hx.rows, columns: tx.columns, storage: storage),
                                     featureNames: t.featureNames, labels: t.labels + h.labels.map { remap[Int($0)] }, classNames: classNames,
                                     droppedRows: t.droppedRows + h.droppedRows, excludedColumns: t.excludedColumns,
                                     featureNamesArePositions: t.featureNamesArePositions)
        joined.schema = t.schema
        joined.labelsAreBareIDs = t.labelsAreBareIDs && h.labelsAreBareIDs
        joined.categoricalColumns = try Self.joinedCategoricalColumns(t, h)
        self.joined = joined
        self.train = Array(0..<tx.rows)
        self.holdout = Array(tx.rows..<(tx.rows + hx.rows))
        self.trainSource = t.source
        self.holdoutSource = h.source
        holdoutRowsInTraining = Self.rowsRepeating(joined, trainRows: tx.rows)
        if hx.rows > 0 && holdoutRowsInTraining == hx.rows {
            throw InputError(file: h.source, expected: "a holdout of rows the training part \(t.source) does not hold",
                             found: "all \(hx.rows) of its rows in it (synthctl split's parts share none)")
        }
    }

    /// How many of `joined`'s rows after the first `trainRows` (the
    /// holdout) hash as one of the first `trainRows` (the training part):
    /// ``FittedRowsFingerprint``'s 52-bit row hash, the one `fit` records,
    /// so two rows that differ collide with probability 2⁻⁵² per pair.
    static func rowsRepeating(_ joined: LabeledFeatures, trainRows: Int) -> Int {
        guard let x = joined.features else { return 0 }
        let rows = FittedRowsFingerprint.TypedRows(numeric: x, categorical: joined.categoricalColumns.map { ($0.categories, $0.codes) })
        let hashes = FittedRowsFingerprint.rowHashes(rows, labels: joined.labels, classNames: joined.classNames)
        let training = Set(hashes[..<trainRows])
        return hashes[trainRows...].reduce(0) { $0 + (training.contains($1) ? 1 : 0) }
    }

    /// `no column "region"`, or `no columns "a", "b"`: what a part lacks, as the user reads it.
    static func noColumn(_ names: [String]) -> String {
        (names.count == 1 ? "no column " : "no columns ") + quoted(names)
    }

    /// `"a", "b"` (the first few, then how many: ``NameList``).
    static func quoted(_ names: [String]) -> String {
        NameList.describe(names.map { "\"\($0)\"" }, noun: "columns")
    }

    /// The two parts' categorical columns as one, matched by name: the
    /// training part's categories first, then those only the holdout has;
    /// each part's codes re-pointed at that list. Errors: a categorical
    /// column only one part has (one line naming it).
    static func joinedCategoricalColumns(_ t: LabeledFeatures, _ h: LabeledFeatures) throws -> [CategoricalColumn] {
        let holdoutColumns = Dictionary(h.categoricalColumns.map { ($0.name, $0) }) { first, _ in first }
        let trainNames = Set(t.categoricalColumns.map(\.name))
        let onlyHoldout = h.categoricalColumns.map(\.name).filter { !trainNames.contains($0) }
        let onlyTrain = t.categoricalColumns.map(\.name).filter { holdoutColumns[$0] == nil }
        guard onlyHoldout.isEmpty, onlyTrain.isEmpty else {
            throw InputError(file: h.source, expected: "the categorical columns of the training part \(t.source)",
                             found: (onlyTrain.isEmpty ? "" : noColumn(onlyTrain))
                                + (onlyTrain.isEmpty || onlyHoldout.isEmpty ? "" : "; ")
                                + (onlyHoldout.isEmpty ? "" : "not in the training part: \(quoted(onlyHoldout))"))
        }
        return t.categoricalColumns.map { train in
            let holdout = holdoutColumns[train.name]!
            var categories = train.categories
            var code = Dictionary(categories.enumerated().map { ($1, Int32($0)) }) { first, _ in first }
            let remap = holdout.categories.map { value -> Int32 in
                if let known = code[value] { return known }
                categories.append(value)
                code[value] = Int32(categories.count - 1)
                return Int32(categories.count - 1)
            }
            let codes = train.codes + holdout.codes.map { $0 < 0 ? $0 : remap[Int($0)] }
            return CategoricalColumn(name: train.name, categories: categories, codes: codes)
        }
    }
}
