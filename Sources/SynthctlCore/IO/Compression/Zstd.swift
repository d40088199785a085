import CZstd

/// Zstandard (RFC 8878, through libzstd): Polars' and DuckDB's default
/// Parquet codec. Decoded as a stream, so a frame that states no content
/// size (streamed writers) reads too, and frames one after another decode
/// as their concatenation (as the format allows).
public enum Zstd: CompressionCodec {
    public static let name = "zstd"

    public static func decompress(_ bytes: ArraySlice<UInt8>, expectedSize: Int) throws(CompressionError) -> [UInt8] {
        try checkStated(expectedSize)
        return try _UnsafeZstd.decompress(bytes, expectedSize: expectedSize)
    }

    /// `level` is zstd's (1–22, negative for faster; nil: its default, 3).
    public static func compress(_ bytes: ArraySlice<UInt8>, level: Int? = nil) -> [UInt8] {
        _UnsafeZstd.compress(bytes, level: Int32(clamping: level ?? Int(ZSTD_CLEVEL_DEFAULT)))
    }
}

/// The libzstd calls. Preconditions: the stream is created before use and
/// freed on every path (`defer`); the ZSTD_inBuffer/ZSTD_outBuffer point
/// into buffers that outlive each call.
enum _UnsafeZstd {
    static func decompress(_ bytes: ArraySlice<UInt8>, expectedSize: Int) throws(CompressionError) -> [UInt8] {
        guard let stream = ZSTD_createDStream() else { throw Zstd.failure(expectedSize, "no zstd decoder (out of memory)") }
        defer { ZSTD_freeDStream(stream) }
        return try bytes.withUnsafeBufferPointer { (input) throws(CompressionError) -> [UInt8] in
            var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
            var frameDone = input.isEmpty
            return try _UnsafeStreamingDecode.collect(Zstd.self, expectedSize: expectedSize, reserve: input.count * 4) { space in
                if frameDone, source.pos == source.size { return .finished(0) }  // no input at all
                var target = ZSTD_outBuffer(dst: space.baseAddress, size: space.count, pos: 0)
                let before = source.pos
                let hint = ZSTD_decompressStream(stream, &target, &source)
                if ZSTD_isError(hint) != 0 { return .corrupt(String(cString: ZSTD_getErrorName(hint))) }
                frameDone = hint == 0
                if frameDone, source.pos == source.size { return .finished(target.pos) }
                // Nothing used and nothing written, with room to write: the input ends mid-frame.
                if target.pos == 0, source.pos == before { return .truncated }
                return .progress(target.pos)
            }
        }
    }

    static func compress(_ bytes: ArraySlice<UInt8>, level: Int32) -> [UInt8] {
        let bound = ZSTD_compressBound(bytes.count)
        return bytes.withUnsafeBufferPointer { input in
            [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
                let written = ZSTD_compress(buffer.baseAddress, bound, input.baseAddress, input.count, level)
                precondition(ZSTD_isError(written) == 0, "ZSTD_compress failed within ZSTD_compressBound")
                count = written
            }
        }
    }
}
