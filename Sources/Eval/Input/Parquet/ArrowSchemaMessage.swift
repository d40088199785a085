import Foundation

/// The top-level fields of the Arrow schema that pyarrow, pandas and Polars
/// store in a Parquet footer under the key `ARROW:schema`: for each field
/// its name and, when it is dictionary-encoded, whether its dictionary is
/// ordered (a pandas `Categorical(ordered=True)`, a Polars `Enum`, a
/// pyarrow `DictionaryArray` with `ordered=True`).
///
/// Why: Parquet itself has no ordered categories. The order lives only in
/// that Arrow schema (the flag) and in the column's dictionary pages (the
/// categories, in order): ``ParquetFile/declaredOrder(ofColumn:)`` reads both.
///
/// Format (Apache Arrow, `format/Message.fbs` and `format/Schema.fbs`;
/// read from the specification, written here by hand): the value is the
/// base64 of one encapsulated IPC message — an optional continuation
/// marker `0xFFFFFFFF`, a little-endian int32 metadata length, then a
/// FlatBuffer whose root table is a `Message` (field 1 `header_type`, a
/// ubyte, 1 for `Schema`; field 2 `header`). `Schema` field 1 is `fields`,
/// a vector of `Field` tables; `Field` field 0 is `name` (a string) and
/// field 4 `dictionary`, a `DictionaryEncoding` table whose field 2 is
/// `isOrdered` (a bool, default false). Everything else is skipped.
///
/// FlatBuffers (flatbuffers.dev, "Internals"): a table starts with an
/// int32 `soffset`; its vtable sits at `table − soffset` and holds the
/// vtable's byte size and the table's (two uint16), then one uint16 per
/// field: the field's offset from the table start, 0 when absent. A
/// reference (table, vector, string) is a uint32 offset from where it is
/// stored; vectors and strings start with a uint32 count. Every offset and
/// count is checked against the buffer before it is followed, so garbage is
/// ``Failure`` — never a crash — and nothing recurses (children are skipped).
struct ArrowSchemaMessage {
    struct Field: Equatable {
        let name: String
        /// Nil when the field is not dictionary-encoded; else whether its dictionary is ordered.
        let dictionaryOrdered: Bool?
    }

    /// What is wrong with the bytes, in words ("not base64", "an offset beyond the message").
    struct Failure: Error, Equatable {
        let found: String
    }

    let fields: [Field]

    /// The fields of the schema in `base64` (the footer value, as stored).
    ///
    /// - Throws: ``Failure`` when the text is not base64 of an IPC Schema message.
    init(base64: String) throws(Failure) {
        let reader = _Reader(bytes: try Self.flatBuffer(base64: base64))
        let message = try reader.table(at: try reader.reference(at: 0))
        guard try reader.u8(field: 1, of: message) == 1, let header = try reader.referencedTable(field: 2, of: message) else {
            throw Failure(found: "an IPC message that is not a Schema")
        }
        var fields = [Field]()
        if let vector = try reader.vector(field: 1, of: header) {
            for k in 0..<vector.count {
                let field = try reader.table(at: try reader.reference(at: vector.start + 4 * k))
                let name = try reader.string(field: 0, of: field) ?? ""
                var ordered: Bool? = nil
                if let dictionary = try reader.referencedTable(field: 4, of: field) {
                    ordered = try reader.u8(field: 2, of: dictionary) != 0
                }
                fields.append(Field(name: name, dictionaryOrdered: ordered))
            }
        }
        self.fields = fields
    }

    /// The FlatBuffer inside the encapsulated message `base64`:
    /// [0xFFFFFFFF] int32 length, then that many bytes.
    static func flatBuffer(base64: String) throws(Failure) -> [UInt8] {
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
            throw Failure(found: "text that is not base64")
        }
        let bytes = [UInt8](data)
        let reader = _Reader(bytes: bytes)
        let start = try reader.u32(0) == 0xFFFF_FFFF ? 4 : 0
        let length = Int(try reader.u32(start))
        guard length > 0, length <= bytes.count - start - 4 else {
            throw Failure(found: "a message length of \(length) in \(bytes.count) bytes")
        }
        return Array(bytes[(start + 4)..<(start + 4 + length)])
    }

    /// Bounds-checked reads of one FlatBuffer. Every read checks its range
    /// first: an offset or count outside the buffer throws ``Failure``.
    struct _Reader {
        let bytes: [UInt8]

        func u8(_ at: Int) throws(Failure) -> UInt8 {
            guard at >= 0, at < bytes.count else { throw Failure(found: "an offset beyond the message (\(at) of \(bytes.count) bytes)") }
            return bytes[at]
        }
        func u16(_ at: Int) throws(Failure) -> Int { Int(try u8(at)) | Int(try u8(at + 1)) << 8 }
        func u32(_ at: Int) throws(Failure) -> UInt32 {
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(try u8(at + i)) << (8 * i) }
            return v
        }

        /// The position a uint32 reference stored at `at` points to.
        func reference(at: Int) throws(Failure) -> Int {
            let target = at + Int(try u32(at))
            guard target < bytes.count else { throw Failure(found: "an offset beyond the message (\(target) of \(bytes.count) bytes)") }
            return target
        }

        /// A table at `at`: its start and its vtable's position and size.
        func table(at: Int) throws(Failure) -> (start: Int, vtable: Int, vtableSize: Int) {
            let soffset = Int(Int32(bitPattern: try u32(at)))
            let vtable = at - soffset
            let size = try u16(vtable)
            guard size >= 4, size % 2 == 0, vtable + size <= bytes.count else {
                throw Failure(found: "a table whose vtable is not inside the message")
            }
            return (at, vtable, size)
        }

        /// Where field `id` of `table` is, or nil when the table lacks it.
        func position(field id: Int, of table: (start: Int, vtable: Int, vtableSize: Int)) throws(Failure) -> Int? {
            let slot = 4 + 2 * id
            guard slot + 2 <= table.vtableSize else { return nil }
            let offset = try u16(table.vtable + slot)
            return offset == 0 ? nil : table.start + offset
        }

        /// A scalar ubyte or bool field (0 when absent, the schema's default).
        func u8(field id: Int, of table: (start: Int, vtable: Int, vtableSize: Int)) throws(Failure) -> UInt8 {
            guard let at = try position(field: id, of: table) else { return 0 }
            return try u8(at)
        }

        func referencedTable(field id: Int, of table: (start: Int, vtable: Int, vtableSize: Int)) throws(Failure) -> (start: Int, vtable: Int, vtableSize: Int)? {
            guard let at = try position(field: id, of: table) else { return nil }
            return try self.table(at: try reference(at: at))
        }

        /// A vector field: where its first element is and how many it holds.
        func vector(field id: Int, of table: (start: Int, vtable: Int, vtableSize: Int)) throws(Failure) -> (start: Int, count: Int)? {
            guard let at = try position(field: id, of: table) else { return nil }
            let v = try reference(at: at)
            let count = Int(try u32(v))
            guard count <= (bytes.count - v - 4) / 4 else { throw Failure(found: "a vector of \(count) elements in \(bytes.count) bytes") }
            return (v + 4, count)
        }

        func string(field id: Int, of table: (start: Int, vtable: Int, vtableSize: Int)) throws(Failure) -> String? {
            guard let at = try position(field: id, of: table) else { return nil }
            let s = try reference(at: at)
            let count = Int(try u32(s))
            guard count <= bytes.count - s - 4 else { throw Failure(found: "a string of \(count) bytes in \(bytes.count)") }
            guard let text = String(validating: bytes[(s + 4)..<(s + 4 + count)], as: UTF8.self) else {
                throw Failure(found: "a field name that is not UTF-8")
            }
            return text
        }
    }
}
