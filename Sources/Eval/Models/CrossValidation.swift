import Synth

/// Out-of-sample predicted probabilities by k-fold cross-validation: every
/// item's probabilities come from a model that never saw it, which is what
/// confident learning needs (in-sample probabilities make every label look
/// right).
public enum CrossValidation {
    /// Stratified fold assignment: each class's rows, in a seeded random
    /// order, are dealt to the folds in turn, so every fold has the class
    /// balance of the whole. The same (labels, folds, seed) always give the
    /// same folds.
    public static func folds(labels: [Int32], classes: Int, count folds: Int, seed: UInt64) -> [Int] {
        precondition(folds >= 2)
        var members = [[Int]](repeating: [], count: classes)
        for (i, y) in labels.enumerated() { members[Int(y)].append(i) }
        var fold = [Int](repeating: 0, count: labels.count)
        var next = 0
        for c in 0..<classes where !members[c].isEmpty {
            let order = IndexPermutation(count: members[c].count,
                                         stream: RandomStream(seed: seed, purpose: .shuffle, substream: UInt32(c)))
            for position in 0..<members[c].count {
                fold[members[c][order[position]]] = next
                next = (next + 1) % folds
            }
        }
        return fold
    }

    /// What each fold's fit did, for the report.
    public struct FitSummary: Sendable {
        public let iterations: [Int]
        public let converged: [Bool]
    }

    /// Logistic-regression probabilities for every row, each from the model
    /// fitted on the other folds.
    public static func logisticProbabilities(features x: Matrix, labels: [Int32], classes k: Int, folds: Int,
                                             seed: UInt64, options: LogisticRegression.Options = .init())
        -> (PredictedProbabilities, FitSummary) {
        let assignment = Self.folds(labels: labels, classes: k, count: folds, seed: seed)
        var out = [Double](repeating: 0, count: x.rows * k)
        var iterations = [Int](), converged = [Bool]()
        for f in 0..<folds {
            let train = assignment.indices.filter { assignment[$0] != f }
            let test = assignment.indices.filter { assignment[$0] == f }
            guard !test.isEmpty else { continue }
            let model = LogisticRegression(features: x.gatheringRows(train), labels: train.map { labels[$0] },
                                           classes: k, options: options)
            iterations.append(model.iterations)
            converged.append(model.converged)
            let p = model.probabilities(x.gatheringRows(test))
            for (r, i) in test.enumerated() { for c in 0..<k { out[i * k + c] = p[r * k + c] } }
        }
        return (PredictedProbabilities(rows: x.rows, classes: k, values: out),
                FitSummary(iterations: iterations, converged: converged))
    }
}

extension Matrix {
    /// A new matrix of the given rows, in that order.
    public func gatheringRows(_ rows: [Int]) -> Matrix {
        var out = [Float](repeating: 0, count: rows.count * columns)
        storage.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (r, i) in rows.enumerated() {
                    (dst.baseAddress! + r * columns).update(from: src.baseAddress! + i * columns, count: columns)
                }
            }
        }
        return Matrix(rows: rows.count, columns: columns, storage: out)
    }
}
