import Eval
import Foundation
import Synth

/// The `--markdown FILE` reports: the headline numbers of a run as GitHub
/// Markdown, for CI job summaries (`cat report.md >> $GITHUB_STEP_SUMMARY`).
enum Markdown {
    /// A table; the first row is the header, the first column left-aligned.
    static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        func line(_ cells: [String]) -> String { "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
        let rule = "| " + header.indices.map { $0 == 0 ? "---" : "---:" }.joined(separator: " | ") + " |"
        return ([line(header), rule] + rows.dropFirst().map(line)).joined(separator: "\n")
    }

    static func number(_ x: Double?) -> String { x.map { $0.isFinite ? String(format: "%.4f", $0) : "n/a" } ?? "n/a" }

    /// The gate outcome line every report ends with.
    static func gates(_ failures: [String]) -> String {
        failures.isEmpty ? "**Gates:** all passed." : "**Gates failed:**\n" + failures.map { "- \($0)" }.joined(separator: "\n")
    }

    static func write(_ sections: [String], to path: String, files: RunFiles) throws {
        try files.write(sections.joined(separator: "\n\n") + "\n", to: path)
    }

    static func compare(_ r: FidelityReport, failures: [String]) -> [String] {
        let columns = [r.synthetic] + r.baselines
        func row(_ name: String, _ value: (FidelityReport.Comparison) -> Double?) -> [String] { [name] + columns.map { number(value($0)) } }
        let u = r.utility, p = r.synthetic.privacy
        var worst = [["class", "human rows", "synthetic rows", "coverage", "precision", "detection AUC", "TSTR F1"]]
        for c in r.perClass.sorted(by: { ($0.manifold?.coverage ?? -1) < ($1.manifold?.coverage ?? -1) }).prefix(5) {
            worst.append([r.classNames[c.classIndex], String(c.humanRows), String(c.syntheticRows),
                          c.manifold.map { number($0.coverage) } ?? (c.problem ?? "n/a"), number(c.manifold?.precision),
                          number(c.detection?.auc.value), number(u.trainOnSynthetic.perClassF1[c.classIndex])])
        }
        return [
            "## synthctl compare: \(r.syntheticSource) against \(r.humanSource)",
            "\(r.synthetic.rows) synthetic rows against \(r.trainingRows) human training rows (\(r.holdoutRows) held out); \(r.features) features, \(r.classNames.count) classes.",
            table([["metric", "synthetic"] + r.baselines.map { $0.name.replacingOccurrences(of: "_", with: " ") },
                   row("mean KS ↓") { $0.marginals.meanKS }, row("Fréchet ↓") { $0.frechet?.distance },
                   row("MMD² ↓") { $0.mmd2 }, row("precision ↑") { $0.manifold.precision }, row("recall ↑") { $0.manifold.recall },
                   row("density (≈1)") { $0.manifold.density }, row("coverage ↑") { $0.manifold.coverage },
                   row("detection AUC (0.5 best)") { $0.detection.auc.value }, row("median DCR ratio") { $0.privacy.medianRatio },
                   row("exact copies") { $0.privacy.exactCopyShare }]),
            "**Utility** (on \(u.testRows) held-out human rows): TSTR accuracy \(number(u.trainOnSynthetic.accuracy)) vs TRTR \(number(u.trainOnReal.accuracy)), ratio \(number(u.accuracyRatio)); macro-F1 ratio \(number(u.macroF1Ratio)).",
            "**Privacy:** median DCR \(number(p.medianSyntheticDCR)) vs holdout \(number(p.medianHoldoutDCR)); exact copies \(number(p.exactCopyShare)).",
            "**Worst classes by coverage**\n\n" + table(worst),
            gates(failures),
        ]
    }

    static func score(labels: LabelIssueReport?, annotations: AnnotationReport?, failures: [String]) -> [String] {
        var sections = ["## synthctl score"]
        if let r = labels {
            var rows = [["labels", "value"], ["rows", String(r.data.rows)], ["health", number(r.health.score)],
                        ["estimated noise rate", number(r.estimatedNoiseRate)], ["flagged items", String(r.ranked.count)]]
            if let t = r.truth { rows += [["flag precision (truth)", number(t.precision)], ["flag recall (truth)", number(t.recall)]] }
            sections.append(table(rows))
        }
        if let r = annotations {
            var rows = [["annotations", "value"], ["answers", String(r.answers.answerCount)], ["annotators", String(r.answers.workerCount)],
                        ["Krippendorff's α (\(r.parameters.alphaLevel.rawValue))", number(r.alpha)], ["Fleiss' κ", number(r.fleissKappa)]]
            if let acc = r.dawidSkeneAccuracy { rows.append(["Dawid–Skene accuracy (gold)", number(acc)]) }
            if let worst = r.annotatorsByAccuracy.first {
                rows.append(["least accurate annotator", "\(r.answers.workerNames[worst]): \(number(r.dawidSkene.accuracy(ofWorker: worst)))"])
            }
            sections.append(table(rows))
        }
        sections.append(gates(failures))
        return sections
    }

    static func limits(_ c: LearningCurves, human: String, synthetic: String) -> [String] {
        var rows = [["curve", "largest n", "error there", "plateau", "± se"]]
        for curve in [c.human, c.synthetic, c.mixed] {
            rows.append([curve.name, String(curve.points.last?.rows ?? 0), number(curve.points.last?.mean),
                         number(curve.fit?.plateau), number(curve.fit?.standardErrors.plateau)])
        }
        var exchange = [["human rows", "synthetic rows for the same error"]]
        for p in c.human.points {
            exchange.append([String(p.rows), c.syntheticRowsMatching(humanRows: Double(p.rows)).map { String(Int($0.rounded())) } ?? "none: below the synthetic plateau"])
        }
        var sections = ["## synthctl limits: \(synthetic) against \(human)", table(rows)]
        if let h = c.human.fit, let s = c.synthetic.fit { sections.append("**Plateau gap** (synthetic − human): \(number(s.plateau - h.plateau)).") }
        sections.append("**Exchange rate**\n\n" + table(exchange))
        return sections
    }

    static func collapse(_ c: ModelCollapse, human: String) -> [String] {
        var rows = [["generation", "trained on", "mean drift", "variance ratio", "tail mass", "Fréchet", "accuracy"]]
        for g in c.generations {
            rows.append([String(g.index), String(g.trainingRows), number(g.meanDrift), number(g.varianceRatio), number(g.tailMass),
                         number(g.frechet), number(g.accuracy)])
        }
        return ["## synthctl collapse (\(c.mode.rawValue)): \(human)", "\(c.rowsPerGeneration) rows per generation.", table(rows)]
    }
}
