import Foundation
import Testing
@testable import Eval
@testable import SynthctlCore

/// Parquet pages of every codec the ecosystem writes (issue 15): files from
/// pyarrow (each codec, data pages v1 and v2), Polars and DuckDB
/// (Tests/Oracles/parquet_codecs.py) read to the values pyarrow reads; LZ4's
/// two framings; LZO refused; damaged compressed pages one line each.
@Suite struct ParquetCodecTests {
    static let root = ParquetTests.root + "/codecs"

    struct Expected: Decodable {
        let files: [String: [String]]
        let columns: [String: [ParquetTests.Cell]]
    }

    static let expected: Expected = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: "\(root)/expected.json"))
        return try! JSONDecoder().decode(Expected.self, from: data)
    }()

    @Test(arguments: expected.files.keys.sorted())
    func readsWhatTheWritersWrote(file: String) throws {
        let table = try ParquetTable(path: "\(Self.root)/\(file).parquet")
        let columns = Self.expected.columns
        #expect(table.rows == 120)
        try ParquetTests.expectColumns(of: table, equal: columns)
    }

    /// The fixtures hold every codec id synthctl reads but LZ4 (5), which no
    /// current writer produces (tested below): so a passing read above
    /// means each codec was exercised, not skipped.
    @Test func theFixturesCoverEveryCodec() throws {
        var ids = Set<Int32>()
        for file in Self.expected.files.keys {
            let path = "\(Self.root)/\(file).parquet"
            let parquet = try ParquetFile(bytes: try InputFile.contents(path), path: path)
            for group in parquet.meta.rowGroups { for chunk in group.chunks { ids.insert(chunk.codec) } }
        }
        #expect(ids == [0, 1, 2, 4, 6, 7])
    }

    /// LZ4 (5): Hadoop-framed blocks (parquet-mr), several frames, or a raw
    /// block (other writers); LZ4_RAW (7) is a raw block only.
    @Test func lz4ReadsHadoopFramesAndRawBlocks() throws {
        let a = Array(repeating: Array("label,cat;".utf8), count: 40).flatMap { $0 }, b = Array("x=1.5;".utf8)
        func frame(_ data: [UInt8]) -> [UInt8] {
            let block = LZ4Block.compress(data[...], level: nil)
            func be(_ n: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: n >> $0) } }
            return be(data.count) + be(block.count) + block
        }
        let hadoop = frame(a) + frame(b)
        #expect(try ParquetCompression.decompress(hadoop[...], codec: 5, size: a.count + b.count) == a + b)
        let raw = LZ4Block.compress((a + b)[...], level: nil)
        #expect(try ParquetCompression.decompress(raw[...], codec: 5, size: a.count + b.count) == a + b)
        #expect(try ParquetCompression.decompress(raw[...], codec: 7, size: a.count + b.count) == a + b)
        #expect(throws: CompressionError.self) { try ParquetCompression.decompress(hadoop[...], codec: 7, size: a.count + b.count) }
        // Frames that do not add up to the page's size are not Hadoop's: read as a raw block, which they are not.
        #expect(throws: CompressionError.self) { try ParquetCompression.decompress(hadoop[...], codec: 5, size: a.count + b.count + 1) }
    }

    /// The hand-built one-row file of ``HostileParquetTests`` with its page
    /// (the INT64 42) compressed by codec `id`.
    static func file(codec id: Int64, page: [UInt8]? = nil, pageSize: Int64 = 8) -> [UInt8] {
        let plain = withUnsafeBytes(of: Int64(42).littleEndian) { Array($0) }
        let packed: [UInt8]
        switch id {
        case 1: packed = Snappy.compress(plain[...])
        case 2: packed = Gzip.compress(plain[...])
        case 4: packed = Brotli.compress(plain[...])
        case 5, 7: packed = LZ4Block.compress(plain[...])
        case 6: packed = Zstd.compress(plain[...])
        default: packed = plain
        }
        return HostileParquetTests().file(.init(pageSize: pageSize, codec: id, page: page ?? packed))
    }

    @Test(arguments: [1, 2, 4, 5, 6, 7] as [Int64])
    func aCompressedPageReadsAndItsDamageIsOneLine(codec: Int64) throws {
        let hostile = HostileParquetTests()
        let good = hostile.read(Self.file(codec: codec))
        let table = try #require(good.table, "\(good.message ?? "")")
        #expect(table.columns[0].number(0) == 42)
        let name = ["", "Snappy", "gzip", "", "Brotli", "LZ4", "zstd", "LZ4"][Int(codec)]
        // A page header stating 7 or 9 bytes, or 2^31 − 1: the codec's error, naming file and column.
        for size: Int64 in [7, 9, Int64(Int32.max)] {
            let m = hostile.read(Self.file(codec: codec, pageSize: size)).message ?? "read a table"
            #expect(m.hasPrefix("f.parquet: column \"a\": expected \(name) data of \(size) bytes, found ") && !m.contains("\n"), "\(m)")
        }
        // Fuzz: every byte of the file replaced in turn, the compressed page among them.
        let bytes = Self.file(codec: codec)
        for i in bytes.indices {
            for replacement: UInt8 in [0x00, 0xff, bytes[i] ^ 0x11] where replacement != bytes[i] {
                var bad = bytes
                bad[i] = replacement
                if let m = hostile.read(bad, budget: MemoryBudget(limit: 1 << 30)).message {
                    #expect(m.hasPrefix("f.parquet") && !m.contains("\n"), "\(m)")
                }
            }
        }
    }

    @Test func lzoIsRefusedInOneLine() {
        let m = HostileParquetTests().read(Self.file(codec: 3)).message
        #expect(m == "f.parquet: column \"a\": expected uncompressed, Snappy, gzip, Brotli, LZ4 or zstd pages, found LZO")
        let unknown = HostileParquetTests().read(Self.file(codec: 9)).message
        #expect(unknown == "f.parquet: column \"a\": expected uncompressed, Snappy, gzip, Brotli, LZ4 or zstd pages, found codec 9")
    }
}
