/// MurmurHash3's 32-bit x86 variant (Austin Appleby, `MurmurHash3.cpp`,
/// public domain): the hash scikit-learn's `murmurhash3_32` and its
/// feature hashing (`HashingVectorizer`, `FeatureHasher`) use, which is
/// why synthctl's hashed bucket of a token is scikit-learn's.
///
/// Bytes are read as little-endian 32-bit blocks, the tail of 1–3 bytes
/// mixed in, then the length and the final avalanche (`fmix32`).
public enum MurmurHash3 {
    /// The hash of `bytes` with `seed`, as an unsigned 32-bit value;
    /// scikit-learn's signed result (`positive=False`) is its bit pattern
    /// as Int32.
    public static func x86_32<Bytes: Collection>(_ bytes: Bytes, seed: UInt32 = 0) -> UInt32 where Bytes.Element == UInt8 {
        var h = seed
        var block: UInt32 = 0, filled = 0
        for byte in bytes {
            block |= UInt32(byte) << (8 * UInt32(filled))
            filled += 1
            if filled == 4 {
                mixBlock(&h, block)
                block = 0
                filled = 0
            }
        }
        if filled > 0 { mixTail(&h, block) }
        return finalized(h, length: bytes.count)
    }

    /// ``x86_32(_:seed:)`` over bytes in memory, reading each 4-byte block
    /// as one little-endian load rather than byte by byte (the embedder
    /// hashes every n-gram where it lies). The same value for the same bytes.
    static func x86_32(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        var h = seed
        let n = bytes.count
        var i = 0
        while i + 4 <= n {
            mixBlock(&h, UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
            i += 4
        }
        if i < n {
            var k: UInt32 = 0
            for t in stride(from: n - 1, through: i, by: -1) { k = k << 8 | UInt32(bytes[t]) }
            mixTail(&h, k)
        }
        return finalized(h, length: n)
    }

    static let c1: UInt32 = 0xcc9e_2d51, c2: UInt32 = 0x1b87_3593

    /// One whole 4-byte block into the state.
    @inline(__always)
    static func mixBlock(_ h: inout UInt32, _ block: UInt32) {
        mixTail(&h, block)
        h = (h << 13) | (h >> 19)
        h = h &* 5 &+ 0xe654_6b64
    }

    /// The last 1–3 bytes (little-endian, zero-padded) into the state.
    @inline(__always)
    static func mixTail(_ h: inout UInt32, _ tail: UInt32) {
        var k = tail &* c1
        k = (k << 15) | (k >> 17)
        h ^= k &* c2
    }

    /// The length, then `fmix32`'s avalanche.
    @inline(__always)
    static func finalized(_ state: UInt32, length: Int) -> UInt32 {
        var h = state ^ UInt32(truncatingIfNeeded: length)
        h ^= h >> 16
        h = h &* 0x85eb_ca6b
        h ^= h >> 13
        h = h &* 0xc2b2_ae35
        h ^= h >> 16
        return h
    }
}
