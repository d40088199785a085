import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// Text tables typed as the ecosystem writes them (issue 15): ISO 8601 dates
/// and timestamps in CSV, TSV and JSON Lines read as the Parquet path reads
/// DATE and TIMESTAMP (days, seconds since 1970-01-01), embedding lists in
/// JSON Lines read as a feature block, and JSON Lines columns in the file's
/// order. Fixtures from `Tests/Oracles/text_types.py` (pandas, Polars,
/// DuckDB, `datasets`), values as pandas parses them.
@Suite struct TextTypesTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/text_types").path

    static var expected: [String: [String: Any]] {
        let data = FileManager.default.contents(atPath: "\(fixtures)/expected.json")!
        return try! JSONSerialization.jsonObject(with: data) as! [String: [String: Any]]
    }

    func file(_ name: String, _ text: String) throws -> String {
        let dir = temporary.directory("synthctl-texttypes")
        let path = "\(dir)/\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func iso(_ text: String) -> ISO8601Text? {
        var s = text
        return s.withUTF8 { ISO8601Text($0) }
    }

    @Test func everyWritersDatesAndTimestampsReadAsPandasParsesThem() throws {
        let all = Self.expected
        #expect(all.count == 5)
        for (name, want) in all {
            let path = "\(Self.fixtures)/\(name)"
            var t = try TableSource(path)
            try t.load(columns: Array(t.header.indices))
            // Columns in the file's order, as pandas reads them (JSON Lines too).
            #expect(t.header == want["columns"] as! [String], "\(name)")
            let set = try LabeledFeatures.read(table: path, labelColumn: "label")
            let features = try #require(set.features)
            let time = want["time"] as! [String: [String: Any]]
            for (column, spec) in time {
                let c = try #require(t.header.firstIndex(of: column))
                let f = try #require(set.featureNames.firstIndex(of: column))
                let isDate = spec["kind"] as! String == "date", utc = spec["utc"] as! Bool
                let values = (spec["values"] as! [NSNumber]).map(\.int64Value)
                #expect(set.schema?[column]?.type == (isDate ? .date : .timestamp), "\(name) \(column)")
                #expect(set.schema?[column]?.unit?.contains("UTC") == utc, "\(name) \(column)")
                for (r, v) in values.enumerated() {
                    let parsed = try #require(t.cell(r, c).iso8601, "\(name) \(column) row \(r)")
                    if isDate {
                        #expect(parsed.nanoseconds == nil && parsed.days == Int(v), "\(name) \(column) row \(r)")
                        #expect(features[r, f] == Float(v), "\(name) \(column) row \(r)")
                    } else {
                        #expect(parsed.nanoseconds == Int128(v), "\(name) \(column) row \(r)")
                        // Seconds as the Parquet path gives a TIMESTAMP(NANOS): the nearest Double, then float32.
                        #expect(features[r, f] == Float(Double(v) / 1e9), "\(name) \(column) row \(r)")
                    }
                }
            }
            let x0 = want["x0"] as! [Double]
            let fx = try #require(set.featureNames.firstIndex(of: "x0"))
            for (r, v) in x0.enumerated() { #expect(features[r, fx] == Float(v), "\(name) x0 row \(r)") }
            // Embeddings: a block as wide as the lists, named as Parquet's are, equal to pandas' and pyarrow's values.
            if let emb = want["emb"] as? [[Double]] {
                #expect(set.schema?["emb"]?.width == emb[0].count && set.schema?["emb"]?.type == .numeric, "\(name)")
                let first = try #require(set.featureNames.firstIndex(of: "emb[0]"))
                #expect(set.featureNames[first..<(first + emb[0].count)] == ArraySlice((0..<emb[0].count).map { "emb[\($0)]" }))
                for (r, row) in emb.enumerated() {
                    for (k, v) in row.enumerated() { #expect(features[r, first + k] == Float(v), "\(name) emb row \(r) element \(k)") }
                }
            }
            // Features follow the file: the columns but the label, lists widened in place.
            let order = (want["columns"] as! [String]).filter { $0 != "label" }
            #expect(set.featureNames.map { $0.hasPrefix("emb[") ? "emb" : $0 }.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } } == order, "\(name)")
            #expect(set.readingNotes.contains { $0.contains("\"day\": ISO 8601") }, "\(name)")
        }
    }

    /// The calendar: leap years (every fourth, not centuries, but every
    /// fourth century), year boundaries, the epoch, the range's ends.
    @Test func datesCountDaysOnTheProlepticGregorianCalendar() {
        #expect(iso("1970-01-01")?.days == 0)
        #expect(iso("1969-12-31")?.days == -1)
        #expect(iso("2024-02-29")?.days == 19782)
        #expect(iso("2000-02-29")?.days == 11016)
        #expect(iso("2024-12-31")!.days + 1 == iso("2025-01-01")!.days)
        #expect(iso("0000-03-01")?.days == -719468)
        #expect(iso("9999-12-31")?.days == 2932896)
        for bad in ["2023-02-29", "1900-02-29", "2100-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-01-00",
                    "2024-3-1", "24-03-01", "2024/03/01", "2024-03-01x", "", "2024-03-01T", "2024-03-01T12"] {
            #expect(iso(bad) == nil, "\(bad)")
        }
        // Every day from 1600 to 2400 is the day before plus one: the formula agrees with counting.
        var expected = ISO8601Text.daysFromCivil(year: 1600, month: 1, day: 1)
        for year in 1600...2400 {
            for month in 1...12 {
                for day in 1...ISO8601Text.daysIn(month: month, year: year) {
                    if ISO8601Text.daysFromCivil(year: year, month: month, day: day) != expected {
                        Issue.record("\(year)-\(month)-\(day)")
                        return
                    }
                    expected += 1
                }
            }
        }
        #expect(ISO8601Text.daysIn(month: 2, year: 2000) == 29 && ISO8601Text.daysIn(month: 2, year: 1900) == 28)
    }

    @Test func timestampsReadToTheNanosecondInUTC() {
        let second: Int128 = 1_000_000_000, day = 86_400 * second
        #expect(iso("1970-01-01T00:00:00")?.nanoseconds == 0)
        #expect(iso("1970-01-01 00:00:00.000000001")?.nanoseconds == 1)
        #expect(iso("1969-12-31T23:59:59.999999999")?.nanoseconds == -1)
        #expect(iso("1970-01-01T00:00:00.5")?.nanoseconds == second / 2)
        #expect(iso("1970-01-01T00:00")?.nanoseconds == 0)
        #expect(iso("2024-03-01T12:34:56.123456789Z")?.nanoseconds == Int128(19783) * day + Int128(45296) * second + 123_456_789)
        // Offsets: the instant in UTC; a negative offset is later in UTC, across a year boundary both ways.
        #expect(iso("2023-12-31T20:00:00-08:00")?.nanoseconds == Int128(iso("2024-01-01")!.days) * day + 4 * 3600 * second)
        #expect(iso("2024-01-01T00:30:00+01:00")?.nanoseconds == Int128(iso("2024-01-01")!.days) * day - 1800 * second)
        #expect(iso("2024-03-01T12:34:56-0800")?.nanoseconds == iso("2024-03-01T20:34:56Z")?.nanoseconds)
        #expect(iso("2024-03-01 07:04:56+00")?.nanoseconds == iso("2024-03-01T07:04:56+00:00")?.nanoseconds)
        #expect(iso("2024-03-01T12:00:00+05:30")?.nanoseconds == iso("2024-03-01T06:30:00Z")?.nanoseconds)
        #expect(iso("2024-03-01T12:00:00Z")?.hasOffset == true && iso("2024-03-01T12:00:00")?.hasOffset == false)
        #expect(iso("1970-01-01T00:00:01.5")?.seconds == 1.5)
        for bad in ["2024-03-01T24:00:00", "2024-03-01T12:60:00", "2024-03-01T12:00:60", "2024-03-01T12:00:00.",
                    "2024-03-01T12:00:00.1234567891", "2024-03-01T12:00:00+24:00", "2024-03-01T12:00:00+05:3",
                    "2024-03-01T12:00:00 Z", "2024-03-01T1:00:00", "2024-03-01  12:00:00"] {
            #expect(iso(bad) == nil, "\(bad)")
        }
    }

    /// A column is a date or timestamp column when every value not missing
    /// parses and they agree; otherwise the usual rules (text: categorical).
    @Test func inferenceNeedsEveryValueToParse() throws {
        let csv = try file("t.csv", """
            d,t,mixed,tz,bad,label
            2024-02-29,2024-03-01,2024-03-01T00:00:00Z,2024-03-01T00:00:00Z,2024-02-28,a
            ,2024-03-01 12:00:00,2024-03-01T00:00:00,NA,2023-02-29,b
            2000-01-01,2024-03-02T01:02:03.5,2024-03-01T00:00:00Z,2024-03-01T00:00:00+01:00,2024-02-28,a

            """)
        let set = try LabeledFeatures.read(table: csv, labelColumn: "label", featureColumns: ["d", "t", "mixed", "tz", "bad"], dropMissing: true)
        let types = Dictionary(uniqueKeysWithValues: set.schema!.columns.map { ($0.name, $0.type.name) })
        #expect(types == ["d": "date", "t": "timestamp", "mixed": "categorical", "tz": "timestamp", "bad": "categorical", "label": "categorical"])
        #expect(set.schema?["d"]?.missing == 1 && set.schema?["tz"]?.missing == 1)
        #expect(set.schema?["d"]?.unit == "days since 1970-01-01")
        #expect(set.schema?["t"]?.unit == "seconds since 1970-01-01 00:00:00")
        #expect(set.schema?["tz"]?.unit == "seconds since 1970-01-01 00:00:00 UTC (ISO 8601 offsets applied)")
        #expect(set.featureNames == ["d", "t", "tz"] && set.rows == 2)
        #expect(set.features![1, 0] == 10957 && set.features![1, 2] == Float(Double(19782 * 86_400 + 23 * 3600)))
        // The recorded schema, with its stated unit, reads back.
        #expect(try TableSchema(json: set.schema!.json, source: "s.json") == set.schema!)
        // TSV and JSON Lines the same way.
        let tsv = try file("t.tsv", "d\tlabel\n2024-02-29\ta\n1969-12-31\tb\n")
        #expect(try LabeledFeatures.read(table: tsv, labelColumn: "label").schema?["d"]?.type == .date)
        let jsonl = try file("t.jsonl", "{\"at\": \"2024-03-01T12:00:00Z\", \"label\": \"a\"}\n{\"at\": null, \"label\": \"b\"}\n")
        let j = try LabeledFeatures.read(table: jsonl, labelColumn: "label", dropMissing: true)
        #expect(j.schema?["at"]?.type == .timestamp && j.features![0, 0] == Float(1709294400.0))
    }

    /// `--schema` forces the type: a value that is not one is one line.
    @Test func aSchemaForcesDatesAndRefusesWhatIsNotOne() throws {
        let csv = try file("t.csv", "d,label\n2024-02-29,a\n2023-02-29,b\n")
        let date = ColumnTypeOverrides(schema: TableSchema(columns: [.init(name: "d", type: .date, missing: nil)]), schemaSource: "s.json")
        #expect(throws: InputError(file: csv, line: 3, columnName: .named("d"), expected: "an ISO 8601 date (its type in the schema)", found: "\"2023-02-29\"")) {
            try LabeledFeatures.read(table: csv, labelColumn: "label", types: date)
        }
        let stamps = try file("s.csv", "t,label\n2024-02-29T10:00:00,a\n2024-02-29T10:00:00Z,b\n")
        let timestamp = ColumnTypeOverrides(schema: TableSchema(columns: [.init(name: "t", type: .timestamp, missing: nil)]), schemaSource: "s.json")
        #expect(throws: InputError(file: stamps, line: 3, columnName: .named("t"),
                                   expected: "an ISO 8601 timestamp without a time zone, as the column's first (its type in the schema)",
                                   found: "\"2024-02-29T10:00:00Z\"")) {
            try LabeledFeatures.read(table: stamps, labelColumn: "label", types: timestamp)
        }
        // A timestamp in a date column is not a date.
        let mixed = try file("m.csv", "d,label\n2024-02-29,a\n2024-02-29 10:00:00,b\n")
        #expect(throws: InputError(file: mixed, line: 3, columnName: .named("d"), expected: "an ISO 8601 date (its type in the schema)", found: "\"2024-02-29 10:00:00\"")) {
            try LabeledFeatures.read(table: mixed, labelColumn: "label", types: date)
        }
        // Forced on a column that inference leaves categorical, the good values are read.
        let ok = try file("o.csv", "d,label\n2024-02-29,a\n1970-01-02,b\n")
        let set = try LabeledFeatures.read(table: ok, labelColumn: "label", types: ColumnTypeOverrides(schema: TableSchema(columns: [.init(name: "d", type: .date, missing: nil)]), schemaSource: "s.json"))
        #expect(set.features![1, 0] == 1 && set.schema?["d"]?.type == .date)
    }

    /// JSON Lines columns are the first line's keys in their order, through either path.
    @Test func jsonLinesColumnsFollowTheFirstLine() throws {
        let fast = try file("f.jsonl", "{\"x10\": 1, \"b\": 2, \"x2\": 3, \"label\": \"a\", \"a\": 4}\n{\"a\": 5, \"b\": 6, \"x2\": 7, \"x10\": 8, \"label\": \"b\"}\n")
        let set = try LabeledFeatures.read(table: fast, labelColumn: "label")
        #expect(set.featureNames == ["x10", "b", "x2", "a"])
        #expect(set.schema?.columns.map(\.name) == ["x10", "b", "x2", "label", "a"])
        #expect(set.features![1, 0] == 8 && set.features![1, 3] == 5)
        // A first line the exact path reads (a whole number from 2^53 up) keeps its order too.
        let exact = try file("e.jsonl", "{\"z\": 1e20, \"\\u0079\": 1, \"label\": \"a\"}\n{\"label\": \"b\", \"y\": 2, \"z\": 3}\n")
        let e = try LabeledFeatures.read(table: exact, labelColumn: "label")
        #expect(e.featureNames == ["z", "y"])
        // Other keys on a later line: a new column after the others, absent (missing, as a null) where a line lacks the key.
        let other = try file("o.jsonl", "{\"b\": 1, \"a\": 2}\n{\"c\": 1, \"a\": 2}\n")
        let o = try TableSource(other)
        #expect(o.header == ["b", "a", "c"])
        #expect(o.cell(1, 0).isAbsent && o.cell(0, 2).isAbsent && o.cell(1, 2).spelling == "1")
    }

    @Test func jsonLinesListsAreFeatureBlocks() throws {
        // Fast path, exact path (a number from 2^53 up on line 2), a null list, a null element.
        let path = try file("e.jsonl", """
            {"x": 1, "emb": [0.5, -1, 2.25], "label": "a"}
            {"x": 1e20, "emb": [1.5, 2, -0.125], "label": "b"}
            {"x": 3, "emb": null, "label": "a"}
            {"x": 4, "emb": [1, null, 3], "label": "b"}

            """)
        let set = try LabeledFeatures.read(table: path, labelColumn: "label", dropMissing: true)
        #expect(set.featureNames == ["x", "emb[0]", "emb[1]", "emb[2]"])
        #expect(set.schema?["emb"]?.width == 3 && set.schema?["emb"]?.type == .numeric && set.schema?["emb"]?.missing == 4)
        #expect(set.rows == 2 && (0..<4).map { set.features![0, $0] } == [1, 0.5, -1, 2.25])
        #expect((1..<4).map { set.features![1, $0] } == [1.5, 2, -0.125])
        // The cell of a list column is still the array, for messages.
        #expect(throws: InputError(file: path, line: 1, columnName: .named("emb"), expected: "a label (a string or a number)", found: "an array of 3")) {
            try LabeledFeatures.read(table: path, labelColumn: "emb")
        }
    }

    @Test func badListsAreOneLineAndOnlyWhenRead() throws {
        func refusal(_ lines: String) throws -> (path: String, error: (any Error)?) {
            let path = try file("l.jsonl", lines)
            do { _ = try LabeledFeatures.read(table: path, labelColumn: "label", featureColumns: ["emb"]); return (path, nil) } catch { return (path, error) }
        }
        let cases: [(String, Int, String, String)] = [
            ("{\"emb\": [1, 2], \"label\": \"a\"}\n{\"emb\": [1, 2, 3], \"label\": \"b\"}\n", 2,
             "a list of 2 numbers, as on line 1 (every row's the same length)", "3"),
            ("{\"emb\": [1, 2], \"label\": \"a\"}\n{\"emb\": [1, \"x\"], \"label\": \"b\"}\n", 2, "a list of numbers (an embedding)", "\"x\" (element 1)"),
            ("{\"emb\": [[1, 2]], \"label\": \"a\"}\n", 1, "a list of numbers (an embedding)", "a nested list of 2 (element 0)"),
            ("{\"emb\": [1, true], \"label\": \"a\"}\n", 1, "a list of numbers (an embedding)", "true (element 1)"),
            ("{\"emb\": [], \"label\": \"a\"}\n", 1, "a list of at least one number (an embedding)", "an empty list"),
            ("{\"emb\": [1, 2], \"label\": \"a\"}\n{\"emb\": 3.5, \"label\": \"b\"}\n", 2, "a list of 2 numbers, as on line 1", "3.5"),
            ("{\"emb\": \"v\", \"label\": \"a\"}\n{\"emb\": [1, 2], \"label\": \"b\"}\n", 1, "a list of 2 numbers, as on line 2", "\"v\""),
            ("{\"emb\": [1, 1e39], \"label\": \"a\"}\n", 1, "numbers within float32's range (magnitude at most \(Float.greatestFiniteMagnitude))", "1e+39 (element 1)"),
        ]
        for (text, line, expected, found) in cases {
            let (path, error) = try refusal(text)
            #expect(error as? InputError == InputError(file: path, line: line, columnName: .named("emb"), expected: expected, found: found), "\(text)")
        }
        // A default feature: refused as a column the run would read only by default.
        let path = try file("d.jsonl", "{\"x\": 1, \"emb\": [1, 2], \"label\": \"a\"}\n{\"x\": 2, \"emb\": [1], \"label\": \"b\"}\n")
        #expect(throws: UnreadableDefaultColumnError(InputError(file: path, line: 2, columnName: .named("emb"),
                                                                expected: "a list of 2 numbers, as on line 1 (every row's the same length)", found: "1"))) {
            try LabeledFeatures.read(table: path, labelColumn: "label")
        }
        // A run that does not use the column is not blocked by it.
        let set = try LabeledFeatures.read(table: path, labelColumn: "label", featureColumns: ["x"])
        #expect(set.featureNames == ["x"] && set.rows == 2)
    }

    /// Fuzz: mutated dates and timestamps in a CSV column, and mutated list
    /// lines in JSON Lines. Every outcome is a value or one line naming the
    /// file, never a trap; a date that parses is a real day.
    @Test func mutatedDatesAndListsNeverTrap() throws {
        var rng = SplitMix64(seed: 0x5EED2407)  // seeded: a failure replays, CI never flakes
        let dates = Array("2024-02-29T23:59:59.123456789+05:30".utf8)
        let alphabet = Array("0123456789-:T Z+.,[]\"enul".utf8) + [0xff, 0]
        for _ in 0..<2000 {
            var bytes = Array(dates.prefix(Int.random(in: 0...dates.count, using: &rng)))
            for _ in 0..<Int.random(in: 0...3, using: &rng) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = alphabet.randomElement(using: &rng)!
            }
            guard let parsed = bytes.withUnsafeBufferPointer({ ISO8601Text($0) }) else { continue }
            // Its date part is a day of its month, and counting days gives it back.
            let text = String(decoding: bytes.prefix(10), as: UTF8.self)
            let (y, m, d) = (Int(text.prefix(4))!, Int(text.dropFirst(5).prefix(2))!, Int(text.suffix(2))!)
            #expect((1...12).contains(m) && (1...ISO8601Text.daysIn(month: m, year: y)).contains(d), "\(text)")
            #expect(parsed.days == ISO8601Text.daysFromCivil(year: y, month: m, day: d))
        }
        let list = Array("{\"emb\": [0.5, -1e3, null], \"t\": \"2024-02-29\", \"label\": \"a\"}\n".utf8)
        for i in 0..<300 {
            var bytes = list + list
            for _ in 0..<Int.random(in: 1...3, using: &rng) { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = alphabet.randomElement(using: &rng)! }
            let path = try file("f\(i % 2).\(i % 2 == 0 ? "jsonl" : "csv")", String(decoding: bytes, as: UTF8.self))
            do {
                _ = try LabeledFeatures.read(table: path, labelColumn: "label", dropMissing: true)
            } catch let e as any SynthctlError {
                #expect(e.message.hasPrefix(path) && !e.message.contains("\n"), "\(e.message)")
            } catch let e as MissingValueError {
                #expect(e.message.hasPrefix(path), "\(e.message)")
            } catch { Issue.record("\(error)") }
        }
    }
}
