import Foundation
import Yams
import SynthctlCore

enum JSONDecoderBox {
    /// `text` as JSON, strictly (``JSONSyntax``): `--set` reads `[1, 2,]`
    /// as text, not as the array Foundation's lenient decoder would make.
    static func decode(_ text: String) throws -> JSONValue {
        if let problem = JSONSyntax.firstProblem(in: Array(text.utf8)) {
            throw ArgumentError(argument: "JSON value", expected: "JSON",
                                found: "a syntax error (line \(problem.line), column \(problem.column): \(problem.message))")
        }
        return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}

/// Reads a spec file: JSON, or YAML when the name ends in .yaml or .yml.
/// A name with neither ending nor `.json` (standard input `-`, a pipe such
/// as `<(…)`) is JSON when its text starts with `{`, YAML otherwise.
///
/// Both are refused, with one line, when they nest deeper than
/// ``NestingLimit/maximumDepth``. YAML anchors and aliases are refused: an
/// alias repeats a whole subtree, so ten lines of aliases to aliases ("billion
/// laughs") expand to 10³⁰ values and the decoder never finishes; a spec
/// never needs them (write the value twice). A YAML key that is not a
/// scalar (`? [a, b]`) is refused too (the decoder dropped it without a
/// word, where every unknown field is an error), and a key given twice in
/// YAML, as in JSON, is named with its line. A UTF-8 byte-order mark at the
/// start is skipped, as the table readers skip it (Windows editors write
/// one).
public enum SpecLoader {
    /// `document` names what the file is meant to be in the one line a
    /// file that cannot be read gets ("cannot read the model file"): a
    /// spec file by default; model files, schemas and manifests are read
    /// through here too.
    public static func load(path: String, document: String = "spec file") throws -> JSONValue {
        var bytes: [UInt8]
        do {
            bytes = try InputFile.readText(path)
        } catch let failure as InputFile.Failure {
            switch failure {
            case .missing, .directory, .unreadable:
                throw FileAccessError(path: path, problem: "cannot read the \(document)", reason: FileErrorReason.probeForReading(path))
            case .nul, .notUTF8:
                throw InputFile.error(path, failure)
            }
        }  // a MemoryLimitExceeded passes through: the budget's own message
        if bytes.starts(with: InputFile.utf8ByteOrderMark) { bytes.removeFirst(InputFile.utf8ByteOrderMark.count) }
        let lower = path.lowercased()
        // Decoding holds several times the file's size: checked before it
        // starts (counting YAML's separators too unless the text is JSON).
        let looksLikeJSON = !lower.hasSuffix(".yaml") && !lower.hasSuffix(".yml")
            && (lower.hasSuffix(".json") || bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "{"))
        try MemoryBudget.current.check(SpecMemory.estimate(for: bytes, json: looksLikeJSON), subject: path)
        let data = Data(bytes)
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, expected: "UTF-8 text", found: "binary data")
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw InputError(file: path, expected: "a spec object", found: "an empty file")
        }
        let yaml = lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
            || (!lower.hasSuffix(".json") && text.drop { $0.isWhitespace }.first != "{")
        if yaml {
            return try Self.yaml(text, path: path)
        }
        if let (line, column) = NestingLimit.firstTooDeep(json: data) {
            throw Self.tooDeep(path, format: "JSON", at: "line \(line), column \(column)")
        }
        // RFC 8259 strictly, with a position: the decoder takes a trailing
        // comma, and refuses NaN without saying where.
        if let problem = JSONSyntax.firstProblem(in: bytes) {
            throw InputError(file: path, expected: "JSON", found: "a syntax error (line \(problem.line), column \(problem.column): \(problem.message))")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw InputError(file: path, expected: "JSON", found: "a syntax error (\(Self.oneLine(error)))")
        }
        if let duplicate = data.withUnsafeBytes({ JSONValue.firstDuplicateKey(in: $0.bindMemory(to: UInt8.self)) }) {
            throw InputError(file: path, field: duplicate.path.isEmpty ? nil : duplicate.path,
                             expected: "each key once in an object", found: "\"\(duplicate.key)\" twice")
        }
        return value
    }

    /// Composes the YAML document (aliases are shared, not yet expanded),
    /// checks it, then decodes it as Yams' decoder would.
    static func yaml(_ text: String, path: String) throws -> JSONValue {
        do {
            let parser = try Parser(yaml: text, resolver: Resolver.basic.appending(.merge))
            // Nodes hold their anchors weakly; the parser keeps them alive.
            return try withExtendedLifetime(parser) {
                guard let node = try parser.singleRoot() else {
                    throw InputError(file: path, expected: "a spec object", found: "an empty document (only comments or blank lines)")
                }
                var anchors = Set<ObjectIdentifier>()
                try check(node, depth: 1, anchors: &anchors, path: path)
                return try YAMLDecoder().decode(JSONValue.self, from: node)
            }
        } catch let error as any SynthctlError {
            throw error
        } catch let error as YamlError {
            throw Self.error(error, path: path)
        } catch {
            throw InputError(file: path, expected: "YAML", found: "a syntax error (\(Self.oneLine(error)))")
        }
    }

    /// Depth first: refuses nesting beyond the limit and the second visit
    /// of an anchored node (an alias to it), before anything is expanded.
    static func check(_ node: Node, depth: Int, anchors: inout Set<ObjectIdentifier>, path: String) throws {
        let mark = node.mark.map { "line \($0.line), column \($0.column)" } ?? "an unknown position"
        let anchor: Anchor?
        switch node {
        case .scalar(let s): anchor = s.anchor
        case .mapping(let m): anchor = m.anchor
        case .sequence(let s): anchor = s.anchor
        case .alias(let a): anchor = a.anchor
        }
        if let anchor, !anchors.insert(ObjectIdentifier(anchor)).inserted {
            throw InputError(file: path, expected: "no YAML aliases in a spec",
                             found: "*\(anchor.rawValue) (the value anchored at \(mark)); write the value out instead")
        }
        guard depth <= NestingLimit.maximumDepth else {
            throw Self.tooDeep(path, format: "YAML", at: mark)
        }
        switch node {
        case .mapping(let m):
            for (key, value) in m {
                guard case .scalar = key else {
                    let at = key.mark.map { "line \($0.line), column \($0.column)" } ?? "an unknown position"
                    let what = if case .mapping = key { "a mapping" } else if case .sequence = key { "a sequence" } else { "an alias" }
                    throw InputError(file: path, field: at, expected: "a field name as the key",
                                     found: "\(what) (a spec's keys are names such as rows or generator)")
                }
                try check(key, depth: depth + 1, anchors: &anchors, path: path)
                try check(value, depth: depth + 1, anchors: &anchors, path: path)
            }
        case .sequence(let s):
            for item in s { try check(item, depth: depth + 1, anchors: &anchors, path: path) }
        case .scalar(let s) where s.style == .plain:
            // A plain number beyond the largest double (`class_sep: 1e400`):
            // YAML would read it as .inf, which was never written.
            if let d = SpecObject.decimal(s.string), d.isInfinite {
                throw InputError(file: path, field: mark, expected: SpecObject.withinDouble, found: SpecObject.shownBeyondDouble(s.string))
            }
        default: break
        }
    }

    /// A YAML error in the spec at `path`, as one short line: where, and
    /// what libyaml found, without the quoted source line (which may be any
    /// length).
    static func error(_ error: YamlError, path: String) -> InputError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            if problem.contains("Maximum nesting level") {
                return tooDeep(path, format: "YAML", at: "line \(mark.line), column \(mark.column)")
            }
            return InputError(file: path, expected: "YAML",
                              found: "a syntax error (line \(mark.line), column \(mark.column): \(context.map { "\($0.text): " } ?? "")\(problem))")
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = (duplicates.first ?? "").escapingControlCharacters
            return InputError(file: path, expected: "each key once in a mapping",
                              found: "\"\(key)\" more than once (first at line \(context.mark.line), column \(context.mark.column))")
        case let .reader(problem, offset, _, _):
            return InputError(file: path, expected: "YAML text",
                              found: "a character YAML does not allow\(offset.map { " at byte \($0)" } ?? "") (\(problem))")
        default:
            return InputError(file: path, expected: "YAML", found: "a syntax error (\(Self.oneLine(error)))")
        }
    }

    /// Text nested deeper than ``NestingLimit/maximumDepth``, in `format`
    /// (JSON or YAML), first too deep at `place` ("line 3, column 7").
    static func tooDeep(_ path: String, format: String, at place: String) -> InputError {
        InputError(file: path, expected: "\(format) nested at most \(NestingLimit.maximumDepth) levels deep", found: "deeper nesting at \(place)")
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
