import Testing
import Foundation
import Synth
@testable import SynthctlCore
import TestSupport

/// End to end on the built `synthctl` binary: exit codes, messages, files.
@Suite struct CommandLineTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    static var binary: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("synthctl").path,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/synthctl").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    struct Result {
        let code: Int32; let stdout: String; let stderr: String
        /// Whether the process was killed by a signal (`code` is then the signal's number).
        var killedBySignal = false
    }

    /// Runs a program to completion, capturing both output streams.
    func launch(_ executable: String, _ args: [String], in dir: String? = nil,
                environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let dir { p.currentDirectoryURL = URL(fileURLWithPath: dir) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
                      killedBySignal: p.terminationReason == .uncaughtSignal)
    }

    /// Runs synthctl. Its default embedding cache is a directory of this
    /// run's own (unless `environment` names one), so that no test reads
    /// vectors another run kept, nor keeps any in the user's home.
    func run(_ args: [String], in dir: String? = nil, environment: [String: String] = [:]) throws -> Result {
        var environment = environment
        if environment["XDG_CACHE_HOME"] == nil { environment["XDG_CACHE_HOME"] = temporary.directory("xdg-cache") }
        return try launch(Self.binary, args, in: dir, environment: environment)
    }

    func python(_ script: String) throws -> Result {
        try pythonCheck(script, in: nil)
    }

    /// Runs a Python check, once more if the interpreter was killed by
    /// SIGABRT. On a machine loaded far beyond its cores (CI beside seven
    /// builds, load 20 on 2 cores) pyarrow's and Polars' C++ thread pools
    /// have aborted the interpreter ("terminate called without an active
    /// exception") before any line of the check ran its assertion. A check
    /// that fails exits with status 1, never by a signal, so the retry
    /// cannot turn a failed check into a passed one.
    func pythonCheck(_ script: String, in dir: String?) throws -> Result {
        let first = try launch("/usr/bin/env", ["python3", "-c", script], in: dir)
        guard first.killedBySignal && first.code == SIGABRT else { return first }
        return try launch("/usr/bin/env", ["python3", "-c", script], in: dir)
    }

    func tempDir() -> String {
        temporary.directory("synthctl-cli")
    }

    @Test func defaultRunWritesADatasetThatNumPyLoads() throws {
        let dir = tempDir()
        let r = try run(["gen"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("wrote synthctl-default: 10000 rows,"))
        #expect(r.stdout.contains("rows/s"))
        let check = try python("""
        import numpy as np, json
        d = '\(dir)/synthctl-default'
        X = np.load(d + '/features.npy'); y = np.load(d + '/labels.npy'); t = np.load(d + '/true_labels.npy')
        A = np.load(d + '/annotations.npy'); m = np.load(d + '/noise_mask.npy')
        man = json.load(open(d + '/manifest.json'))
        assert X.shape == (10000, 20) and X.dtype == np.float32, (X.shape, X.dtype)
        assert y.shape == (10000,) and y.dtype == np.int32 and t.dtype == np.int32
        assert A.shape == (10000, 10) and A.dtype == np.int32 and ((A >= 0).sum(1) == 3).all()
        assert m.dtype == np.uint8 and (m.astype(bool) == (y != t)).all()
        assert np.isfinite(X).all()
        assert man['files']['features.npy']['shape'] == [10000, 20]
        assert abs(man['noise']['realized_noise_rate'] - (y != t).mean()) < 1e-12
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        #expect(check.stdout == "ok\n")
    }

    @Test func aLargeDatasetWrittenPastThePageCacheLoadsInNumPy() throws {
        // 300,000 × 32 float32 is 38 MB: above the threshold where features
        // are written with O_DIRECT from page-aligned buffers behind a
        // one-block header, in whole blocks plus a buffered tail.
        let dir = tempDir()
        let r = try run(["gen", "--preset", "bench", "--rows", "300001", "--set", "generator.features=32",
                         "--set", "generator.informative=8", "--set", "generator.redundant=4", "--out", "big"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let check = try python("""
        import numpy as np, json, hashlib
        d = '\(dir)/big'
        man = json.load(open(d + '/manifest.json'))
        raw = open(d + '/features.npy', 'rb').read()
        assert hashlib.sha256(raw).hexdigest() == man['files']['features.npy']['sha256']
        assert len(raw) == 4096 + 300001 * 32 * 4, len(raw)
        X = np.load(d + '/features.npy')
        assert X.shape == (300001, 32) and X.dtype == np.float32 and np.isfinite(X).all()
        assert abs(X[:, man['ground_truth']['feature_roles'].index({'role': 'useless'})].std() - 1) < 0.01
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        #expect(check.stdout == "ok\n")
    }

    @Test func tablesLoadInPandasShapes() throws {
        let dir = tempDir()
        let csv = try run(["gen", "--preset", "noisy-moons", "--rows", "500", "--format", "csv", "--out", "m.csv"], in: dir)
        #expect(csv.code == 0, "\(csv.stderr)")
        let jsonl = try run(["gen", "--preset", "noisy-moons", "--rows", "500", "--format", "jsonl", "--out", "m.jsonl"], in: dir)
        #expect(jsonl.code == 0, "\(jsonl.stderr)")
        let npy = try run(["gen", "--preset", "noisy-moons", "--rows", "500", "--out", "m"], in: dir)
        #expect(npy.code == 0)
        let check = try python("""
        import numpy as np, json, csv
        d = '\(dir)'
        rows = list(csv.DictReader(open(d + '/m.csv')))
        lines = [json.loads(l) for l in open(d + '/m.jsonl')]
        X = np.load(d + '/m/features.npy'); y = np.load(d + '/m/labels.npy')
        assert len(rows) == 500 and len(lines) == 500
        assert np.allclose([[float(r['x0']), float(r['x1'])] for r in rows], X)
        names = json.load(open(d + '/m/manifest.json'))['class_names']
        assert [r['label'] for r in rows] == [names[i] for i in y] == [l['label'] for l in lines]
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    @Test func specFileInYAMLAndReproducibleFromManifest() throws {
        let dir = tempDir()
        try """
        rows: 300
        seed: 5
        generator:
          type: blobs
          centers: 4
          features: 3
        noise:
          type: pair
          rate: 0.2
        """.write(toFile: "\(dir)/spec.yaml", atomically: true, encoding: .utf8)
        #expect(try run(["gen", "--spec", "spec.yaml", "--out", "a"], in: dir).code == 0)
        let again = try run(["gen", "--spec", "a/manifest.json", "--out", "b"], in: dir)
        #expect(again.code == 0)
        #expect(again.stderr == "")
        let a = FileManager.default.contents(atPath: "\(dir)/a/features.npy")
        #expect(a != nil && a == FileManager.default.contents(atPath: "\(dir)/b/features.npy"))
        #expect(FileManager.default.contents(atPath: "\(dir)/a/manifest.json") == FileManager.default.contents(atPath: "\(dir)/b/manifest.json"))

        // A manifest of another dataset format still regenerates, with a warning.
        let manifest = try String(contentsOfFile: "\(dir)/a/manifest.json", encoding: .utf8)
        let old = manifest.replacingOccurrences(of: "\"format_version\": \(DatasetWriter.formatVersion)", with: "\"format_version\": 1")
        #expect(old != manifest)
        try old.write(toFile: "\(dir)/old.json", atomically: true, encoding: .utf8)
        let warned = try run(["gen", "--spec", "old.json", "--out", "c"], in: dir)
        #expect(warned.code == 0)
        #expect(warned.stderr == "synthctl: warning: old.json was written with dataset format 1; this synthctl writes format \(DatasetWriter.formatVersion): the rows will differ from the original's\n")
    }

    @Test(arguments: [
        (["gen", "--generator", "spirals"], "generator.type: expected one of classification, blobs, moons, circles, regression, multilabel, embedding, gaussian_model, copula_model, mixture_model, found \"spirals\""),
        (["gen", "--shard", "5/4"], "--shard: expected k/n with 1 ≤ k ≤ n, found 5/4"),
        (["gen", "--format", "xml"], "--format: expected one of npy, csv, jsonl, parquet, found \"xml\""),
        (["gen", "--preset", "nope"], "--preset: expected one of default, crowd, embeddings, noisy-moons, regression, bench, found \"nope\""),
        (["gen", "--set", "generator.weights=[0.7,0.7]", "--set", "generator.classes=2"], "generator.weights: expected weights that sum to 1, found a sum of 1.4"),
        (["gen", "--flip-rate", "0.9", "--set", "generator.classes=2"], "expected learnable noise"),
        (["gen", "--spec", "missing.json"], "missing.json: cannot read the spec file (no such file or directory)"),
        (["gen", "--threads", "0"], "--threads: expected an integer in [1, 4096], found 0"),
        (["gen", "--rows", "abc"], "--rows: expected an integer in [1, 1099511627776], found abc"),
        (["gen", "--preset", "crowd", "--spec", "x.json"], "--preset, --spec and --model are alternatives: give one of them"),
        (["gen", "--set", "rows"], "--set: expected path=value (e.g. generator.classes=5), found \"rows\""),
        (["gen", "--set", "a..b=1"], "--set: expected a dotted field path before '=', found \"a..b=1\""),
        (["gen", "--set", "rows.x=1"], "--set rows.x=1: expected x's parent to be an object, found 10000"),
        (["gen", "--out", "/proc/synthctl-cli-test"], "/proc/synthctl-cli-test: cannot write the output ("),
        (["gen", "--out", "missing/dir/out"], "missing/dir/out: expected an existing directory "),
        (["frobnicate"], "Unexpected argument 'frobnicate'"),
        (["score"], "give a dataset directory, --answers FILE, --labels FILE or --table FILE"),
        (["score", "d", "--answers", "a.csv"], "a dataset directory brings its own labels and annotations: drop --answers, --labels and --table"),
        (["score", "d", "--gold", "g.csv"], "--gold goes with --answers"),
        (["score", "--answers", "missing.csv"], "missing.csv: no such file"),
        (["score", "--answers", "/tmp"], "/tmp: expected a table or a Parquet part directory, found a directory of "),
        (["score", "/tmp"], "/tmp: expected a dataset directory, a Parquet part directory or a table, found a directory of "),
        (["score", "--answers", "x.csv", "--tie-policy", "coin"], "--tie-policy: expected lowest, highest, random or abstain, found coin"),
        (["score", "--answers", "x.csv", "--alpha-level", "cardinal"], "--alpha-level: expected nominal, ordinal, interval or ratio, found cardinal"),
        (["score", "--answers", "x.csv", "--min-labels", "0"], "--min-labels: expected an integer ≥ 1, found 0"),
        (["score", "--answers", "x.csv", "--aggregators", "glad,kos"], "--aggregators: expected one-coin, glad, mace or all (comma-separated), found \"kos\""),
        (["score", "--answers", "x.csv", "--mace-restarts", "0"], "--mace-restarts: expected an integer in [1, 10000], found 0"),
        (["score", "--answers", "x.csv", "--threads", "0"], "--threads: expected an integer in [1, 4096], found 0"),
    ])
    func badInputExitsWithTwo(args: [String], message: String) throws {
        let r = try run(args, in: tempDir())
        #expect(r.code == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.hasPrefix("synthctl: error: "))
    }

    @Test func badSpecFileSyntax() throws {
        let dir = tempDir()
        try "{\"rows\": 10,".write(toFile: "\(dir)/bad.json", atomically: true, encoding: .utf8)
        let r = try run(["gen", "--spec", "bad.json"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr.hasPrefix("synthctl: error: bad.json: expected JSON, found a syntax error"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func existingOutputNeedsForce() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "50", "--out", "d"], in: dir).code == 0)
        let again = try run(["gen", "--rows", "50", "--out", "d"], in: dir)
        #expect(again.code == 2)
        #expect(again.stderr == "synthctl: error: d: already exists (pass --force to replace it)\n")
        #expect(try run(["gen", "--rows", "50", "--out", "d", "--force"], in: dir).code == 0)
    }

    @Test func threadCountDoesNotChangeBytes() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--preset", "embeddings", "--rows", "3000", "--threads", "1", "--out", "one"], in: dir).code == 0)
        #expect(try run(["gen", "--preset", "embeddings", "--rows", "3000", "--threads", "2", "--out", "two"], in: dir).code == 0)
        #expect(FileManager.default.contents(atPath: "\(dir)/one/manifest.json") == FileManager.default.contents(atPath: "\(dir)/two/manifest.json"))
    }

    @Test func benchPrintsItsMeasurements() throws {
        let r = try run(["bench", "--rows", "20000"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("GFLOP/s") && r.stdout.contains("rows/s"))
        #expect(r.stdout.contains(" kernel)"))
    }

    @Test(.enabled(if: _UnsafeNormalKernel.widestLevel >= 1,
                   "this CPU runs only the portable normal kernel (no AVX2): every run would take the same path"))
    func bytesDoNotDependOnTheCPUsVectorWidth() throws {
        // The normal sampler runs as AVX-512, AVX2 or portable SIMD code,
        // whichever the CPU has; each path must write the same dataset.
        let dir = tempDir()
        for kernel in ["portable", "avx2", "widest"] {
            let env = kernel == "widest" ? [:] : ["SYNTHCTL_NORMAL_KERNEL": kernel]
            let r = try run(["gen", "--preset", "bench", "--rows", "5000", "--out", kernel], in: dir, environment: env)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let widest = FileManager.default.contents(atPath: "\(dir)/widest/features.npy")
        #expect(widest != nil)
        #expect(FileManager.default.contents(atPath: "\(dir)/portable/features.npy") == widest)
        #expect(FileManager.default.contents(atPath: "\(dir)/avx2/features.npy") == widest)
    }

    @Test func bytesDoNotDependOnTheBLASKernels() throws {
        // The generators' matrix products are computed in a fixed order, so
        // OpenBLAS's generic kernels and its best ones give the same dataset.
        let dir = tempDir()
        for (name, core) in [("generic", "Prescott"), ("chosen", "")] {
            let env = core.isEmpty ? [:] : ["OPENBLAS_CORETYPE": core]
            let r = try run(["gen", "--preset", "embeddings", "--rows", "3000", "--out", name], in: dir, environment: env)
            #expect(r.code == 0, "\(r.stderr)")
            let c = try run(["gen", "--rows", "3000", "--set", "generator.redundant=5", "--out", name + "-cls"], in: dir, environment: env)
            #expect(c.code == 0, "\(c.stderr)")
        }
        for suffix in ["", "-cls"] {
            let a = FileManager.default.contents(atPath: "\(dir)/generic\(suffix)/manifest.json")
            #expect(a != nil && a == FileManager.default.contents(atPath: "\(dir)/chosen\(suffix)/manifest.json"))
        }
    }

    @Test func multilabelWritesIndicatorMatrices() throws {
        let dir = tempDir()
        let spec = #"{"rows": 700, "generator": {"type": "multilabel", "features": 9, "labels": 3}}"#
        try spec.write(toFile: "\(dir)/ml.json", atomically: true, encoding: .utf8)
        #expect(try run(["gen", "--spec", "ml.json", "--out", "ml"], in: dir).code == 0)
        #expect(try run(["gen", "--spec", "ml.json", "--format", "csv", "--out", "ml.csv"], in: dir).code == 0)
        #expect(try run(["gen", "--spec", "ml.json", "--shard", "2/2", "--out", "half"], in: dir).code == 0)
        let bad = try run(["gen", "--spec", "ml.json", "--flip-rate", "0.1", "--out", "x"], in: dir)
        #expect(bad.code == 2)
        #expect(bad.stderr == "synthctl: error: --flip-rate 0.1: expected a generator with class labels, found the multilabel generator (a multilabel dataset has no class labels to flip; leave out --flip-rate)\n")
        let check = try python("""
        import numpy as np, csv, json, os
        d = '\(dir)'
        X = np.load(d + '/ml/features.npy'); Y = np.load(d + '/ml/labels.npy')
        assert X.shape == (700, 9) and Y.shape == (700, 3) and Y.dtype == np.int32, (X.shape, Y.shape)
        assert set(np.unique(Y)) <= {0, 1} and (X == np.round(X)).all() and (X.sum(1) > 0).all()
        assert sorted(os.listdir(d + '/ml')) == ['README.md', 'croissant.json', 'features.npy', 'labels.npy', 'manifest.json']
        rows = list(csv.DictReader(open(d + '/ml.csv')))
        assert [[int(r[f'label_{j}']) for j in range(3)] for r in rows] == Y.tolist()
        H = np.load(d + '/half/labels.npy')
        assert (H == Y[350:]).all()
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    static var crowd: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EvalTests/Fixtures/crowd").path
    }

    @Test func scoreSummarizesAndWritesItsReport() throws {
        let dir = tempDir()
        let r = try run(["score", "--answers", "\(Self.crowd)/dog/label.csv", "--gold", "\(Self.crowd)/dog/truth.csv",
                         "--json", "dog.json", "--min-agreement", "0.5"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("answers: 8070 from 109 annotators on 807 items, 4 classes"))
        #expect(r.stdout.contains("Fleiss κ 0.5194, Krippendorff α (nominal) 0.5194"))
        #expect(r.stdout.contains("0.8222 expected with random ties"))
        let check = try python("""
        import json
        r = json.load(open('\(dir)/dog.json'))['annotations']
        assert 'label_issues' not in json.load(open('\(dir)/dog.json'))
        assert r['metric_definitions_version'] == 1 and r['parameters']['tie_policy'] == 'lowest'
        assert r['input']['answers'] == 8070 and len(r['annotators']) == 109
        assert abs(r['agreement']['krippendorff_alpha']['value'] - 0.5194) < 1e-4
        assert r['dawid_skene']['converged'] and abs(r['dawid_skene']['accuracy'] - 0.8426) <= 0.002
        assert all(abs(sum(row) - 1) < 1e-9 for a in r['annotators'] for row in a['estimated_confusion'])
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// The other aggregation models, per-stage timings on standard error,
    /// and a JSON report that does not depend on the thread count.
    @Test func scoreRunsTheOtherAggregatorsOnRequest() throws {
        let dir = tempDir()
        let args = ["score", "--answers", "\(Self.crowd)/bluebird/label.csv", "--gold", "\(Self.crowd)/bluebird/truth.csv",
                    "--aggregators", "all", "--mace-restarts", "3", "--seed", "4", "--timings"]
        let one = try run(args + ["--json", "one.json", "--threads", "1"], in: dir)
        let two = try run(args + ["--json", "two.json", "--threads", "2"], in: dir)
        #expect(one.code == 0 && two.code == 0, "\(one.stderr)")
        #expect(one.stdout.contains("GLAD: ") && one.stdout.contains("MACE: 3 restarts × 50 iterations"))
        #expect(one.stdout.contains("one-coin Dawid–Skene: "))
        #expect(one.stderr.contains("synthctl: time: Dawid-Skene: ") && one.stderr.contains("synthctl: time: MACE: "))
        #expect(FileManager.default.contents(atPath: "\(dir)/one.json") == FileManager.default.contents(atPath: "\(dir)/two.json"))
        let check = try python("""
        import json
        r = json.load(open('\(dir)/one.json'))['annotations']
        m = r['other_models']
        assert set(m) == {'one_coin_dawid_skene', 'glad', 'mace'}
        assert m['mace']['restarts'] == 3 and len(m['mace']['restart_log_likelihoods']) == 3 and m['mace']['seed'] == 4
        assert m['glad']['converged'] and 0 <= m['glad']['accuracy'] <= 1
        assert all('glad_ability' in a and 'mace_competence' in a and 0 <= a['one_coin_skill'] <= 1 for a in r['annotators'])
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    @Test func scoreGatesExitWithOneAndNameWhatFailed() throws {
        let dir = tempDir()
        let r = try run(["score", "--answers", "\(Self.crowd)/bluebird/label.csv", "--gold", "\(Self.crowd)/bluebird/truth.csv",
                         "--min-agreement", "0.4", "--min-accuracy", "0.95", "--min-annotator-accuracy", "0.2", "--markdown", "s.md", "--html", "s.html"], in: dir)
        #expect(r.code == 1)
        let md = try String(contentsOfFile: "\(dir)/s.md", encoding: .utf8)
        #expect(md.hasPrefix("## synthctl score\n\n| annotations | value |"))
        #expect(md.contains("| Dawid–Skene accuracy (gold) | 0.8981 |"))
        let html = try String(contentsOfFile: "\(dir)/s.html", encoding: .utf8)
        #expect(html.contains("Annotator reliability (least accurate first)") && html.contains("chance agreement"))
        #expect(md.contains("**Gates failed:**\n- --min-agreement: Krippendorff's α (nominal) is 0.1255, below 0.4000"))
        #expect(r.stderr == """
        synthctl: gate failed: --min-agreement: Krippendorff's α (nominal) is 0.1255, below 0.4000
        synthctl: gate failed: --min-accuracy: Dawid–Skene accuracy against gold is 0.8981, below 0.9500

        """)
        let badJSON = try run(["score", "--answers", "\(Self.crowd)/bluebird/label.csv", "--json", "no/dir/r.json"], in: dir)
        #expect(badJSON.code == 2)
        #expect(badJSON.stderr.hasPrefix("synthctl: error: no/dir/r.json: expected an existing directory "))
        #expect(badJSON.stderr.hasSuffix("/no/dir to write into, found none\n"))
        let noGold = try run(["score", "--answers", "\(Self.crowd)/bluebird/label.csv", "--min-accuracy", "0.5"], in: dir)
        #expect(noGold.code == 2)
        #expect(noGold.stderr.contains("--min-accuracy: expected gold labels"))
        // A synthetic pool scored from its dataset directory.
        #expect(try run(["gen", "--preset", "crowd", "--rows", "600", "--out", "pool"], in: dir).code == 0)
        let pool = try run(["score", "pool", "--max-flagged-share", "0.01"], in: dir)
        #expect(pool.code == 1)
        #expect(pool.stderr.hasPrefix("synthctl: gate failed: --max-flagged-share: "))
    }
}
