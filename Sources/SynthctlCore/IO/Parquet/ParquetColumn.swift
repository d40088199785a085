/// One column of a flat Parquet table that ``ParquetFileWriter`` writes:
/// its name, what its values are, and whether it holds nulls.
package struct ParquetColumn: Sendable {
    /// The stored type (parquet.thrift `Type`, with a logical type for
    /// strings) and encoding.
    package enum Kind: Sendable {
        /// FLOAT (IEEE 754 binary32), PLAIN.
        case float
        /// INT32, PLAIN.
        case int32
        /// BOOLEAN, PLAIN (bit-packed, least significant bit first); values
        /// are given as 0 or 1.
        case boolean
        /// BYTE_ARRAY with logical type STRING, dictionary-encoded: one
        /// dictionary page holding `dictionary` (PLAIN), then data pages of
        /// RLE_DICTIONARY indices. Values are given as indices into it.
        case string(dictionary: [String])
    }

    package let name: String
    package let kind: Kind
    /// OPTIONAL rather than REQUIRED: a value −1 (for ``Kind/int32`` and
    /// ``Kind/string(dictionary:)``) is written as null.
    package let nullable: Bool

    package init(name: String, kind: Kind, nullable: Bool = false) {
        self.name = name
        self.kind = kind
        self.nullable = nullable
    }

    /// Values are buffered as Float (true) or Int32 (false).
    var storesFloats: Bool { if case .float = kind { true } else { false } }

    /// parquet.thrift `Type`.
    var physicalType: Int32 {
        switch kind {
        case .boolean: 0
        case .int32: 1
        case .float: 4
        case .string: 6
        }
    }
}
