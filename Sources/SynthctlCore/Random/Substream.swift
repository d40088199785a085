/// Every random substream synthctl draws from, by name: the one table of
/// (purpose, substream ids) pairs.
///
/// A ``RandomStream`` is addressed by (seed, purpose, substream id, row,
/// draw). Two parts of a run that used the same (purpose, id) would draw the
/// same numbers, correlated without anyone noticing: a new generator could
/// reuse the label noise's or the annotators' draws. So every id is declared
/// here, and `SubstreamTests` checks that no two substreams share one
/// (ranges included).
///
/// Two kinds of exception, both declared:
/// - A substream ``exclusiveTo`` one generator (or one benchmark) may share
///   ids with one exclusive to another: a dataset has one generator, so
///   their draws never meet. Each generator numbers its own structure parts
///   from 1 (below ``noiseTransition``'s 20) and its second per-row stream 1.
/// - Cross-validation's per-class folds (ids 0 up to the class count) predate
///   this table and overlap the row order, majority vote's ties and MACE's
///   restarts; they keep their ids so outputs stay byte-identical, and the
///   test lists exactly these overlaps, so any new one fails.
///
/// The ids are part of the format: changing one changes the bytes a seed
/// gives. Add a substream as a new case with fresh ids; never renumber.
public enum Substream: CaseIterable, Sendable, Hashable {
    // MARK: Generators' structure (purpose .structure, ids 1–19 per generator)

    /// Blobs: the centres' coordinates, uniform in the centre box.
    case blobsCentres
    /// Classification (scikit-learn's make_classification): which hypercube
    /// vertices become cluster centroids.
    case classificationVertices
    /// Classification: each cluster's d × d mixing matrix, uniform in [−1, 1].
    case classificationMixing
    /// Classification: the informative-to-redundant map, uniform in [−1, 1].
    case classificationRedundantMap
    /// Classification: which columns the repeated features copy.
    case classificationRepeatedSources
    /// Classification: the per-feature shift when `shift` is "random".
    case classificationShift
    /// Classification: the per-feature scale when `scale` is "random".
    case classificationScale
    /// Classification: the output column order when shuffling.
    case classificationColumnOrder
    /// Classification without the hypercube: each centroid's scale factor.
    case classificationCentroidScale
    /// Classification without the hypercube: each centroid coordinate's factor.
    case classificationCentroidCoordinates
    /// Embedding: the superclass centres (normal).
    case embeddingSuperclassCentres
    /// Embedding: each class's offset from its superclass centre (normal).
    case embeddingClassOffsets
    /// Embedding: each superclass's low-rank basis (normal).
    case embeddingBases
    /// Embedding: each class's latent scales, uniform in [0.5, 1.5].
    case embeddingLatentScales
    /// Multilabel: the labels' prior probabilities.
    case multilabelPrior
    /// Multilabel: each label's word weights.
    case multilabelWordWeights
    /// Regression: which columns are informative (a permutation).
    case regressionInformativeColumns
    /// Regression: the informative coefficients, 100 × uniform.
    case regressionCoefficients
    /// Regression with an effective rank: the Gaussian matrix whose
    /// orthogonal factor mixes the features.
    case regressionMixing

    // MARK: Shared structure (purpose .structure)

    /// Label noise "random": the exponential weights of the transition
    /// matrix's off-diagonal entries.
    case noiseTransition
    /// The annotator pool: the order in which profiles are dealt to annotators.
    case annotatorProfiles
    /// The annotator pool: each annotator's accuracy within its profile's range.
    case annotatorAccuracy
    /// The annotator pool: the exponential weights of each confusion row.
    case annotatorConfusionWeights
    /// The annotator pool: the class a systematic annotator confuses each class with.
    case annotatorConfusionTargets
    /// A fitted Gaussian mixture: one k-means++ start per class (id per class index).
    case mixtureStarts
    /// A fitted model's categorical and boolean columns: each human value's
    /// position inside its category's interval (``FittedColumns``; row i,
    /// draw j for column j).
    case categoryPositions

    // MARK: Per-row draws

    /// The generator's per-row draws (purpose .samples, id 0): feature
    /// normals, positions along a curve, multilabel's label sets.
    case rows
    /// Moons and circles: the two noise normals of each point.
    case curveNoise
    /// Regression: the target's residual normals.
    case regressionResidual
    /// A fitted mixture model: which component each row comes from.
    case mixtureComponentChoice
    /// Multilabel: each row's words.
    case multilabelWords
    /// The distance benchmark's two random input matrices (queries, references).
    case distanceBenchmarkInputs
    /// Label noise: which rows flip and to what (purpose .noise).
    case labelNoise
    /// The annotator pool: who labels which item (purpose .annotators).
    case annotatorAssignment
    /// The annotator pool: what each annotator answers.
    case annotatorAnswers

    // MARK: Orders and subsets (purpose .shuffle)

    /// The random-access permutation of a dataset's rows (``IndexPermutation``).
    case rowOrder
    /// Stratified cross-validation: the order of class c's rows (id c, for
    /// classes below 2²⁰).
    case crossValidationClasses
    /// Majority vote's random tie-break.
    case majorityVoteTies
    /// MACE: restart r's starting draw (id 1000 + r, up to 10,000 restarts).
    case maceRestarts
    /// Fidelity: the per-class holdout split of the human rows.
    case fidelityHoldoutSplit
    /// Fidelity: the rows that choose the kernel bandwidth.
    case fidelityBandwidthSample
    /// Fidelity: the exact MMD's subsample of the real rows.
    case fidelityExactMMDReal
    /// Fidelity: the exact MMD's subsample of the synthetic rows.
    case fidelityExactMMDSynthetic
    /// Fidelity: the linear-time MMD's order of the real rows.
    case fidelityLinearMMDReal
    /// Fidelity: the linear-time MMD's order of the synthetic rows.
    case fidelityLinearMMDSynthetic
    /// Fidelity: the per-class split of the copy baseline.
    case fidelityCopyBaseline
    /// Fidelity: not a stream; xored into the seed of the detection
    /// classifier's cross-validation folds.
    case fidelityDetectionFolds
    /// Fidelity: the independent-marginals baseline's draws.
    case fidelityIndependentMarginals
    /// KID: subset s's rows, 2s for the real and 2s + 1 for the synthetic
    /// set, up to 100,000 subsets.
    case kidSubsets
    /// Learning curves: 2·(curve·10⁶ + point·10³ + seed), plus 1 for a
    /// mix's synthetic part; the rest of the id space.
    case learningCurveSubsets
    /// Gradient-boosted trees: the rows the bin thresholds are computed
    /// from, above 200,000 rows.
    case gradientBoostingBinningSubsample
    /// Gradient-boosted trees: the order the early-stopping validation rows
    /// are chosen in.
    case gradientBoostingValidationSplit
    /// Fidelity: matched-size draw d's subsample of the larger side (id
    /// base + d, up to 1,024 draws).
    case fidelityMatchedSizeDraws
    /// Fidelity: the seeded bootstrap's resamples (resample b is row b).
    case fidelityBootstrap
    /// Fidelity: per-class matched-size draws (draw d of the class numbered
    /// s by first appearance shuffles row d·2³² + s).
    case fidelityClassMatchedSizeDraws
    /// Fidelity: not a stream; xored into the detection test's seed for its
    /// held-out split (``DetectionTest/heldOut``), so that the split is not
    /// the cross-validation's folds.
    case fidelityDetectionHeldOutSplit

    /// The purpose (region of Philox's counter space) the ids belong to.
    public var purpose: StreamPurpose {
        switch self {
        case .blobsCentres, .classificationVertices, .classificationMixing, .classificationRedundantMap,
             .classificationRepeatedSources, .classificationShift, .classificationScale, .classificationColumnOrder,
             .classificationCentroidScale, .classificationCentroidCoordinates, .embeddingSuperclassCentres,
             .embeddingClassOffsets, .embeddingBases, .embeddingLatentScales, .multilabelPrior, .multilabelWordWeights,
             .regressionInformativeColumns, .regressionCoefficients, .regressionMixing, .noiseTransition,
             .annotatorProfiles, .annotatorAccuracy, .annotatorConfusionWeights, .annotatorConfusionTargets,
             .mixtureStarts, .categoryPositions:
            return .structure
        case .rows, .curveNoise, .regressionResidual, .mixtureComponentChoice, .multilabelWords, .distanceBenchmarkInputs:
            return .samples
        case .labelNoise:
            return .noise
        case .annotatorAssignment, .annotatorAnswers:
            return .annotators
        case .rowOrder, .crossValidationClasses, .majorityVoteTies, .maceRestarts, .fidelityHoldoutSplit,
             .fidelityBandwidthSample, .fidelityExactMMDReal, .fidelityExactMMDSynthetic, .fidelityLinearMMDReal,
             .fidelityLinearMMDSynthetic, .fidelityCopyBaseline, .fidelityDetectionFolds,
             .fidelityIndependentMarginals, .kidSubsets, .learningCurveSubsets,
             .gradientBoostingBinningSubsample, .gradientBoostingValidationSplit,
             .fidelityMatchedSizeDraws, .fidelityBootstrap, .fidelityClassMatchedSizeDraws, .fidelityDetectionHeldOutSplit:
            return .shuffle
        }
    }

    /// The substream ids: one for a single stream, a range for a family (one
    /// per class, annotator, restart, subset …).
    public var ids: ClosedRange<UInt32> {
        switch self {
        case .blobsCentres: return 1...1
        case .classificationVertices: return 1...1
        case .classificationMixing: return 2...2
        case .classificationRedundantMap: return 3...3
        case .classificationRepeatedSources: return 4...4
        case .classificationShift: return 5...5
        case .classificationScale: return 6...6
        case .classificationColumnOrder: return 7...7
        case .classificationCentroidScale: return 8...8
        case .classificationCentroidCoordinates: return 9...9
        case .embeddingSuperclassCentres: return 1...1
        case .embeddingClassOffsets: return 2...2
        case .embeddingBases: return 3...3
        case .embeddingLatentScales: return 4...4
        case .multilabelPrior: return 1...1
        case .multilabelWordWeights: return 2...2
        case .regressionInformativeColumns: return 1...1
        case .regressionCoefficients: return 2...2
        case .regressionMixing: return 3...3
        case .noiseTransition: return 20...20
        case .annotatorProfiles: return 30...30
        case .annotatorAccuracy: return 31...31
        case .annotatorConfusionWeights: return 32...32
        case .annotatorConfusionTargets: return 33...33
        case .mixtureStarts: return 5000...(5000 + (1 << 20) - 1)
        case .categoryPositions: return 40...40

        case .rows: return 0...0
        case .curveNoise: return 1...1
        case .regressionResidual: return 1...1
        case .mixtureComponentChoice: return 1...1
        case .multilabelWords: return 1...1
        case .distanceBenchmarkInputs: return 1...2
        case .labelNoise: return 0...0
        case .annotatorAssignment: return 0...0
        case .annotatorAnswers: return 1...1

        case .rowOrder: return 0...0
        case .crossValidationClasses: return 0...((1 << 20) - 1)
        case .majorityVoteTies: return 7...7
        case .maceRestarts: return 1000...(1000 + 10_000 - 1)
        case .fidelityHoldoutSplit: return Self.fidelityBase + 1...Self.fidelityBase + 1
        case .fidelityBandwidthSample: return Self.fidelityBase + 2...Self.fidelityBase + 2
        case .fidelityExactMMDReal: return Self.fidelityBase + 3...Self.fidelityBase + 3
        case .fidelityExactMMDSynthetic: return Self.fidelityBase + 4...Self.fidelityBase + 4
        case .fidelityLinearMMDReal: return Self.fidelityBase + 5...Self.fidelityBase + 5
        case .fidelityLinearMMDSynthetic: return Self.fidelityBase + 6...Self.fidelityBase + 6
        case .fidelityCopyBaseline: return Self.fidelityBase + 7...Self.fidelityBase + 7
        case .fidelityDetectionFolds: return Self.fidelityBase + 8...Self.fidelityBase + 8
        case .fidelityIndependentMarginals: return Self.fidelityBase + 9...Self.fidelityBase + 9
        case .kidSubsets: return Self.fidelityBase + (1 << 12)...Self.fidelityBase + (1 << 12) + 2 * 100_000 - 1
        case .learningCurveSubsets: return (1 << 24)...UInt32.max
        case .gradientBoostingBinningSubsample: return Self.fidelityBase + 10...Self.fidelityBase + 10
        case .gradientBoostingValidationSplit: return Self.fidelityBase + 11...Self.fidelityBase + 11
        case .fidelityMatchedSizeDraws: return Self.fidelityBase + 2048...Self.fidelityBase + 2048 + 1023
        case .fidelityBootstrap: return Self.fidelityBase + 3072...Self.fidelityBase + 3072
        case .fidelityClassMatchedSizeDraws: return Self.fidelityBase + 12...Self.fidelityBase + 12
        case .fidelityDetectionHeldOutSplit: return Self.fidelityBase + 13...Self.fidelityBase + 13
        }
    }

    /// The fidelity metrics' ids start here, above every class index.
    static let fidelityBase: UInt32 = 1 << 20

    /// The one generator or benchmark that draws from this substream, for
    /// those that may share ids with another's (a dataset has one
    /// generator); nil for substreams no other may share.
    public var exclusiveTo: String? {
        switch self {
        case .blobsCentres: return "blobs"
        case .classificationVertices, .classificationMixing, .classificationRedundantMap, .classificationRepeatedSources,
             .classificationShift, .classificationScale, .classificationColumnOrder, .classificationCentroidScale,
             .classificationCentroidCoordinates:
            return "classification"
        case .embeddingSuperclassCentres, .embeddingClassOffsets, .embeddingBases, .embeddingLatentScales:
            return "embedding"
        case .multilabelPrior, .multilabelWordWeights, .multilabelWords: return "multilabel"
        case .regressionInformativeColumns, .regressionCoefficients, .regressionMixing, .regressionResidual:
            return "regression"
        case .curveNoise: return "moons and circles"
        case .mixtureComponentChoice: return "mixture model"
        case .distanceBenchmarkInputs: return "distance benchmark"
        default: return nil
        }
    }

    /// The id of a single substream.
    public var id: UInt32 {
        let ids = self.ids
        precondition(ids.count == 1, "\(self) is a family of substreams: use id(_:)")
        return ids.lowerBound
    }

    /// Member `index` of a family (class, annotator, restart …): the
    /// family's first id plus `index`; `index` must lie inside the family.
    public func id(_ index: Int) -> UInt32 {
        let ids = self.ids
        precondition(index >= 0 && UInt64(index) <= UInt64(ids.upperBound - ids.lowerBound),
                     "index \(index) outside the substream family \(self)")
        return ids.lowerBound + UInt32(index)
    }
}

extension RandomStream {
    /// The stream of `substream` (member `index` of a family) for `seed`.
    public init(seed: UInt64, _ substream: Substream, index: Int = 0) {
        self.init(seed: seed, purpose: substream.purpose, substream: substream.id(index))
    }

    /// The stream of `named` (member `index` of a family) under the same
    /// seed as this one.
    public func substream(_ named: Substream, index: Int = 0) -> RandomStream {
        RandomStream(philox: philox, purpose: named.purpose, substream: named.id(index))
    }
}
