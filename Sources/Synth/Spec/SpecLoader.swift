import Foundation
import Yams

enum JSONDecoderBox {
    static func decode(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}

/// Reads a spec file: JSON, or YAML when the name ends in .yaml or .yml.
/// A name with neither ending nor `.json` (standard input `-`, a pipe such
/// as `<(…)`) is JSON when its text starts with `{`, YAML otherwise.
public enum SpecLoader {
    public static func load(path: String) throws -> JSONValue {
        guard let bytes = try? InputFile.read(path) else {
            throw SynthError("\(path): cannot read the spec file (\(FileErrorReason.probeForReading(path)))")
        }
        let data = Data(bytes)
        guard let text = String(data: data, encoding: .utf8) else {
            throw SynthError("\(path): expected UTF-8 text, found binary data")
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw SynthError("\(path): expected a spec object, found an empty file")
        }
        let lower = path.lowercased()
        let yaml = lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
            || (!lower.hasSuffix(".json") && text.drop { $0.isWhitespace }.first != "{")
        if yaml {
            do {
                return try YAMLDecoder().decode(JSONValue.self, from: text)
            } catch {
                throw SynthError("\(path): expected YAML, found a syntax error (\(Self.oneLine(error)))")
            }
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw SynthError("\(path): expected JSON, found a syntax error (\(Self.oneLine(error)))")
        }
        if let duplicate = data.withUnsafeBytes({ JSONValue.firstDuplicateKey(in: $0.bindMemory(to: UInt8.self)) }) {
            throw SynthError("\(path): \(duplicate.path.isEmpty ? "" : "\(duplicate.path): ")expected each key once in an object, found \"\(duplicate.key)\" twice")
        }
        return value
    }

    static func oneLine(_ error: Error) -> String {
        var text = "\(error)"
        if let d = error as? DecodingError {
            switch d {
            case .dataCorrupted(let c): text = c.underlyingError.map { "\($0)" } ?? c.debugDescription
            default: break
            }
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
