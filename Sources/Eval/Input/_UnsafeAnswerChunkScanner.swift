import Foundation

/// The answers of one piece of a long-form CSV answers file, or the rows
/// of a gold file (no worker column) (``AnswerCSVChunks``), read on a
/// thread of its own: ids interned in this piece's own first-seen order,
/// lines counted from the piece's start.
struct AnswerChunk {
    /// Per answer kept: local item, worker and label ids (indices into the
    /// interners below).
    var items = [Int32](), workers = [Int32](), labels = [Int32]()
    var itemIDs: ValueInterner, workerIDs: ValueInterner
    var labelValues = ValueInterner()
    /// For each local label id, the line (counted from the piece's first
    /// line, 0) of the record it first appeared in, for messages.
    var labelLines = [Int]()
    /// Line ends read (inside quoted fields too), as the sequential scanner counts them.
    var lineEnds = 0
    /// The byte after the last record read: the next piece's start when the
    /// split fell between records.
    var stop = 0
    /// Answers left out: a missing label (read with `dropMissing`), −1 (no label).
    var dropped = 0, noLabel = 0
    /// False when the piece holds something only the sequential reader may
    /// say or read (an error, a NUL byte): the whole file is then read by it.
    var clean = true

    init(itemIDs: ValueInterner, workerIDs: ValueInterner) {
        self.itemIDs = itemIDs
        self.workerIDs = workerIDs
    }
}

/// The byte loop of ``AnswerCSVChunks``: RFC 4180 records exactly as
/// ``_UnsafeCSVScanner`` reads them (quoted fields with `""`, line ends
/// \n, \r\n or a lone \r, blank lines skipped, line counting inside quoted
/// fields), but from any record start to a given end, keeping only three
/// fields per record (two for a gold file) and interning them at once: no record struct, no
/// field array, no String.
///
/// It gives up (``AnswerChunk/clean`` false) at the first thing that the
/// sequential reader would refuse or treat specially — a record of the
/// wrong width, an unclosed quote, a byte after a closing quote, a NUL byte,
/// bytes that are not UTF-8, an empty id, a missing label without
/// `dropMissing` — so that every message stays the sequential reader's own.
enum _UnsafeAnswerChunkScanner {
    /// What the scanner needs to know of the file's header and the run.
    struct Layout {
        /// Fields per record (the header's).
        let width: Int
        /// The item, worker and label columns (0-based field indices);
        /// `worker` −1 for a gold file (item and label only).
        let item: Int, worker: Int, label: Int
        let delimiter: UInt8
        /// Whether a label −1 is no label (``NoLabel``), and whether a missing label is left out.
        let noLabel: Bool, dropMissing: Bool
        /// Ids below this go to the interners' direct tables (``ValueInterner``).
        let directLimit: Int
    }

    /// Reads the records that start in `from ..< to`; the last may run past
    /// `to` (a quoted field spanning a line end) up to the end of `file`.
    /// Precondition: `from` is the start of a record (or of blank lines
    /// before one), and `file` stays valid for the call.
    static func scan(_ file: UnsafeBufferPointer<UInt8>, from: Int, to: Int, layout: Layout) -> AnswerChunk {
        var chunk = AnswerChunk(itemIDs: ValueInterner(directLimit: layout.directLimit),
                                workerIDs: ValueInterner(directLimit: layout.directLimit))
        // One pass over the piece: a NUL byte anywhere sends the file to the
        // sequential reader; UTF-8 is checked per field only when some byte is not ASCII.
        let piece = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(file)[from..<to])
        if let base = piece.baseAddress, memchr(base, 0, piece.count) != nil {
            chunk.clean = false
            return chunk
        }
        // Eight bytes at a time (the loop vectorizes), then the tail.
        var high: UInt64 = 0
        let words = piece.count / 8
        for w in 0..<words { high |= piece.loadUnaligned(fromByteOffset: 8 * w, as: UInt64.self) }
        for k in (8 * words)..<piece.count { high |= UInt64(piece[k]) }
        let asciiOnly = high & 0x8080_8080_8080_8080 == 0
        // A kept record holds its wanted fields (none empty), a delimiter
        // between each two fields and a line end: at least this many bytes,
        // except the last record, which may run past `to`. So the answers
        // fit in arrays of `capacity`, written without growing or checks.
        let wanted = layout.worker >= 0 ? 3 : 2
        let capacity = (to - from) / (wanted + layout.width) + 1
        var kept = 0
        var workers = [Int32](), labels = [Int32]()
        let items = [Int32](unsafeUninitializedCapacity: capacity) { items, itemCount in
            workers = [Int32](unsafeUninitializedCapacity: layout.worker >= 0 ? capacity : 0) { workers, workerCount in
                labels = [Int32](unsafeUninitializedCapacity: capacity) { labels, labelCount in
                    let columns = Columns(items: items.baseAddress!, workers: layout.worker >= 0 ? workers.baseAddress : nil, labels: labels.baseAddress!, capacity: capacity)
                    kept = scanRecords(file, from: from, to: to, layout: layout, asciiOnly: asciiOnly, into: &chunk, columns)
                    labelCount = kept
                }
                workerCount = layout.worker >= 0 ? kept : 0
            }
            itemCount = kept
        }
        chunk.items = items
        chunk.workers = workers
        chunk.labels = labels
        // The last record may run past `to`, where the checks above did not
        // look. A NUL byte there sends the file to the sequential reader, as
        // does invalid UTF-8 when the fields were not validated one by one:
        // the bytes before `to` were all ASCII then, so no character spans
        // `to`, and the tail (fields and ASCII separators) is valid UTF-8
        // exactly when each field's part of it is.
        if chunk.clean, chunk.stop > to {
            let tail = UnsafeBufferPointer(rebasing: file[to..<chunk.stop])
            if memchr(tail.baseAddress!, 0, tail.count) != nil
                || (asciiOnly && tail.contains { $0 >= 0x80 } && String(validating: tail, as: UTF8.self) == nil) {
                chunk.clean = false
            }
        }
        return chunk
    }

    /// A wanted field of a record, as ``scanRecords`` found it.
    private struct Span {
        /// Its bytes' range in the file (inside the quotes of a quoted field).
        var start = 0, end = 0
        /// Whether the quoted field holds `""`.
        var escaped = false
        /// The value of an unquoted canonical integer, else −1.
        var value = -1
    }

    /// Where ``scanRecords`` writes the answers it keeps, row after row.
    /// Precondition: each pointer holds `capacity` Int32s (`workers` nil
    /// for a gold file), and no more than `capacity` rows are written.
    private struct Columns {
        let items: UnsafeMutablePointer<Int32>, workers: UnsafeMutablePointer<Int32>?, labels: UnsafeMutablePointer<Int32>
        let capacity: Int
    }

    /// The record loop of ``scan(_:from:to:layout:)``: returns how many
    /// answers it wrote to `columns`; sets `chunk`'s interners, counts,
    /// `stop`, and `clean` false where it gives up.
    private static func scanRecords(_ file: UnsafeBufferPointer<UInt8>, from: Int, to: Int, layout: Layout, asciiOnly: Bool,
                                    into chunk: inout AnswerChunk, _ columns: Columns) -> Int {
        let n = file.count
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), comma = layout.delimiter
        var kept = 0
        var i = from
        // Counted in a local (the compiler keeps it in a register), stored on every way out.
        var lineEnds = chunk.lineEnds
        defer { chunk.lineEnds = lineEnds }
        // The wanted fields of the current record: start and end in `file`,
        // whether a quoted one holds `""` (its bytes are then unescaped), and
        // an unquoted one's value when it is a canonical integer
        // (``ValueInterner/canonicalInteger(_:)``), else −1.
        var itemSpan = Span(), workerSpan = Span(), labelSpan = Span()
        while i < to {
            let recordLine = lineEnds
            if layout.width == 2 || layout.width == 3, i + 24 <= n, let record = shortIntegerRecord(file.baseAddress! + i, width: layout.width, delimiter: comma) {
                // The usual record, `item,worker,label` as short integers, from one mask (see ``shortIntegerRecord``).
                itemSpan = record.field(layout.item, at: i)
                workerSpan = record.field(layout.worker, at: i)
                labelSpan = record.field(layout.label, at: i)
                i += record.length
                lineEnds += 1
            } else {
                var field = 0
                var firstEmpty = false
                while true {
                    var start: Int, end: Int, escaped = false, value = -1
                    if i < n, file[i] == quote {
                        i += 1
                        start = i
                        while true {
                            guard i < n else { chunk.clean = false; return kept }  // an unclosed quote
                            let c = file[i]
                            i += 1
                            if c == quote {
                                if i < n, file[i] == quote { escaped = true; i += 1 } else { break }
                            } else if c == cr || (c == newline && file[i - 2] != cr) {
                                lineEnds += 1
                            }
                        }
                        end = i - 1
                        guard i == n || file[i] == comma || file[i] == newline || file[i] == cr else { chunk.clean = false; return kept }
                    } else if i + 8 <= n, let (length, v) = digitRun(file.baseAddress! + i),
                              file[i + length] == comma || file[i + length] == newline || file[i + length] == cr {
                        // Up to seven digits then a field end, found eight bytes at a time: the byte loop below, without its branch per byte.
                        start = i
                        i += length
                        end = i
                        if length > 0, file[start] != UInt8(ascii: "0") || length == 1 { value = v }
                    } else {
                        // Ids are mostly integers: their value is read on the way, for the interners' direct tables.
                        start = i
                        var digits = true, v = 0
                        while i < n {
                            let c = file[i]
                            if c == comma || c == newline || c == cr { break }
                            let d = Int(c) &- 48
                            digits = digits && d >= 0 && d <= 9
                            v = v &* 10 &+ d
                            i += 1
                        }
                        end = i
                        if digits, end > start, end - start <= 18, file[start] != UInt8(ascii: "0") || end - start == 1 { value = v }
                    }
                    // `""` unescapes to `"`: ASCII either way, so the raw bytes validate as the field does.
                    if !asciiOnly, String(validating: UnsafeBufferPointer(rebasing: file[start..<end]), as: UTF8.self) == nil {
                        chunk.clean = false
                        return kept
                    }
                    if field == 0 { firstEmpty = start == end }
                    if field == layout.item { itemSpan = Span(start: start, end: end, escaped: escaped, value: value) }
                    if field == layout.worker { workerSpan = Span(start: start, end: end, escaped: escaped, value: value) }
                    if field == layout.label { labelSpan = Span(start: start, end: end, escaped: escaped, value: value) }
                    field += 1
                    if i < n, file[i] == comma { i += 1; continue }
                    if i < n {
                        if file[i] == cr, i + 1 < n, file[i + 1] == newline { i += 1 }
                        i += 1
                        lineEnds += 1
                    }
                    break
                }
                if field == 1, firstEmpty { continue }  // a blank line
                guard field == layout.width else { chunk.clean = false; return kept }
            }
            guard kept < columns.capacity else { chunk.clean = false; return kept }
            let added = withField(file, labelSpan) { label in
                withField(file, itemSpan) { item in
                    withField(file, workerSpan) { worker in
                        add(item: (item, itemSpan.value), worker: (worker, workerSpan.value), label: (label, labelSpan.value),
                            line: recordLine, into: &chunk, columns, row: kept, layout: layout)
                    }
                }
            }
            guard let added else { chunk.clean = false; return kept }
            kept += added ? 1 : 0
        }
        chunk.stop = i
        return kept
    }

    /// The decimal digits that open the eight bytes at `p`, when fewer
    /// than eight do: how many (0 … 7) and their value; nil when all eight
    /// are digits. One word, no branch per byte (``nonDigitBytes(_:)``,
    /// ``digitsValue(_:count:)``). Precondition: eight bytes readable at `p`.
    @inline(__always)
    static func digitRun(_ p: UnsafePointer<UInt8>) -> (length: Int, value: Int)? {
        let x = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self).littleEndian ^ 0x3030_3030_3030_3030
        let notDigit = nonDigitBytes(x)
        guard notDigit != 0 else { return nil }
        let length = notDigit.trailingZeroBitCount / 8
        return (length, length == 0 ? 0 : digitsValue(x, count: length))
    }

    /// Bit 7 of each byte of `x` (eight bytes, each minus "0") that was no
    /// digit: a byte is a digit when it is at most 9 after the subtraction,
    /// and (byte & 0x7F) + 0x76 carries into bit 7 of its own byte for
    /// exactly the others (the mask keeps a carry from reaching the next
    /// byte; a byte ≥ 0x80 is caught by the `| x`).
    @inline(__always)
    static func nonDigitBytes(_ x: UInt64) -> UInt64 {
        (((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080
    }

    /// The value of the first `count` (1 … 8) bytes of `x`, digits 0 … 9
    /// in file order from the low byte: moved to the word's top (zeros, as
    /// leading digits, below), then pairs, quads and octets combined by
    /// three multiplications (D. Lemire, "Fast numeric parsing", 2018: the
    /// eight-digit SWAR step).
    @inline(__always)
    static func digitsValue(_ x: UInt64, count: Int) -> Int {
        var v = x << UInt64(64 - 8 * count)
        v = (v &* 2561) >> 8 & 0x00FF_00FF_00FF_00FF
        v = (v &* 6_553_601) >> 16 & 0x0000_FFFF_0000_FFFF
        v = (v &* 42_949_672_960_001) >> 32
        return Int(v)
    }

    /// A record that ``shortIntegerRecord`` read: its fields' spans from
    /// the record's first byte, and its length with the line end.
    private struct ShortRecord {
        var fields = (Span(), Span(), Span())
        var length = 0

        /// Field `k`'s span in the file, for a record at `base`; an empty one for `k` −1 (no worker column).
        @inline(__always)
        func field(_ k: Int, at base: Int) -> Span {
            var span = k == 0 ? fields.0 : k == 1 ? fields.1 : k == 2 ? fields.2 : Span()
            if k >= 0 { span.start += base; span.end += base }
            return span
        }
    }

    /// The record at `p` when it is `width` (2 or 3) unquoted integers of
    /// one to eight digits, separated by `delimiter` and ended by \n, \r\n
    /// or a lone \r, all within its first 16 bytes: the usual answers row.
    /// Else nil, and the byte loop reads it (a quote, an empty field, a
    /// name, a blank line: anything else). The field ends are the first
    /// `width` bytes that are no digit, taken from one 16-bit mask of the
    /// two words (``nonDigitBytes(_:)``, each byte's flag gathered to one
    /// bit by a multiplication), so the fields' lengths cost no branch per
    /// byte and their values (``digitsValue(_:count:)``) do not wait on one
    /// another. Values are those of canonical integers only (no leading
    /// zero, as ``ValueInterner/canonicalInteger(_:)``), else −1.
    /// Precondition: 24 bytes readable at `p` (a field's word may start at byte 15).
    @inline(__always)
    private static func shortIntegerRecord(_ p: UnsafePointer<UInt8>, width: Int, delimiter: UInt8) -> ShortRecord? {
        let raw = UnsafeRawPointer(p), zeros: UInt64 = 0x3030_3030_3030_3030
        // Each byte's flag (bit 7) to bit k of a byte: the products' terms land on distinct bits, so nothing carries.
        func gathered(_ flags: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: ((flags >> 7) &* 0x0102_0408_1020_4080) >> 56) }
        var ends = gathered(nonDigitBytes(raw.loadUnaligned(as: UInt64.self).littleEndian ^ zeros))
            | gathered(nonDigitBytes(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian ^ zeros)) << 8
        // The next field: from `start` to the next byte that is no digit.
        func field(from start: Int) -> Span? {
            guard ends != 0 else { return nil }
            let end = ends.trailingZeroBitCount
            ends &= ends &- 1
            let count = end - start
            guard count >= 1, count <= 8 else { return nil }
            let x = raw.loadUnaligned(fromByteOffset: start, as: UInt64.self).littleEndian ^ zeros
            return Span(start: start, end: end, escaped: false,
                        value: p[start] != UInt8(ascii: "0") || count == 1 ? digitsValue(x, count: count) : -1)
        }
        guard let first = field(from: 0), p[first.end] == delimiter, let second = field(from: first.end + 1) else { return nil }
        var record = ShortRecord(fields: (first, second, Span()))
        var last = second
        if width == 3 {
            guard p[second.end] == delimiter, let third = field(from: second.end + 1) else { return nil }
            record.fields.2 = third
            last = third
        }
        switch p[last.end] {
        case UInt8(ascii: "\n"): record.length = last.end + 1
        case UInt8(ascii: "\r"): record.length = p[last.end + 1] == UInt8(ascii: "\n") ? last.end + 2 : last.end + 1
        default: return nil
        }
        return record
    }

    /// Where the records after the header start (past a UTF-8 byte-order
    /// mark and blank lines, then the first record), and the line ends
    /// before that; nil for a file with no header or one the sequential
    /// scanner would refuse (an unclosed quote, a byte after a closing one).
    static func headerEnd(_ file: UnsafeBufferPointer<UInt8>, delimiter comma: UInt8) -> (start: Int, lineEnds: Int)? {
        let n = file.count
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var i = n >= 3 && file[0] == 0xEF && file[1] == 0xBB && file[2] == 0xBF ? 3 : 0
        var lineEnds = 0
        while i < n {
            var fields = 0, firstEmpty = false
            while true {
                let start = i
                var quoted = false
                if i < n, file[i] == quote {
                    quoted = true
                    i += 1
                    while true {
                        guard i < n else { return nil }
                        let c = file[i]
                        i += 1
                        if c == quote {
                            if i < n, file[i] == quote { i += 1 } else { break }
                        } else if c == cr || (c == newline && file[i - 2] != cr) {
                            lineEnds += 1
                        }
                    }
                    guard i == n || file[i] == comma || file[i] == newline || file[i] == cr else { return nil }
                } else {
                    while i < n, file[i] != comma, file[i] != newline, file[i] != cr { i += 1 }
                }
                if fields == 0 { firstEmpty = quoted ? i - start == 2 : i == start }
                fields += 1
                if i < n, file[i] == comma { i += 1; continue }
                if i < n {
                    if file[i] == cr, i + 1 < n, file[i + 1] == newline { i += 1 }
                    i += 1
                    lineEnds += 1
                }
                break
            }
            if fields == 1, firstEmpty { continue }  // a blank line
            return (i, lineEnds)
        }
        return nil
    }

    /// Calls `body` with a field's bytes: the file's own, or unescaped
    /// (`""` → `"`) when the quoted field holds escaped quotes.
    @inline(__always)
    private static func withField<R>(_ file: UnsafeBufferPointer<UInt8>, _ span: Span,
                                     _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let (start, end, escaped) = (span.start, span.end, span.escaped)
        guard escaped else { return body(UnsafeBufferPointer(rebasing: file[start..<end])) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(end - start)
        var i = start
        while i < end {
            bytes.append(file[i])
            i += file[i] == UInt8(ascii: "\"") ? 2 : 1
        }
        return bytes.withUnsafeBufferPointer(body)
    }

    /// One record's answer, as ``AnswerReader`` reads a row, written to
    /// row `row` of `columns`: true when kept, false when left out (a
    /// missing label with `dropMissing`, −1 for no label), nil when the
    /// sequential reader must say something about it (an empty id, a
    /// missing label without `dropMissing`, a NUL byte).
    @inline(__always)
    private static func add(item: (UnsafeBufferPointer<UInt8>, Int), worker: (UnsafeBufferPointer<UInt8>, Int),
                            label: (UnsafeBufferPointer<UInt8>, Int),
                            line: Int, into chunk: inout AnswerChunk, _ columns: Columns, row: Int, layout: Layout) -> Bool? {
        guard !item.0.isEmpty, layout.worker < 0 || !worker.0.isEmpty else { return nil }
        func keep(_ text: UnsafeBufferPointer<UInt8>, value: Int) -> Bool {
            if layout.noLabel, NoLabel.holds(text) {
                chunk.noLabel += 1
                return false
            }
            let before = chunk.labelValues.count
            let id = chunk.labelValues.id(of: text, canonicalValue: value)
            if chunk.labelValues.count > before { chunk.labelLines.append(line) }
            columns.items[row] = chunk.itemIDs.id(of: item.0, canonicalValue: item.1)
            if let workers = columns.workers { workers[row] = chunk.workerIDs.id(of: worker.0, canonicalValue: worker.1) }
            columns.labels[row] = id
            return true
        }
        // A canonical integer is its own canonical label text (``LabelText/canonical(_:)``).
        if label.1 >= 0 { return keep(label.0, value: label.1) }
        let label = label.0
        switch LabelText.canonical(label) {
        case .same(let r): return keep(UnsafeBufferPointer(rebasing: label[r]), value: -1)
        case .rewritten(let text): return text.withUnsafeBufferPointer { keep($0, value: -1) }
        case .nul: return nil
        case .missing:
            guard layout.dropMissing else { return nil }
            chunk.dropped += 1
            return false
        }
    }
}
