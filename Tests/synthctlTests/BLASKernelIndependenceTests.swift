import Testing
import Foundation

/// The same answers whichever kernels OpenBLAS runs: its sgemm rounds
/// differently per CPU family, and `OPENBLAS_CORETYPE` makes this machine
/// run another family's kernels. `compare` and `score` (k-NN and logistic)
/// run under each kernel this CPU can execute; every number must be
/// identical, except MMD², KID and the Fréchet distance, which must agree
/// within the sum of the rounding bounds the reports carry beside them.
extension CommandLineTests {
    /// Kernels to run under: three x86-64 families every x86-64 CPU with
    /// AVX2 can execute, and Skylake-X's AVX-512 kernels where the CPU has
    /// AVX-512.
    static var blasCores: [String] {
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("flags") }.map { Set($0.split(separator: " ")) } ?? []
        var cores = ["Prescott"]
        if flags.contains("avx2") && flags.contains("fma") { cores += ["Haswell", "Zen"] }
        if flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl") { cores.append("SkylakeX") }
        return cores
    }

    /// The kernel family OpenBLAS reports when asked for `core` (the same
    /// library synthctl links, through Debian's libblas.so.3 alternative).
    func openBLASCore(_ core: String) throws -> String {
        let r = try launch("/usr/bin/env", ["python3", "-c", """
            import ctypes
            lib = ctypes.CDLL('libblas.so.3')
            lib.openblas_get_corename.restype = ctypes.c_char_p
            print(lib.openblas_get_corename().decode())
            """], environment: ["OPENBLAS_CORETYPE": core])
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func answersDoNotDependOnTheBLASKernel() throws {
        let cores = Self.blasCores
        try #require(cores.count >= 3, "this CPU runs fewer than three OpenBLAS kernel families (no AVX2)")
        let dir = tempDir()
        for (name, seed) in [("human", "1"), ("synthetic", "2")] {
            let g = try run(["gen", "--preset", "embeddings", "--rows", "1500", "--seed", seed,
                             "--set", "generator.dim=24", "--set", "generator.classes=6", "--set", "generator.superclasses=2",
                             "--out", name], in: dir)
            #expect(g.code == 0, "\(g.stderr)")
        }
        for core in cores {
            #expect(try openBLASCore(core) == core, "OpenBLAS did not take OPENBLAS_CORETYPE=\(core)")
            let env = ["OPENBLAS_CORETYPE": core]
            for args in [["compare", "--human", "human", "--synthetic", "synthetic", "--kid-subsets", "5", "--json", "compare-\(core).json"],
                         ["score", "human", "--model", "knn", "--json", "knn-\(core).json", "--issues", "knn-\(core).csv"],
                         ["score", "human", "--json", "logistic-\(core).json", "--issues", "logistic-\(core).csv"]] {
                let r = try run(args, in: dir, environment: env)
                #expect(r.code == 0, "\(core) \(args[0]): \(r.stderr)")
            }
        }
        let check = try python("""
        import json, re, sys
        cores = \(cores)
        def flat(o, p=''):
            if isinstance(o, dict):
                for k, v in o.items(): yield from flat(v, p + '/' + k)
            elif isinstance(o, list):
                for i, v in enumerate(o): yield from flat(v, p + '[%d]' % i)
            else: yield p, o
        # Each bounded number and where its bound is.
        bounded = [(r'/mmd/mmd2_unbiased$', lambda k: k + '_rounding_bound'),
                   (r'/per_class\\[\\d+\\]/mmd2_unbiased$', lambda k: k + '_rounding_bound'),
                   (r'/kid/(mean|std)$', lambda k: re.sub(r'(mean|std)$', 'rounding_bound', k)),
                   (r'/frechet/(distance|covariance_term)$', lambda k: re.sub(r'(distance|covariance_term)$', 'rounding_bound', k)),
                   (r'/per_class\\[\\d+\\]/frechet$', lambda k: k + '_rounding_bound'),
                   # Spreads over the 5 matched-size draws of bounded values: an sd moves by at most √(5/4) times
                   # the values' bound (‖δ − δ̄‖/√(n − 1) ≤ b·√n/√(n − 1)), KID's std_sd by (5/4)·the KID bound.
                   (r'/mmd/mmd2_unbiased_sd$', lambda k: k[:-3] + '_rounding_bound'),
                   (r'/frechet/distance_sd$', lambda k: re.sub(r'distance_sd$', 'rounding_bound', k)),
                   (r'/kid/(mean|std)_sd$', lambda k: re.sub(r'(mean|std)_sd$', 'rounding_bound', k))]
        problems, checked, within = [], 0, 0
        for name in ['compare', 'knn', 'logistic']:
            runs = {c: dict(flat(json.load(open('\(dir)/%s-%s.json' % (name, c))))) for c in cores}
            base = runs[cores[0]]
            for c in cores[1:]:
                other = runs[c]
                if set(base) != set(other): problems.append((name, c, 'keys differ', set(base) ^ set(other)))
                for k, a in base.items():
                    b = other.get(k)
                    if k.endswith('rounding_bound'): continue
                    rule = next((f for pattern, f in bounded if re.search(pattern, k)), None)
                    if rule is None:
                        checked += 1
                        if a != b: problems.append((name, c, k, a, b))
                        continue
                    bound = base[rule(k)] + other[rule(k)]
                    if k.endswith('/std') or k.endswith('_sd'): bound *= (5 / 4) ** 0.5
                    if k.endswith('/std_sd'): bound *= (5 / 4) ** 0.5
                    within += 1
                    if not abs(a - b) <= bound: problems.append((name, c, k, a, b, 'bound', bound))
            if name != 'compare':
                flags = {c: open('\(dir)/%s-%s.csv' % (name, c)).read() for c in cores}
                if len(set(flags.values())) != 1: problems.append((name, 'flagged items differ'))
        assert not problems, problems[:20]
        assert checked > 1000 and within > 20, (checked, within)
        print('ok', checked, within)
        """)
        #expect(check.code == 0, "\(check.stderr)")
        #expect(check.stdout.hasPrefix("ok"))
    }
}

extension CommandLineTests {
    /// `fit` (every model) and `collapse` (which refits each generation) run
    /// in a fixed order of operations — Gram matrices, Cholesky factors,
    /// EM's products, the copula's normal quantile, collapse's Fréchet
    /// eigendecompositions — so their files must be byte for byte the same
    /// under every OpenBLAS kernel family this CPU runs, and with OpenBLAS
    /// held to one thread. No value is exempt: none carries a rounding bound.
    @Test func fitAndCollapseDoNotDependOnTheBLASKernel() throws {
        let cores = Self.blasCores
        try #require(cores.count >= 3, "this CPU runs fewer than three OpenBLAS kernel families (no AVX2)")
        let dir = tempDir()
        // 40 features: wide enough that LAPACK's Cholesky and dsyrk take their blocked paths.
        let g = try run(["gen", "--rows", "1500", "--seed", "5", "--set", "generator.features=40", "--set", "generator.informative=8",
                         "--set", "generator.classes=3", "--out", "human"], in: dir)
        #expect(g.code == 0, "\(g.stderr)")
        var runs = cores.map { ($0, ["OPENBLAS_CORETYPE": $0]) }
        runs.append(("\(cores[0])-1thread", ["OPENBLAS_CORETYPE": cores[0], "OPENBLAS_NUM_THREADS": "1"]))
        var outputs = [String: [String: Data]]()
        for (name, env) in runs {
            var files = [String: Data]()
            for args in [["fit", "human", "--out", "gaussian-\(name).json"],
                         ["fit", "human", "--model", "copula", "--out", "copula-\(name).json"],
                         ["fit", "human", "--model", "mixture", "--components", "2", "--out", "mixture-\(name).json"],
                         ["collapse", "--human", "human", "--generations", "4", "--rows", "600", "--json", "replace-\(name).json"],
                         ["collapse", "--human", "human", "--generations", "3", "--rows", "400", "--mode", "accumulate",
                          "--json", "accumulate-\(name).json"]] {
                let r = try run(args, in: dir, environment: env)
                #expect(r.code == 0, "\(name) \(args[0]): \(r.stderr)")
                let file = args[args.count - 1], kind = String(file.prefix { $0 != "-" })
                var data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(file)"))
                if args[0] == "fit" {
                    // A model is two files; its JSON names its tensors, whose name differs by run.
                    let tensors = String(file.dropLast(".json".count)) + ".safetensors"
                    files[kind + ".safetensors"] = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(tensors)"))
                    data = Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"\(tensors)\"", with: "\"m.safetensors\"").utf8)
                }
                files[kind] = data
            }
            outputs[name] = files
        }
        let base = outputs[cores[0]]!
        #expect(base.count == 8 && base.values.allSatisfy { $0.count > 100 })
        for (name, files) in outputs where name != cores[0] {
            for (kind, data) in files { #expect(data == base[kind], "\(kind) under \(name) differs from \(cores[0])") }
        }
    }
}
