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
        --text-column, default text) or the lines of a text file (a .txt name, or --lines). With --model DIR \
        the texts are embedded by that sentence-transformers model of the BERT family (all-MiniLM-L6-v2 or \
        -L12-v2, bge-small-en-v1.5, e5-small-v2: a directory holding config.json, model.safetensors, \
        vocab.txt, modules.json and 1_Pooling/config.json), as sentence-transformers' encode embeds them. \
        Without it, the hashing embedder needs no model: each text's n-grams are hashed as scikit-learn's HashingVectorizer hashes \
        them (MurmurHash3, --features buckets, alternating signs, L2 norm; the same bucket vector), \
        optionally TF-IDF weighted as TfidfTransformer does (fitted on the given texts), then projected to \
        --dimensions by a seeded sparse random projection (each bucket to --nonzeros dimensions with signs \
        ±1/√nonzeros). The output's rows are the texts in input order, the same bytes for any \
        --threads; the hashing embedder's are the same bytes on every machine too, a model's may differ across CPUs \
        in the last bits (sgemm's sums).
        """
    )

    /// The embedders there are: `--model DIR` chooses the sentence
    /// transformer, so `--embedder` need not be given with it.
    enum Embedder: String, CaseIterable, ExpressibleByArgument, OptionChoice {
        case hashing
        case sentenceTransformer = "sentence-transformer"
    }

    @Argument(help: "The texts: a table (CSV, TSV, JSON Lines, optionally .gz or .zst; Parquet or a directory of Parquet parts), or a text file of one text per line (.txt, or --lines); - for standard input.")
    var input: String

    @Option(help: "The column holding the texts (a table).")
    var textColumn = "text"

    @Flag(help: "Read the input as one text per line whatever its name (standard input, a pipe).")
    var lines = false

    @Option(help: "Where to write the embeddings: a .npy file, a .parquet table (the embeddings beside the input's columns: a Parquet input's as stored, a CSV, TSV or JSON Lines input's typed as pandas reads them; beside the texts alone for a text file, or Parquet from standard input or a pipe), or - for standard output (the .npy bytes).")
    var out: String

    @Option(help: "The column of a .parquet output that holds the embeddings.")
    var embeddingColumn = "embedding"

    @Option(help: "The embedder (default: sentence-transformer with --model, else hashing).", oneOf: Embedder.self)
    var embedder: Embedder?

    @Option(help: ArgumentHelp("A sentence-transformers model directory of the BERT family (config.json, model.safetensors, vocab.txt, modules.json, 1_Pooling/config.json) to embed with, instead of hashing.", valueName: "dir"))
    var model: String?

    @OptionGroup(title: "Hashing embedder") var hashing: HashingEmbedderOptions

    @OptionGroup(title: "Embedding cache (with --model)") var cacheOptions: EmbeddingCacheOptions

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
        switch (embedder, model) {
        case (.sentenceTransformer?, nil):
            throw ValidationError("--embedder sentence-transformer needs --model DIR (a sentence-transformers model directory)")
        case (.hashing?, _?):
            throw ValidationError("--embedder hashing and --model: give one (--model embeds with a sentence-transformers model)")
        case (_, _?):
            if let option = hashing.given.first {
                throw ValidationError("--model and \(option): give one (\(option) sets the hashing embedder, --model embeds with a sentence-transformers model)")
            }
        default:
            if let option = cacheOptions.given.first {
                throw ValidationError("\(option) goes with --model DIR (the cache keeps a model's embeddings; hashing needs none)")
            }
        }
    }

    /// Whether `path` is a regular file or a directory: one whose first bytes
    /// can be looked at and read again. Standard input, a pipe (`<(…)`, a
    /// FIFO) or a device gives its bytes once, to the one reader of the texts.
    static func isFileOrDirectory(_ path: String) -> Bool {
        var status = stat()
        guard path != InputFile.standardInput, stat(path, &status) == 0 else { return false }
        return status.st_mode & S_IFMT == S_IFREG || status.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether the output is a Parquet table.
    var writesParquet: Bool { out.lowercased().hasSuffix(".parquet") }

    /// Whether the input is read as lines: --lines, or a `.txt` name (compressed or not).
    var readsLines: Bool {
        let name = input.lowercased()
        return lines || [".txt", ".txt.gz", ".txt.zst"].contains { name.hasSuffix($0) }
    }

    func run() throws {
        // The hashing embedder needs no BLAS, and a model calls it single-threaded on each worker:
        // OpenBLAS's idle threads would only spin on a core (about 10% of a hashing run's CPU under `perf`).
        BLAS.parkIdleThreads()
        let files = try RunFiles(inputs: [("texts", input)], outputs: [("--out", out, .file)], force: overwrite.force)
        // The model first: a directory it cannot use is refused before the texts are read.
        let transformer = try model.map(SentenceTransformer.init(directory:))
        // A text file is read a block at a time (counted first); a table's column is read whole, and
        // for a Parquet output its other columns too: a Parquet input's as stored (read again, whole),
        // another table's typed by their cells, from the same reading (standard input gives its bytes once).
        let texts: TextBlocks, table: ParquetWritableTable?
        let parquetInput = writesParquet && !readsLines && Self.isFileOrDirectory(input) && SplitInput.of(input, format: tableFormat.format) == .parquet
        if readsLines {
            (texts, table) = (try TextBlocks(lines: input), nil)
        } else if writesParquet && !parquetInput {
            let read = try TextColumn.readCarryingColumns(table: input, column: textColumn, format: tableFormat.format)
            (texts, table) = (TextBlocks(read.texts), read.table)
        } else {
            texts = TextBlocks(try TextColumn.read(table: input, column: textColumn, format: tableFormat.format))
            table = writesParquet ? try ParquetTableSplit(source: input).table : nil
        }
        guard texts.count > 0 else {
            throw InputError(file: input, expected: "at least one text", found: readsLines ? "no line" : "no row")
        }
        let threads = self.threads ?? Parallel.coreCount
        // The embedder as the writers take it (a block of rows at a time), its width, and its words in the summary.
        let rows: EmbeddingFile.Rows, d: Int, settings: String
        var cache: EmbeddingCache?
        if let model, let transformer {
            cache = try cacheOptions.cache(for: transformer, modelDirectory: model)
            (rows, d) = (EmbeddingFile.rows(transformer, cache: cache, threads: threads), transformer.dimensions)
            settings = SentenceModelSummary.describe(transformer, directory: model)
        } else {
            let embedder = try hashing.embedder()
            let idf = try embedder.fit(texts, threads: threads)
            (rows, d) = (EmbeddingFile.rows(embedder, idf: idf, threads: threads), embedder.dimensions)
            settings = hashing.describe(embedder)
        }
        let kept = table?.columnNames ?? [texts.column ?? "text"]
        if writesParquet, kept.contains(embeddingColumn) {
            throw InputError(file: input, columnName: .named(embeddingColumn), expected: "no column of the name the embeddings are written to",
                             found: "one (name the embeddings' column with --embedding-column NAME)")
        }
        let write = { (file: SequentialFile) in
            if writesParquet {
                try EmbeddingFile.writeParquet(dimensions: d, texts: texts, table: table, column: embeddingColumn, rows: rows, to: file)
            } else {
                try EmbeddingFile.write(dimensions: d, texts: texts, rows: rows, to: file)
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
        let cached = cache.map { "; \(EmbeddingCacheOptions.describe($0))" } ?? ""
        StandardStreams.writeError("synthctl: embedded \(counted(texts.count, "text")) (\(what)) as \(texts.count) × \(d) float32 in \(into); \(settings)\(cached)\n")
    }
}

/// The hashing embedder's settings, named as scikit-learn's
/// `HashingVectorizer` and `TfidfTransformer` name them. Each is optional
/// (its default in the help), so that ``given`` can say which were typed:
/// they mean nothing beside `--model`.
struct HashingEmbedderOptions: ParsableArguments {
    @Option(help: "The n-grams hashed: word (runs of two or more word characters) or char_wb (character n-grams inside words, padded with spaces); default: word.",
            oneOf: HashingVectorizer.Analyzer.self)
    var analyzer: HashingVectorizer.Analyzer?

    @Option(help: ArgumentHelp("The n-gram lengths (scikit-learn's ngram_range): N, or MIN,MAX (e.g. 1,2 for words and word pairs; 3,5 for char_wb). (default: 1)", valueName: "min,max"))
    var ngramRange: String?

    @Option(help: "Hash buckets (scikit-learn's n_features; default: 1048576).", range: .within(1...Int(Int32.max)))
    var features: Int?

    @Flag(inversion: .prefixedNo, help: "Give each n-gram the sign of its hash, so that collisions cancel in expectation (scikit-learn's alternate_sign; default: on).")
    var alternateSign: Bool?

    @Flag(inversion: .prefixedNo, help: "Lower-case texts first, as Python's str.lower (scikit-learn's lowercase; default: on).")
    var lowercase: Bool?

    @Flag(inversion: .prefixedNo, help: "Divide each text's bucket vector by its Euclidean norm (scikit-learn's norm='l2'; off is norm=None; default: on). With --tfidf the weighted vector is normalized.")
    var normalize: Bool?

    @Flag(help: "Weigh counts by smoothed inverse document frequency fitted on the given texts (scikit-learn's TfidfTransformer defaults), then L2-normalize.")
    var tfidf = false

    @Option(help: "Dimensions of each output vector (default: 384).", range: .within(1...65_536))
    var dimensions: Int?

    @Option(help: "Nonzero entries per bucket in the projection, each ±1/√nonzeros (default: 8, or --dimensions when fewer; at most --dimensions). Distances are kept in mean and variance for any value; more thins the tails.", range: .within(1...65_536))
    var nonzeros: Int?

    @Option(help: "Seed of the projection (default: 0).", range: .seed)
    var seed: UInt64?

    /// The options given on the command line, as typed (`--no-normalize`).
    var given: [String] {
        func flag(_ name: String, _ value: Bool?) -> String? { value.map { $0 ? "--\(name)" : "--no-\(name)" } }
        return [analyzer.map { _ in "--analyzer" }, ngramRange.map { _ in "--ngram-range" }, features.map { _ in "--features" },
                flag("alternate-sign", alternateSign), flag("lowercase", lowercase), flag("normalize", normalize), tfidf ? "--tfidf" : nil,
                dimensions.map { _ in "--dimensions" }, nonzeros.map { _ in "--nonzeros" }, seed.map { _ in "--seed" }].compactMap { $0 }
    }

    /// `--ngram-range`'s bounds.
    func ngramBounds() throws -> ClosedRange<Int> {
        let ngramRange = self.ngramRange ?? "1"
        let parts = ngramRange.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), let lower = parts.first!, let upper = parts.last!, lower >= 1, upper >= lower, upper <= 64 else {
            throw ValidationError("--ngram-range: expected N or MIN,MAX with 1 ≤ MIN ≤ MAX ≤ 64, found \"\(ngramRange)\"")
        }
        return lower...upper
    }

    func validate() throws {
        _ = try ngramBounds()
        if let seed { try validateSeed(seed) }
        if let nonzeros, nonzeros > dimensions ?? 384 {
            throw ValidationError("--nonzeros: expected at most --dimensions (\(dimensions ?? 384)), found \(nonzeros)")
        }
        if tfidf && normalize == false {
            throw ValidationError("--tfidf normalizes the weighted vectors: drop --no-normalize")
        }
    }

    func embedder() throws -> HashingEmbedder {
        var o = HashingVectorizer.Options()
        o.analyzer = analyzer ?? o.analyzer
        o.ngramRange = try ngramBounds()
        o.features = features ?? o.features
        o.alternateSign = alternateSign ?? o.alternateSign
        o.lowercase = lowercase ?? o.lowercase
        o.normalize = normalize ?? o.normalize
        return HashingEmbedder(vectorizer: HashingVectorizer(options: o), tfidf: tfidf,
                               projection: SparseRandomProjection(features: o.features, components: dimensions ?? 384, nonzerosPerFeature: nonzeros,
                                                                  seed: seed ?? 0))
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
