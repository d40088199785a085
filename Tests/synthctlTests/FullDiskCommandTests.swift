import Testing
import Foundation

/// Every writer's error path, end to end: writes that fail part-way give
/// one line naming the output and exit 2 (never a crash: the CSV writer
/// once closed its file twice, `free(): double free`, on a full disk), and
/// leave neither the output nor a temporary file.
///
/// How the disk is "filled": a per-process file size limit (`ulimit -f`,
/// RLIMIT_FSIZE) with SIGXFSZ ignored, so that a write past the limit fails
/// with EFBIG, part-way through a file, as ENOSPC would on a full disk.
/// It needs no privileges (a tmpfs mount needs CAP_SYS_ADMIN, which CI
/// containers usually lack), and it limits each file separately, which lets
/// a test fail exactly the file it means to: the large features file but
/// not a small manifest, or a manifest but not the small table before it.
/// ENOSPC itself is checked with `/dev/full` as standard output.
extension CommandLineTests {
    /// Runs `synthctl args` in `dir` under a file size limit of `blocks`
    /// 512-byte blocks (POSIX `ulimit -f` units; dash, bash --posix).
    func runWithFileSizeLimit(blocks: Int, _ args: [String], in dir: String) throws -> Result {
        let quoted = ([Self.binary] + args).map { "'\($0)'" }.joined(separator: " ")
        return try launch("/bin/sh", ["-c", "trap '' XFSZ; ulimit -f \(blocks) && exec \(quoted)"], in: dir)
    }

    @Test(arguments: [
        // The buffered .npy path (small files go through the page cache).
        (1_000, ["gen", "--rows", "20000", "--out", "d"], "d/features.npy: write failed after "),
        // The direct path: 300,001 × 32 float32 (38 MB) bypasses the page cache in whole blocks.
        (2_048, ["gen", "--preset", "bench", "--rows", "300001", "--set", "generator.features=32", "--set", "generator.informative=8",
                 "--set", "generator.redundant=4", "--out", "d"], "d/features.npy: write failed after "),
        (64, ["gen", "--rows", "2000", "--format", "csv", "--out", "t.csv"], "t.csv: write failed after "),
        (64, ["gen", "--rows", "2000", "--format", "jsonl", "--out", "t.jsonl"], "t.jsonl: write failed after "),
        // A 3-row table (under 1 KB) fits; its manifest (11 KB) does not.
        (4, ["gen", "--rows", "3", "--format", "csv", "--out", "t.csv"], "t.csv.manifest.json: write failed after "),
        // Every .npy of 5 rows, the dataset card (1.9 KB) and croissant.json (4.1 KB) fit; the manifest (16 KB) does not.
        (16, ["gen", "--rows", "5", "--out", "d"], "d/manifest.json: write failed after "),
        (4, ["gen", "--rows", "5", "--out", "d"], "d/croissant.json: write failed after "),
        (2, ["gen", "--rows", "5", "--out", "d"], "d/README.md: write failed after "),
        (8, ["score", "--answers", "ANSWERS", "--json", "r.json"], "r.json: write failed after "),
        (8, ["score", "--answers", "ANSWERS", "--html", "r.html"], "r.html: write failed after "),
        (1, ["score", "--table", "T", "--folds", "2", "--issues", "i.csv"], "i.csv: write failed after "),
        (8, ["fit", "T", "--out", "m.json"], "m.safetensors: write failed after "),  // the tensors, written before the JSON that names them
    ])
    func aWriteThatFailsPartWayIsOneLineAndLeavesNothing(blocks: Int, args: [String], message: String) throws {
        let dir = tempDir()
        let table = "\(tempDir())/t.csv"  // outside dir, which must stay empty
        if args.contains("T") {
            #expect(try run(["gen", "--rows", "400", "--format", "csv", "--out", table], in: dir).code == 0)
        }
        let args = args.map { $0 == "ANSWERS" ? "\(Self.crowd)/dog/label.csv" : $0 == "T" ? table : $0 }
        let r = try runWithFileSizeLimit(blocks: blocks, args, in: dir)
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("synthctl: error: \(message)"), "\(r.stderr)")
        #expect(r.stderr.hasSuffix("bytes (file too large)\n") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func aFullStandardOutputIsOneLine() throws {
        let dir = tempDir()
        let full = FileHandle(forWritingAtPath: "/dev/full")
        let rows = try run(["gen", "--rows", "2000", "--format", "csv", "--out", "-"], input: nil, output: full, in: dir)
        #expect(rows.code == 2)
        #expect(rows.stderr == "synthctl: error: -: write failed after 0 bytes (no space left on device)\n")
        let report = try run(["score", "--answers", "\(Self.crowd)/dog/label.csv", "--json", "-"], input: nil, output: full, in: dir)
        #expect(report.code == 2)
        #expect(report.stderr.hasSuffix("synthctl: error: -: write failed after 0 bytes (no space left on device)\n"), "\(report.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}
