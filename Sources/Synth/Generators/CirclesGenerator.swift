import SynthctlCore

/// Two concentric circles (scikit-learn's `make_circles`).
///
/// Class 0 on the unit circle, class 1 on the circle of radius `factor`, at
/// angles uniform on [0, 2π) (scikit-learn spaces them evenly).
///
/// Parameters and their effect on the data:
/// - `factor` (0.5): inner radius over outer radius, in [0, 1). Closer to 1
///   brings the circles together.
/// - `noise` (0.05): standard deviation of Gaussian noise on both coordinates.
/// - `weights` (balanced), `shuffle` (true): as for every generator.
public struct CirclesGenerator: SpecifiedGenerator {
    public let name = "circles"
    public let factor: Double
    public let noise: Double
    public let weights: [Double]
    public let shuffle: Bool
    let layout: ClassLayout
    let samples: RandomStream
    /// The parameters as read, for the manifest.
    let resolvedParameters: ResolvedParameters

    public static let parameters: [GeneratorParameter] = [
        .init("factor", .number(default: 0.5, min: 0, max: 1, exclusiveMax: true), "inner radius over outer radius; closer to 1 brings the circles together"),
        .init("noise", .number(default: 0.05, min: 0), "standard deviation of Gaussian noise on both coordinates"),
        .init("weights", .weights, "the share of each circle (balanced when absent)"),
        .init("shuffle", .flag(default: true), "random row order"),
    ]

    public init(spec: SpecObject, rows: Int, seed: UInt64) throws {
        var p = GeneratorParameterReader(spec, Self.parameters)
        factor = try p.number("factor")
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
    public var classNames: [String] { ["outer_circle", "inner_circle"] }
    public var classWeights: [Double] { weights }
    public var resolvedSpec: JSONValue { resolvedParameters.spec(type: name) }
    public var groundTruth: JSONValue {
        .object(["class_counts": JSONValue(layout.counts), "radii": JSONValue([1.0, factor])])
    }

    /// Points on the circles lie within the unit disc; the noise adds at most noise·Z.
    public var valueBound: ValueBound {
        ValueBound(magnitude: 1 + noise * ValueBound.normal, parameters: "noise \(JSONValue.format(noise))")
    }

    public func fill(_ output: GeneratorOutput) {
        let (rows, features, labels, _) = output._unsafe.parts
        fillPlanarCurve(rows: rows, features: features, labels: labels, layout: layout, samples: samples,
                        noise: noise) { [factor] label, u in
            let (sine, cosine) = sinCosPi(2 * u)  // t = 2πu
            let radius = label == 0 ? 1.0 : factor
            return (radius * cosine, radius * sine)
        }
    }

    /// Distance from the mid radius, on the row's own side, in units of the
    /// half gap between the circles.
    public func boundary(features: Span<Float>, label: Int) -> (margin: Float, competitor: Int) {
        let r = (Double(features[0]) * Double(features[0]) + Double(features[1]) * Double(features[1])).squareRoot()
        let mid = (1 + factor) / 2, half = (1 - factor) / 2
        let signed = label == 0 ? r - mid : mid - r
        return (Float(max(0, signed / half)), 1 - label)
    }
}
