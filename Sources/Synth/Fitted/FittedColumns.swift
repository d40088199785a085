import SynthctlCore

/// What a fitted model knows about each of its columns beyond the numbers
/// it models: the column's kind, its observed range, the bounds sampling
/// enforces, the decimals it rounds to, and a categorical column's
/// categories with their frequencies per class. SDV's
/// `GaussianCopulaSynthesizer` is the anchor (RDT's `FloatFormatter` with
/// `enforce_min_max_values` and `learn_rounding_scheme`, and its
/// `UniformEncoder` for categorical columns).
///
/// **Fitting** (``encode(numeric:numericNames:numericTypes:categorical:labels:classCount:tails:seed:source:)``):
/// - *integer*: every human value of a numeric column is a whole number
///   (below 2⁶³ in magnitude: a table writes it as INT64, exactly);
///   *boolean*: the reader's boolean column (values 0 and 1);
///   *categorical*: the reader's categorical column; else *continuous*.
/// - *continuous* columns learn the fewest decimals (0…6) that reproduce
///   every human value as float32, as RDT's `learn_rounding_scheme` does
///   (it tries up to 14 on float64); none when more are needed.
/// - *categorical* and *boolean* columns are modelled through their
///   frequencies, as SDV's copula models them: within class c, category k
///   owns the interval [F_c(k−1), F_c(k)) of [0, 1], F_c the cumulative
///   share of the categories in their order; each human value becomes a
///   uniform draw p inside its category's interval (RDT's `UniformEncoder`;
///   seeded: the fit's `seed`, ``Substream/categoryPositions``), then its
///   normal score Φ⁻¹(p) (what SDV's copula does to a column whose fitted
///   marginal is uniform), and that number is modelled with the other
///   columns: a class's encoded column is standard normal, which the
///   Gaussian and the mixture model as well as the copula. Intervals are
///   per class because every model is class-conditional: a category a
///   class never shows has an empty interval there and is never sampled in it.
///
/// **Sampling** (``apply(_:classIndex:)``, after the model's own draw), per column:
/// - categorical and boolean: the category whose interval of the row's
///   class holds Φ(value), found by comparing the value with the interval
///   ends' normal scores Φ⁻¹(F_c(k)) (computed once, by synthctl's own
///   Φ⁻¹: sampling calls no special function), written as its code
///   (0 ..< K; boolean 0 = false, 1 = true);
/// - numeric: clipped to the column's `bounds` (SDV clips rather than
///   resamples: `data.clip(min, max)`; resampling would make a row's value
///   depend on how many tries it took. Clipping piles the mass beyond a
///   bound on the bound itself), then rounded half to even (NumPy's
///   `round`, which RDT's `FloatFormatter.reverse_transform` calls) to
///   0 decimals for an integer column, to `decimals` for a continuous one.
///
/// **Bounds.** The Gaussian and the mixture clip every numeric column to the
/// human [min, max] (SDV's default `enforce_min_max_values=True`). The
/// copula, whose marginals have fitted tails (``GaussianCopulaModel``),
/// clips integer columns to [min, max] too, but a continuous column only at
/// its sign: at 0 below when every human value is ≥ 0, at 0 above when
/// every one is ≤ 0, so that its tails reach beyond the observed range
/// where the data allows it (`tails: true`). A column whose human values
/// are all > 0 (an income, a rate) never shows 0, so clipping there would
/// put a point mass on an impossible value (4 of 3,000 incomes at 0.00
/// where the human minimum was 6,346): the copula continues its lower tail
/// on the log scale, which never reaches 0, and a value that still rounds
/// to 0 becomes the smallest positive one at its decimals
/// (``Column/isStrictlyPositive``).
///
/// In the model file, field `columns`, one object per feature in the
/// model's feature order:
///
///     {"kind": "integer", "min": 0, "max": 16, "bounds": [0, 16]}
///     {"kind": "continuous", "min": 0.12, "max": 3.5, "bounds": [0, null], "decimals": 2}
///     {"kind": "categorical", "categories": ["a", "b"], "frequencies": [[0.25, 0.75], [1, 0]]}
///
/// `frequencies` holds one list per class (in the model's class order).
/// Files without `columns` (written before it existed) sample as before:
/// real numbers, unbounded.
public struct FittedColumns: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case continuous, integer, categorical, boolean
    }

    public struct Column: Sendable, Equatable {
        public let kind: Kind
        /// The human column's smallest and largest value (numeric kinds; 0 for the others).
        public let min: Double, max: Double
        /// The bounds sampling clips to, nil where open (numeric kinds).
        public let lower: Double?, upper: Double?
        /// Decimals a continuous column rounds to, or nil.
        public let decimals: Int?
        /// A date or timestamp column's time (``FittedTime``): what its
        /// numbers count, so that tables write them as dates; nil for
        /// other columns.
        public let time: FittedTime?
        /// Categorical and boolean: the categories in code order (boolean: "false", "true").
        public let categories: [String]
        /// Per class, each category's share of the class's rows (sums to 1).
        public let frequencies: [[Double]]
        /// Per class, the cumulative shares: category k's interval is
        /// [cumulative[c][k − 1], cumulative[c][k]) (the first starts at 0).
        let cumulative: [[Double]]
        /// Per class, Φ⁻¹ of ``cumulative`` (−∞ at 0, +∞ at 1): category k
        /// holds the normal scores below boundaries[c][k] and from boundaries[c][k − 1].
        let boundaries: [[Double]]

        public init(kind: Kind, min: Double = 0, max: Double = 0, lower: Double? = nil, upper: Double? = nil,
                    decimals: Int? = nil, time: FittedTime? = nil, categories: [String] = [], frequencies: [[Double]] = []) {
            self.kind = kind
            self.time = time
            self.min = min
            self.max = max
            self.lower = lower
            self.upper = upper
            self.decimals = decimals
            self.categories = categories
            self.frequencies = frequencies
            let cumulative = frequencies.map { shares in
                var sum = 0.0
                return shares.enumerated().map { k, share in
                    sum += share
                    return k == shares.count - 1 ? 1 : Swift.min(sum, 1)
                }
            }
            self.cumulative = cumulative
            boundaries = cumulative.map { $0.map { p in p >= 1 ? .infinity : p <= 0 ? -.infinity : normalQuantile(p) } }
        }

        public var isCategorical: Bool { kind == .categorical || kind == .boolean }

        /// A continuous column whose human values are all > 0 and which
        /// sampling clips at its sign only (the copula's): its lower tail
        /// stays positive (``CopulaModelGenerator``) and a value that rounds
        /// to 0 or below becomes the smallest positive value at its decimals.
        public var isStrictlyPositive: Bool { kind == .continuous && min > 0 && lower == 0 }
    }

    public let columns: [Column]

    public init(columns: [Column]) { self.columns = columns }

    /// Where float32, the number type every model reads, fits and samples
    /// in, does not hold every integer of a numeric column: one note per
    /// column whose largest magnitude is beyond 2²⁴ = 16,777,216 (float32's
    /// 24-bit significand; IEEE 754 binary32), naming the step between
    /// float32 values there (the value's `ulp`: 256 near 3·10⁹), to which
    /// its values were rounded when read and are rounded when sampled.
    /// `names` are the columns' names in the model's feature order; `read`
    /// is the numeric matrix as read, before ``encode(numeric:numericNames:numericTypes:categorical:labels:classCount:tails:seed:source:)``
    /// (its columns are the first ones): the note states the largest value
    /// read, and for an integer column that reaches 2⁶³ (a uint64) says that
    /// those values were clamped to ``largestInt64Float``, and why.
    public func float32RoundingNotes(names: [String], read: Matrix) -> [String] {
        zip(names, columns).enumerated().compactMap { j, named in
            let (name, column) = named
            guard column.kind == .integer || column.kind == .continuous else { return nil }
            var largest = Swift.max(abs(column.min), abs(column.max))
            if j < read.columns {
                for i in 0..<read.rows where Double(read.storage[i * read.columns + j].magnitude) > largest { largest = Double(read.storage[i * read.columns + j].magnitude) }
            }
            guard largest > 0x1p24 else { return nil }
            let whole = { (v: Double) in v < 0x1p64 ? String(UInt64(v)) : "\(v)" }
            let clamped = column.kind == .integer && largest >= 0x1p63
                ? ", and those of magnitude 2^63 or more clamped to \(whole(Double(Self.largestInt64Float))) (the largest float32 below 2^63), "
                    + "so that each is an Int64, the integer type tables write" : ""
            return "column \"\(name)\" holds values beyond 2^24 (up to \(whole(largest))), where float32, the model's number type, "
                + "holds integers only in steps of \(whole(Double(Float(largest).ulp))) at the largest: its values are read and sampled rounded to those steps"
                + clamped
        }
    }

    /// Whether any column is categorical (not boolean): a table, not `.npy`, can hold its names.
    public var hasCategories: Bool { columns.contains { $0.kind == .categorical } }

    /// Decimals tried when learning a continuous column's rounding (float32 holds about 7 digits).
    static let maximumDecimals = 6

    // MARK: Fitting

    /// The matrix a model is fitted on and the columns that describe it:
    /// the numeric columns of `numeric` (named `numericNames`, typed
    /// `numericTypes`: ``ColumnType/boolean`` columns become boolean, whole
    /// numbers integer; ``ColumnType/date`` and ``ColumnType/timestamp``
    /// columns keep their ``FittedTime``, UTC where `numericUnits`, the
    /// schema's units or empty, says so), then one column per `categorical` column, each
    /// value a uniform draw inside its category's interval (see the type's
    /// doc). `labels`: class ids 0 ..< `classCount`, one per row. `tails`:
    /// the copula's bounds (continuous columns clipped at their sign only).
    ///
    /// - Throws: ``InputError`` naming a categorical column with a missing
    ///   value (code −1): a fitted model needs a category in every row.
    public static func encode(numeric x: Matrix, numericNames: [String], numericTypes: [ColumnType], numericUnits: [String?] = [],
                              categorical: [(name: String, categories: [String], codes: [Int32])],
                              labels: [Int32], classCount k: Int, tails: Bool, seed: UInt64,
                              source: String) throws -> (features: Matrix, names: [String], columns: FittedColumns) {
        let n = x.rows, dn = x.columns, d = dn + categorical.count
        precondition(numericNames.count == dn && numericTypes.count == dn && labels.count == n)
        precondition(numericUnits.isEmpty || numericUnits.count == dn)
        var out = Matrix(rows: n, columns: d)
        for i in 0..<n { for j in 0..<dn { out.storage[i * d + j] = x.storage[i * dn + j] } }
        let stream = RandomStream(seed: seed, .categoryPositions)
        var columns = [Column]()
        // Codes (0 ..< K) per row → uniform draws in their class's intervals, in place at column j.
        func encodeCodes(_ codes: (Int) -> Int, categories: [String], column j: Int, kind: Kind) -> Column {
            var counts = [[Double]](repeating: [Double](repeating: 0, count: categories.count), count: k)
            for i in 0..<n { counts[Int(labels[i])][codes(i)] += 1 }
            let shares = counts.map { row -> [Double] in
                let total = row.reduce(0, +)
                return total > 0 ? row.map { $0 / total } : row
            }
            let column = Column(kind: kind, categories: categories, frequencies: shares)
            for i in 0..<n {
                let c = Int(labels[i]), code = codes(i)
                let start = code == 0 ? 0 : column.cumulative[c][code - 1], end = column.cumulative[c][code]
                let u = stream.uniform(row: UInt64(i), draw: UInt32(j)) + 0x1p-54  // in (0, 1)
                out.storage[i * d + j] = Float(normalQuantile(Swift.min(Swift.max(start + (end - start) * u, 0x1p-53), 1 - 0x1p-53)))
            }
            return column
        }
        for j in 0..<dn {
            if numericTypes[j] == .boolean {
                columns.append(encodeCodes({ x.storage[$0 * dn + j] != 0 ? 1 : 0 }, categories: ["false", "true"], column: j, kind: .boolean))
                continue
            }
            var lo = Double.infinity, hi = -Double.infinity, whole = true
            let typedInteger = numericTypes[j] == .integer
            for i in 0..<n {
                var v = x.storage[i * dn + j]
                // A column typed integer (Parquet INT64, a schema) holds Int64s, but float32
                // rounds those within 2^39 of ±2^63 to ±2^63, which INT64 cannot write back:
                // such a value is the float32 just inside, and the column stays integer.
                if typedInteger && abs(v) >= 0x1p63 {
                    v = v < 0 ? -Self.largestInt64Float : Self.largestInt64Float
                    out.storage[i * d + j] = v
                }
                lo = Swift.min(lo, Double(v))
                hi = Swift.max(hi, Double(v))
                if whole && (v != v.rounded() || abs(v) >= 0x1p63) { whole = false }  // INT64 in a table
            }
            let kind: Kind = whole ? .integer : .continuous
            let decimals = kind == .continuous ? learnedDecimals((0..<n).map { x.storage[$0 * dn + j] }) : nil
            let signOnly = tails && kind == .continuous
            let lower: Double? = signOnly ? (lo >= 0 ? 0 : nil) : lo
            let upper: Double? = signOnly ? (hi <= 0 ? 0 : nil) : hi
            columns.append(Column(kind: kind, min: lo, max: hi, lower: lower, upper: upper, decimals: decimals,
                                  time: FittedTime(type: numericTypes[j], unit: numericUnits.isEmpty ? nil : numericUnits[j])))
        }
        for (t, column) in categorical.enumerated() {
            if let i = column.codes.firstIndex(where: { $0 < 0 }) {
                throw InputError(file: source, field: "column \"\(column.name)\" row \(i)",
                                 expected: "a category in every row of a categorical column to fit", found: "a missing value")
            }
            columns.append(encodeCodes({ Int(column.codes[$0]) }, categories: column.categories, column: dn + t, kind: .categorical))
        }
        return (out, numericNames + categorical.map(\.name), FittedColumns(columns: columns))
    }

    /// The largest float32 below 2^63 (2^63 − 2^39): the largest magnitude
    /// an integer column's values, bounds and samples take, so that each
    /// converts to Int64 (INT64 in a table, checked when a model is read).
    static let largestInt64Float = Float(0x1p63).nextDown

    /// The fewest decimals (0 … ``maximumDecimals``) to which every value
    /// rounds back to itself as float32, or nil (RDT's `_learn_rounding_digits`).
    static func learnedDecimals(_ values: [Float]) -> Int? {
        (0...maximumDecimals).first { places in
            values.allSatisfy { Float(rounded(Double($0), decimals: places)) == $0 }
        }
    }

    /// `v` rounded half to even to `decimals` places (NumPy's `round`).
    @inline(__always)
    static func rounded(_ v: Double, decimals: Int) -> Double {
        guard decimals > 0 else { return v.rounded(.toNearestOrEven) }
        let scale = powersOfTen[decimals]
        return (v * scale).rounded(.toNearestOrEven) / scale
    }

    static let powersOfTen: [Double] = (0...maximumDecimals).map { p in (0..<p).reduce(1.0) { r, _ in r * 10 } }

    // MARK: Sampling

    /// Maps one sampled row (d values, the model's scale) of class `c` to
    /// the column types, in place: categories to their codes, numbers
    /// clipped and rounded (see the type's doc).
    ///
    /// - Precondition: `row` holds ``columns``.count values; `c` is a class of the model.
    @inline(__always)
    func apply(_ row: UnsafeMutablePointer<Float>, classIndex c: Int) {
        for (j, column) in columns.enumerated() {
            if column.isCategorical {
                let v = Double(row[j]), bounds = column.boundaries[c]
                var code = bounds.count - 1
                // The first category with a non-empty interval ending above v.
                for k in 0..<bounds.count where v < bounds[k] && column.frequencies[c][k] > 0 { code = k; break }
                while code > 0 && column.frequencies[c][code] == 0 { code -= 1 }
                row[j] = Float(code)
                continue
            }
            var v = Double(row[j])
            if let lower = column.lower, v < lower { v = lower }
            if let upper = column.upper, v > upper { v = upper }
            if column.kind == .integer { v = v.rounded(.toNearestOrEven) }
            else if let places = column.decimals { v = Self.rounded(v, decimals: places) }
            if v <= 0 && column.isStrictlyPositive { v = column.decimals.map { 1 / Self.powersOfTen[$0] } ?? column.min }
            row[j] = Float(v)
        }
    }

    // MARK: The file's field

    /// The `columns` field (see the type's doc).
    public var json: JSONValue {
        .array(columns.map { column in
            var o: [String: JSONValue] = ["kind": .string(column.kind.rawValue)]
            if column.isCategorical {
                o["categories"] = JSONValue(column.categories)
                o["frequencies"] = .array(column.frequencies.map { JSONValue($0) })
            } else {
                o["min"] = .double(column.min)
                o["max"] = .double(column.max)
                o["bounds"] = .array([column.lower.map(JSONValue.double) ?? .null, column.upper.map(JSONValue.double) ?? .null])
                if let decimals = column.decimals { o["decimals"] = .int(decimals) }
                if let time = column.time { o["time"] = .string(time.rawValue) }
            }
            return .object(o)
        })
    }

    /// Reads the `columns` field of a model with `features` features and
    /// `classes` classes; nil when absent (a file written before it).
    ///
    /// - Throws: ``InputError`` naming the field (`columns[2].frequencies[1]`).
    init?(_ v: JSONValue?, features d: Int, classes k: Int, source: String) throws {
        guard let v else { return nil }
        func fail(_ field: String, _ expected: String, _ found: JSONValue?) -> InputError { FittedModelFile.fail(source, field, expected, found) }
        guard case .array(let items) = v, items.count == d else { throw fail("columns", "\(FittedModelFile.count(d, "column")) (one per feature)", v) }
        columns = try items.enumerated().map { j, item in
            let at = "columns[\(j)]"
            guard case .object(let o) = item, case .string(let name)? = o["kind"], let kind = Kind(rawValue: name) else {
                throw fail("\(at).kind", Kind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "), (item.object?["kind"]) ?? item)
            }
            if kind == .categorical || kind == .boolean {
                guard case .array(let names)? = o["categories"], !names.isEmpty,
                      case let categories = names.compactMap({ if case .string(let s) = $0 { s } else { nil } }), categories.count == names.count,
                      kind == .categorical || categories == ["false", "true"] else {
                    throw fail("\(at).categories", kind == .boolean ? "[\"false\", \"true\"]" : "a non-empty list of strings", o["categories"])
                }
                guard case .array(let perClass)? = o["frequencies"], perClass.count == k else {
                    throw fail("\(at).frequencies", "\(FittedModelFile.count(k, "list")) (one per class)", o["frequencies"])
                }
                let frequencies = try perClass.enumerated().map { c, row -> [Double] in
                    guard let shares = row.numbers, shares.count == categories.count, shares.allSatisfy({ $0 >= 0 && $0.isFinite }),
                          abs(shares.reduce(0, +) - 1) < 1e-6 else {
                        throw fail("\(at).frequencies[\(c)]", "\(FittedModelFile.count(categories.count, "share")) ≥ 0 summing to 1", row)
                    }
                    return shares
                }
                return Column(kind: kind, categories: categories, frequencies: frequencies)
            }
            guard let lo = o["min"]?.number, let hi = o["max"]?.number, lo.isFinite, hi.isFinite, lo <= hi else {
                throw fail("\(at).min", "finite numbers min ≤ max", o["min"])
            }
            func bound(_ b: JSONValue) throws -> Double? {
                if b == .null { return nil }
                guard let x = b.number, x.isFinite else { throw fail("\(at).bounds", "[lower, upper], each a number or null", o["bounds"]) }
                return x
            }
            guard case .array(let b)? = o["bounds"], b.count == 2 else { throw fail("\(at).bounds", "[lower, upper], each a number or null", o["bounds"]) }
            let (lower, upper) = (try bound(b[0]), try bound(b[1]))
            if let lower, let upper, lower > upper { throw fail("\(at).bounds", "lower ≤ upper", o["bounds"]) }
            // An integer column is written as INT64 (and as Int in text): its bounds keep every sample there.
            if kind == .integer, !(lower.map { abs($0) < 0x1p63 } ?? false) || !(upper.map { abs($0) < 0x1p63 } ?? false) {
                throw fail("\(at).bounds", "[lower, upper] below 2^63 in magnitude for an integer column", o["bounds"])
            }
            var decimals: Int? = nil
            if let given = o["decimals"] {
                guard case .int(let p) = given, (0...Self.maximumDecimals).contains(p) else {
                    throw fail("\(at).decimals", "an integer in 0…\(Self.maximumDecimals)", given)
                }
                decimals = p
            }
            var time: FittedTime? = nil
            if let given = o["time"] {
                // A date counts whole days: the sampled value must be one (an integer column).
                guard case .string(let name) = given, let t = FittedTime(rawValue: name), t != .date || kind == .integer else {
                    throw fail("\(at).time", kind == .integer ? "\"date\", \"timestamp\" or \"timestamp_utc\""
                                   : "\"timestamp\" or \"timestamp_utc\" (a date is an integer column)", given)
                }
                time = t
            }
            return Column(kind: kind, min: lo, max: hi, lower: lower, upper: upper, decimals: decimals, time: time)
        }
    }
}

private extension JSONValue {
    var object: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
}
