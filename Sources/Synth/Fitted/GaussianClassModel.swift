import Foundation

/// A class-conditional Gaussian fitted to labeled rows: for each class its
/// share of the rows, its mean, and the Cholesky factor of its (shrunk)
/// covariance, so that sampling x = μ_c + L_c·z, z ~ N(0, I), draws from
/// N(μ_c, Σ_c).
///
/// The simplest generator that keeps each class's location, spread and
/// correlations; what it cannot keep (non-Gaussian shapes, several modes
/// per class, heavy tails) is exactly what `synthctl compare` will show
/// against the human set. Saved as plain JSON with a format version, and
/// embedded whole in the manifest of every dataset sampled from it.
public struct GaussianClassModel: Sendable, Equatable {
    public static let formatName = "synthctl-model"
    public static let formatVersion = 1
    public static let modelName = "gaussian"

    public struct ClassPart: Sendable, Equatable {
        public let name: String
        /// Share of the fitted rows: the class's weight when sampling.
        public let weight: Double
        public let rows: Int
        public let mean: [Double]
        /// Lower-triangular, row-major d × d.
        public let cholesky: [Double]
        /// The shrinkage λ applied to this class's covariance.
        public let shrinkage: Double
    }

    public let featureNames: [String]
    public let shrinkage: CovarianceShrinkage
    public let classes: [ClassPart]

    public var dimensions: Int { featureNames.count }

    /// Fits every class that has rows; a class needs at least 2.
    public init(fitting x: Matrix, labels: [Int32], classNames: [String], featureNames: [String],
                shrinkage: CovarianceShrinkage = .ledoitWolf, source: String) throws {
        precondition(labels.count == x.rows && featureNames.count == x.columns)
        let d = x.columns
        var members = [[Int]](repeating: [], count: classNames.count)
        for (i, y) in labels.enumerated() { members[Int(y)].append(i) }
        var parts = [ClassPart]()
        for (c, rows) in members.enumerated() where !rows.isEmpty {
            guard rows.count >= 2 else {
                throw SynthError("\(source): class \"\(classNames[c])\": expected at least 2 rows to fit a covariance, found 1")
            }
            let n = rows.count
            var mean = [Double](repeating: 0, count: d)
            for i in rows { for j in 0..<d { mean[j] += Double(x[i, j]) } }
            for j in 0..<d { mean[j] /= Double(n) }
            var centred = [Double](repeating: 0, count: n * d)
            for (r, i) in rows.enumerated() { for j in 0..<d { centred[r * d + j] = Double(x[i, j]) - mean[j] } }
            var s = [Double](repeating: 0, count: d * d)
            centred.withUnsafeBufferPointer { cp in
                s.withUnsafeMutableBufferPointer { sp in BLAS.accumulateGram(cp.baseAddress!, rows: n, columns: d, into: sp.baseAddress!) }
            }
            for i in 0..<d { for j in i..<d { s[i * d + j] /= Double(n); s[j * d + i] = s[i * d + j] } }
            let (shrunk, lambda) = shrinkage.apply(centred: centred, rows: n, dimensions: d, covariance: s)
            let l: [Double]
            do { l = try LAPACK.cholesky(shrunk, order: d) } catch {
                throw SynthError("\(source): class \"\(classNames[c])\": expected a positive definite covariance, found a singular one (\(n) rows in \(d) dimensions, shrinkage \(lambda)); give a shrinkage above 0")
            }
            parts.append(ClassPart(name: classNames[c], weight: Double(n) / Double(x.rows), rows: n, mean: mean,
                                   cholesky: l, shrinkage: lambda))
        }
        self.featureNames = featureNames
        self.shrinkage = shrinkage
        classes = parts
    }

    public init(featureNames: [String], shrinkage: CovarianceShrinkage, classes: [ClassPart]) {
        self.featureNames = featureNames
        self.shrinkage = shrinkage
        self.classes = classes
    }

    /// Σ_c = L_c·L_cᵀ, row-major.
    public func covariance(ofClass c: Int) -> [Double] {
        let d = dimensions, l = classes[c].cholesky
        var out = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0...i {
            var s = 0.0
            for k in 0...j { s += l[i * d + k] * l[j * d + k] }
            out[i * d + j] = s
            out[j * d + i] = s
        } }
        return out
    }

    public var json: JSONValue {
        .object([
            "format": .string(Self.formatName), "format_version": .int(Self.formatVersion), "model": .string(Self.modelName),
            "feature_names": JSONValue(featureNames),
            "shrinkage": { switch shrinkage { case .ledoitWolf: .string("ledoit-wolf"); case .fixed(let v): .double(v) } }(),
            "classes": .array(classes.map { part in
                let d = dimensions
                return .object([
                    "name": .string(part.name), "weight": .double(part.weight), "rows": .int(part.rows),
                    "mean": JSONValue(part.mean), "shrinkage": .double(part.shrinkage),
                    "cholesky": .array((0..<d).map { i in JSONValue(Array(part.cholesky[(i * d)...(i * d + i)])) }),
                ])
            }),
        ])
    }

    /// Reads a model written by ``json``; every field is checked, and a bad
    /// one is named with what was expected.
    public init(json: JSONValue, source: String) throws {
        func fail(_ field: String, _ expected: String, _ found: JSONValue?) -> SynthError {
            SynthError("\(source): \(field): expected \(expected), found \(found.map(describe) ?? "nothing")")
        }
        guard case .object(let o) = json else { throw fail("the model", "a JSON object", json) }
        guard o["format"] == .string(Self.formatName) else { throw fail("format", "\"\(Self.formatName)\"", o["format"]) }
        guard o["format_version"] == .int(Self.formatVersion) else {
            throw fail("format_version", "\(Self.formatVersion) (this synthctl's model format)", o["format_version"])
        }
        guard o["model"] == .string(Self.modelName) else { throw fail("model", "\"\(Self.modelName)\"", o["model"]) }
        guard case .array(let names)? = o["feature_names"], !names.isEmpty,
              case let strings = names.compactMap({ if case .string(let s) = $0 { return s } else { return nil } }),
              strings.count == names.count else {
            throw fail("feature_names", "a non-empty list of strings", o["feature_names"])
        }
        let d = strings.count
        let shrinkage: CovarianceShrinkage
        switch o["shrinkage"] {
        case .string("ledoit-wolf")?: shrinkage = .ledoitWolf
        case .double(let v)? where v >= 0 && v <= 1: shrinkage = .fixed(v)
        case .int(let v)? where v == 0 || v == 1: shrinkage = .fixed(Double(v))
        case let other: throw fail("shrinkage", "\"ledoit-wolf\" or a number in [0, 1]", other)
        }
        guard case .array(let list)? = o["classes"], !list.isEmpty else { throw fail("classes", "a non-empty list", o["classes"]) }
        var parts = [ClassPart]()
        for (c, item) in list.enumerated() {
            let at = "classes[\(c)]"
            guard case .object(let p) = item else { throw fail(at, "an object", item) }
            guard case .string(let name)? = p["name"] else { throw fail("\(at).name", "a string", p["name"]) }
            guard let weight = p["weight"]?.number, weight > 0, weight.isFinite else { throw fail("\(at).weight", "a number > 0", p["weight"]) }
            guard let mean = p["mean"]?.numbers, mean.count == d, mean.allSatisfy(\.isFinite) else {
                throw fail("\(at).mean", "\(d) finite numbers", p["mean"])
            }
            guard case .array(let rows)? = p["cholesky"], rows.count == d else {
                throw fail("\(at).cholesky", "\(d) rows of a lower-triangular factor", p["cholesky"])
            }
            var l = [Double](repeating: 0, count: d * d)
            for (i, row) in rows.enumerated() {
                guard let values = row.numbers, values.count == i + 1, values.allSatisfy(\.isFinite) else {
                    throw fail("\(at).cholesky[\(i)]", "\(i + 1) finite numbers (row \(i) of a lower-triangular factor)", row)
                }
                for (j, v) in values.enumerated() { l[i * d + j] = v }
                guard values[i] > 0 else { throw fail("\(at).cholesky[\(i)][\(i)]", "a positive diagonal entry", .double(values[i])) }
            }
            let rowsFitted = p["rows"].flatMap { if case .int(let n) = $0 { return n } else { return nil } } ?? 0
            let lambda = p["shrinkage"]?.number ?? 0
            parts.append(ClassPart(name: name, weight: weight, rows: rowsFitted, mean: mean, cholesky: l, shrinkage: lambda))
        }
        guard Set(parts.map(\.name)).count == parts.count else { throw fail("classes", "distinct class names", o["classes"]) }
        featureNames = strings
        self.shrinkage = shrinkage
        classes = parts
    }
}

private func describe(_ v: JSONValue) -> String {
    let text = v.serialized()
    return text.count > 60 ? String(text.prefix(57)) + "…" : text
}

extension JSONValue {
    var number: Double? {
        switch self { case .double(let d): d; case .int(let i): Double(i); default: nil }
    }

    var numbers: [Double]? {
        guard case .array(let xs) = self else { return nil }
        let out = xs.compactMap(\.number)
        return out.count == xs.count ? out : nil
    }
}
