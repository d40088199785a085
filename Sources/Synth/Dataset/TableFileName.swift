import SynthctlCore

/// What a table file's name promises about its bytes, read as pandas,
/// DuckDB and Polars read it: the extension before any compression suffix
/// names the format (`.csv`; `.tsv` or `.tab`, tab-separated CSV;
/// `.jsonl` or `.ndjson`; `.parquet` or `.pq`), and a last `.gz`/`.gzip` or
/// `.zst`/`.zstd` the stream compression. `t.tsv.gz` is gzip-compressed
/// tab-separated text; `t.txt` says nothing.
///
/// `gen` writes what the name promises (``DatasetWriter`` `tabSeparated`,
/// `textCompression`), and refuses a name that contradicts its format.
public struct TableFileName: Sendable, Equatable {
    /// The table format the extension names; nil when it names none.
    public var format: OutputFormat?
    /// `.tsv`/`.tab`: fields separated by tabs (format ``OutputFormat/csv``).
    public var tabSeparated = false
    /// A compression suffix's codec.
    public var compression: StreamCompression?
    /// The extension as written (`.tsv`, `.PARQUET`), for messages; empty
    /// when the name has none that names a format.
    public var formatSuffix = ""

    public init(_ path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        compression = StreamCompression(suffixOf: name)
        let stem = StreamCompression.strippingSuffix(name)
        guard let dot = stem.lastIndex(of: "."), dot != stem.startIndex else { return }
        let suffix = String(stem[dot...])
        switch suffix.lowercased() {
        case ".csv": format = .csv
        case ".tsv", ".tab": (format, tabSeparated) = (.csv, true)
        case ".jsonl", ".ndjson": format = .jsonl
        case ".parquet", ".pq": format = .parquet
        default: return
        }
        formatSuffix = suffix
    }

    /// The name says nothing of format or compression (`t.txt`, `-`, `out`).
    public var isSilent: Bool { format == nil && compression == nil }

    /// The compression suffix as written (`.gz`), empty without one.
    public static func compressionSuffix(of path: String) -> String {
        String(path.dropFirst(StreamCompression.strippingSuffix(path).count))
    }

    /// The suffix of a table written as `format`, tab-separated or not,
    /// compressed or not: `.csv`, `.tsv.gz`, `.jsonl.zst`, `.parquet`.
    public static func suffix(format: OutputFormat, tabSeparated: Bool, compression: StreamCompression?) -> String {
        "." + (tabSeparated ? "tsv" : format.rawValue) + (compression.map { "." + $0.suffixes[0] } ?? "")
    }
}
