import SynthctlCore

/// Per-column fidelity by type, and the whole table's column-shapes score,
/// as SDMetrics' QualityReport computes its "Column Shapes" property.
///
/// - Numeric column: KS complement 1 − D, D = sup_t |F_human(t) − F_synthetic(t)|
///   (SDMetrics `KSComplement`, SciPy `ks_2samp`'s statistic), and beside it
///   Wasserstein-1 ∫ |F_human − F_synthetic| dt (SciPy `wasserstein_distance`)
///   divided by the human training rows' population standard deviation of
///   the column (1 for a constant column, as ``FeatureSpace``): in
///   standard deviations whatever the column's unit.
/// - Boolean column (``BooleanColumns``), as SDMetrics' `boolean` sdtype,
///   and categorical column: TV complement 1 − ½ Σ_c |p_human(c) − p_synthetic(c)|
///   over the categories of either set (SDMetrics `TVComplement`; as
///   SDMetrics, a category only the synthetic set has counts 10⁻⁶ in the
///   human set's total, so the numbers agree with it exactly).
///
/// The score is the mean of the columns' complements (1 best, 0 when every
/// column is disjoint). "Human" is the reference (the human training
/// rows), "synthetic" the compared set. Missing cells never reach here
/// (readers refuse or drop their rows); SDMetrics drops them per column.
///
/// D is decided exactly (ratios of counts), so the KS and TV complements
/// are exact ratios of counts up to one Double rounding; the Wasserstein
/// distance is summed in Double over the float32 values. O(D·N log N),
/// columns in parallel.
public struct ColumnShapes: Sendable {
    /// A column's type, as its fidelity is measured.
    public enum Kind: String, Sendable {
        case numeric
        case categorical
        case boolean
    }

    public struct Column: Sendable, Equatable {
        public let name: String
        public let kind: Kind
        /// KS complement (numeric) or TV complement (categorical, boolean); NaN
        /// when either set has no value in the column.
        public let complement: Double
        /// Wasserstein-1 in standard deviations of the reference (numeric only).
        public let standardizedWasserstein: Double?

        /// SDMetrics' name of ``complement``.
        public var metric: String { kind == .numeric ? "KSComplement" : "TVComplement" }
    }

    /// The numeric columns in their order (boolean ones among them), then the categorical ones.
    public let columns: [Column]

    /// - Parameter sortedReference: ``MarginalMetrics/sortedColumns(_:threads:)``
    ///   of `sets.reference`, when already known (one reference compared
    ///   with several candidates, ``MatchedMarginals``).
    public init(_ sets: FidelityMetric.ComparedSets, sortedReference: [[Double]]? = nil) {
        let d = sets.reference.columns, c = sets.categoricalColumns.count
        var out = [Column?](repeating: nil, count: d + c)
        out.withUnsafeMutableBufferPointer { p in
            let sink = _UnsafeShapeColumns(columns: p)
            Parallel.forEach(d + c, threads: sets.threads) { j in
                if j < d && sets.booleanColumns.contains(j) {
                    sink.columns[j] = Column(name: sets.featureName(j), kind: .boolean,
                                             complement: Self.tvComplement(BooleanColumns.codes(sets.reference, j), BooleanColumns.codes(sets.candidate, j),
                                                                           categories: BooleanColumns.categories.count),
                                             standardizedWasserstein: nil)
                } else if j < d {
                    let x = sortedReference?[j] ?? MarginalMetrics.sortedColumn(sets.reference, j), y = MarginalMetrics.sortedColumn(sets.candidate, j)
                    let (ks, w) = MarginalMetrics.compareSorted(x, y)
                    let sd = Self.populationStandardDeviation(x)
                    sink.columns[j] = Column(name: sets.featureName(j), kind: .numeric, complement: 1 - ks,
                                             standardizedWasserstein: w / (sd > 0 ? sd : 1))
                } else {
                    let k = j - d
                    sink.columns[j] = Column(name: sets.categoricalColumns[k].name, kind: .categorical,
                                             complement: Self.tvComplement(sets.referenceCodes[k], sets.candidateCodes[k],
                                                                           categories: sets.categoricalColumns[k].categories.count),
                                             standardizedWasserstein: nil)
                }
            }
        }
        columns = out.map { $0! }
    }

    /// The mean complement over columns (NaN ones left out, as pandas' mean).
    public var score: MetricValue {
        let defined = columns.map(\.complement).filter { !$0.isNaN }
        guard !defined.isEmpty else { return .undefined("no column has values in both sets") }
        return .defined(defined.reduce(0, +) / Double(defined.count))
    }

    /// The columns, lowest complement first (ties in column order); `count` of them.
    public func worst(_ count: Int) -> [Column] {
        Array(columns.enumerated().filter { !$0.element.complement.isNaN }
            .sorted { ($0.element.complement, $0.offset) < ($1.element.complement, $1.offset) }.prefix(count).map(\.element))
    }

    /// SDMetrics' TVComplement of two columns of codes (−1, missing, left
    /// out) over `categories` categories: frequencies of the candidate
    /// against the reference's, a category only the candidate has counting
    /// 10⁻⁶ in the reference (`sdmetrics.utils.get_frequencies`).
    static func tvComplement(_ reference: [Int32], _ candidate: [Int32], categories: Int) -> Double {
        var r = [Double](repeating: 0, count: categories), s = r
        for v in reference where v >= 0 { r[Int(v)] += 1 }
        for v in candidate where v >= 0 { s[Int(v)] += 1 }
        let n = r.reduce(0, +), m = s.reduce(0, +)
        guard n > 0, m > 0 else { return .nan }
        for k in 0..<categories where r[k] == 0 && s[k] > 0 { r[k] = 1e-6 }
        let total = r.reduce(0, +)
        var tv = 0.0
        for k in 0..<categories where r[k] > 0 || s[k] > 0 { tv += abs(s[k] / m - r[k] / total) }
        return 1 - tv / 2
    }

    /// √(Σ(x − x̄)²/n), two passes in Double; 0 for fewer than one value.
    static func populationStandardDeviation(_ x: [Double]) -> Double {
        guard !x.isEmpty, x.first != x.last else { return 0 }
        let mean = x.reduce(0, +) / Double(x.count)
        return (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)).squareRoot()
    }

    /// The metric's value and details for one compared set.
    static func computed(_ sets: FidelityMetric.ComparedSets) -> FidelityMetric.Computed {
        let shapes = ColumnShapes(sets)
        let columns: [JSONValue] = shapes.columns.map { c in
            var o: [String: JSONValue] = ["column": .string(c.name), "type": .string(c.kind.rawValue), "metric": .string(c.metric),
                                          "score": c.complement.isNaN ? .null : .double(c.complement)]
            if let w = c.standardizedWasserstein { o["wasserstein_standardized"] = w.isNaN ? .null : .double(w) }
            return .object(o)
        }
        var details: [String: JSONValue] = ["columns": .array(columns)]
        if let worst = shapes.worst(1).first {
            details["min_score"] = .double(worst.complement)
            details["min_score_column"] = .string(worst.name)
        }
        return .init(shapes.score, details: details)
    }
}

/// One column per slot. Precondition: slot j is written by one worker.
struct _UnsafeShapeColumns: @unchecked Sendable {
    let columns: UnsafeMutableBufferPointer<ColumnShapes.Column?>
}

extension FidelityMetric {
    /// Per-column fidelity by type: SDMetrics' Column Shapes.
    public static let columnShapes = FidelityMetric(
        name: "column shapes", heading: "column shapes ↑", direction: .higherIsBetter, key: ["column_shapes", "score"],
        definition: Definition(key: "column_shapes", text: "per column of the human training rows and the compared set: numeric columns KS complement 1 − sup|F_human − F_synthetic| (SDMetrics KSComplement) with Wasserstein-1 in standard deviations of the human training rows beside it (wasserstein_standardized); categorical and boolean columns (type boolean) TV complement 1 − ½Σ|p_human − p_synthetic| over the categories of either set, a category only the synthetic set has counting 1e-6 in the human set (SDMetrics TVComplement); score = mean over columns (SDMetrics QualityReport Column Shapes); columns lists every column (numeric first), min_score and min_score_column the lowest; 1 best"),
        tables: [.summary, .markdown],
        gates: [Gate("min-column-shapes", .atLeast, subject: "column shapes", limits: 0...1)],
        computation: Computation(
            wholeSet: ColumnShapes.computed,
            perClass: .notComputed(because: "a whole-table diagnosis: the per-class entry has the mean KS")))
}
