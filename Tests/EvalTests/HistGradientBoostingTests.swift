import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// The gradient-boosted trees against scikit-learn's
/// HistGradientBoostingClassifier on the same data
/// (Tests/Oracles/hist_gradient_boosting_oracle.py), and the properties a
/// tree model on bins must have exactly.
@Suite struct HistGradientBoostingTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gbdt")

    struct Reference: Decodable { let train_rows: Int; let auc: Double; let accuracy: Double; let iterations: Int }

    static func data(_ name: String) throws -> (Matrix, [Int32]) {
        let x = try NpyArray(path: dir.appendingPathComponent("\(name)_features.npy").path)
        let y = try NpyArray(path: dir.appendingPathComponent("\(name)_labels.npy").path)
        return (Matrix(rows: x.rows, columns: x.columns, storage: x.values.map(Float.init)), y.values.map { Int32($0) })
    }

    static func rows(_ x: Matrix, _ range: Range<Int>) -> Matrix { x.gatheringRows(Array(range)) }

    /// Macro one-vs-rest AUC (scikit-learn's `roc_auc_score(multi_class="ovr")`;
    /// the plain AUC of the second class for two) and accuracy.
    static func scores(_ p: [Double], labels: [Int32], classes k: Int) -> (auc: Double, accuracy: Double) {
        let n = labels.count
        let aucs = (k == 2 ? [1] : Array(0..<k)).map { c in
            ClassifierScores.auc(scores: (0..<n).map { p[$0 * k + c] }, positive: labels.map { Int($0) == c }).value
        }
        let correct = (0..<n).filter { i in (0..<k).max { p[i * k + $0] < p[i * k + $1] } == Int(labels[i]) }.count
        return (aucs.reduce(0, +) / Double(aucs.count), Double(correct) / Double(n))
    }

    @Test(arguments: ["linear", "xor", "rings", "large", "missing"])
    func matchesScikitLearn(name: String) throws {
        let expected = try JSONDecoder().decode([String: Reference].self,
            from: Data(contentsOf: Self.dir.appendingPathComponent("expected.json")).dropFirstVersion())[name]!
        let (x, y) = try Self.data(name)
        let k = Int(y.max()!) + 1
        let model = HistGradientBoostingClassifier(features: Self.rows(x, 0..<expected.train_rows),
                                                   labels: Array(y[0..<expected.train_rows]), classes: k, threads: 2)
        let p = model.probabilities(Self.rows(x, expected.train_rows..<x.rows))
        let s = Self.scores(p, labels: Array(y[expected.train_rows...]), classes: k)
        #expect(abs(s.auc - expected.auc) <= 0.01, "AUC \(s.auc) against scikit-learn's \(expected.auc)")
        #expect(abs(s.accuracy - expected.accuracy) <= 0.01, "accuracy \(s.accuracy) against scikit-learn's \(expected.accuracy)")
        if name == "large" { #expect(model.iterations < 100, "early stopping ran (scikit-learn: \(expected.iterations))") }
    }

    @Test(arguments: ["rings", "large", "missing"])
    func sameBitsForAnyThreadCount(name: String) throws {
        let (x, y) = try Self.data(name)
        let k = Int(y.max()!) + 1
        let one = HistGradientBoostingClassifier(features: x, labels: y, classes: k, threads: 1).probabilities(x, threads: 1)
        let two = HistGradientBoostingClassifier(features: x, labels: y, classes: k, threads: 2).probabilities(x, threads: 2)
        #expect(one.map(\.bitPattern) == two.map(\.bitPattern))
    }

    /// Trees see only the order of each feature's values: a strictly
    /// increasing transform of every column leaves the bins, and so every
    /// probability, unchanged.
    @Test func invariantToMonotoneTransforms() throws {
        let (x, y) = try Self.data("xor")
        var t = x
        for i in 0..<x.rows {
            t[i, 0] = (x[i, 0] + 2) * (x[i, 0] + 2) * (x[i, 0] + 2)
            t[i, 1] = 1000 * x[i, 1] - 7
            t[i, 2] = Float(Foundation.exp(Double(x[i, 2])))
        }
        let a = HistGradientBoostingClassifier(features: x, labels: y, classes: 2, threads: 1).probabilities(x)
        let b = HistGradientBoostingClassifier(features: t, labels: y, classes: 2, threads: 1).probabilities(t)
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
    }

    @Test func binsAreScikitLearnsMidpointsAndQuantiles() {
        #expect(HistogramBinning.thresholds([1, 1, 2, 4], maxBins: 255) == [1.5, 3])
        // More distinct values than bins: quantile thresholds, at most maxBins − 1.
        let many = (0..<1000).map(Double.init)
        let t = HistogramBinning.thresholds(many, maxBins: 4)
        #expect(t == [249.5, 499.5, 749.5] || t == [249, 499, 749], "\(t)")
        let binning = HistogramBinning(fitting: Matrix(rows: 4, columns: 1, storage: [1, 1, 2, 4]))
        #expect([Float(0.5), 1, 1.5, 1.6, 3, 10, .nan].map { binning.bin($0, feature: 0) } == [0, 0, 0, 1, 1, 2, 255])
    }

    /// The fast paths give what the plain definitions give: the radix sort
    /// sorts, the branch-free search finds each value's bin, the branch-free
    /// partition is stable and splits where the bins say.
    @Test func fastPathsMatchTheirDefinitions() {
        var rng = SplitMix64(seed: 0x5EED1601)  // seeded: a failure replays
        var values = (0..<5000).map { i -> Float in
            let u = Float(rng.next() % 1_000_000) / 1000 - 500
            return i % 7 == 0 ? u.rounded() : u  // ties, negatives, zero
        }
        values += [0, -1e30, 1e30, .infinity, -.infinity]
        var sorted = values, scratch: [Float] = []
        _UnsafeFloatRadixSort.sort(&sorted, scratch: &scratch)
        #expect(sorted == values.sorted())

        var x = Matrix(rows: values.count, columns: 1, storage: values)
        x[3, 0] = .nan
        let binning = HistogramBinning(fitting: x, maxBins: 40)
        binning.thresholds[0].withUnsafeBufferPointer { t in
            for v in x.storage + [.nan, 0.5, -0.0] {
                #expect(HistogramBinning.bin(v, thresholds: t) == binning.bin(v, feature: 0), "\(v)")
            }
        }
        let bins = binning.binned(x)
        let workspace = _UnsafeGrowerWorkspace(binned: bins, rows: x.rows, features: 1)
        for i in 0..<x.rows { workspace.partition[i] = Int32(i) }
        let left = workspace.partitionRows(start: 0, count: x.rows, feature: 0, bin: 17, missingGoesLeft: true)
        let order = (0..<x.rows).map { Int(workspace.partition[$0]) }
        let goesLeft = { (i: Int) in bins[i] <= 17 || bins[i] == UInt8(HistogramBinning.missingBin) }
        #expect(order == (0..<x.rows).filter(goesLeft) + (0..<x.rows).filter { !goesLeft($0) })
        #expect(left == (0..<x.rows).filter(goesLeft).count)
    }

    @Test func earlyStoppingFollowsScikitLearnsRule() {
        // Stops when none of the last 10 scores beats the one 11 back by more than tol.
        let flat = [Double](repeating: -0.5, count: 11)
        #expect(HistGradientBoostingClassifier.shouldStop(flat, patience: 10, tolerance: 1e-7))
        var rising = flat; rising[10] = -0.4
        #expect(!HistGradientBoostingClassifier.shouldStop(rising, patience: 10, tolerance: 1e-7))
        #expect(!HistGradientBoostingClassifier.shouldStop(Array(flat.prefix(10)), patience: 10, tolerance: 1e-7))
    }

    @Test func validationSplitIsStratified() {
        let y = (0..<20_000).map { $0 % 10 == 0 ? 1 : 0 }
        let (train, validation) = HistGradientBoostingClassifier.stratifiedSplit(y, classes: 2, fraction: 0.1, seed: 3)
        #expect(validation.count == 2000 && train.count == 18_000)
        #expect(validation.filter { y[$0] == 1 }.count == 200)
        #expect(Set(train).isDisjoint(with: validation))
    }
}

private extension Data {
    /// expected.json also holds the scikit-learn version as a string.
    func dropFirstVersion() throws -> Data {
        var object = try JSONSerialization.jsonObject(with: self) as! [String: Any]
        object.removeValue(forKey: "sklearn_version")
        return try JSONSerialization.data(withJSONObject: object)
    }
}
