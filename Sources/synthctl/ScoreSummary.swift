import Eval
import Foundation
import Synth

/// The readable part of `synthctl score`'s output.
struct ScoreSummary {
    let top: Int

    private func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", x) }
    /// A column of the summary's tables; names have their control characters escaped.
    private func cell(_ name: String, _ width: Int) -> String {
        let s = name.escapingControlCharacters
        let cut = s.count > width - 1 ? String(s.prefix(width - 2)) + "…" : s
        return cut.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    func labels(_ r: LabelIssueReport) -> String {
        let d = r.data
        var s = "labels: \(d.rows) rows, \(d.classCount) classes, probabilities from \(r.probabilitySource.escapingControlCharacters)"
        if let fits = r.fits {
            s += " (L-BFGS iterations per fold: \(fits.iterations.map(String.init).joined(separator: ", "))"
            s += fits.converged.allSatisfy { $0 } ? ")" : "; not every fold converged)"
        }
        s += "\nhealth \(f(r.health.score)): about \(r.estimatedIssues) labels (\(f(100 * r.estimatedNoiseRate, 1))%) estimated wrong; \(r.ranked.count) flagged (\(r.parameters.filter.rawValue))"
        if let t = r.truth {
            s += "\nagainst the truth: \(t.actualErrors) wrong labels; flagged precision \(f(t.precision, 3)), recall \(f(t.recall, 3))"
        }
        s += "\nworst classes:\n  class         label noise  label issues  inverse noise"
        for c in r.health.classes.prefix(top) {
            s += "\n  " + cell(d.classNames[c.classIndex], 12) + String(format: "%12.3f  %12d  %13.3f", c.labelNoise, c.labelIssues, c.inverseLabelNoise)
        }
        if !r.ranked.isEmpty {
            s += "\nmost suspicious items:\n  row       given         predicted     \(r.parameters.rankBy.rawValue)"
            for i in r.ranked.prefix(top) {
                let predicted = r.probabilities.argmax(i)
                s += "\n  " + cell(String(i), 10) + cell(d.classNames[Int(d.labels[i])], 14)
                    + cell(predicted < d.classCount ? d.classNames[predicted] : String(predicted), 14) + f(r.scores[i])
            }
        }
        return s
    }

    func annotations(_ r: AnnotationReport) -> String {
        let a = r.answers
        var s = "answers: \(a.answerCount) from \(a.workerCount) annotators on \(a.itemCount) items, \(a.classCount) classes"
        if a.duplicatePairs > 0 { s += " (\(a.duplicatePairs) repeated item–annotator answers, all counted)" }
        s += "\nagreement: \(f(r.percentAgreement)) observed, Fleiss κ \(f(r.fleissKappa)), Krippendorff α (\(r.parameters.alphaLevel.rawValue)) \(f(r.alpha))"
        s += "\nmajority vote: \(r.majority.tieCount) tied items (ties: \(r.parameters.tiePolicy))"
        if let gold = r.gold {
            s += ", accuracy \(f(accuracy(r.majorityLabels, gold: gold))) on \(gold.knownCount) gold items"
            s += " (\(f(r.majority.expectedAccuracy(gold: gold))) expected with random ties)"
        }
        let ds = r.dawidSkene
        s += "\nDawid–Skene: \(ds.iterations) iterations, \(ds.converged ? "converged" : "not converged"), log-likelihood \(f(ds.logLikelihood, 3))"
        if let acc = r.dawidSkeneAccuracy { s += ", accuracy \(f(acc))" }
        func compared(_ labels: [Int32]) -> String {
            var text = "agrees with Dawid–Skene on \(f(r.agreementWithDawidSkene(labels)))"
            if let gold = r.gold { text += ", accuracy \(f(accuracy(labels, gold: gold)))" }
            return text
        }
        if let m = r.oneCoin { s += "\none-coin Dawid–Skene: \(m.iterations) iterations, " + compared(m.labels) }
        if let m = r.glad { s += "\nGLAD: \(m.iterations) iterations, \(m.converged ? "converged" : "not converged"), " + compared(m.labels) }
        if let m = r.mace { s += "\nMACE: \(m.options.restarts) restarts × \(m.options.iterations) iterations, " + compared(m.labels) }
        let ranked = r.annotatorsByAccuracy
        if !ranked.isEmpty {
            s += "\nleast reliable annotators (with ≥ \(r.parameters.minimumLabels) answers):"
            s += "\n  annotator      answers  est. accuracy  agrees with consensus  chance  flag"
            for v in ranked.prefix(top) {
                let flag = r.annotators.flags[v]?.rawValue ?? ""
                s += "\n  " + cell(a.workerNames[v], 13)
                s += String(format: "%8d  %13.3f  %21.3f  %6.3f  %@", r.annotators.labels[v], ds.accuracy(ofWorker: v),
                            r.annotators.agreement[v], r.annotators.chance[v], flag)
            }
        }
        let spammers = r.annotators.flags.filter { $0 == .spammer }.count
        let adversaries = r.annotators.flags.filter { $0 == .adversarial }.count
        s += "\nflagged: \(spammers) likely spammers, \(adversaries) adversarial"
        return s
    }
}
