import SynthctlCore

/// A named kind of annotator: how often they are right and how their errors
/// fall.
///
/// - `expert`: accuracy 0.95 ± 0.03.
/// - `average`: accuracy 0.80 ± 0.05.
/// - `careless`: accuracy 0.60 ± 0.05 (still better than chance for any K ≥ 2).
/// - `spammer`: answers uniformly at random: every row of the confusion matrix
///   is 1/K, so the answers carry no information.
/// - `adversarial`: accuracy 0.10 ± 0.05, their errors concentrated (80%) on
///   one fixed wrong class per true class: deliberately and consistently wrong,
///   which aggregation methods can exploit but majority vote cannot.
/// The ± is the half-width of a uniform draw per annotator, so pools are
/// heterogeneous within a profile. Errors of non-adversarial annotators are
/// spread over the other classes with Dirichlet(1) weights drawn per
/// annotator and class.
public enum AnnotatorProfile: String, Sendable, CaseIterable {
    case expert, average, careless, spammer, adversarial

    var accuracyRange: ClosedRange<Double> {
        switch self {
        case .expert: return 0.92...0.98
        case .average: return 0.75...0.85
        case .careless: return 0.55...0.65
        case .spammer: return 0...0
        case .adversarial: return 0.05...0.15
        }
    }
}

/// A simulated pool of annotators with known confusion matrices.
///
/// Spec (`annotators`):
/// - `count` (10): annotators in the pool.
/// - `per_item` (3): distinct annotators who label each row, chosen uniformly
///   at random per row (Floyd's sampling). Must not exceed `count`.
/// - `profiles` ({"expert": 0.2, "average": 0.5, "careless": 0.2,
///   "spammer": 0.1}): the share of each profile; counts by largest remainder,
///   profiles assigned to annotator ids in a random order so that an id says
///   nothing about its profile.
///
/// Each annotator answers from the *true* label through their confusion
/// matrix C (C[i][j] = P(answers j | true i)); answers are written to
/// `annotations.npy` (−1 where an annotator did not label the row) and every
/// C, with the realized accuracy, to the manifest.
public struct AnnotatorPool: Sendable {
    public let count: Int
    public let perItem: Int
    public let shares: [AnnotatorProfile: Double]
    public let profiles: [AnnotatorProfile]
    /// One K×K confusion matrix per annotator.
    public let confusion: [[[Double]]]
    let cumulative: [[[Double]]]
    let stream: RandomStream
    let classes: Int

    public init(spec: SpecObject, classes: Int, seed: UInt64) throws {
        count = try spec.int("count", default: 10, min: 1, max: 100_000)
        perItem = try spec.int("per_item", default: 3, min: 1)
        var shares: [AnnotatorProfile: Double] = [.expert: 0.2, .average: 0.5, .careless: 0.2, .spammer: 0.1]
        if let p = try spec.object("profiles") {
            shares = [:]
            for profile in AnnotatorProfile.allCases where p.raw(profile.rawValue) != nil {
                shares[profile] = try p.double(profile.rawValue, min: 0, max: 1)
            }
            try p.finish()
            let sum = shares.values.reduce(0, +)
            guard abs(sum - 1) <= 1e-6 else {
                throw SpecError(source: spec.source, path: "\(spec.path).profiles", expected: "shares that sum to 1", found: "a sum of \(displayNumber(sum))")
            }
        }
        try spec.finish()
        guard perItem <= count else {
            throw SpecError(source: spec.source, path: "\(spec.path).per_item", expected: "at most count (\(count)) annotators per item", found: "\(perItem)")
        }
        self.shares = shares
        self.classes = classes
        let ordered = AnnotatorProfile.allCases
        let counts = ClassLayout.largestRemainder(total: count, weights: ordered.map { shares[$0] ?? 0 })
        var list = [AnnotatorProfile]()
        for (p, c) in zip(ordered, counts) { list += [AnnotatorProfile](repeating: p, count: c) }
        let draws = StructureDraws(seed: seed)
        let order = draws.permutation(.annotatorProfiles, count)
        profiles = order.map { list[$0] }
        var matrices = [[[Double]]]()
        for (a, profile) in profiles.enumerated() {
            matrices.append(Self.confusion(for: profile, annotator: a, classes: classes, draws: draws))
        }
        confusion = matrices
        cumulative = matrices.map { LabelNoise.cumulate($0) }
        stream = RandomStream(seed: seed, .annotatorAssignment)
    }

    static func confusion(for profile: AnnotatorProfile, annotator a: Int, classes k: Int, draws: StructureDraws) -> [[Double]] {
        if profile == .spammer { return [[Double]](repeating: [Double](repeating: 1 / Double(k), count: k), count: k) }
        let range = profile.accuracyRange
        let accuracy = draws.uniform(.annotatorAccuracy, a, in: range)
        return (0..<k).map { i in
            var row = [Double](repeating: 0, count: k)
            row[i] = accuracy
            let weights = (0..<k).map { j in j == i ? 0 : -polynomialLog(1 - draws.uniform(.annotatorConfusionWeights, (a * k + i) * k + j)) }
            let total = weights.reduce(0, +)
            if profile == .adversarial && k > 2 {
                let target = (i + 1 + draws.integer(.annotatorConfusionTargets, a * k + i, below: k - 1)) % k
                for j in 0..<k where j != i { row[j] = (1 - accuracy) * (0.2 * weights[j] / total + (j == target ? 0.8 : 0)) }
            } else {
                for j in 0..<k where j != i { row[j] = (1 - accuracy) * weights[j] / total }
            }
            return row
        }
    }

    public var resolvedSpec: JSONValue {
        .object([
            "count": .int(count), "per_item": .int(perItem),
            "profiles": .object(Dictionary(uniqueKeysWithValues: shares.map { ($0.key.rawValue, JSONValue.double($0.value)) })),
        ])
    }

    /// Writes the row's answers into `out` (its first `count` entries, −1
    /// where the annotator did not label it) and returns nothing; `tally`
    /// receives (annotator, answer) for the realized statistics.
    ///
    /// - Precondition: `out` holds at least `count` entries; checked once per
    ///   call.
    @inline(__always)
    public func annotate(row: Int, label: Int, out: inout MutableSpan<Int32>, tally: (Int, Int) -> Void) {
        precondition(out.count >= count, "out holds \(out.count) entries, not \(count) annotators")
        out.withUnsafeMutableBufferPointer { answers in
            _UnsafeAnnotation.annotate(self, row: row, label: label, out: answers.baseAddress!, tally: tally)
        }
    }
}

/// The per-row work of ``AnnotatorPool/annotate(row:label:out:tally:)`` on a
/// pointer. Precondition: `out` addresses `pool.count` writable Int32 values
/// that nothing else touches during the call.
enum _UnsafeAnnotation {
    @inline(__always)
    static func annotate(_ pool: AnnotatorPool, row: Int, label: Int, out: UnsafeMutablePointer<Int32>, tally: (Int, Int) -> Void) {
        let count = pool.count, perItem = pool.perItem, stream = pool.stream, cumulative = pool.cumulative
        let classes = pool.classes
        for a in 0..<count { out[a] = -1 }
        // Floyd's algorithm: a uniform k-subset of 0..<count in k draws.
        // Membership by a set when k is large (a linear scan is k² per row:
        // 10¹⁰ for per_item 100,000); the same subset either way.
        var chosen = [Int]()
        chosen.reserveCapacity(perItem)
        var taken: Set<Int>? = perItem > 32 ? Set(minimumCapacity: perItem) : nil
        for (draw, j) in ((count - perItem)..<count).enumerated() {
            let t = stream.integer(below: j + 1, row: UInt64(row), draw: UInt32(draw))
            let pick = (taken?.contains(t) ?? chosen.contains(t)) ? j : t
            chosen.append(pick)
            taken?.insert(pick)
        }
        let answers = stream.substream(.annotatorAnswers)
        for a in chosen {
            let u = answers.uniform(row: UInt64(row), draw: UInt32(a))
            let c = cumulative[a][label]
            var answer = classes - 1
            for j in 0..<(classes - 1) where u < c[j] { answer = j; break }
            out[a] = Int32(answer)
            tally(a, answer)
        }
    }
}
