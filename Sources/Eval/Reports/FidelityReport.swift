import Foundation
import Synth
import SynthctlCore

/// Everything `synthctl compare` measures about a synthetic set against a
/// human-labeled one: marginals, joint distances, the k-NN manifold,
/// detectability, usefulness for training and closeness to the training
/// rows — for the whole set and for each class — beside baselines that say
/// what the numbers mean.
///
/// The human set is split, stratified by class and seeded, into a training
/// part (the reference every metric compares with) and a holdout. The
/// holdout is the test set for TSTR/TRTR, the unseen rows for the privacy
/// comparison, and the first baseline: real data against real data, the
/// noise floor no generator can beat at that size. The other baselines are
/// a copy of training rows (perfect fidelity, no privacy) and rows whose
/// features are drawn independently from the holdout's class-conditional
/// marginals (right marginals, broken joint structure). When the
/// synthetic set was generated from all the human rows, the holdout is not
/// unseen by the generator and the privacy numbers understate copying;
/// pass the generator's training rows only.
public struct FidelityReport: Sendable {
    /// 4: categorical columns one-hot in the feature space; column shapes,
    /// column pair trends, integrality, category coverage and unseen
    /// categories; size-dependent metrics (precision, recall, density,
    /// coverage, MMD², KID, the detection AUC and SDMetrics score) at
    /// matched sizes, as the mean over draws; 95% intervals beside the
    /// headline metrics; the verdict.
    /// 5: per class too, precision, recall, density and coverage at matched
    /// sizes (``ClassMatchedSizes``), beside the class's holdout rows'.
    /// 6: KS, Wasserstein, label TV, the correlation differences, Fréchet,
    /// column shapes and column pair trends at matched sizes too
    /// (``MatchedMarginals``); per class, mean KS, Wasserstein and
    /// |Δ correlation|.
    /// 7: the verdict's label-balance finding (``FidelityVerdict/ClassShare``,
    /// `shifted_classes`).
    /// 8: the held-out detection AUC (``DetectionTest/heldOut``) with the
    /// interval, which the verdict tests; the cross-validated AUC without
    /// one; the closer-to-training share no longer reads as copying.
    public static let definitionsVersion = 8

    public struct Parameters: Sendable {
        /// Neighbours for precision/recall/density/coverage.
        public var k = 5
        public var boundary = BallQuery.Boundary.closed
        /// Share of each class's human rows held out.
        public var holdoutFraction = 0.3
        /// Rows per set for the exact unbiased MMD² (a seeded subsample above).
        public var exactMMDRows = 10_000
        /// Pooled rows for the median-distance bandwidth.
        public var bandwidthRows = 1000
        public var kidSubsets = 100
        public var kidSubsetSize = 1000
        public var detectionFolds = 5
        /// Seeded subsamples of the larger side for the size-dependent
        /// metrics (``MatchedSizes``).
        public var sizeDraws = 5
        /// Resamples of the seeded bootstraps (``ConfidenceInterval``).
        public var bootstrapResamples = 1000
        /// The detection test's classifier.
        public var detector = DetectionTest.Detector.gbdt
        /// Told as each of the report's stages finishes (never a result).
        public var progress = WorkProgress.silent
        public var nearCopyQuantile = 0.01
        /// The space the distance-based metrics measure in (``FeatureSpace``).
        public var featureSpace = FeatureSpace.Kind.standardized
        public var baselines = true
        public var perClass = true
        public var seed: UInt64 = 0
        public var threads = Parallel.coreCount
        /// What the run may allocate (checked before it starts).
        public var memory = MemoryBudget.current
        public init() {}
    }

    /// The dominant allocations of a comparison of N human with M synthetic
    /// rows of D features: copies of the rows (training and holdout parts,
    /// the three baselines, sorted columns, per-class subsets; one more in
    /// the standardized feature space), the k-nearest
    /// neighbour radii and lists of both sets, and the KID and exact-MMD
    /// subsamples. The pairwise distances themselves are tiled and never held.
    public static func memoryEstimate(humanRows n: Int, syntheticRows m: Int, features d: Int, parameters p: Parameters) -> MemoryEstimate {
        let rows = MemoryEstimate.sum([n, m])
        var e = MemoryEstimate()
        // The standardized feature space keeps the rows in the columns' units beside them.
        let copies = p.featureSpace == .raw ? 8 : 9
        e.add("copies of the rows (\(copies) × (\(n) + \(m)) rows × \(d) features × 4 bytes)", copies, rows, d, 4)
        e.add("neighbour radii and lists ((\(n) + \(m)) rows × \(p.k) neighbours × 16 bytes)", rows, p.k, 16, parameter: "k")
        // One set's k-NN search at a time: per worker, float candidate
        // lists (k + 4 slots of 8 bytes), exact fallback lists (k × 12
        // bytes) and 17 bytes of per-row state (CandidateNeighbourLists).
        let workers = max(1, min(p.threads, (max(n, m) + PairwiseDistances.queryBlock - 1) / PairwiseDistances.queryBlock))
        e.add("k-NN candidate lists (\(workers) workers × \(max(n, m)) rows × (\(p.k + 4) × 8 + \(p.k) × 12 + 17) bytes)",
              workers, max(n, m), (p.k + 4) * 8 + p.k * 12 + 17, parameter: "k")
        e.add("KID subsets (2 × \(p.kidSubsetSize) rows × \(d) features × 4 bytes × 4)", 2, p.kidSubsetSize, d, 16)
        e.add("exact-MMD subsamples (2 × min(rows, \(p.exactMMDRows)) × \(d) features × 4 bytes)",
              2, min(rows, p.exactMMDRows), d, 4, parameter: "exactMMDRows")
        if p.sizeDraws > 0 {
            // MatchedMarginals.Reference: the training rows' sorted columns
            // and prepared pair columns, held while the draws are measured.
            e.add("matched marginals' sorted training columns and prepared pairs (\(n) rows × \(d) features × (2 × 8 + 4) bytes)",
                  n, d, 20, parameter: "sizeDraws")
        }
        return e
    }

    /// One candidate set against the human training rows.
    public struct Comparison: Sendable {
        public let name: String
        public let rows: Int
        public let marginals: MarginalMetrics
        public let mmd2: Double
        /// See ``KernelMetrics/Estimate``.
        public let mmd2RoundingBound: Double
        public let mmdRows: (reference: Int, candidate: Int)
        public let mmd2Linear: Double
        public let kid: KernelMetrics.KID
        public let frechet: FrechetDistance?
        /// Why there is no Fréchet distance, when there is none.
        public let frechetProblem: String?
        public let manifold: ManifoldMetrics
        public let detection: DetectionTest
        public let privacy: PrivacyMetrics
        /// The RBF bandwidth the kernel statistics used (the report's).
        public let bandwidth: Double
        /// The values of the metrics that compute their own
        /// (``FidelityMetric/Computation``), keyed by ``FidelityMetric/id``.
        public let computedMetrics: [String: FidelityMetric.Computed]
        /// The size-dependent metrics at the matched size
        /// (``FidelityReport/matchedSizes``), keyed by ``FidelityMetric/id``.
        public internal(set) var matched: [String: MatchedSizes.Drawn] = [:]
        /// The 95% interval of each headline metric that has one, keyed by
        /// ``FidelityMetric/id`` (``ConfidenceInterval``).
        public internal(set) var intervals: [String: ConfidenceInterval] = [:]
    }

    /// One class, where both sets have it.
    public struct ClassComparison: Sendable {
        public let classIndex: Int
        public let humanRows: Int
        public let syntheticRows: Int
        public let manifold: ManifoldMetrics?
        public let meanKS: Double?
        public let meanWasserstein: Double?
        public let meanAbsoluteCorrelationDifference: Double?
        public let mmd2: Double?
        public let mmd2RoundingBound: Double?
        public let frechet: FrechetDistance?
        public let frechetProblem: String?
        public let detection: DetectionTest?
        /// Median DCR of the class's synthetic rows over its holdout rows'
        /// (see ``PrivacyMetrics/medianRatio``); undefined without holdout rows.
        public let medianDCRRatio: MetricValue?
        /// Synthetic rows of the class that copy a human training row exactly.
        public let exactCopyShare: Double?
        /// Why the metrics needing k + 1 rows on each side are absent.
        public let problem: String?
        /// The RBF bandwidth the kernel statistics used (the report's).
        public let bandwidth: Double
        /// The values of the per-class metrics that compute their own
        /// (``FidelityMetric/Computation``), keyed by ``FidelityMetric/id``;
        /// empty for a class not compared.
        public let computedMetrics: [String: FidelityMetric.Computed]
        /// Precision, recall, density, coverage and the marginal statistics
        /// at the class's matched size, beside its holdout rows' (``ClassMatchedSizes``); nil for
        /// a class not compared or with 0 size draws (values on all rows).
        public internal(set) var matchedSizes: ClassMatchedSizes? = nil
    }

    public let humanSource: String
    /// The holdout's file when the human set was given in two parts
    /// (``init(given:synthetic:parameters:)``; ``humanSource`` is then the
    /// training part's), nil when the report drew its own holdout.
    public let humanHoldoutSource: String?
    public let syntheticSource: String
    public let parameters: Parameters
    public let classNames: [String]
    public let featureCount: Int
    public let humanRows: Int
    public let trainingRows: Int
    public let holdoutRows: Int
    /// The human set's rows held out (ascending; with a given holdout, the
    /// joined set's, ``GivenHoldout``): what ``FittedRowsOverlap`` checks.
    public let heldOutRows: [Int]
    public let bandwidth: Double
    /// The matched size of the size-dependent metrics and how it was reached.
    public let matchedSizes: MatchedSizes
    /// The space the distances, marginals, kernels and the detector were
    /// measured in, fitted on the human training rows. Boundary adherence
    /// and the metrics' own computations see the columns' units; utility's
    /// classifier standardizes on its own training rows.
    public let featureSpace: FeatureSpace
    /// The human set's column names, in the features' order.
    public let featureNames: [String]
    /// The categorical feature columns, matched across the two sets and
    /// one-hot encoded in the feature space (``OneHotEncoding``); not
    /// counted in ``featureCount``.
    public let categoricalColumns: [CategoricalFeatures.Column]
    /// Per categorical column, how many categories the human training rows
    /// have: what category coverage and unseen categories count against.
    public let trainingCategoryCounts: [Int]
    /// Classes the holdout has and the training rows do not (a given
    /// holdout's): their rows are left out of utility (TSTR/TRTR), which
    /// no model trained on the training rows could score on them.
    public let holdoutOnlyClasses: [String]
    /// Classes the human training rows have and the synthetic set has no
    /// row of, with their training rows, in class order: the verdict names
    /// them (``FidelityVerdict``), since a class with no synthetic rows
    /// has no per-class detection AUC to flag it.
    public let missingSyntheticClasses: [(name: String, trainingRows: Int)]
    /// Rows of each class (``classNames``' order) in the human training
    /// rows and in the synthetic set: the verdict's label-balance test.
    public let trainingClassCounts: [Int]
    public let syntheticClassCounts: [Int]
    /// Per categorical column with some, the categories the holdout has and
    /// the training rows do not (a rare category can fall in the holdout only).
    public let holdoutOnlyCategories: [(column: String, categories: [String])]
    public let synthetic: Comparison
    public let utility: UtilityMetrics
    public let baselines: [Comparison]
    public let perClass: [ClassComparison]
    /// What the compare page draws: the synthetic set's marginals and pair
    /// differences against the human training rows (``ComparisonCharts``).
    public let charts: ComparisonCharts
    public let timings: [(stage: String, seconds: Double)]

    /// The human set split as ``split(labels:classes:fraction:seed:)`` draws it.
    public init(human: LabeledFeatures, synthetic: LabeledFeatures, parameters p: Parameters = Parameters()) throws {
        try self.init(human: human, given: nil, synthetic: synthetic, parameters: p)
    }

    /// The human set given in two parts (``GivenHoldout``: `synthctl split`'s
    /// training part and holdout): the training part plays the training
    /// rows everywhere (the feature space is fitted on it), the holdout the
    /// held-out rows (TSTR/TRTR's test set, privacy's unseen rows, the
    /// human baseline); `holdoutFraction` is not used.
    public init(given parts: GivenHoldout, synthetic: LabeledFeatures, parameters p: Parameters = Parameters()) throws {
        try self.init(human: parts.joined, given: parts, synthetic: synthetic, parameters: p)
    }

    private init(human: LabeledFeatures, given: GivenHoldout?, synthetic: LabeledFeatures, parameters p: Parameters) throws {
        let aligned = try ClassAlignment(human: human, synthetic: synthetic)
        let categorical = try CategoricalFeatures(human: human, synthetic: synthetic)
        if !categorical.isEmpty && p.featureSpace == .raw {
            throw InputError(file: human.source, expected: "numeric feature columns in the raw feature space (categorical columns have no units to keep; the standardized space one-hot encodes them)",
                             found: "categorical columns \(NameList.describe(categorical.columns.map(\.name)))")
        }
        // One-hot columns widen every copy of the rows in the feature space.
        try p.memory.check(Self.memoryEstimate(humanRows: aligned.humanFeatures.rows, syntheticRows: aligned.syntheticFeatures.rows,
                                               features: aligned.humanFeatures.columns + categorical.categoryCounts.reduce(0, +), parameters: p),
                           subject: "\(human.source) and \(synthetic.source)")
        var stopwatch = Stopwatch()
        // The steps that report progress: the human rows' lap, five per
        // comparison (marginals, kernels, manifold, detection, distances:
        // each can take minutes on 20k × 384), utility, one per class.
        let perComparison = 5
        let stages = 1 + perComparison + 1 + (p.baselines ? 3 * perComparison : 0) + (p.perClass ? aligned.classNames.count : 0)
        let k = p.k, classes = aligned.classNames.count
        let (train, holdout) = given.map { ($0.train, $0.holdout) }
            ?? Self.split(labels: aligned.humanLabels, classes: classes, fraction: p.holdoutFraction, seed: p.seed)
        if let given, holdout.count <= k {
            throw InputError(file: given.holdoutSource, expected: "a holdout of more than k = \(k) rows", found: "\(holdout.count) rows")
        }
        guard train.count > k, holdout.count > k else {
            throw InputError(file: human.source, expected: "enough human rows for a training part and a holdout of more than k = \(k) rows each (holdout fraction \(p.holdoutFraction))",
                             found: "\(aligned.humanLabels.count) rows")
        }
        guard aligned.syntheticFeatures.rows > k else {
            throw InputError(file: synthetic.source, expected: "more than k = \(k) synthetic rows", found: "\(aligned.syntheticFeatures.rows)")
        }
        // The training rows, which TRTR trains on: a given holdout's classes cannot stand in for a one-class training part.
        try TrainingClasses.requireTwo(train.map { aligned.humanLabels[$0] }, classNames: aligned.classNames, source: human.source,
                                       purpose: "the TSTR/TRTR utility trains a classifier on them")
        let h = aligned.humanFeatures
        // In the columns' units: what boundary adherence, the metrics' own
        // computations and utility see.
        let rawTrainX = h.gatheringRows(train), rawHoldoutX = h.gatheringRows(holdout), rawS = aligned.syntheticFeatures
        // Every other metric measures in the space fitted on the training rows.
        let space = FeatureSpace(p.featureSpace, fittedOn: rawTrainX)
        let trainX = space.apply(rawTrainX), holdoutX = space.apply(rawHoldoutX)
        let trainY = train.map { aligned.humanLabels[$0] }, holdoutY = holdout.map { aligned.humanLabels[$0] }
        let s = space.apply(rawS), sY = aligned.syntheticLabels
        let threads = p.threads
        // Categorical columns: codes per row of each part, and the feature
        // space with their one-hot columns (``OneHotEncoding``), which every
        // metric but the marginals measures in; without categorical columns
        // it is the numeric space itself.
        let trainCodes = CategoricalFeatures.gathering(categorical.human, rows: train)
        let holdoutCodes = CategoricalFeatures.gathering(categorical.human, rows: holdout)
        // What the holdout has and the training rows do not: classes, and categories per column.
        var trainingClasses = [Bool](repeating: false, count: classes)
        for y in trainY { trainingClasses[Int(y)] = true }
        let holdoutOnlyClasses = (0..<classes).filter { c in !trainingClasses[c] && holdoutY.contains(Int32(c)) }.map { aligned.classNames[$0] }
        var trainingCounts = [Int](repeating: 0, count: classes), syntheticCounts = trainingCounts
        for y in trainY { trainingCounts[Int(y)] += 1 }
        for y in aligned.syntheticLabels { syntheticCounts[Int(y)] += 1 }
        let missingSyntheticClasses = (0..<classes).filter { trainingCounts[$0] > 0 && syntheticCounts[$0] == 0 }
            .map { (name: aligned.classNames[$0], trainingRows: trainingCounts[$0]) }
        var trainingCategoryCounts = [Int](), holdoutOnlyCategories = [(column: String, categories: [String])]()
        for (k, column) in categorical.columns.enumerated() {
            var inTraining = [Bool](repeating: false, count: column.categories.count), inHoldout = inTraining
            for v in trainCodes[k] where v >= 0 { inTraining[Int(v)] = true }
            for v in holdoutCodes[k] where v >= 0 { inHoldout[Int(v)] = true }
            trainingCategoryCounts.append(inTraining.filter { $0 }.count)
            let only = column.categories.indices.filter { inHoldout[$0] && !inTraining[$0] }.map { column.categories[$0] }
            if !only.isEmpty { holdoutOnlyCategories.append((column.name, only)) }
        }
        func encoded(_ x: Matrix, _ codes: [[Int32]]) -> Matrix {
            OneHotEncoding.appending(x, codes: codes, categoryCounts: categorical.categoryCounts)
        }
        let booleanColumns = Set(human.featureNames.indices.filter { human.schema?[human.featureNames[$0]]?.type == .boolean })
        func sets(_ reference: Matrix, _ referenceCodes: [[Int32]], _ candidate: Matrix, _ candidateCodes: [[Int32]]) -> FidelityMetric.ComparedSets {
            .init(reference: reference, candidate: candidate, threads: threads, featureNames: human.featureNames,
                  categoricalColumns: categorical.columns, referenceCodes: referenceCodes, candidateCodes: candidateCodes,
                  booleanColumns: booleanColumns)
        }
        let trainE = encoded(trainX, trainCodes), holdoutE = encoded(holdoutX, holdoutCodes)

        let trainRadii = ManifoldMetrics.Radii(of: trainE, k: k, threads: threads)
        let trainMoments = Moments(trainX)
        let trainEMoments = categorical.isEmpty ? trainMoments : Moments(trainE)
        let holdoutToTraining = BallQuery.run(PairwiseDistances(queries: holdoutE, references: trainE),
                                              boundary: p.boundary, threads: threads).nearestSquaredDistance.map { $0.squareRoot() }
        let bandwidth = KernelMetrics.medianBandwidth(trainE, encoded(s, categorical.synthetic), sampleRows: p.bandwidthRows, seed: p.seed, threads: threads)
        let mmdTrainRows = FidelityStreams.subsample(trainX.rows, count: p.exactMMDRows, seed: p.seed, FidelityStreams.exactMMDSubsampleReal)
        let mmdTrainX = trainE.gatheringRows(mmdTrainRows)
        // What every comparison measures the training rows by, computed once.
        let trainSelfKernel = KernelMetrics.selfKernelSum(mmdTrainX, bandwidth: bandwidth, threads: threads)
        let trainKID = KernelMetrics.kidSelfSums(trainE, subsets: p.kidSubsets, subsetSize: p.kidSubsetSize, seed: p.seed, threads: threads)
        let trainSorted = MarginalMetrics.sortedColumns(trainX, threads: threads)
        let trainOrder = FidelityStreams.permutation(trainX.rows, seed: p.seed, FidelityStreams.linearMMDOrderReal)
        stopwatch.lap("human radii, moments and holdout distances"); p.progress.step("compare", of: stages)

        /// `c` in the feature space (numeric columns), `rawC` the same rows in
        /// the columns' units, `codes` their categorical columns.
        func compare(_ name: String, _ numeric: Matrix, raw rawC: Matrix, codes: [[Int32]], _ cY: [Int32], againstHoldout: Bool) -> Comparison {
            let c = encoded(numeric, codes)
            let moments = Moments(numeric)
            let marginals = MarginalMetrics(trainX, numeric, labelsA: trainY, labelsB: cY, classes: classes,
                                            momentsA: trainMoments, momentsB: moments, sortedA: trainSorted, threads: threads)
            var frechet: FrechetDistance? = nil, problem: String? = nil
            do { frechet = try FrechetDistance(trainEMoments, categorical.isEmpty ? moments : Moments(c)) } catch { problem = "\(error)" }
            p.progress.step("compare", of: stages)
            let cRows = FidelityStreams.subsample(c.rows, count: p.exactMMDRows, seed: p.seed, FidelityStreams.exactMMDSubsampleSynthetic)
            let mmd = KernelMetrics.unbiasedMMD2(mmdTrainX, c.gatheringRows(cRows), bandwidth: bandwidth, xSelfSum: trainSelfKernel,
                                                 threads: threads)
            let linear = KernelMetrics.linearTimeMMD2(trainE, c, bandwidth: bandwidth, orderX: trainOrder,
                                                      orderY: FidelityStreams.permutation(c.rows, seed: p.seed, FidelityStreams.linearMMDOrderSynthetic))
            let kid = KernelMetrics.kid(trainE, c, subsets: p.kidSubsets, subsetSize: p.kidSubsetSize, seed: p.seed, threads: threads,
                                        selfSums: trainKID)
            p.progress.step("compare", of: stages)
            let manifold = ManifoldMetrics(real: trainE, synthetic: c, k: k, boundary: p.boundary, realRadii: trainRadii, threads: threads)
            p.progress.step("compare", of: stages)
            let detection = DetectionTest(real: trainE, synthetic: c, realClasses: trainY, syntheticClasses: cY, classes: classes,
                                          folds: p.detectionFolds, detector: p.detector,
                                          seed: p.seed ^ UInt64(FidelityStreams.detectionFolds), threads: threads)
            p.progress.step("compare", of: stages)
            let toHoldout = againstHoldout
                ? BallQuery.run(PairwiseDistances(queries: c, references: holdoutE), boundary: p.boundary, threads: threads)
                : nil
            let privacy = PrivacyMetrics(syntheticToTraining: manifold.nearestRealDistance, holdoutToTraining: holdoutToTraining,
                                         syntheticToHoldout: toHoldout?.nearestSquaredDistance.map { $0.squareRoot() },
                                         trainingTies: manifold.nearestRealTies, holdoutTies: toHoldout?.nearestTies,
                                         trainingRows: trainX.rows, nearCopyQuantile: p.nearCopyQuantile)
            defer { p.progress.step("compare", of: stages) }
            return Comparison(name: name, rows: c.rows, marginals: marginals, mmd2: mmd.value, mmd2RoundingBound: mmd.roundingBound,
                              mmdRows: (mmdTrainX.rows, cRows.count), mmd2Linear: linear, kid: kid,
                              frechet: frechet, frechetProblem: problem, manifold: manifold, detection: detection, privacy: privacy,
                              bandwidth: bandwidth,
                              computedMetrics: FidelityMetric.computeAll(sets(rawTrainX, trainCodes, rawC, codes)))
        }

        var main = compare("synthetic", s, raw: rawS, codes: categorical.synthetic, sY, againstHoldout: true)
        // The pairs are the ones the JSON lists (every whole-set computation has run on `main`).
        let chartSets = sets(rawTrainX, trainCodes, rawS, categorical.synthetic)
        let charts = ComparisonCharts(chartSets, pairs: main.computedMetrics[FidelityMetric.columnPairTrends.id]?.columnPairs
                                          ?? ColumnPairTrends(chartSets))
        stopwatch.lap("synthetic against human")
        // A class the training rows lack (a given holdout's) cannot be learned
        // by TRTR: its rows are left out of utility's test rows, for both models.
        let utilityRows = holdoutY.indices.filter { trainingClasses[Int(holdoutY[$0])] }
        let utility = utilityRows.count == holdoutY.count
            ? UtilityMetrics(realTrain: rawTrainX, realTrainLabels: trainY, synthetic: rawS, syntheticLabels: sY,
                             test: rawHoldoutX, testLabels: holdoutY, classes: classes)
            : UtilityMetrics(realTrain: rawTrainX, realTrainLabels: trainY, synthetic: rawS, syntheticLabels: sY,
                             test: rawHoldoutX.gatheringRows(utilityRows), testLabels: utilityRows.map { holdoutY[$0] }, classes: classes)
        stopwatch.lap("utility (TSTR, TRTR)"); p.progress.step("compare", of: stages)

        var baselines = [Comparison]()
        // Each baseline's rows in every form the matched sizes read.
        var baselineSets = [MatchedMarginals.Rows]()
        if p.baselines {
            baselines.append(compare("human_holdout", holdoutX, raw: rawHoldoutX, codes: holdoutCodes, holdoutY, againstHoldout: false))
            let copyRows = Self.copyBaselineRows(trainLabels: trainY, holdoutLabels: holdoutY, classes: classes, seed: p.seed)
            let copy = trainX.gatheringRows(copyRows), copyY = copyRows.map { trainY[$0] }
            let copyCodes = CategoricalFeatures.gathering(trainCodes, rows: copyRows)
            baselines.append(compare("copy_of_training_rows", copy, raw: rawTrainX.gatheringRows(copyRows), codes: copyCodes, copyY,
                                     againstHoldout: true))
            // Drawn in the columns' units, then transformed: the same draws, value for value.
            let independent = Self.independentMarginals(rawHoldoutX, labels: holdoutY, classes: classes, seed: p.seed)
            let independentCodes = Self.independentCategories(holdoutCodes, labels: holdoutY, classes: classes, after: rawHoldoutX.columns, seed: p.seed)
            let independentX = space.apply(independent)
            baselines.append(compare("independent_marginals", independentX, raw: independent, codes: independentCodes, holdoutY,
                                     againstHoldout: true))
            baselineSets = [
                .init(numeric: holdoutX, encoded: holdoutE, raw: rawHoldoutX, codes: holdoutCodes, labels: holdoutY),
                .init(numeric: copy, encoded: encoded(copy, copyCodes), raw: rawTrainX.gatheringRows(copyRows), codes: copyCodes, labels: copyY),
                .init(numeric: independentX, encoded: encoded(independentX, independentCodes), raw: independent, codes: independentCodes,
                      labels: holdoutY),
            ]
            stopwatch.lap("baselines")
        }

        // The size-dependent metrics with both sides at the same size (``MatchedSizes``).
        let matched = MatchedSizes(syntheticRows: s.rows, holdoutRows: holdoutX.rows, draws: p.sizeDraws)
        let subsampling = matched.subsampled == .synthetic || (matched.subsampled == .baselines && !baselineSets.isEmpty)
        // Built only when some side is subsampled: its sorted columns and prepared pairs are a copy of the training rows.
        let reference = !subsampling ? nil : MatchedSizes.Reference(
            rows: trainE, labels: trainY, classes: classes, radii: trainRadii, mmdRows: mmdTrainX,
            selfKernel: trainSelfKernel, kidSelfSums: trainKID, bandwidth: bandwidth, parameters: p,
            marginals: MatchedMarginals.Reference(numeric: trainX, labels: trainY, classes: classes, sorted: trainSorted, moments: trainMoments,
                                                  encodedMoments: trainEMoments, sets: sets(rawTrainX, trainCodes, rawTrainX, trainCodes)))
        if let reference, matched.subsampled == .synthetic {
            main.matched = reference.drawn(.init(numeric: s, encoded: encoded(s, categorical.synthetic), raw: rawS, codes: categorical.synthetic,
                                                 labels: sY), size: matched.size, draws: matched.draws)
        } else if matched.subsampled != .allRows {
            main.matched = MatchedSizes.once(main)
        }
        for (i, set) in baselineSets.enumerated() where matched.subsampled != .allRows {
            if let reference, matched.subsampled == .baselines {
                baselines[i].matched = reference.drawn(set, size: matched.size, draws: matched.draws)
            } else {
                baselines[i].matched = MatchedSizes.once(baselines[i])
            }
        }
        main.intervals = Self.intervals(main, utility: utility, matched: matched, trainingRows: trainX.rows, parameters: p)
        for i in baselines.indices {
            baselines[i].intervals = Self.intervals(baselines[i], utility: nil, matched: matched, trainingRows: trainX.rows, parameters: p)
        }
        stopwatch.lap("matched sizes and intervals")

        var perClass = [ClassComparison]()
        if p.perClass {
            let trainMembers = rowsByClass(trainY, classes: classes), syntheticMembers = rowsByClass(sY, classes: classes)
            let holdoutMembers = rowsByClass(holdoutY, classes: classes)
            let stratum = FirstAppearanceClasses(labels: trainY, classes: classes).canonical
            for c in 0..<classes {
                defer { p.progress.step("compare", of: stages) }
                let hRows = trainMembers[c], sRows = syntheticMembers[c]
                guard !hRows.isEmpty || !sRows.isEmpty else { continue }
                guard hRows.count > k, sRows.count > k else {
                    perClass.append(ClassComparison(
                        classIndex: c, humanRows: hRows.count, syntheticRows: sRows.count, manifold: nil, meanKS: nil,
                        meanWasserstein: nil, meanAbsoluteCorrelationDifference: nil, mmd2: nil, mmd2RoundingBound: nil,
                        frechet: nil, frechetProblem: nil, detection: nil, medianDCRRatio: nil, exactCopyShare: nil,
                        problem: sRows.isEmpty ? "missing from the synthetic set" : hRows.isEmpty ? "missing from the human training rows"
                            : "fewer than k + 1 = \(k + 1) rows on one side", bandwidth: bandwidth, computedMetrics: [:]))
                    continue
                }
                let hc = trainX.gatheringRows(hRows), sc = s.gatheringRows(sRows)
                let hCodes = CategoricalFeatures.gathering(trainCodes, rows: hRows), sCodes = CategoricalFeatures.gathering(categorical.synthetic, rows: sRows)
                // The marginals see the numeric columns; every other metric the one-hot ones too.
                let hcE = encoded(hc, hCodes), scE = encoded(sc, sCodes)
                // What the per-class metrics are computed from, and only that
                // (``FidelityMetric/perClassMeasurements``).
                let needs = FidelityMetric.perClassMeasurements
                let moments = needs.contains(.marginals) || needs.contains(.frechet) ? (Moments(hc), Moments(sc)) : nil
                let marginals = needs.contains(.marginals) ? moments.map {
                    MarginalMetrics(hc, sc, labelsA: [], labelsB: [], classes: 0, momentsA: $0.0, momentsB: $0.1, threads: threads)
                } : nil
                var frechet: FrechetDistance? = nil, problem: String? = nil
                if needs.contains(.frechet), let (hm, sm) = moments {
                    do { frechet = try categorical.isEmpty ? FrechetDistance(hm, sm) : FrechetDistance(Moments(hcE), Moments(scE)) } catch { problem = "\(error)" }
                }
                let mmd = needs.contains(.kernel) ? KernelMetrics.unbiasedMMD2(
                    hcE.gatheringRows(FidelityStreams.subsample(hc.rows, count: p.exactMMDRows, seed: p.seed, FidelityStreams.exactMMDSubsampleReal)),
                    scE.gatheringRows(FidelityStreams.subsample(sc.rows, count: p.exactMMDRows, seed: p.seed, FidelityStreams.exactMMDSubsampleSynthetic)),
                    bandwidth: bandwidth, threads: threads) : nil
                let detection = needs.contains(.detection) ? DetectionTest(real: hcE, synthetic: scE, folds: p.detectionFolds, detector: p.detector,
                                                                           seed: p.seed ^ UInt64(FidelityStreams.detectionFolds), threads: threads) : nil
                // The class's training radii, computed once: for every row
                // of the class and for each matched-size draw.
                let radii = needs.contains(.manifold) ? ManifoldMetrics.Radii(of: hcE, k: k, threads: threads) : nil
                let manifold = radii.map { ManifoldMetrics(real: hcE, synthetic: scE, k: k, boundary: p.boundary, realRadii: $0, threads: threads) }
                var ratio: MetricValue? = nil, exactCopyShare: Double? = nil
                if needs.contains(.privacy) {
                    let syntheticDCR = sRows.map { main.manifold.nearestRealDistance[$0] }
                    let holdoutDCR = holdoutMembers[c].map { holdoutToTraining[$0] }
                    ratio = holdoutDCR.isEmpty ? MetricValue.undefined("the class has no human holdout rows to compare distances with")
                        : PrivacyMetrics.medianRatio(linearQuantile(sorted: syntheticDCR.sorted(), 0.5), linearQuantile(sorted: holdoutDCR.sorted(), 0.5))
                    exactCopyShare = Double(syntheticDCR.lazy.filter { $0 == 0 }.count) / Double(sRows.count)
                }
                var compared = ClassComparison(
                    classIndex: c, humanRows: hc.rows, syntheticRows: sc.rows, manifold: manifold,
                    meanKS: marginals?.meanKS, meanWasserstein: marginals?.meanWasserstein,
                    meanAbsoluteCorrelationDifference: marginals?.meanAbsoluteCorrelationDifference,
                    mmd2: mmd?.value, mmd2RoundingBound: mmd?.roundingBound, frechet: frechet, frechetProblem: problem, detection: detection,
                    medianDCRRatio: ratio, exactCopyShare: exactCopyShare,
                    problem: nil, bandwidth: bandwidth,
                    computedMetrics: FidelityMetric.computeAll(sets(rawTrainX.gatheringRows(hRows), hCodes, rawS.gatheringRows(sRows), sCodes),
                                                               perClass: true))
                if p.sizeDraws > 0, let radii, let manifold {
                    compared.matchedSizes = ClassMatchedSizes(reference: hcE, radii: radii, synthetic: scE, holdout: holdoutE.gatheringRows(holdoutMembers[c]),
                                                              numeric: (hc, sc, holdoutX.gatheringRows(holdoutMembers[c])),
                                                              syntheticOnAllRows: manifold, stratum: stratum[c], draws: p.sizeDraws, parameters: p)
                }
                perClass.append(compared)
            }
            stopwatch.lap("per class")
        }

        humanSource = human.source
        humanHoldoutSource = given?.holdoutSource
        syntheticSource = synthetic.source
        parameters = p
        classNames = aligned.classNames
        featureCount = h.columns
        humanRows = h.rows
        trainingRows = train.count
        holdoutRows = holdout.count
        heldOutRows = holdout
        self.bandwidth = bandwidth
        matchedSizes = matched
        featureSpace = space
        featureNames = human.featureNames
        categoricalColumns = categorical.columns
        self.trainingCategoryCounts = trainingCategoryCounts
        self.holdoutOnlyClasses = holdoutOnlyClasses
        self.missingSyntheticClasses = missingSyntheticClasses
        self.trainingClassCounts = trainingCounts
        self.syntheticClassCounts = syntheticCounts
        self.holdoutOnlyCategories = holdoutOnlyCategories
        self.synthetic = main
        self.charts = charts
        self.utility = utility
        self.baselines = baselines
        self.perClass = perClass
        timings = stopwatch.laps
    }

    /// Stratified seeded split: in each class, a seeded permutation of its
    /// rows; the first round(fraction·n) go to the holdout, keeping at least
    /// one row of the class in the training part. Both lists ascend. Each
    /// class's permutation is stream row n, n its number by first
    /// appearance in the rows (``FirstAppearanceClasses``): the same rows
    /// are held out whatever the order of the class names.
    public static func split(labels: [Int32], classes: Int, fraction: Double, seed: UInt64) -> (train: [Int], holdout: [Int]) {
        let members = rowsByClass(labels, classes: classes)
        let stratum = FirstAppearanceClasses(labels: labels, classes: classes).canonical
        var isHoldout = [Bool](repeating: false, count: labels.count)
        for c in 0..<classes where members[c].count > 1 {
            let n = members[c].count
            let take = min(Int((fraction * Double(n)).rounded()), n - 1)
            let order = FidelityStreams.shuffled(members[c], seed: seed, FidelityStreams.holdoutSplit, row: UInt64(stratum[c]))
            for t in 0..<take { isHoldout[order[t]] = true }
        }
        return (labels.indices.filter { !isHoldout[$0] }, labels.indices.filter { isHoldout[$0] })
    }

    /// The training rows the `copy_of_training_rows` baseline copies:
    /// stratified like the holdout, as many rows of each class as the
    /// holdout has (all of the class's training rows if fewer), drawn
    /// without replacement in a seeded order per class, in increasing row
    /// order. An unstratified draw would give the copy a class balance the
    /// holdout does not have (a label TV of 0.024 where the stratified
    /// holdout had less), making the "perfect fidelity" column worse than
    /// the floor on the labels. Each class's order is stream row n, n its
    /// number by first appearance in the training rows, as in ``split(labels:classes:fraction:seed:)``.
    static func copyBaselineRows(trainLabels: [Int32], holdoutLabels: [Int32], classes: Int, seed: UInt64) -> [Int] {
        let members = rowsByClass(trainLabels, classes: classes), holdoutMembers = rowsByClass(holdoutLabels, classes: classes)
        let stratum = FirstAppearanceClasses(labels: trainLabels, classes: classes).canonical
        var rows = [Int]()
        for c in 0..<classes {
            let order = FidelityStreams.shuffled(members[c], seed: seed, FidelityStreams.copyBaseline, row: UInt64(stratum[c]))
            rows += order.prefix(holdoutMembers[c].count)
        }
        return rows.sorted()
    }

    /// Row r keeps its class c, and each of its features is drawn on its
    /// own, with replacement, from the values that feature takes in class
    /// c's rows: the class-conditional marginals are right and the
    /// dependence between features is gone. Drawing with replacement (not
    /// permuting) keeps the rows independent of each other: a permutation
    /// fixes each class's column means, and a detector cross-validated on
    /// such rows learns them backwards.
    static func independentMarginals(_ x: Matrix, labels: [Int32], classes: Int, seed: UInt64) -> Matrix {
        let members = rowsByClass(labels, classes: classes)
        var out = x
        let stream = FidelityStreams.stream(seed: seed, FidelityStreams.independentMarginals)
        for r in 0..<x.rows {
            let rows = members[Int(labels[r])]
            for j in 0..<x.columns {
                out[r, j] = x[rows[stream.integer(below: rows.count, row: UInt64(r), draw: UInt32(j))], j]
            }
        }
        return out
    }

    /// The categorical columns of the `independent_marginals` baseline, as
    /// ``independentMarginals(_:labels:classes:seed:)`` draws the numeric
    /// ones: row r's category in column k is drawn with replacement from
    /// the codes column k has in class c's rows, draw `numericColumns + k`
    /// of the same stream, so the numeric draws are unchanged.
    static func independentCategories(_ codes: [[Int32]], labels: [Int32], classes: Int, after numericColumns: Int, seed: UInt64) -> [[Int32]] {
        guard !codes.isEmpty else { return [] }
        let members = rowsByClass(labels, classes: classes)
        let stream = FidelityStreams.stream(seed: seed, FidelityStreams.independentMarginals)
        return codes.enumerated().map { k, column in
            labels.indices.map { r in
                let rows = members[Int(labels[r])]
                return column[rows[stream.integer(below: rows.count, row: UInt64(r), draw: UInt32(numericColumns + k))]]
            }
        }
    }
}
