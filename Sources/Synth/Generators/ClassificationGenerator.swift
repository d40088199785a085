import SynthctlCore

/// Classes as Gaussian clusters on the vertices of a hypercube, with
/// redundant, repeated and useless features: scikit-learn's
/// `make_classification` design (Guyon's Madelon), with exact class counts
/// and a structure that does not change with the row count.
///
/// Parameters and their effect on the data:
/// - `features` (20): total columns. Must be at least
///   informative + redundant + repeated; the rest are useless N(0, 1) noise.
/// - `informative` (2): dimension d of the space the classes live in. Each
///   cluster is N(0, I) pushed through its own random d×d mixing matrix A_k
///   (entries U(−1, 1)), so its covariance is A_kᵀA_k — not the identity —
///   and then moved to its centroid.
/// - `redundant` (2): random linear combinations X_inf·B (B entries U(−1, 1))
///   of the informative columns: correlated, carry no new information.
/// - `repeated` (0): exact copies of informative or redundant columns, each
///   source chosen uniformly.
/// - `classes` (2), `clusters_per_class` (2): classes·clusters must fit on
///   the 2^d hypercube vertices. More clusters per class make a class
///   multi-modal and harder for linear models.
/// - `weights` (balanced): class proportions; they must sum to one (a list of
///   K−1 gets the rest as its last entry). Counts are exact by
///   largest-remainder rounding; clusters within a class get equal shares.
/// - `class_sep` (1.0): centroids sit at ±class_sep on every informative
///   axis, so the hypercube's side is 2·class_sep. Larger separates classes.
/// - `hypercube` (true): false scales each centroid by a random factor per
///   cluster and per dimension (a random polytope), making distances uneven.
/// - `shift` (0.0): added to every feature after generation; a number, or
///   "random" for U(−class_sep, class_sep) per feature.
/// - `scale` (1.0): multiplies every feature after the shift; a number, or
///   "random" for 1 + 100·U(0, 1) per feature (badly scaled data).
/// - `shuffle` (true): permutes rows (a random-access permutation) and
///   columns (the column roles are written to the manifest).
public struct ClassificationGenerator: SpecifiedGenerator {
    public let name = "classification"
    public let featureCount: Int
    public let informative: Int, redundant: Int, repeated: Int
    public let classes: Int, clustersPerClass: Int
    public let weights: [Double]
    public let classSep: Double
    public let hypercube: Bool
    public let shuffle: Bool
    let shiftSpec: JSONValue, scaleSpec: JSONValue

    /// Centroid of cluster k (class k % classes) in informative coordinates.
    public let centroids: [[Float]]
    public let mixing: [Matrix]
    public let redundantMap: Matrix
    /// For each repeated column, the canonical column it copies.
    public let repeatedSources: [Int]
    public let shift: [Float], scale: [Float]
    /// outputColumn[j] is the output position of canonical column j
    /// (canonical order: informative, redundant, repeated, useless).
    public let outputColumn: [Int]
    let layout: ClassLayout
    let samples: RandomStream
    let centroidBoundary: CentroidBoundary
    /// Shift and scale in output order, applied to each output row front to
    /// back unless they are all 0 and 1 (`shiftsOrScales` false).
    let outputShift: [Float], outputScale: [Float]
    let shiftsOrScales: Bool
    /// The parameters as read, for the manifest.
    let resolvedParameters: ResolvedParameters

    public static let parameters: [GeneratorParameter] = [
        .init("features", .integer(default: 20, min: 1, max: 1 << 20), "total columns; the rest after informative, redundant and repeated are N(0, 1) noise"),
        .init("informative", .integer(default: 2, min: 1, max: 4096), "dimension of the space the class clusters live in"),
        .init("redundant", .integer(default: 2, min: 0, max: 1 << 20), "random linear combinations of the informative columns"),
        .init("repeated", .integer(default: 0, min: 0, max: 1 << 20), "exact copies of informative or redundant columns"),
        .init("classes", .integer(default: 2, min: 2, max: 1 << 20), "number of classes"),
        .init("clusters_per_class", .integer(default: 2, min: 1, max: 1 << 16), "Gaussian clusters per class; more makes a class multi-modal"),
        .init("weights", .weights, "class proportions (balanced when absent; K−1 entries get the rest as the last)"),
        .init("class_sep", .number(default: 1.0, min: 0), "centroids sit at ±class_sep on every informative axis"),
        .init("hypercube", .flag(default: true), "false scales each centroid randomly (a random polytope)"),
        .init("shuffle", .flag(default: true), "permute rows and columns"),
        .init("shift", .value(default: .double(0)), "added to every feature: a number, or \"random\" for U(−class_sep, class_sep) per feature"),
        .init("scale", .value(default: .double(1)), "multiplies every feature after the shift: a number, or \"random\" for 1 + 100·U(0, 1) per feature"),
    ]

    public init(spec: SpecObject, rows: Int, seed: UInt64) throws {
        var p = GeneratorParameterReader(spec, Self.parameters)
        featureCount = try p.int("features")
        informative = try p.int("informative")
        redundant = try p.int("redundant")
        repeated = try p.int("repeated")
        classes = try p.int("classes")
        clustersPerClass = try p.int("clusters_per_class")
        weights = try p.weights(classes: classes)
        classSep = try p.number("class_sep")
        hypercube = try p.bool("hypercube")
        shuffle = try p.bool("shuffle")
        shiftSpec = p.value("shift")
        scaleSpec = p.value("scale")
        resolvedParameters = try p.finish()

        let used = informative + redundant + repeated
        guard used <= featureCount else {
            throw SpecError(source: spec.source, path: spec.path, expected: "informative + redundant + repeated ≤ features (\(featureCount))",
                            found: "\(informative) + \(redundant) + \(repeated) = \(used)")
        }
        let clusters = classes * clustersPerClass
        if informative < 63 && clusters > (1 << informative) {
            throw SpecError(source: spec.source, path: spec.path, expected: "classes × clusters_per_class ≤ 2^informative = \(1 << informative)",
                            found: "\(classes) × \(clustersPerClass) = \(clusters)")
        }

        var estimate = MemoryEstimate()
        estimate.add("\(clusters) cluster mixing matrices (classes × clusters_per_class × informative² × 4 bytes)",
                     clusters, informative, informative, 4, parameter: "\(spec.path).classes")
        estimate.add("\(clusters) cluster centroids and hypercube vertices (× (informative × 5 + 96) bytes)",
                     clusters, informative * 5 + 96, parameter: "\(spec.path).classes")
        DatasetPlan.addClassPairs(to: &estimate, classes: classes, field: "\(spec.path).classes")
        estimate.add("the redundant map and per-feature shift and scale",
                     informative * redundant + 16 * featureCount, 4, parameter: "\(spec.path).features")
        try MemoryBudget.current.check(estimate, subject: spec.source)

        let draws = StructureDraws(seed: seed)
        let d = informative, D = featureCount, redundant = redundant, repeated = repeated
        let classSep = classSep, classes = classes
        let vertices = Self.vertices(clusters, dimensions: d, draws: draws)
        var cents = vertices.map { $0.map { Float($0 ? classSep : -classSep) } }
        if !hypercube {
            for k in 0..<clusters {
                let f = Float(draws.uniform(.classificationCentroidScale, k))
                for j in 0..<d { cents[k][j] *= f * Float(draws.uniform(.classificationCentroidCoordinates, k * d + j)) }
            }
        }
        centroids = cents
        mixing = (0..<clusters).map { k in draws.uniformMatrix(.classificationMixing, rows: d, columns: d, in: -1...1, offset: k * d * d) }
        redundantMap = draws.uniformMatrix(.classificationRedundantMap, rows: d, columns: redundant, in: -1...1)
        repeatedSources = (0..<repeated).map { i in draws.integer(.classificationRepeatedSources, i, below: d + redundant) }

        func perFeature(_ value: JSONValue, _ key: String, _ part: Substream, random: (Double) -> Double) throws -> [Float] {
            switch value {
            case .int(let i): return [Float](repeating: Float(i), count: D)
            case .double(let x) where x.isFinite && abs(x) <= SpecObject.float32Limit: return [Float](repeating: Float(x), count: D)
            case .double(let x) where x.isFinite: throw spec.fail(key, "a number within float32's range (|x| ≤ \(displayNumber(SpecObject.float32Limit))) or \"random\"", found: value)
            case .string("random"): return (0..<D).map { Float(random(draws.uniform(part, $0))) }
            default: throw spec.fail(key, "a number or \"random\"", found: value)
            }
        }
        let shiftSpec = shiftSpec, scaleSpec = scaleSpec
        shift = try perFeature(shiftSpec, "shift", .classificationShift) { u in (2 * u - 1) * classSep }
        scale = try perFeature(scaleSpec, "scale", .classificationScale) { u in 1 + 100 * u }
        outputColumn = shuffle ? draws.permutation(.classificationColumnOrder, D) : Array(0..<D)
        layout = ClassLayout(rowCount: rows, weights: weights, shuffle: shuffle, seed: seed)
        samples = RandomStream(seed: seed, .rows)
        let outputColumn = outputColumn, shift = shift, scale = scale
        var source = [Int](repeating: 0, count: D)
        for j in 0..<D { source[outputColumn[j]] = j }
        outputShift = source.map { shift[$0] }
        outputScale = source.map { scale[$0] }
        shiftsOrScales = shift.contains { $0 != 0 } || scale.contains { $0 != 1 }
        centroidBoundary = CentroidBoundary(
            centres: cents, classOfCentre: (0..<clusters).map { $0 % classes },
            columns: (0..<d).map { outputColumn[$0] },
            columnShift: Array(shift[0..<d]), columnScale: Array(scale[0..<d]))
    }

    /// `count` distinct vertices of the d-dimensional hypercube, as signs
    /// (true for +): random vertices, each drawn whole and kept unless
    /// already taken (sampling without replacement by rejection).
    ///
    /// The search is bounded. `count` ≤ 2^d is checked before (for d ≥ 63
    /// it always holds: `count` ≤ 2^36). While at most half the vertices are
    /// taken each draw succeeds with probability ≥ 1/2, and when `count`
    /// approaches 2^d the coupon collector needs about 2^d·(ln 2^d + c)
    /// draws with probability 1 − e^−c: 64·count + 1024 draws leave c ≥ 30
    /// for every d ≤ 48, and for d > 48 (count ≤ 2^36, so each draw succeeds
    /// with probability ≥ 1 − 2^−12) needing them is as unlikely. Should the
    /// bound ever be reached, the rest are the lowest free vertices in binary
    /// order (the first 62 axes counting, the others −), at most 2·count
    /// steps. So the draws, and the bytes, are those of the unbounded search
    /// on every input it finishes, and no input searches forever.
    /// `attempts` overrides the bound (tests reach the fallback with it).
    static func vertices(_ count: Int, dimensions d: Int, draws: StructureDraws, attempts: Int? = nil) -> [[Bool]] {
        var vertices = [[Bool]]()
        var seen = Set<[Bool]>()
        var attempt = 0
        let attempts = attempts ?? 64 * count + 1024
        while vertices.count < count && attempt < attempts {
            let v = (0..<d).map { draws.uniform(.classificationVertices, attempt * d + $0) < 0.5 }
            attempt += 1
            if seen.insert(v).inserted { vertices.append(v) }
        }
        var next = 0
        while vertices.count < count {
            let v = (0..<d).map { $0 < 62 && (next >> $0) & 1 == 1 }
            next += 1
            if seen.insert(v).inserted { vertices.append(v) }
        }
        return vertices
    }

    public var labelKind: LabelKind { .classes(count: classes) }
    public var featureNames: [String] { numberedNames("x", featureCount) }
    public var classNames: [String] { numberedNames("class_", classes) }
    public var classWeights: [Double] { weights }

    public var resolvedSpec: JSONValue { resolvedParameters.spec(type: name) }

    public var groundTruth: JSONValue {
        var roles = [JSONValue](repeating: .null, count: featureCount)
        for j in 0..<featureCount {
            let role: String
            var extra: [String: JSONValue] = [:]
            if j < informative { role = "informative"; extra["axis"] = .int(j) }
            else if j < informative + redundant { role = "redundant"; extra["combination_of"] = JSONValue(Array(0..<informative).map { outputColumn[$0] }) }
            else if j < informative + redundant + repeated { role = "repeated"; extra["copy_of"] = .int(outputColumn[repeatedSources[j - informative - redundant]]) }
            else { role = "useless" }
            extra["role"] = .string(role)
            roles[outputColumn[j]] = .object(extra)
        }
        var truth: [String: JSONValue] = [
            "class_counts": JSONValue(layout.counts),
            "feature_roles": .array(roles),
            "centroids": .array(centroids.map { JSONValue($0) }),
            "centroid_class": JSONValue((0..<centroids.count).map { $0 % classes }),
            "shift": JSONValue(shift), "scale": JSONValue(scale),
        ]
        if mixing.count * informative * informative <= 100_000 {
            truth["mixing_matrices"] = .array(mixing.map { JSONValue($0) })
            truth["redundant_map"] = JSONValue(redundantMap)
        }
        return .object(truth)
    }

    /// Informative values are z·A_k + c_k, at most Z·Σ_i |A_k[i][j]| + |c_kj|
    /// (Z = ``ValueBound/normal``); redundant ones are those times B, at most
    /// that bound times max_j Σ_i |B[i][j]|; useless ones are normals and
    /// repeated ones copies; then each column becomes (x + shift_j)·scale_j.
    public var valueBound: ValueBound {
        let d = informative, z = ValueBound.normal
        var informativeBound = 0.0
        for (k, a) in mixing.enumerated() {
            for j in 0..<d {
                var sum = 0.0
                for i in 0..<d { sum += Double(abs(a.storage[i * d + j])) }
                informativeBound = max(informativeBound, z * sum + Double(abs(centroids[k][j])))
            }
        }
        let redundantBound = informativeBound * ValueBound.largestColumnSum(redundantMap.storage, rows: d, columns: redundant)
        let unshifted = max(z, informativeBound, redundantBound)
        let bound = zip(shift, scale).map { (unshifted + Double(abs($0))) * Double(abs($1)) }.max() ?? unshifted
        return ValueBound(magnitude: bound, parameters: "class_sep \(JSONValue.format(classSep)), shift \(shiftSpec.shortDescription) and scale \(scaleSpec.shortDescription)")
    }

    /// Row by row: the row's D normals are written straight into its output
    /// row; the informative columns' normals are the latent draws, multiplied
    /// by the row's cluster's A_k, with the centroid added; the redundant
    /// columns are the product of those with B; informative, redundant and
    /// repeated values then go to their output columns (overwriting the
    /// normals drawn there), and shift and scale are applied where they are
    /// not 0 and 1. Everything a row touches stays in the L1 cache.
    ///
    /// Drawing every column's normal in output order (dataset format 2) lets
    /// the useless columns — most of a wide table — stay where the sampler
    /// wrote them; format 1 drew them in canonical order and moved each value
    /// through a permutation, which took a third of the generation time.
    public func fill(_ output: GeneratorOutput) {
        let (rows, features, labels, _) = output._unsafe.parts
        let d = informative, D = featureCount, width = d + redundant
        // One row's latent draws, then its informative and redundant values.
        let latent = UnsafeMutablePointer<Float>.allocate(capacity: d)
        let values = UnsafeMutablePointer<Float>.allocate(capacity: width)
        defer { latent.deallocate(); values.deallocate() }
        redundantMap.storage.withUnsafeBufferPointer { redundantMap in
        repeatedSources.withUnsafeBufferPointer { repeatedSources in
        outputColumn.withUnsafeBufferPointer { column in
        outputShift.withUnsafeBufferPointer { shift in
        outputScale.withUnsafeBufferPointer { scale in
            for (r, row) in rows.enumerated() {
                let (label, position) = layout.place(row)
                labels?[r] = Int32(label)
                let cluster = label + classes * (position % clustersPerClass)
                let out = features + r * D
                _UnsafeNormalKernel.fill(stream: samples, row: UInt64(row), out: UnsafeMutableBufferPointer(start: out, count: D))
                for j in 0..<d { latent[j] = out[column[j]] }
                mixing[cluster].storage.withUnsafeBufferPointer { a in
                    _UnsafeReproducibleProductKernel.run(
                        m: 1, n: d, k: d, a: latent, lda: d, b: a.baseAddress!, ldb: d, c: values, ldc: d, accumulate: false)
                }
                centroids[cluster].withUnsafeBufferPointer { c in
                    for j in 0..<d { values[j] = values[j] + c[j] }
                }
                if redundant > 0 {
                    _UnsafeReproducibleProductKernel.run(
                        m: 1, n: redundant, k: d, a: values, lda: d, b: redundantMap.baseAddress!, ldb: redundant,
                        c: values + d, ldc: redundant, accumulate: false)
                }
                for j in 0..<width { out[column[j]] = values[j] }
                for (i, src) in repeatedSources.enumerated() { out[column[width + i]] = values[src] }
                if shiftsOrScales {
                    for j in 0..<D { out[j] = (out[j] + shift[j]) * scale[j] }
                }
            }
        }}}}}
    }

    public func boundary(features: Span<Float>, label: Int) -> (margin: Float, competitor: Int) {
        centroidBoundary.margin(features, label: label, scale: Float(max(classSep, 1e-6)))
    }
}
