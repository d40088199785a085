import Foundation
import SynthctlCore

/// The files that describe a dataset directory to the tools people load
/// data with: the README.md card's YAML header (``DatasetCardHeader``, for
/// Hugging Face `datasets`) and `croissant.json` (``Croissant``). Both are
/// derived from what the manifest records (its `files`, `schema`,
/// `class_names`, `total_rows`), and the manifest lists both with their
/// SHA-256: it stays the source of truth, and is written last.
///
/// Two directories get them: the `.npy` directory (``OutputFormat/npy``),
/// and the directory of a sharded Parquet dataset (`part-0000k-of-0000n.parquet`),
/// where every shard writes the same two files, describing the whole
/// dataset and none of its parts' realized statistics (those are in each
/// part's manifest), so that whichever shard runs first or last leaves the
/// same bytes. A single table file (`t.csv`) has no directory of its own to
/// describe, and gets neither: `datasets.load_dataset("csv",
/// data_files="t.csv")` reads it.
extension DatasetWriter {
    /// The names of the table's class columns (`label`, `true_label`,
    /// `annotator_…`; none without classes).
    var classColumns: Set<String> {
        let shape = self.shape
        guard shape.classes > 0 else { return [] }
        return Set(["label", "true_label"] + (0..<shape.annotators).map { "annotator_\($0)" })
    }

    /// The table's columns as its manifest records them (the missing counts,
    /// which depend on the rows written, left out).
    var tableSchema: TableSchema {
        let k = shape.classes, a = shape.annotators
        var manifest = Manifest(plan: plan, stats: RealizedStatistics(classes: k, annotators: a), rows: 0..<0, shard: nil, files: [:])
        manifest.labelFormat = labelFormat
        manifest.classIdColumns = format == .parquet && labelFormat == .name
        return manifest.schema
    }

    /// The `.npy` directory's README.md: the header (its `data_files` name
    /// `features.npy`, which `datasets` has no loader for) and the card.
    func directoryCard(body: String, rows: Int) -> String {
        DatasetCardHeader(schema: TableSchema(columns: []), classNames: [], isClassColumn: { _ in false },
                          dataFiles: "features.npy", rows: rows).yaml + body
    }

    /// The `.npy` directory's croissant.json: the arrays (name, SHA-256) as
    /// the manifest lists them, in the order they were written.
    func directoryCroissant(arrays: [(name: String, sha256: String)], rows: Int) -> String {
        let encoding = Croissant.encodingFormat(.npy)
        let croissant = Croissant(plan: plan, rows: rows,
                                  resources: arrays.map { .file(name: $0.name, sha256: $0.sha256, encodingFormat: encoding) },
                                  table: nil, labelFormat: .id, isClassColumn: { _ in false })
        return croissant.json.serialized() + "\n"
    }

    /// The README.md and croissant.json of a sharded Parquet dataset's
    /// directory: the same bytes from every shard of one spec.
    func partsDescription(shardCount: Int) -> [(name: String, text: String)] {
        let glob = "part-*-of-\(String(format: "%05d", shardCount)).parquet"
        let classes = classColumns
        let schema = tableSchema
        let header = DatasetCardHeader(schema: schema, classNames: shape.classes > 0 ? plan.generator.classNames : [],
                                       isClassColumn: { classes.contains($0) }, dataFiles: glob, rows: plan.rows)
        let card = header.yaml + DatasetCard.partsMarkdown(plan: plan, shardCount: shardCount, labelFormat: labelFormat)
        let croissant = Croissant(plan: plan, rows: plan.rows,
                                  resources: [.files(name: "parts", includes: glob, encodingFormat: Croissant.encodingFormat(.parquet))],
                                  table: schema, labelFormat: labelFormat, isClassColumn: { classes.contains($0) })
        return [("README.md", card), ("croissant.json", croissant.json.serialized() + "\n")]
    }

    /// Writes ``partsDescription(shardCount:)`` into `directory` unless a
    /// shard already did (the same bytes there: left alone). Different bytes
    /// (another spec's parts) are replaced only with ``force``. Returns the
    /// manifest's entries for the two files.
    func writePartsDescription(directory: String, shardCount: Int) throws -> [String: JSONValue] {
        var entries: [String: JSONValue] = [:]
        for (name, text) in partsDescription(shardCount: shardCount) {
            let path = directory.isEmpty || directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let bytes = Array(text.utf8)
            func alreadyThere() -> Bool {
                FileKind(path: path) == .regularFile && FileManager.default.contents(atPath: path).map(Array.init) == bytes
            }
            if !alreadyThere() {
                do {
                    try AtomicFile.write(bytes: bytes, to: path, replace: force)
                } catch {
                    guard alreadyThere() else { throw error }  // another shard placed the same bytes meanwhile
                }
            }
            entries[name] = .object(["sha256": .string(sha256Hex(bytes)), "bytes": .int(bytes.count)])
        }
        return entries
    }
}
