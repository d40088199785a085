/// One spelling per label value, so that `1`, ` 1`, `1.0`, `01` and `1e0`
/// are one class, as they are one value to pandas (`read_csv` reads all five
/// as 1.0 in a numeric column) and to a person.
///
/// The rules, applied to labels of tables, answers and gold files alike:
/// - ASCII white space around the text is trimmed (space, tab, CR, LF, VT, FF);
/// - text that is a decimal number — an optional sign, ASCII digits with an
///   optional fraction, an optional exponent — is spelled by its value:
///   integers in plain decimal without sign or leading zeros (`+01` → `1`,
///   `-0` → `0`; exact at any length), other numbers that are integral and
///   below 2⁵³ in magnitude likewise (`1.0`, `1e0` → `1`), and the rest in
///   Swift's shortest round-trip form (`2.50` → `2.5`). This is how `.npy`
///   class ids are named, so a table's class 1 meets a directory's class 1;
/// - `true` and `false` in any case (`True`, `FALSE`) are spelled `true` and
///   `false`: pandas writes a bool column to CSV as `True`/`False`, while
///   Parquet, JSON Lines, Polars and DuckDB give `true`/`false`, and R and
///   Excel `TRUE`/`FALSE` — one value, so one class, in tables, answers and
///   gold alike (a bool `.npy` names its classes so too);
/// - any other text (`cat`, `0x1`, `1,5`, `inf`) is kept as it is, after
///   trimming;
/// - what pandas reads as missing (``TableCell/missingSpellings``, after
///   trimming) is a missing value, not a label.
///
/// Item and worker ids are not labels and keep their bytes (``ValueInterner``).
enum LabelText {
    enum Canonical {
        case missing
        /// The text holds a NUL byte.
        case nul
        /// The label is these bytes of the input (trimmed).
        case same(Range<Int>)
        /// The label is spelled otherwise (a number).
        case rewritten([UInt8])
    }

    enum NumberSyntax { case integer, decimal }

    static func isBlank(_ b: UInt8) -> Bool { b == 32 || (b >= 9 && b <= 13) }

    static func trimmedRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var from = 0, to = bytes.count
        while from < to, isBlank(bytes[from]) { from += 1 }
        while to > from, isBlank(bytes[to - 1]) { to -= 1 }
        return from..<to
    }

    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[trimmedRange(bytes)])
    }

    /// Whether `text` is a decimal number, and whether an integer one:
    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, nothing
    /// else (no spaces, no hex, no `inf` or `nan`).
    static func decimalSyntax(_ t: UnsafeBufferPointer<UInt8>) -> NumberSyntax? {
        let n = t.count
        var i = 0
        func digits() -> Int {
            let start = i
            while i < n, t[i] &- 48 < 10 { i += 1 }
            return i - start
        }
        if i < n, t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-") { i += 1 }
        var count = digits(), decimal = false
        if i < n, t[i] == UInt8(ascii: ".") { i += 1; decimal = true; count += digits() }
        guard count > 0 else { return nil }
        if i < n, t[i] == UInt8(ascii: "e") || t[i] == UInt8(ascii: "E") {
            i += 1
            decimal = true
            if i < n, t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == n else { return nil }
        return decimal ? .decimal : .integer
    }

    /// The canonical spelling of a label's bytes (see the type's rules).
    /// Canonical integers, the usual case, return at once.
    static func canonical(_ bytes: UnsafeBufferPointer<UInt8>) -> Canonical {
        if ValueInterner.canonicalInteger(bytes) != nil { return .same(0..<bytes.count) }
        let r = trimmedRange(bytes)
        let t = UnsafeBufferPointer(rebasing: bytes[r])
        if t.isEmpty { return .missing }
        if t.contains(0) { return .nul }
        // Every missing spelling is at most 8 bytes and starts with one of these.
        if t.count <= 8, "#-1<Nn".utf8.contains(t[0]), TableCell.missingSpellings.contains(String(decoding: t, as: UTF8.self)) {
            return .missing
        }
        if let b = TableCell.boolean(t) {
            let spelled = b ? "true" : "false"
            return spelled.utf8.elementsEqual(t) ? .same(r) : .rewritten(Array(spelled.utf8))
        }
        switch decimalSyntax(t) {
        case nil:
            return .same(r)
        case .integer:
            let negative = t[0] == UInt8(ascii: "-")
            var start = t[0] &- 48 < 10 ? 0 : 1
            while start < t.count - 1, t[start] == UInt8(ascii: "0") { start += 1 }
            let zero = start == t.count - 1 && t[start] == UInt8(ascii: "0")
            if start == 0 || (negative && start == 1 && !zero) { return .same(r) }
            return .rewritten((negative && !zero ? [UInt8(ascii: "-")] : []) + Array(t[start...]))
        case .decimal:
            guard let d = Double(String(decoding: t, as: UTF8.self)), d.isFinite else { return .same(r) }
            let spelled = Array(spelling(of: d).utf8)
            return spelled.elementsEqual(t) ? .same(r) : .rewritten(spelled)
        }
    }

    /// The label of a number: integral values below 2⁵³ in magnitude in
    /// plain decimal (−0 is 0), others in Swift's shortest round-trip form.
    static func spelling(of d: Double) -> String {
        // Integers as integers, up to the int64 and uint64 range of a .npy
        // (−2^63 is "-9223372036854775808", not "-9.223372036854776e+18");
        // beyond 2^53 this is the value as read into a Double.
        if let i = Int64(exactly: d) { return String(i) }
        if let u = UInt64(exactly: d) { return String(u) }
        return "\(d)"
    }

    /// ``canonical(_:)`` of a String, as a String (nil when missing or
    /// holding a NUL byte).
    static func canonical(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes in
            switch canonical(bytes) {
            case .missing, .nul: return nil
            case .same(let r): return String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self)
            case .rewritten(let b): return String(decoding: b, as: UTF8.self)
            }
        }
    }
}
