import SynthctlCore

/// What a fitted date or timestamp column's numbers count, so that sampled
/// rows are written as dates again rather than as bare numbers whose unit
/// only the model file knows.
///
/// `fit` reads a date as days since 1970-01-01 and a timestamp as seconds
/// since 1970-01-01 00:00:00 (``ColumnType/unit``), and models those
/// numbers like any other; the model file records which columns they were
/// (`columns[j].time`, ``FittedColumns``). `gen --model` then writes them
/// as the ecosystem writes dates:
///
/// | time | Parquet | CSV, JSON Lines |
/// | --- | --- | --- |
/// | `date` | INT32 DATE (days) | `2024-03-01` |
/// | `timestamp` | INT64 TIMESTAMP(MILLIS), or MICROS for sub-millisecond decimals; isAdjustedToUTC false | `2024-03-01T12:34:56`, a fraction where the value has one |
/// | `timestamp_utc` | as `timestamp`, isAdjustedToUTC true | as `timestamp`, with `Z` |
///
/// pandas, pyarrow and Polars read these back as dates and datetimes, and
/// synthctl reads them as the same days and seconds (``ColumnType``), so
/// `compare` sets them against the human table in the unit it was fitted in.
public enum FittedTime: String, Sendable, CaseIterable {
    /// Days since 1970-01-01 (whole: an integer column).
    case date
    /// Seconds since 1970-01-01 00:00:00 on the writer's clock (no time zone).
    case timestamp
    /// Seconds since 1970-01-01 00:00:00 UTC (the human table's text had offsets).
    case timestampUTC = "timestamp_utc"

    /// The time a column of `type` whose numbers have `unit` (a
    /// ``TableSchema`` column's) holds, or nil for any other type. A
    /// timestamp is UTC when its unit says so (ISO 8601 text with offsets).
    public init?(type: ColumnType, unit: String?) {
        switch type {
        case .date: self = .date
        case .timestamp: self = unit?.contains("UTC") == true ? .timestampUTC : .timestamp
        default: return nil
        }
    }

    /// The column's type in a table and schema.
    public var columnType: ColumnType { self == .date ? .date : .timestamp }

    /// The unit a schema states for it (``ColumnType/unit``, UTC spelled out).
    public var unit: String {
        self == .timestampUTC ? "seconds since 1970-01-01 00:00:00 UTC" : columnType.unit!
    }

    /// The Parquet tick for a timestamp `column`: milliseconds for whole
    /// seconds (an integer column) or up to 3 learned decimals, which they
    /// hold exactly; microseconds for more decimals or none learned (a
    /// float32's value; ``FittedColumns`` learns at most 6).
    static func parquetUnit(of column: FittedColumns.Column) -> ParquetColumn.TimeUnit {
        column.kind == .integer || (column.decimals ?? 6) <= 3 ? .millis : .micros
    }

    /// Ticks of `unit` in one second.
    static func ticksPerSecond(_ unit: ParquetColumn.TimeUnit) -> Double {
        switch unit {
        case .millis: 1e3
        case .micros: 1e6
        case .nanos: 1e9
        }
    }

    /// `value` (days for a date, seconds for a timestamp) as ISO 8601 text:
    /// `YYYY-MM-DD` for a date; `YYYY-MM-DDThh:mm:ss` for a timestamp, then
    /// the fraction to the microsecond with trailing zeros dropped when it
    /// has one, then `Z` when UTC. Years outside 0000…9999 are written
    /// with their sign and digits as ISO 8601's expanded form (`+10000-01-01`).
    /// Precondition: `value` is finite.
    func text(_ value: Double) -> String {
        if self == .date { return Self.civil(days: Int(value.rounded(.down))) }
        let micros = (value * 1e6).rounded(.toNearestOrEven)
        let whole = (micros / 1e6).rounded(.down)
        var fraction = Int(micros - whole * 1e6)
        let seconds = Int(whole)
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let ofDay = seconds - days * 86_400
        var out = Self.civil(days: days) + "T" + Self.digits(ofDay / 3600, 2) + ":" + Self.digits(ofDay / 60 % 60, 2) + ":" + Self.digits(ofDay % 60, 2)
        if fraction > 0 {
            var places = 6
            while fraction % 10 == 0 { fraction /= 10; places -= 1 }
            out += "." + Self.digits(fraction, places)
        }
        return self == .timestampUTC ? out + "Z" : out
    }

    /// `YYYY-MM-DD` of the day `days` after 1970-01-01 (proleptic
    /// Gregorian): Howard Hinnant's `civil_from_days` ("chrono-Compatible
    /// Low-Level Date Algorithms"), the inverse of the readers'
    /// `days_from_civil`: 400-year eras of 146,097 days counted from
    /// 0000-03-01, so that the leap day ends a year.
    static func civil(days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097                                                     // 0 … 146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365  // 0 … 399
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)       // 0 … 365, from March 1
        let mp = (5 * dayOfYear + 2) / 153                                                   // 0 … 11, March first
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let y = (0...9999).contains(year) ? digits(year, 4) : (year < 0 ? "-" : "+") + digits(abs(year), 5)
        return y + "-" + digits(month, 2) + "-" + digits(day, 2)
    }

    /// `value` (≥ 0) in decimal, zero-padded to at least `width` digits.
    static func digits(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
