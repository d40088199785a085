import Testing
import Foundation
import Eval
@testable import synthctl

/// `compare --gate NAME=LIMIT` reaches every gate a fidelity metric
/// declares, with no option of its own, and agrees with the shorthand
/// options where a gate has one.
extension CommandLineTests {
    /// A metric's gate declared in its file is reachable with no CLI edit.
    @Test func everyDeclaredGateIsReachableThroughGate() throws {
        #expect(!FidelityMetric.allGates.isEmpty)
        for gate in FidelityMetric.allGates {
            let limit = gate.limits.lowerBound
            let parsed = try CompareGates.parse(["--gate", "\(gate.name)=\(limit)"])
            #expect(parsed.limits.map(\.gate) == [gate.name] && parsed.limits.map(\.limit) == [limit], "\(gate.name): \(parsed.limits)")
            #expect(parsed.limits.map(\.option) == ["--gate \(gate.name)"])
            #expect(FidelityMetric.gate(named: gate.name)?.gate == gate)
        }
        #expect(Set(FidelityMetric.allGates.map(\.name)).count == FidelityMetric.allGates.count, "gate names are unique")
        #expect(GateLimit.help.contains(FidelityMetric.allGates.map(\.name).joined(separator: ", ")))
    }

    /// A shorthand and `--gate` accept and refuse the same limits.
    @Test func shorthandAndGateTakeTheSameLimits() {
        let probes = ["-0.1", "0", "0.4", "0.5", "1", "1.5", "1e9", "nan", "inf", "x", ""]
        for name in CompareGates.gateNames {
            for probe in probes {
                let short = (try? CompareGates.parse(["--\(name)", probe]))?.limits.map(\.limit)
                let generic = (try? CompareGates.parse(["--gate", "\(name)=\(probe)"]))?.limits.map(\.limit)
                #expect(short == generic, "\(name) \(probe): \(String(describing: short)) against \(String(describing: generic))")
            }
        }
    }

    /// Shorthands first in their options' order, then `--gate` in
    /// declaration order, whatever the command line's order.
    @Test func gateLimitsAreOrderedShorthandsThenDeclarationOrder() throws {
        let parsed = try CompareGates.parse(["--gate", "max-detection-auc=0.6", "--max-mmd", "0.1", "--gate", "max-mean-ks=0.1",
                                             "--min-coverage", "0.2"])
        #expect(parsed.limits.map(\.option) == ["--min-coverage", "--max-mmd", "--gate max-mean-ks", "--gate max-detection-auc"])
        #expect(throws: (any Error).self) { try CompareGates.parse(["--max-mean-ks", "0.1", "--gate", "max-mean-ks=0.2"]) }
        #expect(throws: (any Error).self) { try CompareGates.parse(["--gate", "max-mmd=0.1", "--gate", "max-mmd=0.2"]) }
    }

    /// An unknown gate or a bad limit is one line with exit code 2; a
    /// failed `--gate` is named as given and exits with 1.
    @Test func gateOptionEndToEnd() throws {
        let dir = tempDir()
        let names = FidelityMetric.allGates.map(\.name).joined(separator: ", ")
        var r = try run(["compare", "--human", "h", "--synthetic", "s", "--gate", "nope=1"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: --gate: expected NAME=LIMIT with NAME one of \(names), found nope=1\n", "\(r.stderr)")
        r = try run(["compare", "--human", "h", "--synthetic", "s", "--gate", "max-mean-ks"], in: dir)
        #expect(r.code == 2 && r.stderr.contains("found max-mean-ks\n"), "\(r.stderr)")
        r = try run(["compare", "--human", "h", "--synthetic", "s", "--gate", "max-mean-ks=2"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: --gate: expected max-mean-ks=LIMIT with LIMIT a number in [0, 1], found max-mean-ks=2\n", "\(r.stderr)")
        r = try run(["compare", "--human", "h", "--synthetic", "s", "--max-mmd", "1", "--gate", "max-mmd=2"], in: dir)
        #expect(r.code == 2 && r.stderr == "synthctl: error: --gate max-mmd: the gate max-mmd is given twice; give one limit\n", "\(r.stderr)")
        r = try run(["compare", "--human", "h", "--synthetic", "s", "--no-per-class", "--gate", "min-class-coverage=0.5"], in: dir)
        #expect(r.code == 2 && r.stderr.contains("--gate min-class-coverage needs the per-class metrics"), "\(r.stderr)")

        for shard in ["1/2", "2/2"] {
            let g = try run(["gen", "--rows", "1200", "--seed", "6", "--shard", shard, "--out", "half\(shard.first!)"], in: dir)
            #expect(g.code == 0, "\(g.stderr)")
        }
        r = try run(["compare", "--human", "half1", "--synthetic", "half2", "--kid-subsets", "3", "--no-baselines",
                     "--gate", "max-mean-ks=0", "--min-coverage", "1"], in: dir)
        #expect(r.code == 1, "\(r.stderr)")
        let failed = r.stderr.split(separator: "\n").filter { $0.hasPrefix("synthctl: gate failed: ") }
        #expect(failed.count == 2 && failed[0].hasPrefix("synthctl: gate failed: --min-coverage: coverage is ")
                && failed[1].hasPrefix("synthctl: gate failed: --gate max-mean-ks: the mean KS statistic is "), "\(r.stderr)")
    }
}
