import Testing
import Foundation
@testable import Eval
@testable import synthctl

/// Every declared fidelity metric (``FidelityMetric/all``) reaches every
/// output of `synthctl compare` its declaration names, and every shorthand
/// gate option of `compare` is a declared gate.
extension CommandLineTests {
    @Test func everyDeclaredMetricAppearsInTheJSONSummaryMarkdownAndHTML() throws {
        let dir = tempDir()
        for shard in ["1/2", "2/2"] {
            let r = try run(["gen", "--rows", "1200", "--seed", "6", "--shard", shard, "--out", "half\(shard.first!)"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let r = try run(["compare", "--human", "half1", "--synthetic", "half2", "--kid-subsets", "3",
                         "--json", "c.json", "--markdown", "c.md", "--html", "c.html"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/c.json"))
        let report = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["compare"] as? [String: Any])
        func has(_ object: Any?, _ path: [String]) -> Bool {
            guard let first = path.first else { return true }
            guard let o = object as? [String: Any], o.keys.contains(first) else { return false }
            return has(o[first], Array(path.dropFirst()))
        }
        let definitions = try #require(report["definitions"] as? [String: Any])
        let perClass = try #require(report["per_class"] as? [[String: Any]])
        #expect(!perClass.isEmpty)
        let md = try String(contentsOfFile: "\(dir)/c.md", encoding: .utf8)
        let html = try String(contentsOfFile: "\(dir)/c.html", encoding: .utf8)
        let summaryRows = r.stdout.split(separator: "\n").map(String.init)
        for m in FidelityMetric.all {
            #expect(has(report["synthetic"], m.key), "JSON: synthetic.\(m.id)")
            // The detection definition is the default detector's (gradient-boosted trees).
            let definition = m.definition.key == FidelityMetric.Definition.detection.key
                ? FidelityMetric.Definition.gradientBoostedDetection : m.definition
            #expect(definitions[m.definition.key] as? String == definition.text, "JSON definition of \(m.id)")
            if case .computed(let key, let heading, let column, _, _) = m.perClass {
                for entry in perClass { #expect(has(entry, key), "JSON: per_class \(key) of \(m.id)") }
                if column != nil { #expect(html.contains("<th>\(HTMLReport.escape(heading))</th>"), "HTML per-class column \(heading)") }
            }
            let inSummary = summaryRows.contains { $0.hasPrefix(m.heading + " ") }
            #expect(inSummary == m.tables.contains(.summary), "summary row \(m.heading)")
            let inMarkdown = md.contains("\n| \(m.heading.replacingOccurrences(of: "|", with: "\\|")) | ")
            #expect(inMarkdown == m.tables.contains(.markdown), "Markdown row \(m.heading)")
            if m.tables.contains(.markdown) { #expect(html.contains("<td>\(HTMLReport.escape(m.heading))</td>"), "HTML row \(m.heading)") }
        }
    }

    @Test func theGateOptionsAreTheDeclaredGates() throws {
        let declared = FidelityMetric.all.flatMap { $0.gates.map(\.name) }
        // Every shorthand option is a declared gate; a gate declared later needs none (``GateOptionTests``).
        #expect(Set(CompareGates.gateNames).isSubset(of: Set(declared)), "\(CompareGates.gateNames) against \(declared)")
        #expect(CompareGates.gateNames.count == 11, "the shorthands kept: \(CompareGates.gateNames)")
        for name in CompareGates.gateNames {
            // 0.5 lies in every gate's range ([0, 1], [0, ∞), [0.5, 1]).
            let gates = try CompareGates.parse(["--\(name)", "0.5"])
            #expect(gates.limits.map(\.gate) == [name] && gates.limits.map(\.limit) == [0.5], "\(name): \(gates.limits)")
        }
        #expect(try CompareGates.parse([]).limits.isEmpty)
    }
}
