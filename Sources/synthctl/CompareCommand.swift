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
        privacy check, and a baseline (human against human, the floor no generator beats). Prints a summary \
        beside the baselines; --json writes the full report. Gates exit with code 1 naming what failed; bad \
        input exits with 2.
        """
    )

    @OptionGroup(title: "Input") var input: CompareInput
    @OptionGroup(title: "Metrics") var metrics: CompareMetricOptions
    @OptionGroup(title: "Gates") var gates: CompareGates

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

    func validate() throws {
        try validateSeed(seed)
        if gates.minClassCoverage != nil && metrics.noPerClass {
            throw ValidationError("--min-class-coverage needs the per-class metrics: drop --no-per-class")
        }
    }

    func run() throws {
        let files = try RunFiles(
            inputs: [("--human", input.human), ("--synthetic", input.synthetic),
                     ("--human-labels", input.humanLabels), ("--synthetic-labels", input.syntheticLabels)],
            outputs: [("--json", json, .file)] + reportFiles.outputs, force: overwrite.force)
        var stopwatch = Stopwatch()
        let (human, synthetic) = try input.readBoth(format: tableFormat.format)
        var notes = InputNotes(dropMissing: input.labeledSet.dropMissing)
        notes.add("human", human, source: input.human)
        notes.add("synthetic", synthetic, source: input.synthetic)
        if let (source, note) = ClassAlignment.positionalMatchNote(human: human, synthetic: synthetic) {
            notes.add(source == human.source ? "human" : "synthetic", source: source, note: note)
        }
        stopwatch.lap("reading the input")
        var parameters = metrics.parameters(seed: seed)
        if let threads = execution.threads { parameters.threads = threads }
        let report = try FidelityReport(human: human, synthetic: synthetic, parameters: parameters)
        let stages = stopwatch.laps + report.timings
        stopwatch = Stopwatch()
        notes.print()
        print(CompareSummary(top: top).text(report))
        if let json {
            var o: [String: JSONValue] = ["synthctl_version": .string(SynthVersion.current), "compare": report.json]
            notes.addJSON(to: &o)
            try files.write(JSONValue.object(o).serialized() + "\n", to: json)
        }
        stopwatch.lap("summary and files")
        execution.report(stages + stopwatch.laps)
        let failures = try gateFailures(report)
        try reportFiles.write(to: files, markdown: Markdown.compare(report, failures: failures, top: top), html: HTMLReport.compare(report, failures: failures, top: top))
        for f in failures { StandardStreams.writeError("synthctl: gate failed: \(f.escapingControlCharacters)\n") }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    private func show(_ x: Double) -> String { fixedDecimals(x, 4) }

    /// Each failed gate, one line each. A gate on an undefined statistic
    /// fails, saying why the statistic is undefined.
    func gateFailures(_ r: FidelityReport) throws -> [String] {
        let s = r.synthetic, st = s.statistics
        var failures = [String]()
        func check(_ flag: String, _ limit: Double?, _ name: String, _ value: MetricValue, atMost: Bool) {
            guard let limit else { return }
            switch value {
            case .undefined(let why): failures.append("\(flag): \(name) is undefined (\(why))")
            case .defined(let v):
                if atMost, !(v <= limit) { failures.append("\(flag): \(name) is \(show(v)), above \(show(limit))") }
                if !atMost, !(v >= limit) { failures.append("\(flag): \(name) is \(show(v)), below \(show(limit))") }
            }
        }
        func atMost(_ flag: String, _ limit: Double?, _ name: String, _ value: MetricValue) { check(flag, limit, name, value, atMost: true) }
        func atLeast(_ flag: String, _ limit: Double?, _ name: String, _ value: MetricValue) { check(flag, limit, name, value, atMost: false) }
        atMost("--max-detection-auc", gates.maxDetectionAuc, "the detection AUC", st.detectionAUC)
        atLeast("--min-coverage", gates.minCoverage, "coverage", .defined(s.manifold.coverage))
        atLeast("--min-precision", gates.minPrecision, "precision", .defined(s.manifold.precision))
        atLeast("--min-recall", gates.minRecall, "recall", .defined(s.manifold.recall))
        if let limit = gates.minClassCoverage {
            let worst = r.perClass.min { ($0.manifold?.coverage ?? 0) < ($1.manifold?.coverage ?? 0) }
            if let worst, !((worst.manifold?.coverage ?? 0) >= limit) {
                let below = r.perClass.filter { !(($0.manifold?.coverage ?? 0) >= limit) }.count
                failures.append("--min-class-coverage: \(counted(below, "class", "classes")) below \(show(limit)); the worst, \(r.classNames[worst.classIndex]), has \(worst.manifold.map { show($0.coverage) } ?? "no coverage (\(worst.problem ?? ""))")")
            }
        }
        atLeast("--min-tstr-ratio", gates.minTstrRatio, "TSTR/TRTR macro-F1", r.utility.macroF1Ratio)
        atMost("--max-frechet", gates.maxFrechet, "the Fréchet distance", st.frechet)
        atMost("--max-mmd", gates.maxMmd, "the unbiased MMD²", st.mmd2)
        atMost("--max-mean-ks", gates.maxMeanKs, "the mean KS statistic", st.meanKS)
        atMost("--max-exact-copies", gates.maxExactCopies, "the exact-copy share", .defined(s.privacy.exactCopyShare))
        atLeast("--min-dcr-ratio", gates.minDcrRatio, "the median DCR ratio", st.medianDCRRatio)
        return failures
    }
}
