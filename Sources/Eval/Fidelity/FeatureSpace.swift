import SynthctlCore

/// The space `compare`'s distance-based metrics measure in.
///
/// A Euclidean distance adds squared differences of every column, so in the
/// columns' own units a column in thousands outweighs one in hundredths by
/// a factor of 10¹⁰: on such a table a mixture model that gets the small
/// columns wrong scored precision 0.975 and coverage 0.987 in raw units
/// (better than the human holdout) and 0.002 and 0.003 on z-scored
/// columns, and KID reached 10¹². The default space therefore standardizes
/// each column by the **human training rows** — the reference every metric
/// compares with — and applies that same transform to the holdout, the
/// baselines and the synthetic rows. It is never refitted on the synthetic
/// set: a synthetic column with the wrong spread must show as such.
///
/// Standardized: z = (x − μ) / σ per column, μ the mean and σ the
/// population standard deviation (divisor n) of the training rows, as
/// scikit-learn's `StandardScaler`; a constant column (σ = 0) is centred and
/// left unscaled (σ taken as 1, as `StandardScaler` does), and reported.
/// μ and σ are computed in Double (two passes); z is computed in Double and
/// rounded once to Float32, so a column multiplied by a constant c > 0
/// gives the same z up to one float32 rounding.
///
/// Raw: the columns as they are (every metric as before the space existed).
public struct FeatureSpace: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Columns standardized by the human training rows (the default).
        case standardized
        /// The columns' own units.
        case raw
    }

    public let kind: Kind
    /// The rows the transform was fitted on (the human training rows); 0 for raw.
    public let fittedRows: Int
    /// Per column (D), the training rows' mean, in the column's units; empty for raw.
    public let means: [Double]
    /// Per column (D), the training rows' population standard deviation, in
    /// the column's units (0 for a constant column); empty for raw.
    public let standardDeviations: [Double]

    /// The raw space: nothing is transformed.
    public static let raw = FeatureSpace(kind: .raw, fittedRows: 0, means: [], standardDeviations: [])

    init(kind: Kind, fittedRows: Int, means: [Double], standardDeviations: [Double]) {
        self.kind = kind
        self.fittedRows = fittedRows
        self.means = means
        self.standardDeviations = standardDeviations
    }

    /// Fits the space of `kind` on `reference` (rows × D, the human training rows).
    public init(_ kind: Kind, fittedOn reference: Matrix) {
        guard kind == .standardized else { self = .raw; return }
        let n = reference.rows, d = reference.columns
        var mean = [Double](repeating: 0, count: d), sd = [Double](repeating: 0, count: d)
        var low = [Float](repeating: .infinity, count: d), high = [Float](repeating: -.infinity, count: d)
        reference.storage.withUnsafeBufferPointer { x in
            for r in 0..<n {
                for j in 0..<d {
                    let v = x[r * d + j]
                    mean[j] += Double(v)
                    low[j] = min(low[j], v)
                    high[j] = max(high[j], v)
                }
            }
            if n > 0 { for j in 0..<d { mean[j] /= Double(n) } }
            for r in 0..<n {
                for j in 0..<d {
                    let e = Double(x[r * d + j]) - mean[j]
                    sd[j] += e * e
                }
            }
        }
        for j in 0..<d {
            // Decided on the values, not the sum: n equal values can give a
            // rounded mean and a tiny nonzero σ, and a huge scale with it.
            sd[j] = n == 0 || low[j] == high[j] ? 0 : (sd[j] / Double(n)).squareRoot()
        }
        self.init(kind: .standardized, fittedRows: n, means: mean, standardDeviations: sd)
    }

    /// Columns (from 0) that are constant in the training rows: centred, not scaled.
    public var unscaledColumns: [Int] { standardDeviations.indices.filter { standardDeviations[$0] == 0 } }

    /// `x` (rows × D, the columns the space was fitted on, in their units)
    /// in this space; `x` itself for raw.
    public func apply(_ x: Matrix) -> Matrix {
        guard kind == .standardized else { return x }
        precondition(x.columns == means.count, "the feature space was fitted on \(means.count) columns, not \(x.columns)")
        let d = x.columns
        let scale = standardDeviations.map { $0 > 0 ? 1 / $0 : 1 }
        var out = x
        out.storage.withUnsafeMutableBufferPointer { z in
            for r in 0..<x.rows {
                for j in 0..<d { z[r * d + j] = Float((Double(z[r * d + j]) - means[j]) * scale[j]) }
            }
        }
        return out
    }

    /// The words a report says the space in ("standardized by the 700 human
    /// training rows (constant columns centred, not scaled: 2)").
    public func description(columnNames: [String]) -> String {
        guard kind == .standardized else { return "raw (the columns' own units)" }
        var text = "standardized (each column centred and scaled by the mean and standard deviation of the \(fittedRows) human training rows; the holdout and the synthetic rows transformed the same way)"
        let unscaled = unscaledColumns
        if !unscaled.isEmpty {
            let names = unscaled.map { $0 < columnNames.count ? columnNames[$0] : String($0) }
            text += "; constant in the training rows, centred and not scaled: " + names.joined(separator: ", ")
        }
        return text
    }
}
