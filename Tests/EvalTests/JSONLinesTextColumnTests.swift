import Testing
import Foundation
@testable import Eval
import SynthctlCore
import TestSupport

/// The JSON Lines text column read on all cores (``JSONLinesTextColumn``)
/// gives the exact reader's texts, for any thread count and piece size, or
/// leaves the file to the exact reader; `TextColumn.read(table:)` then
/// gives what the exact reader gives, texts or error.
@Suite struct JSONLinesTextColumnTests {
    /// What a reader made of a file: its texts, or its refusal.
    enum Outcome: Equatable {
        case texts([String])
        case refused(String)
    }

    /// The texts of `column` as the exact reader (``TableSource``) reads them, or its error.
    static func exact(_ path: String, column: String) -> Outcome {
        do {
            var source = try TableSource(path)
            guard let c = source.header.firstIndex(of: column) else { return .refused("no column") }
            try source.load(columns: [c])
            var texts = [String]()
            for r in 0..<source.rows {
                guard case .text(let s) = source.cell(r, c) else { return .refused("row \(r) is not a string") }
                texts.append(s)
            }
            return .texts(texts)
        } catch {
            return .refused("\(error)")
        }
    }

    /// The texts the parallel reader gives, or nil.
    static func fast(_ path: String, column: String, threads: Int, pieceBytes: Int) -> [String]? {
        guard let (bytes, ranges) = JSONLinesTextColumn.read(path, column: column, format: nil, threads: threads, pieceBytes: pieceBytes) else { return nil }
        return ranges.map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    static func write(_ text: String, _ path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Files as pandas, Polars and hand editors write them — escapes,
    /// non-ASCII text, empty texts, CRLF and lone-CR line ends, a
    /// byte-order mark, blank lines, no line end at the end, other columns
    /// of every scalar type and lists — are read here, with the exact
    /// reader's texts, at 1–7 threads and pieces from 16 bytes (a piece of
    /// one line) to 1 MiB.
    @Test func commonFilesGiveTheExactReadersTexts() throws {
        let temporary = TemporaryPaths()
        let dir = temporary.directory("jsonl-text-column")
        let many = (0..<500).map { i in "{\"text\": \"text \(i) \\\"quoted\\\" caf\\u00e9 😀\", \"label\": \(i % 3), \"ok\": \(i % 2 == 0)}" }.joined(separator: "\n")
        let cases: [(String, String)] = [
            ("pandas", "{\"text\":\"A man walks.\",\"label\":\"pos\",\"score\":0.5}\n{\"text\":\"\",\"label\":\"neg\",\"score\":null}\n"),
            ("escapes", "{\"text\": \"line\\nbreak\\ttab \\\\ \\/ \\u00e9\\ud83d\\ude00\", \"n\": -1.5e3}\n{\"text\": \"中文 Σίσυφος\", \"n\": 2}"),
            ("crlf, bom, blanks", "\u{FEFF}{\"text\":\"a\",\"v\":[1,2.5,null]}\r\n\r\n  \t\r\n{\"text\":\"b\",\"v\":[3,4,5]}\r\n"),
            ("lone cr", "{\"text\":\"a\"}\r{\"text\":\"b\"}\n{\"text\":\"c\"}\r"),
            ("leading blank lines", "\n\n{\"x\": 1, \"text\": \"only\"}\n\n"),
            ("many", many),
        ]
        for (name, content) in cases {
            let path = dir + "/t.jsonl"
            try Self.write(content, path)
            guard case .texts(let want) = Self.exact(path, column: "text") else {
                Issue.record("\(name): the exact reader refused it")
                continue
            }
            for threads in [1, 2, 3, 7] {
                for piece in [16, 100, 1 << 20] {
                    let got = Self.fast(path, column: "text", threads: threads, pieceBytes: piece)
                    // A piece of 16 bytes is shorter than most lines: those files are left to the exact reader.
                    if got == nil, piece < 100 { continue }
                    #expect(got == want, "\(name), \(threads) threads, pieces of \(piece)")
                }
            }
            let column = try TextColumn.read(table: path, column: "text")
            #expect((0..<column.count).map(column.text) == want, "\(name)")
        }
    }

    /// JSON Lines as the real writers wrote them (Hugging Face `datasets`'
    /// `to_json`, pandas' `to_json(orient="records", lines=True)`: fixtures of
    /// `Tests/Oracles/text_tables.py`), with strings escaped (`caf\u00e9`)
    /// and not, are read here, on 1 and 2 threads, to the exact reader's texts.
    @Test func filesTheRealWritersWroteGiveTheExactReadersTexts() throws {
        for (file, column) in [("hf_datasets.jsonl", "label"), ("crowd.jsonl", "label"), ("crowd.jsonl", "worker")] {
            let path = TextTableTests.fixtures + "/" + file
            guard case .texts(let want) = Self.exact(path, column: column) else {
                Issue.record("\(file): the exact reader refused it")
                continue
            }
            #expect(!want.isEmpty)
            for threads in [1, 2] {
                #expect(Self.fast(path, column: column, threads: threads, pieceBytes: 1 << 20) == want, "\(file), \(column), \(threads) threads")
            }
        }
    }

    /// Every file the reader leaves to the exact one gives nil here, and
    /// through `TextColumn.read(table:)` the exact reader's texts or error.
    @Test func otherFilesAreLeftToTheExactReader() throws {
        let temporary = TemporaryPaths()
        let dir = temporary.directory("jsonl-text-column-other")
        let cases: [(String, String)] = [
            ("keys in another order", "{\"text\":\"a\",\"x\":1}\n{\"x\":2,\"text\":\"b\"}\n"),
            ("a key missing", "{\"text\":\"a\",\"x\":1}\n{\"text\":\"b\"}\n"),
            ("a number", "{\"text\":\"a\"}\n{\"text\":3}\n"),
            ("a null", "{\"text\":\"a\"}\n{\"text\":null}\n"),
            ("an escaped key", "{\"t\\u0065xt\":\"a\"}\n"),
            ("a key given twice", "{\"text\":\"a\",\"text\":\"b\"}\n"),
            // The same key as text, in two Unicode forms (é, and e with U+0301): one key given twice.
            ("a key given twice, canonically", "{\"text\":\"a\",\"caf\u{E9}\":1,\"cafe\u{301}\":2}\n{\"text\":\"b\",\"caf\u{E9}\":1,\"cafe\u{301}\":2}\n"),
            ("a nested object", "{\"text\":\"a\",\"o\":{\"k\":1}}\n"),
            ("not JSON", "{\"text\":\"a\"}\n{\"text\":\"b\",}\n"),
            ("a NUL byte", "{\"text\":\"a\"}\n{\"text\":\"b\u{0}\"}\n"),
            ("a number beyond float64", "{\"text\":\"a\",\"x\":1e400}\n"),
            ("no column text", "{\"words\":\"a\"}\n"),
            ("empty", ""),
            ("blank lines only", "\n  \n"),
        ]
        for (name, content) in cases {
            let path = dir + "/t.jsonl"
            try Self.write(content, path)
            #expect(Self.fast(path, column: "text", threads: 2, pieceBytes: 1 << 20) == nil, "\(name)")
            if case .texts(let texts) = Self.exact(path, column: "text") {
                let column = try TextColumn.read(table: path, column: "text")
                #expect((0..<column.count).map(column.text) == texts, "\(name)")
            } else {
                // The exact reader refused it: so does TextColumn, with its own line.
                #expect(throws: (any Error).self, "\(name)") { try TextColumn.read(table: path, column: "text") }
            }
        }
        // A key that is not UTF-8, on every row (the scanner checks values, not keys).
        let notUTF8 = dir + "/k.jsonl"
        try Data(Array("{\"te".utf8) + [0xFF] + Array("xt\":\"a\",\"text\":\"hello\"}\n{\"te".utf8) + [0xFF] + Array("xt\":\"b\",\"text\":\"world\"}\n".utf8))
            .write(to: URL(fileURLWithPath: notUTF8))
        #expect(Self.fast(notUTF8, column: "text", threads: 2, pieceBytes: 1 << 20) == nil)
        if case .texts = Self.exact(notUTF8, column: "text") { Issue.record("the exact reader read a key that is not UTF-8") }
        #expect(throws: (any Error).self) { try TextColumn.read(table: notUTF8, column: "text") }
        // A text that is not UTF-8 (taken in place, without a String, it is still checked), and one
        // cut inside a scalar: both left to the exact reader, which refuses them.
        for bad: [UInt8] in [[0xFF], [0xE4, 0xB8], [0xC3, 0x28]] {
            let notUTF8Text = dir + "/v.jsonl"
            try Data(Array("{\"text\":\"fine\"}\n{\"text\":\"caf".utf8) + bad + Array("\"}\n".utf8)).write(to: URL(fileURLWithPath: notUTF8Text))
            #expect(Self.fast(notUTF8Text, column: "text", threads: 2, pieceBytes: 1 << 20) == nil, "\(bad)")
            #expect(throws: (any Error).self, "\(bad)") { try TextColumn.read(table: notUTF8Text, column: "text") }
        }
        // A key spelled in another Unicode form than the column asked for is the column, in both readers.
        let decomposed = dir + "/d.jsonl"
        try Self.write("{\"cafe\u{301}\":\"a\"}\n{\"cafe\u{301}\":\"b\"}\n", decomposed)
        #expect(Self.fast(decomposed, column: "caf\u{E9}", threads: 2, pieceBytes: 1 << 20) == ["a", "b"])
        #expect(Self.exact(decomposed, column: "caf\u{E9}") == .texts(["a", "b"]))
        // Standard input and compressed files are never read here (they give their bytes once, or decoded).
        #expect(JSONLinesTextColumn.read("-", column: "text", format: nil, threads: 2) == nil)
        let gz = dir + "/t.jsonl.gz"
        try Data(Gzip.compress(Array("{\"text\":\"a\"}\n".utf8)[...])).write(to: URL(fileURLWithPath: gz))
        #expect(JSONLinesTextColumn.read(gz, column: "text", format: nil, threads: 2) == nil)
        let column = try TextColumn.read(table: gz, column: "text")
        #expect(column.count == 1 && column.text(0) == "a")
    }

    /// A list in the text column is named at its own row, as any other
    /// value that is not a text (JSON Lines reads a column holding lists as
    /// embeddings, and its refusal named whichever row broke the lists).
    @Test func aListInTheTextColumnIsNamedAtItsRow() throws {
        let temporary = TemporaryPaths()
        let dir = temporary.directory("jsonl-text-column-lists")
        let cases: [(String, String)] = [
            ("{\"text\":\"alpha beta\"}\n{\"text\":[1,2]}\n", "line 2, column \"text\": expected a text (a string), found an array of 2"),
            ("{\"text\":[1,2]}\n{\"text\":\"alpha beta\"}\n", "line 1, column \"text\": expected a text (a string), found an array of 2"),
            ("{\"text\":[1,2]}\n{\"text\":[3]}\n", "line 1, column \"text\": expected a text (a string), found an array of 2"),
            ("{\"text\":\"a\"}\n{\"text\":[]}\n", "line 2, column \"text\": expected a text (a string), found an array of 0"),
            ("{\"text\":\"a b\"}\n{\"text\":[null]}\n", "line 2, column \"text\": expected a text (a string), found an array of 1"),
        ]
        for (content, message) in cases {
            let path = dir + "/t.jsonl"
            try Self.write(content, path)
            do {
                _ = try TextColumn.read(table: path, column: "text")
                Issue.record("read \(content.debugDescription)")
            } catch {
                #expect("\(error)" == "\(path): \(message)", "\(content.debugDescription)")
            }
        }
    }

    /// 400 random mutations of a valid file (bytes changed, inserted,
    /// removed): whenever the parallel reader gives texts, the exact
    /// reader reads the file and gives the same texts; a file the exact
    /// reader refuses is never read here.
    @Test func mutatedFilesGiveTheExactReadersTextsOrNone() throws {
        let temporary = TemporaryPaths()
        let dir = temporary.directory("jsonl-text-column-fuzz")
        var rng = SplitMix64(seed: 0x7E47_C01)  // seeded: a failure replays
        let valid = Array("{\"text\": \"a b\", \"x\": 1.5, \"ok\": true}\r\n{\"text\": \"d\\u00f6g \\\"x\\\"\", \"x\": null, \"ok\": false}\n\n{\"text\": \"\", \"x\": -2e-3, \"ok\": true}\n".utf8)
        let alphabet = Array("{}[]\",:\\ \t\n\r019e.-+Eutrfnlsa".utf8) + [0, 0xFF, 0xC3, 0xA9, 0x0C]
        var read = 0, readable = 0
        for _ in 0..<400 {
            let bytes = mutated(valid, alphabet: alphabet, using: &rng)
            let path = dir + "/t.jsonl"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let threads = Int.random(in: 1...3, using: &rng), piece = [80, 1 << 20].randomElement(using: &rng)!
            let exact = Self.exact(path, column: "text")
            if case .texts = exact { readable += 1 }
            guard let got = Self.fast(path, column: "text", threads: threads, pieceBytes: piece) else { continue }
            read += 1
            #expect(exact == .texts(got), "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
        // Most mutations break the file (the exact reader refuses it, and this one must give nil: 373
        // of these 400); of those the exact reader reads, most are read here too (19 of 27), not all
        // (a string made a number, a line cut at a lone \r).
        #expect(read > 0 && 2 * read > readable)
    }
}
