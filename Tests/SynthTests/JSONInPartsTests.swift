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
