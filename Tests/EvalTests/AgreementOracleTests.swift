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
        struct Numeric: Decodable { let answers: [[String]]; let alpha: [String: Double] }
        struct Undefined: Decodable { let answers: [[String]]; let krippendorff_error: String?; let fleiss_kappa: Double?; let cohen_kappa: Double? }
        struct Pairwise: Decodable { let set: String; let minimum_shared: Int; let below_minimum: Int; let pairs: [[Double?]] }
        let example: Example
        let crowd: [String: Crowd]
        let cohen: [Pair]
        let numeric: [Numeric]
        let undefined: Undefined
        let pairwise: [Pairwise]
    }

    static func answers(_ rows: [[String]]) -> AnswerSet {
        AnswerSet(items: rows.map { $0[0] }, workers: rows.map { $0[1] }, labels: rows.map { $0[2] })
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
        #expect(abs(try KrippendorffAlpha.alpha(answers, level: level).value! - expected) < 1e-12)
    }

    @Test(arguments: fixture.crowd.keys.sorted())
    func crowdSets(name: String) throws {
        let answers = try crowd(name)
        let reference = try #require(Self.fixture.crowd[name])
        for (level, expected) in reference.alpha {
            let alpha = try KrippendorffAlpha.alpha(answers, level: try #require(KrippendorffAlpha.Level(rawValue: level)))
            let value = try #require(alpha.value)
            #expect(abs(value - expected) < 1e-10, "\(level)")
        }
        if let fleiss = reference.fleiss_kappa { #expect(abs(Agreement.fleissKappa(answers).value! - fleiss) < 1e-12) }
    }

    @Test func cohenPairs() throws {
        for pair in Self.fixture.cohen {
            let answers = try crowd(pair.set)
            let a = try #require(answers.workerNames.firstIndex(of: "\(pair.a)"))
            let b = try #require(answers.workerNames.firstIndex(of: "\(pair.b)"))
            for (weighting, expected) in [(CohenKappa.Weighting.none, pair.none), (.linear, pair.linear), (.quadratic, pair.quadratic)] {
                let (kappa, shared) = CohenKappa.kappa(answers, a, b, weighting: weighting)
                #expect(shared == pair.shared)
                #expect(abs(kappa.value! - expected) < 1e-12, "\(pair.set) \(weighting)")
            }
        }
    }

    /// Labels that are decimal numbers are classes in numeric order, so
    /// ordinal, interval and ratio α measure the right distances (issue 13:
    /// 2.5, 5, 10 sorted as text gave ordinal α 0.1483, krippendorff 0.7083).
    @Test func numericLabelsAreOrderedAsNumbers() throws {
        for case_ in Self.fixture.numeric {
            let answers = Self.answers(case_.answers)
            let values = answers.classNames.map { Double($0)! }
            #expect(values == values.sorted(), "\(answers.classNames)")
            for (level, expected) in case_.alpha {
                let alpha = try KrippendorffAlpha.alpha(answers, level: try #require(KrippendorffAlpha.Level(rawValue: level)))
                #expect(abs(try #require(alpha.value) - expected) < 1e-12, "\(level): \(alpha) against \(expected)")
            }
        }
        #expect(abs(try KrippendorffAlpha.alpha(Self.answers(Self.fixture.numeric[0].answers), level: .ordinal).value! - 0.7083) < 0.00005)
    }

    /// One label throughout: krippendorff raises, statsmodels and
    /// scikit-learn give NaN; here α and both κ are undefined with a reason,
    /// and the observed agreement (1) is still defined.
    @Test func zeroOverZeroIsUndefinedAsInTheReferences() throws {
        let u = Self.fixture.undefined
        #expect(u.krippendorff_error != nil && u.fleiss_kappa == nil && u.cohen_kappa == nil)
        let answers = Self.answers(u.answers)
        let why = "every answer on items with two or more answers is the same label: no disagreement is expected (0/0)"
        #expect(try KrippendorffAlpha.alpha(answers, level: .nominal) == .undefined(why))
        #expect(Agreement.fleissKappa(answers) == .undefined(why))
        #expect(Agreement.percentAgreement(answers) == .defined(1))
        let a = try #require(answers.workerNames.firstIndex(of: "a")), b = try #require(answers.workerNames.firstIndex(of: "b"))
        #expect(CohenKappa.kappa(answers, a, b).kappa == .undefined(CohenKappa.noExpectedDisagreement))
        let pairs = try PairwiseKappa(answers, minimumShared: 2)
        #expect(pairs.pairs == [.init(a: a, b: b, shared: 2, kappa: .undefined(CohenKappa.noExpectedDisagreement))])
        #expect(pairs.pairsBelowMinimum == 1 && pairs.undefinedCount == 1 && pairs.mostAgreeing.isEmpty)  // a–c share one item, b–c none
    }

    /// Every pair of annotators sharing ≥ 20 items, as scikit-learn's
    /// `cohen_kappa_score` scores them, on a set with repeated answers too.
    @Test(arguments: fixture.pairwise.map(\.set))
    func pairwiseKappaMatchesScikitLearn(set: String) throws {
        let reference = try #require(Self.fixture.pairwise.first { $0.set == set })
        let answers = try crowd(set)
        let pairs = try PairwiseKappa(answers, minimumShared: reference.minimum_shared)
        #expect(pairs.pairsBelowMinimum == reference.below_minimum)
        #expect(pairs.pairs.count == reference.pairs.count)
        var expected = [String: (Int, Double?)]()
        for p in reference.pairs { expected["\(Int(p[0]!))-\(Int(p[1]!))"] = (Int(p[2]!), p[3]) }
        for p in pairs.pairs {
            let (a, b) = (answers.workerNames[p.a], answers.workerNames[p.b])
            let key = Int(a)! < Int(b)! ? "\(a)-\(b)" : "\(b)-\(a)"
            let e = try #require(expected[key], "pair \(key) not in scikit-learn's list")
            #expect(p.shared == e.0, "\(key)")
            if let k = e.1 { #expect(abs(try #require(p.kappa.value) - k) < 1e-12, "\(key): \(p.kappa) against \(k)") } else { #expect(p.kappa.value == nil) }
        }
        // The ranking is by κ, most agreeing first.
        let ranked = pairs.mostAgreeing.map { $0.kappa.value! }
        #expect(ranked == ranked.sorted(by: >))
        // The summaries' ends, found without sorting, are the sorted list's (real κ ties included).
        let sorted = pairs.mostAgreeing
        for top in [0, 1, 2, 5, 10, 64, 65, sorted.count / 2, (sorted.count + 1) / 2, sorted.count, sorted.count + 3] {
            let ends = pairs.mostAgreeingEnds(top: top)
            if top == 0 {
                #expect(ends.head.isEmpty && ends.tail.isEmpty)
            } else if sorted.count <= 2 * top {
                #expect(ends.head == sorted && ends.tail.isEmpty, "top \(top) of \(sorted.count)")
            } else {
                #expect(ends.head == Array(sorted.prefix(top)) && ends.tail == Array(sorted.suffix(top)), "top \(top) of \(sorted.count)")
            }
        }
    }

    @Test func alphaRejectsWhatItCannotMeasure() throws {
        let lonely = AnswerSet(items: ["a", "b"], workers: ["x", "x"], labels: ["1", "2"])
        #expect(try KrippendorffAlpha.alpha(lonely, level: .nominal).undefinedReason == "no item has two or more answers: there are no pairs of answers to compare")
        #expect(Agreement.fleissKappa(lonely).value == nil && Agreement.percentAgreement(lonely).value == nil)
        // Labels equal as numbers but spelled differently: no expected disagreement at interval level.
        let spelled = AnswerSet(items: ["a", "a", "b", "b"], workers: ["x", "y", "x", "y"], labels: ["1", "1.0", "1.0", "1"])
        #expect(try KrippendorffAlpha.alpha(spelled, level: .interval).undefinedReason != nil)
        let words = AnswerSet(items: ["a", "a"], workers: ["x", "y"], labels: ["cat", "dog"])
        #expect(throws: (any Error).self) { try KrippendorffAlpha.alpha(words, level: .interval) }
        // [[A, B], [B, A]]: α = −0.5 by definition (fast-krippendorff#27).
        let swapped = AnswerSet(items: ["1", "1", "2", "2"], workers: ["x", "y", "x", "y"], labels: ["A", "B", "B", "A"])
        #expect(abs(try! KrippendorffAlpha.alpha(swapped, level: .nominal).value! + 0.5) < 1e-12)
    }
}
