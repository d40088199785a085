import Synth

/// The parts of a Parquet file's footer (FileMetaData) and page headers that
/// reading flat tables needs, decoded from Thrift compact; the field ids are
/// those of parquet-format's parquet.thrift.
struct ParquetMetadata {
    /// Physical types (parquet.thrift `Type`).
    enum PhysicalType: Int32 {
        case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
    }

    struct Column {
        let name: String
        let type: PhysicalType
        /// OPTIONAL (may hold nulls) rather than REQUIRED.
        let optional: Bool
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

    init(_ bytes: [UInt8], describe: String) throws {
        var r = ThriftCompactReader(bytes, describe: "\(describe) (footer)")
        var schema = [(name: String, type: Int32?, repetition: Int32?, children: Int32?)]()
        var rows: Int64 = 0
        var groups = [RowGroup]()
        try r.readStruct { r, id, type in
            switch (id, type) {
            case (2, .list):
                let (_, count) = try r.listHeader()
                for _ in 0..<count {
                    var name = "", physical: Int32? = nil, repetition: Int32? = nil, children: Int32? = nil
                    try r.readStruct { r, id, type in
                        switch (id, type) {
                        case (1, .i32): physical = try r.i32()
                        case (3, .i32): repetition = try r.i32()
                        case (4, .binary): name = try r.string()
                        case (5, .i32): children = try r.i32()
                        default: try r.skip(type)
                        }
                    }
                    schema.append((name, physical, repetition, children))
                }
            case (3, .i64): rows = try r.i64()
            case (4, .list):
                let (_, count) = try r.listHeader()
                for _ in 0..<count { groups.append(try Self.rowGroup(&r)) }
            default: try r.skip(type)
            }
        }
        guard let root = schema.first else { throw SynthError("\(describe): expected a schema in the footer, found none") }
        var columns = [Column]()
        for element in schema.dropFirst() {
            if let children = element.children, children > 0 {
                throw SynthError("\(describe): expected flat columns, found the nested column \"\(element.name)\"")
            }
            guard element.repetition != 2 else {
                throw SynthError("\(describe): expected one value per row, found the repeated (list) column \"\(element.name)\"")
            }
            guard let raw = element.type, let physical = PhysicalType(rawValue: raw) else {
                throw SynthError("\(describe): column \"\(element.name)\": expected a physical type, found \(element.type.map(String.init) ?? "none")")
            }
            columns.append(Column(name: element.name, type: physical, optional: element.repetition == 1))
        }
        guard Int(root.children ?? 0) == columns.count else {
            throw SynthError("\(describe): expected \(root.children ?? 0) columns under the schema root, found \(columns.count)")
        }
        for (g, group) in groups.enumerated() where group.chunks.count != columns.count {
            throw SynthError("\(describe): row group \(g): expected \(columns.count) column chunks, found \(group.chunks.count)")
        }
        // Counts are checked, not trusted: a footer may claim any number.
        var total: Int64 = 0
        for (g, group) in groups.enumerated() {
            guard group.rows >= 0 else { throw SynthError("\(describe): row group \(g): num_rows: expected a count ≥ 0, found \(group.rows)") }
            let (sum, overflow) = total.addingReportingOverflow(group.rows)
            guard !overflow else { throw SynthError("\(describe): row group \(g): num_rows: expected row counts whose total fits in 64 bits, found \(group.rows) after \(total)") }
            total = sum
            for (c, chunk) in group.chunks.enumerated() where chunk.valueCount != group.rows {
                throw SynthError("\(describe): row group \(g), column \"\(columns[c].name)\": num_values: expected \(group.rows) (one value or null per row), found \(chunk.valueCount)")
            }
        }
        guard rows == total else {
            throw SynthError("\(describe): num_rows: expected \(total) (the sum of the row groups' rows), found \(rows)")
        }
        self.rows = rows
        self.columns = columns
        rowGroups = groups
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
