import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import Synth
@testable import SynthctlCore

/// The library's output rules: what may be replaced, what is an input, the
/// lock, stale partials, and the order in which a finished output is put in
/// place (checked by stopping the write between steps, as a kill would).
@Suite struct OutputSafetyTests {
    static let tinySpec = #"{"rows": 40, "seed": 1, "generator": {"type": "moons"}}"#

    func write(_ text: String, _ path: String) {
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: - Links, devices, FIFOs

    @Test func linksDevicesAndFIFOsAreNeverReplacedEvenWithForce() throws {
        let dir = temporaryDirectory()
        write("precious", "\(dir)/target.json")
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/link.json", withDestinationPath: "\(dir)/target.json")
        #expect(mkfifo("\(dir)/fifo", 0o644) == 0)
        let cases: [(String, FileKind)] = [("\(dir)/link.json", .symbolicLink), ("/dev/null", .characterDevice),
                                           ("\(dir)/fifo", .fifo), ("/dev/stdout", .symbolicLink)]
        for (path, kind) in cases {
            #expect(FileKind(path: path) == kind)
            for replace in [false, true] {
                let m = errorMessage { try AtomicFile.write("new", to: path, replace: replace) }
                #expect(m == "\(path): expected a new name or a regular file to write, found \(kind.description); synthctl never replaces links, devices or FIFOs")
            }
            #expect(FileKind(path: path) == kind)
        }
        // A table through a link: refused before anything is written, the link and its target intact.
        var table = DatasetWriter(plan: try plan(Self.tinySpec))
        table.format = .jsonl
        table.force = true
        #expect(errorMessage { _ = try table.write(to: "\(dir)/link.json") }?.hasPrefix("\(dir)/link.json: expected a new name or a regular file to write, found a symbolic link") == true)
        #expect(FileKind(path: "\(dir)/link.json") == .symbolicLink && read("\(dir)/target.json") == "precious")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["fifo", "link.json", "target.json"])
    }

    @Test func replacingNeedsForceAndTheRightKind() throws {
        let dir = temporaryDirectory()
        write("old", "\(dir)/r.json")
        #expect(errorMessage { try AtomicFile.write("new", to: "\(dir)/r.json") } == "\(dir)/r.json: already exists")
        #expect(read("\(dir)/r.json") == "old")
        try AtomicFile.write("new", to: "\(dir)/r.json", replace: true)
        #expect(read("\(dir)/r.json") == "new")
        // A directory is not a file to replace, nor a file a dataset directory.
        try FileManager.default.createDirectory(atPath: "\(dir)/sub", withIntermediateDirectories: false)
        #expect(errorMessage { try AtomicFile.write("x", to: "\(dir)/sub", replace: true) } == "\(dir)/sub: expected a new name or a regular file to write, found a directory")
        var w = DatasetWriter(plan: try plan(Self.tinySpec))
        w.force = true
        #expect(errorMessage { _ = try w.write(to: "\(dir)/r.json") } == "\(dir)/r.json: expected a new name or a dataset directory to write, found a regular file")
        // --force replaces a dataset, not any directory (think --out ~).
        write("mine", "\(dir)/sub/notes.txt")
        #expect(errorMessage { _ = try w.write(to: "\(dir)/sub") } == "\(dir)/sub: expected a synthctl dataset directory to replace, found a directory without a manifest.json; only a directory that synthctl wrote and that holds nothing else is replaced")
        #expect(read("\(dir)/sub/notes.txt") == "mine")
        _ = try w.write(to: "\(dir)/d")
        _ = try w.write(to: "\(dir)/d")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["d", "r.json", "sub"])
    }

    /// `--force` once replaced any directory holding a regular file named
    /// `manifest.json`: a web app (`{"name": "My PWA"}` beside its
    /// `index.html`), a browser extension. Only a directory that is wholly
    /// a synthctl dataset is replaced; everything else is refused, intact.
    @Test func forceReplacesOnlyADirectoryThatIsWhollyASynthctlDataset() throws {
        let dir = temporaryDirectory()
        var w = DatasetWriter(plan: try plan(Self.tinySpec))
        w.force = true
        func refusal(_ name: String, _ found: String) -> String {
            "\(dir)/\(name): expected a synthctl dataset directory to replace, found \(found); only a directory that synthctl wrote and that holds nothing else is replaced"
        }
        let notOurs = "a directory whose manifest.json is not a synthctl manifest"
        let hex = String(repeating: "ab", count: 32)
        let foreign: [(String, String, String)] = [
            ("webapp", #"{"name":"My PWA"}"#, "index.html"),
            ("extension", #"{"manifest_version": 3, "name": "Tabs", "version": "1.0"}"#, "background.js"),
            ("html", "<html>", "index.html"),
            ("empty", "", "notes.txt"),
            // synthctl's markers, but listing a file no dataset holds
            ("crafted", #"{"format_version": 3, "generator_version": "0.1.0", "files": {"index.html": {"sha256": "\#(hex)"}}}"#, "index.html"),
            // a checksum that is not one
            ("short", #"{"format_version": 3, "generator_version": "0.1.0", "files": {"features.npy": {"sha256": "abc"}}}"#, "features.npy"),
        ]
        for (name, manifest, other) in foreign {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(name)", withIntermediateDirectories: false)
            write(manifest, "\(dir)/\(name)/manifest.json")
            write("<html>", "\(dir)/\(name)/\(other)")
            #expect(errorMessage { _ = try w.write(to: "\(dir)/\(name)") } == refusal(name, notOurs), "\(name)")
            #expect(read("\(dir)/\(name)/manifest.json") == manifest && read("\(dir)/\(name)/\(other)") == "<html>")
        }
        // A synthctl dataset with something else in it: refused, naming it.
        _ = try w.write(to: "\(dir)/d")
        write("{}", "\(dir)/d/report.json")
        #expect(errorMessage { _ = try w.write(to: "\(dir)/d") }
                == refusal("d", "one that also holds report.json, which is not a file of the dataset"))
        try FileManager.default.createDirectory(atPath: "\(dir)/d/plots", withIntermediateDirectories: false)
        #expect(errorMessage { _ = try w.write(to: "\(dir)/d") }
                == refusal("d", "one that also holds plots and 1 more, which are not files of the dataset"))
        #expect(read("\(dir)/d/report.json") == "{}")
        // Without them, it is replaced.
        unlink("\(dir)/d/report.json")
        rmdir("\(dir)/d/plots")
        _ = try w.write(to: "\(dir)/d")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/d").sorted()
                == ["README.md", "croissant.json", "features.npy", "labels.npy", "manifest.json", "noise_mask.npy", "true_labels.npy"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["crafted", "d", "empty", "extension", "html", "short", "webapp"])
    }

    @Test func anOutputIsNeverAnInput() throws {
        let dir = temporaryDirectory()
        write("a,b\n", "\(dir)/a.csv")
        #expect(link("\(dir)/a.csv", "\(dir)/hard.csv") == 0)
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/soft.csv", withDestinationPath: "a.csv")
        let inputs = [(name: "--table", path: "\(dir)/a.csv")]
        for alias in ["\(dir)/a.csv", "\(dir)/./a.csv", "\(dir)/sub/../a.csv", "\(dir)/hard.csv", "\(dir)/soft.csv"] {
            try? FileManager.default.createDirectory(atPath: "\(dir)/sub", withIntermediateDirectories: false)
            #expect(errorMessage { try OutputTarget.checkNotAnInput(alias, named: "--issues", inputs: inputs) }
                    == "--issues \(alias): expected an output that is not one of the run's inputs, found the same file as the input --table \(dir)/a.csv")
        }
        try OutputTarget.checkNotAnInput("\(dir)/b.csv", named: "--issues", inputs: inputs)
        try OutputTarget.checkNotAnInput("-", named: "--issues", inputs: [(name: "--table", path: "-")])
        // A dataset directory's own files are inputs; a new file beside them is not.
        _ = try DatasetWriter(plan: try plan(Self.tinySpec)).write(to: "\(dir)/d")
        let dataset = [(name: "dataset directory", path: "\(dir)/d")]
        #expect(errorMessage { try OutputTarget.checkNotAnInput("\(dir)/d/labels.npy", named: "--json", inputs: dataset) }
                == "--json \(dir)/d/labels.npy: expected an output that is not one of the run's inputs, found a file of the input dataset directory \(dir)/d")
        try OutputTarget.checkNotAnInput("\(dir)/d/report.json", named: "--json", inputs: dataset)
        // Replacing a directory that holds an input (gen --spec d/manifest.json --out d).
        #expect(errorMessage { try OutputTarget.checkNotAnInput("\(dir)/d", named: "--out", inputs: [(name: "--spec", path: "\(dir)/d/manifest.json")]) }
                == "--out \(dir)/d: expected an output that is not one of the run's inputs, found a directory that holds the input --spec \(dir)/d/manifest.json")
        #expect(OutputTarget.isSameFile("\(dir)/a.csv", "\(dir)/hard.csv") && !OutputTarget.isSameFile("\(dir)/a.csv", "\(dir)/d"))
    }

    // MARK: - Lock and stale partials

    @Test func aLockIsCountedWithinAProcessAndRemovedByItsLastRelease() throws {
        let dir = temporaryDirectory()
        let a = try OutputLock.acquire("\(dir)/out")
        let b = try OutputLock.acquire("\(dir)/out")
        #expect(read("\(dir)/out.synthctl-lock") == "\(getpid()) synthctl\n")
        a.release()
        a.release()  // a second release of the same hold does nothing
        #expect(FileKind(path: "\(dir)/out.synthctl-lock") == .regularFile)
        b.release()
        #expect(FileKind(path: "\(dir)/out.synthctl-lock") == .none)
        // Held by another open file (as by another process): refused, naming the holder.
        let fd = open("\(dir)/out.synthctl-lock", O_RDWR | O_CREAT, 0o644)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        _ = "4242\n".withCString { Glibc.write(fd, $0, 5) }
        #expect(errorMessage { _ = try OutputLock.acquire("\(dir)/out") }
                == "\(dir)/out: expected no other run writing this output, found one (PID 4242 holds \(dir)/out.synthctl-lock); wait for it to finish")
        close(fd)
        // No longer held, but not in synthctl's form: left alone, and refused.
        #expect(errorMessage { _ = try OutputLock.acquire("\(dir)/out") }
                == "\(dir)/out: cannot lock the output: \(dir)/out.synthctl-lock exists and is a file of another program, not a synthctl lock file; synthctl leaves it alone (move it, or write to another name)")
        #expect(read("\(dir)/out.synthctl-lock") == "4242\n")
        // A dead run's lock in synthctl's form: removed, and the name created anew.
        write("\(try Self.deadPID()) synthctl\n", "\(dir)/out.synthctl-lock")
        let taken = try OutputLock.acquire("\(dir)/out")
        #expect(read("\(dir)/out.synthctl-lock") == "\(getpid()) synthctl\n")
        // The release removes only the file this run created.
        unlink("\(dir)/out.synthctl-lock")
        write("someone else's\n", "\(dir)/out.synthctl-lock")
        taken.release()
        #expect(read("\(dir)/out.synthctl-lock") == "someone else's\n")
    }

    /// A PID that belonged to a process that has exited.
    static func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    @Test func stalePartialsOfDeadRunsAreRemovedAndLiveOnesKept() throws {
        let dir = temporaryDirectory()
        let dead = try Self.deadPID()
        try FileManager.default.createDirectory(atPath: "\(dir)/d.synthctl-partial-\(dead)", withIntermediateDirectories: false)
        write("junk", "\(dir)/d.synthctl-partial-\(dead)/features.npy")
        try FileManager.default.createDirectory(atPath: "\(dir)/d", withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: "\(dir)/d.synthctl-old-\(dead)", withIntermediateDirectories: false)
        write("junk", "\(dir)/d.synthctl-old-\(dead)/labels.npy")
        write("junk", "\(dir)/d.synthctl-partial-1")              // PID 1 is alive
        write("junk", "\(dir)/d.synthctl-partial-\(dead)x")       // not ours: not a PID
        write("junk", "\(dir)/d.synthctl-partial-0\(dead)")       // not ours: a leading zero
        write("junk", "\(dir)/dd.synthctl-partial-\(dead)")       // another target in the directory: removed too
        write("junk", "\(dir)/dd.synthctl-old-\(dead)")           // a replaced dataset only for the target itself
        // Look-alikes of the names earlier versions used: somebody's files.
        write("junk", "\(dir)/d.partial-\(dead)")
        write("junk", "\(dir)/d.old-\(dead)")
        write("\(dead) synthctl\n", "\(dir)/d.lock")
        try FileManager.default.createDirectory(atPath: "\(dir)/photos.partial-\(dead)", withIntermediateDirectories: false)
        write("x", "\(dir)/photos.partial-\(dead)/img.jpg")
        // A partial directory with a file synthctl never writes, or a subdirectory: not its shape.
        try FileManager.default.createDirectory(atPath: "\(dir)/e.synthctl-partial-\(dead)/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(dir)/f.synthctl-partial-\(dead)", withIntermediateDirectories: false)
        write("x", "\(dir)/f.synthctl-partial-\(dead)/notes.txt")
        try FileManager.default.createSymbolicLink(atPath: "\(dir)/g.synthctl-partial-\(dead)", withDestinationPath: "photos.partial-\(dead)")
        PartialOutputs.removeStale(inDirectoryOf: "\(dir)/d")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                == ["d", "d.lock", "d.old-\(dead)", "d.partial-\(dead)", "d.synthctl-partial-0\(dead)", "d.synthctl-partial-1",
                    "d.synthctl-partial-\(dead)x", "dd.synthctl-old-\(dead)", "e.synthctl-partial-\(dead)", "f.synthctl-partial-\(dead)",
                    "g.synthctl-partial-\(dead)", "photos.partial-\(dead)"])
        #expect(FileKind(path: "\(dir)/photos.partial-\(dead)/img.jpg") == .regularFile)
        // A write removes its target's stale partials itself.
        write("junk", "\(dir)/r.json.synthctl-partial-\(dead)")
        try AtomicFile.write("{}", to: "\(dir)/r.json")
        #expect(FileKind(path: "\(dir)/r.json.synthctl-partial-\(dead)") == .none)
        try FileManager.default.createDirectory(atPath: "\(dir)/d2.synthctl-partial-\(dead)", withIntermediateDirectories: false)
        _ = try DatasetWriter(plan: try plan(Self.tinySpec)).write(to: "\(dir)/d2")
        #expect(FileKind(path: "\(dir)/d2.synthctl-partial-\(dead)") == .none && FileKind(path: "\(dir)/d.synthctl-partial-1") == .regularFile)
    }

    /// A writer creates its temporary file with O_EXCL and O_NOFOLLOW: a
    /// link planted at that name is neither followed nor replaced, and the
    /// file it points to keeps its bytes.
    @Test func aTemporaryNameIsOnlyEverAFileTheRunCreated() throws {
        let dir = temporaryDirectory()
        write("precious", "\(dir)/victim")
        let temp = PartialOutputs.temporaryPath(for: "\(dir)/r.json")
        #expect(temp == "\(dir)/r.json.synthctl-partial-\(getpid())")
        try FileManager.default.createSymbolicLink(atPath: temp, withDestinationPath: "\(dir)/victim")
        let m = errorMessage { try AtomicFile.write("new", to: "\(dir)/r.json") }
        #expect(m == "\(temp): exists and was not created by this run; remove it or choose another output", "\(m ?? "no error")")
        #expect(read("\(dir)/victim") == "precious" && FileKind(path: temp) == .symbolicLink)
        #expect(FileKind(path: "\(dir)/r.json") == .none)
        // A regular file at this run's own temporary name (planted, or a dead
        // run's that had this PID): not this run's, so refused and kept.
        unlink(temp)
        write("stale", temp)
        #expect(errorMessage { try AtomicFile.write("new", to: "\(dir)/r.json") } == m)
        #expect(read(temp) == "stale" && FileKind(path: "\(dir)/r.json") == .none)
    }

    // MARK: - Order of replacement

    /// What the seam throws: a kill at that step, for the test's purposes.
    /// A typed error, as every library error is, so that the writer passes
    /// it through unchanged (it wraps other errors as a failed write).
    struct StoppedBetweenSteps: SynthctlError, Equatable {
        var description: String { "stopped between steps" }
    }
    static let stop = StoppedBetweenSteps()

    /// Checks that a table and its manifest agree: the manifest's SHA-256
    /// and byte count are the table's.
    func pairAgrees(_ table: String) throws -> Bool {
        let manifest = try JSONDecoder().decode(JSONValue.self, from: FileManager.default.contents(atPath: "\(table).manifest.json")!)
        guard case .object(let files)? = manifest["files"], let entry = files.values.first else { return false }
        let bytes = [UInt8](FileManager.default.contents(atPath: table)!)
        return entry["sha256"] == .string(sha256Hex(bytes)) && entry["bytes"] == .int(bytes.count)
    }

    @Test(arguments: [DatasetWriter.CommitStep.tableOldManifestRemoved, .tableRenamed])
    func aTableStoppedMidReplacementNeverLeavesAMismatchedPair(step: DatasetWriter.CommitStep) throws {
        let dir = temporaryDirectory()
        let out = "\(dir)/t.csv"
        var old = DatasetWriter(plan: try plan(Self.tinySpec))
        old.format = .csv
        _ = try old.write(to: out)
        #expect(try pairAgrees(out))
        let oldTable = read(out)
        var new = DatasetWriter(plan: try plan(#"{"rows": 40, "seed": 2, "generator": {"type": "moons"}}"#))
        new.format = .csv
        new.force = true
        new.interruption = { if $0 == step { throw Self.stop } }
        #expect(throws: Self.stop) { _ = try new.write(to: out) }
        // No manifest beside the table: nothing looks complete.
        #expect(FileKind(path: "\(out).manifest.json") == .none)
        #expect((read(out) == oldTable) == (step == .tableOldManifestRemoved))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["t.csv"])
        // The next run puts a matching pair in place.
        new.interruption = nil
        _ = try new.write(to: out)
        #expect(try pairAgrees(out))
    }

    @Test(arguments: [DatasetWriter.CommitStep.directoryFilledBeforeManifest, .directoryExchanged])
    func aDirectoryIsReplacedInOneStep(step: DatasetWriter.CommitStep) throws {
        let dir = temporaryDirectory()
        let out = "\(dir)/d"
        _ = try DatasetWriter(plan: try plan(Self.tinySpec)).write(to: out)
        let oldManifest = read("\(out)/manifest.json")
        var new = DatasetWriter(plan: try plan(#"{"rows": 40, "seed": 2, "generator": {"type": "moons"}}"#))
        new.force = true
        new.interruption = { if $0 == step { throw Self.stop } }
        #expect(throws: Self.stop) { _ = try new.write(to: out) }
        // Either the old dataset, whole, or the new one, whole; no partial left.
        let manifest = read("\(out)/manifest.json")
        #expect((manifest == oldManifest) == (step == .directoryFilledBeforeManifest))
        let parsed = try JSONDecoder().decode(JSONValue.self, from: Data(manifest!.utf8))
        guard case .object(let files)? = parsed["files"] else { Issue.record("no files"); return }
        for (name, entry) in files {
            #expect(entry["sha256"] == .string(sha256Hex([UInt8](FileManager.default.contents(atPath: "\(out)/\(name)")!))))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["d"])
    }

    // MARK: - Standard output

    @Test func aTableStreamedToADescriptorHasTheFilesBytes() throws {
        let dir = temporaryDirectory()
        var w = DatasetWriter(plan: try plan(#"{"rows": 3000, "seed": 3, "generator": {"type": "blobs", "features": 3}, "noise": {"type": "flip", "rate": 0.1}}"#))
        w.format = .jsonl
        _ = try w.write(to: "\(dir)/t.jsonl")
        let fd = open("\(dir)/streamed", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let summary = try w.writeTable(to: fd, manifest: "\(dir)/m.json")
        close(fd)
        #expect(summary.path == "-" && summary.rows == 3000)
        #expect(FileManager.default.contents(atPath: "\(dir)/streamed") == FileManager.default.contents(atPath: "\(dir)/t.jsonl"))
        // The same manifest, with the table named "-".
        let file = read("\(dir)/t.jsonl.manifest.json")!, streamed = read("\(dir)/m.json")!
        #expect(streamed == file.replacingOccurrences(of: "\"t.jsonl\": {", with: "\"-\": {"))
        #expect(streamed != file)
        // The manifest follows the --force rule too.
        #expect(errorMessage { _ = try w.writeTable(to: open("/dev/null", O_WRONLY), manifest: "\(dir)/m.json") } == "\(dir)/m.json: already exists")
    }
}
