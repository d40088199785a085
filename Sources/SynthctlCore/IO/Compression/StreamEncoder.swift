import CZlib
import CZstd

/// A text table compressed as it is produced (`gen --out t.csv.gz`,
/// `t.jsonl.zst`): text in, in any number of pieces, compressed bytes out,
/// with memory bounded by the codec's window, not by the table.
///
///     let encoder = StreamEncoder(.gzip)
///     for text in pieces { try file.write(encoder.encode(text)) }   // maybe no bytes yet
///     try file.write(encoder.finish())                               // the rest and the trailer
///
/// Deterministic bytes, so that a manifest's SHA-256 holds on every run:
/// gzip through zlib at level 6 (zlib's and GNU gzip's default) with the
/// header deflate writes itself (RFC 1952 §2.3: no name, MTIME 0, XFL 0,
/// OS 3, Unix), one member; zstd through libzstd at level 3 (its default),
/// one frame without a content size (the size is not known when the frame
/// starts) and single-threaded. The same text in the same pieces gives the
/// same bytes (`gen` cuts its text at chunk boundaries that depend only on
/// the dataset's shape).
///
/// Not thread-safe: one thread at a time uses an encoder.
public final class StreamEncoder {
    public let compression: StreamCompression
    private let state: _UnsafeStreamEncoderState

    /// zlib's level for gzip output (its default).
    public static let gzipLevel: Int32 = 6
    /// libzstd's level for zstd output (its default).
    public static let zstdLevel: Int32 = 3

    public init(_ compression: StreamCompression) {
        self.compression = compression
        state = _UnsafeStreamEncoderState(compression)
    }

    /// The compressed bytes `text` adds (often none: the codec buffers).
    public func encode(_ text: RawSpan) -> [UInt8] {
        text.withUnsafeBytes { state.run($0, finishing: false) }
    }

    /// The bytes still held and the stream's end (gzip's CRC-32 and size;
    /// zstd's last block). Call once, after the last ``encode(_:)``.
    public func finish() -> [UInt8] {
        state.run(UnsafeRawBufferPointer(start: nil, count: 0), finishing: true)
    }
}

/// The zlib and libzstd streams behind ``StreamEncoder``. Preconditions:
/// the z_stream lives at a fixed address (zlib keeps a pointer back to it),
/// so it is allocated here and freed in `deinit`, as the zstd context is;
/// `next_in`/`next_out` and the zstd buffers point only into memory that
/// outlives each call and are cleared after it.
final class _UnsafeStreamEncoderState {
    private let zlib: UnsafeMutablePointer<z_stream>?
    private let zstd: OpaquePointer?
    private var output = [UInt8](repeating: 0, count: 1 << 16)

    init(_ compression: StreamCompression) {
        switch compression {
        case .gzip:
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            let ready = deflateInit2_(stream, StreamEncoder.gzipLevel, Z_DEFLATED, _UnsafeZlib.gzipHeader, 8, Z_DEFAULT_STRATEGY,
                                      ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            precondition(ready == Z_OK, "deflateInit2 failed (out of memory)")
            (zlib, zstd) = (stream, nil)
        case .zstd:
            let context = ZSTD_createCCtx()
            precondition(context != nil, "ZSTD_createCCtx failed (out of memory)")
            ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, StreamEncoder.zstdLevel)
            (zlib, zstd) = (nil, context)
        }
    }

    deinit {
        if let zlib {
            deflateEnd(zlib)
            zlib.deinitialize(count: 1)
            zlib.deallocate()
        }
        if let zstd { ZSTD_freeCCtx(zstd) }
    }

    /// Feeds all of `input` (and, `finishing`, ends the stream); returns
    /// what the codec wrote meanwhile.
    func run(_ input: UnsafeRawBufferPointer, finishing: Bool) -> [UInt8] {
        var produced = [UInt8]()
        output.withUnsafeMutableBytes { space in
            if let zlib {
                zlib.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
                zlib.pointee.avail_in = uInt(input.count)
                defer { zlib.pointee.next_in = nil; zlib.pointee.next_out = nil; zlib.pointee.avail_in = 0; zlib.pointee.avail_out = 0 }
                while true {
                    zlib.pointee.next_out = space.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    zlib.pointee.avail_out = uInt(space.count)
                    let status = deflate(zlib, finishing ? Z_FINISH : Z_NO_FLUSH)
                    precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "deflate failed (status \(status))")
                    produced += space.prefix(space.count - Int(zlib.pointee.avail_out))
                    if finishing ? status == Z_STREAM_END : (zlib.pointee.avail_in == 0 && zlib.pointee.avail_out > 0) { break }
                }
            } else if let zstd {
                var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
                while true {
                    var target = ZSTD_outBuffer(dst: space.baseAddress, size: space.count, pos: 0)
                    let remaining = ZSTD_compressStream2(zstd, &target, &source, finishing ? ZSTD_e_end : ZSTD_e_continue)
                    precondition(ZSTD_isError(remaining) == 0, "ZSTD_compressStream2 failed: \(String(cString: ZSTD_getErrorName(remaining)))")
                    produced += space.prefix(target.pos)
                    if finishing ? remaining == 0 : source.pos == source.size { break }
                }
            }
        }
        return produced
    }
}
