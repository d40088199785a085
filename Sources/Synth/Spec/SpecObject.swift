import SynthctlCore

/// Typed, path-aware reading of one object in a spec.
///
/// Every accessor names the field in its error (`spec.yaml: noise.rate:
/// expected a number in [0, 1), found 1.5`), and ``finish()`` rejects keys
/// nobody read, so a typo such as `informatve` is an error rather than a
/// silently ignored setting.
///
/// Numbers must be finite and within float32's range (|x| ≤
/// ``float32Limit``): the generators compute and store float32, where
/// `class_sep: 1e300` or `scale: 1e39` would become infinite and fill rows
/// with inf and NaN. YAML's `.nan`, `.inf` and `-.inf` are reported in
/// YAML's spelling (`found .nan (NaN)`).
public final class SpecObject {
    public let source: String
    public let path: String
    let fields: [String: JSONValue]
    private var used = Set<String>()

    public init(_ value: JSONValue, source: String, path: String) throws {
        self.source = source
        self.path = path
        guard case .object(let o) = value else {
            throw SpecError(source: source, path: path, expected: "an object", found: value.shortDescription)
        }
        self.fields = o
    }

    public func has(_ key: String) -> Bool { fields[key] != nil && fields[key] != .null }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func fail(_ key: String, _ expected: String, found: JSONValue?) -> SpecError {
        SpecError(source: source, path: name(key), expected: expected, found: found?.shortDescription ?? "nothing")
    }

    public func raw(_ key: String) -> JSONValue? {
        used.insert(key)
        let v = fields[key]
        return v == .null ? nil : v
    }

    /// The largest magnitude a spec number may have: float32's largest finite value.
    public static let float32Limit = Double(Float.greatestFiniteMagnitude)

    /// What a number beyond float32's range was expected to be.
    static let float32Expected = "a number within float32's range (|x| ≤ \(displayNumber(float32Limit)))"

    public func int(_ key: String, default def: Int? = nil, min lo: Int? = nil, max hi: Int? = nil) throws -> Int {
        let expected = "an integer" + Self.bounds(lo, hi)
        guard let v = raw(key) else {
            if let def { return def }
            throw fail(key, expected, found: nil)
        }
        let i: Int
        switch v {
        case .int(let x): i = x
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: i = Int(d)
        case .string(let s) where Int(s) != nil: i = Int(s)!
        case .string(let s) where Self.isIntegerLiteral(s):
            // Beyond Int64 (`--set seed=9223372036854775808` keeps its text): as written.
            throw SpecError(source: source, path: name(key), expected: expected, found: s)
        case .double(let d) where d == d.rounded() && abs(d) < 1e30:
            // An integer beyond Int64 that a JSON or YAML decoder read as a
            // Double: its digits, not 9.223372036854776e+18.
            throw SpecError(source: source, path: name(key), expected: expected, found: String(format: "%.0f", d))
        default: throw fail(key, expected, found: v)
        }
        if let lo, i < lo { throw fail(key, expected, found: v) }
        if let hi, i > hi { throw fail(key, expected, found: v) }
        return i
    }

    public func double(
        _ key: String, default def: Double? = nil, min lo: Double? = nil, max hi: Double? = nil,
        exclusiveMax: Bool = false, exclusiveMin: Bool = false
    ) throws -> Double {
        var expected = "a number"
        if let lo, let hi { expected += " in \(exclusiveMin ? "(" : "[")\(JSONValue.format(lo)), \(JSONValue.format(hi))\(exclusiveMax ? ")" : "]")" }
        else if let lo { expected += exclusiveMin ? " > \(JSONValue.format(lo))" : " ≥ \(JSONValue.format(lo))" }
        else if let hi { expected += " ≤ \(JSONValue.format(hi))" }
        guard let v = raw(key) else {
            if let def { return def }
            throw fail(key, expected, found: nil)
        }
        let d: Double
        switch v {
        case .int(let x): d = Double(x)
        case .double(let x): d = x
        case .string(let s) where Self.decimal(s) != nil: d = Self.decimal(s)!
        default: throw fail(key, expected, found: v)
        }
        guard d.isFinite else { throw fail(key, expected, found: v) }
        guard abs(d) <= Self.float32Limit else { throw fail(key, Self.float32Expected, found: v) }
        if let lo, exclusiveMin ? d <= lo : d < lo { throw fail(key, expected, found: v) }
        if let hi, exclusiveMax ? d >= hi : d > hi { throw fail(key, expected, found: v) }
        return d
    }

    public func bool(_ key: String, default def: Bool) throws -> Bool {
        guard let v = raw(key) else { return def }
        switch v {
        case .bool(let b): return b
        case .string("true"): return true
        case .string("false"): return false
        default: throw fail(key, "true or false", found: v)
        }
    }

    public func string(_ key: String, default def: String? = nil, oneOf allowed: [String]? = nil) throws -> String {
        let expected = allowed.map { "one of " + $0.joined(separator: ", ") } ?? "a string"
        guard let v = raw(key) else {
            if let def { return def }
            throw fail(key, expected, found: nil)
        }
        guard case .string(let s) = v else { throw fail(key, expected, found: v) }
        if let allowed, !allowed.contains(s) { throw fail(key, expected, found: v) }
        return s
    }

    /// A list of numbers, optionally of an exact length.
    public func doubles(_ key: String, count: Int? = nil) throws -> [Double]? {
        guard let v = raw(key) else { return nil }
        let expected = "a list of \(count.map(String.init) ?? "") numbers".replacingOccurrences(of: "of  ", with: "of ")
        guard case .array(let items) = v else { throw fail(key, expected, found: v) }
        var out = [Double]()
        for item in items {
            switch item {
            case .int(let i): out.append(Double(i))
            case .double(let d) where d.isFinite && abs(d) <= Self.float32Limit: out.append(d)
            case .double(let d) where d.isFinite: throw fail(key, Self.float32Expected, found: item)
            default: throw fail(key, expected, found: item)
            }
        }
        if let count, out.count != count { throw fail(key, expected, found: v) }
        return out
    }

    /// A matrix given as a list of equal-length rows of numbers.
    public func matrix(_ key: String, rows: Int, columns: Int) throws -> [[Double]]? {
        guard let v = raw(key) else { return nil }
        let expected = "a \(rows)×\(columns) matrix (a list of \(rows) rows of \(columns) numbers)"
        guard case .array(let items) = v, items.count == rows else { throw fail(key, expected, found: v) }
        var out = [[Double]]()
        for (r, item) in items.enumerated() {
            guard case .array(let cells) = item, cells.count == columns else {
                throw SpecError(source: source, path: "\(name(key))[\(r)]", expected: "a row of \(columns) numbers", found: item.shortDescription)
            }
            var row = [Double]()
            for cell in cells {
                switch cell {
                case .int(let i): row.append(Double(i))
                case .double(let d) where d.isFinite && abs(d) <= Self.float32Limit: row.append(d)
                case .double(let d) where d.isFinite:
                    throw SpecError(source: source, path: "\(name(key))[\(r)]", expected: Self.float32Expected, found: cell.shortDescription)
                default: throw SpecError(source: source, path: "\(name(key))[\(r)]", expected: "numbers", found: cell.shortDescription)
                }
            }
            out.append(row)
        }
        return out
    }

    public func object(_ key: String) throws -> SpecObject? {
        guard let v = raw(key) else { return nil }
        return try SpecObject(v, source: source, path: name(key))
    }

    /// Rejects any key that was never read.
    public func finish() throws {
        let unknown = Set(fields.keys).subtracting(used).sorted()
        if let first = unknown.first {
            throw UnknownFieldError(source: source, path: name(first), known: used.sorted())
        }
    }

    /// What a spec number must be, written beyond the largest double (which
    /// a decoder would read as infinity, or not at all), as JSON's is.
    static let withinDouble = "a number within float64's range (magnitude at most 1.8e308)"

    /// A number beyond the largest double as a message shows it: at most 40 characters.
    static func shownBeyondDouble(_ text: String) -> String {
        let shown = text.count > 40 ? String(text.prefix(40)) + "… (\(text.count) characters)" : text
        return "\(shown), beyond the largest double"
    }

    /// Whether `text` is a decimal integer (an optional sign and digits).
    static func isIntegerLiteral(_ text: String) -> Bool {
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func bounds(_ lo: Int?, _ hi: Int?) -> String {
        switch (lo, hi) {
        case let (lo?, hi?): return " in [\(lo), \(hi)]"
        case let (lo?, nil): return " ≥ \(lo)"
        case let (nil, hi?): return " ≤ \(hi)"
        default: return ""
        }
    }

    /// A number written as text in decimal notation (`2`, `-0.5`, `1e-3`),
    /// as a spec may quote one; nil for anything else. Swift's `Double(_:)`
    /// also reads hexadecimal (`0x10`), `inf` and `nan`, which no spec means.
    static func decimal(_ text: String) -> Double? {
        var sawDigit = false, sawExponent = false, previous: Character? = nil
        for c in text {
            switch c {
            case "0"..."9": sawDigit = true
            case ".": if sawExponent { return nil }
            case "e", "E": if sawExponent || !sawDigit { return nil }; sawExponent = true
            case "+", "-": if !(previous == nil || previous == "e" || previous == "E") { return nil }
            default: return nil
            }
            previous = c
        }
        return sawDigit ? Double(text) : nil
    }
}
