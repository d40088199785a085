#if canImport(Glibc)
import Glibc
#endif
import SynthctlCore

/// Cuts a text file's bytes into texts, one per line, by the rules
/// ``TextColumn`` states: a line ends at `\n`, a `\r` before it is dropped,
/// a byte-order mark at the start is skipped, a last line without a line
/// end is a text, and a line holding a NUL byte or bytes that are not
/// UTF-8 is refused at its line number.
///
/// Why a type: the whole-file reader (``TextColumn/read(lines:)``) and the
/// streamed one (``TextBlocks``) must cut the same bytes into the same
/// texts and refuse the same lines with the same words; the streamed one
/// hands over its buffer a piece at a time, so the cutter keeps the line
/// number and whether the start was seen.
struct TextLineCutter {
    /// The file as the user named it, for messages.
    let path: String
    /// The number of the next line to cut (1-based).
    private(set) var line = 1
    /// Whether the first bytes were looked at for a byte-order mark.
    private var started = false

    init(path: String) { self.path = path }

    /// Appends to `ranges` the ranges (indices into `bytes`, line end
    /// excluded) of at most `limit` lines that end in `bytes[start..<end]`;
    /// when `final` (the input ends at `end`), a last line without a line
    /// end is one too. Returns where the bytes not yet cut start.
    ///
    /// The first call must see at least three bytes, or `final`: a
    /// byte-order mark is looked for there.
    ///
    /// Errors: a line holding a NUL byte, or bytes that are not UTF-8
    /// (``InputError`` naming the file, the line and the first bad byte).
    mutating func cut(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, final: Bool, limit: Int,
                      into ranges: inout [Range<Int>]) throws -> Int {
        precondition(0 <= start && start <= end && end <= bytes.count)
        var s = start
        if !started {
            guard end - s >= 3 || final else { return s }
            started = true
            if end - s >= 3, bytes[s] == 0xEF, bytes[s + 1] == 0xBB, bytes[s + 2] == 0xBF { s += 3 }
        }
        var added = 0
        guard let base = bytes.baseAddress else { return s }
        while added < limit, s < end, let found = memchr(base + s, 10, end - s) {
            let lineEnd = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            ranges.append(try checked(bytes, s, lineEnd))
            s = lineEnd + 1
            line += 1
            added += 1
        }
        if final, added < limit, s < end {
            ranges.append(try checked(bytes, s, end))
            s = end
            line += 1
        }
        return s
    }

    /// The text of the line `bytes[start..<end]` (its `\r` dropped), refused
    /// when it holds a NUL byte or is not UTF-8.
    private func checked(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) throws -> Range<Int> {
        var stop = end
        if stop > start, bytes[stop - 1] == 13 { stop -= 1 }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<stop])
        if let base = text.baseAddress, memchr(base, 0, text.count) != nil {
            throw InputFile.error(path, .nul(line: line))
        }
        if String(validating: text, as: UTF8.self) == nil {
            throw InputError(file: path, line: line, expected: "UTF-8 text", found: "bytes that are not UTF-8 (\(Self.firstInvalid(text)))")
        }
        return start..<stop
    }

    /// The first byte of `bytes` where UTF-8 decoding fails, in hex, with its offset in the line.
    private static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var decoder = UTF8(), iterator = bytes.makeIterator(), offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): offset += UTF8.width(s)
            case .emptyInput: return "at byte \(offset + 1)"
            case .error: return "0x" + String(bytes[offset], radix: 16, uppercase: true) + " at byte \(offset + 1)"
            }
        }
    }
}
