/// A text's hashed n-gram counts computed from its UTF-8 bytes, for
/// embedding many texts: the same buckets and values as
/// ``HashingVectorizer/transform(_:)`` (which builds a `String` per n-gram
/// and a dictionary per text, and stays as the readable reference the
/// scikit-learn oracle checks), without allocating per text.
///
/// An n-gram is hashed where its bytes lie: a word unigram and a `char_wb`
/// n-gram are slices of the (lower-cased) text or of the padded word; only
/// a word n-gram of two words or more is copied, to join its words with a
/// space. Each n-gram's (bucket, sign) is packed in one integer, the
/// integers sorted, and runs of one bucket summed, so the buckets come out
/// ascending as the reference's do, each with the same integer sum.
///
/// One instance per thread: it holds the buffers it reuses.
public struct HashedCounts {
    public let vectorizer: HashingVectorizer
    /// The last text's buckets, ascending.
    public private(set) var indices: [Int32] = []
    /// The last text's signed counts (L2-normalized when the vectorizer's
    /// `normalize` is on), one per bucket in ``indices``.
    public private(set) var values: [Double] = []

    private var text: [UInt8] = []
    /// Byte offset of each scalar of ``text``, and its end (non-ASCII texts only).
    private var starts: [Int] = []
    private var scalars: [Unicode.Scalar] = []
    private var gram: [UInt8] = []
    private var padded: [UInt8] = []
    private var paddedStarts: [Int] = []
    private var tokens: [Range<Int>] = []
    private var keys: [UInt64] = []
    /// Scratch for ``radixSort()``: the keys between passes, and one pass's counts.
    private var sortedKeys: [UInt64] = []
    private var radixCounts = [Int](repeating: 0, count: 256)
    /// Scratch for ``countASCIIWordUnigrams(_:)``: the lower-cased text and
    /// the packed unigrams (fixed sizes, grown when a text needs more).
    private var lowered: [UInt8] = []
    private var unigramKeys: [UInt64] = []
    /// Scratch for ``group(_:normalize:)``.
    private var groupedIndices: [Int32] = []
    private var groupedValues: [Double] = []

    public init(_ vectorizer: HashingVectorizer) { self.vectorizer = vectorizer }

    /// The counts of one text, given as its UTF-8 bytes (valid UTF-8, as
    /// Swift's `String.utf8` gives). Afterwards ``indices`` and ``values`` hold them.
    public mutating func count<Bytes: Collection<UInt8>>(utf8 bytes: Bytes) { countAnyText(bytes) }

    /// ``count(utf8:)`` for any text and options.
    private mutating func countAnyText<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        let options = vectorizer.options
        prepare(bytes, lowercase: options.lowercase)
        keys.removeAll(keepingCapacity: true)
        switch options.analyzer {
        case .word: hashWords(options.ngramRange)
        case .charWordBounded: hashCharacters(options.ngramRange)
        }
        merge(normalize: options.normalize)
    }

    /// ``count(utf8:)`` for bytes in memory: an ASCII text whose n-grams
    /// are word unigrams (the default) is read in one pass, the rest as
    /// there. The same buckets and values.
    mutating func count(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        let options = vectorizer.options
        if options.analyzer == .word, options.ngramRange == 1...1, countASCIIWordUnigrams(bytes) { return }
        countAnyText(bytes)
    }

    /// The counts as a ``HashingVectorizer/Row``.
    public var row: HashingVectorizer.Row { HashingVectorizer.Row(indices: indices, values: values) }

    /// Copies the text into ``text``, lower-cased as Python's `str.lower`
    /// when asked (ASCII texts byte by byte, others through
    /// ``PythonText/lower(_:)``); for a non-ASCII text also its scalars and
    /// their byte offsets.
    private mutating func prepare<Bytes: Collection<UInt8>>(_ bytes: Bytes, lowercase: Bool) {
        text.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        scalars.removeAll(keepingCapacity: true)
        text.append(contentsOf: bytes)
        let ascii = text.withUnsafeMutableBufferPointer { t in
            var high: UInt8 = 0
            for i in t.indices {
                let b = t[i]
                high |= b
                if lowercase && b >= 0x41 && b <= 0x5A { t[i] = b + 32 }
            }
            return high < 0x80
        }
        guard !ascii else { return }
        var decoded: [Unicode.Scalar] = []
        var iterator = bytes.makeIterator(), decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): decoded.append(s)
            case .emptyInput: break loop
            case .error: decoded.append("\u{FFFD}")
            }
        }
        scalars = lowercase ? PythonText.lower(decoded) : decoded
        text.removeAll(keepingCapacity: true)
        for s in scalars {
            starts.append(text.count)
            text.append(contentsOf: UTF8.encode(s)!)
        }
        starts.append(text.count)
    }

    private var isASCII: Bool { starts.isEmpty }

    /// Adds the (bucket, sign) of the n-gram made of `bytes`.
    private mutating func add(_ bytes: UnsafeRawBufferPointer) { add(hash: MurmurHash3.x86_32(bytes, seed: 0)) }

    /// Adds the (bucket, sign) of the n-gram whose MurmurHash3 is `hash`
    /// (see ``HashingVectorizer`` for the bucket of −2³¹).
    private mutating func add(hash: UInt32) {
        keys.append(Self.key(hash: hash, features: vectorizer.options.features, alternateSign: vectorizer.options.alternateSign))
    }

    /// The packed (bucket, sign) of the n-gram whose MurmurHash3 is `hash`.
    @inline(__always)
    private static func key(hash: UInt32, features: Int, alternateSign: Bool) -> UInt64 {
        let h = Int32(bitPattern: hash)
        let n = Int64(features)
        let index: Int64
        if h == Int32.min {
            index = (Int64(Int32.max) - (n - 1)) % n
        } else if n & (n - 1) == 0 {
            // A power of two (2²⁰ by default): the remainder is a mask, not a division per n-gram.
            index = Int64(abs(h)) & (n - 1)
        } else {
            index = Int64(abs(h)) % n
        }
        let negative: UInt64 = alternateSign && h < 0 ? 1 : 0
        return UInt64(index) << 1 | negative
    }

    /// Word n-grams: runs of two or more word characters (``PythonText/isWordCharacter(_:)``),
    /// then scikit-learn's `_word_ngrams` order (as ``HashingVectorizer/wordNgrams(_:range:)``).
    private mutating func hashWords(_ range: ClosedRange<Int>) {
        tokens.removeAll(keepingCapacity: true)
        if isASCII {
            // Over the bytes directly: the general loop below reloads the
            // buffers through `self` at every byte, most of this function's time.
            self.text.withUnsafeBufferPointer { t in
                var i = 0
                while i < t.count {
                    while i < t.count && !Self.asciiWord(t[i]) { i += 1 }
                    let start = i
                    while i < t.count && Self.asciiWord(t[i]) { i += 1 }
                    if i - start >= 2 { self.tokens.append(start..<i) }
                }
            }
        } else {
            var runStart = 0, length = 0
            for i in 0...scalars.count {
                if i < scalars.count && PythonText.isWordCharacter(scalars[i]) {
                    if length == 0 { runStart = i }
                    length += 1
                } else {
                    if length >= 2 { tokens.append(starts[runStart]..<starts[i]) }
                    length = 0
                }
            }
        }
        // Local copies (no bytes copied) so that hashing, which appends to
        // `keys`, does not overlap an access to `self`'s buffers.
        let text = self.text, tokens = self.tokens
        text.withUnsafeBytes { all in
            if range.lowerBound == 1 || range.upperBound == 1 {
                for t in tokens { add(UnsafeRawBufferPointer(rebasing: all[t])) }
            }
        }
        guard range.upperBound > 1 else { return }
        let first = max(range.lowerBound, 2)
        guard first <= min(range.upperBound, tokens.count) else { return }
        for n in first...min(range.upperBound, tokens.count) {
            for i in 0...(tokens.count - n) {
                gram.removeAll(keepingCapacity: true)
                for k in i..<(i + n) {
                    if k > i { gram.append(0x20) }
                    gram.append(contentsOf: text[tokens[k]])
                }
                add(hash: gram.withUnsafeBytes { MurmurHash3.x86_32($0, seed: 0) })
            }
        }
    }

    /// `\w` for an ASCII byte: a letter, a digit or `_`. A lookup in a
    /// 128-bit set (digits in the low word; `A`–`Z`, `_` and `a`–`z` in the
    /// high one), one branch-free test instead of four comparisons.
    @inline(__always)
    private static func asciiWord(_ b: UInt8) -> Bool {
        let set: UInt64 = b < 64 ? 0x03FF_0000_0000_0000 : 0x07FF_FFFE_87FF_FFFE
        return b < 128 && (set >> UInt64(b & 63)) & 1 == 1
    }

    /// Python's `str.isspace` for an ASCII byte: tab to carriage return,
    /// U+001C–U+001F and the space.
    private static func asciiSpace(_ b: UInt8) -> Bool { (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20) }

    /// `char_wb` n-grams: each whitespace-separated word padded with a space
    /// on both sides, then ``HashingVectorizer/characterNgrams(_:range:)``'s
    /// windows over its scalars.
    private mutating func hashCharacters(_ range: ClosedRange<Int>) {
        let scalarCount = isASCII ? text.count : scalars.count
        var wordStart = -1
        for i in 0...scalarCount {
            let space = i == scalarCount || (isASCII ? Self.asciiSpace(text[i]) : PythonText.isSpace(scalars[i]))
            if !space {
                if wordStart < 0 { wordStart = i }
            } else if wordStart >= 0 {
                hashWord(scalars: wordStart..<i, range: range)
                wordStart = -1
            }
        }
    }

    /// The `char_wb` n-grams of the word made of scalars `word` of the text.
    private mutating func hashWord(scalars word: Range<Int>, range: ClosedRange<Int>) {
        padded.removeAll(keepingCapacity: true)
        paddedStarts.removeAll(keepingCapacity: true)
        padded.append(0x20)
        paddedStarts.append(0)
        for i in word {
            paddedStarts.append(padded.count)
            if isASCII { padded.append(text[i]) } else { padded.append(contentsOf: text[starts[i]..<starts[i + 1]]) }
        }
        paddedStarts.append(padded.count)
        padded.append(0x20)
        paddedStarts.append(padded.count)
        let length = paddedStarts.count - 1  // scalars in the padded word
        let padded = self.padded, paddedStarts = self.paddedStarts
        padded.withUnsafeBytes { all in
            for n in range {
                var offset = 0
                add(UnsafeRawBufferPointer(rebasing: all[paddedStarts[0]..<paddedStarts[min(n, length)]]))
                while offset + n < length {
                    offset += 1
                    add(UnsafeRawBufferPointer(rebasing: all[paddedStarts[offset]..<paddedStarts[offset + n]]))
                }
                if offset == 0 { break }
            }
        }
    }

    /// Sorts ``keys`` ascending, a byte at a time from the lowest, over as
    /// many bytes as the largest key has (three for 2²⁰ buckets and the
    /// sign bit): a `char_wb` text has hundreds of n-grams, and the general
    /// sort's comparisons (and its buffer, allocated per text) were a fifth
    /// of embedding them. Each pass is a counting sort, stable, so equal
    /// keys keep their order (which for equal integers changes nothing).
    private mutating func radixSort() {
        let n = keys.count
        let top = keys.max() ?? 0
        if sortedKeys.count < n { sortedKeys = [UInt64](repeating: 0, count: n) }
        var shift: UInt64 = 0
        keys.withUnsafeMutableBufferPointer { keys in
            sortedKeys.withUnsafeMutableBufferPointer { other in
                radixCounts.withUnsafeMutableBufferPointer { counts in
                    var from = keys.baseAddress!, to = other.baseAddress!
                    while shift < 64 && (shift == 0 || top >> shift != 0) {
                        counts.update(repeating: 0)
                        for i in 0..<n { counts[Int((from[i] >> shift) & 0xFF)] += 1 }
                        var start = 0
                        for b in 0..<256 { (counts[b], start) = (start, start + counts[b]) }
                        for i in 0..<n {
                            let byte = Int((from[i] >> shift) & 0xFF)
                            to[counts[byte]] = from[i]
                            counts[byte] += 1
                        }
                        swap(&from, &to)
                        shift += 8
                    }
                    // After an odd number of passes the sorted keys are in the scratch buffer.
                    if from != keys.baseAddress! { keys.baseAddress!.update(from: from, count: n) }
                }
            }
        }
    }

    /// Sorts the packed n-grams and sums each bucket's signs; then divides
    /// by the Euclidean norm when asked (summing squares in bucket order, as
    /// the reference does, so the values are the same doubles).
    private mutating func merge(normalize: Bool) {
        // A text has tens of n-grams: insertion sort beats the general sort there.
        if keys.count <= Self.insertionSortLimit {
            keys.withUnsafeMutableBufferPointer { Self.insertionSort($0) }
        } else {
            radixSort()
        }
        let keys = self.keys
        keys.withUnsafeBufferPointer { group($0, normalize: normalize) }
    }

    /// The most keys ``insertionSort(_:)`` is used for; more go to ``radixSort()``.
    private static let insertionSortLimit = 64

    /// Sorts `keys` ascending by insertion.
    private static func insertionSort(_ keys: UnsafeMutableBufferPointer<UInt64>) {
        for i in keys.indices.dropFirst() {
            let x = keys[i]
            var j = i
            while j > 0, keys[j - 1] > x { keys[j] = keys[j - 1]; j -= 1 }
            keys[j] = x
        }
    }

    /// Sets ``indices`` and ``values`` from sorted packed n-grams: each
    /// run of one bucket becomes its bucket and the sum of its signs,
    /// then the values are divided by their Euclidean norm when asked
    /// (``HashingVectorizer/normalize(_:)``, in bucket order).
    private mutating func group(_ keys: UnsafeBufferPointer<UInt64>, normalize: Bool) {
        let n = keys.count
        if groupedIndices.count < n {
            groupedIndices = [Int32](repeating: 0, count: max(n, 2 * groupedIndices.count))
            groupedValues = [Double](repeating: 0, count: groupedIndices.count)
        }
        let distinct = groupedIndices.withUnsafeMutableBufferPointer { out in
            groupedValues.withUnsafeMutableBufferPointer { sums in
                var i = 0, g = 0
                while i < n {
                    let bucket = keys[i] >> 1
                    var sum = 0
                    while i < n, keys[i] >> 1 == bucket {
                        // +1, or −1 for the sign bit, without a branch on a random bit.
                        sum += 1 - 2 * Int(keys[i] & 1)
                        i += 1
                    }
                    out[g] = Int32(bucket)
                    sums[g] = Double(sum)
                    g += 1
                }
                if normalize {
                    var row = UnsafeMutableBufferPointer(rebasing: sums[..<g])
                    HashingVectorizer.normalize(&row)
                }
                return g
            }
        }
        // Appended at once: one uniqueness check each, not one per bucket.
        indices.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        groupedIndices.withUnsafeBufferPointer { indices.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<distinct])) }
        groupedValues.withUnsafeBufferPointer { values.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<distinct])) }
    }

    /// An ASCII text's word unigrams, counted in one pass over its bytes:
    /// each byte lower-cased into ``lowered`` (when asked) as the word runs
    /// are found, each run of two or more word bytes hashed where it lies
    /// into ``unigramKeys``, then sorted and grouped as ``merge(normalize:)``
    /// does. The same n-grams in the same order as ``prepare(_:lowercase:)``
    /// and ``hashWords(_:)``, so the same buckets and values; those made
    /// four passes and an array append per word, half of a short text's time.
    /// Returns false, changing neither ``indices`` nor ``values``, when the
    /// text holds a byte ≥ 0x80 (the general path reads it).
    private mutating func countASCIIWordUnigrams(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count, options = vectorizer.options
        // Words of two bytes or more, one byte between two: at most (n + 1) / 3.
        let most = n / 3 + 1
        if lowered.count < n { lowered = [UInt8](repeating: 0, count: max(n, 2 * lowered.count)) }
        if unigramKeys.count < most { unigramKeys = [UInt64](repeating: 0, count: max(most, 2 * unigramKeys.count)) }
        var found = 0
        let ascii = lowered.withUnsafeMutableBufferPointer { low in
            unigramKeys.withUnsafeMutableBufferPointer { keys in
                @inline(__always) func hash(_ word: Range<Int>) {
                    let h = MurmurHash3.x86_32(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(low)[word]), seed: 0)
                    keys[found] = Self.key(hash: h, features: options.features, alternateSign: options.alternateSign)
                    found += 1
                }
                var high: UInt8 = 0, start = -1
                for i in 0..<n {
                    var b = bytes[i]
                    high |= b
                    if options.lowercase && b &- 0x41 < 26 { b += 32 }
                    low[i] = b
                    if Self.asciiWord(b) {
                        if start < 0 { start = i }
                    } else if start >= 0 {
                        if i - start >= 2 { hash(start..<i) }
                        start = -1
                    }
                }
                if start >= 0 && n - start >= 2 { hash(start..<n) }
                return high < 0x80
            }
        }
        guard ascii else { return false }
        if found > Self.insertionSortLimit {
            // A long text: the general sort (radix), through ``keys``.
            keys.removeAll(keepingCapacity: true)
            unigramKeys.withUnsafeBufferPointer { keys.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<found])) }
            merge(normalize: options.normalize)
            return true
        }
        unigramKeys.withUnsafeMutableBufferPointer { Self.insertionSort(UnsafeMutableBufferPointer(rebasing: $0[..<found])) }
        let sorted = unigramKeys  // a reference, not a copy: `group` writes other buffers
        sorted.withUnsafeBufferPointer { group(UnsafeBufferPointer(rebasing: $0[..<found]), normalize: options.normalize) }
        return true
    }
}
