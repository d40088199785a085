import Testing
@testable import synthctl

/// Which runs re-execute for faster BLAS kernels (``commandMultipliesMatrices(_:)``):
/// every run that may call BLAS or LAPACK does, and only the runs that
/// cannot are spared the second start.
@Suite struct MatrixProductUseTests {
    func parsed(_ arguments: [String]) throws -> Bool {
        commandMultipliesMatrices(try SynthCtl.parseAsRoot(arguments))
    }

    @Test func runsThatCallNoBLASAreNotReExecuted() throws {
        #expect(try !parsed(["score", "--answers", "a.csv"]))
        #expect(try !parsed(["score", "--answers", "a.csv", "--gold", "g.csv", "--json", "r.json"]))
        #expect(try !parsed(["score", "--answers", "t.csv", "--annotator-columns"]))
        #expect(try !parsed(["embed", "texts.txt", "--out", "e.npy"]))
        #expect(try !parsed(["embed", "t.jsonl", "--embedder", "hashing", "--dimensions", "64", "--out", "e.npy"]))
        #expect(try !parsed(["split", "t.csv", "--train-out", "a.csv", "--holdout-out", "b.csv", "--record", "s.json"]))
        #expect(try !parsed([]))
    }

    @Test func runsThatMayMultiplyMatricesAreReExecuted() throws {
        #expect(try parsed(["score", "dataset"]))
        #expect(try parsed(["score", "--table", "t.csv"]))
        #expect(try parsed(["score", "--labels", "y.npy", "--features", "x.npy"]))
        #expect(try parsed(["embed", "texts.txt", "--model", "minilm", "--out", "e.npy"]))
        #expect(try parsed(["gen", "--out", "d"]))
        #expect(try parsed(["compare", "--human", "h", "--synthetic", "s"]))
        #expect(try parsed(["limits", "--human", "h", "--synthetic", "s"]))
        #expect(try parsed(["fit", "t.csv", "--out", "m.json"]))
        #expect(try parsed(["bench"]))
    }
}
