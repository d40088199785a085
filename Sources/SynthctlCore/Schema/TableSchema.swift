/// The columns of a table as synthctl read them: ordered, each with its
/// name, its ``ColumnType`` and how many of its cells were missing.
///
/// Recorded where data travels — JSON reports (`schemas`, one per input),
/// fitted model files (`schema`) and dataset manifests (`schema`) — in one
/// JSON shape, which `--schema FILE` reads back, so that a schema written
/// by one run can be given to the next:
///
///     {"columns": [
///       {"name": "x0", "type": "numeric", "missing": 0},
///       {"name": "day", "type": "date", "unit": "days since 1970-01-01", "missing": 2},
///       {"name": "emb", "type": "numeric", "width": 384, "missing": 0},
///       {"name": "label", "type": "categorical", "categories": ["cat", "dog"], "missing": 0}
///     ]}
///
/// `missing` counts the cells missing in the file (before `--drop-missing`
/// drops their rows); it is left out where it was not counted. `unit` and
/// `width` (an embedding's numbers per row) appear where they apply. A
/// schema given as input needs only `name` and `type`; `categories`,
/// `missing`, `unit` (of a date or timestamp) and `width` are read as given
/// and otherwise ignored.
public struct TableSchema: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        public var name: String
        public var type: ColumnType
        /// Missing cells in the file, or nil when not counted.
        public var missing: Int?
        /// Numbers per row: an embedding's dimension, 1 for any other column.
        public var width: Int
        /// A unit more exact than the type's (``ColumnType/unit``), or nil:
        /// ISO 8601 timestamps read with their offsets are UTC.
        public var statedUnit: String?

        /// The unit of the column's numbers: ``statedUnit``, else the type's.
        public var unit: String? { statedUnit ?? type.unit }

        public init(name: String, type: ColumnType, missing: Int?, width: Int = 1, unit: String? = nil) {
            self.name = name
            self.type = type
            self.missing = missing
            self.width = width
            self.statedUnit = unit == type.unit ? nil : unit
        }
    }

    public var columns: [Column]

    public init(columns: [Column]) { self.columns = columns }

    /// The column named `name` (bytewise), or nil.
    public subscript(name: String) -> Column? {
        columns.first { $0.name.utf8.elementsEqual(name.utf8) }
    }

    /// The shape above.
    public var json: JSONValue {
        .object(["columns": .array(columns.map { c in
            var o: [String: JSONValue] = ["name": .string(c.name), "type": .string(c.type.name)]
            if case .categorical(let categories) = c.type { o["categories"] = JSONValue(categories) }
            if let unit = c.unit { o["unit"] = .string(unit) }
            if let missing = c.missing { o["missing"] = .int(missing) }
            if c.width != 1 { o["width"] = .int(c.width) }
            return .object(o)
        })])
    }

    /// A schema from its JSON shape; `source` names the file in errors.
    /// Errors: ``InputError`` naming the field (`columns[2].type`), what was
    /// expected and what was found: a type not in ``ColumnType/names``, a
    /// name given twice, a field of the wrong JSON type, a `unit` on a
    /// column that is not a date or timestamp.
    public init(json: JSONValue, source: String) throws {
        func fail(_ field: String, _ expected: String, _ found: JSONValue?) -> InputError {
            let shown = found.map { v -> String in
                let s = v.serialized()
                return s.count > 60 ? String(s.prefix(57)) + "…" : s
            } ?? "nothing"
            return InputError(file: source, field: field, expected: expected, found: shown)
        }
        guard case .object(let o) = json else { throw fail("the schema", "a JSON object with \"columns\"", json) }
        guard case .array(let items)? = o["columns"] else { throw fail("columns", "a list of columns", o["columns"]) }
        var seen = Set<[UInt8]>()
        columns = try items.enumerated().map { i, item in
            guard case .object(let c) = item else { throw fail("columns[\(i)]", "an object with \"name\" and \"type\"", item) }
            guard case .string(let name)? = c["name"] else { throw fail("columns[\(i)].name", "a column name", c["name"]) }
            guard seen.insert(Array(name.utf8)).inserted else {
                throw fail("columns[\(i)].name", "a column not named before", .string(name))
            }
            guard case .string(let typeName)? = c["type"], var type = ColumnType(name: typeName) else {
                throw fail("columns[\(i)].type", "one of \(ColumnType.names.joined(separator: ", "))", c["type"])
            }
            if case .categorical = type, let given = c["categories"] {
                guard case .array(let values) = given,
                      case let names = values.compactMap({ if case .string(let s) = $0 { s } else { nil } }), names.count == values.count else {
                    throw fail("columns[\(i)].categories", "a list of strings", given)
                }
                type = .categorical(categories: names)
            }
            var missing: Int? = nil
            if let m = c["missing"] {
                guard case .int(let n) = m, n >= 0 else { throw fail("columns[\(i)].missing", "a count (an integer ≥ 0)", m) }
                missing = n
            }
            var width = 1
            if let w = c["width"] {
                guard case .int(let n) = w, n >= 1 else { throw fail("columns[\(i)].width", "an integer ≥ 1", w) }
                width = n
            }
            var unit: String? = nil
            if let given = c["unit"] {
                // A unit says what a date or timestamp column's numbers count; elsewhere it would be ignored.
                guard type.unit != nil else {
                    throw fail("columns[\(i)].unit", "no unit for \"\(name)\", a \(typeName) column (a unit applies to date and timestamp columns only)", given)
                }
                if case .string(let text) = given { unit = text }
            }
            return Column(name: name, type: type, missing: missing, width: width, unit: unit)
        }
    }
}
