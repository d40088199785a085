import Testing
import Foundation
@testable import Eval
import TestSupport

/// The Parquet reader against files pyarrow wrote (Tests/Oracles/parquet_fixtures.py)
/// and the values pyarrow reads back from them.
@Suite struct ParquetTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/parquet").path

    /// Requires the table to hold exactly these columns, each cell equal
    /// to what pyarrow read (null, number, text or boolean).
    static func expectColumns(of table: ParquetTable, equal columns: [String: [Cell]]) throws {
        #expect(Set(table.columns.map(\.name)) == Set(columns.keys))
        for column in table.columns {
            let want = try #require(columns[column.name])
            for (row, cell) in want.enumerated() {
                switch cell {
                case .null: #expect(!column.present[row], "\(column.name)[\(row)]")
                case .number(let d): #expect(column.number(row) == d, "\(column.name)[\(row)]")
                case .text(let s): #expect(column.text(row) == s, "\(column.name)[\(row)]")
                case .flag(let b): #expect(column.number(row) == (b ? 1 : 0), "\(column.name)[\(row)]")
                }
            }
        }
    }

    enum Cell: Decodable, Equatable {
        case null, number(Double), text(String), flag(Bool)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .flag(b) }
            else if let d = try? c.decode(Double.self) { self = .number(d) }
            else { self = .text(try c.decode(String.self)) }
        }
    }

    static let expected: [String: [String: [Cell]]] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: "\(root)/expected.json"))
        return try! JSONDecoder().decode([String: [String: [Cell]]].self, from: data)
    }()

    @Test(arguments: expected.keys.sorted())
    func readsWhatPyarrowWrote(layout: String) throws {
        let table = try ParquetTable(path: "\(Self.root)/\(layout).parquet")
        let columns = try #require(Self.expected[layout])
        #expect(table.rows == 300)
        try ParquetTests.expectColumns(of: table, equal: columns)
    }

    @Test(arguments: [
        ("nested", "expected flat columns, found the nested column \"point\""),
        ("fixed", "column \"x\": expected a boolean, integer, float, double or string column, found physical type fixedLenByteArray"),
    ])
    func refusesWhatItCannotRead(file: String, message: String) {
        do {
            _ = try ParquetTable(path: "\(Self.root)/\(file).parquet")
            Issue.record("\(file) was read")
        } catch {
            #expect("\(error)" == "\(Self.root)/\(file).parquet: \(message)")
        }
    }

    /// A list of doubles, refused until issue 15, reads as a block of two per
    /// row (ParquetTypesAndListsTests reads every writer's lists).
    @Test func aListOfDoublesReadsAsRowsOfOneWidth() throws {
        let table = try ParquetTable(path: "\(Self.root)/list.parquet")
        let vec = try #require(table.columns.first { $0.name == "vec" })
        #expect(vec.width == 2)
        #expect((0..<4).map { vec.text($0) } == Array(repeating: "[1.0, 2.0]", count: 4))
    }

    /// gzip pages, refused until issue 15, read (ParquetCodecTests reads every codec).
    @Test func readsGzipPages() throws {
        let table = try ParquetTable(path: "\(Self.root)/gzip.parquet")
        let columns = try #require(Self.expected["snappy_dictionary_v1"])
        #expect(table.columns.map(\.name) == ["x0", "label"])
        for column in table.columns {
            for (row, cell) in try #require(columns[column.name]).enumerated() {
                switch cell {
                case .number(let d): #expect(column.number(row) == d)
                case .text(let s): #expect(column.text(row) == s)
                default: Issue.record("\(column.name)[\(row)]: \(cell)")
                }
            }
        }
    }

    /// Damaged files: truncated, not Parquet at all, a footer length past the
    /// start, a page cut short. Each gets one line, never a trap.
    @Test func damagedFilesAreRefused() throws {
        let dir = temporary.directory("parquet")
        let good = try Data(contentsOf: URL(fileURLWithPath: "\(Self.root)/snappy_dictionary_v1.parquet"))
        func message(_ bytes: Data) -> String {
            let path = "\(dir)/f.parquet"
            FileManager.default.createFile(atPath: path, contents: bytes)
            do { _ = try ParquetTable(path: path); return "read" } catch { return "\(error)".replacingOccurrences(of: path, with: "F") }
        }
        #expect(message(Data("a,b\n1,2\n".utf8)) == "F: expected a Parquet file (PAR1 at both ends), found 8 bytes")
        #expect(message(good.prefix(good.count - 100)) == "F: expected a Parquet file (PAR1 at both ends), found other bytes")
        var longFooter = good
        longFooter.replaceSubrange((good.count - 8)..<(good.count - 4), with: [0xff, 0xff, 0xff, 0x0f])
        #expect(message(longFooter).hasPrefix("F: expected a footer of at most"))
        // Bytes of the first pages and of the footer flipped in turn: an
        // error or a read, never a crash.
        for i in Array(stride(from: 4, to: 400, by: 7)) + Array((good.count - 1200)..<(good.count - 8)) {
            var bad = good
            bad[i] ^= 0x5a
            _ = message(bad)
        }
        #expect(message(Data()) == "F: expected a Parquet file (PAR1 at both ends), found 0 bytes")
    }

    /// The same rows through CSV and through Parquet give the same labeled set.
    @Test func labeledFeaturesFromParquetEqualThoseFromCSV() throws {
        let parquet = try LabeledFeatures.read(table: "\(Self.root)/snappy_groups_pages.parquet", labelColumn: "label",
                                               featureColumns: ["x0", "x1", "x2", "x3", "flag"])
        let columns = try #require(Self.expected["snappy_groups_pages"])
        var csv = "x0,x1,x2,x3,flag,label\n"
        for r in 0..<300 {
            let cells = ["x0", "x1", "x2", "x3", "flag", "label"].map { name -> String in
                switch columns[name]![r] {
                case .number(let d): return "\(d)"
                case .flag(let b): return b ? "1" : "0"
                case .text(let s): return s
                case .null: return ""
                }
            }
            csv += cells.joined(separator: ",") + "\n"
        }
        let path = temporary.path("pq", suffix: ".csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let text = try LabeledFeatures.read(table: path, labelColumn: "label", featureColumns: ["x0", "x1", "x2", "x3", "flag"])
        #expect(parquet.features == text.features)
        #expect(parquet.labels == text.labels && parquet.classNames == text.classNames && parquet.classNames == ["cat", "dog", "émeu"])
        // A null feature is bad input, named by row.
        do {
            _ = try LabeledFeatures.read(table: "\(Self.root)/snappy_groups_pages.parquet", labelColumn: "label", featureColumns: ["maybe"])
            Issue.record("a null feature was read")
        } catch {
            #expect(error is MissingValueError)
            #expect("\(error)".hasSuffix("snappy_groups_pages.parquet: row 3, column \"maybe\": expected a number, found a missing value (null)"))
        }
        // Or, asked to, dropped: the rows kept are those pyarrow reads a value in.
        let dropped = try LabeledFeatures.read(table: "\(Self.root)/snappy_groups_pages.parquet", labelColumn: "label",
                                               featureColumns: ["maybe"], dropMissing: true)
        let maybe = try #require(Self.expected["snappy_groups_pages"]?["maybe"])
        let present = maybe.indices.filter { maybe[$0] != .null }
        #expect(dropped.fileRows == present && dropped.droppedRows == maybe.count - present.count && dropped.droppedRows > 0)
        #expect(dropped.features?.storage == present.map { r -> Float in if case .number(let d) = maybe[r] { return Float(d) }; return .nan })
        // Integer labels are numbered in numeric order.
        let coded = try LabeledFeatures.read(table: "\(Self.root)/none_plain_v1.parquet", labelColumn: "code", featureColumns: ["x1"])
        #expect(coded.classNames == ["0", "1", "2", "3"])
    }
}
