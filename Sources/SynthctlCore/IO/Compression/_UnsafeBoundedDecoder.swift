/// What one bounded call of a streaming decoder did (see
/// ``_UnsafeBoundedDecoder/decode(_:into:limit:decodedBefore:)``).
struct _BoundedDecodeStep {
    /// Input bytes taken from the front of what was given.
    var used: Int
    /// Output bytes appended.
    var wrote: Int
    /// Whether a gzip member or zstd frame ended with the last byte used.
    var ended: Bool
    /// The call stopped at its output limit: more output may be held in
    /// the library, so call again (with the input's rest, or none).
    var more: Bool
}

/// A streaming decoder that stops after about `limit` output bytes, so that
/// a reader can check its memory budget between calls: one call of an
/// unbounded decoder may turn 64 KiB of zstd into gigabytes (a
/// decompression bomb). Implemented by the gzip and zstd stream states.
///
/// Preconditions: used from one thread at a time; input not used by a call
/// (`used` < its count) is given again, from that point, to the next call.
protocol _UnsafeBoundedDecoder: AnyObject {
    /// The codec's name, for messages ("gzip").
    static var codec: String { get }
    /// Appends to `out` what the front of `input` decodes to, stopping once
    /// `limit` bytes or more were appended (a multiple of the 64 KiB scratch)
    /// or the input is used up. Throws ``CompressionError`` for corrupt data.
    func decode(_ input: ArraySlice<UInt8>, into out: inout [UInt8], limit: Int,
                decodedBefore: Int) throws(CompressionError) -> _BoundedDecodeStep
}
