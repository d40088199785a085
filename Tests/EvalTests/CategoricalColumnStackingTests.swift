import Testing
import Foundation
import TestSupport
@testable import Eval

/// The categorical columns of a sharded set's parts, stacked
/// (``CategoricalColumn/stacking(_:)``): the same column a read of the
/// whole table gives, whichever categories each part holds.
@Suite struct CategoricalColumnStackingTests {
    @Test func partsLackingCategoriesStackToTheWholeTablesColumn() {
        let a = CategoricalColumn(name: "city", categories: ["north", "south"], codes: [1, 0, -1])
        let b = CategoricalColumn(name: "city", categories: ["east", "south"], codes: [0, 1])
        let c = CategoricalColumn(name: "city", categories: ["10", "9"], codes: [1])
        let whole = CategoricalColumn.stacking([a, b, c])
        // Byte order, as one read of the table orders text categories; −1 stays missing.
        #expect(whole == CategoricalColumn(name: "city", categories: ["10", "9", "east", "north", "south"], codes: [4, 3, -1, 2, 4, 1]))
        #expect(CategoricalColumn.stacking([a]) == a)
        // Numbers in every part: numeric order.
        let n = CategoricalColumn.stacking([CategoricalColumn(name: "n", categories: ["2", "10"], codes: [1, 0]),
                                            CategoricalColumn(name: "n", categories: ["9"], codes: [0])])
        #expect(n.categories == ["2", "9", "10"] && n.codes == [2, 0, 1])
        // NFC and NFD spellings are two categories, as pandas sees them.
        let nfc = "caf\u{E9}", nfd = "cafe\u{301}"
        let two = CategoricalColumn.stacking([CategoricalColumn(name: "x", categories: [nfc], codes: [0]),
                                              CategoricalColumn(name: "x", categories: [nfd], codes: [0])])
        #expect(two.categories.count == 2 && two.codes[0] != two.codes[1])
    }

    /// Random splits of one column into parts stack back to the values of the column.
    @Test func randomSplitsStackBackToTheirValues() {
        var rng = SplitMix64(seed: 0x5EED2615)
        let pool = ["red", "green", "blue", "7", "x y", ""]
        for _ in 0..<50 {
            let values: [String?] = (0..<Int(rng.next() % 40 + 1)).map { _ in rng.next() % 7 == 0 ? nil : pool[Int(rng.next() % UInt64(pool.count))] }
            var parts = [CategoricalColumn](), start = 0
            while start < values.count {
                let end = min(values.count, start + Int(rng.next() % 10 + 1))
                let slice = values[start..<end]
                let categories = Array(Set(slice.compactMap { $0 })).sorted()
                parts.append(CategoricalColumn(name: "c", categories: categories,
                                               codes: slice.map { v in v.map { Int32(categories.firstIndex(of: $0)!) } ?? -1 }))
                start = end
            }
            let whole = CategoricalColumn.stacking(parts)
            #expect(whole.codes.map { $0 < 0 ? nil : whole.categories[Int($0)] } == values)
            #expect(whole.categories == whole.categories.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } || whole.categories.allSatisfy { Double($0) != nil })
        }
    }
}
