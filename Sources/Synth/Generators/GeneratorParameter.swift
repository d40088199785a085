import SynthctlCore

/// One parameter of a generator's spec: its name, its default, the values it
/// takes and what it does to the data.
///
/// A generator lists its parameters once (``SpecifiedGenerator/parameters``);
/// it reads them from its spec object through a ``GeneratorParameterReader``
/// built on that list, which keeps the value each one resolved to, and the
/// manifest's `generator` section is those values. So what a spec may say
/// and what the manifest writes back are the same list and cannot drift (a
/// test round-trips every registered generator: spec → manifest → spec).
public struct GeneratorParameter: Sendable {
    /// The values a parameter takes, with its default; what
    /// ``SpecObject``'s accessor of that kind checks (and words its message from).
    public enum Rule: Sendable {
        /// An integer in `min...max` (either bound optional).
        case integer(default: Int, min: Int? = nil, max: Int? = nil)
        /// A finite number within float32's range and the bounds; no default
        /// means the parameter is optional and written back as `null` when absent.
        case number(default: Double?, min: Double? = nil, max: Double? = nil,
                    exclusiveMin: Bool = false, exclusiveMax: Bool = false)
        /// `true` or `false`.
        case flag(default: Bool)
        /// Class proportions (see `resolveWeights`): balanced when absent,
        /// written back normalized.
        case weights
        /// Any JSON value the generator checks itself (a number or "random";
        /// a count or a list of centres), with the value an absent one means.
        case value(default: JSONValue?)
    }

    /// The key in the generator's spec object (`class_sep`).
    public let name: String
    public let rule: Rule
    /// What the parameter does to the data, in one line (for help and docs).
    public let summary: String

    public init(_ name: String, _ rule: Rule, _ summary: String) {
        self.name = name
        self.rule = rule
        self.summary = summary
    }
}

/// A generator built from a spec object by its parameter list: what the
/// registration list (``GeneratorRegistry``) makes.
protocol SpecifiedGenerator: DatasetGenerator {
    /// Every key the generator's spec object takes besides `type`, in the
    /// order they are read (which decides which of two bad fields is named).
    static var parameters: [GeneratorParameter] { get }
    /// Reads and checks `spec` (throwing on the first bad field); `rows`
    /// fixes the exact class counts and `seed` the drawn structure.
    init(spec: SpecObject, rows: Int, seed: UInt64) throws
}

/// Reads a generator's parameters from its spec object by their
/// descriptions, keeping the value each resolved to (the default where the
/// spec is silent) for the manifest.
///
/// Reading a name the list does not hold is a programming error (a trap);
/// ``finish()`` rejects unknown keys in the spec and returns the values.
struct GeneratorParameterReader {
    let spec: SpecObject
    let parameters: [GeneratorParameter]
    private var values: [String: JSONValue] = [:]

    init(_ spec: SpecObject, _ parameters: [GeneratorParameter]) {
        self.spec = spec
        self.parameters = parameters
    }

    private func rule(_ name: String) -> GeneratorParameter.Rule {
        guard let p = parameters.first(where: { $0.name == name }) else {
            preconditionFailure("generator parameter \(name) is not in the generator's parameter list")
        }
        return p.rule
    }

    mutating func int(_ name: String) throws -> Int {
        guard case .integer(let def, let lo, let hi) = rule(name) else { preconditionFailure("\(name) is not an integer parameter") }
        let v = try spec.int(name, default: def, min: lo, max: hi)
        values[name] = .int(v)
        return v
    }

    /// A number; nil when an optional one (no default) is absent or null.
    mutating func double(_ name: String) throws -> Double? {
        guard case .number(let def, let lo, let hi, let exclusiveMin, let exclusiveMax) = rule(name) else {
            preconditionFailure("\(name) is not a number parameter")
        }
        if def == nil && spec.raw(name) == nil { values[name] = .null; return nil }
        let v = try spec.double(name, default: def, min: lo, max: hi, exclusiveMax: exclusiveMax, exclusiveMin: exclusiveMin)
        values[name] = .double(v)
        return v
    }

    /// A number with a default.
    mutating func number(_ name: String) throws -> Double {
        guard let v = try double(name) else { preconditionFailure("\(name) has no default") }
        return v
    }

    mutating func bool(_ name: String) throws -> Bool {
        guard case .flag(let def) = rule(name) else { preconditionFailure("\(name) is not a flag parameter") }
        let v = try spec.bool(name, default: def)
        values[name] = .bool(v)
        return v
    }

    /// Class proportions for `classes` classes, normalized.
    mutating func weights(_ name: String = "weights", classes: Int) throws -> [Double] {
        guard case .weights = rule(name) else { preconditionFailure("\(name) is not a weights parameter") }
        let w = try resolveWeights(spec.doubles(name), classes: classes, spec: spec)
        values[name] = JSONValue(w)
        return w
    }

    /// The value as given, or the rule's default when absent; written back as
    /// it is unless ``record(_:_:)`` replaces it with what it resolved to.
    mutating func raw(_ name: String) -> JSONValue? {
        guard case .value(let def) = rule(name) else { preconditionFailure("\(name) is not a free-form parameter") }
        let v = spec.raw(name) ?? def
        values[name] = v ?? .null
        return v
    }

    /// A free-form parameter that has a default: the value as given, or that default.
    mutating func value(_ name: String) -> JSONValue {
        guard let v = raw(name) else { preconditionFailure("\(name) has no default") }
        return v
    }

    /// Sets what the manifest writes back for `name`: the value a free-form
    /// parameter resolved to (the centres drawn for `centers: 3`).
    mutating func record(_ name: String, _ value: JSONValue) {
        _ = rule(name)
        values[name] = value
    }

    /// Rejects keys the spec holds that no parameter read, and returns the
    /// resolved values (one per listed parameter).
    func finish() throws -> ResolvedParameters {
        try spec.finish()
        return resolved
    }

    /// The values read so far, without checking for unknown keys.
    var resolved: ResolvedParameters {
        assert(parameters.allSatisfy { values[$0.name] != nil }, "a listed generator parameter was never read")
        return ResolvedParameters(values: values)
    }
}

/// The values a generator's parameters resolved to: the manifest's
/// `generator` section without its `type`.
public struct ResolvedParameters: Sendable, Equatable {
    public let values: [String: JSONValue]

    /// The generator's resolved spec: these values and `type`.
    public func spec(type: String) -> JSONValue {
        var o = values
        o["type"] = .string(type)
        return .object(o)
    }
}
