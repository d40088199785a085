import Foundation
import Testing
@testable import SynthctlCore

/// The codec layer (SynthctlCore/IO/Compression): every codec round-trips
/// what it compresses, at several sizes and levels, and refuses — with a
/// ``CompressionError``, never a trap — a wrong stated size, a
/// decompression bomb, truncated and corrupt data.
@Suite struct CompressionCodecTests {
    static let codecs: [any CompressionCodec.Type] = [Snappy.self, Gzip.self, Brotli.self, LZ4Block.self, Zstd.self]

    /// Text-like bytes that compress (repeats) with some noise; `count` bytes.
    static func sample(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return i % 7 == 0 ? UInt8(truncatingIfNeeded: state >> 56) : UInt8(ascii: "a") + UInt8(i % 13)
        }
    }

    @Test(arguments: 0..<5)
    func roundTripsEverySize(codec index: Int) throws {
        let codec = Self.codecs[index]
        // 300,000 bytes is several of the streaming decoders' 64 KiB steps.
        for count in [0, 1, 17, 4096, 300_000] {
            let data = Self.sample(count)
            for level in [nil, 1, 9] as [Int?] {
                let packed = codec.compress(data[...], level: level)
                #expect(try codec.decompress(packed[...], expectedSize: count) == data, "\(codec.name) \(count) bytes, level \(String(describing: level))")
            }
            // A slice that does not start at index 0 reads the same.
            let framed = [0xAA, 0xBB] + codec.compress(data[...], level: nil)
            #expect(try codec.decompress(framed[2...], expectedSize: count) == data)
        }
    }

    @Test(arguments: 0..<5)
    func wrongSizesBombsAndDamageAreOneError(codec index: Int) {
        let codec = Self.codecs[index]
        let data = Self.sample(100_000)
        let packed = codec.compress(data[...], level: nil)
        func failure(_ bytes: [UInt8], _ size: Int) -> CompressionError? {
            do { _ = try codec.decompress(bytes[...], expectedSize: size); return nil } catch { return error }
        }
        // Stated smaller than the data: stopped one step past it (a bomb).
        let bomb = failure(packed, 1000)
        #expect(bomb?.codec == codec.name && bomb?.expectedSize == 1000, "\(String(describing: bomb))")
        #expect(bomb?.description.hasPrefix("expected \(codec.name) data of 1000 bytes, found ") == true)
        // Stated larger: the bytes found, or the bound the data can reach.
        let short = failure(packed, 100_001)
        #expect(short != nil && short?.description.contains("\n") == false, "\(String(describing: short))")
        // Cut short, and garbage: an error (LZ4 may decode a cut block to
        // fewer bytes, which is a size error too).
        #expect(failure(Array(packed.prefix(packed.count / 2)), 100_000) != nil)
        #expect(failure([UInt8](repeating: 0xff, count: 64), 100) != nil)
        #expect(failure([], 100) != nil)
        #expect(failure(packed, -1)?.found == "a negative size")
    }

    /// A stated size far beyond what the bytes could hold is refused
    /// without an allocation of that size (Snappy's and LZ4's bounds), and
    /// the streaming decoders stop when the bytes end.
    @Test func claimsTheBytesCannotBackAreRefused() {
        let tiny = Snappy.compress([1, 2, 3], level: nil)
        #expect(throws: CompressionError(codec: "Snappy", expectedSize: 2_000_000_000, found: "a stated length of 3 bytes")) {
            try Snappy.decompress(tiny[...], expectedSize: 2_000_000_000)
        }
        // The varint states 2^31 − 1 bytes in a 6-byte stream.
        let lying: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0x07, 0]
        #expect(throws: CompressionError(codec: "Snappy", expectedSize: Int(Int32.max), found: "6 compressed bytes, which hold at most 132")) {
            try Snappy.decompress(lying[...], expectedSize: Int(Int32.max))
        }
        let block = LZ4Block.compress([1, 2, 3], level: nil)
        #expect(throws: CompressionError(codec: "LZ4", expectedSize: 1 << 30, found: "\(block.count) compressed bytes, which hold at most \(block.count * 255 + 19)")) {
            try LZ4Block.decompress(block[...], expectedSize: 1 << 30)
        }
        for codec in [Gzip.self, Brotli.self, Zstd.self] as [any CompressionCodec.Type] {
            let packed = codec.compress([1, 2, 3], level: nil)
            #expect(throws: CompressionError(codec: codec.name, expectedSize: Int(Int32.max), found: "3 bytes")) {
                try codec.decompress(packed[...], expectedSize: Int(Int32.max))
            }
        }
    }

    /// gzip reads zlib-wrapped DEFLATE too, and several members in a row.
    @Test func gzipReadsZlibAndSeveralMembers() throws {
        let a = Self.sample(5000, seed: 2), b = Self.sample(3000, seed: 3)
        let two = Gzip.compress(a[...], level: nil) + Gzip.compress(b[...], level: 1)
        #expect(try Gzip.decompress(two[...], expectedSize: 8000) == a + b)
        // zlib: the same DEFLATE with a 2-byte header and an Adler-32 trailer (Python's zlib.compress(b"hello")).
        let zlib: [UInt8] = [0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15]
        #expect(try Gzip.decompress(zlib[...], expectedSize: 5) == Array("hello".utf8))
    }

    /// Every byte of a small compressed stream replaced in turn: an error or
    /// the right bytes (some bytes, such as a gzip header's time, do not
    /// matter), never a trap or a hang.
    @Test(arguments: 0..<5)
    func corruptedStreamsNeverTrap(codec index: Int) {
        let codec = Self.codecs[index]
        let data = Self.sample(600, seed: 4)
        let packed = codec.compress(data[...], level: nil)
        for i in packed.indices {
            for replacement: UInt8 in [0x00, 0xff, packed[i] ^ 0x20] where replacement != packed[i] {
                var bad = packed
                bad[i] = replacement
                do {
                    let out = try codec.decompress(bad[...], expectedSize: 600)
                    #expect(out.count == 600)
                } catch {
                    #expect(error.codec == codec.name && !error.description.contains("\n"))
                }
            }
        }
    }

    /// The streaming gzip decoder gives the same bytes whatever the blocks
    /// the input arrives in (one byte at a time, odd sizes, all at once),
    /// across members; a stream cut short fails at `finish()`, a corrupt one
    /// at once, in one line.
    @Test func gzipStreamDecodesAnyBlockingAndRefusesDamage() throws {
        let a = Self.sample(200_000, seed: 5), b = Self.sample(1000, seed: 6)
        let packed = Gzip.compress(a[...], level: nil) + Gzip.compress(b[...], level: 9)
        for block in [1, 7, 4096, packed.count] {
            var stream = try GzipStream()
            var out = [UInt8]()
            var p = 0
            while p < packed.count {
                out += try stream.decode(packed[p..<min(p + block, packed.count)])
                p += block
            }
            out += try stream.decode([])
            try stream.finish()
            #expect(out == a + b, "blocks of \(block)")
            #expect(stream.decodedCount == a.count + b.count)
        }
        var cut = try GzipStream()
        _ = try cut.decode(packed[0..<(packed.count / 2)])
        #expect(throws: CompressionError.self) { try cut.finish() }
        var bad = packed
        bad[20] ^= 0xff
        bad[21] ^= 0xff
        var corrupt = try GzipStream()
        do {
            _ = try corrupt.decode(bad[...])
            try corrupt.finish()
            Issue.record("corrupt gzip decoded")
        } catch {
            #expect(error.description.hasPrefix("expected gzip data, found corrupt data after ") && !error.description.contains("\n"), "\(error)")
        }
    }
}
