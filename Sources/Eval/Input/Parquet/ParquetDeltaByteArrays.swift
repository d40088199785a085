/// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY (parquet-format
/// Encodings.md), the byte-array encodings of data pages v2 that Spark,
/// DuckDB and pyarrow write, decoded to the PLAIN layout so that the
/// column decoder reads them as it reads PLAIN pages (UTF-8 checks,
/// decimals and all).
///
///     DELTA_LENGTH_BYTE_ARRAY: <lengths, DELTA_BINARY_PACKED> <the values' bytes, concatenated>
///     DELTA_BYTE_ARRAY:        <prefix lengths, DELTA_BINARY_PACKED> <suffixes, DELTA_LENGTH_BYTE_ARRAY>
///
/// In DELTA_BYTE_ARRAY (front coding) value i is the first `prefix[i]`
/// bytes of value i − 1 followed by suffix i; BYTE_ARRAY and
/// FIXED_LEN_BYTE_ARRAY columns both use it.
///
/// Hostile input — a negative length, lengths past the page, a prefix
/// longer than the value before it, a FIXED_LEN_BYTE_ARRAY value of
/// another length, decoded values beyond `limit` bytes — is a
/// ``ParquetEncodingError``.
enum ParquetDeltaByteArrays {
    /// DELTA_LENGTH_BYTE_ARRAY's `count` lengths (each checked ≥ 0, all
    /// inside the page) and where its values' bytes start.
    static func lengths(_ bytes: ArraySlice<UInt8>, count: Int) throws(ParquetEncodingError) -> (lengths: [Int], data: Int) {
        let (encoded, data) = try ParquetDeltaBinaryPacked.decode(bytes, count: count, bitLimit: 32)
        var lengths = [Int]()
        lengths.reserveCapacity(count)
        var total = 0
        for bits in encoded {
            let n = Int(Int32(truncatingIfNeeded: bits))
            guard n >= 0 else { throw ParquetEncodingError("byte-array lengths of at least 0", "\(n)") }
            guard n <= bytes.endIndex - data - total else {
                throw ParquetEncodingError("byte arrays inside the page", "a length of \(n) with \(bytes.endIndex - data - total) bytes left")
            }
            total += n
            lengths.append(n)
        }
        return (lengths, data)
    }

    /// DELTA_LENGTH_BYTE_ARRAY as PLAIN BYTE_ARRAY: each value after its
    /// 4-byte little-endian length.
    static func plainFromDeltaLength(_ bytes: ArraySlice<UInt8>, count: Int) throws(ParquetEncodingError) -> [UInt8] {
        let (lengths, data) = try lengths(bytes, count: count)
        var out = [UInt8]()
        out.reserveCapacity(4 * count + (bytes.endIndex - data))
        var p = data
        for n in lengths {
            appendLength(n, to: &out)
            out.append(contentsOf: bytes[p..<(p + n)])
            p += n
        }
        return out
    }

    /// DELTA_BYTE_ARRAY as PLAIN: BYTE_ARRAY values after their 4-byte
    /// lengths, or, when `fixedLength` is given, FIXED_LEN_BYTE_ARRAY values
    /// of that many bytes back to back. `limit` bounds the decoded bytes
    /// (front coding can repeat a long prefix many times).
    static func plainFromDelta(_ bytes: ArraySlice<UInt8>, count: Int, fixedLength: Int?, limit: Int) throws(ParquetEncodingError) -> [UInt8] {
        let (prefixes, suffixStart) = try ParquetDeltaBinaryPacked.decode(bytes, count: count, bitLimit: 32)
        let (suffixes, data) = try lengths(bytes[suffixStart...], count: count)
        // Lengths first, checked, so that the output is sized once.
        var total = 0, previous = 0
        for i in 0..<count {
            let prefix = Int(Int32(truncatingIfNeeded: prefixes[i]))
            guard prefix >= 0, prefix <= previous else {
                throw ParquetEncodingError("a prefix of 0 to \(previous) bytes (the value before it)", "\(prefix)")
            }
            previous = prefix + suffixes[i]
            if let fixedLength, previous != fixedLength {
                throw ParquetEncodingError("values of \(fixedLength) bytes (FIXED_LEN_BYTE_ARRAY)", "\(previous) bytes")
            }
            guard previous <= limit - total - (fixedLength == nil ? 4 : 0) else {
                throw ParquetEncodingError("decoded values of at most \(limit) bytes (the memory budget)", "more")
            }
            total += previous + (fixedLength == nil ? 4 : 0)
        }
        var out = [UInt8]()
        out.reserveCapacity(total)
        var p = data, last = 0
        for i in 0..<count {
            let prefix = Int(prefixes[i] & 0xffff_ffff), suffix = suffixes[i]
            if fixedLength == nil { appendLength(prefix + suffix, to: &out) }
            let start = out.count
            for k in 0..<prefix { out.append(out[last + k]) }
            out.append(contentsOf: bytes[p..<(p + suffix)])
            p += suffix
            last = start
        }
        return out
    }

    static func appendLength(_ n: Int, to out: inout [UInt8]) {
        for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: n >> (8 * k))) }
    }
}
