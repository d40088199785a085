import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The bytes of an input, read whole: a regular file, a pipe, a process
/// substitution (`<(zcat t.csv.gz)`, which the shell passes as a
/// `/dev/fd/N` path), or standard input, named `-`.
///
/// Why not `FileManager.contents(atPath:)`: on Linux it refuses pipes and
/// character devices ("cannot be read"), so `cat t.csv | synthctl score
/// --table -` and process substitution failed. `read(2)` until the end of
/// the stream works for every kind of file. A non-seekable stream is read
/// into memory like any file, which is what the readers that need random
/// access (Parquet's footer, `.npy` headers) want anyway.
///
/// Standard input can be read once per process; the command line refuses
/// a run that names `-` for two inputs.
///
/// A text input that is not UTF-8 text at all — gzip, zip, xz or zstd
/// data, UTF-16 or UTF-32 text (what Excel's "Unicode text" and Windows
/// PowerShell write) — is refused at its first bytes, saying what it is and
/// how to convert it, rather than at its first NUL byte
/// (``notUTF8Text(_:path:)``). Tables read with `decompressing` are the
/// exception for gzip and zstd: those are decoded as they are read
/// (``readDecompressing(_:start:_:path:isText:endOfInput:)``).
///
/// Two things stop a read early, so that `--table /dev/zero` or a spec
/// piped from `yes` cannot grow until the machine runs out of memory:
/// - **NUL bytes in text.** A text input (a CSV or JSON Lines table, a
///   spec, a model, answers, gold labels) never holds a NUL byte; each
///   block is checked as it arrives, so binary data or `/dev/zero` is
///   refused at its first block, naming the line.
/// - **The memory budget.** A regular file's size is checked before it is
///   read. A stream's size is unknown: before its buffer grows (doubling),
///   the bytes it will then hold — the old buffer and the new one, alive
///   together while the bytes are copied, 3 × what was read — are checked
///   against ``MemoryBudget/current``, so the read stops, with one line,
///   before its peak passes the limit rather than after.
public enum InputFile {
    /// The name that means standard input.
    public static let standardInput = "-"

    /// Why an input could not be read; each reader words its own message.
    public enum Failure: Error, Equatable {
        case missing
        case directory
        /// `open` or `read` failed; the C library's reason.
        case unreadable(String)
        /// A text input holds a NUL byte on this 1-based line.
        case nul(line: Int)
        /// A text input starts as something else (see ``notUTF8Text(_:path:)``):
        /// what it is, and how to convert it.
        case notUTF8(found: String)
    }

    /// The byte-order mark UTF-8 text may start with (EF BB BF), which
    /// every text reader skips.
    public static let utf8ByteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Every byte of `path` (standard input for `-`), unchecked (`.npy`,
    /// Parquet). Throws ``Failure`` or ``MemoryLimitExceeded``.
    public static func read(_ path: String) throws -> [UInt8] {
        try read(path, isText: { _ in false })
    }

    /// Every byte of the text input `path`: refused at the first block
    /// that holds a NUL byte.
    public static func readText(_ path: String) throws -> [UInt8] {
        try read(path, isText: { _ in true })
    }

    /// Every byte of `path`; `isText` decides from the first bytes (at
    /// least 4, unless the input is shorter) whether it is text, which is
    /// then refused at the first block that holds a NUL byte (a table may
    /// be Parquet, binary, or CSV and JSON Lines, text).
    /// Throws ``Failure`` or ``MemoryLimitExceeded``.
    ///
    /// With `decompressing`, an input whose first bytes are gzip's or zstd's
    /// magic number is decoded as it is read (``StreamCompression``), and
    /// `isText` and the text checks see the decoded bytes; corrupt or cut
    /// data is an ``InputError``.
    public static func read(_ path: String, isText: ([UInt8]) -> Bool, decompressing: Bool = false) throws -> [UInt8] {
        let fd: Int32
        if path == standardInput {
            fd = STDIN_FILENO
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw errno == ENOENT || errno == ENOTDIR ? Failure.missing : Failure.unreadable(FileErrorReason.describe(errno: errno))
            }
        }
        defer { if fd != STDIN_FILENO { close(fd) } }
        return try read(fd, path: path, prefix: [], isText: isText, decompressing: decompressing)
    }

    /// ``read(_:isText:decompressing:)`` on the open descriptor `fd` (not
    /// closed here), whose first bytes `prefix` were already read from it
    /// (``ChunkedInput`` reads them to decide the format).
    static func read(_ fd: Int32, path: String, prefix: [UInt8], isText: ([UInt8]) -> Bool, decompressing: Bool) throws -> [UInt8] {
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw Failure.unreadable(FileErrorReason.describe(errno: errno)) }
        if status.st_mode & S_IFMT == S_IFDIR { throw Failure.directory }
        // A regular file's size is known; a pipe's or a device's is not (st_size 0).
        let regular = status.st_mode & S_IFMT == S_IFREG
        if regular { try checkBudget(Int(status.st_size), path, stream: false) }
        // The buffer doubles when full; a regular file fits at once (one
        // byte more, to see the end of the file without growing).
        // Not zero-filled first: `read` fills it, and only the bytes it filled are kept or looked at.
        let capacity = max(regular ? Int(status.st_size) + 1 : 1 << 16, prefix.count + 1)
        var bytes = [UInt8](unsafeUninitializedCapacity: capacity) { _, initialized in initialized = capacity }
        bytes.replaceSubrange(0..<prefix.count, with: prefix)
        var count = prefix.count
        /// Bytes from here on are not yet checked for NUL (the prefix, until the first bytes decide).
        var checked = 0
        /// nil until the first bytes decide; then whether NUL bytes are refused.
        var text: Bool? = nil
        while true {
            if count == bytes.count {
                try checkBudget(3 * bytes.count, path, stream: true)
                bytes.append(contentsOf: repeatElement(0, count: bytes.count))
            }
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw errno == EISDIR ? Failure.directory : Failure.unreadable(FileErrorReason.describe(errno: errno))
            }
            if text == nil && (count + n >= 4 || n == 0) {
                let first = Array(bytes[..<min(count + n, 16)])
                if decompressing, let compression = StreamCompression(magic: first) {
                    return try readDecompressing(fd, start: Array(bytes[..<(count + n)]), compression, path: path,
                                                 isText: isText, endOfInput: n == 0)
                }
                text = isText(first)
                if text == true, let found = notUTF8Text(first, path: path) { throw Failure.notUTF8(found: found) }
            }
            if text == true, let nul = firstNUL(in: bytes, from: prefix.isEmpty ? count : checked, to: count + n) {
                throw Failure.nul(line: line(of: nul, in: bytes))
            }
            if text != nil { checked = count + n }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// What the first bytes of a text input are when they show it is not
    /// UTF-8 text, by their magic numbers (RFC 1952 for gzip, PKWARE's
    /// APPNOTE for zip, the xz, zstd and bzip2 formats) or byte-order
    /// marks (Unicode §23.8), with the way to convert it; nil otherwise.
    /// None of these can start UTF-8 text (each holds a byte that is not
    /// valid there, or, for bzip2, a 10-byte signature no table starts
    /// with). UTF-16 without a byte-order mark is recognized by its first
    /// two characters being ASCII (`x 00 y 00` or `00 x 00 y`).
    package static func notUTF8Text(_ first: [UInt8], path: String) -> String? {
        func starts(_ magic: [UInt8]) -> Bool { first.starts(with: magic) }
        let name = path == standardInput ? nil : (path.allSatisfy { $0.isLetter || $0.isNumber || "._-/+,".contains($0) } ? path : "'\(path.replacingOccurrences(of: "'", with: "'\\''"))'")
        func decompress(_ what: String, _ tool: String) -> String {
            "\(what)-compressed file: decompress it, e.g. with " + (name.map { "<(\(tool) \($0))" } ?? "\(tool) | synthctl … -")
        }
        func convert(_ what: String, _ encoding: String) -> String {
            "\(what): convert it to UTF-8, e.g. with " + (name.map { "<(iconv -f \(encoding) -t UTF-8 \($0))" } ?? "iconv -f \(encoding) -t UTF-8 | synthctl … -")
        }
        if starts([0x1F, 0x8B]) { return decompress("a gzip", "zcat") }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) || (first.count < 6 && starts([0xFD, 0x37, 0x7A, 0x58])) { return decompress("an xz", "xzcat") }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return decompress("a zstd", "zstdcat") }
        if starts(Array("BZh".utf8)), first.count >= 10, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first[3]),
           Array(first[4..<10]) == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59] || Array(first[4..<10]) == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90] {
            return decompress("a bzip2", "bzcat")
        }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) {
            return "a zip archive (an Excel .xlsx workbook is one): export the sheet as CSV, or extract the file, e.g. with "
                + (name.map { "<(unzip -p \($0))" } ?? "unzip -p")
        }
        if starts([0xFF, 0xFE, 0x00, 0x00]) { return convert("UTF-32 text (little-endian, with a byte-order mark)", "UTF-32") }
        if starts([0x00, 0x00, 0xFE, 0xFF]) { return convert("UTF-32 text (big-endian, with a byte-order mark)", "UTF-32") }
        if starts([0xFF, 0xFE]) { return convert("UTF-16 text (little-endian, with a byte-order mark)", "UTF-16") }
        if starts([0xFE, 0xFF]) { return convert("UTF-16 text (big-endian, with a byte-order mark)", "UTF-16") }
        func ascii(_ b: UInt8) -> Bool { b != 0 && b < 0x80 }
        if first.count >= 4, ascii(first[0]), first[1] == 0, ascii(first[2]), first[3] == 0 {
            return convert("UTF-16 text (little-endian, without a byte-order mark)", "UTF-16LE")
        }
        if first.count >= 4, first[0] == 0, ascii(first[1]), first[2] == 0, ascii(first[3]) {
            return convert("UTF-16 text (big-endian, without a byte-order mark)", "UTF-16BE")
        }
        return nil
    }

    /// The index of the first 0 in `bytes[from..<to]`.
    static func firstNUL(in bytes: [UInt8], from: Int, to: Int) -> Int? {
        guard from < to else { return nil }
        return bytes.withUnsafeBytes { raw in
            memchr(raw.baseAddress! + from, 0, to - from).map { raw.baseAddress!.distance(to: UnsafeRawPointer($0)) }
        }
    }

    /// The 1-based line of byte `index`: lines end at `\n`, `\r\n` or a lone
    /// `\r`, as the table readers count them.
    static func line(of index: Int, in bytes: [UInt8]) -> Int {
        var line = 1
        for i in 0..<index where bytes[i] == UInt8(ascii: "\n") || (bytes[i] == UInt8(ascii: "\r") && bytes[i + 1] != UInt8(ascii: "\n")) {
            line += 1
        }
        return line
    }

    /// Refuses to hold `bytes` of an input above the process's ``MemoryBudget``.
    static func checkBudget(_ bytes: Int, _ path: String, stream: Bool) throws {
        var estimate = MemoryEstimate()
        if stream {
            estimate.add("a stream of unknown length, read whole (\(MemoryBudget.describe(bytes / 3)) so far, held three times over while its buffer doubles)", bytes)
        } else {
            estimate.add("the file's bytes", bytes)
        }
        try MemoryBudget.current.check(estimate, subject: path)
    }

    /// The usual wording: `no such file`, `expected a readable file, found
    /// a directory`, `expected a readable file, found one that cannot be
    /// read (Permission denied)`, `line 3: expected text, found a NUL byte`.
    public static func message(_ path: String, _ failure: Failure) -> String {
        error(path, failure).description
    }

    /// `failure` as the typed error ``message(_:_:)`` renders.
    public static func error(_ path: String, _ failure: Failure) -> any SynthctlError {
        switch failure {
        case .missing: FileAccessError(path: path, problem: "no such file")
        case .directory: InputError(file: path, expected: "a readable file", found: "a directory")
        case .unreadable(let reason): InputError(file: path, expected: "a readable file", found: "one that cannot be read (\(reason))")
        case .nul(let line): InputError(file: path, line: line, expected: "text", found: "a NUL byte")
        case .notUTF8(let found): InputError(file: path, expected: "UTF-8 text", found: found)
        }
    }

    /// ``read(_:)`` with the usual wording of ``message(_:_:)``, as a
    /// typed error (``error(_:_:)``).
    public static func contents(_ path: String) throws -> [UInt8] {
        try contents(path, isText: { _ in false })
    }

    /// ``readText(_:)`` with the usual wording of ``message(_:_:)``.
    public static func textContents(_ path: String) throws -> [UInt8] {
        try contents(path, isText: { _ in true })
    }

    /// ``read(_:isText:)`` with the usual wording of ``message(_:_:)``.
    public static func contents(_ path: String, isText: ([UInt8]) -> Bool, decompressing: Bool = false) throws -> [UInt8] {
        do { return try read(path, isText: isText, decompressing: decompressing) } catch let failure as Failure { throw error(path, failure) }
    }
}
