import Foundation
import Synth
import SynthctlCore

/// A Parquet table — one file, or a directory of parts read as one
/// (``ParquetPartDirectory``) — whose rows `synthctl split` writes as two
/// Parquet files with the input's schema: each column's name, order,
/// physical and logical type and nullability, its values those of the
/// chosen rows as stored (a DECIMAL's unscaled integer, a TIMESTAMP's
/// ticks, a UINT_64's bits, a FLOAT's float32), so that pyarrow reads a
/// part as `pq.read_table(input).take(rows)`.
///
/// Written back, by ``ParquetFileWriter`` (Snappy, as pyarrow writes):
///
/// | input | written |
/// | --- | --- |
/// | BOOLEAN, FLOAT, DOUBLE | the same |
/// | INT32, INT64; INT_8, INT_16, UINT_8 … UINT_64 | the same, with the same INTEGER type |
/// | DECIMAL(p, s) in INT32, INT64 or FIXED_LEN_BYTE_ARRAY (its bytes); DATE; TIMESTAMP(unit, UTC or not) | the same |
/// | DECIMAL(p, s) in BYTE_ARRAY (parquet-mr, as parquet-avro maps an Avro decimal) | DECIMAL(p, s) in FIXED_LEN_BYTE_ARRAY of the fewest bytes that hold p digits, as pyarrow writes it: readers get the same decimal type and values |
/// | strings (BYTE_ARRAY with STRING, ENUM or JSON type or UTF8), dictionary-encoded or not | STRING, dictionary-encoded: a categorical's dictionary is the input's categories, all of them, in order; another's the part's values in order of appearance |
/// | a list of FLOAT or DOUBLE of one length (an embedding) | a three-level LIST of it |
/// | Hive partition folders `key=value` (part directories) | a STRING column per key, after the others (none for a key the parts hold as a column, as Polars writes them) |
///
/// Nulls stay nulls. Any other column (INT96, TIME, FLOAT16, BYTE_ARRAY without a text type, a list with a null
/// element, a type synthctl does not read) is refused in one line naming
/// it and its type: it is never written as another type.
///
/// Key-value metadata travels, except what no longer holds for a part:
/// a synthctl table's `synthctl.total_rows` and `synthctl.row_offset`
/// become the part's (its rows, 0); a
/// RangeIndex in `pandas`' `index_columns` (which numbered the input's
/// rows) is removed, so that pandas numbers a part's rows 0, 1, …; an index
/// stored as a column is copied as a column. `ARROW:schema` (the Arrow
/// schema pyarrow and Polars store beside the Parquet one) travels when its
/// fields are the part's columns, in order, since every column keeps its
/// Parquet type: with it pyarrow and Polars read back what Parquet's types
/// alone do not say — a Polars `Array(Float64, n)` or pyarrow
/// `fixed_size_list` (in Parquet a LIST), large strings, a dictionary
/// (pandas categorical) column, a timestamp's time zone. A part
/// directory's Hive keys, written as string columns after the others, are
/// appended to it as `utf8` fields
/// (``ArrowSchemaMessage/appendingStringFields(_:to:)``). It is dropped when
/// its fields are not the table's columns: readers then take the Parquet types.
public struct ParquetTableSplit {
    public let source: String
    /// SHA-256 of the file, or of a directory's parts one after another in reading order.
    public let sha256: String
    /// The columns to write, their values over every row (parts joined),
    /// the footer's key-value metadata and the categories of dictionary
    /// columns.
    package let table: ParquetWritableTable

    /// Reads every column of the table at `source`, as stored. Errors: a
    /// part that cannot be read, a column that cannot be written back (one
    /// line naming it and its type).
    public init(source: String) throws {
        var parts: [(path: String, values: [String?])] = [(source, [])]
        var directory: ParquetPartDirectory?
        if LabeledFeatures.isParquetPartDirectory(source) || ParquetPartDirectory.holdsShards(source) {
            directory = try ParquetPartDirectory(source)
            parts = directory!.parts
        }
        var hasher = StreamingSHA256()
        var files = [(file: ParquetFile, values: [String?])]()
        for part in parts {
            let bytes = try InputFile.contents(part.path)
            hasher.update(bytes.span.bytes)
            // A part of no rows adds nothing, as the reader skips it.
            if parts.count > 1, (try? ParquetMetadata(footerOfFileAt: part.path))?.rows == 0 { continue }
            files.append((try ParquetFile(bytes: bytes, path: part.path), part.values))
        }
        guard let first = files.first?.file else {
            throw InputError(file: source, expected: "at least one row", found: "none in its \(parts.count) Parquet parts")
        }
        var columns = [ParquetColumn](), values = [ParquetTable.Column]()
        for (c, meta) in first.meta.columns.enumerated() {
            let decoded = try _PartColumns.joined(try files.map { try $0.file.decode(c, physical: true) }, parts: files.map(\.file.path))
            columns.append(try Self.written(meta, values: decoded, file: source))
            values.append(decoded)
        }
        let keys = directory?.addedKeys(besides: first.meta.columns.map(\.name)) ?? []
        for (k, key) in keys {
            let perPart = files.map { part in
                ParquetTable.Column(name: key, values: .strings(Array(repeating: part.values[k] ?? "", count: part.file.rows)),
                                    present: Array(repeating: part.values[k] != nil, count: part.file.rows))
            }
            values.append(try _PartColumns.joined(perPart, parts: files.map(\.file.path)))
            columns.append(ParquetColumn(name: key, kind: .string(dictionary: []), nullable: true))
        }
        self.source = source
        self.sha256 = hasher.hex()
        var categories = [Int: [String]]()
        let arrowFields = first.meta.keyValues["ARROW:schema"].flatMap { try? ArrowSchemaMessage(base64: $0).fields } ?? []
        for (c, column) in first.meta.columns.enumerated() {
            guard case .string = columns[c].kind, arrowFields.first(where: { $0.name == column.name })?.dictionaryOrdered != nil else { continue }
            var seen = Set<String>(), ordered = [String]()
            for file in files {
                for page in try file.file.dictionaryPages(c) ?? [] {
                    for value in page where seen.insert(value).inserted { ordered.append(value) }
                }
            }
            categories[c] = ordered
        }
        table = ParquetWritableTable(columns: columns, values: values,
                                     keyValues: Self.keyValues(first.meta.keyValues, columns: first.meta.columns.map(\.name), keys: keys.map(\.name)),
                                     categories: categories)
    }

    /// The column written for `meta` (whose values are `values`), or the refusal.
    static func written(_ meta: ParquetMetadata.Column, values: ParquetTable.Column, file: String) throws -> ParquetColumn {
        let refusal = InputError(file: file, columnName: .named(meta.name),
                                 expected: "a column type split writes back (booleans, integers, DECIMAL, DATE, TIMESTAMP, floats, strings, lists of floats)",
                                 found: ParquetPartDirectory.typeName(meta) + "; cast it to one of those types before splitting")
        if let list = meta.list {
            guard case .vectors(let width, _, let elements) = values.values else { throw refusal }
            if let r = values.present.indices.first(where: { values.present[$0] && elements[($0 * width)..<(($0 + 1) * width)].contains(false) }) {
                throw InputError(file: file, row: r, columnName: .named(meta.name), expected: "a list without null elements (split writes lists of numbers)",
                                 found: "a null element")
            }
            return ParquetColumn(name: meta.name, kind: meta.type == .float ? .floatList(width: width) : .doubleList(width: width),
                                 logicalType: .none, optional: list.nullBelow > 0)
        }
        let converted = meta.element.converted
        let kind: ParquetColumn.Kind, type: ParquetColumn.LogicalType
        switch (meta.type, meta.annotation) {
        case (.boolean, .none): (kind, type) = (.boolean, .none)
        case (.int32, .none): (kind, type) = (.int32, converted == 15 ? .integer(bits: 8, signed: true) : converted == 16 ? .integer(bits: 16, signed: true) : .none)
        case (.int64, .none): (kind, type) = (.int64, .none)
        case (.int32, .unsigned(let bits)), (.int64, .unsigned(let bits)):
            (kind, type) = (meta.type == .int32 ? .int32 : .int64, .integer(bits: bits, signed: false))
        case (.int32, .decimal(let p, let s)), (.int64, .decimal(let p, let s)):
            (kind, type) = (meta.type == .int32 ? .int32 : .int64, .decimal(precision: p, scale: s))
        case (.fixedLenByteArray, .decimal(let p, let s)), (.byteArray, .decimal(let p, let s)):
            // A BYTE_ARRAY's values come sign-extended to one width (ParquetTable's `fixedWidth`).
            guard case .fixedBytes(let width, _) = values.values else { throw refusal }
            (kind, type) = (.fixedBytes(width: width), .decimal(precision: p, scale: s))
        case (.int32, .date): (kind, type) = (.int32, .date)
        case (.int64, .timestamp(let digits, let utc)):
            (kind, type) = (.int64, .timestamp(unit: digits == 3 ? .millis : digits == 6 ? .micros : .nanos, utc: utc))
        case (.float, .none): (kind, type) = (.float, .none)
        case (.double, .none): (kind, type) = (.double, .none)
        case (.byteArray, .none) where converted == 0 || converted == 4 || converted == 19 || meta.element.logical != nil:
            return ParquetColumn(name: meta.name, kind: .string(dictionary: []), nullable: meta.optional)
        default: throw refusal
        }
        return ParquetColumn(name: meta.name, kind: kind, logicalType: type, optional: meta.optional)
    }

    /// The footer's key-value metadata for a part whose columns are the
    /// table's `columns`, then a string column for each Hive key of `keys`,
    /// in key order (see the type's documentation).
    static func keyValues(_ input: [String: String], columns: [String], keys: [String] = []) -> [(key: String, value: String)] {
        var kv = input
        if let arrow = kv["ARROW:schema"] {
            if (try? ArrowSchemaMessage(base64: arrow))?.fields.map(\.name) != columns {
                kv["ARROW:schema"] = nil
            } else if !keys.isEmpty {
                kv["ARROW:schema"] = try? ArrowSchemaMessage.appendingStringFields(keys, to: arrow)
            }
        }
        if let pandas = kv["pandas"], case .object(var o)? = try? JSONDecoder().decode(JSONValue.self, from: Data(pandas.utf8)),
           case .array(let index)? = o["index_columns"] {
            o["index_columns"] = .array(index.filter { if case .string = $0 { true } else { false } })
            kv["pandas"] = JSONValue.object(o).compact
        }
        return kv.keys.sorted().map { ($0, kv[$0]!) }
    }

    /// The Parquet file of the table's rows `rows` (0-based across its
    /// parts, ascending): its bytes (``ParquetWritableTable/bytes(ofRows:)``).
    public func bytes(ofRows rows: [Int]) throws -> [UInt8] { try table.bytes(ofRows: rows) }
}
