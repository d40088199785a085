import Synth
import SynthctlCore

/// Reads the Thrift compact protocol, the encoding of Parquet's footer and
/// page headers: each field a header byte (field-id delta in the high
/// nibble, type in the low), integers as zigzag varints, strings as a
/// varint length and bytes, lists as a size-and-type byte.
///
/// Only what Parquet's metadata needs: ``readStruct(_:)`` hands each field
/// id and type to the caller, which reads the fields it knows and skips the
/// rest with ``skip(_:)``. Malformed input (a varint or length running past
/// the end, a field id past Int16, structs or containers nested deeper than
/// ``maximumDepth``) throws rather than traps or exhausts the stack.
struct ThriftCompactReader {
    /// Parquet's own metadata nests about 6 deep (FileMetaData → RowGroup →
    /// ColumnChunk → ColumnMetaData → Statistics); a footer of 200,000
    /// nested structs would otherwise recurse until the stack overflows.
    static let maximumDepth = 64

    enum FieldType: UInt8 {
        case stop = 0, booleanTrue = 1, booleanFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    let bytes: [UInt8]
    var position: Int
    let describe: String
    /// Structs and containers open around the current position.
    var depth = 0

    init(_ bytes: [UInt8], at position: Int = 0, describe: String) {
        self.bytes = bytes
        self.position = position
        self.describe = describe
    }

    func failure(_ what: String) -> InputError {
        InputError(file: describe, expected: "\(what) at byte \(position)", found: "the end of the metadata or bad bytes")
    }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw failure("a byte") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw failure("a varint of at most 10 bytes") }
        }
    }

    mutating func zigzag() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func i32() throws -> Int32 {
        let v = try zigzag()
        guard let out = Int32(exactly: v) else { throw failure("a 32-bit integer") }
        return out
    }

    mutating func i64() throws -> Int64 { try zigzag() }

    /// A varint used as a size: at most the bytes left, so that a corrupt
    /// one cannot ask for more than the file holds.
    mutating func size() throws -> Int {
        let v = try varint()
        guard v <= UInt64(bytes.count - position) else { throw failure("a size of at most \(bytes.count - position)") }
        return Int(v)
    }

    mutating func binary() throws -> [UInt8] {
        let n = try size()
        guard n >= 0, position + n <= bytes.count else { throw failure("\(n) bytes of a string") }
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    mutating func string() throws -> String { String(decoding: try binary(), as: UTF8.self) }

    /// (element type, count) of a list or set.
    mutating func listHeader() throws -> (FieldType, Int) {
        let b = try byte()
        guard let type = FieldType(rawValue: b & 0x0f) else { throw failure("a list element type") }
        let small = Int(b >> 4)
        let count = small == 15 ? try size() : small
        return (type, count)
    }

    /// Calls `field(id, type)` for each field of a struct until its stop
    /// byte; `field` must consume the value (or call ``skip(_:)``).
    mutating func readStruct(_ field: (inout ThriftCompactReader, Int16, FieldType) throws -> Void) throws {
        try enter()
        defer { depth -= 1 }
        var last: Int16 = 0
        while true {
            let b = try byte()
            guard let type = FieldType(rawValue: b & 0x0f) else { throw failure("a field type") }
            if type == .stop { return }
            let delta = Int16(b >> 4)
            let id: Int16
            if delta == 0 {
                guard let explicit = Int16(exactly: try zigzag()) else { throw failure("a 16-bit field id") }
                id = explicit
            } else {
                let (next, overflow) = last.addingReportingOverflow(delta)
                guard !overflow else { throw failure("a 16-bit field id") }
                id = next
            }
            last = id
            try field(&self, id, type)
        }
    }

    /// One more level of nesting, refused beyond ``maximumDepth``.
    mutating func enter() throws {
        guard depth < Self.maximumDepth else {
            throw InputError(file: describe, expected: "structs and lists nested at most \(Self.maximumDepth) deep",
                             found: "deeper nesting at byte \(position)")
        }
        depth += 1
    }

    /// Booleans live in the field header; anything else is read here.
    mutating func bool(_ type: FieldType) throws -> Bool {
        switch type {
        case .booleanTrue: return true
        case .booleanFalse: return false
        default: return try byte() == 1
        }
    }

    mutating func skip(_ type: FieldType) throws {
        switch type {
        case .stop, .booleanTrue, .booleanFalse: return
        case .byte: _ = try byte()
        case .i16, .i32, .i64: _ = try varint()
        case .double:
            guard position + 8 <= bytes.count else { throw failure("8 bytes of a double") }
            position += 8
        case .binary: _ = try binary()
        case .list, .set:
            try enter()
            defer { depth -= 1 }
            let (element, count) = try listHeader()
            for _ in 0..<count { if element == .booleanTrue || element == .booleanFalse { _ = try byte() } else { try skip(element) } }
        case .map:
            try enter()
            defer { depth -= 1 }
            let count = try size()
            guard count > 0 else { return }
            let types = try byte()
            guard let k = FieldType(rawValue: types >> 4), let v = FieldType(rawValue: types & 0x0f) else { throw failure("map types") }
            for _ in 0..<count { try skip(k); try skip(v) }
        case .structure: try readStruct { r, _, t in try r.skip(t) }
        }
    }
}
