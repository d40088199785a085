import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore

/// CSV answers read in pieces on several threads (``AnswerCSVChunks``) must
/// give what the record-by-record reader gives: the same ids in the same
/// first-seen order, the same lines in messages, the same errors.
@Suite struct AnswerPiecesTests {
    /// A file of a few thousand answers with everything a split can land
    /// in: a byte-order mark, CRLF and lone-CR line ends, blank lines, quoted
    /// fields holding delimiters, `""` and line ends, a stray quote inside
    /// an unquoted field (which fools the quote count that picks split
    /// points), labels spelled otherwise (`01`, ` 2`, `2.0`), missing
    /// labels, −1 (no label) and non-ASCII names.
    static func answers(rows: Int = 3_000) -> String {
        var text = "\u{FEFF}item,worker,note,label\r\n"
        for r in 0..<rows {
            let item = r % 7 == 0 ? "\"task, \(r / 3)\"" : "\(r / 3)"
            let worker = r % 11 == 0 ? "w\"\(r % 5)" : r % 13 == 0 ? "\"wé\r\nline \(r % 4)\"" : "w\(r % 9)"
            let note = r % 17 == 0 ? "\"said \"\"hi\"\",\nthen left\"" : "n"
            let labels = ["cat", "dog", "01", " 2", "2.0", "\"eel, electric\"", "-1", "", "NA", "émeu"]
            let label = r == 2_500 ? "late-class" : labels[r % labels.count]
            let end = r % 19 == 0 ? "\r" : r % 23 == 0 ? "\n\n" : "\r\n"
            text += "\(item),\(worker),\(note),\(label)\(end)"
        }
        return text
    }

    func withFile<R>(_ text: String, _ body: (String) throws -> R) throws -> R {
        let dir = NSTemporaryDirectory() + "synthctl-pieces-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: "\(dir)/answers.csv", atomically: true, encoding: .utf8)
        return try body("\(dir)/answers.csv")
    }

    /// The pieces' merged ids, lines and counts, or nil when they declined.
    func pieces(_ text: String, threads: Int, pieceBytes: Int?, dropMissing: Bool = true) -> AnswerCSVChunks? {
        Array(text.utf8).withUnsafeBufferPointer {
            AnswerCSVChunks.read($0, path: "a.csv", delimiter: UInt8(ascii: ","), wanted: AnswerColumns().answers,
                                 noLabel: true, dropMissing: dropMissing, threads: threads, pieceBytes: pieceBytes)
        }
    }

    @Test func anyThreadCountAndPieceSizeGiveTheSameIdsInTheSameOrder() throws {
        let text = Self.answers()
        let whole = try #require(pieces(text, threads: 1, pieceBytes: Array(text.utf8).count))
        for (threads, size) in [(1, 53), (2, 200), (3, 97), (4, 1_000), (2, 4_096), (4, nil)] as [(Int, Int?)] {
            let split = try #require(pieces(text, threads: threads, pieceBytes: size), "\(threads) threads, pieces of \(size ?? -1)")
            #expect(split.items == whole.items && split.workers == whole.workers && split.labels == whole.labels)
            for (a, b) in [(split.itemIDs, whole.itemIDs), (split.workerIDs, whole.workerIDs), (split.labelValues, whole.labelValues)] {
                #expect(a.keyBytes == b.keyBytes && a.keyStart == b.keyStart)
            }
            #expect(split.labelLines == whole.labelLines && split.dropped == whole.dropped && split.noLabel == whole.noLabel)
        }
        // Every spelling met: quoted names, names across lines, the stray quote, the rewritten labels.
        let names = (0..<whole.workerIDs.count).map(whole.workerIDs.name)
        #expect(names.contains("w\"0") && names.contains("wé\r\nline 1"))
        let labels = (0..<whole.labelValues.count).map(whole.labelValues.name)
        #expect(labels == ["cat", "dog", "1", "2", "eel, electric", "émeu", "late-class"])
        #expect(whole.dropped == 600 && whole.noLabel == 300 && whole.items.count == 2_100)
    }

    /// The scanner writes a piece's answers into arrays sized from the
    /// piece's bytes (a kept record is at least its wanted fields, a
    /// delimiter between fields and a line end). The shortest records there
    /// can be, cut anywhere, must fit: read in pieces (not declined), the
    /// same as read whole.
    @Test func theShortestRecordsFitThePiecesArrays() throws {
        let cases: [(header: String, record: (Int) -> String, wanted: [([String], String)])] = [
            ("item,worker,label", { "\($0 % 10),\($0 % 3),\($0 % 2)" }, AnswerColumns().answers),
            ("item,worker,note,label", { "\($0 % 10),\($0 % 3),,\($0 % 2)" }, AnswerColumns().answers),
            ("item,label", { "\($0 % 10),\($0 % 2)" }, AnswerColumns().gold),
        ]
        for (header, record, wanted) in cases {
            for lastLineEnd in ["", "\n"] {
                let text = header + "\n" + (0..<300).map(record).joined(separator: "\n") + lastLineEnd
                func read(threads: Int, pieceBytes: Int?) -> AnswerCSVChunks? {
                    Array(text.utf8).withUnsafeBufferPointer {
                        AnswerCSVChunks.read($0, path: "a.csv", delimiter: UInt8(ascii: ","), wanted: wanted,
                                             noLabel: true, dropMissing: false, threads: threads, pieceBytes: pieceBytes)
                    }
                }
                let whole = try #require(read(threads: 1, pieceBytes: text.utf8.count), "\(header)")
                #expect(whole.labels.count == 300)
                for size in 1...24 {
                    for threads in [1, 2, 3] {
                        let split = try #require(read(threads: threads, pieceBytes: size), "\(header): pieces of \(size) on \(threads) threads")
                        #expect(split.items == whole.items && split.workers == whole.workers && split.labels == whole.labels)
                        #expect(split.itemIDs.keyBytes == whole.itemIDs.keyBytes && split.labelLines == whole.labelLines)
                    }
                }
            }
        }
    }

    /// A piece's last record may run past the piece's end, where the
    /// piece's NUL and ASCII checks do not reach (a helper session found
    /// invalid UTF-8 accepted at one thread count and refused at another).
    /// A bad byte there must send the file to the record-by-record reader,
    /// whatever the piece size.
    @Test func aBadByteInTheRecordThatCrossesAPieceEndIsNotTaken() throws {
        let header = "item,worker,label\n"
        let rows = (0..<200).map { "\($0 / 5),worker\($0 % 7),\($0 % 3)\n" }.joined()
        let clean = Array((header + rows).utf8)
        for bad: UInt8 in [0xFF, 0x00, 0xC3] {  // 0xC3 before an ASCII byte: a character cut short
            for position in stride(from: header.utf8.count + 1, to: clean.count - 1, by: 7) where clean[position] != UInt8(ascii: ",") && clean[position] != UInt8(ascii: "\n") {
                var bytes = clean
                bytes[position] = bad
                for size in [1, 5, 16, 64] {
                    let read = bytes.withUnsafeBufferPointer {
                        AnswerCSVChunks.read($0, path: "a.csv", delimiter: UInt8(ascii: ","), wanted: AnswerColumns().answers,
                                             noLabel: true, dropMissing: false, threads: 1, pieceBytes: size)
                    }
                    #expect(read == nil, "byte \(bad) at \(position), pieces of \(size)")
                }
            }
        }
    }

    /// The whole reader, in pieces and record by record: the same answer set,
    /// counts, notes and schema, and the same gold.
    @Test func theReaderGivesTheSameSetInPiecesAndRecordByRecord() throws {
        try withFile(Self.answers()) { path in
            let gold = path.replacingOccurrences(of: "answers.csv", with: "gold.csv")
            try ("item,truth\n" + (0..<900).map { "\($0),\(["cat", "dog", "1"][$0 % 3])" }.joined(separator: "\n"))
                .write(toFile: gold, atomically: true, encoding: .utf8)
            let (one, oneGold) = try AnswerReader.read(answers: path, gold: gold, dropMissing: true, threads: 1, pieceBytes: 0)
            for (threads, size) in [(1, 61), (3, 150), (2, nil)] as [(Int, Int?)] {
                let (set, setGold) = try AnswerReader.read(answers: path, gold: gold, dropMissing: true, threads: threads, pieceBytes: size)
                #expect(set.itemNames == one.itemNames && set.workerNames == one.workerNames && set.classNames == one.classNames)
                #expect(set.item == one.item && set.worker == one.worker && set.label == one.label)
                #expect(set.droppedAnswers == one.droppedAnswers && set.readingNotes == one.readingNotes)
                #expect(set.schema == one.schema && setGold?.truth == oneGold?.truth && setGold?.schema == oneGold?.schema)
            }
            #expect(one.droppedAnswers == 600 && one.readingNotes.count == 1)
        }
    }

    /// A label the given order lacks is refused on the line it first
    /// appears on, counted through the quoted line ends before it.
    @Test func aLabelOutsideTheOrderIsRefusedOnTheSameLine() throws {
        try withFile(Self.answers()) { path in
            let order = ["cat", "dog", "1", "2", "eel, electric", "émeu", "-1"]
            func message(_ pieceBytes: Int?, _ threads: Int) -> String {
                do {
                    _ = try AnswerReader.read(answers: path, dropMissing: true, labelOrder: order, threads: threads, pieceBytes: pieceBytes)
                    return "read"
                } catch { return "\(error)" }
            }
            let sequential = message(0, 1)
            #expect(sequential.contains("\"late-class\"") && sequential.contains("line "))
            #expect(message(77, 3) == sequential && message(nil, 2) == sequential)
        }
    }

    /// Whatever the pieces meet that the record-by-record reader refuses,
    /// they decline, and the reader says it as it always did: each error
    /// placed late in the file, past several pieces.
    @Test func errorsInAPieceAreTheRecordByRecordReadersOwn() throws {
        let goodText = Self.answers(rows: 1_200)
        let good = Array(goodText.utf8)
        let bad: [(String, [UInt8])] = [
            ("an empty item id", good + Array(",w1,n,cat\r\n".utf8)),
            ("an empty worker id", good + Array("9,,n,cat\r\n".utf8)),
            ("a ragged row", good + Array("9,w1,cat\r\n".utf8)),
            ("an unclosed quote", good + Array("9,w1,n,\"cat\r\n".utf8)),
            ("a byte after a closing quote", good + Array("9,w1,\"n\"x,cat\r\n".utf8)),
            ("a missing label without dropping", good),
            ("bytes that are not UTF-8", good + Array("9,w1,n,ca".utf8) + [0xFF] + Array("t\r\n".utf8)),
        ]
        for (what, bytes) in bad {
            let dir = NSTemporaryDirectory() + "synthctl-pieces-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let path = "\(dir)/answers.csv"
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let dropMissing = what != "a missing label without dropping"
            let declined = bytes.withUnsafeBufferPointer {
                AnswerCSVChunks.read($0, path: path, delimiter: UInt8(ascii: ","), wanted: AnswerColumns().answers,
                                     noLabel: true, dropMissing: dropMissing, threads: 3, pieceBytes: 100) == nil
            }
            #expect(declined, "\(what)")
            func message(_ pieceBytes: Int?) -> String {
                do {
                    _ = try AnswerReader.read(answers: path, dropMissing: dropMissing, threads: 3, pieceBytes: pieceBytes)
                    return "read"
                } catch { return "\(error)" }
            }
            let sequential = message(0)
            #expect(sequential != "read" && sequential.contains(path), "\(what): \(sequential)")
            #expect(message(100) == sequential && message(nil) == sequential, "\(what)")
        }
    }

    /// A header with nothing after it, or no header, is the record-by-record
    /// reader's to refuse: the pieces decline both.
    @Test func noAnswersAndNoHeaderAreDeclined() {
        for text in ["", "\r\n\n", "item,worker,label\r\n", "item,worker,label\n\n-,w,\n", "\"item,worker,label\n1,2,3\n"] {
            #expect(pieces(text, threads: 2, pieceBytes: 4, dropMissing: true) == nil, "\(text.debugDescription)")
        }
    }

    /// The word-at-a-time digit reader (``_UnsafeAnswerChunkScanner/digitRun(_:)``)
    /// must say what a byte loop says of any eight bytes: how many digits
    /// open them and their value, or that all eight are digits. The bytes
    /// next to the digits' range ("/" and ":"), bytes ≥ 0x80 and NUL end a run.
    @Test func theDigitRunIsTheByteLoops() {
        var generator = SystemRandomNumberGenerator()
        let others: [UInt8] = [0x00, 0x0A, 0x0D, 0x22, 0x2C, 0x2F, 0x3A, 0x3B, 0x41, 0x7F, 0x80, 0xB0, 0xB9, 0xFF]
        for trial in 0..<20_000 {
            let length = trial % 9  // 0 … 8 digits first
            var bytes = (0..<8).map { _ in UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &generator) }
            if length < 8 {
                bytes[length] = others.randomElement(using: &generator)!
                for k in (length + 1)..<8 where Bool.random(using: &generator) { bytes[k] = UInt8.random(in: 0...255, using: &generator) }
            }
            let run = bytes.withUnsafeBufferPointer { _UnsafeAnswerChunkScanner.digitRun($0.baseAddress!) }
            guard length < 8 else {
                #expect(run == nil, "\(bytes)")
                continue
            }
            let value = bytes[..<length].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            #expect(run?.length == length && run?.value == value, "\(bytes)")
        }
    }

    /// Integer ids of every length (records of short integers are read
    /// from one mask, fields of up to seven digits a word at a time, the
    /// rest byte by byte), with leading zeros ("007" is not 7), a zero,
    /// \r\n and lone \r line ends, blank lines, a quoted id, an id with a
    /// letter after seven digits, the columns in another order, and a last
    /// record with no line end: read in pieces, the same set as record by record.
    @Test func integerIdsOfEveryLengthReadAsRecordByRecord() throws {
        let spellings = ["0", "7", "007", "12", "1234567", "12345678", "123456789012", "0000000", "1234567x", "99999990", "3", "\"12\""]
        for header in ["item,worker,label", "label,item,worker"] {
            var text = header + "\n"
            for r in 0..<2_000 {
                let (item, worker) = (spellings[r % spellings.count], spellings[(r / 3) % spellings.count])
                let label = r % 4 == 0 ? "10" : "\(r % 3)"
                text += header.hasPrefix("item") ? "\(item),\(worker),\(label)" : "\(label),\(item),\(worker)"
                text += r % 5 == 0 ? "\r\n" : r % 7 == 0 ? "\r" : r % 97 == 0 ? "\n\n" : "\n"
            }
            text += header.hasPrefix("item") ? "5,12,1" : "1,5,12"  // fewer than eight bytes left, and no line end
            try withFile(text) { path in
                let (one, _) = try AnswerReader.read(answers: path, threads: 1, pieceBytes: 0)
                for (threads, size) in [(1, nil), (2, 37), (3, 500)] as [(Int, Int?)] {
                    let (set, _) = try AnswerReader.read(answers: path, threads: threads, pieceBytes: size)
                    #expect(set.itemNames == one.itemNames && set.workerNames == one.workerNames && set.classNames == one.classNames)
                    #expect(set.item == one.item && set.worker == one.worker && set.label == one.label)
                    #expect(set.schema == one.schema)
                }
                #expect(one.itemNames.contains("007") && one.itemNames.contains("7") && one.itemNames.contains("1234567x"))
                #expect(one.itemNames.contains("5") && one.workerNames.contains("12") && one.answerCount == 2_001)
                #expect(Set(one.classNames) == ["0", "1", "2", "10"])
                let split = try #require(pieces(text, threads: 2, pieceBytes: 64), "declined")
                #expect(split.items.count == 2_001)
            }
        }
    }
}
