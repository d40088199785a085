import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The fourth round of testers' findings on issue 13, end to end.
extension CommandLineTests {
    /// Runs synthctl under `sh`, which first runs `plant` with `$$` — the
    /// PID synthctl then has (`exec`) — so a test can put something at the
    /// temporary name the run will use.
    func runPlanting(_ plant: String, _ args: [String], in dir: String) throws -> Result {
        let quoted = args.map { "'\($0)'" }.joined(separator: " ")
        return try launch("/bin/sh", ["-c", "\(plant); exec '\(Self.binary)' \(quoted)"], in: dir)
    }

    /// A file or link planted at a run's temporary name is neither removed
    /// nor followed; the message names the path that exists, not the
    /// output (which does not exist). For a dataset directory, a table, its
    /// manifest, a report and a model.
    @Test func aPlantedTemporaryNameIsRefusedAndLeftAlone() throws {
        let dir = tempDir()
        try "victim".write(toFile: "\(dir)/victim.txt", atomically: true, encoding: .utf8)
        #expect(try run(["gen", "--rows", "60", "--format", "csv", "--out", "in.csv"], in: dir).code == 0)
        let cases: [(planted: String, args: [String])] = [
            ("s4.csv.manifest.json", ["gen", "--rows", "10", "--format", "csv", "--out", "s4.csv"]),
            ("s5.csv", ["gen", "--rows", "10", "--format", "csv", "--out", "s5.csv"]),
            ("d6", ["gen", "--rows", "10", "--out", "d6"]),
            ("r.json", ["score", "--table", "in.csv", "--json", "r.json"]),
            ("r.md", ["score", "--table", "in.csv", "--markdown", "r.md"]),
            ("r.html", ["score", "--table", "in.csv", "--html", "r.html"]),
            ("m.json", ["fit", "in.csv", "--out", "m.json"]),
        ]
        for (planted, args) in cases {
            for link in [true, false] {
                let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                let plant = link ? "ln -s \"$PWD/victim.txt\" \(planted).synthctl-partial-$$" : "echo mine > \(planted).synthctl-partial-$$"
                let r = try runPlanting(plant, args, in: dir)
                let pid = r.stderr.split(separator: "-").last.map { $0.prefix { $0.isNumber } } ?? ""
                let temp = "\(planted).synthctl-partial-\(pid)"
                #expect(r.code == 2, "\(args) \(r.stderr)")
                #expect(r.stderr == "synthctl: error: \(temp): exists and was not created by this run; remove it or choose another output\n", "\(args)")
                #expect(FileKind(dir, temp) == (link ? "link" : "file"), "\(args)")
                #expect(try String(contentsOfFile: "\(dir)/\(temp)", encoding: .utf8) == (link ? "victim" : "mine\n"))
                let after = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
                #expect(after == (before + [temp]).sorted(), "\(args): \(after)")
                unlink("\(dir)/\(temp)")
            }
        }
        #expect(try String(contentsOfFile: "\(dir)/victim.txt", encoding: .utf8) == "victim")
    }

    private func FileKind(_ dir: String, _ name: String) -> String {
        var s = stat()
        guard lstat("\(dir)/\(name)", &s) == 0 else { return "none" }
        return s.st_mode & S_IFMT == S_IFLNK ? "link" : s.st_mode & S_IFMT == S_IFREG ? "file" : "other"
    }

    /// The sweep of dead runs' partials removes only the shapes this
    /// version leaves: a regular file, or a dataset directory that is empty
    /// or holds features.npy among dataset files only. A directory with a
    /// user's README.md alone, or features.npy beside a foreign file, is kept.
    @Test func theStalePartialSweepKeepsDirectoriesThatAreNotPartialDatasets() throws {
        let dir = tempDir(), fm = FileManager.default
        let dead = try OutputSafetyProbe.deadPID()
        for d in ["c", "e", "f", "g"] { try fm.createDirectory(atPath: "\(dir)/\(d).synthctl-partial-\(dead)", withIntermediateDirectories: false) }
        try "my notes".write(toFile: "\(dir)/c.synthctl-partial-\(dead)/README.md", atomically: true, encoding: .utf8)
        try Data(count: 128).write(to: URL(fileURLWithPath: "\(dir)/f.synthctl-partial-\(dead)/features.npy"))
        try Data(count: 128).write(to: URL(fileURLWithPath: "\(dir)/f.synthctl-partial-\(dead)/README.md"))
        try Data(count: 128).write(to: URL(fileURLWithPath: "\(dir)/g.synthctl-partial-\(dead)/features.npy"))
        try "x".write(toFile: "\(dir)/g.synthctl-partial-\(dead)/notes.txt", atomically: true, encoding: .utf8)
        try "x".write(toFile: "\(dir)/t.csv.synthctl-partial-\(dead)", atomically: true, encoding: .utf8)
        #expect(try run(["gen", "--rows", "10", "--out", "out"], in: dir).code == 0)
        // e (empty: killed right after mkdir), f (features.npy and README.md) and the file partial go;
        // c (a README.md alone) and g (a file synthctl does not write) stay.
        #expect(try fm.contentsOfDirectory(atPath: dir).sorted() == ["c.synthctl-partial-\(dead)", "g.synthctl-partial-\(dead)", "out"])
        #expect(try String(contentsOfFile: "\(dir)/c.synthctl-partial-\(dead)/README.md", encoding: .utf8) == "my notes")
    }
}
