import Foundation
import Synth
import SynthctlCore

/// The table formats synthctl reads (each read by its ``TableReader``,
/// listed in ``reader``), and how an input's format is decided:
/// by the name's extension when it has one synthctl knows (`.csv`; `.tsv`,
/// `.tab`; `.jsonl`, `.ndjson`; `.parquet`, `.pq`); otherwise as `--input-format`
/// says, or by the first bytes, since standard input (`-`) and process
/// substitution (`<(…)`, a `/dev/fd/N` path) have no extension: Parquet's
/// `PAR1` magic, JSON Lines when the first character that is not white
/// space (after a byte-order mark) is `{`, CSV otherwise. (A known
/// extension wins over `--input-format`, so that one option serves a run
/// that reads `-` beside a named `.csv`.) A gzip or zstd stream (by its
/// magic number) is decoded first and these rules apply to what it holds;
/// `.gz` and `.zst` after a known extension (`t.csv.gz`) are looked through.
public enum TableFormat: String, CaseIterable, Sendable {
    case csv
    /// Tab-separated text: CSV's rules (quotes, line ends, missing values)
    /// with a tab between fields, as pandas' `read_csv(sep="\t")` reads it.
    case tsv
    case jsonl
    case parquet

    /// The format named by `path`'s extension (any case), or nil. A
    /// compression suffix is looked through (`t.csv.gz`, `t.jsonl.zst`:
    /// ``StreamCompression``); the bytes are decoded as they are read.
    public init?(extensionOf path: String) {
        let lower = StreamCompression.strippingSuffix(path).lowercased()
        guard let format = Self.allCases.first(where: { $0.reader.extensions.contains { lower.hasSuffix("." + $0) } }) else {
            return nil
        }
        self = format
    }

    /// The format of a table with no telling extension, from its first
    /// bytes: the first whose reader recognizes them, else CSV.
    public init(sniffing bytes: [UInt8]) {
        self = Self.allCases.first { $0.reader.recognizes(bytes) } ?? .csv
    }

    /// `explicit` when given (`--input-format` says what the bytes are,
    /// whatever the name: JSON Lines saved as `.csv`), else by extension,
    /// else by content. One exception: bytes that start with Parquet's
    /// magic are Parquet, since no text format reads them, so that
    /// `--input-format` given for standard input does not misread a
    /// `.parquet` file of the same run.
    public static func of(_ path: String, bytes: [UInt8], explicit: TableFormat? = nil) -> TableFormat {
        if let explicit, explicit != .parquet, TableFormat.parquet.reader.recognizes(bytes) { return .parquet }
        return explicit ?? TableFormat(extensionOf: path) ?? TableFormat(sniffing: bytes)
    }
}

extension TableFormat {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var delimiter: UInt8? = nil

    /// The field delimiter of delimited text (CSV and TSV) for the run, or
    /// nil for each format's own (a comma for CSV, a tab for `.tsv` and
    /// `.tab`): the command line's `--delimiter` sets it before any input is
    /// read, for files such as Excel's semicolon-separated exports. When
    /// set, it overrides the extension's default.
    /// A task's own delimiter, when set by ``withDelimiter(_:_:)``, comes first.
    public static var givenDelimiter: UInt8? {
        get {
            if let scopedDelimiter { return scopedDelimiter }
            lock.lock(); defer { lock.unlock() }; return delimiter
        }
        set { lock.lock(); defer { lock.unlock() }; delimiter = newValue }
    }

    @TaskLocal private static var scopedDelimiter: UInt8?

    /// Runs `body` with `delimiter` as ``givenDelimiter`` for this task only,
    /// for code that reads tables beside other readers in the same process
    /// (tests run in parallel), where setting the run's delimiter would
    /// change theirs.
    public static func withDelimiter<T>(_ delimiter: UInt8, _ body: () throws -> T) rethrows -> T {
        try $scopedDelimiter.withValue(delimiter, operation: body)
    }
}
