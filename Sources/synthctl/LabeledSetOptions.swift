import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

/// How a command reads a labeled set — a dataset directory, a table (CSV,
/// TSV, JSON Lines, Parquet) with a label column, or a features `.npy` with
/// its labels `.npy` — shared by every command that reads one (fit,
/// collapse, score's `--table`, compare, limits), so that each option has
/// one name, one help text and one check everywhere. The path of the set,
/// and of its labels `.npy`, are the command's own: `fit` and `score` read
/// an unnamed set with `--labels`, `compare`, `limits` and `collapse` read
/// `--human` with `--human-labels` (and `--synthetic` with
/// `--synthetic-labels`). A table's format comes from ``InputFormatOption``.
struct LabeledSetOptions: ParsableArguments {
    @Option(help: "The label column of a table (and of --answers, where the default also accepts answer).")
    var labelColumn: String = "label"

    @Option(parsing: .unconditionalSingleValue, help: FeatureColumns.help)
    var featureColumns: [String] = []

    @Flag(help: DropMissing.help)
    var dropMissing = false

    @Option(parsing: .unconditionalSingleValue, help: ColumnTypeOptions.categoricalHelp)
    var categorical: [String] = []

    @Option(help: ColumnTypeOptions.schemaHelp)
    var schema: String?

    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "Columns of texts to use as features, each text embedded by the hashing embedder: word unigrams hashed into 2²⁰ signed buckets, L2-normalized, projected to 384 dimensions (seed 0), column c's vector named c[0] … c[383] after the other features (a text pair, text,hypothesis: 768). `synthctl embed` writes embeddings of other settings as a table to give instead. \(ListOption.syntax)",
        valueName: "names"))
    var textColumns: [String] = []

    @Option(help: ArgumentHelp(
        "A sentence-transformers model directory of the BERT family (as `synthctl embed --model` reads) to embed --text-columns with instead of hashing: column c's vector is named c[0] … c[dimensions − 1].",
        valueName: "dir"))
    var textModel: String?

    @OptionGroup var embeddingCache: EmbeddingCacheOptions

    /// The names of `--text-columns`, in order.
    var textColumnNames: [String] { ListOption.items(textColumns) }

    /// The files these options read, for ``RunFiles``: `--schema`, so that
    /// no output of the run may overwrite it.
    var inputs: [(String, String?)] { [("--schema", schema)] }

    /// The names of `--feature-columns` (with `--text-columns` not among
    /// them when it lists the others), or nil for the default.
    var featureColumnNames: [String]? {
        guard !featureColumns.isEmpty else { return nil }
        let names = ListOption.items(featureColumns)
        return names + textColumnNames.filter { !names.contains($0) }
    }

    /// The embedder of `--text-columns`: scikit-learn's `HashingVectorizer()`
    /// defaults, projected as `synthctl embed` projects by default. Without
    /// TF-IDF, so that a text's vector depends on that text alone and the
    /// sets a command reads apart are in one space.
    static let textEmbedder = HashingEmbedder(
        vectorizer: HashingVectorizer(), tfidf: false,
        projection: SparseRandomProjection(features: HashingVectorizer.Options().features, components: 384, seed: 0))

    /// `set` with each of its `--text-columns` embedded in turn
    /// (``LabeledFeatures/embeddingText(column:with:threads:)``) by the
    /// hashing embedder, or by `--text-model`'s model (read for each set a
    /// command reads: compare's two sets read it twice, one after the
    /// other, rather than hold it for the whole run); `set` itself without
    /// the option. Refuses categorical feature columns left beside them
    /// unless `categoricalFeatures`.
    func embeddingText(_ set: LabeledFeatures, categoricalFeatures: Bool) throws -> LabeledFeatures {
        guard !textColumns.isEmpty else { return set }
        var embedded = set
        let model = try textModel.map(SentenceTransformer.init(directory:))
        let cache = try model.flatMap { try embeddingCache.cache(for: $0, modelDirectory: textModel!) }
        for column in textColumnNames {
            embedded = try DropMissing.hinting {
                if let model { return try embedded.embeddingText(column: column, with: model, cache: cache, threads: Parallel.coreCount) }
                return try embedded.embeddingText(column: column, with: Self.textEmbedder, threads: Parallel.coreCount)
            }
        }
        if let model {
            // Which vectors these are, and how many the cache gave, in the summary's notes and the report.
            let columns = textColumnNames.map { "\"\($0)\"" }.joined(separator: ", ")
            let note = "column\(textColumnNames.count == 1 ? "" : "s") \(columns) embedded by \(SentenceModelSummary.describe(model, directory: textModel!))"
            embedded.embeddingNote = (note, note + (cache.map { "; \(EmbeddingCacheOptions.describe($0))" } ?? ""))
        }
        if !categoricalFeatures { try ColumnTypeOptions.requireNumericFeatures(embedded) }
        return embedded
    }

    func validate() throws {
        try FeatureColumns.validate(featureColumns)
        try ListOption.validate(textColumns, option: "--text-columns", noun: "column name")
        if textModel != nil && textColumns.isEmpty {
            throw ValidationError("--text-model goes with --text-columns NAMES (it embeds those columns)")
        }
        if textModel == nil, let option = embeddingCache.given.first {
            throw ValidationError("\(option) goes with --text-model DIR (the cache keeps a model's embeddings; hashing needs none)")
        }
        try ListOption.validate(categorical, option: "--categorical", noun: "column name")
    }

    /// `--schema` and `--categorical` as the readers take them. Errors: the
    /// schema file's, one line.
    func columnTypes() throws -> ColumnTypeOverrides {
        let names = categorical.isEmpty ? [] : ListOption.items(categorical)
        guard let schema else { return ColumnTypeOverrides(categorical: names) }
        return try ColumnTypeOverrides(schemaFile: schema, categorical: names)
    }

    /// The set at `path` (with its labels `.npy` for a features `.npy`),
    /// with features; `format` decides how a table is read (default: by
    /// extension, else by content). Errors: the reader's, one line each.
    /// `progress` hears how far reading a table has come; `categoricalFeatures`
    /// keeps categorical feature columns (compare encodes them) instead of refusing them.
    func read(_ path: String, labels: String?, format: TableFormat?, progress: WorkProgress = .silent,
              categoricalFeatures: Bool = false) throws -> LabeledFeatures {
        // readLabeledSet takes the option's form: each name escaped again.
        return try readLabeledSet(path, labels: labels, labelColumn: labelColumn, featureColumns: (featureColumnNames ?? []).map(ListOption.escaping),
                                  dropMissing: dropMissing, format: format, types: columnTypes(), progress: progress,
                                  categoricalFeatures: categoricalFeatures) { try embeddingText($0, categoricalFeatures: true) }
    }
}

/// `--feature-columns`, shared by every command that reads a labeled table
/// (a list option, ``ListOption``).
enum FeatureColumns {
    static let help = ArgumentHelp(
        "The feature columns of a table (default: every column but the label, true_label, noisy, annotator_* and pandas' index). \(ListOption.syntax)",
        valueName: "names")

    static func validate(_ values: [String]) throws {
        try ListOption.validate(values, option: "--feature-columns", noun: "column name")
    }
}

/// A features `.npy` and the option that gives its labels `.npy`, checked
/// alike by every command that reads a labeled set: a features `.npy`
/// without its labels is refused in one line naming both options, and a
/// labels option beside anything else too.
enum LabelsOption {
    /// `input` names the set on the command line (`--human`), or is empty
    /// for a positional argument; `labelsOption` is its labels option.
    static func validate(_ path: String, labels: String?, input: String, labelsOption: String) throws {
        let named = input.isEmpty ? path : "\(input) \(path)"
        if path.lowercased().hasSuffix(".npy") && labels == nil {
            throw ValidationError("\(named) is a features .npy: give its labels with \(labelsOption) FILE")
        }
        var isDirectory: ObjCBool = false
        if labels != nil, TableFormat(extensionOf: path) != nil
            || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw ValidationError("\(labelsOption) goes with a features .npy (a table or a dataset directory brings its own labels)")
        }
    }
}

/// `--categorical` and `--schema`, shared by every command that reads a
/// labeled table: the column types a user gives instead of the inferred
/// ones (``ColumnType``), and the hint for a categorical feature column,
/// which no command reads as a feature yet.
enum ColumnTypeOptions {
    static let categoricalHelp = ArgumentHelp(
        "Columns of a table to read as categorical, codes such as 0, 1, 2 included: a column of whole numbers is read as numbers unless named here. \(ListOption.syntax)",
        valueName: "names")
    static let schemaHelp = ArgumentHelp(
        "A JSON file of column types, {\"columns\": [{\"name\": …, \"type\": numeric|integer|boolean|categorical|date|timestamp}]}: the shape a JSON report's \"schemas\" entries have, so one run's schema can be given to the next.",
        valueName: "file")

    /// Refuses categorical feature columns with the options that choose
    /// otherwise: `--feature-columns`, and `--schema` unless the column
    /// types are a dataset directory's manifest's (`typesFromManifest`),
    /// which no option overrides.
    static func requireNumericFeatures(_ set: LabeledFeatures, typesFromManifest: Bool = false) throws {
        do { try set.requireNumericFeatures() } catch let e as CategoricalFeaturesError {
            // Lists written as text want another file format, which the message says; no option reads them.
            if e.listColumns.count == e.columns.count { throw e }
            // Only numbers can be read as numbers: for text categories the schema would fail,
            // so beside text columns the number-valued ones are named.
            let them = e.columns.count == 1 ? "it" : "them"
            let numbers = e.valuesAreNumbers ? them : e.numberColumns.map { "\"\($0)\"" }.joined(separator: ", ")
            let schema = e.numberColumns.isEmpty || typesFromManifest ? "" : ", or --schema to read \(numbers) as numbers"
            throw HintedError(e, hint: "give --feature-columns without \(them)" + schema)
        }
    }
}

/// `--drop-missing`, shared by every command that reads a labeled set.
enum DropMissing {
    static let help: ArgumentHelp = "Drop rows with a missing label or feature (empty, NA, nan, null, NaN, …) instead of refusing them; the summary and the JSON report count them."

    /// Runs `read`, adding to a missing value's message how to drop such
    /// rows, and to an unreadable default feature's how to choose the
    /// features: the libraries name no flag, and only commands that have
    /// `--drop-missing` and `--feature-columns` may suggest them.
    static func hinting<T>(_ read: () throws -> T) throws -> T {
        do { return try read() } catch let e as MissingValueError {
            throw HintedError(e, hint: "--drop-missing drops such rows")
        } catch let e as UnreadableDefaultColumnError {
            throw HintedError(e, hint: "or choose the features with --feature-columns")
        }
    }
}

/// A labeled set with features, in any of the forms the commands accept: a
/// dataset directory, a features .npy with its labels .npy, or a table.
/// `format` decides how a table is read (default: by extension, else by content);
/// `progress` hears how far reading a table has come (a bar's ``ProgressBar/workProgress``);
/// categorical feature columns are refused unless `categoricalFeatures`;
/// `embeddingText` turns text columns into features first (`--text-columns`).
func readLabeledSet(_ path: String, labels: String?, labelColumn: String, featureColumns: [String],
                    dropMissing: Bool = false, format: TableFormat? = nil, types: ColumnTypeOverrides = .none,
                    progress: WorkProgress = .silent, categoricalFeatures: Bool = false,
                    embeddingText: (LabeledFeatures) throws -> LabeledFeatures = { $0 }) throws -> LabeledFeatures {
    var isDirectory: ObjCBool = false, datasetDirectory = false
    let data = try embeddingText(DropMissing.hinting { () throws -> LabeledFeatures in
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
           !LabeledFeatures.isParquetPartDirectory(path) {  // Spark's, pyarrow's or DuckDB's parts: one table
            // Parts with a stray file or folder, or nothing: say which, not a missing labels.npy.
            if let refusal = LabeledFeatures.partDirectoryRefusal(path) ?? DatasetDirectory.unrecognized(path) { throw refusal }
            datasetDirectory = true
            return try LabeledFeatures.read(datasetDirectory: path, dropMissing: dropMissing,
                                            featureColumns: featureColumns.isEmpty ? nil : ListOption.items(featureColumns))
        } else if let labels {
            return try LabeledFeatures.read(features: path, labels: labels, dropMissing: dropMissing).named(path)
        }
        return try ModelFileHint.table(path) {
            try LabeledFeatures.read(table: path, labelColumn: labelColumn,
                                     featureColumns: featureColumns.isEmpty ? nil : ListOption.items(featureColumns),
                                     dropMissing: dropMissing, format: format, types: types, progress: progress)
        }
    })
    if !categoricalFeatures {
        // A dataset directory's column types are its manifest's: --feature-columns chooses among them, --schema does not.
        try ColumnTypeOptions.requireNumericFeatures(data, typesFromManifest: datasetDirectory)
    }
    guard data.features != nil else { throw InputError(file: path, expected: "feature columns", found: "labels only") }
    return data
}
