import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Inputs and outputs that testers found fragile (issue 13, parts 3–4),
/// end to end: file size limits without the SIGXFSZ trap, trailing slashes
/// and empty output names, endless or binary input, a standard output that
/// cannot be written, `--max-memory`'s values, zero-row Parquet, and stale
/// partials and locks of killed runs anywhere in the output's directory.
extension CommandLineTests {
    /// Runs `script` with `sh -c` in `dir`; `$S` is the synthctl binary.
    func shell(_ script: String, in dir: String) throws -> Result {
        try launch("/bin/sh", ["-c", "S='\(Self.binary)'; \(script)"], in: dir)
    }

    /// Writes a 300-row dataset `d` and a table `t.csv` into `dir`.
    func smallInputs(_ dir: String) throws {
        #expect(try run(["gen", "--rows", "300", "--out", "d"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
    }

    /// Every writer under `ulimit -f` with SIGXFSZ at its default action
    /// (which killed the process: exit 153, no message, `r.json.lock` and
    /// `r.json.partial-PID` left, as they were named then): one line naming the output, "file too
    /// large", exit 2, nothing left behind.
    @Test(arguments: [
        // (command, file size limit in 512-byte blocks, the message's start)
        ("score d --folds 2 --json r.json", 2, "r.json: write failed after "),
        ("score d --folds 2 --markdown r.md", 1, "r.md: write failed after "),
        ("score d --folds 2 --html r.html", 2, "r.html: write failed after "),
        ("score --table t.csv --folds 2 --issues i.csv", 2, "i.csv: write failed after "),
        ("fit t.csv --out m.json", 2, "m.safetensors: write failed after "),  // the tensors, written before the JSON that names them
        // No block at all: the lock file's PID (`<pid> synthctl`) is the first write.
        ("fit t.csv --out - --json f.json > /dev/null", 0, "f.json: cannot write the output (cannot write its lock file f.json.synthctl-lock: file too large)"),
        ("gen --rows 20 --format csv --out - --manifest g.json > /dev/null", 2, "g.json: write failed after "),
        ("gen --rows 3000 --out g", 2, "g/features.npy: write failed after "),
        ("gen --rows 3000 --format jsonl --out g.jsonl", 2, "g.jsonl: write failed after "),
        ("score d --folds 2 --json - > out.json", 2, "-: write failed after "),
        ("compare --human t.csv --synthetic d --json c.json", 2, "c.json: write failed after "),
    ])
    func aFileSizeLimitIsOneLineWithoutTheSignalTrap(command: String, blocks: Int, message: String) throws {
        let inputs = tempDir()
        try smallInputs(inputs)
        let dir = tempDir()
        let script = command.replacingOccurrences(of: " d ", with: " '\(inputs)/d' ")
            .replacingOccurrences(of: "t.csv", with: "'\(inputs)/t.csv'")
        let r = try shell("ulimit -f \(blocks) && exec $S \(script)", in: dir)
        #expect(r.code == 2, "\(r.code) \(r.stderr)")
        // With `--json -` the summary is on standard error too; the error is its last line, and the only one.
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.last?.hasPrefix("synthctl: error: \(message)") == true, "\(r.stderr)")
        #expect((r.stderr.hasSuffix(" bytes (file too large)\n") || r.stderr.hasSuffix("lock: file too large)\n")) && lines.filter { $0.hasPrefix("synthctl:") }.count == 1, "\(r.stderr)")
        if !command.contains(" - ") { #expect(lines.count == 1, "\(r.stderr)") }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "out.json" }
        #expect(left.isEmpty, "\(left)")
    }

    /// `--out fresh/` is the directory `fresh` (it failed on `fresh/.lock`;
    /// with --force, `ds2/` generated everything, then failed on a rename
    /// into itself); `.` and `..` are refused, before any work.
    @Test func aDirectoryTargetsTrailingSlashIsDropped() throws {
        let dir = tempDir()
        let fresh = try run(["gen", "--rows", "50", "--out", "fresh/"], in: dir)
        #expect(fresh.code == 0, "\(fresh.stderr)")
        #expect(fresh.stdout.hasPrefix("wrote fresh: 50 rows"))
        let again = try run(["gen", "--rows", "60", "--out", "fresh//", "--force"], in: dir)
        #expect(again.code == 0, "\(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["fresh"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/fresh").sorted()
                == ["README.md", "annotations.npy", "croissant.json", "features.npy", "labels.npy", "manifest.json", "noise_mask.npy", "true_labels.npy"])
        let manifest = try String(contentsOfFile: "\(dir)/fresh/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"rows\": 60"))
        for (out, last) in [("fresh/.", "."), ("fresh/..", ".."), (".", "."), ("fresh/./", ".")] {
            let r = try run(["gen", "--rows", "50", "--out", out, "--force"], in: dir)
            #expect(r.code == 2)
            #expect(r.stderr == "synthctl: error: --out \(out): expected a name for the dataset directory, found \"\(last)\", which names an existing directory\n", "\(r.stderr)")
        }
        let root = try run(["gen", "--rows", "50", "--out", "/", "--force"], in: dir)
        #expect(root.code == 2 && root.stderr == "synthctl: error: --out /: expected a name for the dataset directory, found the root directory\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["fresh"])
    }

    /// Every output's name is checked before any work, naming the option:
    /// an empty path or a file name ending in `/` (the input here does not
    /// exist, so a message about it would mean the work had started).
    @Test(arguments: [
        (["score", "missing", "--json", ""], "--json: expected a file name, found an empty path"),
        (["score", "missing", "--markdown", ""], "--markdown: expected a file name, found an empty path"),
        (["score", "--table", "missing.csv", "--issues", ""], "--issues: expected a file name, found an empty path"),
        (["compare", "--human", "missing", "--synthetic", "missing2", "--html", ""], "--html: expected a file name, found an empty path"),
        (["fit", "missing.csv", "--out", ""], "--out: expected a file name, found an empty path"),
        (["fit", "missing.csv", "--out", "m.json", "--json", "newdir/"], "--json newdir/: expected a file name, found a directory name (it ends in /)"),
        (["score", "missing", "--json", "newdir/"], "--json newdir/: expected a file name, found a directory name (it ends in /)"),
        (["score", "missing", "--json", "sub/.."], "--json sub/..: expected a file name, found \"..\", which names an existing directory"),
        (["gen", "--spec", "missing.json", "--out", ""], "--out: expected a name for the dataset directory, found an empty path"),
        (["gen", "--spec", "missing.json", "--format", "csv", "--out", "t/"], "--out t/: expected a file name, found a directory name (it ends in /)"),
        (["gen", "--spec", "missing.json", "--format", "csv", "--out", "-", "--manifest", ""], "--manifest: expected a file name, found an empty path"),
        (["limits", "--human", "missing", "--synthetic", "missing2", "--json", ""], "--json: expected a file name, found an empty path"),
        (["collapse", "--human", "missing", "--json", "x/"], "--json x/: expected a file name, found a directory name (it ends in /)"),
    ])
    func outputNamesAreCheckedBeforeAnyWork(args: [String], message: String) throws {
        let dir = tempDir()
        let r = try run(args, in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: \(message)\n", "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// Binary or endless input: a text input (table, spec, answers, gold)
    /// is refused at its first block holding a NUL byte; a stream without
    /// one stops at the memory budget (`/dev/zero` grew 1 GB/s before).
    @Test func endlessAndBinaryInputsStopEarly() throws {
        let dir = tempDir()
        let nul = "synthctl: error: /dev/zero: line 1: expected text, found a NUL byte\n"
        for args in [["score", "--table", "/dev/zero"], ["gen", "--spec", "/dev/zero", "--out", "d"],
                     ["score", "--answers", "/dev/zero"], ["fit", "/dev/zero", "--input-format", "jsonl", "--out", "m.json"],
                     ["gen", "--model", "/dev/zero", "--out", "d"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 2 && r.stderr == nul, "\(args): \(r.stderr)")
        }
        // A regular file: the line of the first NUL byte (lines end in \n, \r\n or \r).
        try Data("item,worker,label\r\n1,a,x\r2,b,y\n3,c,z\0\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/a.csv"))
        let answers = try run(["score", "--answers", "a.csv"], in: dir)
        #expect(answers.code == 2 && answers.stderr == "synthctl: error: a.csv: line 4: expected text, found a NUL byte\n", "\(answers.stderr)")
        try Data("item,worker,label\n1,a,x\n1,b,y\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/ok.csv"))
        try Data("item,truth\n\01,x\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/g.csv"))
        let gold = try run(["score", "--answers", "ok.csv", "--gold", "g.csv"], in: dir)
        #expect(gold.code == 2 && gold.stderr == "synthctl: error: g.csv: line 2: expected text, found a NUL byte\n", "\(gold.stderr)")
        // Parquet is binary: its NUL bytes are data.
        // Endless text on a pipe: refused at the budget, naming standard input.
        for command in ["yes | $S score --table - --max-memory 16M", "yes | $S gen --spec - --max-memory 16M --out d"] {
            let r = try shell(command, in: dir)
            #expect(r.code == 2, "\(r.stderr)")
            #expect(r.stderr == "synthctl: error: -: expected a run within the memory limit of 16.0 MiB, found an estimate of 24.0 MiB for a stream of unknown length, read whole (8.0 MiB so far, held three times over while its buffer doubles) (--max-memory sets the limit)\n", "\(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["a.csv", "g.csv", "ok.csv"])
    }

    /// A summary that standard output refuses is one line and exit 2, not
    /// exit 0 with the summary lost; a closed standard output never lets a
    /// file opened later receive it; standard error on a full disk does not trap.
    @Test func aStandardOutputThatCannotBeWrittenIsReported() throws {
        let dir = tempDir()
        try smallInputs(dir)
        let full = try shell("exec $S score d --folds 2 > /dev/full", in: dir)
        #expect(full.code == 2)
        #expect(full.stderr == "synthctl: error: standard output: cannot write the summary (no space left on device)\n", "\(full.stderr)")
        let closed = try shell("exec $S score d --folds 2 --json r.json >&-", in: dir)
        #expect(closed.code == 2)
        #expect(closed.stderr == "synthctl: error: standard output: cannot write the summary (standard output is closed)\n", "\(closed.stderr)")
        // The report was written whole, and is JSON: the summary did not land in it.
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/r.json")))
        #expect(report is [String: Any])
        let gen = try shell("exec $S gen --rows 30 --out g >&-", in: dir)
        #expect(gen.code == 2 && gen.stderr.hasSuffix("(standard output is closed)\n"))
        #expect(try String(contentsOfFile: "\(dir)/g/README.md", encoding: .utf8).contains("\n---\n# Synthetic dataset"))  // after the card's YAML header
        // A gate that fails with its summary lost: the lost summary is the error.
        let gate = try shell("exec $S score d --folds 2 --min-health 1 > /dev/full", in: dir)
        #expect(gate.code == 2 && gate.stderr.hasSuffix("synthctl: error: standard output: cannot write the summary (no space left on device)\n"), "\(gate.stderr)")
        // Standard error on a full disk: the exit code still says what happened.
        let quiet = try shell("exec $S gen --rows -5 2> /dev/full", in: dir)
        #expect(quiet.code == 2)
        let fine = try shell("exec $S score d --folds 2 > /dev/null", in: dir)
        #expect(fine.code == 0 && fine.stderr.isEmpty)
        #expect(leftovers(dir).isEmpty)
    }

    /// `--max-memory` takes sizes as every range option takes values.
    @Test func maxMemoryValuesAreCheckedAsAnOptionRange() throws {
        let dir = tempDir()
        let expected = "a size in [1, 9223372036854775807] bytes, such as 64G, 512M or 1000000 (units K, M, G, T, P: powers of 1024)"
        for (value, shown) in [("-1", "-1"), ("-0", "-0"), (" 5", "\" 5\""), ("5 ", "\"5 \""), ("9223372036854775808", "9223372036854775808"),
                               ("8E", "8E"), ("0", "0"), ("lots", "lots"), ("", "\"\"")] {
            let r = try run(["gen", "--rows", "20", "--out", "d", "--max-memory", value], in: dir)
            #expect(r.code == 2)
            #expect(r.stderr == "synthctl: error: --max-memory: expected \(expected), found \(shown)\n", "\(value): \(r.stderr)")
        }
        let most = try run(["gen", "--rows", "20", "--out", "d", "--max-memory", "9223372036854775807"], in: dir)
        #expect(most.code == 0, "\(most.stderr)")
        // A model file above the limit: the budget's message, not "cannot read".
        #expect(try run(["fit", "d", "--out", "m.json"], in: dir).code == 0)
        let model = try run(["gen", "--model", "m.json", "--max-memory", "1", "--out", "e"], in: dir)
        #expect(model.code == 2)
        #expect(model.stderr.hasPrefix("synthctl: error: m.json: expected a run within the memory limit of 1 B, found an estimate of "), "\(model.stderr)")
        #expect(model.stderr.hasSuffix(" for the file's bytes (--max-memory sets the limit)\n"), "\(model.stderr)")
    }

    @Test func aParquetFileWithNoRowsSaysSo() throws {
        let dir = tempDir()
        let write = try launch("/usr/bin/env", ["python3", "-c", "import pandas as pd; pd.DataFrame({'a': [], 'label': []}).to_parquet('e.parquet')"], in: dir)
        #expect(write.code == 0, "\(write.stderr)")
        let r = try run(["score", "--table", "e.parquet"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: e.parquet: expected at least one row, found none (a schema of 2 columns and no rows)\n", "\(r.stderr)")
    }

    /// After `kill -9` of `gen --out k9`, `k9.synthctl-partial-PID` and
    /// `k9.synthctl-lock` stayed until someone wrote `k9` again: any run
    /// writing into the directory removes the stale partials and locks of
    /// dead runs there — only synthctl's markers, only dead PIDs (what
    /// earlier versions named `.partial-PID` and `.lock` is left alone:
    /// those names are other people's too).
    @Test func aRunSweepsItsDirectoryOfDeadRunsPartialsAndLocks() throws {
        let dir = tempDir()
        try smallInputs(dir)
        let dead = try OutputSafetyProbe.deadPID()
        let fm = FileManager.default
        try fm.createDirectory(atPath: "\(dir)/k9.synthctl-partial-\(dead)", withIntermediateDirectories: false)
        try Data(count: 4096).write(to: URL(fileURLWithPath: "\(dir)/k9.synthctl-partial-\(dead)/features.npy"))
        try "\(dead) synthctl\n".write(toFile: "\(dir)/k9.synthctl-lock", atomically: true, encoding: .utf8)
        try "junk".write(toFile: "\(dir)/r.json.synthctl-partial-\(dead)", atomically: true, encoding: .utf8)
        // Not synthctl's, or not dead: kept.
        try "1 synthctl\n".write(toFile: "\(dir)/live.synthctl-lock", atomically: true, encoding: .utf8)
        try "junk".write(toFile: "\(dir)/live.synthctl-partial-1", atomically: true, encoding: .utf8)
        try "# yarn lockfile v1\n".write(toFile: "\(dir)/yarn.lock", atomically: true, encoding: .utf8)
        try "\(dead)\n".write(toFile: "\(dir)/pid.synthctl-lock", atomically: true, encoding: .utf8)
        try "junk".write(toFile: "\(dir)/notes.old-\(dead)", atomically: true, encoding: .utf8)
        try "\(dead) synthctl\n".write(toFile: "\(dir)/old.lock", atomically: true, encoding: .utf8)
        try "junk".write(toFile: "\(dir)/old.partial-\(dead)", atomically: true, encoding: .utf8)
        // A partial directory holding a file synthctl never writes: kept whole.
        try fm.createDirectory(atPath: "\(dir)/mixed.synthctl-partial-\(dead)", withIntermediateDirectories: false)
        try "x".write(toFile: "\(dir)/mixed.synthctl-partial-\(dead)/features.npy", atomically: true, encoding: .utf8)
        try "x".write(toFile: "\(dir)/mixed.synthctl-partial-\(dead)/img.jpg", atomically: true, encoding: .utf8)
        // Held by a live process (this one), though its PID is dead, as a run
        // on another machine sharing the directory holds it: the lock and the
        // target's partial are kept.
        let held = open("\(dir)/held.synthctl-lock", O_RDWR | O_CREAT, 0o644)
        #expect(held >= 0 && flock(held, LOCK_EX | LOCK_NB) == 0)
        _ = "\(dead) synthctl\n".withCString { Glibc.write(held, $0, strlen($0)) }
        defer { close(held) }
        try "junk".write(toFile: "\(dir)/held.synthctl-partial-\(dead)", atomically: true, encoding: .utf8)
        try "junk".write(toFile: "\(dir)/held.manifest.json.synthctl-partial-\(dead)", atomically: true, encoding: .utf8)
        let r = try run(["score", "d", "--folds", "2", "--markdown", "report.md"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(try fm.contentsOfDirectory(atPath: dir).sorted()
                == ["d", "held.manifest.json.synthctl-partial-\(dead)", "held.synthctl-lock", "held.synthctl-partial-\(dead)",
                    "live.synthctl-lock", "live.synthctl-partial-1", "mixed.synthctl-partial-\(dead)", "notes.old-\(dead)",
                    "old.lock", "old.partial-\(dead)", "pid.synthctl-lock", "report.md", "t.csv", "t.csv.manifest.json", "yarn.lock"])
        #expect(try fm.contentsOfDirectory(atPath: "\(dir)/mixed.synthctl-partial-\(dead)").sorted() == ["features.npy", "img.jpg"])
    }
}

/// A PID that belonged to a process that has exited.
enum OutputSafetyProbe {
    static func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }
}
