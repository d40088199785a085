import Testing
import Foundation

/// A dataset directory is read only as its manifest describes it: every
/// file a run reads has the SHA-256 the manifest lists, every Parquet
/// footer the manifest's row_offset and total_rows; anything else is one
/// line and exit 2 (it was read silently: exit 0, another dataset's results).
extension CommandLineTests {
    /// The first 12 hex digits of a file's SHA-256, as the refusal shows them.
    func sha12(_ path: String) throws -> String {
        try python("import hashlib; print(hashlib.sha256(open('\(path)', 'rb').read()).hexdigest()[:12], end='')").stdout
    }

    func refusedLine(_ args: [String], in dir: String) throws -> String {
        let r = try run(args, in: dir)
        #expect(r.code == 2, "\(args): \(r.code) \(r.stderr)")
        return r.stderr
    }

    @Test func aPartCopiedOverAnotherOrFromAnotherRunIsRefused() throws {
        let dir = tempDir()
        for k in 1...3 { #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--format", "parquet", "--shard", "\(k)/3", "--out", "ds"], in: dir).code == 0) }
        #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--seed", "5", "--format", "parquet", "--shard", "2/3", "--out", "other"], in: dir).code == 0)
        #expect(try run(["score", "ds"], in: dir).code == 0)
        let fm = FileManager.default
        // Part 1 under part 2's name: its footer says where its rows start.
        try fm.copyItem(atPath: "\(dir)/ds", toPath: "\(dir)/copied")
        try fm.removeItem(atPath: "\(dir)/copied/part-00002-of-00003.parquet")
        try fm.copyItem(atPath: "\(dir)/ds/part-00001-of-00003.parquet", toPath: "\(dir)/copied/part-00002-of-00003.parquet")
        for command in [["score", "copied"], ["fit", "copied", "--out", "m.json"]] {
            #expect(try refusedLine(command, in: dir) == "synthctl: error: copied/part-00002-of-00003.parquet: expected rows from 100 (its manifest's row_offset), found rows from 0 (its footer's synthctl.row_offset)\n")
        }
        // Another seed's part 2, the same shape and footer: its SHA-256 tells.
        try fm.copyItem(atPath: "\(dir)/ds", toPath: "\(dir)/seeded")
        try fm.removeItem(atPath: "\(dir)/seeded/part-00002-of-00003.parquet")
        try fm.copyItem(atPath: "\(dir)/other/part-00002-of-00003.parquet", toPath: "\(dir)/seeded/part-00002-of-00003.parquet")
        let listed = try sha12("\(dir)/ds/part-00002-of-00003.parquet"), found = try sha12("\(dir)/other/part-00002-of-00003.parquet")
        #expect(try refusedLine(["fit", "seeded", "--out", "m.json"], in: dir) == "synthctl: error: seeded/part-00002-of-00003.parquet: expected the SHA-256 its manifest lists (\(listed)…), found \(found)…: the part is not the one gen wrote beside _part-00002-of-00003.parquet.manifest.json (changed since, or another run's)\n")
        #expect(!fm.fileExists(atPath: "\(dir)/m.json"))
    }

    @Test func aTableOrArrayChangedAfterGenWroteItIsRefused() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "200", "--format", "csv", "--directory", "--out", "c"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "2000", "--format", "parquet", "--directory", "--out", "p"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "200", "--out", "n"], in: dir).code == 0)
        for d in ["c", "p", "n"] { #expect(try run(["score", d], in: dir).code == 0, "\(d)") }
        let before = try ["c/data.csv", "p/data.parquet", "n/labels.npy", "n/features.npy"].map { try sha12("\(dir)/\($0)") }
        // Labels edited with pandas; a byte flipped inside a Snappy page; one label and one feature changed in the arrays.
        let edit = try python("""
        import numpy as np, pandas as pd
        d = pd.read_csv('\(dir)/c/data.csv'); d.loc[0, 'label'] = 'class_1' if d.loc[0, 'label'] != 'class_1' else 'class_2'; d.to_csv('\(dir)/c/data.csv', index=False)
        b = bytearray(open('\(dir)/p/data.parquet', 'rb').read()); b[len(b) // 3] ^= 0x10; open('\(dir)/p/data.parquet', 'wb').write(b)
        b = bytearray(open('\(dir)/n/labels.npy', 'rb').read()); b[-4] = (b[-4] + 1) % 3; open('\(dir)/n/labels.npy', 'wb').write(b)
        """)
        #expect(edit.code == 0, "\(edit.stderr)")
        let after = try ["c/data.csv", "p/data.parquet", "n/labels.npy"].map { try sha12("\(dir)/\($0)") }
        let changed = { (file: String, i: Int) in
            "synthctl: error: \(file): expected the SHA-256 its manifest lists (\(before[i])…), found \(after[i])…: the file changed after gen wrote it (remove its entry from manifest.json, or that manifest, to read it as it is)\n"
        }
        #expect(try refusedLine(["score", "c"], in: dir) == changed("c/data.csv", 0))
        #expect(try refusedLine(["score", "p"], in: dir) == changed("p/data.parquet", 1))
        #expect(try refusedLine(["fit", "n", "--out", "m.json"], in: dir) == changed("n/labels.npy", 2))
        #expect(try refusedLine(["compare", "--human", "n", "--synthetic", "c"], in: dir) == changed("n/labels.npy", 2))
        // The features too, though labels.npy is read first: the first listed file that differs is named.
        let flip = try python("b = bytearray(open('\(dir)/n/features.npy', 'rb').read()); b[-1] ^= 0x01; open('\(dir)/n/features.npy', 'wb').write(b)")
        #expect(flip.code == 0)
        let features = try sha12("\(dir)/n/features.npy")
        #expect(try refusedLine(["fit", "n", "--out", "m.json"], in: dir) == "synthctl: error: n/features.npy: expected the SHA-256 its manifest lists (\(before[3])…), found \(features)…: the file changed after gen wrote it (remove its entry from manifest.json, or that manifest, to read it as it is)\n")
        // As the line says: without its manifest, the table is read as it is.
        try FileManager.default.removeItem(atPath: "\(dir)/c/manifest.json")
        #expect(try run(["score", "--table", "c/data.csv"], in: dir).code == 0)
    }

    @Test func anIdTableWhoseManifestListsOtherBytesSaysSo() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--seed", "7", "--out", "human"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "300", "--format", "csv", "--label-format", "id", "--directory", "--out", "ids"], in: dir).code == 0)
        #expect(try run(["compare", "--human", "human", "--synthetic", "ids/data.csv", "--json", "c.json"], in: dir).code == 0)
        let listed = try sha12("\(dir)/ids/data.csv")
        try ("\n" as String).data(using: .utf8).map { data in
            let h = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(dir)/ids/data.csv")); try h.seekToEnd(); try h.write(contentsOf: data); try h.close()
        }
        let found = try sha12("\(dir)/ids/data.csv")
        // Until now: "found none in common (0, 1, 2)", the manifest silently ignored.
        #expect(try refusedLine(["compare", "--human", "human", "--synthetic", "ids/data.csv", "--json", "c2.json"], in: dir) == "synthctl: error: ids/data.csv: expected the SHA-256 its manifest lists (\(listed)…), found \(found)…: the file changed after gen wrote it, so its class ids have no names (remove its entry from manifest.json, or that manifest, to read the ids as the classes)\n")
    }

    @Test func scoreOnARegressionOrMultilabelTableDirectorySaysWhatItIs() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "50", "--generator", "regression", "--format", "parquet", "--directory", "--out", "reg"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "50", "--generator", "multilabel", "--format", "csv", "--directory", "--out", "ml"], in: dir).code == 0)
        let expected = "expected a dataset with class labels (a label column and class_names in its manifest), found"
        for command in [["score", "reg"], ["fit", "reg", "--out", "m.json"]] {
            #expect(try refusedLine(command, in: dir) == "synthctl: error: reg: \(expected) a regression dataset (its target column holds numbers, not classes)\n")
        }
        for command in [["score", "ml"], ["fit", "ml", "--out", "m.json"]] {
            #expect(try refusedLine(command, in: dir) == "synthctl: error: ml: \(expected) a multilabel dataset (one indicator column per label: label_0, label_1, label_2, label_3, label_4)\n")
        }
        // The .npy form of a regression dataset says the same, not that labels.npy is missing.
        #expect(try run(["gen", "--rows", "50", "--generator", "regression", "--out", "rnpy"], in: dir).code == 0)
        for command in [["score", "rnpy"], ["fit", "rnpy", "--out", "m.json"]] {
            #expect(try refusedLine(command, in: dir) == "synthctl: error: rnpy: expected a dataset with class labels (labels.npy and class_names in its manifest), found a regression dataset (its targets.npy holds numbers, not classes)\n")
        }
    }
}
