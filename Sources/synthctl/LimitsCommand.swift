import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

struct Limits: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learning curves: how far synthetic data takes a model, and when more human labels are needed.",
        discussion: """
        The human set is split (stratified, seeded) into a training pool and held-out test rows. The learner \
        is trained on growing amounts of human rows, of synthetic rows, and of a fixed number of human rows \
        plus growing synthetic rows, several seeds per point, and tested on the held-out human rows. Each \
        curve is fitted with err(n) = c + a·n^(−b): c is its plateau (a curve that does not fall beyond noise \
        is reported as flat, at the mean of its points; one that rises beyond noise, as rising, without a power law). Reported, each with a standard error and a 95% interval \
        that include the test split's binomial error: the plateaus, the gap between the synthetic and the human \
        plateau, and the exchange rate — how many synthetic rows reach the error of m human rows, that no \
        amount does, or that the data cannot tell; and whether the test split is too small to tell at all. \
        --human-train and --human-holdout give the two parts instead (synthctl split's), so that no test row \
        is a row the synthetic set's model was fitted on; a model whose fitted rows include test rows is warned about.
        """
    )

    @Option(help: ArgumentHelp("The human-labeled set: a dataset directory, a table (\(TableFormat.helpList)), or a features .npy with --human-labels."))
    var human: String?

    @Option(help: "Instead of --human: the human training part (synthctl split's --train-out), the rows the learners train on and the synthetic set's model was fitted on.")
    var humanTrain: String?

    @Option(help: "With --human-train: the human holdout (synthctl split's --holdout-out), rows the model never saw: the learners' test rows.")
    var humanHoldout: String?

    @Option(help: "Labels (.npy of class ids) for a --human features .npy.")
    var humanLabels: String?

    @Option(help: "Labels (.npy of class ids) for a --human-train features .npy (synthctl split's --train-labels-out).")
    var humanTrainLabels: String?

    @Option(help: "Labels (.npy of class ids) for a --human-holdout features .npy (synthctl split's --holdout-labels-out).")
    var humanHoldoutLabels: String?

    @Option(help: "The synthetic set, in any of the same forms.")
    var synthetic: String?

    @Option(help: "Labels (.npy of class ids) for a --synthetic features .npy.")
    var syntheticLabels: String?

    @Option(help: "Instead of --synthetic: a fitted model (synthctl fit) to sample the synthetic rows from.")
    var model: String?

    @Option(help: "Synthetic rows to sample from --model (default: as many as the human training rows).", range: .within(2...DatasetPlan.maxRows))
    var syntheticRows: Int?

    @OptionGroup var labeledSet: LabeledSetOptions

    @Option(help: "The learner: logistic (the BLAS logistic regression), knn, memorize (exact-match lookup, for memorization tasks), or gbdt (gradient-boosted trees).",
            oneOf: LearningCurves.Learner.self)
    var learner: LearningCurves.Learner = .logistic

    @Option(help: "Neighbours for --learner knn (at most the rows of the largest training set).", range: .atLeast(1))
    var neighbors: Int = 10

    // Each (curve, point, seed) draws its subset from its own substream,
    // numbered curve·10⁶ + point·10³ + seed: a thousand of each at most.
    @Option(help: "Points per curve (a curve needs three to fit).", range: .within(3...1000))
    var points: Int = 10

    @Option(help: "Seeds (random subsets) per point.", range: .within(1...1000))
    var seeds: Int = 5

    @Option(help: "Human rows in the human+synthetic curve (default: a tenth of the human training rows).", range: .atLeast(1))
    var mixHumanRows: Int?

    @Option(help: "Share of each class's human rows held out for testing.", range: .openShare)
    var holdoutFraction: Double = 0.3

    @Option(help: "The seed for the split, the subsets and the sampling.", range: .seed)
    var seed: UInt64 = 0

    @Option(help: "Write the curves, fits and exchange rates as JSON to this file (- for standard output; the summary then goes to standard error).")
    var json: String?

    @OptionGroup(title: "Report files") var reportFiles: ReportFileOptions
    @OptionGroup var overwrite: OverwriteOption
    @OptionGroup var tableFormat: InputFormatOption

    @OptionGroup(title: "Execution") var execution: ExecutionOptions
    @OptionGroup var progressOption: ProgressOption

    func validate() throws {
        try validateSeed(seed)
        if (synthetic == nil) == (model == nil) { throw ValidationError("give the synthetic rows: --synthetic FILE or --model FILE") }
        try validateHumanParts(command: "limits", human: human, humanLabels: humanLabels, humanTrain: humanTrain, humanHoldout: humanHoldout,
                               humanTrainLabels: humanTrainLabels, humanHoldoutLabels: humanHoldoutLabels)
        if let synthetic {
            try LabelsOption.validate(synthetic, labels: syntheticLabels, input: "--synthetic", labelsOption: "--synthetic-labels")
        } else if syntheticLabels != nil {
            throw ValidationError("--synthetic-labels goes with a features .npy given as --synthetic (--model brings its own labels)")
        }
    }

    func run() throws {
        let files = try RunFiles(
            inputs: [("--human", human), ("--human-train", humanTrain), ("--human-holdout", humanHoldout),
                     ("--human-labels", humanLabels), ("--human-train-labels", humanTrainLabels),
                     ("--human-holdout-labels", humanHoldoutLabels), ("--synthetic", synthetic),
                     ("--synthetic-labels", syntheticLabels), ("--model", model)] + labeledSet.inputs,
            outputs: [("--json", json, .file)] + reportFiles.outputs, force: overwrite.force)
        let stopwatch = Stopwatch()
        let bar = ProgressBar(label: "limits", quiet: progressOption.quiet)
        defer { bar.finish() }
        // Categorical columns are one-hot encoded for the learners (LearnerFeatures).
        var notes = InputNotes(dropMissing: labeledSet.dropMissing)
        let split: LimitsReport.HumanSplit
        // The set whose classes the synthetic set's are held against in the
        // note below: a given training part, whose file has them (a holdout's
        // own class has its own note), as compare does.
        var classesNamedBy: LabeledFeatures? = nil
        if let humanTrain, let humanHoldout {
            let given = try labeledSet.readGivenHoldout(train: humanTrain, holdout: humanHoldout, trainLabels: humanTrainLabels,
                                                        holdoutLabels: humanHoldoutLabels, format: tableFormat.format, progress: bar.workProgress)
            notes.add("human", given.train, source: humanTrain)
            notes.add("human_holdout", given.holdout, source: humanHoldout)
            classesNamedBy = given.train
            split = try LimitsReport.HumanSplit(given: given.parts)
            if let note = split.holdoutOnlyNote { notes.add("human_holdout", source: humanHoldout, note: note) }
        } else {
            let human = human!  // validate() asked for --human or both parts
            let read = try labeledSet.read(human, labels: humanLabels, format: tableFormat.format, progress: bar.workProgress, categoricalFeatures: true)
            notes.add("human", read, source: human)
            split = try LimitsReport.HumanSplit(human: read, source: human, holdoutFraction: holdoutFraction, seed: seed)
        }
        let h = split.human, humanSource = split.source
        let s: LabeledFeatures
        if let model {
            // Sampled as `synthctl gen --model` would: any fitted model.
            let generator = try ModelFileHint.generatorSpec(
                loading: model, manifestHint: "give its dataset directory with --synthetic",
                specHint: "generate it with synthctl gen --spec, then give it with --synthetic")
            s = try LimitsReport.sample(generator: generator, rows: syntheticRows ?? split.trainingFeatures.rows, seed: seed, source: model)
        } else if let synthetic {
            s = try labeledSet.read(synthetic, labels: syntheticLabels, format: tableFormat.format, progress: bar.workProgress,
                                    categoricalFeatures: true)
            notes.add("synthetic", s, source: synthetic)
        } else {
            throw ValidationError("give the synthetic rows: --synthetic FILE or --model FILE")  // validate() refused it already
        }
        if let (source, note) = ClassAlignment.positionalMatchNote(human: h, synthetic: s) {
            notes.add(source == h.source ? "human" : "synthetic", source: source, note: note)
        }
        if let note = ClassAlignment.partialClassOverlapNote(human: classesNamedBy ?? h, synthetic: s) {
            notes.add("synthetic", source: synthetic ?? model ?? s.source, note: note)
        }
        var p = LimitsReport.Parameters()
        p.curves.learner = learner
        p.curves.neighbors = neighbors
        p.curves.points = points
        p.curves.seeds = seeds
        p.curves.mixHumanRows = mixHumanRows
        p.curves.seed = seed
        if let threads = execution.threads { p.curves.threads = threads }
        p.curves.progress = bar.workProgress
        let report: LimitsReport
        do {
            report = try LimitsReport(split, synthetic: s, syntheticSource: synthetic ?? model ?? "", parameters: p, startedAt: stopwatch)
        } catch let e as SetColumnTypeError {
            throw HintedError(e, hint: "read it as categorical in both sets with --categorical \(e.column)")
        } catch let e as LimitsReport.TooManyNeighbors {
            throw ArgumentError(argument: "--neighbors", expected: "at most \(e.largest) (the rows of the largest training set)", found: "\(e.neighbors)")
        }
        bar.finish()
        // Advisory, as in compare: a model file that cannot be read says nothing here (sampling read it already).
        let overlap = model.map { try? FittedRowsOverlap.check(model: $0, human: h, heldOut: split.testRowIndices) }
            ?? synthetic.flatMap { (try? FittedRowsOverlap.check(synthetic: $0, human: h, heldOut: split.testRowIndices)) ?? nil }
        if let note = overlap?.note(splitHint: "use synthctl split, fit on its training part, and give limits --human-train and --human-holdout",
                                    heldOut: "the human test rows",
                                    optimistic: "the synthetic and human+synthetic curves' errors are optimistic") {
            notes.add("synthetic", source: synthetic ?? model ?? s.source, note: note)
            if case .checked? = overlap { StandardStreams.writeError("synthctl: warning: \(note.escapingControlCharacters)\n") }
        }
        for note in report.learnerFeatures.unseenCategoryNotes(synthetic: false) {
            notes.add(split.holdoutSource == nil ? "human" : "human_holdout", source: split.holdoutSource ?? humanSource, note: note)
        }
        for note in report.learnerFeatures.unseenCategoryNotes(synthetic: true) {
            notes.add("synthetic", source: synthetic ?? model ?? s.source, note: note)
        }
        var reporting = Stopwatch()
        notes.print()
        for line in LimitsSummary.lines(report) { print(line) }
        if let json {
            var o: [String: JSONValue] = [
                "synthctl_version": .string(SynthVersion.current),
                "limits": report.json,
            ]
            notes.addJSON(to: &o)
            try files.write(bytes: JSONValue.object(o).fileContents(threads: execution.threads ?? Parallel.coreCount), to: json)
        }
        try reportFiles.write(to: files, markdown: Markdown.limits(report.curves, report.findings, human: report.humanSource, synthetic: report.syntheticSource),
                              html: HTMLReport.limits(report.curves, report.findings, human: report.humanSource, synthetic: report.syntheticSource))
        reporting.lap("report")
        execution.report(report.timings + reporting.laps)
    }
}
