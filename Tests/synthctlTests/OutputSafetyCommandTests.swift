import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Nothing clobbered, nothing left half-done, end to end: links and devices,
/// --force for every file a command writes, outputs that are inputs, two
/// runs on one target, signals, and partials that killed runs left behind.
extension CommandLineTests {
    @Test func linksDevicesAndFIFOsAreRefusedEvenWithForce() throws {
        let dir = tempDir()
        try "precious".write(toFile: "\(dir)/target.json", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/link.json", withDestinationPath: "target.json")
        #expect(mkfifo("\(dir)/fifo", 0o644) == 0)
        let answers = "\(Self.crowd)/dog/label.csv"
        let cases: [([String], String, String)] = [
            (["gen", "--format", "jsonl", "--out", "/dev/stdout", "--force"], "/dev/stdout", "a symbolic link"),
            (["score", "--answers", answers, "--json", "link.json", "--force"], "link.json", "a symbolic link"),
            (["score", "--answers", answers, "--markdown", "/dev/null", "--force"], "/dev/null", "a character device"),
            (["score", "--answers", answers, "--html", "fifo", "--force"], "fifo", "a FIFO"),
            (["gen", "--format", "csv", "--out", "link.json", "--force"], "link.json", "a symbolic link"),
        ]
        for (args, path, kind) in cases {
            let r = try run(args, in: dir)
            #expect(r.code == 2)
            #expect(r.stderr == "synthctl: error: \(path): expected a new name or a regular file to write, found \(kind); synthctl never replaces links, devices or FIFOs, even with --force (- writes to standard output)\n")
        }
        var status = stat()
        #expect(lstat("/dev/stdout", &status) == 0 && status.st_mode & S_IFMT == S_IFLNK)
        #expect(lstat("\(dir)/link.json", &status) == 0 && status.st_mode & S_IFMT == S_IFLNK)
        #expect(try String(contentsOfFile: "\(dir)/target.json", encoding: .utf8) == "precious")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["fifo", "link.json", "target.json"])
    }

    /// Every file a command writes follows the --force rule, checked before
    /// any work; an existing manifest without its table counts too.
    @Test(arguments: [
        (["score", "--answers", "A", "--json", "old"], "old"),
        (["score", "--table", "t.csv", "--issues", "old"], "old"),
        (["score", "--answers", "A", "--markdown", "old"], "old"),
        (["score", "--answers", "A", "--html", "old"], "old"),
        (["compare", "--human", "t.csv", "--synthetic", "t2.csv", "--json", "old"], "old"),
        (["limits", "--human", "t.csv", "--synthetic", "t2.csv", "--json", "old"], "old"),
        (["collapse", "--human", "t.csv", "--json", "old"], "old"),
        (["fit", "t.csv", "--out", "old"], "old"),
        (["fit", "t.csv", "--out", "m.json", "--json", "old"], "old"),
        (["gen", "--format", "csv", "--out", "x.csv"], "x.csv.manifest.json"),
        (["gen", "--format", "csv", "--out", "-", "--manifest", "old"], "old"),
        (["gen", "--out", "old"], "old"),
    ])
    func existingOutputsNeedForce(args: [String], existing: String) throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "300", "--seed", "2", "--format", "csv", "--out", "t2.csv"], in: dir).code == 0)
        if existing == "old" && args.first == "gen" && !args.contains("-") {
            #expect(try run(["gen", "--rows", "20", "--out", "old"], in: dir).code == 0)
        } else {
            try "precious".write(toFile: "\(dir)/\(existing)", atomically: true, encoding: .utf8)
        }
        let before = contents(dir, existing) ?? contents(dir, "\(existing)/manifest.json")
        let args = args.map { $0 == "A" ? "\(Self.crowd)/dog/label.csv" : $0 }
        let r = try run(args, in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: \(existing): already exists (pass --force to replace it)\n")
        #expect(r.stdout.isEmpty)
        #expect((contents(dir, existing) ?? contents(dir, "\(existing)/manifest.json")) == before)
        #expect(leftovers(dir).isEmpty)
        if existing == "x.csv.manifest.json" { #expect(contents(dir, "x.csv") == nil) }
    }

    /// The library says which directories it replaces without naming a
    /// flag; the command line says it with `--force`, as before.
    @Test func forceRefusesADirectoryThatIsNotADatasetNamingTheFlag() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(atPath: "\(dir)/home", withIntermediateDirectories: false)
        try "precious".write(toFile: "\(dir)/home/notes.txt", atomically: true, encoding: .utf8)
        let r = try run(["gen", "--rows", "20", "--out", "home", "--force"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: home: expected a synthctl dataset directory to replace, found a directory without a manifest.json; --force replaces only a directory that synthctl wrote and that holds nothing else\n")
        #expect(contents(dir, "home/notes.txt") == Data("precious".utf8))
    }

    @Test func forceReplacesReportsAndModels() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        for name in ["r.json", "m.json", "c.md"] { try "old".write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
        #expect(try run(["score", "--answers", "\(Self.crowd)/dog/label.csv", "--json", "r.json", "--force"], in: dir).code == 0)
        #expect(try run(["fit", "t.csv", "--out", "m.json", "--force"], in: dir).code == 0)
        #expect(try run(["collapse", "--human", "t.csv", "--generations", "1", "--markdown", "c.md", "--force"], in: dir).code == 0)
        for name in ["r.json", "m.json", "c.md"] { #expect(contents(dir, name).map { $0.count > 100 } == true, "\(name)") }
        #expect(leftovers(dir).isEmpty)
    }

    /// `score --issues input.csv` once overwrote its input; now an output
    /// that is an input, by any name, is refused even with --force.
    @Test func anOutputThatIsAnInputIsRefusedByAnyName() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        #expect(link("\(dir)/t.csv", "\(dir)/hard.csv") == 0)
        let original = contents(dir, "t.csv")
        for alias in ["t.csv", "./t.csv", "hard.csv", "\(dir)/t.csv"] {
            let r = try run(["score", "--table", "t.csv", "--issues", alias, "--force"], in: dir)
            #expect(r.code == 2)
            #expect(r.stderr == "synthctl: error: --issues \(alias): expected an output that is not one of the run's inputs, found the same file as the input --table t.csv\n")
        }
        // Standard output appending to the input (`--issues - >> t.csv`), and
        // standard input read from the file an output names (`< t.csv`).
        let appended = try run(["score", "--table", "t.csv", "--issues", "-"], input: nil,
                               output: FileHandle(forWritingAtPath: "\(dir)/t.csv"), in: dir)
        #expect(appended.stderr == "synthctl: error: --issues -: expected an output that is not one of the run's inputs, found the same file as the input --table t.csv\n")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["score", "--table", "-", "--issues", "t.csv", "--force"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardInput = FileHandle(forReadingAtPath: "\(dir)/t.csv")
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 2)
        #expect(message == "synthctl: error: --issues t.csv: expected an output that is not one of the run's inputs, found the same file as the input --table -\n")
        #expect(contents(dir, "t.csv") == original)
        #expect(try run(["gen", "--rows", "300", "--out", "d"], in: dir).code == 0)
        let own = try run(["score", "d", "--json", "d/labels.npy", "--force"], in: dir)
        #expect(own.stderr == "synthctl: error: --json d/labels.npy: expected an output that is not one of the run's inputs, found a file of the input dataset directory d\n")
        let regenerate = try run(["gen", "--spec", "d/manifest.json", "--out", "d", "--force"], in: dir)
        #expect(regenerate.stderr == "synthctl: error: --out d: expected an output that is not one of the run's inputs, found a directory that holds the input --spec d/manifest.json\n")
        let twice = try run(["score", "--table", "t.csv", "--json", "r.json", "--markdown", "./r.json"], in: dir)
        #expect(twice.stderr == "synthctl: error: --markdown ./r.json: expected a file of its own, found the same file as --json r.json\n")
        #expect(try run(["score", "d", "--json", "d/report.json"], in: dir).code == 0)
    }

    /// Holds `<target>.synthctl-lock` as a running synthctl would; returns the
    /// descriptor (closing it releases the lock).
    func holdLock(_ path: String, pid: Int32) -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        let text = "\(pid)\n"
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        return fd
    }

    @Test func aSecondRunOnTheSameTargetFailsAtOnceNamingTheFirst() throws {
        let dir = tempDir()
        // This test process holds the lock, as a first run would.
        let fd = holdLock("\(dir)/d.synthctl-lock", pid: getpid())
        let second = try run(["gen", "--rows", "100", "--out", "d"], in: dir)
        #expect(second.code == 2)
        #expect(second.stderr == "synthctl: error: d: expected no other run writing this output, found one (PID \(getpid()) holds d.synthctl-lock); wait for it to finish\n")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/d") == false)
        let report = try run(["score", "--answers", "\(Self.crowd)/dog/label.csv", "--json", "d"], in: dir)
        #expect(report.code == 2 && report.stderr.contains("PID \(getpid()) holds d.synthctl-lock"))
        close(fd)
        // Released, with a PID that is not synthctl's form (a crashed holder
        // would have written "<pid> synthctl"): not taken over, not removed.
        let foreign = try run(["gen", "--rows", "100", "--out", "d"], in: dir)
        #expect(foreign.code == 2)
        #expect(foreign.stderr == "synthctl: error: d: cannot lock the output: d.synthctl-lock exists and is a file of another program, not a synthctl lock file; synthctl leaves it alone (move it, or write to another name)\n")
        #expect(contents(dir, "d.synthctl-lock") == Data("\(getpid())\n".utf8))
        // A crashed run's lock (its PID gone, nobody holding it): the next run removes it and takes the name.
        try "\(try OutputSafetyProbe.deadPID()) synthctl\n".write(toFile: "\(dir)/d.synthctl-lock", atomically: false, encoding: .utf8)
        let third = try run(["gen", "--rows", "100", "--out", "d"], in: dir)
        #expect(third.code == 0, "\(third.stderr)")
        #expect(leftovers(dir).isEmpty)
    }

    /// Starts `gen` of a dataset large enough to take seconds and returns
    /// once its temporary directory exists (it is writing rows).
    func startLargeGen(out: String, in dir: String, force: Bool = false) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        // 3 M rows × 20 features plus 10 annotators: 360 MB if it ran to the end.
        p.arguments = ["gen", "--rows", "3000000", "--out", out] + (force ? ["--force"] : [])
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let partial = "\(dir)/\(out).synthctl-partial-\(p.processIdentifier)/features.npy"
        while p.isRunning && !FileManager.default.fileExists(atPath: partial) { usleep(2000) }
        return p
    }

    @Test func twoRealRunsAndSignalsLeaveNothingHalfDone() throws {
        let dir = tempDir()
        // Two real processes, deterministically: the first is stopped while it writes.
        let first = try startLargeGen(out: "d", in: dir)
        #expect(first.isRunning)
        kill(first.processIdentifier, SIGSTOP)
        let second = try run(["gen", "--rows", "100", "--out", "d"], in: dir)
        #expect(second.stderr == "synthctl: error: d: expected no other run writing this output, found one (PID \(first.processIdentifier) holds d.synthctl-lock); wait for it to finish\n")
        // SIGTERM: the partial directory and the lock go, exit 143.
        kill(first.processIdentifier, SIGTERM)
        kill(first.processIdentifier, SIGCONT)
        first.waitUntilExit()
        #expect(first.terminationReason == .exit && first.terminationStatus == 143)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)

        // SIGINT while replacing a dataset: the old one stays, whole.
        #expect(try run(["gen", "--rows", "100", "--out", "d"], in: dir).code == 0)
        let manifest = contents(dir, "d/manifest.json")
        let replacing = try startLargeGen(out: "d", in: dir, force: true)
        #expect(replacing.isRunning)
        kill(replacing.processIdentifier, SIGINT)
        replacing.waitUntilExit()
        #expect(replacing.terminationReason == .exit && replacing.terminationStatus == 130)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["d"])
        #expect(contents(dir, "d/manifest.json") == manifest)
    }

    @Test func aLaterRunRemovesStalePartialsOfItsTarget() throws {
        let dir = tempDir()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        let dead = p.processIdentifier
        try FileManager.default.createDirectory(atPath: "\(dir)/d.synthctl-partial-\(dead)", withIntermediateDirectories: false)
        for name in ["d.synthctl-partial-\(dead)/features.npy", "t.csv.synthctl-partial-\(dead)", "t.csv.manifest.json.synthctl-partial-\(dead)",
                     "r.json.synthctl-partial-\(dead)"] {
            #expect(FileManager.default.createFile(atPath: "\(dir)/\(name)", contents: Data(repeating: 7, count: 1000)))
        }
        #expect(FileManager.default.createFile(atPath: "\(dir)/d.synthctl-partial-1", contents: Data()))  // PID 1 is alive: kept
        #expect(try run(["gen", "--rows", "100", "--out", "d"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "100", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        #expect(try run(["score", "--table", "t.csv", "--json", "r.json"], in: dir).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["d", "d.synthctl-partial-1", "r.json", "t.csv", "t.csv.manifest.json"])
    }
}
