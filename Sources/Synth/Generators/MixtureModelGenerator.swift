import SynthctlCore

/// Samples a fitted class-conditional Gaussian mixture (`synthctl fit
/// --model mixture`): row i gets its class from the exact class counts of
/// the model's weights, its component from its own uniform draw against the
/// class's cumulative component weights, and x = μ + L·z from its own
/// normals. Products use ``ReproducibleProduct``'s kernel, grouped by
/// component, so the bytes depend only on the model and the seed.
public struct MixtureModelGenerator: FittedModelGenerator {
    public let name = "mixture_model"
    public let model: GaussianMixtureModel
    public let shuffle: Bool
    public var modelFile: ModelFileReference?
    let layout: ClassLayout
    let samples: RandomStream
    let choices: RandomStream
    /// Per class, per component: Lᵀ in Float, and the cumulative weights.
    let transposedFactors: [[[Float]]]
    let cumulative: [[Double]]

    public init(model: GaussianMixtureModel, rows: Int, seed: UInt64, shuffle: Bool = true) {
        self.model = model
        self.shuffle = shuffle
        let d = model.featureCount
        layout = FittedModelFile.layout(weights: model.classes.map(\.weight), rows: rows, shuffle: shuffle, seed: seed)
        samples = RandomStream(seed: seed, .rows)
        choices = RandomStream(seed: seed, .mixtureComponentChoice)
        transposedFactors = model.classes.map { part in part.components.map { FittedModelFile.transposedFactor($0.cholesky, order: d) } }
        cumulative = model.classes.map { part in
            let sum = part.components.reduce(0) { $0 + $1.weight }
            var running = 0.0
            return part.components.map { running += $0.weight / sum; return running }
        }
    }

    public var featureColumns: FittedColumns? { model.columns }

    public var groundTruth: JSONValue {
        .object(["class_counts": JSONValue(layout.counts), "components_per_class": JSONValue(model.classes.map(\.components.count))])
    }

    /// A row from component m is μ_m + L_m·z: at most |μ_mj| + Z·Σ_l |L_m[j][l]|.
    public var valueBound: ValueBound {
        let d = model.featureCount
        let bound = model.classes.flatMap(\.components).map { ValueBound.gaussian(mean: $0.mean, factor: $0.cholesky, order: d) }.max() ?? 0
        return ValueBound(magnitude: bound, parameters: "the model's means and covariance factors")
    }

    public func fill(_ output: GeneratorOutput) {
        let (rows, features, labels, _) = output._unsafe.parts
        let d = featureCount
        var groups = [[Int]: [Int]]()
        var order = [[Int]]()
        for (r, row) in rows.enumerated() {
            let (label, _) = layout.place(row)
            labels?[r] = Int32(label)
            let u = choices.uniform(row: UInt64(row), draw: 0)
            let component = cumulative[label].firstIndex { u < $0 } ?? (cumulative[label].count - 1)
            let key = [label, component]
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(r)
        }
        for key in order {
            let members = groups[key]!
            let comp = model.classes[key[0]].components[key[1]]
            let out = FittedModelFile.correlatedNormals(members, firstRow: rows.lowerBound, factor: transposedFactors[key[0]][key[1]],
                                                        dimensions: d, samples: samples)
            let mean = comp.mean.map(Float.init)
            for (t, r) in members.enumerated() {
                let row = features + r * d
                for j in 0..<d { row[j] = out[t * d + j] + mean[j] }
                model.columns?.apply(row, classIndex: key[0])
            }
        }
    }
}
