import Foundation
import Synth
import SynthctlCore

/// The JSON Lines parser behind ``JSONLinesReader``: a whole file of flat
/// objects into a header (the keys in the first line's order, then keys
/// first seen on later lines in the order they appear, as pandas'
/// `read_json(lines=True)` and Polars' `read_ndjson` give the columns), the cells column by
/// column and each row's line number, refusing what is not such a file
/// with the line it is on. A key a line does not have is a missing value
/// (a null) there: Spark's JSON writer leaves out null fields, and pandas
/// and Polars read the file so.
///
/// Two paths read a line. The common one, a flat object of strings,
/// numbers, booleans, nulls and lists of numbers, is read straight from the file's bytes by
/// ``_UnsafeJSONLinesScanner`` and its values appended to the columns (no
/// decoded object per row, no String per number): `score` on 200,000 rows
/// × 32 features runs in 1.7 s, 2× its time on the same rows as Parquet,
/// where a decoder per line took about 30 s (`benchmarks/jsonl_reading.py`).
/// Every other line — objects, lists of other values, and every line that is wrong — takes
/// the exact path, ``checkedObject(_:line:path:)`` (Foundation's decoder
/// and the strict checks around it), so each refusal keeps its one line.
enum JSONLinesParser {
    /// The table a JSON Lines file holds.
    struct Table {
        /// The keys, in the order the first line wrote them.
        let header: [String]
        /// One column a key, in ``header``'s order.
        let columns: [JSONLinesColumn]
        /// The 1-based line of each row.
        let lines: JSONLinesLineNumbers

        /// Why column `c` cannot be read as a block of numbers (its lists
        /// of unequal length, an element not a number), or nil; `path` names the file.
        func listProblem(_ c: Int, path: String) -> InputError? {
            columns[c].listProblem.map { InputError(file: path, line: $0.line, columnName: .named(header[c]), expected: $0.expected, found: $0.found) }
        }
    }

    /// Header, columns and line numbers of JSON Lines (`.jsonl`, `.ndjson`)
    /// of flat objects, whose keys become the columns. Lines end in \n, \r\n
    /// or \r; a UTF-8 byte-order mark at the start is skipped; blank lines
    /// are skipped; a row with a NUL byte, nested more than
    /// ``NestingLimit/maximumDepth`` levels, not JSON, with a number beyond
    /// float64's range or a key given twice (JSONDecoder would keep one of the
    /// two values without a word) is refused with its line. Rows need not
    /// have the same keys: a key absent from a row is null there, a key
    /// first seen on a later row is a new column, null on the rows before.
    static func table(_ path: String, bytes data: [UInt8], chunkBytes: Int = defaultChunkBytes) throws -> Table {
        var offset = 0
        return try table(path, chunkBytes: chunkBytes, refusingNUL: false) { buffer in
            let n = min(buffer.count, data.count - offset)
            data.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            return n
        }
    }

    /// How many bytes of the file are held at a time: whole lines are
    /// read from a buffer this large, the line cut at its end carried over
    /// to the next piece. A line longer than this doubles the buffer,
    /// within ``MemoryBudget/current``.
    static let defaultChunkBytes = 8 << 20

    /// ``table(_:bytes:chunkBytes:)`` reading the file in pieces: `read`
    /// copies the next bytes into its buffer and returns how many (0 at the
    /// end; ``ChunkedInput/read(into:at:)``). Memory: the buffer (`chunkBytes`),
    /// plus the columns (``JSONLinesColumn``: four bytes a cell when the
    /// values allow, at most nine), plus the line numbers
    /// (``JSONLinesLineNumbers``: nothing a row but after blank lines); never the file.
    ///
    /// With `refusingNUL`, a NUL byte is refused, naming its line, when the
    /// piece holding it arrives, before the lines of that piece are read, as
    /// ``InputFile`` refuses text holding one before it is parsed (a line
    /// of an earlier piece that is wrong is now named first). Without it,
    /// the line holding it is refused when read.
    ///
    /// `fileSize`, when known (a regular file), sizes the columns from the
    /// first row's length, so that they do not grow by doubling (each
    /// doubling holds the old and the new storage at once); the space
    /// reserved and not used is never touched, so it takes no memory.
    static func table(_ path: String, chunkBytes: Int = defaultChunkBytes, refusingNUL: Bool = true, fileSize: Int? = nil,
                      read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Table {
        var header = [String](), column = [String: Int](), columns = [JSONLinesColumn](), lines = JSONLinesLineNumbers()
        // The first fast row's keys in file order (raw bytes and column), so
        // that rows written in the same order match a key by comparing bytes.
        var order = [(key: [UInt8], column: Int)]()
        var fields = [_UnsafeJSONLinesScanner.Field](), targets = [Int](), seenInRow = [Int]()
        /// Rows up to which the columns were checked against the memory budget.
        var checkedRows = 0
        var capacity = max(chunkBytes, 1)
        /// The length of the line being read, with its line end: the first sizes the columns.
        var lineBytes = 1
        /// Checks the budget for the columns at twice `lines.count` rows (they double as they grow).
        func checkColumnBudget() throws {
            checkedRows = max(2 * checkedRows, 1 << 12)
            var estimate = MemoryEstimate()
            estimate.add("the table's cells (\(checkedRows) rows × \(header.count) keys × 9 bytes, and their line numbers)",
                         checkedRows, header.count * JSONLinesColumn.bytesPerCell + 8)
            let listWidths = columns.reduce(0) { $0 + ($1.listWidth ?? 0) }
            if listWidths > 0 { estimate.add("the lists' numbers (\(checkedRows) rows × \(listWidths) × 4 bytes)", checkedRows, listWidths, 4) }
            estimate.add("the buffer of lines read (\(MemoryBudget.describe(capacity)))", capacity)
            try MemoryBudget.current.check(estimate, subject: path)
        }
        /// Makes the header from the first row's keys (in the order written), checking the memory budget.
        /// Rows before it (of `{}`) hold none of its keys.
        func start(with keys: [String]) throws {
            header = keys
            for (i, k) in header.enumerated() { column[k] = i }
            try checkColumnBudget()
            var rows = 0
            if let fileSize {
                // Rows as long as the first, and a quarter more; at most what the budget could hold.
                let perRow = header.count * JSONLinesColumn.bytesPerCell + 8
                rows = min(fileSize / lineBytes + fileSize / lineBytes / 4 + 16, MemoryBudget.current.limit / perRow)
            }
            columns = header.map { _ in JSONLinesColumn(reservingCapacity: rows, missingRows: lines.count) }
            seenInRow = [Int](repeating: -1, count: header.count)
        }
        /// A key first seen on row `row`: a new last column, missing on the rows
        /// before (counted, not stored: ``JSONLinesColumn/init(reservingCapacity:missingRows:)``).
        @discardableResult
        func addColumn(_ key: String, row: Int) -> Int {
            column[key] = header.count
            header.append(key)
            columns.append(JSONLinesColumn(missingRows: row))
            seenInRow.append(-1)
            return header.count - 1
        }
        /// Appends a null to every column that row `row` did not give a value
        /// (``seenInRow``): off the common path, for rows that lack keys.
        func fillAbsent(row: Int) {
            for c in 0..<header.count where seenInRow[c] != row { columns[c].append(.absent) }
        }
        /// Appends the scanned `fields` as row `line`; false (nothing
        /// appended) when the exact path must read the line: a key given
        /// twice, or one the scanner cannot spell. The common row (the first
        /// row's keys in its order) matches each key by its bytes; others
        /// look keys up, add the new ones as columns and fill the absent ones.
        func appendFast(_ scanner: inout _UnsafeJSONLinesScanner, line n: Int) throws -> Bool {
            if header.isEmpty {
                var keys = [String]()
                for f in fields { guard let k = scanner.keyText(f) else { return false }; keys.append(k) }
                guard !keys.isEmpty, Set(keys).count == keys.count else { return false }
                try start(with: keys)
                order = zip(fields, keys).map { f, k in (f.keyEscaped ? [] : Array(scanner.bytes[f.key]), column[k]!) }
            }
            let row = lines.count
            if row == checkedRows { try checkColumnBudget() }
            targets.removeAll(keepingCapacity: true)
            for (k, f) in fields.enumerated() {
                var c: Int
                if k < order.count, !f.keyEscaped, !order[k].key.isEmpty, sameBytes(scanner.bytes, f.key, order[k].key) {
                    c = order[k].column
                } else {
                    guard let text = scanner.keyText(f) else { return false }
                    c = column[text] ?? addColumn(text, row: row)
                }
                guard seenInRow[c] != row else { return false }
                seenInRow[c] = row
                targets.append(c)
            }
            if targets.count < header.count { fillAbsent(row: row) }
            if scanner.lists.isEmpty {
                for (f, c) in zip(fields, targets) { columns[c].append(f.value) }
            } else {
                // Lists of numbers: the k-th list value is the scanner's k-th list.
                var k = 0
                for (f, c) in zip(fields, targets) {
                    guard case .nested = f.value else { columns[c].append(f.value); continue }
                    scanner.listElements.withUnsafeBufferPointer { columns[c].appendList(UnsafeBufferPointer(rebasing: $0[scanner.lists[k]]), line: n) }
                    k += 1
                }
            }
            lines.append(n)
            return true
        }

        /// Reads `line` (number `n`) through the exact path and appends it as a row.
        func appendExact(_ line: UnsafeBufferPointer<UInt8>, line n: Int) throws {
            let o = try checkedObject(line, line: n, path: path)
            if header.isEmpty { try start(with: keysInOrder(line)) }
            let row = lines.count
            // Keys not seen before: new columns, in the order this line writes them.
            if !o.keys.allSatisfy({ column[$0] != nil }) {
                for k in keysInOrder(line) where column[k] == nil { addColumn(k, row: row) }
            }
            if row == checkedRows { try checkColumnBudget() }
            // Foundation made a double of an integer beyond Int64.max: its digits, as the scanner keeps them.
            let beyondInt64 = o.values.contains { if case .double(let d) = $0 { d >= 0x1p63 } else { false } } ? unsignedBeyondInt64(in: line) : [:]
            for (k, v) in o {
                seenInRow[column[k]!] = row
                if let cell = beyondInt64[k] { columns[column[k]!].append(cell); continue }
                guard case .array(let elements) = v else { columns[column[k]!].append(TableCell(v)); continue }
                appendList(elements, to: columns[column[k]!], line: n)
            }
            if o.count < header.count { fillAbsent(row: row) }
            lines.append(n)
        }

        // The buffer: bytes 0..<filled hold the input from the start of line n + 1 on.
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0, atEnd = false, firstPiece = true
        var n = 0
        while !atEnd || filled > 0 {
            // Fill the buffer; a NUL byte among the new bytes is refused with its line.
            let before = filled
            while filled < capacity, !atEnd {
                let got = try read(UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                if got == 0 { atEnd = true } else { filled += got }
            }
            if refusingNUL, filled > before, let p = memchr(buffer.baseAddress! + before, 0, filled - before) {
                let nul = buffer.baseAddress!.distance(to: p)
                let lineOfNul = n + 1 + lineEnds(in: UnsafeRawBufferPointer(rebasing: buffer[..<nul]))
                throw InputError(file: path, line: lineOfNul, expected: "text", found: "a NUL byte")
            }
            // The whole lines held: up to the last line end, unless it is a
            // \r at the end of the buffer (its \n may be in the next piece).
            var whole = filled
            if !atEnd {
                var k = filled - 1
                if k >= 0, buffer[k] == 13 { k -= 1 }
                while k >= 0, buffer[k] != 10, buffer[k] != 13 { k -= 1 }
                if k < 0 {
                    // No whole line: one line longer than the buffer. Double it.
                    var estimate = MemoryEstimate()
                    estimate.add("line \(n + 1), longer than \(MemoryBudget.describe(capacity)) (its buffer doubling, the old one held beside the new)", 3 * capacity)
                    try MemoryBudget.current.check(estimate, subject: path)
                    let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * capacity, alignment: 16)
                    grown.copyMemory(from: UnsafeRawBufferPointer(buffer))
                    buffer.deallocate()
                    buffer = grown
                    capacity *= 2
                    continue
                }
                whole = k + 1
            }
            var i = 0
            if firstPiece {
                firstPiece = false
                if whole >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { i = 3 }
            }
            let piece = UnsafeBufferPointer(rebasing: buffer.bindMemory(to: UInt8.self)[..<whole])
            var scanner = _UnsafeJSONLinesScanner(piece)
            // Each line of the piece: from i to its end (a line end, or the end of the file).
            while i < whole {
                n += 1
                if header.isEmpty { lineBytes = max(1, scanner.lineEnd(from: i) - i + 1) }
                var end: Int
                switch scanner.scanLine(from: i, into: &fields) {
                case .blank(let e): end = e
                case .object(let e):
                    end = e
                    if try !appendFast(&scanner, line: n) {
                        try appendExact(UnsafeBufferPointer(rebasing: piece[i..<end]), line: n)
                    }
                case .other:
                    end = scanner.lineEnd(from: i)
                    let line = UnsafeBufferPointer(rebasing: piece[i..<end])
                    if !line.allSatisfy({ $0 == 32 || $0 == 9 }) { try appendExact(line, line: n) }
                }
                guard end < whole else { i = whole; break }
                i = end + (piece[end] == 13 && end + 1 < whole && piece[end + 1] == 10 ? 2 : 1)
            }
            // Carry the cut line over to the front.
            if whole < filled {
                UnsafeMutableRawBufferPointer(rebasing: buffer[..<(filled - whole)]).copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[whole..<filled]))
            }
            filled -= whole
        }

        guard !header.isEmpty else { throw InputError(file: path, expected: "at least one row", found: "an empty file") }
        for c in columns { c.checkListsOnly(lines: lines) }
        return Table(header: header, columns: columns, lines: lines)
    }

    /// A JSON array read by the exact path into `column`: a list of numbers
    /// and nulls joins the column's block (``JSONLinesColumn/appendList(_:line:)``);
    /// any other array is kept as its cell, the column's problem naming the
    /// first element that is not a number (a nested list, a string).
    static func appendList(_ elements: [JSONValue], to column: JSONLinesColumn, line n: Int) {
        var numbers = [Double]()
        numbers.reserveCapacity(elements.count)
        for (k, e) in elements.enumerated() {
            switch e {
            case .int(let i): numbers.append(Double(i))
            case .double(let d): numbers.append(d)
            case .null: numbers.append(.nan)
            case .array(let inner):
                return column.appendArray(TableCell(.array(elements)), line: n, found: "a nested list of \(inner.count) (element \(k))")
            case .records(let inner):
                return column.appendArray(TableCell(.array(elements)), line: n, found: "a nested list of \(inner.count) (element \(k))")
            case .object: return column.appendArray(TableCell(.array(elements)), line: n, found: "an object (element \(k))")
            case .bool(let b): return column.appendArray(TableCell(.array(elements)), line: n, found: "\(b) (element \(k))")
            case .string(let s):
                let shown = s.count > 40 ? String(s.prefix(40)) + "…" : s
                return column.appendArray(TableCell(.array(elements)), line: n, found: "\"\(shown)\" (element \(k))")
            }
        }
        numbers.withUnsafeBufferPointer { column.appendList($0, line: n) }
    }

    /// Whether the bytes of `range` in `bytes` are `key`'s.
    private static func sameBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ key: [UInt8]) -> Bool {
        guard range.count == key.count else { return false }
        return key.withUnsafeBytes { memcmp(bytes.baseAddress! + range.lowerBound, $0.baseAddress!, key.count) == 0 }
    }

    /// The line ends in `bytes` (\n, or \r not followed by \n), as
    /// ``InputFile`` counts them for a NUL byte's line.
    private static func lineEnds(in bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for (k, b) in bytes.enumerated() where b == 10 || (b == 13 && (k + 1 == bytes.count || bytes[k + 1] != 10)) { count += 1 }
        return count
    }

    /// The exact path: line `n` of `path` (not blank) as an object, or the
    /// first thing wrong with it, checked in this order: a NUL byte, nesting
    /// deeper than ``NestingLimit/maximumDepth``, what Foundation's
    /// `JSONDecoder` refuses (a number beyond float64's range named with its
    /// key; anything else quoted), what it takes but RFC 8259 refuses
    /// (``JSONSyntax``: `{"a": 1,}`), and a key given twice.
    static func checkedObject(_ line: UnsafeBufferPointer<UInt8>, line n: Int, path: String) throws -> [String: JSONValue] {
        if line.contains(0) { throw InputError(file: path, line: n, expected: "text", found: "a NUL byte") }
        if let (_, column) = NestingLimit.firstTooDeep(json: line) {
            throw InputError(file: path, line: n, expected: "a flat JSON object",
                             found: "values nested more than \(NestingLimit.maximumDepth) levels deep (column \(column))")
        }
        let decoded = try? JSONDecoder().decode(JSONValue.self, from: Data(line))
        if decoded == nil, let (key, number) = firstNumberBeyondDouble(in: ArraySlice(line)) {
            // Valid JSON that no Swift number holds (1e400, a 400-digit integer).
            let shown = number.count > 40 ? String(number.prefix(40)) + "… (\(number.count) characters)" : number
            throw InputError(file: path, line: n, columnName: .named(key),
                             expected: "a number within float64's range (magnitude at most 1.8e308)", found: shown)
        }
        // An object that is not JSON (`{"a": NaN}`, `{"a": [1, `, `{"a": 1,}`, which the lenient
        // decoder takes): where and what, as the strict scan says. A line that is no object at all
        // (`not json`, `[1, 2]`) is shown whole.
        if line.first(where: { $0 != 32 && $0 != 9 }) == UInt8(ascii: "{"),
           let problem = JSONSyntax.firstProblem(in: line) {
            let (expected, found) = parts(of: problem)
            throw InputError(file: path, line: n, column: problem.column, expected: expected, found: found)
        }
        guard case .object(let o)? = decoded else {
            throw InputError(file: path, line: n, expected: "one JSON object per line", found: String(decoding: line.prefix(40), as: UTF8.self))
        }
        if let duplicate = JSONValue.firstDuplicateKey(in: line) {
            throw InputError(file: path, line: n, expected: "each key once",
                             found: "\"\(duplicate.key)\" twice\(duplicate.path.isEmpty ? "" : " in \(duplicate.path)")")
        }
        return o
    }

    /// A JSON syntax problem's message, `expected E, found F`, as E and F
    /// for an ``InputError``. The scanner words E itself and never puts
    /// ", found " in it, so the first ", found " is the split; a message in
    /// any other form would be kept whole as what was found.
    /// The scan reads one line as its text, so its "end of the text" is the line's end.
    static func parts(of problem: JSONSyntax.Problem) -> (expected: String, found: String) {
        let message = problem.message.replacingOccurrences(of: "the end of the text", with: "the end of the line")
        guard message.hasPrefix("expected "), let split = message.range(of: ", found ") else { return ("JSON", message) }
        return (String(message[message.index(message.startIndex, offsetBy: 9)..<split.lowerBound]), String(message[split.upperBound...]))
    }

    /// The first number in a JSON line that Double cannot hold (its
    /// magnitude rounds to infinity), with the top-level key it belongs to:
    /// JSONDecoder refuses the whole line without saying where.
    static func firstNumberBeyondDouble(in line: ArraySlice<UInt8>) -> (key: String, number: String)? {
        var depth = 0, key = "", lastString = ""
        var i = line.startIndex
        while i < line.endIndex {
            let b = line[i]
            switch b {
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < line.endIndex, line[j] != UInt8(ascii: "\"") { j += line[j] == UInt8(ascii: "\\") ? 2 : 1 }
                lastString = String(decoding: line[(i + 1)..<min(j, line.endIndex)], as: UTF8.self)
                i = j + 1
                continue
            case UInt8(ascii: ":") where depth == 1: key = lastString
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i
                while j < line.endIndex, "+-.eE0123456789".utf8.contains(line[j]) { j += 1 }
                let number = String(decoding: line[i..<j], as: UTF8.self)
                if let d = Double(number), !d.isFinite { return (key, number) }
                i = j
                continue
            default: break
            }
            i += 1
        }
        return nil
    }

    /// The top-level values of the object on `line` (valid JSON, checked
    /// by ``checkedObject(_:line:path:)``) that are integers written beyond
    /// Int64.max and at most UInt64.max, by key, as their cells
    /// (``TableCell/init(unsignedBeyondInt64:)``): Foundation's decoder
    /// keeps only their nearest double.
    static func unsignedBeyondInt64(in line: UnsafeBufferPointer<UInt8>) -> [String: TableCell] {
        var found = [String: TableCell]()
        for member in topLevelMembers(line) {
            guard let number = member.number,
                  let cell = TableCell(unsignedBeyondInt64: String(decoding: UnsafeBufferPointer(rebasing: line[number]), as: UTF8.self))
            else { continue }
            found[member.key] = cell
        }
        return found
    }

    /// The keys of the object on `line` (valid JSON, checked by
    /// ``checkedObject(_:line:path:)``), unescaped, in the order written:
    /// the decoded object's dictionary has no order.
    static func keysInOrder(_ line: UnsafeBufferPointer<UInt8>) -> [String] {
        topLevelMembers(line).map(\.key)
    }

    /// The members of the object on `line` (valid JSON) in the order
    /// written: each key, unescaped, and where its value is written when
    /// that value is a number (a byte range of `line`), nil otherwise.
    private static func topLevelMembers(_ line: UnsafeBufferPointer<UInt8>) -> [(key: String, number: Range<Int>?)] {
        var members: [(key: String, number: Range<Int>?)] = [], depth = 0, i = 0, expectingKey = false
        func isNumberByte(_ b: UInt8) -> Bool { "+-.eE0123456789".utf8.contains(b) }
        while i < line.count {
            switch line[i] {
            case UInt8(ascii: "{"): depth += 1; expectingKey = depth == 1
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ","): expectingKey = depth == 1
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < line.count, line[j] != UInt8(ascii: "\"") { j += line[j] == UInt8(ascii: "\\") ? 2 : 1 }
                if expectingKey, j < line.count,
                   let key = try? JSONDecoder().decode(String.self, from: Data(UnsafeBufferPointer(rebasing: line[i...j]))) {
                    members.append((key, nil))
                    expectingKey = false
                }
                i = j
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                // A number: at depth 1 the value of the last key (keys are strings).
                var j = i
                while j < line.count, isNumberByte(line[j]) { j += 1 }
                if depth == 1, !members.isEmpty { members[members.count - 1].number = i..<j }
                i = j
                continue
            default: break
            }
            i += 1
        }
        return members
    }
}
