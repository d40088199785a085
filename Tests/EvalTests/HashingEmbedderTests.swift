import Testing
import Foundation
@testable import Eval
import SynthctlCore
import TestSupport

/// The hashing embedder: its byte-level counting against the reference
/// (and so against scikit-learn), its projection's distribution, and the
/// embedding as the projection of scikit-learn's rows.
@Suite struct HashingEmbedderTests {
    typealias Expected = HashingVectorizerOracleTests.Expected

    static func options(_ given: Expected.Config.Options) throws -> HashingVectorizer.Options {
        var o = HashingVectorizer.Options()
        if let a = given.analyzer { o.analyzer = try #require(HashingVectorizer.Analyzer(rawValue: a)) }
        if let r = given.ngram_range { o.ngramRange = r[0]...r[1] }
        if let n = given.n_features { o.features = n }
        if let s = given.alternate_sign { o.alternateSign = s }
        if let l = given.lowercase { o.lowercase = l }
        if let n = given.normalize { o.normalize = n }
        return o
    }

    /// Counting from bytes gives scikit-learn's rows on the oracle corpus,
    /// for every configuration the oracle ran.
    @Test func countingFromBytesGivesScikitLearnsRows() throws {
        let e = try HashingVectorizerOracleTests.expected()
        #expect(e.configs.count == 6)
        for (name, config) in e.configs.sorted(by: { $0.key < $1.key }) {
            var hashed = HashedCounts(HashingVectorizer(options: try Self.options(config.options)))
            for (text, want) in zip(e.texts, config.rows) {
                hashed.count(utf8: text.utf8)
                #expect(hashed.indices == want.indices && hashed.values == want.values, "\(name): \(text.debugDescription.prefix(60))")
                // From a buffer, as the embedder counts (an ASCII text's word unigrams in one pass).
                var copy = text
                copy.withUTF8 { hashed.count(utf8: $0) }
                #expect(hashed.indices == want.indices && hashed.values == want.values, "\(name), from a buffer: \(text.debugDescription.prefix(60))")
            }
        }
    }

    /// Counting from bytes equals the reference ``HashingVectorizer/transform(_:)``
    /// on random texts drawn from awkward scalars: cased and uncased
    /// letters, final-sigma contexts, İ (which lower-cases to two
    /// scalars), combining marks, digits of other scripts, every kind of
    /// white space, CJK, emoji, punctuation, `_`. Texts up to 60 pieces
    /// long (hundreds of `char_wb` n-grams, sorted a byte at a time) and
    /// bucket counts whose keys take two, three and four bytes.
    @Test func countingFromBytesMatchesTheReferenceOnRandomTexts() throws {
        let alphabet: [String] = ["a", "B", "z", "Q", "_", "0", "7", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1F}",
                                  "\u{85}", "\u{A0}", "\u{2003}", "\u{3000}", "Σ", "σ", "ς", "ΑΣ", "İ", "é", "e\u{301}", "\u{301}", "ß", "ǅ",
                                  "٣", "Ⅻ", "½", "中", "文字", "😀", "👍🏽", ",", ".", "-", "'", "\"", "Ω", "K", "ﬁ", "Ä"]
        var rng = SplitMix64(seed: 11)
        let configs: [(HashingVectorizer.Analyzer, ClosedRange<Int>, Bool, Bool)] = [
            (.word, 1...1, true, true), (.word, 1...3, false, true), (.word, 2...2, true, false),
            (.charWordBounded, 1...4, true, true), (.charWordBounded, 3...5, false, false), (.charWordBounded, 2...2, true, true),
        ]
        for (analyzer, range, lowercase, normalize) in configs {
            var o = HashingVectorizer.Options()
            o.analyzer = analyzer
            o.ngramRange = range
            o.lowercase = lowercase
            o.normalize = normalize
            // 2¹⁰: collisions, so that sums of both signs occur.
            for (features, texts, longest) in [(1 << 10, 400, 14), (1 << 10, 60, 60), (1 << 20, 60, 60), (Int(Int32.max), 60, 60)] {
                o.features = features
                let reference = HashingVectorizer(options: o)
                var hashed = HashedCounts(reference)
                for _ in 0..<texts {
                    let length = Int(rng.next() % UInt64(longest))
                    let text = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
                    hashed.count(utf8: text.utf8)
                    let want = reference.transform(text)
                    #expect(hashed.row == want, "\(analyzer) \(range), \(features) buckets: \(text.debugDescription)")
                }
            }
        }
    }

    /// The one-pass count of an ASCII text's word unigrams (taken for
    /// bytes in a buffer) gives the reference's row: texts of every ASCII
    /// byte class (upper and lower case, digits, `_`, punctuation, control
    /// bytes, each kind of white space), words of one to twelve bytes, up to
    /// 150 of them (past the insertion sort's 64, to the radix sort), with
    /// and without lower-casing, signs and the norm, bucket counts a power
    /// of two and not; and a text with one byte ≥ 0x80 anywhere is read by
    /// the general path to the same row.
    @Test func asciiWordUnigramsInOnePassAreTheReferences() {
        let ascii = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) }
        let wordBytes = Array("abcXYZ019_Qq")
        var rng = SplitMix64(seed: 0x0A5C_11)  // seeded: a failure replays
        for (lowercase, sign, normalize, features) in [(true, true, true, 1 << 20), (false, true, true, 1 << 20), (true, false, false, 1000),
                                                      (true, true, false, 1 << 10), (false, false, true, Int(Int32.max))] {
            var o = HashingVectorizer.Options()
            o.lowercase = lowercase
            o.alternateSign = sign
            o.normalize = normalize
            o.features = features
            let reference = HashingVectorizer(options: o)
            var hashed = HashedCounts(reference)
            for round in 0..<600 {
                var text = ""
                let words = Int(rng.next() % (round % 10 == 0 ? 150 : 20))
                for _ in 0..<words {
                    for _ in 0..<(1 + Int(rng.next() % 12)) { text.append(wordBytes[Int(rng.next() % UInt64(wordBytes.count))]) }
                    // Between words: one or two bytes of any class, so that some words run together.
                    for _ in 0..<(1 + Int(rng.next() % 2)) { text.append(ascii[Int(rng.next() % 128)]) }
                }
                if round % 7 == 3 {
                    // One non-ASCII scalar at a random place: the general path.
                    let at = text.index(text.startIndex, offsetBy: Int(rng.next() % UInt64(text.count + 1)))
                    text.insert(["é", "İ", "中", "😀", "\u{A0}"][Int(rng.next() % 5)], at: at)
                }
                var bytes = text
                bytes.withUTF8 { hashed.count(utf8: $0) }
                #expect(hashed.row == reference.transform(text), "lowercase \(lowercase), sign \(sign), normalize \(normalize), \(features) buckets: \(text.debugDescription)")
            }
        }
    }

    /// The block-loading MurmurHash3 over memory equals the byte-by-byte
    /// one (the oracle's) for every length mod 4 and any bytes.
    @Test func murmurHashOverMemoryEqualsTheByteLoop() {
        var rng = SplitMix64(seed: 21)
        for length in 0..<70 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                let seed = UInt32(truncatingIfNeeded: rng.next())
                #expect(bytes.withUnsafeBytes { MurmurHash3.x86_32($0, seed: seed) } == MurmurHash3.x86_32(bytes, seed: seed))
            }
        }
    }

    /// Each column has exactly s distinct rows below D, its entries ±1/√s,
    /// so its norm is 1 up to the rounding of 1/√s; the same seed gives
    /// the same column, another seed another.
    @Test func columnsHaveDistinctRowsAndUnitNorm() {
        for (d, s) in [(1, 1), (7, 7), (64, 8), (384, 20), (1000, 1)] {
            let p = SparseRandomProjection(features: 1 << 20, components: d, nonzerosPerFeature: s, seed: 3)
            var w = SparseRandomProjection.Workspace(for: p)
            for j in [0, 1, 2, 999, (1 << 20) - 1] {
                let (rows, negative) = p.column(j, workspace: &w)
                #expect(rows.count == s && Set(rows).count == s && rows.allSatisfy { $0 >= 0 && Int($0) < d } && negative.count == s)
                let squares = Double(s) * p.scale * p.scale
                #expect(abs(squares - 1) <= 4 * Double.ulpOfOne)
                #expect(p.column(j, workspace: &w).rows == rows)
            }
        }
        #expect(SparseRandomProjection.defaultNonzeros(components: 384) == 8)
        #expect(SparseRandomProjection.defaultNonzeros(components: 5) == 5)
        let a = SparseRandomProjection(features: 100, components: 64, seed: 1), b = SparseRandomProjection(features: 100, components: 64, seed: 2)
        var wa = SparseRandomProjection.Workspace(for: a), wb = SparseRandomProjection.Workspace(for: b)
        #expect((0..<100).contains { a.column($0, workspace: &wa).rows != b.column($0, workspace: &wb).rows })
    }

    /// A workspace keeps the columns it drew (``SparseRandomProjection/cacheSlots``
    /// of them, by bucket); a projection through it is the same doubles as
    /// one that draws every column afresh, summed in the same order, for
    /// buckets that share a slot, columns drawn again after being replaced,
    /// and widths kept and not kept.
    @Test func keptColumnsGiveTheSameSumsAsFreshDraws() {
        let slots = SparseRandomProjection.cacheSlots
        var rng = SplitMix64(seed: 0x5EED_3702)  // seeded: a failure replays
        for (d, s) in [(8, 1), (8, 8), (384, 8), (384, 3), (384, 9), (40, 40)] {
            let p = SparseRandomProjection(features: 1 << 20, components: d, nonzerosPerFeature: s, seed: 11)
            var kept = SparseRandomProjection.Workspace(for: p), fresh = SparseRandomProjection.Workspace(for: p)
            var y = [Double](repeating: 0, count: d)
            for _ in 0..<300 {
                // Buckets from a small set, many of them sharing slots.
                var buckets = Set<Int32>()
                let count = Int.random(in: 0...12, using: &rng)
                while buckets.count < count { buckets.insert(Int32(Int.random(in: 0..<6, using: &rng) * slots + Int.random(in: 0..<5, using: &rng))) }
                let indices = buckets.sorted()
                let values = indices.map { _ in Double.random(in: -2...2, using: &rng) }
                p.project(indices: indices, values: values, into: &y, workspace: &kept)
                var want = [Double](repeating: 0, count: d)
                for (j, v) in zip(indices, values) where v != 0 {
                    let (rows, negative) = p.column(Int(j), workspace: &fresh)
                    for (r, n) in zip(rows, negative) { want[Int(r)] += n ? -v : v }
                }
                for k in 0..<d { want[k] *= p.scale }
                #expect(y.map(\.bitPattern) == want.map(\.bitPattern), "d \(d), s \(s), buckets \(indices)")
            }
        }
    }

    /// The float32 projection (what the embedder writes) is the double
    /// one rounded, bit for bit: for short texts (a few rows touched, the
    /// rest left zero), texts touching more entries than there are rows
    /// (every row read), columns too wide to keep (drawn each time), sums
    /// that cancel to zero, and one workspace carried through all of them
    /// in both forms alternately (its sums are left zero after each).
    @Test func floatProjectionIsTheDoubleOneRounded() {
        var rng = SplitMix64(seed: 0xF10A7)  // seeded: a failure replays
        for (d, s) in [(384, 8), (16, 8), (40, 40), (384, 3), (7, 1), (1, 1)] {
            let p = SparseRandomProjection(features: 1 << 20, components: d, nonzerosPerFeature: s, seed: 9)
            var shared = SparseRandomProjection.Workspace(for: p), fresh = SparseRandomProjection.Workspace(for: p)
            var y = [Double](repeating: 0, count: d), z = [Double](repeating: 0, count: d)
            var out = [Float](repeating: .nan, count: d)
            for round in 0..<400 {
                var buckets = Set<Int32>()
                let count = Int(rng.next() % UInt64(round % 5 == 0 ? 120 : 12))
                // Every third round from 200 buckets only (fewer than 8,192 slots: none shared).
                while buckets.count < count { buckets.insert(Int32(rng.next() % (round % 3 == 0 ? 200 : 1 << 20))) }
                let indices = buckets.sorted()
                // Small integers: equal and opposite contributions make sums of exactly zero.
                let values = indices.map { _ in Double(Int(rng.next() % 5) - 2) }
                out.withUnsafeMutableBufferPointer { p.project(indices: indices, values: values, into: $0, workspace: &shared) }
                p.project(indices: indices, values: values, into: &y, workspace: &fresh)
                #expect(out.map(\.bitPattern) == y.map { Float($0).bitPattern }, "d \(d), s \(s), \(indices.count) buckets")
                p.project(indices: indices, values: values, into: &z, workspace: &shared)
                #expect(z.map(\.bitPattern) == y.map(\.bitPattern), "d \(d), s \(s): the shared workspace's sums were left zero")
            }
        }
    }

    /// Over many columns every output row is chosen about equally often and
    /// the signs are fair: a chi-square statistic of the row counts below
    /// its 1 − 10⁻⁶ quantile (D − 1 degrees of freedom, by the
    /// Wilson–Hilferty approximation), and the share of negative entries
    /// within 5 binomial standard errors of ½.
    @Test func rowsAndSignsAreUniform() {
        let d = 64, s = 8, columns = 20_000
        let p = SparseRandomProjection(features: columns, components: d, nonzerosPerFeature: s, seed: 5)
        var w = SparseRandomProjection.Workspace(for: p)
        var counts = [Int](repeating: 0, count: d), negatives = 0
        for j in 0..<columns {
            let (rows, negative) = p.column(j, workspace: &w)
            for r in rows { counts[Int(r)] += 1 }
            negatives += negative.filter { $0 }.count
        }
        let expected = Double(columns * s) / Double(d)
        let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        let k = Double(d - 1), z = 4.753  // Φ⁻¹(1 − 10⁻⁶)
        let quantile = k * pow(1 - 2 / (9 * k) + z * (2 / (9 * k)).squareRoot(), 3)
        #expect(chiSquare < quantile, "chi-square \(chiSquare) against \(quantile)")
        let n = Double(columns * s)
        #expect(abs(Double(negatives) / n - 0.5) <= 5 * (0.25 / n).squareRoot())
    }

    /// E‖R·x‖² = ‖x‖² and Var ‖R·x‖² = (2/D)·(‖x‖⁴ − Σxⱼ⁴) for every s:
    /// for a fixed set of values placed on 4,000 random sets of buckets
    /// (fresh columns each time), the sample mean and variance of ‖R·x‖²
    /// are within 5 standard errors of those, the standard errors
    /// estimated from the sample (σ/√n for the mean, √((m₄ − σ⁴)/n) for the
    /// variance, m₄ the fourth central moment).
    @Test func projectionKeepsTheSquaredNormsMeanAndVariance() {
        let values: [Double] = [3, -1, 2, 0.5, -2.5, 1, 1, -0.25, 4, 1.5, -1, 2]
        let norm2 = values.reduce(0) { $0 + $1 * $1 }, fourth = values.reduce(0) { $0 + $1 * $1 * $1 * $1 }
        let d = 64, n = 4_000
        for s in [1, 4, 8] {
            let p = SparseRandomProjection(features: 1 << 30, components: d, nonzerosPerFeature: s, seed: UInt64(s))
            var w = SparseRandomProjection.Workspace(for: p)
            var rng = SplitMix64(seed: 4)
            var samples = [Double](), y = [Double](repeating: 0, count: d)
            for _ in 0..<n {
                var buckets = Set<Int32>()
                while buckets.count < values.count { buckets.insert(Int32(rng.next() % (1 << 30))) }
                let indices = buckets.sorted()
                p.project(indices: indices, values: values, into: &y, workspace: &w)
                samples.append(y.reduce(0) { $0 + $1 * $1 })
            }
            let mean = samples.reduce(0, +) / Double(n)
            let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
            let m4 = samples.reduce(0) { $0 + pow($1 - mean, 4) } / Double(n)
            let wantVariance = 2 / Double(d) * (norm2 * norm2 - fourth)
            #expect(abs(mean - norm2) <= 5 * (variance / Double(n)).squareRoot(), "s = \(s): mean \(mean) against \(norm2)")
            #expect(abs(variance - wantVariance) <= 5 * ((m4 - variance * variance) / Double(n)).squareRoot(),
                    "s = \(s): variance \(variance) against \(wantVariance)")
        }
    }

    /// A text's embedding is the projection of scikit-learn's row of it,
    /// rounded to float32: exactly for the hashing rows (the same doubles
    /// go in), and for TF-IDF within what the 1e-14 on each weighted value
    /// can move: |Δy| ≤ scale · Σ|Δv| before rounding, plus one float32
    /// ulp of the value for a rounding that goes the other way.
    @Test func embeddingsAreTheProjectionOfScikitLearnsRows() throws {
        let e = try HashingVectorizerOracleTests.expected()
        let texts = TextColumn(source: "corpus", column: "text", texts: e.texts)
        let cases = e.configs.map { ($0.key, $0.value.options, $0.value.rows, false) } + e.tfidf.map { ($0.key, $0.value.options, $0.value.rows, true) }
        for (name, options, rows, tfidf) in cases.sorted(by: { $0.0 < $1.0 }) {
            let o = try Self.options(options)
            let projection = SparseRandomProjection(features: o.features, components: 48, seed: 2)
            let got = embed(HashingEmbedder(vectorizer: HashingVectorizer(options: o), tfidf: tfidf, projection: projection), texts)
            var w = SparseRandomProjection.Workspace(for: projection), y = [Double](repeating: 0, count: 48)
            for (i, want) in rows.enumerated() {
                projection.project(indices: want.indices, values: want.values, into: &y, workspace: &w)
                // Exact without TF-IDF: the same doubles go in.
                let bound = tfidf ? projection.scale * Double(want.values.count) * 1e-14 : 0
                for k in 0..<48 {
                    let tolerance = tfidf ? bound + Double(Float(y[k]).ulp) : 0
                    #expect(abs(Double(got[i * 48 + k]) - Double(Float(y[k]))) <= tolerance, "\(name): text \(i), \(k)")
                }
            }
        }
    }

    /// With TF-IDF, the embedding is the projection of ``TfidfWeighting``'s
    /// row (the reference the oracle checks), to the bit, whether the
    /// weights are held as an array (2²⁰ buckets) or a dictionary (2²³).
    @Test func tfidfEmbeddingsAreTheReferenceWeightingsProjected() throws {
        let e = try HashingVectorizerOracleTests.expected()
        let texts = TextColumn(source: "corpus", column: "text", texts: e.texts)
        for features in [1 << 20, 1 << 23] {
            var o = HashingVectorizer.Options()
            o.features = features
            o.normalize = false
            let projection = SparseRandomProjection(features: features, components: 32, seed: 6)
            let got = embed(HashingEmbedder(vectorizer: HashingVectorizer(options: o), tfidf: true, projection: projection), texts, threads: 3)
            let counts = e.texts.map(HashingVectorizer(options: o).transform)
            let weighting = TfidfWeighting(fitting: counts)
            var w = SparseRandomProjection.Workspace(for: projection), y = [Double](repeating: 0, count: 32)
            for (i, row) in counts.enumerated() {
                let weighted = weighting.transform(row)
                projection.project(indices: weighted.indices, values: weighted.values, into: &y, workspace: &w)
                #expect(Array(got[(i * 32)..<((i + 1) * 32)]) == y.map { Float($0) }, "\(features) buckets: text \(i)")
            }
        }
    }

    /// Texts across several blocks give the same rows for any thread count
    /// and any batch they are embedded in.
    @Test func rowsDoNotDependOnThreadsOrBatches() {
        var rng = SplitMix64(seed: 8)
        let words = ["data", "label", "noise", "annotator", "class", "Σίσυφος", "中文", "rate", "gold", "vote"]
        let texts = (0..<1_300).map { _ in (0..<(Int(rng.next() % 12))).map { _ in words[Int(rng.next() % 10)] }.joined(separator: " ") }
        let column = TextColumn(source: "t", column: "text", texts: texts)
        for tfidf in [false, true] {
            var o = HashingVectorizer.Options()
            o.ngramRange = 1...2
            let embedder = HashingEmbedder(vectorizer: HashingVectorizer(options: o), tfidf: tfidf,
                                           projection: SparseRandomProjection(features: o.features, components: 32, seed: 1))
            let one = embed(embedder, column, threads: 1)
            #expect(embed(embedder, column, threads: 3) == one)
            let idf = embedder.fit(column, threads: 2)
            var part = [Float](repeating: 0, count: 700 * 32)
            var span = part.mutableSpan
            embedder.embed(column, range: 600..<1_300, idf: idf, threads: 2, into: &span)
            #expect(part == Array(one[(600 * 32)...]))
        }
    }

    /// The .npy written batch by batch through two buffers holds, after
    /// its header, exactly the rows embedded at once, for batches that do
    /// and do not divide the texts.
    @Test func theFileWrittenInBatchesHoldsTheSameRows() throws {
        let texts = TextColumn(source: "t", column: nil, texts: (0..<50).map { "text number \($0) of fifty, word\($0 % 7)" })
        let embedder = HashingEmbedder(vectorizer: HashingVectorizer(), tfidf: true,
                                       projection: SparseRandomProjection(features: 1 << 20, components: 24, seed: 3))
        let whole = embed(embedder, texts)
        let dir = TemporaryPaths()
        for batch in [1, 7, 50, 64] {
            let path = dir.directory("embed") + "/e.npy"
            let file = try SequentialFile(path: path, expectedBytes: 0)
            try EmbeddingFile.write(dimensions: 24, texts: TextBlocks(texts), batch: batch,
                                    rows: EmbeddingFile.rows(embedder, idf: embedder.fit(texts, threads: 2), threads: 2), to: file)
            try file.finish()
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
            let headerLength = 10 + Int(bytes[8]) + Int(bytes[9]) << 8
            #expect(String(decoding: bytes[10..<headerLength], as: UTF8.self).contains("'shape': (50, 24)"))
            let rows = bytes[headerLength...].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            #expect(rows == whole, "batch \(batch)")
        }
    }

    /// The text readers on damaged files: a valid text file and JSON Lines
    /// table with random bytes changed, inserted or cut (invalid UTF-8,
    /// NUL, CR, quotes, braces, a BOM), 400 of each, seeded. Each read
    /// either gives texts, which then embed, or throws one line; none
    /// crashes. The text file streamed (``TextBlocks``) gives the same.
    @Test func damagedTextFilesGiveTextsOrOneLine() throws {
        let temporary = TemporaryPaths()  // removed when the test ends
        let dir = temporary.directory("embed-fuzz")
        let lines = Array("one text\nΣίσυφος and 中文\r\n\nlast line".utf8)
        let table = Array(#"{"text": "a b", "id": 1}\n{"text": "cd \u00e9", "id": 2}\n"#.utf8)
        let noise: [UInt8] = [0xFF, 0x00, 0x0D, 0x0A, 0x22, 0x7B, 0x7D, 0xEF, 0xBB, 0xBF, 0xC3, 0xE4, 0x5C, 0x20]
        var rng = SplitMix64(seed: 31)
        let embedder = HashingEmbedder(vectorizer: HashingVectorizer(), tfidf: true,
                                       projection: SparseRandomProjection(features: 1 << 20, components: 8, seed: 0))
        for (name, base) in [("t.txt", lines), ("t.jsonl", table)] {
            for _ in 0..<400 {
                var bytes = base
                for _ in 0..<(1 + Int(rng.next() % 3)) {
                    let at = Int(rng.next() % UInt64(bytes.count + 1))
                    switch rng.next() % 3 {
                    case 0 where at < bytes.count: bytes[at] = noise[Int(rng.next() % UInt64(noise.count))]
                    case 1: bytes.insert(noise[Int(rng.next() % UInt64(noise.count))], at: at)
                    default: bytes = Array(bytes[..<at])
                    }
                }
                let path = dir + "/" + name
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                var outcome = ""
                do {
                    let texts = name == "t.txt" ? try TextColumn.read(lines: path) : try TextColumn.read(table: path, column: "text")
                    _ = embed(embedder, texts, threads: 1)
                    outcome = "\((0..<texts.count).map(texts.text))"
                } catch {
                    outcome = "\(error)"
                    #expect(!outcome.isEmpty && !outcome.contains("\n"), "\(name) \(bytes): \(outcome)")
                }
                guard name == "t.txt" else { continue }
                // Streamed a block at a time: the same texts, or the same line.
                do {
                    #expect(try "\(TextBlocksTests.pass(TextBlocks(lines: path), block: 2))" == outcome, "\(bytes)")
                } catch {
                    #expect("\(error)" == outcome, "\(bytes)")
                }
            }
        }
    }

    func embed(_ embedder: HashingEmbedder, _ texts: TextColumn, threads: Int = 2) -> [Float] {
        let idf = embedder.fit(texts, threads: threads)
        var out = [Float](repeating: .nan, count: texts.count * embedder.dimensions)
        var span = out.mutableSpan
        embedder.embed(texts, range: 0..<texts.count, idf: idf, threads: threads, into: &span)
        return out
    }
}
