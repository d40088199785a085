import ArgumentParser
import Eval
import Foundation

/// What to score: a dataset directory, long-form answers, or a labeled set
/// (.npy files or one table), with optional out-of-sample probabilities.
struct ScoreInput: ParsableArguments {
    @Argument(help: "A synthctl dataset directory: its labels (features.npy, labels.npy) and its annotations (annotations.npy) are scored; true_labels.npy is the truth. A table directory (gen --directory: data.csv, data.jsonl or data.parquet) or a sharded Parquet one (part-0000k-of-0000n.parquet) gives the same from its label, true_label and annotator_* columns.")
    var dataset: String?

    @Option(help: ArgumentHelp("Answers in long form: a table (\(TableFormat.displayNames)) with columns item (or task), worker, label."))
    var answers: String?

    @Flag(help: "Read --answers in wide form, as gen writes a table: one row per item, its annotator_0, annotator_1, … columns one answer each (empty or null: no answer), true_label as the gold; classes are those of the table's manifest beside it (<table>.manifest.json) when there is one.")
    var annotatorColumns = false

    @Option(help: "Gold labels for --answers: a table with columns item, truth.")
    var gold: String?

    @Option(help: ArgumentHelp("The item id column of --answers and --gold (default: item, else task).", valueName: "name"))
    var itemColumn: String?

    @Option(help: ArgumentHelp("The worker id column of --answers (default: worker, else annotator).", valueName: "name"))
    var workerColumn: String?

    @Option(help: ArgumentHelp("The gold label column of --gold (default: truth, else label, else gold).", valueName: "name"))
    var truthColumn: String?

    /// The answers' and gold's columns: `--label-column`, unless left at
    /// its default, names the answers' label column too.
    var answerColumns: AnswerColumns {
        AnswerColumns(item: itemColumn, worker: workerColumn,
                      label: labeledSet.labelColumn == "label" ? nil : labeledSet.labelColumn, truth: truthColumn)
    }

    @Option(help: "Labels to check: a .npy of class ids, one per row.")
    var labels: String?

    @Option(help: "Features for --labels: an N × D .npy, to train the out-of-sample model on.")
    var features: String?

    @Option(help: ArgumentHelp("Labels and features in one table: \(TableFormat.helpList). Text may be gzip or zstd compressed (.csv.gz, .jsonl.zst); Parquet pages in any common codec."))
    var table: String?

    /// `--label-column` and `--feature-columns` of `--table`, and
    /// `--drop-missing`, which also drops answers and gold rows.
    @OptionGroup var labeledSet: LabeledSetOptions

    @Option(help: "Your model's out-of-sample predicted probabilities, an N × K .npy; no model is trained. Integer labels are column numbers (label k is column k); other labels, in class order, are the columns when there are exactly K of them (or give --label-order).")
    var predProbs: String?

    @Option(parsing: .unconditionalSingleValue,
            help: ArgumentHelp("The order of the labels of --answers or --table (low,medium,high): for ordinal α, the class order of every report and, with --pred-probs, the columns (the i-th label is column i). Every label must be listed, once. Default: numeric order when every label is a number, else byte order (ordinal α then refuses text labels). \(ListOption.syntax)", valueName: "labels"))
    var labelOrder: [String] = []

    /// The labels of --label-order, spelled as labels are (`1.0` is `1`).
    var givenLabelOrder: [String]? {
        guard !labelOrder.isEmpty, case .success(let labels) = LabelOrder.given(labels: ListOption.items(labelOrder)) else { return nil }
        return labels
    }

    /// Refuses a run with nothing to score. Checked when the command runs,
    /// not in `validate()`: argument-parser validates before it reports an
    /// unknown option, and `score --bogus-x` must name the option.
    func requireSource() throws {
        if [dataset, answers, labels, table].allSatisfy({ $0 == nil }) {
            throw ValidationError("give a dataset directory, --answers FILE, --labels FILE or --table FILE")
        }
    }

    func validate() throws {
        let sources = [dataset != nil, answers != nil, labels != nil, table != nil].filter { $0 }.count
        var isDirectory: ObjCBool = false
        let featureColumns = labeledSet.featureColumns
        if let dataset, sources > 1, !featureColumns.isEmpty,
           !(FileManager.default.fileExists(atPath: dataset, isDirectory: &isDirectory) && isDirectory.boolValue) {
            // `--feature-columns a b` (the old, space-separated form): b is no dataset directory.
            throw ValidationError("--feature-columns: expected the column names in one value, separated by commas (--feature-columns \(ListOption.items(featureColumns).joined(separator: ",")),\(dataset)), found \"\(dataset)\" after it as a separate argument")
        }
        if dataset != nil && sources > 1 {
            throw ValidationError("a dataset directory brings its own labels and annotations: drop --answers, --labels and --table")
        }
        if annotatorColumns && answers == nil {
            throw ValidationError("--annotator-columns goes with --answers (a dataset directory's annotator columns are read without it)")
        }
        if annotatorColumns && gold != nil {
            throw ValidationError("--annotator-columns reads the gold from the table's true_label column: drop --gold")
        }
        if labels != nil && table != nil {
            throw ValidationError("give labels once: --labels FILE or --table FILE")
        }
        if gold != nil && answers == nil {
            throw ValidationError("--gold goes with --answers (a dataset directory brings its own true labels)")
        }
        if answers == nil, let given = [("--item-column", itemColumn), ("--worker-column", workerColumn)].first(where: { $0.1 != nil }) {
            throw ValidationError("\(given.0) names a column of --answers")
        }
        if gold == nil && truthColumn != nil {
            throw ValidationError("--truth-column names a column of --gold")
        }
        if features != nil && labels == nil {
            throw ValidationError("--features goes with --labels (a table or a dataset directory brings its own features)")
        }
        if predProbs != nil && dataset == nil && labels == nil && table == nil {
            throw ValidationError("--pred-probs needs the labels it scores: a dataset directory, --labels or --table")
        }
        if labels != nil && features == nil && predProbs == nil {
            throw ValidationError("--labels needs --features (to train a model) or --pred-probs")
        }
        if !labelOrder.isEmpty {
            if case .failure(let problem) = LabelOrder.given(labels: ListOption.items(labelOrder)) {
                throw ValidationError("--label-order: expected labels separated by commas, each once, found \(problem)")
            }
            if dataset != nil || labels != nil {
                throw ValidationError("--label-order orders the labels of --answers or --table (the class ids of .npy files are in id order)")
            }
        }
    }
}

/// How label issues are found.
struct LabelIssueOptions: ParsableArguments {
    @Option(help: "Which items to flag (cleanlab's filter_by).", oneOf: LabelIssueFilter.self)
    var filterBy: LabelIssueFilter = .pruneByNoiseRate

    @Option(help: "How flagged items are ranked.", oneOf: LabelQualityScore.self)
    var rankBy: LabelQualityScore = .selfConfidence

    @Option(help: "The out-of-sample model when no --pred-probs: logistic (multinomial, L2), knn (for embeddings) or gbdt (gradient-boosted trees, non-linear).",
            oneOf: LabelIssueReport.Model.self)
    var model: LabelIssueReport.Model = .logistic

    @Option(help: "Cross-validation folds for the out-of-sample model.", range: .atLeast(2))
    var folds: Int = 5

    @Option(help: "Neighbours for --model knn (at most the rows less one).", range: .atLeast(1))
    var neighbors: Int = 10

    @Option(help: "Inverse L2 strength of the logistic regression (scikit-learn's C).", range: .inverseRegularization)
    var c: Double = 1.0

    @Option(help: "Never prune a class down below this many items.", range: .atLeast(0))
    var minExamplesPerClass: Int = 1

    @Option(help: "Flag only this fraction of the estimated issues, most certain first.", range: .positiveShare)
    var fracNoise: Double = 1.0

    @Option(help: "Write the flagged items, most suspicious first, to this file: CSV, or .tsv, .jsonl or .parquet by extension (- for CSV on standard output).")
    var issues: String?

    var parameters: LabelIssueReport.Parameters {
        var p = LabelIssueReport.Parameters()
        p.filter = filterBy
        p.rankBy = rankBy
        p.model = model
        p.folds = folds
        p.neighbors = neighbors
        p.logistic.inverseRegularization = c
        p.filterOptions = .init(minExamplesPerClass: minExamplesPerClass, fracNoise: fracNoise)
        return p
    }
}

/// How annotations are aggregated.
struct AnnotationOptions: ParsableArguments {
    @Option(help: "Majority-vote ties: the lowest or highest tied class id, one at random (from --seed), or no label.", oneOf: TiePolicyChoice.self)
    var tiePolicy: TiePolicyChoice = .lowest

    @Option(help: "Krippendorff's α level.", oneOf: KrippendorffAlpha.Level.self)
    var alphaLevel: KrippendorffAlpha.Level = .nominal

    @Option(help: "Answers an annotator needs before being flagged or gated.", range: .atLeast(1))
    var minLabels: Int = 10

    @Option(parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Aggregation models to run beside Dawid–Skene: one-coin, glad, mace, or all. \(ListOption.syntax)", valueName: "models"))
    var aggregators: [String] = []

    @Option(help: "MACE restarts (each from its own seeded draw; the best log-likelihood wins).",
            range: .within(1...AnnotationOptions.maximumMaceRestarts))
    var maceRestarts: Int = 10

    /// Each restart is a full EM run; crowd-kit's default is 10.
    static let maximumMaceRestarts = 10_000

    @Option(help: "Items two annotators must both have answered for their Cohen's κ to be reported.", range: .atLeast(2))
    var minSharedItems: Int = 20

    @Option(help: "EM iterations at most for Dawid–Skene and one-coin (default 100) and GLAD (default 500); the report says whether each converged. MACE runs a fixed 50 iterations per restart, as crowd-kit does.",
            range: .within(1...AnnotationOptions.iterationLimit))
    var maxIterations: Int?

    @Option(help: "Convergence: stop when the log-likelihood (GLAD: log posterior) changes by less than this share of itself (default 1e-6; GLAD 1e-10).",
            range: NumberRange(lowerBound: 0, upperBound: 1, lowerOpen: true, upperOpen: true))
    var tolerance: Double?

    /// Bounds for --max-iterations: each iteration is a pass over every answer.
    static let iterationLimit = 1_000_000

    var extraModels: [AnnotationReport.ExtraModel] {
        let names = ListOption.items(aggregators)
        if names.contains("all") { return AnnotationReport.ExtraModel.allCases }
        // Each model once, in the order of the first mention.
        var seen = Set<AnnotationReport.ExtraModel>()
        return names.compactMap { AnnotationReport.ExtraModel(rawValue: $0) }.filter { seen.insert($0).inserted }
    }

    func validate() throws {
        for name in ListOption.items(aggregators) where name != "all" && AnnotationReport.ExtraModel(rawValue: name) == nil {
            throw ValidationError("--aggregators: expected one-coin, glad, mace or all (comma-separated), found \"\(name)\"")
        }
    }

    func parameters(seed: UInt64) -> AnnotationReport.Parameters {
        var p = AnnotationReport.Parameters()
        p.tiePolicy = tiePolicy.policy(seed: seed)
        p.alphaLevel = alphaLevel
        p.minimumLabels = minLabels
        p.minimumSharedItems = minSharedItems
        if let maxIterations { p.dawidSkene.maxIterations = maxIterations; p.glad.maxIterations = maxIterations }
        if let tolerance { p.dawidSkene.tolerance = tolerance; p.glad.tolerance = tolerance }
        p.extraModels = extraModels
        p.mace.restarts = maceRestarts
        p.mace.seed = seed
        return p
    }
}

/// Quality gates: each one that fails is named, and the exit code is 1.
struct ScoreGates: ParsableArguments {
    @Option(help: "Fail when the label health score (share of labels believed right) is below this.", range: .share)
    var minHealth: Double?

    @Option(help: "Fail when the estimated share of wrong labels is above this.", range: .share)
    var maxNoiseRate: Double?

    @Option(help: "Fail when Krippendorff's α (at --alpha-level) is below this.", range: .agreement)
    var minAgreement: Double?

    @Option(help: "Fail when an annotator with at least --min-labels answers has a Dawid–Skene estimated accuracy below this.", range: .share)
    var minAnnotatorAccuracy: Double?

    @Option(help: "Fail when the Dawid–Skene labels' accuracy against gold is below this (needs gold).", range: .share)
    var minAccuracy: Double?

    @Option(help: "Fail when more than this share of annotators (with enough answers) is flagged spammer or adversarial.", range: .share)
    var maxFlaggedShare: Double?

    /// Every gate given, as (option, limit), in the order failures are listed in.
    var given: [(option: String, limit: Double)] {
        [("--min-health", minHealth), ("--max-noise-rate", maxNoiseRate), ("--min-agreement", minAgreement),
         ("--min-annotator-accuracy", minAnnotatorAccuracy), ("--min-accuracy", minAccuracy),
         ("--max-flagged-share", maxFlaggedShare)].compactMap { option, limit in limit.map { (option, $0) } }
    }

    var needLabels: [String] {
        [("--min-health", minHealth), ("--max-noise-rate", maxNoiseRate)].filter { $0.1 != nil }.map(\.0)
    }

    var needAnnotations: [String] {
        [("--min-agreement", minAgreement), ("--min-annotator-accuracy", minAnnotatorAccuracy),
         ("--min-accuracy", minAccuracy), ("--max-flagged-share", maxFlaggedShare)].filter { $0.1 != nil }.map(\.0)
    }
}
