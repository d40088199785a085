import Testing
@testable import Synth

/// Every bad spec gets one line naming the field, what was expected and what
/// was found.
@Suite struct SpecErrorTests {
    func message(_ json: String) -> String? { errorMessage { _ = try plan(json, source: "s.json") } }

    @Test func unknownGenerator() {
        #expect(message(#"{"generator": {"type": "spirals"}}"#)
            == "s.json: generator.type: expected one of classification, blobs, moons, circles, regression, multilabel, embedding, gaussian_model, copula_model, mixture_model, found \"spirals\"")
    }

    @Test func unknownField() {
        #expect(message(#"{"generator": {"type": "classification", "informatve": 3}}"#)?.hasPrefix("s.json: generator.informatve: unknown field") == true)
    }

    @Test func impossibleFeatureCounts() {
        #expect(message(#"{"generator": {"features": 5, "informative": 3, "redundant": 2, "repeated": 1}}"#)
            == "s.json: generator: expected informative + redundant + repeated ≤ features (5), found 3 + 2 + 1 = 6")
        #expect(message(#"{"generator": {"informative": 2, "classes": 3, "clusters_per_class": 2}}"#)
            == "s.json: generator: expected classes × clusters_per_class ≤ 2^informative = 4, found 3 × 2 = 6")
    }

    @Test func weightsThatDoNotSumToOne() {
        #expect(message(#"{"generator": {"classes": 2, "weights": [0.7, 0.7]}}"#)
            == "s.json: generator.weights: expected weights that sum to 1, found a sum of 1.4")
    }

    @Test func noiseMatrixRowsMustBeDistributions() {
        #expect(message(#"{"generator": {"type": "moons"}, "noise": {"type": "matrix", "matrix": [[0.9, 0.2], [0.1, 0.9]]}}"#)
            == "s.json: noise.matrix[0]: expected a row that sums to 1 (a distribution over observed labels), found a sum of 1.1")
    }

    @Test func unlearnableNoiseIsRejected() {
        #expect(message(#"{"generator": {"type": "moons"}, "noise": {"type": "flip", "rate": 0.6}}"#)?
            .contains("expected learnable noise") == true)
        #expect(message(#"{"generator": {"type": "blobs"}, "noise": {"type": "matrix", "matrix": [[0.5, 0.5, 0], [0, 1, 0], [0, 0, 1]]}}"#)?
            .contains("true class 0 observed as 1 with probability 0.5") == true)
    }

    @Test func rateOutOfRange() {
        #expect(message(#"{"noise": {"type": "flip", "rate": 1.5}}"#) == "s.json: noise.rate: expected a number in [0, 1], found 1.5")
    }

    @Test func annotatorsNeedEnoughPeople() {
        #expect(message(#"{"annotators": {"count": 2, "per_item": 3}}"#)
            == "s.json: annotators.per_item: expected at most count (2) annotators per item, found 3")
    }

    @Test func noiseOnRegressionIsRejected() {
        #expect(message(#"{"generator": {"type": "regression"}, "noise": {"rate": 0.1}}"#)?
            .hasPrefix("s.json: noise: expected no label noise for the regression generator") == true)
    }

    @Test func shardOutOfRange() {
        #expect(errorMessage { _ = try Shard(parsing: "3/2") } == "shard: expected k/n with 1 ≤ k ≤ n, found 3/2")
        #expect(errorMessage { _ = try Shard(parsing: "0/4") } == "shard: expected k/n with 1 ≤ k ≤ n, found 0/4")
        #expect(errorMessage { _ = try Shard(parsing: "two") } == "shard: expected k/n (e.g. 2/8), found \"two\"")
    }
}
