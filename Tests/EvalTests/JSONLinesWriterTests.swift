import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore

/// JSON Lines written by pandas `to_json(orient="records", lines=True)`,
/// Polars `write_ndjson` and Hugging Face `datasets` `to_json`
/// (`Tests/Oracles/jsonl_writers.py`) read with the values pandas reads:
/// every number the same Double (an integer cell by its value), every text
/// the same characters, nulls and NaN where pandas has a missing value.
@Suite struct JSONLinesWriterTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/jsonl")

    @Test(arguments: ["pandas.jsonl", "polars.jsonl", "datasets.jsonl"])
    func readsWhatPandasReads(file: String) throws {
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.directory.appendingPathComponent("expected.json"))) as! [String: Any]
        let mine = expected[file] as! [String: Any]
        let columns = mine["columns"] as! [String]
        let values = mine["values"] as! [String: [Any]]
        let path = Self.directory.appendingPathComponent(file).path
        let table = try TableSource(path)
        #expect(Set(table.header) == Set(columns))
        for name in columns {
            let c = try #require(table.header.firstIndex(of: name))
            let want = values[name]!
            #expect(table.rows == want.count)
            for (r, w) in want.enumerated() {
                let cell = table.cell(r, c)
                switch (cell, w) {
                case (.null, is NSNull): break
                case (.text(let s), let t as String): #expect(s == t, "\(file) \(name) row \(r)")
                case (.boolean(let b), let n as NSNumber): #expect(b == n.boolValue, "\(file) \(name) row \(r)")
                case (.integer(let i), let n as NSNumber): #expect(Double(i) == n.doubleValue && (abs(i) > 1 << 53 ? i == n.int64Value : true), "\(file) \(name) row \(r): \(i) vs \(n)")
                case (.real(let d), let n as NSNumber): #expect(d == n.doubleValue, "\(file) \(name) row \(r): \(d) vs \(n)")
                default: Issue.record("\(file) \(name) row \(r): \(cell) where pandas reads \(w)")
                }
            }
        }
    }
}
