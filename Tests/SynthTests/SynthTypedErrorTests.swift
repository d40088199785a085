import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// Synth's errors are typed values with fields (``SpecError``,
/// ``InputError``, ``FileAccessError``, and Synth's own
/// ``UnknownFieldError`` and ``TableColumnError``), each rendering the line
/// the string-built error it replaces printed.
@Suite struct SynthTypedErrorTests {
    /// The error a call throws, or nil.
    func thrown(_ body: () throws -> Void) -> (any Error)? {
        do { try body(); return nil } catch { return error }
    }

    @Test func unknownFieldErrorListsTheKnownFields() throws {
        #expect(UnknownFieldError(source: "s.json", path: "generator.informatve", known: ["classes", "type"]).description
                == "s.json: generator.informatve: unknown field (known here: classes, type)")
        let e = try #require(thrown { _ = try plan(#"{"generator": {"type": "blobs", "informatve": 3}}"#, source: "s.json") } as? UnknownFieldError)
        #expect(e.source == "s.json" && e.path == "generator.informatve" && e.known.contains("centers"))
    }

    @Test func tableColumnErrorNamesThePlaceWhenThereIsOne() {
        #expect(TableColumnError(output: "o.csv", place: "feature 1", expected: "a column name", found: "an empty one").description
                == "o.csv: feature 1: expected a column name, found an empty one")
        #expect(TableColumnError(output: "o.csv", expected: "distinct class names for the label cells", found: "\"a\" for both class 0 and class 1").description
                == "o.csv: expected distinct class names for the label cells, found \"a\" for both class 0 and class 1")
    }

    /// A model file's field is always named: an empty one prints as empty,
    /// not as a spec's "top level".
    @Test func modelFileFieldsRenderAsInputErrors() {
        #expect(FittedModelFile.fail("m.json", "format", "\"x\"", .int(1)).description == "m.json: format: expected \"x\", found 1")
        #expect(FittedModelFile.fail("m.json", "", "a JSON object", nil).description == "m.json: : expected a JSON object, found nothing")
        #expect(SpecError(source: "m.json", path: "", expected: "a JSON object", found: "nothing").description
                == "m.json: top level: expected a JSON object, found nothing")
    }

    @Test func specProblemsAreSpecErrors() {
        #expect(thrown { _ = try plan(#"{"generator": {"type": "regression"}, "noise": {"type": "random", "rate": 0.1}}"#, source: "s.json") } as? SpecError
                == SpecError(source: "s.json", path: "noise", expected: "no label noise for the regression generator (it has no classes)", found: "a noise section"))
        #expect(thrown { _ = try plan(#"{"generator": {"type": "multilabel", "labels": 3, "average_labels": 4}}"#, source: "s.json") } as? SpecError
                == SpecError(source: "s.json", path: "generator.average_labels", expected: "at most labels (3)", found: "4"))
        #expect(thrown { _ = try plan(#"{"generator": {"type": "regression", "features": 5000, "effective_rank": 10}}"#, source: "s.json") } as? SpecError
                == SpecError(source: "s.json", path: "generator.features",
                             expected: "at most 4096 features with effective_rank (the mixing matrix is features × features)", found: "5000"))
        // A class that becomes another at least as often as it keeps its label.
        #expect(errorMessage { _ = try plan(#"{"generator": {"type": "blobs", "centers": 2}, "noise": {"type": "matrix", "matrix": [[0.5, 0.5], [0, 1]]}}"#, source: "s.json") }
                == "s.json: noise: expected learnable noise (each class keeps its label more often than it becomes another), found true class 0 observed as 1 with probability 0.5 ≥ the 0.5 it keeps")
    }

    @Test func specFilesThatAreNoSpecAreInputErrors() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let empty = "\(dir)/e.json"
        FileManager.default.createFile(atPath: empty, contents: Data("  \n".utf8))
        #expect(thrown { _ = try SpecLoader.load(path: empty) } as? InputError == InputError(file: empty, expected: "a spec object", found: "an empty file"))
        let alias = "\(dir)/a.yaml"
        FileManager.default.createFile(atPath: alias, contents: Data("a: &x 1\nb: *x\n".utf8))
        let e = try #require(thrown { _ = try SpecLoader.load(path: alias) } as? InputError)
        #expect(e.file == alias && e.expected == "no YAML aliases in a spec")
        #expect(thrown { _ = try SpecLoader.load(path: "\(dir)/none.json") } as? FileAccessError
                == FileAccessError(path: "\(dir)/none.json", problem: "cannot read the spec file", reason: "no such file or directory"))
    }
}
