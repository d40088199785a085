/// What a page's encoded values should have held and what they held: the
/// column decoder adds the file, column, row group and page.
struct ParquetEncodingError: Error {
    let expected: String
    let found: String
    init(_ expected: String, _ found: String) {
        self.expected = expected
        self.found = found
    }
}

/// DELTA_BINARY_PACKED (parquet-format Encodings.md, "Delta Encoding"), the
/// integer encoding of data pages v2 that Spark, DuckDB and pyarrow write
/// for INT32 and INT64, and the lengths inside the two DELTA byte-array
/// encodings (``ParquetDeltaByteArrays``).
///
///     header: <block size> <miniblocks per block> <total values> <first value>
///     block:  <min delta> <one bit-width byte per miniblock> <miniblocks>
///
/// Sizes are ULEB128 varints; the first value and min delta are zig-zag
/// varints. Each value is the one before it plus min delta plus its
/// miniblock entry, packed LSB first at the miniblock's bit width (as the
/// RLE hybrid packs). Arithmetic wraps (mod 2⁶⁴), as the spec says a
/// writer's deltas may overflow; an INT32 column keeps the low 32 bits.
/// The last miniblock used is written whole (padded); the miniblocks after
/// it have a bit-width byte and no body.
///
/// Hostile input — a block size not a multiple of 128, miniblocks whose
/// values are not a multiple of 32, a bit width above the type's, a total
/// other than the page's value count, a miniblock past the page — is a
/// ``ParquetEncodingError``; nothing is allocated by a header's claim.
enum ParquetDeltaBinaryPacked {
    /// `count` values decoded from the start of `bytes` (`bitLimit`: 32 for
    /// INT32, 64 for INT64), each as its 64 bits, and the index just past
    /// the encoded run (byte arrays follow it).
    static func decode(_ bytes: ArraySlice<UInt8>, count: Int, bitLimit: Int) throws(ParquetEncodingError) -> (values: [UInt64], end: Int) {
        var p = bytes.startIndex
        func varint(_ what: String) throws(ParquetEncodingError) -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard p < bytes.endIndex else { throw ParquetEncodingError("a DELTA_BINARY_PACKED \(what)", "the end of the page") }
                let b = bytes[p]
                p += 1
                value |= UInt64(b & 0x7f) << shift
                if b & 0x80 == 0 { return value }
                shift += 7
                guard shift < 64 else { throw ParquetEncodingError("a DELTA_BINARY_PACKED \(what)", "an overlong varint") }
            }
        }
        func zigzag(_ u: UInt64) -> UInt64 { (u >> 1) ^ (0 &- (u & 1)) }

        let blockSize = try varint("block size"), miniblocks = try varint("miniblock count")
        let total = try varint("value count"), first = zigzag(try varint("first value"))
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 31 else {
            throw ParquetEncodingError("a DELTA_BINARY_PACKED block size that is a multiple of 128", "\(blockSize)")
        }
        guard miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetEncodingError("miniblocks of a multiple of 32 values (block size \(blockSize))", "\(miniblocks) miniblocks")
        }
        guard total == UInt64(count) else {
            throw ParquetEncodingError("\(count) DELTA_BINARY_PACKED values (the page's count)", "\(total)")
        }
        let perMiniblock = Int(blockSize / miniblocks), widths = Int(miniblocks)
        var out = [UInt64]()
        out.reserveCapacity(count)
        if count > 0 { out.append(first) }
        var last = first
        while out.count < count {
            let minDelta = zigzag(try varint("min delta"))
            guard widths <= bytes.endIndex - p else { throw ParquetEncodingError("\(widths) miniblock bit widths", "the end of the page") }
            let widthsAt = p
            p += widths
            for m in 0..<widths where out.count < count {
                let width = Int(bytes[widthsAt + m])
                guard width <= bitLimit else { throw ParquetEncodingError("miniblock bit widths of at most \(bitLimit)", "\(width)") }
                // perMiniblock is a multiple of 32, so the length is whole bytes.
                let length = perMiniblock / 8 * width
                guard length <= bytes.endIndex - p else {
                    throw ParquetEncodingError("a miniblock of \(length) bytes", "\(bytes.endIndex - p) bytes left in the page")
                }
                let n = min(perMiniblock, count - out.count)
                if width == 0 {
                    for _ in 0..<n { last = last &+ minDelta; out.append(last) }
                } else {
                    let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
                    for i in 0..<n {
                        // Value i's bits start at bit i·width of the miniblock; every byte read is inside it.
                        let bit = i * width
                        var q = p + (bit >> 3)
                        var v = UInt64(bytes[q]) >> UInt64(bit & 7)
                        var held = 8 - (bit & 7)
                        while held < width { q += 1; v |= UInt64(bytes[q]) << UInt64(held); held += 8 }
                        last = last &+ minDelta &+ (v & mask)
                        out.append(last)
                    }
                }
                p += length
            }
        }
        return (out, p)
    }
}
