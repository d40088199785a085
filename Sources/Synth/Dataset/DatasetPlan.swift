import SynthctlCore

/// Everything needed to produce a dataset: a validated spec turned into a
/// generator, a noise model and an annotator pool.
///
/// The spec is an object with `rows` (10000), `seed` (0), `generator`
/// (`{"type": "classification", ...}`), and optional `noise` and
/// `annotators` sections; see each type for its fields; and an optional
/// `shard` (`"2/8"`: write only part 2 of 8 of the rows, as `--shard`
/// does), which a shard's manifest records so that its spec regenerates
/// that shard. Unknown fields are errors.
public struct DatasetPlan: Sendable {
    public let rows: Int
    public let seed: UInt64
    /// The part of the rows to write, when the spec names one (``DatasetWriter/shard``
    /// starts from it).
    public let shard: Shard?
    public let generator: any DatasetGenerator
    public let noise: LabelNoise?
    public let annotators: AnnotatorPool?

    /// The most rows a dataset may have (2^40): row indices stay far below
    /// the random streams' 2^56 and every byte count below Int.max.
    public static let maxRows = 1 << 40

    /// Every generator type a spec can name, in order (``GeneratorRegistry``).
    public static var generatorTypes: [String] { GeneratorRegistry.types }

    /// The generator types whose rows have no class label (regression's
    /// targets, multilabel's indicator columns): a spec for them takes no
    /// `noise` or `annotators` section.
    public static var classlessGeneratorTypes: Set<String> { Set(GeneratorRegistry.all.filter { !$0.hasClasses }.map(\.type)) }

    /// The spec's sections that `generatorType` cannot take (`noise` and
    /// `annotators` for a classless generator) — for the command line,
    /// which drops them when `--generator` swaps a preset's classifier for
    /// regression or multilabel, and says so.
    public static func sectionsNotTaken(by generatorType: String, in spec: JSONValue) -> [String] {
        guard classlessGeneratorTypes.contains(generatorType), case .object(let o) = spec else { return [] }
        return ["noise", "annotators"].filter { o[$0] != nil && o[$0] != .null }
    }

    public init(spec: JSONValue, source: String) throws {
        let top = try SpecObject(spec, source: source, path: "")
        let rows = try top.int("rows", default: 10_000, min: 1, max: Self.maxRows)
        let seed = UInt64(try top.int("seed", default: 0, min: 0, max: Int.max))
        let generatorSpec = try top.object("generator") ?? SpecObject(.object([:]), source: source, path: "generator")
        let noiseSpec = try top.object("noise")
        let annotatorSpec = try top.object("annotators")
        let shard = try top.raw("shard").map { v -> Shard in
            guard case .string(let text) = v, let shard = try? Shard(parsing: text) else {
                throw top.fail("shard", "k/n with integers 1 ≤ k ≤ n (e.g. \"2/8\": part 2 of 8 of the rows)", found: v)
            }
            return shard
        }
        try top.finish()
        self.shard = shard

        let type = try generatorSpec.string("type", default: "classification", oneOf: Self.generatorTypes)
        let make: (Int) throws -> any DatasetGenerator = { n in
            let spec = try SpecObject(.object(generatorSpec.fields), source: source, path: "generator")
            _ = spec.raw("type")
            return try DatasetPlan.makeGenerator(type: type, spec: spec, rows: n, seed: seed)
        }
        let generator = try Self.makeGenerator(type: type, spec: generatorSpec, rows: rows, seed: seed)
        try Self.checkFiniteValues(generator, source: source)
        self.rows = rows
        self.seed = seed
        self.generator = generator

        let k = generator.classCount
        let annotatorCount = try annotatorSpec.map { try $0.int("count", default: 10, min: 1, max: 100_000) } ?? 0
        try MemoryBudget.current.check(Self.memoryEstimate(generator: generator, annotators: annotatorCount, path: annotatorSpec?.path),
                                       subject: source)
        if k > 0 {
            let prior = generator.classWeights
            noise = try LabelNoise(spec: noiseSpec, classes: k, prior: prior, seed: seed) {
                try make(LabelNoise.calibrationRows)
            }
            annotators = try annotatorSpec.map { try AnnotatorPool(spec: $0, classes: k, seed: seed) }
        } else {
            if noiseSpec != nil {
                throw SpecError(source: source, path: "noise", expected: "no label noise for the \(type) generator (it has no classes)", found: "a noise section")
            }
            if annotatorSpec != nil {
                throw SpecError(source: source, path: "annotators", expected: "no annotators for the \(type) generator (it has no classes)", found: "an annotators section")
            }
            noise = nil
            annotators = nil
        }
    }

    /// The spec that regenerates the dataset of a manifest (`manifest`,
    /// whose `spec` is `spec`): the spec itself, with the manifest's
    /// top-level `shard` added where the spec has none (manifests written
    /// before the spec recorded its shard), so that a shard's manifest
    /// writes that shard again, not all the rows.
    public static func regenerating(manifest: [String: JSONValue], spec: JSONValue) -> JSONValue {
        guard case .object(var o) = spec, o["shard"] == nil,
              case .object(let shard)? = manifest["shard"], case .int(let k)? = shard["index"], case .int(let n)? = shard["count"]
        else { return spec }
        o["shard"] = .string("\(k)/\(n)")
        return .object(o)
    }

    /// What writing the dataset holds besides the generator's own structure:
    /// the K × K noise matrices, every annotator's K × K confusion matrix,
    /// the realized counts of each block of a chunk, the manifest's copies of
    /// those matrices as JSON, and three chunks of rows in flight (see
    /// ``DatasetWriter``). Rows are streamed, so the row count is not a term.
    static func memoryEstimate(generator: any DatasetGenerator, annotators a: Int, path: String?) -> MemoryEstimate {
        let k = generator.classCount, akk = MemoryEstimate.product([a, k, k])
        let pool = "\(path ?? "annotators").count"
        var e = MemoryEstimate()
        Self.addClassPairs(to: &e, classes: k, field: "generator.classes")
        e.add("annotator confusion matrices (count × classes² × 16 bytes)", akk, 16, parameter: pool)
        e.add("realized answer counts per block of rows (68 × count × classes² × 8 bytes)", akk, 68 * 8, parameter: pool)
        e.add("the manifest's annotator matrices as JSON (count × classes² × 96 bytes)", akk, 96, parameter: pool)
        var values = generator.featureCount + 3 * min(k, 1) + a
        switch generator.labelKind {
        case .classes: values += 1
        case .indicators(let l), .targets(let l): values += l
        }
        e.add("three chunks of at least 2048 rows (3 × 2048 × \(values) values per row × 4 bytes)", 3 * 2048, values, 4,
              parameter: "generator.features")
        return e
    }

    /// The K × K matrices of any classifier's dataset — label noise and its
    /// cumulative form, the realized counts of each block of a chunk (up to
    /// 64 and their sums), the manifest's matrices as JSON — which the
    /// generators add to their own estimate, so that `classes: 1000000` is
    /// refused before any structure is drawn.
    static func addClassPairs(to e: inout MemoryEstimate, classes k: Int, field: String) {
        let kk = MemoryEstimate.product([k, k])
        e.add("noise transition matrices (classes² × 16 bytes)", kk, 16, parameter: field)
        e.add("realized label counts per block of rows (68 × classes² × 8 bytes)", kk, 68 * 8, parameter: field)
        e.add("the manifest's K × K matrices as JSON (classes² × 96 bytes)", kk, 96, parameter: field)
    }

    static func makeGenerator(type: String, spec: SpecObject, rows: Int, seed: UInt64) throws -> any DatasetGenerator {
        guard let registration = GeneratorRegistry.named(type) else {
            throw spec.fail("type", "one of " + generatorTypes.joined(separator: ", "), found: .string(type))
        }
        return try registration.makeGenerator(spec: spec, rows: rows, seed: seed)
    }

    /// The full spec with every default filled in: what the manifest records
    /// and what reproduces the dataset.
    public var resolvedSpec: JSONValue {
        var o: [String: JSONValue] = [
            "rows": .int(rows), "seed": .int(Int(seed)), "generator": generator.resolvedSpec,
        ]
        if let noise { o["noise"] = noise.resolvedSpec }
        if let annotators { o["annotators"] = annotators.resolvedSpec }
        if let shard { o["shard"] = shard.specValue }
        return .object(o)
    }
}
