import Foundation

/// Gives each distinct value of a column (an item id, a worker id, a label) a
/// dense id in the order values are first seen, without building a String
/// per occurrence.
///
/// Canonical non-negative integers (no sign, no leading zero, at most 18
/// digits) — the usual case for ids exported by annotation platforms — are
/// looked up in a directly indexed table; every other value goes through an
/// open-addressing hash table keyed by its bytes. The two never collide: a
/// value is either canonical or not, so "7" and "007" stay distinct values,
/// as they are distinct strings.
///
/// The interner copies the bytes of each new value, so lookups may come from
/// any buffer (the answers file, then the gold file).
struct ValueInterner {
    /// The bytes of every distinct value, back to back; value i spans
    /// `keyBytes[keyStart[i]..<keyStart[i + 1]]`.
    private(set) var keyBytes: [UInt8] = []
    private(set) var keyStart: [Int] = [0]
    /// `direct[v]` is the id of the canonical integer v, or −1.
    private var direct: [Int32] = []
    /// Open addressing on the bytes' hash: slot → id, −1 when empty.
    private var slots = [Int32](repeating: -1, count: 64)
    /// The ids that live in `slots` (for rehashing).
    private var hashedIDs: [Int32] = []
    /// Integers above this go through the hash table (bounds `direct` at 16 MiB).
    private let directLimit: Int

    /// `directLimit` 0 sends every value through the hash table: for an
    /// interner per column, where a single id such as "3999999" would
    /// otherwise fill a 16 MiB `direct` table for one value.
    init(directLimit: Int = 1 << 22) { self.directLimit = directLimit }

    var count: Int { keyStart.count - 1 }

    /// Whether every value is a canonical integer (all went to the direct
    /// table): each is then an integer spelling (``LabeledFeatures/isIntegerSpelling(_:)``).
    var onlyCanonicalIntegers: Bool { hashedIDs.isEmpty }

    /// The text of value `id`.
    func name(_ id: Int) -> String {
        String(decoding: keyBytes[keyStart[id]..<keyStart[id + 1]], as: UTF8.self)
    }

    /// The id of `bytes`, adding it when new (`insert`), or nil when absent
    /// and not inserting.
    mutating func id(of bytes: UnsafeBufferPointer<UInt8>, insert: Bool = true) -> Int32? {
        if let v = Self.canonicalInteger(bytes), v < directLimit { return directID(v, bytes, insert: insert) }
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] >= 0 {
            let id = Int(slots[slot])
            if keyStart[id + 1] - keyStart[id] == bytes.count,
               keyBytes.withUnsafeBufferPointer({ keys in
                   bytes.count == 0 || memcmp(keys.baseAddress! + keyStart[id], bytes.baseAddress!, bytes.count) == 0 }) {
                return Int32(id)
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        guard insert else { return nil }
        let id = append(bytes)
        slots[slot] = id
        hashedIDs.append(id)
        if 2 * hashedIDs.count > slots.count { rehash() }
        return id
    }

    /// ``id(of:insert:)`` (inserting) for bytes whose
    /// ``canonicalInteger(_:)`` the caller has already read: `value`, or −1
    /// when they are not one. A value seen before costs one table read.
    @inline(__always)
    mutating func id(of bytes: UnsafeBufferPointer<UInt8>, canonicalValue value: Int) -> Int32 {
        guard value >= 0, value < directLimit else { return id(of: bytes)! }
        return directID(value, bytes, insert: true)!
    }

    /// The id of canonical integer `v` (below `directLimit`), spelled
    /// `bytes`, from the direct table; added when new (`insert`), else nil.
    @inline(__always)
    private mutating func directID(_ v: Int, _ bytes: UnsafeBufferPointer<UInt8>, insert: Bool) -> Int32? {
        if v < direct.count, direct[v] >= 0 { return direct[v] }
        guard insert else { return nil }
        if v >= direct.count {
            direct.append(contentsOf: repeatElement(-1, count: max(v + 1, min(2 * direct.count, directLimit)) - direct.count))
        }
        let id = append(bytes)
        direct[v] = id
        return id
    }

    mutating func id(of text: String, insert: Bool = true) -> Int32? {
        var text = text
        return text.withUTF8 { id(of: $0, insert: insert) }
    }

    /// Keeps `text` under a new id without looking it up or entering it
    /// in the lookup tables: a later ``id(of:insert:)`` of the same bytes
    /// gives another id. For a caller that only reads values back by id
    /// (``name(_:)``) and has found them mostly distinct.
    mutating func appendUnlooked(_ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { append($0) }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        keyBytes.append(contentsOf: bytes)
        keyStart.append(keyBytes.count)
        return Int32(count - 1)
    }

    private mutating func rehash() {
        slots = [Int32](repeating: -1, count: 2 * slots.count)
        for id in hashedIDs {
            let hash = keyBytes.withUnsafeBufferPointer { keys in
                Self.hash(UnsafeBufferPointer(rebasing: keys[keyStart[Int(id)]..<keyStart[Int(id) + 1]]))
            }
            var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = id
        }
    }

    /// A multiply–xorshift hash taken eight bytes at a time (the last
    /// zero to seven bytes as one more word, with the length mixed in):
    /// short ids hash in a step or two, and a text of a hundred bytes in
    /// thirteen rather than FNV-1a's hundred. Each step multiplies by an
    /// odd constant (2⁶⁴/φ) and folds the high half down, so every input
    /// bit reaches the low bits the table's slots are taken from. Ids do
    /// not depend on it: they are given in first-seen order.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        let raw = UnsafeRawBufferPointer(bytes)
        var i = 0
        while i + 8 <= raw.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        while i < raw.count { tail = tail << 8 | UInt64(raw[i]); i += 1 }
        h = (h ^ tail) &* k
        return h ^ (h >> 29)
    }

    /// The value of a canonical decimal integer, or nil.
    static func canonicalInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18, bytes[0] != UInt8(ascii: "0") || bytes.count == 1 else { return nil }
        var v = 0
        for b in bytes {
            let d = Int(b) &- 48
            guard d >= 0, d <= 9 else { return nil }
            v = v &* 10 &+ d
        }
        return v
    }

    /// Ranks of the values in the order ``AnswerSet`` uses (``LabelOrder``):
    /// numeric when every value is a decimal number (ties such as "7" and
    /// "007" by bytes), byte order otherwise. `rank[id]` is the value's position.
    func orderedRanks() -> (rank: [Int32], names: [String]) {
        if hashedIDs.isEmpty {
            // Every value is a canonical integer in `direct`: its index order
            // is the numeric order, with no String parsed or compared.
            var rank = [Int32](repeating: 0, count: count), names = [String]()
            names.reserveCapacity(count)
            for (v, id) in direct.enumerated() where id >= 0 {
                rank[Int(id)] = Int32(names.count)
                names.append(name(Int(id)))  // a canonical integer's bytes are its decimal spelling
            }
            return (rank, names)
        }
        let names = (0..<count).map(name)
        let order = LabelOrder.order(names)
        var rank = [Int32](repeating: 0, count: count)
        for (position, id) in order.enumerated() { rank[id] = Int32(position) }
        return (rank, order.map { names[$0] })
    }
}
