import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// Issue 13, third round, item 9: the small things a report got wrong.
@Suite struct ReportDetailTests {
    /// A statistic that rounds to zero at the printed precision prints as
    /// 0, never "-0.0000" (an unbiased MMD² can be a small negative); one
    /// that does not round to zero keeps its sign.
    @Test func aValueRoundingToZeroPrintsWithoutASign() {
        #expect(MetricValue.defined(-3e-6).description == "0.0000")
        #expect(MetricValue.defined(-0.0).description == "0.0000")
        #expect(MetricValue.defined(-0.00004999).description == "0.0000")
        #expect(MetricValue.defined(-0.00006).description == "-0.0001")
        #expect(MetricValue.defined(-1.25).description == "-1.2500")
        #expect(MetricValue.defined(0.12345).description == String(format: "%.4f", 0.12345))
        #expect(MetricValue.undefined("why").description == "n/a")
    }

    /// `--model knn`'s probabilities are (votes + 1/K)/(k + 1), as the
    /// README now says (it said multiples of 1/k): each entry times k + 1,
    /// less 1/K, is a whole number of votes, and a row's votes sum to k.
    @Test func knnProbabilitiesAreSmoothedVoteShares() {
        let n = 300, k = 7, classes = 3
        var x = Matrix(rows: n, columns: 2)
        for i in 0..<n { x[i, 0] = Float(i % classes) + Float(i % 11) / 10; x[i, 1] = Float(i % 13) / 7 }
        let labels = (0..<n).map { Int32($0 % classes) }
        let p = NearestNeighbors.crossValidatedProbabilities(features: x, labels: labels, classes: classes, neighbors: k, folds: 5, seed: 0)
        for i in 0..<n {
            var total = 0.0
            for c in 0..<classes {
                let votes = p[i, c] * Double(k + 1) - 1 / Double(classes)
                // (k + 1)·p is computed from one division: its error is a few ulp of k + 1.
                #expect(abs(votes - votes.rounded()) < 1e-12 && votes.rounded() >= 0, "row \(i), class \(c): \(votes)")
                total += votes.rounded()
            }
            #expect(total == Double(k), "row \(i)")
        }
    }

    /// `--tie-policy abstain`: an abstention is no label, not a wrong one:
    /// accuracy is over the decided gold items, and the abstentions are
    /// counted. Items 0–3 are gold; item 1 is abstained on; of the decided
    /// 0, 2, 3, two are right: 2/3 (it was 2/4, the abstention counted wrong).
    @Test func abstentionsAreLeftOutOfAccuracyAndCounted() {
        let gold = GoldLabels(truth: [0, 1, 1, 2, -1], unmatchedItems: 0)
        let labels: [Int32] = [0, -1, 1, 0, -1]
        #expect(accuracy(labels, gold: gold) == .defined(2.0 / 3))
        #expect(abstentions(labels, gold: gold) == 1)
        #expect(abstentions(labels) == 2)
        // Every gold item abstained on: undefined, saying why.
        let none = accuracy([-1, -1, -1, -1, 0], gold: gold)
        #expect(none == .undefined("every gold item is a tie abstained on: accuracy over no decided items (0/0)"))
        // Without abstentions, the plain share.
        #expect(accuracy([0, 1, 0, 2, 0], gold: gold) == .defined(3.0 / 4))
    }

    /// The `copy_of_training_rows` baseline is stratified like the holdout:
    /// as many rows of each class, so its label distribution is the
    /// holdout's exactly (unstratified, it drew a class balance of its own,
    /// label TV 0.024 where the holdout's was smaller).
    @Test func theCopyBaselineIsStratifiedLikeTheHoldout() throws {
        let counts = [500, 300, 100]
        let labels = counts.indices.flatMap { c in [Int32](repeating: Int32(c), count: counts[c]) }
        let n = labels.count
        let (train, holdout) = FidelityReport.split(labels: labels, classes: 3, fraction: 0.3, seed: 4)
        let trainY = train.map { labels[$0] }, holdoutY = holdout.map { labels[$0] }
        let rows = FidelityReport.copyBaselineRows(trainLabels: trainY, holdoutLabels: holdoutY, classes: 3, seed: 4)
        #expect(rows == rows.sorted() && Set(rows).count == rows.count && rows.allSatisfy { $0 >= 0 && $0 < train.count })
        for c in Int32(0)..<3 {
            #expect(rows.filter { trainY[$0] == c }.count == holdoutY.filter { $0 == c }.count, "class \(c)")
        }
        #expect(rows == FidelityReport.copyBaselineRows(trainLabels: trainY, holdoutLabels: holdoutY, classes: 3, seed: 4))
        #expect(rows != FidelityReport.copyBaselineRows(trainLabels: trainY, holdoutLabels: holdoutY, classes: 3, seed: 5))

        // Through the report: the copy's label TV against the training rows is the holdout's.
        var x = Matrix(rows: n, columns: 3)
        for i in 0..<n { for j in 0..<3 { x[i, j] = Float(labels[i]) + Float((i * 7 + j * 3) % 17) / 17 } }
        let human = LabeledFeatures(source: "h", features: x, featureNames: ["a", "b", "c"], labels: labels,
                                    classNames: ["x", "y", "z"], truth: nil, trueNoiseMatrix: nil)
        var p = FidelityReport.Parameters()
        p.kidSubsets = 2
        p.perClass = false
        p.seed = 4
        let r = try FidelityReport(human: human, synthetic: human, parameters: p)
        let copy = try #require(r.baselines.first { $0.name == "copy_of_training_rows" })
        let floor = try #require(r.baselines.first { $0.name == "human_holdout" })
        #expect(copy.rows == floor.rows)
        #expect(copy.marginals.labelTotalVariation == floor.marginals.labelTotalVariation)
        #expect(copy.privacy.exactCopyShare == 1)
    }
}
