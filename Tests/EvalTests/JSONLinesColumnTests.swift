import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// ``JSONLinesColumn`` keeps cells in four bytes when their values allow
/// and gives every cell back bit for bit, whatever form it was kept in.
@Suite struct JSONLinesColumnTests {
    /// float32 values as pandas' `to_json` writes them: ten decimal places.
    static func pandasSpelling(_ f: Float) -> Double { Double(String(format: "%.10f", Double(f)))! }

    static func column(_ cells: [TableCell]) -> JSONLinesColumn {
        let c = JSONLinesColumn()
        for cell in cells { c.append(cell) }
        return c
    }

    static func readBack(_ c: JSONLinesColumn) -> [String] { (0..<c.count).map { JSONLinesScannerTests.show(c[$0]) } }

    /// pandas' float32 numbers (small ones among them, which ten places do
    /// not give back and are kept aside), exact float32 numbers, class
    /// names, ids spelled as digits, int32 integers, booleans and nulls:
    /// four bytes a cell.
    @Test func commonColumnsKeepFourBytesACell() {
        var rng = SplitMix64(seed: 0x5EED2403)  // seeded: a failure replays, CI never flakes
        let floats = (0..<5000).map { _ in Float.random(in: -3...3, using: &rng) }
        let pandas: [TableCell] = floats.map { .real(Self.pandasSpelling($0)) }
        let exact: [TableCell] = floats.map { .real(Double($0)) }
        let names: [TableCell] = (0..<5000).map { .text("class_\($0 % 10)") }
        let low = Int64(Int32.min), high = Int64(Int32.max)
        let integers: [TableCell] = (0..<5000).map { (i: Int) -> TableCell in
            let step = Int64(i % 7)
            return .integer(i % 3 == 0 ? low + step : high - step)
        }
        let sparse: [TableCell] = (0..<5000).map { i -> TableCell in
            i % 3 == 0 ? .null : i % 3 == 1 ? .boolean(i % 2 == 0) : .real(Self.pandasSpelling(floats[i]))
        }
        let ids: [TableCell] = (0..<5000).map { .text(String(3_999_000 + $0 * 7)) }
        let columns = [pandas, exact, names, integers, sparse, ids]
        for cells in columns {
            let c = Self.column(cells)
            #expect(c.cellBytes == 4)
            #expect(Self.readBack(c) == cells.map(JSONLinesScannerTests.show))
        }
    }

    /// A column of mostly distinct strings (free text, row ids) stops
    /// interning after its first ``JSONLinesColumn/dedupSample`` strings;
    /// a column of a few values (class names) keeps interning. Either way
    /// every cell reads back, repeats after the switch included.
    @Test func mostlyDistinctStringsAreKeptWithoutInterning() {
        let n = 3 * JSONLinesColumn.dedupSample
        let texts: [TableCell] = (0..<n).map { i in i % 5 == 4 ? .null : .text("text \(i % (2 * JSONLinesColumn.dedupSample)) ü") }
        let names: [TableCell] = (0..<n).map { .text("class_\($0 % 10)") }
        let fewDistinct: [TableCell] = (0..<n).map { .text("v\($0 % (JSONLinesColumn.dedupSample / 2))") }
        for (cells, interns) in [(texts, false), (names, true), (fewDistinct, true)] {
            let c = Self.column(cells)
            #expect(c.internsStrings == interns)
            #expect(Self.readBack(c) == cells.map(JSONLinesScannerTests.show))
        }
    }

    /// A column widens to eight bytes at an integer beyond int32, or when
    /// too many numbers are kept aside (doubles no float32 gives back; exact
    /// float32 numbers, then pandas' spellings, which ten places would not
    /// give the first ones back), and every cell before and after reads back the same.
    @Test func widenedColumnsGiveEveryCellBack() {
        var rng = SplitMix64(seed: 0x5EED2404)  // seeded: a failure replays, CI never flakes
        let floats = (0..<5000).map { _ in Float.random(in: -3...3, using: &rng) }
        let doubles: [TableCell] = (0..<3000).map { _ in .real(Double.random(in: -1e6...1e6, using: &rng)) }
        let mixed: [TableCell] = (0..<3000).map { i -> TableCell in
            switch i % 6 {
            case 0: .real(Self.pandasSpelling(Float(i) / 7))
            case 1: .text(i % 4 == 1 ? "é" : "e\u{301}")  // two spellings Swift's String calls equal
            case 2: .integer(Int64(i) - 1500)
            case 3: .null
            case 4: .nested("an array of \(i % 3)")
            default: .real(Double(Float(i) / 3))
            }
        }
        let cases: [[TableCell]] = [
            doubles,
            floats.map { TableCell.real(Double($0)) } + floats.map { TableCell.real(Self.pandasSpelling($0)) },
            mixed + [.integer(Int64(Int32.max) + 1)] + mixed,
            [.real(0.1), .real(-0.0), .real(1e300), .real(5e-324), .integer(Int64.min), .text("")],
        ]
        for cells in cases {
            let c = Self.column(cells)
            #expect(c.cellBytes == 8)
            #expect(Self.readBack(c) == cells.map(JSONLinesScannerTests.show))
        }
        #expect(Self.readBack(Self.column(mixed)) == mixed.map(JSONLinesScannerTests.show))
    }
}
