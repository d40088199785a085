import Testing
import Eval
@testable import synthctl

/// `--fail-on-verdict` reads every finding of the verdict
/// (``FidelityVerdict/kinds``), not only the first: a set distinguishable
/// in one class and copying another fails a gate on either kind.
@Suite struct VerdictGateTests {
    @Test func aGateOnAnyFindingsKindFails() throws {
        let classes: [FidelityVerdict.ClassDetection] = [
            .init(name: "a", auc: 0.20, standardError: 0.03, unreliable: false),
            .init(name: "b", auc: 0.80, standardError: 0.03, unreliable: false),
        ]
        let both = FidelityVerdict(auc: (0.5, .normal(0.5, standardError: 0.025)), coverage: .init(mean: 0.8, standardDeviation: 0, trials: 100),
                                   holdoutCoverage: nil, classes: classes)
        #expect(both.kind == .distinguishable && both.kinds == [.distinguishable, .closerThanHuman])
        #expect(VerdictGate.failure(both, kinds: [.closerThanHuman]) == "verdict closer_than_human (--fail-on-verdict): \(both.text)")
        #expect(VerdictGate.failure(both, kinds: [.closerThanHuman, .distinguishable]) == "verdict distinguishable (--fail-on-verdict): \(both.text)")
        #expect(VerdictGate.failure(both, kinds: [.indistinguishable, .lowerCoverage, .undetermined]) == nil)
        // A missing class is a distinguishable finding.
        let missing = FidelityVerdict(auc: (0.5, .normal(0.5, standardError: 0.025)), coverage: .init(mean: 0.8, standardDeviation: 0, trials: 100),
                                      holdoutCoverage: nil, missingClasses: [.init(name: "gamma", trainingRows: 28)])
        #expect(VerdictGate.failure(missing, kinds: [.distinguishable]) != nil && VerdictGate.failure(missing, kinds: [.indistinguishable]) == nil)
    }
}
