import Foundation
import Synth
import SynthctlCore

/// One cell of a table as its file typed it: text from a CSV field or a JSON
/// string, a number JSON or Parquet typed, a null, or a nested JSON value.
///
/// What a cell means depends on its column: a feature must be a finite
/// number within float32's range (``featureValue``), a label is text with one
/// spelling per value (``label``). Both see the same missing values: what
/// pandas' `read_csv` reads as NaN by default (``missingSpellings``), JSON and
/// Parquet nulls, and NaN itself.
enum TableCell {
    /// A JSON or Parquet null.
    case null
    /// A key a JSON Lines row does not have (Spark's writer leaves out
    /// null fields): missing, as a null is, since pandas and Polars read it
    /// so, but said as what it is in messages (``foundMissing(_:column:)``).
    case absent
    case text(String)
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    /// A JSON object or array, described for messages ("an object").
    case nested(String)

    /// What a cell holds once read for a role.
    enum Reading<Value> {
        case value(Value)
        /// A missing value, described as the file spelled it: `"NA"`, `an empty field`, `null`, `nan`.
        case missing(String)
        /// Something that is neither: what was expected and what was found.
        case invalid(expected: String, found: String)
    }

    /// How ``Reading/missing(_:)`` spells an ``absent`` cell.
    static let absentSpelling = "no key"

    /// What a message says was found in a missing cell of `column`, spelled
    /// `spelled` (``Reading/missing(_:)``): `no key "x1"` where the row has
    /// no such key, else `a missing value (null)`, `(an empty field)`, ….
    static func foundMissing(_ spelled: String, column: String) -> String {
        spelled == absentSpelling ? "no key \"\(column)\"" : "a missing value (\(spelled))"
    }

    /// pandas' default `na_values` (`pandas._libs.parsers.STR_NA_VALUES`,
    /// pandas 3.1): the text `read_csv` reads as a missing value. Matched
    /// after trimming ASCII white space, case as listed.
    static let missingSpellings: Set<String> = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    /// A feature value as float32. Text is read as a decimal number (ASCII
    /// digits with an optional sign, fraction and exponent, surrounded by
    /// optional spaces, as pandas reads a numeric column); booleans are 1 and
    /// 0, and so is the text `true` or `false` in any case (pandas writes
    /// `True`/`False`, Polars and DuckDB `true`/`false`; pandas reads such a
    /// column back as booleans, as Parquet and JSON Lines carry them).
    /// Infinities, numbers beyond float32's range (they would become
    /// infinities), NUL bytes and anything else that is not a number are
    /// invalid; missing spellings, nulls and NaN are missing.
    var featureValue: Reading<Float> {
        switch self {
        case .null: return .missing("null")
        case .absent: return .missing(Self.absentSpelling)
        case .boolean(let b): return .value(b ? 1 : 0)
        case .integer(let i): return .value(Float(i))
        case .real(let d): return Self.float(d, spelled: "\(d)")
        case .nested(let what): return .invalid(expected: "a number", found: what)
        case .text(let s):
            var s = s
            return s.withUTF8 { bytes in
                let t = LabelText.trimmed(bytes)
                // Checked syntax first: Double("1\02") would read 1, and "inf" infinity.
                if LabelText.decimalSyntax(t) != nil, let d = Double(String(decoding: t, as: UTF8.self)) {
                    return Self.float(d, spelled: Self.quoted(bytes))
                }
                if let b = Self.boolean(t) { return .value(b ? 1 : 0) }
                if t.contains(0) { return .invalid(expected: "a number", found: "a NUL byte in \(Self.quoted(bytes))") }
                if Self.missingSpellings.contains(String(decoding: t, as: UTF8.self)) { return .missing(Self.describe(bytes)) }
                return .invalid(expected: "a finite number", found: Self.quoted(bytes))
            }
        }
    }

    /// A label: text trimmed and spelled canonically (``LabelText``),
    /// integers in decimal, other numbers by their value, booleans as `true`
    /// and `false`. Missing spellings, nulls and NaN are missing; objects,
    /// arrays and NUL bytes are invalid.
    var label: Reading<String> {
        switch self {
        case .null: return .missing("null")
        case .absent: return .missing(Self.absentSpelling)
        case .boolean(let b): return .value(b ? "true" : "false")
        case .integer(let i): return .value(String(i))
        case .real(let d): return d.isNaN ? .missing("nan") : .value(LabelText.spelling(of: d))
        case .nested(let what): return .invalid(expected: "a label (a string or a number)", found: what)
        case .text(let s):
            var s = s
            return s.withUTF8 { bytes in
                switch LabelText.canonical(bytes) {
                case .missing: return .missing(Self.describe(bytes))
                case .nul: return .invalid(expected: "a label", found: "a NUL byte in \(Self.quoted(bytes))")
                case .same(let range): return .value(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                case .rewritten(let text): return .value(String(decoding: text, as: UTF8.self))
                }
            }
        }
    }

    /// `true` or `false` in any case (ASCII letters only), or nil.
    static func boolean(_ t: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard t.count == 4 || t.count == 5 else { return nil }
        let lower = t.map { $0 | 0x20 }  // ASCII letters to lower case; other bytes cannot match
        if lower.elementsEqual("true".utf8) { return true }
        if lower.elementsEqual("false".utf8) { return false }
        return nil
    }

    /// `d` as float32; `spelled` (how the file wrote it) is built only for a message.
    private static func float(_ d: Double, spelled: @autoclosure () -> String) -> Reading<Float> {
        if d.isNaN { return .missing(spelled()) }
        guard d.isFinite else { return .invalid(expected: "a finite number", found: spelled()) }
        let f = Float(d)
        guard f.isFinite else {
            return .invalid(expected: "a number within float32's range (magnitude at most \(Float.greatestFiniteMagnitude))", found: spelled())
        }
        return .value(f)
    }

    /// How a missing text value is named in messages: `an empty field`, or the text in quotes.
    static func describe(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        LabelText.trimmed(bytes).isEmpty ? (bytes.isEmpty ? "an empty field" : "a blank field") : quoted(bytes)
    }

    /// The text in quotes, NUL bytes shown as \0 and cut after 40 characters.
    static func quoted(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\0", with: "\\0")
        return "\"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
    }
}

extension TableCell {
    /// A JSON value read from a JSON Lines row.
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .boolean(b)
        case .int(let i): self = .integer(Int64(i))
        case .double(let d): self = .real(d)
        case .string(let s): self = .text(s)
        case .array(let a): self = .nested("an array of \(a.count)")
        case .records(let r): self = .nested("an array of \(r.count)")
        case .object: self = .nested("an object")
        }
    }

    /// A JSON Lines integer written without sign, fraction or exponent,
    /// beyond Int64.max and at most UInt64.max (`digits`, as the file spells
    /// it): its digits as text; nil for any other spelling.
    ///
    /// Why: pandas' `to_json` writes a uint64 column's values as such
    /// integers. Read as a double, two ids 18446744073709551614 and
    /// 18446744073709551615 would become one, 1.8446744073709552e19, and
    /// the column a float one. As text, as the Parquet reader gives a
    /// UINT_64 above Int64.max (``ParquetTable/Values/unsignedIntegers``), a
    /// label or id keeps every digit, a feature reads the nearest float32
    /// (``featureValue``), and the column stays integer (``ColumnTypeTally``).
    init?(unsignedBeyondInt64 digits: String) {
        guard digits.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }), Int64(digits) == nil, UInt64(digits) != nil else { return nil }
        self = .text(digits)
    }
}

extension TableCell {
    /// Whether a cell read as a number is a value of `type` (``ColumnType/integer``
    /// or ``ColumnType/boolean``, as a schema gives them), judged on the
    /// number as written (its float64), not on the float32 a feature keeps:
    /// `123456789.5` rounds to the whole float32 123456792, yet is no integer.
    func isExactly(_ type: ColumnType) -> Bool {
        let value: Double
        switch self {
        case .integer(let i): return type == .integer || i == 0 || i == 1
        case .boolean: return true
        case .real(let d): value = d
        case .text(var s):
            guard let d = s.withUTF8({ Double(String(decoding: LabelText.trimmed($0), as: UTF8.self)) }) else { return true }
            value = d
        case .null, .absent, .nested: return true
        }
        return type == .integer ? value == value.rounded() : value == 0 || value == 1
    }

    /// The cell as the file wrote it, for a message: text trimmed (quoted
    /// only when it is no number), integers in decimal, a float64 in its
    /// shortest round-trip form.
    var spelling: String {
        switch self {
        case .null: return "null"
        case .absent: return Self.absentSpelling
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .real(let d): return "\(d)"
        case .nested(let what): return what
        case .text(var s):
            return s.withUTF8 { bytes in
                let t = LabelText.trimmed(bytes)
                return LabelText.decimalSyntax(t) != nil ? String(decoding: t, as: UTF8.self) : Self.quoted(bytes)
            }
        }
    }
}
