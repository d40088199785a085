import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// Every kind of column ``ParquetFileWriter`` writes (FLOAT, DOUBLE, INT32,
/// INT64, BOOLEAN, dictionary and plain STRING, nulls), over several row
/// groups and pages, read back bit for bit by synthctl's own reader and by
/// pyarrow, with the chunk statistics pyarrow sees.
@Suite struct ParquetWriterKindsTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    static let rows = 2500

    static let doubles: [Double] = (0..<rows).map { i in
        let specials: [Double] = [-0.0, 0.0, .pi, 1e-300, -.greatestFiniteMagnitude, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 0.1]
        return i < specials.count ? specials[i] : Double(i) / 7 - 100
    }
    static let int64s: [Int64] = (0..<rows).map { i in
        i == 3 ? .min : i == 4 ? .max : Int64(i) * 3_000_000_007 - 40
    }
    static let texts: [String] = (0..<rows).map { i in
        ["", "naïve", "a,b\"c\nd", "🦀 crab", String(repeating: "long ", count: 40)][i % 5] + (i % 5 == 0 ? "" : "\(i)")
    }
    static let dictionary = ["cat", "dog", "émeu"]

    /// Writes every kind of column with `codec` in row groups of 1000 rows
    /// and pages of 300; returns the file's path.
    func write(codec: ParquetCodec) throws -> String {
        let columns = [ParquetColumn(name: "f", kind: .float), ParquetColumn(name: "d", kind: .double),
                       ParquetColumn(name: "i", kind: .int32, nullable: true), ParquetColumn(name: "l", kind: .int64),
                       ParquetColumn(name: "b", kind: .boolean), ParquetColumn(name: "s", kind: .string(dictionary: Self.dictionary), nullable: true),
                       ParquetColumn(name: "t", kind: .text)]
        var bytes = [UInt8]()
        let writer = try ParquetFileWriter(columns: columns, codec: codec, keyValues: [], createdBy: "test", threads: 2,
                                           rowGroupRows: 1000, pageRows: 300) { $0.withUnsafeBytes { bytes += $0 } }
        let floats = (0..<Self.rows).map { Float($0) * 0.25 - 3 }
        let ints = (0..<Self.rows).map { $0 % 7 == 0 ? Int32(-1) : Int32($0) }
        let bools = (0..<Self.rows).map { Int32($0 % 3 == 0 ? 1 : 0) }
        let codes = (0..<Self.rows).map { $0 % 5 == 0 ? Int32(-1) : Int32($0 % 3) }
        var first = 0
        while first < Self.rows {
            let take = min(writer.room, Self.rows - first, 700)  // commits that do not line up with row groups
            writer.appendFloats(columns: 0, width: 1, rowMajor: floats.span.extracting(first...), rows: take)
            writer.appendDoubles(column: 1, from: Self.doubles.span.extracting(first...), rows: take)
            writer.appendIntegers(column: 2, from: ints.span.extracting(first...), rows: take)
            writer.appendInt64s(column: 3, from: Self.int64s.span.extracting(first...), rows: take)
            writer.appendIntegers(column: 4, from: bools.span.extracting(first...), rows: take)
            writer.appendIntegers(column: 5, from: codes.span.extracting(first...), rows: take)
            writer.appendTexts(column: 6, from: Self.texts.span.extracting(first...), rows: take)
            try writer.commit(rows: take)
            first += take
        }
        _ = try writer.finish()
        let path = temporary.path("synthctl-pqkinds", suffix: ".parquet")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: ParquetCodec.allCases)
    func everyKindReadsBackBitForBit(codec: ParquetCodec) throws {
        let table = try ParquetTable(path: write(codec: codec))
        #expect(table.rows == Self.rows)
        #expect(table.columns.map(\.name) == ["f", "d", "i", "l", "b", "s", "t"])
        guard case .floats(let d) = table.columns[1].values, case .integers(let l) = table.columns[3].values,
              case .strings(let t) = table.columns[6].values, case .booleans(let b) = table.columns[4].values else {
            Issue.record("types: \(table.columns.map(\.values))")
            return
        }
        #expect(d.map(\.bitPattern) == Self.doubles.map(\.bitPattern))
        #expect(l == Self.int64s)
        #expect(t == Self.texts)
        #expect(b == (0..<Self.rows).map { $0 % 3 == 0 })
        for i in 0..<Self.rows {
            #expect(table.columns[0].number(i) == Double(Float(i) * 0.25 - 3))
            #expect(table.columns[2].number(i) == (i % 7 == 0 ? nil : Double(i)))
            #expect(table.columns[5].text(i) == (i % 5 == 0 ? nil : Self.dictionary[i % 3]))
        }
    }

    @Test(arguments: [ParquetCodec.zstd, .snappy])
    func pyarrowReadsEveryKindAndItsStatistics(codec: ParquetCodec) throws {
        let path = try write(codec: codec)
        let script = """
        import sys, pyarrow.parquet as pq
        f = pq.ParquetFile(sys.argv[1])
        t = f.read()
        print(str(t.schema).replace('\\n', ' | '))
        for v in t.column('d').to_pylist(): print(v.hex())
        for v in t.column('l').to_pylist(): print(v)
        for v in t.column('t').to_pylist(): print(repr(v))
        print(t.column('i').null_count, t.column('s').null_count, sum(t.column('b').to_pylist()))
        for g in range(f.metadata.num_row_groups):
            for c in (1, 3, 6):
                s = f.metadata.row_group(g).column(c).statistics
                print(g, c, repr(s.min), repr(s.max), s.null_count)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(String(decoding: e, as: UTF8.self))")
        var lines = String(decoding: o, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count > 1 + 3 * Self.rows else { Issue.record("\(lines.count) lines"); return }
        #expect(lines.removeFirst() == "f: float not null | d: double not null | i: int32 | l: int64 not null | b: bool not null | s: string | t: string not null")
        #expect(lines.prefix(Self.rows).map { Double($0)?.bitPattern } == Self.doubles.map(\.bitPattern))
        lines.removeFirst(Self.rows)
        #expect(lines.prefix(Self.rows).map { Int64($0) } == Self.int64s)
        lines.removeFirst(Self.rows)
        #expect(lines.prefix(Self.rows).map(Self.pythonString) == Self.texts)
        lines.removeFirst(Self.rows)
        #expect(lines.removeFirst() == "358 500 834")  // rows ≡ 0 mod 7, mod 5; rows ≡ 0 mod 3
        // Row group statistics: min and max of the values in it (−0 for a zero minimum).
        for g in 0..<3 {
            let rows = (g * 1000)..<min(Self.rows, g * 1000 + 1000)
            let d = Self.doubles[rows], l = Self.int64s[rows], t = Self.texts[rows]
            let lo = d.min()!, hi = d.max()!
            #expect(lines.removeFirst() == "\(g) 1 \(lo == 0 ? "-0.0" : Self.pythonFloat(lo)) \(hi == 0 ? "0.0" : Self.pythonFloat(hi)) 0")
            #expect(lines.removeFirst() == "\(g) 3 \(l.min()!) \(l.max()!) 0")
            let tmin = t.min { $0.utf8.lexicographicallyPrecedes($1.utf8) }!, tmax = t.max { $0.utf8.lexicographicallyPrecedes($1.utf8) }!
            #expect(lines.removeFirst() == "\(g) 6 \(Self.pythonRepr(tmin)) \(Self.pythonRepr(tmax)) 0")
        }
    }

    /// Python's `repr` of a float, for the values above: both write the
    /// shortest decimal that reads back to the same bits.
    static func pythonFloat(_ x: Double) -> String { x.description }

    /// Python's `repr` of a str as this test's strings need it (no
    /// single quote in them): quoted with ', \n and \\ escaped.
    static func pythonRepr(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n") + "'"
    }

    /// The inverse of ``pythonRepr(_:)``.
    static func pythonString(_ line: String) -> String {
        String(line.dropFirst().dropLast()).replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\\\", with: "\\")
    }
}

extension ParquetWriterKindsTests {
    /// Overlapped sinks (each on its own thread while the next row group
    /// fills) see the same bytes, in the same order, as one sink called in
    /// place; a sink's failure is rethrown, not lost.
    @Test func overlappedSinksSeeTheSameBytes() throws {
        let columns = [ParquetColumn(name: "x", kind: .float), ParquetColumn(name: "t", kind: .text)]
        let xs = (0..<5000).map { Float($0).squareRoot() }, ts = (0..<5000).map { "item \($0)" }
        func write(overlapped: Bool, failing: Bool = false) throws -> [[UInt8]] {
            final class Collected: @unchecked Sendable { var bytes: [[UInt8]] = [[], []] }
            let collected = Collected()
            struct Full: Error {}
            let writer = try ParquetFileWriter(columns: columns, codec: .zstd, keyValues: [], createdBy: "test", threads: 2, rowGroupRows: 1024,
                                               overlapped: overlapped, sinks: [{ chunk in chunk.withUnsafeBytes { collected.bytes[0] += $0 } },
                                                                               { chunk in
                                                                                 if failing && collected.bytes[1].count > 10_000 { throw Full() }
                                                                                 chunk.withUnsafeBytes { collected.bytes[1] += $0 } }])
            var first = 0
            while first < xs.count {
                let take = min(writer.room, xs.count - first)
                writer.appendFloats(columns: 0, width: 1, rowMajor: xs.span.extracting(first...), rows: take)
                writer.appendTexts(column: 1, from: ts.span.extracting(first...), rows: take)
                try writer.commit(rows: take)
                first += take
            }
            _ = try writer.finish()
            return collected.bytes
        }
        let inPlace = try write(overlapped: false), overlapped = try write(overlapped: true)
        #expect(inPlace[0].count > 20_000 && inPlace[0] == inPlace[1])
        #expect(overlapped[0] == inPlace[0] && overlapped[1] == inPlace[0])
        #expect(throws: (any Error).self) { try write(overlapped: true, failing: true) }
    }
}
