/// A compression format served by a system library (Debian's dev packages,
/// through the `C…` system-library targets): Snappy, gzip, Brotli, LZ4 and
/// zstd, the codecs Parquet files and compressed inputs use.
///
/// Why libraries and not our own code: decompressors are attack surface and
/// speed-critical, and the reference implementations are fuzzed, fast and
/// maintained; synthctl adds only the checks its inputs need.
///
/// Every decoder takes the size its container states (a Parquet page
/// header's `uncompressed_page_size`) and returns exactly that many bytes or
/// throws a ``CompressionError``: corrupt or truncated data, a different
/// size, or output beyond the stated size (a decompression bomb, stopped at
/// one byte past it). No allocation is sized by a claim the compressed bytes
/// cannot back: one-shot decoders first check the claim against their
/// format's largest expansion, streaming ones grow the output as it comes.
/// Nothing here traps or hangs on hostile input.
public protocol CompressionCodec {
    /// The name people know the format by, for messages ("zstd").
    static var name: String { get }

    /// The `expectedSize` bytes that `bytes` decode to.
    /// - Throws: ``CompressionError`` when they decode to anything else or
    ///   not at all.
    static func decompress(_ bytes: ArraySlice<UInt8>, expectedSize: Int) throws(CompressionError) -> [UInt8]

    /// `bytes` compressed at `level` (the library's own scale; nil is its
    /// default), in the form ``decompress(_:expectedSize:)`` reads.
    static func compress(_ bytes: ArraySlice<UInt8>, level: Int?) -> [UInt8]
}

extension CompressionCodec {
    /// The error for this codec's data, sized `expectedSize`, found `found`.
    static func failure(_ expectedSize: Int, _ found: String) -> CompressionError {
        CompressionError(codec: name, expectedSize: expectedSize, found: found)
    }

    /// A negative stated size is refused before any codec sees it.
    static func checkStated(_ expectedSize: Int) throws(CompressionError) {
        guard expectedSize >= 0 else { throw failure(expectedSize, "a negative size") }
    }
}
