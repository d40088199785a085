import SynthctlCore

/// Bag-of-words documents with several labels each (scikit-learn's
/// `make_multilabel_classification`).
///
/// Each label c has a prior p(c) and a distribution over the features (the
/// "words") p(w | c), both drawn once from the seed. A row draws its number of
/// labels n from a Poisson distribution, then n distinct labels from the
/// prior (successive sampling: each next label from the prior restricted to
/// the labels not yet chosen, which is what scikit-learn's draw-until-new loop
/// amounts to), then its length m from a Poisson distribution, then m words
/// from the mixture Σ_{c chosen} p(w | c) (normalized). Feature j is the count
/// of word j. A row with no labels draws its words uniformly.
///
/// Both Poisson draws are truncated exactly, by inversion of the truncated
/// distribution with one uniform, rather than by scikit-learn's rejection
/// loops; the distribution is the same and every row costs a fixed number of
/// draws.
///
/// Parameters and their effect on the data:
/// - `features` (20): the vocabulary size, columns of X.
/// - `labels` (5): the number of labels; `labels.npy` is rows × labels of 0/1.
/// - `average_labels` (2): the Poisson mean of the number of labels per row,
///   before truncation to [0, labels] (or [1, labels] when unlabeled rows are
///   not allowed). At most `labels`.
/// - `length` (50): the Poisson mean of the number of words per row (rows of
///   length zero are redrawn, as in scikit-learn). Larger values make the
///   labels easier to recover from the counts. At most 500.
/// - `allow_unlabeled` (true): whether a row may have no label at all.
///
/// The spec keys against `make_multilabel_classification`'s arguments:
/// `features` is `n_features`; `labels` is `n_classes` (the number of
/// labels); `average_labels` is `n_labels` (scikit-learn's `n_labels` is
/// the Poisson mean, not a count: the same name would read as `labels`);
/// `length` and `allow_unlabeled` keep their names; the spec's `rows` is
/// `n_samples`. The defaults are scikit-learn's.
public struct MultilabelGenerator: SpecifiedGenerator {
    public let name = "multilabel"
    public let featureCount: Int
    public let labelCount: Int
    public let averageLabels: Double
    public let length: Double
    public let allowUnlabeled: Bool
    /// p(c), summing to one.
    public let labelPrior: [Double]
    /// p(w | c): `labelCount` rows of `featureCount` probabilities.
    public let wordDistributions: [[Double]]
    let labelCountTable: TruncatedPoisson
    let lengthTable: TruncatedPoisson
    let samples: RandomStream
    /// The parameters as read, for the manifest.
    let resolvedParameters: ResolvedParameters

    public static let parameters: [GeneratorParameter] = [
        .init("features", .integer(default: 20, min: 1, max: 1 << 16), "the vocabulary size, columns of X"),
        .init("labels", .integer(default: 5, min: 1, max: 1024), "the number of labels (scikit-learn's n_classes)"),
        .init("average_labels", .number(default: 2, min: 0, exclusiveMin: true), "Poisson mean of the labels per row; at most labels (scikit-learn's n_labels)"),
        .init("length", .number(default: 50, min: 0, max: 500, exclusiveMin: true), "Poisson mean of the words per row"),
        .init("allow_unlabeled", .flag(default: true), "whether a row may have no label at all"),
    ]

    public init(spec: SpecObject, rows: Int, seed: UInt64) throws {
        var p = GeneratorParameterReader(spec, Self.parameters)
        featureCount = try p.int("features")
        labelCount = try p.int("labels")
        averageLabels = try p.number("average_labels")
        length = try p.number("length")
        allowUnlabeled = try p.bool("allow_unlabeled")
        resolvedParameters = try p.finish()
        guard averageLabels <= Double(labelCount) else {
            throw SpecError(source: spec.source, path: "\(spec.path).average_labels", expected: "at most labels (\(labelCount))", found: JSONValue.format(averageLabels))
        }
        var estimate = MemoryEstimate()
        estimate.add("word distributions (labels × features × 8 bytes, and the manifest's copy × 40)", labelCount, featureCount, 48,
                     parameter: "\(spec.path).features")
        try MemoryBudget.current.check(estimate, subject: spec.source)
        let draws = StructureDraws(seed: seed)
        let prior = (0..<labelCount).map { draws.uniform(.multilabelPrior, $0) }
        let priorSum = prior.reduce(0, +)
        labelPrior = prior.map { $0 / priorSum }
        let d = featureCount
        wordDistributions = (0..<labelCount).map { c in
            let w = (0..<d).map { draws.uniform(.multilabelWordWeights, c * d + $0) }
            let s = w.reduce(0, +)
            return w.map { $0 / s }
        }
        labelCountTable = TruncatedPoisson(mean: averageLabels, from: allowUnlabeled ? 0 : 1, through: labelCount)
        // Long enough that the cut-off tail is below 1e-16 of the mass.
        lengthTable = TruncatedPoisson(mean: length, from: 1, through: Int(length + 40 * length.squareRoot() + 40))
        samples = RandomStream(seed: seed, .rows)
    }

    public var labelKind: LabelKind { .indicators(count: labelCount) }
    public var featureNames: [String] { numberedNames("w", featureCount) }
    public var classNames: [String] { numberedNames("label_", labelCount) }
    public var resolvedSpec: JSONValue { resolvedParameters.spec(type: name) }
    public var groundTruth: JSONValue {
        .object(["label_prior": JSONValue(labelPrior),
                 "word_distributions": .array(wordDistributions.map { JSONValue($0) }),
                 "expected_labels_per_row": .double(labelCountTable.mean),
                 "expected_words_per_row": .double(lengthTable.mean)])
    }

    /// Counts of words: at most the longest row the length table can draw.
    public var valueBound: ValueBound {
        ValueBound(magnitude: Double(lengthTable.from + lengthTable.cdf.count - 1), parameters: "length \(JSONValue.format(length))")
    }

    public func fill(_ output: GeneratorOutput) {
        let (rows, features, labels, _) = output._unsafe.parts
        let d = featureCount, l = labelCount
        let labelDraws = samples.substream(.rows), wordDraws = samples.substream(.multilabelWords)
        var chosen = [Bool](repeating: false, count: l)
        var cumulative = [Double](repeating: 0, count: d)
        for (r, row) in rows.enumerated() {
            let row64 = UInt64(row)
            // The label set, by successive sampling from the prior.
            for c in 0..<l { chosen[c] = false }
            let n = labelCountTable.sample(labelDraws.uniform(row: row64, draw: 0))
            var remaining = 1.0
            for j in 0..<n {
                var u = labelDraws.uniform(row: row64, draw: UInt32(1 + j)) * remaining
                var pick = -1
                for c in 0..<l where !chosen[c] {
                    pick = c
                    u -= labelPrior[c]
                    if u < 0 { break }
                }
                chosen[pick] = true
                remaining = max(0, remaining - labelPrior[pick])
            }
            if let labels {
                for c in 0..<l { labels[r * l + c] = chosen[c] ? 1 : 0 }
            }
            // The word distribution of this row, as a cumulative table.
            var total = 0.0
            for j in 0..<d {
                var p = 0.0
                if n == 0 { p = 1 } else { for c in 0..<l where chosen[c] { p += wordDistributions[c][j] } }
                total += p
                cumulative[j] = total
            }
            let x = features + r * d
            for j in 0..<d { x[j] = 0 }
            let m = lengthTable.sample(wordDraws.uniform(row: row64, draw: 0))
            for w in 0..<m {
                let u = wordDraws.uniform(row: row64, draw: UInt32(1 + w)) * total
                // The first j with cumulative[j] > u.
                var lo = 0, hi = d - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
                }
                x[lo] += 1
            }
        }
    }
}

/// A Poisson distribution restricted to `from...through`, sampled by inverting
/// its cumulative table with one uniform.
struct TruncatedPoisson: Sendable {
    /// cdf[i] = P(X ≤ from + i | from ≤ X ≤ through).
    let cdf: [Double]
    let from: Int
    /// The mean of the truncated distribution.
    let mean: Double

    init(mean lambda: Double, from: Int, through: Int) {
        precondition(from <= through && lambda > 0 && lambda <= 700)
        // pmf(k) = e^−λ λ^k / k!, built up by the recurrence pmf(k) = pmf(k−1)·λ/k.
        var pmf = [Double]()
        var p = polynomialExp(-lambda)
        for k in 0...through {
            if k > 0 { p *= lambda / Double(k) }
            if k >= from { pmf.append(p) }
        }
        let total = pmf.reduce(0, +)
        var running = 0.0
        var mean = 0.0
        cdf = pmf.enumerated().map { i, p in
            running += p / total
            mean += Double(from + i) * p / total
            return running
        }
        self.from = from
        self.mean = mean
    }

    func sample(_ u: Double) -> Int {
        // The first i with cdf[i] > u (the last entry is 1 up to rounding).
        var lo = 0, hi = cdf.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cdf[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return from + lo
    }
}
