#if canImport(Glibc)
import Glibc
#endif

extension InputFile {
    /// The input on `fd` decoded as `compression` says, after its first
    /// bytes `start` (already read; all of it when `endOfInput`).
    ///
    /// Why block by block: a compressed stream states no decoded size (a
    /// gzip trailer's ISIZE is modulo 2³² and comes last), and a few
    /// kilobytes can decode to gigabytes (a decompression bomb). The decoder
    /// hands out at most about 1 MiB per call, and before the output buffer
    /// grows (doubling) the bytes it will then hold — the old buffer and the
    /// new, 3 × the output so far — are checked against
    /// ``MemoryBudget/current``, as for any stream. The text checks of
    /// ``read(_:isText:decompressing:)`` (a NUL byte, UTF-16) run on the
    /// decoded bytes.
    ///
    /// Throws ``Failure`` (reading, text checks), ``MemoryLimitExceeded``, or
    /// an ``InputError`` naming `path`, what was expected ("gzip data") and
    /// found (corrupt data, or data that ends inside a member, with the
    /// bytes decoded before).
    static func readDecompressing(_ fd: Int32, start: [UInt8], _ compression: StreamCompression, path: String,
                                  isText: ([UInt8]) -> Bool, endOfInput: Bool) throws -> [UInt8] {
        func failed(_ e: CompressionError) -> InputError { InputError(file: path, expected: e.expected, found: e.found) }
        let decoder: any _UnsafeBoundedDecoder
        do { decoder = try compression.decoder() } catch { throw failed(error) }
        var out = [UInt8](), allowed = 0
        var text: Bool? = nil, ended = false
        /// Decodes `input` whole, checking each piece of output as it comes.
        func take(_ input: ArraySlice<UInt8>) throws {
            var rest = input
            while true {
                let before = out.count
                // A budget check before the buffer may double, with room for one call's output.
                if out.count + (1 << 20) + _UnsafeStreamingDecode.scratchSize > allowed {
                    allowed = max(2 * allowed, out.count + (1 << 21))
                    var estimate = MemoryEstimate()
                    estimate.add("a \(compression.rawValue) stream decoded whole (\(MemoryBudget.describe(out.count)) so far, its buffer growing to \(MemoryBudget.describe(allowed)), held three times over while it doubles)", 3 * allowed)
                    try MemoryBudget.current.check(estimate, subject: path)
                    out.reserveCapacity(allowed)
                }
                let step: _BoundedDecodeStep
                do { step = try decoder.decode(rest, into: &out, limit: 1 << 20, decodedBefore: 0) } catch { throw failed(error) }
                rest = rest.dropFirst(step.used)
                if step.used > 0 || step.wrote > 0 { ended = step.ended }
                if text == nil && out.count >= 4 { try decide() }
                if text == true, let nul = firstNUL(in: out, from: before, to: out.count) {
                    throw Failure.nul(line: line(of: nul, in: out))
                }
                if rest.isEmpty && !step.more { return }
            }
        }
        /// Whether the decoded bytes are text (from their first bytes), refused if not UTF-8.
        func decide() throws {
            let first = Array(out[..<min(out.count, 16)])
            text = isText(first)
            if text == true, let found = notUTF8Text(first, path: path) { throw Failure.notUTF8(found: found) }
        }
        try take(start[...])
        if !endOfInput {
            var block = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = block.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure.unreadable(FileErrorReason.describe(errno: errno))
                }
                if n == 0 { break }
                try take(block[..<n])
            }
        }
        guard ended else {
            throw InputError(file: path, expected: "\(compression.rawValue) data", found: "data that ends after \(out.count) bytes")
        }
        if text == nil { try decide() }
        return out
    }
}
