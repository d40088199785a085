import Foundation
import SynthctlCore

/// A fingerprint of the rows a model was fitted on, recorded in its model
/// file (format version 2: `fitted_rows` in the JSON, the tensor
/// `fitted_rows.hashes` in the safetensors file), so that `compare` can
/// tell when the human rows it holds out are rows the synthetic set's model
/// has seen — which makes train-on-synthetic and the privacy checks read
/// better than they are.
///
/// Each row's hash is SplitMix64's finalizer (Steele, Lea & Flood 2014)
/// chained over the row's features as float32 bits, in the model's
/// `feature_names` order (−0 read as +0), then the UTF-8 bytes of its
/// class name and its length, kept to 52 bits so that each is an exact
/// float64 in the tensor (sorted, distinct, shape [m]). Two different rows
/// share a hash with probability 2⁻⁵²: checking h holdout rows against n
/// fitted rows counts a row that is not there with probability at most
/// n·h·2⁻⁵² (2.2·10⁻⁶ for 10⁵ against 10⁵), and never misses one that is.
///
/// A model with boolean or categorical columns hashes its rows as they
/// were read (``TypedRows``, `hash` ``typedHash``): numeric columns' float32
/// bits, then each boolean or categorical column's category name, so that
/// `compare` can hash its holdout the same way; the numbers the model is
/// fitted on encode categories as random draws and match nothing.
public struct FittedRowsFingerprint: Sendable, Equatable {
    /// The JSON field and the tensor's name.
    public static let field = "fitted_rows"
    public static let tensorName = "fitted_rows.hashes"

    /// Rows fitted (repeated rows counted each time).
    public let rows: Int
    /// Distinct row hashes, ascending, each below 2⁵².
    public let hashes: [UInt64]
    /// Whether boolean and categorical columns were hashed by their
    /// category names (``typedHash``); false for numbers only.
    public var typed = false

    /// The fingerprint of `features` (N × D, columns in the model's
    /// feature order) with class ids `labels` naming `classNames`.
    public init(features: Matrix, labels: [Int32], classNames: [String]) {
        rows = labels.count
        hashes = Array(Set(Self.rowHashes(features, labels: labels, classNames: classNames))).sorted()
    }

    init(rows: Int, hashes: [UInt64], typed: Bool) {
        self.rows = rows
        self.hashes = hashes
        self.typed = typed
    }

    /// The fingerprint of rows as they were read (see ``TypedRows``).
    public init(rows typed: TypedRows, labels: [Int32], classNames: [String]) {
        rows = labels.count
        hashes = Array(Set(Self.rowHashes(typed, labels: labels, classNames: classNames))).sorted()
        self.typed = !typed.categorical.isEmpty
    }

    /// The JSON's `hash` of a fingerprint over numbers only (every model
    /// before typed columns, and a table with no boolean or categorical column).
    static let numericHash = "52-bit SplitMix64 chain over each row's float32 feature bits (feature_names order) and class name"
    /// The JSON's `hash` when the model has boolean or categorical columns:
    /// those are hashed by their category names, as read, not by the
    /// numbers the model encodes them as (random draws inside each category's interval).
    public static let typedHash = "52-bit SplitMix64 chain over each row's numeric float32 bits (feature_names order), then its boolean and categorical columns' category names (feature_names order), and class name"

    /// A table's rows as they were read, for hashing: its numeric columns
    /// (rows × columns, hashed by their float32 bits), then its boolean and
    /// categorical columns (hashed by their category names: a boolean
    /// column's 0/1 as "false"/"true"), each part in the model's
    /// `feature_names` order. A table with only numeric columns hashes as
    /// ``rowHashes(_:labels:classNames:)`` does.
    public struct TypedRows: Sendable {
        public var numeric: Matrix
        /// Per boolean or categorical column, its categories and one code per row (−1: missing).
        public var categorical: [(categories: [String], codes: [Int32])]

        public init(numeric: Matrix, categorical: [(categories: [String], codes: [Int32])]) {
            self.numeric = numeric
            self.categorical = categorical
        }

        /// The rows of a fit's input: `x`'s columns of kind ``ColumnType/boolean``
        /// (per `types`) move after the numeric ones, as categories, then `categorical`.
        public init(numeric x: Matrix, types: [ColumnType], categorical: [(categories: [String], codes: [Int32])]) {
            let numericColumns = types.indices.filter { types[$0] != .boolean }
            let booleans = types.indices.filter { types[$0] == .boolean }
            var m = Matrix(rows: x.rows, columns: numericColumns.count)
            for i in 0..<x.rows { for (j, c) in numericColumns.enumerated() { m.storage[i * m.columns + j] = x.storage[i * x.columns + c] } }
            let flags = booleans.map { c in (categories: ["false", "true"], codes: (0..<x.rows).map { Int32(x.storage[$0 * x.columns + c] != 0 ? 1 : 0) }) }
            self.init(numeric: m, categorical: flags + categorical)
        }
    }

    /// Each row's 52-bit hash, in order: numeric bits, then category names, then the class name.
    public static func rowHashes(_ rows: TypedRows, labels: [Int32], classNames: [String]) -> [UInt64] {
        var h = partialHashes(rows.numeric, rows: labels.count)
        for column in rows.categorical {
            let names = column.categories.map(nameHash), missing = mix(~0)
            for r in h.indices { h[r] = mix(h[r] ^ (column.codes[r] < 0 ? missing : names[Int(column.codes[r])])) }
        }
        let seeds = classNames.map(nameHash)
        return h.indices.map { mix(h[$0] ^ seeds[Int(labels[$0])]) >> 12 }
    }

    /// The chain over each row's float32 bits, before its class name.
    static func partialHashes(_ x: Matrix, rows n: Int) -> [UInt64] {
        x.storage.withUnsafeBufferPointer { v in
            (0..<n).map { r in
                var h: UInt64 = 0x243F_6A88_85A3_08D3
                for c in 0..<x.columns { h = mix(h ^ UInt64((v[r * x.columns + c] + 0).bitPattern)) }
                return h
            }
        }
    }

    /// A name's UTF-8 bytes and length, chained.
    static func nameHash(_ name: String) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for b in name.utf8 { h = mix(h ^ UInt64(b)) }
        return mix(h ^ UInt64(name.utf8.count))
    }

    /// Each row's 52-bit hash, in order.
    public static func rowHashes(_ x: Matrix, labels: [Int32], classNames: [String]) -> [UInt64] {
        let seeds = classNames.map(nameHash), h = partialHashes(x, rows: labels.count)
        return h.indices.map { mix(h[$0] ^ seeds[Int(labels[$0])]) >> 12 }
    }

    /// SplitMix64's output function: every input bit moves every output bit.
    @inline(__always) static func mix(_ z: UInt64) -> UInt64 {
        var z = z &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// How many of `hashes` (one per row) are among the fitted rows'.
    public func count(in rowHashes: [UInt64]) -> Int {
        let fitted = Set(hashes)
        return rowHashes.lazy.filter { fitted.contains($0) }.count
    }

    /// The model JSON's field: what the tensor holds and how it is made.
    public var json: JSONValue {
        .object(["rows": .int(rows), "distinct": .int(hashes.count), "tensor": .string(Self.tensorName),
                 "hash": .string(typed ? Self.typedHash : Self.numericHash)])
    }

    public var tensor: SafetensorsFile.Tensor {
        SafetensorsFile.Tensor(name: Self.tensorName, shape: [hashes.count], values: hashes.map { Double($0) })
    }

    /// The fingerprint in the two-file model at `path` (its JSON's
    /// `fitted_rows` and the tensor, in the safetensors file the JSON
    /// names, checked against its SHA-256), with the model's feature names;
    /// nil fingerprint for a model written before fingerprints (or in the
    /// one-JSON form). Errors: the files', one line.
    /// `kinds`: each feature's kind from the model's `columns` (nil without them).
    public static func read(modelAt path: String) throws -> (fingerprint: FittedRowsFingerprint?, featureNames: [String], kinds: [FittedColumns.Kind]?) {
        guard case .object(let o) = try SpecLoader.load(path: path) else {
            throw InputError(file: path, expected: FittedModelFile.modelObject, found: "another JSON value")
        }
        let names: [String] = if case .array(let a)? = o["feature_names"] {
            a.compactMap { if case .string(let s) = $0 { s } else { nil } }
        } else { [] }
        var kinds: [FittedColumns.Kind]?
        if case .array(let columns)? = o["columns"] {
            kinds = columns.compactMap { if case .object(let c) = $0, case .string(let k)? = c["kind"] { FittedColumns.Kind(rawValue: k) } else { nil } }
            if kinds?.count != names.count { kinds = nil }
        }
        guard case .object(let f)? = o[field], case .int(let rows)? = f["rows"] else { return (nil, names, kinds) }
        let typed = f["hash"] == .string(typedHash)
        let reference = try FittedModelFile.tensorReference(o, source: path)
        let directory = (path as NSString).deletingLastPathComponent
        let tensorsPath = directory.isEmpty ? reference.file : "\(directory)/\(reference.file)"
        let bytes = try InputFile.contents(tensorsPath)
        guard sha256Hex(bytes) == reference.sha256 else {
            throw InputError(file: tensorsPath, expected: "SHA-256 \(reference.sha256) (tensors.sha256 of \(path))", found: sha256Hex(bytes))
        }
        let tensors = try SafetensorsFile(bytes: bytes, source: tensorsPath)
        guard let shape = tensors.shape(tensorName), shape.count == 1 else {
            throw InputError(file: tensorsPath, field: tensorName, expected: "the fitted rows' hashes (\(path) records fitted_rows)", found: "none")
        }
        let values = try tensors.values(tensorName, shape: shape)
        guard values.allSatisfy({ $0 >= 0 && $0 < 0x1p52 && $0 == $0.rounded() }) else {
            throw InputError(file: tensorsPath, field: tensorName, expected: "whole numbers in [0, 2^52)", found: "other values")
        }
        return (FittedRowsFingerprint(rows: rows, hashes: values.map { UInt64($0) }, typed: typed), names, kinds)
    }
}
