import CZstd

/// A zstd stream (RFC 8878) decoded piece by piece, for files read in
/// blocks (`.csv.zst`): memory follows the block and the output asked for,
/// not the file. Frames one after another decode as their concatenation,
/// as `zstd -d` does. The counterpart of ``GzipStream``, with its use:
///
///     var stream = try ZstdStream()
///     while let block = file.next() {
///         let text = try stream.decode(block[...])      // any number of bytes, maybe none
///         …
///     }
///     try stream.finish()                               // the data ended inside a frame?
///
/// Errors are ``CompressionError``s with no stated size: corrupt data, or a
/// stream that ends early; the reader names the file.
public struct ZstdStream: ~Copyable {
    let state: _UnsafeZstdDecodeState
    /// Output bytes decoded so far, for messages.
    public private(set) var decodedCount = 0
    /// True when the last frame ended with the last input given.
    public private(set) var isAtEnd = false

    public init() throws(CompressionError) {
        guard let state = _UnsafeZstdDecodeState() else {
            throw CompressionError(codec: Zstd.name, expectedSize: nil, found: "no zstd decoder (out of memory)")
        }
        self.state = state
    }

    /// The bytes `input` decodes to, after what came before it.
    public mutating func decode(_ input: ArraySlice<UInt8>) throws(CompressionError) -> [UInt8] {
        var out = [UInt8]()
        let ended = try state.decompress(input, into: &out, decodedBefore: decodedCount)
        isAtEnd = input.isEmpty ? isAtEnd : ended
        decodedCount += out.count
        return out
    }

    /// Throws unless the input given so far ended at the end of a frame.
    public func finish() throws(CompressionError) {
        guard isAtEnd else {
            throw CompressionError(codec: Zstd.name, expectedSize: nil, found: "data that ends after \(decodedCount) bytes")
        }
    }
}

/// A heap-held ZSTD_DStream, freed with its owner. Preconditions: used from
/// one thread at a time; the ZSTD_inBuffer/ZSTD_outBuffer of each call point
/// into buffers alive for that call only.
final class _UnsafeZstdDecodeState: _UnsafeBoundedDecoder {
    let stream: OpaquePointer
    static let codec = Zstd.name

    init?() {
        guard let stream = ZSTD_createDStream() else { return nil }
        self.stream = stream
    }

    deinit { ZSTD_freeDStream(stream) }

    /// Appends what `input` decodes to onto `out`; returns whether a frame
    /// ended with the input's last byte.
    func decompress(_ input: ArraySlice<UInt8>, into out: inout [UInt8], decodedBefore: Int) throws(CompressionError) -> Bool {
        var rest = input
        var ended = false
        while true {
            let step = try decode(rest, into: &out, limit: Int.max, decodedBefore: decodedBefore)
            rest = rest.dropFirst(step.used)
            if step.wrote > 0 || step.used > 0 { ended = step.ended }
            if rest.isEmpty && !step.more { return ended }
        }
    }

    func decode(_ input: ArraySlice<UInt8>, into out: inout [UInt8], limit: Int,
                decodedBefore: Int) throws(CompressionError) -> _BoundedDecodeStep {
        var scratch = [UInt8](repeating: 0, count: _UnsafeStreamingDecode.scratchSize)
        let start = out.count
        let result: Result<_BoundedDecodeStep, CompressionError> = input.withUnsafeBufferPointer { source in
            var from = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: 0)
            var ended = false
            while true {
                let (hint, written, full) = scratch.withUnsafeMutableBufferPointer { space in
                    var to = ZSTD_outBuffer(dst: space.baseAddress, size: space.count, pos: 0)
                    let hint = ZSTD_decompressStream(stream, &to, &from)
                    return (hint, to.pos, to.pos == space.count)
                }
                if ZSTD_isError(hint) != 0 {
                    let why = String(cString: ZSTD_getErrorName(hint))
                    return .failure(CompressionError(codec: Zstd.name, expectedSize: nil,
                                                     found: "corrupt data after \(decodedBefore + out.count) bytes (\(why))"))
                }
                out.append(contentsOf: scratch[0..<written])
                ended = hint == 0
                // Room left in the scratch: nothing decoded is held inside libzstd.
                if from.pos == from.size && !full {
                    return .success(_BoundedDecodeStep(used: from.pos, wrote: out.count - start, ended: ended, more: false))
                }
                if out.count - start >= limit {
                    return .success(_BoundedDecodeStep(used: from.pos, wrote: out.count - start, ended: ended, more: true))
                }
            }
        }
        return try result.get()
    }
}
