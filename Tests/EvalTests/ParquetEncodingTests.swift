import Testing
import Foundation
@testable import Eval
import SynthctlCore

/// The encodings v2 writers use — DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
/// DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT — against files pyarrow
/// (`column_encoding`, pages v1 and v2, uncompressed, Snappy, zstd, several
/// pages and row groups) and DuckDB (`PARQUET_VERSION V2`) wrote
/// (Tests/Oracles/parquet_encodings.py): every value equals what pyarrow
/// reads, uint64 up to 2⁶⁴ − 1 and decimal256 included; hostile encoded
/// values are one line naming the file, column, row group and page.
@Suite struct ParquetEncodingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/parquet/encodings").path

    struct Values: Decodable { let integers: [String?]?; let numbers: [Double?]?; let strings: [String?]?; let vectors: [[Double?]?]? }
    struct File: Decodable { let rows: Int; let table: String; let encodings: [String: [String]] }
    struct Expected: Decodable { let files: [String: File]; let tables: [String: [String: Values]] }

    static let expected: Expected = try! JSONDecoder().decode(
        Expected.self, from: Data(contentsOf: URL(fileURLWithPath: "\(root)/expected.json")))

    @Test(arguments: expected.files.keys.sorted())
    func valuesEqualWhatPyarrowReads(file: String) throws {
        let want = try #require(Self.expected.files[file])
        let columns = try #require(Self.expected.tables[want.table])
        let table = try ParquetTable(path: "\(Self.root)/\(file).parquet")
        #expect(table.rows == want.rows)
        #expect(Set(table.columns.map(\.name)) == Set(columns.keys))
        for (name, values) in columns {
            let column = try #require(table.columns.first { $0.name == name }, "\(file) \(name)")
            if let texts = values.integers ?? values.strings {
                #expect(texts.count == table.rows)
                for (row, text) in texts.enumerated() {
                    #expect(column.present[row] == (text != nil), "\(file) \(name)[\(row)]")
                    if let text { #expect(column.text(row) == text, "\(file) \(name)[\(row)]") }
                }
            } else if let numbers = values.numbers {
                for (row, value) in numbers.enumerated() {
                    #expect(column.number(row) == value, "\(file) \(name)[\(row)]")
                }
            } else {
                let vectors = try #require(values.vectors)
                let width = try #require(vectors.compactMap { v in v.map(\.count) }.first)
                #expect(column.width == width, "\(file) \(name)")
                for (row, vector) in vectors.enumerated() {
                    #expect(column.present[row] == (vector != nil), "\(file) \(name)[\(row)]")
                    for k in 0..<width {
                        let got: Double? = if case .real(let d) = column.cell(row, element: k) { d } else { nil }
                        #expect(got == vector?[k] ?? nil, "\(file) \(name)[\(row)][\(k)]")
                    }
                }
            }
        }
    }

    /// The fixtures hold what they claim: each encoding, in pages v1 and v2.
    @Test func theFixturesUseEveryEncoding() {
        let used = Set(Self.expected.files.values.flatMap { $0.encodings.values.joined() })
        for encoding in ["DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "BYTE_STREAM_SPLIT"] {
            #expect(used.contains(encoding), "\(encoding)")
        }
        #expect(Self.expected.files["duckdb_v2"]?.encodings["u64"] == ["DELTA_BINARY_PACKED"])
        #expect(Self.expected.files["pyarrow_split_v2_zstd"]?.encodings["emb"]?.contains("BYTE_STREAM_SPLIT") == true)
    }

    /// uint64's extremes read as their values: up to Int64.max a cell is an
    /// integer, above it decimal text (every digit kept for a label or id;
    /// a feature reads the nearest float); the column's type is integer.
    /// decimal256's extremes read as the nearest float64.
    @Test func uint64AndDecimal256Extremes() throws {
        let file = try ParquetFile(bytes: try InputFile.contents("\(Self.root)/uint64_decimal256_plain.parquet"), path: "x.parquet")
        let u64 = try file.decode(0)
        #expect(file.meta.columns[0].columnType == .integer)
        guard case .unsignedIntegers(let values) = u64.values else { Issue.record("\(u64.values)"); return }
        #expect(values[1] == UInt64.max && values[3] == 1 << 63 && values[4] == UInt64(Int64.max))
        #expect(u64.text(1) == "18446744073709551615" && u64.text(3) == "9223372036854775808")
        #expect(u64.number(1) == 18446744073709551615.0)
        guard case .text("18446744073709551615") = u64.cell(1), case .integer(Int64.max) = u64.cell(4), case .null = u64.cell(2) else {
            Issue.record("cells \(u64.cell(1)) \(u64.cell(4)) \(u64.cell(2))"); return
        }
        guard case .value(let feature) = u64.cell(1).featureValue, case .value(let label) = u64.cell(1).label else {
            Issue.record("\(u64.cell(1)) is no feature or label"); return
        }
        #expect(feature == Float(18446744073709551615.0) && label == "18446744073709551615")
        let d76 = try file.decode(2)
        #expect(d76.number(0) == 1e76 && d76.number(1) == -1e76)
        #expect(d76.number(6) == 0x1p200 && d76.number(7) == -0x1p250)
        // A uint64 column whose values all fit Int64 is still integers.
        let small = try ParquetTable(path: "\(Self.root)/pyarrow_split_v1_none.parquet").columns.first { $0.name == "u32" }
        guard case .integers? = small?.values else { Issue.record("u32 not integers"); return }
    }

    /// The file parquet_fixtures.py wrote as one the reader refused (before
    /// issue 15) reads now: 0 … 39 in DELTA_BINARY_PACKED.
    @Test func theOlderDeltaFixtureReads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/parquet").path
        let x = try #require(try ParquetTable(path: "\(root)/delta.parquet").columns.first { $0.name == "x" })
        #expect((0..<40).map { x.text($0) } == (0..<40).map { String($0) })
    }

    /// The decimal arithmetic beyond 16 bytes, worked by hand: 2²⁰⁰ and
    /// −2²⁰⁰ in 32 bytes, one in 17, and rounding to the nearest double.
    @Test func wideDecimalsRoundToTheNearestDouble() {
        typealias N = ParquetScaledNumber
        var twoTo200 = [UInt8](repeating: 0, count: 32)
        twoTo200[32 - 26] = 1  // 2²⁰⁰ = byte 25 from the right, bit 0
        #expect(N.decimal(twoTo200[...], digits: 0) == 0x1p200)
        let negated = twoTo200.map { ~$0 }
        var minus = negated
        for k in minus.indices.reversed() { minus[k] &+= 1; if minus[k] != 0 { break } }
        #expect(N.decimal(minus[...], digits: 0) == -0x1p200)
        #expect(N.decimal([0x00] + [UInt8](repeating: 0, count: 15) + [0x01], digits: 0) == 1)
        #expect(N.decimal([UInt8](repeating: 0xff, count: 17)[...], digits: 3) == -0.001)
        #expect(N.decimal([UInt8](repeating: 0xff, count: 32)[...], digits: 0) == -1)
        #expect(N.decimal([UInt8](repeating: 0, count: 32)[...], digits: 5) == 0)
        // 10^40 + 1 over 10^5: 1e35 to the nearest double (the 1 is far below float64's precision).
        var big = [UInt8](repeating: 0, count: 20)
        var value = [UInt32](repeating: 0, count: 5)  // 10^40 + 1, little-endian limbs
        value[0] = 1
        for _ in 0..<40 {
            var carry: UInt64 = 0
            for k in value.indices { let p = UInt64(value[k]) * 10 + carry; value[k] = UInt32(truncatingIfNeeded: p); carry = p >> 32 }
        }
        value[0] += 1
        for k in 0..<20 { big[19 - k] = UInt8(truncatingIfNeeded: value[k / 4] >> (8 * UInt32(k % 4))) }
        #expect(N.decimal(big[...], digits: 5) == 1e35)
    }
}

extension ParquetEncodingTests {
    /// DELTA_BINARY_PACKED bytes, built as Encodings.md lays them out.
    static func deltaPacked(blockSize: UInt64 = 128, miniblocks: UInt64 = 4, total: UInt64, first: Int64,
                            blocks: [(minDelta: Int64, widths: [UInt8], body: [UInt8])]) -> [UInt8] {
        var out = [UInt8]()
        func varint(_ v: UInt64) { var v = v; while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }; out.append(UInt8(v)) }
        func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
        varint(blockSize); varint(miniblocks); varint(total); zigzag(first)
        for b in blocks { zigzag(b.minDelta); out += b.widths; out += b.body }
        return out
    }

    /// Encodings.md's own examples, and wrap-around: deltas that overflow
    /// Int64 add up modulo 2⁶⁴, as the writer's subtraction did.
    @Test func deltaBinaryPackedDecodesTheSpecExamples() throws {
        typealias D = ParquetDeltaBinaryPacked
        // 1 2 3 4 5: first 1, min delta 1, every miniblock width 0.
        let ones = Self.deltaPacked(total: 5, first: 1, blocks: [(1, [0, 0, 0, 0], [])])
        #expect(try D.decode(ones[...], count: 5, bitLimit: 64).values == [1, 2, 3, 4, 5])
        // 7 5 3 1 2 3 4 5: deltas −2 −2 −2 1 1 1 1, min delta −2, so 0 0 0 3 3 3 3 in 2 bits.
        let packed: [UInt8] = [0b1100_0000, 0b1111_1111] + [UInt8](repeating: 0, count: 6)  // 32 values × 2 bits
        let spec = Self.deltaPacked(total: 8, first: 7, blocks: [(-2, [2, 0, 0, 0], packed)])
        let decoded = try D.decode(spec[...], count: 8, bitLimit: 64)
        #expect(decoded.values.map { Int64(bitPattern: $0) } == [7, 5, 3, 1, 2, 3, 4, 5])
        #expect(decoded.end == spec.endIndex)
        // Int64.min, Int64.max: a delta of 2⁶⁴ − 1 (min delta −1 and an entry of 0: the writer's wrapped subtraction).
        let wrap = Self.deltaPacked(total: 3, first: Int64.min, blocks: [(-1, [0, 0, 0, 0], [])])
        #expect(try D.decode(wrap[...], count: 3, bitLimit: 64).values.map { Int64(bitPattern: $0) } == [Int64.min, Int64.max, Int64.max - 1])
        // A 64-bit miniblock entry: all ones added to 0 with min delta 0 is UInt64.max.
        let wide = Self.deltaPacked(total: 2, first: 0, blocks: [(0, [64, 0, 0, 0], [UInt8](repeating: 0xff, count: 8) + [UInt8](repeating: 0, count: 248))])
        #expect(try D.decode(wide[...], count: 2, bitLimit: 64).values == [0, UInt64.max])
    }

    /// Hostile encoded values are refused by what is wrong, never a trap
    /// or an allocation sized by a claim.
    @Test func hostileEncodedValuesAreRefused() throws {
        typealias D = ParquetDeltaBinaryPacked
        func refusal(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let error as ParquetEncodingError {
                return "expected \(error.expected), found \(error.found)"
            } catch { return "\(error)" }
        }
        let page = [UInt8](repeating: 0, count: 64)
        #expect(refusal { _ = try D.decode(Self.deltaPacked(total: 3, first: 0, blocks: [(0, [65, 0, 0, 0], page)])[...], count: 3, bitLimit: 64) }
                == "expected miniblock bit widths of at most 64, found 65")
        #expect(refusal { _ = try D.decode(Self.deltaPacked(total: 3, first: 0, blocks: [(0, [33, 0, 0, 0], page)])[...], count: 3, bitLimit: 32) }
                == "expected miniblock bit widths of at most 32, found 33")
        #expect(refusal { _ = try D.decode(Self.deltaPacked(miniblocks: 3, total: 3, first: 0, blocks: [])[...], count: 3, bitLimit: 64) }
                == "expected miniblocks of a multiple of 32 values (block size 128), found 3 miniblocks")
        #expect(refusal { _ = try D.decode(Self.deltaPacked(blockSize: 100, total: 3, first: 0, blocks: [])[...], count: 3, bitLimit: 64) }
                == "expected a DELTA_BINARY_PACKED block size that is a multiple of 128, found 100")
        #expect(refusal { _ = try D.decode(Self.deltaPacked(total: 1 << 62, first: 0, blocks: [])[...], count: 3, bitLimit: 64) }
                == "expected 3 DELTA_BINARY_PACKED values (the page's count), found 4611686018427387904")
        #expect(refusal { _ = try D.decode(Self.deltaPacked(total: 3, first: 0, blocks: [(0, [8, 0, 0, 0], [1, 2])])[...], count: 3, bitLimit: 64) }
                == "expected a miniblock of 32 bytes, found 2 bytes left in the page")
        #expect(refusal { _ = try D.decode([0x80, 0x80][...], count: 3, bitLimit: 64) }
                == "expected a DELTA_BINARY_PACKED block size, found the end of the page")
        #expect(refusal { _ = try D.decode([UInt8](repeating: 0xff, count: 11)[...], count: 3, bitLimit: 64) }
                == "expected a DELTA_BINARY_PACKED block size, found an overlong varint")

        typealias B = ParquetDeltaByteArrays
        // Lengths 5 and 9 with 6 bytes of data.
        let lengths = Self.deltaPacked(total: 2, first: 5, blocks: [(4, [0, 0, 0, 0], [])]) + Array("abcdef".utf8)
        #expect(refusal { _ = try B.plainFromDeltaLength(lengths[...], count: 2) } == "expected byte arrays inside the page, found a length of 9 with 1 bytes left")
        let negative = Self.deltaPacked(total: 1, first: -1, blocks: [])
        #expect(refusal { _ = try B.plainFromDeltaLength(negative[...], count: 1) } == "expected byte-array lengths of at least 0, found -1")
        // Prefixes 0 and 4 after a first value of 2 bytes ("ab" then 4 of them + "c").
        let prefixes = Self.deltaPacked(total: 2, first: 0, blocks: [(4, [0, 0, 0, 0], [])])
        let suffixes = Self.deltaPacked(total: 2, first: 2, blocks: [(-1, [0, 0, 0, 0], [])]) + Array("abc".utf8)
        #expect(refusal { _ = try B.plainFromDelta((prefixes + suffixes)[...], count: 2, fixedLength: nil, limit: 1 << 20) }
                == "expected a prefix of 0 to 2 bytes (the value before it), found 4")
        let fine = Self.deltaPacked(total: 2, first: 0, blocks: [(1, [0, 0, 0, 0], [])]) + suffixes
        #expect(try B.plainFromDelta(fine[...], count: 2, fixedLength: nil, limit: 1 << 20) == [2, 0, 0, 0] + Array("ab".utf8) + [2, 0, 0, 0] + Array("ac".utf8))
        #expect(try B.plainFromDelta(fine[...], count: 2, fixedLength: 2, limit: 1 << 20) == Array("abac".utf8))
        #expect(refusal { _ = try B.plainFromDelta(fine[...], count: 2, fixedLength: 3, limit: 1 << 20) }
                == "expected values of 3 bytes (FIXED_LEN_BYTE_ARRAY), found 2 bytes")
        #expect(refusal { _ = try B.plainFromDelta(fine[...], count: 2, fixedLength: nil, limit: 8) }
                == "expected decoded values of at most 8 bytes (the memory budget), found more")

        #expect(try ParquetByteStreamSplit.plain([1, 2, 3, 4, 5, 6, 7, 8][...], count: 2, width: 4) == [1, 3, 5, 7, 2, 4, 6, 8])
        #expect(refusal { _ = try ParquetByteStreamSplit.plain([1, 2, 3, 4, 5, 6, 7][...], count: 2, width: 4) }
                == "expected 2 values of 4 bytes in BYTE_STREAM_SPLIT streams, found 7 bytes")
        #expect(refusal { _ = try ParquetByteStreamSplit.plain([1, 2, 3, 4][...], count: 2, width: 4) }
                == "expected 2 values of 4 bytes in BYTE_STREAM_SPLIT streams, found 4 bytes")
    }

    /// Fuzz: every byte of small uncompressed files in each encoding
    /// (pyarrow pages v1 and v2, DuckDB v2, uint64 and decimal256) replaced,
    /// one at a time. Each outcome is a table or a ``SynthctlError`` naming
    /// the file; a trap ends the process.
    @Test(arguments: ["small_delta_v2", "small_split_v1", "duckdb_v2", "uint64_decimal256_plain"])
    func corruptedBytesNeverTrap(file: String) throws {
        try ParquetByteFuzz.replaceEachByte(of: "\(Self.root)/\(file).parquet")
    }
}
