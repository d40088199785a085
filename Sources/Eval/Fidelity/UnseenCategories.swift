import SynthctlCore

/// Unseen categories: for each categorical column, the share of the
/// compared set's values whose category the reference (the human training
/// rows) never has — a city no customer lives in, a plan that was never
/// sold. Matching is by the category's bytes (``CategoricalFeatures``), so
/// such a value is counted, never refused.
///
/// The metric is the mean over categorical columns (0 best), undefined
/// without one; the JSON report gives the highest column's share and name
/// beside it. Exact ratios of counts.
public struct UnseenCategories: Sendable {
    /// Per categorical column: its name and the share of candidate values in unseen categories.
    public let perColumn: [(column: String, share: Double)]

    public init(_ sets: FidelityMetric.ComparedSets) {
        perColumn = sets.categoricalColumns.indices.map { k in
            var seen = [Bool](repeating: false, count: sets.categoricalColumns[k].categories.count)
            for v in sets.referenceCodes[k] where v >= 0 { seen[Int(v)] = true }
            let values = sets.candidateCodes[k].filter { $0 >= 0 }
            let unseen = values.filter { !seen[Int($0)] }.count
            return (sets.categoricalColumns[k].name, values.isEmpty ? .nan : Double(unseen) / Double(values.count))
        }
    }

    /// The mean over categorical columns.
    public var mean: MetricValue {
        let defined = perColumn.map(\.share).filter { !$0.isNaN }
        guard !defined.isEmpty else { return .undefined("no categorical feature column") }
        return .defined(defined.reduce(0, +) / Double(defined.count))
    }

    static func computed(_ sets: FidelityMetric.ComparedSets) -> FidelityMetric.Computed {
        let u = UnseenCategories(sets)
        guard let highest = u.perColumn.filter({ !$0.share.isNaN }).max(by: { $0.share < $1.share }) else { return .init(u.mean) }
        return .init(u.mean, details: ["max_unseen_category_share": .double(highest.share), "max_unseen_category_share_column": .string(highest.column)])
    }
}

extension FidelityMetric {
    /// Validity: does the synthetic set invent categories?
    public static let unseenCategoryShare = FidelityMetric(
        name: "unseen category share", direction: .lowerIsBetter, key: ["validity", "unseen_category_share"],
        definition: Definition(key: "unseen_category_share", text: "for each categorical column, the share of synthetic values in a category the human training rows never have (matched by the category's bytes); unseen_category_share is the mean over categorical columns (undefined without one), max_unseen_category_share and max_unseen_category_share_column the highest; 0 best"),
        gates: [Gate("max-unseen-categories", .atMost, subject: "the unseen-category share", limits: 0...1)],
        computation: Computation(
            wholeSet: UnseenCategories.computed,
            perClass: .notComputed(because: "a class's few rows need not have every category the set has")))
}
