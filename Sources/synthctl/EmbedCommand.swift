import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

/// `synthctl embed`: texts in, one dense float32 vector per text out.
struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed texts as dense vectors (a NumPy .npy of texts × dimensions float32, or a Parquet table with an embedding column), for score, compare and limits.",
        discussion: """
        The texts are a column of a table (CSV, TSV, JSON Lines, Parquet or a directory of Parquet parts; \
        --text-column, default text) or the lines of a text file (a .txt name, or --lines). The hashing \
        embedder needs no model: each text's n-grams are hashed as scikit-learn's HashingVectorizer hashes \
        them (MurmurHash3, --features buckets, alternating signs, L2 norm; the same bucket vector), \
        optionally TF-IDF weighted as TfidfTransformer does (fitted on the given texts), then projected to \
        --dimensions by a seeded sparse random projection (each bucket to --nonzeros dimensions with signs \
        ±1/√nonzeros). The output's rows are the texts in input order, and are the same bytes on every \
        machine and for any --threads.
        """
    )

    /// The embedders there are.
    enum Embedder: String, CaseIterable, ExpressibleByArgument, OptionChoice {
        case hashing
    }

    @Argument(help: "The texts: a table (CSV, TSV, JSON Lines, optionally .gz or .zst; Parquet or a directory of Parquet parts), or a text file of one text per line (.txt, or --lines); - for standard input.")
    var input: String

    @Option(help: "The column holding the texts (a table).")
    var textColumn = "text"

    @Flag(help: "Read the input as one text per line whatever its name (standard input, a pipe).")
    var lines = false

    @Option(help: "Where to write the embeddings: a .npy file, a .parquet table (the input's columns and the embeddings), or - for standard output (the .npy bytes).")
    var out: String

    @Option(help: "The column of a .parquet output that holds the embeddings.")
    var embeddingColumn = "embedding"

    @Option(help: "The embedder.", oneOf: Embedder.self)
    var embedder: Embedder = .hashing

    @OptionGroup(title: "Hashing embedder") var hashing: HashingEmbedderOptions

    @OptionGroup var overwrite: OverwriteOption
    @OptionGroup var tableFormat: InputFormatOption

    @Option(help: "Worker threads (default: all cores). The embeddings do not depend on it.", range: .within(1...MemoryOptions.maximumThreads))
    var threads: Int?

    func validate() throws {
        guard out == InputFile.standardInput || out.lowercased().hasSuffix(".npy") || writesParquet else {
            throw ValidationError("--out: expected a .npy or .parquet name, or - (standard output), found \"\(out)\"")
        }
        if lines && tableFormat.format != nil {
            throw ValidationError("--lines and --input-format: give one (--lines reads one text per line, --input-format a table)")
        }
    }

    /// Whether the output is a Parquet table.
    var writesParquet: Bool { out.lowercased().hasSuffix(".parquet") }

    /// Whether the input is read as lines: --lines, or a `.txt` name (compressed or not).
    var readsLines: Bool {
        let name = input.lowercased()
        return lines || [".txt", ".txt.gz", ".txt.zst"].contains { name.hasSuffix($0) }
    }

    func run() throws {
        let files = try RunFiles(inputs: [("texts", input)], outputs: [("--out", out, .file)], force: overwrite.force)
        let texts = readsLines ? try TextColumn.read(lines: input)
                               : try TextColumn.read(table: input, column: textColumn, format: tableFormat.format)
        guard texts.count > 0 else {
            throw InputError(file: input, expected: "at least one text", found: readsLines ? "no line" : "no row")
        }
        let embedder = try hashing.embedder()
        let threads = self.threads ?? Parallel.coreCount
        let idf = embedder.fit(texts, threads: threads)
        let d = embedder.dimensions
        // A Parquet input's other columns travel into a Parquet output (read again, whole: standard input cannot be).
        let table = writesParquet && !readsLines && input != InputFile.standardInput && SplitInput.of(input, format: tableFormat.format) == .parquet
            ? try ParquetTableSplit(source: input) : nil
        let kept = table?.columnNames ?? [texts.column ?? "text"]
        if kept.contains(embeddingColumn) {
            throw InputError(file: input, columnName: .named(embeddingColumn), expected: "no column of the name the embeddings are written to",
                             found: "one (name the embeddings' column with --embedding-column NAME)")
        }
        let write = { (file: SequentialFile) in
            if writesParquet {
                try EmbeddingFile.writeParquet(embedder, texts: texts, idf: idf, threads: threads, table: table, column: embeddingColumn, to: file)
            } else {
                try EmbeddingFile.write(embedder, texts: texts, idf: idf, threads: threads, to: file)
            }
            try file.finish()
        }
        if out == InputFile.standardInput {
            fflush(nil)
            try write(SequentialFile(descriptor: files.standardOutput ?? STDOUT_FILENO, name: "-"))
        } else {
            let bytes = NpyWriter.header(type: .float32, shape: [texts.count, d], payloadBytes: texts.count * d * 4).count + texts.count * d * 4
            try AtomicFile.writing(to: out, expectedBytes: bytes, replace: files.force, write)
        }
        let what = readsLines ? "lines of \(input)" : "column \"\(textColumn)\" of \(input)"
        let into = writesParquet ? "column \"\(embeddingColumn)\" of \(out) (beside \(kept.count == 1 ? "column \"\(kept[0])\"" : "\(kept.count) columns"))" : out
        StandardStreams.writeError("synthctl: embedded \(counted(texts.count, "text")) (\(what)) as \(texts.count) × \(d) float32 in \(into); \(hashing.describe(embedder))\n")
    }
}

/// The hashing embedder's settings, named as scikit-learn's
/// `HashingVectorizer` and `TfidfTransformer` name them.
struct HashingEmbedderOptions: ParsableArguments {
    @Option(help: "The n-grams hashed: word (runs of two or more word characters) or char_wb (character n-grams inside words, padded with spaces).",
            oneOf: HashingVectorizer.Analyzer.self)
    var analyzer: HashingVectorizer.Analyzer = .word

    @Option(help: ArgumentHelp("The n-gram lengths (scikit-learn's ngram_range): N, or MIN,MAX (e.g. 1,2 for words and word pairs; 3,5 for char_wb).", valueName: "min,max"))
    var ngramRange = "1"

    @Option(help: "Hash buckets (scikit-learn's n_features).", range: .within(1...Int(Int32.max)))
    var features = 1 << 20

    @Flag(inversion: .prefixedNo, help: "Give each n-gram the sign of its hash, so that collisions cancel in expectation (scikit-learn's alternate_sign).")
    var alternateSign = true

    @Flag(inversion: .prefixedNo, help: "Lower-case texts first, as Python's str.lower (scikit-learn's lowercase).")
    var lowercase = true

    @Flag(inversion: .prefixedNo, help: "Divide each text's bucket vector by its Euclidean norm (scikit-learn's norm='l2'; off is norm=None). With --tfidf the weighted vector is normalized.")
    var normalize = true

    @Flag(help: "Weigh counts by smoothed inverse document frequency fitted on the given texts (scikit-learn's TfidfTransformer defaults), then L2-normalize.")
    var tfidf = false

    @Option(help: "Dimensions of each output vector.", range: .within(1...65_536))
    var dimensions = 384

    @Option(help: "Nonzero entries per bucket in the projection, each ±1/√nonzeros (default: 8, or --dimensions when fewer; at most --dimensions). Distances are kept in mean and variance for any value; more thins the tails.", range: .within(1...65_536))
    var nonzeros: Int?

    @Option(help: "Seed of the projection.", range: .seed)
    var seed: UInt64 = 0

    /// `--ngram-range`'s bounds.
    func ngramBounds() throws -> ClosedRange<Int> {
        let parts = ngramRange.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), let lower = parts.first!, let upper = parts.last!, lower >= 1, upper >= lower, upper <= 64 else {
            throw ValidationError("--ngram-range: expected N or MIN,MAX with 1 ≤ MIN ≤ MAX ≤ 64, found \"\(ngramRange)\"")
        }
        return lower...upper
    }

    func validate() throws {
        _ = try ngramBounds()
        try validateSeed(seed)
        if let nonzeros, nonzeros > dimensions {
            throw ValidationError("--nonzeros: expected at most --dimensions (\(dimensions)), found \(nonzeros)")
        }
        if tfidf && !normalize {
            throw ValidationError("--tfidf normalizes the weighted vectors: drop --no-normalize")
        }
    }

    func embedder() throws -> HashingEmbedder {
        var o = HashingVectorizer.Options()
        o.analyzer = analyzer
        o.ngramRange = try ngramBounds()
        o.features = features
        o.alternateSign = alternateSign
        o.lowercase = lowercase
        o.normalize = normalize
        return HashingEmbedder(vectorizer: HashingVectorizer(options: o), tfidf: tfidf,
                               projection: SparseRandomProjection(features: features, components: dimensions, nonzerosPerFeature: nonzeros, seed: seed))
    }

    /// The settings in words, for the summary line.
    func describe(_ e: HashingEmbedder) -> String {
        let o = e.vectorizer.options
        let grams = o.ngramRange.lowerBound == o.ngramRange.upperBound ? "\(o.ngramRange.lowerBound)" : "\(o.ngramRange.lowerBound)–\(o.ngramRange.upperBound)"
        return "hashing: \(o.analyzer.rawValue) \(grams)-grams, \(o.features) buckets" + (o.alternateSign ? ", signed" : "")
            + (e.tfidf ? ", TF-IDF" : o.normalize ? ", L2" : "") + "; projection: \(e.projection.nonzerosPerFeature) nonzeros per bucket, seed \(e.projection.seed)"
    }
}

/// `embed --analyzer`.
extension HashingVectorizer.Analyzer: ExpressibleByArgument, OptionChoice {}
