import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synth
import SynthctlCore

/// A part of a dataset directory in the `.npy` form (DESIGN.md, "A
/// dataset on disk"), written by `synthctl split` as a dataset directory
/// of its own: each row array (`features.npy`, `labels.npy`,
/// `true_labels.npy`, `noise_mask.npy`, `targets.npy`, `annotations.npy`,
/// whichever the input has) holds the part's rows in the input's order,
/// each row's bytes as the input has them (``NpyRowSelection``), and
/// `manifest.json`, written last, is the input's with what no longer
/// holds for a part replaced or removed:
///
/// - `files`: each array's SHA-256, bytes, dtype and shape, as `gen`
///   writes them; the input's `README.md`, `croissant.json` and model
///   copies describe the whole set and are not copied;
/// - `rows` is the part's; `row_offset`, `total_rows` and `shard` (a
///   shard's place in a whole) and `noise.realized_counts` and
///   `noise.realized_transition_matrix` (counted over every row) are
///   removed;
/// - `split` says where the rows came from: `{"source", "part", "seed",
///   "holdout_fraction", "rows"}`.
///
/// The class names, feature names, spec and seed stay, so that `fit`,
/// `compare` and every reader name classes and columns as for the input.
/// The directory is written under a temporary name and put in place in
/// one step (``AtomicRename``), as `gen` writes one.
///
/// Table directories and sharded Parquet datasets are refused in one line
/// (their rows are a table: `split` the table, `DIR/data.csv`).
public struct DatasetDirectorySplit: Sendable {
    public let source: String
    /// The arrays with one row per dataset row, by file name.
    let arrays: [(name: String, array: NpyRowSelection)]
    let manifest: [String: JSONValue]
    public let manifestSHA256: String

    /// Reads the `.npy` form at `source`. Errors: a table or sharded
    /// directory, a manifest that is not a JSON object, an array whose
    /// rows are not the labels' (one line naming it).
    public init(source: String) throws {
        let directory = try DatasetDirectory(source)
        guard !directory.isTable else {
            throw InputError(file: source, expected: "a dataset directory of .npy arrays to split",
                             found: "a table directory (split its table: \(directory.tables.map(\.path).joined(separator: ", ")))")
        }
        func inside(_ name: String) -> String { source.hasSuffix("/") ? source + name : source + "/" + name }
        let manifestBytes = try InputFile.contents(inside("manifest.json"))
        guard case .object(let manifest)? = try? JSONDecoder().decode(JSONValue.self, from: Data(manifestBytes)) else {
            throw InputError(file: inside("manifest.json"), expected: "a synthctl dataset manifest", found: "none")
        }
        var arrays = [(name: String, array: NpyRowSelection)]()
        for name in ["features.npy", "labels.npy", "true_labels.npy", "noise_mask.npy", "targets.npy", "annotations.npy"]
        where FileManager.default.fileExists(atPath: inside(name)) {
            arrays.append((name, try NpyRowSelection(path: inside(name))))
        }
        if let labels = arrays.first(where: { $0.name == "labels.npy" }), let other = arrays.first(where: { $0.array.rows != labels.array.rows }) {
            throw InputError(file: inside(other.name), expected: "\(labels.array.rows) rows, as labels.npy", found: "\(other.array.rows)")
        }
        self.source = source
        self.arrays = arrays
        self.manifest = manifest
        self.manifestSHA256 = sha256Hex(manifestBytes)
    }

    /// Writes rows `rows` (the arrays' rows, ascending) as a dataset
    /// directory at `out`, replacing a dataset directory there only with
    /// `replace`. Returns the SHA-256 of the part's manifest (which holds
    /// every file's). `part` (`train` or `holdout`), `seed` and `fraction`
    /// go to the manifest's `split`.
    public func write(rows: [Int], to out: String, part: String, seed: UInt64, fraction: Double, replace: Bool) throws -> String {
        PartialOutputs.removeStale(inDirectoryOf: out)
        let temp = PartialOutputs.temporaryPath(for: out)
        defer { PartialOutputs.unregister(temp) }
        try DatasetDirectoryPlacement.createTemporary(temp, for: out)
        do {
            var files = [String: JSONValue]()
            for (name, array) in arrays {
                let bytes = array.bytes(ofRows: rows)
                try DatasetDirectoryPlacement.writeWhole(bytes, to: "\(temp)/\(name)", name: "\(out)/\(name)")
                files[name] = .object(["sha256": .string(sha256Hex(bytes)), "bytes": .int(bytes.count), "dtype": .string(array.descr),
                                       "shape": .array(([rows.count] + array.shape.dropFirst()).map { .int($0) })])
            }
            var m = manifest
            m["files"] = .object(files)
            if m["rows"] != nil { m["rows"] = .int(rows.count) }
            for key in ["row_offset", "total_rows", "shard"] { m[key] = nil }
            if case .object(var noise)? = m["noise"] {
                noise["realized_counts"] = nil
                noise["realized_transition_matrix"] = nil
                m["noise"] = .object(noise)
            }
            m["split"] = .object(["source": .string(source), "part": .string(part), "seed": .int(Int(truncatingIfNeeded: seed)),
                                  "holdout_fraction": .double(fraction), "rows": .int(rows.count)])
            let text = Array((JSONValue.object(m).serialized() + "\n").utf8)
            try DatasetDirectoryPlacement.writeWhole(text, to: "\(temp)/manifest.json", name: "\(out)/manifest.json")
            try DatasetDirectoryPlacement.place(temp, at: out, replace: replace)
            return sha256Hex(text)
        } catch let error as any SynthctlError {
            PartialOutputs.removeOwn(temp)
            throw error
        } catch {
            PartialOutputs.removeOwn(temp)
            throw FileAccessError(path: out, problem: "cannot write the output", reason: FileErrorReason.describe(error, path: out))
        }
    }
}
