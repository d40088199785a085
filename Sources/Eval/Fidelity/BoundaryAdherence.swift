import SynthctlCore

/// Boundary adherence, as SDMetrics defines it (`sdmetrics.single_column.
/// BoundaryAdherence`): for each feature column, the share of the compared
/// set's values that lie within [min, max] of the reference's column, both
/// ends included (pandas' `Series.between`). Here the reference is the
/// human training rows, so a synthetic value outside the range any human
/// row took — a negative count, a share above 1 — lowers it.
///
/// The metric is the mean over features (1 best, 0 when every value is out
/// of range); the JSON report also gives the lowest feature's share and
/// its column's name, beside the mean. Computed for the whole set, each
/// baseline and each compared class (the class's rows of both sets).
///
/// O(N·D) comparisons of the stored float32 values, so the shares are
/// exact ratios of counts, the same on every machine.
public struct BoundaryAdherence: Sendable {
    /// Per feature, the share of candidate values within the reference's
    /// [min, max]; empty when either set has no rows.
    public let perFeature: [Double]

    /// - Parameters:
    ///   - reference: rows × D, the rows that set each column's range.
    ///   - candidate: rows × D, the values that are checked; same D.
    public init(reference: Matrix, candidate: Matrix) {
        precondition(reference.columns == candidate.columns)
        let d = reference.columns
        guard reference.rows > 0, candidate.rows > 0, d > 0 else { perFeature = []; return }
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
        perFeature = inside.map { Double($0) / Double(candidate.rows) }
    }

    /// The mean over features; undefined without rows or features.
    public var mean: MetricValue {
        guard !perFeature.isEmpty else { return .undefined("a set without rows or features has no values to check") }
        return .defined(perFeature.reduce(0, +) / Double(perFeature.count))
    }

    /// The feature with the lowest share (the first such), and its share.
    public var lowest: (feature: Int, share: Double)? {
        perFeature.indices.min { perFeature[$0] < perFeature[$1] }.map { ($0, perFeature[$0]) }
    }

    /// The metric's value and details for one compared set.
    static func computed(_ sets: FidelityMetric.ComparedSets) -> FidelityMetric.Computed {
        let b = BoundaryAdherence(reference: sets.reference, candidate: sets.candidate)
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
        definition: Definition(key: "boundary_adherence", text: "share of synthetic values within [min, max] of the human training rows' column, per feature, ends included (SDMetrics BoundaryAdherence); boundary_adherence is the mean over features, min_boundary_adherence the lowest feature's and min_boundary_adherence_column its column's name; 1 best"),
        gates: [Gate("min-boundary-adherence", .atLeast, subject: "boundary adherence", limits: 0...1)],
        computation: Computation(
            wholeSet: BoundaryAdherence.computed,
            perClass: .computed(key: ["boundary_adherence"], heading: "boundary adherence", column: nil, compute: BoundaryAdherence.computed)))
}
