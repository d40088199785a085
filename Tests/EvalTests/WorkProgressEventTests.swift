import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// The stages that can run for minutes report through ``WorkProgress``:
/// every step names its stage and total, the steps of a stage reach the
/// total exactly, and reporting never changes a result.
@Suite struct WorkProgressEventTests {
    /// Every (stage, total) reported, from any thread.
    final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var list = [(stage: String, total: Int)]()
        var progress: WorkProgress { WorkProgress { [self] stage, total in lock.lock(); list.append((stage, total)); lock.unlock() } }
        var all: [(stage: String, total: Int)] { lock.lock(); defer { lock.unlock() }; return list }
    }

    static func points(_ n: Int, _ d: Int, classes: Int) -> (Matrix, [Int32]) {
        var x = Matrix(rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { x[i, j] = Float((i * 7 + j * 13) % 29) / 7 + Float(i % classes) } }
        return (x, (0..<n).map { Int32($0 % classes) })
    }

    /// `score --model knn`: one step per block of 512 rows searched.
    @Test func knnCrossValidationReportsEveryBlockOfRows() {
        let (x, labels) = Self.points(1300, 4, classes: 3)
        let events = Events()
        let reported = NearestNeighbors.crossValidatedProbabilities(features: x, labels: labels, classes: 3, neighbors: 5, folds: 5, seed: 0,
                                                                    threads: 2, progress: events.progress)
        let silent = NearestNeighbors.crossValidatedProbabilities(features: x, labels: labels, classes: 3, neighbors: 5, folds: 5, seed: 0, threads: 2)
        #expect(reported.values == silent.values)
        #expect(events.all.count == 3)  // ⌈1300 / 512⌉
        #expect(events.all.allSatisfy { $0.stage == "cross-validated neighbours" && $0.total == 3 })
    }

    /// `fit --model gaussian|copula`: one step per class with rows.
    @Test func gaussianAndCopulaFitsReportEveryClass() throws {
        let (x, labels) = Self.points(600, 3, classes: 3)
        let names = ["a", "b", "c", "empty"], features = ["x0", "x1", "x2"]
        let gaussian = Events(), copula = Events()
        let g = try GaussianClassModel(fitting: x, labels: labels, classNames: names, featureNames: features, source: "t", progress: gaussian.progress)
        let c = try GaussianCopulaModel(fitting: x, labels: labels, classNames: names, featureNames: features, source: "t", progress: copula.progress)
        for events in [gaussian, copula] {
            #expect(events.all.count == 3)
            #expect(events.all.allSatisfy { $0.stage == "classes fitted" && $0.total == 3 })
        }
        #expect(g.json.serialized() == (try GaussianClassModel(fitting: x, labels: labels, classNames: names, featureNames: features, source: "t")).json.serialized())
        #expect(c.json.serialized() == (try GaussianCopulaModel(fitting: x, labels: labels, classNames: names, featureNames: features, source: "t")).json.serialized())
    }

    /// `compare`: five steps per comparison and one per class, so a stage
    /// of minutes moves the bar; the steps reach the total exactly, with
    /// and without baselines.
    @Test(arguments: [true, false])
    func compareStepsReachTheirTotal(baselines: Bool) throws {
        let h = LabeledFeatures(source: "h", features: FidelityPropertyTests.gaussian(400, 5, seed: 1), featureNames: (0..<5).map { "x\($0)" },
                                labels: (0..<400).map { Int32($0 % 2) }, classNames: ["a", "b"])
        let s = LabeledFeatures(source: "s", features: FidelityPropertyTests.gaussian(300, 5, seed: 2), featureNames: (0..<5).map { "x\($0)" },
                                labels: (0..<300).map { Int32($0 % 2) }, classNames: ["a", "b"])
        var p = FidelityReport.Parameters()
        p.kidSubsets = 3
        p.baselines = baselines
        let silent = try FidelityReport(human: h, synthetic: s, parameters: p).json.serialized()
        let events = Events()
        p.progress = events.progress
        let reported = try FidelityReport(human: h, synthetic: s, parameters: p)
        let total = 1 + 5 + 1 + (baselines ? 15 : 0) + (p.perClass ? 2 : 0)  // two classes
        #expect(events.all.count == total)
        #expect(events.all.allSatisfy { $0.stage == "compare" && $0.total == total })
        #expect(reported.json.serialized() == silent)
    }
}
