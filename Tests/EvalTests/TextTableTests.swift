import Testing
import Foundation
@testable import Eval
import Synth
@testable import SynthctlCore
import TestSupport

/// Text tables as the ecosystem writes them: gzip and zstd compressed, a
/// byte-order mark, another delimiter, crowd-kit's answers layout
/// (fixtures from `Tests/Oracles/text_tables.py`, values as pandas reads them).
@Suite struct TextTableTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/text_tables").path

    static var expected: [String: Any] {
        let data = FileManager.default.contents(atPath: "\(fixtures)/expected.json")!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// A table read as synthctl reads it (`;` for the semicolon file, as
    /// `--delimiter ';'` would say), cell by cell.
    static func read(_ path: String) throws -> TableSource {
        if path.hasSuffix("semicolon.csv") {
            let bytes = try TableSource.contents(path, format: nil)
            return try CSVReader.delimitedText(path, bytes: bytes, delimiter: UInt8(ascii: ";"))
        }
        var t = try TableSource(path)
        try t.load(columns: Array(t.header.indices))
        return t
    }

    @Test func everyWritersTableReadsAsPandasReadsIt() throws {
        let tables = Self.expected["tables"] as! [String: [String: Any]]
        #expect(tables.count == 7)
        for (name, table) in tables {
            let t = try Self.read("\(Self.fixtures)/\(name)")
            // The same columns in the same order (JSON Lines: the first line's), each with pandas' values.
            let names = table["columns"] as! [String]
            #expect(t.header == names, "\(name)")
            let rows = table["rows"] as! [[Any]]
            #expect(t.rows == rows.count, "\(name)")
            for (r, row) in rows.enumerated() {
                for (c, value) in row.enumerated() {
                    guard let column = t.header.firstIndex(of: names[c]) else { continue }
                    let cell = t.cell(r, column)
                    if let number = value as? Double {
                        let got: Double? = switch cell {
                        case .real(let d): d
                        case .integer(let i): Double(i)
                        case .text(let s): Double(s)
                        default: nil
                        }
                        #expect(got == number, "\(name) row \(r) column \(c): \(cell)")
                    } else {
                        #expect("\(cell)" == "\(TableCell.text(value as! String))", "\(name) row \(r) column \(c)")
                    }
                }
            }
        }
    }

    @Test func crowdKitsAnswersLayoutReadsInEveryFormat() throws {
        let answers = Self.expected["answers"] as! [String: [String: Any]]
        #expect(answers.count == 4)
        for (name, want) in answers {
            let (set, _) = try AnswerReader.read(answers: "\(Self.fixtures)/\(name)")
            #expect(set.answerCount == want["answers"] as! Int, "\(name)")
            #expect(set.itemCount == want["items"] as! Int, "\(name)")
            #expect(set.workerCount == want["workers"] as! Int, "\(name)")
            #expect(set.itemNames == (want["majority_vote"] as! [String: String]).keys.sorted(), "\(name)")
        }
    }

    /// Writes `bytes` to a fresh temporary file named `name`.
    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let dir = temporary.directory("synthctl-text")
        FileManager.default.createFile(atPath: "\(dir)/\(name)", contents: Data(bytes))
        return "\(dir)/\(name)"
    }

    static let csv = Array("\u{FEFF}x0,x1,label\n1.5,2,cat\n-3,4.25,dog\n".utf8)

    @Test(arguments: ["t.csv.gz", "t.CSV.GZ", "t.gz", "-"])
    func gzipAndZstdDecodeToTheSameTable(name: String) throws {
        let plain = try TableSource(file("t.csv", Self.csv))
        #expect(plain.header == ["x0", "x1", "label"])  // the byte-order mark skipped
        // Two gzip members one after another read as their concatenation, as gzip -d reads them.
        let half = Self.csv.count / 2
        let members = Gzip.compress(Self.csv[..<half]) + Gzip.compress(Self.csv[half...])
        for bytes in [Gzip.compress(Self.csv[...]), members, Zstd.compress(Self.csv[...])] {
            let path = file(name == "-" ? "t" : name, bytes)
            let t = try TableSource(path)
            #expect(t.header == plain.header)
            #expect(t.rows == 2)
            #expect((0..<2).allSatisfy { r in (0..<3).allSatisfy { "\(t.cell(r, $0))" == "\(plain.cell(r, $0))" } })
        }
        let tsv = try TableSource(file("t.tsv.zst", Zstd.compress(Array("a\tlabel\n1\tx\n".utf8)[...])))
        #expect(tsv.header == ["a", "label"])
        let jsonl = try TableSource(file("t.jsonl.gz", Gzip.compress(Array("{\"a\": 1, \"label\": \"x\"}\n".utf8)[...])))
        #expect(jsonl.header == ["a", "label"])
    }

    @Test func cutOrCorruptStreamsAreOneLine() throws {
        let gz = Gzip.compress(Array(Array(repeating: Self.csv, count: 50).joined())[...])
        let cut = file("t.csv.gz", Array(gz.dropLast(9)))
        do { _ = try TableSource(cut); Issue.record("read") } catch let e as InputError {
            #expect(e.description.hasPrefix("\(cut): expected gzip data, found data that ends after "), "\(e)")
        }
        var flipped = gz
        flipped[20] ^= 0xFF
        let bad = file("t.csv.gz", flipped)
        do { _ = try TableSource(bad); Issue.record("read") } catch let e as InputError {
            #expect(e.description.hasPrefix("\(bad): expected gzip data, found corrupt data after"), "\(e)")
        }
        let zst = Zstd.compress(Array(Array(repeating: Self.csv, count: 50).joined())[...])
        let zcut = file("t.csv.zst", Array(zst.dropLast(5)))
        do { _ = try TableSource(zcut); Issue.record("read") } catch let e as InputError {
            #expect(e.description.hasPrefix("\(zcut): expected zstd data, found "), "\(e)")
        }
    }

    @Test func zstdStreamDecodesAnyBlocking() throws {
        let text = Array(Array(repeating: Self.csv, count: 300).joined())
        let zst = Zstd.compress(text[...]) + Zstd.compress(text[..<10])  // two frames
        for block in [1, 7, 4096, zst.count] {
            var stream = try ZstdStream()
            var out = [UInt8]()
            for start in stride(from: 0, to: zst.count, by: block) {
                out += try stream.decode(zst[start..<min(start + block, zst.count)])
            }
            try stream.finish()
            #expect(out == text + text[..<10], "blocks of \(block)")
        }
        var cut = try ZstdStream()
        _ = try cut.decode(zst[..<(zst.count / 2)])
        #expect(throws: CompressionError.self) { try cut.finish() }
    }

    /// A bomb's output comes out a limited piece per call, so the reader
    /// can check its budget between pieces.
    @Test(arguments: StreamCompression.allCases)
    func boundedDecodingStopsAtItsLimit(compression: StreamCompression) throws {
        let zeros = [UInt8](repeating: UInt8(ascii: "0"), count: 8 << 20)
        let packed = compression == .gzip ? Gzip.compress(zeros[...]) : Zstd.compress(zeros[...])
        let decoder = try compression.decoder()
        var out = [UInt8](), rest = packed[...], calls = 0
        while true {
            let step = try decoder.decode(rest, into: &out, limit: 1 << 20, decodedBefore: 0)
            #expect(step.wrote < (1 << 20) + _UnsafeStreamingDecode.scratchSize)
            rest = rest.dropFirst(step.used)
            calls += 1
            if rest.isEmpty && !step.more { #expect(step.ended || step.wrote == 0); break }
        }
        #expect(out == zeros)
        #expect(calls >= 8)
    }

    @Test func aGzipStreamOfNULBytesIsRefusedAsText() throws {
        let path = file("t.csv.gz", Gzip.compress(Array("a,label\n".utf8 + [0, 0] + "\n".utf8)[...]))
        #expect(throws: InputError(file: path, line: 2, expected: "text", found: "a NUL byte")) { _ = try TableSource(path) }
    }

    @Test func namedAnswerColumnsAndAMissingOneListsTheColumns() throws {
        let answers = file("a.csv", Array("item_id,rater,choice\n1,a,x\n1,b,y\n2,a,x\n".utf8))
        let gold = file("g.csv", Array("item_id,correct\n1,x\n".utf8))
        let columns = AnswerColumns(item: "item_id", worker: "rater", label: "choice", truth: "correct")
        let (set, truth) = try AnswerReader.read(answers: answers, gold: gold, columns: columns)
        #expect(set.answerCount == 3 && set.workerNames == ["a", "b"] && truth?.knownCount == 1)
        #expect(throws: InputError(file: answers, line: 1, expected: "a column named \"item\" or \"task\" for the item ids",
                                   found: "columns item_id, rater, choice (3 columns)")) {
            _ = try AnswerReader.read(answers: answers)
        }
        #expect(throws: InputError(file: answers, line: 1, expected: "a column named \"who\" for the worker ids",
                                   found: "columns item_id, rater, choice (3 columns)")) {
            _ = try AnswerReader.read(answers: answers, columns: AnswerColumns(item: "item_id", worker: "who", label: "choice"))
        }
    }

    /// Fuzz: a gzip table with bytes flipped, cut or appended, and text
    /// starting with pieces of byte-order marks and delimiters, is read or
    /// refused in one line; nothing traps.
    @Test func fuzzedGzipAndByteOrderMarksAreReadOrOneLine() throws {
        var rng = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["SYNTHCTL_FUZZ_SEED"] ?? "") ?? 15)
        let gz = Gzip.compress(Array(Array(repeating: Self.csv.dropFirst(3), count: 20).joined())[...])
        let marks: [[UInt8]] = [[0xEF, 0xBB, 0xBF], [0xEF, 0xBB], [0xFF, 0xFE], [0xFE, 0xFF], [0x1F, 0x8B], [0x28, 0xB5, 0x2F, 0xFD], []]
        let pieces: [[UInt8]] = [Array(",".utf8), Array(";".utf8), [9], Array("\"".utf8), Array("{".utf8), [0x0D], [0x0A], Array("a".utf8), [0xC3]]
        for i in 0..<(Int(ProcessInfo.processInfo.environment["SYNTHCTL_FUZZ_ROUNDS"] ?? "") ?? 400) {
            var bytes: [UInt8]
            if i % 2 == 0 {
                bytes = gz
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let at = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
                    case 1: bytes.removeSubrange(at...)
                    default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                    }
                    if bytes.isEmpty { break }
                }
            } else {
                bytes = marks.randomElement(using: &rng)!
                for _ in 0..<Int.random(in: 0...30, using: &rng) { bytes += pieces.randomElement(using: &rng)! }
            }
            let path = file(i % 4 == 0 ? "t" : "t.csv.gz", bytes)
            do {
                _ = try AnswerReader.read(answers: path)
            } catch let e as any SynthctlError {
                #expect(!e.description.contains("\n"), "\(bytes): \(e)")
            }
            do {
                _ = try TableSource(path)
            } catch let e as any SynthctlError {
                #expect(!e.description.contains("\n"), "\(bytes): \(e)")
            }
        }
    }
}
