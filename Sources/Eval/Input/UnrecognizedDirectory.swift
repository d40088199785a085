import Foundation
import SynthctlCore

extension DatasetDirectory {
    /// Why directory `path` is no input at all: neither a dataset directory
    /// (a `manifest.json`, a sharded set's `_part-….manifest.json`, or the
    /// `.npy` arrays `gen` writes) nor a directory of Parquet parts, nor one
    /// of mostly Parquet files (``ParquetPartDirectory/refusal(_:)`` names
    /// its stray entry), nor empty: a folder such as /tmp holding other
    /// things. Nil for anything else (a file, nothing, a directory that is
    /// one of those).
    ///
    /// Why: read as a dataset directory, such a folder was refused for a
    /// missing `labels.npy`, which says nothing to someone who gave the
    /// wrong folder. The line says what was expected and what the folder
    /// holds: "a directory of 7 entries (e.g. a.txt, b.csv, notes)", the
    /// examples the first three names in byte order. `expected` names the
    /// inputs the role takes (answers and gold take no dataset directory).
    public static func unrecognized(_ path: String, expected: String = "a dataset directory, a Parquet part directory or a table") -> InputError? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
              !ParquetPartDirectory.holds(path), ParquetPartDirectory.refusal(path) == nil else { return nil }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard !names.isEmpty else { return nil }
        let datasetFiles: Set<String> = ["manifest.json", "features.npy", "labels.npy", "true_labels.npy", "annotations.npy", "targets.npy"]
        if names.contains(where: { datasetFiles.contains($0) || ($0.hasPrefix("_part-") && $0.hasSuffix(".manifest.json")) }) { return nil }
        let shown = names.filter { !$0.hasPrefix(".") }.prefix(3)
        let examples = shown.isEmpty ? "" : " (e.g. \(shown.joined(separator: ", ")))"
        return InputError(file: path, expected: expected,
                          found: "a directory of \(names.count) \(names.count == 1 ? "entry" : "entries")\(examples)")
    }
}
