import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore

/// Answer files as pandas and Polars write them (`Tests/Oracles/answer_writers.py`):
/// pandas' index column, every field quoted with CRLF line ends, Polars'
/// quoting only where needed, a TSV; names holding the delimiter, quotes,
/// line ends, a tab and non-ASCII letters; 3 % missing labels. Read in
/// pieces of every size on several threads, and record by record, each
/// file gives the answers pandas reads back, row for row.
@Suite struct AnswerFilesFromWritersTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/answer_writers").path

    struct Expected: Decodable {
        let answers: Int, items: Int, workers: Int
        let classes: [String]
        let rows: [[String]]
        let files: [String]
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/expected.json")))
    }

    /// The answers as sorted (item, worker, label) rows.
    static func rows(_ set: AnswerSet) -> [[String]] {
        (0..<set.answerCount).map {
            [set.itemNames[Int(set.item[$0])], set.workerNames[Int(set.worker[$0])], set.classNames[Int(set.label[$0])]]
        }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test func everyWritersFileReadsAsPandasReadsIt() throws {
        let want = try Self.expected()
        #expect(want.files.count == 4)
        let wantRows = want.rows.sorted { $0.lexicographicallyPrecedes($1) }
        for name in want.files {
            let path = "\(Self.fixtures)/\(name)"
            // The pieces are taken, not declined in favour of the record reader.
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let delimiter = UInt8(ascii: name.hasSuffix(".tsv") ? "\t" : ",")
            let chunks = bytes.withUnsafeBufferPointer {
                AnswerCSVChunks.read($0, path: path, delimiter: delimiter, wanted: AnswerColumns().answers,
                                     noLabel: true, dropMissing: true, threads: 3, pieceBytes: 1_000)
            }
            #expect(chunks != nil, "\(name): the pieces declined")
            for (threads, pieceBytes) in [(1, 0), (1, nil), (3, 1_000), (2, 4_096), (4, 333)] as [(Int, Int?)] {
                let (set, _) = try AnswerReader.read(answers: path, dropMissing: true, threads: threads, pieceBytes: pieceBytes)
                let how = "\(name), \(threads) threads, pieces of \(pieceBytes.map(String.init) ?? "the usual size")"
                #expect(set.answerCount == want.answers, "\(how)")
                #expect(set.itemCount == want.items && set.workerCount == want.workers, "\(how)")
                #expect(set.classNames.sorted() == want.classes, "\(how)")
                #expect(set.droppedAnswers == 800 - want.answers, "\(how)")
                #expect(Self.rows(set) == wantRows, "\(how)")
            }
        }
    }
}
