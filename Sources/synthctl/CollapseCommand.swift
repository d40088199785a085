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

    @Option(help: "The human-labeled set: a dataset directory, a table (.csv, .jsonl, .parquet), or a features .npy with --human-labels.")
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

    /// Each generation refits and resamples: a run of more is not a
    /// question anyone waits for (the 1-D collapse result needs 100).
    static let maximumGenerations = 100_000

    func validate() throws {
        try validateSeed(seed)
        try LabelsOption.validate(human, labels: humanLabels, input: "--human", labelsOption: "--human-labels")
    }

    func run() throws {
        let files = try RunFiles(inputs: [("--human", human), ("--human-labels", humanLabels)],
                                 outputs: [("--json", json, .file)] + reportFiles.outputs, force: overwrite.force)
        let data = try labeledSet.read(human, labels: humanLabels, format: tableFormat.format)
        try TrainingClasses.requireTwo(data.labels, classNames: data.classNames, source: human,
                                       purpose: "the downstream accuracy trains a classifier on each generation")
        var notes = InputNotes(dropMissing: labeledSet.dropMissing)
        notes.add("human", data, source: human)
        let x = data.features!
        guard (0..<x.columns).contains(where: { j in (1..<max(x.rows, 1)).contains { x[$0, j] != x[0, j] } }) else {
            throw SynthError("\(human): expected a feature column whose values vary, found every one constant (a Gaussian fitted to it has no spread to sample)")
        }
        let (train, test) = FidelityReport.split(labels: data.labels, classes: data.classCount, fraction: holdoutFraction, seed: seed)
        let trainX = x.gatheringRows(train), trainY = train.map { data.labels[$0] }
        let testX = x.gatheringRows(test), testY = test.map { data.labels[$0] }
        let m = rows ?? trainX.rows
        let result = try ModelCollapse(human: trainX, labels: trainY, classNames: data.classNames,
                                       test: test.isEmpty ? nil : (testX, testY), generations: generations, rows: m,
                                       mode: mode, seed: seed, source: human)
        notes.print()
        print("\(mode.rawValue): \(counted(generations, "generation")) of \(m) rows from a class-conditional Gaussian; human: \(trainX.rows) training rows, \(testX.rows) held out")
        func f(_ v: Double?) -> String { v.map { $0.isFinite ? fixedDecimals($0, 4) : "n/a" } ?? "n/a" }
        if !result.constantColumns.isEmpty {
            print("constant human columns (or varying by at most \(Int(ModelCollapse.nearConstantUlps)) float32 ulp at their magnitude; left out of mean drift and tail mass, reported in their own units): "
                  + result.constantColumns.prefix(10).map { data.featureNames[$0].escapingControlCharacters }.joined(separator: ", ")
                  + (result.constantColumns.count > 10 ? " and \(result.constantColumns.count - 10) more" : ""))
        }
        let constant = !result.constantColumns.isEmpty
        // Headers left-aligned, numbers right-aligned, each column as wide as its widest entry.
        let header = ["generation", "trained on", "mean drift", "variance ratio", "tail mass", "Fréchet", "accuracy"]
            + (constant ? ["constant drift", "constant spread"] : [])
        let rows = result.generations.map { g in
            [String(g.index), String(g.trainingRows), f(g.meanDrift), f(g.varianceRatio), f(g.tailMass), f(g.frechet), f(g.accuracy)]
                + (constant ? [f(g.constantColumnDrift), f(g.constantColumnSpread)] : [])
        }
        let widths = header.indices.map { c in max([10, 10, 10, 14, 9, 8, 10, 14, 15][c], header[c].count, rows.map { $0[c].count }.max() ?? 0) }
        print(String(header.indices.map { header[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .reversed().drop { $0 == " " }.reversed()))
        for row in rows { print(row.indices.map { row[$0].leftPad(widths[$0]) }.joined(separator: "  ")) }
        try reportFiles.write(to: files, markdown: Markdown.collapse(result, human: human), html: HTMLReport.collapse(result, human: human))
        if let json {
            var o: [String: JSONValue] = [
                "synthctl_version": .string(SynthVersion.current),
                "collapse": .object([
                    "mode": .string(mode.rawValue), "model": .string(model.rawValue), "rows_per_generation": .int(m), "seed": .int(Int(seed)),
                    "human": .object(["source": .string(human), "training_rows": .int(trainX.rows), "holdout_rows": .int(testX.rows)]),
                    "definitions": .string("constant_columns: human columns with a single value or a standard deviation of at most \(Int(ModelCollapse.nearConstantUlps)) float32 ulp at their magnitude (the larger of their largest |value| and √(tr Σ_human / d)); mean_drift: mean over the non-constant human columns of |μ_g − μ_human| / σ_human (null when every column is constant); variance_ratio: tr Σ_g / tr Σ_human (null when tr Σ_human = 0); tail_mass: share of values outside the human [1st, 99th] percentiles (0.02 for human data), averaged over the non-constant columns where those percentiles differ (null when none); constant_column_drift and constant_column_spread: over the constant human columns, the largest |μ_g − value| and the largest standard deviation of the generation, in the column's own units (null without constant columns); frechet: Fréchet distance to the human training rows; accuracy: logistic regression trained on the generation (a generation with one class predicts it), tested on the human holdout; fitted_spread: √(tr Σ_model / d)"),
                    "constant_columns": .array(result.constantColumns.map { .string(data.featureNames[$0]) }),
                    "generations": .array(result.generations.map { g in
                        .object([
                            "generation": .int(g.index), "trained_on_rows": .int(g.trainingRows),
                            "mean_drift": g.meanDrift.map(JSONValue.double) ?? .null,
                            "variance_ratio": g.varianceRatio.map(JSONValue.double) ?? .null,
                            "tail_mass": g.tailMass.map(JSONValue.double) ?? .null,
                            "constant_column_drift": g.constantColumnDrift.map(JSONValue.double) ?? .null,
                            "constant_column_spread": g.constantColumnSpread.map(JSONValue.double) ?? .null,
                            "frechet": g.frechet.map(JSONValue.double) ?? .null, "accuracy": g.accuracy.map(JSONValue.double) ?? .null,
                            "fitted_spread": .double(g.fittedSpread),
                        ])
                    }),
                ]),
            ]
            notes.addJSON(to: &o)
            try files.write(JSONValue.object(o).serialized() + "\n", to: json)
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
