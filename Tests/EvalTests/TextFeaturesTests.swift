import Testing
import Foundation
import Synth
import TestSupport
@testable import Eval
@testable import SynthctlCore

/// A table's text column as features (`--text-columns`): each distinct
/// text embedded once, its vector on every row that holds it, after the
/// numeric features, and the same vector the embedder gives the text alone.
@Suite struct TextFeaturesTests {
    static let embedder = HashingEmbedder(vectorizer: HashingVectorizer(), tfidf: false,
                                          projection: SparseRandomProjection(features: 1 << 20, components: 16, seed: 3))

    /// Three rows, two numeric features, a text column whose first and
    /// third rows repeat one text (categories in byte order).
    static func set(codes: [Int32] = [1, 0, 1], fileRows: [Int]? = nil) -> LabeledFeatures {
        var s = LabeledFeatures(source: "t.csv", features: Matrix(rows: 3, columns: 2, storage: [1, 2, 3, 4, 5, 6]),
                                featureNames: ["a", "b"], labels: [0, 1, 0], classNames: ["x", "y"], fileRows: fileRows)
        s.categoricalColumns = [CategoricalColumn(name: "text", categories: ["A cat sat.", "the dog ran, the dog SAT"], codes: codes)]
        return s
    }

    /// The embedder's vector of one text, alone.
    static func vector(_ text: String) -> [Float] {
        var out = [Float](repeating: .nan, count: embedder.dimensions)
        var span = out.mutableSpan
        embedder.embed(TextColumn(source: "-", column: nil, texts: [text]), range: 0..<1, idf: nil, threads: 1, into: &span)
        return out
    }

    @Test func eachRowGetsItsTextsVectorAfterTheNumericFeatures() throws {
        let e = try Self.set().embeddingText(column: "text", with: Self.embedder, threads: 2)
        let x = try #require(e.features)
        #expect(x.rows == 3 && x.columns == 2 + 16)
        #expect(e.featureNames == ["a", "b"] + (0..<16).map { "text[\($0)]" })
        #expect(e.categoricalColumns.isEmpty && e.labels == [0, 1, 0] && e.classNames == ["x", "y"])
        let texts = ["the dog ran, the dog SAT", "A cat sat.", "the dog ran, the dog SAT"]
        for r in 0..<3 {
            let row = Array(x.storage[(r * 18)..<((r + 1) * 18)])
            #expect(row[0..<2] == [Float(2 * r + 1), Float(2 * r + 2)][...])
            #expect(Array(row[2...]) == Self.vector(texts[r]), "row \(r)")
        }
        // L2-normalized buckets projected by a norm-preserving map: a vector of about unit norm, not zero.
        let norm = Self.vector(texts[1]).reduce(0) { $0 + Double($1) * Double($1) }
        #expect(norm > 0.1 && norm < 4)
    }

    @Test func aSetWithoutNumericFeaturesGetsTheVectorsAlone() throws {
        var s = LabeledFeatures(source: "t.csv", features: nil, featureNames: [], labels: [0, 1], classNames: ["x", "y"])
        s.categoricalColumns = [CategoricalColumn(name: "t", categories: ["one", "two"], codes: [0, 1])]
        let e = try s.embeddingText(column: "t", with: Self.embedder, threads: 1)
        #expect(e.features?.columns == 16 && e.featureNames.first == "t[0]" && e.features?.storage[16...].elementsEqual(Self.vector("two")) == true)
    }

    @Test func whatCannotBeEmbeddedIsRefusedInOneLine() {
        #expect(throws: InputError(file: "t.csv", columnName: .named("a"), expected: "a text column (strings) to embed", found: "numbers")) {
            try Self.set().embeddingText(column: "a", with: Self.embedder, threads: 1)
        }
        #expect(throws: InputError(file: "t.csv", expected: "a text column \"body\" among the feature columns", found: "columns a, b, text")) {
            try Self.set().embeddingText(column: "body", with: Self.embedder, threads: 1)
        }
        // A missing text, at its file row.
        #expect(throws: MissingValueError(InputError(file: "t.csv", row: 7, columnName: .named("text"), expected: "a text", found: "a missing value"))) {
            try Self.set(codes: [1, -1, 0], fileRows: [4, 7, 9]).embeddingText(column: "text", with: Self.embedder, threads: 1)
        }
        // A column already named as an embedding's component.
        var clash = Self.set()
        clash = LabeledFeatures(source: "t.csv", features: Matrix(rows: 3, columns: 1, storage: [1, 2, 3]), featureNames: ["text[3]"],
                                labels: [0, 1, 0], classNames: ["x", "y"])
        clash.categoricalColumns = Self.set().categoricalColumns
        #expect(throws: InputError(file: "t.csv", columnName: .named("text[3]"), expected: "no column named as the embedding of \"text\" is",
                                   found: "one (rename it)")) {
            try clash.embeddingText(column: "text", with: Self.embedder, threads: 1)
        }
    }
}

/// The held-out detection AUC is undefined, with its reason, when a half
/// cannot hold two rows of a side: two human rows split one and one.
@Suite struct HeldOutDetectionUndefinedTests {
    @Test func aSideTooSmallToSplitLeavesTheHeldOutAUCUndefined() {
        let real = Matrix(rows: 2, columns: 1, storage: [0, 1]), synthetic = Matrix(rows: 6, columns: 1, storage: [0, 1, 2, 3, 4, 5])
        let d = DetectionTest(real: real, synthetic: synthetic, folds: 2, detector: .logistic, seed: 1, threads: 1)
        #expect(d.auc.value.isFinite && d.heldOut.value.isNaN && d.heldOut.standardError.isNaN)
        #expect(FidelityReport.heldOutReason(d) == "a side has fewer than 2 rows in a half: no held-out split to train on one and test on the other")
    }
}

/// A seeded fuzz of the text path: categorical columns of random awkward
/// strings (control bytes, NUL, lone combining marks, emoji, long runs),
/// some cells missing. Each gives finite vectors, one per row, or one
/// missing-value line naming the column; never a crash.
@Suite struct TextFeaturesFuzzTests {
    @Test func randomTextsEmbedOrFailInOneLine() throws {
        var g = SplitMix64(seed: 17)
        let pieces = ["a", "Word", " ", "\t", "\n", "\0", "\u{301}", "İ", "σς", "中文", "🙂", "--", "x".padding(toLength: 300, withPad: "y", startingAt: 0), ""]
        for trial in 0..<200 {
            let categories = (0..<(1 + Int(g.next() % 6))).map { _ in (0..<Int(g.next() % 8)).map { _ in pieces[Int(g.next() % UInt64(pieces.count))] }.joined() }
            let rows = 1 + Int(g.next() % 10)
            let codes = (0..<rows).map { _ in g.next() % 10 == 0 ? Int32(-1) : Int32(g.next() % UInt64(categories.count)) }
            var s = LabeledFeatures(source: "f.csv", features: nil, featureNames: [], labels: [Int32](repeating: 0, count: rows), classNames: ["x"])
            s.categoricalColumns = [CategoricalColumn(name: "t", categories: categories, codes: codes)]
            do {
                let e = try s.embeddingText(column: "t", with: TextFeaturesTests.embedder, threads: 2)
                #expect(e.features?.rows == rows && e.features?.storage.allSatisfy(\.isFinite) == true, "trial \(trial)")
            } catch let error as MissingValueError {
                #expect(codes.contains(-1) && "\(error)".hasPrefix("f.csv: row ") && !"\(error)".contains("\n"), "trial \(trial): \(error)")
            }
        }
    }
}
