import CZlib

/// CRC-32 (the ISO-HDLC polynomial of gzip and PNG) by zlib's `crc32`:
/// a check that stored bytes came back as written.
package enum CRC32 {
    package static func checksum(_ bytes: RawSpan) -> UInt32 {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), !raw.isEmpty else { return 0 }
            return UInt32(crc32(0, base, UInt32(raw.count)))
        }
    }
}
