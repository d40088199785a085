/// The compressions a text table may come in (`t.csv.gz`, `t.jsonl.zst`, or
/// `gzip -c t.csv | synthctl … -`): gzip (RFC 1952, what pandas'
/// `to_csv(compression="gzip")`, DuckDB's `COPY … TO 'x.csv.gz'` and `gzip`
/// write) and zstd (RFC 8878). Recognized by their magic numbers, never by
/// the name alone, so a `.gz` that is not gzip is read as what it is.
public enum StreamCompression: String, CaseIterable, Sendable {
    case gzip
    case zstd

    /// The compression whose magic number `first` starts with: gzip's
    /// 1F 8B (RFC 1952 §2.3.1), zstd's frame magic 28 B5 2F FD (RFC 8878 §3.1.1).
    public init?(magic first: [UInt8]) {
        if first.starts(with: [0x1F, 0x8B]) { self = .gzip }
        else if first.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { self = .zstd }
        else { return nil }
    }

    /// File name suffixes, lower case, without the dot.
    public var suffixes: [String] {
        switch self {
        case .gzip: ["gz", "gzip"]
        case .zstd: ["zst", "zstd"]
        }
    }

    /// The compression a name's suffix (any case) says: `t.csv.gz` → gzip,
    /// `t.jsonl.zst` → zstd; nil for any other name.
    public init?(suffixOf path: String) {
        let lower = path.lowercased()
        guard let found = Self.allCases.first(where: { $0.suffixes.contains { lower.hasSuffix("." + $0) } }) else { return nil }
        self = found
    }

    /// `path` without a compression suffix (any case): `t.csv.gz` → `t.csv`,
    /// so that the suffix before it names the table format.
    public static func strippingSuffix(_ path: String) -> String {
        let lower = path.lowercased()
        for suffix in allCases.flatMap(\.suffixes) where lower.hasSuffix("." + suffix) {
            return String(path.dropLast(suffix.count + 1))
        }
        return path
    }

    /// A fresh decoder for one stream.
    func decoder() throws(CompressionError) -> any _UnsafeBoundedDecoder {
        switch self {
        case .gzip:
            guard let state = _UnsafeInflateState() else {
                throw CompressionError(codec: Gzip.name, expectedSize: nil, found: "no zlib decoder (out of memory)")
            }
            return state
        case .zstd:
            guard let state = _UnsafeZstdDecodeState() else {
                throw CompressionError(codec: Zstd.name, expectedSize: nil, found: "no zstd decoder (out of memory)")
            }
            return state
        }
    }
}
