import SynthctlCore

/// An ISO 8601 date or timestamp written as text, as pandas `to_csv`,
/// Polars `write_csv`/`write_ndjson`, DuckDB `COPY … (FORMAT csv)` and
/// Hugging Face `datasets` `to_json` write them, read into the numbers and
/// units a Parquet DATE and TIMESTAMP are read as (``ParquetMetadata/Annotation``):
///
/// | text | read as |
/// | --- | --- |
/// | `2024-03-01` | a date: days since 1970-01-01 (an integer) |
/// | `2024-03-01T12:34:56`, `2024-03-01 12:34:56.123456789` | a timestamp: seconds since 1970-01-01 00:00:00 on the writer's clock |
/// | … with `Z`, `+05:30`, `-08:00`, `+0530` or `+05` | the same instant in UTC (the offset subtracted) |
///
/// The grammar (ISO 8601's extended form, as RFC 3339 profiles it, with the
/// space separator those writers use): `YYYY-MM-DD`, then optionally `T`,
/// `t` or one space, `hh:mm` or `hh:mm:ss`, an optional fraction of 1 to 9
/// digits (to the nanosecond), and an optional `Z` or `±hh[:mm]` offset.
/// The calendar is the proleptic Gregorian one, years 0000 to 9999; a day
/// the month does not have (2023-02-29, 2024-04-31), month 13, hour 24 and
/// second 60 are not dates. No Foundation formatter runs: this is read once
/// per cell.
struct ISO8601Text: Equatable {
    /// Days since 1970-01-01 of the date part (negative before it).
    let days: Int
    /// Nanoseconds since 1970-01-01 00:00:00 (UTC when ``hasOffset``), or
    /// nil for a date without a time.
    let nanoseconds: Int128?
    /// Whether the text gave a time zone (`Z` or an offset).
    let hasOffset: Bool

    /// A timestamp's seconds since 1970-01-01 00:00:00 as the nearest
    /// Double (the value pyarrow's TIMESTAMP(NANOS) gives, read as Parquet
    /// is); a date's midnight.
    var seconds: Double {
        ParquetScaledNumber.value(nanoseconds ?? Int128(days) * 86_400_000_000_000, digits: 9)
    }

    /// The date or timestamp `text` spells (ASCII spaces and tabs around it
    /// ignored), or nil when it spells none.
    init?(_ text: UnsafeBufferPointer<UInt8>) {
        let t = LabelText.trimmed(text)
        var i = 0
        /// `count` ASCII digits at `i` as a number, or nil.
        func number(_ count: Int) -> Int? {
            guard i + count <= t.count else { return nil }
            var v = 0
            for k in i..<(i + count) {
                let d = t[k] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            i += count
            return v
        }
        func skip(_ byte: Character) -> Bool {
            guard i < t.count, t[i] == byte.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = number(4), skip("-"), let month = number(2), skip("-"), let day = number(2),
              (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        days = Self.daysFromCivil(year: year, month: month, day: day)
        guard i < t.count else { nanoseconds = nil; hasOffset = false; return }
        guard t[i] == UInt8(ascii: "T") || t[i] == UInt8(ascii: "t") || t[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        guard let hour = number(2), hour < 24, skip(":"), let minute = number(2), minute < 60 else { return nil }
        var second = 0, fraction = 0
        if skip(":") {
            guard let s = number(2), s < 60 else { return nil }
            second = s
            if skip(".") || skip(",") {
                var digits = 0
                while i < t.count, t[i] &- UInt8(ascii: "0") < 10 {
                    guard digits < 9 else { return nil }
                    fraction = fraction * 10 + Int(t[i] &- UInt8(ascii: "0"))
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<9 { fraction *= 10 }
            }
        }
        var offsetMinutes = 0
        var offset = false
        if skip("Z") || skip("z") {
            offset = true
        } else if i < t.count, t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-") {
            let sign = t[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let h = number(2), h < 24 else { return nil }
            var m = 0
            if i < t.count {
                _ = skip(":")
                guard let mm = number(2), mm < 60 else { return nil }
                m = mm
            }
            offsetMinutes = sign * (h * 60 + m)
            offset = true
        }
        guard i == t.count else { return nil }
        let secondsOfDay = hour * 3600 + minute * 60 + second - offsetMinutes * 60
        nanoseconds = (Int128(days) * 86_400 + Int128(secondsOfDay)) * 1_000_000_000 + Int128(fraction)
        hasOffset = offset
    }

    /// The days of `month` (1…12) in `year` of the proleptic Gregorian
    /// calendar: February has 29 in years divisible by 4, except centuries
    /// not divisible by 400.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to `year`-`month`-`day` (proleptic Gregorian):
    /// Howard Hinnant's `days_from_civil` ("chrono-Compatible Low-Level Date
    /// Algorithms"), which counts from 0000-03-01 in 400-year eras of
    /// 146,097 days so that the leap day ends a year. Exact for any year.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400                                  // 0 … 399
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1   // 0 … 365, from March 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension ISO8601Text {
    /// What a column of ISO 8601 text holds: dates only, or timestamps
    /// (a date alone among them is its midnight), with or without a time
    /// zone — one or the other for the whole column, as pandas'
    /// `to_datetime` refuses to mix them.
    enum Kind: Equatable {
        case date
        case timestamp(utc: Bool)

        var columnType: ColumnType {
            if case .date = self { return .date }
            return .timestamp
        }

        /// The schema's unit for a column of this kind: a timestamp with
        /// offsets says that its seconds are UTC.
        var unit: String? {
            guard case .timestamp(utc: true) = self else { return columnType.unit }
            return "seconds since 1970-01-01 00:00:00 UTC (ISO 8601 offsets applied)"
        }
    }

    /// Whether this value can be a cell of a `kind` column.
    func fits(_ kind: Kind) -> Bool {
        switch kind {
        case .date: return nanoseconds == nil
        case .timestamp(let utc): return nanoseconds == nil ? !utc : hasOffset == utc
        }
    }

    /// The kind of a column whose first value is this one.
    var kind: Kind { nanoseconds == nil ? .date : .timestamp(utc: hasOffset) }
}

extension TableCell {
    /// The ISO 8601 date or timestamp a text cell spells, or nil (for any
    /// other cell too).
    var iso8601: ISO8601Text? {
        guard case .text(let s) = self else { return nil }
        var text = s
        return text.withUTF8 { ISO8601Text($0) }
    }

    /// Whether the cell is missing as a feature value is (``featureValue``):
    /// a null, a missing spelling, NaN.
    var isMissing: Bool {
        if case .missing = featureValue { return true }
        return false
    }

    /// The kind of a column of text cells read as ISO 8601 dates or
    /// timestamps (`cells`: its cells in order), when every one that is not
    /// missing spells one and they agree (dates and timestamps on the
    /// writer's clock make timestamps; with and without an offset do not
    /// mix); else nil. Stops at the first cell that does not fit, so a
    /// column of numbers costs one cell.
    static func iso8601Kind(of cells: some Sequence<TableCell>) -> ISO8601Text.Kind? {
        var kind: ISO8601Text.Kind? = nil
        for cell in cells {
            guard let value = cell.iso8601 else {
                if cell.isMissing { continue }
                return nil
            }
            switch (kind, value.kind) {
            case (nil, let k): kind = k
            case (.date, .timestamp(utc: false)): kind = .timestamp(utc: false)
            case (let k?, _): guard value.fits(k) else { return nil }
            }
        }
        return kind
    }

    /// The cell as a feature of a date or timestamp column of `kind`: ISO 8601
    /// text as days (a date) or seconds (a timestamp) since 1970-01-01, in
    /// float32; a number (typed, or text that spells one) counted in
    /// `numbers` (``EpochUnit``: a Parquet DATE's days, a TIMESTAMP's
    /// seconds, a unit the schema states) converted to the kind's unit, and
    /// refused when no unit is known (it would be recorded in a unit it is
    /// not in); missing values missing. Text that spells no date of the kind,
    /// or a number without a unit, is invalid: expected "an ISO 8601 date"
    /// or "an ISO 8601 timestamp with (without) a time zone, as the column's
    /// first", found the text or the number as written.
    func timeValue(_ kind: ISO8601Text.Kind, numbers: EpochUnit? = nil) -> Reading<Float> {
        if case .text = self, let value = iso8601, value.fits(kind) {
            return .value(kind == .date ? Float(value.days) : Float(value.seconds))
        }
        let reading = featureValue
        let number: Double?
        switch self {
        case .integer(let i): number = Double(i)
        case .real(let d): number = d
        case .text(var s): number = s.withUTF8 { LabelText.decimalSyntax(LabelText.trimmed($0)) != nil ? Double(String(decoding: LabelText.trimmed($0), as: UTF8.self)) : nil }
        case .boolean, .null, .absent, .nested: number = nil
        }
        if case .value = reading, let number, let numbers {
            let value = Float(numbers.converted(number, to: kind))
            guard value.isFinite else {
                return .invalid(expected: "a \(kind == .date ? "date" : "timestamp") within float32's range", found: spelling)
            }
            return .value(value)
        }
        if case .missing = reading { return reading }
        if case .invalid = reading, number != nil { return reading }  // a number beyond float32's range
        let found: String
        if case .text(var s) = self, number == nil { found = s.withUTF8 { Self.quoted($0) } } else { found = spelling }
        // A number: no unit says what it counts.
        if number != nil { return .invalid(expected: kind == .date ? "an ISO 8601 date" : "an ISO 8601 timestamp", found: found) }
        switch kind {
        case .date: return .invalid(expected: "an ISO 8601 date", found: found)
        case .timestamp(let utc):
            return .invalid(expected: "an ISO 8601 timestamp \(utc ? "with" : "without") a time zone, as the column's first", found: found)
        }
    }
}
