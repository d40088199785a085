import SynthctlCore

/// Term frequency × inverse document frequency over hashed rows:
/// scikit-learn's `TfidfTransformer` with its defaults (`smooth_idf`,
/// no `sublinear_tf`, `norm="l2"`), as it is used after a
/// ``HashingVectorizer`` with `norm=None` (Salton & Buckley 1988; the
/// smoothed form is scikit-learn's).
///
/// Fitted on n rows, a bucket's document frequency df is the number of
/// rows that store it — an entry whose signed counts cancelled to 0 is
/// stored and counts, as `np.bincount` over the CSR indices counts it —
/// and its weight is idf = ln((n + 1)/(df + 1)) + 1, computed in that
/// order (the division, then the logarithm, then + 1; the logarithm is
/// ``polynomialLog(_:)``, the same on every CPU, where the C library's
/// picks a code path by CPU). A row's values are
/// multiplied by their buckets' idf and divided by their Euclidean norm.
/// A bucket no fitted row stores has df = 0.
public struct TfidfWeighting: Sendable {
    public let rows: Int
    /// idf of each bucket stored by some fitted row.
    private let weights: [Int32: Double]
    /// idf of a bucket no fitted row stores: ln(n + 1) + 1.
    private let unseen: Double

    /// Fits the document frequencies of `rows` (from a vectorizer with
    /// `normalize` off: the weights are meant for counts).
    public init(fitting rows: [HashingVectorizer.Row]) {
        var df: [Int32: Int] = [:]
        for row in rows { for j in row.indices { df[j, default: 0] += 1 } }
        self.rows = rows.count
        weights = df.mapValues { Self.idf(documentFrequency: $0, rows: rows.count) }
        unseen = Self.idf(documentFrequency: 0, rows: rows.count)
    }

    /// ln((n + 1)/(df + 1)) + 1 for a bucket stored by `df` of `n` rows.
    public static func idf(documentFrequency df: Int, rows n: Int) -> Double {
        polynomialLog(Double(n + 1) / Double(df + 1)) + 1
    }

    /// The idf of bucket `j`.
    public func idf(_ j: Int32) -> Double { weights[j] ?? unseen }

    /// `row` weighted and L2-normalized (a row of zeros stays zeros).
    public func transform(_ row: HashingVectorizer.Row) -> HashingVectorizer.Row {
        var values = [Double]()
        Self.weigh(row.indices, row.values, idf: idf, into: &values)
        return HashingVectorizer.Row(indices: row.indices, values: values)
    }

    /// One row's counts, each times its bucket's `idf`, then L2-normalized,
    /// into `out` (reused across rows by the embedder).
    @inline(__always)
    static func weigh(_ indices: [Int32], _ values: [Double], idf: (Int32) -> Double, into out: inout [Double]) {
        out.removeAll(keepingCapacity: true)
        for (j, v) in zip(indices, values) { out.append(v * idf(j)) }
        HashingVectorizer.normalize(&out)
    }
}
