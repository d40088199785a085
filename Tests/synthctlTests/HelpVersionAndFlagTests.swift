import Testing
import Foundation

/// The testers' third round (issue 13) on texts the command line prints
/// itself: `--help` and `--version` whose write fails, and `--flip-rate`
/// with a generator that has no classes.
extension CommandLineTests {
    /// `--help > /dev/full` exited 0 having printed nothing: now the lost
    /// text is one line and exit 2, as for a summary; written, it is the
    /// same text as before, with exit 0.
    @Test func helpAndVersionThatCannotBeWrittenAreReported() throws {
        let dir = tempDir()
        let helpLost = "synthctl: error: standard output: cannot write the help text (no space left on device)\n"
        for (args, lost) in [("--help", helpLost), ("gen --help", helpLost), ("help gen", helpLost), ("", helpLost),
                             ("--version", "synthctl: error: standard output: cannot write the version (no space left on device)\n")] {
            let full = try shell("exec $S \(args) > /dev/full", in: dir)
            #expect(full.code == 2, "\(args)")
            #expect(full.stderr == lost, "\(args): \(full.stderr)")
            let closed = try shell("exec $S \(args) >&-", in: dir)
            #expect(closed.code == 2, "\(args)")
            #expect(closed.stderr.hasSuffix("(standard output is closed)\n"), "\(args): \(closed.stderr)")
        }
        let version = try run(["--version"])
        #expect(version.code == 0 && version.stderr.isEmpty)
        #expect(version.stdout.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+\n$"#, options: .regularExpression) != nil, "\(version.stdout)")
        let help = try run(["gen", "--help"])
        #expect(help.code == 0 && help.stderr.isEmpty)
        #expect(help.stdout.hasPrefix("OVERVIEW: Generate a labeled dataset with known ground truth.") && help.stdout.contains("--flip-rate"))
        #expect(try run(["help", "gen"]).stdout == help.stdout)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// `gen --generator regression --flip-rate 0.1` printed "left out the
    /// noise … section" and then "found a noise section": one message now,
    /// about the flag, whether the classless generator comes from
    /// `--generator` or from the spec; a classifier still takes the flag.
    @Test func flipRateWithAClasslessGeneratorIsOneMessage() throws {
        let dir = tempDir()
        try "rows: 10\ngenerator:\n  type: regression\n".write(toFile: "\(dir)/r.yaml", atomically: false, encoding: .utf8)
        for (args, type) in [(["--generator", "regression"], "regression"), (["--generator", "multilabel"], "multilabel"),
                             (["--preset", "default", "--generator", "regression"], "regression"), (["--spec", "r.yaml"], "regression")] {
            let r = try run(["gen", "--rows", "10", "--out", "x", "--flip-rate", "0.1"] + args, in: dir)
            #expect(r.code == 2, "\(args)")
            #expect(r.stderr == "synthctl: error: --flip-rate 0.1: expected a generator with class labels, found the \(type) generator (a \(type) dataset has no class labels to flip; leave out --flip-rate)\n", "\(args): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/x"))
        // A classifier in place of the spec's regression takes the flag, and flips about that share.
        let ok = try run(["gen", "--spec", "r.yaml", "--generator", "classification", "--rows", "4000", "--flip-rate", "0.25", "--out", "c"], in: dir)
        #expect(ok.code == 0, "\(ok.stderr)")
        let check = try python("""
        import numpy as np
        y = np.load('\(dir)/c/labels.npy'); t = np.load('\(dir)/c/true_labels.npy')
        print((y != t).mean())
        """)
        let share = Double(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        // Binomial(4000, 0.25): standard deviation sqrt(0.25·0.75/4000) ≈ 0.0068; six of them.
        #expect(abs(share - 0.25) < 6 * (0.25 * 0.75 / 4000).squareRoot(), "\(check.stdout) \(check.stderr)")
    }
}
