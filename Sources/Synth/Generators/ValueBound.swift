import SynthctlCore

/// An upper bound on the magnitude of every float32 value a generator
/// computes for a row (features, targets, and intermediate sums such as a
/// squared norm), derived from its formulas, its parameters and its drawn
/// structure (centroids, mixing matrices, bases) — not from rows drawn.
///
/// Each spec number is within float32's range on its own (``SpecObject``
/// checks that), but together they can still overflow: `class_sep: 1e37`
/// pushed through a mixing matrix and `scale: 100` gives 1e39, which float32
/// stores as infinity, and the rows fill with inf and NaN. `DatasetPlan`
/// refuses a generator whose bound exceeds float32's range before anything is
/// written, naming the parameters.
///
/// The bound is sufficient, not necessary: the generators' per-row normals
/// never exceed ``normal`` in magnitude, and each bound takes the worst case
/// of the formula over normals within ±``normal``, so a spec that passes
/// never writes a non-finite value; a spec within a small factor of the
/// limit may be refused although no row drawn would reach it.
public struct ValueBound: Sendable, Equatable {
    /// The largest magnitude any value can reach.
    public let magnitude: Double
    /// The parameters it follows from, as the message names them
    /// ("class_sep 1e+37, shift 0, scale 100").
    public let parameters: String

    public init(magnitude: Double, parameters: String) {
        self.magnitude = magnitude
        self.parameters = parameters
    }

    /// The largest |z| of ``RandomStream/fillNormals(row:into:)``: its radius
    /// √(−2 ln u) uses u ≥ 2^−32, so |z| ≤ √(64 ln 2) = 6.66044; the kernel's
    /// polynomial logarithm, square root, sine and cosine err by less than
    /// 1e-6 relative, and 6.661 covers that (a test evaluates the kernel at
    /// its extreme inputs).
    public static let normal = 6.661

    /// Float32's largest finite value, less a relative 1e-3 for the rounding
    /// of float32 sums of up to a few thousand terms (n·2^−24 ≤ 2.5e-4 for
    /// n ≤ 4096) that a bound on the exact value does not include.
    public static let limit = Double(Float.greatestFiniteMagnitude) / 1.001

    /// Whether every value stays finite in float32 (false for NaN too).
    public var isFinite: Bool { magnitude <= Self.limit }

    /// max over columns j of Σ_i |m[i][j]|, for a row-major `rows × columns` matrix.
    static func largestColumnSum(_ m: [Float], rows: Int, columns: Int) -> Double {
        var sums = [Double](repeating: 0, count: columns)
        for i in 0..<rows { for j in 0..<columns { sums[j] += Double(abs(m[i * columns + j])) } }
        return sums.max() ?? 0
    }

    /// The bound of μ + L·z over |z_l| ≤ Z: max_j |μ_j| + Z·Σ_l |L[j][l]|, for
    /// a row-major d × d factor L.
    static func gaussian(mean: [Double], factor: [Double], order d: Int) -> Double {
        var bound = 0.0
        for j in 0..<d {
            var sum = 0.0
            for l in 0..<d { sum += abs(factor[j * d + l]) }
            bound = max(bound, abs(mean[j]) + normal * sum)
        }
        return bound
    }

    /// max over rows i of Σ_j |m[i][j]|, for a row-major `rows × columns` matrix.
    static func largestRowSum(_ m: [Double], rows: Int, columns: Int) -> Double {
        (0..<rows).map { i in (0..<columns).reduce(0.0) { $0 + abs(m[i * columns + $1]) } }.max() ?? 0
    }
}

extension DatasetPlan {
    /// Refuses a generator whose rows could hold a value beyond float32's range.
    static func checkFiniteValues(_ generator: any DatasetGenerator, source: String) throws {
        let bound = generator.valueBound
        guard bound.isFinite else {
            let reach = bound.magnitude.isNaN ? "NaN" : bound.magnitude.isInfinite ? "infinity" : displayNumber(bound.magnitude)
            throw SpecError(source: source, path: "generator",
                            expected: "parameters whose rows stay within float32's range (|x| ≤ \(displayNumber(Double(Float.greatestFiniteMagnitude))))",
                            found: "\(bound.parameters), which allow values up to \(reach)")
        }
    }
}
