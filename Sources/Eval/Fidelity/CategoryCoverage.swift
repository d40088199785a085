import SynthctlCore

/// Category coverage, as SDMetrics defines it (`sdmetrics.single_column.
/// CategoryCoverage`): for each categorical column, the share of the
/// categories present in the reference (the human training rows) that
/// the compared set has at least once. A generator that drops rare
/// categories lowers it; one that invents categories does not (see
/// ``UnseenCategories``).
///
/// The metric is the mean over categorical columns (1 best), undefined
/// without one; the JSON report gives the lowest column's share and name
/// beside it. Exact ratios of counts.
public struct CategoryCoverage: Sendable {
    /// Per categorical column: its name and its coverage (NaN when the reference has no value in it).
    public let perColumn: [(column: String, share: Double)]

    public init(_ sets: FidelityMetric.ComparedSets) {
        perColumn = sets.categoricalColumns.indices.map { k in
            let n = sets.categoricalColumns[k].categories.count
            var inReference = [Bool](repeating: false, count: n), inCandidate = inReference
            for v in sets.referenceCodes[k] where v >= 0 { inReference[Int(v)] = true }
            for v in sets.candidateCodes[k] where v >= 0 { inCandidate[Int(v)] = true }
            let present = inReference.filter { $0 }.count
            let covered = (0..<n).filter { inReference[$0] && inCandidate[$0] }.count
            return (sets.categoricalColumns[k].name, present == 0 ? .nan : Double(covered) / Double(present))
        }
    }

    /// The mean over categorical columns.
    public var mean: MetricValue {
        let defined = perColumn.map(\.share).filter { !$0.isNaN }
        guard !defined.isEmpty else { return .undefined("no categorical feature column") }
        return .defined(defined.reduce(0, +) / Double(defined.count))
    }

    static func computed(_ sets: FidelityMetric.ComparedSets) -> FidelityMetric.Computed {
        let c = CategoryCoverage(sets)
        guard let lowest = c.perColumn.filter({ !$0.share.isNaN }).min(by: { $0.share < $1.share }) else { return .init(c.mean) }
        return .init(c.mean, details: ["min_category_coverage": .double(lowest.share), "min_category_coverage_column": .string(lowest.column)])
    }
}

extension FidelityMetric {
    /// Validity: does the synthetic set have every human category?
    public static let categoryCoverage = FidelityMetric(
        name: "category coverage", direction: .higherIsBetter, key: ["validity", "category_coverage"],
        definition: Definition(key: "category_coverage", text: "for each categorical column, the share of the categories of the human training rows that appear in the synthetic set (SDMetrics CategoryCoverage); category_coverage is the mean over categorical columns (undefined without one), min_category_coverage and min_category_coverage_column the lowest; 1 best"),
        gates: [Gate("min-category-coverage", .atLeast, subject: "category coverage", limits: 0...1)],
        computation: Computation(
            wholeSet: CategoryCoverage.computed,
            perClass: .notComputed(because: "a class's few rows need not have every category")))
}
