import SynthctlCore

/// How a dataset is written.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// The dataset directory: `.npy` arrays, `manifest.json`, `README.md`.
    case npy
    /// One CSV table with a header row, plus `<out>.manifest.json`.
    case csv
    /// One JSON Lines table (an object per row), plus `<out>.manifest.json`.
    case jsonl
    /// One Parquet table with typed columns, plus `<out>.manifest.json`
    /// (see ``DatasetWriter`` `streamParquet` for its columns and types).
    case parquet
}

/// Which rows of the whole dataset a run writes: part `index` (1-based) of
/// `count` equal contiguous parts. Part k holds rows
/// ⌊N·(k−1)/n⌋ ..< ⌊N·k/n⌋, exactly the rows a single run writes there.
public struct Shard: Sendable, Equatable {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 1, index <= count else {
            throw ArgumentError(argument: "shard", expected: "k/n with 1 ≤ k ≤ n", found: "\(index)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// Parses "k/n".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            throw ArgumentError(argument: "shard", expected: "k/n (e.g. 2/8)", found: "\"\(text)\"")
        }
        try self.init(index: k, count: n)
    }

    /// The spec's spelling, `"k/n"` (a manifest's `spec.shard`).
    public var specValue: JSONValue { .string("\(index)/\(count)") }

    public func rows(of total: Int) -> Range<Int> {
        // N·k overflows Int for large n (`--shard 3/9223372036854775807`); the
        // double-width product cannot, and its quotient by n is at most N.
        func boundary(_ k: Int) -> Int { count.dividingFullWidth(total.multipliedFullWidth(by: k)).quotient }
        return boundary(index - 1)..<boundary(index)
    }
}
