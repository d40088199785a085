#if canImport(Glibc)
import Glibc
#endif
import SynthctlCore

/// Texts served front to back a block at a time, in as many passes as the
/// caller needs (the hashing embedder's TF-IDF fit, then the rows), so that
/// an embedder's memory holds a block of texts, not all of them.
///
/// A text file named by its path is streamed: a first pass counts its
/// lines and checks them (UTF-8, no NUL: the rules of ``TextColumn``, the
/// same messages), each further pass reads it again, and a pass that finds
/// other lines than the first (the file changed meanwhile) is refused.
/// Standard input or a pipe cannot be read twice, and a table's column
/// comes from a reader that holds the table: those are read whole
/// (``TextColumn``) and served from memory.
///
/// Not thread-safe: one caller reads it.
package final class TextBlocks {
    /// The file as the user named it.
    package let source: String
    /// The column read (nil for a text file).
    package let column: String?
    /// How many texts a pass serves.
    package let count: Int
    private let held: TextColumn?
    private var stream: LineStream?
    /// Texts served in this pass.
    private var position = 0

    /// Texts already in memory.
    package init(_ texts: TextColumn) {
        (source, column, count, held) = (texts.source, texts.column, texts.count, texts)
    }

    /// The lines of the text file at `path` (`-`, standard input, or
    /// anything else that is not a regular file: read whole), each a text; gzip or zstd compressed files are decoded as
    /// they are read. Reads the file once to count and check its lines.
    /// Errors: those of ``TextColumn/read(lines:)``.
    package init(lines path: String) throws {
        (source, column) = (path, nil)
        // A pipe (`-`, `<(zcat t.txt.gz)`) or a device gives its bytes once.
        var status = stat()
        if path == InputFile.standardInput || stat(path, &status) != 0 || status.st_mode & S_IFMT != S_IFREG {
            let texts = try TextColumn.read(lines: path)
            (count, held) = (texts.count, texts)
            return
        }
        let counting = try LineStream(path)
        var n = 0
        while true {
            let got = try counting.next(1 << 16).count
            if got == 0 { break }
            n += got
        }
        (count, held) = (n, nil)
    }

    /// Starts a new pass: the next block is the first texts again.
    package func rewind() {
        (position, stream) = (0, nil)
    }

    /// The next `n` texts of this pass (fewer at its end, none after it).
    ///
    /// Errors: the file cannot be read again, or holds other lines than
    /// when it was counted (an ``InputError`` naming it).
    package func next(_ n: Int) throws -> TextColumn {
        let wanted = min(n, count - position)
        if let held {
            defer { position += wanted }
            return held.texts(position..<(position + wanted))
        }
        if stream == nil { stream = try LineStream(source) }
        let block = try stream!.next(wanted)
        if block.count < wanted {
            throw InputError(file: source, expected: "the \(count) lines it held when it was first read", found: "\(position + block.count) (it changed while it was read)")
        }
        position += wanted
        if position == count, try stream!.next(1).count > 0 {
            throw InputError(file: source, expected: "the \(count) lines it held when it was first read", found: "more (it changed while it was read)")
        }
        return block
    }
}

/// One pass over a text file's lines (``TextLineCutter``), read in pieces
/// through ``ChunkedInput``: a block's texts are copied out of the read
/// buffer, which holds a piece of the file and grows only for a longer line.
private final class LineStream {
    private let input: ChunkedInput
    private var cutter: TextLineCutter
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    /// The bytes read and not yet cut: buffer[start..<end].
    private var start = 0, end = 0
    private var ended = false

    init(_ path: String) throws {
        do { input = try ChunkedInput(path, decompressing: true) } catch let failure as InputFile.Failure { throw InputFile.error(path, failure) }
        cutter = TextLineCutter(path: path)
        // The first bytes say whether the file is text at all (as the whole-file reader says it).
        while end < 64, try fill() {}
        if let found = InputFile.notUTF8Text(Array(buffer[..<min(end, 64)]), path: path) {
            throw InputError(file: path, expected: "UTF-8 text", found: found)
        }
    }

    /// Reads more bytes after `end`; false at the input's end.
    private func fill() throws -> Bool {
        guard !ended else { return false }
        if end == buffer.count {
            if start > 0 {
                buffer.withUnsafeMutableBufferPointer { b in
                    _ = UnsafeMutableBufferPointer(rebasing: b[0..<(end - start)]).update(fromContentsOf: UnsafeBufferPointer(rebasing: b[start..<end]))
                }
                (end, start) = (end - start, 0)
            } else {
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
        }
        let got: Int
        do { got = try input.read(into: &buffer, at: end) } catch let failure as InputFile.Failure { throw InputFile.error(input.path, failure) }
        if got == 0 { ended = true } else { end += got }
        return got > 0
    }

    /// The next at most `n` lines, as texts of their own.
    func next(_ n: Int) throws -> TextColumn {
        var ranges = [Range<Int>](), bytes = [UInt8]()
        while ranges.count < n {
            var cut = [Range<Int>]()
            let from = start
            start = try buffer.withUnsafeBufferPointer { try cutter.cut($0, from: from, to: end, final: ended, limit: n - ranges.count, into: &cut) }
            for r in cut {
                ranges.append(bytes.count..<(bytes.count + r.count))
                bytes.append(contentsOf: buffer[r])
            }
            if ranges.count == n || (ended && start == end) { break }
            _ = try fill()
        }
        return TextColumn(source: input.path, lines: bytes, ranges: ranges)
    }
}
