import Foundation
import Synchronization
import SynthctlCore

/// A BERT encoder's forward pass (Devlin et al., "BERT", NAACL 2019;
/// Vaswani et al., "Attention Is All You Need", 2017), as Hugging Face's
/// `BertModel` computes it in inference, every matrix product through sgemm:
///
/// 1. embeddings: word + position (0, 1, …) + token type 0, then LayerNorm;
/// 2. per layer: Q, K, V = X·Wᵀ + b; per head, softmax(Q·Kᵀ / √d_head)·V;
///    the heads side by side, projected (·Wᵀ + b), added to X, LayerNorm;
///    then the feed-forward block, GELU(X·W₁ᵀ + b₁)·W₂ᵀ + b₂ with the exact
///    GELU x·Φ(x) = x/2·(1 + erf(x/√2)), added to its input, LayerNorm.
///    (The biases and residuals are put in the output before sgemm adds
///    the product; the exponentials and Φ are ``BertVectorMath``'s.)
///    LayerNorm is (x − mean)/√(variance + ε)·γ + β over the hidden size,
///    the variance biased (divided by the size), as PyTorch's.
///
/// A batch holds texts of any token counts side by side, none padded:
/// the projections and the feed-forward block work token by token, so
/// they run over the whole batch in one product each, and attention runs
/// text by text over its own tokens, so no mask is needed and each text's
/// vectors are what it gets alone, up to the rounding of sgemm's
/// blocking. Weights are float32 (F16 and BF16 files are widened when read).
///
/// Source: huggingface/transformers `models/bert/modeling_bert.py` (read,
/// not copied) for the layout and the order of operations.
public struct BertEncoder: Sendable {
    public let configuration: BertConfiguration

    struct Layer: Sendable {
        /// Q, K and V stacked: (3H) × H, as PyTorch stores Linear weights (out × in).
        let qkv: [Float], qkvBias: [Float]
        let attentionOutput: [Float], attentionOutputBias: [Float]
        let attentionNormScale: [Float], attentionNormShift: [Float]
        let intermediate: [Float], intermediateBias: [Float]   // I × H
        let output: [Float], outputBias: [Float]                // H × I
        let outputNormScale: [Float], outputNormShift: [Float]
    }
    let wordEmbeddings: [Float]      // V × H
    let positionEmbeddings: [Float]  // P × H
    let tokenTypeEmbedding: [Float]  // H (type 0)
    let embeddingNormScale: [Float], embeddingNormShift: [Float]
    let layers: [Layer]

    /// The encoder of `configuration` with the weights of `weights`, named
    /// as `BertModel` names them, with or without a `bert.` prefix (the
    /// pooler's and any head's weights are not read).
    ///
    /// - Throws: ``InputError`` naming the file and the tensor: one missing,
    ///   of another shape, or of an integer dtype.
    public init(configuration c: BertConfiguration, weights: SafetensorsFile) throws {
        let prefix = weights.shape("bert.embeddings.word_embeddings.weight") != nil ? "bert." : ""
        func tensor(_ name: String, _ shape: [Int]) throws -> [Float] { try weights.floats(prefix + name, shape: shape) }
        let h = c.hiddenSize, i = c.intermediateSize
        configuration = c
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [c.vocabularySize, h])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [c.maxPositions, h])
        tokenTypeEmbedding = Array(try tensor("embeddings.token_type_embeddings.weight", [c.tokenTypes, h])[..<h])
        embeddingNormScale = try tensor("embeddings.LayerNorm.weight", [h])
        embeddingNormShift = try tensor("embeddings.LayerNorm.bias", [h])
        layers = try (0..<c.layers).map { l in
            let at = "encoder.layer.\(l)."
            return Layer(
                qkv: try ["query", "key", "value"].flatMap { try tensor(at + "attention.self.\($0).weight", [h, h]) },
                qkvBias: try ["query", "key", "value"].flatMap { try tensor(at + "attention.self.\($0).bias", [h]) },
                attentionOutput: try tensor(at + "attention.output.dense.weight", [h, h]),
                attentionOutputBias: try tensor(at + "attention.output.dense.bias", [h]),
                attentionNormScale: try tensor(at + "attention.output.LayerNorm.weight", [h]),
                attentionNormShift: try tensor(at + "attention.output.LayerNorm.bias", [h]),
                intermediate: try tensor(at + "intermediate.dense.weight", [i, h]),
                intermediateBias: try tensor(at + "intermediate.dense.bias", [i]),
                output: try tensor(at + "output.dense.weight", [h, i]),
                outputBias: try tensor(at + "output.dense.bias", [h]),
                outputNormScale: try tensor(at + "output.LayerNorm.weight", [h]),
                outputNormShift: try tensor(at + "output.LayerNorm.bias", [h]))
        }
    }

    /// Buffers for one batch, reused from batch to batch on one thread:
    /// each grows to the largest batch it has served and never shrinks, so
    /// that a long run allocates them a few times, not once per batch (the
    /// kernels read and write only the batch's part).
    public struct Workspace: Sendable {
        var x = [Float](), qkv = [Float](), context = [Float](), projected = [Float](), inner = [Float](), scores = [Float]()
        public init() {}

        /// Grows `buffer` to at least `count` values (their contents are not kept).
        static func reserve(_ buffer: inout [Float], _ count: Int) {
            if buffer.count < count { buffer = [Float](repeating: 0, count: count) }
        }
    }

    /// Workspaces to reuse, shared by the threads of a run: a worker takes
    /// one (or a new one when none is free) and puts it back when done.
    final class WorkspacePool: Sendable {
        private let free = Mutex<[Workspace]>([])

        func take() -> Workspace { free.withLock { $0.popLast() } ?? Workspace() }
        func put(_ workspace: Workspace) { free.withLock { $0.append(workspace) } }
    }

    /// The last layer's token vectors of texts of `lengths` tokens (`ids`
    /// holds their ids, text after text), into the first
    /// (Σ lengths) × H values of `workspace.x`, row-major. The ids must be
    /// below the vocabulary size and each length between 1 and the positions.
    func encode(_ ids: [Int32], lengths: [Int], workspace w: inout Workspace) {
        let c = configuration, h = c.hiddenSize, n = lengths.reduce(0, +), longest = lengths.max() ?? 0
        precondition(ids.count == n && lengths.allSatisfy { $0 >= 1 && $0 <= c.maxPositions }
                     && ids.allSatisfy { $0 >= 0 && Int($0) < c.vocabularySize })
        Workspace.reserve(&w.x, n * h)
        w.x.withUnsafeMutableBufferPointer { x in
            wordEmbeddings.withUnsafeBufferPointer { word in
                positionEmbeddings.withUnsafeBufferPointer { position in
                    tokenTypeEmbedding.withUnsafeBufferPointer { type in
                        var t = 0
                        for length in lengths {
                            for p in 0..<length {
                                let id = Int(ids[t])
                                for j in 0..<h { x[t * h + j] = word[id * h + j] + position[p * h + j] + type[j] }
                                t += 1
                            }
                        }
                    }
                }
            }
        }
        _UnsafeBertKernels.layerNorm(&w.x, rows: n, width: h, scale: embeddingNormScale, shift: embeddingNormShift, epsilon: c.layerNormEpsilon)
        Workspace.reserve(&w.qkv, n * 3 * h)
        Workspace.reserve(&w.context, n * h)
        Workspace.reserve(&w.projected, n * h)
        Workspace.reserve(&w.inner, n * c.intermediateSize)
        Workspace.reserve(&w.scores, longest * longest)
        for layer in layers { run(layer, tokens: n, lengths: lengths, workspace: &w) }
    }

    private func run(_ layer: Layer, tokens n: Int, lengths: [Int], workspace w: inout Workspace) {
        let c = configuration, h = c.hiddenSize, d = c.headSize, inner = c.intermediateSize
        _UnsafeBertKernels.linear(w.x, rows: n, inputs: h, weight: layer.qkv, bias: layer.qkvBias, outputs: 3 * h, into: &w.qkv)
        let scale = 1 / Float(d).squareRoot()
        w.qkv.withUnsafeBufferPointer { qkv in
            w.scores.withUnsafeMutableBufferPointer { s in
                w.context.withUnsafeMutableBufferPointer { out in
                    var base = 0
                    for length in lengths {
                        defer { base += length }
                        for head in 0..<c.heads {
                            let q = qkv.baseAddress! + base * 3 * h + head * d
                            // Scores S = Q·Kᵀ/√d (length × length), softmax by row, then S·V.
                            _UnsafeBLAS.gemm(m: length, n: length, k: d, alpha: scale, a: q, lda: 3 * h, b: q + h, ldb: 3 * h, transposeB: true,
                                             c: s.baseAddress!, ldc: length)
                            _UnsafeBertKernels.softmaxRows(s.baseAddress!, rows: length, width: length)
                            _UnsafeBLAS.gemm(m: length, n: d, k: length, a: s.baseAddress!, lda: length, b: q + 2 * h, ldb: 3 * h,
                                             c: out.baseAddress! + base * h + head * d, ldc: h)
                        }
                    }
                }
            }
        }
        _UnsafeBertKernels.linear(w.context, rows: n, inputs: h, weight: layer.attentionOutput, bias: layer.attentionOutputBias, outputs: h,
                                  adding: w.x, into: &w.projected)
        _UnsafeBertKernels.layerNorm(&w.projected, rows: n, width: h, scale: layer.attentionNormScale, shift: layer.attentionNormShift, epsilon: c.layerNormEpsilon)
        _UnsafeBertKernels.linear(w.projected, rows: n, inputs: h, weight: layer.intermediate, bias: layer.intermediateBias, outputs: inner, into: &w.inner)
        _UnsafeBertKernels.gelu(&w.inner, count: n * inner)
        _UnsafeBertKernels.linear(w.inner, rows: n, inputs: inner, weight: layer.output, bias: layer.outputBias, outputs: h,
                                  adding: w.projected, into: &w.x)
        _UnsafeBertKernels.layerNorm(&w.x, rows: n, width: h, scale: layer.outputNormScale, shift: layer.outputNormShift, epsilon: c.layerNormEpsilon)
    }
}
