import SynthctlCore

/// Pairwise fidelity by type, as SDMetrics' QualityReport computes its
/// "Column Pair Trends" property (sdmetrics 0.32:
/// `column_pairs/statistical/correlation_similarity.py`,
/// `contingency_similarity.py`, `reports/single_table/_properties/column_pair_trends.py`).
///
/// For every pair of columns of the reference (the human training rows)
/// and the compared set:
/// A boolean column (``BooleanColumns``) is a categorical one here, as
/// SDMetrics' `boolean` sdtype: its pairs are ContingencySimilarity.
///
/// - two numeric columns: CorrelationSimilarity 1 − |ρ_human − ρ_synthetic| / 2,
///   ρ Pearson's; undefined (left out of the mean, as SDMetrics records an
///   error) when a column is constant in either set;
/// - two categorical columns: ContingencySimilarity 1 − ½ Σ_{a,b} |P_human(a, b) − P_synthetic(a, b)|
///   over the joint frequencies (total variation of the contingency tables);
/// - a numeric and a categorical column: ContingencySimilarity with the
///   numeric column discretized on **the human column's** bins, as
///   SDMetrics' `utils.discretize_column` does for
///   `ContingencySimilarity.compute(…, continuous_column_names=[column])`:
///   edges `np.histogram_bin_edges(human, 10)` (ten equal-width bins from
///   the human minimum to the human maximum; min ∓ 0.5 and max ± 0.5 for a
///   constant column), the outer two opened to −∞ and +∞, and the same edges
///   applied to both sets with `np.digitize` (bin i holds
///   edge_{i−1} ≤ x < edge_i). A synthetic value below the human minimum
///   falls in the first bin, one above the maximum in the last (the human
///   maximum too). So a synthetic column shifted, widened or narrowed
///   against the human one moves its rows into other bins and lowers the
///   pair's score. (SDMetrics 0.32's QualityReport instead bins each set on
///   its own range, `_discretize_column` called per set, which scores a
///   shifted or rescaled marginal as if it were in place.) Missing values:
///   none reach here (numeric cells are refused or dropped when the table
///   is read); SDMetrics would digitize a NaN into a bin of its own.
///
/// The score is the mean over defined pairs (1 best). SDMetrics ≥ 0.27's
/// report leaves out pairs whose human trend is weak (|ρ| ≤ 0.5, Cramér's
/// V ≤ 0.3) by default; here every pair counts (thresholds 0), because a
/// synthetic set that invents a dependence the human data lacks is as
/// wrong as one that loses it. Nor is anything subsampled (SDMetrics
/// subsamples 50,000 rows, unseeded).
///
/// O(P·N) for P = D(D − 1)/2 pairs of N rows, pairs in parallel; memory
/// O((D + C)·N) Doubles and codes, plus one contingency table per worker.
/// Correlations are summed in Double from the float32 values; contingency
/// frequencies are exact ratios of counts.
public struct ColumnPairTrends: Sendable {
    /// SDMetrics' name of the pair's metric.
    public enum Metric: String, Sendable {
        case correlationSimilarity = "CorrelationSimilarity"
        case contingencySimilarity = "ContingencySimilarity"
    }

    public struct Pair: Sendable, Equatable {
        public let first: String
        public let second: String
        public let metric: Metric
        /// Nil when undefined (a constant column in a numeric pair).
        public let score: Double?
        /// Pearson's ρ of the pair in each set (numeric pairs only; nil when undefined).
        public let referenceCorrelation: Double?
        public let candidateCorrelation: Double?
    }

    /// Pairs (i, j), i < j, of the columns in ``ColumnShapes``' order
    /// (numeric, then categorical), in row-major order of (i, j).
    public let pairs: [Pair]

    public init(_ sets: FidelityMetric.ComparedSets) {
        self.init(sets, reference: nil)
    }

    /// - Parameter prepared: ``prepared(_:codes:categories:binsOf:booleans:)``
    ///   of `sets.reference`, when already known (one reference compared
    ///   with several candidates, ``MatchedMarginals``).
    init(_ sets: FidelityMetric.ComparedSets, reference prepared: PreparedSet?) {
        let d = sets.reference.columns, c = sets.categoricalColumns.count, width = d + c
        let booleans = sets.booleanColumns
        let reference = prepared ?? Self.prepared(sets.reference, codes: sets.referenceCodes, categories: sets.categoricalColumns, binsOf: nil,
                                                  booleans: booleans)
        let candidate = Self.prepared(sets.candidate, codes: sets.candidateCodes, categories: sets.categoricalColumns,
                                      binsOf: reference.numeric, booleans: booleans)
        var index = [(Int, Int)]()
        index.reserveCapacity(width * max(width - 1, 0) / 2)
        for i in 0..<width { for j in (i + 1)..<max(i + 1, width) { index.append((i, j)) } }
        func name(_ j: Int) -> String { j < d ? sets.featureName(j) : sets.categoricalColumns[j - d].name }
        var out = [Pair?](repeating: nil, count: index.count)
        out.withUnsafeMutableBufferPointer { p in
            let sink = _UnsafePairs(pairs: p)
            Parallel.forEach(index.count, threads: sets.threads) { t in
                let (i, j) = index[t]
                if i < d && j < d && !booleans.contains(i) && !booleans.contains(j) {
                    let rr = reference.numeric[i].correlation(with: reference.numeric[j])
                    let rs = candidate.numeric[i].correlation(with: candidate.numeric[j])
                    let score = rr.flatMap { a in rs.map { 1 - abs(a - $0) / 2 } }
                    sink.pairs[t] = Pair(first: name(i), second: name(j), metric: .correlationSimilarity, score: score,
                                         referenceCorrelation: rr, candidateCorrelation: rs)
                } else {
                    sink.pairs[t] = Pair(first: name(i), second: name(j), metric: .contingencySimilarity,
                                         score: Self.contingencySimilarity(reference.discrete(i), reference.discrete(j),
                                                                           candidate.discrete(i), candidate.discrete(j)),
                                         referenceCorrelation: nil, candidateCorrelation: nil)
                }
            }
        }
        pairs = out.map { $0! }
    }

    /// The mean over defined pairs.
    public var score: MetricValue {
        let defined = pairs.compactMap(\.score)
        guard !defined.isEmpty else {
            return .undefined(pairs.isEmpty ? "fewer than two columns" : "every pair has a column constant in one of the sets")
        }
        return .defined(defined.reduce(0, +) / Double(defined.count))
    }

    /// The defined pairs, lowest score first (ties in pair order); `count` of them.
    public func worst(_ count: Int) -> [Pair] {
        Array(pairs.enumerated().compactMap { t, p in p.score.map { ($0, t, p) } }
            .sorted { ($0.0, $0.1) < ($1.0, $1.1) }.prefix(count).map(\.2))
    }

    /// A numeric column, centred, in Double, and its discretization.
    struct NumericColumn: Sendable {
        /// x − x̄ per row.
        let centred: [Double]
        /// ‖x − x̄‖; 0 for a constant column.
        let norm: Double
        /// The human column's 11 bin edges, the outer two −∞ and +∞ (``edges(low:high:)``).
        let edges: [Double]
        /// The bin of each row (1…10: `np.digitize` on ``edges``); for a
        /// boolean column its code plus one (1 false, 2 true, 3 other: ``BooleanColumns``).
        let bins: [Int32]

        /// Column `j` of `m`, binned on its own edges (`binsOf` nil: the
        /// human column) or on the human column's (`binsOf`); a `boolean`
        /// column is coded, not binned.
        init(_ m: Matrix, _ j: Int, binsOf human: NumericColumn?, boolean: Bool = false) {
            let n = m.rows
            var x = [Double](repeating: 0, count: n)
            m.storage.withUnsafeBufferPointer { p in for r in 0..<n { x[r] = Double(p[r * m.columns + j]) } }
            let low = x.min() ?? 0, high = x.max() ?? 0
            edges = human?.edges ?? Self.edges(low: low, high: high)
            bins = boolean ? BooleanColumns.codes(m, j).map { $0 + 1 } : Self.digitized(x, edges: edges)
            let mean = n > 0 ? x.reduce(0, +) / Double(n) : 0
            centred = x.map { $0 - mean }
            // A constant column (SDMetrics: one distinct value) has no correlation.
            norm = low == high ? 0 : centred.reduce(0) { $0 + $1 * $1 }.squareRoot()
        }

        /// Pearson's ρ, or nil when either column is constant. As SciPy's
        /// `pearsonr`: the dot product of the centred columns scaled to unit norm.
        func correlation(with other: NumericColumn) -> Double? {
            guard norm > 0, other.norm > 0 else { return nil }
            var s = 0.0
            centred.withUnsafeBufferPointer { a in
                other.centred.withUnsafeBufferPointer { b in
                    for r in 0..<a.count { s += (a[r] / norm) * (b[r] / other.norm) }
                }
            }
            return max(-1, min(1, s))
        }

        /// SDMetrics' `discretize_column` edges for a column spanning
        /// [low, high]: `np.histogram_bin_edges(x, 10)`, low + i·(high − low)/10
        /// (i < 10) and high (NumPy's `linspace`; low − 0.5 and high + 0.5
        /// for a constant column), then the first edge −∞ and the last +∞.
        static func edges(low: Double, high: Double) -> [Double] {
            let (a, b) = low == high ? (low - 0.5, high + 0.5) : (low, high)
            let step = (b - a) / 10
            var edges = (0..<11).map { Double($0) * step + a }
            edges[0] = -.infinity
            edges[10] = .infinity
            return edges
        }

        /// `np.digitize(x, edges)`: a value's bin is the number of edges ≤ it.
        static func digitized(_ x: [Double], edges: [Double]) -> [Int32] {
            x.map { v in
                var lo = 0, hi = edges.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if edges[mid] <= v { lo = mid + 1 } else { hi = mid }
                }
                return Int32(lo)
            }
        }
    }

    /// One set's columns as the pairs read them.
    struct PreparedSet: Sendable {
        let numeric: [NumericColumn]
        /// Per categorical column, its codes shifted by one (0: missing) and its level count.
        let categorical: [(codes: [Int32], levels: Int)]

        /// Column j's discrete codes (a numeric column's bins, 1…10) and level count.
        func discrete(_ j: Int) -> (codes: [Int32], levels: Int) {
            j < numeric.count ? (numeric[j].bins, 11) : categorical[j - numeric.count]
        }
    }

    /// One set's columns; `binsOf` the human set's numeric columns, whose
    /// bin edges the candidate's columns are discretized on (nil for the
    /// human set itself); `booleans` the numeric columns that are boolean.
    static func prepared(_ m: Matrix, codes: [[Int32]], categories: [CategoricalFeatures.Column],
                         binsOf human: [NumericColumn]?, booleans: Set<Int> = []) -> PreparedSet {
        PreparedSet(numeric: (0..<m.columns).map { NumericColumn(m, $0, binsOf: human?[$0], boolean: booleans.contains($0)) },
                    categorical: zip(codes, categories).map { column, c in (column.map { $0 + 1 }, c.categories.count + 1) })
    }

    /// 1 − ½ Σ |P_ref(a, b) − P_cand(a, b)| over the cells of either joint table.
    static func contingencySimilarity(_ ra: (codes: [Int32], levels: Int), _ rb: (codes: [Int32], levels: Int),
                                      _ ca: (codes: [Int32], levels: Int), _ cb: (codes: [Int32], levels: Int)) -> Double? {
        let n = ra.codes.count, m = ca.codes.count
        guard n > 0, m > 0 else { return nil }
        let levelsB = max(rb.levels, cb.levels)
        func cell(_ a: Int32, _ b: Int32) -> Int { Int(a) * levelsB + Int(b) }
        let cells = max(ra.levels, ca.levels) * levelsB
        var tv = 0.0
        if cells <= 1 << 20 {
            var r = [Int](repeating: 0, count: cells), s = r
            for t in 0..<n { r[cell(ra.codes[t], rb.codes[t])] += 1 }
            for t in 0..<m { s[cell(ca.codes[t], cb.codes[t])] += 1 }
            for k in 0..<cells where r[k] > 0 || s[k] > 0 { tv += abs(Double(r[k]) / Double(n) - Double(s[k]) / Double(m)) }
        } else {
            // High-cardinality pairs: only the occupied cells, summed in cell order.
            var r = [Int: Int](), s = [Int: Int]()
            for t in 0..<n { r[cell(ra.codes[t], rb.codes[t]), default: 0] += 1 }
            for t in 0..<m { s[cell(ca.codes[t], cb.codes[t]), default: 0] += 1 }
            for k in Set(r.keys).union(s.keys).sorted() {
                tv += abs(Double(r[k] ?? 0) / Double(n) - Double(s[k] ?? 0) / Double(m))
            }
        }
        return 1 - tv / 2
    }

    /// How many worst pairs the JSON report lists.
    static let listedPairs = 10

    /// The metric's value and details for one compared set.
    static func computed(_ sets: FidelityMetric.ComparedSets) -> FidelityMetric.Computed {
        let trends = ColumnPairTrends(sets)
        let worst: [JSONValue] = trends.worst(listedPairs).map { p in
            var o: [String: JSONValue] = ["columns": .array([.string(p.first), .string(p.second)]), "metric": .string(p.metric.rawValue),
                                          "score": p.score.map(JSONValue.double) ?? .null]
            if let a = p.referenceCorrelation { o["human_correlation"] = .double(a) }
            if let b = p.candidateCorrelation { o["synthetic_correlation"] = .double(b) }
            return .object(o)
        }
        let defined = trends.pairs.filter { $0.score != nil }.count
        return .init(trends.score, details: ["pairs": .int(defined), "undefined_pairs": .int(trends.pairs.count - defined),
                                             "worst_pairs": .array(worst)],
                     columnPairs: trends)
    }
}

/// One pair per slot. Precondition: slot t is written by one worker.
struct _UnsafePairs: @unchecked Sendable {
    let pairs: UnsafeMutableBufferPointer<ColumnPairTrends.Pair?>
}

extension FidelityMetric {
    /// Pairwise fidelity by type: SDMetrics' Column Pair Trends.
    public static let columnPairTrends = FidelityMetric(
        name: "column pair trends", heading: "column pair trends ↑", direction: .higherIsBetter, key: ["column_pair_trends", "score"],
        definition: Definition(key: "column_pair_trends", text: "per pair of columns of the human training rows and the compared set: two numeric columns (not boolean) CorrelationSimilarity 1 − |ρ_human − ρ_synthetic|/2, Pearson (undefined when a column is constant in either set); otherwise ContingencySimilarity 1 − ½Σ|P_human(a,b) − P_synthetic(a,b)| over the joint frequencies (a boolean column as its two categories, as SDMetrics' boolean sdtype), a numeric column of a mixed pair discretized on the human column's 10 equal-width bins, the outer edges open (np.histogram_bin_edges of the human column, first and last edge −inf and +inf, np.digitize of both sets), as SDMetrics' ContingencySimilarity with continuous_column_names does; score = mean over defined pairs, every pair counted (real-trend thresholds 0, no subsampling) (SDMetrics QualityReport Column Pair Trends); pairs and undefined_pairs count them, worst_pairs lists the 10 lowest; 1 best"),
        tables: [.summary, .markdown],
        gates: [Gate("min-column-pair-trends", .atLeast, subject: "column pair trends", limits: 0...1)],
        computation: Computation(
            wholeSet: ColumnPairTrends.computed,
            perClass: .notComputed(because: "a whole-table diagnosis: the per-class entry has the mean |Δ correlation|")))
}
