/// Texts as hashed bag-of-n-gram vectors: scikit-learn's
/// `HashingVectorizer` (`sklearn/feature_extraction/text.py`,
/// `_hashing_fast.pyx`, 1.9) with its defaults for everything not listed
/// in ``Options``: no accent stripping, no stop words, no preprocessor.
///
/// Each n-gram is UTF-8 encoded and hashed with MurmurHash3 (seed 0,
/// ``MurmurHash3``) to a signed 32-bit h; its bucket is |h| mod
/// `features` (h = −2³¹, whose |h| overflows, goes where 2³¹ would:
/// (2³¹ − 1 − (features − 1)) mod features, as scikit-learn computes it)
/// and, with `alternateSign`, it adds −1 when h < 0 and +1 otherwise, so
/// that collisions cancel in expectation (Weinberger et al. 2009). With
/// ``Options/normalize`` a row's sums are then divided by their Euclidean
/// norm (a row of zeros stays zeros). The bucket indices and values are those scikit-learn
/// gives (`Tests/Oracles/hashing_vectorizer_oracle.py`).
public struct HashingVectorizer: Sendable {
    /// How a text becomes the n-grams that are hashed.
    public enum Analyzer: String, Sendable, CaseIterable {
        /// Words: maximal runs of two or more word characters (the token
        /// pattern `(?u)\b\w\w+\b`), then their n-grams joined by a space.
        case word
        /// Character n-grams inside words (`char_wb`): whitespace runs
        /// become one space, each whitespace-separated word is padded
        /// with a space on both sides, and its n-grams of every length are
        /// taken (a word shorter than the smallest length counts once,
        /// whole, and ends the lengths).
        case charWordBounded = "char_wb"
    }

    public struct Options: Sendable {
        public var analyzer = Analyzer.word
        /// The smallest and largest n (scikit-learn's `ngram_range`); 1…1 by default.
        public var ngramRange: ClosedRange<Int> = 1...1
        /// Buckets (scikit-learn's `n_features`); 2²⁰ by default.
        public var features = 1 << 20
        /// Signs from the hash (scikit-learn's `alternate_sign`); on by default.
        public var alternateSign = true
        /// Lower-case first, as Python's `str.lower` (``PythonText``;
        /// scikit-learn's `lowercase`); on by default.
        public var lowercase = true
        /// Divide each row by its Euclidean norm (scikit-learn's `norm="l2"`;
        /// off is `norm=None`, the signed counts); on by default.
        public var normalize = true
        public init() {}
    }

    /// One text's vector: buckets ascending, each with its value.
    public struct Row: Sendable, Equatable {
        public var indices: [Int32]
        public var values: [Double]
    }

    public let options: Options

    public init(options: Options = .init()) {
        precondition(options.features >= 1 && options.features <= Int(Int32.max), "features must be in 1...2^31 - 1")
        precondition(options.ngramRange.lowerBound >= 1, "n-grams start at 1")
        self.options = options
    }

    /// The n-grams of `text` that are hashed, in scikit-learn's order.
    public func ngrams(_ text: String) -> [String] {
        let scalars = options.lowercase ? PythonText.lower(Array(text.unicodeScalars)) : Array(text.unicodeScalars)
        switch options.analyzer {
        case .word: return Self.wordNgrams(Self.words(scalars), range: options.ngramRange)
        case .charWordBounded: return Self.characterNgrams(scalars, range: options.ngramRange)
        }
    }

    /// The vector of `text` (see the type's documentation).
    public func transform(_ text: String) -> Row {
        var sums: [Int32: Double] = [:]
        for gram in ngrams(text) {
            let h = Int32(bitPattern: MurmurHash3.x86_32(gram.utf8, seed: 0))
            let n = Int64(options.features)
            let index = h == Int32.min ? (Int64(Int32.max) - (n - 1)) % n : Int64(abs(h)) % n
            sums[Int32(index), default: 0] += options.alternateSign && h < 0 ? -1 : 1
        }
        let indices = sums.keys.sorted()
        var values = indices.map { sums[$0]! }
        if options.normalize { Self.normalize(&values) }
        return Row(indices: indices, values: values)
    }

    /// Divides `values` by their Euclidean norm, the squares summed in the
    /// given order (a row of zeros stays zeros): the one L2 step of the
    /// vectorizer, the byte-level counter and TF-IDF, so all give the same doubles.
    static func normalize<Values: MutableCollection<Double>>(_ values: inout Values) {
        var squares = 0.0
        for v in values { squares += v * v }
        let norm = squares.squareRoot()
        if norm > 0 { for k in values.indices { values[k] /= norm } }
    }

    /// Maximal runs of at least two word characters.
    static func words(_ scalars: [Unicode.Scalar]) -> [String] {
        var words: [String] = [], run = String.UnicodeScalarView(), length = 0
        func end() {
            if length >= 2 { words.append(String(run)) }
            run = String.UnicodeScalarView()
            length = 0
        }
        for s in scalars {
            if PythonText.isWordCharacter(s) { run.append(s); length += 1 } else { end() }
        }
        end()
        return words
    }

    /// scikit-learn's `_word_ngrams`: the unigrams first when the range
    /// starts at 1, then each longer n in turn.
    static func wordNgrams(_ tokens: [String], range: ClosedRange<Int>) -> [String] {
        guard range.upperBound > 1 else { return tokens }
        var out = range.lowerBound == 1 ? tokens : []
        let first = max(range.lowerBound, 2)
        if first <= min(range.upperBound, tokens.count) {
            for n in first...min(range.upperBound, tokens.count) {
                for i in 0...(tokens.count - n) { out.append(tokens[i..<(i + n)].joined(separator: " ")) }
            }
        }
        return out
    }

    /// scikit-learn's `_char_wb_ngrams` over code points.
    static func characterNgrams(_ scalars: [Unicode.Scalar], range: ClosedRange<Int>) -> [String] {
        var out: [String] = []
        var words: [[Unicode.Scalar]] = [], current: [Unicode.Scalar] = []
        for s in scalars {
            if PythonText.isSpace(s) {
                if !current.isEmpty { words.append(current); current = [] }
            } else {
                current.append(s)
            }
        }
        if !current.isEmpty { words.append(current) }
        let space = Unicode.Scalar(0x20)!
        for word in words {
            let w = [space] + word + [space]
            for n in range {
                var offset = 0
                out.append(String(String.UnicodeScalarView(w[offset..<min(offset + n, w.count)])))
                while offset + n < w.count {
                    offset += 1
                    out.append(String(String.UnicodeScalarView(w[offset..<(offset + n)])))
                }
                if offset == 0 { break }
            }
        }
        return out
    }
}
