/// Parquet's bit-packed values and its RLE/bit-packed hybrid (parquet-format
/// `Encodings.md`, "Run Length Encoding / Bit-Packing Hybrid"), as the
/// writer uses them: only bit-packed runs.
///
/// Preconditions: every value is in 0 ..< 2^bitWidth, 1 ≤ bitWidth ≤ 32.
enum _UnsafeBitPacking {
    /// `values` packed `bitWidth` bits each, least significant bit first,
    /// the last byte padded with zeros (PLAIN booleans at width 1).
    static func packed<S: Sequence>(_ values: S, bitWidth: Int) -> [UInt8] where S.Element: BinaryInteger {
        var out = [UInt8]()
        var held: UInt64 = 0, bits = 0
        for v in values {
            held |= UInt64(truncatingIfNeeded: v) << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: held))
                held >>= 8
                bits -= 8
            }
        }
        if bits > 0 { out.append(UInt8(truncatingIfNeeded: held)) }
        return out
    }

    /// `count` values as one bit-packed run of the hybrid: the header
    /// varint (groups of 8 << 1 | 1), then the groups, the last one padded
    /// with zeros to 8 values (a reader takes `count` of them). Empty when
    /// `count` is 0.
    static func hybrid<S: Sequence>(_ values: S, count: Int, bitWidth: Int) -> [UInt8] where S.Element: BinaryInteger {
        guard count > 0 else { return [] }
        let groups = (count + 7) / 8
        var out = [UInt8]()
        var header = UInt64(groups) << 1 | 1
        while header >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: header) | 0x80)
            header >>= 7
        }
        out.append(UInt8(header))
        var body = packed(values, bitWidth: bitWidth)
        body += [UInt8](repeating: 0, count: groups * bitWidth - body.count)
        return out + body
    }
}
