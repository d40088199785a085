/// What a stream of random numbers is for. Each purpose gets its own region of
/// Philox's counter space, so adding rows, annotators or noise never shifts the
/// numbers another part of the generator sees.
public enum StreamPurpose: UInt32, Sendable, CaseIterable {
    /// Dataset structure: centroids, mixing matrices, class frequencies. Never
    /// depends on the row count.
    case structure = 1
    /// Per-row feature noise (the normals that become features).
    case samples = 2
    /// Label noise: which rows flip and to what.
    case noise = 3
    /// The annotator pool: who labels what and what they answer.
    case annotators = 4
    /// Row order: the random-access permutation of rows.
    case shuffle = 5
    /// Fixed-size calibration samples (e.g. for instance-dependent noise).
    case calibration = 6
}

/// One independent stream of random numbers, addressed by (row, draw).
///
/// The Philox counter is laid out as
/// `(draw, row low 32 bits, substream, purpose << 24 | row high 24 bits)`,
/// keyed by the 64-bit seed. Every number a generator uses is therefore a pure
/// function of (seed, purpose, substream, row, draw): row *i* is identical
/// whoever computes it and however the rows are split, and the numbers for row
/// *i* do not depend on how many rows are requested.
public struct RandomStream: Sendable, Hashable {
    public let philox: Philox4x32
    public let purpose: StreamPurpose
    public let substream: UInt32

    public init(seed: UInt64, purpose: StreamPurpose, substream: UInt32 = 0) {
        self.philox = Philox4x32(seed: seed)
        self.purpose = purpose
        self.substream = substream
    }

    /// A stream with the same seed and purpose and another substream id, for
    /// sub-purposes (one per annotator, one per class, ...).
    public func substream(_ id: UInt32) -> RandomStream {
        RandomStream(philox: philox, purpose: purpose, substream: id)
    }

    init(philox: Philox4x32, purpose: StreamPurpose, substream: UInt32) {
        self.philox = philox
        self.purpose = purpose
        self.substream = substream
    }

    @inlinable var highWord: UInt32 { purpose.rawValue << 24 }

    /// 128 random bits for (row, draw).
    @inlinable
    public func bits(row: UInt64, draw: UInt32) -> SIMD4<UInt32> {
        precondition(row < 1 << 56, "row index beyond 2^56")
        return philox.block(SIMD4(
            draw, UInt32(truncatingIfNeeded: row), substream,
            highWord | UInt32(truncatingIfNeeded: row >> 32)))
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable
    public func uniform(row: UInt64, draw: UInt32) -> Double {
        let b = bits(row: row, draw: draw)
        let x = (UInt64(b[0]) << 21) ^ UInt64(b[1] >> 11)
        return Double(x & ((1 << 53) - 1)) * 0x1p-53
    }

    /// A uniform integer in [0, n), by Lemire's multiply-shift on 64 random
    /// bits; the bias is at most n / 2^64.
    @inlinable
    public func integer(below n: Int, row: UInt64, draw: UInt32) -> Int {
        precondition(n > 0)
        let b = bits(row: row, draw: draw)
        let x = UInt64(b[0]) | (UInt64(b[1]) << 32)
        return Int(x.multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A standard normal for (row, draw) by the scalar Box–Muller transform.
    /// For filling many values use ``fillNormals(row:into:)``, which is
    /// vectorized and addresses values differently.
    public func normal(row: UInt64, draw: UInt32) -> Double {
        let u1 = 1 - uniform(row: row, draw: draw)  // (0, 1]
        let b = bits(row: row, draw: draw)
        let u2 = Double(b[2]) * 0x1p-32
        return (-2 * polynomialLog(u1)).squareRoot() * sinCosPi(2 * u2).cos
    }

    /// Fills `out` with standard normals: value *j* of row *r* comes from
    /// Philox block *j / 4* of that row, so any prefix of a row is the same
    /// whatever the length asked for. (The generators' pointer loops call
    /// ``_UnsafeNormalKernel/fill(stream:row:out:)`` directly.)
    public func fillNormals(row: UInt64, into out: inout MutableSpan<Float>) {
        out.withUnsafeMutableBufferPointer { _UnsafeNormalKernel.fill(stream: self, row: row, out: $0) }
    }

    /// Fills `out` with uniforms in [0, 1) (24 random bits each); value *j* of
    /// row *r* comes from word *j % 4* of Philox block *j / 4*.
    public func fillUniforms(row: UInt64, into out: inout MutableSpan<Float>) {
        var j = 0
        var draw: UInt32 = 0
        while j < out.count {
            let b = bits(row: row, draw: draw)
            for w in 0..<4 where j + w < out.count {
                out[j + w] = Float(b[w] >> 8) * 0x1p-24
            }
            j += 4
            draw += 1
        }
    }
}
