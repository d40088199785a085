import CZlib

/// DEFLATE (RFC 1951) in its gzip wrapper (RFC 1952), through zlib:
/// Parquet's GZIP codec and `.gz` files. Decoding also accepts the zlib
/// wrapper (RFC 1950), which some Parquet writers used for GZIP (zlib's
/// automatic header detection, as Apache Arrow reads them), and several
/// gzip members one after another (as `gzip -d` does).
public enum Gzip: CompressionCodec {
    public static let name = "gzip"

    public static func decompress(_ bytes: ArraySlice<UInt8>, expectedSize: Int) throws(CompressionError) -> [UInt8] {
        try checkStated(expectedSize)
        return try _UnsafeZlib.inflate(bytes, expectedSize: expectedSize)
    }

    /// `level` is zlib's 0–9 (nil: its default, 6).
    public static func compress(_ bytes: ArraySlice<UInt8>, level: Int? = nil) -> [UInt8] {
        _UnsafeZlib.deflate(bytes, level: Int32(clamping: level ?? Int(Z_DEFAULT_COMPRESSION)))
    }
}

/// The z_stream calls. Preconditions: a z_stream is initialized before use
/// and ended on every path (`defer`); its `next_in`/`next_out` point into
/// buffers that outlive the calls that use them (the closures below).
enum _UnsafeZlib {
    /// zlib's window of 2^15 bytes, +32: detect a gzip or zlib header;
    /// +16: write a gzip header.
    static let detectHeader: Int32 = 15 + 32, gzipHeader: Int32 = 15 + 16

    static func inflate(_ bytes: ArraySlice<UInt8>, expectedSize: Int) throws(CompressionError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, detectHeader, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Gzip.failure(expectedSize, "no zlib decoder (out of memory)")
        }
        defer { inflateEnd(&stream) }
        var input = Array(bytes)
        return try input.withUnsafeMutableBufferPointer { (input) throws(CompressionError) -> [UInt8] in
            stream.next_in = input.baseAddress
            stream.avail_in = uInt(input.count)
            return try _UnsafeStreamingDecode.collect(Gzip.self, expectedSize: expectedSize, reserve: input.count * 4) { space in
                stream.next_out = space.baseAddress
                stream.avail_out = uInt(space.count)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                let written = space.count - Int(stream.avail_out)
                switch status {
                case Z_STREAM_END:
                    // Another gzip member may follow.
                    if stream.avail_in > 0 { return inflateReset(&stream) == Z_OK ? .progress(written) : .corrupt("reset failed") }
                    return .finished(written)
                case Z_OK:
                    return .progress(written)
                case Z_BUF_ERROR:
                    // No progress possible: out of input (space was free).
                    return written > 0 ? .progress(written) : .truncated
                default:
                    return .corrupt(stream.msg.map { String(cString: $0) } ?? "zlib status \(status)")
                }
            }
        }
    }

    static func deflate(_ bytes: ArraySlice<UInt8>, level: Int32) -> [UInt8] {
        var stream = z_stream()
        let ready = deflateInit2_(&stream, level, Z_DEFLATED, gzipHeader, 8, Z_DEFAULT_STRATEGY,
                                  ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(ready == Z_OK, "deflateInit2 failed (level \(level) outside 0–9, or out of memory)")
        defer { deflateEnd(&stream) }
        // deflateBound covers the zlib wrapper; the gzip header and trailer add 18 − 6 bytes more.
        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 12
        var input = Array(bytes)
        return input.withUnsafeMutableBufferPointer { input in
            [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
                stream.next_in = input.baseAddress
                stream.avail_in = uInt(input.count)
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(bound)
                let status = CZlib.deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate did not finish within deflateBound")
                count = bound - Int(stream.avail_out)
            }
        }
    }
}
