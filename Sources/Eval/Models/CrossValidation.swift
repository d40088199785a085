import Synth
import SynthctlCore

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
        let members = rowsByClass(labels, classes: classes)
        var fold = [Int](repeating: 0, count: labels.count)
        var next = 0
        for c in 0..<classes where !members[c].isEmpty {
            let order = IndexPermutation(count: members[c].count,
                                         stream: RandomStream(seed: seed, .crossValidationClasses, index: c))
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
    ///
    /// - Parameter strata: when given (ids in 0..<strataCount), the folds are
    ///   stratified by these instead of by the labels: a finer grouping
    ///   keeps each fold's composition within every group equal to the
    ///   rest's, which a model that can pick out small groups would
    ///   otherwise learn backwards.
    public static func logisticProbabilities(features x: Matrix, labels: [Int32], classes k: Int, folds: Int,
                                             seed: UInt64, options: LogisticRegression.Options = .init(),
                                             strata: [Int32]? = nil, strataCount: Int = 0,
                                             threads: Int = Parallel.coreCount, progress: WorkProgress = .silent)
        -> (PredictedProbabilities, FitSummary) {
        let assignment = strata.map { Self.folds(labels: $0, classes: strataCount, count: folds, seed: seed) }
            ?? Self.folds(labels: labels, classes: k, count: folds, seed: seed)
        var out = [Double](repeating: 0, count: x.rows * k)
        var iterations = [Int](repeating: 0, count: folds), converged = [Bool](repeating: false, count: folds)
        // Folds run side by side on single-threaded BLAS: the products are
        // skinny (K columns), where OpenBLAS's own threads spend more time
        // waking each other than multiplying. Each fold writes only its own
        // rows and its own summary slot, and single-threaded sgemm is
        // deterministic, so the result does not depend on the thread count.
        BLAS.useSingleThreadedBLAS()
        out.withUnsafeMutableBufferPointer { outp in
            iterations.withUnsafeMutableBufferPointer { itp in
                converged.withUnsafeMutableBufferPointer { cvp in
                    let sink = _UnsafeFoldOutputs(probabilities: outp, iterations: itp, converged: cvp)
                    Parallel.forEach(folds, threads: threads) { f in
                        let train = assignment.indices.filter { assignment[$0] != f }
                        let test = assignment.indices.filter { assignment[$0] == f }
                        guard !test.isEmpty else { return }
                        let model = LogisticRegression(features: x.gatheringRows(train), labels: train.map { labels[$0] },
                                                       classes: k, options: options)
                        sink.iterations[f] = model.iterations
                        sink.converged[f] = model.converged
                        let p = model.probabilities(x.gatheringRows(test))
                        for (r, i) in test.enumerated() { for c in 0..<k { sink.probabilities[i * k + c] = p[r * k + c] } }
                        progress.step("cross-validation folds", of: folds)
                    }
                }
            }
        }
        return (PredictedProbabilities(rows: x.rows, classes: k, values: out),
                FitSummary(iterations: iterations, converged: converged))
    }
}

/// Where the folds write their results. Precondition: fold f writes only
/// the probability rows of its own test items and slot f of the summaries,
/// so concurrent folds never touch the same memory.
struct _UnsafeFoldOutputs: @unchecked Sendable {
    let probabilities: UnsafeMutableBufferPointer<Double>
    let iterations: UnsafeMutableBufferPointer<Int>
    let converged: UnsafeMutableBufferPointer<Bool>
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
