import Foundation
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// A sentence-transformers model directory small enough to write in a
/// test and to check by hand: 12 WordPiece tokens, hidden size 4, 2 heads,
/// intermediate size 8, 16 positions, seeded weights. Tests change one
/// file or one tensor of it to reach each refusal, and run its forward
/// pass against ``BertReference``.
struct TinyBertModel {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "##s", "."]

    var layers = 1
    var maxSequenceLength = 8
    /// config.json's layer_norm_eps: large enough that a forward pass
    /// ignoring it would miss the reference (variances here are about 0.3).
    var layerNormEpsilon = 1e-3
    /// The pooling module's mode key, and whether a Normalize module follows.
    var poolingMode = "pooling_mode_mean_tokens"
    var normalize = true
    /// Whether the tensors are named as `BertModel` inside a
    /// `BertForMaskedLM` names them (`bert.` before each).
    var prefixed = false

    var configuration: BertConfiguration {
        BertConfiguration(hiddenSize: 4, layers: layers, heads: 2, intermediateSize: 8, layerNormEpsilon: Float(layerNormEpsilon),
                          vocabularySize: Self.vocabulary.count, maxPositions: 16, tokenTypes: 2)
    }

    var configJSON: String {
        #"{"architectures": ["BertModel"], "model_type": "bert", "hidden_act": "gelu", "hidden_size": 4, "num_hidden_layers": \#(layers), "#
            + #""num_attention_heads": 2, "intermediate_size": 8, "layer_norm_eps": \#(layerNormEpsilon), "vocab_size": \#(Self.vocabulary.count), "#
            + #""max_position_embeddings": 16, "type_vocab_size": 2, "position_embedding_type": "absolute"}"#
    }

    /// One tensor as a safetensors file stores it: its dtype's name and its
    /// little-endian bytes.
    struct RawTensor {
        var name: String
        var dtype: String
        var shape: [Int]
        var bytes: [UInt8]

        init(name: String, dtype: String, shape: [Int], bytes: [UInt8]) {
            (self.name, self.dtype, self.shape, self.bytes) = (name, dtype, shape, bytes)
        }

        /// float32 values.
        init(name: String, shape: [Int], floats: [Float]) {
            precondition(shape.reduce(1, *) == floats.count)
            self.init(name: name, dtype: "F32", shape: shape, bytes: floats.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
        }
    }

    /// The bytes of a safetensors file holding `tensors` in order (the
    /// format's layout, as ``SafetensorsFile`` documents it), whatever
    /// their dtypes: the library's encoder writes F64 only.
    static func safetensors(_ tensors: [RawTensor]) -> [UInt8] {
        var entries = [String](), offset = 0
        for t in tensors {
            entries.append(#""\#(t.name)":{"dtype":"\#(t.dtype)","shape":[\#(t.shape.map(String.init).joined(separator: ","))],"data_offsets":[\#(offset),\#(offset + t.bytes.count)]}"#)
            offset += t.bytes.count
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        return withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header + tensors.flatMap(\.bytes)
    }

    /// Every weight `BertModel` has, named without the prefix, with seeded
    /// values: matrices and biases uniform in ±0.5, LayerNorm scales
    /// in 1 ± 0.25 and shifts in ±0.1.
    var weights: [(name: String, shape: [Int], values: [Float])] {
        var random = SplitMix64(seed: 18)
        func uniform(_ count: Int, around centre: Float, spread: Float) -> [Float] {
            (0..<count).map { _ in centre + spread * (2 * Float(random.next() >> 40) / Float(1 << 24) - 1) }
        }
        let c = configuration, h = c.hiddenSize, i = c.intermediateSize
        var out: [(String, [Int], [Float])] = []
        func add(_ name: String, _ shape: [Int]) {
            let n = shape.reduce(1, *)
            if name.hasSuffix("LayerNorm.weight") { out.append((name, shape, uniform(n, around: 1, spread: 0.25))) }
            else if name.hasSuffix("LayerNorm.bias") { out.append((name, shape, uniform(n, around: 0, spread: 0.1))) }
            else { out.append((name, shape, uniform(n, around: 0, spread: 0.5))) }
        }
        add("embeddings.word_embeddings.weight", [c.vocabularySize, h])
        add("embeddings.position_embeddings.weight", [c.maxPositions, h])
        add("embeddings.token_type_embeddings.weight", [c.tokenTypes, h])
        add("embeddings.LayerNorm.weight", [h])
        add("embeddings.LayerNorm.bias", [h])
        for l in 0..<c.layers {
            let at = "encoder.layer.\(l)."
            for part in ["query", "key", "value"] {
                add(at + "attention.self.\(part).weight", [h, h])
                add(at + "attention.self.\(part).bias", [h])
            }
            add(at + "attention.output.dense.weight", [h, h])
            add(at + "attention.output.dense.bias", [h])
            add(at + "attention.output.LayerNorm.weight", [h])
            add(at + "attention.output.LayerNorm.bias", [h])
            add(at + "intermediate.dense.weight", [i, h])
            add(at + "intermediate.dense.bias", [i])
            add(at + "output.dense.weight", [h, i])
            add(at + "output.dense.bias", [h])
            add(at + "output.LayerNorm.weight", [h])
            add(at + "output.LayerNorm.bias", [h])
        }
        // The pooler, which sentence-transformers does not use.
        add("pooler.dense.weight", [h, h])
        add("pooler.dense.bias", [h])
        return out
    }

    /// The weights as a checkpoint stores them: F32, the prefix when
    /// asked, and the I64 `position_ids` buffer (0, 1, …) a PyTorch
    /// checkpoint keeps beside them.
    var tensors: [RawTensor] {
        let prefix = prefixed ? "bert." : ""
        let positions = (0..<Int64(16)).flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        return [RawTensor(name: prefix + "embeddings.position_ids", dtype: "I64", shape: [1, 16], bytes: positions)]
            + weights.map { RawTensor(name: prefix + $0.name, shape: $0.shape, floats: $0.values) }
    }

    /// The weights by name (without the prefix), widened to Double.
    var weightsByName: [String: [Double]] {
        Dictionary(uniqueKeysWithValues: weights.map { ($0.name, $0.values.map(Double.init)) })
    }

    /// The directory's files: name → bytes.
    var files: [String: [UInt8]] {
        [
            "config.json": Array(configJSON.utf8),
            "vocab.txt": Array((Self.vocabulary.joined(separator: "\n") + "\n").utf8),
            "sentence_bert_config.json": Array(#"{"max_seq_length": \#(maxSequenceLength), "do_lower_case": false}"#.utf8),
            "modules.json": Array((#"[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}, "#
                + #"{"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}"#
                + (normalize ? #", {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}"# : "") + "]").utf8),
            "1_Pooling/config.json": Array(#"{"word_embedding_dimension": 4, "\#(poolingMode)": true}"#.utf8),
            "model.safetensors": Self.safetensors(tensors),
        ]
    }

    /// Writes the directory under `temporary`, each of `changes` replacing
    /// a file's bytes (nil removes it), and returns its path.
    func write(in temporary: TemporaryPaths, changing changes: [String: [UInt8]?] = [:]) throws -> String {
        let dir = temporary.directory("tiny-bert")
        var all = files
        for (name, bytes) in changes { all[name] = bytes }
        for (name, bytes) in all {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return dir
    }
}
