import SynthctlCore

/// One number `synthctl compare` reports about a synthetic set, declared
/// once: what it is called, where it sits in the JSON report, which way is
/// better, what it means, how it is printed, whether it is computed per
/// class (and if not, why), and the gates on it.
///
/// The text summary, the Markdown and HTML reports, the JSON report and the
/// gate check all read these declarations (``FidelityMetric/all``) instead
/// of spelling a metric's name, key or definition themselves, so the places
/// a metric appears cannot disagree. The computation stays in the metric's
/// own type (``MarginalMetrics``, ``ManifoldMetrics``, …); a declaration
/// reads the computed value from a ``FidelityReport/Comparison`` (the whole
/// set) and from a ``FidelityReport/ClassComparison`` (one class).
///
/// A metric that is not a number of an existing measurement brings its own
/// ``Computation`` (``init(name:heading:direction:key:definition:decimals:tables:gates:computation:)``):
/// the report runs it on every compared set (and class) and stores the
/// result under the metric's ``id`` (``FidelityReport/Comparison/computedMetrics``),
/// so the report needs no field for it.
///
/// Adding a metric: declare it in its own file as
/// `extension FidelityMetric { public static let name = FidelityMetric(…) }`
/// beside its test, and add it to ``FidelityMetric/all``.
public struct FidelityMetric: Sendable {
    /// Which values are better. The gate on a metric bounds it on the worse
    /// side (``Gate/Bound``).
    public enum Direction: Sendable, Equatable {
        case lowerIsBetter
        case higherIsBetter
        /// Best at this value (a density of 1, a detection AUC of 0.5).
        case closestTo(Double)
    }

    /// An entry of the JSON report's `"definitions"` object. Metrics of one
    /// family (precision, recall, density and coverage) share an entry.
    public struct Definition: Sendable, Equatable {
        /// The key under `"definitions"`.
        public let key: String
        /// What the number is and the source of its formula.
        public let text: String
        public init(key: String, text: String) {
            self.key = key
            self.text = text
        }
    }

    /// The whole-set tables a metric has a row in, in ``FidelityMetric/all``'s order.
    public enum Table: Sendable, Equatable {
        /// The summary `synthctl compare` prints.
        case summary
        /// The Markdown report's table (and the HTML report's, made from it).
        case markdown
    }

    /// A quality gate: the comparison fails when the metric lies beyond a
    /// limit the user gives.
    public struct Gate: Sendable, Equatable {
        public enum Bound: Sendable, Equatable {
            /// Fails above the limit ("above" in the failure line).
            case atMost
            /// Fails below the limit ("below" in the failure line).
            case atLeast
        }
        /// What the limit applies to.
        public enum Scope: Sendable, Equatable {
            /// The synthetic set as a whole.
            case wholeSet
            /// The worst class; a class without the metric counts as 0.
            case worstClass
        }
        /// The gate's name, unique among gates; the command line takes a
        /// limit for a gate by this name.
        public let name: String
        public let bound: Bound
        public let scope: Scope
        /// The metric as a failure line names it ("the detection AUC").
        public let subject: String
        /// The limits that make sense, both ends included: [0, 1] for a
        /// share, [0.5, 1] for a detection AUC, [0, ∞) (the default) for a
        /// distance or a ratio. A limit outside is refused, not ignored.
        public let limits: ClosedRange<Double>
        public init(_ name: String, _ bound: Bound, scope: Scope = .wholeSet, subject: String,
                    limits: ClosedRange<Double> = 0 ... .infinity) {
            self.name = name
            self.bound = bound
            self.scope = scope
            self.subject = subject
            self.limits = limits
        }
    }

    /// What a class's metric is computed from. The per-class comparison
    /// computes exactly the measurements the per-class metrics need
    /// (``FidelityMetric/perClassMeasurements``).
    public enum Measurement: Sendable, Hashable, CaseIterable {
        /// k-NN balls of both sets (``ManifoldMetrics``).
        case manifold
        /// Per-feature distributions and correlations (``MarginalMetrics``).
        case marginals
        /// The exact unbiased MMD² (``KernelMetrics``).
        case kernel
        /// Means and covariances (``FrechetDistance``).
        case frechet
        /// The detection classifier (``DetectionTest``).
        case detection
        /// Distances to the closest human row (``PrivacyMetrics``).
        case privacy
        /// The whole-set TSTR/TRTR classifiers' per-class F1 (``UtilityMetrics``): nothing to compute per class.
        case utility
        /// The metric's own ``Computation``, which the report runs for it alone.
        case computation
    }

    /// What a metric with its own ``Computation`` is computed from: the
    /// human training rows (the reference every metric compares with) and
    /// a compared set — the synthetic set or a baseline, or one class's rows
    /// of each — rows × features, columns in the same order.
    public struct ComparedSets: Sendable {
        public let reference: Matrix
        public let candidate: Matrix
        /// Threads the computation may use (``Parallel``).
        public let threads: Int
        /// The numeric columns' names, in their order (empty: unnamed).
        public let featureNames: [String]
        /// The categorical columns, matched across the two sets (``CategoricalFeatures``).
        public let categoricalColumns: [CategoricalFeatures.Column]
        /// Per categorical column, one code per reference row.
        public let referenceCodes: [[Int32]]
        /// Per categorical column, one code per candidate row.
        public let candidateCodes: [[Int32]]
        /// Numeric columns (by position) that hold a boolean as 0/1: whole
        /// numbers, but a flag, not a count (``Integrality`` and
        /// ``BoundaryAdherence`` leave them out).
        public let booleanColumns: Set<Int>
        public init(reference: Matrix, candidate: Matrix, threads: Int, featureNames: [String] = [],
                    categoricalColumns: [CategoricalFeatures.Column] = [], referenceCodes: [[Int32]] = [], candidateCodes: [[Int32]] = [],
                    booleanColumns: Set<Int> = []) {
            self.booleanColumns = booleanColumns
            self.reference = reference
            self.candidate = candidate
            self.threads = threads
            self.featureNames = featureNames
            self.categoricalColumns = categoricalColumns
            self.referenceCodes = referenceCodes
            self.candidateCodes = candidateCodes
        }

        /// The name of numeric column `j` (its position when unnamed).
        func featureName(_ j: Int) -> String { j < featureNames.count ? featureNames[j] : String(j) }
    }

    /// A metric's own value for one compared set, and the numbers that
    /// qualify it (the worst feature, a count), which the JSON report
    /// writes beside the value, in the object that holds it.
    public struct Computed: Sendable {
        public let value: MetricValue
        /// Keys are unique within the object holding the value.
        public let details: [String: JSONValue]
        /// Every column pair, as ``ColumnPairTrends`` computed them (its own
        /// computation only; nil for every other metric): kept so that the
        /// compare page's heat map (``ComparisonCharts``) reads the values
        /// the JSON lists instead of computing the pairs again.
        public let columnPairs: ColumnPairTrends?
        public init(_ value: MetricValue, details: [String: JSONValue] = [:], columnPairs: ColumnPairTrends? = nil) {
            self.value = value
            self.details = details
            self.columnPairs = columnPairs
        }
    }

    /// How a metric computes its value from the compared sets, when it is
    /// not a number one of the report's measurements already makes.
    public struct Computation: Sendable {
        /// Whether the computation also runs on each class, and where its
        /// value goes (see ``FidelityMetric/PerClass``).
        public enum PerClass: Sendable {
            /// Runs on each compared class: `key` is the value's path in a
            /// `per_class` entry, `heading` its column at position `column`
            /// of the HTML per-class table (nil: JSON only).
            case computed(key: [String], heading: String, column: Int?, compute: @Sendable (ComparedSets) -> Computed)
            /// Not computed per class, for this reason.
            case notComputed(because: String)
        }
        public let wholeSet: @Sendable (ComparedSets) -> Computed
        public let perClass: PerClass
        public init(wholeSet: @escaping @Sendable (ComparedSets) -> Computed, perClass: PerClass) {
            self.wholeSet = wholeSet
            self.perClass = perClass
        }
    }

    /// Whether the metric is computed for each class, and where it goes.
    public enum PerClass: Sendable {
        /// Computed per class: `key` is its path in a `per_class` entry of
        /// the JSON report, `heading` its column in the HTML report's
        /// per-class table at position `column` (nil: JSON only), `needs`
        /// what it is computed from, and `value` reads it (nil for a
        /// class not compared, ``FidelityReport/ClassComparison/problem``).
        case computed(key: [String], heading: String, column: Int?, needs: Measurement,
                      value: @Sendable (FidelityReport.ClassComparison, UtilityMetrics) -> MetricValue?)
        /// Not computed per class, for this reason.
        case notComputed(because: String)
    }

    /// The name tables and notes use ("mean KS").
    public let name: String
    /// The name with the direction mark a table row shows ("mean KS ↓").
    public let heading: String
    public let direction: Direction
    /// The path of the metric in a comparison's JSON object
    /// (`["marginals", "mean_ks"]`); unique among metrics.
    public let key: [String]
    public let definition: Definition
    /// Decimals in the summary, Markdown and HTML.
    public let decimals: Int
    public let tables: [Table]
    public let perClass: PerClass
    public let gates: [Gate]
    /// The value measured on every row of a compared set: the synthetic
    /// set (with its utility) or a baseline (utility nil). Nil when the
    /// metric is not measured for that set (utility of a baseline). The
    /// report gives ``value(_:_:)``, the matched-size mean where there is one.
    public let measuredValue: @Sendable (FidelityReport.Comparison, UtilityMetrics?) -> MetricValue?
    /// The metric's own computation, when the report has no measurement
    /// that gives its value; nil for the metrics read from one.
    public let computation: Computation?

    public init(name: String, heading: String? = nil, direction: Direction, key: [String], definition: Definition,
                decimals: Int = 4, tables: [Table] = [], perClass: PerClass, gates: [Gate] = [], computation: Computation? = nil,
                value: @escaping @Sendable (FidelityReport.Comparison, UtilityMetrics?) -> MetricValue?) {
        self.name = name
        self.heading = heading ?? name
        self.direction = direction
        self.key = key
        self.definition = definition
        self.decimals = decimals
        self.tables = tables
        self.perClass = perClass
        self.gates = gates
        self.computation = computation
        self.measuredValue = value
    }

    /// A metric that computes its own value: its value for a compared set
    /// (and a class) is what ``Computation`` stored under its ``id``.
    public init(name: String, heading: String? = nil, direction: Direction, key: [String], definition: Definition,
                decimals: Int = 4, tables: [Table] = [], gates: [Gate] = [], computation: Computation) {
        let id = key.joined(separator: ".")
        let perClass: PerClass = switch computation.perClass {
        case let .computed(classKey, classHeading, column, _):
            .computed(key: classKey, heading: classHeading, column: column, needs: .computation) { c, _ in c.computedMetrics[id]?.value }
        case .notComputed(let because): .notComputed(because: because)
        }
        self.init(name: name, heading: heading, direction: direction, key: key, definition: definition, decimals: decimals,
                  tables: tables, perClass: perClass, gates: gates, computation: computation,
                  value: { c, _ in c.computedMetrics[id]?.value })
    }

    /// The metric's JSON path joined by dots ("marginals.mean_ks"): its identity.
    public var id: String { key.joined(separator: ".") }

    /// The value the report gives for a compared set: the mean over the
    /// matched-size draws for a size-dependent metric (``MatchedSizes``),
    /// else ``measuredValue``.
    public func value(_ c: FidelityReport.Comparison, _ u: UtilityMetrics?) -> MetricValue? {
        if let drawn = c.matched[id] { return .defined(drawn.mean) }
        return measuredValue(c, u)
    }

    /// The value as a table cell: ``text(_:)``, with ± the draws' standard
    /// deviation for a matched metric measured on more than one draw.
    public func cell(_ c: FidelityReport.Comparison, _ u: UtilityMetrics?) -> String {
        let v = value(c, u)
        guard let drawn = c.matched[id], drawn.values.count > 1 else { return text(v) }
        return text(v) + " ± " + text(.defined(drawn.standardDeviation))
    }

    /// The class's value, or nil when the metric is not computed per class
    /// or the class was not compared: the mean over the class's matched-size
    /// draws for a metric matched per class (``ClassMatchedSizes``).
    public func classValue(_ c: FidelityReport.ClassComparison, utility: UtilityMetrics) -> MetricValue? {
        guard case .computed(_, _, _, _, let value) = perClass else { return nil }
        if let drawn = c.matchedSizes?.synthetic[id] { return .defined(drawn.mean) }
        return value(c, utility)
    }

    /// The class's human holdout rows at its matched size (its baseline),
    /// when the metric is matched per class and the class was.
    public func classBaseline(_ c: FidelityReport.ClassComparison) -> MatchedSizes.Drawn? {
        c.matchedSizes?.holdout[id]
    }

    /// The class's value as a table cell: ``text(_:)``, with ± the draws'
    /// standard deviation when it was matched over more than one draw.
    public func classCell(_ c: FidelityReport.ClassComparison, utility: UtilityMetrics, number: (Double) -> String,
                          spread: ((Double) -> String)? = nil) -> String {
        guard let x = classValue(c, utility: utility)?.value, x.isFinite else { return "n/a" }
        guard let drawn = c.matchedSizes?.synthetic[id], drawn.values.count > 1 else { return number(x) }
        return number(x) + " ± " + (spread.map { $0(drawn.standardDeviation) } ?? number(drawn.standardDeviation))
    }

    /// The value as the summary, Markdown and HTML print it
    /// (``fixedDecimals(_:_:)``): ``decimals`` decimals, never `-0.0000`,
    /// and `n/a` when undefined or not finite; from 10⁶ in magnitude in
    /// scientific notation with 4 significant digits (`-1.852e+18`: a KID in raw units, where a column in
    /// thousands makes the cubic kernel's values about 10²⁰), which
    /// ``decimals`` would print as 23 digits no one reads.
    public func text(_ v: MetricValue?) -> String {
        guard let x = v?.value, x.isFinite else { return "n/a" }
        return fixedDecimals(x, decimals)
    }
}

extension FidelityMetric {
    /// The metrics with a row in `table`, in ``all``'s order.
    public static func rows(of table: Table) -> [FidelityMetric] { all.filter { $0.tables.contains(table) } }

    /// The per-class metrics with a column in the per-class table, in column order.
    public static var classColumns: [(metric: FidelityMetric, heading: String)] {
        all.compactMap { m -> (Int, FidelityMetric, String)? in
            guard case .computed(_, let heading, let column?, _, _) = m.perClass else { return nil }
            return (column, m, heading)
        }.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
    }

    /// Every declared gate, in declaration order (``all``'s order, then
    /// each metric's ``gates``' order).
    public static var allGates: [Gate] { all.flatMap(\.gates) }

    /// The metric and gate of that name, if one is declared.
    public static func gate(named name: String) -> (metric: FidelityMetric, gate: Gate)? {
        for m in all { if let g = m.gates.first(where: { $0.name == name }) { return (m, g) } }
        return nil
    }

    /// What the per-class comparison has to compute: the measurements the
    /// per-class metrics need.
    public static var perClassMeasurements: Set<Measurement> {
        Set(all.compactMap { m in
            guard case .computed(_, _, _, let needs, _) = m.perClass else { return nil }
            return needs
        })
    }

    /// The metrics' own computations (``Computation``) on `sets`, keyed by
    /// metric ``id``: the whole-set ones, or with `perClass` the ones that
    /// run per class.
    static func computeAll(_ sets: ComparedSets, perClass: Bool = false) -> [String: Computed] {
        var out = [String: Computed]()
        for m in all {
            guard let computation = m.computation else { continue }
            if !perClass {
                out[m.id] = computation.wholeSet(sets)
            } else if case .computed(_, _, _, let compute) = computation.perClass {
                out[m.id] = compute(sets)
            }
        }
        return out
    }

    /// The `"definitions"` entries of the metrics (a shared entry once).
    static var definitions: [String: JSONValue] {
        Dictionary(all.map { ($0.definition.key, JSONValue.string($0.definition.text)) }) { first, _ in first }
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// Sets the metric at `path`, creating the objects on the way, with
    /// its undefined reason in the innermost object (see ``set(_:_:)``).
    mutating func set(_ path: [String], _ metric: MetricValue) {
        guard let first = path.first else { return }
        guard path.count > 1 else { return set(first, metric) }
        var inner: [String: JSONValue] = [:]
        if case .object(let existing)? = self[first] { inner = existing }
        inner.set(Array(path.dropFirst()), metric)
        self[first] = .object(inner)
    }

    /// Sets `value` at `path`, creating the objects on the way.
    mutating func set(_ path: [String], _ value: JSONValue) {
        guard let first = path.first else { return }
        guard path.count > 1 else { self[first] = value; return }
        var inner: [String: JSONValue] = [:]
        if case .object(let existing)? = self[first] { inner = existing }
        inner.set(Array(path.dropFirst()), value)
        self[first] = .object(inner)
    }

    /// Writes a metric's ``FidelityMetric/Computed/details`` beside its
    /// value at `key` (in the object that holds it).
    mutating func setDetails(of computed: FidelityMetric.Computed?, beside key: [String]) {
        for (name, value) in computed?.details ?? [:] { set(key.dropLast() + [name], value) }
    }
}
