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
        amount does, or that the data cannot tell; and whether the test split is too small to tell at all.
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

    @Option(help: "Synthetic rows to sample from --model (default: as many as the human training rows).", range: .within(2...DatasetPlan.maxRows))
    var syntheticRows: Int?

    @OptionGroup var labeledSet: LabeledSetOptions

    @Option(help: "The learner: logistic (the BLAS logistic regression), knn, or memorize (exact-match lookup, for memorization tasks).",
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

    func validate() throws {
        try validateSeed(seed)
        if (synthetic == nil) == (model == nil) { throw ValidationError("give the synthetic rows: --synthetic FILE or --model FILE") }
        try LabelsOption.validate(human, labels: humanLabels, input: "--human", labelsOption: "--human-labels")
        if let synthetic {
            try LabelsOption.validate(synthetic, labels: syntheticLabels, input: "--synthetic", labelsOption: "--synthetic-labels")
        } else if syntheticLabels != nil {
            throw ValidationError("--synthetic-labels goes with a features .npy given as --synthetic (--model brings its own labels)")
        }
    }

    func run() throws {
        let files = try RunFiles(
            inputs: [("--human", human), ("--human-labels", humanLabels), ("--synthetic", synthetic),
                     ("--synthetic-labels", syntheticLabels), ("--model", model)],
            outputs: [("--json", json, .file)] + reportFiles.outputs, force: overwrite.force)
        var stopwatch = Stopwatch()
        let h = try labeledSet.read(human, labels: humanLabels, format: tableFormat.format)
        var notes = InputNotes(dropMissing: labeledSet.dropMissing)
        notes.add("human", h, source: human)
        let (train, test) = FidelityReport.split(labels: h.labels, classes: h.classCount, fraction: holdoutFraction, seed: seed)
        guard !test.isEmpty else {
            throw SynthError("\(human): expected at least one held-out test row (holdout fraction \(holdoutFraction) of each class), found none in \(h.rows) rows")
        }
        let hx = h.features!.gatheringRows(train), hy = train.map { h.labels[$0] }
        let tx = h.features!.gatheringRows(test), ty = test.map { h.labels[$0] }
        let s: LabeledFeatures
        if let model {
            // Sampled as `synthctl gen --model` would: any fitted model.
            let rows = syntheticRows ?? hx.rows
            let plan = try DatasetPlan(spec: .object(["rows": .int(rows), "seed": .int(Int(seed)),
                                                      "generator": .object(try ModelFileHint.generatorSpec(
                                                          loading: model, manifestHint: "give its dataset directory with --synthetic",
                                                          specHint: "generate it with synthctl gen --spec, then give it with --synthetic"))]),
                                       source: model)
            var sampled = MemoryEstimate()
            sampled.add("the sampled rows (\(rows) rows × (\(plan.generator.featureCount) features + a label) × 4 bytes)",
                        rows, MemoryEstimate.sum([plan.generator.featureCount, 1]), 4, parameter: "syntheticRows")
            try MemoryBudget.current.check(sampled, subject: model)
            var x = Matrix(rows: rows, columns: plan.generator.featureCount), y = [Int32](repeating: 0, count: rows)
            plan.generator.fill(rows: 0..<rows, features: &x.storage, labels: &y)
            s = LabeledFeatures(source: model, features: x, featureNames: plan.generator.featureNames, labels: y,
                                classNames: plan.generator.classNames)
        } else if let synthetic {
            s = try labeledSet.read(synthetic, labels: syntheticLabels, format: tableFormat.format)
            notes.add("synthetic", s, source: synthetic)
        } else {
            throw ValidationError("give the synthetic rows: --synthetic FILE or --model FILE")  // validate() refused it already
        }
        let aligned = try ClassAlignment(human: h, synthetic: s)
        if let (source, note) = ClassAlignment.positionalMatchNote(human: h, synthetic: s) {
            notes.add(source == h.source ? "human" : "synthetic", source: source, note: note)
        }
        try TrainingClasses.requireTwo(h.labels, classNames: h.classNames, source: human,
                                       purpose: "the learning curves train a classifier on them")
        stopwatch.lap("reading the input")
        var p = LearningCurves.Parameters()
        p.learner = learner
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

        let findings = LimitsFindings(curves)
        func f(_ x: Double) -> String { x.isFinite ? fixedDecimals(x, 4) : "n/a" }
        notes.print()
        // knn states the neighbours it used: capped at a point's training rows.
        let knnUsed = curves.fewestNeighborsUsed.map { fewest in
            ", " + counted(neighbors, "neighbour") + (fewest < neighbors ? " (capped at a point's training rows: as few as \(fewest); k per point below)" : "")
        } ?? ""
        print("Learning curves (\(learner.rawValue)\(knnUsed), \(counted(seeds, "seed")) per point), tested on \(counted(tx.rows, "held-out human row")); \(hx.rows) human training rows, \(aligned.syntheticFeatures.rows) synthetic rows")
        for (curve, level) in [(curves.human, findings.human), (curves.synthetic, findings.synthetic), (curves.mixed, findings.mixed)] {
            // The value used, and the one asked where the training rows capped it.
            let asked = mixHumanRows.map { $0 > curves.mixHumanRows ? "; \($0) asked: there are \(hx.rows) human training rows" : "" } ?? ""
            let label = curve.name == "human+synthetic" ? "human+synthetic (\(curves.mixHumanRows) human + n synthetic\(asked))" : curve.name
            print("")
            print("\(label):")
            print(curve.points.map { point in
                let k = curves.neighborsUsed(curve, point).flatMap { $0 < neighbors ? " (k = \($0))" : nil } ?? ""
                return "  n=\(point.rows) error \(f(point.mean)) ± \(f(point.standardError))\(k)"
            }.joined(separator: "\n"))
            if let level, level.flat {
                print("  flat: error \(f(level.value)) ± \(f(level.standardError)) at every size (it falls by \(f(level.fall)) ± \(f(level.fallStandardError)) from the smallest n to the largest: no decrease beyond noise)")
            } else if let level, level.rising {
                print("  rising: the error grows by \(f(-level.fall)) ± \(f(level.fallStandardError)) from the smallest n to the largest, beyond noise: more of these rows make the learner worse; no power law fitted; error at the largest n \(Self.describe(level))")
            } else if let level, level.powerLaw == nil {
                print("  falling by \(f(level.fall)) ± \(f(level.fallStandardError)), but no power law c + a·n^(−b) with a, b > 0 fits it (no plateau to extrapolate to); error at the largest n \(Self.describe(level))")
            } else if let fit = level?.powerLaw {
                print("  fit: error = \(f(fit.plateau)) + \(String(format: "%.3g", fit.scale))·n^(−\(f(fit.exponent))); plateau \(Self.describe(level))")
            }
        }
        if let gap = findings.gap {
            print("")
            print("plateau gap (synthetic − human): \(f(gap.value)) ± \(f(gap.standardError))"
                  + (gap.interval.map { " (95% interval \(f($0.lower)) to \(f($0.upper)); \(gap.resolved ? "a real gap" : "not distinguishable from 0"))" } ?? "")
                  + ([findings.human, findings.synthetic].contains { $0.map { !$0.flat && $0.powerLaw == nil } ?? false }
                     ? "; a curve without a power law enters at its error at the largest n" : ""))
        }
        let split = findings.testSplit
        print("")
        print("test split: \(counted(split.rows, "row")); an error rate near \(f(split.errorRate)) has a binomial standard error of \(f(split.standardError)) on them, so two error rates must differ by more than \(f(split.resolution)) to be told apart")
        if split.tooSmallToTell {
            print("the test split is too small to tell: the human curve falls by \(f(findings.human?.fall ?? .nan)) and the plateaus differ by \(f(findings.gap?.value ?? .nan)), both within \(f(split.resolution)); use more held-out rows (--holdout-fraction) or a larger human set")
        }
        let chance = findings.chance
        if chance.humanAtChance, let h = findings.human {
            let majority = aligned.classNames[Int(chance.majorityClass)].escapingControlCharacters
            print("the human curve is at chance: at no size is its error (\(h.flat ? "flat at " : "level ")\(f(h.value)) ± \(f(h.standardError))) lower than \(f(chance.majorityClassError)), the error of always predicting the test split's most common class (\"\(majority)\"), by more than the resolution \(f(split.resolution)): the features do not predict the label on these rows, and more rows of either kind will not change that"
                  + (chance.syntheticAtChance ? "; the synthetic curve is at chance too" : "; the synthetic curve does better than chance"))
        }
        if findings.human != nil, findings.synthetic != nil {
            print("exchange rate (synthetic rows that reach the error of m human rows):")
            for e in findings.exchange { print("  " + Self.describe(e, testSplitTooSmall: split.tooSmallToTell)) }
        }
        if let json {
            func number(_ x: Double) -> JSONValue { x.isFinite ? .double(x) : .null }
            func interval(_ i: LimitsFindings.Interval?) -> JSONValue { i.map { .array([number($0.lower), number($0.upper)]) } ?? .null }
            func curveJSON(_ c: LearningCurves.Curve, _ level: LimitsFindings.Level?) -> JSONValue {
                var o: [String: JSONValue] = [
                    "name": .string(c.name),
                    "points": .array(c.points.map { point in
                        var o: [String: JSONValue] = ["rows": .int(point.rows), "errors": JSONValue(point.errors),
                                                      "mean": .double(point.mean), "standard_error": .double(point.standardError)]
                        if let k = curves.neighborsUsed(c, point) { o["neighbors"] = .int(k) }
                        return .object(o)
                    }),
                ]
                // Only a power law that falls (scale and exponent above 0) is a fit to report, and never for a
                // rising curve or a flat one (its level is the mean of its points, not a plateau of a fit).
                if let fit = c.fit, fit.scale > 0, fit.exponent > 0, level?.rising != true, level?.flat != true {
                    o["fit"] = .object([
                        "plateau": .double(fit.plateau), "scale": .double(fit.scale), "exponent": .double(fit.exponent),
                        "plateau_standard_error": number(fit.standardErrors.plateau),
                        "scale_standard_error": number(fit.standardErrors.scale),
                        "exponent_standard_error": number(fit.standardErrors.exponent),
                        "covariance": .array(fit.covariance.map { .array($0.map(number)) }),
                        "plateau_held_at_zero": .bool(fit.plateauAtZero),
                        "chi_square": .double(fit.chiSquare), "converged": .bool(fit.converged),
                    ])
                }
                if let level {
                    o["level"] = .object([
                        "flat": .bool(level.flat), "shape": .string(level.shape.rawValue), "power_law": .bool(level.powerLaw != nil),
                        "value": number(level.value), "standard_error": number(level.standardError),
                        "interval": interval(level.interval), "held_at_zero": .bool(level.heldAtZero),
                        "fall": number(level.fall), "fall_standard_error": number(level.fallStandardError),
                    ])
                }
                return .object(o)
            }
            let exchange: JSONValue = .array(findings.exchange.map { e in
                .object(["human_rows": .int(e.humanRows), "human_error": number(e.humanError), "status": .string(e.status.rawValue),
                         "synthetic_rows": e.status == .estimated ? (e.syntheticRows.map(number) ?? .null) : .null,
                         "interval": interval(e.interval), "extrapolated": .bool(e.extrapolated),
                         "smallest_synthetic_rows": e.status == .everyMeasuredSize ? (e.syntheticRows.map(number) ?? .null) : .null])
            })
            let split = findings.testSplit
            var limits: [String: JSONValue] = [
                "definitions": .string("error = 1 − accuracy on held-out human rows; each curve fitted with error(n) = plateau + scale·n^(−exponent) by weighted least squares (weights 1/standard error², standard errors and covariance scaled by the reduced χ², as SciPy curve_fit); level: the fitted plateau, or the mean of the points when the curve is flat (its fall from the smallest to the largest n within 1.96 standard errors; no fit is given then), or the error at the largest n when the curve is rising (its error grows beyond 1.96 standard errors: no power law fitted) or falls with no power law of scale and exponent above 0 (power_law false); fit: given only when the optimum is a power law that falls (scale and exponent above 0) and the curve is neither flat nor rising; every standard error adds the test split's binomial one, √(p̃(1−p̃)/(n+z²)) at the Agresti–Coull centre p̃ = (p·n + z²/2)/(n + z²), p an error rate observed on the test rows (a flat curve's level, else the mean error at the curve's largest n); intervals are 95%, normal, within [0, 1]; a plateau held at zero has the interval [0, U], U the smaller of the upper 95% bound of the error at the largest n and 1.96 times the standard error of the fit that left it free, and the standard error U/1.96; gap = synthetic level − human level, resolved when its interval excludes 0; test_split.resolution = 1.96·√2·binomial standard error at the human level, too_small_to_tell when neither the human curve's fall nor the gap exceeds it (unless the human curve is at chance); chance.majority_class_error = 1 − the share of the test split's most common class, a curve at chance when no point's error is below majority_class_error − resolution and resolution < majority_class_error; exchange: synthetic rows whose fitted error equals the human error at human_rows, status estimated (interval by the delta method on log rows over both fits' covariances and the test split), every_measured_size (a flat synthetic curve below that error), unreachable (that error is below the synthetic level beyond noise), cannot_tell, human_at_chance, synthetic_rising (more synthetic rows raise the error) or no_power_law (the synthetic curve falls, but not as a power law to read rows off)"),
                "parameters": .object(["learner": .string(learner.rawValue), "seeds": .int(seeds), "points": .int(points),
                                       "mix_human_rows": .int(curves.mixHumanRows), "seed": .int(Int(seed)),
                                       "holdout_fraction": .double(holdoutFraction)]
                                      .merging(curves.fewestNeighborsUsed.map { ["neighbors": .int(neighbors), "fewest_neighbors_used": .int($0)] } ?? [:]) { $1 }),
                "input": .object(["human": .string(human), "synthetic": .string(synthetic ?? model ?? ""),
                                  "human_training_rows": .int(hx.rows), "test_rows": .int(tx.rows),
                                  "synthetic_rows": .int(aligned.syntheticFeatures.rows)]),
                "curves": .array([curveJSON(curves.human, findings.human), curveJSON(curves.synthetic, findings.synthetic),
                                  curveJSON(curves.mixed, findings.mixed)]),
                "test_split": .object(["rows": .int(split.rows), "error_rate": number(split.errorRate),
                                       "binomial_standard_error": number(split.standardError),
                                       "resolution": number(split.resolution), "too_small_to_tell": .bool(split.tooSmallToTell)]),
                "chance": .object(["majority_class": .string(aligned.classNames[Int(findings.chance.majorityClass)]),
                                   "majority_class_error": number(findings.chance.majorityClassError),
                                   "human_at_chance": .bool(findings.chance.humanAtChance),
                                   "synthetic_at_chance": .bool(findings.chance.syntheticAtChance)]),
                "exchange": exchange,
            ]
            if let gap = findings.gap {
                limits["gap"] = .object(["value": number(gap.value), "standard_error": number(gap.standardError),
                                         "interval": interval(gap.interval), "resolved": .bool(gap.resolved)])
            }
            var o: [String: JSONValue] = [
                "synthctl_version": .string(SynthVersion.current),
                "limits": .object(limits),
            ]
            notes.addJSON(to: &o)
            try files.write(JSONValue.object(o).serialized() + "\n", to: json)
        }
        try reportFiles.write(to: files, markdown: Markdown.limits(curves, findings, human: human, synthetic: synthetic ?? model ?? ""),
                              html: HTMLReport.limits(curves, findings, human: human, synthetic: synthetic ?? model ?? ""))
        stopwatch.lap("report")
        execution.report(stopwatch.laps)
    }
}

extension Limits {
    static func number(_ x: Double) -> String { x.isFinite ? fixedDecimals(x, 4) : "n/a" }

    /// "0.0650 ± 0.0080 (95% interval 0.0493 to 0.0807)", or how it was held at zero.
    static func describe(_ level: LimitsFindings.Level?) -> String {
        guard let level else { return "n/a" }
        let interval = level.interval.map { " (95% interval \(number($0.lower)) to \(number($0.upper)))" } ?? " (no standard error: too few points)"
        if level.heldAtZero { return "0 (the optimum was below zero and is held there)" + interval }
        return "\(number(level.value)) ± \(number(level.standardError))" + interval
    }

    /// One exchange-rate line.
    static func describe(_ e: LimitsFindings.Exchange, testSplitTooSmall: Bool) -> String {
        let head = "the error of \(e.humanRows) human rows (\(number(e.humanError)))"
        switch e.status {
        case .estimated:
            let n = e.syntheticRows ?? .nan, perRow = n / Double(e.humanRows)
            let interval = e.interval.map { "; 95% interval \(Int($0.lower.rounded()))–\($0.upper < 1e15 ? String(Int($0.upper.rounded())) : "∞")" } ?? ""
            return "\(head) takes \(Int(n.rounded())) synthetic rows (\(String(format: "%.2f", perRow)) per human row\(interval))"
                + (e.extrapolated ? ", beyond the synthetic rows measured: extrapolated" : "")
        case .everyMeasuredSize:
            return "\(head) is reached by every synthetic size measured, the smallest (\(Int(e.syntheticRows ?? 0))) included: the synthetic curve is flat below it"
        case .unreachable:
            return "\(head) is below the synthetic plateau: no amount of synthetic rows reaches it"
        case .cannotTell:
            return "\(head): cannot tell (" + (testSplitTooSmall ? "the test split is too small" : "within noise of the synthetic plateau") + ")"
        case .humanAtChance:
            return "\(head): none to exchange (the human curve is at chance)"
        case .syntheticRising:
            return "\(head): none to exchange (the synthetic curve rises: more synthetic rows raise the error)"
        case .noPowerLaw:
            return "\(head): cannot tell (the synthetic curve falls, but not as a power law to read the rows off)"
        }
    }
}

