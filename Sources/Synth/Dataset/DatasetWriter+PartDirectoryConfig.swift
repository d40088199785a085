import SynthctlCore

/// A sharded Parquet dataset's directory loads with Hugging Face
/// `datasets.load_dataset(dir)`, with its types and class names.
///
/// Why: without a configuration `datasets` takes every file of the
/// directory as data, the parts' manifests (`_part-….manifest.json`)
/// among them, and fails reading a manifest as Parquet. A dataset card
/// (`README.md`) could name the parts, but pyarrow's `pq.read_table(dir)`
/// skips only names starting with `_` or `.`, and would fail reading the
/// card as Parquet. `datasets` also reads its YAML configuration from
/// `.huggingface.yaml` in a local directory (`config.REPOYAML_FILENAME`,
/// merged into the card's data), a name every dataset reader skips. So
/// each shard writes ``partDirectoryConfig`` there: what a table
/// directory's README.md header holds (``DatasetCardHeader``), its
/// `data_files` pattern listing only the parts (`part-*.parquet`), one
/// `train` split of the whole dataset's rows, and the `features`: without
/// them `datasets` loads a class column (`label`, `true_label`,
/// `annotator_…`) as the strings the parts hold, not as a `ClassLabel`
/// whose names are the dataset's classes in id order.
extension DatasetWriter {
    /// The configuration's file name, in the directory of the parts.
    public static let partDirectoryConfigName = ".huggingface.yaml"

    /// Its text: a function of the spec (columns, class names, the whole
    /// dataset's rows), not of the shard, so that the shards of one run (in
    /// any order, in parallel) put the same bytes in place.
    var partDirectoryConfig: String {
        let classes = classColumns
        var header = DatasetCardHeader(schema: tableSchema, classNames: shape.classes > 0 ? plan.generator.classNames : [],
                                       isClassColumn: { classes.contains($0) }, dataFiles: "part-*.parquet", rows: plan.rows)
        header.featureDtypes = plan.featureDtypes
        return header.metadata
    }

    /// Writes ``partDirectoryConfig`` into `directory`, the parts'
    /// directory, as the shared model copies are written
    /// (``writeModelCopies(into:shown:manifestName:atomically:)``): a
    /// regular file with these bytes already there (another shard's, an
    /// earlier run's) is left as it is, which overwrites nothing; any other
    /// file there (another dataset's configuration) is an existing output,
    /// refused without `force`. `directory` is spelled as the run's output
    /// is (empty: the working directory), so that messages name the file as
    /// the user gave it.
    func writePartDirectoryConfig(into directory: String) throws {
        let path = directory.isEmpty || directory.hasSuffix("/") ? directory + Self.partDirectoryConfigName : directory + "/" + Self.partDirectoryConfigName
        let bytes = Array(partDirectoryConfig.utf8)
        let sha256 = sha256Hex(bytes)
        func inPlace() -> Bool { FileKind(path: path) == .regularFile && FileDigest.sha256(ofFileAt: path) == sha256 }
        if inPlace() { return }
        // Another shard may put the same file in place between the look and the write.
        do { try AtomicFile.write(bytes: bytes, to: path, replace: force) } catch where inPlace() {}
    }
}
