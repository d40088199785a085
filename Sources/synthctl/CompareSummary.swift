import Eval
import Foundation
import Synth
import SynthctlCore

/// The readable summary of a fidelity report: the headline metrics of the
/// synthetic set beside the baselines, utility, privacy and the worst classes.
struct CompareSummary {
    let top: Int

    func text(_ r: FidelityReport) -> String {
        var lines = ["Verdict: " + r.verdict.text]
        lines.append("Synthetic \(r.syntheticSource) (\(r.synthetic.rows) rows) against human \(r.humanSource): \(r.trainingRows) training rows, \(r.holdoutRows) held out\(r.humanHoldoutSource.map { " in \($0)" } ?? ""); \(countedFeatures(numeric: r.featureCount, boolean: r.charts.frequencies.filter(\.boolean).count, categorical: r.categoricalColumns.count)), \(counted(r.classNames.count, "class", "classes"))")
        lines.append("Feature space: " + r.featureSpaceDescription)
        lines.append("Matched sizes: \(MatchedSizes.metricNames) " + r.matchedSizes.description)
        let columns = [r.synthetic] + r.baselines
        let header = ["", "synthetic"] + r.baselines.map { $0.name.replacingOccurrences(of: "_", with: " ") }
        // One row per metric the summary shows (``FidelityMetric/rows(of:)``).
        let table = [header] + FidelityMetric.rows(of: .summary).map { m in [m.heading] + columns.map { m.cell($0, nil) } }
        let widths = (0..<header.count).map { c in table.map { $0[c].count }.max()! }
        lines.append("")
        for t in table {
            lines.append(t.enumerated().map { c, s in c == 0 ? s.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: widths[c] - s.count) + s }.joined(separator: "  "))
        }
        if let problem = r.synthetic.frechetProblem { lines.append("Fréchet distance: \(problem)") }
        let st = r.synthetic.statistics
        // Why each other n/a of the synthetic set is n/a (the Fréchet distance's problem is above).
        let undefined = FidelityMetric.rows(of: .summary).filter { $0.id != FidelityMetric.frechet.id }
            .compactMap { m in m.value(r.synthetic, nil)?.undefinedReason.map { "\(m.name): \($0)" } }
        if !undefined.isEmpty { lines.append("n/a (undefined) for the synthetic set: " + undefined.joined(separator: "; ")) }
        let ci = r.synthetic.intervals[FidelityMetric.heldOutDetectionAUC.id] ?? ConfidenceInterval.normal(.nan, standardError: .nan)
        // The detector is named unless it is the logistic regression, the only one before `--detector`.
        let detectorNote = r.parameters.detector == .logistic ? "" : " by \(r.parameters.detector.name)"
        lines.append("")
        if st.detectionAUC.value != nil {
            // The folds the data allowed, where fewer than asked (a fold needs a row of each side).
            let d = r.synthetic.detection, asked = r.parameters.detectionFolds
            let folds = d.folds < asked ? " with \(d.folds) folds (\(asked) asked: the smaller side has \(min(d.auc.positives, d.auc.negatives)) rows)" : ""
            let auc = FidelityMetric.detectionAUC.value(r.synthetic, nil)?.value ?? .nan
            let score = FidelityMetric.sdmetricsScore.value(r.synthetic, nil)?.value ?? .nan
            let heldOut = FidelityMetric.heldOutDetectionAUC.value(r.synthetic, nil)
            let test = heldOut?.value.map { "held-out AUC \(f($0)) (95% CI \(f(ci.lower))–\(f(ci.upper)), DeLong, trained on half the rows and tested on the other)" }
                ?? "held-out AUC n/a (\(heldOut?.undefinedReason ?? ""))"
            lines.append("Detection\(detectorNote): cross-validated AUC \(f(auc))\(folds), SDMetrics-style score \(f(score)); \(test)")
        } else {
            lines.append("Detection\(detectorNote): AUC n/a (\(st.detectionAUC.undefinedReason ?? ""))")
        }
        let u = r.utility
        let tstr = r.synthetic.intervals[FidelityMetric.tstrF1.id], trtr = r.synthetic.intervals[FidelityMetric.trtrF1.id]
        lines.append("Utility on \(u.testRows) held-out human rows: accuracy TSTR \(f(u.trainOnSynthetic.accuracy)) vs TRTR \(f(u.trainOnReal.accuracy)) (ratio \(u.accuracyRatio)); macro-F1 \(f(u.trainOnSynthetic.macroF1))\(bracket(tstr)) vs \(f(u.trainOnReal.macroF1))\(bracket(trtr)) (ratio \(u.macroF1Ratio); bootstrap 95% intervals)")
        for reason in Set([u.accuracyRatio.undefinedReason, u.macroF1Ratio.undefinedReason].compactMap { $0 }).sorted() {
            lines.append("  ratio n/a: \(reason)")
        }
        let p = r.synthetic.privacy
        var privacy = "Privacy: median DCR \(f(p.medianSyntheticDCR)) vs holdout \(f(p.medianHoldoutDCR)); exact copies \(f(p.exactCopyShare)), closer than the holdout's \(Int(p.nearCopyQuantile * 100))% quantile \(f(p.nearCopyShare))"
        if let share = p.closerToTrainingShare, let expected = p.expectedCloserToTrainingShare {
            privacy += "; nearest human row is a training row for \(f(share)) (expected \(f(expected))"
            if let tied = p.tiedNearestShare, tied > 0 { privacy += "; ties, split by how many rows of each side tie, \(f(tied))" }
            privacy += ")"
        }
        lines.append(privacy)
        if let validity = Self.validityFlags(r.synthetic, holdout: r.baselines.first { $0.name == "human_holdout" }) { lines.append("Validity: " + validity) }
        if top > 0, !r.worstColumns(r.synthetic).isEmpty {
            lines.append("Worst columns (column shapes): " + r.worstColumns(r.synthetic).prefix(top).map {
                "\($0.column) \($0.metric) \(f($0.score))" + ($0.standardizedWasserstein.map { " (Wasserstein \(f($0)) sd)" } ?? "")
            }.joined(separator: "; "))
        }
        if top > 0, !r.worstPairs(r.synthetic).isEmpty {
            lines.append("Worst column pairs (column pair trends): " + r.worstPairs(r.synthetic).prefix(top).map {
                "\($0.columns.0) × \($0.columns.1) \($0.metric) \(f($0.score))"
            }.joined(separator: "; "))
        }
        if !r.perClass.isEmpty && top > 0 {
            let ranked = r.perClass.sorted { r.classCoverage($0) < r.classCoverage($1) }
            lines.append("")
            lines.append("Worst classes by coverage:")
            for c in ranked.prefix(top) {
                let name = r.classNames[c.classIndex]
                if c.manifold != nil {
                    func v(_ m: FidelityMetric) -> String { m.classCell(c, utility: r.utility, number: f) + (m.classBaseline(c).map { " (holdout \(f($0.mean)))" } ?? "") }
                    lines.append("  \(name): coverage \(v(.coverage)), precision \(v(.precision)), density \(v(.density)), mean KS \(v(.meanKS)), detection AUC \(c.statistics?.detectionAUC.description ?? "n/a")\(bracket(c.detection.map { ConfidenceInterval.normal($0.auc.value, standardError: $0.auc.standardError) }))\(c.detectionAUCIsUnreliable == true ? ", unreliable" : "") (\(c.humanRows) human, \(counted(c.syntheticRows, "synthetic row"))\(Self.matchedNote(c)))")
                } else {
                    lines.append("  \(name): \(c.problem ?? "not compared") (\(c.humanRows) human, \(counted(c.syntheticRows, "synthetic row")))")
                }
            }
        }
        // Each entry is one line; a name with a newline must not make two.
        return lines.map(\.escapingControlCharacters).joined(separator: "\n")
    }

    /// The validity checks the table does not show, when they flag
    /// something (boundary adherence short of the human holdout's by more
    /// than sampling error, ``BoundaryAdherence/fallsShort(_:rows:of:holdoutRows:)``;
    /// integrality below 1; an unseen category share above 0), with the
    /// worst column: "boundary adherence 0.9018 vs 0.9932 for the human
    /// holdout (lowest visits 0.5449); integrality 0.8000 (lowest visits
    /// 0.6000); unseen category share 0.0500 (highest region 0.1000)"; nil
    /// when none does.
    static func validityFlags(_ c: FidelityReport.Comparison, holdout: FidelityReport.Comparison?) -> String? {
        func show(_ x: Double) -> String { fixedDecimals(x, 4) }
        var flags = [String]()
        let boundary = FidelityMetric.boundaryAdherence.id
        if let adherence = c.computedMetrics[boundary], let v = adherence.value.value, let h = holdout,
           let hv = h.computedMetrics[boundary]?.value.value, BoundaryAdherence.fallsShort(v, rows: c.rows, of: hv, holdoutRows: h.rows) {
            let worst: String = if case .string(let name)? = adherence.details["min_boundary_adherence_column"], case .double(let share)? = adherence.details["min_boundary_adherence"] {
                " (lowest \(name) \(show(share)))"
            } else { "" }
            flags.append("boundary adherence \(show(v)) vs \(show(hv)) for the human holdout" + worst)
        }
        if let integrality = c.computedMetrics[FidelityMetric.integrality.id], let v = integrality.value.value, v < 1 {
            let worst: String = if case .string(let name)? = integrality.details["min_integrality_column"], case .double(let share)? = integrality.details["min_integrality"] {
                " (lowest \(name) \(show(share)))"
            } else { "" }
            flags.append("integrality \(show(v))" + worst)
        }
        if let unseen = c.computedMetrics[FidelityMetric.unseenCategoryShare.id], let v = unseen.value.value, v > 0 {
            let worst: String = if case .string(let name)? = unseen.details["max_unseen_category_share_column"], case .double(let share)? = unseen.details["max_unseen_category_share"] {
                " (highest \(name) \(show(share)))"
            } else { "" }
            flags.append("unseen category share \(show(v))" + worst)
        }
        return flags.isEmpty ? nil : flags.joined(separator: "; ")
    }

    /// "; PRDC and KS at 40 rows a side", or why the class's are on all rows.
    static func matchedNote(_ c: FidelityReport.ClassComparison) -> String {
        guard let m = c.matchedSizes else { return "" }
        return m.size.map { "; PRDC and KS at \($0) rows a side" } ?? "; PRDC and KS on all rows, \(m.problem ?? "not matched")"
    }

    func f(_ x: Double) -> String { x.isFinite ? fixedDecimals(x, 4) : "n/a" }

    /// " [lower, upper]", or nothing without a finite interval.
    func bracket(_ i: ConfidenceInterval?) -> String {
        guard let i, i.lower.isFinite, i.upper.isFinite else { return "" }
        return " [\(f(i.lower)), \(f(i.upper))]"
    }
}
