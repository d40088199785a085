import Foundation
import Synth
import SynthctlCore

/// The column types a user gives instead of the inferred ones: a schema
/// (``TableSchema``, e.g. the `schemas` entry of an earlier report) and
/// columns to read as categorical (integer codes included). The named
/// columns must exist in the table read; a label column must stay
/// categorical.
public struct ColumnTypeOverrides: Sendable {
    public var schema: TableSchema?
    /// The file the schema came from, for messages.
    public var schemaSource: String
    public var categorical: [String]
    /// The `unit` the schema states for a date or timestamp column, by
    /// column name: the unit plain numbers in it count in (``EpochUnit``).
    /// Without one, numbers in a column given a time type are refused.
    public var units: [String: String]

    /// `units` defaults to the units `schema`'s columns state beyond their
    /// type's own (``TableSchema/Column/statedUnit``).
    public init(schema: TableSchema? = nil, schemaSource: String = "", categorical: [String] = [], units: [String: String]? = nil) {
        self.schema = schema
        self.schemaSource = schemaSource
        self.categorical = categorical
        self.units = units ?? Dictionary((schema?.columns ?? []).compactMap { c in c.statedUnit.map { (c.name, $0) } }) { a, _ in a }
    }

    public static let none = ColumnTypeOverrides()

    /// A schema file's overrides (JSON, or YAML as a spec may be). Errors:
    /// the file's and its syntax's (``SpecLoader``), or
    /// ``TableSchema/init(json:source:)``'s.
    public init(schemaFile path: String, categorical: [String] = []) throws {
        let json = try SpecLoader.load(path: path)
        let schema = try TableSchema(json: json, source: path)
        // Units as written: the type's own unit, stated, is a unit too.
        var units = [String: String]()
        if case .object(let o) = json, case .array(let columns)? = o["columns"] {
            for case .object(let c) in columns {
                if case .string(let name)? = c["name"], case .string(let unit)? = c["unit"] { units[name] = unit }
            }
        }
        self.init(schema: schema, schemaSource: path, categorical: categorical, units: units)
    }

    var isEmpty: Bool { schema == nil && categorical.isEmpty }

    /// The unit the schema states for the numbers of date or timestamp
    /// column `name`, or nil (checked by ``types(header:labelColumn:path:)``).
    func numberUnit(of name: String) -> EpochUnit? { units[name].flatMap(EpochUnit.init) }

    /// The given type of each column of `header` that has one (`--categorical`
    /// wins over the schema). Errors: a name not in `header`, naming `path`'s
    /// columns; the label column given a type that is not categorical.
    func types(header: [String], labelColumn: Int, path: String) throws -> [Int: ColumnType] {
        var position = [ExactText: Int]()
        for (c, name) in header.enumerated() where position[ExactText(name)] == nil { position[ExactText(name)] = c }
        var out = [Int: ColumnType]()
        for (i, column) in (schema?.columns ?? []).enumerated() {
            guard let c = position[ExactText(column.name)] else {
                throw InputError(file: schemaSource, field: "columns[\(i)].name", expected: "a column of \(path) (\(NameList.describe(header)))",
                                 found: "\"\(column.name)\"")
            }
            if c == labelColumn, column.type.isNumber {
                throw InputError(file: schemaSource, field: "columns[\(i)].type",
                                 expected: "categorical (\"\(column.name)\" is the label column)", found: "\"\(column.type.name)\"")
            }
            if column.type == .date || column.type == .timestamp, let unit = units[column.name], EpochUnit(unit) == nil {
                throw InputError(file: schemaSource, field: "columns[\(i)].unit",
                                 expected: "a unit such as \"milliseconds since 1970-01-01\" (days, seconds, milliseconds, microseconds or nanoseconds)",
                                 found: "\"\(unit)\"")
            }
            out[c] = column.type
        }
        for name in categorical {
            guard let c = position[ExactText(name)] else {
                throw OneColumnHeaderError.refusing(InputError(file: path, expected: "a column \"\(name)\" (given as categorical)", found: "columns \(NameList.columns(header))"), header: header)
            }
            out[c] = .categorical(categories: [])
        }
        return out
    }
}
