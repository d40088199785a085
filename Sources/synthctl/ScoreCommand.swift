import ArgumentParser
import Eval
import Foundation
import Synth

/// Where the annotations come from.
struct AnnotationSource: ParsableArguments {
    @Argument(help: "A synthctl dataset directory with annotations.npy (true_labels.npy is used as gold).")
    var dataset: String?

    @Option(help: "Answers in long form: a CSV with columns item (or task), worker, label.")
    var answers: String?

    @Option(help: "Gold labels: a CSV with columns item, truth.")
    var gold: String?

    func validate() throws {
        if (dataset == nil) == (answers == nil) {
            throw ValidationError("give a dataset directory or --answers FILE (one of them)")
        }
        if gold != nil && answers == nil {
            throw ValidationError("--gold goes with --answers (a dataset directory brings its own true labels)")
        }
    }
}

/// Quality gates: each one that fails is named, and the exit code is 1.
struct AnnotationGates: ParsableArguments {
    @Option(help: "Fail when Krippendorff's α (at --alpha-level) is below this.")
    var minAgreement: Double?

    @Option(help: "Fail when an annotator with at least --min-labels answers has a Dawid–Skene estimated accuracy below this.")
    var minAnnotatorAccuracy: Double?

    @Option(help: "Fail when the Dawid–Skene labels' accuracy against gold is below this (needs gold).")
    var minAccuracy: Double?

    @Option(help: "Fail when more than this share of annotators (with enough answers) is flagged spammer or adversarial.")
    var maxFlaggedShare: Double?
}

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score annotations: agreement, majority vote, Dawid–Skene, annotator reliability.",
        discussion: """
        Reads long-form answers (--answers, optional --gold) or a synthctl dataset directory. Prints a \
        summary; --json writes the full report. Gates (--min-agreement, --min-annotator-accuracy, \
        --min-accuracy, --max-flagged-share) exit with code 1 naming what failed; bad input exits with 2.
        """
    )

    @OptionGroup var source: AnnotationSource
    @OptionGroup var gates: AnnotationGates

    @Option(help: "Majority-vote ties: lowest, highest, random or abstain.")
    var tiePolicy: String = "lowest"

    @Option(help: "Seed for --tie-policy random.")
    var seed: UInt64 = 0

    @Option(help: "Krippendorff's α level: nominal, ordinal, interval or ratio.")
    var alphaLevel: String = "nominal"

    @Option(help: "Answers an annotator needs before being flagged or gated.")
    var minLabels: Int = 10

    @Option(help: "Write the full report as JSON to this file.")
    var json: String?

    @Option(help: "How many annotators to list in the summary.")
    var top: Int = 5

    func validate() throws {
        guard ["lowest", "highest", "random", "abstain"].contains(tiePolicy) else {
            throw ValidationError("--tie-policy: expected lowest, highest, random or abstain, found \(tiePolicy)")
        }
        guard KrippendorffAlpha.Level(rawValue: alphaLevel) != nil else {
            throw ValidationError("--alpha-level: expected nominal, ordinal, interval or ratio, found \(alphaLevel)")
        }
        guard minLabels >= 1 else { throw ValidationError("--min-labels: expected at least 1, found \(minLabels)") }
    }

    func run() throws {
        let answers: AnswerSet, gold: GoldLabels?, truth: [[[Double]]]?
        if let path = source.answers {
            (answers, gold) = try AnswerReader.read(answers: path, gold: source.gold)
            truth = nil
        } else {
            (answers, gold, truth) = try AnswerReader.read(datasetDirectory: source.dataset!)
        }
        var parameters = AnnotationReport.Parameters()
        parameters.tiePolicy = switch tiePolicy {
        case "highest": .highest
        case "random": .random(seed: seed)
        case "abstain": .abstain
        default: .lowest
        }
        parameters.alphaLevel = KrippendorffAlpha.Level(rawValue: alphaLevel)!
        parameters.minimumLabels = minLabels
        if gates.minAccuracy != nil, gold == nil {
            throw SynthError("--min-accuracy: expected gold labels to measure accuracy against (--gold FILE, or a dataset with true_labels.npy), found none")
        }
        let report = try AnnotationReport(answers: answers, gold: gold, parameters: parameters, trueConfusion: truth)
        print(summary(report))
        if let json {
            try AtomicFile.write(report.json.serialized() + "\n", to: json)
        }
        let failures = gateFailures(report)
        for f in failures { FileHandle.standardError.write(Data("synthctl: gate failed: \(f)\n".utf8)) }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    func summary(_ r: AnnotationReport) -> String {
        let a = r.answers
        func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", x) }
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
        let ranked = r.annotatorsByAccuracy
        if !ranked.isEmpty {
            s += "\nleast reliable annotators (with ≥ \(r.parameters.minimumLabels) answers):"
            s += "\n  annotator      answers  est. accuracy  agrees with consensus  chance  flag"
            for v in ranked.prefix(top) {
                let flag = r.annotators.flags[v]?.rawValue ?? ""
                let name = a.workerNames[v].count > 12 ? String(a.workerNames[v].prefix(11)) + "…" : a.workerNames[v]
                s += "\n  " + name.padding(toLength: 13, withPad: " ", startingAt: 0)
                s += String(format: "%8d  %13.3f  %21.3f  %6.3f  %@", r.annotators.labels[v], ds.accuracy(ofWorker: v),
                            r.annotators.agreement[v], r.annotators.chance[v], flag)
            }
        }
        let spammers = r.annotators.flags.filter { $0 == .spammer }.count
        let adversaries = r.annotators.flags.filter { $0 == .adversarial }.count
        s += "\nflagged: \(spammers) likely spammers, \(adversaries) adversarial"
        return s
    }

    func gateFailures(_ r: AnnotationReport) -> [String] {
        var failures = [String]()
        func show(_ x: Double) -> String { String(format: "%.4f", x) }
        if let min = gates.minAgreement, !(r.alpha >= min) {
            failures.append("--min-agreement: Krippendorff's α (\(r.parameters.alphaLevel.rawValue)) is \(show(r.alpha)), below \(show(min))")
        }
        if let min = gates.minAnnotatorAccuracy, let worst = r.annotatorsByAccuracy.first {
            let acc = r.dawidSkene.accuracy(ofWorker: worst)
            if !(acc >= min) {
                let below = r.annotatorsByAccuracy.filter { r.dawidSkene.accuracy(ofWorker: $0) < min }.count
                failures.append("--min-annotator-accuracy: \(below) annotator(s) below \(show(min)); the worst, \(r.answers.workerNames[worst]), has \(show(acc))")
            }
        }
        if let min = gates.minAccuracy {
            if let acc = r.dawidSkeneAccuracy {
                if !(acc >= min) { failures.append("--min-accuracy: Dawid–Skene accuracy against gold is \(show(acc)), below \(show(min))") }
            }
        }
        if let max = gates.maxFlaggedShare {
            let eligible = r.annotatorsByAccuracy.count
            let flagged = r.annotators.flags.compactMap { $0 }.count
            let share = eligible > 0 ? Double(flagged) / Double(eligible) : 0
            if share > max {
                failures.append("--max-flagged-share: \(flagged) of \(eligible) annotators flagged (\(show(share))), above \(show(max))")
            }
        }
        return failures
    }
}
