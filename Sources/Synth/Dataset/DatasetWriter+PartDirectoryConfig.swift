import SynthctlCore

/// A sharded Parquet dataset's directory loads with Hugging Face
/// `datasets.load_dataset(dir)`.
///
/// Why: without a configuration `datasets` takes every file of the
/// directory as data, the parts' manifests (`_part-….manifest.json`)
/// among them, and fails reading a manifest as Parquet. A dataset card
/// (`README.md`) could name the parts, but pyarrow's `pq.read_table(dir)`
/// skips only names starting with `_` or `.`, and would fail reading the
/// card as Parquet. `datasets` also reads its YAML configuration from
/// `.huggingface.yaml` in a local directory (`config.REPOYAML_FILENAME`,
/// merged into the card's data), a name every dataset reader skips. So
/// each shard writes ``partDirectoryConfig`` there: the `configs` entry of
/// a card whose `data_files` pattern lists only the parts
/// (`part-*.parquet`), one `train` split.
extension DatasetWriter {
    /// The configuration's file name, in the directory of the parts.
    public static let partDirectoryConfigName = ".huggingface.yaml"

    /// Its text: the same for every shard of every dataset, so that the
    /// shards of one run (in any order, in parallel) put the same bytes in
    /// place.
    static let partDirectoryConfig = """
        configs:
        - config_name: default
          data_files:
          - split: train
            path: "part-*.parquet"

        """

    /// Writes ``partDirectoryConfig`` into `directory`, the parts'
    /// directory, as the shared model copies are written
    /// (``writeModelCopies(into:shown:manifestName:atomically:)``): a
    /// regular file with these bytes already there (another shard's, an
    /// earlier run's) is left as it is, which overwrites nothing; any other
    /// file there is an existing output, refused without `force`.
    /// `directory` is spelled as the run's output is (empty: the working
    /// directory), so that messages name the file as the user gave it.
    func writePartDirectoryConfig(into directory: String) throws {
        let path = directory.isEmpty || directory.hasSuffix("/") ? directory + Self.partDirectoryConfigName : directory + "/" + Self.partDirectoryConfigName
        let bytes = Array(Self.partDirectoryConfig.utf8)
        let sha256 = sha256Hex(bytes)
        func inPlace() -> Bool { FileKind(path: path) == .regularFile && FileDigest.sha256(ofFileAt: path) == sha256 }
        if inPlace() { return }
        // Another shard may put the same file in place between the look and the write.
        do { try AtomicFile.write(bytes: bytes, to: path, replace: force) } catch where inPlace() {}
    }
}
