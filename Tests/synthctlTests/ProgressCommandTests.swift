import Testing
import Foundation

/// Progress bars: on a terminal's standard error only, never under
/// `--quiet`, never in a pipe (every other test reads standard error from a
/// pipe and sees none).
extension CommandLineTests {
    @Test func progressShowsOnATerminalUnlessQuiet() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "2000", "--format", "csv", "--out", "h.csv"], in: dir).code == 0)
        // util-linux script(1) gives the command a terminal for its output.
        func onTerminal(_ extra: [String]) throws -> (Result, Double) {
            let command = ([Self.binary, "collapse", "--human", "h.csv", "--generations", "1000"] + extra).joined(separator: " ")
            let started = Date()
            let r = try launch("/usr/bin/script", ["-qec", command, "/dev/null"], in: dir)
            return (r, Date().timeIntervalSince(started))
        }
        let (quiet, _) = try onTerminal(["--quiet"])
        #expect(quiet.code == 0 && quiet.stdout.contains("1000 generations") && !quiet.stdout.contains("collapse: generations"))
        let (shown, seconds) = try onTerminal([])
        #expect(shown.code == 0, "\(shown.stdout)")
        // The bar appears once the work has run for a second; a machine fast
        // enough to finish sooner shows none, correctly.
        if seconds > 2 { #expect(shown.stdout.contains("collapse: generations ") && shown.stdout.contains("100.0%")) }
        // The bar line is cleared before the summary; with a pipe there is none.
        let piped = try run(["collapse", "--human", "h.csv", "--generations", "1000"], in: dir)
        #expect(piped.code == 0 && piped.stderr.isEmpty)
    }

    /// Reading a table reports through the bar, which stays silent when
    /// standard error is a pipe: the same output as `--quiet`, nothing on
    /// standard error, for every format and every command that reads a table.
    @Test func readingATableIsSilentInAPipe() throws {
        let dir = tempDir()
        for format in ["csv", "jsonl", "parquet"] {
            #expect(try run(["gen", "--rows", "400", "--format", format, "--out", "h.\(format)"], in: dir).code == 0)
            for command in [["score", "--table", "h.\(format)"], ["collapse", "--human", "h.\(format)", "--generations", "2"],
                            ["compare", "--human", "h.\(format)", "--synthetic", "h.\(format)"]] {
                let piped = try run(command, in: dir)
                let quiet = try run(command + ["--quiet"], in: dir)
                #expect(piped.stderr.isEmpty && piped.code == quiet.code && piped.stdout == quiet.stdout, "\(command): \(piped.stderr)")
            }
        }
    }
}
