import Testing
import Foundation

/// Issue 15 (QA 15c, item 8): every file a dataset's manifest lists is
/// checked against its SHA-256, not only the tables and arrays a run reads:
/// the card, croissant.json and a fitted model's copies too, by every
/// command that reads a dataset directory (one line naming the file, exit 2).
extension CommandLineTests {
    @Test func aCardOrCroissantOrModelCopyChangedAfterGenIsRefusedByEveryCommand() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "300", "--format", "parquet", "--directory", "--out", "p"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "300", "--seed", "3", "--out", "n"], in: dir).code == 0)
        #expect(try run(["fit", "n", "--out", "m.json"], in: dir).code == 0)
        #expect(try run(["gen", "--model", "m.json", "--rows", "300", "--out", "fromm"], in: dir).code == 0)
        let listed = try python("import json; print(sorted(json.load(open('\(dir)/fromm/manifest.json'))['files']))").stdout
        #expect(listed.contains("model.json") && listed.contains("model.safetensors"), "\(listed)")
        let fm = FileManager.default
        let commands: [(String) -> [String]] = [
            { ["score", $0] }, { ["fit", $0, "--out", "refit.json"] },
            { ["compare", "--human", "n", "--synthetic", $0] }, { ["limits", "--human", $0, "--synthetic", "n"] },
            { ["collapse", "--human", $0, "--generations", "1"] },
            { ["split", $0, "--train-out", "train", "--holdout-out", "holdout", "--record", "rec.json"] },
        ]
        // Each file edited in its own copy of the dataset, as the QA did (`sed -i s/class_0/klass_0/`, a changed sha256).
        for (source, file, edit) in [("p", "README.md", "t = open(f).read(); open(f, 'w').write(t.replace('class_0', 'klass_0'))"),
                                     ("p", "croissant.json", "t = open(f).read(); open(f, 'w').write(t.replace('\"sha256\": \"', '\"sha256\": \"0', 1))"),
                                     ("n", "README.md", "open(f, 'a').write('x')"),
                                     ("fromm", "model.json", "open(f, 'a').write(' ')")] {
            let copy = "\(source)-\(file)"
            try fm.copyItem(atPath: "\(dir)/\(source)", toPath: "\(dir)/\(copy)")
            let before = try sha12("\(dir)/\(copy)/\(file)")
            #expect(try python("f = '\(dir)/\(copy)/\(file)'; \(edit)").code == 0)
            let after = try sha12("\(dir)/\(copy)/\(file)")
            #expect(before != after)
            let line = "synthctl: error: \(copy)/\(file): expected the SHA-256 its manifest lists (\(before)…), found \(after)…: the file changed after gen wrote it (remove its entry from manifest.json, or that manifest, to read it as it is)\n"
            for command in commands where !(source == "p" && command("").first == "split") {  // split reads only the .npy form
                #expect(try refusedLine(command(copy), in: dir) == line, "\(command(copy))")
            }
        }
        for output in ["refit.json", "train", "holdout", "rec.json"] { #expect(!fm.fileExists(atPath: "\(dir)/\(output)"), "\(output)") }
        // A listed card that is gone: the directory is incomplete.
        try fm.copyItem(atPath: "\(dir)/p", toPath: "\(dir)/nocard")
        try fm.removeItem(atPath: "\(dir)/nocard/README.md")
        #expect(try refusedLine(["score", "nocard"], in: dir).hasPrefix("synthctl: error: nocard/README.md: listed in nocard/manifest.json but missing"))
        // The untouched datasets still read.
        for d in ["p", "n", "fromm"] { #expect(try run(["score", d], in: dir).code == 0, "\(d)") }
    }

    /// QA 15c item 5: fit's note on an integer column beyond float32's
    /// integer range states the largest value read (2^63 + 11 reads as
    /// float32 2^63), and says that values from 2^63 on were clamped, and why.
    @Test func fitsNoteStatesTheValueReadAndTheClamp() throws {
        let dir = tempDir()
        let make = try python("""
        open('\(dir)/u.csv', 'w').write('u64,x,label\\n' + ''.join(f'{9223372036854775819 if i % 2 else 3},{i % 7 + i // 2},{"ab"[i % 3 % 2]}\\n' for i in range(60)))
        """)
        #expect(make.code == 0, "\(make.stderr)")
        let fit = try run(["fit", "u.csv", "--out", "m.json"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
        let note = "column \"u64\" holds values beyond 2^24 (up to 9223372036854775808), where float32, the model's number type, holds integers only in steps of 1099511627776 at the largest: its values are read and sampled rounded to those steps, and those of magnitude 2^63 or more clamped to 9223371487098961920 (the largest float32 below 2^63), so that each is an Int64, the integer type tables write"
        #expect(fit.stdout.split(separator: "\n").contains { $0.hasSuffix(note) }, "\(fit.stdout)")
    }
}
