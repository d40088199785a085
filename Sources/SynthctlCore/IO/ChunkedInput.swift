#if canImport(Glibc)
import Glibc
#endif

/// An input read front to back in pieces, never held whole: a regular
/// file, a pipe or standard input (`-`), gzip or zstd data decoded as it
/// streams (``StreamCompression``, by its magic number).
///
/// Why: a reader that consumes its input line by line (JSON Lines) needs
/// memory for what it keeps, not for the file; ``InputFile/read(_:)``
/// holds every byte first (about 630 bytes a row of a 32-feature JSON
/// Lines table). Opening reads only the first bytes (``first``), so that
/// a format can be chosen from them; the caller then either reads the rest
/// in pieces (``read(into:at:)``) or, for a format that needs the whole file
/// (Parquet, CSV), hands over to ``readAll(isText:)``, which is
/// ``InputFile/read(_:isText:decompressing:)`` exactly, messages and
/// memory checks included.
///
/// ``read(into:at:)`` checks nothing about the bytes (text or NUL): its
/// caller, which knows the line numbers, does. Errors are
/// ``InputFile/Failure`` (open, read) and, for cut or corrupt compressed
/// data, an ``InputError`` naming the file, worded as the whole-file
/// reader words it.
public final class ChunkedInput {
    public let path: String
    /// The open descriptor; -1 once closed. Closed in one place only
    /// (``closeDescriptor()``): once `fd` is set every stored property is,
    /// so an `init` that throws from there on still runs `deinit`, and a
    /// second `close` would hit whatever file another thread opened under
    /// the same number meanwhile.
    private var fd: Int32
    /// The raw bytes read so far that ``read(into:at:)`` has not served (plain
    /// input), or all raw bytes read so far (compressed input, until
    /// ``read(into:at:)`` starts), kept for ``readAll(isText:)``.
    private var raw: [UInt8] = []
    private var rawServed = 0
    private var rawEnded = false
    private var compression: StreamCompression? = nil
    private var decoder: (any _UnsafeBoundedDecoder)? = nil
    /// Decoded bytes not yet served, from `pendingStart`.
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// Raw bytes consumed by the decoder (an index into `raw`).
    private var rawDecoded = 0
    private var decoded = 0
    private var ended = false
    /// Whether ``read(into:at:)`` was called: ``readAll(isText:)`` is then refused.
    private var streaming = false

    /// The input's first bytes (decoded when compressed): at least 4 and at
    /// most 16, unless the input is shorter.
    public private(set) var first: [UInt8] = []
    /// A regular, uncompressed file's size in bytes; nil for a stream.
    public private(set) var fileSize: Int? = nil

    /// Opens `path` (`-` is standard input) and reads its first bytes;
    /// with `decompressing`, gzip and zstd data is decoded.
    public init(_ path: String, decompressing: Bool) throws {
        self.path = path
        if path == InputFile.standardInput {
            fd = STDIN_FILENO
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw errno == ENOENT || errno == ENOTDIR ? InputFile.Failure.missing : InputFile.Failure.unreadable(FileErrorReason.describe(errno: errno))
            }
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let reason = FileErrorReason.describe(errno: errno)
            closeDescriptor()
            throw InputFile.Failure.unreadable(reason)
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            closeDescriptor()
            throw InputFile.Failure.directory
        }
        do {
            while raw.count < 4, try readRaw() {}
            let magic = Array(raw.prefix(16))
            compression = decompressing ? StreamCompression(magic: magic) : nil
            if let compression {
                do { decoder = try compression.decoder() } catch { throw InputError(file: path, expected: error.expected, found: error.found) }
                while pending.count < 4, try decodeMore() {}
                first = Array(pending.prefix(16))
            } else {
                fileSize = status.st_mode & S_IFMT == S_IFREG ? Int(status.st_size) : nil
                first = magic
            }
        } catch {
            closeDescriptor()
            throw error
        }
    }

    deinit { closeDescriptor() }

    /// Closes the descriptor once (never standard input's).
    private func closeDescriptor() {
        if fd >= 0 && fd != STDIN_FILENO { close(fd) }
        fd = -1
    }

    /// Appends one `read(2)` of up to 64 KiB to `raw`; false at the end.
    private func readRaw() throws -> Bool {
        guard !rawEnded else { return false }
        let before = raw.count
        raw.append(contentsOf: repeatElement(0, count: 1 << 16))
        while true {
            let n = raw.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + before, 1 << 16) }
            if n < 0 {
                if errno == EINTR { continue }
                raw.removeSubrange(before...)
                throw errno == EISDIR ? InputFile.Failure.directory : InputFile.Failure.unreadable(FileErrorReason.describe(errno: errno))
            }
            raw.removeSubrange((before + n)...)
            if n == 0 { rawEnded = true }
            return n > 0
        }
    }

    /// Decodes more into `pending` (about 1 MiB at most); false at the end
    /// of the input, after checking that the last member or frame ended.
    private func decodeMore() throws -> Bool {
        guard let decoder, let compression else { return false }
        while true {
            let step: _BoundedDecodeStep
            let rest = raw[rawDecoded...]
            do { step = try decoder.decode(rest, into: &pending, limit: 1 << 20, decodedBefore: 0) } catch {
                throw InputError(file: path, expected: error.expected, found: error.found)
            }
            rawDecoded += step.used
            decoded += step.wrote
            if step.used > 0 || step.wrote > 0 { ended = step.ended }
            if step.wrote > 0 { return true }
            if rawDecoded < raw.count || step.more { continue }
            if streaming {
                // What was decoded is no longer needed for readAll: keep only what is left.
                raw.removeAll(keepingCapacity: true)
                rawDecoded = 0
            }
            if try !readRaw() {
                guard ended else {
                    throw InputError(file: path, expected: "\(compression.rawValue) data", found: "data that ends after \(decoded) bytes")
                }
                return false
            }
        }
    }

    /// Puts the next bytes of the (decoded) input into `bytes` from
    /// `offset` on (at most to its end); how many, 0 at the input's end.
    public func read(into bytes: inout [UInt8], at offset: Int) throws -> Int {
        precondition(0 <= offset && offset <= bytes.count)
        return try bytes.withUnsafeMutableBytes { try read(into: UnsafeMutableRawBufferPointer(rebasing: $0[offset...])) }
    }

    private func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        streaming = true
        guard buffer.count > 0 else { return 0 }
        if decoder != nil {
            if pendingStart == pending.count {
                pending.removeAll(keepingCapacity: true)
                pendingStart = 0
                guard try decodeMore() else { return 0 }
            }
            let n = min(buffer.count, pending.count - pendingStart)
            pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + pendingStart, byteCount: n) }
            pendingStart += n
            return n
        }
        if rawServed < raw.count {
            let n = min(buffer.count, raw.count - rawServed)
            raw.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + rawServed, byteCount: n) }
            rawServed += n
            if rawServed == raw.count { raw = []; rawServed = 0 }
            return n
        }
        guard !rawEnded else { return 0 }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress!, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw errno == EISDIR ? InputFile.Failure.directory : InputFile.Failure.unreadable(FileErrorReason.describe(errno: errno))
            }
            if n == 0 { rawEnded = true }
            return n
        }
    }

    /// Every byte of the input, read whole as ``InputFile/read(_:isText:decompressing:)``
    /// reads it (the same checks and messages). Only before ``read(into:at:)``.
    public func readAll(isText: ([UInt8]) -> Bool) throws -> [UInt8] {
        precondition(!streaming, "readAll after read(into:)")
        return try InputFile.read(fd, path: path, prefix: raw, isText: isText, decompressing: compression != nil)
    }
}
