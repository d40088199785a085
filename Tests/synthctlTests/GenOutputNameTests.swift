import Testing
import Foundation

/// gen's output names match their contents (a fresh tester's findings):
/// `--out d.csv.gz` wrote plain CSV, `--out c.tsv` commas, and the
/// manifest of such a table replayed as an npy directory. Now the name
/// decides (`.tsv` tabs, `.gz` gzip, `.zst` zstd), a name that contradicts
/// `--format` is refused, and the manifest records format, delimiter and
/// compression so that `gen --spec` writes the same bytes.
extension CommandLineTests {
    /// The plain text the compressed file `path` holds (gzip or zstd, by
    /// the tools' own decoders).
    func decompressed(_ path: String) throws -> String {
        let tool = path.hasSuffix(".zst") ? "/usr/bin/zstd" : "/usr/bin/gzip"
        let r = try launch(tool, ["-dc", path])
        #expect(r.code == 0, "\(path): \(r.stderr)")
        return r.stdout
    }

    @Test func aTableNameDecidesItsBytesAndItsManifestWritesThemAgain() throws {
        let dir = tempDir()
        let base = ["gen", "--preset", "crowd", "--rows", "300", "--quiet"]
        for format in ["csv", "jsonl"] {
            let plain = try run(base + ["--format", format, "--out", "\(dir)/plain.\(format)"])
            #expect(plain.code == 0, "\(plain.stderr)")
        }
        let csv = try String(contentsOfFile: "\(dir)/plain.csv", encoding: .utf8)
        let jsonl = try String(contentsOfFile: "\(dir)/plain.jsonl", encoding: .utf8)
        let tsv = csv.replacingOccurrences(of: ",", with: "\t")  // crowd's names and numbers hold no comma
        // name, --format given or not, the text it holds, what the manifest records
        let cases: [(String, String?, String, [String: String])] = [
            ("t.tsv", "csv", tsv, ["format": "csv", "delimiter": "\t"]),
            ("t.csv.gz", "csv", csv, ["format": "csv", "compression": "gzip"]),
            ("n.csv.gz", nil, csv, ["format": "csv", "compression": "gzip"]),
            ("t.tsv.gz", nil, tsv, ["format": "csv", "delimiter": "\t", "compression": "gzip"]),
            ("t.csv.zst", "csv", csv, ["format": "csv", "compression": "zstd"]),
            ("t.jsonl.gz", "jsonl", jsonl, ["format": "jsonl", "compression": "gzip"]),
            ("t.jsonl.zst", nil, jsonl, ["format": "jsonl", "compression": "zstd"]),
            ("t.txt", "csv", csv, ["format": "csv"]),
        ]
        for (i, (name, format, text, recorded)) in cases.enumerated() {
            let path = "\(dir)/\(name)"
            let r = try run(base + (format.map { ["--format", $0] } ?? []) + ["--out", path])
            #expect(r.code == 0, "\(name): \(r.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            if name.hasSuffix(".gz") { #expect(bytes.starts(with: [0x1F, 0x8B, 8, 0, 0, 0, 0, 0]), "\(name): gzip, no name, MTIME 0") }
            if name.hasSuffix(".zst") { #expect(bytes.starts(with: [0x28, 0xB5, 0x2F, 0xFD]), "\(name)") }
            #expect(try (name.hasSuffix(".gz") || name.hasSuffix(".zst") ? decompressed(path) : String(decoding: bytes, as: UTF8.self)) == text, "\(name)")
            // The manifest: the SHA-256 of the bytes on disk, and how they were written.
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + ".manifest.json"))) as! [String: Any]
            let entry = (manifest["files"] as! [String: Any])[name] as! [String: Any]
            let sum = try launch("/usr/bin/sha256sum", [path]).stdout.prefix(64)
            #expect(entry["sha256"] as? String == String(sum) && entry["bytes"] as? Int == bytes.count, "\(name)")
            for key in ["format", "delimiter", "compression"] { #expect(entry[key] as? String == recorded[key], "\(name): \(key)") }
            // The manifest writes the same bytes: under the same name, and under a name that says nothing.
            for again in ["again-" + name, "again-\(i)"] {
                let replay = try run(["gen", "--spec", path + ".manifest.json", "--out", "\(dir)/\(again)", "--quiet"])
                #expect(replay.code == 0, "\(name) → \(again): \(replay.stderr)")
                #expect(try launch("/usr/bin/cmp", [path, "\(dir)/\(again)"]).code == 0, "\(name) → \(again)")
            }
        }
        // score reads each back as the same table.
        let reference = try run(["score", "--table", "\(dir)/plain.csv", "--quiet"])
        #expect(reference.code == 0, "\(reference.stderr)")
        for name in ["t.tsv", "t.csv.gz", "t.tsv.gz", "t.csv.zst", "t.jsonl.gz", "t.jsonl.zst"] {
            let r = try run(["score", "--table", "\(dir)/\(name)", "--quiet"])
            #expect(r.code == 0 && r.stdout == reference.stdout, "\(name): \(r.stderr)")
        }
    }

    @Test func aTableNameThatContradictsTheFormatIsRefused() throws {
        let dir = tempDir()
        for (args, message) in [
            (["--format", "parquet", "--out", "x.csv"], "--out x.csv: expected a .parquet name for --format parquet, found .csv (csv): name it x.parquet, or give --format csv"),
            (["--format", "csv", "--out", "x.parquet"], "--out x.parquet: expected a .csv name for --format csv, found .parquet (parquet): name it x.csv, or give --format parquet"),
            (["--format", "jsonl", "--out", "x.tsv.gz"], "--out x.tsv.gz: expected a .jsonl name for --format jsonl, found .tsv (tab-separated csv): name it x.jsonl.gz, or give --format csv"),
            (["--format", "parquet", "--out", "x.parquet.gz"], "--out x.parquet.gz: expected a .parquet name for --format parquet, found .gz (a gzip stream, which Parquet readers do not open): name it x.parquet (--compression compresses its pages)"),
            (["--out", "x.parquet.zst"], "--out x.parquet.zst: expected a .parquet name for --format parquet, found .zst (a zstd stream, which Parquet readers do not open): name it x.parquet (--compression compresses its pages)"),
        ] {
            let r = try run(["gen", "--rows", "10"] + args, in: dir)
            #expect(r.code == 2 && r.stderr == "synthctl: error: \(message)\n", "\(args): \(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        // Without --format the name is the format; an npy directory takes any name but a table's
        // (a directory called z.csv fails in every CSV reader: refused, in namesOfAnotherFormatAreRefused).
        for (args, written) in [(["--out", "y.parquet"], "y.parquet.manifest.json"), (["--format", "npy", "--out", "z.data"], "z.data/manifest.json")] {
            let r = try run(["gen", "--rows", "10", "--quiet"] + args, in: dir)
            #expect(r.code == 0 && FileManager.default.fileExists(atPath: "\(dir)/\(written)"), "\(args): \(r.stderr)")
        }
    }
}
