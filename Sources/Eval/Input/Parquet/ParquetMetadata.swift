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

    /// One top-level field of the schema: a flat column, a list of floats
    /// (``list``), or a field that synthctl cannot read (``unsupported``),
    /// which blocks a run only when the run uses it (an INTERVAL beside the
    /// features chosen does not).
    struct Column {
        let name: String
        /// The physical type (of a list's leaf).
        let type: PhysicalType
        /// A FIXED_LEN_BYTE_ARRAY's length in bytes (type_length), else 0.
        var length = 0
        /// OPTIONAL (may hold nulls) rather than REQUIRED.
        let optional: Bool
        /// What the logical type asks of the values (only those synthctl
        /// decodes: refused ones are ``unsupported``).
        var annotation: Annotation = .none
        /// For a list of floats (an embedding), how its definition levels
        /// read; nil for a flat column.
        var list: ListLevels? = nil
        /// The index of the field's first column chunk in each row group
        /// (a nested field has one chunk per leaf).
        var chunk = 0
        /// Why the field cannot be read (`file: column "ts": expected …,
        /// found the logical type …`); nil for a column synthctl decodes.
        var unsupported: InputError? = nil
        /// The field's SchemaElement as read (its ConvertedType and
        /// LogicalType: what writing the column back needs).
        var element = SchemaElement()
    }

    /// One SchemaElement of the footer, as read.
    struct SchemaElement {
        var name = ""
        var type: Int32? = nil
        var length: Int32 = 0
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
    /// The footer's key-value metadata (`pandas`, `huggingface`,
    /// `synthctl.class_names`, …), by key.
    let keyValues: [String: String]

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
                        case (2, .i32): element.length = try r.i32()
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
            let list = Self.floatList(schema[i..<j])
            var unsupported: InputError? = nil
            if let list {
                let leaf = PhysicalType(rawValue: list.leaf.type!)!
                columns.append(Column(name: element.name, type: leaf, optional: true, list: list.levels, chunk: chunks))
                chunks += leaves
                i = j
                continue
            } else if j - i > 1 || (element.children ?? 0) > 0 {
                unsupported = InputError(file: describe, expected: "flat columns", found: "the nested column \"\(element.name)\"")
            } else if element.repetition == 2 {
                unsupported = InputError(file: describe, expected: "one value per row", found: "the repeated (list) column \"\(element.name)\"")
            } else if case .refused(let logical) = annotation {
                unsupported = InputError(file: describe, columnName: .named(element.name), expected: "numbers, booleans or text",
                                         found: "the logical type \(logical), which synthctl does not decode yet (convert the column to a number or a string before writing the file)")
            } else if physical == nil {
                unsupported = InputError(file: describe, columnName: .named(element.name), expected: "a physical type",
                                         found: element.type.map(String.init) ?? "none")
            } else if let physical, !annotation.fits(physical, length: Int(element.length)) {
                unsupported = InputError(file: describe, columnName: .named(element.name), expected: "\(annotation.spelled) in the physical type its definition allows",
                                         found: "physical type \(physical)\(physical == .fixedLenByteArray ? "(\(element.length))" : "")")
            }
            let int96 = physical == .int96 && annotation == .none
            columns.append(Column(name: element.name, type: physical ?? .fixedLenByteArray, length: Int(element.length), optional: element.repetition == 1,
                                  annotation: unsupported == nil ? (int96 ? .int96 : annotation) : .none, chunk: chunks, unsupported: unsupported))
            columns[columns.count - 1].element = element
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
            for column in columns where column.unsupported == nil && column.list == nil && group.chunks[column.chunk].valueCount != group.rows {
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
        self.keyValues = keyValues
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
