import Foundation
import SynthctlCore

/// The two-file form of a fitted model (format_version 2): `m.json`, small
/// and human-readable, and `m.safetensors` beside it with every large
/// numeric part. The JSON's `tensors` field names the tensor file (a bare
/// file name, in the JSON's own directory) with its SHA-256 and size:
///
///     "tensors": {"file": "m.safetensors", "sha256": "…", "bytes": 59013128}
///
/// Reading checks the digest before trusting a byte of the tensors, and
/// refuses a mismatch with one line naming the file, the digest the JSON
/// expects and the one found.
extension FittedModelFile {
    /// Where `synthctl fit` puts the tensors of the model at `path`:
    /// `m.json` → `m.safetensors`, any other name gets `.safetensors` added.
    public static func tensorPath(forModelAt path: String) -> String {
        (path.hasSuffix(".json") ? String(path.dropLast(5)) : path) + ".safetensors"
    }

    /// The bytes of both files of `model` (a ``GaussianClassModel``,
    /// ``GaussianCopulaModel`` or ``GaussianMixtureModel``): the JSON,
    /// naming `tensorFile` (a bare name, the tensors' place beside it), with
    /// `schema` when given, and the safetensors file; with `fittedRows`, the
    /// JSON's `fitted_rows` and its tensor (``FittedRowsFingerprint``).
    public static func files(of model: any Sendable, tensorFile: String, schema: TableSchema?,
                             fittedRows: FittedRowsFingerprint? = nil) -> (json: [UInt8], tensors: [UInt8]) {
        var parts: (json: [String: JSONValue], tensors: [SafetensorsFile.Tensor])
        switch model {
        case let m as GaussianClassModel: parts = m.files
        case let m as GaussianCopulaModel: parts = m.files
        case let m as GaussianMixtureModel: parts = m.files
        default: preconditionFailure("not a fitted model: \(type(of: model))")
        }
        if let fittedRows { parts.tensors.append(fittedRows.tensor) }
        let tensors = SafetensorsFile.encode(parts.tensors, metadata: ["format": GaussianClassModel.formatName,
                                                                       "model": parts.json["model"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? ""])
        var json = parts.json
        json["tensors"] = tensorField(file: tensorFile, sha256: sha256Hex(tensors), bytes: tensors.count)
        json["schema"] = schema?.json
        json[FittedRowsFingerprint.field] = fittedRows?.json
        return (Array((JSONValue.object(json).serialized() + "\n").utf8), tensors)
    }

    static func tensorField(file: String, sha256: String, bytes: Int) -> JSONValue {
        .object(["file": .string(file), "sha256": .string(sha256), "bytes": .int(bytes)])
    }

    /// The JSON's `tensors` field: a bare file name (no directory: the
    /// tensors sit beside the JSON, which keeps a copied pair together), its
    /// SHA-256 (64 lower-case hex digits) and its size.
    static func tensorReference(_ o: [String: JSONValue], source: String) throws -> (file: String, sha256: String, bytes: Int) {
        guard case .object(let t)? = o["tensors"], case .string(let file)? = t["file"], case .string(let sha)? = t["sha256"],
              case .int(let bytes)? = t["bytes"], bytes >= 0 else {
            throw fail(source, "tensors", "{\"file\", \"sha256\", \"bytes\"}: the model's safetensors file", o["tensors"])
        }
        guard !file.isEmpty, !file.contains("/"), file != ".", file != ".." else {
            throw fail(source, "tensors.file", "a file name beside the model (no directory)", .string(file))
        }
        guard sha.utf8.count == 64, sha.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw fail(source, "tensors.sha256", "a SHA-256 as 64 lower-case hex digits", .string(sha))
        }
        return (file, sha, bytes)
    }

    /// The classes of a two-file model's JSON: each an object with a
    /// `name`, a `weight` > 0 and its fitted `rows`.
    static func classList(_ o: [String: JSONValue], source: String) throws -> [(name: String, weight: Double, rows: Int, fields: [String: JSONValue])] {
        guard case .array(let list)? = o["classes"], !list.isEmpty else { throw fail(source, "classes", "a non-empty list", o["classes"]) }
        return try list.enumerated().map { c, item in
            guard case .object(let p) = item, case .string(let name)? = p["name"] else { throw fail(source, "classes[\(c)].name", "a string", item) }
            guard let weight = p["weight"]?.number, weight > 0, weight.isFinite else {
                throw fail(source, "classes[\(c)].weight", "a number > 0", p["weight"])
            }
            let rows = p["rows"].flatMap { if case .int(let n) = $0 { return n } else { return nil } } ?? 0
            return (name, weight, rows, p)
        }
    }

    /// Tensor `name` of `shape`, every value finite.
    static func finite(_ tensors: SafetensorsFile, _ name: String, shape: [Int]) throws -> [Double] {
        let values = try tensors.values(name, shape: shape, field: name)
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw InputError(file: tensors.source, field: name, expected: "finite numbers", found: "\(values[i]) at index \(i)")
        }
        return values
    }

    /// `count` lower-triangular d × d factors stored one after another in
    /// tensor `name` ([d, d], or [count, d, d] when `count` is given): finite,
    /// with a positive diagonal (or a row of zeros, a constant feature:
    /// ``FittedModelFile/admitsZeroRow(_:at:order:)``) and zeros above it.
    static func cholesky(_ tensors: SafetensorsFile, _ name: String, order d: Int, count: Int? = nil) throws -> [[Double]] {
        let values = try finite(tensors, name, shape: (count.map { [$0] } ?? []) + [d, d])
        return try (0..<(count ?? 1)).map { f in
            let l = Array(values[(f * d * d)..<((f + 1) * d * d)])
            for i in 0..<d {
                guard l[i * d + i] > 0 || FittedModelFile.admitsZeroRow(l, at: i, order: d) else {
                    throw InputError(file: tensors.source, field: name, expected: "a positive diagonal (a Cholesky factor)", found: "\(l[i * d + i]) at [\(i), \(i)]")
                }
                if let j = ((i + 1)..<d).first(where: { l[i * d + $0] != 0 }) {
                    throw InputError(file: tensors.source, field: name, expected: "zeros above the diagonal (a lower-triangular factor)", found: "\(l[i * d + j]) at [\(i), \(j)]")
                }
            }
            return l
        }
    }

    static func cholesky(_ tensors: SafetensorsFile, _ name: String, order d: Int) throws -> [Double] {
        try cholesky(tensors, name, order: d, count: nil)[0]
    }

    /// Reads a two-file model at `path` (relative to the working
    /// directory) as `M`: its JSON, checked against `sha256` when given
    /// (a spec's `model_sha256`), then its tensors, checked against the
    /// JSON's digest (and `tensorsSHA256`, a spec's, when given), their size
    /// first checked against the memory budget.
    static func load<M: FittedModel>(_: M.Type, path: String, sha256: String?, tensorsSHA256: String?) throws -> (model: M, files: ModelFileReference) {
        let jsonBytes = try InputFile.contents(path)
        let jsonSHA = sha256Hex(jsonBytes)
        if let sha256, sha256 != jsonSHA {
            throw InputError(file: path, expected: "SHA-256 \(sha256) (the spec's model_sha256)", found: jsonSHA)
        }
        let loaded = try SpecLoader.load(path: path)
        var json = loaded
        if case .object(var o) = json, let schema = o.removeValue(forKey: "schema") {
            do { _ = try TableSchema(json: schema, source: path) } catch var e as InputError {
                e.field = "schema." + (e.field ?? "")
                throw e
            }
            json = .object(o)
        }
        // The fitted rows' fingerprint is for compare (FittedRowsFingerprint), not the generator.
        if case .object(var o) = json, o.removeValue(forKey: FittedRowsFingerprint.field) != nil { json = .object(o) }
        _ = try read(json, model: M.modelName, source: path, version: formatVersion)
        guard case .object(let o) = loaded else { throw fail(path, "the model", "a JSON object", json) }
        let reference = try tensorReference(o, source: path)
        let directory = (path as NSString).deletingLastPathComponent
        let tensorsPath = directory.isEmpty ? reference.file : "\(directory)/\(reference.file)"
        if let tensorsSHA256, tensorsSHA256 != reference.sha256 {
            throw InputError(file: path, field: "tensors.sha256", expected: "\(tensorsSHA256) (the spec's tensors_sha256)", found: reference.sha256)
        }
        try MemoryBudget.current.check(SpecMemory.estimate(forTensors: reference.bytes), subject: tensorsPath)
        let tensorBytes: [UInt8]
        do { tensorBytes = try InputFile.contents(tensorsPath) } catch let e as FileAccessError {
            throw FileAccessError(path: tensorsPath, problem: "cannot read the tensors that \(path) names", reason: e.reason ?? e.problem)
        }
        let found = sha256Hex(tensorBytes)
        guard found == reference.sha256 else {
            throw InputError(file: tensorsPath, expected: "SHA-256 \(reference.sha256) (tensors.sha256 of \(path))", found: found)
        }
        let tensors = try SafetensorsFile(bytes: tensorBytes, source: tensorsPath)
        let model = try M(json: json, tensors: tensors, source: path)
        return (model, ModelFileReference(fields: o, tensorsPath: tensorsPath, tensorsSHA256: reference.sha256, tensorBytes: reference.bytes))
    }

    /// `spec` (a dataset spec read from `specPath`) with its generator's
    /// `model_file`, when relative, taken relative to the spec's directory,
    /// as a manifest names the model copied beside it: `gen --spec
    /// DIR/manifest.json` reads DIR/model.json from any working directory.
    public static func resolvingModelFile(in spec: JSONValue, relativeTo specPath: String) -> JSONValue {
        guard case .object(var o) = spec, case .object(var g)? = o["generator"], case .string(let file)? = g["model_file"],
              !file.hasPrefix("/") else { return spec }
        let directory = (specPath as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return spec }
        g["model_file"] = .string("\(directory)/\(file)")
        o["generator"] = .object(g)
        return .object(o)
    }

    /// The rows a model was fitted on, summed over its classes (without
    /// overflow), from a generator spec made by ``generatorSpec(loading:)``:
    /// the classes inline, or the JSON its `model_file` names.
    public static func fittedRows(_ generator: [String: JSONValue]) throws -> Int {
        var classes = generator["classes"]
        if case .string(let path)? = generator["model_file"], case .object(let o) = try SpecLoader.load(path: path) { classes = o["classes"] }
        var counts = [Int]()
        if case .array(let list)? = classes {
            for case .object(let o) in list { if case .int(let n)? = o["rows"] { counts.append(n) } }
        }
        return MemoryEstimate.sum(counts)
    }
}

/// A fitted model a generator read from its two files: what a dataset
/// sampled from it copies beside its manifest and names in the manifest's
/// spec, so that the dataset regenerates itself (`gen --spec
/// DIR/manifest.json`).
///
/// The copies are named after the manifest (``copyNames(forManifest:)``):
/// `model.json` and `model.safetensors` in a dataset directory,
/// `t.csv.model.json` and `t.csv.model.safetensors` beside a table `t.csv`
/// (whose manifest is `t.csv.manifest.json`). The copied JSON is the
/// model's, re-serialized with `tensors.file` naming the copied tensors,
/// so its bytes depend only on the model and that name, and copying a copy
/// changes nothing; the tensors are copied byte for byte.
public struct ModelFileReference: Sendable {
    /// The JSON's fields, `schema` included.
    let fields: [String: JSONValue]
    /// Where the tensors were read; copied from there, their digest checked again.
    public let tensorsPath: String
    public let tensorsSHA256: String
    public let tensorBytes: Int

    /// The copies' names for a manifest named `manifestName` (a file name):
    /// its name without `manifest.json` (or `.json`), then `model.json` and
    /// `model.safetensors`; for a sharded dataset's part
    /// (`_part-0000k-of-0000n.parquet.manifest.json`) ``partCopyNames``.
    public static func copyNames(forManifest manifestName: String) -> (json: String, tensors: String) {
        if isPartManifest(manifestName) { return partCopyNames }
        let base = manifestName.hasSuffix("manifest.json") ? String(manifestName.dropLast("manifest.json".count))
            : manifestName.hasSuffix(".json") ? String(manifestName.dropLast(5)) + "." : manifestName + "."
        return (base + "model.json", base + "model.safetensors")
    }

    /// The one copy the parts of a sharded dataset share: every part
    /// writes the same bytes under these names into the dataset's
    /// directory, so that the parts' manifests name one model (file name
    /// and SHA-256) and describe one dataset, as they must to be read as
    /// one. A part's own copies would name their tensors after the part,
    /// which makes each part's `model_sha256` differ. `_` as the part
    /// manifests: readers of a Parquet dataset directory skip it.
    public static let partCopyNames = (json: "_model.json", tensors: "_model.safetensors")

    /// `_part-<digits>-of-<digits>.parquet.manifest.json`: the manifest of a
    /// sharded dataset's part.
    static func isPartManifest(_ name: String) -> Bool {
        guard name.hasPrefix("_part-"), name.hasSuffix(".parquet.manifest.json") else { return false }
        let numbers = name.dropFirst(6).dropLast(22).split(separator: "-of-", omittingEmptySubsequences: false)
        return numbers.count == 2 && numbers.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 &- 48 < 10 } }
    }

    /// The copied JSON's bytes, naming `tensorsName` as its tensors.
    public func copiedJSON(tensorsName: String) -> [UInt8] {
        var copy = fields
        copy["tensors"] = FittedModelFile.tensorField(file: tensorsName, sha256: tensorsSHA256, bytes: tensorBytes)
        return Array((JSONValue.object(copy).serialized() + "\n").utf8)
    }

    /// The generator spec's reference to the copies: the JSON's name and both digests.
    func specFields(names: (json: String, tensors: String)) -> [String: JSONValue] {
        ["model_file": .string(names.json), "model_sha256": .string(sha256Hex(copiedJSON(tensorsName: names.tensors))),
         "tensors_sha256": .string(tensorsSHA256)]
    }

    /// The tensors' bytes, read again from ``tensorsPath`` for the copy and
    /// refused if they changed since the model was read.
    public func tensorBytesForCopy() throws -> [UInt8] {
        let bytes = try InputFile.contents(tensorsPath)
        let found = sha256Hex(bytes)
        guard found == tensorsSHA256 else {
            throw InputError(file: tensorsPath, expected: "SHA-256 \(tensorsSHA256) (the tensors read a moment ago)", found: found)
        }
        return bytes
    }
}
