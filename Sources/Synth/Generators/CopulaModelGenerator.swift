import Foundation
import SynthctlCore

/// Samples a fitted Gaussian copula (`synthctl fit --model copula`): row i
/// gets its class from the exact class counts of the model's weights, then
/// z = L_c·ε from the row's own normals, and each z_j goes through class
/// c's piecewise-linear map from normal scores to feature quantiles,
/// continued beyond the end knots by the fitted tails (a model without
/// tails clamps there; a strictly positive column's lower tail is
/// continued on the log scale, so that it stays positive), then the column
/// types (``FittedColumns``).
///
/// Spec: the model file's fields or `model_file` (see ``FittedModelGenerator``), plus `shuffle` (true). The products use
/// ``ReproducibleProduct``'s kernel and the map is comparisons and one
/// linear interpolation, so the bytes depend only on the model and the seed.
public struct CopulaModelGenerator: FittedModelGenerator {
    public let name = "copula_model"
    public let model: GaussianCopulaModel
    public let shuffle: Bool
    public var modelFile: ModelFileReference?
    let layout: ClassLayout
    let samples: RandomStream
    let transposedFactors: [[Float]]
    /// Per feature, whether its lower tail continues on the log scale
    /// (``FittedColumns/Column/isStrictlyPositive``).
    let logLowerTail: [Bool]

    public init(model: GaussianCopulaModel, rows: Int, seed: UInt64, shuffle: Bool = true) {
        self.model = model
        self.shuffle = shuffle
        let d = model.featureCount
        layout = FittedModelFile.layout(weights: model.classes.map(\.weight), rows: rows, shuffle: shuffle, seed: seed)
        samples = RandomStream(seed: seed, .rows)
        transposedFactors = model.classes.map { FittedModelFile.transposedFactor($0.cholesky, order: d) }
        logLowerTail = (0..<d).map { j in model.columns?.columns[j].isStrictlyPositive ?? false }
    }

    public var featureColumns: FittedColumns? { model.columns }

    public var groundTruth: JSONValue {
        .object(["class_counts": JSONValue(layout.counts), "fitted_rows_per_class": JSONValue(model.classes.map(\.rows))])
    }

    /// Values are the model's quantiles (or between two of them, or on a
    /// tail's line beyond them); the normal
    /// scores L_c·z they are looked up by, at most Z·Σ_l |L_c[j][l]|, must be
    /// finite too.
    public var valueBound: ValueBound {
        let d = model.featureCount
        let bound = model.classes.map { part in
            let scores = ValueBound.normal * ValueBound.largestRowSum(part.cholesky, rows: d, columns: d)
            // A tail adds at most its slope times the score's distance past the end knot (< the score itself).
            let tail = (part.tailSlopes.max() ?? 0) * scores
            return max(scores, part.quantiles.joined().reduce(0.0) { max($0, abs($1)) } + tail)
        }.max() ?? 0
        return ValueBound(magnitude: bound, parameters: "the model's quantiles and correlation factors")
    }

    public func fill(_ output: GeneratorOutput) {
        let (rows, features, labels, _) = output._unsafe.parts
        let d = featureCount, k = model.classes.count
        let members = FittedModelFile.placeRows(rows, layout: layout, classes: k, labels: labels)
        for c in 0..<k where !members[c].isEmpty {
            let z = FittedModelFile.correlatedNormals(members[c], firstRow: rows.lowerBound, factor: transposedFactors[c],
                                                      dimensions: d, samples: samples)
            let part = model.classes[c], grid = part.normalScores, g = grid.count
            let tails = part.tailSlopes, hasTails = !tails.isEmpty
            for (t, r) in members[c].enumerated() {
                let out = features + r * d
                for j in 0..<d {
                    let v = Double(z[t * d + j]), q = part.quantiles[j]
                    // Beyond the end knots: the fitted tail's line, or the end knot (a model without tails).
                    // A strictly positive column's lower tail is the line on the log scale with the
                    // same slope at the knot, q₀·exp(s·(v − z₀)/q₀): it stays above 0 where the line
                    // crossed it (and piled the mass below on a 0 the human data never shows).
                    if v <= grid[0] {
                        let line = hasTails ? tails[2 * j] * (v - grid[0]) : 0
                        out[j] = Float(logLowerTail[j] && q[0] > 0 ? q[0] * exp(line / q[0]) : q[0] + line)
                        continue
                    }
                    if v >= grid[g - 1] { out[j] = Float(hasTails ? q[g - 1] + tails[2 * j + 1] * (v - grid[g - 1]) : q[g - 1]); continue }
                    var lo = 0, hi = g - 1  // grid[lo] < v < grid[hi]
                    while hi - lo > 1 { let mid = (lo + hi) / 2; if grid[mid] <= v { lo = mid } else { hi = mid } }
                    out[j] = Float(q[lo] + (q[hi] - q[lo]) * (v - grid[lo]) / (grid[hi] - grid[lo]))
                }
                model.columns?.apply(out, classIndex: c)
            }
        }
    }
}
