import SynthctlCore

/// Validity of integer columns: a numeric column whose human training
/// values are all whole numbers (counts, ages, ratings) is an integer
/// column, and its integrality is the share of the compared set's values
/// in it that are whole numbers (x == x.rounded(), exact on the float32
/// values). A generator that samples such a column as a continuous one
/// scores near 0. A boolean column (0/1, ``ColumnType/boolean``) is a
/// flag, not a count: it is no integer column.
///
/// The metric is the mean over integer columns (1 best), undefined when
/// the human rows have none; the JSON report gives the count of integer
/// columns and the lowest column's share and name beside it. O(N·D),
/// exact ratios of counts.
public struct Integrality: Sendable {
    /// Per integer column (in the columns' order): its name and the share of whole candidate values.
    public let perColumn: [(column: String, share: Double)]

    public init(_ sets: FidelityMetric.ComparedSets) {
        let x = sets.reference, y = sets.candidate, d = x.columns
        var whole = (0..<d).map { x.rows > 0 && !sets.booleanColumns.contains($0) }, count = [Int](repeating: 0, count: d)
        x.storage.withUnsafeBufferPointer { v in
            for r in 0..<x.rows { for j in 0..<d where whole[j] && v[r * d + j] != v[r * d + j].rounded() { whole[j] = false } }
        }
        y.storage.withUnsafeBufferPointer { v in
            for r in 0..<y.rows { for j in 0..<d where v[r * d + j] == v[r * d + j].rounded() { count[j] += 1 } }
        }
        perColumn = y.rows == 0 ? [] : (0..<d).filter { whole[$0] }.map { (sets.featureName($0), Double(count[$0]) / Double(y.rows)) }
    }

    /// The mean over integer columns.
    public var mean: MetricValue {
        guard !perColumn.isEmpty else { return .undefined("no numeric column holds only whole numbers in the human training rows") }
        return .defined(perColumn.map(\.share).reduce(0, +) / Double(perColumn.count))
    }

    static func computed(_ sets: FidelityMetric.ComparedSets) -> FidelityMetric.Computed {
        let i = Integrality(sets)
        var details: [String: JSONValue] = ["integer_columns": .int(i.perColumn.count)]
        if let lowest = i.perColumn.min(by: { $0.share < $1.share }) {
            details["min_integrality"] = .double(lowest.share)
            details["min_integrality_column"] = .string(lowest.column)
        }
        return .init(i.mean, details: details)
    }
}

extension FidelityMetric {
    /// Validity: do integer columns stay whole numbers?
    public static let integrality = FidelityMetric(
        name: "integrality", direction: .higherIsBetter, key: ["validity", "integrality"],
        definition: Definition(key: "integrality", text: "for each numeric column whose human training values are all whole numbers (an integer column; boolean columns are not), the share of synthetic values that are whole numbers; integrality is the mean over integer columns (undefined without one), integer_columns their count, min_integrality and min_integrality_column the lowest; 1 best"),
        gates: [Gate("min-integrality", .atLeast, subject: "integrality", limits: 0...1)],
        computation: Computation(
            wholeSet: Integrality.computed,
            perClass: .notComputed(because: "a whole-table validity check: a value's type does not depend on its class")))
}
