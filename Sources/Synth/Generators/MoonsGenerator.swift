import SynthctlCore

/// Two interleaving half circles (scikit-learn's `make_moons`).
///
/// Class 0 lies on the upper arc (cos t, sin t), class 1 on the lower arc
/// (1 − cos t, ½ − sin t), t ∈ [0, π]. scikit-learn places points at evenly
/// spaced t; here t is uniform on [0, π], so the distribution does not depend
/// on the row count and no two points coincide.
///
/// Parameters and their effect on the data:
/// - `noise` (0.1): standard deviation of Gaussian noise added to both
///   coordinates. Near 0.3 the moons start to overlap.
/// - `weights` (balanced): the share of each moon, exact by largest remainder.
/// - `shuffle` (true): random row order.
public struct MoonsGenerator: SpecifiedGenerator {
    public let name = "moons"
    public let noise: Double
    public let weights: [Double]
    public let shuffle: Bool
    let layout: ClassLayout
    let samples: RandomStream
    /// The parameters as read, for the manifest.
    let resolvedParameters: ResolvedParameters

    public static let parameters: [GeneratorParameter] = [
        .init("noise", .number(default: 0.1, min: 0), "standard deviation of Gaussian noise on both coordinates; near 0.3 the moons overlap"),
        .init("weights", .weights, "the share of each moon (balanced when absent)"),
        .init("shuffle", .flag(default: true), "random row order"),
    ]

    public init(spec: SpecObject, rows: Int, seed: UInt64) throws {
        var p = GeneratorParameterReader(spec, Self.parameters)
        noise = try p.number("noise")
        weights = try p.weights(classes: 2)
        shuffle = try p.bool("shuffle")
        resolvedParameters = try p.finish()
        layout = ClassLayout(rowCount: rows, weights: weights, shuffle: shuffle, seed: seed)
        samples = RandomStream(seed: seed, .rows)
    }

    public var featureCount: Int { 2 }
    public var labelKind: LabelKind { .classes(count: 2) }
    public var featureNames: [String] { ["x0", "x1"] }
    public var classNames: [String] { ["upper_moon", "lower_moon"] }
    public var classWeights: [Double] { weights }
    public var resolvedSpec: JSONValue { resolvedParameters.spec(type: name) }
    public var groundTruth: JSONValue {
        .object(["class_counts": JSONValue(layout.counts),
                 "curves": .string("class 0: (cos t, sin t); class 1: (1 - cos t, 0.5 - sin t); t ~ U(0, pi)")])
    }

    /// Points on the arcs lie within [−1, 2] × [−1, 1]; the noise adds at most noise·Z.
    public var valueBound: ValueBound {
        ValueBound(magnitude: 2 + noise * ValueBound.normal, parameters: "noise \(JSONValue.format(noise))")
    }

    public func fill(_ output: GeneratorOutput) {
        let (rows, features, labels, _) = output._unsafe.parts
        fillPlanarCurve(rows: rows, features: features, labels: labels, layout: layout, samples: samples,
                        noise: noise) { label, u in
            let (sine, cosine) = sinCosPi(u)  // t = πu
            return label == 0 ? (cosine, sine) : (1 - cosine, 0.5 - sine)
        }
    }

    /// Distance to the other moon's arc minus distance to the own arc, halved.
    public func boundary(features: Span<Float>, label: Int) -> (margin: Float, competitor: Int) {
        let p = (Double(features[0]), Double(features[1]))
        let upper = Self.arcDistance(p, centre: (0, 0), upperHalf: true)
        let lower = Self.arcDistance(p, centre: (1, 0.5), upperHalf: false)
        let (own, other) = label == 0 ? (upper, lower) : (lower, upper)
        return (Float(max(0, (other - own) / 2)), 1 - label)
    }

    static func arcDistance(_ p: (Double, Double), centre: (Double, Double), upperHalf: Bool) -> Double {
        let q = (p.0 - centre.0, p.1 - centre.1)
        if upperHalf ? q.1 >= 0 : q.1 <= 0 { return abs((q.0 * q.0 + q.1 * q.1).squareRoot() - 1) }
        let a = ((q.0 - 1) * (q.0 - 1) + q.1 * q.1).squareRoot()
        let b = ((q.0 + 1) * (q.0 + 1) + q.1 * q.1).squareRoot()
        return min(a, b)
    }
}
