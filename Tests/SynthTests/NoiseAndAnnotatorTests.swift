import Testing
import Foundation
@testable import Synth

@Suite struct NoiseAndAnnotatorTests {
    /// |observed − expected| within 5 binomial standard errors.
    func within(_ observed: Double, _ p: Double, n: Int) -> Bool {
        abs(observed - p) <= 5 * (p * (1 - p) / Double(n)).squareRoot() + 1e-12
    }

    @Test func flipNoiseAlwaysChangesTheLabelAtTheRequestedRate() throws {
        let p = try plan(#"{"rows": 40000, "generator": {"type": "classification", "classes": 5, "informative": 4}, "noise": {"type": "flip", "rate": 0.2}}"#)
        let (chunk, stats) = generateAll(p)
        let flipped = zip(chunk.labels, chunk.trueLabels).filter { $0 != $1 }.count
        #expect(flipped == stats.flipped)
        #expect(within(stats.noiseRate, 0.2, n: 40000))
        // Off-diagonal mass is spread evenly: each of the 4 other classes gets rate/4.
        let t = stats.transitionMatrix
        for i in 0..<5 { for j in 0..<5 where j != i {
            let n = stats.transitions[(i * 5)..<(i * 5 + 5)].reduce(0, +)
            #expect(within(t[i][j], 0.05, n: n))
        } }
    }

    @Test func explicitMatrixIsRealized() throws {
        let p = try plan(#"{"rows": 30000, "generator": {"type": "blobs", "centers": 3}, "noise": {"type": "matrix", "matrix": [[0.8, 0.2, 0], [0.1, 0.7, 0.2], [0, 0.05, 0.95]]}}"#)
        let (_, stats) = generateAll(p)
        let t = stats.transitionMatrix, expected = p.noise!.transition
        for i in 0..<3 {
            let n = stats.transitions[(i * 3)..<(i * 3 + 3)].reduce(0, +)
            for j in 0..<3 { #expect(within(t[i][j], expected[i][j], n: n)) }
        }
    }

    @Test func boundaryNoiseHitsItsRateNearTheBoundary() throws {
        let p = try plan(#"{"rows": 20000, "generator": {"type": "moons", "noise": 0.1}, "noise": {"type": "boundary", "rate": 0.1, "width": 0.1}}"#)
        let (chunk, stats) = generateAll(p)
        // The calibration sample is 20,000 other rows: allow both samples' error.
        #expect(abs(stats.noiseRate - 0.1) < 5 * (0.1 * 0.9 * 2 / 20000).squareRoot())
        // Each row flips with p_i = min(1, s·exp(−m_i / width)): the realized
        // flips match Σp_i within 5 standard deviations of the Poisson-binomial,
        // and the rows nearest the boundary flip far more often.
        let g = p.generator, noise = p.noise!
        var expected = 0.0, variance = 0.0
        var byMargin = [(Double, Bool)]()
        let features = Array(chunk.features), f = features.span
        do {
            for r in 0..<20000 {
                let m = Double(g.boundary(features: f.extracting((2 * r)..<(2 * r + 2)), label: Int(chunk.trueLabels[r])).margin)
                let pi = min(1, noise.boundaryScale * exp(-m / 0.1))
                expected += pi; variance += pi * (1 - pi)
                byMargin.append((m, chunk.labels[r] != chunk.trueLabels[r]))
            }
        }
        #expect(abs(Double(stats.flipped) - expected) < 5 * variance.squareRoot())
        byMargin.sort { $0.0 < $1.0 }
        let nearest = byMargin.prefix(5000).filter(\.1).count, farthest = byMargin.suffix(5000).filter(\.1).count
        #expect(nearest > 10 * max(1, farthest))
    }

    @Test func annotatorsAnswerThroughTheirConfusionMatrices() throws {
        let p = try plan(#"{"rows": 20000, "generator": {"type": "classification", "classes": 3, "informative": 3}, "annotators": {"count": 8, "per_item": 3, "profiles": {"expert": 0.25, "average": 0.25, "spammer": 0.25, "adversarial": 0.25}}}"#)
        let (chunk, stats) = generateAll(p)
        let pool = p.annotators!
        // Exactly per_item answers per row, each in range.
        for r in 0..<20000 {
            let row = chunk.annotations[(r * 8)..<(r * 8 + 8)]
            #expect(row.filter { $0 >= 0 }.count == 3)
            #expect(row.allSatisfy { $0 >= -1 && $0 < 3 })
        }
        for a in 0..<8 {
            let n = stats.annotatorLabels(a)
            // Each annotator labels about 3/8 of the rows.
            #expect(within(Double(n) / 20000, 3.0 / 8, n: 20000))
            // Realized accuracy against the expected accuracy under the true class mix.
            var expected = 0.0
            for i in 0..<3 {
                let rowsOfClass = (0..<3).reduce(0) { $0 + stats.answers[(a * 3 + i) * 3 + $1] }
                expected += Double(rowsOfClass) / Double(n) * pool.confusion[a][i][i]
            }
            #expect(within(stats.annotatorAccuracy(a), expected, n: n))
        }
        #expect(Set(pool.profiles.map(\.rawValue)) == ["expert", "average", "spammer", "adversarial"])
    }
}
