import Testing
import Foundation
@testable import Eval
import SynthctlCore

/// Parquet logical types and embedding lists against files pyarrow, Polars,
/// DuckDB and Hugging Face `datasets` wrote (Tests/Oracles/parquet_types_and_lists.py):
/// every value equals what pyarrow reads, in synthctl's units (decimals as
/// the nearest float64, dates as days since 1970-01-01, times as seconds
/// since midnight, timestamps as seconds since 1970-01-01 00:00:00); lists
/// of floats are rows of one width; ragged lists and lists of anything but
/// floats are refused in one line.
@Suite struct ParquetTypesAndListsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/parquet/types").path

    struct Values: Decodable { let numbers: [Double?]?; let vectors: [[Double?]?]? }
    struct Refusal: Decodable { let column: String?; let row: Int?; let names: String }
    struct Expected: Decodable {
        let readable: [String: [String: Values]]
        let refused: [String: Refusal]
    }

    static let expected: Expected = try! JSONDecoder().decode(
        Expected.self, from: Data(contentsOf: URL(fileURLWithPath: "\(root)/expected.json")))

    @Test(arguments: expected.readable.keys.sorted())
    func valuesEqualWhatPyarrowReads(file: String) throws {
        let table = try ParquetTable(path: "\(Self.root)/\(file).parquet")
        let columns = try #require(Self.expected.readable[file])
        #expect(table.rows == 6)
        #expect(!columns.isEmpty)
        for (name, want) in columns {
            let column = try #require(table.columns.first { $0.name == name }, "\(file) \(name)")
            if let numbers = want.numbers {
                for (row, value) in numbers.enumerated() {
                    #expect(column.number(row) == value, "\(file) \(name)[\(row)]")
                }
            } else {
                let vectors = try #require(want.vectors)
                let width = vectors.compactMap { v in v.map(\.count) }.first ?? 0
                #expect(width > 0, "\(file) \(name)")
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

    @Test(arguments: expected.refused.keys.sorted())
    func refusedInOneLine(file: String) throws {
        let want = try #require(Self.expected.refused[file])
        let path = "\(Self.root)/\(file).parquet"
        #expect(throws: (any Error).self) { _ = try ParquetTable(path: path) }
        do { _ = try ParquetTable(path: path) } catch {
            let message = "\(error)"
            #expect(!message.contains("\n"))
            #expect(message.hasPrefix("\(path): "), "\(message)")
            if let column = want.column {
                let place = want.row.map { "row \($0), column \"\(column)\": " } ?? "column \"\(column)\": "
                #expect(message.contains(place), "\(message)")
            }
            #expect(message.contains(want.names), "\(message)")
        }
    }

    /// An embedding is a block of features `NAME[0]` … `NAME[d-1]`, by
    /// default and when named; a null list is a missing value (dropped
    /// with `dropMissing`); a timestamp's unit is in the reading notes.
    @Test func aListColumnIsABlockOfFeatures() throws {
        let path = "\(Self.root)/lists.parquet"
        let all = try LabeledFeatures.read(table: path, labelColumn: "label", dropMissing: true)
        #expect(all.featureNames == ["emb[0]", "emb[1]", "emb[2]", "wide[0]", "wide[1]", "wide[2]", "wide[3]",
                                     "fixed[0]", "fixed[1]", "x"])
        // Rows 1 (a null element), 2 (a null list) and 3 (a null fixed list) are dropped.
        #expect(all.fileRows == [0, 4, 5])
        let chosen = try LabeledFeatures.read(table: path, labelColumn: "label", featureColumns: ["x", "emb"], dropMissing: true)
        #expect(chosen.featureNames == ["x", "emb[0]", "emb[1]", "emb[2]"])
        #expect(chosen.fileRows == [0, 3, 4, 5])
        let features = try #require(chosen.features)
        #expect(features.columns == 4 && features.rows == 4)
        #expect(features.storage[4..<8] == [4, 0, -0, 1e30])
        do {
            _ = try LabeledFeatures.read(table: path, labelColumn: "label", featureColumns: ["emb"])
            Issue.record("a null element was read")
        } catch {
            #expect("\(error)" == "\(path): row 1, column \"emb[1]\": expected a number, found a missing value (null)")
        }
        let dates = try LabeledFeatures.read(table: "\(Self.root)/duckdb.parquet", labelColumn: "label", featureColumns: ["at", "day", "price"])
        #expect(dates.readingNotes == [
            "column \"day\": DATE read as days since 1970-01-01",
            "column \"at\": TIMESTAMP(MICROS) read as seconds since 1970-01-01 00:00:00 on the writer's clock (no time zone)",
        ])
    }
}

extension ParquetTypesAndListsTests {
    /// Fuzz: every byte of files the real writers wrote — decimals in each
    /// physical type, dates, times, timestamps, INT96, FLOAT16 and lists (in
    /// data pages v1 and v2, plain and dictionary, several pages and row
    /// groups) — replaced, one at a time. Each outcome is a table or a
    /// ``SynthctlError`` naming the file (a mutated column name may hold a
    /// line feed: the command line prints it escaped, ``ErrorLine``); a trap
    /// ends the process.
    @Test(arguments: ["decimal_integers", "decimal_plain_v2", "dates_and_times_plain_v2", "int96", "float16",
                      "lists_small_pages", "lists_plain_v2", "polars", "duckdb"])
    func corruptedBytesNeverTrap(file: String) throws {
        try ParquetByteFuzz.replaceEachByte(of: "\(Self.root)/\(file).parquet")
    }
}

extension ParquetTypesAndListsTests {
    /// The list shapes of LogicalTypes.md's backward-compatibility rules
    /// (pyarrow writes only the 3-level one): their definition levels, and
    /// a repeated group named `array` or `NAME_tuple` read as a struct.
    @Test func listShapesFollowLogicalTypesRules() {
        typealias E = ParquetMetadata.SchemaElement
        let float = ParquetMetadata.PhysicalType.float.rawValue, list = ParquetMetadata.Annotation.refused("LIST")
        func group(_ name: String, _ repetition: Int32, logical: ParquetMetadata.Annotation? = nil, converted: Int32? = nil) -> E {
            E(name: name, repetition: repetition, children: 1, converted: converted, logical: logical)
        }
        func leaf(_ name: String, _ repetition: Int32) -> E { E(name: name, type: float, repetition: repetition) }
        typealias L = ParquetMetadata.ListLevels
        let shape = { (elements: [E]) in ParquetMetadata.floatList(elements[...])?.levels }
        #expect(shape([group("v", 1, logical: list), group("list", 2), leaf("element", 1)]) == L(nullBelow: 1, emptyBelow: 2, maxDefinition: 3))
        #expect(shape([group("v", 0, logical: list), group("list", 2), leaf("element", 0)]) == L(nullBelow: 0, emptyBelow: 1, maxDefinition: 1))
        #expect(shape([group("v", 1, converted: 3), leaf("array", 2)]) == L(nullBelow: 1, emptyBelow: 2, maxDefinition: 2))
        #expect(shape([leaf("v", 2)]) == L(nullBelow: 0, emptyBelow: 1, maxDefinition: 1))
        #expect(shape([group("v", 1, logical: list), group("array", 2), leaf("x", 1)]) == nil)
        #expect(shape([group("v", 1, logical: list), group("v_tuple", 2), leaf("x", 1)]) == nil)
        #expect(shape([group("v", 1), group("list", 2), leaf("element", 1)]) == nil)  // not annotated LIST: a struct
        #expect(shape([leaf("v", 1)]) == nil)
    }
}

extension ParquetTypesAndListsTests {
    /// The arithmetic under DECIMAL (every byte width, as BYTE_ARRAY
    /// decimals use it; no common writer emits those) and INT96: values
    /// worked by hand, and roundings that a naive `Double(x) / 10^s` or a
    /// two-step sum would get one unit in the last place wrong.
    @Test func scaledNumbersRoundOnceToTheNearestDouble() {
        typealias N = ParquetScaledNumber
        #expect(N.bigEndian([0x7f][...]) == 127 && N.bigEndian([0x80][...]) == -128)
        #expect(N.bigEndian([0xff, 0x38][...]) == -200 && N.bigEndian([0x00, 0xc8][...]) == 200)
        #expect(N.bigEndian([0x80] + [UInt8](repeating: 0, count: 15)) == Int128.min)
        #expect(N.value(-200, digits: 2) == -2.0 && N.value(125, digits: 2) == 1.25)
        // 2^53 + 1 over 10: beyond the fast path, parsed as exact decimal text.
        #expect(N.value(9_007_199_254_740_993, digits: 1) == 900719925474099.3)
        #expect(N.value(Int128(Int64.max), digits: 9) == 9223372036.854775807)
        #expect(N.value(Int128.max, digits: 38) == 1.7014118346046923)
        // 1970-01-02 00:00:01 as INT96: 10^9 ns within Julian day 2440589.
        let second: [UInt8] = [0x00, 0xca, 0x9a, 0x3b, 0, 0, 0, 0, 0x8d, 0x3d, 0x25, 0x00]
        #expect(N.int96Nanoseconds(second[...]) == 86_401_000_000_000)
        #expect(N.half(0x00, 0x3c) == 1 && N.half(0xff, 0x7b) == 65504)
    }
}
