import ArgumentParser
import Eval
import Foundation
import Synth

struct Collapse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recursive training: fit, sample, refit on the samples, generation after generation.",
        discussion: """
        Generation g fits the model to generation g − 1's rows (--mode replace; generation 0 is the human \
        training rows) or to all rows so far (--mode accumulate), and samples --rows rows from the fit. Per \
        generation it reports how far the mean drifted (in human standard deviations), the variance ratio \
        against the human rows, the share of values beyond the human 1st and 99th percentiles (2% for \
        human data), the Fréchet distance to the human rows, and the accuracy on held-out human rows of a \
        logistic regression trained on the generation's rows.
        """
    )

    @Option(help: "The human-labeled set: a dataset directory, a table (.csv, .jsonl, .parquet), or a features .npy with --labels.")
    var human: String

    @Option(help: "Labels (.npy of class ids) for a features .npy.")
    var labels: String?

    @Option(help: "The label column of a table.")
    var labelColumn: String = "label"

    @Option(help: "The model refitted each generation: gaussian.")
    var model: String = "gaussian"

    @Option(help: "Generations (at most 100000).")
    var generations: Int = 10

    @Option(help: "Rows sampled per generation (default: as many as the human training rows).")
    var rows: Int?

    @Option(help: "replace (fit to the previous generation only) or accumulate (fit to everything so far).")
    var mode: String = "replace"

    @Option(help: "Share of each class's human rows held out to measure accuracy.")
    var holdoutFraction: Double = 0.3

    @Option(help: "The seed (generation g samples with seed + g).")
    var seed: UInt64 = 0

    @Option(help: "Write the generations as JSON to this file.")
    var json: String?

    @OptionGroup(title: "Report files") var reportFiles: ReportFileOptions

    @OptionGroup var memory: MemoryOptions

    /// Each generation refits and resamples: a run of more is not a
    /// question anyone waits for (the 1-D collapse result needs 100).
    static let maximumGenerations = 100_000

    func validate() throws {
        try validateSeed(seed)
        guard model == "gaussian" else { throw ValidationError("--model: expected gaussian, found \"\(model)\"") }
        guard ModelCollapse.Mode(rawValue: mode) != nil else { throw ValidationError("--mode: expected replace or accumulate, found \"\(mode)\"") }
        if generations < 1 { throw ValidationError("--generations: expected at least 1, found \(generations)") }
        if generations > Self.maximumGenerations {
            throw ValidationError("--generations: expected at most \(Self.maximumGenerations), found \(generations)")
        }
        if let rows, rows < 2 { throw ValidationError("--rows: expected at least 2, found \(rows)") }
        if !(holdoutFraction > 0 && holdoutFraction < 1) {
            throw ValidationError("--holdout-fraction: expected a number between 0 and 1, found \(holdoutFraction)")
        }
    }

    func run() throws {
        let data = try readLabeledSet(human, labels: labels, labelColumn: labelColumn, featureColumns: [])
        let x = data.features!
        let (train, test) = FidelityReport.split(labels: data.labels, classes: data.classCount, fraction: holdoutFraction, seed: seed)
        let trainX = x.gatheringRows(train), trainY = train.map { data.labels[$0] }
        let testX = x.gatheringRows(test), testY = test.map { data.labels[$0] }
        let m = rows ?? trainX.rows
        let result = try ModelCollapse(human: trainX, labels: trainY, classNames: data.classNames,
                                       test: test.isEmpty ? nil : (testX, testY), generations: generations, rows: m,
                                       mode: ModelCollapse.Mode(rawValue: mode)!, seed: seed)
        print("\(mode): \(generations) generations of \(m) rows from a class-conditional Gaussian; human: \(trainX.rows) training rows, \(testX.rows) held out")
        func f(_ v: Double?) -> String { v.map { $0.isFinite ? String(format: "%.4f", $0) : "n/a" } ?? "n/a" }
        print("generation  trained on  mean drift  variance ratio  tail mass  Fréchet   accuracy")
        for g in result.generations {
            print([String(g.index).leftPad(10), String(g.trainingRows).leftPad(10), f(g.meanDrift).leftPad(10),
                   f(g.varianceRatio).leftPad(14), f(g.tailMass).leftPad(9), f(g.frechet).leftPad(8), f(g.accuracy).leftPad(10)]
                .joined(separator: "  "))
        }
        try reportFiles.write(markdown: Markdown.collapse(result, human: human), html: HTMLReport.collapse(result, human: human))
        if let json {
            let report: JSONValue = .object([
                "synthctl_version": .string(SynthVersion.current),
                "collapse": .object([
                    "mode": .string(mode), "model": .string(model), "rows_per_generation": .int(m), "seed": .int(Int(seed)),
                    "human": .object(["source": .string(human), "training_rows": .int(trainX.rows), "holdout_rows": .int(testX.rows)]),
                    "definitions": .string("mean_drift: mean over features of |μ_g − μ_human| / σ_human; variance_ratio: tr Σ_g / tr Σ_human; tail_mass: share of values outside the human [1st, 99th] percentiles (0.02 for human data); frechet: Fréchet distance to the human training rows; accuracy: logistic regression trained on the generation, tested on the human holdout; fitted_spread: √(tr Σ_model / d)"),
                    "generations": .array(result.generations.map { g in
                        .object([
                            "generation": .int(g.index), "trained_on_rows": .int(g.trainingRows), "mean_drift": .double(g.meanDrift),
                            "variance_ratio": .double(g.varianceRatio), "tail_mass": .double(g.tailMass),
                            "frechet": g.frechet.map(JSONValue.double) ?? .null, "accuracy": g.accuracy.map(JSONValue.double) ?? .null,
                            "fitted_spread": .double(g.fittedSpread),
                        ])
                    }),
                ]),
            ])
            try AtomicFile.write(report.serialized() + "\n", to: json)
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
