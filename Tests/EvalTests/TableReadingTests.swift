import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore

/// Table cells as pandas reads them (Tests/Oracles/table_reading_oracle.py
/// writes the fixture), and the structural checks of the table readers.
@Suite struct TableReadingTests {
    struct Fixture: Decodable {
        struct Number: Decodable { let text: String; let value: Double; let integer: String? }
        let missing_spellings: [String]
        let numbers: [Number]
        let not_numbers: [String]
    }

    static let fixture: Fixture = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/table_reading.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: path))
    }()

    @Test func missingSpellingsArePandas() {
        #expect(TableCell.missingSpellings == Set(Self.fixture.missing_spellings))
        for spelling in Self.fixture.missing_spellings {
            guard case .missing = TableCell.text(spelling).featureValue else { Issue.record("feature \(spelling)"); continue }
            guard case .missing = TableCell.text(spelling).label else { Issue.record("label \(spelling)"); continue }
        }
        // Padded spellings are missing too; other capitalizations are text.
        guard case .missing = TableCell.text(" NA ").label else { Issue.record("\" NA \""); return }
        guard case .value("Nan") = TableCell.text("Nan").label else { Issue.record("Nan"); return }
    }

    /// A cell pandas reads as the number v is the feature Float(v) and the
    /// label spelled by v: the exact integer when pandas reads an int64,
    /// otherwise v's integer form when integral below 2⁵³, else its shortest form.
    @Test func numbersReadAsPandasReadsThem() {
        for n in Self.fixture.numbers {
            guard case .value(let f) = TableCell.text(n.text).featureValue else {
                Issue.record("\(n.text.debugDescription) is not a feature value"); continue
            }
            #expect(f == Float(n.value), "\(n.text.debugDescription)")
            guard case .value(let label) = TableCell.text(n.text).label else {
                Issue.record("\(n.text.debugDescription) is not a label"); continue
            }
            #expect(label == n.integer ?? LabelText.spelling(of: n.value), "\(n.text.debugDescription)")
        }
        // The spellings of one value are one label.
        let ones = [" 1", "1.0", "01", "1e0", "+1", "1.", "1 "].map { LabelText.canonical($0) }
        #expect(Set(ones) == ["1"])
        #expect(LabelText.canonical("-0") == "0" && LabelText.canonical("-0.0") == "0" && LabelText.canonical("2.50") == "2.5")
        #expect(LabelText.canonical("12345678901234567890123") == "12345678901234567890123")
        #expect(LabelText.canonical("-000123") == "-123" && LabelText.canonical("-5") == "-5")
    }

    @Test func textIsKeptTrimmedAndRefusedAsAFeature() {
        for text in Self.fixture.not_numbers {
            guard case .invalid(let expected, let found) = TableCell.text(text).featureValue else {
                Issue.record("\(text.debugDescription) read as a number"); continue
            }
            #expect(expected == "a finite number" && found == "\"\(text)\"")
            guard case .value(let label) = TableCell.text(text).label else { Issue.record("\(text.debugDescription) is not a label"); continue }
            #expect(label == text.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func valuesFloat32CannotHoldAreRefused() {
        let cases: [(TableCell, String)] = [
            (.text("1e39"), "\"1e39\""), (.text("-3.5e38"), "\"-3.5e38\""), (.real(1e300), "1e+300"),
            (.text("inf"), "\"inf\""), (.text("-Infinity"), "\"-Infinity\""), (.real(-.infinity), "-inf"),
        ]
        for (cell, found) in cases {
            guard case .invalid(let expected, let f) = cell.featureValue else { Issue.record("\(cell) accepted"); continue }
            #expect(expected.hasPrefix("a finite number") || expected.hasPrefix("a number within float32's range"))
            #expect(f == found)
        }
        guard case .value(let top) = TableCell.text("3.4028234e38").featureValue else { Issue.record("float32 max"); return }
        #expect(top == .greatestFiniteMagnitude)
        guard case .missing("nan") = TableCell.real(.nan).featureValue else { Issue.record("NaN"); return }
        guard case .missing("null") = TableCell.null.featureValue else { Issue.record("null"); return }
    }

    @Test func nulBytesAndNestedValuesAreInvalid() {
        guard case .invalid(_, let found) = TableCell.text("1\u{0}2").featureValue else { Issue.record("1\\02 read as a number"); return }
        #expect(found == "a NUL byte in \"1\\02\"")
        guard case .invalid = TableCell.text("cat\u{0}").label else { Issue.record("NUL label"); return }
        guard case .invalid(_, "an object") = TableCell(JSONValue.object(["a": .int(1)])).label else { Issue.record("object"); return }
        guard case .invalid(_, "an array of 2") = TableCell(JSONValue.array([.int(1), .int(2)])).featureValue else { Issue.record("array"); return }
        guard case .value("true") = TableCell(JSONValue.bool(true)).label else { Issue.record("bool"); return }
        guard case .value("1") = TableCell(JSONValue.double(1.0)).label else { Issue.record("1.0"); return }
    }

    @Test func duplicateJSONKeysAreFound() {
        func scan(_ text: String) -> String? {
            JSONValue.firstDuplicateKey(in: Array(text.utf8)).map { "\($0.path)|\($0.key)" }
        }
        #expect(scan(#"{"a": 1, "b": {"a": 2}, "c": [{"a": 1}, {"a": 2}]}"#) == nil)
        #expect(scan(#"{"a": 1, "a": 2}"#) == "|a")
        #expect(scan(#"{"a": 1, "\u0061": 2}"#) == "|a")
        #expect(scan(#"{"g": {"x": "a,b:{", "n": [1, {"k": 1, "k": 2}]}}"#) == "g.n[1]|k")
        #expect(scan(#"{"s": "\"a\"", "\"a\"": 1, "t": "\ud83d\ude00", "\ud83d\ude00": 2, "😀": 3}"#) == "|😀")
    }

    @Test func csvLineEndsByteOrderMarkAndNUL() throws {
        let lf = try CSVTable(text: "a,b\n1,\"x\ny\"\n2,z\n", path: "t.csv")
        for text in ["a,b\r1,\"x\ny\"\r2,z\r", "a,b\r\n1,\"x\ny\"\r\n2,z\r\n", "\u{FEFF}a,b\n1,\"x\ny\"\n2,z"] {
            let t = try CSVTable(text: text, path: "t.csv")
            #expect(t.header == ["a", "b"] && t.records == lf.records, "\(text.debugDescription)")
            #expect(t.lines == [2, 4], "\(text.debugDescription)")
        }
        #expect(lf.lines == [2, 4])
        // A lone CR inside quotes is data and counts a line, as \n does.
        #expect(try CSVTable(text: "a\r\"x\ry\"\r2\r", path: "t.csv").lines == [2, 4])
        let message: (String) -> String? = { text in
            do { _ = try CSVTable(text: text, path: "t.csv"); return nil } catch let e as any SynthctlError { return e.message } catch { return "\(error)" }
        }
        #expect(message("a,b\n1,2\u{0}3\n") == "t.csv: line 2, column \"b\": expected text, found a NUL byte")
        #expect(message("a,b\r1,2\r3,\"4\u{0}\"\r") == "t.csv: line 3, column \"b\": expected text, found a NUL byte")
        #expect(message("a\u{0},b\n1,2\n") == "t.csv: line 1, the header, field 1: expected text, found a NUL byte")
    }

    /// Writes a little-endian .npy (format 1.0) of 4-byte values.
    func npy(_ path: String, _ descr: String, _ shape: String, _ words: [UInt32]) {
        let header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }".utf8)
        let payload = words.flatMap { w in withUnsafeBytes(of: w.littleEndian) { Array($0) } }
        FileManager.default.createFile(atPath: path, contents: Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0] + header + payload))
    }

    @Test func npyRowsWithNaNAreRefusedOrDroppedWithTheirTruth() throws {
        let d = NSTemporaryDirectory() + "synthctl-npy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: d) }
        let x: [Float] = [0, 1, .nan, 2, 3, 4, 5, .nan, 6, 7]
        npy("\(d)/features.npy", "<f4", "(5, 2)", x.map(\.bitPattern))
        npy("\(d)/labels.npy", "<i4", "(5,)", [0, 1, 1, 0, 2])
        npy("\(d)/true_labels.npy", "<i4", "(5,)", [0, 0, 1, 1, 2])
        do {
            _ = try LabeledFeatures.read(datasetDirectory: d)
            Issue.record("NaN read as a feature")
        } catch let e as MissingValueError {
            #expect(e.message == "\(d)/features.npy: row 1, column 0: expected a finite number, found nan (a missing value)")
        }
        let set = try LabeledFeatures.read(datasetDirectory: d, dropMissing: true)
        #expect(set.rows == 3 && set.droppedRows == 2 && set.fileRows == [0, 2, 4])
        #expect(set.labels == [0, 1, 2] && set.truth == [0, 1, 2] && set.features?.storage == [0, 1, 3, 4, 6, 7])
        #expect(set.featureNamesArePositions && set.classNames == ["0", "1", "2"])
    }

    @Test func namedColumnsAreMatchedByName() throws {
        let x = Matrix(rows: 3, columns: 3, storage: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let h = LabeledFeatures(source: "h.csv", features: x, featureNames: ["a", "b", "c"], labels: [0, 0, 0], classNames: ["k"])
        let permuted = Matrix(rows: 3, columns: 3, storage: [3, 1, 2, 6, 4, 5, 9, 7, 8])
        let s = LabeledFeatures(source: "s.csv", features: permuted, featureNames: ["c", "a", "b"], labels: [0, 0, 0], classNames: ["k"])
        #expect(try ClassAlignment(human: h, synthetic: s).syntheticFeatures.storage == x.storage)
        let renamed = LabeledFeatures(source: "s.csv", features: x, featureNames: ["a", "b", "d"], labels: [0, 0, 0], classNames: ["k"])
        do {
            _ = try ClassAlignment(human: h, synthetic: renamed)
            Issue.record("renamed columns matched")
        } catch let e as any SynthctlError {
            #expect(e.message == "s.csv: expected the feature columns of h.csv (3), found 3 columns; no column \"c\"; not in h.csv: \"d\"")
        }
        // A .npy matrix has positions only: matched by position.
        let npy = LabeledFeatures(source: "s.npy", features: permuted, featureNames: ["x0", "x1", "x2"], labels: [0, 0, 0], classNames: ["k"],
                                  featureNamesArePositions: true)
        #expect(try ClassAlignment(human: h, synthetic: npy).syntheticFeatures.storage == permuted.storage)
    }
}
