import Testing
import Foundation

/// Hostile sizes end to end: overflowing headers, nesting bombs, label ids
/// that would make a million classes, flags that ask for any size, and the
/// `--max-memory` limit. Each is one line and exit code 2, or the right
/// answer where the input is valid.
extension CommandLineTests {
    /// The one line a refused run prints, or a description of what went wrong instead.
    func refusal(_ r: Result) -> String {
        guard r.code == 2 else { return "exit \(r.code): \(r.stderr)" }
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count == 2, lines[1].isEmpty, lines[0].hasPrefix("synthctl: error: ") else { return "not one line: \(r.stderr)" }
        return String(lines[0].dropFirst("synthctl: error: ".count))
    }

    @Test func maxMemoryIsOnEveryCommandAndRefusesWithTheFlag() throws {
        for command in ["gen", "fit", "score", "compare", "limits", "collapse", "bench"] {
            let help = try run([command, "--help"])
            #expect(help.stdout.contains("--max-memory <size>"), "\(command)")
        }
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "2000", "--out", "d"], in: dir).code == 0)
        let bad = try run(["score", "d", "--max-memory", "lots"], in: dir)
        #expect(bad.code == 2 && bad.stderr.contains("--max-memory: expected a size in [1, 9223372036854775807] bytes, such as 64G, 512M or 1000000 (units K, M, G, T, P: powers of 1024), found lots"))
        // 2000 rows × 1999 neighbours × 8 bytes is 30.5 MiB of neighbour lists.
        let refused = refusal(try run(["score", "d", "--model", "knn", "--neighbors", "1999", "--max-memory", "16M"], in: dir))
        #expect(refused.hasPrefix("--neighbors: expected a run within the memory limit of 16.0 MiB, found an estimate of ")
                && refused.contains("neighbour lists (2000 rows × 1999 neighbours × 8 bytes): 30.5 MiB")
                && refused.hasSuffix("(--max-memory sets the limit)"), "\(refused)")
        // Raised, the same run is the right answer: every row's neighbours are every other row.
        let allowed = try run(["score", "d", "--model", "knn", "--neighbors", "1999", "--max-memory", "1G"], in: dir)
        #expect(allowed.code == 0, "\(allowed.stderr)")
        #expect(refusal(try run(["score", "d", "--model", "knn", "--neighbors", "5000"], in: dir))
                == "--neighbors: expected at most 1999 (the rows besides the one scored), found 5000")
        // Flags of the other commands, mapped from the library's parameter names.
        let components = refusal(try run(["fit", "d", "--model", "mixture", "--components", "1000", "--out", "m.json", "--max-memory", "1M"], in: dir))
        #expect(components.hasPrefix("--components: expected a run within the memory limit of 1.0 MiB"), "\(components)")
        let rows = refusal(try run(["collapse", "--human", "d", "--rows", "1000000000", "--max-memory", "1G"], in: dir))
        #expect(rows.hasPrefix("--rows: expected a run within the memory limit of 1.0 GiB, found an estimate of 223.5 GiB"), "\(rows)")
        let generations = refusal(try run(["collapse", "--human", "d", "--rows", "1000", "--mode", "accumulate", "--generations", "90000",
                                           "--max-memory", "1G"], in: dir))
        #expect(generations.hasPrefix("--generations: expected a run within the memory limit of 1.0 GiB"), "\(generations)")
        // A file that does not fit is named with its estimate (the directory's manifest, read first).
        let file = refusal(try run(["score", "d", "--max-memory", "10K"], in: dir))
        #expect(file.contains("d/manifest.json: expected a run within the memory limit of 10.0 KiB"), "\(file)")
    }

    @Test func sizeLikeFlagsHaveBounds() throws {
        let cases: [([String], String)] = [
            (["score", "x", "--mace-restarts", "100000"], "--mace-restarts: expected an integer in [1, 10000], found 100000"),
            (["score", "x", "--threads", "100000"], "--threads: expected an integer in [1, 4096], found 100000"),
            (["score", "x", "--seed", "18446744073709551615"], "--seed: expected an integer in [0, 9223372036854775807], found 18446744073709551615"),
            (["compare", "--human", "h", "--synthetic", "s", "--kid-subsets", "1000000"], "--kid-subsets: expected an integer in [1, 100000], found 1000000"),
            (["limits", "--human", "h", "--synthetic", "s", "--points", "5000"], "--points: expected an integer in [3, 1000], found 5000"),
            (["limits", "--human", "h", "--synthetic", "s", "--seeds", "5000"], "--seeds: expected an integer in [1, 1000], found 5000"),
            (["collapse", "--human", "h", "--generations", "1000000"], "--generations: expected an integer in [1, 100000], found 1000000"),
            (["gen", "--threads", "1000000"], "--threads: expected an integer in [1, 4096], found 1000000"),
            (["bench", "--threads", "0"], "--threads: expected an integer in [1, 4096], found 0"),
            (["bench", "--rows", "2000000000000"], "--rows: expected an integer in [1, 1099511627776], found 2000000000000"),
        ]
        for (args, expected) in cases {
            let r = try run(args)
            #expect(r.code == 2 && r.stderr.contains(expected), "\(args): \(r.stderr)")
        }
    }

    @Test func hostileFilesAndSpecsAreOneLine() throws {
        let dir = tempDir()
        let made = try python("""
        import numpy as np, struct
        d = '\(dir)'
        np.save(d + '/x.npy', np.random.default_rng(0).normal(size=(8, 2)).astype(np.float32))
        h = b"{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 10000000), }"
        open(d + '/huge.npy', 'wb').write(b'\\x93NUMPY\\x01\\x00' + struct.pack('<H', len(h)) + h)
        deep = b'\\x1c' * 200000 + b'\\x00' * 200001
        open(d + '/bomb.parquet', 'wb').write(b'PAR1' + deep + struct.pack('<I', len(deep)) + b'PAR1')
        open(d + '/deep.jsonl', 'w').write('{"label": ' + '[' * 100000 + ']' * 100000 + ', "x": 1}\\n')
        lines = ['a%d: &a%d [' % (i, i) + ', '.join(['*a%d' % (i - 1)] * 10) + ']' for i in range(1, 30)]
        open(d + '/laughs.yaml', 'w').write('a0: &a0 [x, x, x, x, x, x, x, x, x, x]\\n' + '\\n'.join(lines) + '\\n')
        # A wide header over many blank lines: 20,000 fields × 200,001 estimated records.
        open(d + '/wide.csv', 'w').write(','.join(['label'] + ['x%d' % i for i in range(19999)]) + '\\n'
                                         + ','.join(['1'] * 20000) + '\\n' + '\\n' * 200000)
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let cases: [([String], String)] = [
            (["score", "--labels", "huge.npy", "--features", "x.npy"],
             "huge.npy: shape: expected a shape whose data fits in a file, found (1000000000000, 10000000) of 4-byte values"),
            (["score", "--table", "bomb.parquet"], "bomb.parquet (footer): expected structs and lists nested at most 64 deep, found deeper nesting at byte 64"),
            (["score", "--table", "deep.jsonl"], "deep.jsonl: line 1: expected a flat JSON object, found values nested more than 64 levels deep (column 74)"),
            (["gen", "--spec", "laughs.yaml", "--out", "o"],
             "laughs.yaml: expected no YAML aliases in a spec, found *a0 (the value anchored at line 1, column 5); write the value out instead"),
        ]
        for (args, expected) in cases {
            #expect(refusal(try run(args, in: dir)) == expected, "\(args)")
        }
        // Read within bounds: one row is too few to score, said in one line.
        let wide = try run(["score", "--table", "wide.csv"], in: dir)
        #expect(wide.code == 2 && !refusal(wide).hasPrefix("not one line") && !wide.stderr.contains("Fatal"), "\(wide.stderr)")
        // A million classes from one spec field: refused before anything is drawn.
        let classes = refusal(try run(["gen", "--set", "generator.classes=1000000", "--set", "generator.informative=20",
                                       "--set", "generator.redundant=0", "--set", "generator.clusters_per_class=1", "--out", "o"], in: dir))
        #expect(classes.hasPrefix("preset default (with overrides): generator.classes: expected a run within the memory limit of"), "\(classes)")
    }

    @Test func classesAreTheDistinctLabelsPresent() throws {
        let dir = tempDir()
        let made = try python("""
        import numpy as np
        d = '\(dir)'
        rng = np.random.default_rng(1)
        x = np.vstack([rng.normal(0, 1, (60, 3)), rng.normal(6, 1, (60, 3))]).astype(np.float32)
        y = np.array([0] * 60 + [1] * 60, dtype=np.int32); y[5] = 1; y[70] = 0
        np.save(d + '/x.npy', x); np.save(d + '/y.npy', y)
        np.save(d + '/ybig.npy', np.where(y == 1, 999999, 0).astype(np.int32))
        np.save(d + '/y5.npy', np.array([0, 1, 5, 2], dtype=np.int32))
        np.save(d + '/p.npy', np.full((4, 3), 1 / 3))
        print('ok')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let small = try run(["score", "--labels", "y.npy", "--features", "x.npy", "--json", "a.json", "--issues", "a.csv"], in: dir)
        let big = try run(["score", "--labels", "ybig.npy", "--features", "x.npy", "--json", "b.json", "--issues", "b.csv"], in: dir)
        #expect(small.code == 0 && big.code == 0, "\(small.stderr) \(big.stderr)")
        #expect(big.stdout.contains("2 classes"), "\(big.stdout)")
        let check = try python("""
        import json, pandas as pd
        a, b = json.load(open('\(dir)/a.json'))['label_issues'], json.load(open('\(dir)/b.json'))['label_issues']
        ia, ib = pd.read_csv('\(dir)/a.csv'), pd.read_csv('\(dir)/b.csv')
        assert list(ia['row']) == list(ib['row']) and sorted(ia['row']) == [5, 70], (list(ia['row']), list(ib['row']))
        assert set(ib['given_label'].astype(str)) | set(ib['predicted_label'].astype(str)) <= {'0', '999999'}, ib
        assert a['flagged'] == b['flagged'] == 2
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        #expect(refusal(try run(["score", "--labels", "y5.npy", "--pred-probs", "p.npy"], in: dir))
                == "y5.npy: row 2: expected a class id below 3 (the columns of p.npy), found 5")
    }
}
