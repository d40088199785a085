import Foundation
import SynthctlCore

/// A class-conditional Gaussian fitted to labeled rows: for each class its
/// share of the rows, its mean, and the Cholesky factor of its (shrunk)
/// covariance, so that sampling x = μ_c + L_c·z, z ~ N(0, I), draws from
/// N(μ_c, Σ_c). The shrinkage acts on each class's correlation
/// (``ShrunkCorrelation``): the fitted and sampled variances are the
/// class's own, whatever the columns' units, and a column constant within
/// a class stays constant there.
///
/// The simplest generator that keeps each class's location, spread and
/// correlations; what it cannot keep (non-Gaussian shapes, several modes
/// per class, heavy tails) is exactly what `synthctl compare` will show
/// against the human set. Saved as a small JSON with a format version and
/// its means and factors as safetensors beside it (``FittedModelFile``);
/// the manifest of every dataset sampled from it names the two files by
/// SHA-256.
public struct GaussianClassModel: Sendable, Equatable {
    public static let formatName = "synthctl-model"
    /// The version `synthctl fit` writes (``FittedModelFile/formatVersion``).
    public static let formatVersion = FittedModelFile.formatVersion
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

    /// What the shrinkage pulls each class's covariance toward: recorded in
    /// the model file (`shrinkage_target`), since λ means something else for
    /// each. The factors are sampled the same way under either, so a model
    /// file of either kind samples as it did when written.
    public enum ShrinkageTarget: String, Sendable, Equatable {
        /// μ·I, μ the class's average raw variance: the field is absent
        /// (files written before `shrinkage_target` existed).
        case averageVariance = "average_variance"
        /// The identity on the correlation scale, variances kept
        /// (``ShrunkCorrelation``): what `fit` writes now.
        case correlation
    }

    public let featureNames: [String]
    public let shrinkage: CovarianceShrinkage
    public let shrinkageTarget: ShrinkageTarget
    public let classes: [ClassPart]
    /// Each feature's type, range and categories (``FittedColumns``); nil
    /// for a model fitted without them (a file written before they existed).
    public var columns: FittedColumns? = nil

    public var featureCount: Int { featureNames.count }

    /// Fits every class that has rows; a class needs at least 2. Each
    /// fitted class is one step of `progress` (its covariance costs n·d²).
    public init(fitting x: Matrix, labels: [Int32], classNames: [String], featureNames: [String],
                shrinkage: CovarianceShrinkage = .ledoitWolf, source: String, progress: WorkProgress = .silent) throws {
        precondition(labels.count == x.rows && featureNames.count == x.columns)
        try FittedModelFile.checkFitMemory(rows: x.rows, classes: classNames.count, dimensions: x.columns, source: source)
        let d = x.columns
        let members = rowsByClass(labels, classes: classNames.count)
        let fitted = members.filter { !$0.isEmpty }.count  // the classes reported as they finish
        var parts = [ClassPart]()
        for (c, rows) in members.enumerated() where !rows.isEmpty {
            guard rows.count >= 2 else {
                throw InputError(file: source, field: "class \"\(classNames[c])\"", expected: "at least 2 rows to fit a covariance", found: "1")
            }
            let n = rows.count
            var mean = [Double](repeating: 0, count: d)
            for i in rows { for j in 0..<d { mean[j] += Double(x[i, j]) } }
            for j in 0..<d { mean[j] /= Double(n) }
            var centred = [Double](repeating: 0, count: n * d)
            for (r, i) in rows.enumerated() { for j in 0..<d { centred[r * d + j] = Double(x[i, j]) - mean[j] } }
            let shrunk = ShrunkCorrelation(ofCentred: centred, rows: n, dimensions: d, shrinkage: shrinkage)
            let lambda = shrunk.lambda
            let l: [Double]
            if shrunk.hasNoVariance {
                throw SingularCovarianceError(source: source, className: classNames[c], rows: n, featureCount: d, shrinkage: lambda,
                                              matrix: "covariance", cause: .noVariance)
            }
            do { l = try shrunk.choleskyFactor() } catch {
                throw SingularCovarianceError(source: source, className: classNames[c], rows: n, featureCount: d, shrinkage: lambda,
                                              matrix: "covariance", cause: .singular)
            }
            parts.append(ClassPart(name: classNames[c], weight: Double(n) / Double(x.rows), rows: n, mean: mean,
                                   cholesky: l, shrinkage: lambda))
            progress.step("classes fitted", of: fitted)
        }
        self.featureNames = featureNames
        self.shrinkage = shrinkage
        shrinkageTarget = .correlation
        classes = parts
    }

    public init(featureNames: [String], shrinkage: CovarianceShrinkage, shrinkageTarget: ShrinkageTarget = .correlation, classes: [ClassPart]) {
        self.featureNames = featureNames
        self.shrinkage = shrinkage
        self.shrinkageTarget = shrinkageTarget
        self.classes = classes
    }

    /// The `shrinkage_target` field: absent for ``ShrinkageTarget/averageVariance``,
    /// so a model read from an older file writes back the same fields.
    static func shrinkageTarget(_ v: JSONValue?, source: String) throws -> ShrinkageTarget {
        try FittedModelFile.addedField(v, "shrinkage_target", absent: .averageVariance, written: .correlation, source: source)
    }

    private func addingShrinkageTarget(to o: inout [String: JSONValue]) {
        if shrinkageTarget == .correlation { o["shrinkage_target"] = .string(shrinkageTarget.rawValue) }
    }

    /// Σ_c = L_c·L_cᵀ, row-major.
    public func covariance(ofClass c: Int) -> [Double] {
        let d = featureCount, l = classes[c].cholesky
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
        var o = FittedModelFile.header(model: Self.modelName, featureNames: featureNames)
        o["shrinkage"] = FittedModelFile.json(shrinkage)
        addingShrinkageTarget(to: &o)
        o["classes"] = .array(classes.map { part in
            .object([
                "name": .string(part.name), "weight": .double(part.weight), "rows": .int(part.rows),
                "mean": JSONValue(part.mean), "shrinkage": .double(part.shrinkage),
                "cholesky": FittedModelFile.json(cholesky: part.cholesky, order: featureCount),
            ])
        })
        FittedModelFile.add(columns, to: &o)
        return .object(o)
    }

    /// The two-file form (``FittedModelFile``): the JSON's small fields, and
    /// per class c the tensors `classes.c.mean` [d] and `classes.c.cholesky`
    /// [d, d] (lower-triangular, zeros above the diagonal).
    var files: (json: [String: JSONValue], tensors: [SafetensorsFile.Tensor]) {
        let d = featureCount
        var o = FittedModelFile.twoFileFields(model: Self.modelName, featureNames: featureNames, shrinkage: shrinkage,
                                              classes: classes.map { ($0.name, $0.weight, $0.rows, $0.shrinkage) })
        addingShrinkageTarget(to: &o)
        let tensors = classes.enumerated().flatMap { c, part in
            [SafetensorsFile.Tensor(name: "classes.\(c).mean", shape: [d], values: part.mean),
             SafetensorsFile.Tensor(name: "classes.\(c).cholesky", shape: [d, d], values: part.cholesky)]
        }
        FittedModelFile.add(columns, to: &o)
        return (o, tensors)
    }

    /// Reads the two-file form written by ``files``: the JSON's fields
    /// checked as ``init(json:source:)`` checks them, the numbers from `tensors`.
    init(json: JSONValue, tensors: SafetensorsFile, source: String) throws {
        let (o, names) = try FittedModelFile.read(json, model: Self.modelName, source: source, version: FittedModelFile.formatVersion)
        let d = names.count
        let shrinkage = try FittedModelFile.shrinkage(o["shrinkage"], source: source)
        let target = try Self.shrinkageTarget(o["shrinkage_target"], source: source)
        var parts = [ClassPart]()
        for (c, p) in try FittedModelFile.classList(o, source: source).enumerated() {
            let mean = try FittedModelFile.finite(tensors, "classes.\(c).mean", shape: [d])
            let l = try FittedModelFile.cholesky(tensors, "classes.\(c).cholesky", order: d)
            parts.append(ClassPart(name: p.name, weight: p.weight, rows: p.rows, mean: mean, cholesky: l,
                                   shrinkage: p.fields["shrinkage"]?.number ?? 0))
        }
        try FittedModelFile.checkDistinct(parts.map(\.name), source: source)
        featureNames = names
        self.shrinkage = shrinkage
        shrinkageTarget = target
        classes = parts
        columns = try FittedColumns(o["columns"], features: names.count, classes: parts.count, source: source)
    }

    /// Reads a model written by ``json``; every field is checked, and a bad
    /// one is named with what was expected.
    public init(json: JSONValue, source: String) throws {
        let (o, names) = try FittedModelFile.read(json, model: Self.modelName, source: source)
        let d = names.count
        let shrinkage = try FittedModelFile.shrinkage(o["shrinkage"], source: source)
        let target = try Self.shrinkageTarget(o["shrinkage_target"], source: source)
        guard case .array(let list)? = o["classes"], !list.isEmpty else {
            throw FittedModelFile.fail(source, "classes", "a non-empty list", o["classes"])
        }
        var parts = [ClassPart]()
        for (c, item) in list.enumerated() {
            let at = "classes[\(c)]"
            guard case .object(let p) = item else { throw FittedModelFile.fail(source, at, "an object", item) }
            guard case .string(let name)? = p["name"] else { throw FittedModelFile.fail(source, "\(at).name", "a string", p["name"]) }
            guard let weight = p["weight"]?.number, weight > 0, weight.isFinite else {
                throw FittedModelFile.fail(source, "\(at).weight", "a number > 0", p["weight"])
            }
            guard let mean = p["mean"]?.numbers, mean.count == d, mean.allSatisfy(\.isFinite) else {
                throw FittedModelFile.fail(source, "\(at).mean", FittedModelFile.count(d, "finite number"), p["mean"])
            }
            let l = try FittedModelFile.cholesky(p["cholesky"], order: d, field: "\(at).cholesky", source: source)
            let rowsFitted = p["rows"].flatMap { if case .int(let n) = $0 { return n } else { return nil } } ?? 0
            parts.append(ClassPart(name: name, weight: weight, rows: rowsFitted, mean: mean, cholesky: l,
                                   shrinkage: p["shrinkage"]?.number ?? 0))
        }
        try FittedModelFile.checkDistinct(parts.map(\.name), source: source)
        featureNames = names
        self.shrinkage = shrinkage
        shrinkageTarget = target
        classes = parts
        columns = try FittedColumns(o["columns"], features: names.count, classes: parts.count, source: source)
    }
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
