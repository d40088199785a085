import CZlib

/// CRC-32 (the ISO-HDLC polynomial of gzip and PNG) by zlib's `crc32`:
/// a check that stored bytes came back as written.
package enum CRC32 {
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), !bytes.isEmpty else { return 0 }
        return UInt32(crc32(0, base, UInt32(bytes.count)))
    }
}
