import Testing
import Foundation

/// JSON Lines read in pieces, end to end: from a pipe as from the file,
/// and a line longer than the memory limit allows refused in one line
/// naming the file and the line.
extension CommandLineTests {
    @Test func jsonLinesFromAPipeScoreAsTheFile() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "400", "--format", "jsonl", "--out", "t.jsonl"], in: dir).code == 0)
        let file = try run(["score", "--table", "t.jsonl", "--folds", "2", "--json", "-"], in: dir)
        let piped = try shell("cat t.jsonl | $S score --table - --folds 2 --json -", in: dir)
        let gzipped = try shell("gzip -c t.jsonl | $S score --table - --folds 2 --json -", in: dir)
        #expect(file.code == 0 && piped.code == 0 && gzipped.code == 0, "\(piped.stderr) \(gzipped.stderr)")
        // The reports name their input: compare them with the name made equal.
        #expect(piped.stdout.replacingOccurrences(of: "\"-\"", with: "\"t.jsonl\"") == file.stdout)
        #expect(gzipped.stdout == piped.stdout)
    }

    @Test func aJSONLinesLineLongerThanTheMemoryLimitIsOneLine() throws {
        let dir = tempDir()
        let line = "{\"a\": 1, \"label\": \"x\"}\n{\"a\": \"" + String(repeating: "y", count: 20 << 20) + "\", \"label\": \"x\"}\n"
        try Data(line.utf8).write(to: URL(fileURLWithPath: "\(dir)/long.jsonl"))
        let r = try run(["score", "--table", "long.jsonl", "--max-memory", "16M"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: long.jsonl: expected a run within the memory limit of 16.0 MiB, found an estimate of 24.0 MiB for line 2, longer than 8.0 MiB (its buffer doubling, the old one held beside the new) (--max-memory sets the limit)\n", "\(r.stderr)")
    }
}
