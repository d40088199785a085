import Testing
import Foundation
import Synth

/// Usage errors, option ranges and messages: every bad command line gets
/// exactly one line, `synthctl: error: …`, and exit code 2; numbers that
/// start with '-' are values; every numeric option is checked against its
/// declared range before the command runs.
extension CommandLineTests {
    /// The whole of standard error for a refused command line.
    static func oneLine(_ message: String) -> String { "synthctl: error: \(message)\n" }

    @Test(arguments: [
        // argument-parser's own errors: unknown option, missing value, bad value,
        // missing argument, unexpected argument; and validate()'s.
        (["gen", "--frob"], "Unknown option '--frob'. Did you mean '--rows'?"),
        (["gen", "--rows"], "Missing value for '--rows <rows>'"),
        (["gen", "--rows", "abc"], "--rows: expected an integer in [1, 1099511627776], found abc"),
        (["gen", "--rows", ""], "--rows: expected an integer in [1, 1099511627776], found \"\""),
        (["frobnicate"], "Unexpected argument 'frobnicate'"),
        (["compare", "--synthetic", "s.csv"], "Missing expected argument '--human <human>'"),
        (["fit"], "Missing expected argument '<input>'"),
        (["score"], "give a dataset directory, --answers FILE, --labels FILE or --table FILE"),
        (["gen", "--format", "xml"], "--format: expected one of npy, csv, jsonl, parquet, found \"xml\""),
    ])
    func argumentErrorsAreOneLine(args: [String], message: String) throws {
        let r = try run(args, in: tempDir())
        #expect(r.code == 2)
        #expect(r.stderr == Self.oneLine(message))
        #expect(r.stdout == "")
    }

    @Test func helpAndVersionStillExitWithZero() throws {
        for args in [["--help"], ["gen", "--help"], ["score", "--help"], ["help", "compare"], []] {
            let r = try run(args)
            #expect(r.code == 0, "\(args): \(r.stderr)")
            #expect(r.stderr == "")
            #expect(r.stdout.contains("USAGE: synthctl"), "\(args)")
        }
        let version = try run(["--version"])
        #expect(version.code == 0 && version.stdout == SynthVersion.current + "\n")
    }

    /// A value starting with '-' is the option's value, refused with the
    /// flag, the range and what was found, never "missing value".
    @Test(arguments: [
        (["gen", "--rows", "-5"], "--rows: expected an integer in [1, 1099511627776], found -5"),
        (["gen", "--seed", "-1"], "--seed: expected an integer in [0, 9223372036854775807], found -1"),
        (["gen", "--flip-rate", "-0.1"], "--flip-rate: expected a number in [0, 1], found -0.1"),
        (["gen", "--shard", "-1/2"], "--shard: expected k/n with 1 ≤ k ≤ n, found -1/2"),
        (["score", "--answers", "a.csv", "--top", "-1"], "--top: expected an integer ≥ 0, found -1"),
        (["score", "--labels", "y.npy", "--features", "x.npy", "--neighbors", "-3"], "--neighbors: expected an integer ≥ 1, found -3"),
        (["score", "--labels", "y.npy", "--features", "x.npy", "--c", "-1"], "--c: expected a number in [1e-08, 1e+16], found -1"),
        (["score", "--answers", "a.csv", "--min-agreement", "-2"], "--min-agreement: expected a number in [-1, 1], found -2"),
        (["compare", "--human", "h.csv", "--synthetic", "s.csv", "--k", "-2"], "--k: expected an integer ≥ 1, found -2"),
        (["compare", "--human", "h.csv", "--synthetic", "s.csv", "--top", "-1"], "--top: expected an integer ≥ 0, found -1"),
        (["limits", "--human", "h.csv", "--synthetic", "s.csv", "--neighbors", "-3"], "--neighbors: expected an integer ≥ 1, found -3"),
        (["collapse", "--human", "h.csv", "--generations", "-1"], "--generations: expected an integer in [1, 100000], found -1"),
        (["fit", "h.csv", "--out", "m.json", "--components", "-2"], "--components: expected an integer ≥ 1, found -2"),
        (["fit", "h.csv", "--out", "m.json", "--shrinkage", "-0.5"], "--shrinkage: expected ledoit-wolf or a number in [0, 1], found \"-0.5\""),
        (["bench", "--rows", "-10"], "--rows: expected an integer in [1, 1099511627776], found -10"),
    ])
    func negativeNumbersAreValues(args: [String], message: String) throws {
        let r = try run(args, in: tempDir())
        #expect(r.code == 2)
        #expect(r.stderr == Self.oneLine(message))
    }

    /// Gates, counts, seeds and shards out of range are refused while the
    /// command line is parsed: before any input is read (the files named
    /// here do not exist).
    @Test(arguments: [
        (["score", "--answers", "a.csv", "--min-health", "nan"], "--min-health: expected a number in [0, 1], found nan"),
        (["score", "--answers", "a.csv", "--max-flagged-share", "nan"], "--max-flagged-share: expected a number in [0, 1], found nan"),
        (["score", "--answers", "a.csv", "--min-health", "2"], "--min-health: expected a number in [0, 1], found 2"),
        (["score", "--answers", "a.csv", "--max-noise-rate", "inf"], "--max-noise-rate: expected a number in [0, 1], found inf"),
        (["score", "--answers", "a.csv", "--min-accuracy", "1e999"], "--min-accuracy: expected a number in [0, 1], found 1e999"),
        (["compare", "--human", "h.csv", "--synthetic", "s.csv", "--min-coverage", "-0.5"], "--min-coverage: expected a number in [0, 1], found -0.5"),
        (["compare", "--human", "h.csv", "--synthetic", "s.csv", "--max-detection-auc", "7"], "--max-detection-auc: expected a number in [0.5, 1], found 7"),
        (["compare", "--human", "h.csv", "--synthetic", "s.csv", "--max-detection-auc", "0.3"], "--max-detection-auc: expected a number in [0.5, 1], found 0.3"),
        (["compare", "--human", "h.csv", "--synthetic", "s.csv", "--max-frechet", "inf"], "--max-frechet: expected a number ≥ 0, found inf"),
        (["compare", "--human", "h.csv", "--synthetic", "s.csv", "--holdout-fraction", "nan"], "--holdout-fraction: expected a number in (0, 1), found nan"),
        (["gen", "--shard", "3/9223372036854775808"], "--shard: expected k/n (e.g. 2/8), found \"3/9223372036854775808\""),
        (["gen", "--shard", "2/0"], "--shard: expected k/n with 1 ≤ k ≤ n, found 2/0"),
        (["gen", "--shard", "5/4"], "--shard: expected k/n with 1 ≤ k ≤ n, found 5/4"),
        (["gen", "--threads", "0"], "--threads: expected an integer in [1, 4096], found 0"),
        (["gen", "--threads", "-2"], "--threads: expected an integer in [1, 4096], found -2"),
        (["score", "--answers", "a.csv", "--threads", "0"], "--threads: expected an integer in [1, 4096], found 0"),
        (["score", "--labels", "y.npy", "--features", "x.npy", "--folds", "1"], "--folds: expected an integer ≥ 2, found 1"),
        (["gen", "--seed", "18446744073709551616"], "--seed: expected an integer in [0, 9223372036854775807], found 18446744073709551616"),
        (["gen", "--seed", "9223372036854775808"], "--seed: expected an integer in [0, 9223372036854775807], found 9223372036854775808"),
        (["gen", "--rows", "1099511627777"], "--rows: expected an integer in [1, 1099511627776], found 1099511627777"),
    ])
    func rangesAreCheckedAtParseTime(args: [String], message: String) throws {
        let r = try run(args, in: tempDir())
        #expect(r.code == 2)
        #expect(r.stderr == Self.oneLine(message))
    }

    /// Every option whose help states a numeric range refuses -5, nan and
    /// text at parse time with one line naming it. The options are read from
    /// each command's --help, so a new numeric option is covered as soon as
    /// it states its range (and ``everyNumericOptionDeclaresARange`` makes
    /// sure it does).
    @Test func everyRangedOptionRefusesValuesOutsideItsRange() throws {
        let required: [String: [String]] = [
            "gen": [], "fit": ["h.csv", "--out", "m.json"], "score": ["--answers", "a.csv"],
            "compare": ["--human", "h.csv", "--synthetic", "s.csv"], "limits": ["--human", "h.csv", "--synthetic", "s.csv"],
            "collapse": ["--human", "h.csv"], "bench": [],
        ]
        var checked = 0
        for (command, base) in required.sorted(by: { $0.key < $1.key }) {
            let help = try run([command, "--help"]).stdout
            for flag in Self.rangedOptions(inHelp: help) {
                for value in ["-5", "nan", "abc"] {
                    let r = try run([command] + base + [flag, value], in: tempDir())
                    let pattern = #"^synthctl: error: \#(flag): expected (an integer|a number) [^\n]*, found \#(value)\n$"#
                    #expect(r.code == 2 && r.stderr.range(of: pattern, options: .regularExpression) != nil,
                            "\(command) \(flag) \(value): \(r.code) \(r.stderr)")
                }
                checked += 1
            }
        }
        // gen 4, fit 2, score 16, compare 19, limits 8, collapse 4, bench 3
        // today; more may come, none may go unchecked.
        #expect(checked >= 56)
    }

    /// The options of one --help text whose description states a numeric range.
    static func rangedOptions(inHelp help: String) -> [String] {
        var options = [String](), current: String? = nil, text = ""
        func flush() { if let current, text.contains("(an integer") || text.contains("(a number") { options.append(current) } }
        for line in help.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            if line.hasPrefix("  -"), let name = trimmed.split(separator: " ").first(where: { $0.hasPrefix("--") }) {
                flush()
                // "--neighbors, --k <neighbors>": an option with two names is checked under its first.
                current = String(name.split(separator: "=").first!.split(separator: ",").first!)
                text = String(line)
            } else {
                text += " " + trimmed
            }
        }
        flush()
        return options
    }

    /// Every `@Option` of a numeric type in the command line's sources
    /// declares its range (`range:`), so none is parsed unchecked.
    @Test func everyNumericOptionDeclaresARange() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/synthctl")
        var numeric = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: sources.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: sources.appendingPathComponent(file).path, encoding: .utf8)
            // An option's attribute runs from "@Option" to its "var".
            for part in text.components(separatedBy: "@Option(").dropFirst() {
                guard let declaration = part.range(of: "var ") else { continue }
                let attribute = part[..<declaration.lowerBound]
                let type = part[declaration.upperBound...].prefix { $0 != "\n" }
                guard type.range(of: #":\s*(Int|Double|UInt64|Float)\??(\s|=|$)"#, options: .regularExpression) != nil else { continue }
                numeric += 1
                #expect(attribute.contains("range:"), "\(file): \(type)")
            }
        }
        #expect(numeric >= 50)
    }

    /// A value that is valid and negative is used (the gate passes).
    @Test func aNegativeValueInRangeIsUsed() throws {
        let r = try run(["score", "--answers", "\(Self.crowd)/dog/label.csv", "--min-agreement", "-0.5", "--top", "0"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr == "")
    }

    /// --shard with n near Int.max: no overflow, and the parts hold exactly
    /// the rows a single run writes there (the last part the last row, the
    /// first none).
    @Test func shardsOfHugeCountsHoldTheRightRows() throws {
        let dir = tempDir()
        let n = String(Int.max)
        #expect(try run(["gen", "--rows", "10", "--seed", "3", "--out", "all"], in: dir).code == 0)
        let last = try run(["gen", "--rows", "10", "--seed", "3", "--shard", "\(n)/\(n)", "--out", "last"], in: dir)
        #expect(last.code == 0, "\(last.stderr)")
        let first = try run(["gen", "--rows", "10", "--seed", "3", "--shard", "1/\(n)", "--out", "first"], in: dir)
        #expect(first.code == 0, "\(first.stderr)")
        let check = try python("""
        import numpy as np
        d = '\(dir)'
        X = np.load(d + '/all/features.npy'); L = np.load(d + '/last/features.npy'); F = np.load(d + '/first/features.npy')
        assert L.shape == (1, 20) and (L == X[9:]).all(), L.shape
        assert F.shape == (0, 20), F.shape
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// Spec values: YAML's NaN is named as such, a number float32 cannot
    /// hold names its field, parameters that overflow together are refused
    /// before anything is written, and near-limit parameters that stay
    /// finite are accepted and written finite.
    @Test func specValuesBeyondFloat32AreRefusedBeforeWriting() throws {
        let dir = tempDir()
        func gen(_ yaml: String) throws -> Result {
            try yaml.write(toFile: "\(dir)/s.yaml", atomically: true, encoding: .utf8)
            return try run(["gen", "--spec", "s.yaml", "--out", "d", "--force"], in: dir)
        }
        let nan = try gen("generator:\n  class_sep: .nan\n")
        #expect(nan.code == 2 && nan.stderr == Self.oneLine("s.yaml: generator.class_sep: expected a number ≥ 0, found .nan (NaN)"))
        let huge = try gen("generator:\n  class_sep: 1e300\n")
        #expect(huge.code == 2 && huge.stderr == Self.oneLine("s.yaml: generator.class_sep: expected a number within float32's range (|x| ≤ 3.40282e+38), found 1e+300"))
        let set = try run(["gen", "--set", "generator.scale=1e39", "--out", "d"], in: dir)
        #expect(set.code == 2 && set.stderr == Self.oneLine("preset default (with overrides): generator.scale: expected a number within float32's range (|x| ≤ 3.40282e+38) or \"random\", found 1e+39"))
        let together = try gen("generator:\n  class_sep: 1e37\n  scale: 100\n")
        #expect(together.code == 2)
        #expect(together.stderr.hasPrefix("synthctl: error: s.yaml: generator: expected parameters whose rows stay within float32's range (|x| ≤ 3.40282e+38), found class_sep 1e+37, shift 0 and scale 100, which allow values up to "))
        #expect(together.stderr.filter { $0 == "\n" }.count == 1)
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/d"))
        let near = try gen("rows: 2000\ngenerator:\n  class_sep: 1e30\n  scale: 1e7\n")
        #expect(near.code == 0, "\(near.stderr)")
        let check = try python("""
        import numpy as np
        X = np.load('\(dir)/d/features.npy')
        assert np.isfinite(X).all() and np.abs(X).max() > 1e36, np.abs(X).max()
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }

    /// The largest value an option's range allows is used without an
    /// arithmetic trap: it works (a gate or a count larger than the data) or
    /// gets one line. (The size options that allocate — --neighbors,
    /// --points, --kid-subsets, --mace-restarts, --generations, the row
    /// counts — are bounded by the memory estimate instead.)
    @Test func theLargestValuesInRangeDoNotTrap() throws {
        let dir = tempDir()
        let huge = String(Int.max)
        #expect(try run(["gen", "--rows", "300", "--out", "d"], in: dir).code == 0)
        let cases: [([String], Int32, String?)] = [
            (["score", "d", "--min-examples-per-class", huge, "--json", "r.json"], 0, nil),
            (["score", "d", "--top", huge], 0, nil),
            (["score", "d", "--folds", huge], 2, "d: expected at least \(huge) rows for \(huge)-fold cross-validation, found 300"),
            (["score", "--answers", "\(Self.crowd)/dog/label.csv", "--min-labels", huge], 0, nil),
            (["fit", "d", "--out", "m.json", "--model", "mixture", "--components", huge], 2,
             "--components: expected a run within the memory limit of "),
            (["gen", "--rows", "10", "--seed", huge, "--out", "s"], 0, nil),
        ]
        for (args, code, message) in cases {
            let r = try run(args, in: dir)
            #expect(r.code == code, "\(args): \(r.stderr)")
            if let message {
                #expect(r.stderr.hasPrefix("synthctl: error: " + message) && r.stderr.filter { $0 == "\n" }.count == 1, "\(args): \(r.stderr)")
            } else {
                #expect(r.stderr == "", "\(args)")
            }
        }
        // Every label kept: no class can be pruned below a minimum larger than the data.
        let check = try python("""
        import json
        r = json.load(open('\(dir)/r.json'))['label_issues']
        assert r['flagged'] == 0 and r['parameters']['min_examples_per_class'] == \(huge), r['parameters']
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
    }
}
