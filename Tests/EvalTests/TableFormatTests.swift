import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import Eval
import Synth
@testable import SynthctlCore

/// How a table's format is decided when its name does not tell, and
/// reading inputs that are pipes.
@Suite struct TableFormatTests {
    @Test(arguments: [
        ("t.csv", "{\"a\": 1}\n", TableFormat.csv),           // a known extension decides
        ("t.JSONL", "a,b\n", .jsonl),
        ("t.ndjson", "a,b\n", .jsonl),
        ("t.pq", "a,b\n", .parquet),
        ("-", "PAR1\u{0}\u{0}", .parquet),
        ("-", "{\"a\": 1}\n", .jsonl),
        ("/dev/fd/63", " \r\n\t{\"a\": 1}\n", .jsonl),        // white space before the object
        ("rows.txt", "\u{FEFF}{\"a\": 1}\n", .jsonl),          // a byte-order mark first
        ("-", "a,b\n1,2\n", .csv),
        ("-", "", .csv),
        ("-", "[1, 2]\n", .csv),
    ])
    func formatByExtensionElseByContent(path: String, text: String, expected: TableFormat) {
        #expect(TableFormat.of(path, bytes: Array(text.utf8)) == expected)
    }

    /// `--input-format` decides over any name (JSON Lines saved as `t.csv`),
    /// except that Parquet's magic is Parquet whatever it says: a run's
    /// `--input-format csv` for standard input leaves its `.parquet` file alone.
    @Test func anExplicitFormatDecidesOverTheName() {
        #expect(TableFormat.of("-", bytes: Array("{}".utf8), explicit: .csv) == .csv)
        #expect(TableFormat.of("t.csv", bytes: Array("{}".utf8), explicit: .jsonl) == .jsonl)
        #expect(TableFormat.of("t.parquet", bytes: Array("{}".utf8), explicit: .csv) == .csv)
        #expect(TableFormat.of("t.parquet", bytes: Array("PAR1".utf8), explicit: .csv) == .parquet)
        #expect(TableFormat.of("t.csv", bytes: Array("PAR1".utf8), explicit: .jsonl) == .parquet)
        #expect(TableFormat.of("t.csv", bytes: Array("a,b".utf8), explicit: .parquet) == .parquet)
    }

    @Test func aPipeIsReadToItsEnd() throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        // More than a pipe's buffer, so that reading and writing interleave.
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let writeEnd = ends[1]
        Thread.detachNewThread {
            payload.withUnsafeBytes { bytes in
                var done = 0
                while done < bytes.count {
                    let n = Glibc.write(writeEnd, bytes.baseAddress! + done, bytes.count - done)
                    if n <= 0 { break }
                    done += n
                }
            }
            close(writeEnd)
        }
        let read = try InputFile.read("/dev/fd/\(ends[0])")
        close(ends[0])
        #expect(read == payload)
        #expect(throws: InputFile.Failure.missing) { _ = try InputFile.read("/nonexistent/t.csv") }
        #expect(throws: InputFile.Failure.directory) { _ = try InputFile.read("/tmp") }
        #expect(InputFile.message("/tmp", .directory) == "/tmp: expected a readable file, found a directory")
    }
}
