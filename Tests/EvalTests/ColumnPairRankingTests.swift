import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// The worst column pairs (summary and JSON) ranked by each pair's score as
/// ``ColumnPairTrends`` computes it, ties in column order; and the compare
/// page's heat map reading the same pairs the JSON lists.
@Suite struct ColumnPairRankingTests {
    /// Three numeric columns a, b, c; the candidate's c is reversed, so the
    /// pairs with c lose their correlation and (a, b) keeps it.
    static func sets(reversingC: Bool) -> FidelityMetric.ComparedSets {
        var rng = SplitMix64(seed: 16)
        let n = 200
        var rows = [[Float]]()
        for _ in 0..<n {
            let a = Float(Double(rng.next() >> 11) / Double(1 << 53)), noise = Float(Double(rng.next() >> 11) / Double(1 << 53))
            rows.append([a, a + 0.3 * noise, a - 0.5 * noise])
        }
        var candidate = rows
        if reversingC { for r in 0..<n { candidate[r][2] = rows[n - 1 - r][2] } }
        return FidelityMetric.ComparedSets(reference: Matrix(rows), candidate: Matrix(candidate), threads: 2, featureNames: ["a", "b", "c"])
    }

    @Test func tiedPairsRankInColumnOrder() {
        // The same rows: every pair scores exactly 1, so the order is the columns' ((a, b), (a, c), (b, c)).
        let same = ColumnPairTrends(Self.sets(reversingC: false))
        #expect(same.pairs.allSatisfy { $0.score == 1 })
        #expect(same.worst(10).map { [$0.first, $0.second] } == [["a", "b"], ["a", "c"], ["b", "c"]])
        #expect(same.worst(2).map { [$0.first, $0.second] } == [["a", "b"], ["a", "c"]])
    }

    @Test func worstPairsRankByScore() throws {
        let trends = ColumnPairTrends(Self.sets(reversingC: true))
        let worst = trends.worst(10)
        let scores = worst.map { $0.score! }
        #expect(scores == scores.sorted() && worst.count == 3)
        #expect(worst.last.map { [$0.first, $0.second] } == ["a", "b"] && worst.last?.score == 1)
        // The JSON's worst_pairs are these, in this order.
        guard case .array(let listed)? = ColumnPairTrends.computed(Self.sets(reversingC: true)).details["worst_pairs"] else {
            Issue.record("no worst_pairs"); return
        }
        let names = listed.compactMap { v -> [String]? in
            guard case .object(let o) = v, case .array(let c)? = o["columns"] else { return nil }
            return c.compactMap { if case .string(let s) = $0 { s } else { nil } }
        }
        #expect(names == worst.map { [$0.first, $0.second] })
    }

    /// On SDMetrics' fixture tables (numeric, mixed and categorical pairs),
    /// the ranking follows SDMetrics' own per-pair scores: nondecreasing,
    /// and the 10 listed are the 10 lowest.
    @Test(arguments: ColumnFidelityOracleTests.cases) func theRankingFollowsSDMetricsScores(name: String) throws {
        let c = ColumnFidelityOracleTests.fixture[name: name]
        let (sets, _) = try ColumnFidelityOracleTests.sets(c)
        let expected = Dictionary(uniqueKeysWithValues: c.pair_details.map { (Set($0.columns), $0.score) })
        let worst = ColumnPairTrends(sets).worst(ColumnPairTrends.listedPairs)
        #expect(worst.count == 10)
        let scores = try worst.map { try #require(expected[Set([$0.first, $0.second])]) }
        for (x, y) in zip(scores, scores.dropFirst()) { #expect(x <= y + 1e-12) }
        let tenth = c.pair_details.map(\.score).sorted()[9]
        #expect(scores.allSatisfy { $0 <= tenth + 1e-12 })
    }

    /// The heat map's cells are the pairs the JSON lists: 1 − score for a
    /// contingency pair, |ρ_human − ρ_synthetic| from the listed
    /// correlations for a numeric pair; every cell is the report's own pair.
    @Test func theHeatMapReadsThePairsTheJSONLists() throws {
        let h = try CategoricalCompareTests.read("off_human"), s = try CategoricalCompareTests.read("off_synthetic")
        let report = try FidelityReport(human: h, synthetic: s, parameters: CategoricalCompareTests.parameters())
        let computed = try #require(report.synthetic.computedMetrics[FidelityMetric.columnPairTrends.id])
        let pairs = try #require(computed.columnPairs).pairs
        let charts = report.charts
        let index = Dictionary(uniqueKeysWithValues: charts.pairColumns.enumerated().map { ($1, $0) })
        #expect(charts.pairColumns == ["income", "ratio", "visits", "city", "member"] && pairs.count == 10)
        for p in pairs {
            let cell = charts.pairDifferences[index[p.first]!][index[p.second]!]
            let expected = p.metric == .correlationSimilarity
                ? p.referenceCorrelation.flatMap { a in p.candidateCorrelation.map { abs(a - $0) } } : p.score.map { 1 - $0 }
            #expect(cell == expected, "\(p.first), \(p.second)")
        }
        guard case .array(let listed)? = computed.details["worst_pairs"] else { Issue.record("no worst_pairs"); return }
        #expect(listed.count == 10)
        for v in listed {
            guard case .object(let o) = v, case .array(let names)? = o["columns"], case .string(let a) = names[0], case .string(let b) = names[1],
                  case .string(let metric)? = o["metric"], case .double(let score)? = o["score"] else { Issue.record("\(v)"); continue }
            let cell = try #require(charts.pairDifferences[index[a]!][index[b]!])
            if metric == "CorrelationSimilarity", case .double(let x)? = o["human_correlation"], case .double(let y)? = o["synthetic_correlation"] {
                #expect(cell == abs(x - y), "\(a), \(b)")
            } else {
                #expect(metric == "ContingencySimilarity" && cell == 1 - score, "\(a), \(b)")
            }
        }
    }
}
