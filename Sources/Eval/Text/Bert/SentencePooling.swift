import Foundation
import SynthctlCore

/// How sentence-transformers turns a text's token vectors into one
/// vector: the pooling of `1_Pooling/config.json`, then, when `modules.json`
/// lists a `Normalize` module after it, division by the L2 norm.
///
/// - mean: the average of the text's token vectors ([CLS] and [SEP]
///   included, as sentence-transformers averages every unmasked token);
/// - cls: the first token's vector;
/// - max: each component's largest value over the tokens.
///
/// Source: sentence-transformers `models/Pooling.py` and
/// `models/Normalize.py` (`torch.nn.functional.normalize`, ε = 1e-12).
public struct SentencePooling: Sendable, Equatable {
    public enum Mode: String, Sendable { case mean, cls, max }
    public let mode: Mode
    public let normalize: Bool

    public init(mode: Mode, normalize: Bool) {
        self.mode = mode
        self.normalize = normalize
    }

    /// Reads `modules.json` and the pooling module's `config.json` in `directory`.
    ///
    /// - Throws: ``InputError`` naming the file: no pooling module, a
    ///   module synthctl does not compute (a Dense layer, say), a pooling
    ///   of several modes or of another mode (weighted mean, last token,
    ///   mean of square-root length).
    public init(directory: String) throws {
        let modulesPath = URL(fileURLWithPath: directory).appendingPathComponent("modules.json").path
        func json(_ path: String) throws -> JSONValue {
            let bytes = try InputFile.contents(path)
            guard let v = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
                throw InputError(file: path, expected: "JSON", found: bytes.isEmpty ? "an empty file" : "text that is not")
            }
            return v
        }
        guard FileManager.default.fileExists(atPath: modulesPath) else {
            throw InputError(file: directory, expected: "a sentence-transformers model directory (modules.json, 1_Pooling/config.json)", found: "no modules.json")
        }
        guard case .array(let modules) = try json(modulesPath) else {
            throw InputError(file: modulesPath, expected: "a list of modules", found: "another JSON value")
        }
        var poolingPath: String?, normalize = false
        for (k, module) in modules.enumerated() {
            guard case .object(let m) = module, case .string(let type)? = m["type"] else {
                throw InputError(file: modulesPath, field: "module \(k)", expected: "an object with a type", found: module.compact.prefix(60).description)
            }
            switch type.split(separator: ".").last.map(String.init) ?? type {
            case "Transformer" where k == 0: continue
            case "Pooling" where poolingPath == nil:
                let sub: String = if case .string(let p)? = m["path"] { p } else { "1_Pooling" }
                poolingPath = URL(fileURLWithPath: directory).appendingPathComponent(sub).appendingPathComponent("config.json").path
            case "Normalize" where poolingPath != nil && !normalize: normalize = true
            default:
                throw InputError(file: modulesPath, field: "module \(k)", expected: "a Transformer, then a Pooling, then optionally a Normalize module",
                                 found: type)
            }
        }
        guard let poolingPath else {
            throw InputError(file: modulesPath, expected: "a Pooling module after the Transformer", found: "none")
        }
        guard case .object(let p) = try json(poolingPath) else {
            throw InputError(file: poolingPath, expected: "a JSON object (the pooling's settings)", found: "another JSON value")
        }
        let named: [(String, Mode?)] = [("pooling_mode_mean_tokens", .mean), ("pooling_mode_cls_token", .cls), ("pooling_mode_max_tokens", .max),
                                        ("pooling_mode_mean_sqrt_len_tokens", nil), ("pooling_mode_weightedmean_tokens", nil), ("pooling_mode_lasttoken", nil)]
        let on = named.filter { p[$0.0] == .bool(true) }
        guard on.count == 1, let mode = on[0].1 else {
            throw InputError(file: poolingPath, expected: "one pooling mode of mean, cls or max tokens",
                             found: on.isEmpty ? "none" : on.map(\.0).joined(separator: ", "))
        }
        self.init(mode: mode, normalize: normalize)
    }
}
