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
        } catch var e as InputError where e.expected == FittedModelFile.modelObject {
            e.expected += " (synthctl fit --out)"  // the command that writes one
            throw e
        } catch let e as any SynthctlError {
            switch kind(of: path) {
            case .manifest?: throw HintedError(e, hint: "\(path) is a dataset's manifest, not a fitted model: \(manifestHint)")
            case .spec?: throw HintedError(e, hint: "\(path) is a dataset spec, not a fitted model: \(specHint)")
            default: throw e
            }
        }
    }

    /// Refuses a fitted model given to `--spec`, before its fields are
    /// read as a spec's ("classes: unknown field").
    static func checkSpec(_ spec: JSONValue, path: String) throws {
        guard case .object(let o) = spec, o["format"] == .string(GaussianClassModel.formatName) else { return }
        throw HintedError(InputError(file: path, expected: "a dataset spec (fields rows, seed, generator, noise, annotators)",
                                      found: "a fitted model (format \"\(GaussianClassModel.formatName)\")"),
                          hint: "sample it with --model \(path)")
    }

    /// `read` (a table reader), with a hint when it fails on a fitted model
    /// given as a table (`score --table m.json`, `compare --synthetic
    /// m.json`): the table reader's own message ("line 1: expected one JSON
    /// object per line, found {") does not say what the file is.
    static func table<T>(_ path: String, _ read: () throws -> T) throws -> T {
        do { return try read() } catch let e as any SynthctlError {
            guard isFittedModel(path) else { throw e }
            throw HintedError(e, hint: "\(path) is a fitted model: sample it with gen --model \(path), or pass it as limits --model \(path)")
        }
    }

    /// Whether `path` is a fitted model (``kind(of:)``). Standard input
    /// cannot be read twice: never a model here.
    static func isFittedModel(_ path: String) -> Bool {
        path != InputFile.standardInput && kind(of: path) == .model
    }
}
