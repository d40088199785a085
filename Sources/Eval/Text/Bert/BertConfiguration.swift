import Foundation
import SynthctlCore

/// The shape of a BERT encoder, from a model directory's `config.json` (the
/// keys of Hugging Face's `BertConfig`): what the forward pass needs to
/// know, and a refusal of anything it does not compute.
///
/// Supported: `model_type` "bert" (absent is taken as it), `hidden_act`
/// "gelu" (exact, erf), `position_embedding_type` "absolute". All of
/// all-MiniLM-L6-v2, all-MiniLM-L12-v2, bge-small-en-v1.5 and e5-small-v2
/// are such models; RoBERTa, DistilBERT, MPNet and the rest are refused.
public struct BertConfiguration: Sendable, Equatable {
    public let hiddenSize: Int
    public let layers: Int
    public let heads: Int
    public let intermediateSize: Int
    public let layerNormEpsilon: Float
    public let vocabularySize: Int
    public let maxPositions: Int
    public let tokenTypes: Int

    /// Hidden size per attention head.
    public var headSize: Int { hiddenSize / heads }

    public init(hiddenSize: Int, layers: Int, heads: Int, intermediateSize: Int, layerNormEpsilon: Float,
                vocabularySize: Int, maxPositions: Int, tokenTypes: Int) {
        (self.hiddenSize, self.layers, self.heads, self.intermediateSize) = (hiddenSize, layers, heads, intermediateSize)
        (self.layerNormEpsilon, self.vocabularySize, self.maxPositions, self.tokenTypes) = (layerNormEpsilon, vocabularySize, maxPositions, tokenTypes)
    }

    /// Reads `config.json` at `path`.
    ///
    /// - Throws: ``InputError`` naming the file and the key: a missing or
    ///   non-positive size, a hidden size the heads do not divide, another
    ///   architecture, activation or position embedding.
    public init(path: String) throws {
        let bytes = try InputFile.contents(path)
        guard case .object(let o)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            throw InputError(file: path, expected: "a JSON object (a BERT config)", found: bytes.isEmpty ? "an empty file" : "text that is not one")
        }
        func fail(_ key: String, _ expected: String) -> InputError {
            InputError(file: path, field: key, expected: expected, found: o[key].map { $0.compact.prefix(60).description } ?? "none")
        }
        func size(_ key: String) throws -> Int {
            guard case .int(let v)? = o[key], v > 0, v <= 1 << 24 else { throw fail(key, "a positive integer") }
            return v
        }
        func text(_ key: String, _ allowed: String, default value: String) throws {
            switch o[key] {
            case nil, .null?: if value != allowed { throw fail(key, "\"\(allowed)\"") }
            case .string(let s)? where s == allowed: break
            default: throw fail(key, "\"\(allowed)\" (synthctl computes BERT encoders only)")
            }
        }
        try text("model_type", "bert", default: "bert")
        try text("hidden_act", "gelu", default: "gelu")
        try text("position_embedding_type", "absolute", default: "absolute")
        let epsilon: Double
        switch o["layer_norm_eps"] {
        case .double(let e)? where e > 0 && e < 1: epsilon = e
        case .int(let e)? where e == 0: throw fail("layer_norm_eps", "a small positive number")
        case nil: epsilon = 1e-12
        default: throw fail("layer_norm_eps", "a small positive number")
        }
        let hidden = try size("hidden_size"), heads = try size("num_attention_heads")
        guard hidden % heads == 0 else { throw fail("num_attention_heads", "a divisor of hidden_size \(hidden)") }
        self.init(hiddenSize: hidden, layers: try size("num_hidden_layers"), heads: heads, intermediateSize: try size("intermediate_size"),
                  layerNormEpsilon: Float(epsilon), vocabularySize: try size("vocab_size"), maxPositions: try size("max_position_embeddings"),
                  tokenTypes: o["type_vocab_size"] == nil ? 2 : try size("type_vocab_size"))
    }
}
