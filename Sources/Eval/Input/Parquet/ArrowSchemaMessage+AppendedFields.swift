import Foundation

extension ArrowSchemaMessage {
    /// The `ARROW:schema` footer value (`base64`, an IPC Schema message) with
    /// a nullable `utf8` field appended for each of `names`, after its own
    /// fields; every field, type, dictionary and metadata of the input is kept.
    ///
    /// Why: `split` of a directory of Hive partitions (`key=value` folders)
    /// writes each key as a STRING column after the table's own. Without an
    /// Arrow schema whose fields are the file's columns, pyarrow and Polars
    /// drop the stored one and read Parquet's types alone, so a Polars
    /// `Array(Float64, n)` came back a variable-length list, a pandas
    /// categorical a string, a time zone lost.
    ///
    /// How: nothing of the input is re-encoded. FlatBuffer references
    /// (uint32) point forward only, so a new root `Message`, `Schema`,
    /// `fields` vector and the new `Field` tables are laid out *before* the
    /// input's buffer, which follows unchanged at an offset that keeps its
    /// 8-byte alignment; the new `fields` vector refers to the input's
    /// `Field` tables where they now sit, and the new `Schema` and
    /// `Message` to its metadata, features, version and body length. The
    /// input's old root is left unreferenced. Layouts: Arrow's
    /// `format/Message.fbs` and `format/Schema.fbs` (`Field`: 0 `name`,
    /// 1 `nullable`, 2 `type_type` — 5 is `Utf8` — 3 `type`, 5 `children`;
    /// Arrow's reader needs `children` present, so an empty vector is
    /// stored) and flatbuffers.dev "Internals" (a table's int32 `soffset`
    /// to its vtable, then its fields at the offsets the vtable gives).
    ///
    /// - Throws: ``Failure`` when `base64` is not an IPC Schema message.
    static func appendingStringFields(_ names: [String], to base64: String) throws(Failure) -> String {
        let (old, version, bodyLength, metadataAt, schemaMetadataAt, featuresAt, endianness, fieldsAt) = try Self.parts(of: base64)
        var b = _Builder()
        let root = b.reserveReference()
        // Message: 0 version (short), 1 header_type (ubyte), 2 header, 3 bodyLength (long), 4 custom_metadata.
        let message = b.table([(0, 2, littleEndian(UInt64(version), 2)), (1, 1, [1]), (2, 4, [0, 0, 0, 0]), (3, 8, littleEndian(bodyLength, 8))]
                              + (metadataAt == nil ? [] : [(4, 4, [0, 0, 0, 0])]))
        b.patch(root, to: message.start)
        // Schema: 0 endianness (short), 1 fields, 2 custom_metadata, 3 features.
        let schema = b.table([(0, 2, littleEndian(UInt64(endianness), 2)), (1, 4, [0, 0, 0, 0])]
                             + (schemaMetadataAt == nil ? [] : [(2, 4, [0, 0, 0, 0])]) + (featuresAt == nil ? [] : [(3, 4, [0, 0, 0, 0])]))
        b.patch(message.fields[2]!, to: schema.start)
        let vector = b.referenceVector(count: fieldsAt.count + names.count)
        b.patch(schema.fields[1]!, to: vector.start)
        var pending = [(name: Int, type: Int, children: Int, text: String)]()
        for (k, name) in names.enumerated() {
            // Field: 0 name, 1 nullable = true, 2 type_type = Utf8 (5), 3 type, 5 children.
            let field = b.table([(0, 4, [0, 0, 0, 0]), (1, 1, [1]), (2, 1, [5]), (3, 4, [0, 0, 0, 0]), (5, 4, [0, 0, 0, 0])])
            b.patch(vector.slots[fieldsAt.count + k], to: field.start)
            pending.append((field.fields[0]!, field.fields[3]!, field.fields[5]!, name))
        }
        for p in pending { b.patch(p.name, to: b.string(p.text)) }
        let utf8 = b.table([])
        let children = b.referenceVector(count: 0)
        for p in pending {
            b.patch(p.type, to: utf8.start)
            b.patch(p.children, to: children.start)
        }
        // The input's buffer, 8-byte aligned, and the references into it.
        b.align(8)
        let base = b.bytes.count
        b.bytes += old
        for (k, at) in fieldsAt.enumerated() { b.patch(vector.slots[k], to: base + at) }
        if let at = metadataAt { b.patch(message.fields[4]!, to: base + at) }
        if let at = schemaMetadataAt { b.patch(schema.fields[2]!, to: base + at) }
        if let at = featuresAt { b.patch(schema.fields[3]!, to: base + at) }
        b.align(8)
        // Encapsulated as pyarrow stores it: continuation marker, length, the FlatBuffer.
        var message8 = [UInt8](repeating: 0xff, count: 4) + littleEndian(UInt64(b.bytes.count), 4)
        message8 += b.bytes
        return Data(message8).base64EncodedString()
    }

    /// The FlatBuffer inside `base64` and what the new root takes from it:
    /// the Message's version and body length, where its custom metadata,
    /// the Schema's custom metadata and features and each Field table sit,
    /// and the Schema's endianness.
    private static func parts(of base64: String) throws(Failure)
        -> (bytes: [UInt8], version: Int, bodyLength: UInt64, metadata: Int?, schemaMetadata: Int?, features: Int?, endianness: Int, fields: [Int]) {
        let bytes = try flatBuffer(base64: base64)
        let reader = _Reader(bytes: bytes)
        let message = try reader.table(at: try reader.reference(at: 0))
        guard try reader.u8(field: 1, of: message) == 1, let header = try reader.referencedTable(field: 2, of: message) else {
            throw Failure(found: "an IPC message that is not a Schema")
        }
        func target(_ field: Int, of table: (start: Int, vtable: Int, vtableSize: Int)) throws(Failure) -> Int? {
            guard let at = try reader.position(field: field, of: table) else { return nil }
            return try reader.reference(at: at)
        }
        func scalar(_ field: Int, bytes count: Int, of table: (start: Int, vtable: Int, vtableSize: Int)) throws(Failure) -> UInt64 {
            guard let at = try reader.position(field: field, of: table) else { return 0 }
            var v: UInt64 = 0
            for i in 0..<count { v |= UInt64(try reader.u8(at + i)) << (8 * UInt64(i)) }
            return v
        }
        var fields = [Int]()
        if let vector = try reader.vector(field: 1, of: header) {
            for k in 0..<vector.count { fields.append(try reader.reference(at: vector.start + 4 * k)) }
        }
        return (bytes, Int(try scalar(0, bytes: 2, of: message)), try scalar(3, bytes: 8, of: message), try target(4, of: message),
                try target(2, of: header), try target(3, of: header), Int(try scalar(0, bytes: 2, of: header)), fields)
    }

    /// `value`'s `count` low bytes, least significant first (FlatBuffers are little-endian).
    private static func littleEndian(_ value: UInt64, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    /// A FlatBuffer laid out front to back, each reference patched once its
    /// target's place is known. Precondition of every ``patch(_:to:)``: the
    /// target lies after the reference (FlatBuffer offsets are unsigned).
    private struct _Builder {
        var bytes = [UInt8]()

        func le(_ value: UInt64, _ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }

        mutating func align(_ n: Int) { while bytes.count % n != 0 { bytes.append(0) } }

        /// A uint32 reference to fill later; its position.
        mutating func reserveReference() -> Int {
            align(4)
            bytes += [0, 0, 0, 0]
            return bytes.count - 4
        }

        mutating func patch(_ at: Int, to target: Int) {
            precondition(target > at, "a FlatBuffer reference points forward")
            let v = littleEndian(UInt64(target - at), 4)
            for i in 0..<4 { bytes[at + i] = v[i] }
        }

        /// A vtable, then its table with `fields` (id, alignment, bytes) in
        /// that order, each at a position aligned to its size: the table's
        /// start and each field's position.
        mutating func table(_ fields: [(id: Int, alignment: Int, bytes: [UInt8])]) -> (start: Int, fields: [Int: Int]) {
            let slots = (fields.map(\.id).max() ?? -1) + 1
            align(2)
            let vtable = bytes.count
            bytes += [UInt8](repeating: 0, count: 4 + 2 * slots)
            align(4)
            let start = bytes.count
            bytes += littleEndian(UInt64(start - vtable), 4)  // soffset: the vtable sits at start − soffset
            var positions = [Int: Int]()
            for field in fields {
                align(field.alignment)
                positions[field.id] = bytes.count
                let offset = littleEndian(UInt64(bytes.count - start), 2)
                bytes[vtable + 4 + 2 * field.id] = offset[0]
                bytes[vtable + 5 + 2 * field.id] = offset[1]
                bytes += field.bytes
            }
            let sizes = littleEndian(UInt64(4 + 2 * slots), 2) + littleEndian(UInt64(bytes.count - start), 2)
            for i in 0..<4 { bytes[vtable + i] = sizes[i] }
            return (start, positions)
        }

        /// A vector of `count` references, to fill later: its start and its slots.
        mutating func referenceVector(count: Int) -> (start: Int, slots: [Int]) {
            align(4)
            let start = bytes.count
            bytes += littleEndian(UInt64(count), 4) + [UInt8](repeating: 0, count: 4 * count)
            return (start, (0..<count).map { start + 4 + 4 * $0 })
        }

        /// A string (uint32 length, UTF-8, NUL): its start.
        mutating func string(_ text: String) -> Int {
            align(4)
            let start = bytes.count
            bytes += littleEndian(UInt64(text.utf8.count), 4) + Array(text.utf8) + [0]
            return start
        }
    }
}
