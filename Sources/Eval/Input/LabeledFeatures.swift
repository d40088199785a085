import Foundation
import Synth
import SynthctlCore

/// A labeled set to check for label issues: one label per row and, unless
/// the user brings predicted probabilities, the feature matrix to train
/// the out-of-sample model on. Synthetic sets also bring the truth (true
/// labels and the noise matrix), which lets the report say how well the
/// flagged items match the real errors.
///
/// Read from a synthctl dataset directory, from `.npy` files
/// (`--features X.npy --labels y.npy`), or from one table (CSV or JSON
/// Lines) with a label column.
public struct LabeledFeatures: Sendable {
    public let source: String
    /// N × D, or nil when only labels were given.
    public let features: Matrix?
    public let featureNames: [String]
    /// Class ids 0..<classNames.count, one per row.
    public let labels: [Int32]
    public let classNames: [String]
    /// True class ids (synthetic sets), or nil.
    public let truth: [Int32]?
    /// The generator's P(given | true), indexed [true][given], or nil.
    public let trueNoiseMatrix: [[Double]]?
    /// Rows of the file left out because a label, true label or feature was
    /// missing (read with `dropMissing`).
    public let droppedRows: Int
    /// The file's row (0-based, header excluded) of each row kept, when some
    /// were dropped; nil when row i is the file's row i. Reports that name
    /// rows name the file's.
    public let fileRows: [Int]?
    /// Columns left out of the default features although no option named
    /// them: pandas' index (`Unnamed: 0`, `__index_level_0__`).
    public let excludedColumns: [String]
    /// True when the feature names are only positions (`x0`, `x1`, … for a
    /// `.npy` matrix), so another set's columns are matched by position;
    /// false when they come from a table's header, and are matched by name.
    public let featureNamesArePositions: Bool
    /// What reading left out of the file besides rows, in words (an empty
    /// last column from trailing delimiters), for the report's notes.
    public internal(set) var readingNotes: [String] = []

    /// How text columns were embedded, when by a model: `report` names the
    /// model (the JSON report's note), `summary` adds what varies from run
    /// to run (vectors taken from the embedding cache), for the text
    /// summary only, so that the report stays the same bytes.
    package var embeddingNote: (report: String, summary: String)?
    /// True when the labels are integer ids that nothing names (no declared
    /// class names, ``ClassNaming``): matched with a set whose classes have
    /// names they would share none, so that meeting is refused.
    public internal(set) var labelsAreBareIDs = false
    /// The files whose missing values dropped rows (with `dropMissing`),
    /// when the set was read from several `.npy` files (`labels.npy` and
    /// `features.npy`): a note about dropped rows names these, not the
    /// file the set is called by. Empty for a table or a directory, whose
    /// own name is the file to name.
    public internal(set) var missingValueSources: [String] = []
    /// The columns read, with their types and missing cells (see
    /// ``ColumnType`` for how each type is decided): for a table, its label,
    /// true label and feature columns in the file's order; for `.npy` files
    /// and dataset directories, the features (numeric) and the label
    /// (categorical, its class names). Reports record it.
    public internal(set) var schema: TableSchema? = nil
    /// Feature columns of a table that are categorical (by their type, or
    /// `ColumnTypeOverrides`): carried, not in ``features``, for the
    /// commands that encode them; the others refuse them
    /// (``requireNumericFeatures()``).
    public internal(set) var categoricalColumns: [CategoricalColumn] = []

    /// Refuses a set that carries categorical feature columns, naming them
    /// (``CategoricalFeaturesError``): for a computation on numbers only.
    public func requireNumericFeatures() throws {
        guard categoricalColumns.isEmpty else {
            var error = CategoricalFeaturesError(file: source, columns: categoricalColumns.map(\.name),
                                                 numberColumns: categoricalColumns.filter { $0.categories.allSatisfy { LabelOrder.decimalValue($0) != nil } }.map(\.name))
            error.listColumns = categoricalColumns.filter { !$0.categories.isEmpty && $0.categories.allSatisfy(NumberListText.isNumberList) }.map(\.name)
            throw error
        }
    }

    /// Copies what reading adds beside the initializer's fields.
    func carryingReadingFields(into out: LabeledFeatures) -> LabeledFeatures {
        var out = out
        out.readingNotes = readingNotes
        out.missingValueSources = missingValueSources
        out.schema = schema
        out.categoricalColumns = categoricalColumns
        out.labelsAreBareIDs = labelsAreBareIDs
        return out
    }

    /// The schema of a set read from `.npy` arrays: float32 features
    /// (numeric) and the label (categorical, its class names); missing
    /// cells counted when none was (nothing dropped), else left out.
    func npySchema() -> TableSchema {
        let missing: Int? = droppedRows == 0 ? 0 : nil
        return TableSchema(columns: featureNames.map { TableSchema.Column(name: $0, type: .numeric, missing: missing) }
            + [TableSchema.Column(name: "label", type: .categorical(categories: classNames), missing: missing)])
    }

    /// ``npySchema()`` with the date and timestamp feature columns that
    /// `stated` (a dataset manifest's schema: `gen --model` records a fitted
    /// model's times) says, with their units: `features.npy` holds their
    /// days and seconds, and a table read of the same columns says they are
    /// times (``TimeColumnMismatch`` compares the two).
    func npySchema(timesFrom stated: TableSchema?) -> TableSchema {
        var schema = npySchema()
        guard let stated else { return schema }
        for k in schema.columns.indices.dropLast() {  // the last is the label
            guard let c = stated[schema.columns[k].name], c.type == .date || c.type == .timestamp else { continue }
            schema.columns[k].type = c.type
            schema.columns[k].statedUnit = c.statedUnit
        }
        return schema
    }

    /// ``npySchema()`` with the feature columns as table `typed` (a read
    /// of the dataset's table) lists them, in its order, with their types:
    /// numeric, integer, boolean, or categorical with the categories of
    /// `categoricalColumns` (the stacked parts'); missing cells counted as
    /// ``npySchema()`` counts them. Without `typed`, ``npySchema()``.
    func npySchema(typed: TableSchema?, categoricalColumns: [CategoricalColumn]) -> TableSchema {
        let plain = npySchema()
        guard let typed else { return plain }
        let missing: Int? = droppedRows == 0 ? 0 : nil
        let features = typed.columns.filter { $0.name != "label" && $0.name != "true_label" }.map { column in
            var column = column
            column.missing = missing
            if let carried = categoricalColumns.first(where: { $0.name.utf8.elementsEqual(column.name.utf8) }) {
                column.type = .categorical(categories: carried.categories)
            }
            return column
        }
        return TableSchema(columns: features + [plain.columns.last!])
    }

    public init(source: String, features: Matrix?, featureNames: [String], labels: [Int32], classNames: [String],
                truth: [Int32]? = nil, trueNoiseMatrix: [[Double]]? = nil, droppedRows: Int = 0,
                excludedColumns: [String] = [], fileRows: [Int]? = nil, featureNamesArePositions: Bool = false) {
        self.source = source
        self.features = features
        self.featureNames = featureNames
        self.labels = labels
        self.classNames = classNames
        self.truth = truth
        self.trueNoiseMatrix = trueNoiseMatrix
        self.droppedRows = droppedRows
        self.excludedColumns = excludedColumns
        self.fileRows = fileRows
        self.featureNamesArePositions = featureNamesArePositions
    }

    public var rows: Int { labels.count }
    public var classCount: Int { classNames.count }

    /// The columns synthctl's own tables carry besides features and the label
    /// (a Parquet table of class names has the ids beside them).
    static let reservedColumns: Set<String> = ["true_label", "noisy", "label_id", "true_label_id"]

    /// A synthctl dataset directory: `features.npy`, `labels.npy`, and when
    /// present `true_labels.npy` and the manifest's class names, feature
    /// names and noise matrix (``DatasetManifest``); or a table or sharded
    /// Parquet directory (``DatasetDirectory``), read as
    /// ``read(tables:dropMissing:probabilityColumns:)`` says.
    ///
    /// Label ids index the manifest's class names when it has a name for
    /// each; otherwise classes are the distinct ids of the labels and true
    /// labels (see ``ClassIds``). With `probabilityColumns` (the columns of
    /// the user's predicted probabilities) the ids are those columns instead.
    /// The feature columns take the manifest's `feature_names` when it has
    /// one per column, so that a table's columns meet them by name
    /// (``ClassAlignment``); without, they are positions. With
    /// `dropMissing`, rows whose features, label or true label hold NaN are
    /// left out and counted. Every file read that the manifest lists must
    /// be there (``IncompleteDatasetError``) and have the SHA-256 it lists
    /// (``ListedFileDigests``, hashed while read).
    ///
    /// `featureColumns` chooses the features by name, in that order, as a
    /// table's reader does (nil: every feature column): a table directory's
    /// tables are read with them, a `.npy` directory's `features.npy`
    /// columns are picked by the manifest's feature names (``selectingFeatures(_:)``).
    public static func read(datasetDirectory dir: String, dropMissing: Bool = false,
                            probabilityColumns: (count: Int, source: String)? = nil,
                            featureColumns: [String]? = nil) throws -> LabeledFeatures {
        try read(datasetDirectory: DatasetDirectory(dir), dropMissing: dropMissing, probabilityColumns: probabilityColumns,
                 featureColumns: featureColumns)
    }

    /// The labeled set of `directory`, as ``read(datasetDirectory:dropMissing:probabilityColumns:featureColumns:)``
    /// says; a file `directory` has checked for an earlier reader (the
    /// annotations' `true_labels.npy`) is not hashed again.
    public static func read(datasetDirectory directory: DatasetDirectory, dropMissing: Bool = false,
                            probabilityColumns: (count: Int, source: String)? = nil,
                            featureColumns: [String]? = nil) throws -> LabeledFeatures {
        if directory.isTable {
            return try read(tables: directory, dropMissing: dropMissing, probabilityColumns: probabilityColumns, featureColumns: featureColumns)
        }
        if let why = directory.npyWithoutClassLabels { throw why }
        let dir = directory.path
        let base = URL(fileURLWithPath: dir)
        let truthPath = base.appendingPathComponent("true_labels.npy").path
        let manifest = directory.manifest
        let set = try ListedFileDigests(["features.npy", "labels.npy", "true_labels.npy"], in: dir, manifest: manifest,
                                        verified: directory.verified).reading {
            try read(features: base.appendingPathComponent("features.npy").path, labels: base.appendingPathComponent("labels.npy").path,
                     truth: FileManager.default.fileExists(atPath: truthPath) ? truthPath : nil,
                     dropMissing: dropMissing, probabilityColumns: probabilityColumns,
                     classManifest: manifest, featureManifest: manifest)
        }
        var out = LabeledFeatures(source: dir, features: set.features, featureNames: set.featureNames, labels: set.labels,
                                  classNames: set.classNames, truth: set.truth,
                                  trueNoiseMatrix: manifest?.noiseMatrix.flatMap { $0.count == set.classNames.count ? $0 : nil },
                                  droppedRows: set.droppedRows, fileRows: set.fileRows, featureNamesArePositions: set.featureNamesArePositions)
        out.readingNotes = set.readingNotes
        if let featureColumns { out = try out.selectingFeatures(featureColumns) }
        out.schema = out.features == nil ? nil : out.npySchema(timesFrom: try? manifest?.schema())
        return out
    }

    /// The set with only the feature columns `names`, in that order (a
    /// `.npy` directory's, named by its manifest, or `x0`, `x1`, … without
    /// names). Errors: one line naming the set, as a table's reader words
    /// them: a name given twice, or no such column.
    func selectingFeatures(_ names: [String]) throws -> LabeledFeatures {
        guard let x = features else { throw InputError(file: source, expected: "feature columns", found: "labels only") }
        var seen = Set<String>()
        let picked = try names.map { name -> Int in
            guard seen.insert(name).inserted else {
                throw InputError(file: source, expected: "each feature column once", found: "\"\(name)\" twice among the feature columns")
            }
            guard let c = featureNames.firstIndex(where: { $0.utf8.elementsEqual(name.utf8) }) else {
                throw InputError(file: source, expected: "a feature column \"\(name)\"", found: "columns \(NameList.columns(featureNames))")
            }
            return c
        }
        var storage = [Float]()
        storage.reserveCapacity(x.rows * picked.count)
        for r in 0..<x.rows { for c in picked { storage.append(x.storage[r * x.columns + c]) } }
        return carryingReadingFields(into: LabeledFeatures(
            source: source, features: Matrix(rows: x.rows, columns: picked.count, storage: storage), featureNames: picked.map { featureNames[$0] },
            labels: labels, classNames: classNames, truth: truth, trueNoiseMatrix: trueNoiseMatrix, droppedRows: droppedRows,
            excludedColumns: excludedColumns, fileRows: fileRows, featureNamesArePositions: featureNamesArePositions))
    }

    /// Features from an N × D `.npy` (optional) and labels from an N `.npy`
    /// of class ids. NaN in the features or a label is a missing value:
    /// refused (``MissingValueError``), or with `dropMissing` its row is left
    /// out and counted (and ``missingValueSources`` names the files that held it).
    ///
    /// Classes are the distinct ids present, named by their ids (see
    /// ``ClassIds``: one label 999999 is one class "999999"; a bool array's
    /// are `false` and `true`, as a table spells booleans). With
    /// `probabilityColumns` (the columns of the user's predicted
    /// probabilities) the ids are those columns: classes "0"…"K−1", and an id
    /// of K or more is bad input.
    ///
    /// A file that sits in a synthctl dataset directory whose manifest lists
    /// it with the SHA-256 it has (``DatasetManifest/vouching(for:)``) is
    /// named as the directory names it: `labels.npy` (or `true_labels.npy`)
    /// by the manifest's class names, `features.npy` by its feature names,
    /// so that `--labels d/labels.npy` gives the classes reading `d` gives.
    public static func read(features featuresPath: String?, labels labelsPath: String, dropMissing: Bool = false,
                            probabilityColumns: (count: Int, source: String)? = nil) throws -> LabeledFeatures {
        try read(features: featuresPath, labels: labelsPath, truth: nil, dropMissing: dropMissing,
                 probabilityColumns: probabilityColumns,
                 classManifest: try DatasetManifest.vouching(for: labelsPath, named: ["labels.npy", "true_labels.npy"]),
                 featureManifest: try featuresPath.flatMap { try DatasetManifest.vouching(for: $0, named: ["features.npy"]) })
    }

    /// Labels, optional features and optional true labels, row by row, with
    /// the rows that miss a value in any of them dropped together. Class
    /// names come from `classManifest` when it names every id, feature
    /// names from `featureManifest` when it names every column.
    static func read(features featuresPath: String?, labels labelsPath: String, truth truthPath: String?, dropMissing: Bool,
                     probabilityColumns: (count: Int, source: String)?,
                     classManifest: DatasetManifest?, featureManifest: DatasetManifest?) throws -> LabeledFeatures {
        let labelArray = try NpyArray(path: labelsPath)
        var (labels, missing) = try integerLabels(labelArray, path: labelsPath, dropMissing: dropMissing)
        guard !labels.isEmpty else { throw InputError(file: labelsPath, expected: "at least one label", found: "none") }
        var missingSources = missing.isEmpty ? [String]() : [labelsPath]
        let fileRowCount = labels.count
        var matrix: Matrix? = nil
        if let featuresPath {
            let (x, missingFeatures) = try features(npy: featuresPath, dropMissing: dropMissing)
            guard x.rows == fileRowCount else {
                throw InputError(file: featuresPath, expected: "\(fileRowCount) rows (one per label in \(labelsPath))", found: "\(x.rows)")
            }
            matrix = x
            missing.formUnion(missingFeatures)
            if !missingFeatures.isEmpty { missingSources.append(featuresPath) }
        }
        var truth: [Int32]? = nil
        if let truthPath {
            let (t, missingTruth) = try integerLabels(NpyArray(path: truthPath), path: truthPath, dropMissing: dropMissing)
            guard t.count == fileRowCount else {
                throw InputError(file: truthPath, expected: "\(fileRowCount) true labels (one per row of \(URL(fileURLWithPath: labelsPath).lastPathComponent))",
                                 found: "\(t.count)")
            }
            truth = t
            missing.formUnion(missingTruth)
            if !missingTruth.isEmpty { missingSources.append(truthPath) }
        }
        if let probabilityColumns {
            for (ids, path) in [(labels, labelsPath), (truth ?? [], truthPath ?? "")] {
                if let bad = ids.indices.first(where: { !missing.contains($0) && Int(ids[$0]) >= probabilityColumns.count }) {
                    throw InputError(file: path, row: bad, expected: "a class id below \(probabilityColumns.count) (the columns of \(probabilityColumns.source))",
                                     found: "\(ids[bad])")
                }
            }
        }
        var keptRows: [Int]? = nil
        if !missing.isEmpty {
            let kept = (0..<fileRowCount).filter { !missing.contains($0) }
            guard !kept.isEmpty else {
                throw InputError(file: featuresPath ?? labelsPath, expected: "at least one row without a missing value",
                                 found: "none (\(fileRowCount) rows dropped)")
            }
            matrix = matrix?.gatheringRows(kept)
            labels = kept.map { labels[$0] }
            truth = truth.map { t in kept.map { t[$0] } }
            keptRows = kept
        }
        let names: [String]
        var bareIDs = false  // ids no manifest names
        let top = max(labels.max() ?? 0, truth?.max() ?? 0)
        if let probabilityColumns {
            names = classManifest?.classNames.flatMap { $0.count == probabilityColumns.count ? $0 : nil }
                ?? (0..<probabilityColumns.count).map(String.init)
        } else if let given = classManifest?.classNames, given.count > Int(top) {
            names = given
        } else {
            let classes = ClassIds([labels] + (truth.map { [$0] } ?? []))
            labels = labels.map { classes($0) }
            truth = truth.map { $0.map { classes($0) } }
            // A bool array's classes are spelled as a table's booleans are.
            names = labelArray.descr == "|b1" ? classes.ids.map { $0 == 0 ? "false" : "true" } : classes.names
            bareIDs = labelArray.descr != "|b1"
        }
        let columns = matrix?.columns ?? 0
        let givenNames = featureManifest?.featureNames.flatMap { $0.count == columns && columns > 0 ? $0 : nil }
        var out = LabeledFeatures(source: labelsPath, features: matrix,
                                  featureNames: givenNames ?? (0..<columns).map { "x\($0)" }, labels: labels,
                                  classNames: names, truth: truth, trueNoiseMatrix: nil, droppedRows: fileRowCount - labels.count,
                                  fileRows: keptRows, featureNamesArePositions: givenNames == nil)
        out.missingValueSources = missingSources
        out.labelsAreBareIDs = bareIDs
        // Without features (`--labels` with `--pred-probs`) the schema is the label's alone.
        out.schema = out.npySchema()
        return out
    }

    /// The same set under another name (for messages and reports).
    public func named(_ source: String) -> LabeledFeatures {
        carryingReadingFields(into: LabeledFeatures(
            source: source, features: features, featureNames: featureNames, labels: labels,
            classNames: classNames, truth: truth, trueNoiseMatrix: trueNoiseMatrix, droppedRows: droppedRows,
            excludedColumns: excludedColumns, fileRows: fileRows, featureNamesArePositions: featureNamesArePositions))
    }

    /// The same set with other class names (as many as the ids need, or
    /// more: classes no row is given), everything else kept.
    public func withClassNames(_ names: [String]) -> LabeledFeatures {
        var out = carryingReadingFields(into: LabeledFeatures(
            source: source, features: features, featureNames: featureNames, labels: labels,
            classNames: names, truth: truth, trueNoiseMatrix: trueNoiseMatrix, droppedRows: droppedRows,
            excludedColumns: excludedColumns, fileRows: fileRows, featureNamesArePositions: featureNamesArePositions))
        if names != classNames { out.labelsAreBareIDs = false }
        // The label's (and true label's) categories are the class names.
        if var schema = out.schema {
            for i in schema.columns.indices where schema.columns[i].type == .categorical(categories: classNames) {
                schema.columns[i].type = .categorical(categories: names)
            }
            out.schema = schema
        }
        return out
    }

    /// An N × D `.npy` of finite numbers within float32's range, as float32.
    public static func features(npy path: String) throws -> Matrix {
        try features(npy: path, dropMissing: false).matrix
    }

    /// An N × D `.npy` as float32, and the rows holding NaN when
    /// `dropMissing` (otherwise NaN is refused). Infinities and values that
    /// float32 cannot hold (beyond ±3.4e38, which float64 files can carry)
    /// are always refused, naming the row and column.
    static func features(npy path: String, dropMissing: Bool) throws -> (matrix: Matrix, missingRows: Set<Int>) {
        let x = try NpyArray(path: path)
        guard x.shape.count == 2 else {
            throw InputError(file: path, expected: "an N × D feature matrix", found: "shape \(x.shape)")
        }
        guard x.rows > 0, x.columns > 0 else {
            throw InputError(file: path, expected: "at least one row and one feature column", found: "shape \(x.shape)")
        }
        var storage = [Float](repeating: 0, count: x.values.count), missing = Set<Int>()
        for (i, v) in x.values.enumerated() {
            let f = Float(v)
            if f.isFinite { storage[i] = f; continue }
            let at = "\(path): row \(i / x.columns), column \(i % x.columns)"
            if v.isNaN {
                if dropMissing { missing.insert(i / x.columns); continue }
                throw MissingValueError(InputError(file: path, row: i / x.columns, column: i % x.columns, expected: "a finite number", found: "nan (a missing value)"))
            }
            let (row, column) = (i / x.columns, i % x.columns)
            if !v.isFinite { throw InputError(file: path, row: row, column: column, expected: "a finite number", found: LabelText.spelling(of: v)) }
            throw InputError(file: path, row: row, column: column,
                             expected: "a number within float32's range (magnitude at most \(Float.greatestFiniteMagnitude))",
                             found: LabelText.spelling(of: v))
        }
        return (Matrix(rows: x.rows, columns: x.columns, storage: storage), missing)
    }

    /// A table with one row per item: a label column, feature columns (by
    /// default every other column except synthctl's `true_label`, `noisy`,
    /// `label_id`, `true_label_id` and `annotator_*`, and pandas' index: ``isPandasIndex(_:at:)``, and
    /// in Parquet the columns its pandas metadata names as the index, such
    /// as a named `id`), and `true_label`, when present, as the truth. Only
    /// these columns are decoded: a Parquet column of a type synthctl does
    /// not read yet blocks the run only when it would be used (as a default
    /// feature: ``UnreadableDefaultColumnError``).
    /// CSV, TSV (`.tsv`, `.tab`), JSON Lines (`.jsonl`, `.ndjson`) or Parquet
    /// (`.parquet`, `.pq`).
    ///
    /// Labels may be any strings or numbers, spelled canonically
    /// (``LabelText``: ` 1`, `1.0` and `01` are class `1`), and are one
    /// class only when their bytes are equal (``ExactText``: "café" in NFC
    /// and in NFD are two, as in pandas). Classes are numbered in
    /// `labelOrder` when given (every label must be in it, once; labels it
    /// lists that no row uses are classes never given), otherwise in numeric
    /// order when every label is a number, byte order otherwise
    /// (``LabelOrder``). Features must be finite numbers within float32's
    /// range. Missing values (``TableCell``: empty cells, `NA`, `nan`,
    /// `null`, …) are refused naming the row and column
    /// (``MissingValueError``), or with `dropMissing` their rows are left
    /// out and counted (``droppedRows``, ``fileRows``). Every column used
    /// must be named once in the header.
    /// `format` overrides how the table's format is decided (see ``TableFormat``).
    ///
    /// Each column read gets a type (``ColumnType``: from Parquet's types, by
    /// content for text), or the one `types` gives; ``schema`` records them
    /// with their missing cells. Categorical feature columns are not read as
    /// numbers but carried (``categoricalColumns``); a value that cannot be
    /// the type `types` gives it (`1.5` as an integer, text as a number) is
    /// refused naming its row and column, and so is a name `types` gives
    /// that is no column.
    ///
    /// With `probabilityColumns` (the K columns of the user's predicted
    /// probabilities) the classes are those columns, matched by value, never
    /// by position among the labels present:
    /// - with `labelOrder`, its i-th label is column i (it must list K labels);
    /// - when every label is an integer, label k is column k (cleanlab's
    ///   convention; a label outside 0..<K is refused naming its row), so
    ///   labels {0, 2} against three columns leave column 1 a class never given;
    /// - otherwise the labels, in class order, are the columns, which needs
    ///   exactly K distinct labels: anything else is refused, since no rule
    ///   would say which column is which label. The order used is said in
    ///   ``readingNotes`` (cleanlab's: the labels sorted); labels that are
    ///   numbers among text labels that sort otherwise as text are refused
    ///   (``requirePlainOrder(_:path:columns:)``): `--label-order` says.
    ///
    /// Integer labels whose names the file declares (``DeclaredClassNames``:
    /// a Parquet footer's `synthctl.class_names` or Hugging Face `ClassLabel`,
    /// or a synthctl manifest beside the file) are class ids: id i is the
    /// i-th name, every name is a class, and an id with no name is refused
    /// naming its row. With `labelOrder` they are matched by the order when
    /// it lists any of them (else the ids are); with
    /// `probabilityColumns`, only when there is one per column.
    ///
    /// `progress` hears how far reading has come, as one stage `reading
    /// <path>` (``ReadProgress``: the file's bytes in 8 MiB pieces, or
    /// Parquet's column chunks); it never changes the result.
    public static func read(table path: String, labelColumn: String, featureColumns: [String]? = nil,
                            dropMissing: Bool = false, format: TableFormat? = nil,
                            probabilityColumns: (count: Int, source: String)? = nil,
                            labelOrder: [String]? = nil, types: ColumnTypeOverrides = .none,
                            progress: WorkProgress = .silent) throws -> LabeledFeatures {
        var opened = try TableSource(path, format: format, progress: progress)
        let header = opened.header
        // Columns by name, bytewise: one pass, so a table of 200,000
        // columns is checked in linear time.
        var columnsNamed = [ExactText: [Int]]()
        for (c, name) in header.enumerated() { columnsNamed[ExactText(name), default: []].append(c) }
        /// The one column called `name`, or nil; two are ambiguous.
        func column(_ name: String, _ role: String) throws -> Int? {
            let at = columnsNamed[ExactText(name)] ?? []
            guard at.count <= 1 else {
                throw InputError(file: path, expected: "one column named \"\(name)\" (the \(role))",
                                 found: "\(at.count): columns \(NameList.describe(at.map { String($0 + 1) }, separator: " and "))")
            }
            return at.first
        }
        // A table synthctl wrote is read by its own label column when the
        // one asked for (the human table's `y`) is not among its columns.
        var labelColumn = labelColumn, labelNote: String? = nil
        if columnsNamed[ExactText(labelColumn)] == nil, let declared = try DeclaredLabelColumn.of(opened, path: path) {
            labelNote = declared.note(asked: labelColumn)
            labelColumn = declared.name
        }
        guard let lc = try column(labelColumn, "label column") else {
            throw OneColumnHeaderError.refusing(InputError(file: path, expected: "a label column \"\(labelColumn)\"", found: "columns \(NameList.columns(header))"), header: header)
        }
        let tc = try column("true_label", "true labels")
        let chosen: [Int]
        var excluded = [String]()
        if let featureColumns {
            var seen = Set<ExactText>()
            chosen = try featureColumns.map { name in
                guard seen.insert(ExactText(name)).inserted else {
                    throw InputError(file: path, expected: "each feature column once", found: "\"\(name)\" twice among the feature columns")
                }
                guard !name.utf8.elementsEqual(labelColumn.utf8) else {
                    throw InputError(file: path, expected: "feature columns other than the label column",
                                     found: "\"\(name)\" among the feature columns")
                }
                guard let c = try column(name, "feature column") else {
                    throw OneColumnHeaderError.refusing(InputError(file: path, expected: "a feature column \"\(name)\"", found: "columns \(NameList.columns(header))"), header: header)
                }
                return c
            }
        } else {
            let index = Set(opened.indexColumns.map(ExactText.init))
            chosen = try header.indices.filter { c in
                guard c != lc, !reservedColumns.contains(header[c]), !header[c].hasPrefix("annotator_") else { return false }
                if isPandasIndex(header[c], at: c) || index.contains(ExactText(header[c])) { excluded.append(header[c]); return false }
                _ = try column(header[c], "feature column")
                // A column no option named that cannot be read: the user may choose the features.
                if let why = opened.unsupported(c) { throw UnreadableDefaultColumnError(why) }
                return true
            }
        }
        guard opened.rows > 0 else { throw InputError(file: path, expected: "at least one row", found: "only the header") }
        // Only the columns used are decoded (a Parquet TIMESTAMP beside them does not block the run).
        try opened.load(columns: [lc] + (tc.map { [$0] } ?? []) + chosen)
        // A constant from here on: the cells are read through closures, and a
        // variable captured by the nested functions below would be copied out
        // of its box, every closure retained and released, at every cell.
        let table = opened
        // Column types: given (the schema, --categorical), else declared by
        // the file (Parquet), else a text column whose first value is not a
        // number is categorical (``ColumnType``). Categorical columns are
        // carried beside the features, not read as numbers.
        let given = try types.types(header: header, labelColumn: lc, path: path)
        // Dates and timestamps written as ISO 8601 text (CSV, TSV, JSON
        // Lines): given so, or every value not missing spells one.
        // `timeNotes`: those holding such text, for the run's notes.
        // `numberUnits`: the unit of the plain numbers in a column given a time
        // type: a Parquet DATE's days or TIMESTAMP's seconds, converted to the
        // type given (a timestamp floored to its day, a date its midnight),
        // else the schema's stated unit; none, and numbers are refused.
        var timeKinds = [Int: ISO8601Text.Kind](), timeNotes = [String](), numberUnits = [Int: EpochUnit]()
        for c in chosen where table.width(c) == 1 {
            let cells = (0..<table.rows).lazy.map { table.cell($0, c) }
            switch given[c] {
            case .date?: timeKinds[c] = .date
            case .timestamp?: timeKinds[c] = .timestamp(utc: cells.compactMap(\.iso8601).first?.hasOffset ?? false)
            case nil where table.declaredType(c) == nil: timeKinds[c] = TableCell.iso8601Kind(of: cells)
            default: break
            }
            if let kind = timeKinds[c], given[c] == nil || cells.contains(where: { $0.iso8601 != nil }) {
                timeNotes.append("column \"\(header[c])\": ISO 8601 \(kind == .date ? "dates" : "timestamps") read as \(kind.unit!)")
            }
            guard let kind = timeKinds[c], given[c] != nil else { continue }
            switch table.declaredType(c) {
            case .date?: numberUnits[c] = .days
            case .timestamp?: numberUnits[c] = .seconds
            default: numberUnits[c] = types.numberUnit(of: header[c])
            }
            let declared = table.declaredType(c)
            if let declared, declared == .date || declared == .timestamp, declared != given[c] {
                timeNotes.append("column \"\(header[c])\": Parquet \(declared == .date ? "dates read as timestamps at their midnight" : "timestamps read as dates (the day each falls on)") (\(kind.unit!)), the type the schema gives it")
            } else if let unit = numberUnits[c], declared != given[c],
                      cells.contains(where: { $0.iso8601 == nil && { if case .value = $0.featureValue { true } else { false } }($0) }) {
                timeNotes.append("column \"\(header[c])\": numbers in \(unit.name) since 1970-01-01 (as the schema states) read as \(kind.unit!)")
            }
        }
        func isCategorical(_ c: Int) -> Bool {
            if let type = given[c] ?? table.declaredType(c) { return !type.isNumber }
            if timeKinds[c] != nil { return false }
            guard table.width(c) == 1, let r = (0..<table.rows).first(where: {
                if case .missing = table.cell($0, c).featureValue { return false } else { return true }
            }) else { return false }
            return ColumnTypeTally.startsWithText(table.cell(r, c))
        }
        let categorical = chosen.filter(isCategorical)
        let numeric = categorical.isEmpty ? chosen : chosen.filter { [categoricalSet = Set(categorical)] in !categoricalSet.contains($0) }
        // A column holding a list of floats per row (an embedding, d wide) is
        // d features `NAME[0]` … `NAME[d-1]`; any other is one (element nil).
        let features = numeric.flatMap { c in
            table.width(c) == 1 ? [(column: c, element: Int?.none)] : (0..<table.width(c)).map { (column: c, element: Int?.some($0)) }
        }
        // Per feature, what its cells show of its type; given integer or
        // boolean types are checked value by value.
        var tallies = [ColumnTypeTally](repeating: ColumnTypeTally(), count: features.count)
        let check = features.map { given[$0.column].flatMap { $0 == .integer || $0 == .boolean ? $0 : nil } }
        // What a missing cell's message expects: a boolean column's (given, or
        // Parquet's BOOLEAN) a boolean, any other column's a number.
        let expectedValue = features.map { (given[$0.column] ?? table.declaredType($0.column)) == .boolean ? ColumnType.boolean.described : "a number" }
        let time = features.map { $0.element == nil ? timeKinds[$0.column] : nil }
        let timeUnits = features.map { numberUnits[$0.column] }
        var categoryValues = [ValueInterner](repeating: ValueInterner(), count: categorical.count)
        var categoryIds = [[Int32]](repeating: [], count: categorical.count)
        var categoryMissing = [Int](repeating: 0, count: categorical.count)
        var labelMissing = 0, truthMissing = 0
        func featureName(_ f: (column: Int, element: Int?)) -> String { f.element.map { "\(header[f.column])[\($0)]" } ?? header[f.column] }

        // Row by row: the first problem in file order is the one reported.
        // Labels and true labels are interned by their bytes.
        var labelValues = ValueInterner()
        var labels = [Int32](), truths = [Int32](), kept = [Int]()
        var estimate = MemoryEstimate()
        estimate.add("the features (\(table.rows) rows × \(features.count) columns × 4 bytes)", table.rows, features.count, 4)
        try MemoryBudget.current.check(estimate, subject: path)
        var storage = [Float]()
        labels.reserveCapacity(table.rows)
        kept.reserveCapacity(table.rows)
        storage.reserveCapacity(table.rows * features.count)
        // −1 is no label (``NoLabel``): a missing value, counted for the run's notes.
        // A stored integer −1 in a column whose ids the file names is one always.
        let declaredNames = table.declaredClassNames(header[lc])
        try NoLabel.requireClass(inOrder: labelOrder, declared: declaredNames?.names, file: path, column: header[lc])
        let noLabel = NoLabel.applies(order: labelOrder, declared: declaredNames?.names)
        var noLabelRows = 0, noTrueLabelRows = 0
        var reading = table.rowProgress(path)
        rows: for r in 0..<table.rows {
            reading.advance(row: r, of: table.rows)
            var missing: InputError? = nil
            func refusal(_ c: Int, _ expected: String, _ found: String) -> InputError {
                InputError(file: path, at: table.location(r), column: header[c], expected: expected, found: found)
            }
            func labelText(_ c: Int, _ role: String) throws -> String {
                let cell = table.cell(r, c)
                switch cell.label {
                case .value(let text) where (noLabel || (declaredNames != nil && cell.isInteger)) && NoLabel.holds(text):
                    if c == lc { labelMissing += 1; noLabelRows += 1 } else { truthMissing += 1; noTrueLabelRows += 1 }
                    if missing == nil { missing = refusal(c, role, "a missing value (\(NoLabel.described))") }
                    return ""
                case .value(let text): return text
                case .missing(let spelled):
                    if c == lc { labelMissing += 1 } else { truthMissing += 1 }
                    if missing == nil { missing = refusal(c, role, TableCell.foundMissing(spelled, column: header[c])) }
                    return ""
                case .invalid(let expected, let found): throw refusal(c, expected, found)
                }
            }
            let label = try labelText(lc, "a label")
            let truth = try tc.map { try labelText($0, "a true label") }
            let start = storage.count
            for (i, f) in features.enumerated() {
                let c = f.column
                let cell = f.element.map { table.cell(r, c, element: $0) } ?? table.cell(r, c)
                let reading = time[i].map { cell.timeValue($0, numbers: timeUnits[i]) } ?? cell.featureValue
                tallies[i].add(cell, reading)
                switch reading {
                case .value(let v):
                    // Decided on the value as written, not its float32: 123456789.5 is no integer.
                    if let type = check[i], !cell.isExactly(type) {
                        throw InputError(file: path, at: table.location(r), column: featureName(f),
                                         expected: "\(type.described) (its type in the schema)", found: cell.spelling)
                    }
                    storage.append(v)
                case .missing(let spelled):
                    if missing == nil {
                        missing = InputError(file: path, at: table.location(r), column: featureName(f),
                                             expected: expectedValue[i], found: TableCell.foundMissing(spelled, column: header[c]))
                    }
                    storage.append(0)
                case .invalid(let expected, let found):
                    throw InputError(file: path, at: table.location(r), column: featureName(f),
                                     expected: given[c].map { "\(time[i] == nil ? $0.described : expected) (its type in the schema)" } ?? expected, found: found)
                }
            }
            for (k, c) in categorical.enumerated() {
                switch table.cell(r, c).label {
                case .value(let text): categoryIds[k].append(categoryValues[k].id(of: text)!)
                case .missing(let spelled):
                    categoryMissing[k] += 1
                    categoryIds[k].append(-1)
                    if missing == nil { missing = refusal(c, "a value", TableCell.foundMissing(spelled, column: header[c])) }
                case .invalid(let expected, let found): throw refusal(c, expected, found)
                }
            }
            if let missing {
                guard dropMissing else { throw MissingValueError(missing) }
                storage.removeSubrange(start...)
                continue rows
            }
            labels.append(labelValues.id(of: label)!)
            if let truth { truths.append(labelValues.id(of: truth)!) }
            kept.append(r)
        }
        reading.finish()
        guard !kept.isEmpty else {
            throw InputError(file: path, expected: "at least one row without a missing value", found: "none (\(table.rows) rows dropped)")
        }
        // Interned id → class index, and the class names.
        // Names for integer ids: the file's own, else a manifest's beside it.
        let declared = { () throws -> DeclaredClassNames? in try DeclaredClassNames.of(table, column: header[lc], path: path) }
        let classes = try classes(of: labelValues, labels: labels, truths: tc == nil ? nil : truths, order: labelOrder,
                                  columns: probabilityColumns, declared: declared, path: path) { id in
            // The first row (in file order) whose label or true label is `id`, for messages.
            let i = labels.indices.first { labels[$0] == id || (tc != nil && truths[$0] == id) }!
            let c = labels[i] == id ? lc : tc!
            return (table.location(kept[i]), header[c])
        }
        let dropped = table.rows - kept.count
        var out = LabeledFeatures(
            source: path, features: features.isEmpty ? nil : Matrix(rows: kept.count, columns: features.count, storage: storage),
            featureNames: features.map(featureName), labels: labels.map { classes.index[Int($0)] }, classNames: classes.names,
            truth: tc == nil ? nil : truths.map { classes.index[Int($0)] }, trueNoiseMatrix: nil, droppedRows: dropped,
            excludedColumns: excluded, fileRows: dropped > 0 ? kept : nil)
        // A Parquet date or timestamp given the other time type is said once,
        // by its conversion's note, not also by the reader's unit note.
        let converted = Set(chosen.filter { c in
            guard let declared = table.declaredType(c), declared == .date || declared == .timestamp, let g = given[c] else { return false }
            return (g == .date || g == .timestamp) && g != declared
        }.map { "column \"\(header[$0])\": " })
        let readerNotes = table.notes.filter { note in !converted.contains(where: { note.hasPrefix($0) }) }
        out.readingNotes = (labelNote.map { [$0] } ?? []) + readerNotes + timeNotes
        if noLabelRows > 0 { out.readingNotes.append(NoLabel.note(noLabelRows, "row", readAs: "read as missing", declared: declaredNames?.names)) }
        if noTrueLabelRows > 0 { out.readingNotes.append(NoLabel.note(noTrueLabelRows, "row", role: "true label", readAs: "read as missing",
                                                                        declared: declaredNames?.names)) }
        out.labelsAreBareIDs = classes.bareIDs
        if classes.bareIDs, let note = DatasetManifest.unlistedNote(forTable: path) { out.readingNotes.append(note) }
        if let columns = probabilityColumns, labelOrder == nil,
           !(0..<labelValues.count).allSatisfy({ isIntegerSpelling(labelValues.name($0)) }) {
            // Text labels met the columns by their sorted order alone: say which.
            out.readingNotes.append(impliedOrderNote(classes.names, columns: columns))
        }
        // Categorical columns: codes of the rows kept, in their categories' order.
        var categoriesOf = [Int: [String]]()
        for (k, c) in categorical.enumerated() {
            let ranked = categoryValues[k].orderedRanks()
            // One id per row of the file; the rows kept keep theirs.
            let codes = dropped > 0 ? kept.map { categoryIds[k][$0] } : categoryIds[k]
            out.categoricalColumns.append(CategoricalColumn(name: header[c], categories: ranked.names,
                                                            codes: codes.map { $0 < 0 ? -1 : ranked.rank[Int($0)] }))
            categoriesOf[c] = ranked.names
        }
        var tallyOf = [Int: ColumnTypeTally]()
        for (i, f) in features.enumerated() {
            var t = tallyOf[f.column] ?? ColumnTypeTally()
            t.missing += tallies[i].missing
            if f.element == nil { t = tallies[i] }
            tallyOf[f.column] = t
        }
        let labelType = ColumnType.categorical(categories: classes.names)
        out.schema = TableSchema(columns: ([lc] + (tc.map { [$0] } ?? []) + chosen).sorted().map { c in
            if c == lc { return .init(name: header[c], type: labelType, missing: labelMissing) }
            if c == tc { return .init(name: header[c], type: labelType, missing: truthMissing) }
            if let categories = categoriesOf[c] {
                return .init(name: header[c], type: .categorical(categories: categories), missing: categoryMissing[categorical.firstIndex(of: c)!])
            }
            let tally = tallyOf[c] ?? ColumnTypeTally()
            return .init(name: header[c], type: given[c] ?? table.declaredType(c) ?? timeKinds[c]?.columnType ?? tally.type,
                         missing: tally.missing, width: table.width(c),
                         unit: timeKinds[c]?.unit ?? (table.declaredUTC(c) ? ISO8601Text.Kind.timestamp(utc: true).unit : nil))
        })
        return out
    }

    /// The classes of a table's labels (see ``read(table:labelColumn:featureColumns:dropMissing:format:probabilityColumns:labelOrder:)``):
    /// `index[id]` is the class of interned value `id`, `names` every class
    /// in order, `bareIDs` whether they are integer ids nothing names
    /// (``ClassNaming/Kind/bareIDs``; a negative one is refused: −1 never
    /// gets here, it is no label, ``NoLabel``). `location(id)` is the first
    /// row holding value `id` and its column's name.
    static func classes(of values: ValueInterner, labels: [Int32], truths: [Int32]?, order: [String]?,
                        columns: (count: Int, source: String)?, declared: () throws -> DeclaredClassNames? = { nil }, path: String,
                        location: (Int32) -> (RowPosition, column: String)) throws -> (index: [Int32], names: [String], bareIDs: Bool) {
        var names = (0..<values.count).map(values.name)
        // Every value in file order: each row's label, then its true label.
        let inFileOrder = truths.map { t in zip(labels, t).flatMap { [$0, $1] } } ?? labels
        if let order {
            var position = [ExactText: Int32]()
            for (i, name) in order.enumerated() where position.updateValue(Int32(i), forKey: ExactText(name)) != nil {
                throw ArgumentError(argument: "the label order", expected: "each label once", found: "\"\(name)\" twice")
            }
            // Ids the file names are matched by their names when the order lists
            // any of them (`neg,neu,pos` for a ClassLabel), else as ids (`0,1,2`),
            // the classes keeping the file's names (``LabelPositions/namesOfIDs(_:)``).
            var shown = order
            if names.allSatisfy(isIntegerSpelling), let declared = try declared() {
                if declared.names.contains(where: { position[ExactText($0)] != nil }) {
                    names = names.map { id in Int(id).flatMap { declared.names.indices.contains($0) ? declared.names[$0] : nil } ?? id }
                } else if let named = try LabelPositions(order).namesOfIDs(declared.names) {
                    if !names.isEmpty { try LabelPositions(order).requireNamedIDs(declared.names, file: path, column: location(0).column) }
                    shown = named
                }
            }
            if let columns, columns.count != order.count {
                throw InputError(file: columns.source, expected: "\(order.count) columns, one per label of the given order (\(NameList.describe(order, noun: "labels")))",
                                 found: "\(columns.count)")
            }
            let index = names.map { position[ExactText($0)] ?? -1 }
            // The first row, in file order, whose label the order lacks.
            if let id = inFileOrder.first(where: { index[Int($0)] < 0 }) {
                let (position, column) = location(id)
                throw InputError(file: path, at: position, column: column,
                                 expected: "one of the labels of the given order (\(NameList.describe(order, noun: "labels")))", found: "\"\(names[Int(id)])\"")
            }
            return (index, shown, false)
        }
        // Integer ids the file names (``DeclaredClassNames``): id i is class
        // names[i], every name a class; with probabilities, only names for
        // every column (else the ids stay the column numbers, below).
        if names.allSatisfy(isIntegerSpelling), let declared = try declared(),
           columns.map({ $0.count == declared.names.count }) ?? true {
            let value = names.map { Int($0) ?? Int.max }  // beyond Int: above any id
            if let id = inFileOrder.first(where: { value[Int($0)] < 0 || value[Int($0)] >= declared.names.count }) {
                let (position, column) = location(id)
                throw InputError(file: path, at: position, column: column,
                                 expected: "a class id in 0..<\(declared.names.count) (the classes named in \(declared.origin))", found: names[Int(id)])
            }
            return (value.map { Int32($0) }, declared.names, false)
        }
        let bareIDs = names.allSatisfy(isIntegerSpelling)
        if bareIDs, columns == nil, let id = inFileOrder.first(where: { names[Int($0)].hasPrefix("-") }) {
            let (position, column) = location(id)
            throw InputError(file: path, at: position, column: column, expected: "a class id ≥ 0 (-1 is no label)", found: names[Int(id)])
        }
        let ranked = values.orderedRanks()
        guard let columns else { return (ranked.rank, ranked.names, bareIDs) }
        if bareIDs {
            // Label k is column k. The first offending row in file order is named.
            let value = names.map { Int($0) ?? Int.max }  // beyond Int: above any column
            if let id = inFileOrder.first(where: { value[Int($0)] < 0 || value[Int($0)] >= columns.count }) {
                let (position, column) = location(id)
                throw InputError(file: path, at: position, column: column,
                                 expected: "a class id in 0..<\(columns.count) (integer labels are the column numbers of \(columns.source))", found: names[Int(id)])
            }
            return (value.map { Int32($0) }, (0..<columns.count).map(String.init), true)
        }
        guard names.count == columns.count else {
            let example = names.first { !isIntegerSpelling($0) }!
            throw UnmatchedClassColumnsError(file: path, columnsSource: columns.source, columnCount: columns.count,
                                             distinctLabels: names.count, example: example)
        }
        try requirePlainOrder(ranked.names, path: path, columns: columns)
        return (ranked.rank, ranked.names, false)
    }

    /// Refuses labels matched to probability columns by their sorted order
    /// when the sort is ambiguous: labels that are not all numbers (so
    /// pandas reads them as text, and NumPy sorts them by bytes) among which
    /// some are numbers whose order as text differs from their order as
    /// numbers ("10.5", "9.5" and "other": the probabilities may have been
    /// computed with either order). Labels that are all numbers are sorted
    /// as numbers, as pandas reads them and cleanlab then sorts them.
    /// `sorted` is synthctl's class order (``LabelOrder``).
    static func requirePlainOrder(_ sorted: [String], path: String, columns: (count: Int, source: String)) throws {
        let numbers = sorted.filter { LabelOrder.decimalValue($0) != nil }
        guard numbers.count < sorted.count else { return }
        let byBytes = numbers.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let byValue = numbers.sorted { LabelOrder.decimalValue($0)! < LabelOrder.decimalValue($1)! }
        guard let i = byBytes.indices.first(where: { !byBytes[$0].utf8.elementsEqual(byValue[$0].utf8) }) else { return }
        let (a, b) = (byBytes[i], byValue[i])
        throw InputError(file: path, expected: "labels whose order says which of the \(columns.count) columns of \(columns.source) each is, or --label-order giving it",
                         found: "numbers among text labels, which sort one way as text and another as numbers (\"\(a)\" before \"\(b)\" as text)")
    }

    /// The note that says which order matched labels to probability
    /// columns when no `--label-order` gave it (``classes(of:labels:truths:order:columns:declared:path:location:)``'s
    /// last rule): the labels sorted, as cleanlab takes its columns.
    static func impliedOrderNote(_ sorted: [String], columns: (count: Int, source: String)) -> String {
        let numeric = sorted.allSatisfy { LabelOrder.decimalValue($0) != nil }
        return "the \(columns.count) columns of \(columns.source) are the labels in \(numeric ? "numeric" : "byte") order "
            + "(\(NameList.describe(sorted, noun: "labels"))), as cleanlab takes them; --label-order to give another"
    }

    /// Whether a canonical label is an integer: `0`, or digits not starting
    /// with 0, with an optional minus sign.
    static func isIntegerSpelling(_ label: String) -> Bool {
        // Over the contiguous UTF-8 bytes: a schema checks every item id of a file (100,000s).
        var label = label
        return label.withUTF8 { bytes in
            var digits = UnsafeBufferPointer(rebasing: bytes[...])
            if digits.first == UInt8(ascii: "-") { digits = UnsafeBufferPointer(rebasing: digits.dropFirst()) }
            guard let first = digits.first, digits.allSatisfy({ $0 &- 48 < 10 }) else { return false }
            return first != UInt8(ascii: "0") || digits.count == 1
        }
    }

    /// Whether a column is pandas' index, written by `to_csv` or `to_parquet`
    /// without `index=False`: in a CSV the first column, named `Unnamed: 0`
    /// (or nothing, as `to_csv` writes it); in Parquet `__index_level_0__`
    /// (pyarrow's name for an unnamed index, any level, any position). Such a
    /// column numbers the rows and is no feature. A frame read with its
    /// index and saved again carries two, which pandas reads as
    /// `Unnamed: 0.1` and `Unnamed: 0` (``CSVTable/pandasNames(_:)``).
    static func isPandasIndex(_ name: String, at position: Int) -> Bool {
        if name.hasPrefix("__index_level_"), name.hasSuffix("__"), Int(name.dropFirst(14).dropLast(2)) != nil { return true }
        return (position == 0 && (name.isEmpty || name == "Unnamed: 0" || name == "Unnamed: 0.1")) || (position == 1 && name == "Unnamed: 0")
    }

    /// Class ids from a `.npy` of one label per row: integers in
    /// [0, Int32.max], of any integer or float dtype. NaN (a float file's
    /// missing value) and −1 (no label, ``NoLabel``) are refused as a
    /// ``MissingValueError``, or with
    /// `dropMissing` its row is listed in `missing` (its id is then −1).
    static func integerLabels(_ array: NpyArray, path: String, dropMissing: Bool = false) throws -> (ids: [Int32], missing: Set<Int>) {
        guard array.shape.count == 1 || array.columns == 1 else {
            throw InputError(file: path, expected: "one label per row (1 dimension)", found: "shape \(array.shape)")
        }
        var missing = Set<Int>()
        let ids = try array.values.enumerated().map { i, v in
            if v.isNaN || v == -1 {  // −1: no label (``NoLabel``)
                guard dropMissing else {
                    throw MissingValueError(InputError(file: path, row: i, expected: "a class id", found: v.isNaN ? "nan (a missing value)" : "-1 (no label, a missing value)"))
                }
                missing.insert(i)
                return Int32(-1)
            }
            guard v.isFinite, v == v.rounded(), v >= 0, v <= Double(Int32.max) else {
                throw InputError(file: path, row: i, expected: "a class id (an integer \(v > Double(Int32.max) ? "in [0, \(Int32.max)]" : "≥ 0"))",
                                 found: LabelText.spelling(of: v))
            }
            return Int32(v)
        }
        return (ids, missing)
    }
}

extension JSONValue {
    /// A rectangular array of numbers, or nil.
    var numberMatrix: [[Double]]? {
        guard case .array(let rows) = self else { return nil }
        let out = rows.map { row -> [Double]? in
            guard case .array(let xs) = row else { return nil }
            let values = xs.compactMap { v -> Double? in
                switch v { case .double(let d): d; case .int(let i): Double(i); default: nil }
            }
            return values.count == xs.count ? values : nil
        }
        return out.contains { $0 == nil } ? nil : out.map { $0! }
    }
}
