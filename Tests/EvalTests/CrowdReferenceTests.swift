import Testing
import Foundation
@testable import Eval

/// The real crowdsourced sets of ../shared/data/crowd (copied unchanged, with
/// their licence, into Fixtures/crowd so the tests run on a fresh clone)
/// against the reference table of their README (accuracies against gold,
/// agreement).
@Suite struct CrowdReferenceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/crowd").path

    struct Reference: Sendable, CustomTestStringConvertible {
        let name: String, mv: Double, ds: Double, fleiss: Double, alpha: Double
        var testDescription: String { name }
    }

    static let table: [Reference] = [
        .init(name: "bluebird", mv: 0.7593, ds: 0.8981, fleiss: 0.1253, alpha: 0.1255),
        .init(name: "dog", mv: 0.8222, ds: 0.8426, fleiss: 0.5194, alpha: 0.5194),
        .init(name: "rte", mv: 0.8969, ds: 0.9275, fleiss: 0.2414, alpha: 0.2415),
        .init(name: "web", mv: 0.7307, ds: 0.8289, fleiss: 0.2079, alpha: 0.2104),
        .init(name: "cf", mv: 0.8822, ds: 0.84, fleiss: 0.5867, alpha: 0.5768),
        .init(name: "cf_amt", mv: 0.8533, ds: 0.8367, fleiss: 0.5212, alpha: 0.5212),
        .init(name: "ms", mv: 0.7042, ds: 0.7729, fleiss: 0.2643, alpha: 0.301),
        .init(name: "sp_amt", mv: 0.943, ds: 0.944, fleiss: 0.7377, alpha: 0.7377),
        .init(name: "zencrowd_us", mv: 0.8613, ds: 0.8225, fleiss: 0.2407, alpha: 0.2341),
        .init(name: "d_possent", mv: 0.9335, ds: 0.96, fleiss: 0.1493, alpha: 0.1493),
        .init(name: "face", mv: 0.6367, ds: 0.6404, fleiss: 0.4946, alpha: 0.4949),
    ]

    @Test(arguments: table)
    func matchesTheReferenceTable(_ ref: Reference) throws {
        let dir = "\(Self.root)/\(ref.name)"
        let (answers, gold) = try AnswerReader.read(answers: "\(dir)/label.csv", gold: "\(dir)/truth.csv")
        let gold_ = try #require(gold)
        let mv = MajorityVote(answers)
        // The table gives 4 significant digits: agree to rounding.
        #expect(abs(mv.expectedAccuracy(gold: gold_).value! - ref.mv) <= 0.00005 + 1e-12, "MV")
        let ds = DawidSkene(answers)
        // cf and ms: the table's values are not converged Dawid–Skene (ours
        // gives 0.79 and 0.767, crowd-kit converged 0.783 and 0.767); see
        // earlyStopsExplainTheTableOnCfAndMs. Checked on the other nine.
        if !["cf", "ms"].contains(ref.name) {
            #expect(abs(accuracy(ds.labels, gold: gold_).value! - ref.ds) <= 0.002, "DS after \(ds.iterations) iterations")
        }
        #expect(ds.iterations <= 100)
        #expect(abs(Agreement.fleissKappa(answers).value! - ref.fleiss) <= 0.00005 + 1e-4, "Fleiss")
        #expect(abs(try KrippendorffAlpha.alpha(answers, level: .nominal).value! - ref.alpha) <= 0.00005 + 1e-4, "alpha")
    }

    @Test func rteTiePolicies() throws {
        let dir = "\(Self.root)/rte"
        let (answers, gold) = try AnswerReader.read(answers: "\(dir)/label.csv", gold: "\(dir)/truth.csv")
        let mv = MajorityVote(answers)
        #expect(abs(accuracy(mv.labels(.lowest), gold: gold!).value! - 0.9187) < 0.00005 + 1e-12)
        #expect(abs(accuracy(mv.labels(.highest), gold: gold!).value! - 0.8750) < 0.00005 + 1e-12)
    }
}

extension CrowdReferenceTests {
    /// cf and ms, where the table's Dawid–Skene is not the converged one:
    /// run for a fixed number of iterations, ours follows crowd-kit's path
    /// (its accuracies at 1, 2 and 3 iterations on cf: 0.87, 0.8567, 0.8367);
    /// ms after one iteration is the table's 0.7729. cf's 0.84 lies between
    /// the second and third iterations and is not reproduced.
    @Test func earlyStopsExplainTheTableOnCfAndMs() throws {
        func accuracyAfter(_ name: String, _ iterations: Int) throws -> Double {
            let dir = "\(Self.root)/\(name)"
            let (answers, gold) = try AnswerReader.read(answers: "\(dir)/label.csv", gold: "\(dir)/truth.csv")
            var o = DawidSkene.Options()
            o.maxIterations = iterations
            o.tolerance = 0
            return accuracy(DawidSkene(answers, options: o).labels, gold: gold!).value!
        }
        #expect(abs(try accuracyAfter("ms", 1) - 0.7729) <= 0.00005)
        for (iterations, expected) in [(1, 0.87), (2, 0.8567), (3, 0.8367)] {
            #expect(abs(try accuracyAfter("cf", iterations) - expected) <= 0.00005)
        }
    }
}
