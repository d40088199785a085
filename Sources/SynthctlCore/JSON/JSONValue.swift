import Foundation

/// A JSON value with deterministic serialization: object keys sorted, floats
/// in their shortest round-trip form. Manifests and reports are built from it
/// so that the same inputs always produce the same bytes.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// Objects over one set of keys, held without a dictionary each:
    /// written exactly as the `.array` of `.object`s they stand for
    /// (``JSONRecords/objects``), for a report's long lists.
    case records(JSONRecords)

    /// Serializes with two-space indentation and sorted keys.
    public func serialized(indent: Int = 0) -> String {
        var out = [UInt8]()
        write(to: &out, indent: indent, pretty: true)
        return String(decoding: out, as: UTF8.self)
    }

    /// ``serialized(indent:)`` with a final line end, as the UTF-8 bytes a
    /// report file holds: no String is made of them (a report of 20,000
    /// annotator pairs is 2.7 MB). An array of at least
    /// ``itemsWrittenInParts`` values is written in parts on up to
    /// `threads` threads, each part into a buffer of its own, joined in
    /// order: the bytes are the same for any thread count.
    public func fileContents(threads: Int = 1) -> [UInt8] {
        var out = [UInt8]()
        write(to: &out, indent: 0, pretty: true, threads: threads)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    /// The fewest items of an array worth writing in parts (a part has at
    /// least a quarter of them; smaller arrays take less than a thread's start).
    static let itemsWrittenInParts = 1024

    /// Serializes on one line (for JSON Lines).
    public var compact: String {
        var out = [UInt8]()
        write(to: &out, indent: 0, pretty: false)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the UTF-8 text: bytes, not a String, because a report of
    /// 20,000 annotator pairs has 150,000 lines and String's appends cost
    /// more than the values' formatting.
    func write(to out: inout [UInt8], indent: Int, pretty: Bool, threads: Int = 1) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): JSONValue.appendDecimal(i, to: &out)
        case .double(let d): JSONValue.append(d, to: &out)
        case .string(let s): JSONValue.quote(s, into: &out)
        case .array(let items):
            let flat = !pretty || items.allSatisfy(\.isScalar)
            JSONValue.writeList(items.count, flat: flat, to: &out, indent: indent, pretty: pretty, threads: threads) { i, out in
                items[i].write(to: &out, indent: indent + 1, pretty: pretty)
            }
        case .records(let records):
            let quotedKeys = records.keys.map { key in
                var q = [UInt8]()
                JSONValue.quote(key, into: &q)
                q.append(contentsOf: (pretty ? ": " : ":").utf8)
                return q
            }
            JSONValue.writeList(records.count, flat: !pretty, to: &out, indent: indent, pretty: pretty, threads: threads) { i, out in
                records.write(i, quotedKeys: quotedKeys, to: &out, indent: indent + 1, pretty: pretty)
            }
        case .object(let fields):
            if fields.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            // The fields' positions sorted by key, on the stack: a report's
            // objects are small and many (19,900 annotator pairs of 4
            // fields), and a sorted copy of each on the heap cost a quarter
            // of the writing. Each value is at hand, not looked up by its key.
            withUnsafeTemporaryAllocation(of: [String: JSONValue].Index.self, capacity: fields.count) { order in
                var n = 0
                for i in fields.indices { order.initializeElement(at: n, to: i); n += 1 }
                if n <= 16 {
                    // Insertion sort: fewest comparisons for a handful of keys.
                    for i in 1..<max(1, n) {
                        let moving = order[i], key = fields[moving].key
                        var j = i
                        while j > 0, key < fields[order[j - 1]].key { order[j] = order[j - 1]; j -= 1 }
                        order[j] = moving
                    }
                } else {
                    var all = order  // the same memory
                    all.sort { fields[$0].key < fields[$1].key }
                }
                for i in 0..<n {
                    let field = fields[order[i]]
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    if pretty { JSONValue.newline(indent + 1, into: &out) }
                    JSONValue.quote(field.key, into: &out)
                    out.append(UInt8(ascii: ":"))
                    if pretty { out.append(UInt8(ascii: " ")) }
                    field.value.write(to: &out, indent: indent + 1, pretty: pretty, threads: threads)
                }
                _ = order.deinitialize()
            }
            if pretty { JSONValue.newline(indent, into: &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON array of `count` items, each written by `writeItem(i, &out)`:
    /// on one line when `flat`, else one item a line. A list of at least
    /// ``itemsWrittenInParts`` items is written in parts on up to `threads`
    /// threads, each part into a buffer of its own, joined in order: the
    /// bytes are the same for any thread count.
    static func writeList(_ count: Int, flat: Bool, to out: inout [UInt8], indent: Int, pretty: Bool, threads: Int,
                          _ writeItem: (Int, inout [UInt8]) -> Void) {
        if count == 0 { out.append(contentsOf: "[]".utf8); return }
        out.append(UInt8(ascii: "["))
        /// Item i with the separator and line break before it.
        func write(_ i: Int, to out: inout [UInt8]) {
            if i > 0 { out.append(contentsOf: (flat ? (pretty ? ", " : ",") : ",").utf8) }
            if !flat { JSONValue.newline(indent + 1, into: &out) }
            writeItem(i, &out)
        }
        if threads > 1 && count >= Self.itemsWrittenInParts {
            let parts = min(4 * threads, count / (Self.itemsWrittenInParts / 4))
            var written = [[UInt8]](repeating: [], count: parts)
            written.withUnsafeMutableBufferPointer { written in
                Parallel.forEachTakingNext(parts, threads: threads) { p in
                    var part = [UInt8]()
                    for i in Parallel.range(p, of: parts, count: count) { write(i, to: &part) }
                    written[p] = part
                }
            }
            // Reserved, then each part freed once appended: the text is held about once, not twice.
            out.reserveCapacity(out.count + written.reduce(0) { $0 + $1.count })
            for p in written.indices {
                out.append(contentsOf: written[p])
                written[p] = []
            }
        } else {
            for i in 0..<count { write(i, to: &out) }
        }
        if !flat { JSONValue.newline(indent, into: &out) }
        out.append(UInt8(ascii: "]"))
    }

    /// A line break and `depth` levels of two-space indentation.
    static func newline(_ depth: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        // From a buffer of spaces: appending a repeated element goes element by element.
        var left = 2 * depth
        while left > 0 {
            let n = min(left, spaces.count)
            spaces.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<n])) }
            left -= n
        }
    }

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    var isScalar: Bool {
        switch self {
        case .array, .object, .records: return false
        default: return true
        }
    }

    /// Shortest representation that reads back to the same Double; NaN and
    /// infinities, which JSON lacks, become null.
    package static func format(_ d: Double) -> String {
        var out = [UInt8]()
        append(d, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// ``format(_:)``'s text of `d`, appended (the rule lives here): no
    /// String is made for an integral value.
    static func append(_ d: Double, to out: inout [UInt8]) {
        guard d.isFinite else { out.append(contentsOf: "null".utf8); return }
        if d == d.rounded(), abs(d) < 1e15 { appendDecimal(Int(d), to: &out); return }
        out.append(contentsOf: d.description.utf8)
    }

    /// `i` in decimal, as `String(i)` spells it, with no String made.
    static func appendDecimal(_ i: Int, to out: inout [UInt8]) {
        if i < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = i.magnitude
        // 20 digits hold any UInt64; written from the last.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    /// `s` as a JSON string literal, as UTF-8 bytes: the same escapes as
    /// ``quote(_:into:)`` (all of them ASCII, so byte by byte).
    static func quote(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            out.append(UInt8(ascii: "\""))
            var plainFrom = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainFrom..<i]))
                plainFrom = i + 1
                switch b {
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
                case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
                case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
                default: out.append(contentsOf: String(format: "\\u%04x", UInt32(b)).utf8)
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainFrom...]))
            out.append(UInt8(ascii: "\""))
        }
    }

    package static func quote(_ s: String, into out: inout String) {
        // Most strings (names, ids, keys) need no escape: appended whole.
        var plain = s
        if plain.withUTF8({ bytes in !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") } }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSONValue {
    public init(_ values: [Float]) { self = .array(values.map { .double(Double($0)) }) }
    public init(_ values: [Double]) { self = .array(values.map { .double($0) }) }
    public init(_ values: [Int]) { self = .array(values.map { .int($0) }) }
    public init(_ values: [String]) { self = .array(values.map { .string($0) }) }
    public init(_ matrix: [[Double]]) { self = .array(matrix.map { JSONValue($0) }) }
    public init(_ matrix: Matrix) { self = .array(matrix.nested.map { JSONValue($0) }) }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// A short description of the value's kind and content for error messages.
    /// NaN and infinities, which only YAML can write (JSON has no spelling for
    /// them), are shown as YAML spells them, with their meaning.
    public var shortDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .int(let i): return "\(i)"
        case .double(let d) where d.isNaN: return ".nan (NaN)"
        case .double(let d) where d.isInfinite: return d > 0 ? ".inf (infinity)" : "-.inf (minus infinity)"
        case .double(let d): return JSONValue.format(d)
        case .string(let s): return "\"\(s)\""
        case .array(let a): return "an array of \(a.count)"
        case .records(let r): return "an array of \(r.count)"
        case .object: return "an object"
        }
    }
}

extension JSONValue: Decodable {
    /// Decodes any JSON (or YAML, through Yams' decoder) value. Booleans are
    /// tried first so that `true` never reads as 1, integers before doubles so
    /// that counts stay integers.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        if let o = try? c.decode([String: JSONValue].self) { self = .object(o); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
    }
}
