import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore

/// DECIMAL columns stored as BYTE_ARRAY, as parquet-mr writes them
/// (Tests/Oracles/parquet_mr_fixtures.py; no Python writer makes them):
/// read as pyarrow reads them, and kept as their bytes for `split`, which
/// writes them back in FIXED_LEN_BYTE_ARRAY of the width pyarrow uses.
@Suite struct ParquetMrDecimalTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/parquet-mr").path

    struct Column: Decodable {
        let numbers: [Double?]?, strings: [String?]?, decimals: [String?]?
        var values: SparkAndPartDirectoryTests.Values {
            SparkAndPartDirectoryTests.Values(numbers: numbers, strings: strings, booleans: nil, vectors: nil)
        }
    }
    static let expected: [String: [String: Column]] = try! JSONDecoder().decode(
        [String: [String: Column]].self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory)/expected.json")))

    /// Every cell, v1 pages with dictionaries and v2 pages with
    /// DELTA_BYTE_ARRAY, equals pyarrow's value as the nearest float64; the
    /// file whose one value exceeds its precision reads too (as pyarrow reads it).
    @Test(arguments: expected.keys.sorted())
    func readsAsPyarrowReadsIt(file: String) throws {
        let source = try SparkAndPartDirectoryTests.loaded("\(Self.directory)/\(file)")
        let columns = try #require(Self.expected[file])
        #expect(Set(source.header) == Set(columns.keys))
        for (name, want) in columns { try SparkAndPartDirectoryTests.compare(source, name, want.values, file) }
    }

    /// Read as stored (`split`'s read), each value's bytes are its unscaled
    /// integer sign-extended to the fewest bytes that hold the precision
    /// (9 for DECIMAL(20, 4), 3 for (5, 2), 19 for (45, 3)); a part written
    /// from them reads back to the same values; a value wider than its
    /// precision allows is refused naming its row.
    @Test func physicalBytesAreTheUnscaledIntegersAtPyarrowsWidth() throws {
        for file in ["binary_decimal_v1.parquet", "binary_decimal_v2.parquet"] {
            let path = "\(Self.directory)/\(file)"
            let parquet = try ParquetFile(bytes: try InputFile.contents(path), path: path)
            for (name, precision, scale, width) in [("price", 20, 4, 9), ("cents", 5, 2, 3), ("huge", 45, 3, 19)] {
                let c = try #require(parquet.meta.columns.firstIndex { $0.name == name })
                let column = try parquet.decode(c, physical: true)
                guard case .fixedBytes(let w, let bytes) = column.values else { Issue.record("\(file) \(name): \(column.values)"); continue }
                #expect(w == width && ParquetScaledNumber.decimalBytes(precision: precision) == width)
                let decimals = try #require(Self.expected[file]?[name]?.decimals)
                for (r, text) in decimals.enumerated() {
                    #expect(column.present[r] == (text != nil), "\(file) \(name)[\(r)]")
                    guard let text else { continue }
                    // The unscaled integer as text: the decimal's digits without its point.
                    let unscaled = ParquetScaledNumber.decimal(bytes[(r * w)..<((r + 1) * w)], digits: 0)
                    #expect(unscaled == Double(text.replacingOccurrences(of: ".", with: "")), "\(file) \(name)[\(r)]")
                    #expect(ParquetScaledNumber.decimal(bytes[(r * w)..<((r + 1) * w)], digits: scale) == Self.expected[file]?[name]?.numbers?[r] ?? nil)
                }
            }
            let split = try ParquetTableSplit(source: path)
            let rows = [0, 3, 5, 7, 11, 47]
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("pmr-\(UUID().uuidString).parquet").path
            defer { try? FileManager.default.removeItem(atPath: out) }
            try Data(try split.bytes(ofRows: rows)).write(to: URL(fileURLWithPath: out))
            let back = try SparkAndPartDirectoryTests.loaded(out)
            for (name, want) in try #require(Self.expected[file]) {
                let picked = Column(numbers: want.numbers.map { v in rows.map { v[$0] } }, strings: want.strings.map { v in rows.map { v[$0] } }, decimals: nil)
                try SparkAndPartDirectoryTests.compare(back, name, picked.values, "\(file) rows \(rows)")
            }
        }
        let beyond = "\(Self.directory)/binary_decimal_beyond_precision.parquet"
        #expect(throws: InputError.self) { _ = try ParquetTableSplit(source: beyond) }
        do { _ = try ParquetTableSplit(source: beyond) } catch {
            #expect("\(error)" == "\(beyond): row 3, column \"cents\": expected a DECIMAL(5, 2) value of at most 5 digits (3 bytes, the width it is written back in), found one of 6 bytes")
        }
    }

    /// Fuzz: every byte of both files replaced in turn, read as `score`
    /// reads them and as `split` does (as stored): a table or one line.
    @Test(arguments: ["binary_decimal_v1.parquet", "binary_decimal_v2.parquet"])
    func fuzzedFilesAreReadOrRefused(file: String) throws {
        try ParquetByteFuzz.replaceEachByte(of: "\(Self.directory)/\(file)")
        try ParquetByteFuzz.replaceEachByte(of: "\(Self.directory)/\(file)", physical: true)
    }

    /// The width table against Parquet's LogicalTypes.md (FIXED_LEN_BYTE_ARRAY
    /// length → the most digits it holds) at every step, and sign extension
    /// worked by hand.
    @Test func decimalWidthsAndSignExtension() {
        // LogicalTypes.md: 1 byte 2 digits, 2 → 4, 3 → 6, 4 → 9, 5 → 11, 8 → 18, 9 → 21, 16 → 38, 32 → 76.
        for (bytes, digits) in [(1, 2), (2, 4), (3, 6), (4, 9), (5, 11), (8, 18), (9, 21), (16, 38), (32, 76)] {
            #expect(ParquetScaledNumber.decimalBytes(precision: digits) == bytes, "\(digits)")
            if bytes < 32 { #expect(ParquetScaledNumber.decimalBytes(precision: digits + 1) == bytes + 1, "\(digits + 1)") }
        }
        typealias N = ParquetScaledNumber
        #expect(N.signExtended([0x80][...], to: 3) == [0xff, 0xff, 0x80])
        #expect(N.signExtended([0x7f][...], to: 2) == [0x00, 0x7f])
        #expect(N.signExtended([0x00, 0x00, 0x80][...], to: 2) == [0x00, 0x80])  // redundant zeros dropped; 128 needs 2
        #expect(N.signExtended([0xff, 0xff, 0x7f][...], to: 2) == [0xff, 0x7f])  // −129
        #expect(N.signExtended([0xff, 0x80][...], to: 1) == [0x80])              // −128
        #expect(N.signExtended([0x01, 0x00][...], to: 1) == nil)                 // 256 needs 2
        #expect(N.signExtended([][...], to: 4) == nil)
        #expect(N.significantBytes([0x00, 0x00, 0x00][...]) == 1 && N.significantBytes([0xff, 0xff][...]) == 1)
    }
}

/// ``ArrowSchemaMessage/appendingStringFields(_:to:)``, which lets a split
/// of Hive partition folders keep the Arrow schema: the fields stored by
/// pandas, Polars and pyarrow come back as they were, the new ones after
/// them. (pyarrow and Polars reading a split part through it:
/// `splitOfHivePartitionsKeepsTheArrowSchema`.)
@Suite struct ArrowSchemaAppendedFieldsTests {
    @Test(arguments: ["pandas", "polars", "pyarrow", "unordered"])
    func storedFieldsStayAndNewOnesFollow(writer: String) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/declared_order/\(writer).parquet").path
        let meta = try ParquetMetadata(footerOfFileAt: path)
        let stored = try #require(meta.keyValues["ARROW:schema"])
        let before = try ArrowSchemaMessage(base64: stored).fields
        let appended = try ArrowSchemaMessage.appendingStringFields(["region", "année=é"], to: stored)
        let after = try ArrowSchemaMessage(base64: appended).fields
        #expect(after == before + [.init(name: "region", dictionaryOrdered: nil), .init(name: "année=é", dictionaryOrdered: nil)])
        #expect(before.contains { $0.dictionaryOrdered != nil })
        // Twice: a message made here is itself a valid input.
        #expect(try ArrowSchemaMessage(base64: try ArrowSchemaMessage.appendingStringFields(["z"], to: appended)).fields.map(\.name)
                == before.map(\.name) + ["region", "année=é", "z"])
    }

    /// Every byte of a real stored schema replaced by 0x00 and 0xff: a
    /// schema whose old fields still parse, or a ``ArrowSchemaMessage/Failure``.
    @Test func garbageIsAFailureNotACrash() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/declared_order/pyarrow.parquet").path
        let base64 = try #require(try ParquetMetadata(footerOfFileAt: path).keyValues["ARROW:schema"])
        let stored = try #require(Data(base64Encoded: base64))
        var failures = 0
        for i in stored.indices {
            for replacement: UInt8 in [0x00, 0xff] where stored[i] != replacement {
                var bad = stored
                bad[i] = replacement
                do {
                    let appended = try ArrowSchemaMessage.appendingStringFields(["k"], to: bad.base64EncodedString())
                    #expect(try ArrowSchemaMessage(base64: appended).fields.last?.name == "k", "byte \(i)")
                } catch { failures += 1 }
            }
        }
        #expect(failures > 0)
        for text in ["not base64!", Data([0xff, 0xff, 0xff, 0xff, 200, 0, 0, 0, 1, 2]).base64EncodedString(), Data(count: 64).base64EncodedString()] {
            #expect(throws: ArrowSchemaMessage.Failure.self) { _ = try ArrowSchemaMessage.appendingStringFields(["k"], to: text) }
        }
    }
}
