import Synth
import SynthctlCore

/// Which flag takes a file given to the wrong one: a fitted model
/// (`synthctl fit --out`) is sampled with `--model`; a dataset spec, or a
/// dataset's manifest.json (its spec inside), is generated with
/// `gen --spec`. The libraries name no flag (they read files, not command
/// lines), so the commands add the hint to the library's own message.
enum ModelFileHint {
    enum Kind: Equatable { case model, manifest, spec }

    /// What the file at `path` holds, told by its top-level fields; nil when
    /// it cannot be read or is none of the three.
    static func kind(of path: String) -> Kind? {
        guard case .object(let o)? = try? SpecLoader.load(path: path) else { return nil }
        if o["format"] == .string(GaussianClassModel.formatName) { return .model }
        if o["format_version"] != nil, o["spec"] != nil { return .manifest }
        if o["generator"] != nil || o["annotators"] != nil || o["noise"] != nil { return .spec }
        return nil
    }

    /// `FittedModelFile.generatorSpec(loading:)` for `--model`, with the
    /// flag that takes the file when it is a spec or a manifest instead.
    static func generatorSpec(loading path: String, manifestHint: String, specHint: String) throws -> [String: JSONValue] {
        do {
            return try FittedModelFile.generatorSpec(loading: path)
        } catch let e as SynthError {
            switch kind(of: path) {
            case .manifest?: throw SynthError("\(e.message); \(path) is a dataset's manifest, not a fitted model: \(manifestHint)")
            case .spec?: throw SynthError("\(e.message); \(path) is a dataset spec, not a fitted model: \(specHint)")
            default: throw e
            }
        }
    }

    /// Refuses a fitted model given to `--spec`, before its fields are
    /// read as a spec's ("classes: unknown field").
    static func checkSpec(_ spec: JSONValue, path: String) throws {
        guard case .object(let o) = spec, o["format"] == .string(GaussianClassModel.formatName) else { return }
        throw SynthError("\(path): expected a dataset spec (fields rows, seed, generator, noise, annotators), found a fitted model (format \"\(GaussianClassModel.formatName)\"); sample it with --model \(path)")
    }
}
