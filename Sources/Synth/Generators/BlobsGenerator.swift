import SynthctlCore

/// Isotropic Gaussian blobs, one class per centre (scikit-learn's `make_blobs`).
///
/// Parameters and their effect on the data:
/// - `features` (2): dimension of the space.
/// - `centers` (3): a number of centres drawn uniformly in `center_box`, or an
///   explicit list of centre coordinates (then `features` is their length).
/// - `cluster_std` (1.0): standard deviation of every blob, or one per centre.
///   Larger blurs the classes into each other.
/// - `center_box` ([-10, 10]): the box random centres are drawn from.
/// - `weights` (balanced): class proportions, exact by largest remainder
///   (scikit-learn gives the remainder to the first centres).
/// - `shuffle` (true): random row order; false keeps rows grouped by class.
public struct BlobsGenerator: SpecifiedGenerator {
    public let name = "blobs"
    public let featureCount: Int
    public let centers: [[Float]]
    public let clusterStd: [Float]
    public let centerBox: [Double]
    public let weights: [Double]
    public let shuffle: Bool
    let layout: ClassLayout
    let samples: RandomStream
    let centroidBoundary: CentroidBoundary
    /// The parameters as read (the centres drawn, one standard deviation per
    /// centre), for the manifest.
    let resolvedParameters: ResolvedParameters

    public static let parameters: [GeneratorParameter] = [
        .init("features", .integer(default: 2, min: 1, max: 1 << 20), "dimension of the space (the centres' length when they are listed)"),
        .init("center_box", .value(default: JSONValue([-10.0, 10.0])), "[low, high]: the box random centres are drawn from"),
        .init("centers", .value(default: .int(3)), "a number of random centres, or a list of centre coordinates"),
        .init("cluster_std", .value(default: .double(1)), "standard deviation of every blob, or one per centre"),
        .init("weights", .weights, "class proportions (balanced when absent)"),
        .init("shuffle", .flag(default: true), "random row order; false keeps rows grouped by class"),
    ]

    public init(spec: SpecObject, rows: Int, seed: UInt64) throws {
        var p = GeneratorParameterReader(spec, Self.parameters)
        var d = try p.int("features")
        let box = try spec.doubles("center_box", count: 2) ?? [-10, 10]
        guard box[0] < box[1] else { throw spec.fail("center_box", "[low, high] with low < high", found: JSONValue(box)) }
        centerBox = box
        let draws = StructureDraws(seed: seed)
        switch spec.raw("centers") {
        case nil:
            let dd = d
            centers = (0..<3).map { k in (0..<dd).map { j in Float(draws.uniform(.blobsCentres, k * dd + j, in: box[0]...box[1])) } }
        case .int(let k)?:
            guard k >= 1 else { throw spec.fail("centers", "a number of centres ≥ 1 or a list of centres", found: .int(k)) }
            var estimate = MemoryEstimate()
            estimate.add("\(k) centres of \(d) features (centers × (features × 12 + 64) bytes, with the manifest's copy)",
                         k, MemoryEstimate.sum([MemoryEstimate.product([d, 12]), 64]), parameter: "\(spec.path).centers")
            DatasetPlan.addClassPairs(to: &estimate, classes: k, field: "\(spec.path).centers")
            try MemoryBudget.current.check(estimate, subject: spec.source)
            let dd = d
            centers = (0..<k).map { c in (0..<dd).map { j in Float(draws.uniform(.blobsCentres, c * dd + j, in: box[0]...box[1])) } }
        case .array(let list)?:
            // The first centre fixes the width; `matrix` checks the rest.
            guard case .array(let first)? = list.first, !first.isEmpty,
                  let m = try spec.matrix("centers", rows: list.count, columns: first.count) else {
                throw spec.fail("centers", "a non-empty list of centres", found: .array(list))
            }
            centers = m.map { $0.map(Float.init) }
            d = first.count
        case let other?:
            throw spec.fail("centers", "a number of centres or a list of centres", found: other)
        }
        featureCount = d
        let k = centers.count
        switch spec.raw("cluster_std") {
        case nil: clusterStd = [Float](repeating: 1, count: k)
        case .int(let x)? where x >= 0: clusterStd = [Float](repeating: Float(x), count: k)
        case .double(let x)? where x >= 0 && x <= SpecObject.float32Limit: clusterStd = [Float](repeating: Float(x), count: k)
        case .array?:
            let s = try spec.doubles("cluster_std", count: k)!
            guard s.allSatisfy({ $0 >= 0 }) else { throw spec.fail("cluster_std", "standard deviations ≥ 0", found: JSONValue(s)) }
            clusterStd = s.map(Float.init)
        case let other?: throw spec.fail("cluster_std", "a number in [0, \(displayNumber(SpecObject.float32Limit))] or one per centre", found: other)
        }
        guard k >= 2 else { throw spec.fail("centers", "at least 2 centres (one per class)", found: .int(k)) }
        weights = try p.weights(classes: k)
        shuffle = try p.bool("shuffle")
        p.record("features", .int(featureCount))
        p.record("center_box", JSONValue(centerBox))
        p.record("centers", .array(centers.map { JSONValue($0) }))
        p.record("cluster_std", JSONValue(clusterStd))
        resolvedParameters = try p.finish()
        layout = ClassLayout(rowCount: rows, weights: weights, shuffle: shuffle, seed: seed)
        samples = RandomStream(seed: seed, .rows)
        centroidBoundary = CentroidBoundary(centres: centers, classOfCentre: Array(0..<k), columns: Array(0..<d))
    }

    public var labelKind: LabelKind { .classes(count: centers.count) }
    public var featureNames: [String] { numberedNames("x", featureCount) }
    public var classNames: [String] { numberedNames("blob_", centers.count) }
    public var classWeights: [Double] { weights }

    public var resolvedSpec: JSONValue { resolvedParameters.spec(type: name) }

    public var groundTruth: JSONValue {
        .object(["class_counts": JSONValue(layout.counts), "centers": .array(centers.map { JSONValue($0) }),
                 "cluster_std": JSONValue(clusterStd)])
    }

    /// A row of blob k is c_k + σ_k·z: at most |c_kj| + σ_k·Z.
    public var valueBound: ValueBound {
        var bound = 0.0, largestCentre = 0.0
        for (k, c) in centers.enumerated() {
            for x in c {
                largestCentre = max(largestCentre, Double(abs(x)))
                bound = max(bound, Double(abs(x)) + Double(clusterStd[k]) * ValueBound.normal)
            }
        }
        let largestStd = Double(clusterStd.max() ?? 0)
        return ValueBound(magnitude: bound, parameters: "centres up to \(displayNumber(largestCentre)) and cluster_std up to \(displayNumber(largestStd))")
    }

    public func fill(_ output: GeneratorOutput) {
        let (rows, features, labels, _) = output._unsafe.parts
        let d = featureCount
        for (r, row) in rows.enumerated() {
            let (label, _) = layout.place(row)
            labels?[r] = Int32(label)
            let out = features + r * d
            _UnsafeNormalKernel.fill(stream: samples, row: UInt64(row), out: UnsafeMutableBufferPointer(start: out, count: d))
            let c = centers[label], s = clusterStd[label]
            for j in 0..<d { out[j] = c[j] + s * out[j] }
        }
    }

    public func boundary(features: Span<Float>, label: Int) -> (margin: Float, competitor: Int) {
        centroidBoundary.margin(features, label: label, scale: max(clusterStd[label], 1e-6))
    }
}
