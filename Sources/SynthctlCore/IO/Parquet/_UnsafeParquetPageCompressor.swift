import CZstd

/// Compresses a Parquet writer's pages with its ``ParquetCodec``, straight
/// from the memory a page is in (a column's floats are not first copied
/// into a page array), and for zstd through one compression context kept
/// for every page it compresses.
///
/// Why a kept context: `ZSTD_compress` allocates and initializes a context
/// (its tables) for every call; on a page of a megabyte that is a fresh
/// half-megabyte of memory each time, page faults included.
/// `ZSTD_compressCCtx` at the same level writes the same bytes (zstd's
/// `ZSTD_compress` is `ZSTD_compressCCtx` on a context of its own).
///
/// Preconditions: one thread at a time uses a compressor; a page's memory
/// stays valid and unchanged during ``compress(_:)``.
final class _UnsafeParquetPageCompressor {
    let codec: ParquetCodec
    private let context: OpaquePointer?

    init(codec: ParquetCodec) {
        self.codec = codec
        context = codec == .zstd ? ZSTD_createCCtx() : nil
    }

    deinit {
        if let context { ZSTD_freeCCtx(context) }
    }

    /// `page` compressed (a copy of it with ``ParquetCodec/none``).
    func compress(_ page: UnsafeRawBufferPointer) -> [UInt8] {
        switch codec {
        case .none: return Array(page)
        case .snappy: return _UnsafeSnappy.compress(raw: page)
        case .zstd:
            guard let context else { return Zstd.compress(Array(page)[...], level: 1) }  // no context (out of memory): the one-shot call
            let bound = ZSTD_compressBound(page.count)
            return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
                let written = ZSTD_compressCCtx(context, buffer.baseAddress, bound, page.baseAddress, page.count, ParquetCodec.zstdLevel)
                precondition(ZSTD_isError(written) == 0, "ZSTD_compressCCtx failed within ZSTD_compressBound")
                count = written
            }
        }
    }
}
