import Testing
import Foundation

/// `--max-memory` when reading large model files and specs (issue 13,
/// testers' third round): an 88 MB model took 505 MB to sample under
/// `--max-memory 90M`, because only the file's bytes were counted. The
/// decoded tree and the model's factors are estimated before decoding.
extension CommandLineTests {
    /// A 16 MB model (16 classes × 300 features): refused under a limit
    /// the file's bytes fit but its decoding does not, by `gen --model`,
    /// `limits --model` and `gen --spec` of a manifest that embeds it, in
    /// one line; run at the estimate, its peak memory stays within it.
    @Test func largeModelFilesAreEstimatedBeforeDecoding() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--set", "generator.features=300", "--set", "generator.informative=5", "--set", "generator.classes=16",
                         "--rows", "2000", "--out", "human"], in: dir).code == 0)
        #expect(try run(["fit", "human", "--out", "m.json"], in: dir).code == 0)
        let size = (try FileManager.default.attributesOfItem(atPath: "\(dir)/m.json")[.size] as? Int) ?? 0
        #expect(size > 10_000_000)
        // Four times the file: what counting the file alone allowed.
        let limit = "\(4 * size)"
        let shown = String(format: "%.1f MiB", Double(4 * size) / 1_048_576)
        let gen = try run(["gen", "--model", "m.json", "--rows", "100", "--out", "g", "--max-memory", limit], in: dir)
        let limits = try run(["limits", "--human", "human", "--model", "m.json", "--max-memory", limit], in: dir)
        for r in [gen, limits] {
            #expect(r.code == 2)
            #expect(r.stderr.hasPrefix("synthctl: error: m.json: expected a run within the memory limit of \(shown), found an estimate of "), "\(r.stderr)")
            #expect(r.stderr.hasSuffix("; the file's text, held three times while it is decoded (\(size) bytes × 3): \(String(format: "%.1f MiB", Double(3 * size) / 1_048_576)) (--max-memory sets the limit)\n"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/g"))
        // The estimate, in bytes, from the message (MiB to 0.1: rounded up).
        let text = gen.stderr.components(separatedBy: "found an estimate of ").last?.components(separatedBy: " MiB").first ?? ""
        let estimate = Int(((Double(text) ?? 0) + 0.05) * 1_048_576)
        #expect(estimate > 4 * size)

        // At the estimate, the run is allowed, and the memory it adds to a
        // run that reads no model (peak resident set minus that of a
        // small `gen`, measured by the kernel's accounting of each child)
        // stays within it.
        let peaks = try python("""
        import resource, subprocess, os
        os.chdir('\(dir)')
        def peak(args):
            r = subprocess.run(['python3', '-c', 'import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)'] + args, capture_output=True, text=True)
            return r.stdout.split()
        print(*peak(['\(Self.binary)', 'gen', '--rows', '100', '--out', 'small']), *peak(['\(Self.binary)', 'gen', '--model', 'm.json', '--rows', '100', '--out', 'g', '--max-memory', '\(estimate)']))
        """)
        let fields = peaks.stdout.split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }
        #expect(fields.count == 4 && fields[0] == 0 && fields[2] == 0, "\(peaks.stdout) \(peaks.stderr)")
        if fields.count == 4 {
            let added = (fields[3] - fields[1]) * 1024  // ru_maxrss is in KiB on Linux
            #expect(added > 0 && added <= estimate, "added \(added) bytes, estimate \(estimate)")
        }

        // A manifest that embeds the model, read as a spec: the same estimate.
        let manifest = try run(["gen", "--spec", "g/manifest.json", "--out", "again", "--max-memory", limit], in: dir)
        #expect(manifest.code == 2)
        #expect(manifest.stderr.hasPrefix("synthctl: error: g/manifest.json: expected a run within the memory limit of \(shown), found an estimate of "), "\(manifest.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/again"))
    }
}
