import Foundation
import SynthctlCore

/// BERT's tokenizer as sentence-transformers runs it (Hugging Face
/// `tokenizers`: `BertNormalizer`, `BertPreTokenizer`, `WordPiece`, the
/// `[CLS] … [SEP]` template), from text to the token ids a BERT-family
/// model reads. Token ids equal the reference's on the committed corpus
/// (`Tests/Oracles/wordpiece_oracle.py`, 400 texts).
///
/// For a text:
/// 1. the special tokens written in it (`[CLS]`, `[SEP]`, `[MASK]`, …, as
///    written: `[mask]` is not one) are cut out first and become their ids;
/// 2. each piece between them is normalized (``BertNormalizer``) and split
///    into words (``BertPreTokenizer``);
/// 3. each word becomes WordPiece tokens, greedily, longest match first:
///    the longest prefix in the vocabulary, then the longest continuation
///    (`##…`) of the rest, and so on; a word with a piece that matches
///    nothing, or of more than `maxInputCharactersPerWord` (100) code
///    points, is one `[UNK]`;
/// 4. the tokens are cut to `maxLength − 2` and framed by `[CLS]` and `[SEP]`.
///
/// `maxLength` is sentence-transformers' `max_seq_length`
/// (`sentence_bert_config.json`: 256 for all-MiniLM-L6-v2, whose
/// `tokenizer.json` says 128 — sentence-transformers truncates at 256).
///
/// Source: Wu et al., "Google's Neural Machine Translation System" (2016)
/// for WordPiece; huggingface/tokenizers `models/wordpiece/mod.rs` and
/// `tokenizer/added_vocabulary.rs` for the details (read, not copied).
public struct WordPieceTokenizer: Sendable {
    /// Token → id, keyed by UTF-8 bytes: Swift's `String` equality is
    /// canonical equivalence ("é" == "e\u{301}"), the vocabulary's is bytes.
    let vocabulary: [[UInt8]: Int32]
    let normalizer: BertNormalizer
    /// Special tokens matched in the raw text, longest first, with their ids.
    let specialTokens: [(scalars: [Unicode.Scalar], id: Int32)]
    public let unknownID: Int32, classID: Int32, separatorID: Int32, paddingID: Int32
    /// Tokens per text, `[CLS]` and `[SEP]` included.
    public let maxLength: Int
    public let maxInputCharactersPerWord: Int
    public var vocabularySize: Int { vocabulary.count }

    /// A tokenizer over `vocabularyText` (one token per line, its id the
    /// line's index from 0, lines split at line feeds only and trailing
    /// White_Space trimmed, as `tokenizers` reads `vocab.txt`; a token that
    /// repeats keeps its last line's id, as there).
    ///
    /// - Throws: ``InputError`` naming `source` when a special token is not in the vocabulary.
    init(vocabularyText: String, source: String, lowercase: Bool, stripAccents: Bool, chineseCharacters: Bool,
         specialTokens: [String], unknown: String = "[UNK]", classToken: String = "[CLS]", separator: String = "[SEP]",
         padding: String = "[PAD]", maxLength: Int, maxInputCharactersPerWord: Int = 100) throws {
        var vocabulary = [[UInt8]: Int32]()
        // Split at line feeds by scalar: as Characters, "\r\n" is one and would not split at "\n".
        var lines = vocabularyText.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }  // the newline that ends the last line
        for (index, line) in lines.enumerated() {
            var scalars = line
            while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }  // Rust's trim_end
            vocabulary[Array(String(String.UnicodeScalarView(scalars)).utf8)] = Int32(index)
        }
        func id(_ token: String) throws -> Int32 {
            guard let id = vocabulary[Array(token.utf8)] else {
                throw InputError(file: source, expected: "the special token \(token) in the vocabulary", found: "it missing from \(vocabulary.count) tokens")
            }
            return id
        }
        self.vocabulary = vocabulary
        self.normalizer = BertNormalizer(lowercase: lowercase, stripAccents: stripAccents, chineseCharacters: chineseCharacters)
        (classID, separatorID, paddingID, unknownID) = (try id(classToken), try id(separator), try id(padding), try id(unknown))
        // Longest first: where two start at the same place, the longer is the match (leftmost-longest).
        self.specialTokens = try Set(specialTokens + [unknown, classToken, separator, padding])
            .sorted { $0.unicodeScalars.count != $1.unicodeScalars.count ? $0.unicodeScalars.count > $1.unicodeScalars.count : $0 < $1 }
            .map { (Array($0.unicodeScalars), try id($0)) }
        precondition(maxLength >= 2)
        self.maxLength = maxLength
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
    }

    /// The ids of `text`, `[CLS]` first and `[SEP]` last, at most ``maxLength``.
    public func ids(_ text: String) -> [Int32] {
        var ids: [Int32] = [classID]
        let limit = maxLength - 1
        let scalars = Array(text.unicodeScalars)
        var start = 0, i = 0
        func tokenize(_ piece: ArraySlice<Unicode.Scalar>) {
            for word in BertPreTokenizer.words(normalizer.normalize(piece)) where ids.count < limit {
                wordPieces(word, into: &ids)
            }
        }
        while i < scalars.count, ids.count < limit {
            guard let special = specialTokens.first(where: { matches($0.scalars, scalars, at: i) }) else { i += 1; continue }
            if start < i { tokenize(scalars[start..<i]) }
            if ids.count < limit { ids.append(special.id) }
            i += special.scalars.count
            start = i
        }
        if start < scalars.count, ids.count < limit { tokenize(scalars[start...]) }
        if ids.count > limit { ids.removeLast(ids.count - limit) }
        ids.append(separatorID)
        return ids
    }

    private func matches(_ token: [Unicode.Scalar], _ text: [Unicode.Scalar], at i: Int) -> Bool {
        guard text[i] == token[0], text.count - i >= token.count else { return false }
        for k in 1..<token.count where text[i + k] != token[k] { return false }
        return true
    }

    /// Appends the WordPiece ids of one word (greedy longest match first), or `[UNK]`.
    func wordPieces(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int32]) {
        guard word.count <= maxInputCharactersPerWord else { ids.append(unknownID); return }
        // UTF-8 of the word and where each scalar starts in it: pieces are byte ranges on scalar boundaries.
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        for s in word {
            offsets.append(bytes.count)
            bytes += UTF8.encode(s).map { Array($0) } ?? []
        }
        offsets.append(bytes.count)
        let first = ids.count
        var start = 0
        while start < word.count {
            var end = word.count, found: Int32?
            while end > start {
                // A piece after the first is looked up with the continuation prefix "##".
                let key = start == 0 ? Array(bytes[..<offsets[end]]) : [0x23, 0x23] + bytes[offsets[start]..<offsets[end]]
                if let id = vocabulary[key] { found = id; break }
                end -= 1
            }
            guard let id = found else {
                ids.removeLast(ids.count - first)
                ids.append(unknownID)
                return
            }
            ids.append(id)
            start = end
        }
    }
}
