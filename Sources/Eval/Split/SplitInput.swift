import Foundation
import SynthctlCore

/// The forms of labeled input `synthctl split` splits, each written back
/// in its own form: what the other commands read.
public enum SplitInput: Sendable, Equatable {
    /// CSV, TSV or JSON Lines (optionally gzip or zstd): rows copied byte
    /// for byte (``LabeledTableSplit``).
    case textTable
    /// A Parquet file, a directory of Parquet parts or a sharded Parquet
    /// dataset: two Parquet files (``ParquetTableSplit``).
    case parquet
    /// A dataset directory of `.npy` arrays: two dataset directories
    /// (``DatasetDirectorySplit``).
    case datasetDirectory
    /// A features `.npy` with its labels `.npy`: two pairs (``NpyRowSelection``).
    case npy

    /// The form of the input at `path`; `format` is the table format the
    /// user gave, if any. Reading the input says whether it is readable.
    public static func of(_ path: String, format: TableFormat?) -> SplitInput {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return LabeledFeatures.isParquetPartDirectory(path) || ParquetPartDirectory.holdsShards(path) ? .parquet : .datasetDirectory
        }
        if path.lowercased().hasSuffix(".npy") { return .npy }
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 4096)).flatMap { $0 }.map { [UInt8]($0) } ?? []
        return TableFormat.of(path, bytes: head, explicit: format) == .parquet ? .parquet : .textTable
    }

    /// The record's `format` for this form (a text table says its own).
    public var recordName: String {
        switch self {
        case .textTable: "table"
        case .parquet: "parquet"
        case .datasetDirectory: "dataset_directory"
        case .npy: "npy"
        }
    }
}
