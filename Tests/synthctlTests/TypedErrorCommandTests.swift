import Testing
import Foundation
@testable import synthctl
import Eval
import SynthctlCore

/// The command line's own errors are typed too: a flag's refusal is an
/// ``ArgumentError`` naming the flag, and a library error the command line
/// completes with advice is a ``HintedError``; both print the same line as
/// before.
extension CommandLineTests {
    @Test func hintedErrorPutsTheAdviceAfterTheLibrarysLine() {
        let e = HintedError(InputError(file: "t.csv", expected: "a number", found: "x"), hint: "or choose the features with --feature-columns")
        #expect(e.description == "t.csv: expected a number, found x; or choose the features with --feature-columns")
        #expect(HintedError(MissingValueError(InputError(file: "t.csv", line: 2, expected: "a label", found: "a missing value")), hint: "--drop-missing drops such rows").description
                == "t.csv: line 2: expected a label, found a missing value; --drop-missing drops such rows")
    }

    /// `bench --k` beyond the rows of a set names the flag (a site no other test reached).
    @Test func benchNeighboursBeyondTheRowsNameTheFlag() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "20", "--out", "d"], in: dir).code == 0)
        let r = try run(["bench", "--real", "d/features.npy", "--synthetic", "d/features.npy", "--k", "20"], in: dir)
        #expect(r.code == 2 && r.stdout.isEmpty)
        #expect(r.stderr == Self.oneLine("--k: expected at most 19 (fewer than the rows of each set), found 20"))
    }
}
