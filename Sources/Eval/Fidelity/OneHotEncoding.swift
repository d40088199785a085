import SynthctlCore

/// Categorical columns in `compare`'s standardized feature space: one
/// column per category, the row's category set to 1/√2, the others 0,
/// appended after the standardized numeric columns.
///
/// Why 1/√2: two rows that differ in one categorical column differ in two
/// one-hot columns (the category one left and the one it took), so their
/// squared distance is 2·s²; s = 1/√2 makes a change of category a unit
/// distance — the distance a standardized numeric column moves when its
/// value changes by one standard deviation of the human training rows.
/// scikit-learn's `OneHotEncoder` (0/1) beside `StandardScaler` would make a
/// change of category weigh √2 standard deviations, and a numeric column
/// scaled by its own spread would not be comparable with it at all. Not
/// standardized per one-hot column: a rare category (p = 0.01) would then
/// be 10 standard deviations wide and dominate every distance.
///
/// Every metric that measures in the feature space — PRDC, DCR and
/// privacy, MMD and KID, Fréchet and the detectors — sees these columns;
/// the marginal statistics (KS, Wasserstein, correlations) keep the
/// numeric columns, and categorical columns have their own by-type
/// fidelity (``ColumnShapes``, ``ColumnPairTrends``).
public enum OneHotEncoding {
    /// The value of a row's own category: 1/√2 (see above).
    public static let scale = Float(0.5.squareRoot())

    /// `x` (rows × D) with each column of `codes` (per column one code per
    /// row, −1 for none: all zeros) appended as `categoryCounts[k]` one-hot
    /// columns; `x` itself when there are no codes.
    public static func appending(_ x: Matrix, codes: [[Int32]], categoryCounts: [Int]) -> Matrix {
        precondition(codes.count == categoryCounts.count)
        guard !codes.isEmpty else { return x }
        let d = x.columns, width = d + categoryCounts.reduce(0, +)
        var out = Matrix(rows: x.rows, columns: width)
        out.storage.withUnsafeMutableBufferPointer { z in
            x.storage.withUnsafeBufferPointer { v in
                for r in 0..<x.rows {
                    for j in 0..<d { z[r * width + j] = v[r * d + j] }
                    var offset = d
                    for (k, column) in codes.enumerated() {
                        precondition(column.count == x.rows)
                        let c = Int(column[r])
                        if c >= 0 { z[r * width + offset + c] = scale }
                        offset += categoryCounts[k]
                    }
                }
            }
        }
        return out
    }
}
