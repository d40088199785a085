import SynthctlCore

/// A linear regression problem with known coefficients (scikit-learn's
/// `make_regression`).
///
/// X ~ N(0, I), or with `effective_rank` X ~ N(0, V·diag(s²)·Vᵀ);
/// y = X·w + bias + noise·ε with ε ~ N(0, 1). The true w is written to the
/// manifest, so a fitted model can be checked against it.
///
/// The low-rank option differs from scikit-learn's on purpose: scikit-learn
/// builds X = U·diag(s)·Vᵀ with U's n orthonormal columns, so every entry of X
/// shrinks as 1/√n and the data depend on the row count. Here each row is
/// drawn independently as z·diag(s)·Vᵀ with z ~ N(0, I): the same singular
/// value profile s and a Haar-random orthogonal V (the eigenvectors of a
/// random symmetric Gaussian matrix), without the 1/√n.
///
/// Parameters and their effect on the data:
/// - `features` (100): columns of X.
/// - `informative` (10): how many coefficients are non-zero; their values are
///   100·U(0, 1) and their columns are chosen at random (listed in the
///   manifest). The other features do not affect y.
/// - `targets` (1): columns of y, each with its own coefficients.
/// - `bias` (0.0): added to every target.
/// - `noise` (0.0): standard deviation of the residual; the residual variance
///   of the true model is noise².
/// - `effective_rank` (none): when given, the features are correlated and
///   most of their variance lies in about this many directions:
///   s_i = (1 − tail_strength)·exp(−(i / effective_rank)²)
///   + tail_strength·exp(−0.1·i / effective_rank), for i = 0..<features.
/// - `tail_strength` (0.5): with `effective_rank`, the relative weight of the
///   slowly decaying tail of s (0: a sharp low-rank profile; 1: a long tail).
public struct RegressionGenerator: SpecifiedGenerator {
    public let name = "regression"
    public let featureCount: Int
    public let informative: Int
    public let targetCount: Int
    public let bias: Double
    public let noise: Double
    /// featureCount × targetCount, row-major.
    public let coefficients: Matrix
    public let informativeColumns: [Int]
    public let effectiveRank: Double?
    public let tailStrength: Double
    /// With `effective_rank`: the singular value profile s and the
    /// features × features map diag(s)·Vᵀ applied to each row's normals.
    public let singularValues: [Double]?
    let lowRankMap: Matrix?
    let samples: RandomStream
    /// The parameters as read, for the manifest.
    let resolvedParameters: ResolvedParameters

    public static let parameters: [GeneratorParameter] = [
        .init("features", .integer(default: 100, min: 1, max: 1 << 20), "columns of X"),
        .init("informative", .integer(default: 10, min: 0), "non-zero coefficients, 100·U(0, 1) on random columns; at most features"),
        .init("targets", .integer(default: 1, min: 1, max: 4096), "columns of y, each with its own coefficients"),
        .init("bias", .number(default: 0), "added to every target"),
        .init("noise", .number(default: 0, min: 0), "standard deviation of the residual"),
        .init("effective_rank", .number(default: nil, min: 0, exclusiveMin: true), "when given, correlated features whose variance lies in about this many directions"),
        .init("tail_strength", .number(default: 0.5, min: 0, max: 1), "with effective_rank, the weight of the singular values' slowly decaying tail"),
    ]

    public init(spec: SpecObject, rows: Int, seed: UInt64) throws {
        var p = GeneratorParameterReader(spec, Self.parameters)
        featureCount = try p.int("features")
        informative = try p.int("informative")
        targetCount = try p.int("targets")
        bias = try p.number("bias")
        noise = try p.number("noise")
        effectiveRank = try p.double("effective_rank")
        tailStrength = try p.number("tail_strength")
        resolvedParameters = try p.finish()
        guard informative <= featureCount else {
            throw SpecError(source: spec.source, path: "\(spec.path).informative", expected: "at most features (\(featureCount))", found: "\(informative)")
        }
        var estimate = MemoryEstimate()
        estimate.add("coefficients (features × targets × 4 bytes, and the manifest's copy × 24)", featureCount, targetCount, 28,
                     parameter: "\(spec.path).features")
        try MemoryBudget.current.check(estimate, subject: spec.source)
        let draws = StructureDraws(seed: seed)
        informativeColumns = Array(draws.permutation(.regressionInformativeColumns, featureCount).prefix(informative)).sorted()
        var w = Matrix(rows: featureCount, columns: targetCount)
        for (i, col) in informativeColumns.enumerated() {
            for t in 0..<targetCount { w[col, t] = Float(100 * draws.uniform(.regressionCoefficients, i * targetCount + t)) }
        }
        coefficients = w
        samples = RandomStream(seed: seed, .rows)
        if let rank = effectiveRank {
            let d = featureCount, tail = tailStrength
            guard d <= 4096 else {
                throw SpecError(source: spec.source, path: "\(spec.path).features",
                                expected: "at most 4096 features with effective_rank (the mixing matrix is features × features)", found: "\(d)")
            }
            let s = (0..<d).map { i -> Double in
                let ratio = Double(i) / rank
                let bell: Double = polynomialExp(-ratio * ratio), tailPart: Double = polynomialExp(-0.1 * Double(i) / rank)
                return (1 - tail) * bell + tail * tailPart
            }
            // The orthogonal factor of a Gaussian matrix (signs fixed) is
            // Haar-distributed; computed in a fixed order, not by LAPACK,
            // whose blocked routines round by CPU.
            var g = [Double](repeating: 0, count: d * d)
            for i in 0..<d { for j in 0..<d { g[i * d + j] = Double(Float(draws.normal(.regressionMixing, i * d + j))) } }
            let v = ReproducibleOrthogonal.qFactor(g, order: d)
            var map = Matrix(rows: d, columns: d)
            for k in 0..<d { for j in 0..<d { map[k, j] = Float(s[k] * v[j * d + k]) } }
            singularValues = s
            lowRankMap = map
        } else {
            singularValues = nil
            lowRankMap = nil
        }
    }

    public var labelKind: LabelKind { .targets(count: targetCount) }
    public var featureNames: [String] { numberedNames("x", featureCount) }
    public var classNames: [String] { [] }
    public var resolvedSpec: JSONValue { resolvedParameters.spec(type: name) }
    public var groundTruth: JSONValue {
        .object(["coefficients": JSONValue(coefficients), "informative_columns": JSONValue(informativeColumns),
                 "bias": .double(bias), "residual_std": .double(noise),
                 "singular_values": singularValues.map { JSONValue($0) } ?? .null])
    }

    /// Features are normals (at most Z) or z·diag(s)·Vᵀ (at most Z times the
    /// map's largest column sum); targets are bias + noise·ε + x·w, at most
    /// |bias| + noise·Z + (feature bound)·max_t Σ_j |w[j][t]|.
    public var valueBound: ValueBound {
        let z = ValueBound.normal, d = featureCount
        let x = lowRankMap.map { z * ValueBound.largestColumnSum($0.storage, rows: d, columns: d) } ?? z
        let y = abs(bias) + noise * z + x * ValueBound.largestColumnSum(coefficients.storage, rows: d, columns: targetCount)
        return ValueBound(magnitude: max(x, y), parameters: "bias \(JSONValue.format(bias)) and noise \(JSONValue.format(noise))")
    }

    public func fill(_ output: GeneratorOutput) {
        let (rows, features, _, targets) = output._unsafe.parts
        let n = rows.count, d = featureCount, t = targetCount
        if let lowRankMap {
            let z = UnsafeMutablePointer<Float>.allocate(capacity: n * d)
            defer { z.deallocate() }
            for (r, row) in rows.enumerated() {
                _UnsafeNormalKernel.fill(stream: samples, row: UInt64(row), out: UnsafeMutableBufferPointer(start: z + r * d, count: d))
            }
            lowRankMap.storage.withUnsafeBufferPointer { m in
                _UnsafeReproducibleProductKernel.run(m: n, n: d, k: d, a: z, lda: d, b: m.baseAddress!, ldb: d,
                                                     c: features, ldc: d, accumulate: false)
            }
        } else {
            for (r, row) in rows.enumerated() {
                _UnsafeNormalKernel.fill(stream: samples, row: UInt64(row), out: UnsafeMutableBufferPointer(start: features + r * d, count: d))
            }
        }
        guard let targets else { return }
        let residual = samples.substream(.regressionResidual)
        for (r, row) in rows.enumerated() {
            let y = UnsafeMutableBufferPointer(start: targets + r * t, count: t)
            _UnsafeNormalKernel.fill(stream: residual, row: UInt64(row), out: y)
            for j in 0..<t { y[j] = Float(bias) + Float(noise) * y[j] }
        }
        coefficients.storage.withUnsafeBufferPointer { w in
            _UnsafeReproducibleProductKernel.run(m: n, n: t, k: d, a: features, lda: d, b: w.baseAddress!, ldb: t,
                                                 c: targets, ldc: t, accumulate: true)
        }
    }
}
