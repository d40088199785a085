import Testing
import Foundation
@testable import Eval

/// The model-free embedder's hashing against scikit-learn's
/// `HashingVectorizer` and `murmurhash3_32` on a corpus of awkward texts
/// (`Tests/Oracles/hashing_vectorizer_oracle.py`): the same buckets, the
/// same counts, the same L2-normalized values.
@Suite struct HashingVectorizerOracleTests {
    struct Expected: Decodable {
        struct Config: Decodable {
            struct Options: Decodable {
                let analyzer: String?
                let ngram_range: [Int]?
                let n_features: Int?
                let alternate_sign: Bool?
                let lowercase: Bool?
                let normalize: Bool?
            }
            struct Row: Decodable { let indices: [Int32]; let values: [Double] }
            let options: Options
            let rows: [Row]
        }
        struct Tfidf: Decodable {
            let options: Config.Options
            let rows: [Config.Row]
            let idf: [String: Double]
            let unseen_idf: Double?
        }
        let texts: [String]
        let configs: [String: Config]
        let tfidf: [String: Tfidf]
        let murmurhash3_32: [String: Int32]
    }

    static func expected() throws -> Expected {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hashing/expected.json")
        return try JSONDecoder().decode(Expected.self, from: Data(contentsOf: url))
    }

    @Test func murmurHashIsScikitLearns() throws {
        let e = try Self.expected()
        #expect(e.murmurhash3_32.count == 12)
        for (text, hash) in e.murmurhash3_32 {
            #expect(Int32(bitPattern: MurmurHash3.x86_32(text.utf8)) == hash, "\(text.prefix(20))")
        }
    }

    @Test func everyConfigurationGivesScikitLearnsRows() throws {
        let e = try Self.expected()
        #expect(e.configs.count == 6 && e.texts.count >= 50)
        for (name, config) in e.configs.sorted(by: { $0.key < $1.key }) {
            var o = HashingVectorizer.Options()
            let given = config.options
            if let a = given.analyzer { o.analyzer = try #require(HashingVectorizer.Analyzer(rawValue: a)) }
            if let r = given.ngram_range { o.ngramRange = r[0]...r[1] }
            if let n = given.n_features { o.features = n }
            if let s = given.alternate_sign { o.alternateSign = s }
            if let l = given.lowercase { o.lowercase = l }
            o.normalize = try #require(given.normalize)
            let vectorizer = HashingVectorizer(options: o)
            for (text, want) in zip(e.texts, config.rows) {
                let row = vectorizer.transform(text)
                #expect(row.indices == want.indices, "\(name): \(text.debugDescription.prefix(60))")
                // Exact even when normalized: the sums are small integers, whose
                // squares add up exactly in Double, so both sides divide by the
                // same correctly rounded square root.
                #expect(row.values == want.values, "\(name): \(text.debugDescription.prefix(60))")
            }
        }
    }

    /// TF-IDF over hashed counts, fitted on the corpus, against
    /// `TfidfTransformer`: the same buckets; idf and the weighted values
    /// within 1e-14 (the logarithm is numpy's there and the C library's
    /// here, which may differ in the last bit; every other step is the
    /// same operations in the same order, so a last-bit difference in idf
    /// moves a value by a few ulps of 1).
    @Test func tfidfOverHashedCountsIsScikitLearns() throws {
        let e = try Self.expected()
        #expect(e.tfidf.count == 2)
        for (name, config) in e.tfidf.sorted(by: { $0.key < $1.key }) {
            var o = HashingVectorizer.Options()
            if let a = config.options.analyzer { o.analyzer = try #require(HashingVectorizer.Analyzer(rawValue: a)) }
            if let r = config.options.ngram_range { o.ngramRange = r[0]...r[1] }
            if let n = config.options.n_features { o.features = n }
            if let s = config.options.alternate_sign { o.alternateSign = s }
            o.normalize = false
            let counts = e.texts.map(HashingVectorizer(options: o).transform)
            let tfidf = TfidfWeighting(fitting: counts)
            for (j, want) in config.idf { #expect(abs(tfidf.idf(Int32(j)!) - want) <= 1e-14, "\(name): idf of \(j)") }
            if let unseen = config.unseen_idf { #expect(abs(tfidf.idf(-1) - unseen) <= 1e-14, "\(name): unseen idf") }
            for (text, want) in zip(e.texts, config.rows) {
                let row = tfidf.transform(HashingVectorizer(options: o).transform(text))
                #expect(row.indices == want.indices, "\(name): \(text.debugDescription.prefix(60))")
                #expect(row.values.count == want.values.count && zip(row.values, want.values).allSatisfy { abs($0 - $1) <= 1e-14 },
                        "\(name): \(text.debugDescription.prefix(60))")
            }
        }
    }

    /// Python's lower-casing where Swift's differs: Σ at the end of a word.
    @Test func finalSigmaAndDottedCapitalILowerAsPythonDoes() {
        func lower(_ s: String) -> String { String(String.UnicodeScalarView(PythonText.lower(Array(s.unicodeScalars)))) }
        #expect(lower("ΟΔΟΣ ΣΑΣ. Σ") == "οδος σας. σ")
        #expect(lower("İ") == "i\u{307}")
        #expect(HashingVectorizer.words(Array("cafe\u{301} x ab_1".unicodeScalars)) == ["cafe", "ab_1"])
    }
}
