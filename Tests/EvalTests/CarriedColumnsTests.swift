import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// How a CSV, TSV or JSON Lines table's columns are typed when a Parquet
/// output carries them (``ParquetWritableTable/init(carrying:path:textColumn:)``):
/// each field's reading, each column's type, and the file read back.
/// (`embedCarriesATextTablesColumnsTypedAsPandasReadsThem` checks files
/// written by pandas, Polars and DuckDB against pandas' reading.)
@Suite struct CarriedColumnsTests {
    /// A field's reading, as pandas 3.1's `read_csv` reads it: numbers
    /// with spaces around them, missing spellings (`na_values`) and
    /// booleans (in any case) as written.
    @Test func fieldsReadAsPandasReadsThem() {
        func reading(_ s: String) -> String {
            switch SpelledCell(s) {
            case .missing: "missing"
            case .integer(let i): "int \(i)"
            case .unsignedInteger(let u): "uint \(u)"
            case .wideInteger(let d): "wide \(d)"
            case .real(let d): "real \(d)"
            case .boolean(let b): "bool \(b)"
            case .text: "text"
            }
        }
        let cases: [(String, String)] = [
            ("42", "int 42"), ("  -7 ", "int -7"), ("+7", "int 7"), ("007", "int 7"), ("9223372036854775807", "int 9223372036854775807"),
            ("9223372036854775808", "uint 9223372036854775808"), ("18446744073709551615", "uint 18446744073709551615"),
            ("18446744073709551616", "wide 1.8446744073709552e+19"), ("-9223372036854775809", "wide -9.223372036854776e+18"),
            ("1.5e3", "real 1500.0"), ("1.", "real 1.0"), (".5", "real 0.5"), ("1e999", "real inf"), ("inf", "real inf"),
            ("-Infinity", "real -inf"), ("+INF", "real inf"),
            ("", "missing"), ("NA", "missing"), (" NA ", "text"), ("nan", "missing"), ("NaN", "missing"), ("null", "missing"), ("<NA>", "missing"),
            (" ", "text"), ("\t", "text"),
            ("TRUE", "bool true"), ("false", "bool false"), ("tRuE", "bool true"), (" True ", "text"),
            ("abc", "text"), ("1,5", "text"), ("0x10", "text"), ("NAb", "text"), ("1e", "text"), ("tru", "text"), ("\u{0}1", "text"),
        ]
        for (field, want) in cases { #expect(reading(field) == want, "\(field.debugDescription)") }
    }

    /// The table written from `text` (a file named `name`) with the text
    /// column `text`, read back: each column's values as text (nil for
    /// null) and whether it came back as an integer, float, boolean or string column.
    func carried(_ text: String, name: String) throws -> [String: (kind: String, values: [String?])] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carried-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
        let (texts, table) = try TextColumn.readCarryingColumns(table: "\(dir)/\(name)", column: "text")
        let written = try #require(table)
        #expect(written.rows == texts.count)
        let bytes = try written.bytes(ofRows: Array(0..<written.rows))
        let back = try ParquetTable(bytes: bytes, path: "\(dir)/out.parquet")
        var columns = [String: (kind: String, values: [String?])]()
        for column in back.columns {
            let kind = switch column.values {
            case .integers: "int"
            case .unsignedIntegers: "uint"
            case .floats: "float"
            case .booleans: "bool"
            case .strings: "string"
            case .vectors(let width, _, _): "list \(width)"
            default: "other"
            }
            columns[column.name] = (kind, (0..<back.rows).map(column.text))
        }
        #expect(back.columns.map(\.name) == written.columnNames)
        return columns
    }

    /// CSV: integers with a gap stay integers; booleans beside numbers,
    /// and an integer beyond int64 beside integers, keep the fields as
    /// written; beside fractions a wide integer is a double; a column of
    /// missing values is all null; text keeps its spaces.
    @Test func csvColumnsAreTypedByWhatTheirFieldsSpell() throws {
        let c = try carried("""
        text,n,mix,wide,wideReal,none,s,b,u,uNeg,padded
        a, 3,true,18446744073709551616,1.5,,  x ,TRUE,9223372036854775808,9223372036854775808, NA
        b,,1,1,18446744073709551616,NA,NA,,,-1,1
        c,-4,false,,2,nan,y,false,7,2,

        """, name: "t.csv")
        #expect(c["text"]?.kind == "string" && c["text"]?.values == ["a", "b", "c"])
        #expect(c["n"]?.kind == "int" && c["n"]?.values == ["3", nil, "-4"])
        #expect(c["mix"]?.kind == "string" && c["mix"]?.values == ["true", "1", "false"])
        #expect(c["wide"]?.kind == "string" && c["wide"]?.values == ["18446744073709551616", "1", nil])
        #expect(c["wideReal"]?.kind == "float" && c["wideReal"]?.values == ["1.5", "1.8446744073709552e+19", "2.0"])
        #expect(c["none"]?.kind == "float" && c["none"]?.values == [nil, nil, nil])
        #expect(c["s"]?.kind == "string" && c["s"]?.values == ["  x ", nil, "y"])
        #expect(c["b"]?.kind == "bool" && c["b"]?.values == ["true", nil, "false"])
        #expect(c["u"]?.kind == "uint" && c["u"]?.values == ["9223372036854775808", nil, "7"])
        #expect(c["uNeg"]?.kind == "string" && c["uNeg"]?.values == ["9223372036854775808", "-1", "2"])
        #expect(c["padded"]?.kind == "string" && c["padded"]?.values == [" NA", "1", nil])
    }

    /// A line holding only `""` (pandas' way of writing an empty text alone on its row) is a row, not a blank line.
    @Test func aQuotedEmptyFieldAloneOnItsLineIsARow() throws {
        let c = try carried("text\na\n\"\"\n\nb\n", name: "t.csv")
        #expect(c["text"]?.values == ["a", "", "b"])
    }

    /// JSON Lines: the file's types decide (a string "3" stays a string,
    /// "NA" a string); integers beside reals are doubles; an absent key is
    /// null; an array of numbers of one length is a list.
    @Test func jsonColumnsKeepTheTypesTheFileGaveThem() throws {
        let c = try carried("""
        {"text": "a", "i": 1, "r": 1, "s": "3", "b": true, "v": [1, 2.5], "u": 9223372036854775808, "uNeg": 9223372036854775808}
        {"text": "b", "i": null, "r": 2.5, "s": "NA", "v": null, "u": 1, "uNeg": -1}
        {"text": "c", "i": -2, "r": 3, "s": null, "b": false, "v": [0, -1]}

        """, name: "t.jsonl")
        #expect(c["i"]?.kind == "int" && c["i"]?.values == ["1", nil, "-2"])
        #expect(c["r"]?.kind == "float" && c["r"]?.values == ["1.0", "2.5", "3.0"])
        #expect(c["s"]?.kind == "string" && c["s"]?.values == ["3", "NA", nil])
        #expect(c["b"]?.kind == "bool" && c["b"]?.values == ["true", nil, "false"])
        #expect(c["v"]?.kind == "list 2" && c["v"]?.values == ["[1.0, 2.5]", nil, "[0.0, -1.0]"])
        // Integers beyond int64 (kept by the reader as their digits) are numbers: uint64, or beside a negative one doubles, as pandas reads them.
        #expect(c["u"]?.kind == "uint" && c["u"]?.values == ["9223372036854775808", "1", nil])
        #expect(c["uNeg"]?.kind == "float" && c["uNeg"]?.values == ["9.223372036854776e+18", "-1.0", nil])
    }

    /// A Parquet input is not typed from its cells: its columns are read as stored, from its path.
    @Test func parquetInputIsLeftToTheStoredReader() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carried-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try ParquetFileWriter(columns: [ParquetColumn(name: "text", kind: .text)], codec: .none, keyValues: [], createdBy: "test",
                                           threads: 1, sink: { span in
            let data = span.withUnsafeBytes { Data($0) }
            if let h = FileHandle(forWritingAtPath: "\(dir)/t.parquet") { h.seekToEndOfFile(); h.write(data); h.closeFile() }
            else { FileManager.default.createFile(atPath: "\(dir)/t.parquet", contents: data) }
        })
        let texts = ["a", "b"]
        writer.appendTexts(column: 0, from: texts.span, rows: 2)
        try writer.commit(rows: 2)
        _ = try writer.finish()
        let (read, table) = try TextColumn.readCarryingColumns(table: "\(dir)/t.parquet", column: "text")
        #expect(read.count == 2 && read.text(1) == "b")
        #expect(table == nil)
    }

    /// Fuzz: mutated CSV and JSON Lines tables (bytes inserted, deleted or
    /// replaced from an alphabet of delimiters, quotes, digits, NA and
    /// boolean spellings, nested JSON) are carried, written and read back
    /// with as many rows as texts, or refused as one ``InputError`` line
    /// naming the file; nothing crashes.
    @Test func mutatedTablesAreCarriedOrRefusedInOneLine() throws {
        var rng = SplitMix64(seed: 0xCA22_1ED)  // seeded: a failure replays, CI never flakes
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carried-fuzz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seeds: [(name: String, text: String)] = [
            ("t.csv", "text,n,r,b,s\na,1,1.5,true,x\n\"b, c\",,NA,false, y\nd,-3,inf,TRUE,NA\n\"\",18446744073709551615,2,,z\n"),
            ("t.jsonl", "{\"text\": \"a\", \"n\": 1, \"r\": 1.5, \"b\": true, \"v\": [1, 2]}\n{\"text\": \"b\", \"n\": null, \"s\": \"NA\", \"v\": [0, -1]}\n{\"text\": \"c\", \"n\": 9223372036854775808, \"r\": 2}\n"),
        ]
        let alphabet = Array(",\"\n\r\t 019.-e{}[]:nNAtruefals".utf8) + [0xC3, 0xA9]
        var carried = 0, refused = 0
        for i in 0..<300 {
            let seed = seeds[i % seeds.count]
            var bytes = Array(seed.text.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes.insert(alphabet.randomElement(using: &rng)!, at: at)
                case 1: bytes.remove(at: at)
                default: bytes[at] = alphabet.randomElement(using: &rng)!
                }
            }
            let path = "\(dir)/\(i)-\(seed.name)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let (texts, table) = try TextColumn.readCarryingColumns(table: path, column: "text")
                let written = try #require(table)
                let back = try ParquetTable(bytes: try written.bytes(ofRows: Array(0..<written.rows)), path: path)
                #expect(back.rows == texts.count && back.columns.map(\.name) == written.columnNames, "\(path)")
                carried += 1
            } catch let error as InputError {
                let line = "\(error)"
                #expect(line.hasPrefix(path) && !line.contains("\n"), "\(line.debugDescription)")
                refused += 1
            }
        }
        // Both outcomes happen, so the test sees each path.
        #expect(carried > 30 && refused > 30, "carried \(carried), refused \(refused)")
    }
}
