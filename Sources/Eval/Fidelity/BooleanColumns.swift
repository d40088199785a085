import SynthctlCore

/// A boolean column as the by-type fidelity reads it: two categories, not a
/// number. The table readers store a boolean (Parquet BOOLEAN, a CSV column
/// of true/false) as 0/1 in a numeric column and the schema records its
/// type, so the distance metrics encode it as today; column shapes, column
/// pair trends and the compare page's charts treat it as categorical, as
/// SDMetrics treats its `boolean` sdtype (TVComplement, ContingencySimilarity;
/// sdmetrics 0.32 `reports/single_table/_properties/column_shapes.py`).
///
/// Codes: 0 for false (0), 1 for true (1), 2 for any other value (a
/// synthetic value a model left between 0 and 1), which counts as a
/// category the human rows lack.
enum BooleanColumns {
    /// The categories the codes stand for, in code order.
    static let categories = ["false", "true", "other"]

    /// Column `j` of `m` as codes 0 (false), 1 (true), 2 (other), one per row.
    static func codes(_ m: Matrix, _ j: Int) -> [Int32] {
        var out = [Int32](repeating: 0, count: m.rows)
        m.storage.withUnsafeBufferPointer { p in
            for r in 0..<m.rows {
                let v = p[r * m.columns + j]
                out[r] = v == 0 ? 0 : v == 1 ? 1 : 2
            }
        }
        return out
    }
}
