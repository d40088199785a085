import Testing
import Foundation
@testable import Eval
import SynthctlCore
import TestSupport

/// A text file streamed a block at a time (``TextBlocks``) gives the texts,
/// and refuses the lines, that the whole-file reader does; a file that
/// changes between two passes is refused; the TF-IDF fit over blocks is
/// the fit over all the texts.
@Suite struct TextBlocksTests {
    /// Every text of one pass, `block` at a time.
    static func pass(_ blocks: TextBlocks, block: Int) throws -> [String] {
        blocks.rewind()
        var texts = [String]()
        while true {
            let next = try blocks.next(block)
            if next.count == 0 { break }
            #expect(next.count == min(block, blocks.count - texts.count))
            texts += (0..<next.count).map(next.text)
        }
        return texts
    }

    static func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Line ends (LF, CRLF, none at the end), a byte-order mark, empty
    /// lines, non-ASCII text and a line longer than the 1 MiB read buffer,
    /// plain and gzip-compressed, in blocks of 1, 3 and 100,000 texts.
    @Test func streamedLinesAreTheWholeFilesLines() throws {
        let temporary = TemporaryPaths()  // removed when the test ends
        let dir = temporary.directory("text-blocks")
        let long = String(repeating: "Σίσυφος ", count: 200_000)  // 3.2 MB, one line
        let cases: [(String, String)] = [
            ("plain", "one\ntwo\n\nthree"),
            ("crlf", "\u{FEFF}first\r\nsecond\r\n\r\n中文 text\r\n"),
            ("long", "before\n" + long + "\nafter\n" + long),
            ("empty lines", "\n\n\n"),
            ("one", "x"),
        ]
        for (name, content) in cases {
            for gzip in [false, true] {
                let plain = Array(content.utf8)
                let path = dir + "/t.txt" + (gzip ? ".gz" : "")
                try Self.write(gzip ? Gzip.compress(plain[...]) : plain, path)
                let whole = try TextColumn.read(lines: path)
                let expected = (0..<whole.count).map(whole.text)
                let blocks = try TextBlocks(lines: path)
                #expect(blocks.count == expected.count, "\(name)")
                for size in [1, 3, 100_000] {
                    #expect(try Self.pass(blocks, block: size) == expected, "\(name), gzip \(gzip), blocks of \(size)")
                }
            }
        }
    }

    /// A named pipe (as `<(zcat t.txt.gz)` gives) can be read once: its
    /// lines are read whole, and every pass serves them.
    @Test func aPipeIsReadWholeAndServedForEveryPass() throws {
        let temporary = TemporaryPaths()  // removed when the test ends
        let path = temporary.directory("text-blocks-pipe") + "/fifo"
        #expect(mkfifo(path, 0o600) == 0)
        let writer = Thread {
            let fd = open(path, O_WRONLY)
            let bytes = Array("one\ntwo\nthree\n".utf8)
            _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
            close(fd)
        }
        writer.start()
        let blocks = try TextBlocks(lines: path)
        #expect(blocks.count == 3)
        #expect(try Self.pass(blocks, block: 2) == ["one", "two", "three"])
        #expect(try Self.pass(blocks, block: 5) == ["one", "two", "three"])
    }

    /// A NUL byte or bytes that are not UTF-8 past the first read buffer
    /// are refused at their line, in the whole-file reader's words.
    @Test func badLinesAreRefusedAsTheWholeFileReaderRefusesThem() throws {
        let temporary = TemporaryPaths()  // removed when the test ends
        let dir = temporary.directory("text-blocks-bad")
        let filler = Array(repeating: Array("a line of some length\n".utf8), count: 100_000).flatMap { $0 }  // 2.2 MB
        for bad in [[UInt8(0x61), 0x00, 0x62], [0x61, 0xC3, 0x28], [0xFF]] {
            let path = dir + "/bad.txt"
            try Self.write(filler + bad + Array("\nafter\n".utf8), path)
            let whole = #expect(throws: (any Error).self) { try TextColumn.read(lines: path) }
            let streamed = #expect(throws: (any Error).self) { try TextBlocks(lines: path) }
            #expect("\(whole!)".contains("line 100001"), "\(whole!)")
            #expect("\(streamed!)" == "\(whole!)")
        }
        // A file that is not text at all: the same message as well.
        let path = dir + "/utf16.txt"
        try Self.write([0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00], path)
        let whole = #expect(throws: (any Error).self) { try TextColumn.read(lines: path) }
        let streamed = #expect(throws: (any Error).self) { try TextBlocks(lines: path) }
        #expect("\(streamed!)" == "\(whole!)")
        let missing = #expect(throws: (any Error).self) { try TextBlocks(lines: dir + "/none.txt") }
        #expect("\(missing!)".contains("none.txt"))
    }

    /// A file that gains or loses lines after it was counted is refused on
    /// the next pass, naming the count.
    @Test func aFileThatChangesBetweenPassesIsRefused() throws {
        let temporary = TemporaryPaths()  // removed when the test ends
        let dir = temporary.directory("text-blocks-change")
        let path = dir + "/t.txt"
        try Self.write(Array("a\nb\nc\n".utf8), path)
        let blocks = try TextBlocks(lines: path)
        #expect(try Self.pass(blocks, block: 2) == ["a", "b", "c"])
        try Self.write(Array("a\nb\n".utf8), path)
        let fewer = #expect(throws: InputError.self) { try Self.pass(blocks, block: 2) }
        #expect("\(fewer!)".contains("the 3 lines it held when it was first read") && "\(fewer!)".contains("found 2"), "\(fewer!)")
        try Self.write(Array("a\nb\nc\nd\n".utf8), path)
        let more = #expect(throws: InputError.self) { try Self.pass(blocks, block: 2) }
        #expect("\(more!)".contains("found more"), "\(more!)")
    }

    /// TF-IDF fitted a block at a time (blocks of 1, 7 and all) gives the
    /// embeddings of the fit on the texts held whole.
    @Test func theFitOverBlocksIsTheWholeFit() throws {
        let texts = TextColumn(source: "t", column: nil, texts: (0..<300).map { "text \($0 % 13) of many, word\($0 % 7) and \($0 % 29)" })
        for features in [1 << 20, 1 << 23] {
            var options = HashingVectorizer.Options()
            options.features = features
            let embedder = HashingEmbedder(vectorizer: HashingVectorizer(options: options), tfidf: true,
                                           projection: SparseRandomProjection(features: features, components: 16, seed: 5))
            func embed(_ idf: InverseDocumentFrequencies?) -> [Float] {
                var out = [Float](repeating: .nan, count: texts.count * 16)
                var span = out.mutableSpan
                embedder.embed(texts, range: 0..<texts.count, idf: idf, threads: 2, into: &span)
                return out
            }
            let whole = embed(embedder.fit(texts, threads: 2))
            for (size, threads) in [(1, 2), (7, 3), (300, 1)] {
                let blocked = try embedder.fit(TextBlocks(texts), threads: threads, blockTexts: size)
                #expect(embed(blocked) == whole, "features \(features), blocks of \(size)")
            }
        }
    }
}
