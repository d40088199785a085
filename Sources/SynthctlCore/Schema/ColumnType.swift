/// What the values of one table column are, as synthctl reads them: the
/// type decides whether a column can be a feature (a number), must be
/// encoded first (categorical), or is a number in a stated unit.
///
/// How a type is decided (``TableSchema`` records it; `--schema` and
/// `--categorical` override it):
///
/// - **Parquet**, by the column's physical and logical type: BOOLEAN →
///   ``boolean``; INT32/INT64, signed or unsigned → ``integer``; FLOAT,
///   DOUBLE, FLOAT16, DECIMAL and TIME → ``numeric``; DATE → ``date``;
///   TIMESTAMP and INT96 → ``timestamp``; BYTE_ARRAY and
///   FIXED_LEN_BYTE_ARRAY holding text (STRING, ENUM, JSON, or none) →
///   ``categorical``; a list of floats (an embedding) → ``numeric``, one
///   column `width` wide. Dictionary encoding alone decides nothing:
///   pyarrow dictionary-encodes every column by default, floats included.
/// - **CSV, TSV, JSON Lines**, by content: a column whose first value that
///   is not missing is text that is not a number (nor `true`/`false`) is
///   ``categorical``; otherwise, when every value that is not missing is
///   an integer (digits with an optional sign; a JSON number of whole
///   value below 2⁵³, `1.0` included, as the JSON Lines reader reads it) it is
///   ``integer``, when every one is a boolean (`true`/`false` in any case;
///   a JSON boolean) ``boolean``, else ``numeric``. A column of numbers
///   whose later cell is text is not made categorical: that cell is bad
///   input, named by its row, as a typo would be. A column whose every
///   value that is not missing is an ISO 8601 date (`2024-03-01`) is
///   ``date``, or an ISO 8601 timestamp (dates among them as midnight)
///   ``timestamp``, in the units below (with `Z` or an offset, in UTC); one
///   mixing values with and without an offset, or holding a day that does
///   not exist, is categorical by the rule above.
/// - **JSON Lines** lists of numbers (an embedding) → ``numeric``, `width`
///   wide, as a Parquet list of floats.
/// - An integer column of few distinct values stays ``integer``, never
///   categorical by itself: codes 0, 1, 2 may be counts or measurements,
///   and guessing would silently change every distance computed on them.
///   `--categorical` says so when they are categories.
/// - A label column is ``categorical``, its categories the class names.
public enum ColumnType: Sendable, Hashable {
    /// Real numbers (float32 once read as features).
    case numeric
    /// Whole numbers.
    case integer
    /// `true`/`false`, read as 1 and 0 where a number is needed.
    case boolean
    /// One of a set of values, named by text. `categories`: every distinct
    /// value in the order of its codes (a label column's class names; a
    /// feature column's values in byte order), empty when not yet known
    /// (a schema file may leave them out).
    case categorical(categories: [String])
    /// A calendar date, read as days since 1970-01-01.
    case date
    /// A point in time, read as seconds since 1970-01-01 00:00:00 (UTC, or
    /// the writer's own clock when the file says it has no time zone).
    case timestamp

    /// The names a schema file spells the types with, in this order.
    public static let names = ["numeric", "integer", "boolean", "categorical", "date", "timestamp"]

    /// The type's name in a schema (`"categorical"`).
    public var name: String {
        switch self {
        case .numeric: "numeric"
        case .integer: "integer"
        case .boolean: "boolean"
        case .categorical: "categorical"
        case .date: "date"
        case .timestamp: "timestamp"
        }
    }

    /// The unit of a number of this type, where it has one: the schema
    /// states it beside the type.
    public var unit: String? {
        switch self {
        case .date: "days since 1970-01-01"
        case .timestamp: "seconds since 1970-01-01 00:00:00"
        default: nil
        }
    }

    /// Whether values of this type are read as numbers (features).
    public var isNumber: Bool {
        if case .categorical = self { return false }
        return true
    }

    /// The type named `name` (categories empty), or nil for a name not in ``names``.
    public init?(name: String) {
        switch name {
        case "numeric": self = .numeric
        case "integer": self = .integer
        case "boolean": self = .boolean
        case "categorical": self = .categorical(categories: [])
        case "date": self = .date
        case "timestamp": self = .timestamp
        default: return nil
        }
    }

    /// A type in words for messages: "an integer", "a categorical value".
    public var described: String {
        switch self {
        case .numeric: "a number"
        case .integer: "an integer"
        case .boolean: "a boolean (true, false, 1 or 0)"
        case .categorical: "a categorical value"
        case .date: "a date (days since 1970-01-01)"
        case .timestamp: "a timestamp (seconds since 1970-01-01)"
        }
    }
}
