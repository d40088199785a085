#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import SynthctlCore

/// Class-conditional vectors that look like text or image embeddings: a class
/// hierarchy, long-tailed class frequencies and anisotropic low-rank spread.
///
/// The model, in D dimensions:
///   superclass centre  μ_s = superclass_spread · g_s / √D,   g_s ~ N(0, I)
///   class centre       μ_c = μ_s(c) + class_spread · h_c / √D
///   row of class c     x = μ_c + (z ⊙ λ_c ⊙ σ)·W_s(c) + isotropic_noise · ε / √D
/// where z ~ N(0, I_r), W_s is an r×D matrix of N(0, 1/D) entries shared by
/// the classes of superclass s (they vary along the same directions, like
/// related concepts in a real embedding space), σ_j = within_scale / √(j+1)
/// makes the spread decay across the r directions, and λ_c ~ U(0.5, 1.5)^r
/// gives each class its own shape. The r-dimensional part is one matrix product per
/// superclass per block of rows (a ``ReproducibleProduct``, so the bytes do
/// not depend on the BLAS in use).
///
/// Parameters and their effect on the data:
/// - `dim` (384): D, the embedding width (384 and 768 are common).
/// - `classes` (20), `superclasses` (4): class c belongs to superclass
///   c mod superclasses, so the frequent head classes are spread over
///   superclasses. Classes of one superclass sit near each other and are the
///   ones a model (or an annotator) confuses.
/// - `rank` (8): r, the number of directions of within-class variation.
/// - `zipf` (1.0): class frequencies ∝ (rank of class)^−zipf; 0 is balanced,
///   larger makes the tail classes rarer.
/// - `superclass_spread` (1.0), `class_spread` (0.5): distances between
///   superclass centres and of classes from their superclass centre. Smaller
///   `class_spread` makes sibling classes harder to separate.
/// - `within_scale` (0.3): size of the low-rank within-class variation.
/// - `isotropic_noise` (0.1): size of the full-rank noise.
/// - `normalize` (true): scale every row to unit length, as sentence
///   embeddings are; distances then behave like cosine distances.
/// - `shuffle` (true): random row order.
public struct EmbeddingGenerator: SpecifiedGenerator {
    public let name = "embedding"
    public let dim: Int, classes: Int, superclasses: Int, rank: Int
    public let zipf: Double, superclassSpread: Double, classSpread: Double
    public let withinScale: Double, isotropicNoise: Double
    public let normalize: Bool, shuffle: Bool
    public let weights: [Double]
    /// classes × dim.
    public let classCentres: Matrix
    /// One r×D basis per superclass.
    public let bases: [Matrix]
    /// classes × r: λ_c ⊙ σ.
    public let latentScales: Matrix
    let layout: ClassLayout
    let samples: RandomStream
    /// The class centres as the rows see them (unit length when normalizing),
    /// for boundary margins.
    let centroidBoundary: CentroidBoundary
    /// The parameters as read, for the manifest.
    let resolvedParameters: ResolvedParameters

    public static let parameters: [GeneratorParameter] = [
        .init("dim", .integer(default: 384, min: 1, max: 65536), "D, the embedding width"),
        .init("classes", .integer(default: 20, min: 2, max: 100_000), "number of classes; class c belongs to superclass c mod superclasses"),
        .init("superclasses", .integer(default: 4, min: 1), "groups of classes that sit near each other; at most classes"),
        .init("rank", .integer(default: 8, min: 0, max: 4096), "directions of within-class variation"),
        .init("zipf", .number(default: 1.0, min: 0, max: 10), "class frequencies ∝ rank^−zipf; 0 is balanced"),
        .init("superclass_spread", .number(default: 1.0, min: 0), "distance between superclass centres"),
        .init("class_spread", .number(default: 0.5, min: 0), "distance of classes from their superclass centre"),
        .init("within_scale", .number(default: 0.3, min: 0), "size of the low-rank within-class variation"),
        .init("isotropic_noise", .number(default: 0.1, min: 0), "size of the full-rank noise"),
        .init("normalize", .flag(default: true), "scale every row to unit length"),
        .init("shuffle", .flag(default: true), "random row order"),
    ]

    public init(spec: SpecObject, rows: Int, seed: UInt64) throws {
        var p = GeneratorParameterReader(spec, Self.parameters)
        dim = try p.int("dim")
        classes = try p.int("classes")
        superclasses = try p.int("superclasses")
        rank = try p.int("rank")
        zipf = try p.number("zipf")
        superclassSpread = try p.number("superclass_spread")
        classSpread = try p.number("class_spread")
        withinScale = try p.number("within_scale")
        isotropicNoise = try p.number("isotropic_noise")
        normalize = try p.bool("normalize")
        shuffle = try p.bool("shuffle")
        resolvedParameters = try p.finish()
        guard superclasses <= classes else {
            throw SpecError(source: spec.source, path: "\(spec.path).superclasses", expected: "at most classes (\(classes))", found: "\(superclasses)")
        }
        // A fixed bound as well as the budget: drawing more than 2 GB of
        // bases takes minutes whatever the memory.
        let memory = Double(superclasses) * Double(rank) * Double(dim) * 4
        guard memory <= 2e9 else {
            throw SpecError(source: spec.source, path: spec.path, expected: "superclasses × rank × dim to fit in 2 GB of bases", found: "\(Int(memory / 1e6)) MB")
        }
        var estimate = MemoryEstimate()
        estimate.add("superclass bases (superclasses × rank × dim × 4 bytes)", superclasses, rank, dim, 4,
                     parameter: "\(spec.path).superclasses")
        estimate.add("class centres (classes × dim × 24 bytes: float32, the boundary's and the manifest's copies)",
                     classes, dim, 24, parameter: "\(spec.path).classes")
        estimate.add("latent scales (classes × rank × 4 bytes)", classes, rank, 4, parameter: "\(spec.path).classes")
        DatasetPlan.addClassPairs(to: &estimate, classes: classes, field: "\(spec.path).classes")
        try MemoryBudget.current.check(estimate, subject: spec.source)
        let draws = StructureDraws(seed: seed)
        let d = dim, r = rank, s = superclasses, k = classes
        let root = 1 / Double(d).squareRoot()
        var centres = Matrix(rows: k, columns: d)
        for c in 0..<k {
            let sc = c % s
            for j in 0..<d {
                let superPart = superclassSpread * draws.normal(.embeddingSuperclassCentres, sc * d + j) * root
                centres[c, j] = Float(superPart + classSpread * draws.normal(.embeddingClassOffsets, c * d + j) * root)
            }
        }
        classCentres = centres
        bases = (0..<s).map { sc in
            var w = Matrix(rows: r, columns: d)
            for i in 0..<(r * d) { w.storage[i] = Float(draws.normal(.embeddingBases, sc * r * d + i) * root) }
            return w
        }
        var scales = Matrix(rows: k, columns: r)
        for c in 0..<k {
            for j in 0..<r {
                scales[c, j] = Float(withinScale / Double(j + 1).squareRoot() * draws.uniform(.embeddingLatentScales, c * r + j, in: 0.5...1.5))
            }
        }
        latentScales = scales
        let exponent = zipf
        let raw = (0..<k).map { polynomialPow(Double($0 + 1), -exponent) }
        let total = raw.reduce(0, +)
        weights = raw.map { $0 / total }
        layout = ClassLayout(rowCount: rows, weights: weights, shuffle: shuffle, seed: seed)
        samples = RandomStream(seed: seed, .rows)
        var visible = centres.nested
        if normalize {
            visible = visible.map { c in
                let n = c.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return n > 0 ? c.map { $0 / n } : c
            }
        }
        centroidBoundary = CentroidBoundary(centres: visible, classOfCentre: Array(0..<k), columns: Array(0..<d))
    }

    public var featureCount: Int { dim }
    public var labelKind: LabelKind { .classes(count: classes) }
    public var featureNames: [String] { numberedNames("e", dim) }
    public var classNames: [String] { (0..<classes).map { "class_\($0)_of_super_\($0 % superclasses)" } }
    public var classWeights: [Double] { weights }
    public var resolvedSpec: JSONValue { resolvedParameters.spec(type: name) }
    public var groundTruth: JSONValue {
        .object([
            "class_counts": JSONValue(layout.counts), "class_weights": JSONValue(weights),
            "superclass_of_class": JSONValue((0..<classes).map { $0 % superclasses }),
            "note": .string("class centres and bases are reproducible from the spec and seed; they are not listed"),
        ])
    }

    public func fill(_ output: GeneratorOutput) {
        let (rows, features, labels, _) = output._unsafe.parts
        let n = rows.count, d = dim, r = rank
        let width = r + d
        var z = [Float](repeating: 0, count: n * width)
        var label = [Int](repeating: 0, count: n)
        z.withUnsafeMutableBufferPointer { zp in
            for (i, row) in rows.enumerated() {
                label[i] = layout.place(row).label
                labels?[i] = Int32(label[i])
                _UnsafeNormalKernel.fill(stream: samples, row: UInt64(row), out: UnsafeMutableBufferPointer(rebasing: zp[(i * width)..<((i + 1) * width)]))
            }
        }
        // Centre plus isotropic noise.
        let noise = Float(isotropicNoise / Double(d).squareRoot())
        for i in 0..<n {
            let out = features + i * d
            let c = label[i] * d
            for j in 0..<d { out[j] = classCentres.storage[c + j] + noise * z[i * width + r + j] }
        }
        // Low-rank part: one gemm per superclass over its rows in this block.
        if r > 0 {
            var members = [[Int]](repeating: [], count: superclasses)
            for i in 0..<n { members[label[i] % superclasses].append(i) }
            var latent = [Float](), product = [Float]()
            for (s, idx) in members.enumerated() where !idx.isEmpty {
                latent.removeAll(keepingCapacity: true)
                for i in idx {
                    let sc = label[i] * r
                    for j in 0..<r { latent.append(z[i * width + j] * latentScales.storage[sc + j]) }
                }
                product = [Float](repeating: 0, count: idx.count * d)
                latent.withUnsafeBufferPointer { l in
                    bases[s].storage.withUnsafeBufferPointer { w in
                        product.withUnsafeMutableBufferPointer { p in
                            _UnsafeReproducibleProductKernel.run(
                                m: idx.count, n: d, k: r, a: l.baseAddress!, lda: r, b: w.baseAddress!, ldb: d,
                                c: p.baseAddress!, ldc: d, accumulate: false)
                        }
                    }
                }
                for (m, i) in idx.enumerated() {
                    let out = features + i * d
                    for j in 0..<d { out[j] += product[m * d + j] }
                }
            }
        }
        if normalize {
            for i in 0..<n {
                let out = features + i * d
                var ss: Float = 0
                for j in 0..<d { ss += out[j] * out[j] }
                let inv = ss > 0 ? 1 / ss.squareRoot() : 0
                for j in 0..<d { out[j] *= inv }
            }
        }
    }

    /// A row is μ_c + (z ⊙ λ_c ⊙ σ)·W_s + noise·ε/√D: at most max|μ| + Z·noise/√D
    /// + Z·max_j Σ_l (λσ)_l·|W_s[l][j]| (with the largest λσ of the
    /// superclass's classes). Normalizing sums the squares of a row in
    /// float32, so that sum, bound²·D, must be finite too.
    public var valueBound: ValueBound {
        let z = ValueBound.normal, d = dim, r = rank
        let centres = classCentres.storage.reduce(0.0) { max($0, Double(abs($1))) }
        var spread = 0.0
        for (s, basis) in bases.enumerated() where r > 0 {
            var scales = [Double](repeating: 0, count: r)
            for c in stride(from: s, to: classes, by: superclasses) {
                for l in 0..<r { scales[l] = max(scales[l], Double(latentScales.storage[c * r + l])) }
            }
            for j in 0..<d {
                var sum = 0.0
                for l in 0..<r { sum += scales[l] * Double(abs(basis.storage[l * d + j])) }
                spread = max(spread, z * sum)
            }
        }
        let bound = centres + z * isotropicNoise / Double(d).squareRoot() + spread
        return ValueBound(magnitude: normalize ? max(bound, bound * bound * Double(d)) : bound,
                          parameters: "superclass_spread \(JSONValue.format(superclassSpread)), class_spread \(JSONValue.format(classSpread)), within_scale \(JSONValue.format(withinScale)) and isotropic_noise \(JSONValue.format(isotropicNoise))" + (normalize ? " (normalized rows sum their squares)" : ""))
    }

    public func boundary(features: Span<Float>, label: Int) -> (margin: Float, competitor: Int) {
        centroidBoundary.margin(features, label: label, scale: Float(max(classSpread, 1e-6)))
    }
}
