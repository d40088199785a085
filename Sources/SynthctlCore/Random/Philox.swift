/// Philox4x32-10, the counter-based random number generator of Salmon, Moraes,
/// Dror and Shaw, "Parallel Random Numbers: As Easy as 1, 2, 3" (SC11).
///
/// A counter-based generator is a keyed bijection: the output for a counter is
/// a pure function of (key, counter). That is what makes synthctl's output
/// independent of thread count and sharding: row *i* asks for the counters that
/// belong to row *i*, whoever computes it, in whatever order.
///
/// Philox4x32 maps a 128-bit counter (four 32-bit words) and a 64-bit key (two
/// words) to 128 random bits through ten rounds of multiply-high/low, xor and a
/// Weyl-sequence key schedule. It passes the TestU01 BigCrush battery.
public struct Philox4x32: Sendable, Hashable {
    /// The two key words; synthctl puts the user's 64-bit seed here.
    public var key: SIMD2<UInt32>

    @inlinable public init(key: SIMD2<UInt32>) { self.key = key }

    /// Builds the key from a 64-bit seed (low word first).
    @inlinable public init(seed: UInt64) {
        self.key = SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
    }

    // The multipliers and Weyl increments published with the algorithm.
    @usableFromInline static let multiplier0: UInt32 = 0xD251_1F53
    @usableFromInline static let multiplier1: UInt32 = 0xCD9E_8D57
    @usableFromInline static let weyl0: UInt32 = 0x9E37_79B9
    @usableFromInline static let weyl1: UInt32 = 0xBB67_AE85

    /// The 128 random bits for one counter.
    @inlinable
    public func block(_ counter: SIMD4<UInt32>) -> SIMD4<UInt32> {
        var c = counter
        var k = key
        for round in 0..<10 {
            if round > 0 { k &+= SIMD2(Self.weyl0, Self.weyl1) }
            let p0 = UInt64(Self.multiplier0) &* UInt64(c[0])
            let p1 = UInt64(Self.multiplier1) &* UInt64(c[2])
            c = SIMD4(
                UInt32(truncatingIfNeeded: p1 >> 32) ^ c[1] ^ k[0],
                UInt32(truncatingIfNeeded: p1),
                UInt32(truncatingIfNeeded: p0 >> 32) ^ c[3] ^ k[1],
                UInt32(truncatingIfNeeded: p0))
        }
        return c
    }

    /// Eight blocks at once, one per SIMD lane: lane *j* of the result words is
    /// `block(SIMD4(c0[j], c1[j], c2[j], c3[j]))`. This is the form the hot
    /// samplers use; the compiler maps the 32×32→64 products to vector
    /// multiplies.
    @inlinable
    public func blocks(
        _ c0: SIMD8<UInt32>, _ c1: SIMD8<UInt32>, _ c2: SIMD8<UInt32>, _ c3: SIMD8<UInt32>
    ) -> (SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>) {
        var x0 = c0, x1 = c1, x2 = c2, x3 = c3
        var k0 = key[0], k1 = key[1]
        let m0 = SIMD8<UInt64>(repeating: UInt64(Self.multiplier0))
        let m1 = SIMD8<UInt64>(repeating: UInt64(Self.multiplier1))
        for round in 0..<10 {
            if round > 0 { k0 &+= Self.weyl0; k1 &+= Self.weyl1 }
            let p0 = SIMD8<UInt64>(truncatingIfNeeded: x0) &* m0
            let p1 = SIMD8<UInt64>(truncatingIfNeeded: x2) &* m1
            let hi0 = SIMD8<UInt32>(truncatingIfNeeded: p0 &>> 32)
            let hi1 = SIMD8<UInt32>(truncatingIfNeeded: p1 &>> 32)
            let n0 = hi1 ^ x1 ^ SIMD8(repeating: k0)
            let n2 = hi0 ^ x3 ^ SIMD8(repeating: k1)
            x1 = SIMD8<UInt32>(truncatingIfNeeded: p1)
            x3 = SIMD8<UInt32>(truncatingIfNeeded: p0)
            x0 = n0
            x2 = n2
        }
        return (x0, x1, x2, x3)
    }
}
