import CLZ4

/// An LZ4 block (the raw block format of lz4's `lz4_Block_format.md`,
/// through liblz4), with no frame around it: what Parquet's LZ4_RAW codec
/// holds, and what Hadoop's framing (Parquet's older LZ4 codec) wraps.
/// A block does not state its size: the container does.
public enum LZ4Block: CompressionCodec {
    public static let name = "LZ4"

    /// The most one compressed byte can expand to: a length byte of 255
    /// adds 255 bytes to a literal run or a match, so no valid block of n
    /// bytes decodes to more than 255·n (plus a token's 19); a stated size
    /// above it is refused before any allocation.
    static func largestOutput(_ compressed: Int) -> Int { compressed * 255 + 19 }

    public static func decompress(_ bytes: ArraySlice<UInt8>, expectedSize: Int) throws(CompressionError) -> [UInt8] {
        try checkStated(expectedSize)
        guard bytes.count <= Int(Int32.max), expectedSize < Int(Int32.max) else {
            throw failure(expectedSize, "\(bytes.count) compressed bytes (LZ4 blocks hold less than 2 GiB)")
        }
        guard expectedSize <= largestOutput(bytes.count) else {
            throw failure(expectedSize, "\(bytes.count) compressed bytes, which hold at most \(largestOutput(bytes.count))")
        }
        let (out, produced) = _UnsafeLZ4.decompress(bytes, capacity: expectedSize + 1)
        if produced < 0 { throw failure(expectedSize, "corrupt data") }
        if produced > expectedSize { throw failure(expectedSize, "more than \(expectedSize) bytes") }
        if produced != expectedSize { throw failure(expectedSize, "\(produced) bytes") }
        return out
    }

    /// `level`: nil or below 3 is LZ4's fast compressor; 3–12 its
    /// high-compression one (LZ4HC) at that level.
    public static func compress(_ bytes: ArraySlice<UInt8>, level: Int? = nil) -> [UInt8] {
        _UnsafeLZ4.compress(bytes, level: level.map { Int32(clamping: $0) } ?? 0)
    }
}

/// The liblz4 calls. Preconditions: the input is valid for its count and
/// below 2 GiB (LZ4's int sizes; checked by the callers); the output has
/// the capacity passed.
enum _UnsafeLZ4 {
    /// The block decoded into at most `capacity` bytes (stopping there), and
    /// how many it produced, or a negative count for corrupt data.
    static func decompress(_ bytes: ArraySlice<UInt8>, capacity: Int) -> ([UInt8], Int) {
        var produced = 0
        let out = bytes.withUnsafeBufferPointer { input in
            [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                let empty: CChar = 0
                produced = withUnsafePointer(to: empty) { fallback in
                    let source = input.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? fallback
                    let target = UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    return Int(LZ4_decompress_safe_partial(source, target, Int32(input.count), Int32(capacity), Int32(capacity)))
                }
                count = max(produced, 0)
            }
        }
        return (out, produced)
    }

    static func compress(_ bytes: ArraySlice<UInt8>, level: Int32) -> [UInt8] {
        precondition(bytes.count <= Int(LZ4_MAX_INPUT_SIZE), "LZ4 compresses blocks below 2 GiB")
        let bound = Int(LZ4_compressBound(Int32(bytes.count)))
        return bytes.withUnsafeBufferPointer { input in
            [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
                let empty: CChar = 0
                let written = withUnsafePointer(to: empty) { fallback -> Int32 in
                    let source = input.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? fallback
                    let target = UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    return level >= 3
                        ? LZ4_compress_HC(source, target, Int32(input.count), Int32(bound), level)
                        : LZ4_compress_default(source, target, Int32(input.count), Int32(bound))
                }
                precondition(written > 0, "LZ4 compression failed within LZ4_compressBound")
                count = Int(written)
            }
        }
    }
}
