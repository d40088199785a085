import Testing
import Foundation

/// Every table through standard input, compressed text, `--delimiter` and
/// the answers' column options, end to end (issue 15).
extension CommandLineTests {
    static var textFixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EvalTests/Fixtures/text_tables").path
    }

    @Test func everyWritersTableScoresFromStandardInput() throws {
        let dir = tempDir()
        let f = Self.textFixtures
        for name in ["crowd.csv", "crowd.jsonl", "crowd.parquet"] {
            let r = try run(["score", "--answers", "-"], input: FileManager.default.contents(atPath: "\(f)/\(name)"), in: dir)
            #expect(r.code == 0, "\(name): \(r.stderr)")
            #expect(r.stdout.hasPrefix("answers: 11 from 3 annotators on 4 items, 3 classes"), "\(name)")
        }
        // TSV has no magic: --input-format says it.
        let tsv = try run(["score", "--answers", "-", "--input-format", "tsv"], input: FileManager.default.contents(atPath: "\(f)/crowd.tsv"), in: dir)
        #expect(tsv.code == 0, "\(tsv.stderr)")
        let fromFile = try run(["score", "--table", "\(f)/pandas_gzip.csv.gz", "--folds", "2"], in: dir)
        #expect(fromFile.code == 0, "\(fromFile.stderr)")
        for (name, extra) in [("pandas_gzip.csv.gz", [String]()), ("duckdb.csv.gz", []), ("pandas_bom.csv", []), ("polars.csv", []),
                              ("hf_datasets.jsonl", []), ("pandas_semicolon.csv", ["--delimiter", ";"]),
                              ("pandas_gzip.tsv.gz", ["--delimiter", "\\t"])] {
            let r = try run(["score", "--table", "-", "--folds", "2"] + extra, input: FileManager.default.contents(atPath: "\(f)/\(name)"), in: dir)
            #expect(r.code == 0, "\(name): \(r.stderr)")
            #expect(r.stdout == fromFile.stdout, "\(name)")
        }
        // Gold from standard input, with its columns named.
        try Data("task,answer_key\nt1,a\nt2,b\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/g.csv"))
        let gold = try run(["score", "--answers", "\(f)/crowd.csv", "--gold", "-", "--truth-column", "answer_key"],
                           input: FileManager.default.contents(atPath: "\(dir)/g.csv"), in: dir)
        #expect(gold.code == 0, "\(gold.stderr)")
    }

    @Test func delimiterAndAnswerColumnsAreCheckedInOneLine() throws {
        let dir = tempDir()
        let f = Self.textFixtures
        try Data("q;who;said\nt1;w1;a\nt1;w2;b\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/a.tsv"))
        // --delimiter overrides the .tsv's tab; the named columns are found.
        let ok = try run(["score", "--answers", "a.tsv", "--delimiter", ";", "--item-column", "q", "--worker-column", "who", "--label-column", "said"], in: dir)
        #expect(ok.code == 0, "\(ok.stderr)")
        let cases: [([String], String)] = [
            (["score", "--answers", "\(f)/crowd.csv", "--worker-column", "rater"],
             "\(f)/crowd.csv: line 1: expected a column named \"rater\" for the worker ids, found columns task, worker, label (3 columns)"),
            (["score", "--table", "\(f)/polars.csv", "--delimiter", "ab"],
             "--delimiter: expected one ASCII character other than a digit, a quote or a line end (or tab), found \"ab\""),
            (["score", "--table", "\(f)/polars.csv", "--item-column", "q"], "--item-column names a column of --answers"),
        ]
        for (args, message) in cases {
            let r = try run(args, in: dir)
            #expect(r.code == 2, "\(args)")
            #expect(r.stderr.hasPrefix("synthctl: error: \(message)"), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 || r.stderr.contains("Usage"), "\(args): \(r.stderr)")
        }
        // A decompression bomb stops at the memory limit, in one line.
        let bomb = try python("""
        import gzip
        open('\(dir)/bomb.csv.gz', 'wb').write(gzip.compress(b'a,label\\n' + b'1,2\\n' * (40 << 20)))
        """)
        #expect(bomb.code == 0, "\(bomb.stderr)")
        let r = try run(["score", "--table", "bomb.csv.gz", "--max-memory", "64M"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr.hasPrefix("synthctl: error: bomb.csv.gz: expected a run within the memory limit of 64.0 MiB"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
