import Testing
import Foundation
@testable import Synth
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// Reading a table reports through ``WorkProgress`` (``ReadProgress``): one
/// stage, `reading <path>`, whose steps reach its total exactly for a
/// regular file of every format, and reporting never changes what is read.
@Suite struct ReadProgressTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    typealias Events = WorkProgressEventTests.Events

    /// A labeled table of `rows` rows in every format, written by synthctl itself.
    static func tables(rows: Int) throws -> [String] {
        let dir = TemporaryPaths.shared.directory("read-progress")
        var csv = "x0,x1,label\n", jsonl = ""
        for r in 0..<rows {
            let (a, b, l) = (Double(r % 97) / 7, Double(r % 13) - 6, r % 3)
            csv += "\(a),\(b),c\(l)\n"
            jsonl += "{\"x0\": \(a), \"x1\": \(b), \"label\": \"c\(l)\"}\n"
        }
        try csv.write(toFile: "\(dir)/t.csv", atomically: true, encoding: .utf8)
        try csv.replacingOccurrences(of: ",", with: "\t").write(toFile: "\(dir)/t.tsv", atomically: true, encoding: .utf8)
        try jsonl.write(toFile: "\(dir)/t.jsonl", atomically: true, encoding: .utf8)
        return ["\(dir)/t.csv", "\(dir)/t.tsv", "\(dir)/t.jsonl"]
    }

    @Test func piecesOfAFileReachTheTotalExactly() {
        for bytes in [0, 1, ReadProgress.pieceBytes - 1, ReadProgress.pieceBytes, 3 * ReadProgress.pieceBytes + 5] {
            let events = Events()
            var reading = ReadProgress(events.progress, path: "t.csv", bytes: bytes)
            let expected = max(1, (bytes + ReadProgress.pieceBytes - 1) / ReadProgress.pieceBytes)
            for b in stride(from: 0, through: bytes, by: 1 << 20) { reading.advance(toByte: b) }
            #expect(events.all.count <= expected)
            reading.advance(toByte: bytes)
            #expect(events.all.count == expected)
            reading.finish()
            #expect(events.all.count == expected)
            #expect(events.all.allSatisfy { $0.stage == "reading t.csv" && $0.total == expected })
        }
        // Rows of a table read whole: the last row reaches the total.
        let events = Events()
        var reading = ReadProgress(events.progress, path: "t.csv", bytes: 20 * ReadProgress.pieceBytes)
        for r in 0..<1000 { reading.advance(row: r, of: 1000) }
        #expect(events.all.count == 20)
    }

    @Test func anUnknownSizeOrASilentProgressReportsNothing() {
        let events = Events()
        var unknown = ReadProgress(events.progress, path: "-", bytes: nil)
        unknown.advance(toByte: 1 << 30)
        unknown.finish()
        var silent = ReadProgress(.silent, path: "t.csv", bytes: 1 << 30)
        silent.advance(toByte: 1 << 30)
        #expect(events.all.isEmpty && silent.total == 0)
    }

    /// CSV, TSV and JSON Lines: every step names the file, the steps reach
    /// the total, and the rows read are those read without progress.
    @Test func everyTextFormatReachesItsTotalAndReadsTheSameRows() throws {
        for path in try Self.tables(rows: 3000) {
            let events = Events()
            let reported = try LabeledFeatures.read(table: path, labelColumn: "label", progress: events.progress)
            let silent = try LabeledFeatures.read(table: path, labelColumn: "label")
            #expect(reported.features!.storage == silent.features!.storage, "\(path)")
            #expect(reported.labels == silent.labels && reported.classNames == silent.classNames)
            #expect(events.all.count == 1, "\(path): one 8 MiB piece")
            #expect(events.all.allSatisfy { $0.stage == "reading \(path)" && $0.total == 1 })
        }
    }

    /// Parquet: one step per column chunk decoded (row groups × columns read).
    @Test func parquetReportsEveryColumnChunk() throws {
        let dir = temporary.directory("read-progress-pq")
        let path = "\(dir)/t.parquet"  // its manifest beside it, in the directory
        var writer = DatasetWriter(plan: try DatasetPlan(spec: JSONDecoderBox.decode(ParquetWriterTests.spec), source: "test"))
        writer.format = .parquet
        writer.parquetLayout = (rowGroupRows: 1000, pageRows: 300)
        _ = try writer.write(to: path)
        let events = Events()
        let reported = try LabeledFeatures.read(table: path, labelColumn: "label", progress: events.progress)
        let silent = try LabeledFeatures.read(table: path, labelColumn: "label")
        #expect(reported.features!.storage == silent.features!.storage && reported.labels == silent.labels)
        let total = events.all.first?.total ?? 0
        #expect(total >= 3 * 7 && total % 3 == 0, "3 row groups × (label, true label, six features, …)")
        #expect(events.all.count == total && events.all.allSatisfy { $0.stage == "reading \(path)" })
    }

    /// Answers in long form: CSV by bytes, the steps reaching the total.
    @Test func answersReachTheirTotal() throws {
        let path = temporary.path("answers", suffix: ".csv")
        var text = "item,worker,label\n"
        for i in 0..<2000 { for w in 0..<3 { text += "i\(i),w\(w),\((i + w) % 2)\n" } }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let events = Events()
        let (reported, _) = try AnswerReader.read(answers: path, progress: events.progress)
        let (silent, _) = try AnswerReader.read(answers: path)
        #expect(reported.answerCount == silent.answerCount && reported.classNames == silent.classNames)
        #expect(events.all.count == 1 && events.all.allSatisfy { $0.stage == "reading \(path)" && $0.total == 1 })
    }
}
