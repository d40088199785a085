import Foundation
import Synth
import SynthctlCore

/// The parts of a Parquet file's footer (FileMetaData) and page headers that
/// reading flat tables needs, decoded from Thrift compact; the field ids are
/// those of parquet-format's parquet.thrift.
struct ParquetMetadata {
    /// Physical types (parquet.thrift `Type`).
    enum PhysicalType: Int32 {
        case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
    }

    /// One top-level field of the schema: a flat column, or a field that
    /// synthctl cannot read (``unsupported``), which blocks a run only when
    /// the run uses it (a TIMESTAMP beside the features chosen does not).
    struct Column {
        let name: String
        let type: PhysicalType
        /// OPTIONAL (may hold nulls) rather than REQUIRED.
        let optional: Bool
        /// What the logical type asks of the values (only those synthctl
        /// decodes: refused ones are ``unsupported``).
        var annotation: Annotation = .none
        /// The index of the field's first column chunk in each row group
        /// (a nested field has one chunk per leaf).
        var chunk = 0
        /// Why the field cannot be read (`file: column "ts": expected …,
        /// found the logical type …`); nil for a column synthctl decodes.
        var unsupported: InputError? = nil
    }

    /// What a column's logical type (parquet.thrift `LogicalType`), or for
    /// older writers its `ConvertedType`, says its stored values mean.
    ///
    /// Why it matters: the physical type alone reads a uint32 3000000000 as
    /// −1294967296, uint64's maximum as −1, a DECIMAL(9, 2) stored as int32
    /// as its unscaled integer (×100), and dates, times and timestamps as
    /// raw day or tick counts — numbers that look right and are not. So:
    /// strings, enums, JSON text, signed integers of any width and the
    /// all-null type read as their physical type; unsigned integers are
    /// decoded (``unsigned(bits:)``); every other logical type is refused,
    /// naming the column and the type, until a later version decodes it.
    enum Annotation: Equatable {
        /// The physical type says it all.
        case none
        /// UINT_8, UINT_16, UINT_32 (stored in INT32: read the 32 bits as
        /// unsigned) or UINT_64 (stored in INT64: a value above Int64.max is
        /// refused, naming its row).
        case unsigned(bits: Int)
        /// Not decoded yet: the type as parquet-format spells it (`DATE`,
        /// `DECIMAL(9, 2)`, `TIMESTAMP(MICROS, UTC)`).
        case refused(String)
    }

    /// One SchemaElement of the footer, as read.
    struct SchemaElement {
        var name = ""
        var type: Int32? = nil
        var repetition: Int32? = nil
        var children: Int32? = nil
        var converted: Int32? = nil
        var scale: Int32 = 0
        var precision: Int32 = 0
        var logical: Annotation? = nil
    }

    struct Chunk {
        let type: Int32
        let codec: Int32
        let valueCount: Int64
        let dataPageOffset: Int64
        let dictionaryPageOffset: Int64?
        let compressedSize: Int64
    }

    struct RowGroup {
        let rows: Int64
        let chunks: [Chunk]
    }

    let rows: Int64
    let columns: [Column]
    let rowGroups: [RowGroup]
    /// The columns that hold pandas' index, from the footer's key-value
    /// metadata (`"pandas"` → `index_columns`): `to_parquet` stores a named
    /// index (`set_index("id")`) as a column of its own name, an unnamed one
    /// as `__index_level_0__` and a RangeIndex as no column at all.
    let pandasIndexColumns: [String]

    init(_ bytes: [UInt8], describe: String) throws {
        var r = ThriftCompactReader(bytes, describe: "\(describe) (footer)")
        var schema = [SchemaElement]()
        var rows: Int64 = 0
        var groups = [RowGroup]()
        var keyValues = [String: String]()
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (2, .list):
                let (_, count) = try r.listHeader()
                for _ in 0..<count {
                    var element = SchemaElement()
                    try r.readStruct { r, id, type in
                        switch (id, type) {
                        case (1, .i32): element.type = try r.i32()
                        case (3, .i32): element.repetition = try r.i32()
                        case (4, .binary): element.name = try r.string()
                        case (5, .i32): element.children = try r.i32()
                        case (6, .i32): element.converted = try r.i32()
                        case (7, .i32): element.scale = try r.i32()
                        case (8, .i32): element.precision = try r.i32()
                        case (10, .structure): element.logical = try Self.logicalType(&r)
                        default: try r.skip(type)
                        }
                    }
                    schema.append(element)
                }
            case (3, .i64): rows = try r.i64()
            case (4, .list):
                let (_, count) = try r.listHeader()
                for _ in 0..<count { groups.append(try Self.rowGroup(&r)) }
            case (5, .list):
                // key_value_metadata: KeyValue {1: key, 2: value}
                let (_, count) = try r.listHeader()
                for _ in 0..<count {
                    var key = "", value: String? = nil
                    try r.readStruct { r, id, type in
                        switch (id, type) {
                        case (1, .binary): key = try r.string()
                        case (2, .binary): value = try r.string()
                        default: try r.skip(type)
                        }
                    }
                    if let value { keyValues[key] = value }
                }
            default: try r.skip(type)
            }
        }
        guard let root = schema.first else { throw InputError(file: describe, expected: "a schema in the footer", found: "none") }
        // Top-level fields in schema order; a nested field's subtree (its
        // groups and leaves, depth first) is walked without recursion, and
        // its leaves' chunks are skipped.
        var columns = [Column]()
        var i = 1, chunks = 0
        while i < schema.count {
            let element = schema[i]
            var pending = 1, leaves = 0, j = i
            while pending > 0 {
                guard j < schema.count else {
                    throw InputError(file: describe, expected: "the children of \"\(element.name)\" in the schema", found: "its end")
                }
                if let children = schema[j].children, children > 0 { pending += Int(children) } else { leaves += 1 }
                pending -= 1
                j += 1
            }
            let annotation = element.logical ?? Self.annotation(converted: element.converted, scale: element.scale, precision: element.precision)
            let physical = element.type.flatMap(PhysicalType.init(rawValue:))
            var unsupported: InputError? = nil
            if j - i > 1 || (element.children ?? 0) > 0 {
                unsupported = InputError(file: describe, expected: "flat columns", found: "the nested column \"\(element.name)\"")
            } else if element.repetition == 2 {
                unsupported = InputError(file: describe, expected: "one value per row", found: "the repeated (list) column \"\(element.name)\"")
            } else if case .refused(let logical) = annotation {
                unsupported = InputError(file: describe, columnName: .named(element.name), expected: "numbers, booleans or text",
                                         found: "the logical type \(logical), which synthctl does not decode yet (convert the column to a number or a string before writing the file)")
            } else if physical == nil {
                unsupported = InputError(file: describe, columnName: .named(element.name), expected: "a physical type",
                                         found: element.type.map(String.init) ?? "none")
            }
            columns.append(Column(name: element.name, type: physical ?? .fixedLenByteArray, optional: element.repetition == 1,
                                  annotation: unsupported == nil ? annotation : .none, chunk: chunks, unsupported: unsupported))
            chunks += leaves
            i = j
        }
        guard Int(root.children ?? 0) == columns.count else {
            throw InputError(file: describe, expected: "\(root.children ?? 0) columns under the schema root", found: "\(columns.count)")
        }
        for (g, group) in groups.enumerated() where group.chunks.count != chunks {
            throw InputError(file: describe, field: "row group \(g)", expected: "\(chunks) column chunks", found: "\(group.chunks.count)")
        }
        // Counts are checked, not trusted: a footer may claim any number.
        var total: Int64 = 0
        for (g, group) in groups.enumerated() {
            guard group.rows >= 0 else { throw InputError(file: describe, field: "row group \(g): num_rows", expected: "a count ≥ 0", found: "\(group.rows)") }
            let (sum, overflow) = total.addingReportingOverflow(group.rows)
            guard !overflow else { throw InputError(file: describe, field: "row group \(g): num_rows",
                                               expected: "row counts whose total fits in 64 bits", found: "\(group.rows) after \(total)") }
            total = sum
            // A flat column has one value or null per row (a nested one's leaves may have more).
            for column in columns where column.unsupported == nil && group.chunks[column.chunk].valueCount != group.rows {
                throw InputError(file: describe, field: "row group \(g), column \"\(column.name)\": num_values",
                                 expected: "\(group.rows) (one value or null per row)", found: "\(group.chunks[column.chunk].valueCount)")
            }
        }
        guard rows == total else {
            throw InputError(file: describe, field: "num_rows", expected: "\(total) (the sum of the row groups' rows)", found: "\(rows)")
        }
        self.rows = rows
        self.columns = columns
        rowGroups = groups
        pandasIndexColumns = keyValues["pandas"].map(Self.pandasIndexColumns(json:)) ?? []
    }

    /// The names of the columns in pandas' `index_columns`; entries that
    /// are not names (a RangeIndex is described by an object, stored as no
    /// column) are skipped, and metadata that does not parse names none.
    static func pandasIndexColumns(json: String) -> [String] {
        let bytes = Array(json.utf8)
        guard NestingLimit.firstTooDeep(json: bytes) == nil,
              case .object(let pandas)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
              case .array(let index)? = pandas["index_columns"] else { return [] }
        return index.compactMap { if case .string(let name) = $0 { return name } else { return nil } }
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
                result = .refused("DECIMAL(\(precision), \(scale))")
            case 7, 8:
                var utc = false, unit = "?"
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, _) where type == .booleanTrue || type == .booleanFalse: utc = try r.bool(type)
                    case (2, .structure):
                        try r.readStruct { r, id, type in
                            unit = [1: "MILLIS", 2: "MICROS", 3: "NANOS"][id] ?? "unit \(id)"
                            try r.skip(type)
                        }
                    default: try r.skip(type)
                    }
                }
                result = .refused("\(id == 7 ? "TIME" : "TIMESTAMP")(\(unit)\(utc ? ", UTC" : ""))")
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
            default:
                try r.skip(type)
                let names: [Int16: String] = [2: "MAP", 3: "LIST", 6: "DATE", 9: "INTERVAL", 13: "BSON", 14: "UUID", 15: "FLOAT16",
                                              16: "VARIANT", 17: "GEOMETRY", 18: "GEOGRAPHY"]
                result = .refused(names[id] ?? "number \(id)")
            }
        }
        return result
    }

    /// The meaning of a ConvertedType (older writers set only this).
    static func annotation(converted: Int32?, scale: Int32, precision: Int32) -> Annotation {
        guard let converted else { return .none }
        switch converted {
        case 0, 4, 19, 15, 16, 17, 18: return .none  // UTF8, ENUM, JSON, INT_8 … INT_64
        case 11: return .unsigned(bits: 8)
        case 12: return .unsigned(bits: 16)
        case 13: return .unsigned(bits: 32)
        case 14: return .unsigned(bits: 64)
        case 5: return .refused("DECIMAL(\(precision), \(scale))")
        default:
            let names: [Int32: String] = [1: "MAP", 2: "MAP_KEY_VALUE", 3: "LIST", 6: "DATE", 7: "TIME_MILLIS", 8: "TIME_MICROS",
                                          9: "TIMESTAMP_MILLIS", 10: "TIMESTAMP_MICROS", 20: "BSON", 21: "INTERVAL"]
            return .refused(names[converted] ?? "converted type \(converted)")
        }
    }

    static func rowGroup(_ r: inout ThriftCompactReader) throws -> RowGroup {
        var chunks = [Chunk](), rows: Int64 = 0
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, .list):
                let (_, count) = try r.listHeader()
                for _ in 0..<count {
                    var chunk: Chunk? = nil
                    try r.readStruct { r, id, type in
                        if id == 3 && type == .structure { chunk = try columnMetaData(&r) } else { try r.skip(type) }
                    }
                    guard let chunk else { throw r.failure("column chunk metadata") }
                    chunks.append(chunk)
                }
            case (3, .i64): rows = try r.i64()
            default: try r.skip(type)
            }
        }
        return RowGroup(rows: rows, chunks: chunks)
    }

    static func columnMetaData(_ r: inout ThriftCompactReader) throws -> Chunk {
        var type: Int32 = 0, codec: Int32 = 0, values: Int64 = 0, data: Int64 = 0, dictionary: Int64? = nil, size: Int64 = 0
        try r.readStruct { r, id, t in
            switch (id, t) {
            case (1, .i32): type = try r.i32()
            case (4, .i32): codec = try r.i32()
            case (5, .i64): values = try r.i64()
            case (7, .i64): size = try r.i64()
            case (9, .i64): data = try r.i64()
            case (11, .i64): dictionary = try r.i64()
            default: try r.skip(t)
            }
        }
        return Chunk(type: type, codec: codec, valueCount: values, dataPageOffset: data, dictionaryPageOffset: dictionary, compressedSize: size)
    }
}

/// A page header: what kind of page, its sizes, and the fields of its kind.
struct ParquetPageHeader {
    enum Kind: Int32 { case data = 0, index = 1, dictionary = 2, dataV2 = 3 }
    var kind: Int32 = -1
    var uncompressedSize = 0
    var compressedSize = 0
    var valueCount = 0
    var encoding: Int32 = 0
    /// Data page v2: the level sections' byte lengths (stored uncompressed)
    /// and whether the values are compressed.
    var definitionLevelsLength = 0
    var repetitionLevelsLength = 0
    var valuesCompressed = true

    init(_ r: inout ThriftCompactReader) throws {
        var header = self
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (1, .i32): header.kind = try r.i32()
            case (2, .i32): header.uncompressedSize = Int(try r.i32())
            case (3, .i32): header.compressedSize = Int(try r.i32())
            case (5, .structure), (7, .structure):
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, .i32): header.valueCount = Int(try r.i32())
                    case (2, .i32): header.encoding = try r.i32()
                    default: try r.skip(type)
                    }
                }
            case (8, .structure):
                try r.readStruct { r, id, type in
                    switch (id, type) {
                    case (1, .i32): header.valueCount = Int(try r.i32())
                    case (4, .i32): header.encoding = try r.i32()
                    case (5, .i32): header.definitionLevelsLength = Int(try r.i32())
                    case (6, .i32): header.repetitionLevelsLength = Int(try r.i32())
                    case (7, _): header.valuesCompressed = try r.bool(type)
                    default: try r.skip(type)
                    }
                }
            default: try r.skip(type)
            }
        }
        self = header
    }
}
