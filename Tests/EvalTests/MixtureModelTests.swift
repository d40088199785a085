import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// The class-conditional Gaussian mixture: EM from k-means++ recovers a
/// known mixture, and sampling reproduces its component shares.
@Suite struct MixtureModelTests {
    @Test func recoversAKnownMixtureAndSamplesIt() throws {
        let n = 4000
        let stream = RandomStream(seed: 6, purpose: .samples, substream: 3)
        var x = Matrix(rows: n, columns: 2)
        for i in 0..<n {
            let right = stream.uniform(row: UInt64(i), draw: 0) < 0.7
            x[i, 0] = Float((right ? 3 : -3) + stream.normal(row: UInt64(i), draw: 1))
            x[i, 1] = Float((right ? 0.5 : 1) * stream.normal(row: UInt64(i), draw: 2))
        }
        let model = try GaussianMixtureModel(fitting: x, labels: [Int32](repeating: 0, count: n), classNames: ["all"],
                                             featureNames: ["u", "v"], components: 2, seed: 1, source: "test")
        let comps = model.classes[0].components.sorted { $0.mean[0] < $1.mean[0] }
        // Weights: binomial sd √(0.21/n) ≈ 0.007; means: sd 1/√(n·w) ≈ 0.03.
        #expect(abs(comps[1].weight - 0.7) < 0.03, "\(comps.map(\.weight))")
        #expect(abs(comps[0].mean[0] + 3) < 0.15 && abs(comps[1].mean[0] - 3) < 0.15)
        #expect(abs(comps[1].cholesky[3] - 0.5) < 0.05 && abs(comps[0].cholesky[3] - 1) < 0.08)  // the v spread of each
        #expect(try GaussianMixtureModel(json: model.json, source: "again") == model)

        let generator = MixtureModelGenerator(model: model, rows: n, seed: 2)
        var sample = Matrix(rows: n, columns: 2)
        generator.fill(rows: 0..<n, features: &sample.storage)
        let share = Double((0..<n).filter { sample[$0, 0] > 0 }.count) / Double(n)
        #expect(abs(share - comps[1].weight) < 4 * (0.21 / Double(n)).squareRoot() + 0.002, "right share \(share)")
        // The same rows whatever range they are generated in.
        var part = Matrix(rows: 1000, columns: 2)
        generator.fill(rows: 1500..<2500, features: &part.storage)
        #expect(part.storage == Array(sample.storage[3000..<5000]))
    }

    @Test func tooFewRowsForTheComponentsIsRefused() {
        let x = Matrix([[0, 0], [1, 1], [2, 0]])
        do {
            _ = try GaussianMixtureModel(fitting: x, labels: [0, 0, 0], classNames: ["a"], featureNames: ["u", "v"], components: 2, source: "t.csv")
            Issue.record("fitted")
        } catch { #expect("\(error)" == "t.csv: class \"a\": expected at least 4 rows for 2 components, found 3") }
    }
}
