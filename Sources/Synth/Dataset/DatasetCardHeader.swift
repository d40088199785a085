import SynthctlCore

/// The YAML header of a dataset directory's README.md: the metadata through
/// which Hugging Face `datasets.load_dataset(directory)` (and the Hub) loads
/// the rows instead of guessing a loader from the file extensions (which,
/// without it, loads one row built from `manifest.json`).
///
/// Shape (`datasets`' `DatasetCardData`, `configs` and `dataset_info` keys;
/// `datasets/utils/metadata.py`, `info.py`, `splits.py`):
///
/// ```yaml
/// ---
/// configs:
/// - config_name: default
///   data_files:
///   - split: train
///     path: "part-*-of-00003.parquet"
/// dataset_info:
///   features:
///   - name: "x0"
///     dtype: float32
///   - name: "label"
///     dtype:
///       class_label:
///         names:
///           "0": "class_0"
///   splits:
///   - name: train
///     num_bytes: 1234
///     num_examples: 3000
/// ---
/// ```
///
/// Features: numeric columns are `float32`, integer columns (`label_id`)
/// `int32`, a fitted model's typed feature columns as the table holds them
/// (`int64`, `float64` when rounded to decimals, `bool`, `string`), boolean columns (`noisy`, multilabel indicators, which CSV and
/// JSON Lines write as 0 and 1) `bool`; the class columns (`label`,
/// `true_label`, `annotator_…`) are `class_label` with the class names in id
/// order, whether the file holds names (`datasets` maps each name to its id)
/// or ids (``LabelFormat``). `num_examples` is the dataset's row count (a
/// loader checks it: an incomplete set of parts fails to load rather than
/// loading some rows); `num_bytes` is the Arrow size of the loaded values
/// without validity bitmaps (4 bytes a float32 or int32, 8 a class id, an
/// int64 or a float64, one bit a boolean, 4 a string's offset), which `datasets` only reports.
///
/// The `.npy` directory has no loader in `datasets`: its `data_files` name
/// `features.npy`, so that `load_dataset` fails naming that file ("Unable to
/// find …/features.npy with any supported extension") instead of loading
/// the manifest, and it has no `dataset_info` (no features to state, and
/// no Arrow size for `splits`).
///
/// A CSV table directory whose class names read as numbers (`"2"`, `"0"`,
/// `"1"`, a fitted model's integer classes) also lists the features inside
/// its `configs` entry (``featuresInConfig``): `datasets`' CSV builder gives
/// pandas a column type only from the config's features (`dtype=object` for
/// a `ClassLabel`, whose strings it then maps name → id), while without them
/// pandas reads the cell `1` as the integer 1, which `datasets` takes as the
/// class *id* 1 (the class named `"0"` above), or refuses when it is
/// ≥ K ("Class label 10 greater than configured num_classes 3"). Other
/// directories keep the header without it (the same bytes as before); a CSV
/// of ids (``LabelFormat/id``) must not have it (`"1"` would read as the
/// class named `"1"`).
///
/// Every name is a YAML double-quoted scalar (``quoted(_:)``): names come
/// from fitted models and may hold any character.
struct DatasetCardHeader {
    /// The table's columns (``Manifest/schema``); empty for `.npy`.
    let schema: TableSchema
    /// The class names in id order (empty without classes).
    let classNames: [String]
    /// Whether a column holds classes (`label`, `true_label`,
    /// `annotator_…`): a `class_label` feature.
    let isClassColumn: (String) -> Bool
    /// The split's files, relative to the directory: a file or a glob.
    let dataFiles: String
    /// Rows in the whole dataset.
    let rows: Int
    /// The dtype of each feature column of a fitted model with typed
    /// columns, by name (``DatasetPlan/featureDtypes``: `int64`,
    /// `float64`, `bool`, `string`, `date32`, `timestamp[ms]` …), as the table holds it; other columns
    /// take ``dtype(_:)``.
    var featureDtypes: [String: String] = [:]
    /// Whether the `configs` entry lists the features too (see the type's
    /// documentation: a CSV whose class names read as numbers).
    var featuresInConfig = false

    /// The header, between its `---` lines, for a README.md.
    var yaml: String { "---\n" + metadata + "---\n" }

    /// The YAML between the `---` lines: what a sharded Parquet
    /// directory's `.huggingface.yaml` holds alone
    /// (``DatasetWriter/partDirectoryConfig``).
    var metadata: String {
        var s = "configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: \(Self.quoted(dataFiles))\n"
        guard !schema.columns.isEmpty else { return s }
        if featuresInConfig { s += features }
        s += "dataset_info:\n" + features
        s += "  splits:\n  - name: train\n    num_bytes: \(arrowBytes)\n    num_examples: \(rows)\n"
        return s
    }

    /// The `features` list, indented for a `configs` entry or `dataset_info` (both two spaces).
    var features: String {
        var s = "  features:\n"
        for column in schema.columns {
            s += "  - name: \(Self.quoted(column.name))\n"
            if isClassColumn(column.name) {
                s += "    dtype:\n      class_label:\n        names:\n"
                for (id, name) in classNames.enumerated() { s += "          \"\(id)\": \(Self.quoted(name))\n" }
            } else {
                s += "    dtype: \(featureDtypes[column.name] ?? Self.dtype(column.type))\n"
            }
        }
        return s
    }

    /// Whether pandas' CSV reader would take `name` as a number (`1`,
    /// `-2.5`, `1e3`, `inf`) rather than text: a superset by Swift's
    /// `Double(_:)` on the trimmed name, which only costs an unneeded
    /// `features` list for a name such as `0x10`.
    static func readsAsNumber(_ name: String) -> Bool {
        let trimmed = name.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace)
        return Double(String(trimmed.reversed())) != nil
    }

    /// The `datasets` dtype of a column that is not a class column.
    static func dtype(_ type: ColumnType) -> String {
        switch type {
        case .integer: "int32"
        case .boolean: "bool"
        case .categorical: "string"
        default: "float32"
        }
    }

    /// The Arrow size of the loaded values (see the type's documentation).
    var arrowBytes: Int {
        schema.columns.reduce(0) { total, column in
            if isClassColumn(column.name) { return total + 8 * rows }
            if let dtype = featureDtypes[column.name], dtype != "float32" {
                // A string's size is its bytes plus a 4-byte offset: counted as the offset only.
                return total + (dtype == "bool" ? (rows + 7) / 8 : dtype == "string" || dtype == "date32" ? 4 * rows : 8 * rows)
            }
            return total + (column.type == .boolean ? (rows + 7) / 8 : 4 * rows)
        }
    }

    /// `text` as a YAML double-quoted scalar (YAML 1.2 §7.3.1): `"` and `\`
    /// escaped, and every character YAML does not print raw (C0 and C1
    /// controls, DEL, U+FEFF, U+FFFE, U+FFFF; §5.1) as `\uXXXX`.
    static func quoted(_ text: String) -> String {
        var s = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: s += "\\\""
            case 0x5C: s += "\\\\"
            case 0x00..<0x20, 0x7F..<0xA0, 0xFEFF, 0xFFFE, 0xFFFF:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                s += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: s.unicodeScalars.append(scalar)
            }
        }
        return s + "\""
    }
}
