/// BERT's split of normalized text into words, as Hugging Face `tokenizers`
/// does it (`BertPreTokenizer`): White_Space separates words and is
/// dropped; each punctuation code point is a word of its own. Punctuation
/// is ASCII punctuation (`!` … `~`, including `$`, `+`, `<`, `^`, `` ` ``,
/// `|`, which Unicode files under symbols) or a Unicode P* category as of
/// Unicode 8.0 (see ``BertNormalizer`` for why that version).
///
/// Source: huggingface/tokenizers `pre_tokenizers/bert.rs` (read, not copied).
enum BertPreTokenizer {
    /// The words of `scalars`, in order, each non-empty.
    static func words(_ scalars: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var words: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        for (i, s) in scalars.enumerated() {
            let space = s.value == 0x20 || s.properties.isWhitespace
            guard space || isPunctuation(s) else { continue }
            if start < i { words.append(scalars[start..<i]) }
            if !space { words.append(scalars[i...i]) }
            start = i + 1
        }
        if start < scalars.count { words.append(scalars[start...]) }
        return words
    }

    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v) || (0x7B...0x7E).contains(v) }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return BertNormalizer.knownToUnicode8(s)
        default: return false
        }
    }
}
