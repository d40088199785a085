import Testing
@testable import Eval

/// Ids and labels in result tables (``ResultTable/Column/identifiers(_:)``,
/// ``ResultTable/Column/labels(_:classNames:)``): integers only when the
/// integer reads back to the very text given.
@Suite struct ResultTableIdentifierTests {
    @Test(arguments: [("0", 0), ("7", 7), ("-12", -12), ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min)])
    func canonicalIntegersAreRead(text: String, value: Int) {
        #expect(ResultTable.Column.canonicalInteger(text) == value)
    }

    @Test(arguments: ["", "-", "-0", "007", "+7", "1e3", "1.0", " 7", "7 ", "9223372036854775808", "٣", "0x10"])
    func otherSpellingsAreNot(text: String) {
        #expect(ResultTable.Column.canonicalInteger(text) == nil)
    }

    @Test func idsAreIntegersOnlyWhenEveryOneIs() {
        #expect(ResultTable.Column.identifiers(["3", "10", "-2"]) == .integer([3, 10, -2]))
        #expect(ResultTable.Column.identifiers(["3", "10", "07"]) == .text(["3", "10", "07"]))
        #expect(ResultTable.Column.identifiers([]) == .integer([]))
    }

    @Test func labelsFollowTheClassNamesAndKeepMissingAsText() {
        #expect(ResultTable.Column.labels([1, 0, 1], classNames: ["5", "10"]) == .integer([10, 5, 10]))
        // A class no row has still decides: every label column of a report has one type.
        #expect(ResultTable.Column.labels([0, 0], classNames: ["5", "cat"]) == .text(["5", "5"]))
        #expect(ResultTable.Column.labels([1, -1], classNames: ["5", "10"]) == .text(["10", ""]))
    }

    @Test func integerColumnsAreBareNumbersInCSVAndJSONLines() throws {
        var t = ResultTable(rows: 2)
        t.append("task", .identifiers(["100", "-3"]))
        t.append("label", .labels([0, 1], classNames: ["cat", "dog"]))
        #expect(t.rendered(as: .csv) == "task,label\n100,cat\n-3,dog\n")
        #expect(t.rendered(as: .jsonl) == "{\"task\":100,\"label\":\"cat\"}\n{\"task\":-3,\"label\":\"dog\"}\n")
    }
}
