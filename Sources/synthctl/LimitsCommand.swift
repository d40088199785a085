import ArgumentParser
import Eval
import Foundation
import Synth

struct Limits: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learning curves: how far synthetic data takes a model, and when more human labels are needed.",
        discussion: """
        The human set is split (stratified, seeded) into a training pool and held-out test rows. The learner \
        is trained on growing amounts of human rows, of synthetic rows, and of a fixed number of human rows \
        plus growing synthetic rows, several seeds per point, and tested on the held-out human rows. Each \
        curve is fitted with err(n) = c + a·n^(−b): c is its plateau. Reported: the plateaus with standard \
        errors, the gap between the synthetic and the human plateau, and the exchange rate — how many \
        synthetic rows reach the error of m human rows, or that no amount does.
        """
    )

    @Option(help: "The human-labeled set: a dataset directory, a table (.csv, .jsonl, .parquet), or a features .npy with --human-labels.")
    var human: String

    @Option(help: "Labels (.npy of class ids) for a --human features .npy.")
    var humanLabels: String?

    @Option(help: "The synthetic set, in any of the same forms.")
    var synthetic: String?

    @Option(help: "Labels (.npy of class ids) for a --synthetic features .npy.")
    var syntheticLabels: String?

    @Option(help: "Instead of --synthetic: a fitted model (synthctl fit) to sample the synthetic rows from.")
    var model: String?

    @Option(help: "Synthetic rows to sample from --model (default: as many as the human training rows).")
    var syntheticRows: Int?

    @Option(help: "The label column of tables.")
    var labelColumn: String = "label"

    @Option(help: "The learner: logistic (the BLAS logistic regression), knn, or memorize (exact-match lookup, for memorization tasks).")
    var learner: String = "logistic"

    @Option(help: "Neighbours for --learner knn (at most the rows of the largest training set).")
    var neighbors: Int = 10

    @Option(help: "Points per curve (3 to 1000).")
    var points: Int = 10

    @Option(help: "Seeds (random subsets) per point (1 to 1000).")
    var seeds: Int = 5

    @Option(help: "Human rows in the human+synthetic curve (default: a tenth of the human training rows).")
    var mixHumanRows: Int?

    @Option(help: "Share of each class's human rows held out for testing.")
    var holdoutFraction: Double = 0.3

    @Option(help: "The seed for the split, the subsets and the sampling.")
    var seed: UInt64 = 0

    @Option(help: "Write the curves, fits and exchange rates as JSON to this file.")
    var json: String?

    @OptionGroup(title: "Report files") var reportFiles: ReportFileOptions

    @OptionGroup(title: "Execution") var execution: ExecutionOptions

    func validate() throws {
        try validateSeed(seed)
        if (synthetic == nil) == (model == nil) { throw ValidationError("give the synthetic rows: --synthetic FILE or --model FILE") }
        guard LearningCurves.Learner(rawValue: learner) != nil else { throw ValidationError("--learner: expected logistic, knn or memorize, found \"\(learner)\"") }
        if points < 3 { throw ValidationError("--points: expected at least 3 (a curve needs three to fit), found \(points)") }
        if seeds < 1 { throw ValidationError("--seeds: expected at least 1, found \(seeds)") }
        // Each (curve, point, seed) draws its subset from its own substream,
        // numbered curve·10⁶ + point·10³ + seed: a thousand of each at most.
        if points > 1000 { throw ValidationError("--points: expected at most 1000, found \(points)") }
        if seeds > 1000 { throw ValidationError("--seeds: expected at most 1000, found \(seeds)") }
        if neighbors < 1 { throw ValidationError("--neighbors: expected at least 1, found \(neighbors)") }
        if !(holdoutFraction > 0 && holdoutFraction < 1) {
            throw ValidationError("--holdout-fraction: expected a number between 0 and 1, found \(holdoutFraction)")
        }
        if let syntheticRows, syntheticRows < 2 { throw ValidationError("--synthetic-rows: expected at least 2, found \(syntheticRows)") }
    }

    func run() throws {
        var stopwatch = Stopwatch()
        let h = try readLabeledSet(human, labels: humanLabels, labelColumn: labelColumn, featureColumns: [])
        let (train, test) = FidelityReport.split(labels: h.labels, classes: h.classCount, fraction: holdoutFraction, seed: seed)
        let hx = h.features!.gatheringRows(train), hy = train.map { h.labels[$0] }
        let tx = h.features!.gatheringRows(test), ty = test.map { h.labels[$0] }
        let s: LabeledFeatures
        if let model {
            // Sampled as `synthctl gen --model` would: any fitted model.
            let rows = syntheticRows ?? hx.rows
            let plan = try DatasetPlan(spec: .object(["rows": .int(rows), "seed": .int(Int(seed)),
                                                      "generator": .object(try FittedModelFile.generatorSpec(loading: model))]),
                                       source: model)
            var sampled = MemoryEstimate()
            sampled.add("the sampled rows (\(rows) rows × (\(plan.generator.featureCount) features + a label) × 4 bytes)",
                        rows, MemoryEstimate.sum([plan.generator.featureCount, 1]), 4, parameter: "syntheticRows")
            try MemoryBudget.current.check(sampled, subject: model)
            var x = Matrix(rows: rows, columns: plan.generator.featureCount), y = [Int32](repeating: 0, count: rows)
            x.storage.withUnsafeMutableBufferPointer { f in
                y.withUnsafeMutableBufferPointer { l in plan.generator.fill(rows: 0..<rows, features: f.baseAddress!, labels: l.baseAddress!, targets: nil) }
            }
            s = LabeledFeatures(source: model, features: x, featureNames: plan.generator.featureNames, labels: y,
                                classNames: plan.generator.classNames)
        } else {
            s = try readLabeledSet(synthetic!, labels: syntheticLabels, labelColumn: labelColumn, featureColumns: [])
        }
        let aligned = try ClassAlignment(human: h, synthetic: s)
        stopwatch.lap("reading the input")
        var p = LearningCurves.Parameters()
        p.learner = LearningCurves.Learner(rawValue: learner)!
        p.neighbors = neighbors
        p.points = points
        p.seeds = seeds
        p.mixHumanRows = mixHumanRows
        p.seed = seed
        if let threads = execution.threads { p.threads = threads }
        let largest = max(hx.rows, aligned.syntheticFeatures.rows + min(mixHumanRows ?? max(hx.rows / 10, 1), hx.rows))
        if p.learner == .knn && neighbors > largest {
            throw SynthError("--neighbors: expected at most \(largest) (the rows of the largest training set), found \(neighbors)")
        }
        try MemoryBudget.current.check(LearningCurves.memoryEstimate(humanRows: hx.rows, syntheticRows: aligned.syntheticFeatures.rows,
                                                                     testRows: tx.rows, features: hx.columns, parameters: p),
                                       subject: "limits")
        let curves = LearningCurves(humanTrain: hx, humanLabels: hy, synthetic: aligned.syntheticFeatures, syntheticLabels: aligned.syntheticLabels,
                                    test: tx, testLabels: ty, classes: aligned.classNames.count, parameters: p)
        stopwatch.lap("learning curves")

        func f(_ x: Double) -> String { x.isFinite ? String(format: "%.4f", x) : "n/a" }
        print("Learning curves (\(learner), \(seeds) seeds per point), tested on \(tx.rows) held-out human rows; \(hx.rows) human training rows, \(aligned.syntheticFeatures.rows) synthetic rows")
        for curve in [curves.human, curves.synthetic, curves.mixed] {
            let label = curve.name == "human+synthetic" ? "human+synthetic (\(curves.mixHumanRows) human + n synthetic)" : curve.name
            print("")
            print("\(label):")
            print(curve.points.map { "  n=\($0.rows) error \(f($0.mean)) ± \(f($0.standardError))" }.joined(separator: "\n"))
            if let fit = curve.fit {
                print("  fit: error = \(f(fit.plateau)) + \(String(format: "%.3g", fit.scale))·n^(−\(f(fit.exponent))); plateau \(f(fit.plateau)) ± \(f(fit.standardErrors.plateau))")
            }
        }
        if let hf = curves.human.fit, let sf = curves.synthetic.fit {
            print("")
            print("plateau gap (synthetic − human): \(f(sf.plateau - hf.plateau)) ± \(f((pow(sf.standardErrors.plateau, 2) + pow(hf.standardErrors.plateau, 2)).squareRoot()))")
            for m in curves.human.points.map(\.rows) {
                if let n = curves.syntheticRowsMatching(humanRows: Double(m)) {
                    print("  the error of \(m) human rows (\(f(hf.error(at: Double(m))))) takes \(Int(n.rounded())) synthetic rows (\(String(format: "%.2f", n / Double(m))) per human row)")
                } else {
                    print("  the error of \(m) human rows (\(f(hf.error(at: Double(m))))) is below the synthetic plateau: no amount of synthetic rows reaches it")
                }
            }
        }
        if let json {
            func curveJSON(_ c: LearningCurves.Curve) -> JSONValue {
                var o: [String: JSONValue] = [
                    "name": .string(c.name),
                    "points": .array(c.points.map { .object(["rows": .int($0.rows), "errors": JSONValue($0.errors),
                                                             "mean": .double($0.mean), "standard_error": .double($0.standardError)]) }),
                ]
                if let fit = c.fit {
                    o["fit"] = .object([
                        "plateau": .double(fit.plateau), "scale": .double(fit.scale), "exponent": .double(fit.exponent),
                        "plateau_standard_error": .double(fit.standardErrors.plateau),
                        "scale_standard_error": .double(fit.standardErrors.scale),
                        "exponent_standard_error": .double(fit.standardErrors.exponent),
                        "chi_square": .double(fit.chiSquare), "converged": .bool(fit.converged),
                    ])
                }
                return .object(o)
            }
            let exchange: JSONValue = .array(curves.human.points.map { point in
                let n = curves.syntheticRowsMatching(humanRows: Double(point.rows))
                return .object(["human_rows": .int(point.rows), "synthetic_rows": n.map { JSONValue.double($0) } ?? .null])
            })
            let report: JSONValue = .object([
                "synthctl_version": .string(SynthVersion.current),
                "limits": .object([
                    "definitions": .string("error = 1 − accuracy on held-out human rows; each curve fitted with error(n) = plateau + scale·n^(−exponent) by weighted least squares (weights 1/standard error², standard errors scaled by the reduced χ², as SciPy curve_fit); exchange: synthetic rows whose fitted error equals the fitted human error at human_rows, null when that is below the synthetic plateau"),
                    "parameters": .object(["learner": .string(learner), "seeds": .int(seeds), "points": .int(points),
                                           "mix_human_rows": .int(curves.mixHumanRows), "seed": .int(Int(seed)),
                                           "holdout_fraction": .double(holdoutFraction)]),
                    "input": .object(["human": .string(human), "synthetic": .string(synthetic ?? model ?? ""),
                                      "human_training_rows": .int(hx.rows), "test_rows": .int(tx.rows),
                                      "synthetic_rows": .int(aligned.syntheticFeatures.rows)]),
                    "curves": .array([curveJSON(curves.human), curveJSON(curves.synthetic), curveJSON(curves.mixed)]),
                    "exchange": exchange,
                ]),
            ])
            try AtomicFile.write(report.serialized() + "\n", to: json)
        }
        try reportFiles.write(markdown: Markdown.limits(curves, human: human, synthetic: synthetic ?? model ?? ""), html: HTMLReport.limits(curves, human: human, synthetic: synthetic ?? model ?? ""))
        stopwatch.lap("report")
        execution.report(stopwatch.laps)
    }
}
