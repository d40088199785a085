/// A pseudo-random permutation of `0..<count` that can be evaluated at any
/// index without materializing it: a 4-round Feistel network over the
/// smallest even-bit-width domain that holds `count`, with cycle walking to
/// stay inside `0..<count`. The four round keys are 64-bit words from the
/// ``RandomStream``; the round function mixes (half ⊕ key) with the
/// SplitMix64 finalizer, a bijective avalanche mix — a scalar Philox call per
/// round cost a fifth of the generation time.
///
/// Random access is what lets a generator shuffle rows while streaming in
/// blocks and sharding: row *i*'s position in the class-sorted order is
/// `permutation[i]`, computed on its own in O(1) memory. Four Feistel rounds
/// over a pseudo-random function make a pseudo-random permutation
/// (Luby–Rackoff); cycle walking visits at most four candidates on average.
public struct IndexPermutation: Sendable {
    public let count: Int
    let roundKeys: SIMD4<UInt64>
    let halfBits: Int
    let halfMask: UInt64

    public init(count: Int, stream: RandomStream) {
        precondition(count >= 0)
        self.count = count
        let a = stream.bits(row: 0, draw: 0), b = stream.bits(row: 0, draw: 1)
        self.roundKeys = SIMD4(
            UInt64(a[0]) | UInt64(a[1]) << 32, UInt64(a[2]) | UInt64(a[3]) << 32,
            UInt64(b[0]) | UInt64(b[1]) << 32, UInt64(b[2]) | UInt64(b[3]) << 32)
        var bits = 2
        while (1 << bits) < count { bits += 2 }
        self.halfBits = bits / 2
        self.halfMask = (1 << UInt64(bits / 2)) - 1
    }

    /// The image of `index` under the permutation.
    public subscript(index: Int) -> Int {
        precondition(index >= 0 && index < count, "index \(index) outside 0..<\(count)")
        var x = UInt64(index)
        repeat { x = encrypt(x) } while x >= UInt64(count)
        return Int(x)
    }

    @inline(__always)
    func encrypt(_ x: UInt64) -> UInt64 {
        var left = x >> UInt64(halfBits)
        var right = x & halfMask
        for round in 0..<4 {
            var z = right ^ roundKeys[round]
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let f = z & halfMask
            (left, right) = (right, left ^ f)
        }
        return (left << UInt64(halfBits)) | right
    }
}
