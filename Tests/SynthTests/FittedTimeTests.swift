import Testing
@testable import Synth
import SynthctlCore

/// A fitted date or timestamp column written as text (``FittedTime``):
/// ISO 8601 that pandas and synthctl's reader take back to the same days
/// and seconds, and the model file's `time` field.
@Suite struct FittedTimeTests {
    @Test(arguments: [(0, "1970-01-01"), (-1, "1969-12-31"), (19_783, "2024-03-01"), (19_782, "2024-02-29"),
                      (11_016, "2000-02-29"), (-719_528, "0000-01-01"), (2_932_896, "9999-12-31"), (2_932_897, "+10000-01-01")])
    func datesAreTheirCalendarDay(days: Int, text: String) {
        #expect(FittedTime.date.text(Double(days)) == text)
    }

    @Test func timestampsHaveTheirTimeOfDayAndAFractionOnlyWhereThereIsOne() {
        #expect(FittedTime.timestamp.text(1_709_296_496) == "2024-03-01T12:34:56")
        #expect(FittedTime.timestampUTC.text(1_709_296_496) == "2024-03-01T12:34:56Z")
        #expect(FittedTime.timestamp.text(1_709_296_496.25) == "2024-03-01T12:34:56.25")
        #expect(FittedTime.timestamp.text(-0.5) == "1969-12-31T23:59:59.5")
        #expect(FittedTime.timestamp.text(-86_400) == "1969-12-31T00:00:00")
        #expect(FittedTime.timestamp.text(0.000001) == "1970-01-01T00:00:00.000001")
    }

    @Test func theTimeFollowsTheSchemasTypeAndUnit() {
        #expect(FittedTime(type: .date, unit: nil) == .date)
        #expect(FittedTime(type: .timestamp, unit: "seconds since 1970-01-01 00:00:00") == .timestamp)
        #expect(FittedTime(type: .timestamp, unit: "seconds since 1970-01-01 00:00:00 UTC (ISO 8601 offsets applied)") == .timestampUTC)
        #expect(FittedTime(type: .integer, unit: nil) == nil)
        func unit(_ kind: FittedColumns.Kind, _ decimals: Int?) -> ParquetColumn.TimeUnit {
            FittedTime.parquetUnit(of: FittedColumns.Column(kind: kind, decimals: decimals, time: .timestamp))
        }
        #expect(unit(.integer, nil) == .millis && unit(.continuous, 0) == .millis && unit(.continuous, 3) == .millis)
        #expect(unit(.continuous, 4) == .micros && unit(.continuous, nil) == .micros)
    }

    @Test func theModelFileKeepsTheTimeAndRefusesOneThatCannotBe() throws {
        let columns = FittedColumns(columns: [FittedColumns.Column(kind: .integer, min: 0, max: 9, lower: 0, upper: 9, time: .date),
                                              FittedColumns.Column(kind: .continuous, min: 0, max: 9, lower: 0, upper: 9, decimals: 2, time: .timestampUTC)])
        let read = try FittedColumns(columns.json, features: 2, classes: 1, source: "m.json")
        #expect(read == columns)
        #expect(read?.columns.map(\.columnType) == [.date, .timestamp])
        func with(_ time: String, kind: String) -> JSONValue {
            .array([.object(["kind": .string(kind), "min": .double(0), "max": .double(9), "bounds": .array([.double(0), .double(9)]), "time": .string(time)])])
        }
        #expect(throws: InputError(file: "m.json", field: "columns[0].time", expected: "\"timestamp\" or \"timestamp_utc\" (a date is an integer column)", found: "\"date\"")) {
            try FittedColumns(with("date", kind: "continuous"), features: 1, classes: 1, source: "m.json")
        }
        #expect(throws: InputError(file: "m.json", field: "columns[0].time", expected: "\"date\", \"timestamp\" or \"timestamp_utc\"", found: "\"week\"")) {
            try FittedColumns(with("week", kind: "integer"), features: 1, classes: 1, source: "m.json")
        }
    }
}
