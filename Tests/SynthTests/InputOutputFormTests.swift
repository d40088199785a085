import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import Synth
@testable import SynthctlCore

/// The library pieces behind issue 13's follow-ups on inputs and outputs:
/// strict JSON with positions, table fields quoted and escaped, output
/// names checked for their form, text inputs cut at their first NUL byte,
/// stale lock files recognized as synthctl's own, sizes parsed exactly.
@Suite struct InputOutputFormTests {
    // MARK: - JSON syntax (RFC 8259)

    @Test(arguments: [
        "{}", "[]", "0", "-0.5e+10", "\"a\\u00e9\\n\"", " {\"a\": [1, 2.5, true, false, null, {\"b\": []}]} \n",
        "{\"é\": \"😀\"}", "1E5", "[-0]", "[1.7976931348623157e308, 1e-400]", "\"\\ud83d\\ude00\"",
    ])
    func validJSONHasNoProblem(text: String) {
        #expect(JSONSyntax.firstProblem(in: Array(text.utf8)) == nil, "\(text)")
        // And Foundation agrees it is JSON.
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) != nil, "\(text)")
    }

    @Test(arguments: [
        ("{\"rows\": 200,}", 1, 14, "expected a key in double quotes, found \"}\" after a comma (JSON allows no trailing comma)"),
        ("[1, 2,]", 1, 7, "expected a value, found \"]\" after a comma (JSON allows no trailing comma)"),
        ("{\"rows\": NaN}", 1, 10, "expected a value (an object, array, string, number, true, false or null), found \"NaN\""),
        ("{\"a\":\n  Infinity}", 2, 3, "expected a value (an object, array, string, number, true, false or null), found \"Infinity\""),
        ("{\"a\": -Infinity}", 1, 7, "expected a value (an object, array, string, number, true, false or null), found \"-Infinity\""),
        ("{\"a\": 012}", 1, 7, "expected a number without leading zeros, found \"012\""),
        ("{\"a\": 1.}", 1, 7, "expected a digit after the decimal point, found \"1.\""),
        ("{\"a\": .5}", 1, 7, "expected a value (an object, array, string, number, true, false or null), found \".5\""),
        ("{\"a\": 1e}", 1, 7, "expected a digit in the exponent, found \"1e\""),
        ("{\"a\": +1}", 1, 7, "expected a value (an object, array, string, number, true, false or null), found \"+1\""),
        ("{'a': 1}", 1, 2, "expected a key in double quotes, found \"'\""),
        ("{\"a\" 1}", 1, 6, "expected \":\" after the key, found \"1\""),
        ("{\"a\": 1 \"b\": 2}", 1, 9, "expected \",\" or \"}\" after the value, found \"\"\""),
        ("[1 2]", 1, 4, "expected \",\" or \"]\" after the value, found \"2\""),
        ("{\"a\": 1} {}", 1, 10, "expected the end of the text after the value, found \"{\""),
        ("{\"a\": \"x\ty\"}", 1, 9, "expected a control character in a string only as an escape (\\n, \\t, \\u0000 …), found the character U+0009"),
        ("{\"a\": \"\\x\"}", 1, 8, "expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX), found \"\\x\""),
        ("{\"a\": \"\\u12\"}", 1, 8, "expected four hexadecimal digits after \\u, found \"\\u12\""),
        ("{\"a\": \"open", 1, 7, "expected a closing double quote for the string that starts here, found the end of the text"),
        ("{\"é\": tru}", 1, 7, "expected a value (an object, array, string, number, true, false or null), found \"tru\""),
        ("{\"a\": nullx}", 1, 7, "expected a value (an object, array, string, number, true, false or null), found \"nullx\""),
        ("", 1, 1, "expected a value, found the end of the text"),
        ("{\"a\": [1, {\"b\": 2}", 1, 19, "expected \",\" or \"]\" after the value, found the end of the text"),
        // Grammatical, but no Double holds them: the decoder said only "not a JSON value".
        ("{\"rows\": 1e400}", 1, 10, "expected a number within float64's range (magnitude at most 1.8e308), found 1e400"),
        ("[1,\n -2E+309]", 2, 2, "expected a number within float64's range (magnitude at most 1.8e308), found -2E+309"),
        ("[1" + String(repeating: "0", count: 400) + "]", 1, 2,
         "expected a number within float64's range (magnitude at most 1.8e308), found 1" + String(repeating: "0", count: 39) + "… (401 characters)"),
        // Half a surrogate pair: not a character.
        ("{\"a\": \"x\\ud800\"}", 1, 9, "expected a \\uDC00–\\uDFFF escape after \"\\ud800\", the first half of a UTF-16 surrogate pair, found the end of the string"),
        ("{\"a\": \"\\uD800\\u0041\"}", 1, 8, "expected a \\uDC00–\\uDFFF escape after \"\\uD800\", the first half of a UTF-16 surrogate pair, found \"\\u0041\""),
        ("[\"\\udc00\"]", 1, 3, "expected a Unicode character, found \"\\udc00\", the second half of a UTF-16 surrogate pair without the first"),
    ])
    func invalidJSONIsNamedByLineAndColumn(text: String, line: Int, column: Int, message: String) {
        let problem = JSONSyntax.firstProblem(in: Array(text.utf8))
        #expect(problem == JSONSyntax.Problem(line: line, column: column, message: message), "\(text)")
    }

    @Test func deepNestingIsScannedWithoutRecursion() {
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        #expect(JSONSyntax.firstProblem(in: Array(deep.utf8)) == nil)
        let open = String(repeating: "{\"a\":", count: 100_000)
        #expect(JSONSyntax.firstProblem(in: Array(open.utf8))?.message == "expected a value, found the end of the text")
    }

    @Test func specsAreReadStrictly() throws {
        let dir = temporaryDirectory()
        try "{\"rows\": 20, \"seed\": 3,}".write(toFile: "\(dir)/s.json", atomically: true, encoding: .utf8)
        #expect(errorMessage { _ = try SpecLoader.load(path: "\(dir)/s.json") }
                == "\(dir)/s.json: expected JSON, found a syntax error (line 1, column 24: expected a key in double quotes, found \"}\" after a comma (JSON allows no trailing comma))")
        // --set: a value that is not JSON is text, as before; lenient JSON is not JSON.
        #expect(try applyOverride("generator.weights=[0.5, 0.5,]", to: .object([:]))
                == .object(["generator": .object(["weights": .string("[0.5, 0.5,]")])]))
        #expect(try applyOverride("generator.weights=[0.5, 0.5]", to: .object([:]))
                == .object(["generator": .object(["weights": .array([.double(0.5), .double(0.5)])])]))
    }

    // MARK: - Table fields

    @Test func csvFieldsAreQuotedOnlyWhenTheyMustBe() {
        #expect(TableColumns.csvField("x0") == "x0")
        #expect(TableColumns.csvField("class 1") == "class 1")
        #expect(TableColumns.csvField("price, usd") == "\"price, usd\"")
        #expect(TableColumns.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(TableColumns.csvField("two\nlines") == "\"two\nlines\"")
        #expect(TableColumns.csvField("cr\rhere") == "\"cr\rhere\"")
        #expect(TableColumns.jsonString("say \"hi\"\\\n\u{1b}") == "\"say \\\"hi\\\"\\\\\\n\\u001b\"")
    }

    @Test func theTableOfABuiltInGeneratorKeepsItsColumns() throws {
        let columns = try TableColumns(plan: plan(#"{"rows": 10, "generator": {"type": "moons"}, "annotators": {"count": 2, "per_item": 1}}"#), output: "t.csv")
        #expect(columns.names == ["x0", "x1", "label", "true_label", "noisy", "annotator_0", "annotator_1"])
        let multilabel = try TableColumns(plan: plan(#"{"rows": 10, "generator": {"type": "multilabel", "labels": 2}}"#), output: "t.csv")
        #expect(multilabel.names.suffix(2) == ["label_0", "label_1"])
    }

    // MARK: - Output names

    @Test func outputNamesAreCheckedForTheirForm() throws {
        #expect(try OutputTarget.validatedPath("d/", option: "--out", as: .datasetDirectory) == "d")
        #expect(try OutputTarget.validatedPath("a/b///", option: "--out", as: .datasetDirectory) == "a/b")
        #expect(try OutputTarget.validatedPath("/tmp/x", option: nil, as: .file) == "/tmp/x")
        #expect(try OutputTarget.validatedPath("-", option: "--json", as: .file) == "-")
        #expect(errorMessage { _ = try OutputTarget.validatedPath("", option: "--json", as: .file) }
                == "--json: expected a file name, found an empty path")
        #expect(errorMessage { _ = try OutputTarget.validatedPath("r/", option: "--json", as: .file) }
                == "--json r/: expected a file name, found a directory name (it ends in /)")
        #expect(errorMessage { _ = try OutputTarget.validatedPath("d/..", option: nil, as: .datasetDirectory) }
                == "d/..: expected a name for the dataset directory, found \"..\", which names an existing directory")
        #expect(errorMessage { _ = try OutputTarget.validatedPath("//", option: "--out", as: .datasetDirectory) }
                == "--out //: expected a name for the dataset directory, found the root directory")
        // The library writer normalizes too: the lock and temporary directory go beside the target.
        let dir = temporaryDirectory()
        let summary = try DatasetWriter(plan: plan(#"{"rows": 20, "generator": {"type": "moons"}}"#)).write(to: "\(dir)/d/")
        #expect(summary.path == "\(dir)/d")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["d"])
    }

    // MARK: - Text inputs

    @Test func textInputsStopAtTheirFirstNULByte() throws {
        let dir = temporaryDirectory()
        let path = "\(dir)/t.csv"
        try Data("a,b\r\n1,2\r3,4\n5,\06\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: InputFile.Failure.nul(line: 4)) { _ = try InputFile.readText(path) }
        #expect(try InputFile.read(path).count == 18)  // binary inputs are not checked
        // A table is text unless it starts with Parquet's magic.
        #expect(throws: InputFile.Failure.nul(line: 4)) { _ = try InputFile.read(path, isText: { !$0.starts(with: Array("PAR1".utf8)) }) }
        #expect(errorMessage { _ = try InputFile.textContents(path) } == "\(path): line 4: expected text, found a NUL byte")
        #expect(errorMessage { _ = try InputFile.textContents("/dev/zero") } == "/dev/zero: line 1: expected text, found a NUL byte")
        // A Parquet magic at the start keeps a table binary.
        try Data("PAR1\0\0\0PAR1".utf8).write(to: URL(fileURLWithPath: "\(dir)/p"))
        #expect(try InputFile.read("\(dir)/p", isText: { !$0.starts(with: Array("PAR1".utf8)) }).count == 11)
    }

    @Test func aStreamStopsBeforeItsPeakPassesTheBudget() throws {
        // Scoped to this test: the process-wide budget is shared with the tests running beside it.
        // /dev/urandom: endless, binary (unchecked for NUL), a character device.
        do {
            _ = try MemoryBudget.withLimit(MemoryBudget(limit: 1 << 20)) { try InputFile.read("/dev/urandom") }
            Issue.record("read whole")
        } catch let e as MemoryLimitExceeded {
            // The buffer doubles from 64 KiB; growing 256 KiB to 512 KiB holds
            // 768 KiB at its peak, within 1 MiB; growing 512 KiB would hold
            // 1.5 MiB, so the read stops there.
            #expect(e.description == "/dev/urandom: expected a run within the memory limit of 1.0 MiB, found an estimate of 1.5 MiB for a stream of unknown length, read whole (512.0 KiB so far, held three times over while its buffer doubles)")
        }
    }

    // MARK: - Stale lock files

    @Test func onlySynthctlsOwnLockOfADeadRunIsStale() throws {
        let dir = temporaryDirectory()
        let dead = try OutputSafetyTests.deadPID()
        func lock(_ name: String, _ text: String) -> String {
            let path = "\(dir)/\(name)"
            #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
            return path
        }
        #expect(OutputLock.removeIfStale(lock("a.lock", "\(dead) synthctl\n")))
        #expect(!OutputLock.removeIfStale(lock("b.lock", "1 synthctl\n")))           // alive
        #expect(!OutputLock.removeIfStale(lock("c.lock", "\(getpid()) synthctl\n"))) // this process
        #expect(!OutputLock.removeIfStale(lock("d.lock", "\(dead)\n")))              // not marked as synthctl's
        #expect(!OutputLock.removeIfStale(lock("e.lock", "# yarn lockfile v1\n")))
        #expect(!OutputLock.removeIfStale(lock("f.lock", "\(dead) synthctl\nmore\n")))
        let held = lock("g.lock", "\(dead) synthctl\n")
        let fd = open(held, O_RDWR)
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        // Held through another open file (as by another process): kept.
        #expect(!OutputLock.removeIfStale(held))
        close(fd)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["b.lock", "c.lock", "d.lock", "e.lock", "f.lock", "g.lock"])
        // A lock this version writes is recognized: "<pid> synthctl".
        let mine = try OutputLock.acquire("\(dir)/out")
        #expect(String(decoding: FileManager.default.contents(atPath: "\(dir)/out.synthctl-lock")!, as: UTF8.self) == "\(getpid()) synthctl\n")
        mine.release()
    }

    // MARK: - Sizes

    @Test func sizesAreExactAndRefuseWhiteSpace() {
        #expect(MemoryBudget.bytes(parsing: "9223372036854775807") == Int.max)
        #expect(MemoryBudget.bytes(parsing: "9223372036854775808") == nil)
        #expect(MemoryBudget.bytes(parsing: "8388607T") == 8_388_607 << 40)
        #expect(MemoryBudget.bytes(parsing: "8388608T") == nil)  // 2^63 bytes
        #expect(MemoryBudget.bytes(parsing: " 5") == nil && MemoryBudget.bytes(parsing: "5 ") == nil)
        #expect(MemoryBudget.bytes(parsing: "-0") == nil && MemoryBudget.bytes(parsing: "0.4") == nil)
        #expect(MemoryBudget.bytes(parsing: "0.5K") == 512)
    }
}
