import SynthctlCore

/// The model-free text embedder: each text's hashed n-gram vector
/// (``HashingVectorizer``, optionally TF-IDF weighted as
/// ``TfidfWeighting``) projected to a dense vector of float32 by a
/// ``SparseRandomProjection``.
///
/// Without TF-IDF a text's bucket vector is scikit-learn's
/// `HashingVectorizer(...).transform([text])` row (L2-normalized or not, as
/// the vectorizer's options say). With TF-IDF it is
/// `TfidfTransformer().fit_transform(HashingVectorizer(norm=None, ...).transform(texts))`'s
/// row: the signed counts, times the idf fitted on all the given texts,
/// divided by their Euclidean norm; the fit is a first pass over the texts.
/// The projection's output for a row is then rounded once to float32.
///
/// Each text's vector depends on that text alone (and, with TF-IDF, on the
/// document frequencies of all of them), never on the batch it falls in or
/// the thread count: texts are cut into fixed blocks, each block's rows
/// written to its own place.
public struct HashingEmbedder: Sendable {
    public let vectorizer: HashingVectorizer
    public let tfidf: Bool
    public let projection: SparseRandomProjection

    /// Texts per unit of work handed to a thread.
    static let block = 512

    /// - Precondition: the projection reads the vectorizer's buckets
    ///   (`projection.features == vectorizer.options.features`).
    public init(vectorizer: HashingVectorizer, tfidf: Bool, projection: SparseRandomProjection) {
        precondition(projection.features == vectorizer.options.features, "the projection must read the vectorizer's buckets")
        var options = vectorizer.options
        // TF-IDF weighs raw counts and normalizes after weighting.
        if tfidf { options.normalize = false }
        self.vectorizer = HashingVectorizer(options: options)
        self.tfidf = tfidf
        self.projection = projection
    }

    /// Dimensions of each output row.
    public var dimensions: Int { projection.components }

    /// The idf of every bucket, fitted on `texts` (``TfidfWeighting``'s
    /// formula); nil without TF-IDF.
    public func fit(_ texts: TextColumn, threads: Int) -> InverseDocumentFrequencies? {
        // Texts in memory are served without reading anything: no error.
        try! fit(TextBlocks(texts), threads: threads)
    }

    /// ``fit(_:threads:)`` on one pass over `texts`, a block at a time
    /// (the document frequencies are sums: the blocks' sizes do not
    /// matter). Errors: ``TextBlocks/next(_:)``'s.
    package func fit(_ texts: TextBlocks, threads: Int, blockTexts: Int = 1 << 16) throws -> InverseDocumentFrequencies? {
        guard tfidf else { return nil }
        let features = vectorizer.options.features
        let dense = features <= InverseDocumentFrequencies.denseBuckets
        let workers = max(1, threads)
        // Per worker, kept across blocks: an array over the buckets when they are few enough, else a dictionary.
        var arrays = [[Int32]](repeating: [], count: workers), dictionaries = [[Int32: Int32]](repeating: [:], count: workers)
        texts.rewind()
        while true {
            let block = try texts.next(blockTexts)
            if block.count == 0 { break }
            let pieces = (block.count + Self.block - 1) / Self.block
            arrays.withUnsafeMutableBufferPointer { arrays in
                dictionaries.withUnsafeMutableBufferPointer { dictionaries in
                    Parallel.forEach(workers, threads: workers) { w in
                        guard w < pieces else { return }
                        // Moved out and back, so that the counting loop holds them uniquely.
                        var array = [Int32](), dictionary = [Int32: Int32]()
                        swap(&array, &arrays[w])
                        swap(&dictionary, &dictionaries[w])
                        defer { swap(&array, &arrays[w]); swap(&dictionary, &dictionaries[w]) }
                        if dense && array.isEmpty { array = [Int32](repeating: 0, count: features) }
                        var hashed = HashedCounts(vectorizer)
                        for b in stride(from: w, to: pieces, by: workers) {
                            for i in (b * Self.block)..<min(block.count, (b + 1) * Self.block) {
                                block.withUTF8(i) { hashed.count(utf8: $0) }
                                if dense { for j in hashed.indices { array[Int(j)] += 1 } } else { for j in hashed.indices { dictionary[j, default: 0] += 1 } }
                            }
                        }
                    }
                }
            }
        }
        if dense {
            var df = arrays[0].isEmpty ? [Int32](repeating: 0, count: features) : arrays[0]
            for other in arrays.dropFirst() where !other.isEmpty { for j in 0..<features { df[j] += other[j] } }
            return InverseDocumentFrequencies(documentFrequencies: df, rows: texts.count)
        }
        var df = dictionaries[0]
        for other in dictionaries.dropFirst() { df.merge(other, uniquingKeysWith: +) }
        return InverseDocumentFrequencies(documentFrequencies: df, rows: texts.count)
    }

    /// One thread's buffers for ``embed(_:range:idf:threads:into:)``.
    private struct Worker {
        var hashed: HashedCounts
        var workspace: SparseRandomProjection.Workspace
        var weighted = [Double]()
        init(_ embedder: HashingEmbedder) {
            hashed = HashedCounts(embedder.vectorizer)
            workspace = SparseRandomProjection.Workspace(for: embedder.projection)
        }
    }

    /// Embeds texts `range` of `texts` into `output` (row-major,
    /// `range.count` × ``dimensions`` float32), on `threads` threads;
    /// `idf` is ``fit(_:threads:)``'s.
    public func embed(_ texts: TextColumn, range: Range<Int>, idf: InverseDocumentFrequencies?, threads: Int, into output: inout MutableSpan<Float>) {
        precondition(output.count == range.count * dimensions && (idf != nil) == tfidf)
        output.withUnsafeMutableBufferPointer { output in
            let blocks = (range.count + Self.block - 1) / Self.block
            let d = dimensions
            // Each block writes its own rows of `output` only. A worker's
            // buffers and projection workspace (its cache of columns) serve
            // all the blocks it takes.
            Parallel.forEachTakingNext(blocks, threads: threads, state: { Worker(self) }) { worker, b in
                for i in (range.lowerBound + b * Self.block)..<min(range.upperBound, range.lowerBound + (b + 1) * Self.block) {
                    texts.withUTF8(i) { worker.hashed.count(utf8: $0) }
                    let at = (i - range.lowerBound) * d
                    let destination = UnsafeMutableBufferPointer(rebasing: output[at..<(at + d)])
                    if let idf {
                        TfidfWeighting.weigh(worker.hashed.indices, worker.hashed.values, idf: { idf[$0] }, into: &worker.weighted)
                        projection.project(indices: worker.hashed.indices, values: worker.weighted, into: destination, workspace: &worker.workspace)
                    } else {
                        projection.project(indices: worker.hashed.indices, values: worker.hashed.values, into: destination, workspace: &worker.workspace)
                    }
                }
            }
        }
    }
}
