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

    /// Fits the document frequencies `counts` (of bucket j at j: an array
    /// over every bucket) of `rows` texts.
    init(documentFrequencies counts: [Int32], rows: Int) {
        self.rows = rows
        var byFrequency = [Int32: Double]()
        dense = counts.map { Self.idf($0, rows: rows, cache: &byFrequency) }
        sparse = [:]
        unseen = Self.idf(0, rows: rows, cache: &byFrequency)
    }

    /// Fits the document frequencies `counts` (of the buckets some text
    /// stores) of `rows` texts.
    init(documentFrequencies counts: [Int32: Int32], rows: Int) {
        self.rows = rows
        var byFrequency = [Int32: Double]()
        dense = []
        sparse = counts.mapValues { Self.idf($0, rows: rows, cache: &byFrequency) }
        unseen = Self.idf(0, rows: rows, cache: &byFrequency)
    }

    /// ``TfidfWeighting/idf(documentFrequency:rows:)``, one logarithm per distinct frequency.
    private static func idf(_ f: Int32, rows: Int, cache: inout [Int32: Double]) -> Double {
        if let w = cache[f] { return w }
        let w = TfidfWeighting.idf(documentFrequency: Int(f), rows: rows)
        cache[f] = w
        return w
    }

    /// The weight of bucket `j`.
    @inline(__always)
    public subscript(_ j: Int32) -> Double {
        dense.isEmpty ? sparse[j] ?? unseen : dense[Int(j)]
    }
}
