import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore
import TestSupport

/// Parquet files whose footer or page headers claim impossible counts,
/// offsets and sizes, or nest without end: each is one line naming the file
/// (and the column or field), never a trap, a stack overflow or an
/// allocation sized by the claim.
@Suite struct HostileParquetTests {
    /// Thrift compact protocol, written (the reader's mirror image).
    struct Thrift {
        var bytes = [UInt8]()
        var last: [Int] = [0]

        mutating func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 { bytes.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }
        mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
        mutating func field(_ id: Int, _ type: UInt8) {
            let delta = id - last[last.count - 1]
            if delta > 0 && delta <= 15 { bytes.append(UInt8(delta) << 4 | type) } else { bytes.append(type); zigzag(Int64(id)) }
            last[last.count - 1] = id
        }
        mutating func i32(_ id: Int, _ v: Int64) { field(id, 5); zigzag(v) }
        mutating func i64(_ id: Int, _ v: Int64) { field(id, 6); zigzag(v) }
        mutating func string(_ id: Int, _ s: String) { field(id, 8); varint(UInt64(s.utf8.count)); bytes += Array(s.utf8) }
        mutating func structure(_ id: Int, _ body: (inout Thrift) -> Void) { field(id, 12); open(body) }
        /// A struct's fields and its stop byte (as a list element or the top level).
        mutating func open(_ body: (inout Thrift) -> Void) { last.append(0); body(&self); bytes.append(0); last.removeLast() }
        mutating func structs(_ id: Int, count: Int, claimed: UInt64? = nil, _ body: (inout Thrift, Int) -> Void) {
            field(id, 9)
            let n = claimed ?? UInt64(count)
            if n < 15 { bytes.append(UInt8(n) << 4 | 12) } else { bytes.append(0xf0 | 12); varint(n) }
            for i in 0..<count { open { body(&$0, i) } }
        }
    }

    /// What a hostile file changes in a valid one-column, one-row INT64 file.
    struct Claims {
        var fileRows: Int64 = 1
        var groupRows: [Int64] = [1]
        var chunkValues: Int64 = 1
        var dataOffset: Int64 = 4
        var chunkSize: Int64? = nil
        var pageValues: Int64 = 1
        var pageSize: Int64 = 8
        var codec: Int64 = 0
        /// The data page's encoding (0: PLAIN) and bytes.
        var encoding: Int64 = 0
        var page: [UInt8]? = nil
        var extraFooterFields: ((inout Thrift) -> Void)? = nil
        /// The schema: its elements (the root and column "a"), the root's
        /// child count, and column "a"'s physical type, repetition and children.
        var schemaElements = 2
        var rootChildren: Int64 = 1
        var columnType: Int64 = 2
        var columnRepetition: Int64 = 0
        var columnChildren: Int64? = nil
    }

    /// "PAR1", a data page holding 42, the footer, its length, "PAR1".
    func file(_ c: Claims) -> [UInt8] {
        var header = Thrift()
        let page = c.page ?? withUnsafeBytes(of: Int64(42).littleEndian) { Array($0) }
        header.open { h in
            h.i32(1, 0)                       // DATA_PAGE
            h.i32(2, c.pageSize)              // uncompressed size
            h.i32(3, Int64(page.count))       // compressed size
            h.structure(5) { d in d.i32(1, c.pageValues); d.i32(2, c.encoding); d.i32(3, 3); d.i32(4, 3) }
        }
        let body = header.bytes + page
        var footer = Thrift()
        footer.open { f in
            f.i32(1, 1)
            f.structs(2, count: c.schemaElements) { s, i in
                if i == 0 { s.string(4, "schema"); s.i32(5, c.rootChildren); return }
                s.i32(1, c.columnType); s.i32(3, c.columnRepetition); s.string(4, "a")
                if let n = c.columnChildren { s.i32(5, n) }
            }
            f.i64(3, c.fileRows)
            f.structs(4, count: c.groupRows.count) { g, i in
                g.structs(1, count: 1) { chunk, _ in
                    chunk.i64(2, 4)
                    chunk.structure(3) { m in
                        m.i32(1, 2); m.i32(4, c.codec); m.i64(5, c.chunkValues)
                        m.i64(7, c.chunkSize ?? Int64(body.count)); m.i64(9, c.dataOffset)
                    }
                }
                g.i64(3, c.groupRows[i])
            }
            c.extraFooterFields?(&f)
        }
        let n = footer.bytes.count
        return Array("PAR1".utf8) + body + footer.bytes + [UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)] + Array("PAR1".utf8)
    }

    func read(_ bytes: [UInt8], budget: MemoryBudget = .unlimited) -> (table: ParquetTable?, message: String?, path: String) {
        let path = NSTemporaryDirectory() + "synthctl-parquet-\(UUID().uuidString).parquet"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do { return (try ParquetTable(path: path, budget: budget), nil, path) }
        catch let e as any SynthctlError { return (nil, e.message.replacingOccurrences(of: path, with: "f.parquet"), path) }
        catch { return (nil, "\(error)".replacingOccurrences(of: path, with: "f.parquet"), path) }
    }

    @Test func theHandBuiltFileIsValid() throws {
        let r = read(file(Claims()))
        let table = try #require(r.table, "\(r.message ?? "")")
        #expect(table.rows == 1 && table.columns.map(\.name) == ["a"] && table.columns[0].number(0) == 42)
    }

    @Test func countsNearInt64MaxOrNegativeAreRefused() {
        let max = Int64.max
        let cases: [(Claims, String)] = [
            (Claims(fileRows: -1), "f.parquet: num_rows: expected 1 (the sum of the row groups' rows), found -1"),
            (Claims(fileRows: max), "f.parquet: num_rows: expected 1 (the sum of the row groups' rows), found 9223372036854775807"),
            (Claims(groupRows: [-5], chunkValues: -5), "f.parquet: row group 0: num_rows: expected a count ≥ 0, found -5"),
            (Claims(fileRows: max, groupRows: [max, max], chunkValues: max),
             "f.parquet: row group 1: num_rows: expected row counts whose total fits in 64 bits, found 9223372036854775807 after 9223372036854775807"),
            (Claims(chunkValues: max), "f.parquet: row group 0, column \"a\": num_values: expected 1 (one value or null per row), found 9223372036854775807"),
            (Claims(dataOffset: max), "f.parquet: column \"a\": expected a column chunk inside the file, found"),
            (Claims(dataOffset: max - 10, chunkSize: max), "f.parquet: column \"a\": expected a column chunk inside the file, found"),
            (Claims(chunkSize: -1), "f.parquet: column \"a\": expected a column chunk inside the file, found -1 bytes"),
            (Claims(dataOffset: -9_223_372_036_854_775_808), "f.parquet: column \"a\": expected a column chunk inside the file"),
            (Claims(pageValues: Int64(Int32.max)), "f.parquet: column \"a\": expected a page of at most 1 values (the chunk's rest), found 2147483647 values"),
            (Claims(pageValues: -1), "f.parquet: column \"a\": expected a page header of non-negative sizes, found -1 values"),
            (Claims(pageSize: Int64(Int32.max), codec: 1, page: [0xff, 0xff, 0xff, 0xff, 0x07, 0, 0, 0]),
             "f.parquet: column \"a\": expected Snappy data of 2147483647 bytes, found 8 compressed bytes, which hold at most 176"),
            (Claims(pageValues: Int64(Int32.max) + 1), "f.parquet: column \"a\" page header: expected a 32-bit integer"),
        ]
        for (claims, expected) in cases {
            let r = read(file(claims))
            #expect(r.table == nil && r.message?.hasPrefix(expected) == true && r.message?.contains("\n") == false,
                    "\(r.message ?? "read a table")  ≠  \(expected)")
        }
    }

    @Test func aSchemaThatIsNotFlatColumnsIsRefused() {
        let cases: [(Claims, String)] = [
            (Claims(schemaElements: 0), "f.parquet: expected a schema in the footer, found none"),
            (Claims(rootChildren: 2), "f.parquet: expected 2 columns under the schema root, found 1"),
            (Claims(columnChildren: 1), "f.parquet: expected the children of \"a\" in the schema, found its end"),
            (Claims(columnRepetition: 2), "f.parquet: expected one value per row, found the repeated (list) column \"a\""),
            (Claims(columnType: 99), "f.parquet: column \"a\": expected a physical type, found 99"),
        ]
        for (claims, expected) in cases {
            let r = read(file(claims))
            #expect(r.table == nil && r.message == expected, "\(r.message ?? "read a table")  ≠  \(expected)")
        }
    }

    @Test func rowsThatFitTheFileButNotTheBudgetAreRefused() {
        // 2^40 rows of one value each, as one RLE run, would be valid Parquet;
        // here the footer's claim meets the budget before any page is decoded.
        let n = Int64(1) << 40
        let r = read(file(Claims(fileRows: n, groupRows: [n], chunkValues: n, pageValues: n)), budget: MemoryBudget(limit: 1 << 30))
        #expect(r.message?.hasPrefix("f.parquet: expected a run within the memory limit of 1.0 GiB, found an estimate of 17.0 TiB") == true,
                "\(r.message ?? "")")
    }

    @Test func nestingAndFieldIdsAreBounded() {
        // 200,000 nested structs in the footer: the stack would overflow.
        var deep = [UInt8]()
        deep += [UInt8](repeating: 0x1c, count: 200_000)   // field delta 1, struct
        deep += [UInt8](repeating: 0, count: 200_001)
        let bomb = Array("PAR1".utf8) + deep + [UInt8(deep.count & 0xff), UInt8(deep.count >> 8 & 0xff), UInt8(deep.count >> 16), 0] + Array("PAR1".utf8)
        #expect(read(bomb).message?.hasPrefix("f.parquet (footer): expected structs and lists nested at most 64 deep, found deeper nesting at byte 64") == true)
        // Lists of lists: the same limit.
        let lists = [UInt8(0x19)] + [UInt8](repeating: 0x19, count: 100_000) + [0]
        let listBomb = Array("PAR1".utf8) + lists + [UInt8(lists.count & 0xff), UInt8(lists.count >> 8 & 0xff), UInt8(lists.count >> 16), 0] + Array("PAR1".utf8)
        #expect(read(listBomb).message?.contains("expected structs and lists nested at most 64 deep") == true)
        // A field id at Int16.max followed by a delta: the id would overflow.
        var claims = Claims()
        claims.extraFooterFields = { f in f.i32(32767, 0); f.bytes.append(0x15); f.zigzag(0) }
        #expect(read(file(claims)).message?.hasPrefix("f.parquet (footer): expected a 16-bit field id") == true)
        // A list claiming 2^40 elements in a few bytes.
        claims.extraFooterFields = { f in f.structs(20, count: 0, claimed: 1 << 40) { _, _ in } }
        #expect(read(file(claims)).message?.contains("expected a size of at most") == true)
    }

    /// A DELTA_BINARY_PACKED page (42, 43, 44) whose encoded values are
    /// hostile is one line naming the file, column, row group and page;
    /// the valid page, fuzzed byte by byte, reads or is refused in one line.
    @Test func hostileDeltaPagesAreOneLine() {
        let valid = ParquetEncodingTests.deltaPacked(total: 3, first: 42, blocks: [(1, [0, 0, 0, 0], [])])
        var claims = Claims(fileRows: 3, groupRows: [3], chunkValues: 3, pageValues: 3, encoding: 5, page: valid)
        claims.pageSize = Int64(valid.count)
        let good = file(claims)
        #expect(read(good).table?.columns[0].text(2) == "44")
        claims.page = ParquetEncodingTests.deltaPacked(total: 3, first: 42, blocks: [(1, [65, 0, 0, 0], [UInt8](repeating: 0, count: 260))])
        claims.pageSize = Int64(claims.page!.count)
        #expect(read(file(claims)).message == "f.parquet: column \"a\": row group 0, page 0: expected miniblock bit widths of at most 64, found 65")
        claims.page = ParquetEncodingTests.deltaPacked(total: 9, first: 42, blocks: [])
        claims.pageSize = Int64(claims.page!.count)
        #expect(read(file(claims)).message == "f.parquet: column \"a\": row group 0, page 0: expected 3 DELTA_BINARY_PACKED values (the page's count), found 9")
        // An encoding the spec does not allow for the type: DELTA_BINARY_PACKED in a DOUBLE column.
        claims.page = valid
        claims.pageSize = Int64(valid.count)
        claims.columnType = 5
        #expect(read(file(claims)).message == "f.parquet: column \"a\": expected an encoding Parquet allows for physical type double "
                + "(PLAIN, dictionary, DELTA or BYTE_STREAM_SPLIT), found DELTA_BINARY_PACKED")
        replaceEachByte(of: good)
    }

    /// Fuzz: every byte of a valid file, flipped or replaced, one at a time.
    /// Each outcome is a table or a one-line error; a trap ends the process.
    @Test func corruptedBytesNeverTrap() {
        let good = file(Claims())
        replaceEachByte(of: good)
    }

    /// Every byte of `good` replaced, one at a time, by 0x00, 0xff, 0x7f,
    /// 0x80 and a random byte: each outcome is a table or a one-line error
    /// naming the file; a trap ends the process.
    func replaceEachByte(of good: [UInt8]) {
        var rng = SplitMix64(seed: 0x5EED2405)  // seeded: a failure replays, CI never flakes
        for i in good.indices {
            for replacement: UInt8 in [0x00, 0xff, 0x7f, 0x80, UInt8.random(in: 0...255, using: &rng)] {
                var bad = good
                bad[i] = replacement
                let r = read(bad, budget: MemoryBudget(limit: 1 << 30))
                if let m = r.message { #expect(m.hasPrefix("f.parquet") && !m.contains("\n"), "\(m)") }
            }
        }
    }
}
