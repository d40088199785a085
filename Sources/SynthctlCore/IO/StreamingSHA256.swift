import Crypto

/// SHA-256 over bytes fed in pieces, as hex at the end.
package struct StreamingSHA256 {
    private var hasher = SHA256()
    package init() {}
    package mutating func update(_ bytes: RawSpan) { bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
    package func hex() -> String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }
}

package func sha256Hex(_ bytes: [UInt8]) -> String {
    var h = StreamingSHA256()
    h.update(bytes.span.bytes)
    return h.hex()
}

/// The 32 bytes of the SHA-256 of `bytes`.
package func sha256Digest(_ bytes: RawSpan) -> [UInt8] {
    bytes.withUnsafeBytes { Array(SHA256.hash(data: $0)) }
}
