/// The JSON grammar of RFC 8259 §2–7, checked strictly, with the position
/// of the first error.
///
/// Why: Foundation's `JSONDecoder` is lenient where a spec must not be —
/// it accepts a trailing comma (`{"rows": 200,}`), so a spec that another
/// tool refuses ran here — and where it does refuse, it says only "The
/// given data was not valid JSON." with no position (`{"rows": NaN}`). This
/// scan runs before the decoder: it refuses what RFC 8259 refuses and
/// names the line, the column, what was expected and what was found.
///
/// It also refuses, with their position, the two things the grammar allows
/// but the decoder then refuses as "not a JSON value", without a position:
/// a number beyond float64's range (`1e400`, a 400-digit integer; RFC 8259
/// §6 lets an implementation limit the range of numbers), and a `\u`
/// escape that is half of a UTF-16 surrogate pair without the other half
/// (`"\ud800"`; §8.2 calls such strings unpredictable).
///
/// Positions are 1-based; columns count characters (UTF-8 sequences), not
/// bytes. The scan is iterative (a stack of open containers, no recursion),
/// linear, and never reads outside its buffer, whatever the input.
public enum JSONSyntax {
    /// The first place where a text stops being JSON.
    public struct Problem: Sendable, Equatable {
        public let line: Int
        public let column: Int
        /// `expected …, found …`.
        public let message: String
    }

    /// The first syntax error of `json` as one JSON text, or nil when it is
    /// exactly one value with optional white space around it. Internal: the
    /// public form takes any collection of bytes.
    static func firstProblem(in json: UnsafeBufferPointer<UInt8>) -> Problem? {
        var scanner = _UnsafeJSONScanner(json: json)
        return scanner.run()
    }

    /// ``firstProblem(in:)`` of an array or slice of bytes.
    public static func firstProblem<Bytes: Collection<UInt8>>(in json: Bytes) -> Problem? {
        let bytes = Array(json)
        return bytes.withUnsafeBufferPointer { firstProblem(in: $0) }
    }

    /// The scan over raw bytes. Precondition: `json` stays valid while
    /// ``run()`` runs; every subscript is checked against `json.count`
    /// first (an UnsafeBufferPointer's subscript is not checked in release
    /// builds), so any bytes are safe to scan.
    private struct _UnsafeJSONScanner {
        let json: UnsafeBufferPointer<UInt8>
        var i = 0
        var line = 1
        var lineStart = 0

        init(json: UnsafeBufferPointer<UInt8>) { self.json = json }

        enum State {
            /// A value must come (top level, after `:` or after `,` in an array).
            case value
            /// Just after `[`: a value or `]`.
            case firstElement
            /// Just after `{`: a key or `}`.
            case firstKey
            /// After `,` in an object: a key.
            case key
            /// After a key: `:`.
            case colon
            /// After a value: `,` or the closing bracket, or the end at the top.
            case afterValue
        }

        mutating func run() -> Problem? {
            var open = [Bool]()  // true for an object
            var state = State.value
            while true {
                skipWhiteSpace()
                switch state {
                case .value, .firstElement:
                    if state == .firstElement, peek == UInt8(ascii: "]") { i += 1; open.removeLast(); state = .afterValue; continue }
                    guard let b = peek else { return problem("a value", found: "the end of the text") }
                    switch b {
                    case UInt8(ascii: "{"): i += 1; open.append(true); state = .firstKey
                    case UInt8(ascii: "["): i += 1; open.append(false); state = .firstElement
                    case UInt8(ascii: "\""): if let p = string() { return p }; state = .afterValue
                    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): if let p = number() { return p }; state = .afterValue
                    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                        let word = b == UInt8(ascii: "t") ? "true" : b == UInt8(ascii: "f") ? "false" : "null"
                        guard matches(word) else { return valueProblem() }
                        i += word.utf8.count
                        state = .afterValue
                    case UInt8(ascii: "]") where state == .value && open.last == false:
                        return problem("a value", found: "\"]\" after a comma (JSON allows no trailing comma)")
                    default: return valueProblem()
                    }
                case .firstKey, .key:
                    if state == .firstKey, peek == UInt8(ascii: "}") { i += 1; open.removeLast(); state = .afterValue; continue }
                    guard peek == UInt8(ascii: "\"") else {
                        if peek == UInt8(ascii: "}") {
                            return problem("a key in double quotes", found: "\"}\" after a comma (JSON allows no trailing comma)")
                        }
                        return problem("a key in double quotes", found: describeHere())
                    }
                    if let p = string() { return p }
                    state = .colon
                case .colon:
                    guard peek == UInt8(ascii: ":") else { return problem("\":\" after the key", found: describeHere()) }
                    i += 1
                    state = .value
                case .afterValue:
                    guard let inObject = open.last else {
                        guard i == json.count else { return problem("the end of the text after the value", found: describeHere()) }
                        return nil
                    }
                    let close = inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    if peek == UInt8(ascii: ",") { i += 1; state = inObject ? .key : .value; continue }
                    if peek == close { i += 1; open.removeLast(); state = .afterValue; continue }
                    return problem(inObject ? "\",\" or \"}\" after the value" : "\",\" or \"]\" after the value", found: describeHere())
                }
            }
        }

        var peek: UInt8? { i < json.count ? json[i] : nil }

        func matches(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard i + w.count <= json.count else { return false }
            for k in 0..<w.count where json[i + k] != w[k] { return false }
            // `nullx` is not null: a letter or digit may not follow.
            if i + w.count < json.count, isWordByte(json[i + w.count]) { return false }
            return true
        }

        mutating func skipWhiteSpace() {
            while i < json.count {
                switch json[i] {
                case 0x20, 0x09, 0x0D: i += 1
                case 0x0A: i += 1; line += 1; lineStart = i
                default: return
                }
            }
        }

        /// A string from its opening quote at `i`; leaves `i` after its closing quote.
        mutating func string() -> Problem? {
            let start = i
            i += 1
            while i < json.count {
                let b = json[i]
                switch b {
                case UInt8(ascii: "\""): i += 1; return nil
                case UInt8(ascii: "\\"):
                    guard i + 1 < json.count else { i = json.count; continue }  // unterminated: reported below
                    let e = json[i + 1]
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 2
                    case UInt8(ascii: "u"):
                        guard let unit = escapedUnit(at: i) else {
                            return problem("four hexadecimal digits after \\u", found: quoted(from: i, bytes: 6))
                        }
                        if (0xDC00...0xDFFF).contains(unit) {
                            return problem("a Unicode character", found: "\(quoted(from: i, bytes: 6)), the second half of a UTF-16 surrogate pair without the first")
                        }
                        if (0xD800...0xDBFF).contains(unit) {
                            guard let low = escapedUnit(at: i + 6), (0xDC00...0xDFFF).contains(low) else {
                                return problem("a \\uDC00–\\uDFFF escape after \(quoted(from: i, bytes: 6)), the first half of a UTF-16 surrogate pair",
                                               found: i + 6 < json.count && json[i + 6] != UInt8(ascii: "\"") ? quoted(from: i + 6, bytes: 6) : "the end of the string")
                            }
                            i += 6
                        }
                        i += 6
                    default:
                        return problem("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)", found: quoted(from: i, bytes: 2))
                    }
                case 0..<0x20:
                    return problem("a control character in a string only as an escape (\\n, \\t, \\u0000 …)",
                                   found: b == 0x0A ? "a line end" : "the character U+\(String(b, radix: 16, uppercase: true).leftPadded(4))")
                default: i += 1
                }
            }
            i = start
            return problem("a closing double quote for the string that starts here", found: "the end of the text")
        }

        /// A number at `i` (RFC 8259 §6): `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        mutating func number() -> Problem? {
            let start = i
            if peek == UInt8(ascii: "-") { i += 1 }
            guard let first = peek, isDigit(first) else { i = start; return valueProblem() }
            if first == UInt8(ascii: "0") {
                i += 1
                if let next = peek, isDigit(next) { i = start; return problem("a number without leading zeros", found: describe(from: start)) }
            } else {
                while let d = peek, isDigit(d) { i += 1 }
            }
            if peek == UInt8(ascii: ".") {
                i += 1
                guard let d = peek, isDigit(d) else { i = start; return problem("a digit after the decimal point", found: describe(from: start)) }
                while let d = peek, isDigit(d) { i += 1 }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                i += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
                guard let d = peek, isDigit(d) else { i = start; return problem("a digit in the exponent", found: describe(from: start)) }
                while let d = peek, isDigit(d) { i += 1 }
            }
            if let b = peek, isWordByte(b) { i = start; return valueProblem() }
            if isBeyondDouble(start..<i) {
                let count = i - start
                let text = String(decoding: UnsafeBufferPointer(rebasing: json[start..<min(i, start + 40)]), as: UTF8.self)
                i = start
                return problem("a number within float64's range (magnitude at most 1.8e308)",
                               found: count > 40 ? "\(text)… (\(count) characters)" : text)
            }
            return nil
        }

        /// The code unit of the `\uXXXX` escape whose backslash is at `at`, if it is one.
        func escapedUnit(at k: Int) -> UInt32? {
            guard k + 6 <= json.count, json[k] == UInt8(ascii: "\\"), json[k + 1] == UInt8(ascii: "u"),
                  (2..<6).allSatisfy({ isHexDigit(json[k + $0]) }) else { return nil }
            var unit: UInt32 = 0
            for d in 2..<6 {
                let b = json[k + d] | 0x20  // lower case for letters; digits unchanged
                unit = unit << 4 + UInt32(b <= UInt8(ascii: "9") ? b - UInt8(ascii: "0") : b - UInt8(ascii: "a") + 10)
            }
            return unit
        }

        /// Whether the number in `range` (valid JSON) rounds to an infinite
        /// Double (Swift's parser, which reads in the C locale whatever the
        /// process's locale).
        func isBeyondDouble(_ range: Range<Int>) -> Bool {
            let text = String(decoding: UnsafeBufferPointer(rebasing: json[range]), as: UTF8.self)
            return Double(text)?.isInfinite ?? false
        }

        func valueProblem() -> Problem {
            problem("a value (an object, array, string, number, true, false or null)", found: describeHere())
        }

        func problem(_ expected: String, found: String) -> Problem {
            // The column: characters from the line's start, continuation bytes not counted.
            var column = 1
            for k in lineStart..<min(i, json.count) where json[k] & 0xC0 != 0x80 { column += 1 }
            return Problem(line: line, column: column, message: "expected \(expected), found \(found)")
        }

        func describeHere() -> String { describe(from: i) }

        /// Up to `bytes` bytes from `start` (whole UTF-8 sequences, not past a
        /// closing quote), quoted: what an escape was made of.
        func quoted(from start: Int, bytes: Int) -> String {
            var end = start + 1
            while end < json.count, end - start < bytes || json[end] & 0xC0 == 0x80, json[end] != UInt8(ascii: "\"") { end += 1 }
            let text = String(decoding: UnsafeBufferPointer(rebasing: json[start..<end]), as: UTF8.self)
            return "\"\(text.escapingControlCharacters)\""
        }

        /// What stands at `start`: a word or number (up to 20 characters), or one character.
        func describe(from start: Int) -> String {
            guard start < json.count else { return "the end of the text" }
            var end = start
            while end < json.count, end - start < 20, isWordByte(json[end]) || json[end] == UInt8(ascii: ".") { end += 1 }
            if end == start {
                end = start + 1
                while end < json.count, json[end] & 0xC0 == 0x80 { end += 1 }  // the whole UTF-8 sequence
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: json[start..<end]), as: UTF8.self)
            return "\"\(text.escapingControlCharacters)\""
        }

        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        func isHexDigit(_ b: UInt8) -> Bool {
            isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "f"))
        }
        func isWordByte(_ b: UInt8) -> Bool {
            isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || b == UInt8(ascii: "_")
                || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
