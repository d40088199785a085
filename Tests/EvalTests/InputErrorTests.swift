import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore
import TestSupport

/// Bad .npy files and dataset directories: one line naming the file and what was wrong.
@Suite struct InputErrorTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    func dir() -> String {
        temporary.directory("synthctl-input")
    }

    func npy(_ header: String, payload: [UInt8], major: UInt8 = 1) -> [UInt8] {
        let h = Array(header.utf8)
        return [0x93] + Array("NUMPY".utf8) + [major, 0, UInt8(h.count & 0xff), UInt8(h.count >> 8)] + h + payload
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as any SynthctlError { return e.message } catch { return "\(error)" }
    }

    /// The readers throw typed errors whose fields say where (file, line or
    /// row, column by name) and what, rendered to the lines they printed as
    /// pre-built messages.
    @Test func readerErrorsAreTypedWithTheirPlace() throws {
        let d = dir()
        func write(_ name: String, _ text: String) -> String {
            FileManager.default.createFile(atPath: "\(d)/\(name)", contents: Data(text.utf8))
            return "\(d)/\(name)"
        }
        func thrown(_ body: () throws -> Void) -> Error? {
            do { try body(); return nil } catch { return error }
        }
        // A label the given order lacks: its line and column by name.
        let answers = write("a.csv", "item,worker,label\n1,u,low\n2,u,huge\n")
        let lacking = thrown { _ = try AnswerReader.read(answers: answers, labelOrder: ["low", "high"]) } as? InputError
        #expect(lacking == InputError(file: answers, line: 3, columnName: .named("label"),
                                      expected: "one of the labels of the given order (low, high)", found: "\"huge\""))
        // The order itself is the caller's argument, named in the library's words.
        let twice = thrown { _ = try AnswerReader.read(answers: answers, labelOrder: ["low", "low"]) } as? ArgumentError
        #expect(twice?.argument == "the label order" && twice?.description == "the label order: expected each label once, found \"low\" twice")
        // A CSV field with a NUL byte (given as text, past the file check): the line and the column's name.
        let nulError = thrown { _ = try CSVTable(text: "f,label\n1,a\u{0}\n", path: "t.csv") } as? InputError
        #expect(nulError == InputError(file: "t.csv", line: 2, columnName: .named("label"), expected: "text", found: "a NUL byte"))
        // A .npy given where a table is read.
        let array = "\(d)/x.npy"
        FileManager.default.createFile(atPath: array, contents: Data(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", payload: [0, 0, 0, 0])))
        #expect(message { _ = try LabeledFeatures.read(table: array, labelColumn: "label") }
            == "\(array): expected a table (\(TableFormat.displayNames)), found a NumPy .npy array (a features .npy needs its labels .npy)")
        // A dataset directory whose manifest.json is a directory.
        let set = "\(d)/set"
        try FileManager.default.createDirectory(atPath: "\(set)/manifest.json", withIntermediateDirectories: true)
        #expect(message { _ = try LabeledFeatures.read(datasetDirectory: set) }
            == "\(set)/manifest.json: expected a readable synthctl manifest, found a directory")
        // A JSON syntax error in JSON Lines: the line and the character's column.
        let jsonl = write("t.jsonl", "{\"label\": 1, \"f\": 2}\n{\"label\": 1, \"f\": 2,}\n")
        let syntax = thrown { _ = try LabeledFeatures.read(table: jsonl, labelColumn: "label") } as? InputError
        #expect(syntax == InputError(file: jsonl, line: 2, column: 21, expected: "a key in double quotes",
                                     found: "\"}\" after a comma (JSON allows no trailing comma)"))
    }

    @Test func badNpyFiles() throws {
        let d = dir()
        let cases: [([UInt8], String)] = [
            (Array("hello world".utf8), "expected a NumPy .npy file, found other bytes"),
            (npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", payload: [0, 0, 0, 0], major: 9), "expected .npy format version 1, 2 or 3, found 9"),
            (npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", payload: [UInt8](repeating: 0, count: 8)), "expected float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64 or bool data (little-endian), found dtype '<c8'"),
            (npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1), }", payload: [0, 0, 0, 0]), "expected a 1- or 2-dimensional array, found shape (1, 1, 1)"),
            (npy("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", payload: [0, 0, 0, 0]), "expected 12 bytes of data for shape [3], found 4"),
        ]
        for (i, (bytes, expected)) in cases.enumerated() {
            let path = "\(d)/\(i).npy"
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let m = message { _ = try NpyArray(path: path) }
            #expect(m?.hasPrefix("\(path): ") == true && m?.contains(expected) == true, "\(m ?? "no error")")
        }
        #expect(message { _ = try NpyArray(path: "\(d)/none.npy") } == "\(d)/none.npy: cannot read the file (no such file)")
    }

    func write(_ d: String, _ name: String, _ descr: String, _ shape: String, _ values: [Int32]) {
        let payload = values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
        FileManager.default.createFile(atPath: "\(d)/\(name)", contents: Data(npy("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }", payload: payload)))
    }

    @Test func badDatasetDirectories() {
        var d = dir()
        write(d, "annotations.npy", "<i4", "(4,)", [0, 1, 0, 1])
        #expect(message { _ = try AnswerReader.read(datasetDirectory: d) } == "\(d)/annotations.npy: expected items × annotators (2 dimensions), found shape [4]")
        d = dir()
        write(d, "annotations.npy", "<i4", "(2, 2)", [-1, -1, -1, -1])
        #expect(message { _ = try AnswerReader.read(datasetDirectory: d) } == "\(d)/annotations.npy: expected at least one answer (a value other than −1), found none")
        d = dir()
        write(d, "annotations.npy", "<i4", "(2, 2)", [0, 1, 1, 0])
        write(d, "true_labels.npy", "<i4", "(3,)", [0, 1, 1])
        #expect(message { _ = try AnswerReader.read(datasetDirectory: d) } == "\(d)/true_labels.npy: expected 2 labels (one per row of annotations.npy), found 3")
        d = dir()
        let f: [Float] = [0, 1.5]
        let payload = f.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
        FileManager.default.createFile(atPath: "\(d)/annotations.npy", contents: Data(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", payload: payload)))
        #expect(message { _ = try AnswerReader.read(datasetDirectory: d) } == "\(d)/annotations.npy: row 0, column 1: expected a class id or −1, found 1.5")
    }

    @Test func csvAndAlphaMessages() throws {
        #expect(message { _ = try CSVTable(text: "a,b\n\"x\"y,1\n", path: "t.csv") } == "t.csv: line 2: expected a comma or a line end after a quoted field, found \"y\"")
        // One label throughout, or no item answered twice: α is undefined (0/0), not bad input.
        let one = AnswerSet(items: ["a", "a"], workers: ["x", "y"], labels: ["1", "1"])
        #expect(try KrippendorffAlpha.alpha(one, level: .nominal) == .undefined("every answer on items with two or more answers is the same label: no disagreement is expected (0/0)"))
        let lonely = AnswerSet(items: ["a", "b"], workers: ["x", "x"], labels: ["1", "2"])
        #expect(try KrippendorffAlpha.alpha(lonely, level: .nominal) == .undefined("no item has two or more answers: there are no pairs of answers to compare"))
        let words = AnswerSet(items: ["a", "a"], workers: ["x", "y"], labels: ["cat", "dog"])
        #expect(message { _ = try KrippendorffAlpha.alpha(words, level: .interval) } == "answers: expected numbers for interval α, found the label \"cat\"")
        #expect(message { try AtomicFile.write("x", to: "/nonexistent-dir/r.json") } == "/nonexistent-dir/r.json: expected an existing directory /nonexistent-dir to write into, found none")
    }
}
