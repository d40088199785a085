/// A list of objects over one set of keys, held as one row of fields per
/// object: the keys once, sorted, and each object's value for each key (nil
/// where that object lacks the key). ``JSONValue/records(_:)`` writes it
/// byte for byte as the `.array` of `.object`s that ``objects`` gives.
///
/// Why: a report's long lists are objects of a few fixed fields (a pool of
/// 200 annotators has 19,900 pairs of `a`, `b`, `kappa`, `shared_items`). As
/// a dictionary each, they cost an allocation and four hashes to build, a
/// sort of the keys to write and a release to free: most of the time `score`
/// spent on its report beside the writing itself.
public struct JSONRecords: Sendable, Equatable {
    /// The keys an object may have, sorted (the order they are written in).
    public let keys: [String]
    /// Object `i`'s value for `keys[k]` at `i * keys.count + k`.
    private var fields: [JSONValue?]
    /// How many objects.
    public let count: Int

    /// One object's fields while ``JSONRecords/init(keys:count:threads:_:)``
    /// fills them: valid only inside that call's closure.
    public struct Fields {
        fileprivate let storage: UnsafeMutableBufferPointer<JSONValue?>
        /// The value for `keys[k]`; nil leaves the key out of this object.
        public subscript(k: Int) -> JSONValue? {
            get { storage[k] }
            nonmutating set { storage[k] = newValue }
        }
    }

    /// `count` objects over `keys` (sorted and distinct: a precondition),
    /// each filled by `fill(i, fields)`, on up to `threads` threads in
    /// parts. Every key starts absent.
    public init(keys: [String], count: Int, threads: Int = 1, _ fill: (Int, Fields) -> Void) {
        precondition(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }, "keys not sorted and distinct: \(keys)")
        self.keys = keys
        self.count = count
        let width = keys.count
        var fields = [JSONValue?](repeating: nil, count: count * width)
        if width > 0 {
            let parts = max(1, min(count, 4 * threads))
            fields.withUnsafeMutableBufferPointer { all in
                Parallel.forEachTakingNext(parts, threads: threads) { p in
                    for i in Parallel.range(p, of: parts, count: count) {
                        fill(i, Fields(storage: UnsafeMutableBufferPointer(rebasing: all[(i * width)..<((i + 1) * width)])))
                    }
                }
            }
        }
        self.fields = fields
    }

    /// The same objects as a dictionary each, as a parser would read them back.
    public var objects: [JSONValue] {
        (0..<count).map { i in
            var o: [String: JSONValue] = [:]
            for (k, key) in keys.enumerated() { if let v = fields[i * keys.count + k] { o[key] = v } }
            return .object(o)
        }
    }

    /// Object `i` as ``JSONValue/write(to:indent:pretty:threads:)`` writes
    /// an `.object` with those fields, its keys already quoted in `quotedKeys`.
    func write(_ i: Int, quotedKeys: [[UInt8]], to out: inout [UInt8], indent: Int, pretty: Bool) {
        let width = keys.count
        var written = 0
        for k in 0..<width {
            guard let value = fields[i * width + k] else { continue }
            out.append(UInt8(ascii: written == 0 ? "{" : ","))
            if pretty { JSONValue.newline(indent + 1, into: &out) }
            out.append(contentsOf: quotedKeys[k])
            value.write(to: &out, indent: indent + 1, pretty: pretty)
            written += 1
        }
        if written == 0 { out.append(contentsOf: "{}".utf8); return }
        if pretty { JSONValue.newline(indent, into: &out) }
        out.append(UInt8(ascii: "}"))
    }
}
