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
        let n = file.count
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), comma = layout.delimiter
        // One pass over the piece: a NUL byte anywhere sends the file to the
        // sequential reader; UTF-8 is checked per field only when some byte is not ASCII.
        var high: UInt8 = 0, nul = false
        for b in UnsafeBufferPointer(rebasing: file[from..<to]) {
            high |= b
            nul = nul || b == 0
        }
        if nul {
            chunk.clean = false
            return chunk
        }
        let asciiOnly = high < 0x80
        let estimate = max(16, (to - from) / 12)
        chunk.items.reserveCapacity(estimate)
        chunk.workers.reserveCapacity(estimate)
        chunk.labels.reserveCapacity(estimate)
        var i = from
        // The wanted fields of the current record: start and end in `file`,
        // and whether a quoted one holds `""` (its bytes are then unescaped).
        var spans = [(Int, Int, Bool)](repeating: (0, 0, false), count: 3)
        while i < to {
            let recordLine = chunk.lineEnds
            var field = 0
            var firstEmpty = false
            while true {
                var start: Int, end: Int, escaped = false
                if i < n, file[i] == quote {
                    i += 1
                    start = i
                    while true {
                        guard i < n else { chunk.clean = false; return chunk }  // an unclosed quote
                        let c = file[i]
                        i += 1
                        if c == quote {
                            if i < n, file[i] == quote { escaped = true; i += 1 } else { break }
                        } else if c == cr || (c == newline && file[i - 2] != cr) {
                            chunk.lineEnds += 1
                        }
                    }
                    end = i - 1
                    guard i == n || file[i] == comma || file[i] == newline || file[i] == cr else { chunk.clean = false; return chunk }
                } else {
                    start = i
                    while i < n, file[i] != comma, file[i] != newline, file[i] != cr { i += 1 }
                    end = i
                }
                // `""` unescapes to `"`: ASCII either way, so the raw bytes validate as the field does.
                if !asciiOnly, String(validating: UnsafeBufferPointer(rebasing: file[start..<end]), as: UTF8.self) == nil {
                    chunk.clean = false
                    return chunk
                }
                if field == 0 { firstEmpty = start == end }
                if field == layout.item { spans[0] = (start, end, escaped) }
                if field == layout.worker { spans[1] = (start, end, escaped) }
                if field == layout.label { spans[2] = (start, end, escaped) }
                field += 1
                if i < n, file[i] == comma { i += 1; continue }
                if i < n {
                    if file[i] == cr, i + 1 < n, file[i + 1] == newline { i += 1 }
                    i += 1
                    chunk.lineEnds += 1
                }
                break
            }
            if field == 1, firstEmpty { continue }  // a blank line
            guard field == layout.width else { chunk.clean = false; return chunk }
            let kept = withField(file, spans[2]) { label in
                withField(file, spans[0]) { item in
                    withField(file, spans[1]) { worker in
                        add(item: item, worker: worker, label: label, line: recordLine, into: &chunk, layout: layout)
                    }
                }
            }
            guard kept else { chunk.clean = false; return chunk }
        }
        chunk.stop = i
        return chunk
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
    private static func withField<R>(_ file: UnsafeBufferPointer<UInt8>, _ span: (Int, Int, Bool),
                                     _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let (start, end, escaped) = span
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

    /// One record's answer, as ``AnswerReader`` reads a row: false when the
    /// sequential reader must say something about it (an empty id, a
    /// missing label without `dropMissing`, a NUL byte).
    @inline(__always)
    private static func add(item: UnsafeBufferPointer<UInt8>, worker: UnsafeBufferPointer<UInt8>, label: UnsafeBufferPointer<UInt8>,
                            line: Int, into chunk: inout AnswerChunk, layout: Layout) -> Bool {
        guard !item.isEmpty, layout.worker < 0 || !worker.isEmpty else { return false }
        func keep(_ text: UnsafeBufferPointer<UInt8>) {
            if layout.noLabel, NoLabel.holds(text) {
                chunk.noLabel += 1
                return
            }
            let before = chunk.labelValues.count
            let id = chunk.labelValues.id(of: text)!
            if chunk.labelValues.count > before { chunk.labelLines.append(line) }
            chunk.items.append(chunk.itemIDs.id(of: item)!)
            if layout.worker >= 0 { chunk.workers.append(chunk.workerIDs.id(of: worker)!) }
            chunk.labels.append(id)
        }
        switch LabelText.canonical(label) {
        case .same(let r): keep(UnsafeBufferPointer(rebasing: label[r]))
        case .rewritten(let text): text.withUnsafeBufferPointer { keep($0) }
        case .nul: return false
        case .missing:
            guard layout.dropMissing else { return false }
            chunk.dropped += 1
        }
        return true
    }
}
