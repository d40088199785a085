import SynthctlCore

/// Boundary adherence, as SDMetrics defines it (`sdmetrics.single_column.
/// BoundaryAdherence`): for each feature column, the share of the compared
/// set's values that lie within [min, max] of the reference's column, both
/// ends included (pandas' `Series.between`). Here the reference is the
/// human training rows, so a synthetic value outside the range any human
/// row took — a negative count, a share above 1 — lowers it.
///
/// A boolean column (0/1, ``ColumnType/boolean``) is left aside, as
/// integrality leaves it: its range is its two values, so it adheres by
/// construction and would only pull the mean towards 1 (ratio × 1.15 scored
/// 0.99808 with the flag column counted, 0.99744 without, SDMetrics'
/// number). SDMetrics' DiagnosticReport does the same: BoundaryAdherence
/// for numerical and datetime columns, CategoryAdherence for boolean ones
/// (sdmetrics 0.32 `reports/single_table/_properties/data_validity.py`).
///
/// The metric is the mean over the checked features (1 best, 0 when every
/// value is out of range); the JSON report also gives the lowest feature's
/// share and its column's name, beside the mean. Computed for the whole set, each
/// baseline and each compared class (the class's rows of both sets).
///
/// O(N·D) comparisons of the stored float32 values, so the shares are
/// exact ratios of counts, the same on every machine.
public struct BoundaryAdherence: Sendable {
    /// Per checked feature (in ``features``' order), the share of candidate
    /// values within the reference's [min, max]; empty when either set has
    /// no rows or no feature is checked.
    public let perFeature: [Double]
    /// The checked features' indices, ascending: every feature but the
    /// boolean ones; empty with ``perFeature``.
    public let features: [Int]
    /// Whether the sets have rows and features, all of them boolean.
    private let onlyBooleanFeatures: Bool

    /// - Parameters:
    ///   - reference: rows × D, the rows that set each column's range.
    ///   - candidate: rows × D, the values that are checked; same D.
    ///   - booleanColumns: features left aside (boolean columns).
    public init(reference: Matrix, candidate: Matrix, booleanColumns: Set<Int> = []) {
        precondition(reference.columns == candidate.columns)
        let d = reference.columns
        let checked = (0..<d).filter { !booleanColumns.contains($0) }
        onlyBooleanFeatures = reference.rows > 0 && candidate.rows > 0 && d > 0 && checked.isEmpty
        guard reference.rows > 0, candidate.rows > 0, !checked.isEmpty else { perFeature = []; features = []; return }
        var low = [Float](repeating: .infinity, count: d), high = [Float](repeating: -.infinity, count: d)
        reference.storage.withUnsafeBufferPointer { x in
            for r in 0..<reference.rows {
                for j in 0..<d {
                    let v = x[r * d + j]
                    low[j] = min(low[j], v)
                    high[j] = max(high[j], v)
                }
            }
        }
        var inside = [Int](repeating: 0, count: d)
        candidate.storage.withUnsafeBufferPointer { y in
            for r in 0..<candidate.rows {
                for j in 0..<d where y[r * d + j] >= low[j] && y[r * d + j] <= high[j] { inside[j] += 1 }
            }
        }
        features = checked
        perFeature = checked.map { Double(inside[$0]) / Double(candidate.rows) }
    }

    /// The mean over the checked features; undefined without rows or
    /// features, or when every feature is boolean.
    public var mean: MetricValue {
        guard !onlyBooleanFeatures else { return .undefined("every feature is boolean: no numeric range to check") }
        guard !perFeature.isEmpty else { return .undefined("a set without rows or features has no values to check") }
        return .defined(perFeature.reduce(0, +) / Double(perFeature.count))
    }

    /// The checked feature with the lowest share (the first such), and its share.
    public var lowest: (feature: Int, share: Double)? {
        perFeature.indices.min { perFeature[$0] < perFeature[$1] }.map { (features[$0], perFeature[$0]) }
    }

    /// The metric's value and details for one compared set.
    static func computed(_ sets: FidelityMetric.ComparedSets) -> FidelityMetric.Computed {
        let b = BoundaryAdherence(reference: sets.reference, candidate: sets.candidate, booleanColumns: sets.booleanColumns)
        guard let (feature, share) = b.lowest else { return .init(b.mean) }
        return .init(b.mean, details: ["min_boundary_adherence": .double(share), "min_boundary_adherence_column": .string(sets.featureName(feature))])
    }

    /// Whether a set's boundary adherence falls short of the human
    /// holdout's by more than sampling error: the holdout's rows are human
    /// rows outside the training rows, so they show how often unseen human
    /// values leave the training range by chance.
    ///
    /// Short when g = a_h − a_s > 1.96·√(a_s(1 − a_s)/m + a_h(1 − a_h)/n),
    /// a_s and a_h the two means over features, m and n the rows each has.
    /// Each feature's share p_j of n rows has the binomial standard error
    /// √(p_j(1 − p_j)/n); the mean's is at most the mean of those, whatever
    /// the correlation between features (triangle inequality), and that is
    /// at most √(a(1 − a)/n) (Jensen: p(1 − p) is concave), so the bound is
    /// conservative and needs only the means.
    ///
    /// - Parameters:
    ///   - candidate: the compared set's mean boundary adherence over its `rows`.
    ///   - holdout: the human holdout's mean over its `holdoutRows`.
    public static func fallsShort(_ candidate: Double, rows: Int, of holdout: Double, holdoutRows: Int) -> Bool {
        guard rows > 0, holdoutRows > 0, candidate.isFinite, holdout.isFinite else { return false }
        let se2 = candidate * (1 - candidate) / Double(rows) + holdout * (1 - holdout) / Double(holdoutRows)
        return holdout - candidate > ConfidenceInterval.z95 * se2.squareRoot()
    }
}

extension FidelityMetric {
    /// Validity: does the synthetic set stay within the human data's range?
    public static let boundaryAdherence = FidelityMetric(
        name: "boundary adherence", direction: .higherIsBetter, key: ["validity", "boundary_adherence"],
        definition: Definition(key: "boundary_adherence", text: "share of synthetic values within [min, max] of the human training rows' column, per feature, ends included (SDMetrics BoundaryAdherence), boolean columns aside (as SDMetrics' DiagnosticReport, which gives them CategoryAdherence); boundary_adherence is the mean over those features, min_boundary_adherence the lowest feature's and min_boundary_adherence_column its column's name; 1 best"),
        gates: [Gate("min-boundary-adherence", .atLeast, subject: "boundary adherence", limits: 0...1)],
        computation: Computation(
            wholeSet: BoundaryAdherence.computed,
            perClass: .computed(key: ["boundary_adherence"], heading: "boundary adherence", column: nil, compute: BoundaryAdherence.computed)))
}
