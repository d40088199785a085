import Testing
import Foundation
@testable import Eval

/// Agreement statistics against the numbers krippendorff, statsmodels and
/// scikit-learn give on the same data (Tests/Oracles/agreement_oracle.py).
@Suite struct AgreementOracleTests {
    struct Fixture: Decodable {
        struct Example: Decodable { let reliability_data: [[Int?]]; let alpha: [String: Double] }
        struct Crowd: Decodable { let alpha: [String: Double]; let fleiss_kappa: Double? }
        struct Pair: Decodable { let set: String; let a: Int; let b: Int; let shared: Int; let none: Double; let linear: Double; let quadratic: Double }
        let example: Example
        let crowd: [String: Crowd]
        let cohen: [Pair]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/agreement.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    func crowd(_ name: String) throws -> AnswerSet {
        try AnswerReader.read(answers: "\(CrowdReferenceTests.root)/\(name)/label.csv").0
    }

    @Test(arguments: KrippendorffAlpha.Level.allCases)
    func krippendorffsOwnExample(level: KrippendorffAlpha.Level) throws {
        var items = [String](), workers = [String](), labels = [String]()
        for (coder, row) in Self.fixture.example.reliability_data.enumerated() {
            for (unit, value) in row.enumerated() {
                if let value { items.append("\(unit)"); workers.append("\(coder)"); labels.append("\(value)") }
            }
        }
        let answers = AnswerSet(items: items, workers: workers, labels: labels)
        let expected = try #require(Self.fixture.example.alpha[level.rawValue])
        #expect(abs(try KrippendorffAlpha.alpha(answers, level: level) - expected) < 1e-12)
    }

    @Test(arguments: fixture.crowd.keys.sorted())
    func crowdSets(name: String) throws {
        let answers = try crowd(name)
        let reference = try #require(Self.fixture.crowd[name])
        for (level, expected) in reference.alpha {
            let value = try KrippendorffAlpha.alpha(answers, level: try #require(KrippendorffAlpha.Level(rawValue: level)))
            #expect(abs(value - expected) < 1e-10, "\(level)")
        }
        if let fleiss = reference.fleiss_kappa { #expect(abs(Agreement.fleissKappa(answers) - fleiss) < 1e-12) }
    }

    @Test func cohenPairs() throws {
        for pair in Self.fixture.cohen {
            let answers = try crowd(pair.set)
            let a = try #require(answers.workerNames.firstIndex(of: "\(pair.a)"))
            let b = try #require(answers.workerNames.firstIndex(of: "\(pair.b)"))
            for (weighting, expected) in [(CohenKappa.Weighting.none, pair.none), (.linear, pair.linear), (.quadratic, pair.quadratic)] {
                let (kappa, shared) = CohenKappa.kappa(answers, a, b, weighting: weighting)
                #expect(shared == pair.shared)
                #expect(abs(kappa - expected) < 1e-12, "\(pair.set) \(weighting)")
            }
        }
    }

    @Test func alphaRejectsWhatItCannotMeasure() {
        let one = AnswerSet(items: ["a", "a", "b", "b"], workers: ["x", "y", "x", "y"], labels: ["1", "1", "1", "1"])
        #expect(throws: (any Error).self) { try KrippendorffAlpha.alpha(one, level: .nominal) }
        let lonely = AnswerSet(items: ["a", "b"], workers: ["x", "x"], labels: ["1", "2"])
        #expect(throws: (any Error).self) { try KrippendorffAlpha.alpha(lonely, level: .nominal) }
        let words = AnswerSet(items: ["a", "a"], workers: ["x", "y"], labels: ["cat", "dog"])
        #expect(throws: (any Error).self) { try KrippendorffAlpha.alpha(words, level: .interval) }
        // [[A, B], [B, A]]: α = −0.5 by definition (fast-krippendorff#27).
        let swapped = AnswerSet(items: ["1", "1", "2", "2"], workers: ["x", "y", "x", "y"], labels: ["A", "B", "B", "A"])
        #expect(abs(try! KrippendorffAlpha.alpha(swapped, level: .nominal) + 0.5) < 1e-12)
    }
}
