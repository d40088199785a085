import SynthctlCore

extension FidelityReport {
    /// The feature space in words (``FeatureSpace/description(columnNames:)``),
    /// with the one-hot encoding of the categorical columns when there are any.
    public var featureSpaceDescription: String {
        let text = featureSpace.description(columnNames: featureNames)
        guard !categoricalColumns.isEmpty else { return text }
        let columns = categoricalColumns.map { c in
            "\(c.name) (\(c.categories.count) categories" + (c.categories.count > c.humanCategories ? ", \(c.categories.count - c.humanCategories) only in the synthetic set)" : ")")
        }
        return text + "; categorical columns one-hot encoded, a row's category 1/√2 so that a change of category is a unit distance: " + columns.joined(separator: ", ")
    }

    /// One column's fidelity by type, as the JSON report's `column_shapes.columns` lists it.
    public struct ColumnShapeRow: Sendable, Equatable {
        public let column: String
        /// "KSComplement" or "TVComplement".
        public let metric: String
        public let score: Double
        /// Wasserstein-1 in standard deviations (numeric columns).
        public let standardizedWasserstein: Double?
    }

    /// One pair's fidelity by type, as the JSON report's `column_pair_trends.worst_pairs` lists it.
    public struct ColumnPairRow: Sendable, Equatable {
        public let columns: (String, String)
        /// "CorrelationSimilarity" or "ContingencySimilarity".
        public let metric: String
        public let score: Double
        public static func == (a: Self, b: Self) -> Bool { a.columns == b.columns && a.metric == b.metric && a.score == b.score }
    }

    /// The compared set's columns, lowest score first (``ColumnShapes``).
    public func worstColumns(_ c: Comparison) -> [ColumnShapeRow] {
        guard case .array(let columns)? = c.computedMetrics[FidelityMetric.columnShapes.id]?.details["columns"] else { return [] }
        let rows = columns.compactMap { v -> ColumnShapeRow? in
            guard case .object(let o) = v, case .string(let name)? = o["column"], case .string(let metric)? = o["metric"],
                  case .double(let score)? = o["score"] else { return nil }
            var w: Double? = nil
            if case .double(let x)? = o["wasserstein_standardized"] { w = x }
            return ColumnShapeRow(column: name, metric: metric, score: score, standardizedWasserstein: w)
        }
        return rows.enumerated().sorted { ($0.element.score, $0.offset) < ($1.element.score, $1.offset) }.map(\.element)
    }

    /// The compared set's lowest-scoring column pairs (at most 10; ``ColumnPairTrends``).
    public func worstPairs(_ c: Comparison) -> [ColumnPairRow] {
        guard case .array(let pairs)? = c.computedMetrics[FidelityMetric.columnPairTrends.id]?.details["worst_pairs"] else { return [] }
        return pairs.compactMap { v in
            guard case .object(let o) = v, case .array(let names)? = o["columns"], names.count == 2,
                  case .string(let a) = names[0], case .string(let b) = names[1],
                  case .string(let metric)? = o["metric"], case .double(let score)? = o["score"] else { return nil }
            return ColumnPairRow(columns: (a, b), metric: metric, score: score)
        }
    }
}
