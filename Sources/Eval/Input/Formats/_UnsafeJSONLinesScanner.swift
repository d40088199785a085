/// The hot loop of ``JSONLinesParser``: one line of a JSON Lines file read
/// straight from the file's bytes when it is the common case — one flat
/// JSON object (RFC 8259) whose values are strings, numbers, `true`,
/// `false`, `null` or lists of numbers, with spaces and tabs around its tokens.
///
/// A list of numbers and nulls (an embedding) is read here too, into
/// ``listElements``, its cell the `.nested("an array of n")` the exact
/// path makes of any array.
///
/// Anything else — an object or an array holding anything but numbers and
/// nulls as a value, a syntax error, a key given
/// twice, a string that is not valid UTF-8, a lone UTF-16 surrogate, a
/// number beyond float64's range, `{}`, a control character — makes
/// ``scanLine(from:into:)`` answer ``Line/other(end:)``, and the parser
/// reads that line through its exact path (``JSONLinesParser``'s
/// `checkedObject`), which says what is wrong as the reader always has.
/// The scanner therefore never words an error, and accepts only lines that
/// the exact path reads to the same cells (a differential test holds them
/// together).
///
/// Values become ``TableCell``s as Foundation's `JSONDecoder` made them
/// through ``JSONValue``: an integer written without fraction or exponent
/// is an integer if it fits Int64, its digits as text from Int64.max up to
/// UInt64.max (``TableCell/init(unsignedBeyondInt64:)``, as the exact path
/// makes them too), else a double; any other number is an
/// integer when its double value is a whole number below 2^53 in
/// magnitude (`1.0`, `1e2`, `-0.0`, `1e-400` are integers 1, 100, 0 and
/// 0), a double otherwise; a whole double from 2^53 up, which Foundation
/// reads again as a Decimal, is left to the exact path.
///
/// Preconditions: `bytes` stays valid while the scanner is used, and every
/// position passed in is within `0...bytes.count`. Every read is checked
/// against `bytes.count` first (an UnsafeBufferPointer's subscript is not
/// checked in release builds), so any bytes are safe to scan.
struct _UnsafeJSONLinesScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Reused for strings with escapes or non-ASCII bytes.
    private var scratch = [UInt8]()
    /// The elements of the line's lists of numbers (an embedding per row,
    /// as `datasets` `to_json` and Polars `write_ndjson` write list
    /// columns), one after another, a JSON `null` element as NaN (no JSON
    /// number is one); `lists` holds each list's range, in the order of
    /// the fields whose value is a list (``Field/value`` `.nested("an array of n")`).
    /// Emptied by ``scanLine(from:into:)``.
    private(set) var listElements = [Double]()
    private(set) var lists = [Range<Int>]()

    /// Whether a string without escapes is given by its bytes' place
    /// (``Field/raw``) instead of as a `String` (see ``init(_:stringsInPlace:)``).
    let stringsInPlace: Bool

    /// With `stringsInPlace`, a string value without a backslash is not
    /// made into a `String`: its cell is an empty `.text` and its text is
    /// the bytes at ``Field/raw`` (checked to be UTF-8 as ever). For a
    /// reader that copies texts out whole (``JSONLinesTextColumn``), a
    /// `String` per row was an allocation and a copy, a tenth of reading.
    init(_ bytes: UnsafeBufferPointer<UInt8>, stringsInPlace: Bool = false) {
        self.bytes = bytes
        self.stringsInPlace = stringsInPlace
    }

    /// One key and its value, as found on the line.
    struct Field {
        /// The key's bytes between its quotes, escapes not undone.
        var key: Range<Int>
        /// Whether the key holds a backslash (its text is then ``keyText(_:)``'s).
        var keyEscaped: Bool
        var value: TableCell
        /// With ``stringsInPlace``, where a string value without escapes
        /// lies (between its quotes): its text is these bytes. Nil otherwise.
        var raw: Range<Int>? = nil
    }

    /// What a line holds; `end` is the index of its line end (\n or \r) or
    /// of the end of the file.
    enum Line {
        /// Spaces and tabs only, or nothing.
        case blank(end: Int)
        /// A flat object of scalars, its fields in the order written.
        case object(end: Int)
        /// Anything else: to be read by the exact path. `end` is found by
        /// ``lineEnd(from:)``.
        case other
    }

    /// Reads the line starting at `start` into `fields` (emptied first).
    mutating func scanLine(from start: Int, into fields: inout [Field]) -> Line {
        fields.removeAll(keepingCapacity: true)
        if !lists.isEmpty { lists.removeAll(keepingCapacity: true); listElements.removeAll(keepingCapacity: true) }
        var i = skipBlanks(start)
        guard i < bytes.count, bytes[i] != 10, bytes[i] != 13 else { return .blank(end: i) }
        guard bytes[i] == UInt8(ascii: "{") else { return .other }
        i = skipBlanks(i + 1)
        while true {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return .other }
            let keyStart = i + 1
            guard let (keyEnd, escaped, _) = stringEnd(from: keyStart) else { return .other }
            i = skipBlanks(keyEnd + 1)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return .other }
            i = skipBlanks(i + 1)
            guard let (value, next) = scalar(at: i) else { return .other }
            fields.append(Field(key: keyStart..<keyEnd, keyEscaped: escaped, value: value, raw: rawString))
            i = skipBlanks(next)
            guard i < bytes.count else { return .other }
            if bytes[i] == UInt8(ascii: ",") { i = skipBlanks(i + 1); continue }
            guard bytes[i] == UInt8(ascii: "}") else { return .other }
            i = skipBlanks(i + 1)
            guard i == bytes.count || bytes[i] == 10 || bytes[i] == 13 else { return .other }
            return .object(end: i)
        }
    }

    /// The index of the line end (\n or \r) at or after `start`, or of the end of the file.
    func lineEnd(from start: Int) -> Int {
        var i = start
        while i < bytes.count, bytes[i] != 10, bytes[i] != 13 { i += 1 }
        return i
    }

    /// The text of a key, escapes undone; nil when it is not valid text.
    mutating func keyText(_ field: Field) -> String? {
        text(field.key, escaped: field.keyEscaped, ascii: false)
    }

    private func skipBlanks(_ start: Int) -> Int {
        var i = start
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        return i
    }

    /// The last value's ``Field/raw``.
    private var rawString: Range<Int>? = nil

    /// A string, `true`, `false`, `null` or a number at `i`, and the index after it.
    private mutating func scalar(at i: Int) -> (TableCell, Int)? {
        rawString = nil
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "\""):
            guard let (end, escaped, ascii) = stringEnd(from: i + 1) else { return nil }
            if stringsInPlace && !escaped {
                guard ascii || String(validating: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<end]), as: UTF8.self) != nil else { return nil }
                rawString = (i + 1)..<end
                return (.text(""), end + 1)
            }
            guard let s = text(i + 1..<end, escaped: escaped, ascii: ascii) else { return nil }
            return (.text(s), end + 1)
        case UInt8(ascii: "t"): return word("true", at: i).map { (.boolean(true), $0) }
        case UInt8(ascii: "f"): return word("false", at: i).map { (.boolean(false), $0) }
        case UInt8(ascii: "n"): return word("null", at: i).map { (.null, $0) }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number(at: i)
        case UInt8(ascii: "["): return numberList(at: i)
        default: return nil
        }
    }

    /// A list of numbers and nulls at `i` (`[0.1, -2, null]`, `[]`): its
    /// elements appended to ``listElements``, its range to ``lists``, and
    /// the cell the exact path makes of any array, with the index after
    /// it. Nil for anything else in a list (a string, a nested list: the
    /// exact path says which), leaving ``listElements`` as it found it.
    /// Kept out of ``scalar(at:)``'s cases for numbers and strings.
    @inline(never)
    private mutating func numberList(at start: Int) -> (TableCell, Int)? {
        let first = listElements.count
        var i = skipBlanks(start + 1)
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            lists.append(first..<first)
            return (.nested("an array of 0"), i + 1)
        }
        while true {
            guard i < bytes.count else { listElements.removeSubrange(first...); return nil }
            switch bytes[i] {
            case UInt8(ascii: "n"):
                guard let next = word("null", at: i) else { listElements.removeSubrange(first...); return nil }
                listElements.append(.nan)
                i = next
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                switch number(at: i) {
                case (.integer(let v), let next)?: listElements.append(Double(v)); i = next
                case (.real(let v), let next)?: listElements.append(v); i = next
                // An element beyond Int64.max: its nearest double, as the exact path reads it.
                case (.text(let digits), let next)?: listElements.append(Double(digits)!); i = next
                default: listElements.removeSubrange(first...); return nil
                }
            default: listElements.removeSubrange(first...); return nil
            }
            i = skipBlanks(i)
            guard i < bytes.count else { listElements.removeSubrange(first...); return nil }
            if bytes[i] == UInt8(ascii: ",") { i = skipBlanks(i + 1); continue }
            guard bytes[i] == UInt8(ascii: "]") else { listElements.removeSubrange(first...); return nil }
            lists.append(first..<listElements.count)
            return (.nested("an array of \(listElements.count - first)"), i + 1)
        }
    }

    /// The index after `w` when it is spelled at `i` (what may follow is the caller's check).
    private func word(_ w: StaticString, at i: Int) -> Int? {
        let n = w.utf8CodeUnitCount
        guard i + n <= bytes.count else { return nil }
        for k in 0..<n where bytes[i + k] != w.utf8Start[k] { return nil }
        return i + n
    }

    /// The index of the closing quote of the string whose text starts at
    /// `start`, whether it holds a backslash and whether it is all ASCII;
    /// nil at a control character or the line's or file's end.
    private func stringEnd(from start: Int) -> (end: Int, escaped: Bool, ascii: Bool)? {
        var i = start, escaped = false, high: UInt8 = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { return (i, escaped, high < 0x80) }
            if b < 0x20 { return nil }
            if b == UInt8(ascii: "\\") {
                escaped = true
                i += 2  // the escaped byte is never the closing quote; a control byte there fails in text()
                continue
            }
            high |= b
            i += 1
        }
        return nil
    }

    /// The text of the string bytes in `range` (between its quotes), escapes
    /// undone (RFC 8259 §7, surrogate pairs joined); nil for a bad escape, a
    /// lone surrogate or bytes that are not UTF-8.
    private mutating func text(_ range: Range<Int>, escaped: Bool, ascii: Bool) -> String? {
        let raw = UnsafeBufferPointer(rebasing: bytes[range])
        if !escaped {
            return ascii ? String(decoding: raw, as: UTF8.self) : String(validating: raw, as: UTF8.self)
        }
        scratch.removeAll(keepingCapacity: true)
        var i = range.lowerBound
        while i < range.upperBound {
            guard bytes[i] == UInt8(ascii: "\\") else {
                // The run up to the next backslash, at once (a byte at a time was most of this function).
                var k = i + 1
                while k < range.upperBound, bytes[k] != UInt8(ascii: "\\") { k += 1 }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<k]))
                i = k
                continue
            }
            guard i + 1 < range.upperBound else { return nil }
            switch bytes[i + 1] {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                guard var unit = hexUnit(at: i + 2, limit: range.upperBound) else { return nil }
                if (0xDC00...0xDFFF).contains(unit) { return nil }
                if (0xD800...0xDBFF).contains(unit) {
                    guard i + 12 <= range.upperBound, bytes[i + 6] == UInt8(ascii: "\\"), bytes[i + 7] == UInt8(ascii: "u"),
                          let low = hexUnit(at: i + 8, limit: range.upperBound), (0xDC00...0xDFFF).contains(low) else { return nil }
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                guard let scalar = Unicode.Scalar(unit) else { return nil }
                scratch.append(contentsOf: UTF8.encode(scalar)!)
                i += 4
            default: return nil
            }
            i += 2
        }
        return scratch.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
    }

    /// Four hexadecimal digits at `k` (ending at most at `limit`) as a UTF-16 code unit.
    private func hexUnit(at k: Int, limit: Int) -> UInt32? {
        guard k + 4 <= limit else { return nil }
        var unit: UInt32 = 0
        for d in k..<(k + 4) {
            let b = bytes[d]
            let v: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = b &- 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = b &- 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = b &- 55
            default: return nil
            }
            unit = unit << 4 | UInt32(v)
        }
        return unit
    }

    /// A number at `start` (RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)?
    /// ([eE] [+-]? [0-9]+)?`) as the cell ``JSONValue`` made of it, and the
    /// index after it; nil when it is not one or is beyond float64's range.
    private func number(at start: Int) -> (TableCell, Int)? {
        var i = start
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        // Significant digits into `mantissa` (at most 19), the rest counted.
        var mantissa: UInt64 = 0, significant = 0, exponent = 0
        var isInteger = true
        let intStart = i
        while i < bytes.count, let d = digit(bytes[i]) {
            if mantissa != 0 || d != 0 {
                if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(d) } else { exponent += 1 }
                significant += 1
            }
            i += 1
        }
        guard i > intStart, bytes[intStart] != UInt8(ascii: "0") || i == intStart + 1 else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            isInteger = false
            i += 1
            let fracStart = i
            while i < bytes.count, let d = digit(bytes[i]) {
                if mantissa != 0 || d != 0 {
                    if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(d); exponent -= 1 }
                    significant += 1
                } else {
                    exponent -= 1
                }
                i += 1
            }
            guard i > fracStart else { return nil }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            i += 1
            var negativeExponent = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                negativeExponent = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            let expStart = i
            var written = 0
            while i < bytes.count, let d = digit(bytes[i]) {
                if written < 100_000 { written = written * 10 + d }
                i += 1
            }
            guard i > expStart else { return nil }
            exponent += negativeExponent ? -written : written
        }
        let range = start..<i
        if isInteger {
            if significant <= 18 {
                let v = Int64(mantissa)
                return (.integer(negative ? -v : v), i)
            }
            let digits = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            if let v = Int64(digits) { return (.integer(v), i) }
            if !negative, let cell = TableCell(unsignedBeyondInt64: digits) { return (cell, i) }
        }
        var value: Double
        if mantissa == 0 {
            value = negative ? -0.0 : 0
        } else if significant <= 19, mantissa <= 1 << 53, (-22...22).contains(exponent) {
            // Clinger's fast path: both operands exact, so the one rounding
            // of the product or quotient is the correctly rounded result.
            let m = Double(mantissa)
            value = exponent >= 0 ? m * Self.powersOfTen[exponent] : m / Self.powersOfTen[-exponent]
            if negative { value = -value }
        } else {
            // Swift's correctly rounded parser (C locale), as the exact path uses; the sign is in the text.
            guard let parsed = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)) else { return nil }
            value = parsed
        }
        guard value.isFinite else { return nil }
        if !isInteger, let whole = Int64(exactly: value) {
            // Foundation takes a whole Double below 2^53 as it is, and reads
            // one from 2^53 up again as a Decimal: that rare case is the exact path's.
            guard value.magnitude < 0x1p53 else { return nil }
            return (.integer(whole), i)
        }
        return (.real(value), i)
    }

    /// 10⁰ … 10²², each exact in a Double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    private func digit(_ b: UInt8) -> Int? {
        let d = b &- UInt8(ascii: "0")
        return d < 10 ? Int(d) : nil
    }
}
