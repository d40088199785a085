import Testing
import Foundation

/// `--max-memory` when reading large model files and specs (issue 13,
/// testers' third round): an 88 MB model took 505 MB to sample under
/// `--max-memory 90M`, because only the file's bytes were counted. The
/// decoded tree and the model's factors are estimated before decoding;
/// since issue 15 the numbers are a safetensors file, estimated before it
/// is read.
extension CommandLineTests {
    /// A 12 MB model (16 classes × 300 features; its numbers in
    /// m.safetensors beside a small m.json): refused under a limit the
    /// tensor file's bytes fit but reading and sampling them does not, by
    /// `gen --model`, `limits --model` and `gen --spec` of a manifest that
    /// names the model's copy, in one line naming the tensors; run at the
    /// estimate, its peak memory stays within it.
    @Test func largeModelFilesAreEstimatedBeforeDecoding() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--set", "generator.features=300", "--set", "generator.informative=5", "--set", "generator.classes=16",
                         "--rows", "2000", "--out", "human"], in: dir).code == 0)
        #expect(try run(["fit", "human", "--out", "m.json"], in: dir).code == 0)
        let size = (try FileManager.default.attributesOfItem(atPath: "\(dir)/m.safetensors")[.size] as? Int) ?? 0
        #expect(size > 10_000_000)
        // Twice the tensors: more than the file, less than reading it takes.
        let limit = "\(2 * size)"
        let shown = String(format: "%.1f MiB", Double(2 * size) / 1_048_576)
        let gen = try run(["gen", "--model", "m.json", "--rows", "100", "--out", "g", "--max-memory", limit], in: dir)
        let limits = try run(["limits", "--human", "human", "--model", "m.json", "--max-memory", limit], in: dir)
        for r in [gen, limits] {
            #expect(r.code == 2)
            #expect(r.stderr == "synthctl: error: m.safetensors: expected a run within the memory limit of \(shown), found an estimate of \(String(format: "%.1f MiB", Double(4 * size) / 1_048_576)) for the model's tensors, read, decoded, as sampling factors and copied (\(size) bytes × 4) (--max-memory sets the limit)\n", "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/g"))
        let estimate = 4 * size

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
        print(*peak(['\(Self.binary)', 'gen', '--rows', '100', '--out', 'small']), *peak(['\(Self.binary)', 'gen', '--model', 'm.json', '--rows', '100', '--out', 'g', '--max-memory', '\(estimate + 2_000_000)']))
        """)
        let fields = peaks.stdout.split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }
        #expect(fields.count == 4 && fields[0] == 0 && fields[2] == 0, "\(peaks.stdout) \(peaks.stderr)")
        if fields.count == 4 {
            let added = (fields[3] - fields[1]) * 1024  // ru_maxrss is in KiB on Linux
            #expect(added > 0 && added <= estimate, "added \(added) bytes, estimate \(estimate)")
        }

        // A manifest that names the model's copy, read as a spec: the same estimate, for the copy.
        let manifest = try run(["gen", "--spec", "g/manifest.json", "--out", "again", "--max-memory", limit], in: dir)
        #expect(manifest.code == 2)
        #expect(manifest.stderr.hasPrefix("synthctl: error: g/model.safetensors: expected a run within the memory limit of \(shown), found an estimate of "), "\(manifest.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/again"))
    }
}
