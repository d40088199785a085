import Foundation
import Synth

/// A labeled set to check for label issues: one label per row and, unless
/// the user brings predicted probabilities, the feature matrix to train
/// the out-of-sample model on. Synthetic sets also bring the truth (true
/// labels and the noise matrix), which lets the report say how well the
/// flagged items match the real errors.
///
/// Read from a synthctl dataset directory, from `.npy` files
/// (`--features X.npy --labels y.npy`), or from one table (CSV or JSON
/// Lines) with a label column.
public struct LabeledFeatures: Sendable {
    public let source: String
    /// N × D, or nil when only labels were given.
    public let features: Matrix?
    public let featureNames: [String]
    /// Class ids 0..<classNames.count, one per row.
    public let labels: [Int32]
    public let classNames: [String]
    /// True class ids (synthetic sets), or nil.
    public let truth: [Int32]?
    /// The generator's P(given | true), indexed [true][given], or nil.
    public let trueNoiseMatrix: [[Double]]?

    public init(source: String, features: Matrix?, featureNames: [String], labels: [Int32], classNames: [String],
                truth: [Int32]? = nil, trueNoiseMatrix: [[Double]]? = nil) {
        self.source = source
        self.features = features
        self.featureNames = featureNames
        self.labels = labels
        self.classNames = classNames
        self.truth = truth
        self.trueNoiseMatrix = trueNoiseMatrix
    }

    public var rows: Int { labels.count }
    public var classCount: Int { classNames.count }

    /// The columns synthctl's own tables carry besides features and the label.
    static let reservedColumns: Set<String> = ["true_label", "noisy"]

    /// A synthctl dataset directory: `features.npy`, `labels.npy`, and when
    /// present `true_labels.npy` and the manifest's class names and noise matrix.
    ///
    /// Label ids index the manifest's class names when it has a name for
    /// each; otherwise classes are the distinct ids of the labels and true
    /// labels (see ``ClassIds``). With `probabilityColumns` (the columns of
    /// the user's predicted probabilities) the ids are those columns instead.
    public static func read(datasetDirectory dir: String,
                            probabilityColumns: (count: Int, source: String)? = nil) throws -> LabeledFeatures {
        let base = URL(fileURLWithPath: dir)
        let labelsPath = base.appendingPathComponent("labels.npy").path
        let set = try read(features: base.appendingPathComponent("features.npy").path, labels: labelsPath,
                           probabilityColumns: probabilityColumns, mapped: false)
        let truthPath = base.appendingPathComponent("true_labels.npy").path
        var truth: [Int32]? = nil
        if FileManager.default.fileExists(atPath: truthPath) {
            let t = try integerLabels(NpyArray(path: truthPath), path: truthPath)
            guard t.count == set.rows else {
                throw SynthError("\(truthPath): expected \(set.rows) true labels (one per row of labels.npy), found \(t.count)")
            }
            truth = t
        }
        var manifestNames: [String]? = nil, noise: [[Double]]? = nil
        if let data = FileManager.default.contents(atPath: base.appendingPathComponent("manifest.json").path),
           case .object(let m)? = try? JSONDecoder().decode(JSONValue.self, from: data) {
            if case .array(let list)? = m["class_names"] {
                manifestNames = list.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
            }
            if case .object(let n)? = m["noise"], let matrix = n["realized_transition_matrix"]?.numberMatrix { noise = matrix }
        }
        let top = max(set.labels.max() ?? 0, truth?.max() ?? 0)
        var labels = set.labels, names: [String]
        if let probabilityColumns {
            if let t = truth, let bad = t.firstIndex(where: { Int($0) >= probabilityColumns.count }) {
                throw SynthError("\(truthPath): row \(bad): expected a class id below \(probabilityColumns.count) (the columns of \(probabilityColumns.source)), found \(t[bad])")
            }
            names = manifestNames.flatMap { $0.count == probabilityColumns.count ? $0 : nil } ?? (0..<probabilityColumns.count).map(String.init)
        } else if let given = manifestNames, given.count > Int(top) {
            names = given
        } else {
            let classes = ClassIds([labels] + (truth.map { [$0] } ?? []))
            labels = labels.map { classes($0) }
            truth = truth.map { $0.map { classes($0) } }
            names = classes.names
        }
        return LabeledFeatures(source: dir, features: set.features, featureNames: set.featureNames, labels: labels,
                               classNames: names, truth: truth, trueNoiseMatrix: noise.flatMap { $0.count == names.count ? $0 : nil })
    }

    /// Features from an N × D `.npy` (optional) and labels from an N `.npy` of class ids.
    ///
    /// Classes are the distinct ids present, named by their ids (see
    /// ``ClassIds``: one label 999999 is one class "999999"). With
    /// `probabilityColumns` (the columns of the user's predicted
    /// probabilities) the ids are those columns: classes "0"…"K−1", and an id
    /// of K or more is bad input.
    public static func read(features featuresPath: String?, labels labelsPath: String,
                            probabilityColumns: (count: Int, source: String)? = nil) throws -> LabeledFeatures {
        try read(features: featuresPath, labels: labelsPath, probabilityColumns: probabilityColumns, mapped: true)
    }

    /// `mapped` false leaves the ids as they are (the dataset reader maps
    /// them with the true labels).
    static func read(features featuresPath: String?, labels labelsPath: String,
                     probabilityColumns: (count: Int, source: String)?, mapped: Bool) throws -> LabeledFeatures {
        var labels = try integerLabels(NpyArray(path: labelsPath), path: labelsPath)
        guard !labels.isEmpty else { throw SynthError("\(labelsPath): expected at least one label, found none") }
        var matrix: Matrix? = nil
        if let featuresPath {
            let x = try features(npy: featuresPath)
            guard x.rows == labels.count else {
                throw SynthError("\(featuresPath): expected \(labels.count) rows (one per label in \(labelsPath)), found \(x.rows)")
            }
            matrix = x
        }
        let names: [String]
        if let probabilityColumns {
            if let bad = labels.firstIndex(where: { Int($0) >= probabilityColumns.count }) {
                throw SynthError("\(labelsPath): row \(bad): expected a class id below \(probabilityColumns.count) (the columns of \(probabilityColumns.source)), found \(labels[bad])")
            }
            names = (0..<probabilityColumns.count).map(String.init)
        } else if mapped {
            let classes = ClassIds([labels])
            labels = labels.map { classes($0) }
            names = classes.names
        } else {
            names = []
        }
        return LabeledFeatures(source: labelsPath, features: matrix,
                               featureNames: (0..<(matrix?.columns ?? 0)).map { "x\($0)" }, labels: labels,
                               classNames: names, truth: nil, trueNoiseMatrix: nil)
    }

    /// The same set under another name (for messages and reports).
    public func named(_ source: String) -> LabeledFeatures {
        LabeledFeatures(source: source, features: features, featureNames: featureNames, labels: labels,
                        classNames: classNames, truth: truth, trueNoiseMatrix: trueNoiseMatrix)
    }

    /// An N × D `.npy` of finite numbers, as float32.
    public static func features(npy path: String) throws -> Matrix {
        let x = try NpyArray(path: path)
        guard x.shape.count == 2 else {
            throw SynthError("\(path): expected an N × D feature matrix, found shape \(x.shape)")
        }
        for (i, v) in x.values.enumerated() where !v.isFinite {
            throw SynthError("\(path): row \(i / x.columns), column \(i % x.columns): expected a finite number, found \(v)")
        }
        return Matrix(rows: x.rows, columns: x.columns, storage: x.values.map(Float.init))
    }

    /// A table with one row per item: a label column, feature columns (by
    /// default every other column except synthctl's `true_label`, `noisy`
    /// and `annotator_*`), and `true_label`, when present, as the truth.
    /// CSV, JSON Lines (`.jsonl`, `.ndjson`) or Parquet (`.parquet`, `.pq`).
    /// Labels may be any strings or integers; classes are numbered in
    /// numeric order when every label is an integer, byte order otherwise.
    public static func read(table path: String, labelColumn: String, featureColumns: [String]? = nil) throws -> LabeledFeatures {
        let table = try TableSource(path)
        let header = table.header
        guard let lc = header.firstIndex(of: labelColumn) else {
            throw SynthError("\(path): expected a label column \"\(labelColumn)\", found columns \(header.joined(separator: ", "))")
        }
        let tc = header.firstIndex(of: "true_label")
        let chosen: [Int]
        if let featureColumns {
            chosen = try featureColumns.map { name in
                guard let c = header.firstIndex(of: name) else {
                    throw SynthError("\(path): expected a feature column \"\(name)\", found columns \(header.joined(separator: ", "))")
                }
                return c
            }
        } else {
            chosen = header.indices.filter { c in
                c != lc && !reservedColumns.contains(header[c]) && !header[c].hasPrefix("annotator_")
            }
        }
        guard table.rows > 0 else { throw SynthError("\(path): expected at least one row, found only the header") }
        let rawLabels = try (0..<table.rows).map { r -> String in
            guard let label = table.text(r, lc), !label.isEmpty else {
                throw SynthError("\(path): \(table.location(r)): expected a label in column \"\(labelColumn)\", found an empty field")
            }
            return label
        }
        let rawTruth = tc.map { c in (0..<table.rows).map { table.text($0, c) ?? "" } }
        var names = Array(Set(rawLabels + (rawTruth ?? [])))
        if names.allSatisfy({ Int($0) != nil }) { names.sort { Int($0)! < Int($1)! } } else { names.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }
        let id = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
        var estimate = MemoryEstimate()
        estimate.add("the features (\(table.rows) rows × \(chosen.count) columns × 4 bytes)", table.rows, chosen.count, 4)
        try MemoryBudget.current.check(estimate, subject: path)
        var storage = [Float](repeating: 0, count: table.rows * chosen.count)
        for (j, c) in chosen.enumerated() {
            for r in 0..<table.rows {
                guard let v = table.number(r, c), v.isFinite else {
                    throw SynthError("\(path): \(table.location(r)), column \"\(header[c])\": expected a finite number, found \(table.text(r, c).map { "\"\($0)\"" } ?? "null")")
                }
                storage[r * chosen.count + j] = Float(v)
            }
        }
        return LabeledFeatures(
            source: path, features: chosen.isEmpty ? nil : Matrix(rows: table.rows, columns: chosen.count, storage: storage),
            featureNames: chosen.map { header[$0] }, labels: rawLabels.map { id[$0]! }, classNames: names,
            truth: rawTruth.map { $0.map { id[$0] ?? -1 } }, trueNoiseMatrix: nil)
    }

    /// Header, records and line numbers of a CSV, or of JSON Lines (`.jsonl`,
    /// `.ndjson`) of flat objects, whose keys become the columns.
    static func tableRecords(_ path: String) throws -> ([String], [[String]], [Int]) {
        let lower = path.lowercased()
        guard lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") else {
            let t = try CSVTable(path: path)
            var estimate = MemoryEstimate()
            estimate.add("the table's cells as text (\(t.rowCount) rows × \(t.width) columns × 32 bytes)", t.rowCount, t.width, 32)
            try MemoryBudget.current.check(estimate, subject: path)
            return (t.header, t.records, t.lines)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SynthError("\(path): \(FileManager.default.fileExists(atPath: path) ? "expected a readable file" : "no such file")")
        }
        var header = [String](), column = [String: Int](), records = [[String]](), lines = [Int]()
        for (n, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
            if let (_, column) = NestingLimit.firstTooDeep(json: line) {
                throw SynthError("\(path): line \(n + 1): expected a flat JSON object, found values nested more than \(NestingLimit.maximumDepth) levels deep (column \(column))")
            }
            guard case .object(let o)? = try? JSONDecoder().decode(JSONValue.self, from: Data(line)) else {
                throw SynthError("\(path): line \(n + 1): expected one JSON object per line, found \(String(decoding: line.prefix(40), as: UTF8.self))")
            }
            if header.isEmpty {
                header = o.keys.sorted { naturalOrder($0, $1) }
                for (i, k) in header.enumerated() { column[k] = i }
                let rows = data.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                var estimate = MemoryEstimate()
                estimate.add("the table's cells as text (\(rows) lines × \(header.count) keys × 32 bytes)", rows, header.count, 32)
                try MemoryBudget.current.check(estimate, subject: path)
            }
            guard o.count == header.count, o.keys.allSatisfy({ column[$0] != nil }) else {
                throw SynthError("\(path): line \(n + 1): expected the keys of the first line (\(header.joined(separator: ", "))), found \(o.keys.sorted().joined(separator: ", "))")
            }
            var record = [String](repeating: "", count: header.count)
            for (k, v) in o {
                record[column[k]!] = switch v {
                case .string(let s): s
                case .int(let i): String(i)
                case .double(let d): String(d)
                case .bool(let b): String(b)
                default: "nan"
                }
            }
            records.append(record)
            lines.append(n + 1)
        }
        guard !header.isEmpty else { throw SynthError("\(path): expected at least one row, found an empty file") }
        return (header, records, lines)
    }

    /// "x2" before "x10": names compared by their text with digit runs as numbers.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        func key(_ s: String) -> (String, Int) {
            let digits = s.reversed().prefix { $0.isASCII && $0.isNumber }
            return (String(s.dropLast(digits.count)), Int(String(digits.reversed())) ?? -1)
        }
        let (ka, kb) = (key(a), key(b))
        return ka.0 != kb.0 ? ka.0 < kb.0 : ka.1 != kb.1 ? ka.1 < kb.1 : a < b
    }

    static func integerLabels(_ array: NpyArray, path: String) throws -> [Int32] {
        guard array.shape.count == 1 || array.columns == 1 else {
            throw SynthError("\(path): expected one label per row (1 dimension), found shape \(array.shape)")
        }
        return try array.values.enumerated().map { i, v in
            guard v.isFinite, v == v.rounded(), v >= 0, v <= Double(Int32.max) else {
                throw SynthError("\(path): row \(i): expected a class id (an integer \(v > Double(Int32.max) ? "in [0, \(Int32.max)]" : "≥ 0")), found \(v)")
            }
            return Int32(v)
        }
    }
}

extension JSONValue {
    /// A rectangular array of numbers, or nil.
    var numberMatrix: [[Double]]? {
        guard case .array(let rows) = self else { return nil }
        let out = rows.map { row -> [Double]? in
            guard case .array(let xs) = row else { return nil }
            let values = xs.compactMap { v -> Double? in
                switch v { case .double(let d): d; case .int(let i): Double(i); default: nil }
            }
            return values.count == xs.count ? values : nil
        }
        return out.contains { $0 == nil } ? nil : out.map { $0! }
    }
}
