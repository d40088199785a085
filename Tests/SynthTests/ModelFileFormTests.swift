import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// The two-file model form (format_version 2): a small JSON and its
/// safetensors read back to the same model; the JSON's digest guards the
/// tensors; a generator spec naming the files samples what the inline
/// model (format_version 1, still read) samples.
@Suite struct ModelFileFormTests {
    static func data() -> (Matrix, [Int32]) {
        var x = Matrix(rows: 120, columns: 3), y = [Int32](repeating: 0, count: 120)
        let stream = RandomStream(seed: 5, .rows)
        for i in 0..<120 {
            y[i] = Int32(i % 2)
            for j in 0..<3 { x[i, j] = Float(stream.uniform(row: UInt64(i), draw: UInt32(j))) * Float(j + 1) + Float(y[i] * 2) }
        }
        return (x, y)
    }

    static func models() throws -> [(type: String, model: any Sendable, inline: JSONValue)] {
        let (x, y) = data()
        let names = ["u", "v", "w"], classes = ["a", "b"]
        let g = try GaussianClassModel(fitting: x, labels: y, classNames: classes, featureNames: names, source: "t")
        let c = try GaussianCopulaModel(fitting: x, labels: y, classNames: classes, featureNames: names, source: "t")
        let m = try GaussianMixtureModel(fitting: x, labels: y, classNames: classes, featureNames: names, components: 2, source: "t")
        return [("gaussian_model", g, g.json), ("copula_model", c, c.json), ("mixture_model", m, m.json)]
    }

    /// Writes the model's two files into a new directory; returns the JSON's path.
    static func write(_ model: any Sendable, name: String = "m") -> String {
        let d = temporaryDirectory()
        let files = FittedModelFile.files(of: model, tensorFile: "\(name).safetensors", schema: nil)
        FileManager.default.createFile(atPath: "\(d)/\(name).safetensors", contents: Data(files.tensors))
        FileManager.default.createFile(atPath: "\(d)/\(name).json", contents: Data(files.json))
        return "\(d)/\(name).json"
    }

    func plan(_ generator: [String: JSONValue]) throws -> DatasetPlan {
        try DatasetPlan(spec: .object(["rows": .int(300), "seed": .int(3), "generator": .object(generator)]), source: "spec.json")
    }

    func rows(_ plan: DatasetPlan) -> ([Float], [Int32]) {
        var x = [Float](repeating: 0, count: 300 * plan.generator.featureCount), y = [Int32](repeating: 0, count: 300)
        plan.generator.fill(rows: 0..<300, features: &x, labels: &y)
        return (x, y)
    }

    /// Both forms read to the same model and sample the same rows; the
    /// files form's manifest spec is a reference of a few fields.
    @Test func filesAndInlineFormsSampleTheSameRows() throws {
        for (type, model, inline) in try Self.models() {
            let path = Self.write(model)
            let spec = try FittedModelFile.generatorSpec(loading: path)
            #expect(spec == ["type": .string(type), "model_file": .string(path)])
            let fromFiles = try plan(spec)
            guard case .object(var inlineSpec) = inline else { Issue.record("not an object"); continue }
            inlineSpec["type"] = .string(type)
            let fromInline = try plan(inlineSpec)
            let (a, la) = rows(fromFiles), (b, lb) = rows(fromInline)
            #expect(a == b && la == lb, "\(type)")
            guard case .object(let written) = fromFiles.generator.resolvedSpec else { Issue.record("not an object"); continue }
            #expect(Set(written.keys) == ["type", "shuffle", "model_file", "model_sha256", "tensors_sha256"], "\(type)")
            #expect(written["model_file"] == .string("model.json"))
            #expect(written["tensors_sha256"] == .string(sha256Hex(Array(try Data(contentsOf: URL(fileURLWithPath: FittedModelFile.tensorPath(forModelAt: path)))))))
        }
    }

    /// The copy a dataset holds names its own tensors, and its bytes do not
    /// depend on the original's name: copying a copy changes nothing.
    @Test func theCopiedJSONIsTheSameWhateverTheModelWasCalled() throws {
        let model = try Self.models()[0].model
        let one = try FittedModelFile.load(GaussianClassModel.self, path: Self.write(model, name: "first"), sha256: nil, tensorsSHA256: nil)
        let two = try FittedModelFile.load(GaussianClassModel.self, path: Self.write(model, name: "second"), sha256: nil, tensorsSHA256: nil)
        #expect(one.model == two.model && one.model == model as? GaussianClassModel)
        let copy = one.files.copiedJSON(tensorsName: "model.safetensors")
        #expect(copy == two.files.copiedJSON(tensorsName: "model.safetensors"))
        let d = temporaryDirectory()
        FileManager.default.createFile(atPath: "\(d)/model.json", contents: Data(copy))
        try FileManager.default.copyItem(atPath: one.files.tensorsPath, toPath: "\(d)/model.safetensors")
        let again = try FittedModelFile.load(GaussianClassModel.self, path: "\(d)/model.json", sha256: sha256Hex(copy), tensorsSHA256: one.files.tensorsSHA256)
        #expect(again.model == one.model && again.files.copiedJSON(tensorsName: "model.safetensors") == copy)
        #expect(ModelFileReference.copyNames(forManifest: "manifest.json") == ("model.json", "model.safetensors"))
        #expect(ModelFileReference.copyNames(forManifest: "t.csv.manifest.json") == ("t.csv.model.json", "t.csv.model.safetensors"))
        #expect(ModelFileReference.copyNames(forManifest: "m.json") == ("m.model.json", "m.model.safetensors"))
    }

    /// Tensors that are not the ones the JSON names, gone, or damaged: one
    /// line naming the file, never a model built from them.
    @Test func theDigestGuardsTheTensors() throws {
        let model = try Self.models()[0].model
        let path = Self.write(model)
        let tensors = FittedModelFile.tensorPath(forModelAt: path)
        let good = try Array(Data(contentsOf: URL(fileURLWithPath: tensors)))
        let expected = sha256Hex(good)
        func load(sha256: String? = nil, tensorsSHA256: String? = nil) -> String? {
            errorMessage { _ = try FittedModelFile.load(GaussianClassModel.self, path: path, sha256: sha256, tensorsSHA256: tensorsSHA256) }
        }
        #expect(load() == nil)
        var changed = good
        changed[changed.count - 1] ^= 1  // the last bit of the last factor
        FileManager.default.createFile(atPath: tensors, contents: Data(changed))
        #expect(load() == "\(tensors): expected SHA-256 \(expected) (tensors.sha256 of \(path)), found \(sha256Hex(changed))")
        FileManager.default.createFile(atPath: tensors, contents: Data(good.prefix(100)))
        #expect(load()?.hasPrefix("\(tensors): expected SHA-256 \(expected) (tensors.sha256 of \(path)), found ") == true)
        try FileManager.default.removeItem(atPath: tensors)
        #expect(load() == "\(tensors): cannot read the tensors that \(path) names (no such file)")
        FileManager.default.createFile(atPath: tensors, contents: Data(good))
        let zeros = String(repeating: "0", count: 64)
        #expect(load(sha256: zeros) == "\(path): expected SHA-256 \(zeros) (the spec's model_sha256), found \(sha256Hex(try Array(Data(contentsOf: URL(fileURLWithPath: path)))))")
        #expect(load(tensorsSHA256: zeros) == "\(path): tensors.sha256: expected \(zeros) (the spec's tensors_sha256), found \(expected)")
        // A JSON that points outside its own directory is refused before anything is read there.
        var json = try #require({ if case .object(let o) = try SpecLoader.load(path: path) { o } else { nil } }())
        json["tensors"] = .object(["file": .string("../m.safetensors"), "sha256": .string(expected), "bytes": .int(good.count)])
        FileManager.default.createFile(atPath: path, contents: Data(JSONValue.object(json).serialized().utf8))
        #expect(load() == #"\#(path): tensors.file: expected a file name beside the model (no directory), found "../m.safetensors""#)
    }

    /// Tensors that hash right but hold what no fit writes (the digest
    /// vouches for bytes, not for sense): refused by the model's checks.
    @Test func wellFormedTensorsThatAreNoModelAreRefused() throws {
        let model = try #require(try Self.models()[0].model as? GaussianClassModel)
        let d = model.featureCount
        func message(_ change: (inout [SafetensorsFile.Tensor]) -> Void) throws -> String? {
            var parts = model.files
            change(&parts.tensors)
            let bytes = SafetensorsFile.encode(parts.tensors)
            var json = parts.json
            json["tensors"] = FittedModelFile.tensorField(file: "m.safetensors", sha256: sha256Hex(bytes), bytes: bytes.count)
            let dir = temporaryDirectory()
            FileManager.default.createFile(atPath: "\(dir)/m.safetensors", contents: Data(bytes))
            FileManager.default.createFile(atPath: "\(dir)/m.json", contents: Data(JSONValue.object(json).serialized().utf8))
            return errorMessage { _ = try FittedModelFile.load(GaussianClassModel.self, path: "\(dir)/m.json", sha256: nil, tensorsSHA256: nil) }?
                .replacingOccurrences(of: dir + "/", with: "")
        }
        #expect(try message { _ in } == nil)
        #expect(try message { $0[1] = .init(name: "classes.0.cholesky", shape: [d, d], values: [Double](repeating: 1, count: d * d)) }
            == "m.safetensors: classes.0.cholesky: expected zeros above the diagonal (a lower-triangular factor), found 1.0 at [0, 1]")
        #expect(try message { $0[1] = .init(name: "classes.0.cholesky", shape: [d, d], values: [Double](repeating: 0, count: d * d)) }
            == "m.safetensors: classes.0.cholesky: expected a positive diagonal (a Cholesky factor), found 0.0 at [0, 0]")
        #expect(try message { $0[0] = .init(name: "classes.0.mean", shape: [d], values: [.nan] + [Double](repeating: 0, count: d - 1)) }
            == "m.safetensors: classes.0.mean: expected finite numbers, found nan at index 0")
        #expect(try message { $0.removeLast() } == "m.safetensors: classes.1.cholesky: expected a tensor \"classes.1.cholesky\" of shape [3, 3], found none")
    }

    /// The copula's normal scores and the mixture's component weights, as
    /// hashed tensors no fit writes: refused, naming the tensor.
    @Test func copulaScoresAndMixtureWeightsThatNoFitWritesAreRefused() throws {
        let models = try Self.models()
        let copula = try #require(models[1].model as? GaussianCopulaModel)
        let mixture = try #require(models[2].model as? GaussianMixtureModel)
        func message<M: FittedModel>(_: M.Type, _ parts: (json: [String: JSONValue], tensors: [SafetensorsFile.Tensor]),
                                     _ change: (inout [SafetensorsFile.Tensor]) -> Void) -> String? {
            var tensors = parts.tensors
            change(&tensors)
            let bytes = SafetensorsFile.encode(tensors)
            var json = parts.json
            json["tensors"] = FittedModelFile.tensorField(file: "m.safetensors", sha256: sha256Hex(bytes), bytes: bytes.count)
            let dir = temporaryDirectory()
            FileManager.default.createFile(atPath: "\(dir)/m.safetensors", contents: Data(bytes))
            FileManager.default.createFile(atPath: "\(dir)/m.json", contents: Data(JSONValue.object(json).serialized().utf8))
            return errorMessage { _ = try FittedModelFile.load(M.self, path: "\(dir)/m.json", sha256: nil, tensorsSHA256: nil) }?
                .replacingOccurrences(of: dir + "/", with: "")
        }
        #expect(message(GaussianCopulaModel.self, copula.files) { _ in } == nil)
        #expect(message(GaussianMixtureModel.self, mixture.files) { _ in } == nil)
        let g = copula.files.tensors[0].shape[0]
        #expect(message(GaussianCopulaModel.self, copula.files) {
            $0[0] = .init(name: "classes.0.normal_scores", shape: [g], values: [Double](repeating: 0.5, count: g))
        } == "m.safetensors: classes.0.normal_scores: expected at least 2 increasing numbers, found \(g) numbers, not increasing")
        #expect(message(GaussianMixtureModel.self, mixture.files) {
            $0[0] = .init(name: "classes.0.component_weights", shape: [2], values: [0, 0])
        } == "m.safetensors: classes.0.component_weights: expected numbers ≥ 0, one of them > 0, found [0.0, 0.0]")
    }
}
