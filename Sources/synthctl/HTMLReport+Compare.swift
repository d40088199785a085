import Eval
import Foundation

/// The compare page: the data sets and the verdict at the top, then the
/// charts a reviewer looks at (``SVGChart``), then the Markdown report's
/// tables in readable precision (``readableNumber(_:)``).
extension HTMLReport {
    /// Columns the correlation heat map shows at most (the ones with the
    /// largest differences, in the table's order).
    static let heatMapColumns = 30
    /// Categories a categorical column's bars show at most (the most
    /// frequent in either set; the rest summed as "other").
    static let barCategories = 20

    static func compare(_ r: FidelityReport, failures: [String], top: Int = 5) -> String {
        let sections = Markdown.compare(r, failures: failures, top: top, readable: true).dropFirst()
        var body = compareHead(r)
        body += compareCharts(r, top: top)
        body += sections.filter { !$0.hasPrefix("**Verdict:**") }.map(markdownToHTML)
        body.append(perClass(r))
        return page(title: "synthctl compare", body)
    }

    /// The per-class metrics with a column (``FidelityMetric/classColumns``);
    /// a class not compared shows why in the coverage column. When classes
    /// were matched per class (``ClassMatchedSizes``), the matched metrics
    /// (precision, recall, density, coverage, mean KS) get their own table with each
    /// class's human holdout rows at the same size under it (the class's
    /// baseline), and the other columns a second table: one table of 13
    /// columns and baseline rows wrapped its cells onto 2–3 lines.
    static func perClass(_ r: FidelityReport) -> String {
        let columns = FidelityMetric.classColumns
        func cell(_ m: FidelityMetric, _ c: FidelityReport.ClassComparison) -> String {
            if m.id == FidelityMetric.detectionAUC.id && c.detection != nil {
                return Markdown.detectionCell(c, number: { $0.map(readableCell) ?? "n/a" }, bound: readableCell)
            }
            return m.classValue(c, utility: r.utility) == nil && m.id == FidelityMetric.coverage.id ? (c.problem ?? "n/a")
                : m.classCell(c, utility: r.utility, number: readableCell, spread: readableCellSpread)
        }
        func rows(_ shown: [(metric: FidelityMetric, heading: String)], baselines: Bool) -> [[String]] {
            var rows = [["class", "human rows", "synthetic rows"] + shown.map(\.heading)]
            for c in r.perClass {
                rows.append([r.classNames[c.classIndex], String(c.humanRows), String(c.syntheticRows)] + shown.map { cell($0.metric, c) })
                guard baselines, let matched = c.matchedSizes, let size = matched.size else { continue }
                // The holdout's rows (human rows, so in that column), and the size they were subsampled to when that is fewer.
                rows.append(["↳ human holdout", matched.holdoutRows == size ? String(size) : "\(matched.holdoutRows) → \(size)", ""] + shown.map { m, _ in
                    guard let d = m.classBaseline(c) else { return "" }
                    return readableCell(d.mean) + (d.values.count > 1 ? " ± " + readableCellSpread(d.standardDeviation) : "")
                })
            }
            return rows
        }
        guard r.perClass.contains(where: { $0.matchedSizes != nil }) else {
            return "<h2>Per-class fidelity</h2>" + table(rows(columns, baselines: false))
        }
        let matchedIDs = Set(ClassMatchedSizes.metricIDs)
        let matched = columns.filter { matchedIDs.contains($0.metric.id) }, other = columns.filter { !matchedIDs.contains($0.metric.id) }
        let unbroken = "white-space: nowrap"
        let headings = matched.map(\.heading)
        let names = headings.count < 2 ? headings.joined() : headings.dropLast().joined(separator: ", ") + " and " + headings.last!
        return "<h2>Per-class fidelity</h2>"
            + "<p class=\"note\">\(escape(names.prefix(1).uppercased() + names.dropFirst())) at each class's matched size: the class's synthetic rows and its human holdout rows subsampled to the smaller's size (\(r.parameters.sizeDraws) seeded draws, mean ± sd), each against the class's human training rows; the ↳ row is the holdout's (its human rows, → the matched size when subsampled), the class's baseline. A class whose matched size is not above k = \(r.parameters.k) keeps its values on all rows.</p>"
            + table(rows(matched, baselines: true), style: unbroken)
            + (other.isEmpty ? "" : "<p class=\"note\">The other per-class metrics, on every row of the class; the detection AUC with its 95% DeLong interval (the verdict's per-class intervals are Bonferroni-adjusted, so wider).</p>" + table(rows(other, baselines: false), style: unbroken))
    }

    /// The sets compared and the verdict line.
    static func compareHead(_ r: FidelityReport) -> [String] {
        let human = r.humanSource + (r.humanHoldoutSource.map { " (holdout \($0))" } ?? "")
        return ["<p class=\"sets\"><b>Synthetic:</b> \(escape(r.syntheticSource)) · <b>Human:</b> \(escape(human))</p>",
                "<p class=\"verdict\" style=\"font-size: 1.1em\"><b>Verdict:</b> \(escape(r.verdict.text))</p>"]
    }

    /// The charts, each under its heading; a chart without data is left out.
    static func compareCharts(_ r: FidelityReport, top: Int) -> [String] {
        var out = [String]()
        let shapes = r.worstColumns(r.synthetic)
        let histograms = Dictionary(r.charts.histograms.map { ($0.column, $0) }, uniquingKeysWith: { a, _ in a })
        let numeric = shapes.filter { $0.metric == "KSComplement" }.prefix(max(top, 1)).compactMap { s in histograms[s.column].map { (s, $0) } }
        if !numeric.isEmpty {
            out.append("<h2>Worst numeric columns</h2><p class=\"note\">Lowest column shape (KS complement) first; share of rows on \(ComparisonCharts.bins) bins shared by the human training rows and the synthetic rows, in the column's units.</p>")
            out.append("<div class=\"charts\">" + numeric.map { s, h in
                SVGChart.histogram(title: "\(SVGChart.short(h.column, 24)) (KS complement \(readableNumber(s.score)))", column: h.column,
                                   lower: h.lower, upper: h.upper,
                                   series: [.init(name: "human", color: SVGChart.human, values: shares(h.humanCounts)),
                                            .init(name: "synthetic", color: SVGChart.synthetic, values: shares(h.syntheticCounts))])
            }.joined() + "</div>")
        }
        let frequencies = Dictionary(r.charts.frequencies.map { ($0.column, $0) }, uniquingKeysWith: { a, _ in a })
        let categorical = shapes.filter { $0.metric == "TVComplement" }.prefix(max(top, 1)).compactMap { s in frequencies[s.column].map { (s, $0) } }
        if !categorical.isEmpty {
            let heading = categorical.contains { $0.1.boolean } ? "Categorical and boolean columns" : "Categorical columns"
            out.append("<h2>\(heading)</h2><p class=\"note\">Share of rows per category; <span style=\"color:#d62728\">*</span> marks a category only the synthetic set has.</p>")
            out.append("<div class=\"charts\">" + categorical.map { s, f in categoryBars(f, score: s.score) }.joined() + "</div>")
        }
        if let heat = pairHeatMap(r.charts) {
            out.append("<h2>Column pair differences</h2>" + heat)
        }
        out.append("<h2>Precision, recall, density, coverage</h2><p class=\"note\">At the matched size (\(escape(r.matchedSizes.description))); bars: the 95% interval where the report has one, else ± the draws' standard deviation.</p>")
        out.append(prdc(r))
        if let roc = detectionROC(r) { out.append("<h2>Detection</h2>" + roc) }
        return out
    }

    static func shares(_ counts: [Int]) -> [Double] {
        let total = Double(max(counts.reduce(0, +), 1))
        return counts.map { Double($0) / total }
    }

    /// Human and synthetic shares per category, the most frequent
    /// ``barCategories`` − 1 and "other" when there are more.
    static func categoryBars(_ f: ComparisonCharts.Frequencies, score: Double) -> String {
        var order = Array(f.categories.indices)
        let h = shares(f.humanCounts), s = shares(f.syntheticCounts)
        var names = f.categories, hv = h, sv = s, unseen = Set(f.humanCategories..<f.categories.count)
        if order.count > barCategories {
            order.sort { (-max(h[$0], s[$0]), $0) < (-max(h[$1], s[$1]), $1) }
            let shown = Array(order.prefix(barCategories - 1)).sorted(), rest = order.dropFirst(barCategories - 1)
            names = shown.map { f.categories[$0] } + ["other (\(rest.count))"]
            hv = shown.map { h[$0] } + [rest.reduce(0) { $0 + h[$1] }]
            sv = shown.map { s[$0] } + [rest.reduce(0) { $0 + s[$1] }]
            unseen = Set(shown.enumerated().filter { $0.element >= f.humanCategories }.map(\.offset))
        }
        let count = f.categories.count - f.humanCategories
        return SVGChart.bars(title: "\(SVGChart.short(f.column, 24)) (TV complement \(readableNumber(score)))", yLabel: "share of rows",
                             groups: names, series: [.init(name: "human", color: SVGChart.human, values: hv),
                                                     .init(name: "synthetic", color: SVGChart.synthetic, values: sv)],
                             marked: unseen, note: count > 0 ? "* \(count) unseen " + (count == 1 ? "category" : "categories") : nil)
    }

    /// The pair differences over at most ``heatMapColumns`` columns: those
    /// with the largest difference to any other column, in table order.
    static func pairHeatMap(_ c: ComparisonCharts) -> String? {
        let k = c.pairColumns.count
        guard k > 1 else { return nil }
        var keep = Array(0..<k)
        if k > heatMapColumns {
            let largest = (0..<k).map { i in c.pairDifferences[i].compactMap { $0 }.max() ?? -1 }
            keep = Array(keep.sorted { (-largest[$0], $0) < (-largest[$1], $1) }.prefix(heatMapColumns)).sorted()
        }
        let names = keep.map { c.pairColumns[$0] }
        let values = keep.map { i in keep.map { j in c.pairDifferences[i][j] } }
        let note = "<p class=\"note\">Each cell: |ρ_human − ρ_synthetic| (Pearson) for two numeric columns; for a pair with a categorical or boolean column, the total variation distance of the two contingency tables (1 − contingency similarity, the numeric column in the human column's 10 equal-width bins, the outer ones open, applied to both sets)"
            + (k > heatMapColumns ? "; the \(heatMapColumns) of \(k) columns with the largest differences." : ".") + "</p>"
        return note + SVGChart.heatMap(title: "Column pair differences (0 = same)", names: names, values: values,
                                       legend: "numeric pairs: |Δ correlation|\nwith a categorical column:\ncontingency TV distance")
    }

    /// PRDC of the synthetic set beside its baselines, with error bars.
    static func prdc(_ r: FidelityReport) -> String {
        let metrics: [FidelityMetric] = [.precision, .recall, .density, .coverage]
        let sets = [r.synthetic] + r.baselines
        let colors = [SVGChart.synthetic, SVGChart.human, "#7f7f7f", "#2ca02c", "#9467bd"]
        let series = sets.enumerated().map { k, c in
            SVGChart.Series(name: c.name.replacingOccurrences(of: "_", with: " "), color: colors[k % colors.count],
                            values: metrics.map { $0.value(c, nil)?.value ?? .nan }.map { $0.isFinite ? $0 : 0 },
                            errors: metrics.map { m -> (lower: Double, upper: Double)? in
                                if let i = c.intervals[m.id] { return (i.lower, i.upper) }
                                guard let d = c.matched[m.id], d.values.count > 1, d.standardDeviation.isFinite else { return nil }
                                return (d.mean - d.standardDeviation, d.mean + d.standardDeviation)
                            })
        }
        return SVGChart.bars(title: "PRDC beside the baselines", yLabel: "value (density ≈ 1 best; others ↑)",
                             groups: metrics.map(\.name), series: series)
    }

    /// The synthetic set's detection ROC with its AUC and interval.
    static func detectionROC(_ r: FidelityReport) -> String? {
        let d = r.synthetic.detection
        guard d.roc.points.count > 1 else { return nil }
        var caption = ["\(d.detector.name), \(d.folds)-fold", "out-of-fold scores, all rows:", "AUC \(readableNumber(d.auc.value))"]
        if let m = FidelityMetric.heldOutDetectionAUC.value(r.synthetic, nil)?.value, let i = r.synthetic.intervals[FidelityMetric.heldOutDetectionAUC.id] {
            caption += ["held out (train on half, test on half)\(r.synthetic.matched.isEmpty ? "" : ", mean of draws"):",
                        "AUC \(readableNumber(m)) [\(readableNumber(i.lower)), \(readableNumber(i.upper))] (95%, DeLong)"]
        }
        caption += ["0.5: indistinguishable", "1: separable"]
        return SVGChart.roc(title: "Detector ROC (human rows positive)", points: d.roc.points, caption: caption)
    }
}
