import Testing
import Foundation
import Synth
import TestSupport
@testable import Eval
@testable import SynthctlCore

/// `synthctl split`'s library side (issue 16, "The workflow leaks"): the
/// stratified split, joining a given training part and holdout, and the
/// fingerprint of a model's fitted rows.
@Suite struct StratifiedSplitTests {
    /// Classes of 1, 2, 3, 10 and 100 rows in a seeded random order, split
    /// 0.3: the holdout takes round(0.3·n) rows of each class, at least 1
    /// and at most n − 1 (0, 1, 1, 3, 30); the 1-row class stays in training.
    @Test func eachClassIsSplitInItsShare() {
        var rng = SplitMix64(seed: 16)
        var labels = [Int32]()
        for (c, n) in [1, 2, 3, 10, 100].enumerated() { labels += [Int32](repeating: Int32(c), count: n) }
        labels.shuffle(using: &rng)
        let split = StratifiedSplit(labels: labels, classes: 5, fraction: 0.3, seed: 7)
        let held = (0..<5).map { c in split.holdout.filter { labels[$0] == Int32(c) }.count }
        #expect(held == [0, 1, 1, 3, 30])
        #expect(split.train.count + split.holdout.count == labels.count)
        #expect(Set(split.train).isDisjoint(with: split.holdout))
        #expect(split.train == split.train.sorted() && split.holdout == split.holdout.sorted())
        // Deterministic in the seed, and the seed matters.
        #expect(StratifiedSplit(labels: labels, classes: 5, fraction: 0.3, seed: 7) == split)
        #expect(StratifiedSplit(labels: labels, classes: 5, fraction: 0.3, seed: 8) != split)
    }

    /// Where every class holds out at least one row by rounding, the split
    /// is compare's own holdout for the same seed and fraction.
    @Test func sameRowsAsComparesOwnHoldout() {
        var rng = SplitMix64(seed: 3)
        let labels = (0..<500).map { _ in Int32(rng.next() % 4) }
        for seed: UInt64 in [0, 7, 123] {
            let ours = StratifiedSplit(labels: labels, classes: 4, fraction: 0.3, seed: seed)
            let compares = FidelityReport.split(labels: labels, classes: 4, fraction: 0.3, seed: seed)
            #expect(ours.train == compares.train && ours.holdout == compares.holdout)
        }
    }

    /// A holdout whose columns come in another order meets the training
    /// part by name; a class only the holdout has is added after the
    /// training part's; a holdout with other columns is refused naming them.
    @Test func givenHoldoutJoinsByName() throws {
        let train = LabeledFeatures(source: "t.csv", features: Matrix([[1, 10], [2, 20]]), featureNames: ["a", "b"],
                                    labels: [0, 1], classNames: ["x", "y"])
        let holdout = LabeledFeatures(source: "h.csv", features: Matrix([[30, 3], [40, 4]]), featureNames: ["b", "a"],
                                      labels: [0, 1], classNames: ["z", "x"])
        let given = try GivenHoldout(train: train, holdout: holdout)
        #expect(given.joined.features!.storage == [1, 10, 2, 20, 3, 30, 4, 40])
        #expect(given.joined.classNames == ["x", "y", "z"])
        #expect(given.joined.labels == [0, 1, 2, 0])
        #expect(given.train == [0, 1] && given.holdout == [2, 3])
        let other = LabeledFeatures(source: "h.csv", features: Matrix([[1, 2]]), featureNames: ["a", "c"], labels: [0], classNames: ["x"])
        #expect { try GivenHoldout(train: train, holdout: other) } throws: { "\($0)".contains("h.csv") && "\($0)".contains("c") }
    }

    /// A row's hash depends on its values and class name, not on the row's
    /// position or −0 against +0; hashes are exact in float64 (< 2⁵²), and
    /// counting finds every fitted row and no other.
    @Test func fingerprintCountsFittedRows() {
        var rng = SplitMix64(seed: 9)
        let x = Matrix(rows: 200, columns: 5, storage: (0..<1000).map { _ in Float(Int(rng.next() % 2000) - 1000) / 8 })
        let labels = (0..<200).map { Int32($0 % 3) }
        let names = ["a", "b", "c"]
        let fitted = FittedRowsFingerprint(features: x.gatheringRows(Array(0..<140)), labels: Array(labels[0..<140]), classNames: names)
        #expect(fitted.rows == 140 && fitted.hashes.allSatisfy { $0 < 1 << 52 })
        let all = FittedRowsFingerprint.rowHashes(x, labels: labels, classNames: names)
        #expect(fitted.count(in: Array(all[100..<200])) == 40)
        #expect(fitted.count(in: Array(all[140..<200])) == 0)
        let zero = FittedRowsFingerprint.rowHashes(Matrix([[0, 1]]), labels: [0], classNames: ["a"])
        #expect(zero == FittedRowsFingerprint.rowHashes(Matrix([[-0.0, 1]]), labels: [0], classNames: ["a"]))
        #expect(zero != FittedRowsFingerprint.rowHashes(Matrix([[0, 1]]), labels: [0], classNames: ["b"]))
    }

    /// Typed rows hash as they were read: without boolean or categorical
    /// columns exactly as the numbers-only hash (older fingerprints still
    /// match); a boolean column (0/1 among the numbers) as the categories
    /// "false"/"true"; a categorical column by its category's name, not its
    /// code, so two tables that number their categories differently agree.
    @Test func typedRowsHashCategoriesByName() {
        let x = Matrix([[1, 2.5], [0, 7]])
        typealias Rows = FittedRowsFingerprint.TypedRows
        #expect(FittedRowsFingerprint.rowHashes(Rows(numeric: x, categorical: []), labels: [0, 1], classNames: ["a", "b"])
            == FittedRowsFingerprint.rowHashes(x, labels: [0, 1], classNames: ["a", "b"]))
        let read = Rows(numeric: Matrix([[1.5, 1], [2, 0]]), types: [.numeric, .boolean], categorical: [(["north", "south"], [1, 0])])
        let explicit = Rows(numeric: Matrix([[1.5], [2]]), categorical: [(["false", "true"], [1, 0]), (["north", "south"], [1, 0])])
        let renumbered = Rows(numeric: Matrix([[1.5], [2]]), categorical: [(["false", "true"], [1, 0]), (["south", "north"], [0, 1])])
        let other = Rows(numeric: Matrix([[1.5], [2]]), categorical: [(["false", "true"], [1, 0]), (["north", "south"], [0, 1])])
        func hashes(_ r: Rows) -> [UInt64] { FittedRowsFingerprint.rowHashes(r, labels: [0, 0], classNames: ["a"]) }
        #expect(hashes(read) == hashes(explicit) && hashes(read) == hashes(renumbered))
        #expect(zip(hashes(read), hashes(other)).allSatisfy { $0 != $1 })
        let fingerprint = FittedRowsFingerprint(rows: read, labels: [0, 0], classNames: ["a"])
        #expect(fingerprint.typed && fingerprint.count(in: hashes(renumbered)) == 2 && fingerprint.count(in: hashes(other)) == 0)
    }
}
