import Foundation
import Synth
import SynthctlCore

extension ParquetMetadata {
    /// What a column's logical type (parquet.thrift `LogicalType`), or for
    /// older writers its `ConvertedType`, says its stored values mean
    /// (parquet-format's LogicalTypes.md).
    ///
    /// Why it matters: the physical type alone reads a uint32 3000000000 as
    /// −1294967296, uint64's maximum as −1, a DECIMAL(10, 2) written by
    /// DuckDB or Spark as its unscaled integer (×100), and dates, times and
    /// timestamps as raw day or tick counts — numbers that look right and
    /// are not. So each is decoded to its value, in one stated unit:
    ///
    /// | type | stored as | read as |
    /// | --- | --- | --- |
    /// | UINT_8 … UINT_64 | INT32, INT64 | the unsigned integer (up to 2⁶⁴ − 1) |
    /// | DECIMAL(p, s) | INT32, INT64, FIXED_LEN_BYTE_ARRAY (1 to 32 bytes: decimal128, decimal256), BYTE_ARRAY (1 to 32 bytes a value) | unscaled × 10⁻ˢ, the nearest float64 |
    /// | DATE | INT32 | days since 1970-01-01 (an integer) |
    /// | TIME(MILLIS/MICROS/NANOS) | INT32, INT64 | seconds since midnight (float64) |
    /// | TIMESTAMP(MILLIS/MICROS/NANOS), INT96 | INT64, INT96 | seconds since 1970-01-01 00:00:00 (float64), UTC or the writer's own clock |
    /// | FLOAT16 | FIXED_LEN_BYTE_ARRAY(2) | its value |
    ///
    /// Strings, enums, JSON text, signed integers of any width and the
    /// all-null type read as their physical type; every other logical type
    /// (INTERVAL, UUID, BSON, MAP, VARIANT, …) is refused, naming the column
    /// and the type.
    enum Annotation: Equatable {
        /// The physical type says it all.
        case none
        /// UINT_8, UINT_16, UINT_32 (stored in INT32: read the 32 bits as
        /// unsigned) or UINT_64 (stored in INT64: read the 64 bits as
        /// unsigned, ``ParquetTable/Values/unsignedIntegers`` when a value
        /// is above Int64.max).
        case unsigned(bits: Int)
        /// DECIMAL(precision, scale): the stored integer × 10^−scale.
        case decimal(precision: Int, scale: Int)
        /// DATE: days since 1970-01-01, in INT32.
        case date
        /// TIME: ticks of 10^−digits s since midnight (3: MILLIS in INT32;
        /// 6: MICROS, 9: NANOS in INT64).
        case time(digits: Int)
        /// TIMESTAMP: ticks of 10^−digits s since 1970-01-01 00:00:00, in
        /// INT64; `utc` is the type's isAdjustedToUTC (false: the writer's
        /// local clock, with no time zone). An INT96 column is read as one of
        /// nanoseconds (``int96``).
        case timestamp(digits: Int, utc: Bool)
        /// An INT96 timestamp (Impala's and Spark's legacy layout): 8 bytes of
        /// nanoseconds within the day, then 4 bytes of Julian day, both
        /// little-endian.
        case int96
        /// FLOAT16: an IEEE 754 half, little-endian, in FIXED_LEN_BYTE_ARRAY(2).
        case float16
        /// Not decoded: the type as parquet-format spells it (`INTERVAL`, `UUID`).
        case refused(String)

        /// The type as parquet-format spells it (`DECIMAL(9, 2)`, `TIMESTAMP(MICROS, UTC)`).
        var spelled: String {
            let units = [3: "MILLIS", 6: "MICROS", 9: "NANOS"]
            switch self {
            case .none: return "none"
            case .unsigned(let bits): return "UINT_\(bits)"
            case .decimal(let p, let s): return "DECIMAL(\(p), \(s))"
            case .date: return "DATE"
            case .time(let d): return "TIME(\(units[d] ?? "?"))"
            case .timestamp(let d, let utc): return "TIMESTAMP(\(units[d] ?? "?")\(utc ? ", UTC" : ""))"
            case .int96: return "INT96 timestamp"
            case .float16: return "FLOAT16"
            case .refused(let name): return name
            }
        }

        /// Whether LogicalTypes.md allows the annotation on physical type
        /// `type` (`length`: a FIXED_LEN_BYTE_ARRAY's bytes).
        func fits(_ type: PhysicalType, length: Int) -> Bool {
            switch self {
            case .none, .refused: return true
            case .unsigned: return type == .int32 || type == .int64
            case .decimal: return type == .int32 || type == .int64 || type == .byteArray || (type == .fixedLenByteArray && (1...32).contains(length))
            case .date: return type == .int32
            case .time(let d): return type == (d == 3 ? .int32 : .int64)
            case .timestamp: return type == .int64
            case .int96: return type == .int96
            case .float16: return type == .fixedLenByteArray && length == 2
            }
        }

        /// What the numbers mean, for the run's input notes; nil when they
        /// are the values themselves.
        var unit: String? {
            switch self {
            case .date: return "DATE read as days since 1970-01-01"
            case .time: return "\(spelled) read as seconds since midnight"
            case .timestamp(_, let utc):
                return "\(spelled) read as seconds since 1970-01-01 00:00:00 \(utc ? "UTC" : "on the writer's clock (no time zone)")"
            case .int96: return "INT96 timestamp read as seconds since 1970-01-01 00:00:00 (no time zone)"
            default: return nil
            }
        }
    }

    /// A LogicalType union (parquet.thrift field ids): which member is set.
    static func logicalType(_ r: inout ThriftCompactReader) throws -> Annotation? {
        var result: Annotation? = nil
        try r.readStruct { r, id, type in
            guard type == .structure else { return try r.skip(type) }
            switch id {
            case 1, 4, 11, 12: // STRING, ENUM, UNKNOWN (always null), JSON: text or nothing
                try r.skip(type)
                result = Annotation.none
            case 5:
                var scale: Int32 = 0, precision: Int32 = 0
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, .i32): scale = try r.i32()
                    case (2, .i32): precision = try r.i32()
                    default: try r.skip(type)
                    }
                }
                result = decimal(precision: precision, scale: scale)
            case 6:
                try r.skip(type)
                result = .date
            case 7, 8:
                var utc = false, digits: Int? = nil, unit = "?"
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, _) where type == .booleanTrue || type == .booleanFalse: utc = try r.bool(type)
                    case (2, .structure):
                        try r.readStruct { r, id, type in
                            digits = [1: 3, 2: 6, 3: 9][id]
                            unit = digits == nil ? "unit \(id)" : unit
                            try r.skip(type)
                        }
                    default: try r.skip(type)
                    }
                }
                if let digits {
                    result = id == 7 ? .time(digits: digits) : .timestamp(digits: digits, utc: utc)
                } else {
                    result = .refused("\(id == 7 ? "TIME" : "TIMESTAMP")(\(unit)\(utc ? ", UTC" : ""))")
                }
            case 10:
                var bits: Int8 = 0, signed = true
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, .byte): bits = Int8(bitPattern: try r.byte())
                    case (2, _) where type == .booleanTrue || type == .booleanFalse: signed = try r.bool(type)
                    default: try r.skip(type)
                    }
                }
                result = signed ? Annotation.none : .unsigned(bits: Int(bits))
            case 15:
                try r.skip(type)
                result = .float16
            default:
                try r.skip(type)
                let names: [Int16: String] = [2: "MAP", 3: "LIST", 9: "INTERVAL", 13: "BSON", 14: "UUID",
                                              16: "VARIANT", 17: "GEOMETRY", 18: "GEOGRAPHY"]
                result = .refused(names[id] ?? "number \(id)")
            }
        }
        return result
    }

    /// A DECIMAL whose precision and scale can be read: 1 ≤ precision,
    /// 0 ≤ scale ≤ precision (LogicalTypes.md); else refused as spelled.
    static func decimal(precision: Int32, scale: Int32) -> Annotation {
        guard precision >= 1, scale >= 0, scale <= precision, precision <= 1000 else {
            return .refused("DECIMAL(\(precision), \(scale))")
        }
        return .decimal(precision: Int(precision), scale: Int(scale))
    }

    /// The meaning of a ConvertedType (older writers set only this; its
    /// TIME and TIMESTAMP types are adjusted to UTC).
    static func annotation(converted: Int32?, scale: Int32, precision: Int32) -> Annotation {
        guard let converted else { return .none }
        switch converted {
        case 0, 4, 19, 15, 16, 17, 18: return .none  // UTF8, ENUM, JSON, INT_8 … INT_64
        case 11: return .unsigned(bits: 8)
        case 12: return .unsigned(bits: 16)
        case 13: return .unsigned(bits: 32)
        case 14: return .unsigned(bits: 64)
        case 5: return decimal(precision: precision, scale: scale)
        case 6: return .date
        case 7: return .time(digits: 3)
        case 8: return .time(digits: 6)
        case 9: return .timestamp(digits: 3, utc: true)
        case 10: return .timestamp(digits: 6, utc: true)
        default:
            let names: [Int32: String] = [1: "MAP", 2: "MAP_KEY_VALUE", 3: "LIST", 20: "BSON", 21: "INTERVAL"]
            return .refused(names[converted] ?? "converted type \(converted)")
        }
    }
}
