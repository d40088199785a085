import Testing
import Foundation
import SynthctlCore

/// What `gen` writes as tables reads back wherever a dataset directory is
/// accepted: `score D`, `fit D`, `compare --human D` on a table directory
/// or a sharded Parquet directory (they looked for labels.npy), and a gen
/// table's annotator columns as answers (`score --answers T --annotator-columns`).
extension CommandLineTests {
    static let directorySpec = ["--rows", "300", "--seed", "3"]

    /// Writes the same dataset as npy (`npy`), a Parquet table directory
    /// (`pq`), a CSV table directory of class ids (`csv`), three Parquet
    /// parts (`parts`) and a JSON Lines table (`t.jsonl`).
    func writeEveryForm(in dir: String) throws {
        let spec = Self.directorySpec
        #expect(try run(["gen"] + spec + ["--out", "npy"], in: dir).code == 0)
        #expect(try run(["gen"] + spec + ["--format", "parquet", "--directory", "--out", "pq"], in: dir).code == 0)
        #expect(try run(["gen"] + spec + ["--format", "csv", "--label-format", "id", "--directory", "--out", "csv"], in: dir).code == 0)
        for k in 1...3 { #expect(try run(["gen"] + spec + ["--format", "parquet", "--shard", "\(k)/3", "--out", "parts"], in: dir).code == 0) }
        #expect(try run(["gen"] + spec + ["--format", "jsonl", "--out", "t.jsonl"], in: dir).code == 0)
    }

    @Test func scoreGivesTheSameReportOnEveryFormOfADataset() throws {
        let dir = tempDir()
        try writeEveryForm(in: dir)
        let reference = try run(["score", "npy", "--json", "-"], in: dir)
        #expect(reference.code == 0, "\(reference.stderr)")
        // The report names its input: apart from that, the same bytes.
        for form in ["pq", "csv", "parts"] {
            let r = try run(["score", form, "--json", "-"], in: dir)
            #expect(r.code == 0, "\(form): \(r.stderr)")
            #expect(r.stdout.replacingOccurrences(of: "\"source\": \"\(form)\"", with: "\"source\": \"npy\"") == reference.stdout, "\(form)")
            #expect(r.stdout.contains("\"source\": \"\(form)\""))
        }
        // A plain table's annotator columns: the same annotations section.
        let wide = try run(["score", "--answers", "t.jsonl", "--annotator-columns", "--json", "-"], in: dir)
        #expect(wide.code == 0, "\(wide.stderr)")
        let npyAnnotations = try run(["score", "npy", "--json", "a.json"], in: dir)
        #expect(npyAnnotations.code == 0)
        try wide.stdout.write(toFile: "\(dir)/w.json", atomically: false, encoding: .utf8)
        let same = try python("""
        import json
        a = json.load(open('\(dir)/a.json'))['annotations']; w = json.load(open('\(dir)/w.json'))['annotations']
        print(json.dumps(a, sort_keys=True) == json.dumps(w, sort_keys=True), a['input']['workers'], len(a['annotators']))
        """)
        #expect(same.stdout.hasPrefix("True "), "\(same.stdout)\(same.stderr)")
        // The other commands that take a dataset directory.
        #expect(try run(["fit", "parts", "--out", "m.json"], in: dir).code == 0)
        let compare = try run(["compare", "--human", "pq", "--synthetic", "parts", "--json", "c.json"], in: dir)
        #expect(compare.code == 0, "\(compare.stderr)")
    }

    @Test func aShardedDirectoryWithAPartMissingExtraOrOfAnotherRunIsRefused() throws {
        let dir = tempDir()
        for k in 1...2 { #expect(try run(["gen", "--rows", "40", "--format", "parquet", "--shard", "\(k)/2", "--out", "p"], in: dir).code == 0) }
        #expect(try run(["gen", "--rows", "40", "--seed", "9", "--format", "parquet", "--shard", "2/2", "--out", "other"], in: dir).code == 0)
        let fm = FileManager.default
        func copy(_ name: String) throws -> String {
            try fm.copyItem(atPath: "\(dir)/p", toPath: "\(dir)/\(name)")
            return name
        }
        func refused(_ d: String, _ line: String) throws {
            let r = try run(["score", d], in: dir)
            #expect(r.code == 2 && r.stderr == "synthctl: error: \(line)\n", "\(r.stderr)")
        }
        let missing = try copy("missing")
        try fm.removeItem(atPath: "\(dir)/missing/part-00002-of-00002.parquet")
        try refused(missing, "missing/part-00002-of-00002.parquet: listed in missing/_part-00002-of-00002.parquet.manifest.json but missing: the directory is incomplete (copy the whole directory, or regenerate it with synthctl gen --spec missing/_part-00002-of-00002.parquet.manifest.json --out missing)")
        let extra = try copy("extra")
        try fm.copyItem(atPath: "\(dir)/p/part-00001-of-00002.parquet", toPath: "\(dir)/extra/part-00003-of-00002.parquet")
        try refused(extra, "extra/part-00003-of-00002.parquet: expected parts 1 to 2 of 2 (part-00001-of-00002.parquet …), found part 3 of 2")
        let split = try copy("split")
        try fm.copyItem(atPath: "\(dir)/p/part-00001-of-00002.parquet", toPath: "\(dir)/split/part-00001-of-00003.parquet")
        try refused(split, "split/part-00001-of-00003.parquet: expected parts 1 to 2 of 2 (part-00001-of-00002.parquet …), found part 1 of 3")
        let orphan = try copy("orphan")
        try fm.copyItem(atPath: "\(dir)/p/_part-00001-of-00002.parquet.manifest.json", toPath: "\(dir)/orphan/_part-00001-of-00005.parquet.manifest.json")
        try refused(orphan, "orphan/_part-00001-of-00005.parquet.manifest.json: expected a part beside it (part-00001-of-00005.parquet), found none")
        let unlisted = try copy("unlisted")
        try fm.removeItem(atPath: "\(dir)/unlisted/_part-00001-of-00002.parquet.manifest.json")
        try refused(unlisted, "unlisted/_part-00001-of-00002.parquet.manifest.json: expected the manifest of part-00001-of-00002.parquet, found no such file")
        let mixed = try copy("mixed")
        for name in ["part-00002-of-00002.parquet", "_part-00002-of-00002.parquet.manifest.json"] {
            try fm.removeItem(atPath: "\(dir)/mixed/\(name)")
            try fm.copyItem(atPath: "\(dir)/other/\(name)", toPath: "\(dir)/mixed/\(name)")
        }
        try refused(mixed, "mixed/_part-00002-of-00002.parquet.manifest.json: expected the dataset of part-00001-of-00002.parquet (the same format version, seed, spec and total rows), found another one")
        // A part swapped for its own other half: its manifest says which it is.
        let swapped = try copy("swapped")
        try fm.removeItem(atPath: "\(dir)/swapped/_part-00002-of-00002.parquet.manifest.json")
        try fm.copyItem(atPath: "\(dir)/p/_part-00001-of-00002.parquet.manifest.json", toPath: "\(dir)/swapped/_part-00002-of-00002.parquet.manifest.json")
        try refused(swapped, "swapped/_part-00002-of-00002.parquet.manifest.json: expected an entry for part-00002-of-00002.parquet in its files, found none")
        // A part that holds other rows than its manifest says: its footer says of how many.
        let cut = try copy("cut")
        #expect(try run(["gen", "--rows", "41", "--format", "parquet", "--shard", "2/2", "--out", "longer"], in: dir).code == 0)
        try fm.removeItem(atPath: "\(dir)/cut/part-00002-of-00002.parquet")
        try fm.copyItem(atPath: "\(dir)/longer/part-00002-of-00002.parquet", toPath: "\(dir)/cut/part-00002-of-00002.parquet")
        try refused(cut, "cut/part-00002-of-00002.parquet: expected a dataset of 40 rows in all (its manifest's), found 41 (its footer's synthctl.total_rows)")
    }

    @Test func annotatorColumnsAreReadOnlyFromAnswersAndRefusedWhereAbsent() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "30", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        let noAnswers = try run(["score", "--table", "t.csv", "--annotator-columns"], in: dir)
        #expect(noAnswers.code == 2 && noAnswers.stderr.contains("--annotator-columns goes with --answers"))
        let gold = try run(["score", "--answers", "t.csv", "--annotator-columns", "--gold", "t.csv"], in: dir)
        #expect(gold.code == 2 && gold.stderr.contains("drop --gold"))
        try "x0,label\n1,a\n".write(toFile: "\(dir)/plain.csv", atomically: false, encoding: .utf8)
        let none = try run(["score", "--answers", "plain.csv", "--annotator-columns"], in: dir)
        #expect(none.code == 2 && none.stderr == "synthctl: error: plain.csv: expected annotator columns (annotator_0, annotator_1, …), found columns x0, label (2 columns)\n")
        // A cell that is no class of the manifest beside the table.
        let written = try #require(FileDigest.sha256(ofFileAt: "\(dir)/t.csv"))
        let text = try String(contentsOfFile: "\(dir)/t.csv", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let a0 = try #require(header.firstIndex(of: "annotator_0"))
        var row = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        row[a0] = "class_9"
        try ([lines[0], row.joined(separator: ",")] + lines[2...]).joined(separator: "\n").write(toFile: "\(dir)/t.csv", atomically: false, encoding: .utf8)
        // A table changed since gen wrote it: its manifest's SHA-256 is checked, as everywhere.
        let changed = try run(["score", "--answers", "t.csv", "--annotator-columns"], in: dir)
        #expect(changed.code == 2 && changed.stderr.hasPrefix("synthctl: error: t.csv: expected the SHA-256 its manifest lists (")
                && changed.stderr.hasSuffix("the file changed after gen wrote it, so its classes and annotators may not be the manifest's (remove its entry from t.csv.manifest.json, or that manifest, to read the answers as they are)\n"), "\(changed.stderr)")
        // With the manifest listing the changed bytes, the cell is refused as no class of it.
        let manifest = try String(contentsOfFile: "\(dir)/t.csv.manifest.json", encoding: .utf8)
        try manifest.replacingOccurrences(of: written, with: try #require(FileDigest.sha256(ofFileAt: "\(dir)/t.csv")))
            .write(toFile: "\(dir)/t.csv.manifest.json", atomically: false, encoding: .utf8)
        let bad = try run(["score", "--answers", "t.csv", "--annotator-columns"], in: dir)
        #expect(bad.code == 2 && bad.stderr == "synthctl: error: t.csv: line 2, column \"annotator_0\": expected a class of the manifest (class_0, class_1, class_2), found \"class_9\"\n", "\(bad.stderr)")
    }

    @Test func genOnAShardsManifestWritesItsPartIntoADirectory() throws {
        let dir = tempDir()
        for k in 1...2 { #expect(try run(["gen", "--rows", "40", "--format", "parquet", "--shard", "\(k)/2", "--out", "p"], in: dir).code == 0) }
        let again = try run(["gen", "--spec", "p/_part-00002-of-00002.parquet.manifest.json", "--format", "parquet", "--out", "q"], in: dir)
        #expect(again.code == 0 && again.stdout.hasPrefix("wrote q/part-00002-of-00002.parquet: 20 rows"), "\(again.stdout)\(again.stderr)")
        // That part, its manifest, and the directory's configuration for `datasets` (the same bytes in both).
        #expect(files("\(dir)/q") == files("\(dir)/p").filter { $0.key.contains("00002-of") || $0.key == ".huggingface.yaml" })
        #expect(files("\(dir)/q").count == 3)
        // An npy shard's manifest, written as Parquet: that part, placed the same way.
        #expect(try run(["gen", "--rows", "40", "--shard", "1/2", "--out", "n"], in: dir).code == 0)
        #expect(try run(["gen", "--spec", "n/manifest.json", "--format", "parquet", "--out", "q"], in: dir).code == 0)
        #expect(contents(dir, "q/part-00001-of-00002.parquet") == contents(dir, "p/part-00001-of-00002.parquet"))
        #expect(try run(["score", "q"], in: dir).code == 0)  // both parts: one dataset again
    }
}
