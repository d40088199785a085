import SynthctlCore

/// The texts an embedder reads: one column of a table (CSV, TSV, JSON
/// Lines, Parquet, a directory of Parquet parts), or a plain text file
/// holding one text per line.
///
/// A table's text column holds strings: a CSV or TSV field is its text as
/// written (an empty field is an empty text), a JSON or Parquet string its
/// value. A null, a key a JSON row lacks, a number or a nested value is
/// refused in one line naming the row and column (scikit-learn's
/// vectorizers and sentence-transformers fail on such a cell too, later
/// and less clearly).
///
/// A text file's lines end at `\n` (a `\r` before it is dropped, as a
/// Windows line end); an empty line is an empty text, and a final line end
/// starts no further text. A byte-order mark is skipped. Bytes that are not
/// UTF-8 are refused at their line.
public struct TextColumn: Sendable {
    /// The file as the user named it.
    public let source: String
    /// The column read (nil for a text file).
    public let column: String?
    private let storage: Storage

    private enum Storage: Sendable {
        case strings([String])
        /// The texts' bytes (a text file's, or a table's texts back to
        /// back) and each text's range in them: one allocation for all,
        /// not a String each to make and free.
        case packed([UInt8], [Range<Int>])
    }

    /// Texts given in memory (tests, callers that hold them already).
    init(source: String, column: String?, texts: [String]) {
        self.init(source: source, column: column, storage: .strings(texts))
    }

    private init(source: String, column: String?, storage: Storage) {
        self.source = source
        self.column = column
        self.storage = storage
    }

    /// How many texts there are.
    public var count: Int {
        switch storage {
        case .strings(let s): s.count
        case .packed(_, let r): r.count
        }
    }

    /// Calls `body` with text `i`'s UTF-8 bytes.
    func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch storage {
        case .strings(let s):
            var text = s[i]
            return try text.withUTF8(body)
        case .packed(let bytes, let ranges):
            return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[ranges[i]])) }
        }
    }

    /// Text `i`.
    public func text(_ i: Int) -> String { withUTF8(i) { String(decoding: $0, as: UTF8.self) } }

    /// The texts of column `column` of the table at `path` (see the type's
    /// documentation). Errors: the file cannot be read as a table, it has
    /// no such column (or two), a cell is not a string.
    public static func read(table path: String, column: String, format: TableFormat? = nil) throws -> TextColumn {
        // The common JSON Lines file on all cores; anything else (and every error) through the exact reader.
        if let (bytes, ranges) = JSONLinesTextColumn.read(path, column: column, format: format, threads: Parallel.coreCount) {
            return TextColumn(source: path, column: column, storage: .packed(bytes, ranges))
        }
        var source = try TableSource(path, format: format)
        return try read(&source, path: path, column: column).texts
    }

    /// The texts of column `column` of the table at `path`, and the
    /// table's every column as a Parquet output carries them
    /// (``ParquetWritableTable/init(carrying:path:textColumn:)``: CSV, TSV
    /// and JSON Lines columns typed by their cells), from one reading of the
    /// file (standard input can be read once). A Parquet table's columns
    /// are not typed from its cells but read as stored, by
    /// ``ParquetTableSplit`` from its path: for one, `table` is nil.
    /// Errors: those of ``read(table:column:format:)``, and a column
    /// Parquet cannot carry.
    package static func readCarryingColumns(table path: String, column: String, format: TableFormat? = nil) throws -> (texts: TextColumn, table: ParquetWritableTable?) {
        var source = try TableSource(path, format: format)
        let (texts, c) = try read(&source, path: path, column: column)
        if source.decodesColumnsOnDemand { return (texts, nil) }
        try source.load(columns: Array(source.header.indices))
        return (texts, try ParquetWritableTable(carrying: source, path: path, textColumn: c))
    }

    /// The texts of column `column` of `source` (the table at `path`), and the column's index.
    private static func read(_ source: inout TableSource, path: String, column: String) throws -> (texts: TextColumn, index: Int) {
        let c = try CSVTable.column([column], role: "texts", header: source.header, path: path, headerLine: nil)
        var listProblem: InputError?
        do {
            try source.load(columns: [c])
        } catch let error as InputError where source.cellsTypedByFile && !source.decodesColumnsOnDemand && error.expected.hasPrefix("a list of") {
            // JSON Lines reads a column holding arrays as embeddings, and refused it as one (naming
            // whichever row broke the lists, a text's row too); its cells are read: the loop below
            // names the first row that is not a text.
            listProblem = error
        }
        var bytes = [UInt8](), ranges = [Range<Int>]()
        ranges.reserveCapacity(source.rows)
        for r in 0..<source.rows {
            let expected = "a text (a string)"
            switch source.cell(r, c) {
            case .text(let s):
                let start = bytes.count
                bytes.append(contentsOf: s.utf8)
                ranges.append(start..<bytes.count)
            case .null: throw InputError(file: path, at: source.location(r), column: column, expected: expected, found: "a missing value (null)")
            case .absent: throw InputError(file: path, at: source.location(r), column: column, expected: expected, found: "no key \"\(column)\"")
            case .integer(let i): throw InputError(file: path, at: source.location(r), column: column, expected: expected, found: "the number \(i)")
            case .real(let d): throw InputError(file: path, at: source.location(r), column: column, expected: expected,
                                                found: d.isNaN ? "a missing value (NaN)" : "the number \(d)")
            case .boolean(let b): throw InputError(file: path, at: source.location(r), column: column, expected: expected, found: "the boolean \(b)")
            case .nested(let what): throw InputError(file: path, at: source.location(r), column: column, expected: expected, found: what)
            }
        }
        if let listProblem { throw listProblem }
        return (TextColumn(source: path, column: column, storage: .packed(bytes, ranges)), c)
    }

    /// The lines of the text file at `path`, each a text (see the type's
    /// documentation), read whole; gzip or zstd compressed files are
    /// decoded first. ``TextBlocks/lines(_:)`` reads them a block at a time.
    /// Errors: the file cannot be read, holds a NUL byte, or is not UTF-8.
    public static func read(lines path: String) throws -> TextColumn {
        // NUL bytes are refused by the cutter, line by line: the first bad line is named, as when streamed.
        let bytes = try InputFile.contents(path, isText: { _ in false }, decompressing: true)
        if let found = InputFile.notUTF8Text(Array(bytes.prefix(64)), path: path) { throw InputError(file: path, expected: "UTF-8 text", found: found) }
        var ranges = [Range<Int>](), cutter = TextLineCutter(path: path)
        _ = try bytes.withUnsafeBufferPointer { try cutter.cut($0, from: 0, to: $0.count, final: true, limit: .max, into: &ranges) }
        return TextColumn(source: path, lines: bytes, ranges: ranges)
    }

    /// The lines `ranges` of a text file's `bytes` (already checked by ``TextLineCutter``).
    init(source: String, lines bytes: [UInt8], ranges: [Range<Int>]) {
        self.init(source: source, column: nil, storage: .packed(bytes, ranges))
    }

    /// Texts `range` of these, sharing their storage.
    func texts(_ range: Range<Int>) -> TextColumn {
        switch storage {
        case .strings(let s): TextColumn(source: source, column: column, storage: .strings(Array(s[range])))
        case .packed(let bytes, let ranges): TextColumn(source: source, column: column, storage: .packed(bytes, Array(ranges[range])))
        }
    }
}
