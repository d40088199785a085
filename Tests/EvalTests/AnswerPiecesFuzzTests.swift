import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// Gold files read in pieces, and both readers fuzzed: whatever the bytes,
/// reading in pieces gives what reading record by record gives — the same
/// answer set and gold, or the same one-line message.
@Suite struct AnswerPiecesFuzzTests {
    /// A gold file with what a split can land in: a byte-order mark, CRLF
    /// and lone-CR line ends, blank lines, quoted items holding the
    /// delimiter and a line end, labels spelled otherwise, missing labels,
    /// −1 (no gold), and items no answer has.
    static func gold(rows: Int = 1_000) -> String {
        var text = "\u{FEFF}note,item,truth\r\n"
        for r in 0..<rows {
            let item = r % 7 == 0 ? "\"task, \(r)\"" : r % 29 == 0 ? "\"nobody\r\nanswered \(r)\"" : "\(r)"
            let truth = ["cat", "dog", "01", " 2", "2.0", "\"eel, electric\"", "-1", "", "NA", "émeu"][r % 10]
            let end = r % 19 == 0 ? "\r" : r % 23 == 0 ? "\n\n" : "\r\n"
            text += "n\(r % 3),\(item),\(truth)\(end)"
        }
        return text
    }

    /// Writes the files, reads them record by record and in pieces (several
    /// thread counts and piece sizes), and requires the same outcome.
    func requireSameOutcome(answers: [UInt8], gold: [UInt8]?, dropMissing: Bool, _ comment: Comment? = nil) throws -> String {
        let dir = NSTemporaryDirectory() + "synthctl-pieces-fuzz-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/answers.csv", goldPath = gold.map { _ in "\(dir)/gold.csv" }
        FileManager.default.createFile(atPath: path, contents: Data(answers))
        if let gold, let goldPath { FileManager.default.createFile(atPath: goldPath, contents: Data(gold)) }
        func outcome(_ threads: Int, _ pieceBytes: Int?) -> String {
            do {
                let (set, g) = try AnswerReader.read(answers: path, gold: goldPath, dropMissing: dropMissing, threads: threads, pieceBytes: pieceBytes)
                return "\(set.itemNames) \(set.workerNames) \(set.classNames) \(set.item) \(set.worker) \(set.label) \(set.droppedAnswers) "
                    + "\(set.readingNotes) \(String(describing: set.schema)) \(String(describing: g?.truth)) \(String(describing: g?.unmatchedItems)) "
                    + "\(String(describing: g?.droppedRows)) \(String(describing: g?.readingNotes)) \(String(describing: g?.schema))"
            } catch { return "error: \(error)" }
        }
        let sequential = outcome(1, 0)
        for (threads, size) in [(2, 37), (3, 256), (2, nil)] as [(Int, Int?)] {
            #expect(outcome(threads, size) == sequential, comment)
        }
        return sequential
    }

    @Test func goldInPiecesIsReadAsRecordByRecord() throws {
        let answers = Array(("item,worker,label\n" + (0..<3_000).map { "\($0 % 1_000 == 0 ? "\"task, 0\"" : "\($0 % 1_000)"),w\($0 % 7),\(["cat", "dog", "1"][$0 % 3])" }
            .joined(separator: "\n")).utf8)
        let outcome = try requireSameOutcome(answers: answers, gold: Array(Self.gold().utf8), dropMissing: true)
        #expect(!outcome.hasPrefix("error"), "\(outcome)")
        // Items no answer has are counted; −1 is no gold, noted.
        let dir = NSTemporaryDirectory() + "synthctl-gold-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: "\(dir)/a.csv", contents: Data(answers))
        try Self.gold().write(toFile: "\(dir)/g.csv", atomically: true, encoding: .utf8)
        let (_, gold) = try AnswerReader.read(answers: "\(dir)/a.csv", gold: "\(dir)/g.csv", dropMissing: true, threads: 2, pieceBytes: 64)
        let g = try #require(gold)
        #expect(g.unmatchedItems > 0 && g.droppedRows == 200 && g.readingNotes.count == 1)
    }

    /// A gold item given twice, an empty item id, a missing gold label
    /// without dropping, a ragged row: the record-by-record reader's
    /// message, with its lines, whatever the pieces.
    @Test func goldErrorsAreTheRecordByRecordReadersOwn() throws {
        let answers = Array(("item,worker,label\n" + (0..<600).map { "\($0 % 300),w\($0 % 5),\($0 % 2)" }.joined(separator: "\n")).utf8)
        let body = (0..<300).map { "\($0),\($0 % 2)" }.joined(separator: "\n")
        for (what, gold, drop) in [("an item twice", "item,truth\n" + body + "\n17,1\n", true),
                                   ("an empty item id", "item,truth\n" + body + "\n,1\n", true),
                                   ("a missing label", "item,truth\n" + body + "\n301,\n", false),
                                   ("a ragged row", "item,truth\n" + body + "\n5,1,2\n", true)] {
            let outcome = try requireSameOutcome(answers: answers, gold: Array(gold.utf8), dropMissing: drop, "\(what)")
            #expect(outcome.hasPrefix("error: ") && outcome.contains("gold.csv"), "\(what): \(outcome)")
        }
        let twice = try requireSameOutcome(answers: answers, gold: Array(("item,truth\n" + body + "\n17,1\n").utf8), dropMissing: true)
        #expect(twice.contains("item 17 again (first on line 19)"), "\(twice)")
    }

    /// Random damage to an answers file and a gold file: inserted, removed
    /// and replaced bytes drawn from what CSV parsing turns on (quotes,
    /// delimiters, line ends, NUL, bytes that are not UTF-8, −1, empty
    /// fields). Every outcome must be the same in pieces and record by
    /// record; nothing may crash.
    @Test func damagedFilesGiveTheSameOutcomeInPiecesAndRecordByRecord() throws {
        var rng = SplitMix64(seed: 17)
        let base = Array(AnswerPiecesTests.answers(rows: 400).utf8)
        let goldBase = Array(Self.gold(rows: 200).utf8)
        let alphabet: [[UInt8]] = ["\"", ",", "\n", "\r", "\r\n", "\"\"", "-1", "a", "7", " ", "NA"].map { Array($0.utf8) } + [[0], [0xFF], [0xC3]]
        func damaged(_ bytes: [UInt8]) -> [UInt8] {
            var bytes = bytes
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                let piece = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes.insert(contentsOf: piece, at: at)
                case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...4, using: &rng)))
                default: bytes.replaceSubrange(at..<min(bytes.count, at + piece.count), with: piece)
                }
                if bytes.isEmpty { bytes = piece }
            }
            return bytes
        }
        var errors = 0, reads = 0
        for round in 0..<120 {
            let answers = round % 3 == 2 ? base : damaged(base)
            let gold = round % 3 == 0 ? nil : round % 3 == 1 ? goldBase : damaged(goldBase)
            let outcome = try requireSameOutcome(answers: answers, gold: gold, dropMissing: round % 2 == 0, "round \(round)")
            if outcome.hasPrefix("error: ") {
                errors += 1
                // Naming the file it is about.
                #expect(outcome.contains("answers.csv") || outcome.contains("gold.csv"), "round \(round): \(outcome)")
            } else { reads += 1 }
        }
        // Both kinds of outcome were met: the damage is neither always harmless nor always fatal.
        #expect(errors > 10 && reads > 10, "\(errors) errors, \(reads) reads")
    }
}
