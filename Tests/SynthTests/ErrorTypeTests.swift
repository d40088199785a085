import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// The typed errors render their fields into the one line synthctl prints,
/// the same line the string-built errors they replace printed, and a
/// library's line names no command-line flag.
@Suite struct ErrorTypeTests {
    @Test func inputErrorPutsLineRowColumnAndFieldBeforeExpectedAndFound() {
        #expect(InputError(file: "x.npy", expected: "a NumPy .npy file", found: "other bytes").description
                == "x.npy: expected a NumPy .npy file, found other bytes")
        #expect(InputError(file: "x.npy", field: "shape", expected: "non-negative dimensions", found: "(-1, 2)").description
                == "x.npy: shape: expected non-negative dimensions, found (-1, 2)")
        #expect(InputError(file: "t.csv", line: 3, expected: "text", found: "a NUL byte").description
                == "t.csv: line 3: expected text, found a NUL byte")
        #expect(InputError(file: "y.npy", row: 4, expected: "an integer", found: "2").description
                == "y.npy: row 4: expected an integer, found 2")
        #expect(InputError(file: "x.npy", row: 1, column: 2, expected: "an integer", found: "2").description
                == "x.npy: row 1, column 2: expected an integer, found 2")
        #expect(InputError(file: "m.json", line: 2, field: "classes", expected: "an array", found: "3").description
                == "m.json: line 2: classes: expected an array, found 3")
        // A column alone is not a place: it is shown with its row.
        #expect(InputError(file: "t.csv", column: 2, expected: "a number", found: "x").description
                == "t.csv: expected a number, found x")
    }

    @Test func inputErrorNamesAColumnAfterItsLineOrRowOrAlone() {
        // A character's column in a text line (JSON syntax).
        #expect(InputError(file: "t.jsonl", line: 3, column: 7, expected: "a value", found: "}").description
                == "t.jsonl: line 3, column 7: expected a value, found }")
        // A column by its header's name, after a line, a row, or alone.
        #expect(InputError(file: "t.csv", line: 3, columnName: .named("price"), expected: "a number", found: "\"x\"").description
                == "t.csv: line 3, column \"price\": expected a number, found \"x\"")
        #expect(InputError(file: "t.parquet", row: 0, columnName: .named("a"), expected: "a number", found: "nan").description
                == "t.parquet: row 0, column \"a\": expected a number, found nan")
        #expect(InputError(file: "t.parquet", columnName: .named("a"), expected: "3 values", found: "2").description
                == "t.parquet: column \"a\": expected 3 values, found 2")
        // A field the header does not name, and a field of the header itself.
        #expect(InputError(file: "t.csv", line: 4, columnName: .field(3), expected: "text", found: "a NUL byte").description
                == "t.csv: line 4, field 3: expected text, found a NUL byte")
        #expect(InputError(file: "t.csv", line: 1, columnName: .headerField(1), expected: "text", found: "a NUL byte").description
                == "t.csv: line 1, the header, field 1: expected text, found a NUL byte")
    }

    @Test func specErrorNamesTheKeyPathOrTheTopLevel() {
        #expect(SpecError(source: "spec.json", path: "generator.classes", expected: "an integer ≥ 2", found: "1").description
                == "spec.json: generator.classes: expected an integer ≥ 2, found 1")
        #expect(SpecError(source: "spec.json", path: "", expected: "an object", found: "[1]").description
                == "spec.json: top level: expected an object, found [1]")
    }

    @Test func fileAccessAndResourceLimitErrors() {
        #expect(FileAccessError(path: "o.csv", problem: "cannot write the output", reason: "no space left on device").description
                == "o.csv: cannot write the output (no space left on device)")
        #expect(FileAccessError(path: "o.csv", problem: "no such file").description == "o.csv: no such file")
        #expect(ResourceLimitError(subject: "x.npy", what: "a .npy header", limit: "65536 bytes", found: "a length of 70000").description
                == "x.npy: expected a .npy header of at most 65536 bytes, found a length of 70000")
        #expect(ResourceLimitError(subject: "--out n", what: "a name", limit: "200 bytes", found: "250", why: "the file system").description
                == "--out n: expected a name of at most 200 bytes, found 250 (the file system)")
    }

    @Test func outputErrorsRenderEveryProblemWithoutAFlag() {
        let lines = [
            OutputError(path: "o", .refused(expected: "a file name", found: "an empty path")),
            OutputError(path: "o", .refused(expected: "no other run writing this output", found: "one", note: "wait for it to finish")),
            OutputError(path: "o", .exists),
            OutputError(path: "o", .notReplaceable("a FIFO")),
            OutputError(path: "o", .notADataset(found: "a directory without a manifest.json")),
            OutputError(path: "o.tmp", .occupied),
            OutputError(path: "o", .foreignLockFile(lock: "o.synthctl-lock", found: "empty", advice: "remove it")),
        ].map(\.description)
        #expect(lines == [
            "o: expected a file name, found an empty path",
            "o: expected no other run writing this output, found one; wait for it to finish",
            "o: already exists",
            "o: expected a new name or a regular file to write, found a FIFO; synthctl never replaces links, devices or FIFOs",
            "o: expected a synthctl dataset directory to replace, found a directory without a manifest.json; only a directory that synthctl wrote and that holds nothing else is replaced",
            "o.tmp: exists and was not created by this run; remove it or choose another output",
            "o: cannot lock the output: o.synthctl-lock exists and is empty, not a synthctl lock file; synthctl leaves it alone (remove it)",
        ])
        #expect(!lines.contains { $0.contains("--") })
    }

    /// The readers' failures keep their words, now as typed errors.
    @Test func inputFileFailuresAreTyped() {
        #expect(InputFile.error("a", .missing) as? FileAccessError == FileAccessError(path: "a", problem: "no such file"))
        #expect(InputFile.error("a", .nul(line: 2)) as? InputError == InputError(file: "a", line: 2, expected: "text", found: "a NUL byte"))
        #expect(InputFile.message("a", .directory) == "a: expected a readable file, found a directory")
        #expect(InputFile.message("a", .unreadable("permission denied")) == "a: expected a readable file, found one that cannot be read (permission denied)")
        #expect(InputFile.message("a", .notUTF8(found: "UTF-16 text")) == "a: expected UTF-8 text, found UTF-16 text")
    }

    /// A converted core path throws its typed error with the same line.
    @Test func npyReaderThrowsTypedErrors() throws {
        let dir = NSTemporaryDirectory() + "synthctl-errors-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = "\(dir)/x.npy"
        FileManager.default.createFile(atPath: path, contents: Data("not numpy at all".utf8))
        #expect(throws: InputError(file: path, expected: "a NumPy .npy file", found: "other bytes")) { try NpyArray(path: path) }
        #expect(throws: FileAccessError(path: "\(dir)/none.npy", problem: "cannot read the file", reason: "no such file")) {
            try NpyArray(path: "\(dir)/none.npy")
        }
        FileManager.default.createFile(atPath: "\(dir)/r.json", contents: Data("old".utf8))
        #expect(throws: OutputError(path: "\(dir)/r.json", .exists)) { try AtomicFile.write("new", to: "\(dir)/r.json") }
    }

    /// A library names a value by what it is; the command line by its flag.
    @Test func argumentErrorIsNamedByTheCaller() {
        let e = ArgumentError(argument: "override", value: "rows.x=1", expected: "x's parent to be an object", found: "3")
        #expect(e.description == "override rows.x=1: expected x's parent to be an object, found 3")
        #expect(e.naming("--set").description == "--set rows.x=1: expected x's parent to be an object, found 3")
        #expect(throws: ArgumentError(argument: "shard", expected: "k/n with 1 ≤ k ≤ n", found: "3/2")) { try Shard(parsing: "3/2") }
        #expect(throws: ArgumentError(argument: "preset", expected: "one of \(Presets.all.map(\.name).joined(separator: ", "))", found: "\"nope\"")) {
            try Presets.named("nope")
        }
    }

    /// A model file that is JSON but not an object: the library names no command.
    @Test func aModelFileThatIsNoObjectIsAnInputError() throws {
        let path = NSTemporaryDirectory() + "synthctl-errors-\(UUID().uuidString).json"
        FileManager.default.createFile(atPath: path, contents: Data("[1]".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: InputError(file: path, expected: FittedModelFile.modelObject, found: "another JSON value")) {
            try FittedModelFile.generatorSpec(loading: path)
        }
    }

    /// A statistic the data leaves undefined names itself, what it needs and why.
    @Test func undefinedStatisticErrorRendersNeedsWhyAndFound() {
        #expect(UndefinedStatisticError(statistic: "Fréchet distance", needs: "more rows than dimensions in the first set",
                                        why: "its covariance is singular otherwise", found: "3 rows in 5 dimensions").description
                == "Fréchet distance: expected more rows than dimensions in the first set (its covariance is singular otherwise), found 3 rows in 5 dimensions")
        #expect(UndefinedStatisticError(statistic: "α", needs: "an item with two answers", found: "none").description
                == "α: expected an item with two answers, found none")
    }

    /// Issue 14, item 3: no error is a bare pre-built string. Every error
    /// type has fields (file, row, path, expected, found, …) that a caller
    /// can read, so the scan fails on an initializer taking just a message
    /// and on the removed `SynthError(…)`, by file and line.
    @Test func noErrorIsBuiltFromABareString() throws {
        let files = try PublicSurfaceTests.swiftFiles(under: PublicSurfaceTests.sources)
        #expect(files.count > 50)
        var offenders = [String]()
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for (n, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                if line.contains("init(_ message: String)") || line.contains("SynthError(") {
                    offenders.append("\(file.lastPathComponent):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(offenders.isEmpty, "errors built from a bare string:\n\(offenders.joined(separator: "\n"))")
    }
}
