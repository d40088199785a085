import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// JSON Lines read in pieces (``JSONLinesParser/table(_:chunkBytes:refusingNUL:read:)``):
/// whatever the piece size, the same header, cells, line numbers and
/// errors as the file read in one piece — lines cut between two pieces,
/// a line longer than the piece, `\r\n` cut between its two bytes, a
/// multi-byte UTF-8 character or an escape cut in two — and the same from a
/// pipe, plain or gzip-compressed, as from a file.
@Suite struct JSONLinesChunkTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    /// The table read with pieces of `chunk` bytes, or the error's one line.
    static func read(_ bytes: [UInt8], chunk: Int = JSONLinesParser.defaultChunkBytes, refusingNUL: Bool = false) -> String {
        var offset = 0
        do {
            let t = try JSONLinesParser.table("t.jsonl", chunkBytes: chunk, refusingNUL: refusingNUL) { buffer in
                let n = min(buffer.count, bytes.count - offset)
                bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
                offset += n
                return n
            }
            var out = "\(t.header) \(t.lines)\n"
            for r in t.lines.indices { out += t.columns.map { JSONLinesScannerTests.show($0[r]) }.joined(separator: " | ") + "\n" }
            return out
        } catch let e as any SynthctlError { return "error: " + e.message } catch { return "other error: \(error)" }
    }

    /// Piece sizes from one byte (every line longer than the buffer, which
    /// doubles) up to more than the input.
    static let chunks = Array(1...17) + [31, 64, 1 << 20]

    static func expectSameAtEveryChunkSize(_ text: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let whole = read(text)
        for chunk in chunks {
            #expect(read(text, chunk: chunk) == whole, "chunk \(chunk): \(String(decoding: text, as: UTF8.self).debugDescription)",
                    sourceLocation: sourceLocation)
        }
        JSONLinesScannerTests.expectSame(text, sourceLocation: sourceLocation)
    }

    @Test func linesCutAnywhereReadAsWhole() {
        let inputs = [
            "{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2, \"b\": \"y\"}\n{\"b\": \"z\", \"a\": 3.5}\n",
            "\u{FEFF}{\"a\": 1}\r\n\r\n  \t \n{\"a\": 2}\r{\"a\":3}", "{\"a\": 1}\r\r\n\r{\"a\": 2}\r\n",
            "{\"café\": \"naïve 😀\", \"😀\": \"€\"}\n{\"😀\": \"ü\", \"café\": \"日本語\"}\n",
            "{\"k\": \"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\"}\n{\"k\": \"\\uD83D\\uDE00x\"}\n",
            "{\"a\": 1}\n{\"a\": 1, \"a\": 2}\n", "{\"a\": 1}\n{\"b\": 2}\n", "{\"a\": 1}\n\n\n{\"a\": [1, 2]}\n",
            "{\"a\": 1}\n{\"a\": 1e400}\n", "{\"a\": 1}\n{\"a\": 1,}\n", "", "\n\n", "\r", "{}\n{\"a\": 1}\n",
            "{\"a\": 1}\n{\"a\": \"x\u{0}\"}\n", "{\"a\": " + String(repeating: "1", count: 300) + "}\n",
            "{\"a\": \"" + String(repeating: "é", count: 100) + "\"}\n{\"a\": 1}",
        ]
        for text in inputs { Self.expectSameAtEveryChunkSize(Array(text.utf8)) }
    }

    /// `\r\n` cut after its `\r`: one line end, not two (the next line keeps its number).
    @Test func crlfCutBetweenPiecesIsOneLineEnd() {
        let text = Array("{\"a\": 1}\r\n{\"a\": 2}\r\n{\"a\": 3}\n".utf8)
        // Pieces of 9 bytes end with the first line's \r.
        #expect(text[8] == 13)
        #expect(Self.read(text, chunk: 9) == "[\"a\"] [1, 2, 3]\nint 1\nint 2\nint 3\n")
        #expect(Self.read(Array("{\"a\": 1}\r\n{\"a\": [}\r\n".utf8), chunk: 9) == Self.read(Array("{\"a\": 1}\r\n{\"a\": [}\r\n".utf8)))
        #expect(Self.read(Array("{\"a\": 1}\r\n{\"a\": [}\r\n".utf8), chunk: 9).hasPrefix("error: t.jsonl: line 2, column 8: "))
    }

    /// A two-, three- or four-byte character, or a `\u` escape or surrogate
    /// pair, cut at every byte reads as the whole.
    @Test func charactersAndEscapesCutAtEveryByteReadAsWhole() {
        for value in ["é", "€", "😀", "\\u00e9", "\\ud83d\\ude00", "\\\"", "\\\\"] {
            let text = Array("{\"k\": 1}\n{\"k\": \"\(value)\"}\n".utf8)
            let whole = Self.read(text)
            #expect(!whole.hasPrefix("error"), "\(value)")
            for chunk in 10...text.count { #expect(Self.read(text, chunk: chunk) == whole, "\(value) at \(chunk)") }
        }
    }

    /// A line of 10,000 bytes through a piece of 16: the buffer doubles.
    @Test func aLineLongerThanThePieceIsReadWhole() {
        let long = "{\"a\": \"" + String(repeating: "x", count: 10_000) + "\", \"b\": 2}\n"
        let text = Array(("{\"a\": \"s\", \"b\": 1}\n" + long + "{\"a\": \"t\", \"b\": 3}\n").utf8)
        let t = Self.read(text, chunk: 16)
        #expect(t == Self.read(text))
        #expect(t.hasPrefix("[\"a\", \"b\"] [1, 2, 3]\n"))
    }

    /// Random tables of the differential tests, read in small pieces.
    @Test func randomTablesReadInPiecesAsWhole() {
        var rng = SplitMix64(seed: 0x5EED2406)  // seeded: a failure replays, CI never flakes
        let keys = ["a", "x1", "é", "\\u0041", "😀", "label"]
        let values = ["1", "-2.5e-3", "\"cat\"", "\"caf\\u00e9\"", "\"naïve\"", "\"\\ud83d\\ude00\"", "true", "null", "[1, 2]", "12345678901234567890"]
        for _ in 0..<200 {
            let chosen = Array(keys.shuffled(using: &rng).prefix(Int.random(in: 1...4, using: &rng)))
            var text = ""
            for _ in 0..<Int.random(in: 1...10, using: &rng) {
                let fields = chosen.shuffled(using: &rng).map { "\"\($0)\": \(values.randomElement(using: &rng)!)" }
                text += "{" + fields.joined(separator: ", ") + "}" + ["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"].randomElement(using: &rng)!
            }
            let bytes = Array(text.utf8), whole = Self.read(bytes)
            for chunk in [1, 2, 3, 5, 8, 13, 21] { #expect(Self.read(bytes, chunk: chunk) == whole, "\(chunk): \(text.debugDescription)") }
        }
    }

    /// With `refusingNUL` (the file path), a NUL byte in a later piece is
    /// refused naming its line, as the whole-file reader named it.
    @Test func aNULByteInALaterPieceNamesItsLine() {
        let text = Array("{\"a\": 1}\n{\"a\": 2}\r\n{\"a\": 3}\r{\"a\": 4}\n{\"a\": \"\u{0}\"}\n".utf8)
        for chunk in [4, 7, 9, 64] {
            #expect(Self.read(text, chunk: chunk, refusingNUL: true) == "error: t.jsonl: line 5: expected text, found a NUL byte")
        }
    }

    /// Writes `bytes` to a fresh temporary file named `name`.
    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let dir = temporary.directory("synthctl-chunks")
        FileManager.default.createFile(atPath: "\(dir)/\(name)", contents: Data(bytes))
        return "\(dir)/\(name)"
    }

    /// A table of `rows` rows, about 60 bytes each.
    static func table(rows: Int) -> [UInt8] {
        var text = ""
        for r in 0..<rows { text += "{\"x0\": \(Double(r) / 7), \"x1\": \(r), \"label\": \"class_\(r % 3)\"}\n" }
        return Array(text.utf8)
    }

    static func render(_ t: TableSource) -> String {
        (0..<t.rows).map { r in "\(t.location(r)) " + (0..<t.header.count).map { JSONLinesScannerTests.show(t.cell(r, $0)) }.joined(separator: " | ") }
            .joined(separator: "\n")
    }

    /// A pipe (plain and gzip), read in pieces of 4 KiB, gives the table the file gives.
    @Test(arguments: [false, true])
    func aPipeReadsAsTheFile(gzip: Bool) throws {
        let plain = Self.table(rows: 5_000)  // about 300 KiB: more than a pipe holds
        let expected = Self.render(try TableSource(file("t.jsonl", plain)))
        let bytes = gzip ? Gzip.compress(plain[...]) : plain
        let pipe = Pipe()
        let writer = Thread {
            pipe.fileHandleForWriting.write(Data(bytes))
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let path = "/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)"
        let input = try ChunkedInput(path, decompressing: true)
        #expect(input.fileSize == nil)
        let t = try JSONLinesReader.source(path, input: input, chunkBytes: 4096)
        #expect(t.rows == 5_000)
        #expect(Self.render(t) == expected)
    }

    /// ChunkedInput gives a file's bytes in pieces, decoded when compressed;
    /// cut compressed data is the whole-file reader's one line.
    @Test func chunkedInputGivesTheBytesInPieces() throws {
        let plain = Self.table(rows: 3_000)
        for (name, bytes) in [("t.jsonl", plain), ("t.jsonl.gz", Gzip.compress(plain[...])), ("t.jsonl.zst", Zstd.compress(plain[...]))] {
            let input = try ChunkedInput(file(name, bytes), decompressing: true)
            #expect(input.first == Array(plain.prefix(16)))
            var got = [UInt8](), piece = [UInt8](repeating: 0, count: 1000)
            while true {
                let n = try input.read(into: &piece, at: 0)
                if n == 0 { break }
                got += piece[..<n]
            }
            #expect(got == plain, "\(name)")
        }
        let cut = Gzip.compress(plain[...]).dropLast(20)
        let path = file("cut.jsonl.gz", Array(cut))
        var whole = ""
        do { _ = try InputFile.read(path, isText: { _ in true }, decompressing: true) } catch { whole = "\(error)" }
        #expect(whole.contains("expected gzip data, found data that ends after"))
        do { _ = try TableSource(path); Issue.record("read") } catch let e as InputError { #expect("\(e)" == whole) }
    }
}
