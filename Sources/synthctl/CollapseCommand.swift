import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

struct Collapse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recursive training: fit, sample, refit on the samples, generation after generation.",
        discussion: """
        Generation g fits the model to generation g − 1's rows (--mode replace; generation 0 is the human \
        training rows) or to all rows so far (--mode accumulate), and samples --rows rows from the fit. Per \
        generation it reports how far the mean drifted (in human standard deviations; a constant human column, \
        or one varying by a few float32 ulp at its magnitude, is left out and reported in its own units), the variance ratio against the human rows, the share of values beyond the human 1st and 99th percentiles (2% for \
        human data), the Fréchet distance to the human rows, and the accuracy on held-out human rows of a \
        logistic regression trained on the generation's rows.
        """
    )

    @Option(help: ArgumentHelp("The human-labeled set: a dataset directory, a table (\(TableFormat.helpList)), or a features .npy with --human-labels."))
    var human: String

    // --human-labels as in compare and limits; --labels, its first name here, still works.
    @Option(name: [.customLong("human-labels"), .customLong("labels")],
            help: "Labels (.npy of class ids) for a --human features .npy (--human-labels is preferred, as in compare and limits; --labels also works).")
    var humanLabels: String?

    @OptionGroup var labeledSet: LabeledSetOptions

    @Option(help: "The model refitted each generation.", oneOf: CollapseModel.self)
    var model: CollapseModel = .gaussian

    @Option(help: "Generations.", range: .within(1...Collapse.maximumGenerations))
    var generations: Int = 10

    @Option(help: "Rows sampled per generation (default: as many as the human training rows).", range: .within(2...DatasetPlan.maxRows))
    var rows: Int?

    @Option(help: "replace (fit to the previous generation only) or accumulate (fit to everything so far).", oneOf: ModelCollapse.Mode.self)
    var mode: ModelCollapse.Mode = .replace

    @Option(help: "Share of each class's human rows held out to measure accuracy.", range: .openShare)
    var holdoutFraction: Double = 0.3

    @Option(help: "The seed (generation g samples with seed + g).", range: .seed)
    var seed: UInt64 = 0

    @Option(help: "Write the generations as JSON to this file (- for standard output; the summary then goes to standard error).")
    var json: String?

    @OptionGroup(title: "Report files") var reportFiles: ReportFileOptions
    @OptionGroup var overwrite: OverwriteOption
    @OptionGroup var tableFormat: InputFormatOption

    @OptionGroup var memory: MemoryOptions
    @OptionGroup var progressOption: ProgressOption

    /// Each generation refits and resamples: a run of more is not a
    /// question anyone waits for (the 1-D collapse result needs 100).
    static let maximumGenerations = 100_000

    func validate() throws {
        try validateSeed(seed)
        try LabelsOption.validate(human, labels: humanLabels, input: "--human", labelsOption: "--human-labels")
    }

    func run() throws {
        let files = try RunFiles(inputs: [("--human", human), ("--human-labels", humanLabels)] + labeledSet.inputs,
                                 outputs: [("--json", json, .file)] + reportFiles.outputs, force: overwrite.force)
        let bar = ProgressBar(label: "collapse", quiet: progressOption.quiet)
        defer { bar.finish() }  // also when the run fails: the error line starts clean
        let data = try labeledSet.read(human, labels: humanLabels, format: tableFormat.format, progress: bar.workProgress)
        var notes = InputNotes(dropMissing: labeledSet.dropMissing)
        notes.add("human", data, source: human)
        // --model has one value, the class-conditional Gaussian ModelCollapse fits (CollapseReport.model).
        var p = CollapseReport.Parameters()
        p.generations = generations
        p.rows = rows
        p.mode = mode
        p.holdoutFraction = holdoutFraction
        p.seed = seed
        p.progress = bar.workProgress
        let report = try CollapseReport(human: data, source: human, parameters: p)
        bar.finish()
        notes.print()
        for line in CollapseSummary.lines(report) { print(line) }
        try reportFiles.write(to: files, markdown: Markdown.collapse(report.collapse, human: human), html: HTMLReport.collapse(report.collapse, human: human))
        if let json {
            var o: [String: JSONValue] = [
                "synthctl_version": .string(SynthVersion.current),
                "collapse": report.json,
            ]
            notes.addJSON(to: &o)
            try files.write(bytes: JSONValue.object(o).fileContents(), to: json)
        }
    }
}
