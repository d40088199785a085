import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// Issue 14, item 6: one registration list of generators, and one
/// parameter description per generator from which both the spec reading and
/// the manifest's written-back `generator` section come.
@Suite struct GeneratorRegistryTests {
    /// A spec for every registered type: a small one of the type (defaults
    /// otherwise), and for the fitted types a model fitted to blobs.
    static func specs() throws -> [(type: String, generator: [String: JSONValue])] {
        let blobs = try BlobsGenerator(spec: SpecObject(.object(["centers": .int(3), "features": .int(3)]), source: "t", path: "generator"),
                                       rows: 90, seed: 4)
        var x = [Float](repeating: 0, count: 90 * 3), y = [Int32](repeating: 0, count: 90)
        blobs.fill(rows: 0..<90, features: &x, labels: &y)
        let matrix = Matrix(rows: 90, columns: 3, storage: x), classes = ["a", "b", "c"], names = ["f0", "f1", "f2"]
        func model(_ json: JSONValue) -> [String: JSONValue] {
            guard case .object(let o) = json else { Issue.record("a model that is not an object"); return [:] }
            return o
        }
        // Each model with its column types (the `columns` field), as `fit` writes it.
        func typed<M>(_ model: M, tails: Bool = false, _ set: (inout M, FittedColumns) -> Void) throws -> M {
            var m = model
            set(&m, try FittedColumns.encode(numeric: matrix, numericNames: names, numericTypes: [.numeric, .numeric, .numeric], categorical: [],
                                             labels: y, classCount: 3, tails: tails, seed: 0, source: "t").columns)
            return m
        }
        let fitted: [String: [String: JSONValue]] = [
            "gaussian_model": model(try typed(try GaussianClassModel(fitting: matrix, labels: y, classNames: classes, featureNames: names, source: "t")) {
                $0.columns = $1 }.json),
            "copula_model": model(try typed(try GaussianCopulaModel(fitting: matrix, labels: y, classNames: classes, featureNames: names, source: "t"),
                                            tails: true) { $0.columns = $1 }.json),
            "mixture_model": model(try typed(try GaussianMixtureModel(fitting: matrix, labels: y, classNames: classes, featureNames: names,
                                                                      components: 2, source: "t")) { $0.columns = $1 }.json),
        ]
        let small: [String: [String: JSONValue]] = [
            "classification": ["classes": .int(3), "informative": .int(3), "weights": JSONValue([0.5, 0.25]), "shift": .string("random"), "scale": .double(2)],
            "blobs": ["centers": .int(4), "cluster_std": .double(0.5)],
            "regression": ["features": .int(12), "informative": .int(3), "effective_rank": .int(4)],
            "multilabel": ["labels": .int(3)],
            "embedding": ["dim": .int(16), "classes": .int(6), "superclasses": .int(2)],
            "moons": ["noise": .int(0)],
        ]
        return GeneratorRegistry.all.map { r in (r.type, (fitted[r.type] ?? small[r.type] ?? [:]).merging(["type": .string(r.type)]) { $1 }) }
    }

    static func plan(_ generator: [String: JSONValue]) throws -> DatasetPlan {
        try DatasetPlan(spec: .object(["rows": .int(200), "seed": .int(7), "generator": .object(generator)]), source: "spec.json")
    }

    @Test func everyTypeIsRegisteredOnceWithASummary() {
        let types = GeneratorRegistry.types
        #expect(Set(types).count == types.count)
        #expect(types == DatasetPlan.generatorTypes)
        #expect(DatasetPlan.classlessGeneratorTypes == ["regression", "multilabel"])
        for r in GeneratorRegistry.all {
            #expect(!r.summary.isEmpty && !r.summary.contains("\n"), "\(r.type)")
            let names = r.parameters.map(\.name)
            #expect(Set(names).count == names.count && !names.contains("type"), "\(r.type): \(names)")
            #expect(r.parameters.allSatisfy { !$0.summary.isEmpty }, "\(r.type)")
        }
    }

    /// spec → manifest → spec: the manifest's `generator` section, read as
    /// a spec, makes a generator that writes back the same section and the
    /// same rows; its keys are exactly the listed parameters and `type`.
    @Test func everyRegisteredGeneratorRoundTripsItsParameters() throws {
        let specs = try Self.specs()
        #expect(specs.count == GeneratorRegistry.all.count)
        for (type, spec) in specs {
            let first = try Self.plan(spec)
            #expect(first.generator.name == type)
            let written = first.generator.resolvedSpec
            guard case .object(let section) = written else { Issue.record("\(type): not an object"); continue }
            let declared = GeneratorRegistry.named(type)!.parameters.map(\.name)
            #expect(Set(section.keys) == Set(declared + ["type"]), "\(type): \(section.keys.sorted()) vs \(declared.sorted())")
            let again = try Self.plan(section)
            #expect(again.generator.resolvedSpec == written, "\(type)")
            let (labelWidth, targetWidth): (Int, Int) = switch first.generator.labelKind {
            case .classes: (1, 0)
            case .indicators(let l): (l, 0)
            case .targets(let t): (0, t)
            }
            var a = [Float](repeating: 0, count: 20 * first.generator.featureCount), b = a
            var la = [Int32](repeating: 0, count: 20 * labelWidth), lb = la
            var ta = [Float](repeating: 0, count: 20 * targetWidth), tb = ta
            first.generator.fill(rows: 0..<20, features: &a, labels: &la, targets: &ta)
            again.generator.fill(rows: 0..<20, features: &b, labels: &lb, targets: &tb)
            #expect(a == b && la == lb && ta == tb, "\(type)")
        }
    }

    /// Defaults are what the descriptions say: an empty spec writes back
    /// each integer, number and flag parameter's declared default.
    @Test func defaultsComeFromTheDescriptions() throws {
        for r in GeneratorRegistry.all where !r.type.hasSuffix("_model") {
            let plan = try Self.plan(["type": .string(r.type)])
            guard case .object(let section) = plan.generator.resolvedSpec else { Issue.record("\(r.type)"); continue }
            for p in r.parameters {
                switch p.rule {
                case .integer(let d, _, _): #expect(section[p.name] == .int(d), "\(r.type).\(p.name)")
                case .number(let d?, _, _, _, _): #expect(section[p.name] == .double(d), "\(r.type).\(p.name)")
                case .number(nil, _, _, _, _): #expect(section[p.name] == .null, "\(r.type).\(p.name)")
                case .flag(let d): #expect(section[p.name] == .bool(d), "\(r.type).\(p.name)")
                case .weights, .value: #expect(section[p.name] != nil, "\(r.type).\(p.name)")
                }
            }
        }
    }

    /// A key no parameter lists is refused, naming the keys that are.
    @Test func anUnlistedKeyIsRefusedNamingTheListedOnes() throws {
        for r in GeneratorRegistry.all where !r.type.hasSuffix("_model") {
            #expect {
                try Self.plan(["type": .string(r.type), "colour": .string("red")])
            } throws: { error in
                let known = (r.parameters.map(\.name) + ["type"]).sorted().joined(separator: ", ")
                return "\(error)" == "spec.json: generator.colour: unknown field (known here: \(known))"
            }
        }
    }
}
