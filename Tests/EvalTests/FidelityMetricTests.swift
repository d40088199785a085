import Testing
@testable import Eval

/// The fidelity metric declarations (``FidelityMetric/all``) are consistent:
/// every renderer and the gate check find each metric by its key or gate
/// name, so two metrics must never share one.
@Suite struct FidelityMetricTests {
    @Test func noTwoMetricsShareAKeyOrAName() {
        let all = FidelityMetric.all
        #expect(Set(all.map(\.id)).count == all.count, "\(all.map(\.id))")
        #expect(Set(all.map(\.name)).count == all.count, "\(all.map(\.name))")
        let classKeys = all.compactMap { m -> String? in
            guard case .computed(let key, _, _, _, _) = m.perClass else { return nil }
            return key.joined(separator: ".")
        }
        #expect(Set(classKeys).count == classKeys.count, "\(classKeys)")
    }

    @Test func noTwoGatesShareAName() {
        let names = FidelityMetric.all.flatMap { $0.gates.map(\.name) }
        #expect(!names.isEmpty)
        #expect(Set(names).count == names.count, "\(names)")
        for name in names { #expect(FidelityMetric.gate(named: name)?.gate.name == name) }
        #expect(FidelityMetric.gate(named: "max-nothing") == nil)
    }

    @Test func aMetricNotComputedPerClassSaysWhy() {
        for m in FidelityMetric.all {
            if case .notComputed(let reason) = m.perClass { #expect(!reason.isEmpty, "\(m.id)") }
        }
        // A per-class gate bounds a metric that is computed per class.
        for m in FidelityMetric.all where m.gates.contains(where: { $0.scope == .worstClass }) {
            guard case .computed = m.perClass else { Issue.record("\(m.id) has a per-class gate but no per-class value"); continue }
        }
    }

    @Test func perClassColumnsAreDistinctAndInOrder() {
        let columns = FidelityMetric.all.compactMap { m -> Int? in
            guard case .computed(_, _, let column?, _, _) = m.perClass else { return nil }
            return column
        }
        #expect(Set(columns).count == columns.count, "\(columns)")
        #expect(FidelityMetric.classColumns.count == columns.count)
    }

    @Test func headingsStartWithTheNameAndDefinitionsAgree() {
        var texts = [String: String]()
        for m in FidelityMetric.all {
            #expect(m.heading.hasPrefix(m.name), "\(m.heading)")
            #expect(!m.definition.text.isEmpty)
            if let text = texts[m.definition.key] { #expect(text == m.definition.text, "\(m.definition.key)") }
            texts[m.definition.key] = m.definition.text
        }
        // The JSON report's definitions hold every metric's.
        for (key, text) in texts { #expect(FidelityReport.definitions[key] == .string(text), "\(key)") }
    }

    @Test func theSummaryAndMarkdownRowsFollowTheRegistry() {
        let summary = FidelityMetric.rows(of: .summary).map(\.heading)
        #expect(summary == ["mean KS ↓", "label TV ↓", "mean |Δ correlation| ↓", "Fréchet ↓", "MMD² ↓", "KID ↓", "precision ↑", "recall ↑",
                            "density (≈1)", "coverage ↑", "authenticity", "detection AUC (0.5 best)", "held-out detection AUC", "median DCR ratio", "exact copies",
                            "column shapes ↑", "column pair trends ↑"])
        #expect(FidelityMetric.rows(of: .markdown).allSatisfy { $0.tables.contains(.summary) })
    }

    @Test func theValueIsPrintedWithItsDecimalsAndNeverAsMinusZero() {
        let m = FidelityMetric.meanKS
        #expect(m.text(.defined(0.123456)) == "0.1235")
        #expect(m.text(.defined(-0.00001)) == "0.0000")
        #expect(m.text(.defined(.nan)) == "n/a")
        #expect(m.text(.undefined("why")) == "n/a")
        #expect(m.text(nil) == "n/a")
    }

    /// A KID in raw units (a column in thousands: the cubic kernel's values
    /// about 10²⁰) printed in scientific notation, not as 23 digits; below
    /// 10⁶ the decimals as before.
    @Test func hugeValuesArePrintedInScientificNotation() {
        let m = FidelityMetric.kid
        #expect(m.text(.defined(-1852177857332108032)) == "-1.852e+18")
        #expect(m.text(.defined(1e6)) == "1.000e+06")
        #expect(m.text(.defined(999_999.5)) == "999999.5000")
    }
}
