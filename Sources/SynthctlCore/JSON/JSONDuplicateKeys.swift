/// Duplicate keys in JSON text. RFC 8259 leaves an object with a repeated
/// name undefined, and Foundation's `JSONDecoder` silently keeps one of the
/// values, so `{"classes": 3, "classes": 30}` would generate three classes
/// without a word. Specs and JSON Lines rows are checked with this scan
/// after they decode.
extension JSONValue {
    /// The first key that appears twice in one object of `json`, and the
    /// dotted path of that object (`generator.noise`, empty at the top;
    /// array elements as `[i]`); nil when every object's keys are distinct.
    /// Keys are compared after unescaping (`"a"` and `"\u0061"` are one key).
    /// Precondition: `json` is valid JSON (decode it first); on anything
    /// else the answer is unspecified but the scan stays in bounds.
    /// Internal: the public form takes any collection of bytes.
    static func firstDuplicateKey(in json: UnsafeBufferPointer<UInt8>) -> (key: String, path: String)? {
        // One entry per open object or array, innermost last.
        var isObject = [Bool](), keys = [Set<String>](), current = [String?](), expectingKey = [Bool](), index = [Int]()
        var i = 0
        let end = json.count
        func path() -> String {
            var out = ""
            for f in 0..<(isObject.count - 1) {
                if !isObject[f] { out += "[\(index[f])]" } else if let key = current[f] { out += out.isEmpty ? key : "." + key }
            }
            return out
        }
        /// Steps over the string whose opening quote is at `i`, leaving `i`
        /// after its closing quote.
        func skipString() {
            i += 1
            while i < end, json[i] != UInt8(ascii: "\"") { i += json[i] == UInt8(ascii: "\\") ? 2 : 1 }
            i += 1
        }
        /// Reads the string whose opening quote is at `i`, unescaped, leaving `i` after its closing quote.
        func string() -> String {
            var bytes = [UInt8]()
            var pendingHigh: UInt32? = nil
            i += 1
            while i < end, json[i] != UInt8(ascii: "\"") {
                guard json[i] == UInt8(ascii: "\\"), i + 1 < end else {
                    bytes.append(json[i])
                    i += 1
                    continue
                }
                let e = json[i + 1]
                i += 2
                var scalar: UInt32
                switch e {
                case UInt8(ascii: "n"): scalar = 10
                case UInt8(ascii: "t"): scalar = 9
                case UInt8(ascii: "r"): scalar = 13
                case UInt8(ascii: "b"): scalar = 8
                case UInt8(ascii: "f"): scalar = 12
                case UInt8(ascii: "u"):
                    scalar = 0
                    var digits = 0
                    while digits < 4, i < end, let h = hexValue(json[i]) { scalar = scalar << 4 | h; i += 1; digits += 1 }
                default: scalar = UInt32(e)
                }
                if (0xD800..<0xDC00).contains(scalar) { pendingHigh = scalar; continue }
                if (0xDC00..<0xE000).contains(scalar), let high = pendingHigh {
                    scalar = 0x10000 + ((high - 0xD800) << 10) + (scalar - 0xDC00)
                }
                pendingHigh = nil
                bytes.append(contentsOf: String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            }
            i += 1
            return String(decoding: bytes, as: UTF8.self)
        }
        while i < end {
            switch json[i] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                isObject.append(json[i] == UInt8(ascii: "{"))
                keys.append([]); current.append(nil); expectingKey.append(isObject.last!); index.append(0)
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !isObject.isEmpty {
                    isObject.removeLast(); keys.removeLast(); current.removeLast(); expectingKey.removeLast(); index.removeLast()
                }
                i += 1
            case UInt8(ascii: ","):
                if let top = isObject.indices.last {
                    if isObject[top] { expectingKey[top] = true } else { index[top] += 1 }
                }
                i += 1
            case UInt8(ascii: "\""):
                guard let top = isObject.indices.last, isObject[top], expectingKey[top] else { skipString(); continue }
                let text = string()
                guard keys[top].insert(text).inserted else { return (text, path()) }
                current[top] = text
                expectingKey[top] = false
            default:
                i += 1
            }
        }
        return nil
    }

    /// ``firstDuplicateKey(in:)`` of an array, a slice or a buffer of bytes.
    public static func firstDuplicateKey<Bytes: Collection<UInt8>>(in json: Bytes) -> (key: String, path: String)? {
        let bytes = Array(json)
        return bytes.withUnsafeBufferPointer { firstDuplicateKey(in: $0) }
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - 48)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - 87)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - 55)
        default: return nil
        }
    }
}
