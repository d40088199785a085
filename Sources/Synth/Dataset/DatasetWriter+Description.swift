import Foundation
import SynthctlCore

/// The files that describe a dataset directory to the tools people load
/// data with: the README.md card's YAML header (``DatasetCardHeader``, for
/// Hugging Face `datasets`) and `croissant.json` (``Croissant``). Both are
/// derived from what the manifest records (its `files`, `schema`,
/// `class_names`, `total_rows`), and the manifest lists both with their
/// SHA-256: it stays the source of truth, and is written last.
///
/// Two directories get them: the `.npy` directory (``OutputFormat/npy``)
/// and a table directory (``tableDirectory``: `data.csv`, `data.jsonl` or
/// `data.parquet` with `manifest.json`), which `load_dataset(directory)`
/// loads. A single table file (`t.csv`) has no directory of its own to
/// describe, and gets neither (`load_dataset("csv", data_files="t.csv")`
/// reads it); nor does a sharded Parquet dataset's directory of parts,
/// which pyarrow and Polars read as one table only while it holds nothing
/// but Parquet files and names starting with `_` (a README.md there makes
/// `pq.read_table(directory)` fail).
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
    /// the manifest lists them, in the order they were written, then the model copies.
    func directoryCroissant(arrays: [(name: String, sha256: String)], rows: Int, model: ModelCopies? = nil) -> String {
        let encoding = Croissant.encodingFormat(.npy)
        let croissant = Croissant(plan: plan, rows: rows,
                                  resources: arrays.map { .file(name: $0.name, sha256: $0.sha256, encodingFormat: encoding) }
                                      + Croissant.modelResources(model),
                                  table: nil, labelFormat: .id, isClassColumn: { _ in false })
        return croissant.json.serialized() + "\n"
    }

    /// The README.md (header and card) and croissant.json of a table
    /// directory holding `dataFile` (SHA-256 `sha256`) with `rows` rows, and
    /// the model copies when there are.
    func tableDirectoryDescription(dataFile: String, sha256: String, rows: Range<Int>, stats: RealizedStatistics,
                                   model: ModelCopies? = nil) -> [(name: String, text: String)] {
        let classes = classColumns
        let schema = tableSchema
        var header = DatasetCardHeader(schema: schema, classNames: shape.classes > 0 ? plan.generator.classNames : [],
                                       isClassColumn: { classes.contains($0) }, dataFiles: dataFile, rows: rows.count)
        header.featureDtypes = plan.featureDtypes
        header.featuresInConfig = format == .csv && labelFormat == .name && header.classNames.contains(where: DatasetCardHeader.readsAsNumber)
        var card = DatasetCard(plan: plan, stats: stats, rows: rows)
        card.table = (dataFile, labelFormat)
        card.modelFiles = model?.names
        let croissant = Croissant(plan: plan, rows: rows.count,
                                  resources: [.file(name: dataFile, sha256: sha256, encodingFormat: Croissant.encodingFormat(format))]
                                      + Croissant.modelResources(model),
                                  table: schema, labelFormat: labelFormat, isClassColumn: { classes.contains($0) })
        return [("README.md", header.yaml + card.markdown), ("croissant.json", croissant.json.serialized() + "\n")]
    }
}
