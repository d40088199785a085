import Eval
import Foundation
import Synth
import SynthctlCore

/// The readable part of `synthctl score`'s output.
struct ScoreSummary {
    let top: Int

    private func f(_ x: Double, _ digits: Int = 4) -> String { fixedDecimals(x, digits) }
    /// A value that may be undefined: its digits, or `n/a`.
    private func f(_ x: MetricValue, _ digits: Int = 4) -> String { x.value.map { f($0, digits) } ?? "n/a" }
    private func right(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
    /// A column of the summary's tables; names have their control characters escaped.
    private func cell(_ name: String, _ width: Int) -> String {
        let s = name.escapingControlCharacters
        let cut = s.count > width - 1 ? String(s.prefix(width - 2)) + "…" : s
        // Padded by characters: NSString's padding counts UTF-16 units, so a
        // decomposed "é" (two scalars, one character) would shift the columns.
        return cut + String(repeating: " ", count: max(0, width - cut.count))
    }

    func labels(_ r: LabelIssueReport) -> String {
        let d = r.data
        var s = "labels: \(counted(d.rows, "row")), \(counted(d.classCount, "class", "classes"))"
        let unused = r.classesNeverGiven
        if !unused.isEmpty { s += " (\(unused.count) never given: \(unused.prefix(top).map { d.classNames[$0].escapingControlCharacters }.joined(separator: ", "))\(unused.count > top ? ", …" : ""))" }
        s += ", probabilities from \(r.probabilitySource.escapingControlCharacters)"
        if let fits = r.fits {
            s += " (L-BFGS iterations per fold: \(fits.iterations.map(String.init).joined(separator: ", "))"
            s += fits.converged.allSatisfy { $0 } ? ")" : "; not every fold converged)"
        }
        s += "\nhealth \(f(r.health.score)): about \(counted(r.estimatedIssues, "label")) (\(f(100 * r.estimatedNoiseRate, 1))%) estimated wrong; \(r.ranked.count) flagged (\(r.parameters.filter.rawValue))"
        if let t = r.truth {
            s += "\nagainst the truth: \(counted(t.actualErrors, "wrong label")); flagged precision \(f(t.precision, 3)), recall \(f(t.recall, 3))"
        }
        // --top 0 lists nothing: no table, not even its header.
        if top > 0 { s += "\nworst classes:\n  class         label noise  label issues  inverse noise" }
        for c in r.health.classes.prefix(top) {
            s += "\n  " + cell(d.classNames[c.classIndex], 12) + right(f(c.labelNoise, 3), 12) + "  " + right(String(c.labelIssues), 12)
                + "  " + right(f(c.inverseLabelNoise, 3), 13)
        }
        if !r.ranked.isEmpty && top > 0 {
            s += "\nmost suspicious items:\n  row       given         predicted     \(r.parameters.rankBy.rawValue)"
            for i in r.ranked.prefix(top) {
                let predicted = r.probabilities.argmax(i)
                s += "\n  " + cell(String(d.fileRows?[i] ?? i), 10) + cell(d.classNames[Int(d.labels[i])], 14)
                    + cell(d.classNames[predicted], 14) + f(r.scores[i])
            }
        }
        return s
    }

    func annotations(_ r: AnnotationReport) -> String {
        let a = r.answers
        var s = "answers: \(a.answerCount) from \(counted(a.workerCount, "annotator")) on \(counted(a.itemCount, "item")), \(counted(a.classCount, "class", "classes"))"
        if a.duplicatePairs > 0 {
            s += " (\(a.duplicatePairs) repeated item–annotator answers: all counted, except in Cohen's κ, which takes each annotator's smallest label per item)"
        }
        s += "\nagreement: \(f(r.percentAgreement)) observed, Fleiss κ \(f(r.fleissKappa)), Krippendorff α (\(r.parameters.alphaLevel.rawValue)) \(f(r.alpha))"
        let reasons = [r.percentAgreement, r.fleissKappa, r.alpha].compactMap(\.undefinedReason)
        if !reasons.isEmpty { s += " (undefined: " + reasons.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(separator: "; ") + ")" }
        s += "\nmajority vote: \(counted(r.majority.tieCount, "tied item")) (ties: \(r.parameters.tiePolicy))"
        if let gold = r.gold, r.parameters.tiePolicy == .abstain {
            let abstained = abstentions(r.majorityLabels, gold: gold)
            s += ", accuracy \(f(accuracy(r.majorityLabels, gold: gold))) on the \(counted(gold.knownCount - abstained, "decided gold item")) (\(abstained) abstained)"
        } else if let gold = r.gold {
            s += ", accuracy \(f(accuracy(r.majorityLabels, gold: gold))) on \(counted(gold.knownCount, "gold item"))"
            s += " (\(f(r.majority.expectedAccuracy(gold: gold))) expected with random ties)"
        }
        let ds = r.dawidSkene
        s += "\nDawid–Skene: \(iterations(ds.iterations)), \(ds.converged ? "converged" : "not converged"), log-likelihood \(f(ds.logLikelihood, 3))"
        if let acc = r.dawidSkeneAccuracy { s += ", accuracy \(f(acc))" }
        func compared(_ labels: [Int32]) -> String {
            var text = "agrees with Dawid–Skene on \(f(r.agreementWithDawidSkene(labels)))"
            if let gold = r.gold { text += ", accuracy \(f(accuracy(labels, gold: gold)))" }
            return text
        }
        if let m = r.oneCoin { s += "\none-coin Dawid–Skene: \(iterations(m.iterations)), \(m.converged ? "converged" : "not converged"), " + compared(m.labels) }
        if let m = r.glad { s += "\nGLAD: \(iterations(m.iterations)), \(m.converged ? "converged" : "not converged"), " + compared(m.labels) }
        if let m = r.mace { s += "\nMACE: \(counted(m.options.restarts, "restart")) × \(iterations(m.options.iterations)), " + compared(m.labels) }
        let ranked = r.annotatorsByAccuracy
        if !ranked.isEmpty && top > 0 {
            s += "\nleast reliable annotators (with ≥ \(r.parameters.minimumLabels) answers):"
            s += "\n  annotator      answers  est. accuracy  agrees with consensus  chance  flag"
            for v in ranked.prefix(top) {
                let flag = r.annotators.flags[v]?.rawValue ?? (r.annotators.undecided[v] != nil ? "can't tell" : "")
                s += "\n  " + cell(a.workerNames[v], 13)
                s += String(format: "%8d  %13.3f  %21.3f  %6.3f  %@", r.annotators.labels[v], ds.accuracy(ofWorker: v),
                            r.annotators.agreement[v], r.annotators.chance[v], flag)
            }
        }
        let spammers = r.annotators.flags.filter { $0 == .spammer }.count
        let adversaries = r.annotators.flags.filter { $0 == .adversarial }.count
        s += "\nflagged: \(counted(spammers, "likely spammer")), \(adversaries) adversarial"
        let undecided = r.annotators.undecided.compactMap { $0 }.count
        if undecided > 0 { s += "; \(undecided) of \(counted(ranked.count, "annotator")) with enough answers: can't tell (too little evidence or no variation; see flag_undecided in --json)" }
        s += pairs(r)
        for m in r.unconverged {
            let change = m.relativeChange.value.map { String(format: "%.2g", $0) + "," } ?? "n/a, \(m.relativeChange.undefinedReason!);"
            s += "\nwarning: \(m.model) stopped at \(iterations(m.iterations)) without converging (last relative change "
                + "\(change) tolerance \(String(format: "%.2g", m.tolerance))): its labels may still change; raise --max-iterations"
        }
        return s
    }

    /// "1 iteration", "7 iterations".
    private func iterations(_ n: Int) -> String { n == 1 ? "1 iteration" : "\(n) iterations" }

    /// The most and least agreeing annotator pairs by Cohen's κ (`top` of each).
    private func pairs(_ r: AnnotationReport) -> String {
        let p = r.pairs, names = r.answers.workerNames
        var s = "\nannotator pairs (Cohen's κ, ≥ \(p.minimumShared) shared items): \(p.pairs.isEmpty ? "no pair" : String(p.pairs.count))"
        if p.pairsBelowMinimum > 0 {
            let below = p.pairsBelowMinimum == 1 ? "shares" : "share"
            s += p.pairs.isEmpty ? "; \(counted(p.pairsBelowMinimum, "pair")) \(below) fewer items" : ", \(p.pairsBelowMinimum) more \(below) fewer items"
        }
        if p.undefinedCount > 0 { s += "; κ n/a for \(p.undefinedCount) (one and the same label on every shared item)" }
        for (title, list) in ScoreSummary.mostAndLeast(p.mostAgreeingEnds(top: top)) {
            s += "\n  " + cell(title, 30) + "shared items  κ"
            for q in list { s += "\n  " + cell("\(names[q.a]) – \(names[q.b])", 30) + right(String(q.shared), 12) + "  " + f(q.kappa, 3) }
        }
        return s
    }

    /// The ends of a list sorted most agreeing first (``PairwiseKappa/mostAgreeingEnds(top:)``)
    /// as titled lists, the least agreeing first in the second; one list when
    /// the ends are the whole list.
    static func mostAndLeast<T>(_ ends: (head: [T], tail: [T])) -> [(String, [T])] {
        if ends.tail.isEmpty { return ends.head.isEmpty ? [] : [("most agreeing first", ends.head)] }
        return [("most agreeing", ends.head), ("least agreeing", ends.tail.reversed())]
    }
}
