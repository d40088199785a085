import Testing
import Foundation

/// `-` for standard output (reports, model files, `gen --out -` rows) and
/// standard input (tables, answers, models), pipes and process
/// substitution, end to end on the built binary.
extension CommandLineTests {
    /// Runs synthctl with `input` on its standard input; its standard output
    /// goes to `output` when given (a file, `/dev/full`), else is captured.
    func run(_ args: [String], input: Data?, output: FileHandle? = nil, in dir: String) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let stdin = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input == nil ? FileHandle.nullDevice : stdin
        p.standardOutput = output ?? out
        p.standardError = err
        try p.run()
        if let input {
            // From a thread of its own: the child may fill its output pipe first.
            let writer = stdin.fileHandleForWriting
            Thread.detachNewThread {
                try? writer.write(contentsOf: input)
                try? writer.close()
            }
        }
        let o = output == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// The bytes of a file in `dir`.
    func contents(_ dir: String, _ name: String) -> Data? { FileManager.default.contents(atPath: "\(dir)/\(name)") }

    /// Temporary outputs and lock files left in `dir`.
    func leftovers(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter {
            $0.contains(".synthctl-partial-") || $0.contains(".synthctl-old-") || $0.hasSuffix(".synthctl-lock")
        }
    }

    @Test func reportsModelsAndRowsGoToStandardOutputAsDash() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "600", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        // Rows: the same bytes as the file; the summary on standard error;
        // the manifest where --manifest says, naming the table "-".
        let rows = try run(["gen", "--rows", "600", "--format", "csv", "--out", "-", "--manifest", "m.json"], in: dir)
        #expect(rows.code == 0, "\(rows.stderr)")
        #expect(Data(rows.stdout.utf8) == contents(dir, "t.csv"))
        #expect(rows.stderr.hasPrefix("wrote -: 600 rows, "))
        let manifest = String(decoding: contents(dir, "t.csv.manifest.json")!, as: UTF8.self)
        #expect(String(decoding: contents(dir, "m.json")!, as: UTF8.self) == manifest.replacingOccurrences(of: "\"t.csv\": {", with: "\"-\": {"))
        let noManifest = try run(["gen", "--rows", "600", "--format", "jsonl", "--out", "-"], in: dir)
        #expect(noManifest.code == 0 && noManifest.stdout.split(separator: "\n").count == 600)

        // Reports: the same bytes as the file; the summary moves to standard error.
        let args = ["score", "--table", "t.csv", "--folds", "2"]
        let file = try run(args + ["--json", "r.json", "--issues", "i.csv", "--markdown", "r.md"], in: dir)
        #expect(file.code == 0, "\(file.stderr)")
        for (option, name) in [("--json", "r.json"), ("--issues", "i.csv"), ("--markdown", "r.md")] {
            let piped = try run(args + [option, "-"], in: dir)
            #expect(piped.code == 0, "\(piped.stderr)")
            #expect(Data(piped.stdout.utf8) == contents(dir, name), "\(option)")
            #expect(piped.stderr == file.stdout, "\(option)")
        }
        let html = try run(args + ["--html", "-"], in: dir)
        #expect(html.code == 0 && html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.hasSuffix("</html>"))

        // A model to standard output (one JSON, every number inline: no
        // file beside it for the tensors), and back in from standard input:
        // it samples what the two files written with --out FILE sample.
        #expect(try run(["fit", "t.csv", "--out", "model.json"], in: dir).code == 0)
        let model = try run(["fit", "t.csv", "--out", "-"], in: dir)
        #expect(model.code == 0 && model.stdout.contains("\"format_version\": 1,") && model.stdout.contains("\"cholesky\": ["))
        #expect(model.stderr.contains("fitted a class-conditional Gaussian to 600 rows of t.csv"))
        let fromStdin = try run(["gen", "--model", "-", "--rows", "50", "--out", "sampled"], input: Data(model.stdout.utf8), in: dir)
        #expect(fromStdin.code == 0, "\(fromStdin.stderr)")
        let fromFile = try run(["gen", "--model", "model.json", "--rows", "50", "--out", "sampled2"], in: dir)
        #expect(fromFile.code == 0 && contents(dir, "sampled/features.npy") == contents(dir, "sampled2/features.npy"))
        // A spec from standard input: YAML, as it does not start with {.
        let spec = try run(["gen", "--spec", "-", "--out", "from-yaml"], input: Data("rows: 30\ngenerator:\n  type: moons\n".utf8), in: dir)
        #expect(spec.code == 0 && spec.stdout.hasPrefix("wrote from-yaml: 30 rows"), "\(spec.stderr)")
        let collapse = try run(["collapse", "--human", "t.csv", "--generations", "2", "--json", "-"], in: dir)
        #expect(collapse.code == 0 && collapse.stdout.hasPrefix("{\n") && collapse.stderr.hasPrefix("replace: 2 generations"))
        #expect(leftovers(dir).isEmpty)
    }

    @Test(arguments: [
        (["score", "--table", "t.csv", "--json", "-", "--markdown", "-"], "--json and --markdown: expected at most one output to standard output (-), found 2"),
        (["fit", "t.csv", "--out", "-", "--json", "-"], "--out and --json: expected at most one output to standard output (-), found 2"),
        (["gen", "--out", "-"], "--out -: expected --format csv, jsonl or parquet (one table) for standard output, found npy (a directory)"),
        (["gen", "--format", "csv", "--out", "x.csv", "--manifest", "m.json"], "--manifest goes with --out - (a table written to a file gets <out>.manifest.json beside it)"),
        (["score", "--answers", "-", "--gold", "-"], "--answers and --gold: expected at most one input from standard input (-), found 2"),
        (["compare", "--human", "-", "--synthetic", "-"], "--human and --synthetic: expected at most one input from standard input (-), found 2"),
        (["score", "--table", "t.csv", "--input-format", "xml"], "--input-format: expected csv, tsv, jsonl or parquet, found \"xml\""),
    ])
    func standardStreamsAreUsedOnce(args: [String], message: String) throws {
        let dir = tempDir()
        try "a,label\n1,0\n2,1\n".write(toFile: "\(dir)/t.csv", atomically: true, encoding: .utf8)
        let r = try run(args, in: dir)
        #expect(r.code == 2)
        #expect(r.stderr.hasPrefix("synthctl: error: ") && r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// Tables from standard input and from process substitution, in every
    /// format: by extension, by content when there is none, or as
    /// --input-format says; the same summary as from the file.
    @Test func tablesAndAnswersComeFromStandardInputAndPipes() throws {
        let dir = tempDir()
        for format in ["csv", "jsonl"] {
            #expect(try run(["gen", "--rows", "400", "--format", format, "--out", "t.\(format)"], in: dir).code == 0)
        }
        let parquet = try python("""
        import pandas as pd
        pd.read_csv('\(dir)/t.csv').to_parquet('\(dir)/t.parquet')
        print('ok')
        """)
        #expect(parquet.code == 0, "\(parquet.stderr)")
        let args = ["score", "--folds", "2"]
        let expected = try run(args + ["--table", "t.csv"], in: dir)
        #expect(expected.code == 0, "\(expected.stderr)")
        for name in ["t.csv", "t.jsonl", "t.parquet"] {
            let piped = try run(args + ["--table", "-"], input: contents(dir, name), in: dir)
            #expect(piped.code == 0, "\(name): \(piped.stderr)")
            #expect(piped.stdout == expected.stdout, "\(name)")
            // bash's process substitution passes a /dev/fd/N pipe, with no extension.
            let substituted = try launch("/bin/bash", ["-c", "\"$0\" score --folds 2 --table <(cat \(name))", Self.binary], in: dir)
            #expect(substituted.code == 0, "\(name): \(substituted.stderr)")
            #expect(substituted.stdout == expected.stdout, "\(name)")
        }
        // A name without a known extension is read by its content; --input-format
        // decides over any name (here: CSV bytes are no Parquet file), and Parquet
        // bytes are Parquet whatever it says.
        try FileManager.default.copyItem(atPath: "\(dir)/t.jsonl", toPath: "\(dir)/rows.txt")
        #expect(try run(args + ["--table", "rows.txt"], in: dir).stdout == expected.stdout)
        #expect(try run(args + ["--table", "rows.txt", "--input-format", "jsonl"], in: dir).stdout == expected.stdout)
        #expect(try run(args + ["--table", "t.csv", "--input-format", "parquet"], in: dir).stderr
                == "synthctl: error: t.csv: expected a Parquet file (PAR1 at both ends), found other bytes\n")
        #expect(try run(args + ["--table", "t.parquet", "--input-format", "csv"], in: dir).stdout == expected.stdout)
        let forced = try run(args + ["--table", "-", "--input-format", "parquet"], input: contents(dir, "t.csv"), in: dir)
        #expect(forced.code == 2 && forced.stderr == "synthctl: error: -: expected a Parquet file (PAR1 at both ends), found other bytes\n")
        let asCSV = try run(args + ["--table", "-", "--input-format", "csv"], input: contents(dir, "t.jsonl"), in: dir)
        #expect(asCSV.code == 2 && asCSV.stderr.hasPrefix("synthctl: error: -: "), "\(asCSV.stderr)")

        // Answers, and compare's human set, from standard input.
        let answers = "\(Self.crowd)/dog/label.csv"
        let fromFile = try run(["score", "--answers", answers], in: dir)
        let fromStdin = try run(["score", "--answers", "-"], input: FileManager.default.contents(atPath: answers), in: dir)
        #expect(fromStdin.code == 0 && fromStdin.stdout == fromFile.stdout, "\(fromStdin.stderr)")
        #expect(try run(["gen", "--rows", "400", "--seed", "9", "--format", "csv", "--out", "s.csv"], in: dir).code == 0)
        let compare = try run(["compare", "--human", "-", "--synthetic", "s.csv", "--no-baselines", "--kid-subsets", "2", "--json", "c.json"],
                              input: contents(dir, "t.parquet"), in: dir)
        #expect(compare.code == 0, "\(compare.stderr)")
        let fileCompare = try run(["compare", "--human", "t.csv", "--synthetic", "s.csv", "--no-baselines", "--kid-subsets", "2"], in: dir)
        #expect(compare.stdout.replacingOccurrences(of: "human -:", with: "human t.csv:") == fileCompare.stdout)
    }
}
