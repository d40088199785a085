/// BYTE_STREAM_SPLIT (parquet-format Encodings.md): a page of n values of
/// `width` bytes stored as `width` streams of n bytes, stream k holding
/// byte k of every value (the layout compresses floats better). Written
/// for FLOAT and DOUBLE, and by newer writers (parquet-format 2.11,
/// pyarrow ≥ 16) for INT32, INT64 and FIXED_LEN_BYTE_ARRAY.
///
/// As Apache Arrow reads it, the streams are the page's bytes split in
/// `width` equal parts: a page whose size is not a multiple of the width,
/// or that holds fewer values than the page's count, is a
/// ``ParquetEncodingError``.
enum ParquetByteStreamSplit {
    /// The first `count` values of `bytes`, interleaved back into the
    /// PLAIN layout (value i's bytes at i·width ..< (i+1)·width).
    static func plain(_ bytes: ArraySlice<UInt8>, count: Int, width: Int) throws(ParquetEncodingError) -> [UInt8] {
        guard width > 0, bytes.count % width == 0, bytes.count / width >= count else {
            throw ParquetEncodingError("\(count) values of \(width) bytes in BYTE_STREAM_SPLIT streams", "\(bytes.count) bytes")
        }
        let stride = bytes.count / width
        var out = [UInt8](repeating: 0, count: count * width)
        for k in 0..<width {
            let stream = bytes.startIndex + k * stride
            for i in 0..<count { out[i * width + k] = bytes[stream + i] }
        }
        return out
    }
}
