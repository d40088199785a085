import Foundation
import Synth
import SynthctlCore

/// A labeled table split into a training part and a holdout
/// (``StratifiedSplit``), each written as a table of the same format,
/// with every row's bytes as the file has them (``TextTableRecords``): the
/// header, cells, quoting and number spellings unchanged, so that `fit`,
/// `compare`, pandas and pyarrow read back every column (its values, name,
/// inferred type and class names) exactly as from the whole file; rows keep
/// their order within each part. A part's compression is its name's
/// (`.gz`: gzip level 6, MTIME 0; `.zst`: zstd level 3, as `gen` writes),
/// whatever the source's.
///
/// CSV, TSV and JSON Lines tables (compressed or not) are split here;
/// Parquet tables by ``ParquetTableSplit``, dataset directories by
/// ``DatasetDirectorySplit`` and `.npy` arrays by ``NpyRowSelection``
/// (``SplitInput`` says which).
///
/// The record (``record(trainFile:holdoutFile:)``) says how to make the
/// parts again: the source file and its SHA-256, the seed and fraction, and
/// per part its file, SHA-256, rows per class and source rows.
public struct LabeledTableSplit: Sendable {
    public let source: String
    public let format: TableFormat
    /// The split, the rows' classes and file rows, and the source's SHA-256.
    public let record: SplitRecord
    let text: [UInt8]
    let records: TextTableRecords

    /// Splits the table at `path`, read already as `set`. Errors: a format
    /// that is not split (one line), the file's bytes (``InputFile``), and
    /// rows that cannot be matched with the reader's (never expected: a
    /// quote the reader reads otherwise).
    public init(table path: String, set: LabeledFeatures, format explicit: TableFormat? = nil,
                fraction: Double, seed: UInt64) throws {
        let raw = try InputFile.contents(path)
        let format = TableFormat.of(path, bytes: Array(raw.prefix(4096)), explicit: explicit)
        guard format != .parquet, !LabeledFeatures.isParquetPartDirectory(path) else {
            throw InputError(file: path, expected: "a CSV, TSV or JSON Lines table to split as text",
                             found: "a Parquet table (ParquetTableSplit splits it)")
        }
        let text = try TableSource.contents(path, format: explicit)
        let records = TextTableRecords(text, format: format)
        let fileRowCount = set.rows + set.droppedRows
        guard records.rows.count == fileRowCount else {
            throw InputError(file: path, expected: "\(fileRowCount) rows, as the table was read", found: "\(records.rows.count) line-delimited records")
        }
        self.source = path
        self.format = format
        self.record = SplitRecord(file: path, sha256: sha256Hex(raw), format: format.rawValue, set: set,
                                  split: StratifiedSplit(labels: set.labels, classes: set.classCount, fraction: fraction, seed: seed),
                                  seed: seed, fraction: fraction)
        self.text = text
        self.records = records
    }

    /// Refuses a part's name that does not name the source's format
    /// (`t.csv` splits into `train.csv` or `train.csv.gz`, not `train.jsonl`).
    public func checkPartName(_ path: String, option: String) throws {
        guard TableFormat(extensionOf: path) == format else {
            throw InputError(file: path, field: option,
                             expected: "a .\(format.rawValue) name (optionally .gz or .zst), the format of \(source)",
                             found: "\"\((path as NSString).lastPathComponent)\"")
        }
    }

    /// The bytes of the part holding the set's rows `rows` (ascending), to
    /// be written at `path` (whose name decides the compression).
    public func bytes(ofPart rows: [Int], path: String) -> [UInt8] {
        var out = Array(text[records.preamble])
        for r in record.sourceRows(rows) { out += text[records.rows[r]] }
        guard let compression = StreamCompression(suffixOf: path) else { return out }
        let encoder = StreamEncoder(compression)
        return out.withUnsafeBufferPointer { encoder.encode(unsafe RawSpan(_unsafeElements: $0)) } + encoder.finish()
    }

    /// The training part's bytes for `path`.
    public func trainBytes(path: String) -> [UInt8] { bytes(ofPart: record.split.train, path: path) }
    /// The holdout's bytes for `path`.
    public func holdoutBytes(path: String) -> [UInt8] { bytes(ofPart: record.split.holdout, path: path) }

    /// The record of the split (``SplitRecord``), given each part's file and bytes.
    public func record(trainFile: String, trainBytes: [UInt8], holdoutFile: String, holdoutBytes: [UInt8]) -> JSONValue {
        record.json(train: .init(file: trainFile, sha256: sha256Hex(trainBytes)), holdout: .init(file: holdoutFile, sha256: sha256Hex(holdoutBytes)))
    }
}
