import Foundation
import SynthctlCore

/// The label column that a table synthctl wrote declares for itself.
///
/// Why: `gen` always writes the observed label in a column called
/// `label`, whatever the human table's label column was called, so the
/// obvious leak-free path — `split h.csv --label-column y`, `fit train.csv
/// --label-column y`, `gen --model`, `compare … --label-column y` — would
/// find no column `y` in the synthetic table. A table that declares itself
/// synthctl's is read by its own label column when the one asked for is
/// not among its columns (``LabeledFeatures/read(table:labelColumn:featureColumns:dropMissing:format:probabilityColumns:labelOrder:types:progress:)``
/// says so in its notes). Declarations, first found wins:
/// 1. a Parquet footer holding `synthctl.format_version` (``TableSource/writtenBySynthctl``);
/// 2. a synthctl manifest beside the file (`<file>.manifest.json`, or
///    `manifest.json` in its directory) whose `files` entry for the file
///    lists its columns, `label` among them.
///
/// A table that declares nothing (a user's own, `split`'s parts) keeps
/// the old refusal: its label column is the user's to name.
struct DeclaredLabelColumn: Sendable {
    /// The column `gen` writes the observed label in.
    static let synthctlName = "label"
    /// The declared label column's name.
    let name: String
    /// Where the declaration comes from, for the note ("s.csv.manifest.json").
    let origin: String

    /// The label column `table` at `path` declares, or nil.
    /// A manifest that cannot be read declares nothing (the refusal that
    /// follows names the missing column); only the memory budget is thrown.
    static func of(_ table: TableSource, path: String) throws -> DeclaredLabelColumn? {
        guard table.header.contains(synthctlName) else { return nil }
        if table.writtenBySynthctl { return DeclaredLabelColumn(name: synthctlName, origin: "its Parquet footer (synthctl.format_version)") }
        guard path != InputFile.standardInput else { return nil }
        let url = URL(fileURLWithPath: path)
        for candidate in [path + ".manifest.json", url.deletingLastPathComponent().appendingPathComponent("manifest.json").path] {
            let beside: DatasetManifest?
            do { beside = try DatasetManifest(path: candidate) } catch let e as MemoryLimitExceeded { throw e } catch { continue }
            guard let manifest = beside, let entry = manifest.tables[url.lastPathComponent], entry.columns.contains(synthctlName) else { continue }
            return DeclaredLabelColumn(name: synthctlName, origin: URL(fileURLWithPath: candidate).lastPathComponent)
        }
        return nil
    }

    /// The reading note: "no column "y": read its label column "label", which
    /// s.csv.manifest.json declares (synthctl writes the label there)".
    func note(asked: String) -> String {
        "no column \"\(asked)\": read its label column \"\(name)\", which \(origin) declares (synthctl writes the label there)"
    }
}
