import SynthctlCore

/// What the compare page draws that the report's numbers do not carry:
/// each numeric column's values binned on bins shared by the two sets, each
/// categorical and boolean column's category counts, and the difference of every pair
/// of columns. Computed from the human training rows and the synthetic
/// rows in the columns' units (the sets ``ColumnShapes`` and
/// ``ColumnPairTrends`` compare), so the page needs no rows. The pair
/// differences are read from the report's own ``ColumnPairTrends`` (the
/// pairs the JSON lists), not computed again.
///
/// Memory: O(D·bins + C·categories + (D + C)²). Time: O(N·D) for the
/// histograms and O(P) for the P pairs.
public struct ComparisonCharts: Sendable {
    /// One numeric column's values on `bins` equal-width bins spanning both
    /// sets (the smaller minimum to the larger maximum; bin i holds
    /// lower + i·w ≤ x < lower + (i + 1)·w, the maximum in the last bin).
    public struct Histogram: Sendable, Equatable {
        public let column: String
        public let lower: Double
        public let upper: Double
        /// Rows per bin, human training rows and synthetic rows.
        public let humanCounts: [Int]
        public let syntheticCounts: [Int]
    }

    /// One categorical or boolean column's rows per category, in
    /// ``CategoricalFeatures/Column/categories``' order (the human set's
    /// categories, then the ones only the synthetic set has).
    public struct Frequencies: Sendable, Equatable {
        public let column: String
        public let categories: [String]
        /// How many of `categories` (the first ones) the human set has; the
        /// rest are unseen categories.
        public let humanCategories: Int
        public let humanCounts: [Int]
        public let syntheticCounts: [Int]
        /// A boolean column's (``BooleanColumns``), not a categorical one's.
        public var boolean = false
    }

    /// Bins per numeric column.
    public static let bins = 30

    /// In the features' order.
    public let histograms: [Histogram]
    /// The boolean columns (``BooleanColumns``: false, true and, when a
    /// set has other values, other) in the features' order, then the
    /// categorical ones.
    public let frequencies: [Frequencies]
    /// The columns of ``pairDifferences``: the numeric ones, then the categorical ones.
    public let pairColumns: [String]
    /// How many of ``pairColumns`` (the first ones) are numeric.
    public let numericPairColumns: Int
    /// Symmetric, nil on the diagonal and where undefined: for two numeric
    /// columns |ρ_human − ρ_synthetic| (Pearson, in [0, 2]); otherwise the
    /// total variation distance of the contingency tables, 1 − SDMetrics'
    /// ContingencySimilarity (in [0, 1]) (``ColumnPairTrends``).
    public let pairDifferences: [[Double?]]

    /// - Parameters:
    ///   - sets: the human training rows and the synthetic rows.
    ///   - pairs: the same sets' column pairs, as the report computed them
    ///     (``FidelityMetric/Computed/columnPairs``).
    public init(_ sets: FidelityMetric.ComparedSets, pairs trends: ColumnPairTrends) {
        let h = sets.reference, s = sets.candidate, bins = Self.bins
        histograms = (0..<h.columns).map { j in
            var lower = Double.infinity, upper = -Double.infinity
            for r in 0..<h.rows { let x = Double(h[r, j]); lower = min(lower, x); upper = max(upper, x) }
            for r in 0..<s.rows { let x = Double(s[r, j]); lower = min(lower, x); upper = max(upper, x) }
            func counts(_ m: Matrix) -> [Int] {
                var c = [Int](repeating: 0, count: bins)
                let width = upper - lower
                for r in 0..<m.rows {
                    let x = Double(m[r, j])
                    let b = width > 0 ? Int((x - lower) / width * Double(bins)) : 0
                    c[min(max(b, 0), bins - 1)] += 1
                }
                return c
            }
            return Histogram(column: sets.featureName(j), lower: lower.isFinite ? lower : 0, upper: upper.isFinite ? upper : 0,
                             humanCounts: counts(h), syntheticCounts: counts(s))
        }
        // Boolean columns as categories (``BooleanColumns``), "other" only when a set has such values.
        let booleans: [Frequencies] = (0..<h.columns).filter(sets.booleanColumns.contains).map { j in
            func counts(_ m: Matrix) -> [Int] {
                var c = [Int](repeating: 0, count: BooleanColumns.categories.count)
                for code in BooleanColumns.codes(m, j) { c[Int(code)] += 1 }
                return c
            }
            let hc = counts(h), sc = counts(s), shown = hc[2] + sc[2] > 0 ? 3 : 2
            return Frequencies(column: sets.featureName(j), categories: Array(BooleanColumns.categories.prefix(shown)),
                               humanCategories: hc[2] > 0 ? 3 : 2, humanCounts: Array(hc.prefix(shown)), syntheticCounts: Array(sc.prefix(shown)), boolean: true)
        }
        frequencies = booleans + sets.categoricalColumns.enumerated().map { k, column in
            func counts(_ codes: [Int32]) -> [Int] {
                var c = [Int](repeating: 0, count: column.categories.count)
                for code in codes where code >= 0 && Int(code) < c.count { c[Int(code)] += 1 }
                return c
            }
            return Frequencies(column: column.name, categories: column.categories, humanCategories: column.humanCategories,
                               humanCounts: counts(sets.referenceCodes[k]), syntheticCounts: counts(sets.candidateCodes[k]))
        }
        let d = h.columns, width = d + sets.categoricalColumns.count
        pairColumns = (0..<d).map(sets.featureName) + sets.categoricalColumns.map(\.name)
        numericPairColumns = d
        var matrix = [[Double?]](repeating: [Double?](repeating: nil, count: width), count: width)
        // ColumnPairTrends lists pairs (i, j), i < j, in row-major order.
        var t = 0
        let pairs = trends.pairs
        precondition(pairs.count == width * max(width - 1, 0) / 2, "the pairs of other columns")
        for i in 0..<width {
            for j in (i + 1)..<max(i + 1, width) {
                let p = pairs[t]
                t += 1
                let difference: Double?
                if p.metric == .correlationSimilarity {
                    difference = p.referenceCorrelation.flatMap { a in p.candidateCorrelation.map { abs(a - $0) } }
                } else {
                    difference = p.score.map { 1 - $0 }
                }
                matrix[i][j] = difference
                matrix[j][i] = difference
            }
        }
        pairDifferences = matrix
    }
}
