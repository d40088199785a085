import SynthctlCore

/// What every fitted model file shares: the header (format, format version,
/// model name, feature names), the shrinkage setting, and lower-triangular
/// Cholesky factors. Each model type reads and writes its own classes with these.
///
/// Two forms, told apart by `format_version`:
/// - **2, files** (what `synthctl fit` writes): a small JSON (header, class
///   names, weights and fitted row counts, shrinkage, schema) whose
///   `tensors` field names a safetensors file beside it, with its SHA-256
///   and size, holding every large numeric part as F64 tensors
///   (``SafetensorsFile``; see each model's `tensors`). Reading checks the
///   digest and copies the tensors' bytes into the factors: no decimal
///   parsing, no refactoring, so a 384-dimension, 50-class model starts
///   sampling in a fraction of a second where the inline form took 12 s.
/// - **1, inline**: one JSON holding every number, factors written row by
///   row (row i holds its first i + 1 entries). Model files of earlier
///   synthctl versions, and the manifests that embedded them, still read;
///   a generator spec may still carry such a model's fields.
public enum FittedModelFile {
    /// The version of the two-file form (a small JSON and its tensors).
    public static let formatVersion = 2
    /// The version of the one-JSON form (every number inline).
    public static let inlineFormatVersion = 1
    /// The version of the two-file form whose JSON has `columns`
    /// (``FittedColumns``): the same fields as ``formatVersion`` plus the
    /// column types, bumped so that a synthctl that would ignore them (and
    /// sample negative, fractional counts) refuses the file instead.
    public static let typedFormatVersion = 3

    /// Whether `v` is the version of the two-file form, with or without column types.
    static func isTwoFileVersion(_ v: JSONValue?) -> Bool { v == .int(formatVersion) || v == .int(typedFormatVersion) }

    /// Adds a model's column types to its JSON (two-file or inline form),
    /// bumping a two-file form's version to ``typedFormatVersion``.
    static func add(_ columns: FittedColumns?, to o: inout [String: JSONValue]) {
        guard let columns else { return }
        o["columns"] = columns.json
        if o["format_version"] == .int(formatVersion) { o["format_version"] = .int(typedFormatVersion) }
    }

    static func header(model: String, featureNames: [String], version: Int = inlineFormatVersion) -> [String: JSONValue] {
        ["format": .string(GaussianClassModel.formatName), "format_version": .int(version),
         "model": .string(model), "feature_names": JSONValue(featureNames)]
    }

    /// The JSON of the two-file form of a model whose classes are one
    /// Gaussian each (Gaussian, copula): the header, the shrinkage setting,
    /// and per class its name, weight, fitted rows and shrinkage.
    static func twoFileFields(model: String, featureNames: [String], shrinkage: CovarianceShrinkage,
                              classes: [(name: String, weight: Double, rows: Int, shrinkage: Double)]) -> [String: JSONValue] {
        var o = header(model: model, featureNames: featureNames, version: formatVersion)
        o["shrinkage"] = json(shrinkage)
        o["classes"] = .array(classes.map { part in
            .object(["name": .string(part.name), "weight": .double(part.weight), "rows": .int(part.rows), "shrinkage": .double(part.shrinkage)])
        })
        return o
    }

    /// A model file's field that cannot be used, as an ``InputError`` (a
    /// model file is an input): `source: field: expected E, found F`. The
    /// field is always named, never "top level" as a ``SpecError`` would
    /// render an empty path (`m.json: the model: expected a JSON object`).
    static func fail(_ source: String, _ field: String, _ expected: String, _ found: JSONValue?) -> InputError {
        InputError(file: source, field: field, expected: expected, found: shown(found))
    }

    /// A field that newer files write and older ones lack, telling which of
    /// two meanings a file's numbers have: absent, `absent` (what files meant
    /// before the field existed, so they still load and sample as before);
    /// else it must spell `written`.
    ///
    /// - Throws: ``InputError`` naming `field` and the value found.
    static func addedField<Kind: RawRepresentable>(_ v: JSONValue?, _ field: String, absent: Kind, written: Kind,
                                                   source: String) throws -> Kind where Kind.RawValue == String {
        switch v {
        case nil: return absent
        case .string(written.rawValue)?: return written
        case let other: throw fail(source, field, "\"\(written.rawValue)\" or no field", other)
        }
    }

    /// A value as JSON, cut to 60 characters; "nothing" for a missing one.
    static func shown(_ found: JSONValue?) -> String {
        found.map { v -> String in
            let s = v.serialized()
            return s.count > 60 ? String(s.prefix(57)) + "…" : s
        } ?? "nothing"
    }

    /// "1 finite number", "3 finite numbers": a count with its noun.
    static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

    /// Refuses a class name used twice, naming the repeated one and both
    /// places (not the whole `classes` list, which holds the factors).
    /// Names compare by bytes: NFC and NFD "é" are two classes.
    static func checkDistinct(_ names: [String], source: String) throws {
        var first = [[UInt8]: Int]()
        for (c, name) in names.enumerated() {
            if let earlier = first[Array(name.utf8)] {
                throw InputError(file: source, field: "classes[\(c)].name", expected: "a class name not used before",
                                 found: "\(shown(.string(name))), the name of classes[\(earlier)]")
            }
            first[Array(name.utf8)] = c
        }
    }

    /// Checks the header of a model file and returns its fields and feature names.
    /// `version`: the form expected (``inlineFormatVersion`` or ``formatVersion``).
    static func read(_ json: JSONValue, model: String, source: String,
                     version: Int = inlineFormatVersion) throws -> (fields: [String: JSONValue], featureNames: [String]) {
        guard case .object(let o) = json else { throw fail(source, "the model", "a JSON object", json) }
        guard o["format"] == .string(GaussianClassModel.formatName) else {
            throw fail(source, "format", "\"\(GaussianClassModel.formatName)\"", o["format"])
        }
        guard o["format_version"] == .int(version) || (version == formatVersion && isTwoFileVersion(o["format_version"])) else {
            let otherForm = version == formatVersion ? o["format_version"] == .int(inlineFormatVersion) : isTwoFileVersion(o["format_version"])
            let expected = otherForm
                ? "\(version) (\(version == formatVersion ? "a model file with its tensors" : "a model with every number inline"))"
                : "\(inlineFormatVersion), \(formatVersion) or \(typedFormatVersion) (this synthctl's model formats)"
            throw fail(source, "format_version", expected, o["format_version"])
        }
        guard o["model"] == .string(model) else { throw fail(source, "model", "\"\(model)\"", o["model"]) }
        guard case .array(let names)? = o["feature_names"], !names.isEmpty,
              case let strings = names.compactMap({ if case .string(let s) = $0 { return s } else { return nil } }),
              strings.count == names.count else {
            throw fail(source, "feature_names", "a non-empty list of strings", o["feature_names"])
        }
        // A repeated name would make two columns one (a manifest with two
        // "x0", a table with two columns of that name, compare matching by
        // name): refused here for every model kind, as class names are.
        var first = [[UInt8]: Int]()
        for (j, name) in strings.enumerated() {
            if let earlier = first[Array(name.utf8)] {
                throw InputError(file: source, field: "feature_names[\(j)]", expected: "a name not used before",
                                 found: "\(shown(.string(name))), the name of feature_names[\(earlier)]")
            }
            first[Array(name.utf8)] = j
        }
        return (o, strings)
    }

    /// The dominant allocations of fitting a class-conditional model to n
    /// rows of d features in k classes, c components each: the covariances
    /// and Cholesky factors (k × c × d², in Double, a few copies), the model's
    /// tensors (their values gathered, then the file's bytes), one
    /// class's centred rows, and for a mixture its responsibilities and
    /// weighted rows. Checked against ``MemoryBudget/current`` before fitting.
    static func checkFitMemory(rows n: Int, classes k: Int, dimensions d: Int, components c: Int = 1, source: String) throws {
        let matrices = MemoryEstimate.product([k, c, d, d])
        var e = MemoryEstimate()
        e.add("covariances and Cholesky factors (\(k) classes × \(c) components × \(d)² features × 8 bytes × 4)", matrices, 32,
              parameter: c > 1 ? "components" : nil)
        e.add("the model's tensors (\(k) classes × \(c) components × \(d)² features × 8 bytes × 2)", matrices, 16,
              parameter: c > 1 ? "components" : nil)
        e.add("a class's centred rows (\(n) rows × \(d) features × 8 bytes × 2)", n, d, 16)
        if c > 1 {
            e.add("responsibilities and weighted rows (\(n) rows × (\(c) components + \(d) features) × 8 bytes × 2)",
                  n, MemoryEstimate.sum([c, d]), 16, parameter: "components")
        }
        try MemoryBudget.current.check(e, subject: source)
    }

    static func shrinkage(_ v: JSONValue?, source: String) throws -> CovarianceShrinkage {
        switch v {
        case .string("ledoit-wolf")?: return .ledoitWolf
        case .double(let x)? where x >= 0 && x <= 1: return .fixed(x)
        case .int(let x)? where x == 0 || x == 1: return .fixed(Double(x))
        case let other: throw fail(source, "shrinkage", "\"ledoit-wolf\" or a number in [0, 1]", other)
        }
    }

    static func json(_ s: CovarianceShrinkage) -> JSONValue {
        switch s { case .ledoitWolf: .string("ledoit-wolf"); case .fixed(let v): .double(v) }
    }

    static func json(cholesky l: [Double], order d: Int) -> JSONValue {
        .array((0..<d).map { i in JSONValue(Array(l[(i * d)...(i * d + i)])) })
    }

    /// A d × d lower-triangular factor from its rows; the diagonal must be
    /// positive, except in a row of zeros (``admitsZeroRow(_:at:order:)``).
    static func cholesky(_ v: JSONValue?, order d: Int, field: String, source: String) throws -> [Double] {
        guard case .array(let rows)? = v, rows.count == d else {
            throw fail(source, field, "\(d) rows of a lower-triangular factor", v)
        }
        // Every row is checked before the d × d factor is allocated: the
        // file then holds d(d + 1)/2 numbers, so d cannot be a bare claim.
        var parsed = [[Double]]()
        for (i, row) in rows.enumerated() {
            guard case .array(let cells) = row, cells.count == i + 1, let values = row.numbers, values.allSatisfy(\.isFinite) else {
                throw fail(source, "\(field)[\(i)]", "\(count(i + 1, "finite number")) (row \(i) of a lower-triangular factor)", row)
            }
            parsed.append(values)
        }
        var l = [Double](repeating: 0, count: d * d)
        for (i, values) in parsed.enumerated() { for (j, x) in values.enumerated() { l[i * d + j] = x } }
        for i in 0..<d where !(l[i * d + i] > 0) && !admitsZeroRow(l, at: i, order: d) {
            throw fail(source, "\(field)[\(i)][\(i)]", "a positive diagonal entry", .double(l[i * d + i]))
        }
        return l
    }

    /// Whether row i of a lower-triangular factor may be all zeros: a
    /// feature constant within its class, which every sampled row keeps at
    /// the mean (``ShrunkCorrelation``). Only when the row is zero and some
    /// other row has a positive diagonal: a factor of zeros has nothing to
    /// sample, and `fit` refuses such a class.
    static func admitsZeroRow(_ l: [Double], at i: Int, order d: Int) -> Bool {
        (0...i).allSatisfy { l[i * d + $0] == 0 } && (0..<d).contains { l[$0 * d + $0] > 0 }
    }

    /// Lᵀ in Float, row-major, for z·Lᵀ through the reproducible product kernel.
    static func transposedFactor(_ l: [Double], order d: Int) -> [Float] {
        var t = [Float](repeating: 0, count: d * d)
        for i in 0..<d { for k in 0...i { t[k * d + i] = Float(l[i * d + k]) } }
        return t
    }

    /// The model's fields out of a generator spec (which adds `type` and `shuffle`).
    static func modelFields(_ spec: SpecObject, keys: [String]) -> [String: JSONValue] {
        var fields = [String: JSONValue]()
        for key in keys { if let v = spec.raw(key) { fields[key] = v } }
        return fields
    }

    /// What a model file holds: the ``InputError/expected`` of the error
    /// for a file that is JSON but not an object (the command line adds
    /// the command that writes one).
    public static let modelObject = "a model object"

    /// A model file's JSON with `schema`: the columns of the table the
    /// model was fitted on (their types, missing cells, the label's class
    /// names; ``TableSchema``), so that the file says what data it
    /// describes. Model files written before it have none and still load;
    /// the generator does not read it (``generatorSpec(loading:)``).
    public static func adding(schema: TableSchema?, to model: JSONValue) -> JSONValue {
        guard let schema, case .object(var o) = model else { return model }
        o["schema"] = schema.json
        return .object(o)
    }

    /// A model file (`synthctl fit --out`) as the generator spec that
    /// samples it. The two-file form becomes a reference, `{type,
    /// model_file}`, which the generator reads and checks (the file's bad
    /// fields named as its own). The inline form is checked whole here, so
    /// that a bad field is named as the file's own, with `type` added for
    /// its model (gaussian, mixture or copula).
    /// Its `schema`, when present, is checked and left out of the spec: it
    /// describes the data fitted, not the generator.
    public static func generatorSpec(loading path: String) throws -> [String: JSONValue] {
        guard case .object(var model) = try SpecLoader.load(path: path, document: "model file") else {
            throw InputError(file: path, expected: Self.modelObject, found: "another JSON value")
        }
        let type: String = switch model["model"] {
        case .string(GaussianMixtureModel.modelName)?: "mixture_model"
        case .string(GaussianCopulaModel.modelName)?: "copula_model"
        default: "gaussian_model"
        }
        if isTwoFileVersion(model["format_version"]), model["format"] == .string(GaussianClassModel.formatName) {
            // The two-file form: the generator reads it (once: its tensors
            // are the large part), so only the reference goes in the spec.
            // Standard input cannot be read again, nor has a directory.
            guard path != InputFile.standardInput else {
                throw InputError(file: path, field: "format_version", expected: "\(inlineFormatVersion) (a model with every number inline) on standard input",
                                 found: "\(model["format_version"].map { $0.serialized() } ?? "none"), a model whose tensors are a file: give the model's path")
            }
            return ["type": .string(type), "model_file": .string(path)]
        }
        if let schema = model.removeValue(forKey: "schema") {
            do { _ = try TableSchema(json: schema, source: path) } catch var e as InputError {
                e.field = "schema." + (e.field ?? "")
                throw e
            }
        }
        switch model["model"] {
        case .string(GaussianMixtureModel.modelName)?:
            _ = try GaussianMixtureModel(json: .object(model), source: path)
            model["type"] = .string("mixture_model")
        case .string(GaussianCopulaModel.modelName)?:
            _ = try GaussianCopulaModel(json: .object(model), source: path)
            model["type"] = .string("copula_model")
        default:
            _ = try GaussianClassModel(json: .object(model), source: path)
            model["type"] = .string("gaussian_model")
        }
        return model
    }

    static func source(_ spec: SpecObject) -> String { spec.path.isEmpty ? spec.source : "\(spec.source): \(spec.path)" }

    /// Exact class counts from the model's class weights (largest
    /// remainder), as every generator lays out its classes.
    static func layout(weights: [Double], rows: Int, shuffle: Bool, seed: UInt64) -> ClassLayout {
        let total = weights.reduce(0, +)
        return ClassLayout(rowCount: rows, weights: weights.map { $0 / total }, shuffle: shuffle, seed: seed)
    }

    /// Labels the output rows and groups their positions in the range by class.
    static func placeRows(_ rows: Range<Int>, layout: ClassLayout, classes k: Int, labels: UnsafeMutablePointer<Int32>?) -> [[Int]] {
        var members = [[Int]](repeating: [], count: k)
        for (r, row) in rows.enumerated() {
            let (label, _) = layout.place(row)
            labels?[r] = Int32(label)
            members[label].append(r)
        }
        return members
    }

    /// For the rows at positions `members` of a range starting at
    /// `firstRow`: each row's own normals z (its Philox row of `samples`),
    /// times Lᵀ through the reproducible product kernel. m × d, row t for
    /// members[t]; the bytes depend only on the rows and the factor, not on
    /// how rows are grouped.
    static func correlatedNormals(_ members: [Int], firstRow: Int, factor: [Float], dimensions d: Int,
                                  samples: RandomStream) -> [Float] {
        let m = members.count
        var z = [Float](repeating: 0, count: m * d), out = [Float](repeating: 0, count: m * d)
        z.withUnsafeMutableBufferPointer { zp in
            for (t, r) in members.enumerated() {
                _UnsafeNormalKernel.fill(stream: samples, row: UInt64(firstRow + r), out: UnsafeMutableBufferPointer(rebasing: zp[(t * d)..<((t + 1) * d)]))
            }
        }
        z.withUnsafeBufferPointer { zp in
            factor.withUnsafeBufferPointer { lp in
                out.withUnsafeMutableBufferPointer { op in
                    _UnsafeReproducibleProductKernel.run(m: m, n: d, k: d, a: zp.baseAddress!, lda: d,
                                                         b: lp.baseAddress!, ldb: d, c: op.baseAddress!, ldc: d, accumulate: false)
                }
            }
        }
        return out
    }
}

/// What the three fitted model types share: a file form, feature names and
/// named, weighted classes.
protocol FittedModel: Sendable {
    associatedtype Part: FittedClassPart
    /// The file's `model` field ("gaussian", "gaussian_copula", "gaussian_mixture").
    static var modelName: String { get }
    /// The top-level fields of the model file, which a generator spec carries
    /// (beside its own `type` and `shuffle`).
    static var fileKeys: [String] { get }
    init(json: JSONValue, source: String) throws
    /// The two-file form (``FittedModelFile``): the JSON's fields, the numbers from `tensors`.
    init(json: JSONValue, tensors: SafetensorsFile, source: String) throws
    /// The inline form (format_version 1), every number in the JSON.
    var json: JSONValue { get }
    var featureNames: [String] { get }
    var classes: [Part] { get }
}

protocol FittedClassPart {
    var name: String { get }
    var weight: Double { get }
}

extension GaussianClassModel: FittedModel {
    static var fileKeys: [String] { ["format", "format_version", "model", "feature_names", "shrinkage", "shrinkage_target", "classes", "columns"] }
}
extension GaussianClassModel.ClassPart: FittedClassPart {}
extension GaussianCopulaModel: FittedModel {
    static var fileKeys: [String] { ["format", "format_version", "model", "feature_names", "shrinkage", "classes", "columns"] }
}
extension GaussianCopulaModel.ClassPart: FittedClassPart {}
extension GaussianMixtureModel: FittedModel {
    static var fileKeys: [String] { ["format", "format_version", "model", "feature_names", "regularization", "classes", "columns"] }
}
extension GaussianMixtureModel.ClassPart: FittedClassPart {}

/// The generator side every fitted model shares: reading the model from a
/// generator spec, classes with weights, feature names, and a resolved spec
/// that is the model file plus `type` and `shuffle`.
protocol FittedModelGenerator: SpecifiedGenerator {
    associatedtype Model: FittedModel
    var model: Model { get }
    var shuffle: Bool { get }
    /// The files the model was read from, when a spec named them
    /// (`model_file`); nil for a model given inline.
    var modelFile: ModelFileReference? { get set }
    /// Samples `model` directly (for code that fits and samples in a loop).
    init(model: Model, rows: Int, seed: UInt64, shuffle: Bool)
}

extension FittedModelGenerator {
    /// `shuffle`, then the model file's fields: written back as the model
    /// writes itself (``FittedModel/json``), so a manifest's spec is a model file.
    /// (The other form of the spec, a reference to the model's files, is
    /// read before these: see ``init(spec:rows:seed:)``.)
    static var parameters: [GeneratorParameter] {
        [GeneratorParameter("shuffle", .flag(default: true), "random row order; false keeps rows grouped by class")]
            + Model.fileKeys.map { GeneratorParameter($0, .value(default: nil), "the model file's \($0) field") }
    }

    /// Spec, one of two forms, plus `shuffle` (true): random row order;
    /// false keeps rows grouped by class.
    /// - `model_file`: the path of a two-file model's JSON (format_version
    ///   2), with `model_sha256` and `tensors_sha256` (optional: checked
    ///   when given) — what `gen --model` makes and a manifest's spec holds,
    ///   its path relative to the manifest (``resolvingModelFile(in:relativeTo:)``);
    /// - or the model file's own fields inline (format_version 1).
    init(spec: SpecObject, rows: Int, seed: UInt64) throws {
        if case .string(let path)? = spec.raw("model_file") {
            let shuffle = try spec.bool("shuffle", default: true)
            func digest(_ key: String) throws -> String? {
                guard let v = spec.raw(key) else { return nil }
                guard case .string(let s) = v else { throw spec.fail(key, "a SHA-256 as hex", found: v) }
                return s
            }
            let (jsonSHA, tensorsSHA) = (try digest("model_sha256"), try digest("tensors_sha256"))
            try spec.finish()
            let (model, files) = try FittedModelFile.load(Model.self, path: path, sha256: jsonSHA, tensorsSHA256: tensorsSHA)
            self.init(model: model, rows: rows, seed: seed, shuffle: shuffle)
            modelFile = files
            return
        } else if let other = spec.raw("model_file") {
            throw spec.fail("model_file", "the path of a model file (a string)", found: other)
        }
        let shuffle = try spec.bool("shuffle", default: true)
        let fields = FittedModelFile.modelFields(spec, keys: Model.fileKeys)
        try spec.finish()
        self.init(model: try Model(json: .object(fields), source: FittedModelFile.source(spec)),
                  rows: rows, seed: seed, shuffle: shuffle)
    }

    public var featureCount: Int { model.featureNames.count }
    public var labelKind: LabelKind { .classes(count: model.classes.count) }
    public var featureNames: [String] { model.featureNames }
    public var classNames: [String] { model.classes.map(\.name) }
    public var classWeights: [Double] {
        let total = model.classes.reduce(0) { $0 + $1.weight }
        return model.classes.map { $0.weight / total }
    }

    /// The model inline, or for a model read from its files the reference
    /// to the copies a dataset holds (``ModelFileReference``).
    public var resolvedSpec: JSONValue {
        if let modelFile {
            var o = modelFile.specFields(names: ModelFileReference.copyNames(forManifest: "manifest.json"))
            o["type"] = .string(name)
            o["shuffle"] = .bool(shuffle)
            return .object(o)
        }
        guard case .object(var o) = model.json else { return model.json }
        o["type"] = .string(name)
        o["shuffle"] = .bool(shuffle)
        return .object(o)
    }
}
