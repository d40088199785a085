import SynthctlCore

/// Parquet's page codecs: the ids of parquet-format's `CompressionCodec`
/// (parquet.thrift) and the ``CompressionCodec`` that decodes each.
///
///     UNCOMPRESSED 0, SNAPPY 1, GZIP 2, LZO 3, BROTLI 4, LZ4 5, ZSTD 6, LZ4_RAW 7
///
/// LZO is refused: Apache Arrow does not read or write it either, and no
/// writer in use today produces it.
enum ParquetCompression {
    /// The id's name as parquet.thrift spells it ("ZSTD"), or "codec N".
    static func name(_ id: Int32) -> String {
        let names = [0: "UNCOMPRESSED", 1: "SNAPPY", 2: "GZIP", 3: "LZO", 4: "BROTLI", 5: "LZ4", 6: "ZSTD", 7: "LZ4_RAW"]
        return names[Int(id)] ?? "codec \(id)"
    }

    /// Whether pages of codec `id` can be read.
    static func isSupported(_ id: Int32) -> Bool { (0...7).contains(id) && id != 3 }

    /// A page's (or, for data page v2, its values') `size` bytes, decoded
    /// from `body` by codec `id` (a supported one, not UNCOMPRESSED).
    static func decompress(_ body: ArraySlice<UInt8>, codec id: Int32, size: Int) throws(CompressionError) -> [UInt8] {
        switch id {
        case 1: return try Snappy.decompress(body, expectedSize: size)
        case 2: return try Gzip.decompress(body, expectedSize: size)
        case 4: return try Brotli.decompress(body, expectedSize: size)
        case 5:
            // LZ4 (5) is ambiguous in the wild: parquet-mr (through Hadoop's
            // Lz4Codec) wrote Hadoop-framed blocks, other writers raw
            // blocks. As Apache Arrow does (TryDecompressHadoop in
            // cpp/src/arrow/util/compression_lz4.cc): try the Hadoop framing,
            // and read a raw block when the bytes are not such frames.
            if let framed = hadoopFramedLZ4(body, size: size) { return framed }
            return try LZ4Block.decompress(body, expectedSize: size)
        case 6: return try Zstd.decompress(body, expectedSize: size)
        case 7: return try LZ4Block.decompress(body, expectedSize: size)
        default: throw CompressionError(codec: name(id), expectedSize: size, found: "a codec synthctl does not read")
        }
    }

    /// Hadoop's LZ4 framing: frames of a big-endian 32-bit decoded size, a
    /// big-endian 32-bit block size, and an LZ4 block, until the bytes end;
    /// nil when the bytes are not exactly such frames decoding to `size`.
    static func hadoopFramedLZ4(_ body: ArraySlice<UInt8>, size: Int) -> [UInt8]? {
        func bigEndian(_ p: Int) -> Int { body[p..<(p + 4)].reduce(0) { $0 << 8 | Int($1) } }
        var out = [UInt8]()
        var p = body.startIndex
        while body.endIndex - p >= 8 {
            let decoded = bigEndian(p), compressed = bigEndian(p + 4)
            p += 8
            guard compressed <= body.endIndex - p, decoded <= size - out.count,
                  let block = try? LZ4Block.decompress(body[p..<(p + compressed)], expectedSize: decoded) else { return nil }
            out.append(contentsOf: block)
            p += compressed
        }
        return p == body.endIndex && out.count == size ? out : nil
    }
}
