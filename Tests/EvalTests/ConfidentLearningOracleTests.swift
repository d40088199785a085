import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// The confident-learning port against cleanlab 2.9 on the same labels and
/// probabilities (Tests/Oracles/cleanlab_oracle.py): flagged sets and counts
/// exactly, real numbers to 1e-12.
@Suite struct ConfidentLearningOracleTests {
    struct Expected: Decodable {
        struct Latent: Decodable { let py: [Double]; let noise_matrix: [[Double]]; let inverse_noise_matrix: [[Double]] }
        struct Classes: Decodable {
            let classIndex: [Int], labelIssues: [Int], inverseLabelIssues: [Int]
            let labelNoise: [Double], inverseLabelNoise: [Double], labelQuality: [Double]
            enum CodingKeys: String, CodingKey {
                case classIndex = "Class Index", labelIssues = "Label Issues", inverseLabelIssues = "Inverse Label Issues"
                case labelNoise = "Label Noise", inverseLabelNoise = "Inverse Label Noise", labelQuality = "Label Quality Score"
            }
        }
        struct Overlapping: Decodable {
            let a: [Int], b: [Int], items: [Int], probability: [Double]
            enum CodingKeys: String, CodingKey {
                case a = "Class Index A", b = "Class Index B", items = "Num Overlapping Examples", probability = "Joint Probability"
            }
        }
        let min_examples_per_class: Int
        let thresholds: [Double]
        let confident_joint_raw: [[Int]]
        let off_diagonal_indices: [Int]
        let confident_joint: [[Int]]
        let latent: Latent
        let latent_unconverged: Latent
        let joint: [[Double]]
        let num_label_issues: Int
        let num_label_issues_calibrated: Int
        let issues: [String: [Int]]
        let issues_frac_noise_half: [Int]
        let ranked: [String: [Int]]
        let scores: [String: [Double]]
        let adjusted_scores: [String: [Double]]
        let classes: Classes
        let overlapping: Overlapping
        let health: Double
    }

    struct Case {
        let labels: [Int32]
        let probabilities: PredictedProbabilities
        let expected: Expected
        let joint: ConfidentJoint
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cleanlab")
    static let names = ["controlled", "many", "tiny", "issue13", "unused", "unused_first", "rare"]

    static func load(_ name: String) throws -> Case {
        let dir = root.appendingPathComponent(name)
        let labels = try NpyArray(path: dir.appendingPathComponent("labels.npy").path).values.map { Int32($0) }
        let p = try PredictedProbabilities(npy: dir.appendingPathComponent("pred_probs.npy").path)
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: dir.appendingPathComponent("expected.json")))
        return Case(labels: labels, probabilities: p, expected: expected, joint: ConfidentJoint(labels: labels, probabilities: p))
    }

    func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test(arguments: names)
    func thresholdsAndConfidentJoint(name: String) throws {
        let c = try Self.load(name)
        #expect(close(c.joint.thresholds, c.expected.thresholds))
        #expect(c.joint.raw == c.expected.confident_joint_raw)
        #expect(c.joint.offDiagonal == c.expected.off_diagonal_indices)
        #expect(c.joint.calibrated == c.expected.confident_joint)
        #expect(close(c.joint.joint.flatMap { $0 }, c.expected.joint.flatMap { $0 }))
    }

    @Test(arguments: names)
    func latentEstimates(name: String) throws {
        let c = try Self.load(name)
        for (converge, latent) in [(true, c.expected.latent), (false, c.expected.latent_unconverged)] {
            let e = NoiseEstimates(confidentJoint: c.joint.calibrated, labelCounts: c.joint.labelCounts, converge: converge)
            #expect(close(e.prior, latent.py), "prior, converge \(converge)")
            #expect(close(e.noiseMatrix.flatMap { $0 }, latent.noise_matrix.flatMap { $0 }), "noise, converge \(converge)")
            #expect(close(e.inverseNoiseMatrix.flatMap { $0 }, latent.inverse_noise_matrix.flatMap { $0 }), "inverse, converge \(converge)")
        }
    }

    @Test(arguments: names)
    func issueCounts(name: String) throws {
        let c = try Self.load(name)
        #expect(LabelIssueFilter.estimatedIssueCount(labels: c.labels, probabilities: c.probabilities, joint: c.joint) == c.expected.num_label_issues)
        #expect(LabelIssueFilter.calibratedIssueCount(joint: c.joint) == c.expected.num_label_issues_calibrated)
    }

    @Test(arguments: names)
    func everyFilterModeFlagsTheSameItems(name: String) throws {
        let c = try Self.load(name)
        let options = LabelIssueFilter.Options(minExamplesPerClass: c.expected.min_examples_per_class)
        for mode in LabelIssueFilter.allCases {
            let flags = mode.flags(labels: c.labels, probabilities: c.probabilities, joint: c.joint, options: options)
            let flagged = flags.indices.filter { flags[$0] }
            let expected = try #require(c.expected.issues[mode.rawValue])
            #expect(flagged == expected, "\(mode.rawValue): \(flagged.count) flagged, cleanlab \(expected.count)")
        }
        var half = options
        half.fracNoise = 0.5
        let flags = LabelIssueFilter.pruneByNoiseRate.flags(labels: c.labels, probabilities: c.probabilities, joint: c.joint, options: half)
        #expect(flags.indices.filter { flags[$0] } == c.expected.issues_frac_noise_half)
    }

    @Test(arguments: names)
    func scoresAndRankedIssues(name: String) throws {
        let c = try Self.load(name)
        let flags = LabelIssueFilter.pruneByNoiseRate.flags(
            labels: c.labels, probabilities: c.probabilities, joint: c.joint,
            options: .init(minExamplesPerClass: c.expected.min_examples_per_class))
        for method in LabelQualityScore.allCases {
            let scores = method.scores(labels: c.labels, probabilities: c.probabilities)
            #expect(close(scores, try #require(c.expected.scores[method.rawValue])), "\(method.rawValue)")
            let ranked = LabelIssueFilter.ranked(flags, by: scores)
            #expect(ranked == c.expected.ranked[method.rawValue], "ranked by \(method.rawValue)")
        }
        for method in [LabelQualityScore.selfConfidence, .normalizedMargin] {
            let scores = method.scores(labels: c.labels, probabilities: c.probabilities, thresholds: c.joint.thresholds)
            #expect(close(scores, try #require(c.expected.adjusted_scores[method.rawValue])), "adjusted \(method.rawValue)")
        }
    }

    @Test(arguments: names)
    func healthSummary(name: String) throws {
        let c = try Self.load(name)
        let issues = LabelIssueFilter.estimatedIssueCount(labels: c.labels, probabilities: c.probabilities, joint: c.joint)
        let health = LabelHealth(joint: c.joint, estimatedIssues: issues)
        #expect(abs(health.score - c.expected.health) < 1e-12)
        let e = c.expected.classes
        #expect(health.classes.map(\.classIndex) == e.classIndex)
        #expect(health.classes.map(\.labelIssues) == e.labelIssues)
        #expect(health.classes.map(\.inverseLabelIssues) == e.inverseLabelIssues)
        // cleanlab divides by max(P, 1e-6) and reports 0 where P(given = k) or
        // P(true = k) is 0; synthctl reports those as undefined, exactly there.
        let joint = c.expected.joint
        for q in health.classes {
            let given = joint[q.classIndex].reduce(0, +), truth = joint.reduce(0) { $0 + $1[q.classIndex] }
            #expect((q.labelNoise.value == nil) == (given == 0), "class \(q.classIndex): label noise \(q.labelNoise)")
            #expect((q.inverseLabelNoise.value == nil) == (truth == 0), "class \(q.classIndex): inverse noise \(q.inverseLabelNoise)")
        }
        #expect(close(health.classes.map { $0.labelNoise.value ?? 0 }, e.labelNoise))
        #expect(close(health.classes.map { $0.inverseLabelNoise.value ?? 0 }, e.inverseLabelNoise))
        #expect(close(health.classes.map { $0.labelQuality.value ?? 1 }, e.labelQuality))
        // cleanlab's order among equal probabilities is its sort's; compare pair by pair.
        let o = c.expected.overlapping
        var expected = [String: (Int, Double)]()
        for i in o.a.indices { expected["\(o.a[i])-\(o.b[i])"] = (o.items[i], o.probability[i]) }
        #expect(health.overlaps.count == expected.count)
        for pair in health.overlaps {
            let e = try #require(expected["\(pair.classA)-\(pair.classB)"])
            #expect(pair.items == e.0 && abs(pair.jointProbability - e.1) < 1e-12)
        }
        #expect(zip(health.overlaps, health.overlaps.dropFirst()).allSatisfy { $0.jointProbability >= $1.jointProbability })
    }

    /// NumPy's argsort order of ties, which cleanlab's rounding of the
    /// calibrated confident joint follows: the same permutation as
    /// `numpy.argsort` for every array of up to 256 values in the fixture
    /// (tie-heavy: values from four levels), and a sorted one beyond.
    @Test func argsortOrdersTiesAsNumPyDoes() throws {
        struct Fixture: Decodable { struct Case: Decodable { let values: [Double]; let argsort: [Int] }; let cases: [Case] }
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Self.root.appendingPathComponent("argsort.json")))
        #expect(fixture.cases.count > 800)
        var compared = 0
        for c in fixture.cases {
            let order = NumPyArgsort.argsort(c.values)
            #expect(order.sorted() == Array(c.values.indices))
            #expect(zip(order, order.dropFirst()).allSatisfy { c.values[$0] <= c.values[$1] })
            if c.values.count <= NumPyArgsort.networkLimit {
                #expect(order == c.argsort, "\(c.values)")
                compared += 1
            }
        }
        #expect(compared > 800)
        // The example in NumPyArgsort's documentation, and a row that
        // cleanlab's round_preserving_sum rounds to [0, 1, 0, 1, 0] (index
        // order would give [0, 0, 1, 1, 0]).
        #expect(NumPyArgsort.argsort([0.3, 0.1, 0.3, 0.3, 0.1]) == [1, 4, 2, 0, 3])
        #expect(RoundingPreservingTotals.round([0.5, 0.5, 0.5, 0.5, 0]) == [0, 1, 0, 1, 0])
    }
}
