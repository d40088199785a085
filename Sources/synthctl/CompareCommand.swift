import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a synthetic set with a human-labeled one: fidelity, coverage, detection, utility, privacy.",
        discussion: """
        The human set is split (stratified, seeded) into training rows, the reference every metric compares \
        with, and a holdout: the test set for train-on-synthetic/test-on-real, the unseen rows for the \
        privacy check, and a baseline (human against human, the floor no generator beats); --human-train and \
        --human-holdout give the two parts instead (synthctl split's), so that the holdout holds no row the \
        synthetic set's model was fitted on. Prints a summary \
        beside the baselines; --json writes the full report. Gates exit with code 1 naming what failed; bad \
        input exits with 2.
        """
    )

    @OptionGroup(title: "Input") var input: CompareInput
    @OptionGroup(title: "Metrics") var metrics: CompareMetricOptions
    @OptionGroup(title: "Gates") var gates: CompareGates
    @OptionGroup(title: "CI") var ci: CIOptions

    @Option(help: "Seed for the holdout split, subsamples, folds and baselines.", range: .seed)
    var seed: UInt64 = 0

    @Option(help: "Write the full report as JSON to this file (- for standard output; the summary then goes to standard error).")
    var json: String?

    @OptionGroup(title: "Report files") var reportFiles: ReportFileOptions
    @OptionGroup var overwrite: OverwriteOption
    @OptionGroup var tableFormat: InputFormatOption

    @Option(help: "How many classes to list in the summary.", range: .atLeast(0))
    var top: Int = 5

    @OptionGroup(title: "Execution") var execution: ExecutionOptions
    @OptionGroup var progressOption: ProgressOption

    func validate() throws {
        try validateSeed(seed)
        if metrics.noPerClass, let given = gates.limits.first(where: { FidelityMetric.gate(named: $0.gate)?.gate.scope == .worstClass }) {
            throw ValidationError("\(given.option) needs the per-class metrics: drop --no-per-class")
        }
    }

    func run() throws {
        let files = try RunFiles(
            inputs: input.humanInputs + [("--synthetic", input.synthetic),
                     ("--human-labels", input.humanLabels), ("--synthetic-labels", input.syntheticLabels)] + input.labeledSet.inputs,
            outputs: [("--json", json, .file)] + reportFiles.outputs + ci.outputs, force: overwrite.force)
        var stopwatch = Stopwatch()
        let bar = ProgressBar(label: "compare", quiet: progressOption.quiet)
        defer { bar.finish() }  // also when the run fails: the error line starts clean
        let (human, parts, holdout, synthetic) = try input.readBoth(format: tableFormat.format, progress: bar.workProgress)
        var notes = InputNotes(dropMissing: input.labeledSet.dropMissing)
        notes.add("human", human, source: input.human ?? human.source)
        if let holdout { notes.add("human_holdout", holdout, source: holdout.source) }
        notes.add("synthetic", synthetic, source: input.synthetic)
        if let (source, note) = ClassAlignment.positionalMatchNote(human: human, synthetic: synthetic) {
            notes.add(source == human.source ? "human" : "synthetic", source: source, note: note)
        }
        if let note = ClassAlignment.partialClassOverlapNote(human: human, synthetic: synthetic) {
            notes.add("synthetic", source: input.synthetic, note: note)
        }
        stopwatch.lap("reading the input")
        var parameters = metrics.parameters(seed: seed)
        if let threads = execution.threads { parameters.threads = threads }
        parameters.progress = bar.workProgress
        let report: FidelityReport
        do {
            report = try parts.map { try FidelityReport(given: $0, synthetic: synthetic, parameters: parameters) }
                ?? FidelityReport(human: human, synthetic: synthetic, parameters: parameters)
        } catch let e as SetColumnTypeError {
            throw HintedError(e, hint: "read it as categorical in both sets with --categorical \(e.column)")  // as limits says
        }
        bar.finish()
        // Advisory: a model copy that cannot be read says nothing here (reading the set checked its files).
        let overlap = (try? FittedRowsOverlap.check(synthetic: input.synthetic, human: parts?.joined ?? human, heldOut: report.heldOutRows)) ?? nil
        if let note = overlap?.note(splitHint: "use synthctl split, fit on its training part, and compare with --human-train and --human-holdout") {
            notes.add("synthetic", source: input.synthetic, note: note)
            if case .checked? = overlap { StandardStreams.writeError("synthctl: warning: \(note.escapingControlCharacters)\n") }
        }
        if let parts, parts.holdoutRowsInTraining > 0 {
            notes.add("human_holdout", source: parts.holdoutSource,
                      note: "\(parts.holdoutRowsInTraining) of the human holdout's \(parts.holdout.count) rows repeat a training row (features and class): "
                        + "if they are the same rows, train-on-synthetic, privacy and the holdout baseline are optimistic; synthctl split's parts share none")
        }
        for note in report.holdoutOnlyNotes { notes.add(holdout == nil ? "human" : "human_holdout", source: holdout?.source ?? human.source, note: note) }
        let stages = stopwatch.laps + report.timings
        stopwatch = Stopwatch()
        notes.print()
        print(CompareSummary(top: top).text(report))
        if let json {
            var o: [String: JSONValue] = ["synthctl_version": .string(SynthVersion.current), "compare": report.json]
            notes.addJSON(to: &o)
            try files.write(bytes: JSONValue.object(o).fileContents(threads: execution.threads ?? Parallel.coreCount), to: json)
        }
        stopwatch.lap("summary and files")
        execution.report(stages + stopwatch.laps)
        var failures = try gateFailures(report)
        let verdictFailure = gates.verdictKinds.flatMap { VerdictGate.failure(report.verdict, kinds: $0) }
        if let verdictFailure { failures.append(verdictFailure) }
        try reportFiles.write(to: files, markdown: Markdown.compare(report, failures: failures, top: top), html: HTMLReport.compare(report, failures: failures, top: top))
        let given = gates.limits.map { (option: $0.option, limit: $0.limit) }
        var outcomes = GateOutcomes(command: "compare", given: given, failures: failures)
        if let kinds = gates.verdictKinds {
            outcomes.add(gate: "--fail-on-verdict " + kinds.map(\.rawValue).joined(separator: ","), failure: verdictFailure)
        }
        try outcomes.finish(failures: failures, junit: ci.junit, files: files)
    }

    private func show(_ x: Double) -> String { fixedDecimals(x, 4) }

    /// Each failed gate, one line each, in ``CompareGates/limits``' order
    /// (the shorthand options', then `--gate`'s in declaration order). A gate
    /// on an undefined statistic fails, saying why the statistic is
    /// undefined; what each gate bounds is its metric's declaration's.
    func gateFailures(_ r: FidelityReport) throws -> [String] {
        var failures = [String]()
        for (flag, name, limit) in gates.limits {
            guard let (metric, gate) = FidelityMetric.gate(named: name) else { continue }
            func beyond(_ v: Double) -> Bool { gate.bound == .atMost ? !(v <= limit) : !(v >= limit) }
            let side = gate.bound == .atMost ? "above" : "below"
            switch gate.scope {
            case .wholeSet:
                switch metric.value(r.synthetic, r.utility) {
                case .undefined(let why)?: failures.append("\(flag): \(gate.subject) is undefined (\(why))")
                case .defined(let v)? where beyond(v): failures.append("\(flag): \(gate.subject) is \(show(v)), \(side) \(show(limit))")
                default: break
                }
            case .worstClass:
                // A class without the metric (not compared) counts as 0.
                func value(_ c: FidelityReport.ClassComparison) -> Double { metric.classValue(c, utility: r.utility)?.value ?? 0 }
                let worst = gate.bound == .atMost ? r.perClass.max { value($0) < value($1) } : r.perClass.min { value($0) < value($1) }
                if let worst, beyond(value(worst)) {
                    let count = r.perClass.filter { beyond(value($0)) }.count
                    let has = metric.classValue(worst, utility: r.utility)?.value.map(show) ?? "no \(gate.subject) (\(worst.problem ?? ""))"
                    failures.append("\(flag): \(counted(count, "class", "classes")) \(side) \(show(limit)); the worst, \(r.classNames[worst.classIndex]), has \(has)")
                }
            }
        }
        return failures
    }
}
