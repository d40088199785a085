import Foundation

/// BERT's text normalization as Hugging Face `tokenizers` does it
/// (`BertNormalizer`, the Rust tokenizer that sentence-transformers runs),
/// over Unicode scalars, in its order:
///
/// 1. *clean*: drop U+0000, U+FFFD and "other" code points (categories Cc,
///    Cf, Co; tab, line feed and carriage return excepted); every White_Space
///    code point (U+00A0, U+3000, U+2028, …) becomes a space;
/// 2. *Chinese characters*: a space on each side of a CJK ideograph (the
///    ranges below), so that each is a word of its own;
/// 3. *strip accents* (when asked; by default when lower-casing): NFD, then
///    nonspacing marks (Mn) dropped — é becomes e, Hangul syllables their jamo;
/// 4. *lower-case*: each code point's full lowercase mapping, one code point
///    at a time (no final-sigma rule: Σ is σ wherever it stands, unlike
///    Python's `str.lower()`).
///
/// Why Unicode 8.0 appears below: `tokenizers` takes the categories of steps
/// 1 and 3 (and the punctuation of ``BertPreTokenizer``) from the Rust crate
/// `unicode_categories` 0.1.1, whose tables are Unicode 8.0. A code point
/// assigned since (a Cf such as U+08E2, an Mn such as U+1DF6, a Po such as
/// U+2E44) is none of those there, so it stays; measured against the
/// tokenizer in `Tests/Oracles/wordpiece_oracle.py`. White_Space and the
/// lowercase mapping come from Rust's standard library, current Unicode, as
/// Swift's do.
///
/// Source: huggingface/tokenizers `tokenizers/src/normalizers/bert.rs`
/// (read, not copied); Google's BERT `tokenization.py` for the original
/// rules and the CJK ranges.
struct BertNormalizer: Sendable {
    var lowercase = true
    var stripAccents = true
    var chineseCharacters = true

    /// The normalized text of `scalars`.
    func normalize(_ scalars: some Sequence<Unicode.Scalar>) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var allASCII = true
        for s in scalars {
            let v = s.value
            if v == 0 || v == 0xFFFD || Self.isOther(s) { continue }
            if s.properties.isWhitespace { out.append(" "); continue }
            if v >= 0x80 { allASCII = false }
            if chineseCharacters && Self.isChineseCharacter(v) {
                out += [" ", s, " "]
            } else {
                out.append(s)
            }
        }
        if stripAccents && !allASCII { out = Self.withoutAccents(out) }
        if lowercase {
            var lowered: [Unicode.Scalar] = []
            lowered.reserveCapacity(out.count)
            for s in out {
                if s.isASCII {
                    lowered.append(s.value >= 0x41 && s.value <= 0x5A ? Unicode.Scalar(UInt8(s.value + 32)) : s)
                } else {
                    lowered += s.properties.lowercaseMapping.unicodeScalars
                }
            }
            out = lowered
        }
        return out
    }

    /// Whether `s` was assigned by Unicode 8.0, the version of the category
    /// tables `tokenizers` uses (see the type's documentation).
    static func knownToUnicode8(_ s: Unicode.Scalar) -> Bool {
        guard let age = s.properties.age else { return false }
        return age.major < 8 || (age.major == 8 && age.minor == 0)
    }

    /// Cc, Cf or Co (tab, line feed, carriage return excepted): dropped by cleaning.
    static func isOther(_ s: Unicode.Scalar) -> Bool {
        if s.value == 0x09 || s.value == 0x0A || s.value == 0x0D { return false }
        if s.value < 0x20 || s.value == 0x7F { return true }
        if s.value < 0x80 { return false }
        switch s.properties.generalCategory {
        case .control: return true
        case .format, .privateUse: return knownToUnicode8(s)
        default: return false
        }
    }

    /// CJK Unified Ideographs and their extensions A–F, compatibility
    /// ideographs and their supplement, as `tokenizers` lists them
    /// (its extension range starts at U+2B920, where Python's BERT starts at U+2B820).
    static func isChineseCharacter(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v)
            || (0x2A700...0x2B73F).contains(v) || (0x2B740...0x2B81F).contains(v) || (0x2B920...0x2CEAF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0x2F800...0x2FA1F).contains(v)
    }

    /// NFD (canonical decomposition, then canonical ordering of combining
    /// marks), then Mn code points dropped. ASCII and Latin-1 below U+00C0
    /// have no decomposition and are kept as they are.
    static func withoutAccents(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var decomposed: [Unicode.Scalar] = []
        decomposed.reserveCapacity(scalars.count)
        for s in scalars {
            if s.value < 0xC0 { decomposed.append(s); continue }
            decomposed += String(Character(s)).decomposedStringWithCanonicalMapping.unicodeScalars
        }
        // Canonical ordering across scalars: each run of nonzero combining classes sorted stably.
        var i = 0
        while i < decomposed.count {
            guard decomposed[i].properties.canonicalCombiningClass.rawValue != 0 else { i += 1; continue }
            var j = i
            while j < decomposed.count, decomposed[j].properties.canonicalCombiningClass.rawValue != 0 { j += 1 }
            if j - i > 1 {
                let run = decomposed[i..<j].enumerated().sorted {
                    let (a, b) = ($0.element.properties.canonicalCombiningClass.rawValue, $1.element.properties.canonicalCombiningClass.rawValue)
                    return a != b ? a < b : $0.offset < $1.offset
                }
                decomposed.replaceSubrange(i..<j, with: run.map(\.element))
            }
            i = j
        }
        return decomposed.filter { !($0.properties.generalCategory == .nonspacingMark && knownToUnicode8($0)) }
    }
}
