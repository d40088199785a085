import Testing
import Foundation

extension CommandLineTests {
    static let sparkFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("EvalTests/Fixtures/spark").path

    /// A labeled table Spark wrote is scored and compared as any Parquet
    /// table; the same rows as a directory of parts (with Spark's `_SUCCESS`
    /// and `.crc` files) give the same report, with a note on the parts read.
    @Test func sparkTableAndItsPartsScoreAlike() throws {
        let dir = tempDir()
        let table = "\(Self.sparkFixtures)/labeled.parquet"
        let split = try python("""
            import pyarrow.parquet as pq
            t = pq.read_table('\(table)')
            pq.write_table(t.slice(0, 25), '\(dir)/parts/part-00000-x-c000.snappy.parquet', compression='snappy')
            pq.write_table(t.slice(25), '\(dir)/parts/part-00001-x-c000.snappy.parquet', compression='snappy')
            open('\(dir)/parts/_SUCCESS', 'w').close()
            open('\(dir)/parts/.part-00000-x-c000.snappy.parquet.crc', 'w').write('junk')
            """.replacingOccurrences(of: "import pyarrow.parquet as pq", with: "import os, pyarrow.parquet as pq\nos.makedirs('\(dir)/parts')"))
        #expect(split.code == 0, "\(split.stderr)")
        let one = try run(["score", "--table", table, "--label-column", "label", "--json", "one.json"], in: dir)
        #expect(one.code == 0, "\(one.stderr)")
        #expect(one.stdout.contains("labels: 60 rows, 2 classes"))
        let parts = try run(["score", "--table", "parts", "--label-column", "label", "--json", "parts.json"], in: dir)
        #expect(parts.code == 0, "\(parts.stderr)")
        let note = "note: parts: 2 Parquet parts read as one table\n"
        #expect(parts.stdout.hasPrefix(note), "\(parts.stdout)")
        #expect(parts.stdout.dropFirst(note.count) == one.stdout[...])
        let compare = try run(["compare", "--human", table, "--synthetic", "parts"], in: dir)
        #expect(compare.code == 0, "\(compare.stderr)")
        #expect(compare.stdout.contains("Synthetic parts (60 rows) against human \(table)"))
        let truncated = try python("open('\(dir)/parts/part-00001-x-c000.snappy.parquet', 'r+b').truncate(100)")
        #expect(truncated.code == 0)
        let cut = try run(["score", "--table", "parts", "--label-column", "label"], in: dir)
        #expect(cut.code == 2)
        #expect(cut.stderr.hasPrefix("synthctl: error: parts/part-00001-x-c000.snappy.parquet: "), "\(cut.stderr)")
        #expect(cut.stderr.split(separator: "\n").count == 1, "\(cut.stderr)")
    }
}

extension CommandLineTests {
    /// `--answers` names a directory of parts (crowd-kit's layout split in two) as one table.
    @Test func answersInADirectoryOfPartsScoreAsOneTable() throws {
        let dir = tempDir()
        let crowd = URL(fileURLWithPath: Self.sparkFixtures).deletingLastPathComponent().appendingPathComponent("text_tables/crowd.parquet").path
        let split = try python("""
            import os, pyarrow.parquet as pq
            t = pq.read_table('\(crowd)')
            os.makedirs('\(dir)/answers')
            pq.write_table(t.slice(0, 5), '\(dir)/answers/part-0.parquet')
            pq.write_table(t.slice(5), '\(dir)/answers/part-1.parquet')
            """)
        #expect(split.code == 0, "\(split.stderr)")
        let args = ["--item-column", "task", "--worker-column", "worker"]
        let one = try run(["score", "--answers", crowd] + args, in: dir)
        let parts = try run(["score", "--answers", "answers"] + args, in: dir)
        #expect(one.code == 0 && parts.code == 0, "\(parts.stderr)")
        #expect(parts.stdout == one.stdout)
        #expect(parts.stdout.hasPrefix("answers: 11 from 3 annotators on 4 items"))
    }
}
