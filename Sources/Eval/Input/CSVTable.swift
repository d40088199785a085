import Foundation
import Synth
import SynthctlCore

/// A small RFC 4180 CSV reader: a header row naming the columns, then records
/// of the same width. Fields may be quoted ("a,b", with "" for a quote inside);
/// line ends may be \n, \r\n or a lone \r (old Mac files, what Excel for Mac
/// still writes as "CSV (Macintosh)"); a UTF-8 byte-order mark at the start is
/// skipped; blank lines are skipped (in a table of one column a line holding
/// `""` is a row of one empty field, as pandas reads it). NUL bytes are refused: C-based parsers
/// stop at them, so "1\02" would read as 1. Enough for the tables annotation
/// tools export, with errors that name the file, the line and what was wrong.
///
/// As pandas' `read_csv` does: the delimiter may be another byte (a tab for
/// `.tsv`, `;` for Excel's exports in many locales); an empty header name
/// is named `Unnamed: i` (i the 0-based column); and an unnamed last column
/// with no value on any line — what a trailing delimiter on every line
/// (Excel and R exports) makes — is left out (``droppedEmptyLastColumn``),
/// where pandas would keep an all-NaN column that every reader here would
/// refuse as missing values.
///
/// Fields are kept as byte ranges into one buffer (the file, followed by the
/// unescaped text of quoted fields), not as a String each: a file of millions
/// of answers then parses in tens of milliseconds, and readers that only need
/// ids (``AnswerReader``) never build a String per field.
public struct CSVTable: Sendable {
    public let path: String
    public let header: [String]
    /// True when the file's last column had no name and no value on any
    /// line (a trailing delimiter), and was left out of ``header``.
    public let droppedEmptyLastColumn: Bool
    /// The number of records (rows after the header).
    public let rowCount: Int
    /// The 1-based file line each record starts on, for error messages.
    public let lines: [Int]
    /// The file's bytes, then the unescaped bytes of quoted fields.
    let storage: [UInt8]
    /// Record r's field c spans `storage[bounds[2 * (r * stride + c)] ..< bounds[2 * (r * stride + c) + 1]]`.
    let bounds: [Int]
    /// Fields per record in `bounds`: the file's, one more than ``width``
    /// when the empty last column was left out.
    let stride: Int

    public var width: Int { header.count }

    public init(path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        try self.init(bytes: try Self.contents(path), path: path, delimiter: delimiter)
    }

    /// The file's bytes: a regular file, a pipe, or standard input (`-`).
    static func contents(_ path: String) throws -> [UInt8] {
        try InputFile.textContents(path)
    }

    public init(text: String, path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        try self.init(bytes: Array(text.utf8), path: path, delimiter: delimiter)
    }

    init(bytes file: [UInt8], path: String, delimiter: UInt8 = UInt8(ascii: ","), budget: MemoryBudget = .current) throws {
        self.path = path
        var extra = [UInt8](), bounds = [Int](), lines = [Int]()
        let n = file.count
        var lastNameEmpty = false
        let names = try file.withUnsafeBufferPointer { file in
            try _UnsafeCSVScanner.scan(file, path: path, delimiter: delimiter,
                                       onHeader: { _, emptyNames in lastNameEmpty = emptyNames.last == true }) { record in
                if bounds.isEmpty {
                    // Fields × records from the line count, but never more
                    // fields than the file has bytes and line ends (each
                    // field ends in a comma or a newline): a wide header over
                    // many blank lines must not size a huge reservation.
                    let fields = min(MemoryEstimate.product([record.fieldCount, record.estimatedRecords]),
                                     MemoryEstimate.sum([n, record.estimatedRecords]))
                    var estimate = MemoryEstimate()
                    estimate.add("the file's bytes", n)
                    estimate.add("field bounds (\(fields) fields × 16 bytes)", fields, 16)
                    try budget.check(estimate, subject: path)
                    bounds.reserveCapacity(2 * fields)
                }
                for c in 0..<record.fieldCount {
                    if let range = record.fileRange(c) {
                        bounds.append(range.lowerBound); bounds.append(range.upperBound)
                    } else {
                        bounds.append(n + extra.count)
                        extra.append(contentsOf: record.field(c))
                        bounds.append(n + extra.count)
                    }
                }
                lines.append(record.line)
            }
        }
        storage = extra.isEmpty ? file : file + extra
        self.bounds = bounds
        self.lines = lines
        rowCount = lines.count
        stride = names.count
        // An unnamed last column empty on every line: a trailing delimiter.
        var emptyLast = lastNameEmpty && names.count >= 2
        if emptyLast {
            for r in 0..<lines.count where bounds[2 * (r * names.count + names.count - 1)] != bounds[2 * (r * names.count + names.count - 1) + 1] {
                emptyLast = false
                break
            }
        }
        droppedEmptyLastColumn = emptyLast
        header = emptyLast ? Array(names.dropLast()) : names
    }

    /// Record `row`'s field in `column`, as text.
    public subscript(row: Int, column: Int) -> String {
        let f = 2 * (row * stride + column)
        return String(decoding: storage[bounds[f]..<bounds[f + 1]], as: UTF8.self)
    }

    /// Whether record `row`'s field in `column` is empty.
    public func isEmpty(row: Int, column: Int) -> Bool {
        let f = 2 * (row * stride + column)
        return bounds[f] == bounds[f + 1]
    }

    /// The byte range of record `row`'s field in `column` within ``storage``.
    func byteRange(row: Int, column: Int) -> Range<Int> {
        let f = 2 * (row * stride + column)
        return bounds[f]..<bounds[f + 1]
    }

    /// Every record as strings, in file order (for small tables).
    public var records: [[String]] {
        (0..<rowCount).map { r in (0..<width).map { self[r, $0] } }
    }

    /// The index of the column named by the first of `names` the header has;
    /// a name given to two columns is ambiguous and refused.
    public func column(_ names: [String], role: String) throws -> Int {
        try Self.column(names, role: role, header: header, path: path)
    }

    /// `headerLine` is the header's line, for messages (1 in a text file;
    /// nil for Parquet, whose columns are named in its footer).
    static func column(_ names: [String], role: String, header: [String], path: String, headerLine: Int? = 1) throws -> Int {
        for name in names {
            let at = header.indices.filter { header[$0].utf8.elementsEqual(name.utf8) }
            if at.count > 1 {
                throw InputError(file: path, line: headerLine, expected: "one column named \"\(name)\" for the \(role)",
                                 found: "\(at.count): columns \(at.map { String($0 + 1) }.joined(separator: " and "))")
            }
            if let i = at.first { return i }
        }
        throw OneColumnHeaderError.refusing(InputError(file: path, line: headerLine, expected: "a column named \(names.map { "\"\($0)\"" }.joined(separator: " or ")) for the \(role)",
                                                       found: "columns \(NameList.columns(header))"), header: header)
    }

    /// Streams the records of a CSV file's `bytes` (see
    /// ``_UnsafeCSVScanner/scan(_:path:delimiter:onHeader:_:)``).
    static func stream(bytes: [UInt8], path: String, delimiter: UInt8, onHeader: ([String]) throws -> Void,
                       _ body: (CSVRecord) throws -> Void) throws {
        try bytes.withUnsafeBufferPointer {
            try _UnsafeCSVScanner.scan($0, path: path, delimiter: delimiter, onHeader: { names, _ in try onHeader(names) }, body)
        }
    }
}

/// One record handed out by ``_UnsafeCSVScanner/scan(_:path:_:)``: a view of
/// its fields, valid only during the call that receives it.
struct CSVRecord {
    /// The 1-based file line the record starts on.
    let line: Int
    let fieldCount: Int
    /// A guess at the number of records in the file (its line count), for
    /// reserving capacity.
    let estimatedRecords: Int
    fileprivate let file: UnsafeBufferPointer<UInt8>
    fileprivate let scratch: UnsafeBufferPointer<UInt8>
    /// Start and end per field; a quoted field's are offsets into `scratch`
    /// plus `file.count`.
    fileprivate let bounds: UnsafeBufferPointer<Int>

    /// Field c's bytes (unescaped when it was quoted).
    func field(_ c: Int) -> UnsafeBufferPointer<UInt8> {
        let (from, to) = (bounds[2 * c], bounds[2 * c + 1])
        return from >= file.count ? UnsafeBufferPointer(rebasing: scratch[(from - file.count)..<(to - file.count)])
                                  : UnsafeBufferPointer(rebasing: file[from..<to])
    }

    /// Field c's position in the file, when its bytes are the file's own (it
    /// was not quoted).
    func fileRange(_ c: Int) -> Range<Int>? {
        let (from, to) = (bounds[2 * c], bounds[2 * c + 1])
        return from >= file.count ? nil : from..<to
    }

    func text(_ c: Int) -> String { String(decoding: field(c), as: UTF8.self) }
}

/// The byte loop shared by ``CSVTable`` and the streaming readers: splits a
/// file into a header and records, checks that every record is as wide as the
/// header, and hands each record to a closure without building a String.
enum _UnsafeCSVScanner {
    /// Calls `onHeader` with the header (trimmed of spaces; an empty name
    /// becomes `Unnamed: i`, as pandas names it) and which names were empty,
    /// then `body` for every record after it, in file order, and returns the
    /// header. Fields are separated by `delimiter` (a comma, a tab, `;` …).
    /// Precondition: `file` stays valid for the call; a ``CSVRecord`` must not
    /// escape `body`.
    @discardableResult
    static func scan(_ file: UnsafeBufferPointer<UInt8>, path: String, delimiter: UInt8 = UInt8(ascii: ","),
                     onHeader: ([String], [Bool]) throws -> Void = { _, _ in },
                     _ body: (CSVRecord) throws -> Void) throws -> [String] {
        let comma = delimiter, quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let n = file.count
        var asciiOnly = true, hasNUL = false
        var newlines = 0
        for (i, b) in file.enumerated() {
            asciiOnly = asciiOnly && b < 0x80
            hasNUL = hasNUL || b == 0
            newlines &+= b == newline || (b == cr && (i + 1 == n || file[i + 1] != newline)) ? 1 : 0
        }
        var header: [String]? = nil
        var rowFields = [Int](), scratch = [UInt8]()
        var line = 1, i = 0
        if n >= 3, file[0] == 0xEF, file[1] == 0xBB, file[2] == 0xBF { i = 3 }  // a UTF-8 byte-order mark
        /// Refuses a field holding a NUL byte or bytes that are not UTF-8.
        func checkText(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws {
            if hasNUL, bytes.contains(0) {
                let c = rowFields.count / 2
                let column: InputError.ColumnName = header.map { c < $0.count ? .named($0[c]) : .field(c + 1) } ?? .headerField(c + 1)
                throw InputError(file: path, line: line, columnName: column, expected: "text", found: "a NUL byte")
            }
            guard !asciiOnly, String(validating: bytes, as: UTF8.self) == nil else { return }
            throw InputError(file: path, line: line, expected: "UTF-8 text", found: "bytes that are not")
        }
        /// Steps over the line end at `i` (\n, \r\n or \r).
        func skipLineEnd() {
            if file[i] == cr, i + 1 < n, file[i + 1] == newline { i += 1 }
            i += 1
            line += 1
        }
        while i < n {
            let start = line
            rowFields.removeAll(keepingCapacity: true)
            scratch.removeAll(keepingCapacity: true)
            // In a table of one column, a line of one quoted empty field (`""`, how pandas writes an empty text
            // alone on its row) is a row, not a blank line. With more columns it stays a blank line, as the
            // answers' piece scanner (_UnsafeAnswerChunkScanner) takes it too.
            var quoted = false
            while true {
                if i < n, file[i] == quote {
                    quoted = true
                    let from = scratch.count
                    i += 1
                    while true {
                        guard i < n else { throw InputError(file: path, line: start, expected: "a closing quote", found: "the end of the file") }
                        let c = file[i]
                        i += 1
                        if c == quote {
                            if i < n, file[i] == quote { scratch.append(quote); i += 1 } else { break }
                        } else {
                            if c == cr || (c == newline && file[i - 2] != cr) { line += 1 }
                            scratch.append(c)
                        }
                    }
                    try scratch.withUnsafeBufferPointer { try checkText(UnsafeBufferPointer(rebasing: $0[from...]), line: start) }
                    rowFields.append(n + from); rowFields.append(n + scratch.count)
                    guard i == n || file[i] == comma || file[i] == newline || file[i] == cr else {
                        let separator = comma == UInt8(ascii: ",") ? "a comma" : comma == UInt8(ascii: "\t") ? "a tab" : "the delimiter \"\(Character(Unicode.Scalar(comma)))\""
                        throw InputError(file: path, line: line, expected: "\(separator) or a line end after a quoted field",
                                         found: "\"\(Character(Unicode.Scalar(file[i])))\"")
                    }
                } else {
                    let fieldStart = i
                    while i < n, file[i] != comma, file[i] != newline, file[i] != cr { i += 1 }
                    try checkText(UnsafeBufferPointer(rebasing: file[fieldStart..<i]), line: line)
                    rowFields.append(fieldStart); rowFields.append(i)
                }
                if i < n, file[i] == comma { i += 1; continue }
                if i < n { skipLineEnd() }
                break
            }
            if rowFields.count == 2, rowFields[0] == rowFields[1], !(quoted && header?.count == 1) { continue }  // a blank line
            try scratch.withUnsafeBufferPointer { scratch in
                try rowFields.withUnsafeBufferPointer { bounds in
                    let record = CSVRecord(line: start, fieldCount: bounds.count / 2, estimatedRecords: newlines + 1,
                                           file: file, scratch: scratch, bounds: bounds)
                    guard let header else {
                        let names = (0..<record.fieldCount).map { record.text($0).trimmingASCIISpaces }
                        header = CSVTable.pandasNames(names)
                        try onHeader(header!, names.map(\.isEmpty))
                        return
                    }
                    guard record.fieldCount == header.count else {
                        throw InputError(file: path, line: start, expected: "\(header.count) fields (\(NameList.describe(header)))",
                                         found: "\(record.fieldCount)")
                    }
                    try body(record)
                }
            }
        }
        guard let header else { throw InputError(file: path, expected: "a header row", found: "an empty file") }
        return header
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs (Foundation's
    /// `trimmingCharacters(in:)` loads ICU's tables on first use, tens of
    /// milliseconds on Linux, to trim a header).
    var trimmingASCIISpaces: String {
        let blank: (UInt8) -> Bool = { $0 == 32 || $0 == 9 }
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}

extension CSVTable {
    /// A header's names as pandas' `read_csv` gives them: an empty name at
    /// position i is `Unnamed: i`, suffixed `.1`, `.2` … when the file
    /// spells that name elsewhere, as pandas de-duplicates it. A frame read
    /// with its index and saved again has the header `,Unnamed: 0,a,…`:
    /// pandas reads `Unnamed: 0.1` (the new index) and `Unnamed: 0` (the
    /// old one), both its index (``LabeledFeatures/isPandasIndex(_:at:)``).
    /// Names the file repeats itself are kept, and refused where a run
    /// names them.
    static func pandasNames(_ names: [String]) -> [String] {
        var taken = Set(names.filter { !$0.isEmpty })
        var out = names
        for (i, name) in names.enumerated() where name.isEmpty {
            var made = "Unnamed: \(i)", k = 0
            while taken.contains(made) { k += 1; made = "Unnamed: \(i).\(k)" }
            out[i] = made
            taken.insert(made)
        }
        return out
    }
}
