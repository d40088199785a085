import Testing
import Foundation
import Synth
import TestSupport
@testable import Eval
@testable import SynthctlCore

/// The marginal statistics at matched sizes (``MatchedMarginals``): KS,
/// Wasserstein, label TV, the correlation differences, Fréchet, column
/// shapes and column pair trends measured with both sides at the holdout's
/// size, on the same draws as the k-NN metrics.
@Suite struct MatchedMarginalsTests {
    static func parameters(threads: Int = 2) -> FidelityReport.Parameters {
        var p = MatchedSizesTests.parameters()
        p.kidSubsets = 2
        p.kidSubsetSize = 100
        p.bootstrapResamples = 50
        p.threads = threads
        return p
    }

    /// `rows` rows of `d` independent standard normal columns and two
    /// classes drawn with probability ½ each, independent of the columns.
    static func normalTable(rows: Int, columns d: Int, seed: UInt64, source: String) -> LabeledFeatures {
        var g = SplitMix64(seed: seed)
        func normal() -> Double {
            let u = Double.random(in: Double.ulpOfOne...1, using: &g), v = Double.random(in: 0..<1, using: &g)
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
        var x = Matrix(rows: rows, columns: d), labels = [Int32]()
        for r in 0..<rows {
            labels.append(Double.random(in: 0..<1, using: &g) < 0.5 ? 0 : 1)
            for j in 0..<d { x[r, j] = Float(normal()) }
        }
        return LabeledFeatures(source: source, features: x, featureNames: (0..<d).map { "x\($0)" }, labels: labels, classNames: ["a", "b"])
    }

    /// ``realLookingTable(rows:seed:spread:source:)`` with a categorical
    /// column ("region", four categories of shares 0.4, 0.3, 0.2, 0.1).
    static func withCategories(_ t: LabeledFeatures, seed: UInt64) -> LabeledFeatures {
        var g = SplitMix64(seed: seed)
        var out = t
        let codes: [Int32] = (0..<t.labels.count).map { _ in
            let u = Double.random(in: 0..<1, using: &g)
            return u < 0.4 ? 0 : u < 0.7 ? 1 : u < 0.9 ? 2 : 3
        }
        out.categoricalColumns = [CategoricalColumn(name: "region", categories: ["east", "north", "south", "west"], codes: codes)]
        return out
    }

    /// (a) A synthetic set drawn from the human distribution with 10× the
    /// holdout's rows. With d = 32 independent N(0, 1) columns, n ≈ 2,700
    /// training rows (holdout fraction 0.1), h ≈ 300 holdout rows and
    /// M = 10h synthetic rows:
    ///
    /// - KS: for continuous samples of sizes n and m from one distribution,
    ///   √(nm/(n + m))·D tends to the Kolmogorov law (Smirnov 1939), mean
    ///   √(π/2)·ln 2 = 0.8687 and sd √(π²/12 − (π/2)·ln²2) = 0.2604; the
    ///   mean over d independent columns has mean 0.8687·s and sd
    ///   σ = 0.2604·s/√d, s = √(1/n + 1/m). Holdout: s = 0.0609, mean
    ///   0.0529, σ = 0.0028. Synthetic on all rows: s = 0.0265, mean
    ///   0.0230, σ = 0.0012: 0.030 below the holdout, 9.8 sd of the
    ///   difference.
    /// - Fréchet: to first order in the estimation errors of two samples of
    ///   N(0, I_d), the mean term is s²·χ²_d (mean d·s², sd √(2d)·s²) and
    ///   the covariance term ¼‖Σ̂₁ − Σ̂₂‖²_F (mean d(d + 1)s²/4, sd
    ///   √(d(d + 1))·s²/2, from Var Σ̂ᵢᵢ = 2/n, Var Σ̂ᵢⱼ = 1/n): mean
    ///   296·s², sd σ_F = √(2d + d(d + 1)/4)·s² = 18.1·s². Holdout: 1.10
    ///   (sd 0.067); all rows: 0.21 (sd 0.013).
    ///
    /// On all rows the synthetic set is below the holdout by more than 4
    /// sd of the difference (both checks fail for less than 1 in 10⁴). At
    /// the matched size each draw has the holdout's distribution exactly
    /// (same sizes, same distribution), so the matched mean (over 5 draws,
    /// sd at most the holdout's σ) differs from the holdout's value by
    /// less than 4·√2·σ but for 1 in 10⁴ (the two share the training rows,
    /// which correlates them positively and only narrows the difference).
    /// The all-rows values lie outside that tolerance: the check can fail.
    @Test func aLargerSetFromTheHumanDistributionNoLongerBeatsTheHoldoutBySize() throws {
        let d = 32
        var p = Self.parameters()
        p.holdoutFraction = 0.1
        let human = Self.normalTable(rows: 3000, columns: d, seed: 11, source: "human")
        let (train, holdout) = FidelityReport.split(labels: human.labels, classes: 2, fraction: p.holdoutFraction, seed: p.seed)
        let synthetic = Self.normalTable(rows: 10 * holdout.count, columns: d, seed: 12, source: "synthetic")
        let r = try FidelityReport(human: human, synthetic: synthetic, parameters: p)
        #expect(r.matchedSizes.subsampled == .synthetic && r.matchedSizes.size == holdout.count && r.matchedSizes.draws == 5)
        let baseline = try #require(r.baselines.first { $0.name == "human_holdout" })

        let n = Double(train.count), h = Double(holdout.count), m = Double(synthetic.labels.count)
        let sHoldout = (1 / n + 1 / h).squareRoot(), sAll = (1 / n + 1 / m).squareRoot()
        let ksSD = { (s: Double) in 0.2604 * s / Double(d).squareRoot() }
        let frechetSD = { (s: Double) in (2 * Double(d) + Double(d * (d + 1)) / 4).squareRoot() * s * s }
        for (metric, sd) in [(FidelityMetric.meanKS, ksSD), (.frechet, frechetSD)] {
            let holdoutValue = try #require(metric.value(baseline, nil)?.value)
            let allRows = try #require(metric.measuredValue(r.synthetic, nil)?.value)
            let matched = try #require(r.synthetic.matched[metric.id])
            #expect(matched.values.count == 5)
            let apart = 4 * (sd(sHoldout) * sd(sHoldout) + sd(sAll) * sd(sAll)).squareRoot()
            #expect(allRows < holdoutValue - apart, "\(metric.name): all rows \(allRows), holdout \(holdoutValue), by more than \(apart)")
            let tolerance = 4 * 2.0.squareRoot() * sd(sHoldout)
            #expect(abs(matched.mean - holdoutValue) <= tolerance,
                    "\(metric.name): matched \(matched.mean) ± \(matched.standardDeviation), holdout \(holdoutValue), tolerance \(tolerance)")
            #expect(abs(allRows - holdoutValue) > tolerance, "\(metric.name): the all-rows value should fail the matched check")
            #expect(metric.value(r.synthetic, nil)?.value == matched.mean)
        }
    }

    /// (b) Each draw's values are the statistics computed directly on the
    /// draw's rows: draw d is the first m indices of the seeded permutation
    /// on substream ``Substream/fidelityMatchedSizeDraws`` + d, the rows
    /// standardized by the training rows (KS, Wasserstein, correlations),
    /// one-hot encoded for Fréchet, in their units with their categories
    /// for column shapes and column pair trends. The same functions on the
    /// same rows in the same order give the same Doubles (the Fréchet
    /// distance's eigensolver is given the same matrices).
    @Test func eachDrawIsTheStatisticsOfItsRows() throws {
        let human = Self.withCategories(realLookingTable(rows: 700, seed: 21, source: "human"), seed: 22)
        let synthetic = Self.withCategories(realLookingTable(rows: 1000, seed: 23, spread: 1.4, source: "synthetic"), seed: 24)
        let p = Self.parameters()
        let r = try FidelityReport(human: human, synthetic: synthetic, parameters: p)
        #expect(r.matchedSizes.subsampled == .synthetic)

        let (train, _) = FidelityReport.split(labels: human.labels, classes: 3, fraction: p.holdoutFraction, seed: p.seed)
        let categorical = try CategoricalFeatures(human: human, synthetic: synthetic)
        let hx = try #require(human.features), sx = try #require(synthetic.features)
        let rawTrain = hx.gatheringRows(train), trainY = train.map { human.labels[$0] }
        let trainCodes = CategoricalFeatures.gathering(categorical.human, rows: train)
        let space = FeatureSpace(.standardized, fittedOn: rawTrain)
        let trainX = space.apply(rawTrain), s = space.apply(sx)
        func encoded(_ x: Matrix, _ codes: [[Int32]]) -> Matrix {
            OneHotEncoding.appending(x, codes: codes, categoryCounts: categorical.categoryCounts)
        }
        for draw in 0..<r.matchedSizes.draws {
            let rows = FidelityStreams.subsample(s.rows, count: r.matchedSizes.size, seed: p.seed, FidelityStreams.matchedSizeDraws + UInt32(draw))
            let x = s.gatheringRows(rows), y = rows.map { synthetic.labels[$0] }
            let codes = CategoricalFeatures.gathering(categorical.synthetic, rows: rows)
            let marginals = MarginalMetrics(trainX, x, labelsA: trainY, labelsB: y, classes: 3, threads: 1)
            let sets = FidelityMetric.ComparedSets(reference: rawTrain, candidate: sx.gatheringRows(rows), threads: 1,
                                                   featureNames: human.featureNames, categoricalColumns: categorical.columns,
                                                   referenceCodes: trainCodes, candidateCodes: codes)
            let frechet = try FrechetDistance(Moments(encoded(trainX, trainCodes)), Moments(encoded(x, codes)))
            let expected: [(FidelityMetric, Double)] = [
                (.meanKS, marginals.meanKS), (.largestKS, marginals.largestKS), (.meanWasserstein, marginals.meanWasserstein),
                (.labelTotalVariation, marginals.labelTotalVariation),
                (.meanCorrelationDifference, marginals.meanAbsoluteCorrelationDifference),
                (.largestCorrelationDifference, marginals.largestCorrelationDifference), (.frechet, frechet.distance),
                (.columnShapes, try #require(ColumnShapes(sets).score.value)),
                (.columnPairTrends, try #require(ColumnPairTrends(sets).score.value)),
            ]
            for (metric, value) in expected {
                let drawn = try #require(r.synthetic.matched[metric.id], "\(metric.name) is not matched")
                #expect(drawn.values[draw] == value, "\(metric.name), draw \(draw): \(drawn.values[draw]) vs \(value)")
            }
        }
        // Every matched metric is listed, and the JSON writes the spread beside each.
        #expect(Set(MatchedMarginals.metricIDs).isSubset(of: MatchedSizes.metricIDs))
        guard case .object(let o) = r.json, case .object(let syn)? = o["synthetic"], case .object(let marg)? = syn["marginals"],
              case .object(let shapes)? = syn["column_shapes"], case .object(let fr)? = syn["frechet"] else {
            Issue.record("missing objects"); return
        }
        #expect(marg["mean_ks_sd"] != nil && marg["label_total_variation_sd"] != nil && shapes["score_sd"] != nil && fr["distance_sd"] != nil)
        // The bound beside the matched distance covers its draws and the all-rows terms beside it.
        let drawBound = try #require(r.synthetic.matched[FidelityMetric.frechet.id]?.roundingBound)
        #expect(fr["rounding_bound"] == .double(max(drawBound, try #require(r.synthetic.frechet).roundingBound)))
    }

    /// (b) The other direction: a synthetic set smaller than the holdout is
    /// measured once, and each baseline's draw d is its rows at the same
    /// indices of the same permutation (the holdout baseline: the holdout
    /// rows, in their order).
    @Test func theHoldoutBaselineIsMeasuredOnItsDrawnRows() throws {
        let human = realLookingTable(rows: 1500, seed: 31, source: "human")
        let synthetic = realLookingTable(rows: 200, seed: 32, source: "synthetic")
        let p = Self.parameters()
        let r = try FidelityReport(human: human, synthetic: synthetic, parameters: p)
        #expect(r.matchedSizes.subsampled == .baselines && r.matchedSizes.size == 200)
        let (train, holdout) = FidelityReport.split(labels: human.labels, classes: 3, fraction: p.holdoutFraction, seed: p.seed)
        let hx = try #require(human.features)
        let space = FeatureSpace(.standardized, fittedOn: hx.gatheringRows(train))
        let trainX = space.apply(hx.gatheringRows(train)), holdoutX = space.apply(hx.gatheringRows(holdout))
        let baseline = try #require(r.baselines.first { $0.name == "human_holdout" })
        for draw in 0..<5 {
            let rows = FidelityStreams.subsample(holdout.count, count: 200, seed: p.seed, FidelityStreams.matchedSizeDraws + UInt32(draw))
            let marginals = MarginalMetrics(trainX, holdoutX.gatheringRows(rows), labelsA: train.map { human.labels[$0] },
                                            labelsB: rows.map { human.labels[holdout[$0]] }, classes: 3, threads: 1)
            #expect(baseline.matched[FidelityMetric.meanKS.id]?.values[draw] == marginals.meanKS)
            #expect(baseline.matched[FidelityMetric.labelTotalVariation.id]?.values[draw] == marginals.labelTotalVariation)
        }
        // The synthetic set at the matched size already: its all-row values, as one draw.
        for id in MatchedMarginals.metricIDs {
            let metric = try #require(FidelityMetric.all.first { $0.id == id })
            #expect(r.synthetic.matched[id]?.values == [try #require(metric.measuredValue(r.synthetic, nil)?.value)], "\(id)")
        }
    }

    /// (c) With 0 size draws nothing is matched: every metric's value is
    /// its value on all rows and no `_sd` is written (the command-line
    /// test `rawSpaceKeepsTheNumbersOfBefore` checks the numbers of before).
    @Test func zeroDrawsKeepEveryValueOnAllRows() throws {
        let human = realLookingTable(rows: 600, seed: 41, source: "human")
        let synthetic = realLookingTable(rows: 1500, seed: 42, spread: 1.3, source: "synthetic")
        var p = Self.parameters()
        p.sizeDraws = 0
        let r = try FidelityReport(human: human, synthetic: synthetic, parameters: p)
        #expect(r.matchedSizes.subsampled == .allRows && r.synthetic.matched.isEmpty && r.baselines.allSatisfy { $0.matched.isEmpty })
        for metric in FidelityMetric.all {
            #expect(metric.value(r.synthetic, r.utility)?.value == metric.measuredValue(r.synthetic, r.utility)?.value, "\(metric.name)")
        }
        #expect(!r.json.serialized().contains("_sd\""))
    }

    /// (d) The draws, and so every matched marginal value, are the same
    /// for any thread count, whichever side is subsampled.
    @Test func matchedMarginalsAreTheSameForAnyThreadCount() throws {
        let human = Self.withCategories(realLookingTable(rows: 800, seed: 51, source: "human"), seed: 52)
        for syntheticRows in [1200, 120] {
            let synthetic = Self.withCategories(realLookingTable(rows: syntheticRows, seed: 53, spread: 1.2, source: "synthetic"), seed: 54)
            let a = try FidelityReport(human: human, synthetic: synthetic, parameters: Self.parameters(threads: 1))
            let b = try FidelityReport(human: human, synthetic: synthetic, parameters: Self.parameters(threads: 3))
            for id in MatchedMarginals.metricIDs {
                #expect(a.synthetic.matched[id]?.values == b.synthetic.matched[id]?.values, "\(id), \(syntheticRows) rows")
                for (x, y) in zip(a.baselines, b.baselines) { #expect(x.matched[id]?.values == y.matched[id]?.values, "\(x.name) \(id)") }
            }
            #expect(a.json.serialized() == b.json.serialized())
        }
    }
    /// Per class, the class's mean KS, Wasserstein and |Δ correlation| are
    /// matched on the draws of its precision, recall, density and coverage
    /// (``ClassMatchedSizes/draw(_:size:draw:stratum:seed:)``): each draw's
    /// value is ``MarginalMetrics`` of the class's training rows against the
    /// drawn synthetic rows of the class, and the class's holdout rows,
    /// fewer than its synthetic rows, are measured whole as its baseline.
    @Test func eachClassMatchesItsMarginalsOnItsDraws() throws {
        let human = realLookingTable(rows: 1500, seed: 61, source: "human")
        let synthetic = realLookingTable(rows: 6000, seed: 62, spread: 1.2, source: "synthetic")
        var p = Self.parameters()
        p.perClass = true
        let r = try FidelityReport(human: human, synthetic: synthetic, parameters: p)
        let (train, holdout) = FidelityReport.split(labels: human.labels, classes: 3, fraction: p.holdoutFraction, seed: p.seed)
        let hx = try #require(human.features), sx = try #require(synthetic.features)
        let space = FeatureSpace(.standardized, fittedOn: hx.gatheringRows(train))
        let trainY = train.map { human.labels[$0] }
        let stratum = FirstAppearanceClasses(labels: trainY, classes: 3).canonical
        let c = try #require(r.perClass.first { r.classNames[$0.classIndex] == "small" })
        let m = try #require(c.matchedSizes)
        let size = try #require(m.size)
        #expect(m.subsampled == .synthetic && m.draws == 5)
        let hc = space.apply(hx.gatheringRows(train.filter { human.labels[$0] == 2 }))
        let sc = space.apply(sx.gatheringRows(synthetic.labels.indices.filter { synthetic.labels[$0] == 2 }))
        let holdoutC = space.apply(hx.gatheringRows(holdout.filter { human.labels[$0] == 2 }))
        for draw in 0..<5 {
            let rows = ClassMatchedSizes.draw(sc.rows, size: size, draw: draw, stratum: stratum[2], seed: p.seed)
            let expected = MarginalMetrics(hc, sc.gatheringRows(rows), labelsA: [], labelsB: [], classes: 0, threads: 1)
            #expect(m.synthetic[FidelityMetric.meanKS.id]?.values[draw] == expected.meanKS)
            #expect(m.synthetic[FidelityMetric.meanWasserstein.id]?.values[draw] == expected.meanWasserstein)
            #expect(m.synthetic[FidelityMetric.meanCorrelationDifference.id]?.values[draw] == expected.meanAbsoluteCorrelationDifference)
        }
        let baseline = MarginalMetrics(hc, holdoutC, labelsA: [], labelsB: [], classes: 0, threads: 1)
        #expect(FidelityMetric.meanKS.classBaseline(c)?.values == [baseline.meanKS])
        #expect(FidelityMetric.meanKS.classValue(c, utility: r.utility)?.value == m.synthetic[FidelityMetric.meanKS.id]?.mean)
        // The JSON writes the class's spread and its holdout's value at the keys the class's own have.
        guard case .object(let o) = r.json, case .array(let classes)? = o["per_class"],
              case .object(let small)? = classes.first(where: { if case .object(let e) = $0 { e["class"] == .string("small") } else { false } }),
              case .object(let holdoutJSON)? = small["human_holdout"] else {
            Issue.record("missing objects"); return
        }
        #expect(small["mean_ks_sd"] != nil && holdoutJSON["mean_ks"] == .double(baseline.meanKS))
    }
}
