import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files synthctl did not create are never opened for writing, truncated or
/// removed, whatever their names look like (issue 13, testers' third round):
/// the output lock once took over and deleted `yarn.lock` for `--out yarn`
/// and truncated the run's own input `data.lock`; `--force` wiped a web
/// app's directory because it held a `manifest.json`; the sweep of stale
/// partials removed `photos.partial-1999/` and `budget.partial-2023`.
extension CommandLineTests {
    /// Every look-alike a user may have, with its contents (nil for a
    /// directory, whose file is listed on its own).
    func plantLookAlikes(in dir: String, dead: Int32) throws -> [String: String?] {
        let fm = FileManager.default
        var planted: [String: String?] = [:]
        func file(_ name: String, _ text: String) throws {
            try text.write(toFile: "\(dir)/\(name)", atomically: false, encoding: .utf8)
            planted[name] = text
        }
        try fm.createDirectory(atPath: "\(dir)/photos.partial-\(dead)", withIntermediateDirectories: false)
        planted["photos.partial-\(dead)"] = .some(nil)
        try file("photos.partial-\(dead)/img.jpg", "x")
        try file("budget.partial-2023", "y")
        try file("budget.partial-\(dead)", "y")
        try file("r.json.partial-\(dead)", "mine")
        try file("notes.old-\(dead)", "backup")
        try file("d.old-\(dead)", "backup")
        try file("yarn.lock", "# yarn lockfile v1\n")
        try file("package.lock", "{}\n")
        try file("old.lock", "\(dead) synthctl\n")  // an earlier version's lock: the name is other people's too
        try file("r.json.lock", "\(dead) synthctl\n")
        return planted
    }

    func expectIntact(_ planted: [String: String?], in dir: String, after command: [String]) {
        for (name, text) in planted {
            if let text {
                #expect(contents(dir, name) == Data(text.utf8), "\(name) after \(command.joined(separator: " "))")
            } else {
                #expect(FileManager.default.fileExists(atPath: "\(dir)/\(name)"), "\(name) after \(command.joined(separator: " "))")
            }
        }
    }

    @Test func userFilesWithLookAlikeNamesSurviveEveryCommand() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--out", "d"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "300", "--seed", "2", "--format", "csv", "--out", "t2.csv"], in: dir).code == 0)
        let planted = try plantLookAlikes(in: dir, dead: try OutputSafetyProbe.deadPID())
        let commands: [[String]] = [
            ["gen", "--rows", "50", "--out", "g"],
            ["gen", "--rows", "50", "--out", "g", "--force"],
            ["gen", "--rows", "50", "--format", "csv", "--out", "g.csv"],
            ["gen", "--rows", "50", "--format", "jsonl", "--out", "g.jsonl"],
            ["gen", "--rows", "50", "--format", "csv", "--out", "-", "--manifest", "m.json"],
            ["gen", "--rows", "50", "--out", "yarn"],
            ["score", "d", "--folds", "2", "--json", "r.json", "--markdown", "r.md", "--html", "r.html"],
            ["score", "--table", "t.csv", "--folds", "2", "--issues", "issues.csv", "--json", "package"],
            ["compare", "--human", "t.csv", "--synthetic", "t2.csv", "--json", "c.json"],
            ["limits", "--human", "t.csv", "--synthetic", "t2.csv", "--json", "l.json"],
            ["collapse", "--human", "t.csv", "--generations", "1", "--json", "col.json"],
            ["fit", "t.csv", "--out", "model.json"],
        ]
        for command in commands {
            let r = try run(command, in: dir)
            #expect(r.code == 0, "\(command.joined(separator: " ")): \(r.stderr)")
            expectIntact(planted, in: dir, after: command)
            #expect(leftovers(dir).isEmpty, "\(command.joined(separator: " "))")
        }
    }

    /// The lock is `<out>.synthctl-lock`, created with O_EXCL: `yarn.lock`
    /// beside `--out yarn`, `package.lock` beside `--json package` and the
    /// run's own input `data.lock` beside `--json data` are not touched.
    @Test func theOutputLockNeverTouchesAnotherProgramsLockFile() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        try "# yarn lockfile v1\n".write(toFile: "\(dir)/yarn.lock", atomically: false, encoding: .utf8)
        try "{\"lockfileVersion\": 3}\n".write(toFile: "\(dir)/package.lock", atomically: false, encoding: .utf8)
        #expect(FileManager.default.createFile(atPath: "\(dir)/data.lock", contents: contents(dir, "t.csv")))
        let table = contents(dir, "t.csv")
        let gen = try run(["gen", "--out", "yarn", "--rows", "10"], in: dir)
        #expect(gen.code == 0, "\(gen.stderr)")
        let score = try run(["score", "--table", "t.csv", "--folds", "2", "--json", "package"], in: dir)
        #expect(score.code == 0, "\(score.stderr)")
        let own = try run(["score", "--table", "data.lock", "--input-format", "csv", "--folds", "2", "--json", "data"], in: dir)
        #expect(own.code == 0, "\(own.stderr)")
        #expect(contents(dir, "yarn.lock") == Data("# yarn lockfile v1\n".utf8))
        #expect(contents(dir, "package.lock") == Data("{\"lockfileVersion\": 3}\n".utf8))
        #expect(contents(dir, "data.lock") == table)
        #expect(FileManager.default.fileExists(atPath: "\(dir)/data") && FileManager.default.fileExists(atPath: "\(dir)/package"))
        #expect(leftovers(dir).isEmpty)
        // Even a file at synthctl's own lock name is left alone when it is not synthctl's.
        try "mine\n".write(toFile: "\(dir)/x.json.synthctl-lock", atomically: false, encoding: .utf8)
        let refused = try run(["score", "--table", "t.csv", "--folds", "2", "--json", "x.json"], in: dir)
        #expect(refused.code == 2)
        #expect(refused.stderr == "synthctl: error: x.json: cannot lock the output: x.json.synthctl-lock exists and is a file of another program, not a synthctl lock file; synthctl leaves it alone (move it, or write to another name)\n")
        #expect(contents(dir, "x.json.synthctl-lock") == Data("mine\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/x.json"))
    }

    /// `--force` replaces only a directory that is wholly a synthctl
    /// dataset; a web app or browser extension with a `manifest.json` is
    /// refused in one line, untouched.
    @Test func forceRefusesADirectoryThatIsNotWhollyASynthctlDataset() throws {
        let dir = tempDir()
        let fm = FileManager.default
        let apps = [("webapp", #"{"name":"My PWA"}"#, "index.html", "<html>"),
                    ("extension", #"{"manifest_version": 3, "name": "Tabs", "version": "1.0"}"#, "background.js", "chrome.tabs")]
        for (name, manifest, other, text) in apps {
            try fm.createDirectory(atPath: "\(dir)/\(name)", withIntermediateDirectories: false)
            try manifest.write(toFile: "\(dir)/\(name)/manifest.json", atomically: false, encoding: .utf8)
            try text.write(toFile: "\(dir)/\(name)/\(other)", atomically: false, encoding: .utf8)
            let r = try run(["gen", "--rows", "20", "--out", name, "--force"], in: dir)
            #expect(r.code == 2)
            #expect(r.stderr == "synthctl: error: \(name): expected a synthctl dataset directory to replace, found a directory whose manifest.json is not a synthctl manifest; --force replaces only a directory that synthctl wrote and that holds nothing else\n")
            #expect(contents(dir, "\(name)/\(other)") == Data(text.utf8) && contents(dir, "\(name)/manifest.json") == Data(manifest.utf8))
        }
        // A dataset with a report written into it: refused, the report kept.
        #expect(try run(["gen", "--rows", "200", "--out", "d"], in: dir).code == 0)
        #expect(try run(["score", "d", "--folds", "2", "--json", "d/report.json"], in: dir).code == 0)
        let r = try run(["gen", "--rows", "20", "--out", "d", "--force"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: d: expected a synthctl dataset directory to replace, found one that also holds report.json, which is not a file of the dataset; --force replaces only a directory that synthctl wrote and that holds nothing else\n")
        #expect(fm.fileExists(atPath: "\(dir)/d/report.json"))
        // A dataset alone is replaced.
        try fm.removeItem(atPath: "\(dir)/d/report.json")
        #expect(try run(["gen", "--rows", "20", "--out", "d", "--force"], in: dir).code == 0)
        #expect(leftovers(dir).isEmpty)
    }

    /// A legal name whose temporary name would pass the file system's
    /// limit once failed after the whole run; now it is refused before any
    /// work, and the longest name that fits is written.
    @Test func anOutputNameIsCheckedWithItsTemporarySuffixBeforeAnyWork() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        let limit = pathconf(dir, Int32(_PC_NAME_MAX))
        try #require(limit > 40)
        let suffix = ".synthctl-partial-".utf8.count + 10  // the marker and the longest PID
        let fits = limit - suffix
        let long = String(repeating: "a", count: fits + 1)
        let message = "expected a name of at most \(fits) bytes, found \(fits + 1) (the run writes it first under a name up to \(suffix) bytes longer, and the file system takes names of at most \(limit) bytes)"
        for args in [["score", "--table", "t.csv", "--folds", "2", "--json", long],
                     ["gen", "--rows", "20", "--out", long]] {
            let r = try run(args, in: dir)
            #expect(r.code == 2)
            #expect(r.stderr == "synthctl: error: \(args[args.count - 2]) \(long): \(message)\n")
        }
        // A table's manifest is the longer name.
        let table = String(repeating: "b", count: fits - ".manifest.json".utf8.count + 1)
        let csv = try run(["gen", "--rows", "20", "--format", "csv", "--out", table], in: dir)
        #expect(csv.code == 2)
        #expect(csv.stderr == "synthctl: error: --out \(table).manifest.json: expected a name of at most \(fits) bytes, found \(fits + 1) (the run writes it first under a name up to \(suffix) bytes longer, and the file system takes names of at most \(limit) bytes)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["t.csv", "t.csv.manifest.json"])
        // The longest name that fits is written.
        let longest = String(repeating: "c", count: fits)
        let ok = try run(["score", "--table", "t.csv", "--folds", "2", "--json", longest], in: dir)
        #expect(ok.code == 0, "\(ok.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/\(longest)"))
        #expect(leftovers(dir).isEmpty)
    }
}
