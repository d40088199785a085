import CSnappy
import CZstd

/// Compresses a Parquet writer's pages with its ``ParquetCodec``, straight
/// from the memory a page is in (a column's floats are not first copied
/// into a page array), into memory it keeps from row group to row group,
/// and for zstd through one compression context kept for every page it
/// compresses.
///
/// Why a kept context: `ZSTD_compress` allocates and initializes a context
/// (its tables) for every call; on a page of a megabyte that is a fresh
/// half-megabyte of memory each time, page faults included.
/// `ZSTD_compressCCtx` at the same level writes the same bytes (zstd's
/// `ZSTD_compress` is `ZSTD_compressCCtx` on a context of its own).
///
/// Why kept output memory: a fresh array per page is fresh memory for every
/// row group, whose pages the kernel must find and zero again (page faults
/// were 4 % of a write's CPU time). Pages go into segments of at least
/// ``segmentBytes`` that are reused after ``reset()``; a page is never
/// moved once written (segments are not reallocated), so the bytes
/// ``appendPage(_:header:)`` returns stay valid while later pages are
/// compressed.
///
/// Preconditions: one thread at a time uses a compressor; a page's memory
/// stays valid and unchanged during ``appendPage(_:header:)``; the bytes
/// it returns are read only until the next ``reset()``.
final class _UnsafeParquetPageCompressor {
    let codec: ParquetCodec
    private let context: OpaquePointer?
    /// The output memory, in order of use; `segments[current]` is filled up to `used`.
    private var segments: [UnsafeMutableRawBufferPointer] = []
    private var current = 0
    private var used = 0
    /// The smallest segment: 16 MiB (a row group's pages take a few).
    static let segmentBytes = 16 << 20
    /// Room kept before a page for its header: a data or dictionary page
    /// header in Thrift compact takes at most about 40 bytes.
    static let headerRoom = 64

    init(codec: ParquetCodec) {
        self.codec = codec
        context = codec == .zstd ? ZSTD_createCCtx() : nil
    }

    deinit {
        if let context { ZSTD_freeCCtx(context) }
        for segment in segments { segment.deallocate() }
    }

    /// Starts a row group: every page returned so far will be overwritten.
    func reset() {
        current = 0
        used = 0
    }

    /// The most bytes `codec` may make of `count` bytes.
    private func bound(_ count: Int) -> Int {
        switch codec {
        case .none: count
        case .snappy: snappy_max_compressed_length(count)
        case .zstd: ZSTD_compressBound(count)
        }
    }

    /// `count` bytes of room, in the current segment or the next one (made
    /// when there is none large enough).
    private func room(_ count: Int) -> UnsafeMutableRawPointer {
        if current < segments.count, used + count <= segments[current].count { return segments[current].baseAddress! + used }
        if current < segments.count, used > 0 { (current, used) = (current + 1, 0) }
        if current < segments.count, count > segments[current].count {
            // Too small, and holding nothing still read: a larger one in its place.
            segments[current].deallocate()
            segments[current] = .allocate(byteCount: max(count, Self.segmentBytes), alignment: 64)
        }
        if current == segments.count { segments.append(.allocate(byteCount: max(count, Self.segmentBytes), alignment: 64)) }
        return segments[current].baseAddress!
    }

    /// `page` compressed (as it is with ``ParquetCodec/none``), preceded by
    /// `header(compressed size)`: the bytes to write, header and page, and
    /// the compressed size.
    func appendPage(_ page: UnsafeRawBufferPointer, header: (Int) -> [UInt8]) -> (bytes: UnsafeRawBufferPointer, compressed: Int) {
        let capacity = bound(page.count)
        let start = room(Self.headerRoom + capacity)
        let body = start + Self.headerRoom
        let written: Int
        switch codec {
        case .none:
            if let source = page.baseAddress { body.copyMemory(from: source, byteCount: page.count) }
            written = page.count
        case .snappy:
            written = _UnsafeSnappy.compress(raw: page, into: body, capacity: capacity)
        case .zstd:
            if let context {
                written = ZSTD_compressCCtx(context, body, capacity, page.baseAddress, page.count, ParquetCodec.zstdLevel)
                precondition(ZSTD_isError(written) == 0, "ZSTD_compressCCtx failed within ZSTD_compressBound")
            } else {  // no context (out of memory): the one-shot call
                let bytes = Zstd.compress(Array(page)[...], level: 1)
                bytes.withUnsafeBytes { body.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                written = bytes.count
            }
        }
        let head = header(written)
        precondition(head.count <= Self.headerRoom)
        let first = body - head.count
        head.withUnsafeBytes { first.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        used += Self.headerRoom + written
        return (UnsafeRawBufferPointer(start: first, count: head.count + written), written)
    }
}
