import SynthctlCore

/// How a manifest's dataset was written: the output settings of the run
/// that wrote it, read back from the manifest so that `gen --spec
/// <manifest>` writes the same bytes again (the spec and seed give the
/// rows; these give the file they are written as).
///
/// What a manifest records, and where (``DatasetWriter`` `manifestText`):
///
/// | setting | where |
/// | --- | --- |
/// | the `.npy` directory | `files` lists `features.npy` |
/// | the table's format | its file entry (the one with `columns`): `format` (Parquet, and a csv or jsonl file whose name does not say it, or that is tab-separated or compressed: `t.txt`, `t.tsv`, `t.csv.gz`), else the extension of its name (`t.csv`, `data.jsonl`); a plain table on standard output (`-`), or one named otherwise by an older synthctl (`t.txt`), keeps the defaults |
/// | a tab-separated csv table | the entry's `delimiter`, `"\t"` (absent: commas) |
/// | a gzip or zstd text table | the entry's `compression`, `gzip` or `zstd` (absent: none) |
/// | class labels as names or ids | the entry's `label_format` (absent: names) |
/// | Parquet's page codec | the entry's `compression` |
/// | a `--directory` table | `files` lists `README.md` beside `data.<format>` |
///
/// The shard is the spec's own (``Manifest/spec``), not an output setting.
public struct RecordedOutput: Sendable, Equatable {
    public var format: OutputFormat
    /// The table's class labels; nil where the manifest records none.
    public var labelFormat: LabelFormat?
    /// The Parquet page codec; nil where the manifest records none.
    public var compression: ParquetCodec?
    /// The table was written as a dataset directory (`data.<format>`,
    /// README.md, croissant.json, manifest.json).
    public var tableDirectory: Bool
    /// A csv table separated by tabs.
    public var tabSeparated: Bool
    /// A csv or jsonl table's stream compression; nil: none.
    public var textCompression: StreamCompression?

    public init(format: OutputFormat, labelFormat: LabelFormat? = nil, compression: ParquetCodec? = nil, tableDirectory: Bool = false,
                tabSeparated: Bool = false, textCompression: StreamCompression? = nil) {
        self.format = format
        self.labelFormat = labelFormat
        self.compression = compression
        self.tableDirectory = tableDirectory
        self.tabSeparated = tabSeparated
        self.textCompression = textCompression
    }

    /// The settings `manifest` (a synthctl manifest's top-level object)
    /// records; nil when it lists no dataset file this reads (another
    /// tool's JSON, a hand-written spec), or a table whose format neither
    /// its entry nor its name says: such a manifest regenerates as it
    /// always did, with the defaults.
    public init?(manifest: [String: JSONValue]) {
        guard case .object(let files)? = manifest["files"] else { return nil }
        if files["features.npy"] != nil {
            self.init(format: .npy)
            return
        }
        let tables = files.compactMap { name, entry -> (name: String, entry: [String: JSONValue])? in
            guard case .object(let e) = entry, e["columns"] != nil else { return nil }
            return (name, e)
        }
        guard tables.count == 1, let table = tables.first else { return nil }
        let (name, entry) = (table.name, table.entry)
        let format: OutputFormat
        if case .string(let text)? = entry["format"] {
            guard let recorded = OutputFormat(rawValue: text), recorded != .npy else { return nil }
            format = recorded
        } else if let named = Self.format(named: name) {
            format = named
        } else {
            return nil
        }
        var labelFormat: LabelFormat? = nil
        if case .string(let text)? = entry["label_format"] { labelFormat = LabelFormat(rawValue: text) }
        var compression: ParquetCodec? = nil
        var textCompression: StreamCompression? = nil
        if format == .parquet, case .string(let text)? = entry["compression"] { compression = ParquetCodec(rawValue: text) }
        if format != .parquet, case .string(let text)? = entry["compression"] { textCompression = StreamCompression(rawValue: text) }
        self.init(format: format, labelFormat: labelFormat, compression: compression,
                  tableDirectory: name == "data.\(format.rawValue)" && files["README.md"] != nil,
                  tabSeparated: format == .csv && entry["delimiter"] == .string("\t"), textCompression: textCompression)
    }

    /// The table format a file name's extension says (`.csv`, `.tsv`,
    /// `.jsonl`, `.parquet`, before any `.gz`/`.zst`), or nil.
    public static func format(named name: String) -> OutputFormat? {
        TableFileName(name).format
    }
}
