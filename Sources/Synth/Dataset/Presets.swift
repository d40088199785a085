import SynthctlCore

/// Named, documented datasets for `synthctl gen --preset NAME`.
public enum Presets {
    public struct Preset: Sendable {
        public let name: String
        public let summary: String
        public let spec: JSONValue
    }

    public static let all: [Preset] = [
        Preset(
            name: "default",
            summary: "10,000 rows, 20 features (5 informative), 3 classes, 10% flip noise, 10 annotators with 3 per row",
            spec: .object([
                "rows": .int(10_000), "seed": .int(0),
                "generator": .object(["type": .string("classification"), "features": .int(20), "informative": .int(5),
                                      "redundant": .int(3), "classes": .int(3), "class_sep": .double(1.5)]),
                "noise": .object(["type": .string("flip"), "rate": .double(0.1)]),
                "annotators": .object(["count": .int(10), "per_item": .int(3)]),
            ])),
        Preset(
            name: "crowd",
            summary: "2,000 items, 4 classes, a pool of 50 annotators (5 per item) with spammers and adversaries: for testing label aggregation",
            spec: .object([
                "rows": .int(2_000), "seed": .int(0),
                "generator": .object(["type": .string("classification"), "features": .int(10), "informative": .int(4),
                                      "classes": .int(4), "clusters_per_class": .int(1)]),
                "annotators": .object(["count": .int(50), "per_item": .int(5),
                                       "profiles": .object(["expert": .double(0.1), "average": .double(0.5),
                                                            "careless": .double(0.2), "spammer": .double(0.15),
                                                            "adversarial": .double(0.05)])]),
            ])),
        Preset(
            name: "embeddings",
            summary: "20,000 unit-norm 384-d embeddings, 50 long-tailed classes in 5 superclasses, 5% class-dependent noise",
            spec: .object([
                "rows": .int(20_000), "seed": .int(0),
                "generator": .object(["type": .string("embedding"), "dim": .int(384), "classes": .int(50),
                                      "superclasses": .int(5), "zipf": .double(1.1)]),
                "noise": .object(["type": .string("random"), "rate": .double(0.05)]),
            ])),
        Preset(
            name: "noisy-moons",
            summary: "2,000 two-moons points with 15% label noise concentrated near the class boundary",
            spec: .object([
                "rows": .int(2_000), "seed": .int(0),
                "generator": .object(["type": .string("moons"), "noise": .double(0.15)]),
                "noise": .object(["type": .string("boundary"), "rate": .double(0.15), "width": .double(0.5)]),
            ])),
        Preset(
            name: "regression",
            summary: "10,000 rows, 20 features of which 5 drive the target, residual standard deviation 1",
            spec: .object([
                "rows": .int(10_000), "seed": .int(0),
                "generator": .object(["type": .string("regression"), "features": .int(20), "informative": .int(5),
                                      "noise": .double(1.0)]),
            ])),
        Preset(
            name: "bench",
            summary: "1,000,000 rows × 128 features, 10 classes: the benchmark shape (scikit-learn's make_classification with 16 informative features)",
            spec: .object([
                "rows": .int(1_000_000), "seed": .int(0),
                "generator": .object(["type": .string("classification"), "features": .int(128), "informative": .int(16),
                                      "redundant": .int(8), "classes": .int(10)]),
            ])),
    ]

    public static func named(_ name: String) throws -> Preset {
        guard let p = all.first(where: { $0.name == name }) else {
            throw ArgumentError(argument: "preset", expected: "one of \(all.map(\.name).joined(separator: ", "))", found: "\"\(name)\"")
        }
        return p
    }
}

/// Applies `path=value` overrides to a spec: `generator.classes=5` sets that
/// field, creating objects on the way; the value is read as JSON when it
/// parses (numbers, true, [1, 2]) and as a string otherwise.
public func applyOverride(_ assignment: String, to spec: JSONValue) throws -> JSONValue {
    guard let eq = assignment.firstIndex(of: "=") else {
        throw ArgumentError(argument: "override", expected: "path=value (e.g. generator.classes=5)", found: "\"\(assignment)\"")
    }
    let path = assignment[..<eq].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    let text = String(assignment[assignment.index(after: eq)...])
    guard !path.isEmpty, path.allSatisfy({ !$0.isEmpty }) else {
        throw ArgumentError(argument: "override", expected: "a dotted field path before '='", found: "\"\(assignment)\"")
    }
    // A number beyond the largest double is refused as written (a decoder
    // reads no such number: it became the string "1e400"); an integer beyond
    // Int64 keeps its text, so that a message shows it as written.
    if let d = SpecObject.decimal(text), d.isInfinite {
        throw ArgumentError(argument: "override", value: assignment, expected: SpecObject.withinDouble, found: SpecObject.shownBeyondDouble(text))
    }
    let value = SpecObject.isIntegerLiteral(text) && Int(text) == nil ? .string(text) : (try? JSONDecoderBox.decode(text)) ?? .string(text)
    func set(_ node: JSONValue, _ rest: ArraySlice<String>) throws -> JSONValue {
        guard let key = rest.first else { return value }
        var fields: [String: JSONValue]
        switch node {
        case .object(let o): fields = o
        case .null: fields = [:]
        default: throw ArgumentError(argument: "override", value: assignment, expected: "\(key)'s parent to be an object", found: node.shortDescription)
        }
        fields[key] = try set(fields[key] ?? .null, rest.dropFirst())
        return .object(fields)
    }
    return try set(spec, path[...])
}
