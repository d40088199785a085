import SynthctlCore

/// Samples a fitted class-conditional Gaussian (`synthctl fit --model
/// gaussian`): row i gets its class from the exact class counts of the
/// model's weights (largest remainder, as every generator), then
/// x = μ_c + L_c·z with z the row's own normals.
///
/// Spec: the model file's fields (format, format_version, model,
/// feature_names, shrinkage, classes), plus
/// - `shuffle` (true): random row order; false keeps rows grouped by class.
/// or, instead of those fields, `model_file` (with `model_sha256` and
/// `tensors_sha256`): the model's two files, which `synthctl gen --model
/// model.json` names, and which the manifest of every sampled dataset names
/// as the copies it holds (``FittedModelGenerator``).
///
/// The products L_c·z use ``ReproducibleProduct``'s kernel, so the bytes do
/// not depend on the machine, the thread count or the sharding.
public struct GaussianModelGenerator: FittedModelGenerator {
    public let name = "gaussian_model"
    public let model: GaussianClassModel
    public let shuffle: Bool
    public var modelFile: ModelFileReference?
    let layout: ClassLayout
    let samples: RandomStream
    /// Lᵀ per class, row-major d × d in Float, for z·Lᵀ.
    let transposedFactors: [[Float]]
    let means: [[Float]]

    public init(model: GaussianClassModel, rows: Int, seed: UInt64, shuffle: Bool = true) {
        self.model = model
        self.shuffle = shuffle
        let d = model.featureCount
        layout = FittedModelFile.layout(weights: model.classes.map(\.weight), rows: rows, shuffle: shuffle, seed: seed)
        samples = RandomStream(seed: seed, .rows)
        transposedFactors = model.classes.map { FittedModelFile.transposedFactor($0.cholesky, order: d) }
        means = model.classes.map { $0.mean.map(Float.init) }
    }

    public var featureColumns: FittedColumns? { model.columns }

    public var groundTruth: JSONValue {
        .object(["class_counts": JSONValue(layout.counts),
                 "shrinkage_per_class": JSONValue(model.classes.map(\.shrinkage)),
                 "fitted_rows_per_class": JSONValue(model.classes.map(\.rows))])
    }

    /// A row of class c is μ_c + L_c·z: at most |μ_cj| + Z·Σ_l |L_c[j][l]|.
    public var valueBound: ValueBound {
        let d = model.featureCount
        let bound = model.classes.map { ValueBound.gaussian(mean: $0.mean, factor: $0.cholesky, order: d) }.max() ?? 0
        return ValueBound(magnitude: bound, parameters: "the model's means and covariance factors")
    }

    public func fill(_ output: GeneratorOutput) {
        let (rows, features, labels, _) = output._unsafe.parts
        let d = featureCount, k = model.classes.count
        // One product per class, over the class's rows in this range.
        let members = FittedModelFile.placeRows(rows, layout: layout, classes: k, labels: labels)
        for c in 0..<k where !members[c].isEmpty {
            let x = FittedModelFile.correlatedNormals(members[c], firstRow: rows.lowerBound, factor: transposedFactors[c],
                                                      dimensions: d, samples: samples)
            let mean = means[c]
            for (t, r) in members[c].enumerated() {
                let out = features + r * d
                for j in 0..<d { out[j] = x[t * d + j] + mean[j] }
                model.columns?.apply(out, classIndex: c)
            }
        }
    }
}
