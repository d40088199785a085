/// One column of a flat Parquet table that ``ParquetFileWriter`` writes:
/// its name, what its values are, and whether it holds nulls.
package struct ParquetColumn: Sendable {
    /// The stored type (parquet.thrift `Type`, with a logical type for
    /// strings) and encoding.
    package enum Kind: Sendable {
        /// FLOAT (IEEE 754 binary32), PLAIN.
        case float
        /// DOUBLE (IEEE 754 binary64), PLAIN: probabilities and scores that
        /// a float32 would round.
        case double
        /// INT32, PLAIN.
        case int32
        /// INT64, PLAIN: row numbers and counts that may pass 2³¹.
        case int64
        /// BOOLEAN, PLAIN (bit-packed, least significant bit first); values
        /// are given as 0 or 1.
        case boolean
        /// BYTE_ARRAY with logical type STRING, dictionary-encoded: one
        /// dictionary page holding `dictionary` (PLAIN), then data pages of
        /// RLE_DICTIONARY indices. Values are given as indices into it.
        case string(dictionary: [String])
        /// BYTE_ARRAY with logical type STRING, PLAIN (each value its
        /// UTF-8 length as 4 bytes little-endian, then its bytes): text
        /// with no small set of values to put in a dictionary (item ids).
        case text
        /// A list of `width` FLOAT elements per row (an embedding), written
        /// as LogicalTypes.md's three-level LIST (`<optional|required> group
        /// NAME (LIST) { repeated group list { optional float element; } }`)
        /// with repetition and definition levels; values are given row-major,
        /// `width` a row (``ParquetFileWriter/appendList(column:from:rows:)``).
        case floatList(width: Int)
        /// As ``floatList(width:)`` with DOUBLE elements.
        case doubleList(width: Int)
        /// FIXED_LEN_BYTE_ARRAY of `width` bytes, PLAIN: a DECIMAL too wide
        /// for INT64 (precision above 18) as pyarrow, Spark and DuckDB store
        /// it, its unscaled value in big-endian two's complement. Values are
        /// given as bytes, `width` a row (``ParquetFileWriter/appendFixedBytes(column:from:rows:)``),
        /// buffered in ``valuesPerRow`` eight-byte words a row.
        case fixedBytes(width: Int)
    }

    /// What the stored values mean: parquet.thrift's LogicalType, written
    /// with the matching ConvertedType for older readers where one exists
    /// (LogicalTypes.md). On INT32 or INT64 columns only, and DECIMAL on
    /// fixed-length bytes.
    package enum LogicalType: Sendable, Equatable {
        case none
        /// INTEGER(bits, signed): INT_8 … INT_64, UINT_8 … UINT_64.
        case integer(bits: Int, signed: Bool)
        /// DECIMAL(precision, scale): the stored integer × 10^−scale.
        case decimal(precision: Int, scale: Int)
        /// DATE: days since 1970-01-01 (INT32).
        case date
        /// TIMESTAMP(unit, isAdjustedToUTC) (INT64).
        case timestamp(unit: TimeUnit, utc: Bool)
    }

    /// A TIMESTAMP's tick.
    package enum TimeUnit: Sendable, Equatable { case millis, micros, nanos }

    package let name: String
    package let kind: Kind
    /// OPTIONAL rather than REQUIRED: a value −1 (for ``Kind/int32`` and
    /// ``Kind/string(dictionary:)``) is written as null. The other kinds
    /// are never null.
    package let nullable: Bool
    /// What the values mean (``LogicalType``).
    package let logicalType: LogicalType
    /// Nulls are given as flags (``ParquetFileWriter/appendPresence(column:from:rows:)``),
    /// not as −1 values: every kind but dictionary strings may then be OPTIONAL.
    package let flaggedNulls: Bool

    package init(name: String, kind: Kind, nullable: Bool = false) {
        switch kind {
        case .int32, .string: break
        case .float, .double, .int64, .boolean, .text, .floatList, .doubleList, .fixedBytes:
            precondition(!nullable, "\(name): only INT32 and dictionary strings hold nulls")
        }
        self.name = name
        self.kind = kind
        self.nullable = nullable
        self.logicalType = .none
        self.flaggedNulls = false
    }

    /// A column whose nulls, when `optional`, are given as flags: what
    /// `synthctl split` writes to copy a Parquet table's columns with their
    /// types. Dictionary strings take −1 for null (``init(name:kind:nullable:)``).
    package init(name: String, kind: Kind, logicalType: LogicalType, optional: Bool) {
        switch (kind, logicalType) {
        case (.string, _): preconditionFailure("\(name): dictionary strings take −1 for null")
        case (_, .none), (.int32, .integer), (.int64, .integer), (.int32, .decimal), (.int64, .decimal), (.fixedBytes, .decimal),
             (.int32, .date), (.int64, .timestamp): break
        default: preconditionFailure("\(name): \(logicalType) on \(kind)")
        }
        self.name = name
        self.kind = kind
        self.nullable = optional
        self.logicalType = logicalType
        self.flaggedNulls = optional
    }

    /// Values a row holds in its buffer: a list's width, the eight-byte
    /// words of fixed-length bytes, else 1.
    var valuesPerRow: Int {
        switch kind {
        case .floatList(let width), .doubleList(let width): width
        case .fixedBytes(let width): (width + 7) / 8
        default: 1
        }
    }

    /// A list of floats or doubles (three schema elements, levels).
    var isList: Bool {
        switch kind {
        case .floatList, .doubleList: true
        default: false
        }
    }

    /// Written by ``ParquetFileWriter``'s general encoder (levels, then
    /// PLAIN values) rather than its fast paths.
    var needsLevels: Bool {
        if flaggedNulls { return true }
        switch kind {
        case .floatList, .doubleList, .fixedBytes: return true
        default: return false
        }
    }

    /// How ``ParquetFileWriter`` buffers a column's values.
    enum Storage {
        /// Float.
        case floats
        /// Int32: INT32 values, booleans as 0 or 1, dictionary indices (−1 null).
        case integers
        /// UInt64 bit patterns of Double or Int64 values.
        case wide
        /// String.
        case texts
    }

    var storage: Storage {
        switch kind {
        case .float, .floatList: .floats
        case .int32, .boolean, .string: .integers
        case .double, .int64, .doubleList, .fixedBytes: .wide
        case .text: .texts
        }
    }

    /// Values are buffered as Float, one a row (true) or otherwise (false).
    var storesFloats: Bool { if case .float = kind { true } else { false } }

    /// parquet.thrift `Type`.
    var physicalType: Int32 {
        switch kind {
        case .boolean: 0
        case .int32: 1
        case .int64: 2
        case .float, .floatList: 4
        case .double, .doubleList: 5
        case .string, .text: 6
        case .fixedBytes: 7
        }
    }
}
