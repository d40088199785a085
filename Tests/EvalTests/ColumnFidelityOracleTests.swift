import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// Per-column and pairwise fidelity by type and category validity against
/// SDMetrics itself, on the mixed-type tables that
/// Tests/Oracles/column_fidelity_oracle.py writes (Fixtures/column_fidelity/,
/// Fixtures/column_fidelity.json): numeric columns in different units, a
/// bounded integer column, a categorical column and a boolean, read with
/// synthctl's own table reader.
///
/// Tolerance: the fixtures' numbers are float32 values written exactly, so
/// both sides see the same values. KS, TV and contingency complements,
/// boundary adherence and category coverage are ratios of counts: equal up
/// to the rounding of a few Double operations (1e-12). Correlations are
/// Double sums over the same float32 values in another order: 1e-12 too
/// (the float32 storage bounds what the values are, not how the two sides
/// sum them).
@Suite struct ColumnFidelityOracleTests {
    struct Pair: Decodable { let columns: [String]; let metric: String?; let score: Double }
    struct ShapeDetail: Decodable { let column: String; let metric: String; let score: Double }
    struct Case: Decodable {
        let human: String; let synthetic: String
        let ks_complement: [String: Double]; let boundary_adherence: [String: Double]
        let tv_complement: [String: Double]; let category_coverage: [String: Double]
        let correlation_similarity: [Pair]; let contingency_similarity: [Pair]; let mixed_contingency_similarity: [Pair]
        let column_shapes: Double; let column_pair_trends: Double
        let column_shapes_details: [ShapeDetail]; let pair_details: [Pair]
        let quality_report_column_pair_trends: Double; let quality_report_pair_details: [Pair]
    }
    struct Fixture: Decodable {
        let sdmetrics_version: String; let close: Case; let off: Case; let shifted: Case; let wider: Case; let narrower: Case
        subscript(name name: String) -> Case {
            switch name {
            case "close": close
            case "off": off
            case "shifted": shifted
            case "wider": wider
            default: narrower
            }
        }
    }
    static let cases = ["close", "off", "shifted", "wider", "narrower"]

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let fixture: Fixture = {
        try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: URL(fileURLWithPath: fixtures + "/column_fidelity.json")))
    }()

    /// The case's two tables as the report's metrics see them: the human
    /// rows as the reference, the synthetic rows as the candidate.
    static func sets(_ c: Case) throws -> (FidelityMetric.ComparedSets, CategoricalFeatures) {
        // True/False reads as numbers 1/0 unless named categorical (`--categorical member`),
        // as SDMetrics' boolean sdtype treats it (a 0/1 column's KS equals its TV anyway).
        let types = ColumnTypeOverrides(categorical: ["member"])
        let h = try LabeledFeatures.read(table: "\(fixtures)/\(c.human)", labelColumn: "label", types: types)
        let s = try LabeledFeatures.read(table: "\(fixtures)/\(c.synthetic)", labelColumn: "label", types: types)
        let categorical = try CategoricalFeatures(human: h, synthetic: s)
        return (FidelityMetric.ComparedSets(reference: h.features!, candidate: s.features!, threads: 2, featureNames: h.featureNames,
                                            categoricalColumns: categorical.columns, referenceCodes: categorical.human,
                                            candidateCodes: categorical.synthetic), categorical)
    }

    /// The same tables with `member` read as the schema types it, boolean
    /// (a numeric 0/1 column among the features, flagged boolean), not
    /// named categorical: the by-type metrics must treat it as SDMetrics'
    /// boolean sdtype does, giving the same numbers.
    static func booleanSets(_ c: Case) throws -> FidelityMetric.ComparedSets {
        let h = try LabeledFeatures.read(table: "\(fixtures)/\(c.human)", labelColumn: "label")
        let s = try LabeledFeatures.read(table: "\(fixtures)/\(c.synthetic)", labelColumn: "label")
        let categorical = try CategoricalFeatures(human: h, synthetic: s)
        let booleans = Set(h.featureNames.indices.filter { h.schema?[h.featureNames[$0]]?.type == .boolean })
        return FidelityMetric.ComparedSets(reference: h.features!, candidate: s.features!, threads: 2, featureNames: h.featureNames,
                                           categoricalColumns: categorical.columns, referenceCodes: categorical.human,
                                           candidateCodes: categorical.synthetic, booleanColumns: booleans)
    }

    static func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) <= 1e-12 } ?? false }

    @Test func theFixtureNamesItsSDMetricsVersion() {
        #expect(Self.fixture.sdmetrics_version == "0.32.0")
    }

    @Test(arguments: cases) func columnShapesMatchSDMetrics(name: String) throws {
        let c = Self.fixture[name: name]
        let (sets, _) = try Self.sets(c)
        #expect(sets.featureNames == ["income", "ratio", "visits"] && sets.categoricalColumns.map(\.name) == ["city", "member"])
        let shapes = ColumnShapes(sets)
        for column in shapes.columns {
            let expected = column.kind == .numeric ? c.ks_complement[column.name] : c.tv_complement[column.name]
            #expect(Self.close(column.complement, try #require(expected)), "\(column.name): \(column.complement) against \(expected!)")
            let detail = try #require(c.column_shapes_details.first { $0.column == column.name })
            #expect(detail.metric == column.metric)
        }
        #expect(Self.close(shapes.score.value, c.column_shapes), "\(shapes.score) against \(c.column_shapes)")
    }

    /// Every pair against SDMetrics' single-pair metric: mixed pairs as
    /// `ContingencySimilarity.compute(…, continuous_column_names=[numeric])`
    /// bins them, on the human column's edges opened to ±∞.
    @Test(arguments: cases) func columnPairTrendsMatchSDMetrics(name: String) throws {
        let c = Self.fixture[name: name]
        let (sets, _) = try Self.sets(c)
        let trends = ColumnPairTrends(sets)
        #expect(trends.pairs.count == c.pair_details.count)
        for p in trends.pairs {
            let expected = try #require(c.pair_details.first { Set($0.columns) == Set([p.first, p.second]) })
            #expect(p.metric.rawValue == expected.metric, "\(p.first), \(p.second)")
            let score = p.score
            #expect(Self.close(score, expected.score), "\(p.first), \(p.second): \(String(describing: score)) against \(expected.score)")
        }
        // The single-pair metrics themselves, mixed pairs included.
        #expect(c.mixed_contingency_similarity.count == 6)
        for e in c.correlation_similarity + c.contingency_similarity + c.mixed_contingency_similarity {
            let p = try #require(trends.pairs.first { [$0.first, $0.second] == e.columns })
            #expect(Self.close(p.score, e.score), "\(e.columns): \(String(describing: p.score)) against \(e.score)")
        }
        #expect(Self.close(trends.score.value, c.column_pair_trends), "\(trends.score) against \(c.column_pair_trends)")
        // The QualityReport agrees on the numeric and the categorical pairs;
        // it bins a mixed pair on each set's own range, which is not this.
        for e in c.quality_report_pair_details where e.metric == "CorrelationSimilarity" || e.columns.allSatisfy({ ["city", "member"].contains($0) }) {
            let p = try #require(trends.pairs.first { [$0.first, $0.second] == e.columns })
            #expect(Self.close(p.score, e.score), "\(e.columns)")
        }
    }

    /// A boolean column (True/False in the CSV, boolean in the schema) is
    /// scored as SDMetrics scores its boolean sdtype: TVComplement for its
    /// shape, ContingencySimilarity for every pair it is in (mixed pairs
    /// with the numeric column binned on the human edges); the scores and
    /// the table's means equal the fixture's. Without the boolean flag the
    /// same column would be a numeric one (KSComplement, CorrelationSimilarity).
    @Test(arguments: cases) func aBooleanColumnIsScoredAsSDMetricsBooleanSdtype(name: String) throws {
        let c = Self.fixture[name: name]
        let sets = try Self.booleanSets(c)
        #expect(sets.featureNames == ["income", "ratio", "visits", "member"] && sets.categoricalColumns.map(\.name) == ["city"])
        #expect(sets.booleanColumns == [3])
        let shapes = ColumnShapes(sets)
        let member = try #require(shapes.columns.first { $0.name == "member" })
        #expect(member.kind == .boolean && member.metric == "TVComplement" && member.standardizedWasserstein == nil)
        #expect(Self.close(member.complement, try #require(c.tv_complement["member"])), "\(member.complement)")
        #expect(Self.close(shapes.score.value, c.column_shapes), "\(shapes.score) against \(c.column_shapes)")
        let trends = ColumnPairTrends(sets)
        #expect(trends.pairs.count == c.pair_details.count)
        for p in trends.pairs {
            let expected = try #require(c.pair_details.first { Set($0.columns) == Set([p.first, p.second]) })
            #expect(p.metric.rawValue == expected.metric, "\(p.first), \(p.second)")
            #expect(Self.close(p.score, expected.score), "\(p.first), \(p.second): \(String(describing: p.score)) against \(expected.score)")
        }
        #expect(Self.close(trends.score.value, c.column_pair_trends), "\(trends.score) against \(c.column_pair_trends)")
        // The flag decides: unflagged, member is a number.
        let numeric = FidelityMetric.ComparedSets(reference: sets.reference, candidate: sets.candidate, threads: 1, featureNames: sets.featureNames,
                                                  categoricalColumns: sets.categoricalColumns, referenceCodes: sets.referenceCodes,
                                                  candidateCodes: sets.candidateCodes)
        #expect(ColumnShapes(numeric).columns.first { $0.name == "member" }?.metric == "KSComplement")
        #expect(ColumnPairTrends(numeric).pairs.first { $0.first == "income" && $0.second == "member" }?.metric == .correlationSimilarity)
    }

    /// The page draws a boolean column as bars of its two categories, with
    /// the human and synthetic counts of each ("off": member drawn with
    /// p = 0.4 for 240 human rows and 0.7 for 150 synthetic rows).
    @Test func chartsDrawABooleanColumnAsCategories() throws {
        let c = Self.fixture.off
        let sets = try Self.booleanSets(c)
        let charts = ComparisonCharts(sets, pairs: ColumnPairTrends(sets))
        let member = try #require(charts.frequencies.first { $0.column == "member" })
        #expect(member.boolean && member.categories == ["false", "true"] && member.humanCategories == 2)
        #expect(member.humanCounts.reduce(0, +) == 240 && member.syntheticCounts.reduce(0, +) == 150)
        let truth = BooleanColumns.codes(sets.reference, 3).filter { $0 == 1 }.count
        #expect(member.humanCounts == [240 - truth, truth])
        #expect(charts.frequencies.map(\.column) == ["member", "city"] && !(charts.frequencies.last?.boolean ?? true))
        // The TV complement the bars illustrate is SDMetrics'.
        let h = member.humanCounts.map { Double($0) / 240 }, s = member.syntheticCounts.map { Double($0) / 150 }
        #expect(Self.close(1 - (abs(h[0] - s[0]) + abs(h[1] - s[1])) / 2, try #require(c.tv_complement["member"])))
    }

    /// Off the human range, the human edges and each set's own range
    /// disagree: the fixture tells the two binnings apart, so the test
    /// above fails under the old one (each set on its own range, as the
    /// QualityReport bins).
    @Test(arguments: ["shifted", "wider", "narrower"]) func aSyntheticRangeOffTheHumanOneMovesTheMixedPairs(name: String) throws {
        let c = Self.fixture[name: name]
        let report = Dictionary(uniqueKeysWithValues: c.quality_report_pair_details.map { ($0.columns, $0.score) })
        let income = c.mixed_contingency_similarity.filter { $0.columns[0] == "income" }
        #expect(income.count == 2)
        for e in income {
            let own = try #require(report[e.columns])
            // The shifted, widened or narrowed income falls in other human bins: a lower score than on its own range.
            #expect(e.score < own - 0.05, "\(e.columns): \(e.score) on the human edges against \(own) on each set's own range")
        }
    }

    /// The edges and bins of SDMetrics' `discretize_column`: a value below
    /// the human minimum in the first bin, one above the maximum (and the
    /// maximum itself) in the last; a constant human column's edges
    /// v − 0.5 + i/10, opened to ±∞.
    @Test func mixedPairsBinOnTheHumanEdges() {
        let edges = ColumnPairTrends.NumericColumn.edges(low: 0, high: 10)
        #expect(edges.first == -.infinity && edges.last == .infinity && edges[1] == 1 && edges[9] == 9)
        #expect(ColumnPairTrends.NumericColumn.digitized([-5, 0, 0.5, 1, 9.99, 10, 25], edges: edges) == [1, 1, 1, 2, 10, 10, 10])
        let constant = ColumnPairTrends.NumericColumn.edges(low: 2, high: 2)
        #expect(abs(constant[1] - 1.6) < 1e-12 && abs(constant[9] - 2.4) < 1e-12)
        // np.digitize([1, 2, 2.45, 3], [-inf, 1.6, ..., 2.4, inf]) = [1, 6, 10, 10]
        #expect(ColumnPairTrends.NumericColumn.digitized([1, 2, 2.45, 3], edges: constant) == [1, 6, 10, 10])
    }

    @Test(arguments: cases) func validityMatchesSDMetrics(name: String) throws {
        let c = Self.fixture[name: name]
        let (sets, _) = try Self.sets(c)
        let coverage = CategoryCoverage(sets)
        for (column, share) in coverage.perColumn { #expect(Self.close(share, try #require(c.category_coverage[column])), "\(column)") }
        let boundary = BoundaryAdherence(reference: sets.reference, candidate: sets.candidate)
        for (j, share) in boundary.perFeature.enumerated() {
            #expect(Self.close(share, try #require(c.boundary_adherence[sets.featureNames[j]])), "\(sets.featureNames[j])")
        }
    }

    /// The "off" synthetic table: fractional visits, a rare city (Nantes)
    /// dropped and a city the human rows never have (Brest).
    @Test func theOffTableStatesItsValidity() throws {
        let (sets, categorical) = try Self.sets(Self.fixture.off)
        let city = try #require(categorical.columns.first { $0.name == "city" })
        #expect(city.categories == ["Lyon", "Nantes", "Paris", "Rennes", "Brest"] && city.humanCategories == 4)
        // 3 of the human set's 4 cities appear: SDMetrics' 0.75.
        #expect(CategoryCoverage(sets).perColumn.map(\.share) == [0.75, 1])
        let brest = Int32(city.categories.firstIndex(of: "Brest")!)
        let brestRows = categorical.synthetic[0].filter { $0 == brest }.count
        #expect(brestRows == 17)  // grep -c ",Brest," off_synthetic.csv
        let unseen = UnseenCategories(sets)
        #expect(unseen.perColumn.map(\.share) == [17.0 / 150, 0])
        #expect(unseen.mean.value == 17.0 / 300)
        // Only visits is whole in the human rows; 0 of the 150 synthetic visits are whole.
        let integrality = Integrality(sets)
        #expect(integrality.perColumn.map(\.column) == ["visits"])
        #expect(integrality.mean.value == 0)
        let close = try Self.sets(Self.fixture.close).0
        #expect(Integrality(close).mean.value == 1 && UnseenCategories(close).mean.value == 0)
    }
}
