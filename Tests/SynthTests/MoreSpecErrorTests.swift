import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

/// The remaining spec errors, each with its exact one-line message.
@Suite struct MoreSpecErrorTests {
    @Test(arguments: [
        (#"[1, 2]"#, "s.json: top level: expected an object, found an array of 2"),
        (#"{"generator": 3}"#, "s.json: generator: expected an object, found 3"),
        (#"{"rows": 0}"#, "s.json: rows: expected an integer in [1, 1099511627776], found 0"),
        (#"{"rows": "many"}"#, "s.json: rows: expected an integer in [1, 1099511627776], found \"many\""),
        (#"{"generator": {"class_sep": "wide"}}"#, "s.json: generator.class_sep: expected a number ≥ 0, found \"wide\""),
        // A quoted number is read in decimal notation only: not hexadecimal, inf or nan.
        (#"{"generator": {"class_sep": "0x10"}}"#, "s.json: generator.class_sep: expected a number ≥ 0, found \"0x10\""),
        (#"{"generator": {"class_sep": "nan"}}"#, "s.json: generator.class_sep: expected a number ≥ 0, found \"nan\""),
        (#"{"generator": {"class_sep": "1 2"}}"#, "s.json: generator.class_sep: expected a number ≥ 0, found \"1 2\""),
        (#"{"generator": {"hypercube": 2}}"#, "s.json: generator.hypercube: expected true or false, found 2"),
        (#"{"generator": {"type": 7}}"#, "s.json: generator.type: expected one of classification, blobs, moons, circles, regression, multilabel, embedding, gaussian_model, copula_model, mixture_model, found 7"),
        (#"{"generator": {"shift": "left"}}"#, "s.json: generator.shift: expected a number or \"random\", found \"left\""),
        (#"{"generator": {"classes": 3, "weights": [0.5]}}"#, "s.json: generator.weights: expected 3 weights (or 2, the last inferred), found an array of 1"),
        (#"{"generator": {"classes": 2, "weights": [1.2, -0.2]}}"#, "s.json: generator.weights[1]: expected a weight ≥ 0, found -0.2"),
        (#"{"generator": {"classes": 2, "weights": [0.5, "x"]}}"#, "s.json: generator.weights: expected a list of numbers, found \"x\""),
        (#"{"generator": {"type": "blobs", "center_box": [5, 1]}}"#, "s.json: generator.center_box: expected [low, high] with low < high, found an array of 2"),
        (#"{"generator": {"type": "blobs", "center_box": [1]}}"#, "s.json: generator.center_box: expected a list of 2 numbers, found an array of 1"),
        (#"{"generator": {"type": "blobs", "centers": 0}}"#, "s.json: generator.centers: expected a number of centres ≥ 1 or a list of centres, found 0"),
        (#"{"generator": {"type": "blobs", "centers": 1}}"#, "s.json: generator.centers: expected at least 2 centres (one per class), found 1"),
        (#"{"generator": {"type": "blobs", "centers": []}}"#, "s.json: generator.centers: expected a non-empty list of centres, found an array of 0"),
        (#"{"generator": {"type": "blobs", "centers": [[0, 0], [1]]}}"#, "s.json: generator.centers[1]: expected a row of 2 numbers, found an array of 1"),
        (#"{"generator": {"type": "blobs", "centers": [[0, 0], [1, "a"]]}}"#, "s.json: generator.centers[1]: expected numbers, found \"a\""),
        (#"{"generator": {"type": "blobs", "centers": "three"}}"#, "s.json: generator.centers: expected a number of centres or a list of centres, found \"three\""),
        (#"{"generator": {"type": "blobs", "centers": 2, "cluster_std": [1, -1]}}"#, "s.json: generator.cluster_std: expected standard deviations ≥ 0, found an array of 2"),
        (#"{"generator": {"type": "blobs", "cluster_std": -1}}"#, "s.json: generator.cluster_std: expected a number in [0, 3.40282e+38] or one per centre, found -1"),
        (#"{"generator": {"type": "circles", "factor": 1}}"#, "s.json: generator.factor: expected a number in [0, 1), found 1"),
        (#"{"generator": {"type": "regression", "features": 3, "informative": 4}}"#, "s.json: generator.informative: expected at most features (3), found 4"),
        (#"{"generator": {"type": "regression"}, "annotators": {}}"#, "s.json: annotators: expected no annotators for the regression generator (it has no classes), found an annotators section"),
        (#"{"generator": {"type": "embedding", "classes": 3, "superclasses": 4}}"#, "s.json: generator.superclasses: expected at most classes (3), found 4"),
        (#"{"generator": {"type": "embedding", "classes": 1000, "superclasses": 1000, "rank": 1000, "dim": 1000}}"#, "s.json: generator: expected superclasses × rank × dim to fit in 2 GB of bases, found 4000 MB"),
        (#"{"generator": {"type": "moons"}, "noise": {"type": "matrix"}}"#, "s.json: noise.matrix: expected a 2×2 transition matrix, found nothing"),
        (#"{"generator": {"type": "moons"}, "noise": {"type": "matrix", "matrix": [[1.5, -0.5], [0, 1]]}}"#, "s.json: noise.matrix[0][0]: expected a probability in [0, 1], found 1.5"),
        (#"{"generator": {"type": "moons"}, "noise": {"type": "flip"}}"#, "s.json: noise.rate: expected a number in [0, 1], found nothing"),
        (#"{"generator": {"type": "moons"}, "noise": {"type": "gaussian"}}"#, "s.json: noise.type: expected one of none, flip, resample, pair, random, matrix, boundary, found \"gaussian\""),
        (#"{"generator": {"type": "moons"}, "noise": {"type": "boundary", "rate": 0.1, "width": 0}}"#, "s.json: noise.width: expected a number > 0, found 0"),
        (#"{"annotators": {"profiles": {"expert": 0.5, "spammer": 0.2}}}"#, "s.json: annotators.profiles: expected shares that sum to 1, found a sum of 0.7"),
        (#"{"annotators": {"profiles": {"guru": 1}}}"#, "s.json: annotators.profiles.guru: unknown field (known here: adversarial, average, careless, expert, spammer)"),
    ])
    func rejected(spec: String, message: String) {
        #expect(errorMessage { _ = try plan(spec, source: "s.json") } == message)
    }

    /// Observed label 1 would more often come from class 0 than from class 1.
    @Test func unlearnableUnderTheClassPrior() {
        let m = errorMessage { _ = try plan(#"{"generator": {"type": "blobs", "weights": [0.8, 0.1, 0.1]}, "noise": {"type": "matrix", "matrix": [[0.6, 0.4, 0], [0, 1, 0], [0, 0, 1]]}}"#, source: "s.json") }
        #expect(m == "s.json: noise: expected learnable noise (each observed label most often from its own class), found observed label 1 more often from true class 0 (joint 0.32) than from class 1 (0.1)")
    }

    @Test func overrideErrors() throws {
        #expect(errorMessage { _ = try applyOverride("rows", to: .object([:])) } == "override: expected path=value (e.g. generator.classes=5), found \"rows\"")
        #expect(errorMessage { _ = try applyOverride("a..b=1", to: .object([:])) } == "override: expected a dotted field path before '=', found \"a..b=1\"")
        #expect(errorMessage { _ = try applyOverride("rows.x=1", to: .object(["rows": .int(3)])) } == "override rows.x=1: expected x's parent to be an object, found 3")
        #expect(try applyOverride("generator.classes=5", to: .object([:])) == .object(["generator": .object(["classes": .int(5)])]))
        #expect(try applyOverride("generator.type=moons", to: .object([:])) == .object(["generator": .object(["type": .string("moons")])]))
    }

    @Test func specFileErrors() throws {
        let dir = temporaryDirectory()
        try "  \n".write(toFile: "\(dir)/empty.json", atomically: true, encoding: .utf8)
        #expect(errorMessage { _ = try SpecLoader.load(path: "\(dir)/empty.json") } == "\(dir)/empty.json: expected a spec object, found an empty file")
        try Data([0x80, 0x81, 0x00, 0x82]).write(to: URL(fileURLWithPath: "\(dir)/bin.json"))
        // A NUL byte stops the read at once (InputFile), naming the line.
        #expect(errorMessage { _ = try SpecLoader.load(path: "\(dir)/bin.json") } == "\(dir)/bin.json: line 1: expected text, found a NUL byte")
        try Data([0x80, 0xfe, 0x81]).write(to: URL(fileURLWithPath: "\(dir)/bin.json"))
        #expect(errorMessage { _ = try SpecLoader.load(path: "\(dir)/bin.json") } == "\(dir)/bin.json: expected UTF-8 text, found binary data")
        // FF FE starts UTF-16 text (its byte-order mark): said so, before its NUL bytes.
        for bytes: [UInt8] in [[0xff, 0xfe, 0x00, 0x80], [0xff, 0xfe, 0x80]] {
            try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/bin.json"))
            #expect(errorMessage { _ = try SpecLoader.load(path: "\(dir)/bin.json") }
                    == "\(dir)/bin.json: expected UTF-8 text, found UTF-16 text (little-endian, with a byte-order mark): convert it to UTF-8, e.g. with <(iconv -f UTF-16 -t UTF-8 \(dir)/bin.json)")
        }
        try "rows: [1, 2\n".write(toFile: "\(dir)/bad.yaml", atomically: true, encoding: .utf8)
        let yaml = errorMessage { _ = try SpecLoader.load(path: "\(dir)/bad.yaml") }
        #expect(yaml?.hasPrefix("\(dir)/bad.yaml: expected YAML, found a syntax error (") == true)
        #expect(yaml?.contains("\n") == false)
        #expect(errorMessage { _ = try SpecLoader.load(path: "\(dir)/none.json") } == "\(dir)/none.json: cannot read the spec file (no such file or directory)")
    }

    @Test func outputLocationErrors() throws {
        let dir = temporaryDirectory()
        let p = try plan(#"{"rows": 5, "generator": {"type": "moons"}}"#)
        let w = DatasetWriter(plan: p)
        #expect(errorMessage { _ = try w.write(to: "\(dir)/no/such/d") } == "\(dir)/no/such/d: expected an existing directory \(dir)/no/such to write into, found none")
        FileManager.default.createFile(atPath: "\(dir)/afile", contents: Data())
        #expect(errorMessage { _ = try w.write(to: "\(dir)/afile/d") } == "\(dir)/afile/d: expected an existing directory \(dir)/afile to write into, found a regular file")
        // A directory that cannot hold new entries (procfs): one line, no temporary left behind.
        let m = errorMessage { _ = try w.write(to: "/proc/synthctl-test-out") }
        #expect(m?.hasPrefix("/proc/synthctl-test-out: cannot write the output (") == true)
        var table = DatasetWriter(plan: p)
        table.format = .csv
        #expect(errorMessage { _ = try table.write(to: "/proc/synthctl-test.csv") }?.hasPrefix("/proc/synthctl-test.csv: cannot write the output (") == true)
    }
}

@Suite struct LinearAlgebraTests {
    @Test func choleskyFactorsAndRejectsIndefinite() throws {
        let a = Matrix([[4, 2], [2, 3]])
        let l = try LAPACK.cholesky(a)
        #expect(l.storage == [2, 0, 1, Float(2).squareRoot()])
        #expect(BLAS.multiply(l, l.transposed) == a)
        do {
            _ = try LAPACK.cholesky(Matrix([[1, 2], [2, 1]]))
            Issue.record("an indefinite matrix was factored")
        } catch let e as LinearAlgebraError {
            #expect(e == LinearAlgebraError(routine: "spotrf", info: 2))
            #expect(e.description == "matrix is not positive definite (leading minor 2 fails, spotrf)")
        }
    }

    @Test func symmetricEigenAndGram() throws {
        let (values, vectors) = try LAPACK.symmetricEigen(Matrix([[2, 1], [1, 2]]))
        #expect(abs(values[0] - 1) < 1e-12 && abs(values[1] - 3) < 1e-12)
        #expect(abs(abs(vectors[0][1]) - 0.5.squareRoot()) < 1e-6)
        let x = Matrix([[1, 2], [3, 4], [5, 6]])
        #expect(BLAS.gram(x) == BLAS.multiply(x.transposed, x))
    }
}
