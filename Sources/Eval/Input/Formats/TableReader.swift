import Synth

/// How one table format is recognized and read: its name, its file name
/// extensions, what its first bytes look like, and how its bytes become a
/// ``TableSource``.
///
/// Every table synthctl reads — labeled features, answers, gold labels,
/// predicted probabilities — goes through ``TableSource`` and so through
/// ``TableFormat/reader``'s dispatch. Adding a format is a reader (one file
/// in `Input/Formats/`), a case in ``TableFormat`` and its line in
/// ``TableFormat/reader``.
protocol TableReader {
    /// The format, whose raw value is its name (`--input-format csv`).
    static var format: TableFormat { get }
    /// How messages name it ("JSON Lines").
    static var displayName: String { get }
    /// File name extensions, lower case, without the dot; matched at the
    /// end of a path whatever its case.
    static var extensions: [String] { get }
    /// Whether `bytes`, the start of a file with no telling extension, are
    /// this format's. CSV, the fallback, claims nothing itself.
    static func recognizes(_ bytes: [UInt8]) -> Bool
    /// Whether the format is text: text is refused at its first block
    /// holding a NUL byte, before it is parsed.
    static var isText: Bool { get }
    /// The field delimiter of delimited text (CSV, TSV), whose records the
    /// answers reader scans in place rather than as cells; nil otherwise.
    static var fieldDelimiter: UInt8? { get }
    /// The table in `bytes` (the whole file at `path`), or the first thing
    /// wrong with it, as a message naming `path` and the line or row.
    static func source(_ path: String, bytes: [UInt8]) throws -> TableSource
}

extension TableReader {
    static var isText: Bool { true }
    static var fieldDelimiter: UInt8? { nil }
}

extension TableFormat {
    /// The reader of this format: the registration list of table formats.
    var reader: any TableReader.Type {
        switch self {
        case .csv: CSVReader.self
        case .tsv: TSVReader.self
        case .jsonl: JSONLinesReader.self
        case .parquet: ParquetReader.self
        }
    }

    /// The formats with their extensions, as help texts list them:
    /// "CSV (.csv), TSV (.tsv, .tab), JSON Lines (.jsonl, .ndjson) or
    /// Parquet (.parquet, .pq)", so that a new reader appears in every
    /// command's help without editing it.
    public static var helpList: String {
        let items = allCases.map { f in "\(f.reader.displayName) (\(f.reader.extensions.map { "." + $0 }.joined(separator: ", ")))" }
        return items.dropLast().joined(separator: ", ") + (items.count > 1 ? " or " : "") + (items.last ?? "")
    }

    /// The formats' names as messages list them: "CSV, TSV, JSON Lines or Parquet".
    public static var displayNames: String {
        let names = allCases.map { $0.reader.displayName }
        return names.dropLast().joined(separator: ", ") + (names.count > 1 ? " or " : "") + (names.last ?? "")
    }
}
