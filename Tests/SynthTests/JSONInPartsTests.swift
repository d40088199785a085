import Testing
@testable import SynthctlCore
import TestSupport

/// A report's long arrays are written in parts on several threads
/// (``JSONValue/fileContents(threads:)``); the bytes must be those of the
/// one-thread writer for any thread count, at and around the size where
/// parts start.
@Suite struct JSONInPartsTests {
    /// An object like a score report: a long list of pair objects (strings
    /// that need escapes, integers, doubles, NaN written as null, nested
    /// lists), a long flat list of numbers, and short lists.
    static func report(pairs: Int, numbers: Int) -> JSONValue {
        var rng = SplitMix64(seed: 0x5EED_3701)  // seeded: a failure replays
        let list: [JSONValue] = (0..<pairs).map { i in
            .object([
                "a": .string("worker \"\(i)\"\n"), "b": .string("é\\\(i % 7)"), "shared_items": .int(i * 37 - 500),
                "kappa": i % 11 == 0 ? .double(.nan) : .double(Double.random(in: -1...1, using: &rng)),
                "matrix": .array([.array([.int(i), .double(0.5)]), .array([])]), "empty": .object([:]),
            ])
        }
        let flat: [JSONValue] = (0..<numbers).map { _ in .double(Double.random(in: -1e9...1e9, using: &rng)) }
        return .object(["pairs": .array(list), "numbers": .array(flat), "short": .array([.bool(true), .null, .string("x")])])
    }

    @Test(arguments: [0, 1, JSONValue.itemsWrittenInParts - 1, JSONValue.itemsWrittenInParts, 5_003])
    func anyThreadCountWritesTheSameBytes(items: Int) {
        let value = Self.report(pairs: items, numbers: items)
        let one = value.fileContents()
        #expect(one == Array((value.serialized() + "\n").utf8))
        for threads in [2, 3, 4, 7, 64] {
            #expect(value.fileContents(threads: threads) == one, "\(items) items, \(threads) threads")
        }
    }

    /// Records (objects held as rows of fields, ``JSONRecords``) write the
    /// bytes of the `.array` of `.object`s they stand for: pretty and
    /// compact, in parts on any thread count, with keys absent from some
    /// objects (or from all: `{}`), nested values, escapes and NaN.
    @Test(arguments: [0, 1, 7, JSONValue.itemsWrittenInParts, 3_001])
    func recordsWriteTheirObjectsBytes(count: Int) {
        let keys = ["a", "b \"q\"", "kappa", "nested", "shared_items", "z"]
        /// Object i, as a dictionary.
        func object(_ i: Int) -> [String: JSONValue] {
            guard i % 13 != 5 else { return [:] }  // an object with no field at all
            var o: [String: JSONValue] = ["a": .string("worker \"\(i)\"\n"), "shared_items": .int(i * 37 - 500)]
            if i % 3 != 0 { o["b \"q\""] = .int(i) }
            o["kappa"] = i % 11 == 0 ? .double(.nan) : .double(Double(i) / 7 - 20)
            if i % 4 == 0 { o["nested"] = .object(["kappa": .string("why \(i)"), "list": .array([.int(i), .null])]) }
            if i % 5 == 2 { o["z"] = .null }
            return o
        }
        let objects = (0..<count).map { JSONValue.object(object($0)) }
        for fillThreads in [1, 3] {
            let records = JSONRecords(keys: keys, count: count, threads: fillThreads) { i, fields in
                let o = object(i)
                for (k, key) in keys.enumerated() { fields[k] = o[key] }
            }
            #expect(JSONValue.array(records.objects).compact == JSONValue.array(objects).compact)  // NaN != NaN: compared as text
            let asRecords = JSONValue.object(["pairs": .records(records), "n": .int(count)])
            let asObjects = JSONValue.object(["pairs": .array(objects), "n": .int(count)])
            let expected = asObjects.fileContents()
            for threads in [1, 2, 3, 7] {
                #expect(asRecords.fileContents(threads: threads) == expected, "\(count) records, \(threads) threads")
            }
            #expect(asRecords.compact == asObjects.compact)
            #expect(asRecords.serialized(indent: 3) == asObjects.serialized(indent: 3))
        }
    }

    /// Indentation deeper than the buffer of spaces it is copied from (64).
    @Test func deepIndentationKeepsTwoSpacesALevel() throws {
        var value = JSONValue.object(["leaf": .int(1)])
        for _ in 0..<45 { value = .array([value]) }
        let lines = String(decoding: value.fileContents(threads: 2), as: UTF8.self).split(separator: "\n")
        let leaf = try #require(lines.first { $0.contains("\"leaf\"") })
        #expect(leaf.prefix { $0 == " " }.count == 2 * 46)
        #expect(lines.last == "]")
    }
}
