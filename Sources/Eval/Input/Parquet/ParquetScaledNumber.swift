/// Numbers Parquet stores as integers with a power of ten beside them — a
/// DECIMAL's unscaled value, a TIME's or TIMESTAMP's ticks — and the byte
/// layouts they come in (big-endian two's complement, INT96, half floats).
enum ParquetScaledNumber {
    /// 10⁰ … 10²², each exactly a Double.
    static let exactPowersOfTen: [Double] = (0...22).map { (0..<$0).reduce(1.0) { r, _ in r * 10 } }

    /// `unscaled` × 10^−`digits` as the nearest Double (ties to even), the
    /// value Python's `float(Decimal(...))` gives and pyarrow's decimal to
    /// float64 cast approximates. When both `unscaled` (|x| ≤ 2⁵³) and
    /// 10^digits (digits ≤ 22) are exact Doubles one IEEE division rounds
    /// once, correctly (Clinger's fast path); otherwise the exact decimal
    /// text `unscaled`e−`digits` is parsed, which rounds correctly. A
    /// precision above 15 digits can lose digits, as float64 does in pandas.
    static func value(_ unscaled: Int128, digits: Int) -> Double {
        if unscaled.magnitude <= 1 << 53, digits <= 22 {
            return Double(unscaled) / exactPowersOfTen[digits]
        }
        return Double("\(unscaled)e-\(digits)") ?? .nan
    }

    /// The fewest bytes whose two's complement holds every `precision`-digit
    /// integer: the smallest n with 10^precision − 1 ≤ 2^(8n − 1) − 1, so
    /// n bytes hold ⌊(8n − 1)·log₁₀ 2⌋ digits (2^k is never a power of ten,
    /// so the floor is exact; Parquet's LogicalTypes.md tabulates it for
    /// FIXED_LEN_BYTE_ARRAY, pyarrow stores decimals in this width).
    /// Precondition: 1 ≤ precision ≤ 76 (32 bytes).
    static func decimalBytes(precision: Int) -> Int {
        precondition((1...76).contains(precision))
        return (1...32).first { n in Int((Double(8 * n - 1) * 0.30102999566398120).rounded(.down)) >= precision }!
    }

    /// How many bytes of big-endian two's complement `bytes` needs: its
    /// length without the leading bytes that only repeat the sign (0x00
    /// before a byte whose top bit is 0, 0xff before one whose top bit is 1).
    static func significantBytes(_ bytes: ArraySlice<UInt8>) -> Int {
        var start = bytes.startIndex
        while bytes.endIndex - start > 1,
              (bytes[start] == 0x00 && bytes[start + 1] & 0x80 == 0) || (bytes[start] == 0xff && bytes[start + 1] & 0x80 != 0) {
            start += 1
        }
        return bytes.endIndex - start
    }

    /// `bytes` (big-endian two's complement, 1 to 32 bytes) as the same
    /// integer in exactly `width` bytes: sign bytes added in front, or
    /// redundant ones dropped; nil when it needs more than `width`, or is empty.
    static func signExtended(_ bytes: ArraySlice<UInt8>, to width: Int) -> [UInt8]? {
        guard let first = bytes.first else { return nil }
        let needed = significantBytes(bytes)
        guard needed <= width else { return nil }
        return [UInt8](repeating: first & 0x80 != 0 ? 0xff : 0x00, count: width - needed) + bytes.suffix(needed)
    }

    /// A big-endian two's-complement integer of 1 to 16 bytes (a DECIMAL in
    /// FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY). Precondition: 1...16 bytes.
    static func bigEndian(_ bytes: ArraySlice<UInt8>) -> Int128 {
        var bits: UInt128 = bytes.first.map { $0 & 0x80 != 0 } == true ? ~0 : 0
        for b in bytes { bits = bits << 8 | UInt128(b) }
        return Int128(bitPattern: bits)
    }

    /// A DECIMAL's value from its unscaled integer, big-endian two's
    /// complement of 1 to 32 bytes (FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY:
    /// pyarrow's decimal128 takes up to 16, decimal256 up to 32), × 10^−`digits`,
    /// as the nearest Double (ties to even), as Python's `float(Decimal(...))`
    /// gives it. A precision beyond float64's 15 to 17 digits is not an
    /// error: the digits beyond are lost, as they are in pandas.
    /// Precondition: 1...32 bytes.
    static func decimal(_ bytes: ArraySlice<UInt8>, digits: Int) -> Double {
        if bytes.count <= 16 { return value(bigEndian(bytes), digits: digits) }
        // Wider: the magnitude's decimal digits, then one correctly rounded parse.
        let negative = bytes.first! & 0x80 != 0
        var limbs = [UInt32](repeating: 0, count: (bytes.count + 3) / 4)  // little-endian 32-bit limbs
        for (k, b) in bytes.reversed().enumerated() { limbs[k / 4] |= UInt32(negative ? ~b : b) << (8 * UInt32(k % 4)) }
        if negative {  // two's complement: magnitude = ~bits + 1
            for k in limbs.indices {
                let (sum, carry) = limbs[k].addingReportingOverflow(1)
                limbs[k] = sum
                if !carry { break }
            }
        }
        var chunks = [UInt32]()  // base 10⁹, least significant first
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for k in limbs.indices.reversed() {
                let current = remainder << 32 | UInt64(limbs[k])
                limbs[k] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
        }
        guard let top = chunks.last else { return 0 }
        var text = (negative ? "-" : "") + String(top)
        for chunk in chunks.dropLast().reversed() {
            let part = String(chunk)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return Double(text + "e-\(digits)") ?? .nan
    }

    /// Julian day 2440588 is 1970-01-01.
    static let unixEpochJulianDay: Int128 = 2_440_588

    /// An INT96 timestamp's nanoseconds since 1970-01-01 00:00:00: 8 bytes
    /// of nanoseconds within the day, then 4 of Julian day (unsigned), both
    /// little-endian (Impala's layout, which Spark and pyarrow write).
    /// Precondition: 12 bytes.
    static func int96Nanoseconds(_ bytes: ArraySlice<UInt8>) -> Int128 {
        let s = bytes.startIndex
        var nanos: UInt64 = 0, day: UInt32 = 0
        for i in 0..<8 { nanos |= UInt64(bytes[s + i]) << (8 * UInt64(i)) }
        for i in 0..<4 { day |= UInt32(bytes[s + 8 + i]) << (8 * UInt32(i)) }
        return (Int128(day) - unixEpochJulianDay) * 86_400_000_000_000 + Int128(nanos)
    }

    /// An IEEE 754 half (FLOAT16), little-endian.
    static func half(_ low: UInt8, _ high: UInt8) -> Double {
        Double(Float16(bitPattern: UInt16(low) | UInt16(high) << 8))
    }
}
