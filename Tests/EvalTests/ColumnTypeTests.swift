import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore
import TestSupport

/// Column types (issue 15): inferred per format from files pandas, Polars,
/// DuckDB, pyarrow and Hugging Face `datasets` wrote (the fixtures the
/// oracles already wrote), overridden by a schema or `categorical`, carried
/// when categorical, and written in the one JSON shape a schema file reads.
@Suite struct ColumnTypeTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    func types(_ set: LabeledFeatures) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (set.schema?.columns ?? []).map { ($0.name, $0.type.name) })
    }

    func tempFile(_ name: String, _ text: String) throws -> String {
        let dir = URL(fileURLWithPath: temporary.directory("coltypes"))
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func parquetTypesComeFromThePhysicalAndLogicalTypes() throws {
        // pyarrow: float, double, int32, int64, bool, strings (with nulls).
        let p = try LabeledFeatures.read(table: "\(Self.fixtures)/parquet/none_plain_v1.parquet", labelColumn: "label", dropMissing: true)
        #expect(types(p) == ["x0": "numeric", "x1": "numeric", "x2": "integer", "x3": "integer", "flag": "boolean",
                             "label": "categorical", "code": "integer", "maybe": "numeric", "maybe_text": "categorical"])
        #expect(p.schema?.columns.map(\.name) == ["x0", "x1", "x2", "x3", "flag", "label", "code", "maybe", "maybe_text"])
        #expect(p.categoricalColumns.map(\.name) == ["maybe_text"])
        #expect(!p.featureNames.contains("maybe_text"))
        #expect((p.schema?["maybe_text"]?.missing ?? 0) > 0)
        #expect(p.schema?["label"]?.type == .categorical(categories: p.classNames))
        // DuckDB: DECIMAL numeric, DATE date, TIMESTAMP timestamp, lists numeric with their width.
        let d = try LabeledFeatures.read(table: "\(Self.fixtures)/parquet/types/duckdb.parquet", labelColumn: "label", dropMissing: true)
        #expect(types(d) == ["price": "numeric", "amount": "numeric", "emb": "numeric", "arr": "numeric",
                             "day": "date", "at": "timestamp", "label": "categorical"])
        #expect(d.schema?["day"]?.type.unit == "days since 1970-01-01")
        #expect((d.schema?["emb"]?.width ?? 0) > 1)
        // Unsigned integers are integers.
        let u = try LabeledFeatures.read(table: "\(Self.fixtures)/parquet/logical/unsigned_plain.parquet", labelColumn: "label",
                                         featureColumns: ["u8", "u16", "u32"], dropMissing: true)
        #expect(types(u) == ["u8": "integer", "u16": "integer", "u32": "integer", "label": "categorical"])
    }

    @Test func textTablesAreTypedByContent() throws {
        for file in ["text_tables/polars.csv", "text_tables/hf_datasets.jsonl", "text_tables/pandas_semicolon.csv"] {
            func read() throws -> LabeledFeatures { try LabeledFeatures.read(table: "\(Self.fixtures)/\(file)", labelColumn: "label") }
            // Scoped to this test: the run's delimiter is shared with the tests running beside it.
            let set = try file.contains("semicolon") ? TableFormat.withDelimiter(UInt8(ascii: ";"), read) : read()
            #expect(types(set) == ["x0": "numeric", "x1": "numeric", "label": "categorical"], "\(file)")
            #expect(set.schema?.columns.allSatisfy { $0.missing == 0 } == true, "\(file)")
        }
        let csv = try tempFile("t.csv", "n,b,x,city,label\n1,true,0.5,Paris,a\n2,False,1,NA,b\n,TRUE,2,Rome,a\n")
        let set = try LabeledFeatures.read(table: csv, labelColumn: "label", dropMissing: true)
        #expect(types(set) == ["n": "integer", "b": "boolean", "x": "numeric", "city": "categorical", "label": "categorical"])
        #expect(set.schema?["n"]?.missing == 1 && set.schema?["city"]?.missing == 1)
        // The categorical column is carried for the rows kept, not read as a number.
        #expect(set.featureNames == ["n", "b", "x"] && set.rows == 1)
        // Its categories are the file's (the schema describes the file), its codes the rows kept.
        #expect(set.categoricalColumns == [CategoricalColumn(name: "city", categories: ["Paris", "Rome"], codes: [0])])
        let jsonl = try tempFile("t.jsonl", "{\"n\": 1, \"b\": true, \"x\": 1.5, \"city\": \"Paris\", \"label\": 1}\n{\"n\": 3, \"b\": false, \"x\": 2, \"city\": \"Rome\", \"label\": 2}\n")
        let j = try LabeledFeatures.read(table: jsonl, labelColumn: "label")
        #expect(types(j) == ["n": "integer", "b": "boolean", "x": "numeric", "city": "categorical", "label": "categorical"])
        #expect(j.categoricalColumns.first?.codes == [0, 1])
    }

    /// Few distinct integers stay integer: nothing becomes categorical unless told.
    @Test func integerCodesStayNumbersUnlessToldOtherwise() throws {
        let csv = try tempFile("t.csv", "code,x,label\n0,1.5,a\n1,2.5,b\n0,3.5,a\n1,4.5,b\n")
        let plain = try LabeledFeatures.read(table: csv, labelColumn: "label")
        #expect(types(plain)["code"] == "integer" && plain.featureNames == ["code", "x"] && plain.categoricalColumns.isEmpty)
        let told = try LabeledFeatures.read(table: csv, labelColumn: "label", types: ColumnTypeOverrides(categorical: ["code"]))
        #expect(told.schema?["code"]?.type == .categorical(categories: ["0", "1"]))
        #expect(told.featureNames == ["x"] && told.categoricalColumns.first?.codes == [0, 1, 0, 1])
        #expect(throws: CategoricalFeaturesError(file: csv, columns: ["code"], valuesAreNumbers: true)) { try told.requireNumericFeatures() }
        #expect(throws: Never.self) { try plain.requireNumericFeatures() }
    }

    @Test func aSchemaOverridesAndIsChecked() throws {
        let csv = try tempFile("t.csv", "n,x,label\n1,1.5,a\n2,2.5,b\n")
        // Numbers forced to a timestamp need the unit they count in; they are then read in the type's (seconds).
        let schema = TableSchema(columns: [.init(name: "n", type: .numeric, missing: nil),
                                           .init(name: "x", type: .timestamp, missing: nil, unit: "milliseconds since 1970-01-01")])
        let set = try LabeledFeatures.read(table: csv, labelColumn: "label", types: ColumnTypeOverrides(schema: schema, schemaSource: "s.json"))
        #expect(types(set) == ["n": "numeric", "x": "timestamp", "label": "categorical"])
        #expect(abs(set.features![0, 1] - 0.0015) < 1e-9 && set.schema?["x"]?.unit == "seconds since 1970-01-01 00:00:00")
        // Without a unit they are refused: recorded as seconds, they may be anything.
        let unitless = TableSchema(columns: [.init(name: "x", type: .timestamp, missing: nil)])
        #expect(throws: InputError(file: csv, line: 2, columnName: .named("x"), expected: "an ISO 8601 timestamp (its type in the schema)", found: "1.5")) {
            try LabeledFeatures.read(table: csv, labelColumn: "label", types: ColumnTypeOverrides(schema: unitless, schemaSource: "s.json"))
        }
        // A value that cannot be its given type: one line naming file, row, column, expected, found.
        let integer = TableSchema(columns: [.init(name: "x", type: .integer, missing: nil)])
        #expect(throws: InputError(file: csv, line: 2, columnName: .named("x"), expected: "an integer (its type in the schema)", found: "1.5")) {
            try LabeledFeatures.read(table: csv, labelColumn: "label", types: ColumnTypeOverrides(schema: integer, schemaSource: "s.json"))
        }
        let text = try tempFile("u.csv", "n,label\n1,a\nabc,b\n")
        #expect(throws: InputError(file: text, line: 3, columnName: .named("n"), expected: "an integer (its type in the schema)", found: "\"abc\"")) {
            try LabeledFeatures.read(table: text, labelColumn: "label",
                                     types: ColumnTypeOverrides(schema: TableSchema(columns: [.init(name: "n", type: .integer, missing: nil)]), schemaSource: "s.json"))
        }
        // Unknown columns, in the schema or among the categorical ones.
        let unknown = TableSchema(columns: [.init(name: "nope", type: .integer, missing: nil)])
        #expect(throws: InputError(file: "s.json", field: "columns[0].name", expected: "a column of \(csv) (n, x, label)", found: "\"nope\"")) {
            try LabeledFeatures.read(table: csv, labelColumn: "label", types: ColumnTypeOverrides(schema: unknown, schemaSource: "s.json"))
        }
        #expect(throws: InputError(file: csv, expected: "a column \"zip\" (given as categorical)", found: "columns n, x, label (3 columns)")) {
            try LabeledFeatures.read(table: csv, labelColumn: "label", types: ColumnTypeOverrides(categorical: ["zip"]))
        }
        // A label column stays categorical.
        let label = TableSchema(columns: [.init(name: "label", type: .numeric, missing: nil)])
        #expect(throws: InputError(file: "s.json", field: "columns[0].type", expected: "categorical (\"label\" is the label column)", found: "\"numeric\"")) {
            try LabeledFeatures.read(table: csv, labelColumn: "label", types: ColumnTypeOverrides(schema: label, schemaSource: "s.json"))
        }
    }

    /// The schema a read records, written as JSON and read back, is the same schema.
    @Test func theRecordedShapeReadsBack() throws {
        let set = try LabeledFeatures.read(table: "\(Self.fixtures)/parquet/types/duckdb.parquet", labelColumn: "label", dropMissing: true)
        let schema = try #require(set.schema)
        #expect(try TableSchema(json: schema.json, source: "s.json") == schema)
        let again = try LabeledFeatures.read(table: "\(Self.fixtures)/parquet/types/duckdb.parquet", labelColumn: "label", dropMissing: true,
                                             types: ColumnTypeOverrides(schema: schema, schemaSource: "s.json"))
        #expect(again.schema == schema)
    }

    @Test func schemaFilesAreCheckedField() throws {
        #expect(throws: InputError(file: "s.json", field: "columns[0].type", expected: "one of numeric, integer, boolean, categorical, date, timestamp", found: "\"float\"")) {
            try TableSchema(json: .object(["columns": .array([.object(["name": .string("a"), "type": .string("float")])])]), source: "s.json")
        }
        #expect(throws: InputError(file: "s.json", field: "columns", expected: "a list of columns", found: "nothing")) {
            try TableSchema(json: .object([:]), source: "s.json")
        }
        #expect(throws: InputError(file: "s.json", field: "columns[1].name", expected: "a column not named before", found: "\"a\"")) {
            try TableSchema(json: .object(["columns": .array([.object(["name": .string("a"), "type": .string("integer")]),
                                                              .object(["name": .string("a"), "type": .string("boolean")])])]), source: "s.json")
        }
    }

    @Test func newErrorsRenderOneLine() {
        #expect("\(CategoricalFeaturesError(file: "t.csv", columns: ["city", "plan"]))"
                == "t.csv: columns \"city\", \"plan\": expected numeric feature columns, found categorical ones")
        #expect("\(CategoricalFeaturesError(file: "t.csv", columns: ["city"]))"
                == "t.csv: column \"city\": expected a numeric feature column, found a categorical one")
    }

    /// A dataset directory's schema: float32 features and the label with its class names.
    @Test func npyInputsHaveASchemaToo() throws {
        let dir = temporary.directory("coltypes")
        func npy(_ path: String, _ descr: String, _ shape: String, _ words: [UInt32]) {
            let header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }".utf8)
            let payload = words.flatMap { w in withUnsafeBytes(of: w.littleEndian) { Array($0) } }
            FileManager.default.createFile(atPath: path, contents: Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0] + header + payload))
        }
        npy("\(dir)/x.npy", "<f4", "(2, 2)", ([1, 2, 3, 4] as [Float]).map(\.bitPattern))
        npy("\(dir)/y.npy", "<i4", "(2,)", [0, 1])
        let set = try LabeledFeatures.read(features: "\(dir)/x.npy", labels: "\(dir)/y.npy")
        #expect(set.schema == TableSchema(columns: [.init(name: "x0", type: .numeric, missing: 0), .init(name: "x1", type: .numeric, missing: 0),
                                                    .init(name: "label", type: .categorical(categories: ["0", "1"]), missing: 0)]))
    }

    /// A `--schema` file is a new reader path: damaged schema files (bytes
    /// replaced, cut short) read or give one line naming the file, never a
    /// crash. Seeded, so a failure reproduces.
    @Test func damagedSchemaFilesReadOrGiveOneLine() throws {
        let valid = Array(#"{"columns": [{"name": "a", "type": "numeric"}, {"name": "city", "type": "categorical", "categories": ["x", "y"]}, {"name": "n", "type": "integer", "missing": 2}, {"name": "t", "type": "timestamp", "unit": "seconds since 1970-01-01"}]}"#.utf8)
        let path = NSTemporaryDirectory() + "synthctl-schema-fuzz-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var state: UInt64 = 0x5eed_2026_1129
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let alphabet = Array(#"{}[]",:0123456789.-eE "aAnNtTfFuU\"#.utf8) + [0, 0xff, 0x0a]
        for round in 0..<600 {
            var bytes = valid
            if round % 5 == 4 {
                bytes = Array(bytes.prefix(next(bytes.count)))
            } else {
                for _ in 0...next(3) { bytes[next(bytes.count)] = alphabet[next(alphabet.count)] }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try ColumnTypeOverrides(schemaFile: path)
            } catch let e as any SynthctlError {
                #expect(e.message.hasPrefix(path), "round \(round): \(e.message)")
                #expect(!e.message.contains("\n"), "round \(round): \(e.message)")
            } catch {
                Issue.record("round \(round): not a synthctl error: \(error)")
            }
        }
    }
}
