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
    }

    package let name: String
    package let kind: Kind
    /// OPTIONAL rather than REQUIRED: a value −1 (for ``Kind/int32`` and
    /// ``Kind/string(dictionary:)``) is written as null. The other kinds
    /// are never null.
    package let nullable: Bool

    package init(name: String, kind: Kind, nullable: Bool = false) {
        switch kind {
        case .int32, .string: break
        case .float, .double, .int64, .boolean, .text: precondition(!nullable, "\(name): only INT32 and dictionary strings hold nulls")
        }
        self.name = name
        self.kind = kind
        self.nullable = nullable
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
        case .float: .floats
        case .int32, .boolean, .string: .integers
        case .double, .int64: .wide
        case .text: .texts
        }
    }

    /// Values are buffered as Float (true) or otherwise (false).
    var storesFloats: Bool { storage == .floats }

    /// parquet.thrift `Type`.
    var physicalType: Int32 {
        switch kind {
        case .boolean: 0
        case .int32: 1
        case .int64: 2
        case .float: 4
        case .double: 5
        case .string, .text: 6
        }
    }
}
