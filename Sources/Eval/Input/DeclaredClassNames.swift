import Foundation
import Synth
import SynthctlCore

/// Names that a table's file (or the synthctl manifest beside it) gives
/// the integer class ids of its label column: class id `i` is `names[i]`.
///
/// Why: `gen --label-format id` writes ids 0…K−1 in the label cells, and
/// Hugging Face `datasets` stores a `ClassLabel` column as ids too; read as
/// they are, the classes would be "0", "1", "2", and `compare` against a set
/// whose labels are names would find no class in common. Sources, first
/// found wins (``LabeledFeatures/read(table:labelColumn:featureColumns:dropMissing:format:probabilityColumns:labelOrder:types:progress:)``):
/// 1. a Parquet footer's `synthctl.class_names` (a JSON array in id order,
///    what `gen` writes), for any label column;
/// 2. a Parquet footer's `huggingface` metadata, `{"info": {"features":
///    {"label": {"names": [...], "_type": "ClassLabel"}}}}` (what
///    `datasets`' `to_parquet` writes), for the column it names;
/// 3. a synthctl manifest beside the file (`<file>.manifest.json`, or
///    `manifest.json` in its directory) that lists the file with the
///    SHA-256 it has now (``DatasetManifest/vouching(forTable:)``): its
///    `class_names`.
///
/// Names are spelled as labels are (``LabelText``: trimmed); a list that
/// is empty, holds a name that is no label (empty, a NUL byte) or one name
/// twice names nothing, and the ids stay their own names.
///
/// The same sources name the label (and gold) column of long-form answers
/// (``AnswerReader``), each file by its own (``ClassNaming``). A
/// `ClassLabel` column holds −1 where an example has no label (what
/// `to_parquet` writes for it): −1 is no label in every label column
/// (``NoLabel``), whoever names its ids.
struct DeclaredClassNames: Sendable {
    /// The class names, in id order.
    let names: [String]
    /// Where they come from, for messages ("the Parquet footer's synthctl.class_names").
    let origin: String

    /// `names` spelled as labels, or nil when they cannot name classes.
    init?(_ names: [String], origin: String) {
        var spelled = [String](), seen = Set<ExactText>()
        for name in names {
            guard let label = LabelText.canonical(name), seen.insert(ExactText(label)).inserted else { return nil }
            spelled.append(label)
        }
        guard !spelled.isEmpty else { return nil }
        self.names = spelled
        self.origin = origin
    }

    /// The names a Parquet footer's key-value metadata gives column
    /// `column`: `synthctl.class_names`, else Hugging Face's `ClassLabel`
    /// for that column; nil when neither does (or the JSON does not parse).
    static func parquetFooter(_ keyValues: [String: String], column: String) -> DeclaredClassNames? {
        if let json = keyValues["synthctl.class_names"], let names = decode(json)?.strings {
            return DeclaredClassNames(names, origin: "the Parquet footer's synthctl.class_names")
        }
        if let json = keyValues["huggingface"], case .object(let top)? = decode(json),
           case .object(let info)? = top["info"], case .object(let features)? = info["features"],
           case .object(let feature)? = features[column], feature["_type"] == .string("ClassLabel"),
           let names = feature["names"]?.strings {
            return DeclaredClassNames(names, origin: "the Parquet footer's Hugging Face ClassLabel names of \"\(column)\"")
        }
        return nil
    }

    /// The names a Parquet file's footer gives the ids of its column
    /// `column` (``parquetFooter(_:column:)``), or nil for a text column:
    /// text holds the class names themselves (`gen`'s `label` and
    /// `true_label` with `--label-format name`, beside the `label_id` ids
    /// that the names are for), even names that look like integers — a
    /// fitted model's classes `10`, `2` and `1` are names, and read as ids
    /// `2` would be the class named `1` and `10` refused.
    static func parquet(_ meta: ParquetMetadata, column: String) -> DeclaredClassNames? {
        if let c = meta.columns.firstIndex(where: { $0.name == column }), meta.columns[c].type == .byteArray { return nil }
        return parquetFooter(meta.keyValues, column: column)
    }

    /// The names for column `column` of `path`: its file's own
    /// (``TableSource/declaredClassNames``, from a Parquet footer), else a
    /// synthctl manifest's beside it (``DatasetManifest/vouching(forTable:)``,
    /// which hashes the file only when a manifest lists it).
    static func of(_ table: TableSource?, column: String, path: String) throws -> DeclaredClassNames? {
        if let names = table?.declaredClassNames(column) { return names }
        guard let manifest = try DatasetManifest.vouching(forTable: path), let names = manifest.classNames else { return nil }
        return DeclaredClassNames(names, origin: manifest.path)
    }

    /// `json` decoded, or nil (too deep, not JSON).
    private static func decode(_ json: String) -> JSONValue? {
        let bytes = Array(json.utf8)
        guard NestingLimit.firstTooDeep(json: bytes) == nil else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }
}
