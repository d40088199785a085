import Testing
@testable import Synth
@testable import SynthctlCore

/// Issue 16: `gen --model` writes Parquet columns as pandas reads the human
/// table and the CSV: a continuous column with learned decimals as DOUBLE
/// (64429.01, not float32's 64429.01171875), an integer column as INT64.
@Suite struct TypedParquetKindTests {
    @Test func learnedDecimalsAndIntegersKeepTheHumanTypes() {
        func kind(_ c: FittedColumns.Column) -> String { "\(DatasetWriter.parquetKind(c))" }
        #expect(kind(.init(kind: .continuous, min: 6346.11, max: 254184.95, lower: 0, decimals: 2)) == "double")
        #expect(kind(.init(kind: .continuous, min: -1, max: 1)) == "float")
        #expect(kind(.init(kind: .integer, min: 0, max: 1, lower: 0, upper: 1)) == "int64")
        #expect(kind(.init(kind: .boolean, categories: ["false", "true"], frequencies: [[0.5, 0.5]])) == "boolean")
        // The double written is the float32 sample rounded to its decimals: the CSV's text.
        #expect(FittedColumns.rounded(Double(Float(64429.01)), decimals: 2) == 64429.01)
        #expect(Double(Float(64429.01)) == 64429.01171875)
    }
}
