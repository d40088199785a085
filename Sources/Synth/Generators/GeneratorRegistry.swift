import SynthctlCore

/// One generator a spec can name: its `type`, a line for help, whether its
/// rows have class labels, and how it is made.
public struct GeneratorRegistration: Sendable {
    /// The spec's `generator.type` (`classification`) and the generator's ``DatasetGenerator/name``.
    public let type: String
    /// What it generates, in one line (`synthctl gen --help`).
    public let summary: String
    /// False for generators whose rows have no class label (regression's
    /// targets, multilabel's indicator columns): their specs take no `noise`
    /// or `annotators` section.
    public let hasClasses: Bool
    /// The keys its spec object takes besides `type` (``SpecifiedGenerator/parameters``).
    public let parameters: [GeneratorParameter]
    let make: @Sendable (SpecObject, Int, UInt64) throws -> any DatasetGenerator

    init<G: SpecifiedGenerator>(_ generator: G.Type, type: String, hasClasses: Bool = true, summary: String) {
        self.type = type
        self.summary = summary
        self.hasClasses = hasClasses
        self.parameters = G.parameters
        self.make = { try G(spec: $0, rows: $1, seed: $2) }
    }

    /// The generator for `spec` (a spec's `generator` object, `type` already
    /// read), for a dataset of `rows` rows drawn from `seed`.
    public func makeGenerator(spec: SpecObject, rows: Int, seed: UInt64) throws -> any DatasetGenerator {
        try make(spec, rows, seed)
    }
}

/// Every generator a spec can name, in the order help and messages list
/// them. Adding a generator is its file (a ``SpecifiedGenerator``) and one
/// line here; ``DatasetPlan``, `synthctl gen --generator` and its checks read
/// this list.
public enum GeneratorRegistry {
    public static let all: [GeneratorRegistration] = [
        .init(ClassificationGenerator.self, type: "classification",
              summary: "Gaussian clusters on hypercube vertices with redundant and useless features (make_classification)"),
        .init(BlobsGenerator.self, type: "blobs", summary: "isotropic Gaussian blobs, one class per centre (make_blobs)"),
        .init(MoonsGenerator.self, type: "moons", summary: "two interleaving half circles in 2-d (make_moons)"),
        .init(CirclesGenerator.self, type: "circles", summary: "two concentric circles in 2-d (make_circles)"),
        .init(RegressionGenerator.self, type: "regression", hasClasses: false,
              summary: "a linear target with known coefficients (make_regression)"),
        .init(MultilabelGenerator.self, type: "multilabel", hasClasses: false,
              summary: "bag-of-words rows with several labels each (make_multilabel_classification)"),
        .init(EmbeddingGenerator.self, type: "embedding",
              summary: "text- or image-like embeddings: long-tailed classes in superclasses, low-rank spread, unit length by default"),
        .init(GaussianModelGenerator.self, type: "gaussian_model", summary: "samples a fitted class-conditional Gaussian (synthctl fit --model gaussian)"),
        .init(CopulaModelGenerator.self, type: "copula_model", summary: "samples a fitted Gaussian copula (synthctl fit --model copula)"),
        .init(MixtureModelGenerator.self, type: "mixture_model", summary: "samples a fitted Gaussian mixture (synthctl fit --model mixture)"),
    ]

    /// The registration of `type`, or nil.
    public static func named(_ type: String) -> GeneratorRegistration? { all.first { $0.type == type } }

    /// Every `type`, in order.
    public static var types: [String] { all.map(\.type) }
}
