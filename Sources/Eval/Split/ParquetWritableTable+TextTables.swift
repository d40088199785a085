import SynthctlCore

extension ParquetWritableTable {
    /// Every column of a CSV, TSV or JSON Lines table, typed by its cells as
    /// pandas' `read_csv` and `read_json(lines=True)` type them, so that a
    /// Parquet output (`synthctl embed --out x.parquet`) carries the
    /// input's columns beside what is appended:
    ///
    /// | a column's cells, missing ones aside | written |
    /// | --- | --- |
    /// | integers within int64 (CSV: decimal digits with an optional sign; JSON: integer numbers) | INT64 |
    /// | integers within uint64, some beyond int64, none negative | INT64 as UINT_64 (pandas' uint64) |
    /// | numbers, at least one with a fraction or exponent, or infinite (CSV: `inf`, `-Infinity`) | DOUBLE |
    /// | booleans (CSV: `true` or `false` in any case) | BOOLEAN |
    /// | text (CSV: any other field makes the column text, every field as written; JSON: strings) | STRING, dictionary-encoded |
    /// | JSON arrays of numbers, all of one length (an embedding), read as synthctl reads one: float32 | a three-level LIST of FLOAT |
    /// | only missing values | DOUBLE, all null (pandas reads such a column as float64 NaN) |
    ///
    /// Missing values are nulls: a JSON null or a key a row lacks; in CSV
    /// and TSV an empty field and what pandas' `read_csv` reads as NaN
    /// (``TableCell/missingSpellings``, as written). The column `textColumn`
    /// holds the texts (plain STRING, never null: a CSV field is its text
    /// as written, as ``TextColumn`` reads it). In CSV, an integer beyond
    /// uint64, or one beyond int64 beside a negative one, in a column of
    /// integers makes the column text: no digit is rounded away (beside
    /// fractions it is a DOUBLE, as pandas reads it). A number may have
    /// spaces around it, but ` NA` and ` true` are text (``SpelledCell``).
    ///
    /// Refused in one line naming the column and the first row that shows
    /// it: a JSON column mixing strings, numbers and booleans (pandas
    /// would hold Python objects that pyarrow refuses to write), a JSON
    /// object or an array that is not a list of numbers of the column's
    /// length, a list with a null element, and two columns of one name.
    init(carrying source: TableSource, path: String, textColumn t: Int) throws {
        var seen = Set<String>()
        if let twice = source.header.first(where: { !seen.insert($0).inserted }) {
            throw InputError(file: path, columnName: .named(twice), expected: "columns of different names (a Parquet output carries every column)",
                             found: "two of this name")
        }
        var columns = [ParquetColumn](), values = [ParquetTable.Column]()
        for c in source.header.indices {
            let name = source.header[c]
            let (column, value) = c == t ? Self.texts(source, column: c)
                : source.width(c) > 1 ? try Self.list(source, column: c, path: path)
                : source.cellsTypedByFile ? try Self.typed(source, column: c, path: path)
                : Self.spelled(source, column: c)
            columns.append(column)
            values.append(ParquetTable.Column(name: name, values: value.values, present: value.present))
        }
        self.init(columns: columns, values: values, keyValues: [], categories: [:])
    }

    /// A column's values and where they are present.
    private typealias Filled = (values: ParquetTable.Values, present: [Bool])

    /// The text column: every cell a string (``TextColumn`` refused any other).
    private static func texts(_ source: TableSource, column c: Int) -> (ParquetColumn, Filled) {
        let texts = (0..<source.rows).map { r -> String in if case .text(let s) = source.cell(r, c) { s } else { preconditionFailure("a text column's cell") } }
        return (ParquetColumn(name: source.header[c], kind: .text), (.strings(texts), Array(repeating: true, count: source.rows)))
    }

    /// A column of CSV or TSV fields, typed by what they spell.
    private static func spelled(_ source: TableSource, column c: Int) -> (ParquetColumn, Filled) {
        let n = source.rows
        var cells = [SpelledCell](), raw = [String]()
        cells.reserveCapacity(n)
        raw.reserveCapacity(n)
        var integers = false, negative = false, unsigned = false, reals = false, wide = false, booleans = false, texts = false
        for r in 0..<n {
            guard case .text(let s) = source.cell(r, c) else { preconditionFailure("a CSV cell is text") }
            let cell = SpelledCell(s)
            switch cell {
            case .missing: break
            case .integer(let i): integers = true; negative = negative || i < 0
            case .unsignedInteger: unsigned = true
            case .real: reals = true
            case .wideInteger: wide = true
            case .boolean: booleans = true
            case .text: texts = true
            }
            cells.append(cell)
            raw.append(s)
        }
        let present = cells.map { cell -> Bool in cell != .missing }
        let name = source.header[c]
        let numbers = integers || unsigned || reals || wide
        // Text, booleans beside numbers, and integers no int64 or uint64 column holds beside no fraction: every field as written.
        if texts || (booleans && numbers) || (wide && !reals) || (unsigned && negative && !reals) {
            return (ParquetColumn(name: name, kind: .string(dictionary: []), nullable: true), (.strings(zip(raw, present).map { $1 ? $0 : "" }), present))
        }
        if booleans {
            let b = cells.map { cell -> Bool in if case .boolean(let v) = cell { v } else { false } }
            return (ParquetColumn(name: name, kind: .boolean, logicalType: .none, optional: true), (.booleans(b), present))
        }
        if unsigned && !reals {
            let u = cells.map { cell -> UInt64 in
                switch cell {
                case .integer(let i): UInt64(i)
                case .unsignedInteger(let u): u
                default: 0
                }
            }
            return (ParquetColumn(name: name, kind: .int64, logicalType: .integer(bits: 64, signed: false), optional: true), (.unsignedIntegers(u), present))
        }
        if integers && !reals && !wide {
            let i = cells.map { cell -> Int64 in if case .integer(let v) = cell { v } else { 0 } }
            return (ParquetColumn(name: name, kind: .int64, logicalType: .none, optional: true), (.integers(i), present))
        }
        let d = cells.map { cell -> Double in
            switch cell {
            case .integer(let i): Double(i)
            case .unsignedInteger(let u): Double(u)
            case .real(let d), .wideInteger(let d): d
            default: 0
            }
        }
        return (ParquetColumn(name: name, kind: .double, logicalType: .none, optional: true), (.floats(d), present))
    }

    /// A column of JSON values, typed as the file typed them.
    private static func typed(_ source: TableSource, column c: Int, path: String) throws -> (ParquetColumn, Filled) {
        let n = source.rows, name = source.header[c]
        var present = [Bool](repeating: false, count: n)
        /// The first row of each kind of value, for the refusal of a mixture.
        var firstString: Int?, firstNumber: Int?, firstBoolean: Int?, anyReal = false, anyNegative = false, anyUnsigned = false
        for r in 0..<n {
            switch source.cell(r, c) {
            case .null, .absent: continue
            case .text(let s) where Self.isUnsigned(s): firstNumber = firstNumber ?? r; anyUnsigned = true
            case .text: firstString = firstString ?? r
            case .integer(let i): firstNumber = firstNumber ?? r; anyNegative = anyNegative || i < 0
            case .real: firstNumber = firstNumber ?? r; anyReal = true
            case .boolean: firstBoolean = firstBoolean ?? r
            case .nested(let what):
                throw InputError(file: path, at: source.location(r), column: name,
                                 expected: "a string, number, boolean or null (what a Parquet output carries beside the embeddings)",
                                 found: "\(what); write a .npy, or leave the column out of the input")
            }
            present[r] = true
        }
        let kinds = [(firstString, "a string"), (firstNumber, "a number"), (firstBoolean, "a boolean")].compactMap { row, what in row.map { ($0, what) } }
        if kinds.count > 1 {
            let sorted = kinds.sorted { $0.0 < $1.0 }
            let (first, second) = (sorted[0], sorted[1])
            let value: String
            switch source.cell(second.0, c) {
            case .text(let s) where Self.isUnsigned(s): value = s
            case .text(let s): value = "\"\(s.count > 40 ? s.prefix(40) + "…" : s)\""
            case .integer(let i): value = "\(i)"
            case .real(let d): value = "\(d)"
            case .boolean(let b): value = "\(b)"
            default: value = "?"
            }
            throw InputError(file: path, at: source.location(second.0), column: name,
                             expected: "\(first.1), as at \(source.location(first.0)) (a Parquet column holds one type)", found: "\(second.1), \(value)")
        }
        if firstString != nil {
            let s = (0..<n).map { r -> String in if case .text(let s) = source.cell(r, c) { s } else { "" } }
            return (ParquetColumn(name: name, kind: .string(dictionary: []), nullable: true), (.strings(s), present))
        }
        if firstBoolean != nil {
            let b = (0..<n).map { r -> Bool in if case .boolean(let b) = source.cell(r, c) { b } else { false } }
            return (ParquetColumn(name: name, kind: .boolean, logicalType: .none, optional: true), (.booleans(b), present))
        }
        if firstNumber != nil, !anyReal, !anyUnsigned {
            let i = (0..<n).map { r -> Int64 in if case .integer(let v) = source.cell(r, c) { v } else { 0 } }
            return (ParquetColumn(name: name, kind: .int64, logicalType: .none, optional: true), (.integers(i), present))
        }
        if anyUnsigned, !anyReal, !anyNegative {
            let u = (0..<n).map { r -> UInt64 in
                switch source.cell(r, c) {
                case .integer(let i): UInt64(i)
                case .text(let s): UInt64(s) ?? 0
                default: 0
                }
            }
            return (ParquetColumn(name: name, kind: .int64, logicalType: .integer(bits: 64, signed: false), optional: true), (.unsignedIntegers(u), present))
        }
        let d = (0..<n).map { r -> Double in
            switch source.cell(r, c) {
            case .integer(let i): Double(i)
            case .real(let d): d
            case .text(let s): Double(s) ?? 0
            default: 0
            }
        }
        return (ParquetColumn(name: name, kind: .double, logicalType: .none, optional: true), (.floats(d), present))
    }

    /// Whether a JSON Lines cell's text is an integer the file wrote beyond
    /// int64 and within uint64: the reader keeps such a number as its digits
    /// (``TableCell/init(unsignedBeyondInt64:)``), so it is a number here
    /// (pandas reads it as uint64). A JSON string of such digits reads the same.
    private static func isUnsigned(_ text: String) -> Bool { TableCell(unsignedBeyondInt64: text) != nil }

    /// A JSON Lines column of lists of numbers of one length (``TableSource/width(_:)``).
    private static func list(_ source: TableSource, column c: Int, path: String) throws -> (ParquetColumn, Filled) {
        let n = source.rows, width = source.width(c), name = source.header[c]
        var present = [Bool](repeating: false, count: n), elements = [Double](repeating: 0, count: n * width)
        for r in 0..<n {
            switch source.cell(r, c) {
            case .null, .absent: continue
            default: present[r] = true
            }
            for k in 0..<width {
                guard case .real(let x) = source.cell(r, c, element: k) else {
                    throw InputError(file: path, at: source.location(r), column: name,
                                     expected: "a list without null elements (a Parquet output carries lists of numbers)", found: "a null element")
                }
                elements[r * width + k] = x
            }
        }
        let elementPresent = present.flatMap { Array(repeating: $0, count: width) }
        return (ParquetColumn(name: name, kind: .floatList(width: width), logicalType: .none, optional: present.contains(false)),
                (.vectors(width: width, values: elements, present: elementPresent), present))
    }
}

/// What a CSV or TSV field spells, for typing its column (see
/// ``ParquetWritableTable/init(carrying:path:textColumn:)``), as pandas'
/// `read_csv` reads it (pandas 3.1): a number may have spaces around it; a
/// missing spelling (``TableCell/missingSpellings``) and a boolean (`true`
/// or `false`, in any case) are matched as written, so ` NA` and ` true`
/// are text.
enum SpelledCell: Equatable {
    case missing
    case integer(Int64)
    /// An integer beyond int64 that a UInt64 holds (pandas' uint64).
    case unsignedInteger(UInt64)
    /// An integer beyond both, and its nearest double.
    case wideInteger(Double)
    case real(Double)
    case boolean(Bool)
    case text

    init(_ field: String) {
        if TableCell.missingSpellings.contains(field) {
            self = .missing
            return
        }
        var s = field
        self = s.withUTF8 { bytes in
            if let b = TableCell.boolean(bytes) { return .boolean(b) }
            let t = LabelText.trimmed(bytes)
            let text = String(decoding: t, as: UTF8.self)
            switch LabelText.decimalSyntax(t) {
            case .integer:
                if let i = Int64(text) { return .integer(i) }
                if let u = UInt64(text) { return .unsignedInteger(u) }
                return .wideInteger(Double(text)!)
            case .decimal: return .real(Double(text)!)
            case nil: break
            }
            switch text.lowercased() {
            case "inf", "+inf", "infinity", "+infinity": return .real(.infinity)
            case "-inf", "-infinity": return .real(-.infinity)
            default: return .text
            }
        }
    }
}
