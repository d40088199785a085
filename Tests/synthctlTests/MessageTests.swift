import Testing
import Foundation
import Synth

/// What synthctl prints about names and files: control characters in names
/// are escaped wherever a person reads them (errors, gate failures,
/// summaries, Markdown, HTML) and kept exactly in JSON; file-system failures
/// name the path and the reason in plain words.
extension CommandLineTests {
    static let escape = "\u{1b}"

    /// Class names with a terminal escape, a newline and a bidi override:
    /// no raw control character reaches the summary, the Markdown or the
    /// HTML, the summary has the lines it has for plain names, and the JSON
    /// report holds the names exactly.
    @Test func classNamesWithControlCharactersAreEscapedInSummariesAndReports() throws {
        let dir = tempDir()
        func table(_ name: String, _ classes: [String]) throws {
            var lines = [String]()
            for i in 0..<80 {
                let row: [String: Any] = ["a": Double(i % 2) * 2 + Double(i % 7) / 7, "b": Double(i % 5) / 5, "label": classes[i % 2]]
                lines.append(String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self))
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
        }
        let hostile = ["cat\u{1b}[31m", "dog\nEVIL\u{202e}"]
        try table("hostile.jsonl", hostile)
        try table("plain.jsonl", ["cat", "dog"])
        let r = try run(["score", "--table", "hostile.jsonl", "--json", "r.json", "--markdown", "r.md", "--html", "r.html"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let plain = try run(["score", "--table", "plain.jsonl"], in: dir)
        #expect(r.stdout.split(separator: "\n", omittingEmptySubsequences: false).count
                == plain.stdout.split(separator: "\n", omittingEmptySubsequences: false).count)
        #expect(r.stdout.contains("  cat\\u{1b}[…") && r.stdout.contains("  dog\\nEVIL\\…"), "\(r.stdout)")
        for text in [r.stdout, try String(contentsOfFile: "\(dir)/r.md", encoding: .utf8),
                     try String(contentsOfFile: "\(dir)/r.html", encoding: .utf8)] {
            #expect(!text.contains(Self.escape) && !text.contains("\u{202e}") && !text.contains("EVIL\u{202e}"))
        }
        #expect(try String(contentsOfFile: "\(dir)/r.html", encoding: .utf8).contains("cat\\u{1b}[31m"))
        let check = try python("""
        import json
        r = json.load(open('\(dir)/r.json'))['label_issues']
        assert [c['class'] for c in r['classes']] == ['cat\\x1b[31m', 'dog\\nEVIL\\u202e'], r['classes']
        raw = open('\(dir)/r.json', encoding='utf-8').read()
        assert '\\x1b' not in raw and 'dog\\\\nEVIL' in raw
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// A worker name that would retitle the terminal (OSC 0 … BEL), in the
    /// summary and in a gate failure on standard error.
    @Test func workerNamesWithControlCharactersAreEscaped() throws {
        let dir = tempDir()
        // bob and the first worker answer the item's class; the third always 1.
        func answers(_ file: String, third: String) throws {
            var csv = "item,worker,label\n"
            for i in 0..<30 { csv += "\(i),\"w\u{1b}]0;pwned\u{07}\",\(i % 2)\n\(i),bob,\(i % 2)\n\(i),\"\(third)\",1\n" }
            try csv.write(toFile: "\(dir)/\(file)", atomically: true, encoding: .utf8)
        }
        try answers("a.csv", third: "eve")
        let r = try run(["score", "--answers", "a.csv", "--min-labels", "5", "--min-annotator-accuracy", "0.9"], in: dir)
        #expect(r.code == 1)
        #expect(!r.stdout.contains(Self.escape) && !r.stdout.contains("\u{07}"))
        #expect(r.stdout.contains("  w\\u{1b}]0;p…"), "\(r.stdout)")
        #expect(r.stderr == "synthctl: gate failed: --min-annotator-accuracy: 1 annotator below 0.9000; the worst, eve, has 0.5000\n")
        // The gate names the worst annotator escaped.
        try answers("b.csv", third: "e\nve\u{1b}[1A")
        let b = try run(["score", "--answers", "b.csv", "--min-labels", "5", "--min-annotator-accuracy", "0.9"], in: dir)
        #expect(b.code == 1)
        #expect(b.stderr == "synthctl: gate failed: --min-annotator-accuracy: 1 annotator below 0.9000; the worst, e\\nve\\u{1b}[1A, has 0.5000\n")
    }

    /// Errors and progress lines that echo a name or a path stay one line.
    @Test func errorsAndPathsWithControlCharactersStayOneLine() throws {
        let dir = tempDir()
        try "a,b,label\n1,2,x\n".write(toFile: "\(dir)/t.csv", atomically: true, encoding: .utf8)
        let r = try run(["score", "--table", "t.csv", "--label-column", "lab\u{1b}[31mel\nX"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == Self.oneLine("t.csv: expected a label column \"lab\\u{1b}[31mel\\nX\", found columns a, b, label (3 columns)"))
        let unknown = try run(["gen", "--frob\u{1b}[2J"], in: dir)
        #expect(unknown.code == 2)
        #expect(unknown.stderr == Self.oneLine("Unknown option '--frob\\u{1b}[2J'"))
        let gen = try run(["gen", "--rows", "20", "--out", "odd\nname\u{1b}"], in: dir)
        #expect(gen.code == 0, "\(gen.stderr)")
        #expect(gen.stdout.hasPrefix("wrote odd\\nname\\u{1b}: 20 rows, ") && gen.stdout.filter { $0 == "\n" }.count == 1, "\(gen.stdout)")
        #expect(FileManager.default.fileExists(atPath: "\(dir)/odd\nname\u{1b}/manifest.json"))
    }

    // MARK: - File-system failures in plain words

    @Test func aReportOntoADirectorySaysSo() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(atPath: "\(dir)/adir", withIntermediateDirectories: false)
        for flag in ["--json", "--markdown", "--html"] {
            let r = try run(["score", "--answers", "\(Self.crowd)/dog/label.csv", flag, "adir"], in: dir)
            #expect(r.code == 2)
            #expect(r.stderr == Self.oneLine("adir: expected a new name or a regular file to write, found a directory"), "\(flag)")
        }
        let spec = try run(["gen", "--spec", "adir"], in: dir)
        #expect(spec.code == 2)
        #expect(spec.stderr == Self.oneLine("adir: cannot read the spec file (is a directory)"))
    }

    @Test func aReportUnderAFileOrAMissingDirectorySaysSo() throws {
        let dir = tempDir()
        try "x".write(toFile: "\(dir)/afile", atomically: true, encoding: .utf8)
        let underFile = try run(["score", "--answers", "\(Self.crowd)/dog/label.csv", "--json", "afile/r.json"], in: dir)
        #expect(underFile.code == 2)
        #expect(underFile.stderr.hasPrefix("synthctl: error: afile/r.json: expected an existing directory ")
                && underFile.stderr.hasSuffix("/afile to write into, found a regular file\n"), "\(underFile.stderr)")
        let proc = try run(["gen", "--rows", "10", "--out", "/proc/synthctl-cli-test"], in: dir)
        #expect(proc.code == 2)
        #expect(proc.stderr.hasPrefix("synthctl: error: /proc/synthctl-cli-test: cannot write the output (")
                && proc.stderr.hasSuffix("no such file or directory)\n") && proc.stderr.split(separator: "\n").count == 1, "\(proc.stderr)")
        let table = try run(["gen", "--rows", "10", "--format", "csv", "--out", "/proc/synthctl-cli-test.csv"], in: dir)
        #expect(table.code == 2)
        #expect(!table.stderr.contains("NSCocoaErrorDomain") && table.stderr.hasSuffix("no such file or directory)\n"), "\(table.stderr)")
        let missing = try run(["gen", "--spec", "missing.yaml"], in: dir)
        #expect(missing.stderr == Self.oneLine("missing.yaml: cannot read the spec file (no such file or directory)"))
    }

    /// Root ignores directory permissions, so this runs only as another user.
    @Test(.enabled(if: getuid() != 0, "root writes into read-only directories; the path-under-a-file case stands in for it"))
    func aReadOnlyDirectorySaysPermissionDenied() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(atPath: "\(dir)/ro", withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o555])
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(dir)/ro") }
        let r = try run(["score", "--answers", "\(Self.crowd)/dog/label.csv", "--json", "ro/r.json"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == Self.oneLine("ro/r.json: cannot write the file (permission denied)"))
        let gen = try run(["gen", "--rows", "10", "--out", "ro/d"], in: dir)
        #expect(gen.code == 2)
        #expect(gen.stderr == Self.oneLine("ro/d: cannot write the output (permission denied)"))
    }
}
