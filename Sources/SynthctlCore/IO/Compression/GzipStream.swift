import CZlib

/// A gzip (or zlib) stream decoded piece by piece, for files read in
/// blocks (`.csv.gz`): memory follows the block and the output asked for,
/// not the file. Several gzip members one after another decode as their
/// concatenation, as `gzip -d` does.
///
///     var stream = try GzipStream()
///     while let block = file.next() {
///         let text = try stream.decode(block[...])      // any number of bytes, maybe none
///         …
///     }
///     try stream.finish()                               // the data ended inside a member?
///
/// Errors are ``CompressionError``s with no stated size: corrupt data, or a
/// stream that ends early; the reader names the file.
public struct GzipStream: ~Copyable {
    let state: _UnsafeInflateState
    /// Output bytes decoded so far, for messages.
    public private(set) var decodedCount = 0
    /// True when the last member ended with the last input given.
    public private(set) var isAtEnd = false

    public init() throws(CompressionError) {
        guard let state = _UnsafeInflateState() else {
            throw CompressionError(codec: Gzip.name, expectedSize: nil, found: "no zlib decoder (out of memory)")
        }
        self.state = state
    }

    /// The bytes `input` decodes to, after what came before it.
    public mutating func decode(_ input: ArraySlice<UInt8>) throws(CompressionError) -> [UInt8] {
        var out = [UInt8]()
        isAtEnd = try state.inflate(input, into: &out, decodedBefore: decodedCount) || (input.isEmpty && isAtEnd)
        decodedCount += out.count
        return out
    }

    /// Throws unless the input given so far ended at the end of a member.
    public func finish() throws(CompressionError) {
        guard isAtEnd else {
            throw CompressionError(codec: Gzip.name, expectedSize: nil, found: "data that ends after \(decodedCount) bytes")
        }
    }
}

/// A heap-held z_stream: zlib keeps a pointer back to the stream it was
/// initialized with and refuses any copy, so the stream lives at one
/// address for its whole life. Preconditions: used from one thread at a
/// time; `next_in`/`next_out` are set before, and only used during, each
/// `inflate` call, pointing into buffers alive for that call.
final class _UnsafeInflateState {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    init?() {
        stream.initialize(to: z_stream())
        // On failure `deinit` still runs (every stored property is set):
        // it frees the stream, and inflateEnd refuses a stream whose init
        // failed without touching it.
        guard inflateInit2_(stream, _UnsafeZlib.detectHeader, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
    }

    /// One `inflate` call from the input already set on the stream into
    /// all of `scratch`: zlib's status and how many bytes it wrote there.
    /// Precondition: `next_in`/`avail_in` point at live input.
    func inflateStep(into scratch: inout [UInt8]) -> (status: Int32, written: Int) {
        scratch.withUnsafeMutableBufferPointer { space in
            stream.pointee.next_out = space.baseAddress
            stream.pointee.avail_out = uInt(space.count)
            defer { stream.pointee.next_out = nil; stream.pointee.avail_out = 0 }
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            return (status, space.count - Int(stream.pointee.avail_out))
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Appends what `input` decodes to onto `out`; returns whether a member
    /// ended with the input's last byte.
    func inflate(_ input: ArraySlice<UInt8>, into out: inout [UInt8], decodedBefore: Int) throws(CompressionError) -> Bool {
        var scratch = [UInt8](repeating: 0, count: _UnsafeStreamingDecode.scratchSize)
        var input = Array(input)
        var ended = false
        let failure: String? = input.withUnsafeMutableBufferPointer { source in
            stream.pointee.next_in = source.baseAddress
            stream.pointee.avail_in = uInt(source.count)
            defer { stream.pointee.next_in = nil; stream.pointee.avail_in = 0 }
            while stream.pointee.avail_in > 0 {
                let (status, written) = inflateStep(into: &scratch)
                out.append(contentsOf: scratch[0..<written])
                switch status {
                case Z_STREAM_END:
                    ended = stream.pointee.avail_in == 0
                    if !ended, inflateReset(stream) != Z_OK { return "a member that cannot restart" }
                case Z_OK:
                    ended = false
                case Z_BUF_ERROR where written == 0:
                    ended = false
                    return nil  // all input taken, more needed: the next call goes on
                default:
                    let why = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    return "corrupt data after \(decodedBefore + out.count) bytes (\(why))"
                }
            }
            // Output still held inside zlib (the scratch filled up): drain it.
            while true {
                let (status, written) = inflateStep(into: &scratch)
                out.append(contentsOf: scratch[0..<written])
                if status == Z_STREAM_END { ended = true; return nil }
                if status == Z_BUF_ERROR || written == 0 { return nil }
                if status != Z_OK {
                    let why = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    return "corrupt data after \(decodedBefore + out.count) bytes (\(why))"
                }
            }
        }
        if let failure { throw CompressionError(codec: Gzip.name, expectedSize: nil, found: failure) }
        return ended
    }
}

extension _UnsafeInflateState: _UnsafeBoundedDecoder {
    static var codec: String { Gzip.name }

    func decode(_ input: ArraySlice<UInt8>, into out: inout [UInt8], limit: Int,
                decodedBefore: Int) throws(CompressionError) -> _BoundedDecodeStep {
        var scratch = [UInt8](repeating: 0, count: _UnsafeStreamingDecode.scratchSize)
        var input = Array(input)
        let start = out.count
        var ended = false
        let result: Result<_BoundedDecodeStep, CompressionError> = input.withUnsafeMutableBufferPointer { source in
            stream.pointee.next_in = source.baseAddress
            stream.pointee.avail_in = uInt(source.count)
            defer { stream.pointee.next_in = nil; stream.pointee.avail_in = 0 }
            func step(more: Bool) -> Result<_BoundedDecodeStep, CompressionError> {
                .success(_BoundedDecodeStep(used: source.count - Int(stream.pointee.avail_in), wrote: out.count - start,
                                            ended: ended, more: more))
            }
            while true {
                let (status, written) = inflateStep(into: &scratch)
                let full = written == scratch.count
                out.append(contentsOf: scratch[0..<written])
                switch status {
                case Z_STREAM_END:
                    ended = true
                    // Another gzip member follows: decode it as the continuation.
                    if stream.pointee.avail_in > 0 {
                        ended = false
                        guard inflateReset(stream) == Z_OK else {
                            return .failure(CompressionError(codec: Gzip.name, expectedSize: nil, found: "a member that cannot restart"))
                        }
                    } else {
                        return step(more: false)
                    }
                case Z_OK:
                    ended = false
                case Z_BUF_ERROR where written == 0:
                    return step(more: false)  // all input taken, more needed
                default:
                    let why = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    return .failure(CompressionError(codec: Gzip.name, expectedSize: nil,
                                                     found: "corrupt data after \(decodedBefore + out.count) bytes (\(why))"))
                }
                if stream.pointee.avail_in == 0 && !full { return step(more: false) }
                if out.count - start >= limit { return step(more: true) }
            }
        }
        return try result.get()
    }
}
