import Foundation
import Synth
import SynthctlCore

/// A flat Parquet file read into typed columns: what pandas, Spark and
/// Hugging Face `datasets` write with `to_parquet` and friends.
///
/// Supported: flat schemas of BOOLEAN, INT32, INT64, INT96 (timestamps),
/// FLOAT, DOUBLE, BYTE_ARRAY (strings, decimals) and FIXED_LEN_BYTE_ARRAY
/// (decimals, half floats) columns, required or optional (nulls), and lists
/// of floats (embeddings, ``ParquetMetadata/ListLevels``); PLAIN and
/// dictionary encodings, and DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
/// DELTA_BYTE_ARRAY (``ParquetDeltaBinaryPacked``, ``ParquetDeltaByteArrays``)
/// and BYTE_STREAM_SPLIT (``ParquetByteStreamSplit``) where the spec allows
/// them; data pages v1 and v2; uncompressed, Snappy
/// (pyarrow's default), gzip, Brotli, LZ4 (Hadoop-framed or raw), LZ4_RAW
/// or zstd (Polars' and DuckDB's default) pages (``ParquetCompression``). Logical types are honoured or refused, never
/// ignored (``ParquetMetadata/Annotation``): unsigned integers are read as
/// unsigned (a uint64 up to 2⁶⁴ − 1, ``Values/unsignedIntegers``), DECIMAL as its value, DATE as days and TIME and TIMESTAMP as
/// seconds; INTERVAL, UUID and the rest are refused, naming the column and
/// the type. Strings must be UTF-8: a value that is not is
/// refused, naming its row (from 0) and column (decoded leniently, every
/// such label became U+FFFD, one class). Anything else — other nested or
/// repeated columns, lists whose rows differ in length, other encodings, LZO pages — is refused with one line naming the file, the column and what
/// was found (encoded values that are not what their encoding allows: the
/// row group and page too). A file with no rows is refused as such, not as a corrupt
/// file; an empty row group among others is skipped. A column is refused
/// only when it is decoded: ``ParquetFile`` decodes the columns a run uses.
public struct ParquetTable: Sendable {
    public enum Values: Sendable {
        case booleans([Bool])
        case integers([Int64])
        /// A UINT_64 column holding a value above Int64.max (one that does
        /// not is ``integers``): each value as stored, 0 … 2⁶⁴ − 1. Its cells
        /// are integers up to Int64.max and decimal text above (as a CSV
        /// file carries them), so a label or id keeps every digit and a
        /// feature reads the nearest float.
        case unsignedIntegers([UInt64])
        case floats([Double])
        case strings([String])
        /// A list of `width` floats per row (an embedding), row-major, NaN
        /// where `present` (one flag per element) is false: a null element,
        /// or every element of a null list.
        case vectors(width: Int, values: [Double], present: [Bool])
        /// FIXED_LEN_BYTE_ARRAY values as stored, `width` bytes a row (zeros
        /// where null), row after row: a DECIMAL's big-endian two's
        /// complement unscaled value, as ``ParquetFile/decode(_:physical:)``
        /// keeps it for `synthctl split` to write back (only it makes them).
        case fixedBytes(width: Int, bytes: [UInt8])
    }

    public struct Column: Sendable {
        public let name: String
        public let values: Values
        /// False where the value is null (optional columns).
        public let present: [Bool]

        public func text(_ row: Int) -> String? {
            guard present[row] else { return nil }
            switch values {
            case .booleans(let v): return v[row] ? "true" : "false"
            case .integers(let v): return String(v[row])
            case .unsignedIntegers(let v): return String(v[row])
            case .floats(let v): return v[row].description
            case .strings(let v): return v[row]
            case .vectors(let width, let v, let p):
                return "[" + (0..<width).map { p[row * width + $0] ? v[row * width + $0].description : "null" }.joined(separator: ", ") + "]"
            case .fixedBytes(let width, let b):
                return "0x" + b[(row * width)..<((row + 1) * width)].map { String(format: "%02x", $0) }.joined()
            }
        }

        public func number(_ row: Int) -> Double? {
            guard present[row] else { return nil }
            switch values {
            case .booleans(let v): return v[row] ? 1 : 0
            case .integers(let v): return Double(v[row])
            case .unsignedIntegers(let v): return Double(v[row])
            case .floats(let v): return v[row]
            case .strings(let v): return Double(v[row])
            case .vectors, .fixedBytes: return nil
            }
        }
    }

    public let path: String
    public let rows: Int
    public let columns: [Column]

    /// Every count in the file (rows, values, offsets, sizes) is checked
    /// before it is used, and what the table will hold — rows × columns
    /// cells — must fit `budget` before any column is decoded. Every column
    /// is decoded: one that cannot be is refused (``ParquetFile`` decodes
    /// only the columns a run uses).
    public init(path: String, budget: MemoryBudget = .current) throws {
        try self.init(bytes: try InputFile.contents(path), path: path, budget: budget)
    }

    /// A Parquet file already in memory (read from a pipe or standard
    /// input, which cannot seek to the footer); `path` names it in messages.
    public init(bytes: [UInt8], path: String, budget: MemoryBudget = .current) throws {
        let file = try ParquetFile(bytes: bytes, path: path)
        let all = Array(file.columnNames.indices)
        try file.checkBudget(columns: all, budget: budget)
        self.path = path
        rows = file.rows
        columns = try all.map { try file.decode($0) }
    }
}

/// A Parquet file whose footer has been read and checked, and whose columns
/// are decoded on demand: a run decodes the columns it uses (the item,
/// worker and label of answers; a table's label and features), so that a
/// column it does not use — a TIMESTAMP, a nested field — does not block it.
struct ParquetFile {
    let path: String
    let bytes: [UInt8]
    let meta: ParquetMetadata

    var rows: Int { Int(meta.rows) }
    var columnNames: [String] { meta.columns.map(\.name) }
    /// pandas' index columns, by name (``ParquetMetadata/pandasIndexColumns``).
    var pandasIndexColumns: [String] { meta.pandasIndexColumns }

    init(bytes: [UInt8], path: String) throws {
        let magic: [UInt8] = Array("PAR1".utf8)
        guard bytes.count >= 12, Array(bytes.prefix(4)) == magic, Array(bytes.suffix(4)) == magic else {
            throw InputError(file: path, expected: "a Parquet file (PAR1 at both ends)", found: bytes.count < 12 ? "\(bytes.count) bytes" : "other bytes")
        }
        let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
            | Int(bytes[bytes.count - 6]) << 16 | Int(bytes[bytes.count - 5]) << 24
        guard footerLength > 0, footerLength <= bytes.count - 12 else {
            throw InputError(file: path, expected: "a footer of at most \(bytes.count - 12) bytes", found: "a length of \(footerLength)")
        }
        let footer = Array(bytes[(bytes.count - 8 - footerLength)..<(bytes.count - 8)])
        let meta = try ParquetMetadata(footer, describe: path)
        // pandas writes a frame of no rows as a schema and empty chunks; say so
        // rather than that the chunks' offsets point nowhere.
        guard meta.rows > 0 else {
            throw InputError(file: path, expected: "at least one row", found: "none (a schema of \(meta.columns.count) columns and no rows)")
        }
        self.path = path
        self.bytes = bytes
        self.meta = meta
    }

    /// Why column `c` cannot be read, or nil.
    func unsupported(_ c: Int) -> InputError? { meta.columns[c].unsupported }

    /// Refuses, before anything is decoded, columns whose values would not
    /// fit `budget` (besides the file's bytes, which are already held).
    func checkBudget(columns: [Int], budget: MemoryBudget) throws {
        var estimate = MemoryEstimate()
        estimate.add("the file's bytes", bytes.count)
        let lists = columns.filter { meta.columns[$0].list != nil }
        estimate.add("\(rows) rows × \(columns.count - lists.count) columns of values (× 17 bytes: the value, a null flag, the decoded page)",
                     rows, columns.count - lists.count, 17)
        for c in lists {
            // A list's chunks hold one entry per element (or null or empty list); counts are the footer's claims, capped.
            let entries = meta.rowGroups.reduce(0) { $0 + Int(clamping: min(max($1.chunks[meta.columns[c].chunk].valueCount, 0), 1 << 50)) }
            estimate.add("the list column \"\(meta.columns[c].name)\": \(entries) entries (× 32 bytes: the value, its levels, the decoded page)",
                         entries, 32)
        }
        try budget.check(estimate, subject: path)
    }

    /// Column `c`, decoded; a column that cannot be read is refused, naming
    /// it and what it holds. `progress` hears of each row group's chunk decoded.
    func decode(_ c: Int, progress: inout ReadProgress) throws -> ParquetTable.Column {
        try decode(c, reportingTo: &progress)
    }

    /// Column `c`, decoded without reporting progress; with `physical`,
    /// INT32 and INT64 columns keep their stored integers (a DECIMAL's
    /// unscaled value, a TIMESTAMP's ticks, a UINT_64's bit pattern), for
    /// writing them back.
    func decode(_ c: Int, physical: Bool = false) throws -> ParquetTable.Column {
        var silent = ReadProgress.silent
        return try decode(c, reportingTo: &silent, physical: physical)
    }

    private func decode(_ c: Int, reportingTo progress: inout ReadProgress, physical: Bool = false) throws -> ParquetTable.Column {
        if let why = unsupported(c) { throw why }
        let column = meta.columns[c]
        var decoder = _ParquetColumnDecoder(column: column, path: path)
        decoder.physical = physical
        for group in meta.rowGroups {
            try decoder.readChunk(group.chunks[column.chunk], rows: Int(group.rows), file: bytes)
            progress.advanceUnit()
        }
        let decoded = try decoder.finish()
        guard decoded.present.count == rows else {
            throw InputError(file: path, columnName: .named(column.name), expected: "\(rows) values", found: "\(decoded.present.count)")
        }
        return decoded
    }
}

/// Decodes one column's chunks, page by page, into growing arrays.
struct _ParquetColumnDecoder {
    let column: ParquetMetadata.Column
    let path: String
    var present = [Bool]()
    var booleans = [Bool](), integers = [Int64](), floats = [Double](), strings = [String]()
    /// The current chunk's dictionary, as indices into the typed arrays' own kind.
    var dictionaryBooleans = [Bool](), dictionaryIntegers = [Int64](), dictionaryFloats = [Double](), dictionaryStrings = [String]()
    /// The first value that cannot be read as its type says (a string that
    /// is not UTF-8, a DECIMAL of more than 32 bytes): its position among the
    /// column's non-null values, what was expected and what was found.
    /// Reported with its row by ``finish()``.
    var firstBadValue: (index: Int, expected: String, found: String)? = nil
    /// Such values in the current chunk's dictionary, by dictionary index.
    var badDictionaryEntries: [Int: (expected: String, found: String)] = [:]
    /// A list column's levels, one entry each: repetition 0 starts a row.
    var repetitions = [UInt8](), definitions = [UInt8]()
    /// The row group (from 0) and the page in its chunk (from 0, the
    /// dictionary page included) being decoded: messages about encoded
    /// values name them.
    var rowGroup = -1, page = 0
    /// Integers as stored (``ParquetFile/decode(_:physical:)``).
    var physical = false
    /// With `physical`, a DECIMAL's bytes: a FIXED_LEN_BYTE_ARRAY's as
    /// stored, a BYTE_ARRAY's sign-extended to ``fixedWidth`` (beside their
    /// values in `floats`), and the current chunk's dictionary so.
    var fixedBytes = [UInt8](), dictionaryFixedBytes = [UInt8]()
    /// Whether ``fixedBytes`` are kept.
    var keepsFixedBytes: Bool {
        guard physical, column.type == .fixedLenByteArray || column.type == .byteArray, case .decimal = column.annotation else { return false }
        return true
    }
    /// The bytes each of ``fixedBytes`` takes: a FIXED_LEN_BYTE_ARRAY's
    /// length; for a DECIMAL(p, s) in BYTE_ARRAY, whose values have lengths
    /// of their own, the fewest bytes whose two's complement holds every
    /// p-digit number (Parquet's table of precision by FIXED_LEN_BYTE_ARRAY
    /// length; 9 for p = 20), the width pyarrow would store it in.
    var fixedWidth: Int {
        guard column.type == .byteArray, case .decimal(let precision, _) = column.annotation else { return column.length }
        return ParquetScaledNumber.decimalBytes(precision: precision)
    }

    /// Which typed array a value goes to: INT32 and INT64 as integers
    /// (decimals, times and timestamps among them are scaled by ``finish()``),
    /// INT96, FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY decimals as floats when read.
    enum Storage { case booleans, integers, floats, strings }
    var storage: Storage {
        switch column.type {
        case .boolean: return .booleans
        case .int32, .int64: return .integers
        case .float, .double, .int96, .fixedLenByteArray: return .floats
        case .byteArray:
            if case .decimal = column.annotation { return .floats }
            return .strings
        }
    }

    init(column: ParquetMetadata.Column, path: String) {
        self.column = column
        self.path = path
    }

    func failure(_ expected: String, _ found: String) -> InputError {
        InputError(file: path, columnName: .named(column.name), expected: expected, found: found)
    }

    mutating func readChunk(_ chunk: ParquetMetadata.Chunk, rows: Int, file: [UInt8]) throws {
        switch column.type {
        case .boolean, .int32, .int64, .float, .double, .byteArray: break
        case .int96 where column.annotation == .int96: break
        case .fixedLenByteArray where column.annotation != .none: break
        default: throw failure("a boolean, integer, float, double or string column", "physical type \(column.type)")
        }
        guard ParquetCompression.isSupported(chunk.codec) else {
            throw failure("uncompressed, Snappy, gzip, Brotli, LZ4 or zstd pages", ParquetCompression.name(chunk.codec))
        }
        dictionaryBooleans = []; dictionaryIntegers = []; dictionaryFloats = []; dictionaryStrings = []; dictionaryFixedBytes = []
        badDictionaryEntries = [:]
        rowGroup += 1
        page = 0
        // An empty chunk (a file or row group of no rows) has no pages to find:
        // pyarrow gives it offsets that point nowhere.
        guard chunk.valueCount > 0 || rows > 0 else { return }
        let first = chunk.dictionaryPageOffset.map { min($0, chunk.dataPageOffset) } ?? chunk.dataPageOffset
        // Checked: offsets and sizes near Int64.max must not overflow the sum.
        let (last, overflow) = first.addingReportingOverflow(chunk.compressedSize)
        guard first >= 4, chunk.compressedSize >= 0, !overflow, last <= Int64(file.count - 8), chunk.valueCount >= 0,
              chunk.valueCount <= Int64(rows) || column.list != nil else {
            throw failure("a column chunk inside the file", "\(chunk.compressedSize) bytes at \(first) of \(file.count)")
        }
        var offset = Int(first)
        let end = Int(last)
        var valuesRead = 0
        let rowsBefore = rowCount
        chunkStart = repetitions.count
        while valuesRead < Int(chunk.valueCount) {
            guard offset < end else { throw failure("\(chunk.valueCount) values in the chunk", "\(valuesRead)") }
            var r = ThriftCompactReader(file, at: offset, describe: "\(path): column \"\(column.name)\" page header")
            let header = try ParquetPageHeader(&r)
            guard header.valueCount >= 0, header.uncompressedSize >= 0, header.definitionLevelsLength >= 0,
                  header.repetitionLevelsLength >= 0 else {
                throw failure("a page header of non-negative sizes", "\(header.valueCount) values, \(header.uncompressedSize) bytes")
            }
            // A data page holds at most the chunk's values not yet read; its
            // count sizes the arrays below.
            let isData = header.kind == ParquetPageHeader.Kind.data.rawValue || header.kind == ParquetPageHeader.Kind.dataV2.rawValue
            guard !isData || header.valueCount <= Int(chunk.valueCount) - valuesRead else {
                throw failure("a page of at most \(Int(chunk.valueCount) - valuesRead) values (the chunk's rest)", "\(header.valueCount) values")
            }
            let start = r.position, stop = start + header.compressedSize
            guard header.compressedSize >= 0, stop <= end else { throw failure("a page inside its chunk", "\(header.compressedSize) bytes at \(start)") }
            let body = file[start..<stop]
            switch ParquetPageHeader.Kind(rawValue: header.kind) {
            case .dictionary:
                let plain = try decompress(body, codec: chunk.codec, size: header.uncompressedSize)
                try readPlain(plain[...], count: header.valueCount, intoDictionary: true)
            case .data:
                let page = try decompress(body, codec: chunk.codec, size: header.uncompressedSize)
                var p = page.startIndex
                var defined = header.valueCount
                var levels = [Bool](repeating: true, count: header.valueCount)
                if let list = column.list {
                    // Repetition levels (1 bit), then definition levels, each after its 4-byte length.
                    var sections = [[UInt32]]()
                    for bits in [1, list.definitionBits] {
                        guard p + 4 <= page.endIndex else { throw failure("repetition and definition levels", "a truncated page") }
                        let n = Int(page[p]) | Int(page[p + 1]) << 8 | Int(page[p + 2]) << 16 | Int(page[p + 3]) << 24
                        p += 4
                        guard n >= 0, p + n <= page.endIndex else { throw failure("repetition and definition levels", "a truncated page") }
                        sections.append(try hybrid(page[p..<(p + n)], bitWidth: bits, count: header.valueCount))
                        p += n
                    }
                    try readValues(page[p...], encoding: header.encoding, count: try appendLevels(sections[0], sections[1], list))
                } else if column.optional {
                    guard p + 4 <= page.endIndex else { throw failure("definition levels", "a truncated page") }
                    let n = Int(page[p]) | Int(page[p + 1]) << 8 | Int(page[p + 2]) << 16 | Int(page[p + 3]) << 24
                    p += 4
                    guard n >= 0, p + n <= page.endIndex else { throw failure("definition levels", "a truncated page") }
                    levels = try hybrid(page[p..<(p + n)], bitWidth: 1, count: header.valueCount).map { $0 == 1 }
                    p += n
                    defined = levels.lazy.filter { $0 }.count
                }
                if column.list == nil {
                    try readValues(page[p...], encoding: header.encoding, count: defined)
                    present.append(contentsOf: levels)
                }
            case .dataV2:
                let levelsLength = header.repetitionLevelsLength + header.definitionLevelsLength
                guard header.repetitionLevelsLength == 0 || column.list != nil else { throw failure("no repetition levels", "\(header.repetitionLevelsLength) bytes of them") }
                guard levelsLength <= body.count else { throw failure("definition levels", "a truncated page") }
                var levels = [Bool](repeating: true, count: header.valueCount)
                var defined: Int? = nil
                if let list = column.list {
                    let s = body.startIndex, d = s + header.repetitionLevelsLength
                    defined = try appendLevels(try hybrid(body[s..<d], bitWidth: 1, count: header.valueCount),
                                               try hybrid(body[d..<(d + header.definitionLevelsLength)], bitWidth: list.definitionBits,
                                                          count: header.valueCount), list)
                } else if column.optional {
                    let s = body.startIndex
                    levels = try hybrid(body[s..<(s + header.definitionLevelsLength)], bitWidth: 1, count: header.valueCount).map { $0 == 1 }
                }
                let rest = body[(body.startIndex + levelsLength)...]
                let values = header.valuesCompressed
                    ? try decompress(rest, codec: chunk.codec, size: header.uncompressedSize - levelsLength)[...]
                    : rest
                try readValues(values, encoding: header.encoding, count: defined ?? levels.lazy.filter { $0 }.count)
                if column.list == nil { present.append(contentsOf: levels) }
            default:
                break  // index pages carry nothing to read
            }
            if header.kind == 0 || header.kind == 3 { valuesRead += header.valueCount }
            offset = stop
            page += 1
        }
        if column.list != nil, rowCount - rowsBefore != rows {
            throw failure("\(rows) rows in the row group's list chunk", "\(rowCount - rowsBefore)")
        }
    }

    /// The number of rows a list column's levels have started so far.
    var rowCount: Int { column.list == nil ? present.count : listRows }
    var listRows = 0
    /// Where the current chunk's levels start among ``repetitions``.
    var chunkStart = 0

    /// Appends a list page's levels, checked (a chunk's first entry starts a
    /// row; repetition 0 or 1; definition at most the maximum; an entry that
    /// continues a row, and the one before it, are elements, not a null or
    /// empty list), and returns how many are values.
    mutating func appendLevels(_ reps: [UInt32], _ defs: [UInt32], _ list: ParquetMetadata.ListLevels) throws -> Int {
        var values = 0
        if let first = reps.first, first != 0, repetitions.count == chunkStart {
            throw failure("a list's first entry to start a row", "repetition level \(first)")
        }
        for (r, d) in zip(reps, defs) {
            guard r <= 1 else { throw failure("repetition levels of at most 1", "\(r)") }
            guard d <= list.maxDefinition else { throw failure("definition levels of at most \(list.maxDefinition)", "\(d)") }
            if r == 1, Int(d) < list.emptyBelow || Int(definitions.last ?? 0) < list.emptyBelow {
                throw failure("a list's next element after an element", "definition level \(d) after \(definitions.last ?? 0)")
            }
            if r == 0 { listRows += 1 }
            if d == list.maxDefinition { values += 1 }
            repetitions.append(UInt8(r))
            definitions.append(UInt8(d))
        }
        return values
    }

    /// The page (or its values) decoded by the chunk's codec; corrupt,
    /// truncated or oversized data is one line naming the column and codec.
    func decompress(_ body: ArraySlice<UInt8>, codec: Int32, size: Int) throws -> ArraySlice<UInt8> {
        guard codec != 0 else { return body }
        do {
            return try ParquetCompression.decompress(body, codec: codec, size: size)[...]
        } catch {
            throw InputError(file: path, field: "column \"\(column.name)\"", expected: error.expected, found: error.found)
        }
    }

    /// The RLE / bit-packed hybrid: runs of one repeated value, and groups
    /// of 8 values packed LSB first, each introduced by a varint header.
    func hybrid(_ bytes: ArraySlice<UInt8>, bitWidth: Int, count: Int) throws -> [UInt32] {
        guard bitWidth <= 32 else { throw failure("a bit width of at most 32", "\(bitWidth)") }
        var out = [UInt32]()
        out.reserveCapacity(count)
        var p = bytes.startIndex
        let byteWidth = (bitWidth + 7) / 8
        while out.count < count {
            var header = 0, shift = 0
            while true {
                guard p < bytes.endIndex else { throw failure("\(count) encoded values", "\(out.count)") }
                let b = bytes[p]; p += 1
                header |= Int(b & 0x7f) << shift
                if b & 0x80 == 0 { break }
                shift += 7
                guard shift < 35 else { throw failure("a run header", "an overlong varint") }
            }
            if header & 1 == 0 {
                let run = header >> 1
                guard p + byteWidth <= bytes.endIndex else { throw failure("a run value", "the end of the page") }
                var value: UInt32 = 0
                for i in 0..<byteWidth { value |= UInt32(bytes[p + i]) << (8 * i) }
                p += byteWidth
                out.append(contentsOf: repeatElement(value, count: min(run, count - out.count)))
            } else {
                let values = (header >> 1) * 8
                let length = (header >> 1) * bitWidth
                guard p + length <= bytes.endIndex else { throw failure("\(length) bit-packed bytes", "the end of the page") }
                // LSB first: bytes enter a 64-bit window at the top of what it
                // holds, values leave from the bottom. The group's length
                // check above keeps every byte read inside it.
                let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
                var window: UInt64 = 0, held = 0, q = p
                for _ in 0..<min(values, count - out.count) {
                    while held < bitWidth { window |= UInt64(bytes[q]) << UInt64(held); q += 1; held += 8 }
                    out.append(UInt32(window & mask))
                    window >>= UInt64(bitWidth)
                    held -= bitWidth
                }
                p += length
            }
        }
        return out
    }

    mutating func readValues(_ bytes: ArraySlice<UInt8>, encoding: Int32, count: Int) throws {
        switch encoding {
        case 0:
            try readPlain(bytes, count: count, intoDictionary: false)
        case 2, 8:
            guard let width = bytes.first else {
                if count == 0 { return }
                throw failure("dictionary indices", "an empty page")
            }
            let indices = try hybrid(bytes.dropFirst(), bitWidth: Int(width), count: count)
            let size: Int
            switch storage {
            case .booleans: size = dictionaryBooleans.count
            case .strings: size = dictionaryStrings.count
            case .floats: size = dictionaryFloats.count
            case .integers: size = dictionaryIntegers.count
            }
            for i in indices where Int(i) >= size { throw failure("dictionary indices below \(size)", "\(i)") }
            if !badDictionaryEntries.isEmpty, firstBadValue == nil,
               let k = indices.firstIndex(where: { badDictionaryEntries[Int($0)] != nil }) {
                let bad = badDictionaryEntries[Int(indices[k])]!
                firstBadValue = (valueCount + k, bad.expected, bad.found)
            }
            switch storage {
            case .booleans: booleans.append(contentsOf: indices.map { dictionaryBooleans[Int($0)] })
            case .strings: strings.append(contentsOf: indices.map { dictionaryStrings[Int($0)] })
            case .floats: floats.append(contentsOf: indices.map { dictionaryFloats[Int($0)] })
            case .integers: integers.append(contentsOf: indices.map { dictionaryIntegers[Int($0)] })
            }
            if keepsFixedBytes {
                let n = fixedWidth
                for i in indices { fixedBytes += dictionaryFixedBytes[(Int(i) * n)..<((Int(i) + 1) * n)] }
            }
        case 3 where column.type == .boolean:
            guard bytes.count >= 4 else { throw failure("RLE booleans", "a truncated page") }
            let s = bytes.startIndex
            booleans.append(contentsOf: try hybrid(bytes[(s + 4)...], bitWidth: 1, count: count).map { $0 == 1 })
        case 5 where column.type == .int32 || column.type == .int64:
            let int32 = column.type == .int32
            let (values, _) = try encoded { try ParquetDeltaBinaryPacked.decode(bytes, count: count, bitLimit: int32 ? 32 : 64) }
            var unsigned = false
            if case .unsigned = column.annotation { unsigned = true }
            integers.reserveCapacity(integers.count + count)
            // As PLAIN reads them: INT32 by its low 32 bits (unsigned for UINT_8/16/32), INT64 by its bit pattern.
            for bits in values {
                integers.append(!int32 ? Int64(bitPattern: bits)
                                : unsigned ? Int64(UInt32(truncatingIfNeeded: bits)) : Int64(Int32(truncatingIfNeeded: bits)))
            }
        case 6 where column.type == .byteArray:
            let plain = try encoded { try ParquetDeltaByteArrays.plainFromDeltaLength(bytes, count: count) }
            try readPlain(plain[...], count: count, intoDictionary: false)
        case 7 where column.type == .byteArray || column.type == .fixedLenByteArray:
            let plain = try encoded {
                try ParquetDeltaByteArrays.plainFromDelta(bytes, count: count, fixedLength: column.type == .fixedLenByteArray ? column.length : nil,
                                                          limit: MemoryBudget.current.limit)
            }
            try readPlain(plain[...], count: count, intoDictionary: false)
        case 9 where [.float, .double, .int32, .int64, .fixedLenByteArray].contains(column.type):
            let width = [.float: 4, .int32: 4, .double: 8, .int64: 8][column.type] ?? column.length
            let plain = try encoded { try ParquetByteStreamSplit.plain(bytes, count: count, width: width) }
            try readPlain(plain[...], count: count, intoDictionary: false)
        default:
            let names: [Int32: String] = [3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED", 6: "DELTA_LENGTH_BYTE_ARRAY",
                                          7: "DELTA_BYTE_ARRAY", 9: "BYTE_STREAM_SPLIT"]
            throw failure("an encoding Parquet allows for physical type \(column.type) (PLAIN, dictionary, DELTA or BYTE_STREAM_SPLIT)",
                          names[encoding] ?? "encoding \(encoding)")
        }
    }

    /// The result of a value decoder (``ParquetDeltaBinaryPacked``,
    /// ``ParquetDeltaByteArrays``, ``ParquetByteStreamSplit``); what it
    /// refuses becomes one line naming the file, column, row group and page.
    func encoded<T>(_ decode: () throws -> T) throws -> T {
        do {
            return try decode()
        } catch let error as ParquetEncodingError {
            throw InputError(file: path, columnName: .named(column.name), field: "row group \(rowGroup), page \(page)",
                             expected: error.expected, found: error.found)
        }
    }

    mutating func readPlain(_ bytes: ArraySlice<UInt8>, count: Int, intoDictionary: Bool) throws {
        var p = bytes.startIndex
        func need(_ n: Int) throws {
            guard p + n <= bytes.endIndex else { throw failure("\(count) values", "the end of the page") }
        }
        func word(_ n: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<n { v |= UInt64(bytes[p + i]) << (8 * UInt64(i)) }
            return v
        }
        /// Each BYTE_ARRAY value in turn: its 4-byte little-endian length,
        /// then that many bytes (`value`'s range in `bytes`). Each value takes
        /// at least its length, so the page bounds the count first.
        func eachLengthPrefixed(_ body: (_ i: Int, _ value: Range<Int>) -> Void) throws {
            try need(4 * count)
            for i in 0..<count {
                try need(4)
                let n = Int(word(4))
                p += 4
                try need(n)
                body(i, p..<(p + n))
                p += n
            }
        }
        switch column.type {
        case .boolean:
            try need((count + 7) / 8)
            let v = (0..<count).map { bytes[p + $0 / 8] >> ($0 % 8) & 1 == 1 }
            if intoDictionary { dictionaryBooleans = v } else { booleans.append(contentsOf: v) }
        case .int32, .int64:
            let n = column.type == .int32 ? 4 : 8
            try need(n * count)
            var v = [Int64]()
            v.reserveCapacity(count)
            var unsigned = false
            if case .unsigned = column.annotation { unsigned = true }
            for _ in 0..<count {
                if n == 4 {
                    // UINT_8/16/32 use all 32 bits unsigned: 3000000000 is not −1294967296.
                    v.append(unsigned ? Int64(UInt32(word(4))) : Int64(Int32(bitPattern: UInt32(word(4)))))
                } else {
                    // UINT_64 keeps its bit pattern: finish() reads it as unsigned.
                    v.append(Int64(bitPattern: word(8)))
                }
                p += n
            }
            if intoDictionary { dictionaryIntegers = v } else { integers.append(contentsOf: v) }
        case .float, .double:
            let n = column.type == .float ? 4 : 8
            try need(n * count)
            var v = [Double]()
            v.reserveCapacity(count)
            for _ in 0..<count {
                v.append(n == 4 ? Double(Float(bitPattern: UInt32(word(4)))) : Double(bitPattern: word(8)))
                p += n
            }
            if intoDictionary { dictionaryFloats = v } else { floats.append(contentsOf: v) }
        case .int96, .fixedLenByteArray:
            // INT96 timestamps; FIXED_LEN_BYTE_ARRAY decimals (1 to 32 bytes, checked with the schema) and half floats.
            let n = column.type == .int96 ? 12 : column.length
            try need(n * count)
            if keepsFixedBytes {
                if intoDictionary { dictionaryFixedBytes = Array(bytes[p..<(p + n * count)]) } else { fixedBytes += bytes[p..<(p + n * count)] }
            }
            var v = [Double]()
            v.reserveCapacity(count)
            for _ in 0..<count {
                let bytes = bytes[p..<(p + n)]
                switch column.annotation {
                case .int96: v.append(ParquetScaledNumber.value(ParquetScaledNumber.int96Nanoseconds(bytes), digits: 9))
                case .decimal(_, let scale): v.append(ParquetScaledNumber.decimal(bytes, digits: scale))
                default: v.append(ParquetScaledNumber.half(bytes[p], bytes[p + 1]))
                }
                p += n
            }
            if intoDictionary { dictionaryFloats = v } else { floats.append(contentsOf: v) }
        case .byteArray where storage == .floats:
            // DECIMAL in BYTE_ARRAY: each value big-endian two's complement after its 4-byte length.
            guard case .decimal(let precision, let scale) = column.annotation else { throw failure("a DECIMAL", "\(column.annotation.spelled)") }
            var v = [Double]()
            v.reserveCapacity(count)
            let keeps = keepsFixedBytes, width = fixedWidth
            var kept = [UInt8]()
            if keeps { kept.reserveCapacity(count * width) }
            try eachLengthPrefixed { i, value in
                if (1...32).contains(value.count) {
                    v.append(ParquetScaledNumber.decimal(bytes[value], digits: scale))
                } else {
                    bad(i, intoDictionary: intoDictionary, expected: "a DECIMAL of 1 to 32 bytes", found: "\(value.count) bytes")
                    v.append(.nan)
                }
                guard keeps else { return }
                // Written back in `width` bytes: the value's own, sign-extended or stripped of redundant sign bytes.
                if let fitted = ParquetScaledNumber.signExtended(bytes[value], to: width) {
                    kept += fitted
                } else {
                    if (1...32).contains(value.count) {
                        bad(i, intoDictionary: intoDictionary,
                            expected: "a \(column.annotation.spelled) value of at most \(precision) digits (\(width) bytes, the width it is written back in)",
                            found: "one of \(ParquetScaledNumber.significantBytes(bytes[value])) bytes")
                    }
                    kept += [UInt8](repeating: 0, count: width)
                }
            }
            if intoDictionary { dictionaryFloats = v } else { floats.append(contentsOf: v) }
            if keeps { if intoDictionary { dictionaryFixedBytes = kept } else { fixedBytes += kept } }
        case .byteArray:
            var v = [String]()
            v.reserveCapacity(count)
            try eachLengthPrefixed { i, value in
                if let text = String(validating: bytes[value], as: UTF8.self) {
                    v.append(text)
                } else {
                    let n = value.count
                    let shown = bytes[value.prefix(12)].map { String(format: "%02x", $0) }.joined(separator: " ")
                    bad(i, intoDictionary: intoDictionary, expected: "UTF-8 text",
                        found: "bytes that are not (\(shown)\(n > 12 ? " …" : ""))")
                    v.append("")
                }
            }
            if intoDictionary { dictionaryStrings = v } else { strings.append(contentsOf: v) }
        }
    }

    /// The number of non-null values decoded so far.
    var valueCount: Int {
        switch storage {
        case .booleans: booleans.count
        case .strings: strings.count
        case .floats: floats.count
        case .integers: integers.count
        }
    }

    /// Records value `i` of the page being decoded (or of the dictionary)
    /// as unreadable, if it is the first.
    mutating func bad(_ i: Int, intoDictionary: Bool, expected: String, found: String) {
        if intoDictionary {
            badDictionaryEntries[i] = (expected, found)
        } else if firstBadValue == nil {
            firstBadValue = (valueCount + i, expected, found)
        }
    }

    /// The column with nulls' slots filled (false, 0, NaN or "") so that
    /// values line up with rows; `present` says which are real. Throws for
    /// the first unreadable value, naming its row (counted from 0, as
    /// ``TableSource`` names Parquet rows, and pandas and NumPy count them).
    func finish() throws -> ParquetTable.Column {
        if let bad = firstBadValue {
            var seen = 0, row = 0
            for (r, isPresent) in present.enumerated() where isPresent {
                if seen == bad.index { row = r; break }
                seen += 1
            }
            throw InputError(file: path, row: row, columnName: .named(column.name), expected: bad.expected, found: bad.found)
        }
        if let list = column.list { return try vectors(list) }
        func spread<T>(_ dense: [T], filler: T) -> [T] {
            var out = [T](), next = 0
            out.reserveCapacity(present.count)
            for isPresent in present {
                if isPresent, next < dense.count { out.append(dense[next]); next += 1 } else { out.append(filler) }
            }
            return out
        }
        let values: ParquetTable.Values
        switch (storage, column.annotation) {
        case (.integers, _) where physical: values = .integers(spread(integers, filler: 0))
        case (.floats, _) where keepsFixedBytes:
            let n = fixedWidth
            var out = [UInt8](repeating: 0, count: present.count * n), next = 0
            for (r, isPresent) in present.enumerated() where isPresent && next + n <= fixedBytes.count {
                out[(r * n)..<((r + 1) * n)] = fixedBytes[next..<(next + n)]
                next += n
            }
            values = .fixedBytes(width: n, bytes: out)
        case (.booleans, _): values = .booleans(spread(booleans, filler: false))
        case (.strings, _): values = .strings(spread(strings, filler: ""))
        case (.floats, _): values = .floats(spread(floats, filler: .nan))
        case (.integers, .decimal(_, let digits)), (.integers, .time(let digits)), (.integers, .timestamp(let digits, _)):
            values = .floats(spread(integers.map { ParquetScaledNumber.value(Int128($0), digits: digits) }, filler: .nan))
        case (.integers, .unsigned) where column.type == .int64 && integers.contains(where: { $0 < 0 }):
            // A UINT_64 above Int64.max: the bit patterns read as unsigned.
            values = .unsignedIntegers(spread(integers.map { UInt64(bitPattern: $0) }, filler: 0))
        case (.integers, _): values = .integers(spread(integers, filler: 0))
        }
        return ParquetTable.Column(name: column.name, values: values, present: present)
    }

    /// A list column as rows of one width: a null list is a row not
    /// present; every other row's list must hold as many elements as the
    /// first's (one line naming the row, the width expected and found).
    func vectors(_ list: ParquetMetadata.ListLevels) throws -> ParquetTable.Column {
        // Each row: where its entries start, its length, whether its list is null.
        var starts = [Int](), lengths = [Int](), rowPresent = [Bool]()
        starts.reserveCapacity(listRows); lengths.reserveCapacity(listRows); rowPresent.reserveCapacity(listRows)
        for (k, (r, d)) in zip(repetitions, definitions).enumerated() {
            if r == 0 {
                starts.append(k)
                lengths.append(0)
                rowPresent.append(Int(d) >= list.nullBelow)
            }
            if Int(d) >= list.emptyBelow { lengths[lengths.count - 1] += 1 }
        }
        guard let first = rowPresent.firstIndex(of: true), lengths[first] > 0 else {
            throw failure("a list of at least one number in some row", rowPresent.contains(true) ? "an empty list in row \(rowPresent.firstIndex(of: true)!)" : "only null lists")
        }
        let width = lengths[first]
        if let r = rowPresent.indices.first(where: { rowPresent[$0] && lengths[$0] != width }) {
            throw InputError(file: path, row: r, columnName: .named(column.name),
                             expected: "a list of \(width) numbers, as in row \(first) (every row's the same length)", found: "\(lengths[r])")
        }
        var values = [Double](repeating: .nan, count: rowPresent.count * width)
        var elementPresent = [Bool](repeating: false, count: rowPresent.count * width)
        var next = 0
        for row in rowPresent.indices where rowPresent[row] {
            for e in 0..<width where Int(definitions[starts[row] + e]) == list.maxDefinition && next < floats.count {
                values[row * width + e] = floats[next]
                elementPresent[row * width + e] = true
                next += 1
            }
        }
        return ParquetTable.Column(name: column.name, values: .vectors(width: width, values: values, present: elementPresent), present: rowPresent)
    }
}
