import Testing
import Foundation

/// A file a dataset's manifest lists, that a run would read, must be
/// there: a directory copied in part was read around it (exit 0, the
/// annotations or the gold left out in silence). Every directory kind says
/// so in one line of one shape, with exit 2.
extension CommandLineTests {
    func incomplete(_ file: String, listedIn manifest: String, then options: String = "") -> String {
        "synthctl: error: \(file): listed in \(manifest) but missing: the directory is incomplete (copy the whole directory, or regenerate it with synthctl gen --spec \(manifest)\(options))\n"
    }

    @Test func anNpyDirectoryWithAListedFileMissingIsRefused() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--out", "d"], in: dir).code == 0)
        #expect(try run(["gen", "--preset", "crowd", "--rows", "300", "--seed", "3", "--out", "h"], in: dir).code == 0)
        let fm = FileManager.default
        for name in ["labels.npy", "annotations.npy", "true_labels.npy", "features.npy"] {
            let copy = "no-" + name.dropLast(4)
            try fm.copyItem(atPath: "\(dir)/d", toPath: "\(dir)/\(copy)")
            try fm.removeItem(atPath: "\(dir)/\(copy)/\(name)")
            let line = incomplete("\(copy)/\(name)", listedIn: "\(copy)/manifest.json")
            #expect(try refusedLine(["score", copy], in: dir) == line, "\(name)")
            // fit and compare read the labeled set (features, labels, true labels), not the annotations.
            for command in [["fit", copy, "--out", "\(copy).json"], ["compare", "--human", "h", "--synthetic", copy, "--json", "c-\(copy).json"]] {
                if name == "annotations.npy" {
                    #expect(try run(command, in: dir).code == 0, "\(command)")
                } else {
                    #expect(try refusedLine(command, in: dir) == line, "\(command)")
                }
            }
        }
    }

    @Test func aTableOrShardedDirectoryWithItsTableMissingSaysItIsMissing() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "200", "--format", "csv", "--directory", "--out", "c"], in: dir).code == 0)
        try FileManager.default.removeItem(atPath: "\(dir)/c/data.csv")
        for command in [["score", "c"], ["fit", "c", "--out", "m.json"]] {
            #expect(try refusedLine(command, in: dir) == incomplete("c/data.csv", listedIn: "c/manifest.json"))
        }
        for k in 1...3 { #expect(try run(["gen", "--rows", "90", "--format", "parquet", "--shard", "\(k)/3", "--out", "p"], in: dir).code == 0) }
        try FileManager.default.removeItem(atPath: "\(dir)/p/part-00002-of-00003.parquet")
        #expect(try refusedLine(["score", "p"], in: dir) == incomplete("p/part-00002-of-00003.parquet", listedIn: "p/_part-00002-of-00003.parquet.manifest.json", then: " --out p"))
        // Its manifest gone too: the other parts count it, and --shard names which to write again.
        try FileManager.default.removeItem(atPath: "\(dir)/p/_part-00002-of-00003.parquet.manifest.json")
        #expect(try refusedLine(["score", "p"], in: dir) == "synthctl: error: p/part-00002-of-00003.parquet: part 2 of the 3 that p/_part-00001-of-00003.parquet.manifest.json counts but missing: the directory is incomplete (copy the whole directory, or regenerate it with synthctl gen --spec p/_part-00001-of-00003.parquet.manifest.json --shard 2/3 --out p)\n")
        // As the line says, that writes the part again, and the directory reads.
        #expect(try run(["gen", "--spec", "p/_part-00001-of-00003.parquet.manifest.json", "--shard", "2/3", "--out", "p"], in: dir).code == 0)
        #expect(try run(["score", "p"], in: dir).code == 0)
    }

    @Test func scoreOrFitOnAMultilabelNpyDirectorySaysWhatItIs() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "50", "--generator", "multilabel", "--out", "ml"], in: dir).code == 0)
        for command in [["score", "ml"], ["fit", "ml", "--out", "m.json"]] {
            #expect(try refusedLine(command, in: dir) == "synthctl: error: ml: expected a dataset with class labels (labels.npy and class_names in its manifest), found a multilabel dataset (its labels.npy holds one 0/1 indicator column per label: 50 × 5)\n")
        }
    }
}
