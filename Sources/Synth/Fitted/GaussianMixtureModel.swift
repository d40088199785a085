import Foundation
import SynthctlCore

/// A class-conditional Gaussian mixture: each class is a weighted sum of
/// components N(μ, Σ), fitted by EM from a seeded k-means++ start. Where a
/// single Gaussian per class smears several modes into one ellipsoid (and
/// puts mass between them), the mixture keeps them apart.
///
/// EM runs on each class's columns standardized by their own standard
/// deviations, and its result is scaled back, so that neither the
/// k-means++ start (Euclidean distances) nor the regularization depends on
/// the columns' units: fitting x and 1000·x gives the same components up
/// to the scale. A column constant within the class is left out of EM and
/// kept constant (its rows of the means are the class's value, its rows of
/// the factors 0), never divided by.
///
/// EM stops when the mean log-likelihood per row improves by less than
/// 1e-6 or after 200 iterations. Every step runs in a fixed order (Gram
/// matrices and Mahalanobis products through ``ReproducibleDoubleProducts``,
/// ``ReproducibleCholesky``, synthctl's own exp and log), so the iteration
/// EM stops at, and the model file, are the same on every CPU. Every
/// component covariance gets `regularization`·σ_j² added to each column's
/// variance (σ_j² the class's variance of column j), so a component that
/// collapses onto a few rows stays positive definite. scikit-learn's
/// `GaussianMixture` adds an absolute `reg_covar` (1e-6) to every
/// variance, which is nothing to a column in thousands and a wide spread to
/// one in thousandths; relative to each column it is the same 1e-6 on
/// standardized columns, whatever the units. Components are stored like
/// the Gaussian model's classes: weight, mean, Cholesky factor.
public struct GaussianMixtureModel: Sendable, Equatable {
    public static let modelName = "gaussian_mixture"

    public struct Component: Sendable, Equatable {
        public let weight: Double
        public let mean: [Double]
        public let cholesky: [Double]
    }

    /// What each component's regularization is relative to: recorded in
    /// the model file (`regularization`); either samples the same way.
    public enum Regularization: String, Sendable, Equatable {
        /// `regularization`·μ on every variance, μ the class's average raw
        /// variance, EM on raw columns: the field is absent (files written
        /// before it existed).
        case averageVariance = "average_variance"
        /// `regularization`·σ_j² on column j, EM on standardized columns:
        /// what `fit` writes now.
        case columnVariance = "column_variance"
    }

    public struct ClassPart: Sendable, Equatable {
        public let name: String
        public let weight: Double
        public let rows: Int
        public let components: [Component]
        public let iterations: Int
        public let logLikelihood: Double
    }

    public let featureNames: [String]
    public let regularizationScale: Regularization
    public let classes: [ClassPart]
    /// Each feature's type, range and categories (``FittedColumns``); nil
    /// for a model fitted without them (a file written before they existed).
    public var columns: FittedColumns? = nil
    public var featureCount: Int { featureNames.count }

    public init(fitting x: Matrix, labels: [Int32], classNames: [String], featureNames: [String], components k: Int,
                regularization: Double = 1e-6, seed: UInt64 = 0, source: String, progress: WorkProgress = .silent) throws {
        precondition(k >= 1)
        try FittedModelFile.checkFitMemory(rows: x.rows, classes: classNames.count, dimensions: x.columns, components: k, source: source)
        let d = x.columns
        let members = rowsByClass(labels, classes: classNames.count)
        var parts = [ClassPart]()
        for (c, rows) in members.enumerated() where !rows.isEmpty {
            let n = rows.count
            // n ≥ 2k, without forming 2k (k comes from --components, any Int).
            guard k <= n / 2 else {
                let needed = k.multipliedReportingOverflow(by: 2)
                throw InputError(file: source, field: "class \"\(classNames[c])\"",
                                 expected: "at least \(needed.overflow ? "2 × \(k)" : String(needed.partialValue)) rows for \(k) components", found: "\(n)")
            }
            // The class's mean and standard deviation of each column; EM
            // runs on the m columns that vary, standardized.
            var centre = [Double](repeating: 0, count: d), spread = [Double](repeating: 0, count: d)
            for i in rows { for j in 0..<d { centre[j] += Double(x[i, j]) } }
            for j in 0..<d { centre[j] /= Double(n) }
            for i in rows { for j in 0..<d { let t = Double(x[i, j]) - centre[j]; spread[j] += t * t } }
            for j in 0..<d { spread[j] = (spread[j] / Double(n)).squareRoot() }
            let varying = (0..<d).filter { spread[$0] > 0 }
            let m = varying.count
            guard m > 0 else {
                throw SingularCovarianceError(source: source, className: classNames[c], rows: n, featureCount: d, shrinkage: 0,
                                              matrix: "covariance", cause: .noVariance)
            }
            var data = [Double](repeating: 0, count: n * m)
            for (r, i) in rows.enumerated() {
                for (t, j) in varying.enumerated() { data[r * m + t] = (Double(x[i, j]) - centre[j]) / spread[j] }
            }
            let fit = try Self.em(data, rows: n, dimensions: m, components: k, regularization: regularization,
                                  stream: RandomStream(seed: seed, .mixtureStarts, index: c),
                                  source: source, className: classNames[c])
            // Back to the columns' units: μ_j = centre_j + s_j·μ'_j, L = diag(s)·L'; a constant column's mean is its value, its rows 0.
            let components = fit.components.map { comp in
                var mean = centre, l = [Double](repeating: 0, count: d * d)
                for (a, i) in varying.enumerated() {
                    mean[i] = centre[i] + spread[i] * comp.mean[a]
                    for (b, j) in varying.enumerated() where b <= a { l[i * d + j] = spread[i] * comp.cholesky[a * m + b] }
                }
                return Component(weight: comp.weight, mean: mean, cholesky: l)
            }
            // The per-row log-likelihood in the columns' units: the standardized one minus Σ log s_j over the varying columns.
            let logScale = varying.reduce(0.0) { $0 + polynomialLog(spread[$1]) }
            parts.append(ClassPart(name: classNames[c], weight: Double(n) / Double(x.rows), rows: n, components: components,
                                   iterations: fit.iterations, logLikelihood: fit.logLikelihood - logScale))
            progress.step("classes fitted", of: members.count)
        }
        self.featureNames = featureNames
        regularizationScale = .columnVariance
        classes = parts
    }

    /// EM on n rows (row-major Double) from a k-means++ start.
    static func em(_ x: [Double], rows n: Int, dimensions d: Int, components k: Int, regularization: Double,
                   stream: RandomStream, source: String, className: String) throws -> (components: [Component], iterations: Int, logLikelihood: Double) {
        func distance2(_ i: Int, _ centre: [Double]) -> Double {
            var s = 0.0
            for j in 0..<d { let t = x[i * d + j] - centre[j]; s += t * t }
            return s
        }
        // k-means++: the first centre uniform, each next one with probability ∝ squared distance to the nearest chosen.
        let first = stream.integer(below: n, row: 0, draw: 0)
        var centres = [Array(x[(first * d)..<(first * d + d)])]
        var nearest = (0..<n).map { distance2($0, centres[0]) }
        while centres.count < k {
            let total = nearest.reduce(0, +)
            var pick = n - 1
            if total > 0 {
                var u = stream.uniform(row: UInt64(centres.count), draw: 1) * total
                for i in 0..<n { u -= nearest[i]; if u < 0 { pick = i; break } }
            } else { pick = stream.integer(below: n, row: UInt64(centres.count), draw: 2) }
            let centre = Array(x[(pick * d)..<(pick * d + d)])
            centres.append(centre)
            for i in 0..<n { nearest[i] = min(nearest[i], distance2(i, centre)) }
        }
        // Responsibilities from the nearest centre, then EM.
        var resp = [Double](repeating: 0, count: n * k)
        for i in 0..<n {
            var best = 0
            for c in 1..<k where distance2(i, centres[c]) < distance2(i, centres[best]) { best = c }
            resp[i * k + best] = 1
        }
        // Each column's variance over the rows, the scale of its regularization.
        var overall = [Double](repeating: 0, count: d), columnVariance = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { overall[j] += x[i * d + j] } }
        for j in 0..<d {
            let m = overall[j] / Double(n)
            var v = 0.0
            for i in 0..<n { v += (x[i * d + j] - m) * (x[i * d + j] - m) }
            columnVariance[j] = max(v / Double(n), 1e-12)
        }
        var components = [Component]()
        var previous = -Double.infinity, iterations = 0, logLikelihood = -Double.infinity
        let logTwoPi = polynomialLog(2 * Double.pi)
        while true {
            // M-step.
            components = []
            for c in 0..<k {
                var nk = 0.0, mean = [Double](repeating: 0, count: d)
                for i in 0..<n { let r = resp[i * k + c]; nk += r; for j in 0..<d { mean[j] += r * x[i * d + j] } }
                nk = max(nk, 1e-12)
                for j in 0..<d { mean[j] /= nk }
                // Σ r_i (x_i − μ)(x_i − μ)ᵀ as the Gram matrix of the rows √r_i·(x_i − μ).
                var weighted = [Double](repeating: 0, count: n * d)
                for i in 0..<n {
                    let w = resp[i * k + c].squareRoot()
                    for j in 0..<d { weighted[i * d + j] = w * (x[i * d + j] - mean[j]) }
                }
                var cov = ReproducibleDoubleProducts.gram(weighted, rows: n, columns: d)
                for a in 0..<d {
                    for b in a..<d { cov[a * d + b] /= nk; cov[b * d + a] = cov[a * d + b] }
                    cov[a * d + a] += regularization * columnVariance[a]
                }
                let l: [Double]
                do { l = try ReproducibleCholesky.factor(cov, order: d) } catch {
                    throw InputError(file: source, field: "class \"\(className)\"", expected: "positive definite component covariances",
                                     found: "a singular one; fit fewer components")
                }
                components.append(Component(weight: nk / Double(n), mean: mean, cholesky: l))
            }
            // E-step: log N(x | μ, Σ) through the Cholesky factor, log-sum-exp over components.
            let logDet = components.map { comp in (0..<d).reduce(0.0) { $0 + 2 * polynomialLog(comp.cholesky[$1 * d + $1]) } }
            // Mahalanobis terms of every row for each component: ‖L⁻¹(x − μ)‖²,
            // one fixed-order product of the centred rows with L⁻ᵀ per component.
            var logs = [Double](repeating: 0, count: n * k)
            var centred = [Double](repeating: 0, count: n * d)
            for c in 0..<k {
                let comp = components[c]
                for i in 0..<n { for j in 0..<d { centred[i * d + j] = x[i * d + j] - comp.mean[j] } }
                let y = ReproducibleDoubleProducts.timesTransposedLower(centred, rows: n,
                                                                       lower: ReproducibleCholesky.inverse(ofLower: comp.cholesky, order: d), order: d)
                let constant = polynomialLog(max(comp.weight, 1e-300)) - 0.5 * (Double(d) * logTwoPi + logDet[c])
                for i in 0..<n {
                    var q = 0.0
                    for j in 0..<d { q += y[i * d + j] * y[i * d + j] }
                    logs[i * k + c] = constant - 0.5 * q
                }
            }
            var total = 0.0
            for i in 0..<n {
                var top = -Double.infinity
                for c in 0..<k { top = max(top, logs[i * k + c]) }
                var sum = 0.0
                for c in 0..<k { sum += polynomialExp(logs[i * k + c] - top) }
                let lse = top + polynomialLog(sum)
                total += lse
                for c in 0..<k { resp[i * k + c] = polynomialExp(logs[i * k + c] - lse) }
            }
            logLikelihood = total / Double(n)
            iterations += 1
            if logLikelihood - previous < 1e-6 || iterations >= 200 { break }
            previous = logLikelihood
        }
        return (components, iterations, logLikelihood)
    }

    public var json: JSONValue {
        var o = FittedModelFile.header(model: Self.modelName, featureNames: featureNames)
        addingRegularization(to: &o)
        o["classes"] = .array(classes.map { part in
            .object([
                "name": .string(part.name), "weight": .double(part.weight), "rows": .int(part.rows),
                "iterations": .int(part.iterations), "log_likelihood_per_row": .double(part.logLikelihood),
                "components": .array(part.components.map { comp in
                    .object(["weight": .double(comp.weight), "mean": JSONValue(comp.mean),
                             "cholesky": FittedModelFile.json(cholesky: comp.cholesky, order: featureCount)])
                }),
            ])
        })
        FittedModelFile.add(columns, to: &o)
        return .object(o)
    }

    /// The two-file form (``FittedModelFile``): the JSON's small fields
    /// (with each class's component count), and per class c the tensors
    /// `classes.c.component_weights` [K], `classes.c.means` [K, d] and
    /// `classes.c.cholesky` [K, d, d].
    var files: (json: [String: JSONValue], tensors: [SafetensorsFile.Tensor]) {
        let d = featureCount
        var o = FittedModelFile.header(model: Self.modelName, featureNames: featureNames, version: FittedModelFile.formatVersion)
        addingRegularization(to: &o)
        o["classes"] = .array(classes.map { part in
            .object(["name": .string(part.name), "weight": .double(part.weight), "rows": .int(part.rows),
                     "iterations": .int(part.iterations), "log_likelihood_per_row": .double(part.logLikelihood),
                     "components": .int(part.components.count)])
        })
        let tensors = classes.enumerated().flatMap { c, part in
            let k = part.components.count
            return [SafetensorsFile.Tensor(name: "classes.\(c).component_weights", shape: [k], values: part.components.map(\.weight)),
                    SafetensorsFile.Tensor(name: "classes.\(c).means", shape: [k, d], values: part.components.flatMap(\.mean)),
                    SafetensorsFile.Tensor(name: "classes.\(c).cholesky", shape: [k, d, d], values: part.components.flatMap(\.cholesky))]
        }
        FittedModelFile.add(columns, to: &o)
        return (o, tensors)
    }

    /// Reads the two-file form written by ``files``, checked as ``init(json:source:)`` checks the inline one.
    init(json: JSONValue, tensors: SafetensorsFile, source: String) throws {
        let (o, names) = try FittedModelFile.read(json, model: Self.modelName, source: source, version: FittedModelFile.formatVersion)
        let d = names.count
        let scale = try Self.regularization(o["regularization"], source: source)
        var parts = [ClassPart]()
        for (c, p) in try FittedModelFile.classList(o, source: source).enumerated() {
            let at = "classes.\(c)"
            guard case .int(let k)? = p.fields["components"], k >= 1, k <= tensors.shape("\(at).component_weights")?.first ?? 0 else {
                throw FittedModelFile.fail(source, "classes[\(c)].components", "a component count ≥ 1, the length of tensor \(at).component_weights",
                                           p.fields["components"])
            }
            let weights = try FittedModelFile.finite(tensors, "\(at).component_weights", shape: [k])
            guard weights.allSatisfy({ $0 >= 0 }), weights.contains(where: { $0 > 0 }) else {
                throw InputError(file: tensors.source, field: "\(at).component_weights", expected: "numbers ≥ 0, one of them > 0", found: "\(weights.prefix(4))")
            }
            let means = try FittedModelFile.finite(tensors, "\(at).means", shape: [k, d])
            let factors = try FittedModelFile.cholesky(tensors, "\(at).cholesky", order: d, count: k)
            let components = (0..<k).map { i in
                Component(weight: weights[i], mean: Array(means[(i * d)..<((i + 1) * d)]), cholesky: factors[i])
            }
            let iterations = p.fields["iterations"].flatMap { if case .int(let n) = $0 { return n } else { return nil } } ?? 0
            parts.append(ClassPart(name: p.name, weight: p.weight, rows: p.rows, components: components, iterations: iterations,
                                   logLikelihood: p.fields["log_likelihood_per_row"]?.number ?? .nan))
        }
        try FittedModelFile.checkDistinct(parts.map(\.name), source: source)
        featureNames = names
        regularizationScale = scale
        classes = parts
        columns = try FittedColumns(o["columns"], features: names.count, classes: parts.count, source: source)
    }

    public init(json: JSONValue, source: String) throws {
        func fail(_ field: String, _ expected: String, _ found: JSONValue?) -> InputError { FittedModelFile.fail(source, field, expected, found) }
        let (o, names) = try FittedModelFile.read(json, model: Self.modelName, source: source)
        let d = names.count
        let scale = try Self.regularization(o["regularization"], source: source)
        guard case .array(let list)? = o["classes"], !list.isEmpty else { throw fail("classes", "a non-empty list", o["classes"]) }
        var parts = [ClassPart]()
        for (c, item) in list.enumerated() {
            let at = "classes[\(c)]"
            guard case .object(let p) = item, case .string(let name)? = p["name"] else { throw fail("\(at).name", "a string", item) }
            guard let weight = p["weight"]?.number, weight > 0, weight.isFinite else { throw fail("\(at).weight", "a number > 0", p["weight"]) }
            guard case .array(let comps)? = p["components"], !comps.isEmpty else { throw fail("\(at).components", "a non-empty list", p["components"]) }
            var components = [Component]()
            for (k, comp) in comps.enumerated() {
                let ck = "\(at).components[\(k)]"
                guard case .object(let q) = comp else { throw fail(ck, "an object", comp) }
                guard let w = q["weight"]?.number, w >= 0, w.isFinite else { throw fail("\(ck).weight", "a number ≥ 0", q["weight"]) }
                guard let mean = q["mean"]?.numbers, mean.count == d, mean.allSatisfy(\.isFinite) else {
                    throw fail("\(ck).mean", FittedModelFile.count(d, "finite number"), q["mean"])
                }
                let l = try FittedModelFile.cholesky(q["cholesky"], order: d, field: "\(ck).cholesky", source: source)
                components.append(Component(weight: w, mean: mean, cholesky: l))
            }
            guard components.contains(where: { $0.weight > 0 }) else { throw fail("\(at).components", "a component of weight > 0", p["components"]) }
            let count = p["rows"].flatMap { if case .int(let n) = $0 { return n } else { return nil } } ?? 0
            let iterations = p["iterations"].flatMap { if case .int(let n) = $0 { return n } else { return nil } } ?? 0
            parts.append(ClassPart(name: name, weight: weight, rows: count, components: components, iterations: iterations,
                                   logLikelihood: p["log_likelihood_per_row"]?.number ?? .nan))
        }
        try FittedModelFile.checkDistinct(parts.map(\.name), source: source)
        featureNames = names
        regularizationScale = scale
        classes = parts
        columns = try FittedColumns(o["columns"], features: names.count, classes: parts.count, source: source)
    }
}

extension GaussianMixtureModel {
    /// The `regularization` field: absent for ``Regularization/averageVariance``,
    /// so a model read from an older file writes back the same fields.
    static func regularization(_ v: JSONValue?, source: String) throws -> Regularization {
        try FittedModelFile.addedField(v, "regularization", absent: .averageVariance, written: .columnVariance, source: source)
    }

    fileprivate func addingRegularization(to o: inout [String: JSONValue]) {
        if regularizationScale == .columnVariance { o["regularization"] = .string(regularizationScale.rawValue) }
    }
}
