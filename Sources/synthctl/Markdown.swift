import Eval
import Foundation
import Synth
import SynthctlCore

/// The `--markdown FILE` reports: the headline numbers of a run as GitHub
/// Markdown, for CI job summaries (`cat report.md >> $GITHUB_STEP_SUMMARY`).
/// Names and paths from the input have their control characters escaped
/// (a newline in a class name would otherwise end a table row).
enum Markdown {
    /// A table; the first row is the header, the first column left-aligned.
    static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.escapingControlCharacters.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "| " + header.indices.map { $0 == 0 ? "---" : "---:" }.joined(separator: " | ") + " |"
        return ([line(header), rule] + rows.dropFirst().map(line)).joined(separator: "\n")
    }

    static func number(_ x: Double?) -> String { x.map { $0.isFinite ? fixedDecimals($0, 4) : "n/a" } ?? "n/a" }

    /// " (name n/a: reason; …)" for the undefined ones, or nothing.
    static func undefinedNote(_ values: [(String, MetricValue)]) -> String {
        let notes = values.compactMap { name, v in v.undefinedReason.map { "\(name) n/a: \($0)" } }
        return notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
    }

    /// The gate outcome line every report ends with.
    static func gates(_ failures: [String]) -> String {
        failures.isEmpty ? "**Gates:** all passed." : "**Gates failed:**\n" + failures.map { "- \($0.escapingControlCharacters)" }.joined(separator: "\n")
    }

    static func write(_ sections: [String], to path: String, files: RunFiles) throws {
        try files.write(sections.joined(separator: "\n\n") + "\n", to: path)
    }

    /// - Parameter readable: every number in ``readableCell(_:)``'s
    ///   precision (the HTML page); otherwise each metric's decimals, and
    ///   scientific notation for a value below 1e-3 that is not zero or
    ///   from 10⁶ (``fixedOrScientific(_:_:)``), never `-0.0000`.
    static func compare(_ r: FidelityReport, failures: [String], top: Int = 5, readable: Bool = false) -> [String] {
        func number(_ x: Double?) -> String { x.map { readable ? readableCell($0) : fixedOrScientific($0, 4) } ?? "n/a" }
        func cell(_ m: FidelityMetric, _ c: FidelityReport.Comparison) -> String {
            func text(_ v: MetricValue?) -> String {
                guard let x = v?.value, x.isFinite else { return "n/a" }
                return readable ? readableCell(x) : x != 0 && abs(x) < 1e-3 ? readableNumber(x) : m.text(v)
            }
            guard let drawn = c.matched[m.id], drawn.values.count > 1 else { return text(m.value(c, nil)) }
            return text(m.value(c, nil)) + " ± " + (readable ? readableCellSpread(drawn.standardDeviation) : text(.defined(drawn.standardDeviation)))
        }
        let columns = [r.synthetic] + r.baselines
        let rows = FidelityMetric.rows(of: .markdown)
        let u = r.utility, p = r.synthetic.privacy
        // With matched sizes per class, each class's holdout rows at the same size beside it.
        let classBaselines = r.perClass.contains { $0.matchedSizes != nil }
        var worst = [["class", "human rows", "synthetic rows", "coverage"] + (classBaselines ? ["holdout coverage"] : [])
                     + ["precision", "detection AUC [95% CI]", "TSTR F1"]]
        for c in r.perClass.sorted(by: { r.classCoverage($0) < r.classCoverage($1) }).prefix(top) {
            func classCell(_ m: FidelityMetric) -> String {
                m.classCell(c, utility: u, number: { number($0) }, spread: { readable ? readableCellSpread($0) : number($0) })
            }
            let baseline = FidelityMetric.coverage.classBaseline(c).map { number($0.mean) } ?? "n/a"
            worst.append([r.classNames[c.classIndex], String(c.humanRows), String(c.syntheticRows),
                          c.manifold == nil ? (c.problem ?? "n/a") : classCell(.coverage)] + (classBaselines ? [baseline] : [])
                         + [c.manifold == nil ? "n/a" : classCell(.precision),
                          detectionCell(c, number: { number($0) }, bound: readable ? readableCell : { fixedDecimals($0, 4) }),
                          number(u.trainOnSynthetic.perClassF1[c.classIndex])])
        }
        let undefined = rows.compactMap { m in m.value(r.synthetic, nil)?.undefinedReason.map { "\(m.name): \($0)" } }
        return [
            "## synthctl compare: \(r.syntheticSource.escapingControlCharacters) against \(r.humanSource.escapingControlCharacters)",
            "**Verdict:** \(r.verdict.text)",
            "\(r.synthetic.rows) synthetic rows against \(r.trainingRows) human training rows (\(r.holdoutRows) held out); \(countedFeatures(numeric: r.featureCount, boolean: r.charts.frequencies.filter(\.boolean).count, categorical: r.categoricalColumns.count)), \(counted(r.classNames.count, "class", "classes"))."
                + (r.parameters.detector == .logistic ? "" : " Detection by \(r.parameters.detector.name)."),
            "**Feature space:** \(r.featureSpaceDescription.escapingControlCharacters).",
            "**Matched sizes:** \(MatchedSizes.metricNames) \(r.matchedSizes.description).",
            table([["metric", "synthetic"] + r.baselines.map { $0.name.replacingOccurrences(of: "_", with: " ") }]
                  + rows.map { m in [m.heading] + columns.map { cell(m, $0) } }),
            "**Utility** (on \(counted(u.testRows, "held-out human row"))): TSTR accuracy \(number(u.trainOnSynthetic.accuracy)) vs TRTR \(number(u.trainOnReal.accuracy)), ratio \(number(u.accuracyRatio.value)); macro-F1 ratio \(number(u.macroF1Ratio.value))."
                + undefinedNote([("accuracy ratio", u.accuracyRatio), ("macro-F1 ratio", u.macroF1Ratio)]),
            "**Privacy:** median DCR \(number(p.medianSyntheticDCR)) vs holdout \(number(p.medianHoldoutDCR)); exact copies \(number(p.exactCopyShare)).",
        ]
            + (CompareSummary.validityFlags(r.synthetic, holdout: r.baselines.first { $0.name == "human_holdout" }).map { ["**Validity:** \($0.escapingControlCharacters)."] } ?? [])
            // No table without per-class metrics (--no-per-class) or with --top 0.
            + (worst.count > 1 ? ["**Worst classes by coverage**\n\n" + table(worst)
                + (classBaselines ? "\n\nPrecision and coverage at each class's matched size: its synthetic rows and its holdout rows subsampled to the smaller's size over \(r.parameters.sizeDraws) seeded draws (mean ± sd), each against the class's training rows; holdout coverage is the class's baseline." : "")] : [])
            + columnFidelity(r, top: top, number: number)
            + (undefined.isEmpty ? [] : ["**Undefined (n/a) for the synthetic set:** " + undefined.joined(separator: "; ") + "."]) + [
            gates(failures),
        ]
    }

    /// A class's detection AUC as a table cell: the value, its 95% DeLong
    /// interval (ends by `bound`) and " (unreliable)" when the class is
    /// marked so (``FidelityReport/ClassComparison/detectionAUCIsUnreliable``).
    static func detectionCell(_ c: FidelityReport.ClassComparison, number: (Double?) -> String, bound: (Double) -> String) -> String {
        let i = c.detection.map { ConfidenceInterval.normal($0.heldOut.value, standardError: $0.heldOut.standardError) }
        let bracket = i.flatMap { i in i.lower.isFinite && i.upper.isFinite ? " [\(bound(i.lower)), \(bound(i.upper))]" : nil } ?? ""
        return number(c.detection?.auc.value) + (c.detectionAUCIsUnreliable == true ? " (unreliable)" : "")
            + "; held out " + number(c.detection?.heldOut.value) + bracket
    }

    /// The per-column table (every column, worst first) and the worst
    /// column pairs (``FidelityReport/worstColumns(_:)``, ``FidelityReport/worstPairs(_:)``).
    static func columnFidelity(_ r: FidelityReport, top: Int, number: (Double?) -> String = Markdown.number) -> [String] {
        var sections = [String]()
        let columns = r.worstColumns(r.synthetic)
        if !columns.isEmpty {
            sections.append("**Columns by fidelity** (column shapes: KS complement for numeric columns, TV complement for categorical ones; 1 best)\n\n"
                + table([["column", "metric", "score", "Wasserstein (sd)"]]
                        + columns.map { [$0.column.escapingControlCharacters, $0.metric, number($0.score), number($0.standardizedWasserstein)] }))
        }
        let pairs = r.worstPairs(r.synthetic).prefix(top)
        if !pairs.isEmpty {
            sections.append("**Worst column pairs** (column pair trends; 1 best)\n\n"
                + table([["columns", "metric", "score"]]
                        + pairs.map { ["\($0.columns.0) × \($0.columns.1)".escapingControlCharacters, $0.metric, number($0.score)] }))
        }
        return sections
    }

    static func score(labels: LabelIssueReport?, annotations: AnnotationReport?, failures: [String], top: Int = 5) -> [String] {
        var sections = ["## synthctl score"]
        if let r = labels {
            var rows = [["labels", "value"], ["rows", String(r.data.rows)], ["health", number(r.health.score)],
                        ["estimated noise rate", number(r.estimatedNoiseRate)], ["flagged items", String(r.ranked.count)]]
            if !r.classesNeverGiven.isEmpty { rows.append(["classes never given", String(r.classesNeverGiven.count)]) }
            if let t = r.truth { rows += [["flag precision (truth)", number(t.precision.value)], ["flag recall (truth)", number(t.recall.value)]] }
            sections.append(table(rows))
        }
        if let r = annotations {
            var rows = [["annotations", "value"], ["answers", String(r.answers.answerCount)], ["annotators", String(r.answers.workerCount)],
                        ["Krippendorff's α (\(r.parameters.alphaLevel.rawValue))", number(r.alpha.value)], ["Fleiss' κ", number(r.fleissKappa.value)]]
            if let acc = r.dawidSkeneAccuracy { rows.append(["Dawid–Skene accuracy (gold)", number(acc.value)]) }
            rows.append(["Dawid–Skene iterations", "\(r.dawidSkene.iterations), \(r.dawidSkene.converged ? "converged" : "not converged")"])
            if let worst = r.annotatorsByAccuracy.first {
                rows.append(["least accurate annotator", "\(r.answers.workerNames[worst]): \(number(r.dawidSkene.accuracy(ofWorker: worst)))"])
            }
            sections.append(table(rows))
            let notes = ([r.alpha, r.fleissKappa].compactMap(\.undefinedReason) + [r.dawidSkeneAccuracy?.undefinedReason].compactMap { $0 })
                .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            if !notes.isEmpty { sections.append("**n/a:** " + notes.joined(separator: "; ") + ".") }
            for m in r.unconverged {
                sections.append("**Warning:** \(m.model) stopped at \(counted(m.iterations, "iteration")) without converging; raise `--max-iterations`.")
            }
            let ends = r.pairs.mostAgreeingEnds(top: top), names = r.answers.workerNames
            if !ends.head.isEmpty {
                var pairRows = [["annotator pair", "shared items", "Cohen's κ"]]
                for (title, list) in ScoreSummary.mostAndLeast(ends) {
                    pairRows.append(["*\(title)*", "", ""])
                    pairRows += list.map { ["\(names[$0.a]) – \(names[$0.b])", String($0.shared), number($0.kappa.value)] }
                }
                sections.append("**Annotator pairs** (Cohen's κ, \(counted(r.pairs.pairs.count, "pair")) sharing ≥ \(r.pairs.minimumShared) items)\n\n" + table(pairRows))
            }
        }
        sections.append(gates(failures))
        return sections
    }

    static func limits(_ c: LearningCurves, _ f: LimitsFindings, human: String, synthetic: String) -> [String] {
        func interval(_ i: LimitsFindings.Interval?) -> String { i.map { "\(number($0.lower)) to \(number($0.upper))" } ?? "n/a" }
        var rows = [["curve", "largest n", "error there", "shape", "plateau", "± se", "95% interval"]]
        for (curve, level) in [(c.human, f.human), (c.synthetic, f.synthetic), (c.mixed, f.mixed)] {
            let shape = level.map {
                $0.flat ? "flat" : $0.rising ? "rising (no power law; error at largest n)"
                    : $0.powerLaw == nil ? "falling (no power law; error at largest n)" : $0.heldAtZero ? "falling (plateau held at 0)" : "falling"
            } ?? "n/a"
            rows.append([curve.name, String(curve.points.last?.rows ?? 0), number(curve.points.last?.mean), shape,
                         number(level?.value), number(level?.standardError), interval(level?.interval)])
        }
        var exchange = [["human rows", "human error", "synthetic rows for the same error", "95% interval", "per human row"]]
        for e in f.exchange {
            let rows: String, perRow: String
            switch e.status {
            case .estimated:
                rows = (e.syntheticRows.map { String(Int($0.rounded())) } ?? "n/a") + (e.extrapolated ? " (extrapolated)" : "")
                perRow = e.syntheticRows.map { String(format: "%.2f", $0 / Double(e.humanRows)) } ?? "n/a"
            case .everyMeasuredSize: rows = "any measured (from \(Int(e.syntheticRows ?? 0)))"; perRow = "n/a"
            case .unreachable: rows = "none: below the synthetic plateau"; perRow = "n/a"
            case .cannotTell: rows = f.testSplit.tooSmallToTell ? "cannot tell: test split too small" : "cannot tell: within noise"; perRow = "n/a"
            case .humanAtChance: rows = "none: the human curve is at chance"; perRow = "n/a"
            case .syntheticRising: rows = "none: the synthetic curve rises"; perRow = "n/a"
            case .noPowerLaw: rows = "cannot tell: the synthetic curve is no power law"; perRow = "n/a"
            }
            exchange.append([String(e.humanRows), number(e.humanError), rows,
                             e.interval.map { "\(Int($0.lower.rounded()))–\($0.upper < 1e15 ? String(Int($0.upper.rounded())) : "∞")" } ?? "n/a", perRow])
        }
        var sections = ["## synthctl limits: \(synthetic.escapingControlCharacters) against \(human.escapingControlCharacters)", table(rows)]
        if let g = f.gap {
            sections.append("**Plateau gap** (synthetic − human): \(number(g.value)) ± \(number(g.standardError)), 95% interval \(interval(g.interval)): "
                            + (g.resolved ? "a real gap." : "not distinguishable from 0.")
                            + ([f.human, f.synthetic].contains { $0.map { !$0.flat && $0.powerLaw == nil } ?? false }
                               ? " A curve without a power law enters at its error at the largest n." : ""))
        }
        let t = f.testSplit
        sections.append("**Test split:** \(counted(t.rows, "row")); binomial standard error \(number(t.standardError)) at error \(number(t.errorRate)), resolution \(number(t.resolution))."
                        + (t.tooSmallToTell ? " **Too small to tell:** the human curve's fall and the plateau gap are both within the resolution." : "")
                        + c.withinNoise(resolution: t.resolution).map { " **Within noise:** the \($0.curve) curve's points differ by at most \(number($0.spread)), within the resolution." }.joined()
                        + (f.chance.humanAtChance ? " **At chance:** at no size is the human error lower than \(number(f.chance.majorityClassError)) (always predicting the most common class) by more than the resolution: the features do not predict the label." : ""))
        sections.append("**Exchange rate**\n\n" + table(exchange))
        return sections
    }

    static func collapse(_ c: ModelCollapse, human: String) -> [String] {
        var rows = [["generation", "trained on", "mean drift", "variance ratio", "tail mass", "Fréchet", "accuracy"]]
        for g in c.generations {
            rows.append([String(g.index), String(g.trainingRows), number(g.meanDrift), number(g.varianceRatio), number(g.tailMass),
                         number(g.frechet), number(g.accuracy)])
        }
        var sections = ["## synthctl collapse (\(c.mode.rawValue)): \(human.escapingControlCharacters)", "\(c.rowsPerGeneration) rows per generation.", table(rows)]
        if !c.constantColumns.isEmpty {
            // Left out of mean drift and tail mass (no spread to measure in), reported in the column's own units.
            var constant = [["generation", "largest drift of a constant column", "largest spread given to one"]]
            for g in c.generations { constant.append([String(g.index), number(g.constantColumnDrift), number(g.constantColumnSpread)]) }
            sections.append("**Constant human columns** (\(c.constantColumns.count)): left out of mean drift and tail mass (a column varying by at most \(Int(ModelCollapse.nearConstantUlps)) float32 ulp at its magnitude counts as constant); in their own units:\n\n" + table(constant))
        }
        return sections
    }
}
