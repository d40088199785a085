import Foundation
import Synth
import SynthctlCore

/// Everything `synthctl score` computes from annotations: agreement,
/// majority vote, Dawid–Skene, and per-annotator reliability, with the
/// parameters used and a version of the metric definitions, as JSON.
public struct AnnotationReport: Sendable {
    /// Bumped whenever a metric's definition changes meaning.
    public static let definitionsVersion = 1

    /// Aggregation models run beside Dawid–Skene (which is always run and
    /// gives the consensus), for comparison.
    public enum ExtraModel: String, Sendable, CaseIterable {
        case oneCoin = "one-coin", glad, mace
    }

    public struct Parameters: Sendable {
        public var extraModels: [ExtraModel] = []
        public var glad = GLAD.Options()
        public var mace = MACE.Options()
        public var tiePolicy: TiePolicy = .lowest
        public var alphaLevel: KrippendorffAlpha.Level = .nominal
        public var dawidSkene = DawidSkene.Options()
        public var minimumLabels = 10
        /// Items two annotators must share for their Cohen's κ to be reported.
        public var minimumSharedItems = 20
        /// Threads for the aggregation models (results do not depend on it).
        public var threads = Parallel.coreCount
        /// What the run may allocate (checked before it starts).
        public var memory = MemoryBudget.current
        /// Whether the caller will build ``json``: its list of annotator
        /// pairs (``jsonBytesPerPair`` each while it is built and written)
        /// is then part of what is checked before the pairs are computed.
        public var buildsJSON = false
        public init() {}
    }

    /// Peak bytes per annotator pair of the JSON report: the pair's object
    /// (a dictionary of four values) and its serialized text, measured at
    /// about 650 on 500,000 pairs, rounded up.
    public static let jsonBytesPerPair = 768

    /// The dominant allocations of aggregating answers to n items from w
    /// annotators over K classes: the item posteriors (n × K for majority
    /// vote, Dawid–Skene and each extra model), the annotators' confusion
    /// matrices (w × K × K: log θ, θ, Dawid–Skene's per-chunk statistics,
    /// the report's JSON), and MACE's starting points (one per restart).
    public static func memoryEstimate(items n: Int, annotators w: Int, classes k: Int, parameters p: Parameters) -> MemoryEstimate {
        var e = MemoryEstimate()
        e.add("item posteriors (\(n) items × \(k) classes × 8 bytes × \(3 + p.extraModels.count))", n, k, 8 * (3 + p.extraModels.count))
        e.add("confusion matrices (\(w) annotators × \(k)² classes × 8 bytes × 24, with the report's JSON)", w, k, k, 8 * 24)
        if p.extraModels.contains(.mace) {
            e.add("MACE starting points (\(p.mace.restarts) restarts × \(w) annotators × (\(k) + 2) × 8 bytes × 3)",
                  p.mace.restarts, w, MemoryEstimate.sum([k, 2]), 24, parameter: "restarts")
        }
        return e
    }

    public let answers: AnswerSet
    public let gold: GoldLabels?
    public let parameters: Parameters
    /// Undefined (like every statistic here that is a ratio) when its
    /// denominator is zero on this input; see ``MetricValue``.
    public let percentAgreement: MetricValue
    public let fleissKappa: MetricValue
    public let alpha: MetricValue
    /// Cohen's κ of every pair of annotators sharing enough items.
    public let pairs: PairwiseKappa
    public let majority: MajorityVote
    public let majorityLabels: [Int32]
    public let dawidSkene: DawidSkene
    public let annotators: AnnotatorStatistics
    public let oneCoin: DawidSkene?
    public let glad: GLAD?
    public let mace: MACE?
    /// True confusion matrices (workers × K × K), when the answers come from
    /// a synthetic pool.
    public let trueConfusion: [[[Double]]]?
    /// Wall-clock seconds of each stage, in order (for `--timings`; never in
    /// the JSON, which must not depend on the machine).
    public let timings: [(stage: String, seconds: Double)]

    /// - Throws: for a request the labels cannot meet (interval or ratio α
    ///   on labels that are not numbers, ordinal α on labels that are
    ///   neither numbers nor in a given order), or annotator pairs beyond
    ///   the memory budget (``MemoryLimitExceeded``); a statistic that is
    ///   undefined on these answers is reported as undefined.
    public init(answers: AnswerSet, gold: GoldLabels?, parameters: Parameters = Parameters(),
                trueConfusion: [[[Double]]]? = nil) throws {
        try parameters.memory.check(Self.memoryEstimate(items: answers.itemCount, annotators: answers.workerCount,
                                                        classes: answers.classCount, parameters: parameters),
                                    subject: "the answers (\(answers.itemCount) items, \(answers.workerCount) annotators, \(answers.classCount) classes)")
        self.answers = answers
        self.gold = gold
        self.parameters = parameters
        self.trueConfusion = trueConfusion
        var stopwatch = Stopwatch()
        (percentAgreement, fleissKappa) = Agreement.percentAgreementAndFleissKappa(answers)
        stopwatch.lap("Fleiss' kappa")
        alpha = try KrippendorffAlpha.alpha(answers, level: parameters.alphaLevel)
        stopwatch.lap("Krippendorff's alpha")
        pairs = try PairwiseKappa(answers, minimumShared: parameters.minimumSharedItems, budget: parameters.memory,
                                  extraBytesPerPair: parameters.buildsJSON ? Self.jsonBytesPerPair : 0, threads: parameters.threads)
        stopwatch.lap("pairwise Cohen's kappa")
        majority = MajorityVote(answers)
        majorityLabels = majority.labels(parameters.tiePolicy)
        stopwatch.lap("majority vote")
        dawidSkene = DawidSkene(answers, gold: nil, options: parameters.dawidSkene, majority: majority, threads: parameters.threads)
        stopwatch.lap("Dawid-Skene")
        annotators = AnnotatorStatistics(answers, consensus: dawidSkene.labels, minimumLabels: parameters.minimumLabels)
        stopwatch.lap("annotator statistics")
        if parameters.extraModels.contains(.oneCoin) {
            var o = parameters.dawidSkene
            o.oneCoin = true
            oneCoin = DawidSkene(answers, options: o, majority: majority, threads: parameters.threads)
            stopwatch.lap("one-coin Dawid-Skene")
        } else { oneCoin = nil }
        if parameters.extraModels.contains(.glad) {
            glad = GLAD(answers, options: parameters.glad)
            stopwatch.lap("GLAD")
        } else { glad = nil }
        if parameters.extraModels.contains(.mace) {
            mace = MACE(answers, options: parameters.mace)
            stopwatch.lap("MACE")
        } else { mace = nil }
        timings = stopwatch.laps
    }

    /// The share of items on which `labels` equal Dawid–Skene's.
    public func agreementWithDawidSkene(_ labels: [Int32]) -> Double {
        Double(zip(labels, dawidSkene.labels).filter { $0 == $1 }.count) / Double(max(1, labels.count))
    }

    /// DS accuracy against gold, when gold labels were given.
    public var dawidSkeneAccuracy: MetricValue? { gold.map { accuracy(dawidSkene.labels, gold: $0) } }

    /// The iterative models that stopped at their iteration cap before
    /// converging: (name, iterations, last relative change, tolerance).
    public var unconverged: [(model: String, iterations: Int, relativeChange: MetricValue, tolerance: Double)] {
        var out = [(model: String, iterations: Int, relativeChange: MetricValue, tolerance: Double)]()
        if !dawidSkene.converged {
            out.append(("Dawid–Skene", dawidSkene.iterations, dawidSkene.relativeChange, dawidSkene.options.tolerance))
        }
        if let m = oneCoin, !m.converged { out.append(("one-coin Dawid–Skene", m.iterations, m.relativeChange, m.options.tolerance)) }
        if let m = glad, !m.converged { out.append(("GLAD", m.iterations, .defined(m.lastRelativeChange), m.options.tolerance)) }
        return out
    }

    /// Annotators with enough answers, worst estimated accuracy first.
    public var annotatorsByAccuracy: [Int] {
        (0..<answers.workerCount).filter { annotators.labels[$0] >= parameters.minimumLabels }
            .sorted { (dawidSkene.accuracy(ofWorker: $0), $0) < (dawidSkene.accuracy(ofWorker: $1), $1) }
    }

    /// How an annotator's repeated answers to one item count, in words.
    public static let repeatedAnswersRule = "every answer counts in majority vote, Fleiss' kappa, Krippendorff's alpha and the aggregation models (as crowd-kit counts them); Cohen's kappa takes one answer per annotator and item, the one with the smallest label in class order"

    /// One object a pair, made side by side on ``Parameters/threads``
    /// threads: a pool of 200 annotators has 19,900 pairs. Each is the object
    /// `["a": …, "b": …, "shared_items": …].set("kappa", κ)` would make
    /// (an undefined κ is null, with its reason under `undefined`), held as
    /// records rather than a dictionary each.
    private var pairsJSON: JSONValue {
        let pairs = pairs.pairs, names = answers.workerNames
        let keys = ["a", "b", "kappa", "shared_items", "undefined"]
        return .records(JSONRecords(keys: keys, count: pairs.count, threads: parameters.threads) { i, fields in
            let p = pairs[i]
            fields[0] = .string(names[p.a])
            fields[1] = .string(names[p.b])
            fields[2] = p.kappa.json
            fields[3] = .int(p.shared)
            if let why = p.kappa.undefinedReason { fields[4] = .object(["kappa": .string(why)]) }
        })
    }

    public var json: JSONValue {
        let k = answers.classCount
        var o: [String: JSONValue] = [
            "metric_definitions_version": .int(Self.definitionsVersion),
            "synthctl_version": .string(SynthVersion.current),
            "input": .object([
                "items": .int(answers.itemCount), "workers": .int(answers.workerCount),
                "answers": .int(answers.answerCount), "classes": JSONValue(answers.classNames),
                "repeated_item_worker_answers": .int(answers.duplicatePairs),
                "gold_items": gold.map { .int($0.knownCount) } ?? .null,
                "gold_rows_without_answers": gold.map { .int($0.unmatchedItems) } ?? .null,
            ]),
            "parameters": .object([
                "tie_policy": .string(parameters.tiePolicy.description),
                "krippendorff_level": .string(parameters.alphaLevel.rawValue),
                "dawid_skene": .object([
                    "max_iterations": .int(parameters.dawidSkene.maxIterations),
                    "relative_tolerance": .double(parameters.dawidSkene.tolerance),
                    "smoothing": .double(parameters.dawidSkene.smoothing),
                    "start": .string("soft majority vote"),
                ]),
                "minimum_labels_for_flags": .int(parameters.minimumLabels),
                "minimum_shared_items_for_pairs": .int(parameters.minimumSharedItems),
            ]),
        ]
        if case .object(var input)? = o["input"] {
            if !answers.workersWithoutAnswers.isEmpty { input["annotators_without_answers"] = JSONValue(answers.workersWithoutAnswers) }
            if answers.duplicatePairs > 0 { input["repeated_answers_rule"] = .string(Self.repeatedAnswersRule) }
            o["input"] = .object(input)
        }
        if answers.classOrderGiven, case .object(var p)? = o["parameters"] {
            p["label_order"] = JSONValue(answers.classNames)
            if answers.classOrderDeclared { p["label_order_source"] = .string("parquet_declared") }
            o["parameters"] = .object(p)
        }
        var agreement: [String: JSONValue] = [:]
        agreement.set("percent_agreement", percentAgreement)
        agreement.set("fleiss_kappa", fleissKappa)
        var a: [String: JSONValue] = ["level": .string(parameters.alphaLevel.rawValue)]
        a.set("value", alpha)
        agreement["krippendorff_alpha"] = .object(a)
        o["agreement"] = .object(agreement)
        o["annotator_pairs"] = .object([
            "statistic": .string("Cohen's kappa, unweighted (scikit-learn's cohen_kappa_score) over the items both annotators answered"),
            "minimum_shared_items": .int(pairs.minimumShared),
            "pairs_below_minimum": .int(pairs.pairsBelowMinimum),
            "pairs": pairsJSON,
        ])
        var mv: [String: JSONValue] = ["tied_items": .int(majority.tieCount)]
        if parameters.tiePolicy == .abstain {
            // Accuracy is over the decided items; the abstentions are counted.
            mv["abstained_items"] = .int(abstentions(majorityLabels))
            if let gold { mv["abstained_gold_items"] = .int(abstentions(majorityLabels, gold: gold)) }
        }
        if let gold {
            mv.set("accuracy", accuracy(majorityLabels, gold: gold))
            mv.set("expected_accuracy_random_ties", majority.expectedAccuracy(gold: gold))
        }
        o["majority_vote"] = .object(mv)
        var ds: [String: JSONValue] = [
            "iterations": .int(dawidSkene.iterations), "converged": .bool(dawidSkene.converged),
            "log_likelihood": .double(dawidSkene.logLikelihood), "prior": JSONValue(dawidSkene.prior),
        ]
        ds.set("last_relative_change", dawidSkene.relativeChange)
        if let a = dawidSkeneAccuracy { ds.set("accuracy", a) }
        o["dawid_skene"] = .object(ds)
        var models: [String: JSONValue] = [:]
        func agreementWithDS(_ labels: [Int32]) -> JSONValue { .double(agreementWithDawidSkene(labels)) }
        if let m = oneCoin {
            var e: [String: JSONValue] = ["iterations": .int(m.iterations), "converged": .bool(m.converged),
                                          "max_iterations": .int(m.options.maxIterations), "relative_tolerance": .double(m.options.tolerance),
                                          "log_likelihood": .double(m.logLikelihood), "agreement_with_dawid_skene": agreementWithDS(m.labels)]
            e.set("last_relative_change", m.relativeChange)
            if let gold { e.set("accuracy", accuracy(m.labels, gold: gold)) }
            models["one_coin_dawid_skene"] = .object(e)
        }
        if let m = glad {
            var e: [String: JSONValue] = ["iterations": .int(m.iterations), "converged": .bool(m.converged),
                                          "last_relative_change": .double(m.lastRelativeChange), "max_iterations": .int(m.options.maxIterations),
                                          "log_posterior": .double(m.logPosterior), "agreement_with_dawid_skene": agreementWithDS(m.labels),
                                          "relative_tolerance": .double(m.options.tolerance), "priors": .string("N(1, 1) on abilities and log-difficulties")]
            if let gold { e.set("accuracy", accuracy(m.labels, gold: gold)) }
            models["glad"] = .object(e)
        }
        if let m = mace {
            var e: [String: JSONValue] = ["restarts": .int(m.options.restarts), "iterations_per_restart": .int(m.options.iterations),
                                          "method": .string(m.options.method.rawValue), "seed": .int(Int(truncatingIfNeeded: m.options.seed)),
                                          "best_restart": .int(m.bestRestart), "restart_log_likelihoods": JSONValue(m.restartLogLikelihoods),
                                          "agreement_with_dawid_skene": agreementWithDS(m.labels)]
            if let gold { e.set("accuracy", accuracy(m.labels, gold: gold)) }
            models["mace"] = .object(e)
        }
        if !models.isEmpty { o["other_models"] = .object(models) }
        o["annotators"] = .array((0..<answers.workerCount).map { v in
            var entry: [String: JSONValue] = [
                "id": .string(answers.workerNames[v]), "labels": .int(annotators.labels[v]),
                "agreement_with_consensus": .double(annotators.agreement[v]),
                "chance_agreement": .double(annotators.chance[v]),
                "estimated_accuracy": .double(dawidSkene.accuracy(ofWorker: v)),
                "flag": annotators.flags[v].map { .string($0.rawValue) } ?? .null,
                "estimated_confusion": .array((0..<k).map { c in
                    JSONValue(Array(dawidSkene.confusion[((v * k + c) * k)..<((v * k + c + 1) * k)])) }),
            ]
            if let why = annotators.undecided[v] { entry["flag_undecided"] = .string(why) }  // "flag" is null: the test cannot tell
            if let trueConfusion, v < trueConfusion.count { entry["true_confusion"] = JSONValue(trueConfusion[v]) }
            if let oneCoin { entry["one_coin_skill"] = .double(oneCoin.skill(ofWorker: v)) }
            if let glad { entry["glad_ability"] = .double(glad.abilities[v]) }
            if let mace { entry["mace_competence"] = .double(mace.competence(ofWorker: v)) }
            return .object(entry)
        })
        return .object(o)
    }
}
