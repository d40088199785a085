import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// Every refusal of a sentence-transformers model directory — its
/// config.json (``BertConfiguration``), its modules and pooling
/// (``SentencePooling``) and the directory as a whole
/// (``SentenceTransformer``) — is one line naming the file (and the key),
/// what was expected and what was found. Each case changes one file of
/// ``TinyBertModel``'s directory, which itself reads.
@Suite struct SentenceModelDirectoryTests {
    let temporary = TemporaryPaths()

    /// The directory with `changes`, read as a model: the error's line, or nil.
    func refusal(_ changes: [String: String?], model: TinyBertModel = TinyBertModel()) throws -> (dir: String, message: String?) {
        let dir = try model.write(in: temporary, changing: changes.mapValues { $0.map { Array($0.utf8) } })
        return (dir, errorMessage { _ = try SentenceTransformer(directory: dir) })
    }

    @Test func theTinyModelReads() throws {
        let (dir, message) = try refusal([:])
        #expect(message == nil)
        let model = try SentenceTransformer(directory: dir)
        #expect(model.encoder.configuration == TinyBertModel().configuration)
        #expect(model.pooling == SentencePooling(mode: .mean, normalize: true) && model.tokenizer.maxLength == 8)
    }

    @Test func configRefusalsNameTheKey() throws {
        let good = TinyBertModel().configJSON
        func replacing(_ key: String, _ value: String) -> String {
            let pattern = try! NSRegularExpression(pattern: "\"\(key)\": [^,}]+")
            return pattern.stringByReplacingMatches(in: good, range: NSRange(good.startIndex..., in: good), withTemplate: "\"\(key)\": \(value)")
        }
        let cases: [(String?, String)] = [
            (nil, "config.json: no such file"),
            ("", "config.json: expected a JSON object (a BERT config), found an empty file"),
            ("[1]", "config.json: expected a JSON object (a BERT config), found text that is not one"),
            (replacing("model_type", #""roberta""#), #"config.json: model_type: expected "bert" (synthctl computes BERT encoders only), found "roberta""#),
            (replacing("hidden_act", #""gelu_new""#), #"config.json: hidden_act: expected "gelu" (synthctl computes BERT encoders only), found "gelu_new""#),
            (replacing("position_embedding_type", #""relative_key""#),
             #"config.json: position_embedding_type: expected "absolute" (synthctl computes BERT encoders only), found "relative_key""#),
            (replacing("layer_norm_eps", "0"), "config.json: layer_norm_eps: expected a small positive number, found 0"),
            (replacing("layer_norm_eps", "-1e-12"), "config.json: layer_norm_eps: expected a small positive number, found -1e-12"),
            (replacing("hidden_size", "0"), "config.json: hidden_size: expected a positive integer, found 0"),
            (replacing("num_hidden_layers", "1.5"), "config.json: num_hidden_layers: expected a positive integer, found 1.5"),
            (good.replacingOccurrences(of: #""intermediate_size": 8, "#, with: ""), "config.json: intermediate_size: expected a positive integer, found none"),
            (replacing("num_attention_heads", "3"), "config.json: num_attention_heads: expected a divisor of hidden_size 4, found 3"),
            (replacing("type_vocab_size", "0"), "config.json: type_vocab_size: expected a positive integer, found 0"),
        ]
        for (config, expected) in cases {
            let (dir, message) = try refusal(["config.json": config])
            #expect(message == "\(dir)/\(expected)", "\(config ?? "no file")")
        }
        // Absent keys with defaults: BERT's ε, two token types, the model type.
        let defaults = good.replacingOccurrences(of: #""layer_norm_eps": 0.001, "#, with: "").replacingOccurrences(of: #", "type_vocab_size": 2"#, with: "")
            .replacingOccurrences(of: #""model_type": "bert", "#, with: "")
        let dir = try TinyBertModel().write(in: temporary, changing: ["config.json": Array(defaults.utf8)])
        let c = try BertConfiguration(path: dir + "/config.json")
        #expect(defaults != good && c.layerNormEpsilon == Float(1e-12) && c.tokenTypes == 2)
    }

    @Test func poolingRefusalsNameTheModule() throws {
        let transformer = #"{"type": "sentence_transformers.models.Transformer", "path": ""}"#
        let pooling = #"{"type": "sentence_transformers.models.Pooling", "path": "1_Pooling"}"#
        let cases: [([String: String?], String)] = [
            (["modules.json": nil], ": expected a sentence-transformers model directory (modules.json, 1_Pooling/config.json), found no modules.json"),
            (["modules.json": "[{"], "/modules.json: expected JSON, found text that is not"),
            (["modules.json": "{}"], "/modules.json: expected a list of modules, found another JSON value"),
            (["modules.json": #"[{"path": ""}]"#], #"/modules.json: module 0: expected an object with a type, found {"path":""}"#),
            (["modules.json": "[\(transformer), \(pooling), {\"type\": \"sentence_transformers.models.Dense\"}]"],
             "/modules.json: module 2: expected a Transformer, then a Pooling, then optionally a Normalize module, found sentence_transformers.models.Dense"),
            (["modules.json": "[\(transformer)]"], "/modules.json: expected a Pooling module after the Transformer, found none"),
            (["1_Pooling/config.json": nil], "/1_Pooling/config.json: no such file"),
            (["1_Pooling/config.json": "[]"], "/1_Pooling/config.json: expected a JSON object (the pooling's settings), found another JSON value"),
            (["1_Pooling/config.json": #"{"pooling_mode_mean_tokens": false}"#], "/1_Pooling/config.json: expected one pooling mode of mean, cls or max tokens, found none"),
            (["1_Pooling/config.json": #"{"pooling_mode_mean_tokens": true, "pooling_mode_cls_token": true}"#],
             "/1_Pooling/config.json: expected one pooling mode of mean, cls or max tokens, found pooling_mode_mean_tokens, pooling_mode_cls_token"),
            (["1_Pooling/config.json": #"{"pooling_mode_weightedmean_tokens": true}"#],
             "/1_Pooling/config.json: expected one pooling mode of mean, cls or max tokens, found pooling_mode_weightedmean_tokens"),
        ]
        for (changes, expected) in cases {
            let (dir, message) = try refusal(changes)
            #expect(message == dir + expected, "\(changes)")
        }
    }

    @Test func directoryRefusalsSayWhatIsMissing() throws {
        let file = temporary.path("not-a-directory")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let nowhere = temporary.path("nowhere")
        #expect(errorMessage { _ = try SentenceTransformer(directory: file) } == "\(file): expected a sentence-transformers model directory, found a file")
        #expect(errorMessage { _ = try SentenceTransformer(directory: nowhere) } == "\(nowhere): expected a sentence-transformers model directory, found nothing there")
        var (dir, message) = try refusal(["model.safetensors": nil])
        #expect(message == "\(dir): expected model.safetensors (the weights; synthctl does not read pickled PyTorch files), found no weights file")
        (dir, message) = try refusal(["model.safetensors": nil, "pytorch_model.bin": "PK"])
        #expect(message == "\(dir): expected model.safetensors (the weights; synthctl does not read pickled PyTorch files), found pytorch_model.bin only")
        (dir, message) = try refusal([:], model: TinyBertModel(maxSequenceLength: 17))
        #expect(message == "\(dir)/sentence_bert_config.json: max_seq_length: expected at most config.json's max_position_embeddings 16, found 17")
        (dir, message) = try refusal(["vocab.txt": (TinyBertModel.vocabulary + ["dog"]).joined(separator: "\n")])
        #expect(message == "\(dir)/vocab.txt: expected at most config.json's vocab_size 12 tokens, found 13")
        // A vocabulary smaller than vocab_size is a model whose last rows no text reaches: read.
        (dir, message) = try refusal(["vocab.txt": TinyBertModel.vocabulary.dropLast().joined(separator: "\n")])
        #expect(message == nil)
        (dir, message) = try refusal(["model.safetensors": "12345678"])
        #expect(message?.hasPrefix("\(dir)/model.safetensors: expected a safetensors header length") == true, "\(message ?? "read")")
    }
}
