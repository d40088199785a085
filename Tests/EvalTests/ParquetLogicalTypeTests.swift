import Testing
import Foundation
@testable import Eval

/// Parquet logical types against files pyarrow wrote
/// (Tests/Oracles/parquet_logical_types.py): unsigned integers read as
/// pyarrow reads them (a uint64 above Int64.max too); every logical type
/// not decoded yet and strings that are not UTF-8 are refused in one line naming
/// the column (and the row); a frame of zero rows is refused as such.
@Suite struct ParquetLogicalTypeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/parquet/logical").path

    struct Refusal: Decodable { let column: String?; let row: Int?; let names: String? }
    struct Expected: Decodable {
        /// Unsigned values, up to 2⁶⁴ − 1.
        let readable: [String: [String: [UInt64?]]]
        let refused: [String: Refusal]
    }

    /// Labels are text; the fixture's label columns are skipped by decoding them as nil.
    static let expected: Expected = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: "\(root)/expected.json"))
        var object = try! JSONSerialization.jsonObject(with: data) as! [String: [String: [String: Any]]]
        for (name, columns) in object["readable"]! {
            var numeric = columns
            numeric["label"] = nil
            object["readable"]![name] = numeric
        }
        let cleaned = try! JSONSerialization.data(withJSONObject: object)
        return try! JSONDecoder().decode(Expected.self, from: cleaned)
    }()

    @Test(arguments: expected.readable.keys.sorted())
    func unsignedIntegersReadAsPyarrowReadsThem(file: String) throws {
        let table = try ParquetTable(path: "\(Self.root)/\(file).parquet")
        let columns = try #require(Self.expected.readable[file])
        #expect(table.rows == 8)
        #expect(!columns.isEmpty)
        for (name, values) in columns {
            let column = try #require(table.columns.first { $0.name == name })
            for (row, value) in values.enumerated() {
                if let value {
                    #expect(column.text(row) == String(value), "\(file) \(name)[\(row)]")
                } else {
                    #expect(!column.present[row], "\(file) \(name)[\(row)]")
                }
            }
        }
    }

    @Test(arguments: expected.refused.keys.sorted())
    func refusedInOneLineNamingColumnAndType(file: String) throws {
        let want = try #require(Self.expected.refused[file])
        let path = "\(Self.root)/\(file).parquet"
        do {
            let table = try ParquetTable(path: path)
            Issue.record("\(file) was read: \(table.columns.map(\.name))")
        } catch {
            let message = "\(error)"
            #expect(!message.contains("\n"))
            #expect(message.hasPrefix("\(path): "), "\(message)")
            if let column = want.column {
                // Rows are counted from 0, as every Parquet message counts them.
                let place = want.row.map { "row \($0), column \"\(column)\": " } ?? "column \"\(column)\": "
                #expect(message.contains(place), "\(message)")
            }
            if want.row == nil, let type = want.names {
                #expect(message.contains("found the logical type \(type)"), "\(message)")
            } else if let found = want.names {
                #expect(message.contains(found), "\(message)")
            }
            if file == "zero_rows" {
                #expect(message == "\(path): expected at least one row, found none (a schema of 2 columns and no rows)")
            }
        }
    }
}
