/// A linear regression problem with known coefficients (scikit-learn's
/// `make_regression`, without the low-rank option).
///
/// X ~ N(0, I); y = X·w + bias + noise·ε with ε ~ N(0, 1). The true w is
/// written to the manifest, so a fitted model can be checked against it.
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
public struct RegressionGenerator: DatasetGenerator {
    public let name = "regression"
    public let featureCount: Int
    public let informative: Int
    public let targetCount: Int
    public let bias: Double
    public let noise: Double
    /// featureCount × targetCount, row-major.
    public let coefficients: Matrix
    public let informativeColumns: [Int]
    let samples: RandomStream

    public init(spec: SpecObject, rows: Int, seed: UInt64) throws {
        featureCount = try spec.int("features", default: 100, min: 1, max: 1 << 20)
        informative = try spec.int("informative", default: 10, min: 0)
        targetCount = try spec.int("targets", default: 1, min: 1, max: 4096)
        bias = try spec.double("bias", default: 0)
        noise = try spec.double("noise", default: 0, min: 0)
        try spec.finish()
        guard informative <= featureCount else {
            throw SynthError("\(spec.source): \(spec.path).informative: expected at most features (\(featureCount)), found \(informative)")
        }
        let draws = StructureDraws(seed: seed)
        informativeColumns = Array(draws.permutation(1, featureCount).prefix(informative)).sorted()
        var w = Matrix(rows: featureCount, columns: targetCount)
        for (i, col) in informativeColumns.enumerated() {
            for t in 0..<targetCount { w[col, t] = Float(100 * draws.uniform(2, i * targetCount + t)) }
        }
        coefficients = w
        samples = RandomStream(seed: seed, purpose: .samples)
    }

    public var labelKind: LabelKind { .targets(count: targetCount) }
    public var featureNames: [String] { numberedNames("x", featureCount) }
    public var classNames: [String] { [] }
    public var resolvedSpec: JSONValue {
        .object(["type": .string(name), "features": .int(featureCount), "informative": .int(informative),
                 "targets": .int(targetCount), "bias": .double(bias), "noise": .double(noise)])
    }
    public var groundTruth: JSONValue {
        .object(["coefficients": JSONValue(coefficients), "informative_columns": JSONValue(informativeColumns),
                 "bias": .double(bias), "residual_std": .double(noise)])
    }

    public func fill(rows: Range<Int>, features: UnsafeMutablePointer<Float>,
                     labels: UnsafeMutablePointer<Int32>?, targets: UnsafeMutablePointer<Float>?) {
        let n = rows.count, d = featureCount, t = targetCount
        for (r, row) in rows.enumerated() {
            samples.fillNormals(row: UInt64(row), into: UnsafeMutableBufferPointer(start: features + r * d, count: d))
        }
        guard let targets else { return }
        let residual = samples.substream(1)
        for (r, row) in rows.enumerated() {
            let y = UnsafeMutableBufferPointer(start: targets + r * t, count: t)
            residual.fillNormals(row: UInt64(row), into: y)
            for j in 0..<t { y[j] = Float(bias) + Float(noise) * y[j] }
        }
        coefficients.storage.withUnsafeBufferPointer { w in
            BLAS.gemm(m: n, n: t, k: d, a: features, lda: d, b: w.baseAddress!, ldb: t, beta: 1, c: targets, ldc: t)
        }
    }
}
