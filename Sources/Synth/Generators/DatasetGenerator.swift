import SynthctlCore

/// What a generator's rows are labeled with.
public enum LabelKind: Sendable, Equatable {
    /// One class per row, `0..<classCount`.
    case classes(count: Int)
    /// A real-valued target vector per row (regression).
    case targets(count: Int)
    /// A 0/1 indicator per label per row (multilabel).
    case indicators(count: Int)
}

/// A source of labeled rows with known ground truth.
///
/// A generator is built once from its spec, the seed and the total row count
/// (which fixes the exact class counts), and then asked for any range of
/// output rows, in any order, on any thread. Row *i* depends only on (spec,
/// seed, row count, *i*): that is the determinism contract the dataset writer
/// and `--shard` rely on. The structure of the data (centroids, mixing
/// matrices, coefficients) never depends on the row count.
public protocol DatasetGenerator: Sendable {
    /// The generator's name in specs (`classification`, `blobs`, ...).
    var name: String { get }
    var featureCount: Int { get }
    var labelKind: LabelKind { get }
    var featureNames: [String] { get }
    /// Names for the classes or labels; empty for regression.
    var classNames: [String] { get }
    /// The class frequencies the generator was asked for (what the
    /// learnability check of label noise weighs classes by).
    var classWeights: [Double] { get }
    /// The spec with every default filled in, for the manifest.
    var resolvedSpec: JSONValue { get }
    /// Everything known about how the data was made (centroids, feature roles,
    /// coefficients, class counts), for the manifest.
    var groundTruth: JSONValue { get }
    /// How large a value a row can hold, from the generator's formulas (see
    /// ``ValueBound``): what lets a plan refuse parameters whose rows would
    /// overflow float32 before anything is written.
    var valueBound: ValueBound { get }

    /// Writes output rows `output.rows` into the output's buffers: features
    /// (`rows.count × featureCount`, row-major), labels (`rows.count` class
    /// ids, or `rows.count × count` indicators) or targets
    /// (`rows.count × count`). The output is made by the dataset writer (or by
    /// ``fill(rows:features:labels:targets:)`` from arrays), which has checked
    /// the buffers' sizes once for the whole call.
    func fill(_ output: GeneratorOutput)

    /// The types of a fitted model's features (``FittedColumns``): integer,
    /// boolean and categorical features hold whole numbers (a category's
    /// code) that a table writes as integers, booleans and category names.
    /// Nil for every other generator: features are real numbers.
    var featureColumns: FittedColumns? { get }

    /// For instance-dependent label noise: how far a row sits from the nearest
    /// boundary of its class (0 on the boundary, in units of the generator's
    /// class scale) and which class lies across it. `features` holds at least
    /// `featureCount` values.
    func boundary(features: Span<Float>, label: Int) -> (margin: Float, competitor: Int)
}

extension DatasetGenerator {
    public var featureColumns: FittedColumns? { nil }

    public var classCount: Int {
        if case .classes(let k) = labelKind { return k }
        return 0
    }

    public func boundary(features: Span<Float>, label: Int) -> (margin: Float, competitor: Int) {
        (.infinity, label)
    }

    public var classWeights: [Double] {
        let k = max(1, classCount)
        return [Double](repeating: 1 / Double(k), count: k)
    }
}

/// Nearest-competitor margins from class (or cluster) centres: the margin of
/// a point of class c is (d_other − d_own) / 2, where d_own is the distance to
/// the nearest centre of class c and d_other the distance to the nearest
/// centre of any other class — half the gap in distances, zero on the
/// perpendicular bisector between the two centres.
struct CentroidBoundary: Sendable {
    let centres: [[Float]]
    let classOfCentre: [Int]
    /// The feature columns (in output order) that hold the centre coordinates.
    let columns: [Int]
    /// Undoes a per-column affine map applied after the centres:
    /// coordinate j is x[columns[j]] / columnScale[j] − columnShift[j].
    var columnShift: [Float]? = nil
    var columnScale: [Float]? = nil
    /// Built once per generator; `scale` divides the margin so that it is in
    /// units of the class scale.
    func margin(_ features: Span<Float>, label: Int, scale: Float) -> (margin: Float, competitor: Int) {
        precondition(columns.allSatisfy { $0 < features.count }, "a row narrower than the centres' columns")
        // Bounds checked once above; the loop reads through the pointer.
        return features.withUnsafeBufferPointer { x in
        var own = Float.infinity, other = Float.infinity, competitor = label
        for (k, c) in centres.enumerated() {
            var d: Float = 0
            for (j, col) in columns.enumerated() {
                var v = x[col]
                if let columnScale, let columnShift { v = v / columnScale[j] - columnShift[j] }
                let t = v - c[j]
                d += t * t
            }
            d = d.squareRoot()
            if classOfCentre[k] == label { own = min(own, d) }
            else if d < other { other = d; competitor = classOfCentre[k] }
        }
        return (max(0, (other - own) / 2 / scale), competitor)
        }
    }
}

/// Names `prefix0 … prefix(n−1)`.
func numberedNames(_ prefix: String, _ n: Int) -> [String] { (0..<n).map { "\(prefix)\($0)" } }

/// Normalizes class weights: nil means balanced; a list of K−1 gets the rest
/// as its last entry; the list must sum to one (within 1e-6).
func resolveWeights(_ given: [Double]?, classes: Int, spec: SpecObject) throws -> [Double] {
    guard var w = given else { return [Double](repeating: 1 / Double(classes), count: classes) }
    if w.count == classes - 1 { w.append(1 - w.reduce(0, +)) }
    guard w.count == classes else {
        throw spec.fail("weights", "\(classes) weights (or \(classes - 1), the last inferred)", found: .array(w.map { .double($0) }))
    }
    if let bad = w.firstIndex(where: { $0 < 0 || !$0.isFinite }) {
        throw SpecError(source: spec.source, path: "\(spec.path).weights[\(bad)]", expected: "a weight ≥ 0", found: JSONValue.format(w[bad]))
    }
    let sum = w.reduce(0, +)
    guard abs(sum - 1) <= 1e-6 else {
        throw SpecError(source: spec.source, path: "\(spec.path).weights", expected: "weights that sum to 1", found: "a sum of \(displayNumber(sum))")
    }
    return w.map { $0 / sum }
}
