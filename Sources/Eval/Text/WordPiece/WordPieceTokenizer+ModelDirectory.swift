import Foundation
import SynthctlCore

extension WordPieceTokenizer {
    /// The tokenizer of a sentence-transformers model directory of the BERT
    /// family (all-MiniLM-L6-v2, all-MiniLM-L12-v2, bge-small-en-v1.5,
    /// e5-small-v2), read as sentence-transformers reads it:
    /// - `vocab.txt`: the vocabulary (required);
    /// - `tokenizer.json`, when present, is what the fast tokenizer runs: its
    ///   `normalizer` (a `BertNormalizer`: `clean_text` must be true,
    ///   `handle_chinese_chars`, `strip_accents` — null means as `lowercase` —
    ///   and `lowercase`), `pre_tokenizer` (`BertPreTokenizer`), `model`
    ///   (`WordPiece` with `##` continuations: `unk_token`,
    ///   `max_input_chars_per_word`) and `added_tokens` (the special ones, matched as written);
    /// - else `tokenizer_config.json` (`do_lower_case`, `strip_accents`,
    ///   `tokenize_chinese_chars`, the `*_token` names), defaults as BERT's;
    /// - the length limit: `sentence_bert_config.json`'s `max_seq_length`;
    ///   without it, the smaller of `tokenizer_config.json`'s
    ///   `model_max_length` and `config.json`'s `max_position_embeddings`
    ///   (sentence-transformers' rule), else 512.
    ///
    /// - Throws: ``InputError`` naming the file and what it holds when a
    ///   file is missing or unreadable, or describes a tokenizer of another
    ///   kind (a BPE or Unigram model, another normalizer or pre-tokenizer).
    public init(modelDirectory: String) throws {
        let directory = URL(fileURLWithPath: modelDirectory)
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func object(_ name: String) throws -> [String: JSONValue]? {
            guard FileManager.default.fileExists(atPath: path(name)) else { return nil }
            let bytes = try InputFile.contents(path(name))
            guard let o = try? JSONDecoder().decode(ObjectWithoutVocabulary.self, from: Data(bytes)).members else {
                throw InputError(file: path(name), expected: "a JSON object", found: bytes.isEmpty ? "an empty file" : "text that is not one")
            }
            return o
        }
        func string(_ v: JSONValue?) -> String? {
            switch v {
            case .string(let s)?: s
            case .object(let o)?: if case .string(let s)? = o["content"] { s } else { nil }  // {"content": "[UNK]", …}
            default: nil
            }
        }
        func bool(_ v: JSONValue?, _ otherwise: Bool) -> Bool { if case .bool(let b)? = v { b } else { otherwise } }
        func int(_ v: JSONValue?) -> Int? { if case .int(let i)? = v { i } else { nil } }

        let vocabularyPath = path("vocab.txt")
        guard FileManager.default.fileExists(atPath: vocabularyPath) else {
            throw InputError(file: modelDirectory, expected: "a model directory with vocab.txt (a BERT WordPiece vocabulary)", found: "no vocab.txt")
        }
        let vocabularyBytes = try InputFile.contents(vocabularyPath)
        guard let vocabularyText = String(validating: vocabularyBytes, as: UTF8.self), !vocabularyBytes.isEmpty else {
            throw InputError(file: vocabularyPath, expected: "a vocabulary in UTF-8, one token per line", found: vocabularyBytes.isEmpty ? "an empty file" : "bytes that are not UTF-8")
        }
        let config = try object("tokenizer_config.json") ?? [:]
        var lowercase = bool(config["do_lower_case"], true)
        var stripAccents: Bool = { if case .bool(let b)? = config["strip_accents"] { b } else { lowercase } }()
        var chinese = bool(config["tokenize_chinese_chars"], true)
        var unknown = string(config["unk_token"]) ?? "[UNK]"
        var maxInputCharactersPerWord = 100
        // BertTokenizer's defaults where the config names none.
        var specials = [("cls_token", "[CLS]"), ("sep_token", "[SEP]"), ("pad_token", "[PAD]"), ("mask_token", "[MASK]"), ("unk_token", "[UNK]")]
            .map { string(config[$0.0]) ?? $0.1 }
        if let fast = try object("tokenizer.json") {
            let file = path("tokenizer.json")
            func refuse(_ part: String, _ expected: String, _ found: JSONValue?) -> InputError {
                InputError(file: file, field: part, expected: expected, found: found.map { $0.compact } ?? "none")
            }
            guard case .object(let normalizer)? = fast["normalizer"], string(normalizer["type"]) == "BertNormalizer",
                  bool(normalizer["clean_text"], true) else {
                throw refuse("normalizer", "a BertNormalizer with clean_text (a BERT WordPiece tokenizer)", fast["normalizer"])
            }
            lowercase = bool(normalizer["lowercase"], true)
            stripAccents = { if case .bool(let b)? = normalizer["strip_accents"] { b } else { lowercase } }()
            chinese = bool(normalizer["handle_chinese_chars"], true)
            guard case .object(let pre)? = fast["pre_tokenizer"], string(pre["type"]) == "BertPreTokenizer" else {
                throw refuse("pre_tokenizer", "a BertPreTokenizer", fast["pre_tokenizer"])
            }
            guard case .object(let model)? = fast["model"], string(model["type"]) == "WordPiece",
                  string(model["continuing_subword_prefix"]) ?? "##" == "##" else {
                throw refuse("model", "a WordPiece model with ## continuations", fast["model"])  // read without its vocab and merges
            }
            unknown = string(model["unk_token"]) ?? unknown
            maxInputCharactersPerWord = int(model["max_input_chars_per_word"]) ?? 100
            if case .array(let added)? = fast["added_tokens"] {
                for token in added {
                    guard case .object(let o) = token, let content = string(o["content"]) else { continue }
                    guard !bool(o["normalized"], false) else {
                        throw refuse("added_tokens", "added tokens matched as written (normalized: false)", token)
                    }
                    specials.append(content)
                }
            }
        }
        var maxLength = 512
        if let sentence = try object("sentence_bert_config.json"), let m = int(sentence["max_seq_length"]) {
            maxLength = m
        } else {
            let positions = try object("config.json").flatMap { int($0["max_position_embeddings"]) }
            let stated = int(config["model_max_length"]).flatMap { $0 < 1_000_000 ? $0 : nil }  // transformers' "no limit" is 1e30
            maxLength = [positions, stated].compactMap { $0 }.min() ?? 512
        }
        guard maxLength >= 2 else {
            throw InputError(file: path("sentence_bert_config.json"), field: "max_seq_length", expected: "at least 2 ([CLS] and [SEP])", found: "\(maxLength)")
        }
        try self.init(vocabularyText: vocabularyText, source: vocabularyPath, lowercase: lowercase, stripAccents: stripAccents,
                      chineseCharacters: chinese, specialTokens: specials, unknown: unknown,
                      classToken: string(config["cls_token"]) ?? "[CLS]", separator: string(config["sep_token"]) ?? "[SEP]",
                      padding: string(config["pad_token"]) ?? "[PAD]", maxLength: maxLength, maxInputCharactersPerWord: maxInputCharactersPerWord)
    }
}

/// A JSON object whose `model` member, when an object, is read without its
/// `vocab` and `merges`: `tokenizer.json` repeats the 30,000-token
/// vocabulary that `vocab.txt` gives, and decoding it into ``JSONValue``s
/// was a fifth of `embed --model`'s start-up.
private struct ObjectWithoutVocabulary: Decodable {
    let members: [String: JSONValue]

    struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        let object = try decoder.container(keyedBy: Key.self)
        var members = [String: JSONValue]()
        for key in object.allKeys {
            if key.stringValue == "model", let model = try? object.nestedContainer(keyedBy: Key.self, forKey: key) {
                var kept = [String: JSONValue]()
                for inner in model.allKeys where inner.stringValue != "vocab" && inner.stringValue != "merges" {
                    kept[inner.stringValue] = try model.decode(JSONValue.self, forKey: inner)
                }
                members[key.stringValue] = .object(kept)
            } else {
                members[key.stringValue] = try object.decode(JSONValue.self, forKey: key)
            }
        }
        self.members = members
    }
}
