import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore
import TestSupport

/// CSV, JSON Lines and answer files built to overflow counters, nest without
/// end or size huge reservations: one line each, or the right table.
@Suite struct HostileTableTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let d = temporary.directory("synthctl-tables")
        FileManager.default.createFile(atPath: "\(d)/\(name)", contents: Data(bytes))
        return "\(d)/\(name)"
    }

    @Test func aWideHeaderOverBlankLinesReservesWhatTheFileHolds() throws {
        // 20,000 fields × 200,001 lines would reserve 64 GB of field bounds.
        let text = (["label"] + (1..<20_000).map { "x\($0)" }).joined(separator: ",") + "\n"
            + Array(repeating: "1", count: 20_000).joined(separator: ",") + "\n" + String(repeating: "\n", count: 200_000)
        let table = try CSVTable(bytes: Array(text.utf8), path: "wide.csv", budget: MemoryBudget(limit: 64 << 20))
        #expect(table.rowCount == 1 && table.width == 20_000 && table[0, 19_999] == "1")
        #expect(throws: MemoryLimitExceeded.self) { _ = try CSVTable(bytes: Array(text.utf8), path: "wide.csv", budget: MemoryBudget(limit: 1 << 20)) }
    }

    @Test func deeplyNestedJSONLinesRowsAreOneLine() {
        let path = file("deep.jsonl", Array(("{\"label\": 1, \"x\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}\n").utf8))
        do {
            _ = try LabeledFeatures.read(table: path, labelColumn: "label")
            Issue.record("expected a refusal")
        } catch let e as any SynthctlError {
            #expect(e.message == "\(path): line 1: expected a flat JSON object, found values nested more than 64 levels deep (column 82)")
        } catch { Issue.record("\(error)") }
    }

    /// Fuzz: random bytes and random mutations of a valid answers file. Every
    /// outcome is a value or an error naming the file, never a trap.
    @Test func randomAnswerFilesNeverTrap() {
        var rng = SplitMix64(seed: 0x5EED2408)  // seeded: a failure replays, CI never flakes
        let valid = Array("item,worker,label\n1,a,x\n1,b,y\n2,a,\"x\"\"\"\n2,b,y\n".utf8)
        let alphabet = Array(",\"\n\r ax1-\u{0}".utf8) + [0xff, 0xc3]
        for i in 0..<400 {
            var bytes = valid
            if i % 2 == 0 {
                bytes = (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            } else {
                for _ in 0..<Int.random(in: 1...4, using: &rng) { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = alphabet.randomElement(using: &rng)! }
            }
            let path = file("a.csv", bytes)
            do {
                let (set, _) = try AnswerReader.read(answers: path)
                #expect(set.answerCount > 0)
            } catch let e as any SynthctlError {
                // (Column names are echoed as given, control characters
                // included: escaping them is the messages' own fix.)
                #expect(e.message.hasPrefix(path), "\(e.message)")
            } catch let e as MissingValueError {
                #expect(e.message.hasPrefix(path), "\(e.message)")
            } catch { Issue.record("\(error)") }
        }
    }
}
