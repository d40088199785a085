import Eval
import Foundation
import SynthctlCore

/// The text summary `synthctl limits` prints: each curve's points and its
/// level (fit, flat, rising or falling without a power law), the plateau
/// gap, the test split's resolution, whether the human curve is at chance,
/// and the exchange rate, one line each.
enum LimitsSummary {
    static func lines(_ r: LimitsReport) -> [String] {
        let curves = r.curves, findings = r.findings, p = r.parameters.curves
        var lines = [String]()
        func f(_ x: Double) -> String { x.isFinite ? fixedDecimals(x, 4) : "n/a" }
        // knn states the neighbours it used: capped at a point's training rows.
        let knnUsed = curves.fewestNeighborsUsed.map { fewest in
            ", " + counted(p.neighbors, "neighbour") + (fewest < p.neighbors ? " (capped at a point's training rows: as few as \(fewest); k per point below)" : "")
        } ?? ""
        lines.append("Learning curves (\(p.learner.rawValue)\(knnUsed), \(counted(p.seeds, "seed")) per point), tested on \(counted(r.testRows, "held-out human row"))\(r.humanHoldoutSource.map { " (the given holdout \($0.escapingControlCharacters))" } ?? ""); \(r.humanTrainingRows) human training rows, \(r.syntheticRows) synthetic rows")
        let features = r.learnerFeatures
        if features.isEncoded {
            // Only with categorical columns: the curves of numeric tables keep their lines.
            let levels = features.categoricalColumns.map { "\($0.name) (\(counted($0.levels.count, "level")))" }.joined(separator: ", ")
            lines.append("Feature space: numeric columns \(features.space.description(columnNames: features.numericNames)); categorical columns one-hot, 1/√2 per level of the human training rows (another category: all zeros): \(levels)")
        }
        for (curve, level) in [(curves.human, findings.human), (curves.synthetic, findings.synthetic), (curves.mixed, findings.mixed)] {
            // The value used, and the one asked where the training rows capped it.
            let asked = p.mixHumanRows.map { $0 > curves.mixHumanRows ? "; \($0) asked: there are \(r.humanTrainingRows) human training rows" : "" } ?? ""
            let label = curve.name == "human+synthetic" ? "human+synthetic (\(curves.mixHumanRows) human + n synthetic\(asked))" : curve.name
            lines.append("")
            lines.append("\(label):")
            lines.append(curve.points.map { point in
                let k = curves.neighborsUsed(curve, point).flatMap { $0 < p.neighbors ? " (k = \($0))" : nil } ?? ""
                return "  n=\(point.rows) error \(f(point.mean)) ± \(f(point.standardError))\(k)"
            }.joined(separator: "\n"))
            if let level, level.flat {
                lines.append("  flat: error \(f(level.value)) ± \(f(level.standardError)) at every size (it falls by \(f(level.fall)) ± \(f(level.fallStandardError)) from the smallest n to the largest: no decrease beyond noise)")
            } else if let level, level.rising {
                lines.append("  rising: the error grows by \(f(-level.fall)) ± \(f(level.fallStandardError)) from the smallest n to the largest, beyond noise: more of these rows make the learner worse; no power law fitted; error at the largest n \(describe(level))")
            } else if let level, level.powerLaw == nil {
                lines.append("  falling by \(f(level.fall)) ± \(f(level.fallStandardError)), but no power law c + a·n^(−b) with a, b > 0 fits it (no plateau to extrapolate to); error at the largest n \(describe(level))")
            } else if let fit = level?.powerLaw {
                lines.append("  fit: error = \(f(fit.plateau)) + \(String(format: "%.3g", fit.scale))·n^(−\(f(fit.exponent))); plateau \(describe(level))")
            }
        }
        if let gap = findings.gap {
            lines.append("")
            lines.append("plateau gap (synthetic − human): \(f(gap.value)) ± \(f(gap.standardError))"
                         + (gap.interval.map { " (95% interval \(f($0.lower)) to \(f($0.upper)); \(gap.resolved ? "a real gap" : "not distinguishable from 0"))" } ?? "")
                         + ([findings.human, findings.synthetic].contains { $0.map { !$0.flat && $0.powerLaw == nil } ?? false }
                            ? "; a curve without a power law enters at its error at the largest n" : ""))
        }
        let split = findings.testSplit
        lines.append("")
        lines.append("test split: \(counted(split.rows, "row")); an error rate near \(f(split.errorRate)) has a binomial standard error of \(f(split.standardError)) on them, so two error rates must differ by more than \(f(split.resolution)) to be told apart")
        for w in curves.withinNoise(resolution: split.resolution) {
            lines.append("the \(w.curve) curve's points differ by at most \(f(w.spread)), within that resolution: its shape is noise on \(counted(split.rows, "test row"))")
        }
        if split.tooSmallToTell {
            lines.append("the test split is too small to tell: the human curve falls by \(f(findings.human?.fall ?? .nan)) and the plateaus differ by \(f(findings.gap?.value ?? .nan)), both within \(f(split.resolution)); use more held-out rows (\(r.humanHoldoutSource == nil ? "--holdout-fraction" : "a larger --human-holdout")) or a larger human set")
        }
        let chance = findings.chance
        if chance.humanAtChance, let h = findings.human {
            let majority = r.classNames[Int(chance.majorityClass)].escapingControlCharacters
            lines.append("the human curve is at chance: at no size is its error (\(h.flat ? "flat at " : "level ")\(f(h.value)) ± \(f(h.standardError))) lower than \(f(chance.majorityClassError)), the error of always predicting the test split's most common class (\"\(majority)\"), by more than the resolution \(f(split.resolution)): the features do not predict the label on these rows, and more rows of either kind will not change that"
                         + (chance.syntheticAtChance ? "; the synthetic curve is at chance too" : "; the synthetic curve does better than chance"))
        }
        if findings.human != nil, findings.synthetic != nil {
            lines.append("exchange rate (synthetic rows that reach the error of m human rows):")
            for e in findings.exchange { lines.append("  " + describe(e, testSplitTooSmall: split.tooSmallToTell)) }
        }
        return lines
    }

    static func number(_ x: Double) -> String { x.isFinite ? fixedDecimals(x, 4) : "n/a" }

    /// "0.0650 ± 0.0080 (95% interval 0.0493 to 0.0807)", or how it was held at zero.
    static func describe(_ level: LimitsFindings.Level?) -> String {
        guard let level else { return "n/a" }
        let interval = level.interval.map { " (95% interval \(number($0.lower)) to \(number($0.upper)))" } ?? " (no standard error: too few points)"
        if level.heldAtZero { return "0 (the optimum was below zero and is held there)" + interval }
        return "\(number(level.value)) ± \(number(level.standardError))" + interval
    }

    /// One exchange-rate line.
    static func describe(_ e: LimitsFindings.Exchange, testSplitTooSmall: Bool) -> String {
        let head = "the error of \(e.humanRows) human rows (\(number(e.humanError)))"
        switch e.status {
        case .estimated:
            let n = e.syntheticRows ?? .nan, perRow = n / Double(e.humanRows)
            let interval = e.interval.map { "; 95% interval \(Int($0.lower.rounded()))–\($0.upper < 1e15 ? String(Int($0.upper.rounded())) : "∞")" } ?? ""
            return "\(head) takes \(Int(n.rounded())) synthetic rows (\(String(format: "%.2f", perRow)) per human row\(interval))"
                + (e.extrapolated ? ", beyond the synthetic rows measured: extrapolated" : "")
        case .everyMeasuredSize:
            return "\(head) is reached by every synthetic size measured, the smallest (\(Int(e.syntheticRows ?? 0))) included: the synthetic curve is flat below it"
        case .unreachable:
            return "\(head) is below the synthetic plateau: no amount of synthetic rows reaches it"
        case .cannotTell:
            return "\(head): cannot tell (" + (testSplitTooSmall ? "the test split is too small" : "within noise of the synthetic plateau") + ")"
        case .humanAtChance:
            return "\(head): none to exchange (the human curve is at chance)"
        case .syntheticRising:
            return "\(head): none to exchange (the synthetic curve rises: more synthetic rows raise the error)"
        case .noPowerLaw:
            return "\(head): cannot tell (the synthetic curve falls, but not as a power law to read the rows off)"
        }
    }
}
