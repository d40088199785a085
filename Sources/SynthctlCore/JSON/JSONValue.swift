import Foundation

/// A JSON value with deterministic serialization: object keys sorted, floats
/// in their shortest round-trip form. Manifests and reports are built from it
/// so that the same inputs always produce the same bytes.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Serializes with two-space indentation and sorted keys.
    public func serialized(indent: Int = 0) -> String {
        var out = ""
        write(to: &out, indent: indent, pretty: true)
        return out
    }

    /// Serializes on one line (for JSON Lines).
    public var compact: String {
        var out = ""
        write(to: &out, indent: 0, pretty: false)
        return out
    }

    func write(to out: inout String, indent: Int, pretty: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += JSONValue.format(d)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            let flat = !pretty || items.allSatisfy(\.isScalar)
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += flat ? (pretty ? ", " : ",") : "," }
                if !flat { out += "\n" + String(repeating: "  ", count: indent + 1) }
                item.write(to: &out, indent: indent + 1, pretty: pretty)
            }
            if !flat { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{"
            for (i, key) in fields.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                JSONValue.quote(key, into: &out)
                out += pretty ? ": " : ":"
                fields[key]!.write(to: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    /// Shortest representation that reads back to the same Double; NaN and
    /// infinities, which JSON lacks, become null.
    package static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    package static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSONValue {
    public init(_ values: [Float]) { self = .array(values.map { .double(Double($0)) }) }
    public init(_ values: [Double]) { self = .array(values.map { .double($0) }) }
    public init(_ values: [Int]) { self = .array(values.map { .int($0) }) }
    public init(_ values: [String]) { self = .array(values.map { .string($0) }) }
    public init(_ matrix: [[Double]]) { self = .array(matrix.map { JSONValue($0) }) }
    public init(_ matrix: Matrix) { self = .array(matrix.nested.map { JSONValue($0) }) }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// A short description of the value's kind and content for error messages.
    /// NaN and infinities, which only YAML can write (JSON has no spelling for
    /// them), are shown as YAML spells them, with their meaning.
    public var shortDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .int(let i): return "\(i)"
        case .double(let d) where d.isNaN: return ".nan (NaN)"
        case .double(let d) where d.isInfinite: return d > 0 ? ".inf (infinity)" : "-.inf (minus infinity)"
        case .double(let d): return JSONValue.format(d)
        case .string(let s): return "\"\(s)\""
        case .array(let a): return "an array of \(a.count)"
        case .object: return "an object"
        }
    }
}

extension JSONValue: Decodable {
    /// Decodes any JSON (or YAML, through Yams' decoder) value. Booleans are
    /// tried first so that `true` never reads as 1, integers before doubles so
    /// that counts stay integers.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        if let o = try? c.decode([String: JSONValue].self) { self = .object(o); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
    }
}
