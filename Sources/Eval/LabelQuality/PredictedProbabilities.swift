import Synth
import SynthctlCore

/// Out-of-sample predicted class probabilities, N × K, row-major, in Double.
///
/// Confident learning needs probabilities a model produced for items it was
/// not trained on (cross-validation); in-sample probabilities make every
/// label look right. Values must be finite and in [0, 1] and every row must
/// sum to one within ``rowSumTolerance`` (float32 softmax output and values
/// printed with a few digits pass; logits or unnormalized scores do not).
public struct PredictedProbabilities: Sendable {
    public static let rowSumTolerance = 1e-3

    public let rows: Int
    public let classes: Int
    public let values: [Double]

    /// Unchecked; for probabilities synthctl computed itself.
    public init(rows: Int, classes: Int, values: [Double]) {
        precondition(values.count == rows * classes)
        self.rows = rows
        self.classes = classes
        self.values = values
    }

    /// Checks user-supplied probabilities, naming the file, row and column of
    /// the first bad value.
    public init(validating values: [Double], rows: Int, classes: Int, source: String) throws {
        guard rows > 0 else { throw InputError(file: source, expected: "at least one row of probabilities", found: "none") }
        guard classes >= 2 else { throw InputError(file: source, expected: "at least 2 classes (columns)", found: "\(classes)") }
        for i in 0..<rows {
            var sum = 0.0
            for k in 0..<classes {
                let p = values[i * classes + k]
                guard p.isFinite, p >= 0, p <= 1 else {
                    throw InputError(file: source, row: i, column: k, expected: "a probability in [0, 1]", found: "\(p)")
                }
                sum += p
            }
            guard abs(sum - 1) <= Self.rowSumTolerance else {
                throw InputError(file: source, row: i, expected: "probabilities summing to 1", found: "a sum of \(sum)")
            }
        }
        self.init(rows: rows, classes: classes, values: values)
    }

    /// Reads an N × K `.npy` file (float32 or float64).
    public init(npy path: String) throws {
        let array = try NpyArray(path: path)
        guard array.shape.count == 2 else {
            throw InputError(file: path, expected: "an N × K matrix of probabilities", found: "shape \(array.shape)")
        }
        guard array.descr == "<f4" || array.descr == "<f8" else {
            throw InputError(file: path, expected: "float32 or float64 probabilities", found: "dtype '\(array.descr)'")
        }
        try self.init(validating: array.values, rows: array.rows, classes: array.columns, source: path)
    }

    @inlinable public subscript(row: Int, column: Int) -> Double { values[row * classes + column] }

    /// The probabilities of the rows a labeled set kept when it dropped rows
    /// with missing values (``LabeledFeatures/fileRows``): the file gives
    /// one row per row of the table, `fileRowCount` in all.
    public func keeping(fileRows kept: [Int], of fileRowCount: Int, source: String, table: String) throws -> PredictedProbabilities {
        guard rows == fileRowCount else {
            throw InputError(file: source, expected: "\(fileRowCount) rows (one per row of \(table), before rows with missing values were dropped)",
                             found: "\(rows)")
        }
        var out = [Double]()
        out.reserveCapacity(kept.count * classes)
        for r in kept { out.append(contentsOf: values[(r * classes)..<((r + 1) * classes)]) }
        return PredictedProbabilities(rows: kept.count, classes: classes, values: out)
    }

    /// The most probable class of a row; the first one on ties, as NumPy's argmax.
    public func argmax(_ row: Int) -> Int {
        var best = 0
        for k in 1..<classes where self[row, k] > self[row, best] { best = k }
        return best
    }
}
