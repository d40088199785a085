/// Writes the Thrift compact protocol, the encoding of Parquet's footer and
/// page headers (Apache Thrift's `doc/specs/thrift-compact-protocol.md`):
/// each field a header byte (the field-id delta from the previous field in
/// the high nibble when it is 1…15, the type in the low nibble; otherwise
/// the type byte then the id as a zigzag varint), integers as zigzag
/// varints, strings as a varint length and their bytes, lists as a
/// size-and-type byte (size ≥ 15: 0xF_ then a varint), a struct ended by a
/// stop byte 0.
///
/// The reading side is Eval's `ThriftCompactReader`. Only what Parquet's
/// metadata needs: bool, i8, i32, i64, binary, struct, list of i32, binary or struct.
/// Fields must be written in increasing id order within a struct, as the
/// compact protocol's delta encoding assumes (parquet.thrift's order).
package struct ThriftCompactWriter {
    /// The compact protocol's type nibbles.
    package enum FieldType: UInt8 {
        case booleanTrue = 1, booleanFalse = 2, byte = 3, i32 = 5, i64 = 6, binary = 8, list = 9, structure = 12
    }

    package private(set) var bytes: [UInt8] = []
    /// The last field id of each open struct, innermost last.
    private var lastIds: [Int16] = [0]

    package init() {}

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func zigzag(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        let delta = Int(id) - Int(lastIds[lastIds.count - 1])
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            zigzag(Int64(id))
        }
        lastIds[lastIds.count - 1] = id
    }

    /// A bool field: its value is the header's type (no byte follows).
    package mutating func bool(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? .booleanTrue : .booleanFalse)
    }

    /// An i8 field: one byte.
    package mutating func byte(_ id: Int16, _ value: Int8) {
        fieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    package mutating func i32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        zigzag(Int64(value))
    }

    package mutating func i64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        zigzag(value)
    }

    package mutating func binary(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        rawBinary(value)
    }

    package mutating func string(_ id: Int16, _ value: String) { binary(id, Array(value.utf8)) }

    mutating func rawBinary(_ value: [UInt8]) {
        varint(UInt64(value.count))
        bytes += value
    }

    /// A struct field whose fields `body` writes (then the stop byte).
    package mutating func structure(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .structure)
        structBody(body)
    }

    /// The fields of a struct that is not itself a field (the outermost
    /// one, or a list element), then its stop byte.
    package mutating func structBody(_ body: (inout ThriftCompactWriter) -> Void) {
        lastIds.append(0)
        body(&self)
        bytes.append(0)
        lastIds.removeLast()
    }

    mutating func listHeader(_ id: Int16, _ element: FieldType, count: Int) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | element.rawValue)
        } else {
            bytes.append(0xF0 | element.rawValue)
            varint(UInt64(count))
        }
    }

    package mutating func i32List(_ id: Int16, _ values: [Int32]) {
        listHeader(id, .i32, count: values.count)
        for v in values { zigzag(Int64(v)) }
    }

    package mutating func stringList(_ id: Int16, _ values: [String]) {
        listHeader(id, .binary, count: values.count)
        for v in values { rawBinary(Array(v.utf8)) }
    }

    /// A list of `count` structs, element `i` written by `body(&writer, i)`.
    package mutating func structList(_ id: Int16, count: Int, _ body: (inout ThriftCompactWriter, Int) -> Void) {
        listHeader(id, .structure, count: count)
        for i in 0..<count { structBody { body(&$0, i) } }
    }
}
