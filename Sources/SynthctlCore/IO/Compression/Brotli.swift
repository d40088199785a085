import CBrotli

/// Brotli (RFC 7932, through Google's libbrotlidec and libbrotlienc):
/// Parquet's BROTLI codec.
public enum Brotli: CompressionCodec {
    public static let name = "Brotli"

    public static func decompress(_ bytes: ArraySlice<UInt8>, expectedSize: Int) throws(CompressionError) -> [UInt8] {
        try checkStated(expectedSize)
        return try _UnsafeBrotli.decompress(bytes, expectedSize: expectedSize)
    }

    /// `level` is Brotli's quality, 0–11 (nil: 11, its default).
    public static func compress(_ bytes: ArraySlice<UInt8>, level: Int? = nil) -> [UInt8] {
        _UnsafeBrotli.compress(bytes, quality: Int32(clamping: level ?? Int(BROTLI_DEFAULT_QUALITY)))
    }
}

/// The libbrotli calls. Preconditions: the decoder state is created before
/// use and destroyed on every path (`defer`); the in/out pointers and
/// counts it advances point into buffers that outlive each call.
enum _UnsafeBrotli {
    static func decompress(_ bytes: ArraySlice<UInt8>, expectedSize: Int) throws(CompressionError) -> [UInt8] {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else {
            throw Brotli.failure(expectedSize, "no Brotli decoder (out of memory)")
        }
        defer { BrotliDecoderDestroyInstance(state) }
        return try bytes.withUnsafeBufferPointer { (input) throws(CompressionError) -> [UInt8] in
            var next: UnsafePointer<UInt8>? = input.baseAddress
            var available = input.count
            return try _UnsafeStreamingDecode.collect(Brotli.self, expectedSize: expectedSize, reserve: input.count * 4) { space in
                var out: UnsafeMutablePointer<UInt8>? = space.baseAddress
                var room = space.count
                let result = BrotliDecoderDecompressStream(state, &available, &next, &room, &out, nil)
                let written = space.count - room
                switch result {
                case BROTLI_DECODER_RESULT_SUCCESS:
                    return available == 0 ? .finished(written) : .corrupt("\(available) bytes after the end of the stream")
                case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
                    return .progress(written)
                case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
                    return written > 0 ? .progress(written) : .truncated
                default:
                    let code = BrotliDecoderGetErrorCode(state)
                    return .corrupt(String(cString: BrotliDecoderErrorString(code)))
                }
            }
        }
    }

    static func compress(_ bytes: ArraySlice<UInt8>, quality: Int32) -> [UInt8] {
        let bound = max(BrotliEncoderMaxCompressedSize(bytes.count), 16)
        return bytes.withUnsafeBufferPointer { input in
            [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
                var size = bound
                let ok = BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC,
                                               input.count, input.baseAddress, &size, buffer.baseAddress)
                precondition(ok == BROTLI_TRUE, "BrotliEncoderCompress failed within BrotliEncoderMaxCompressedSize")
                count = size
            }
        }
    }
}
