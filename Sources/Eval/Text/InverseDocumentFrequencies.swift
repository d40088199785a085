/// Each bucket's inverse document frequency, fitted on a set of texts
/// (``TfidfWeighting/idf(documentFrequency:rows:)``): what TF-IDF multiplies
/// a text's counts by.
///
/// Held in an array over every bucket when there are at most 2²² buckets
/// (32 MiB), else only for the buckets some text stores (scikit-learn
/// allows up to 2³¹ − 1 buckets, whose array would take 16 GiB); a bucket
/// no fitted text stores has document frequency 0.
public struct InverseDocumentFrequencies: Sendable {
    /// Buckets up to which the weights are an array.
    static let denseBuckets = 1 << 22

    public let rows: Int
    private let dense: [Double]
    private let sparse: [Int32: Double]
    private let unseen: Double

    /// Fits `counts` (document frequency per bucket, `features` buckets in
    /// all) of `rows` texts.
    init(documentFrequencies counts: [Int32: Int32], features: Int, rows: Int) {
        self.rows = rows
        var byFrequency = [Int32: Double]()  // one logarithm per distinct frequency
        func idf(_ f: Int32) -> Double {
            if let w = byFrequency[f] { return w }
            let w = TfidfWeighting.idf(documentFrequency: Int(f), rows: rows)
            byFrequency[f] = w
            return w
        }
        unseen = idf(0)
        if features <= Self.denseBuckets {
            var dense = [Double](repeating: unseen, count: features)
            for (j, f) in counts { dense[Int(j)] = idf(f) }
            self.dense = dense
            sparse = [:]
        } else {
            dense = []
            sparse = counts.mapValues(idf)
        }
    }

    /// The weight of bucket `j`.
    @inline(__always)
    public subscript(_ j: Int32) -> Double {
        dense.isEmpty ? sparse[j] ?? unseen : dense[Int(j)]
    }
}
