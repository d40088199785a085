import Synth
import SynthctlCore

extension LabeledFeatures {
    /// The set with its text column `column` replaced by the texts'
    /// embeddings: ``HashingEmbedder/dimensions`` numeric feature columns
    /// named `column[0]`, `column[1]`, … after the other features, so that
    /// every command that reads feature vectors (score, compare, limits,
    /// fit) reads a text classification set.
    ///
    /// A table's string column arrives as a categorical column (one code
    /// per row into its distinct values, ``CategoricalColumn``): each
    /// distinct text is embedded once and its vector copied to the rows
    /// that hold it, so a repeated text costs one embedding. A text's vector
    /// depends on that text alone (``HashingEmbedder`` without TF-IDF), so
    /// two sets embedded apart — compare's human and synthetic sides — are
    /// in one space.
    ///
    /// - Parameters:
    ///   - column: the text column's name.
    ///   - embedder: without TF-IDF (an idf fitted on one set would give
    ///     another set's texts other weights).
    /// - Throws: ``InputError`` when the set has no such column, it holds
    ///   numbers, or a column already has an embedding's name;
    ///   ``MissingValueError`` at the first row whose text is
    ///   missing (`--drop-missing` drops such rows as it does others).
    public func embeddingText(column: String, with embedder: HashingEmbedder, threads: Int) throws -> LabeledFeatures {
        precondition(!embedder.tfidf, "a text's embedding must not depend on the set it is read with")
        return try embeddingText(column: column, dimensions: embedder.dimensions) { texts in
            var vectors = [Float](repeating: 0, count: texts.count * embedder.dimensions)
            var span = vectors.mutableSpan
            embedder.embed(TextColumn(source: source, column: column, texts: texts), range: 0..<texts.count, idf: nil, threads: threads, into: &span)
            return vectors
        }
    }

    /// As ``embeddingText(column:with:threads:)``, each distinct text
    /// embedded by a sentence-transformers model (``SentenceTransformer``),
    /// whose vector for a text depends on that text alone too; through
    /// `cache` (its vectors kept from earlier runs, and the new ones kept)
    /// when given.
    public func embeddingText(column: String, with model: SentenceTransformer, cache: EmbeddingCache? = nil, threads: Int) throws -> LabeledFeatures {
        try embeddingText(column: column, dimensions: model.dimensions) {
            cache?.embeddings(of: $0, model: model, threads: threads) ?? model.embed($0, threads: threads)
        }
    }

    /// The work of both: `embed` maps the column's distinct texts to their
    /// vectors, texts.count × `dimensions` float32, row-major.
    private func embeddingText(column: String, dimensions d: Int, embed: ([String]) -> [Float]) throws -> LabeledFeatures {
        guard let position = categoricalColumns.firstIndex(where: { $0.name == column }) else {
            if featureNames.contains(column) {
                throw InputError(file: source, columnName: .named(column), expected: "a text column (strings) to embed", found: "numbers")
            }
            let names = featureNames + categoricalColumns.map(\.name)
            throw InputError(file: source, expected: "a text column \"\(column)\" among the feature columns",
                             found: names.isEmpty ? "no feature columns" : "columns \(NameList.describe(names))")
        }
        let text = categoricalColumns[position]
        if let row = text.codes.firstIndex(where: { $0 < 0 }) {
            throw MissingValueError(InputError(file: source, row: fileRows?[row] ?? row, columnName: .named(column),
                                               expected: "a text", found: "a missing value"))
        }
        let distinct = text.categories.count
        let names = (0..<d).map { "\(column)[\($0)]" }
        let taken = Set(featureNames + categoricalColumns.map(\.name))
        if let clash = names.first(where: taken.contains) {
            throw InputError(file: source, columnName: .named(clash), expected: "no column named as the embedding of \"\(column)\" is",
                             found: "one (rename it)")
        }
        let vectors = embed(text.categories)
        precondition(vectors.count == distinct * d)
        let before = features?.columns ?? 0, width = before + d
        var storage = [Float](repeating: 0, count: rows * width)
        for r in 0..<rows {
            if let features { for j in 0..<before { storage[r * width + j] = features.storage[r * before + j] } }
            let v = Int(text.codes[r]) * d
            for j in 0..<d { storage[r * width + before + j] = vectors[v + j] }
        }
        var out = carryingReadingFields(into: LabeledFeatures(
            source: source, features: Matrix(rows: rows, columns: width, storage: storage),
            featureNames: (features == nil ? [] : featureNames) + names,
            labels: labels, classNames: classNames, truth: truth, trueNoiseMatrix: trueNoiseMatrix, droppedRows: droppedRows,
            excludedColumns: excludedColumns, fileRows: fileRows, featureNamesArePositions: featureNamesArePositions))
        out.categoricalColumns.remove(at: position)
        return out
    }
}
