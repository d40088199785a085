import Foundation
import SynthctlCore

/// A class-conditional Gaussian copula over empirical marginals with
/// fitted tails: each feature keeps its own observed distribution (skewed,
/// bounded, bimodal: whatever the human rows show) and its spread, and the
/// dependence between features is that of a Gaussian on their normal scores.
///
/// Fitting, per class of n rows: each feature's marginal is the normal
/// quantile–quantile curve of its values, G = min(n, 256) knots
/// (Φ⁻¹(p_k), Q(p_k)) at Blom's plotting positions p_k = (k + 5/8)/(G + 1/4)
/// (Blom 1958, *Statistical Estimates and Transformed Beta-Variables*),
/// Q the Hyndman–Fan type 9 sample quantile (the one unbiased for normal
/// order statistics under those positions: with G = n the knots are the
/// sorted values themselves); beyond the end knots the curve continues as
/// a straight line whose slope is that of the curve between the median and
/// that side's quartile (``tailSlopes(knots:quantiles:)``: a Gaussian tail
/// with the quartile-based scale of its side, σ for a Gaussian column, the
/// longer side's scale for a skewed one), so that values pass the observed
/// range while the spread stays the human's. The normal
/// scores Φ⁻¹((rank + ½)/n) of every value, their correlation shrunk toward
/// the identity like the Gaussian model's covariance, and its Cholesky factor
/// give the dependence. Sampling: z = L·ε, then each z_j mapped through the
/// piecewise-linear curve and its tails, then the column types
/// (``FittedColumns``: a continuous column is clipped at its sign only, so
/// that the tails reach beyond the observed range of an unbounded column).
/// The Φ⁻¹(p_k) are stored in the model, so sampling needs no special
/// functions and its bytes depend only on the model and the seed.
///
/// Models written before the tails (no `tail_slopes`: knots at
/// p_k = (k + ½)/G, NumPy's linear quantile) sample as they did, clamped
/// at the end knots.
public struct GaussianCopulaModel: Sendable, Equatable {
    public static let modelName = "gaussian_copula"

    public struct ClassPart: Sendable, Equatable {
        public let name: String
        public let weight: Double
        public let rows: Int
        /// Φ⁻¹(p_k), ascending, G values.
        public let normalScores: [Double]
        /// Per feature, the quantiles at p_k (d arrays of G).
        public let quantiles: [[Double]]
        /// Lower-triangular, row-major d × d: the factor of the normal-score correlation.
        public let cholesky: [Double]
        public let shrinkage: Double
        /// Per feature, the slopes of the lower and upper tails (2 values
        /// each, d × 2 row-major: value per unit of normal score beyond the
        /// end knots); empty for a model written before tails, clamped at its ends.
        public var tailSlopes: [Double] = []
    }

    public let featureNames: [String]
    public let shrinkage: CovarianceShrinkage
    public let classes: [ClassPart]
    /// Each feature's type, range and categories (``FittedColumns``); nil
    /// for a model fitted without them (a file written before they existed).
    public var columns: FittedColumns? = nil
    public var featureCount: Int { featureNames.count }

    public init(fitting x: Matrix, labels: [Int32], classNames: [String], featureNames: [String],
                shrinkage: CovarianceShrinkage = .ledoitWolf, source: String, progress: WorkProgress = .silent) throws {
        try FittedModelFile.checkFitMemory(rows: x.rows, classes: classNames.count, dimensions: x.columns, source: source)
        let d = x.columns
        let members = rowsByClass(labels, classes: classNames.count)
        let fitted = members.filter { !$0.isEmpty }.count  // the classes reported as they finish
        var parts = [ClassPart]()
        for (c, rows) in members.enumerated() where !rows.isEmpty {
            let n = rows.count
            guard n >= 2 else { throw InputError(file: source, field: "class \"\(classNames[c])\"", expected: "at least 2 rows to fit a copula", found: "1") }
            let g = min(n, 256)
            let probabilities = (0..<g).map { (Double($0) + 0.625) / (Double(g) + 0.25) }
            var slopes = [Double]()
            var scores = [Double](repeating: 0, count: n * d)
            var quantiles = [[Double]]()
            for j in 0..<d {
                let values = rows.map { Double(x[$0, j]) }
                let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
                let sorted = order.map { values[$0] }
                let q = probabilities.map { Self.blomQuantile(sorted: sorted, $0) }
                quantiles.append(q)
                slopes += Self.tailSlopes(knots: probabilities.map(normalQuantile), quantiles: q)
                // Ties share the mean of their ranks, so equal values get equal scores.
                var start = 0
                while start < n {
                    var end = start
                    while end + 1 < n && sorted[end + 1] == sorted[start] { end += 1 }
                    let score = normalQuantile((Double(start + end) / 2 + 0.5) / Double(n))
                    for t in start...end { scores[order[t] * d + j] = score }
                    start = end + 1
                }
            }
            // Correlation of the normal scores (centred: their mean is ~0 but not exactly with ties).
            var mean = [Double](repeating: 0, count: d)
            for i in 0..<n { for j in 0..<d { mean[j] += scores[i * d + j] } }
            for j in 0..<d { mean[j] /= Double(n) }
            for i in 0..<n { for j in 0..<d { scores[i * d + j] -= mean[j] } }
            let (shrunk, lambda) = shrinkage.shrunkCovariance(ofCentred: scores, rows: n, dimensions: d)
            var r = shrunk
            for i in 0..<d { for j in 0..<d {
                let scale = (shrunk[i * d + i] * shrunk[j * d + j]).squareRoot()
                r[i * d + j] = scale > 0 ? shrunk[i * d + j] / scale : (i == j ? 1 : 0)
            } }
            for i in 0..<d where !(r[i * d + i] > 0) { r[i * d + i] = 1 }  // a constant feature: independent of the rest
            let l: [Double]
            do { l = try ReproducibleCholesky.factor(r, order: d) } catch {
                throw SingularCovarianceError(source: source, className: classNames[c], rows: n, featureCount: d, shrinkage: lambda,
                                              matrix: "normal-score correlation", cause: .singular)
            }
            parts.append(ClassPart(name: classNames[c], weight: Double(n) / Double(x.rows), rows: n,
                                   normalScores: probabilities.map(normalQuantile), quantiles: quantiles, cholesky: l, shrinkage: lambda,
                                   tailSlopes: slopes))
            progress.step("classes fitted", of: fitted)
        }
        self.featureNames = featureNames
        self.shrinkage = shrinkage
        classes = parts
    }

    public var json: JSONValue {
        var o = FittedModelFile.header(model: Self.modelName, featureNames: featureNames)
        o["shrinkage"] = FittedModelFile.json(shrinkage)
        o["classes"] = .array(classes.map { part in
            .object([
                "name": .string(part.name), "weight": .double(part.weight), "rows": .int(part.rows),
                "normal_scores": JSONValue(part.normalScores), "quantiles": JSONValue(part.quantiles),
                "shrinkage": .double(part.shrinkage), "cholesky": FittedModelFile.json(cholesky: part.cholesky, order: featureCount),
            ].merging(part.tailSlopes.isEmpty ? [:] : ["tail_slopes": .array(stride(from: 0, to: part.tailSlopes.count, by: 2).map {
                JSONValue(Array(part.tailSlopes[$0..<($0 + 2)]))
            })]) { a, _ in a })
        })
        FittedModelFile.add(columns, to: &o)
        return .object(o)
    }

    /// The two-file form (``FittedModelFile``): the JSON's small fields, and
    /// per class c the tensors `classes.c.normal_scores` [G],
    /// `classes.c.quantiles` [d, G], `classes.c.cholesky` [d, d] and
    /// `classes.c.tail_slopes` [d, 2] (lower, upper; format_version 3).
    var files: (json: [String: JSONValue], tensors: [SafetensorsFile.Tensor]) {
        let d = featureCount
        var o = FittedModelFile.twoFileFields(model: Self.modelName, featureNames: featureNames, shrinkage: shrinkage,
                                              classes: classes.map { ($0.name, $0.weight, $0.rows, $0.shrinkage) })
        let tensors = classes.enumerated().flatMap { c, part in
            [SafetensorsFile.Tensor(name: "classes.\(c).normal_scores", shape: [part.normalScores.count], values: part.normalScores),
             SafetensorsFile.Tensor(name: "classes.\(c).quantiles", shape: [d, part.normalScores.count], values: Array(part.quantiles.joined())),
             SafetensorsFile.Tensor(name: "classes.\(c).cholesky", shape: [d, d], values: part.cholesky)]
                + (part.tailSlopes.isEmpty ? [] : [SafetensorsFile.Tensor(name: "classes.\(c).tail_slopes", shape: [d, 2], values: part.tailSlopes)])
        }
        // Tails change what a file's numbers mean: an older synthctl, which would clamp, refuses the file.
        if classes.contains(where: { !$0.tailSlopes.isEmpty }) { o["format_version"] = .int(FittedModelFile.typedFormatVersion) }
        FittedModelFile.add(columns, to: &o)
        return (o, tensors)
    }

    /// Reads the two-file form written by ``files``, checked as ``init(json:source:)`` checks the inline one.
    init(json: JSONValue, tensors: SafetensorsFile, source: String) throws {
        let (o, names) = try FittedModelFile.read(json, model: Self.modelName, source: source, version: FittedModelFile.formatVersion)
        let d = names.count
        shrinkage = try FittedModelFile.shrinkage(o["shrinkage"], source: source)
        var parts = [ClassPart]()
        for (c, p) in try FittedModelFile.classList(o, source: source).enumerated() {
            let at = "classes.\(c)"
            let g = tensors.shape("\(at).normal_scores")?.first ?? 0
            let scores = try FittedModelFile.finite(tensors, "\(at).normal_scores", shape: [g])
            guard g >= 2, zip(scores, scores.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw InputError(file: tensors.source, field: "\(at).normal_scores", expected: "at least 2 increasing numbers", found: "\(g) numbers, not increasing")
            }
            let flat = try FittedModelFile.finite(tensors, "\(at).quantiles", shape: [d, g])
            let quantiles = try (0..<d).map { j -> [Double] in
                let values = Array(flat[(j * g)..<((j + 1) * g)])
                guard zip(values, values.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                    throw InputError(file: tensors.source, field: "\(at).quantiles[\(j)]", expected: "\(g) non-decreasing numbers", found: "a decrease")
                }
                return values
            }
            let l = try FittedModelFile.cholesky(tensors, "\(at).cholesky", order: d)
            var slopes = [Double]()
            if tensors.shape("\(at).tail_slopes") != nil {
                slopes = try FittedModelFile.finite(tensors, "\(at).tail_slopes", shape: [d, 2])
                if let i = slopes.firstIndex(where: { $0 < 0 }) {
                    throw InputError(file: tensors.source, field: "\(at).tail_slopes", expected: "slopes ≥ 0", found: "\(slopes[i]) at index \(i)")
                }
            }
            parts.append(ClassPart(name: p.name, weight: p.weight, rows: p.rows, normalScores: scores, quantiles: quantiles,
                                   cholesky: l, shrinkage: p.fields["shrinkage"]?.number ?? 0, tailSlopes: slopes))
        }
        try FittedModelFile.checkDistinct(parts.map(\.name), source: source)
        featureNames = names
        classes = parts
        columns = try FittedColumns(o["columns"], features: names.count, classes: parts.count, source: source)
    }

    public init(json: JSONValue, source: String) throws {
        func fail(_ field: String, _ expected: String, _ found: JSONValue?) -> InputError { FittedModelFile.fail(source, field, expected, found) }
        let (o, names) = try FittedModelFile.read(json, model: Self.modelName, source: source)
        let d = names.count
        shrinkage = try FittedModelFile.shrinkage(o["shrinkage"], source: source)
        guard case .array(let list)? = o["classes"], !list.isEmpty else { throw fail("classes", "a non-empty list", o["classes"]) }
        var parts = [ClassPart]()
        for (c, item) in list.enumerated() {
            let at = "classes[\(c)]"
            guard case .object(let p) = item, case .string(let name)? = p["name"] else { throw fail("\(at).name", "a string", item) }
            guard let weight = p["weight"]?.number, weight > 0, weight.isFinite else { throw fail("\(at).weight", "a number > 0", p["weight"]) }
            guard let scores = p["normal_scores"]?.numbers, scores.count >= 2, zip(scores, scores.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw fail("\(at).normal_scores", "at least 2 increasing numbers", p["normal_scores"])
            }
            guard case .array(let q)? = p["quantiles"], q.count == d else {
                throw fail("\(at).quantiles", "\(FittedModelFile.count(d, "list")) of \(scores.count) numbers", p["quantiles"])
            }
            let quantiles = try q.enumerated().map { j, v -> [Double] in
                guard let values = v.numbers, values.count == scores.count, values.allSatisfy(\.isFinite),
                      zip(values, values.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                    throw fail("\(at).quantiles[\(j)]", "\(scores.count) non-decreasing numbers", v)
                }
                return values
            }
            let l = try FittedModelFile.cholesky(p["cholesky"], order: d, field: "\(at).cholesky", source: source)
            let count = p["rows"].flatMap { if case .int(let n) = $0 { return n } else { return nil } } ?? 0
            var slopes = [Double]()
            if let given = p["tail_slopes"] {
                guard case .array(let rows) = given, rows.count == d else { throw fail("\(at).tail_slopes", "\(FittedModelFile.count(d, "pair")) of slopes", given) }
                for (j, row) in rows.enumerated() {
                    guard let pair = row.numbers, pair.count == 2, pair.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                        throw fail("\(at).tail_slopes[\(j)]", "2 finite slopes ≥ 0 (lower, upper)", row)
                    }
                    slopes += pair
                }
            }
            parts.append(ClassPart(name: name, weight: weight, rows: count, normalScores: scores, quantiles: quantiles,
                                   cholesky: l, shrinkage: p["shrinkage"]?.number ?? 0, tailSlopes: slopes))
        }
        try FittedModelFile.checkDistinct(parts.map(\.name), source: source)
        featureNames = names
        classes = parts
        columns = try FittedColumns(o["columns"], features: names.count, classes: parts.count, source: source)
    }

    /// The Hyndman–Fan type 9 quantile of `sorted` at p (Hyndman & Fan
    /// 1996, *Sample Quantiles in Statistical Packages*, definition 9):
    /// position h = n·p + p/4 + 3/8 (1-based), linear between the order
    /// statistics around it, the extremes outside [1, n]. At Blom's
    /// p = (i − 3/8)/(n + 1/4) it is the i-th smallest value.
    static func blomQuantile(sorted x: [Double], _ p: Double) -> Double {
        let n = x.count
        let h = Double(n) * p + p / 4 + 0.375
        if h <= 1 { return x[0] }
        if h >= Double(n) { return x[n - 1] }
        let j = Int(h.rounded(.down)), gamma = h - Double(j)
        return x[j - 1] + gamma * (x[j] - x[j - 1])
    }

    /// The slopes of the lower and upper tails of a marginal's knots
    /// (normal scores `s`, increasing; quantiles `q`, non-decreasing): on
    /// each side, the slope of the normal QQ curve between the median and
    /// that side's quartile, (Q(½) − Q(¼))/(Φ⁻¹(½) − Φ⁻¹(¼)) below and
    /// (Q(¾) − Q(½))/(Φ⁻¹(¾) − Φ⁻¹(½)) above (the knots nearest the
    /// quartiles, the median interpolated): a Gaussian tail with the
    /// quartile-based scale of its own side (σ for a Gaussian column; for a
    /// skewed one a longer tail on its long side). Not the outer knots'
    /// slope: with 40 rows those are one or two extreme values, and
    /// continuing their slope inflated a heavy-tailed column's sampled SD
    /// by 10–30 % in 40 % of samples, where the quartiles keep it within 3 %
    /// (simulated on Student's t₃, log-normal and normal columns of 40–150 rows).
    static func tailSlopes(knots s: [Double], quantiles q: [Double]) -> [Double] {
        let g = s.count, m = Int((Double(g - 1) / 4).rounded(.down))
        // The median: knot (g − 1)/2, or the mean of the two middle knots.
        let (qm, sm) = g % 2 == 1 ? (q[g / 2], s[g / 2]) : ((q[g / 2 - 1] + q[g / 2]) / 2, (s[g / 2 - 1] + s[g / 2]) / 2)
        func slope(_ q0: Double, _ s0: Double, _ q1: Double, _ s1: Double) -> Double { s1 > s0 ? max(0, (q1 - q0) / (s1 - s0)) : 0 }
        return [slope(q[m], s[m], qm, sm), slope(qm, sm, q[g - 1 - m], s[g - 1 - m])]
    }
}
