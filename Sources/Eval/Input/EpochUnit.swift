/// The unit that plain numbers in a date or timestamp column count in since
/// 1970-01-01, as a schema states it (`--schema`: `{"name": "ts", "type":
/// "timestamp", "unit": "milliseconds since 1970-01-01"}`) or as a Parquet
/// DATE (days) or TIMESTAMP (read as seconds) column holds them.
///
/// Why: a number alone does not say its unit. Hugging Face `datasets`'
/// `to_json` writes timestamps as epoch milliseconds, pandas' `to_json` too,
/// a CSV may hold `20240105`; read as the type's own unit (days, seconds)
/// they would be dates 5,000 years away, recorded as if right. So a column
/// given a time type takes numbers only in a unit stated for them, and
/// converts them to the type's unit (``ColumnType/unit``): a timestamp's
/// seconds, a date's days (floored: the day the instant falls on).
///
/// Spelled `<unit> since 1970-01-01`, `<unit>` one of `days`, `seconds`,
/// `milliseconds`, `microseconds`, `nanoseconds`; anything may follow (the
/// schemas synthctl writes say `seconds since 1970-01-01 00:00:00`, or
/// `… UTC (ISO 8601 offsets applied)`).
struct EpochUnit: Equatable {
    /// Seconds in one unit: 86,400 for days, 10⁻³ for milliseconds.
    let seconds: Double
    /// The unit's name as spelled (`milliseconds`), for notes.
    let name: String

    static let days = EpochUnit(seconds: 86_400, name: "days")
    static let seconds = EpochUnit(seconds: 1, name: "seconds")
    static let all = [days, seconds, EpochUnit(seconds: 1e-3, name: "milliseconds"),
                      EpochUnit(seconds: 1e-6, name: "microseconds"), EpochUnit(seconds: 1e-9, name: "nanoseconds")]

    private init(seconds: Double, name: String) {
        self.seconds = seconds
        self.name = name
    }

    /// The unit `text` states, or nil when it is none of the spellings above.
    init?(_ text: String) {
        guard let unit = Self.all.first(where: { text.hasPrefix("\($0.name) since 1970-01-01") }) else { return nil }
        self = unit
    }

    /// `value` counted in this unit, as the number a column of `kind` holds:
    /// seconds for a timestamp, whole days (floored) for a date.
    func converted(_ value: Double, to kind: ISO8601Text.Kind) -> Double {
        let inSeconds = self == .seconds ? value : value * seconds
        if kind == .date { return self == .days ? value : (inSeconds / 86_400).rounded(.down) }
        return inSeconds
    }
}
