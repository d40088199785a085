import Testing
import Foundation
@testable import Synth

@Suite struct GeneratorTests {
    @Test func largestRemainderGivesExactCounts() {
        #expect(ClassLayout.largestRemainder(total: 30, weights: [0.1, 0.2, 0.7]) == [3, 6, 21])
        #expect(ClassLayout.largestRemainder(total: 10, weights: [1.0 / 3, 1.0 / 3, 1.0 / 3]) == [4, 3, 3])
        #expect(ClassLayout.largestRemainder(total: 7, weights: [0.5, 0.5]).reduce(0, +) == 7)
    }

    @Test func classificationHasExactClassCountsAndRoles() throws {
        let p = try plan(#"{"rows": 3001, "generator": {"type": "classification", "features": 12, "informative": 3, "redundant": 2, "repeated": 2, "classes": 3, "weights": [0.2, 0.3, 0.5]}}"#)
        let (chunk, _) = generateAll(p)
        var counts = [0, 0, 0]
        for y in chunk.trueLabels { counts[Int(y)] += 1 }
        #expect(counts == ClassLayout.largestRemainder(total: 3001, weights: [0.2, 0.3, 0.5]))
        // Repeated columns are exact copies of their sources.
        let g = p.generator as! ClassificationGenerator
        for (i, src) in g.repeatedSources.enumerated() {
            let col = g.outputColumn[3 + 2 + i], from = g.outputColumn[src]
            for r in 0..<100 { #expect(chunk.features[r * 12 + col] == chunk.features[r * 12 + from]) }
        }
    }

    @Test func structureDoesNotDependOnRowCount() throws {
        let spec = #"{"rows": ROWS, "seed": 4, "generator": {"type": "classification", "informative": 4, "classes": 4}}"#
        let a = try plan(spec.replacingOccurrences(of: "ROWS", with: "100")).generator as! ClassificationGenerator
        let b = try plan(spec.replacingOccurrences(of: "ROWS", with: "100000")).generator as! ClassificationGenerator
        #expect(a.centroids == b.centroids)
        #expect(a.mixing == b.mixing)
        #expect(a.outputColumn == b.outputColumn)
    }

    @Test func classMeansSitAtTheirCentroids() throws {
        // Unshuffled, unmixed check: blobs with known centres; the class mean
        // of n rows is within 5·std/√n of the centre in every coordinate.
        let p = try plan(#"{"rows": 20000, "generator": {"type": "blobs", "centers": [[0, 0, 0], [5, -5, 1]], "cluster_std": [1, 2]}}"#)
        let (chunk, _) = generateAll(p)
        let centres: [[Double]] = [[0, 0, 0], [5, -5, 1]], stds = [1.0, 2.0]
        for c in 0..<2 {
            let rows = (0..<20000).filter { chunk.trueLabels[$0] == c }
            #expect(rows.count == 10000)
            for j in 0..<3 {
                let mean = rows.reduce(0.0) { $0 + Double(chunk.features[$1 * 3 + j]) } / Double(rows.count)
                let variance = rows.reduce(0.0) { $0 + pow(Double(chunk.features[$1 * 3 + j]) - mean, 2) } / Double(rows.count - 1)
                #expect(abs(mean - centres[c][j]) < 5 * stds[c] / Double(rows.count).squareRoot())
                #expect(abs(variance / (stds[c] * stds[c]) - 1) < 5 * (2.0 / Double(rows.count)).squareRoot())
            }
        }
    }

    @Test func regressionResidualVarianceIsNoiseSquared() throws {
        let p = try plan(#"{"rows": 20000, "generator": {"type": "regression", "features": 8, "informative": 3, "noise": 2.5, "bias": 1.5}}"#)
        let (chunk, _) = generateAll(p)
        let g = p.generator as! RegressionGenerator
        #expect(g.coefficients.storage.filter { $0 != 0 }.count == 3)
        var residuals = [Double]()
        for r in 0..<20000 {
            var y = 1.5
            for j in 0..<8 { y += Double(chunk.features[r * 8 + j]) * Double(g.coefficients[j, 0]) }
            residuals.append(Double(chunk.targets[r]) - y)
        }
        let n = Double(residuals.count)
        let mean = residuals.reduce(0, +) / n
        let variance = residuals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        // float32 rounding of y (|y| up to a few hundred) adds variance ~1e-9·y², negligible.
        #expect(abs(mean) < 5 * 2.5 / n.squareRoot())
        #expect(abs(variance / 6.25 - 1) < 5 * (2 / n).squareRoot())
    }

    @Test func embeddingsAreUnitNormAndLongTailed() throws {
        let p = try plan(#"{"rows": 5000, "generator": {"type": "embedding", "dim": 64, "classes": 10, "superclasses": 2, "zipf": 1.0}}"#)
        let (chunk, _) = generateAll(p)
        for r in stride(from: 0, to: 5000, by: 97) {
            let norm = (0..<64).reduce(Float(0)) { $0 + chunk.features[r * 64 + $1] * chunk.features[r * 64 + $1] }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
        var counts = [Int](repeating: 0, count: 10)
        for y in chunk.trueLabels { counts[Int(y)] += 1 }
        let harmonic = (1...10).reduce(0.0) { $0 + 1 / Double($1) }
        #expect(counts[0] == Int((5000 / harmonic).rounded()) || abs(Double(counts[0]) - 5000 / harmonic) < 1)
        #expect(counts == counts.sorted(by: >))
    }

    @Test func moonsAndCirclesLieOnTheirCurves() throws {
        let moons = try plan(#"{"rows": 2000, "generator": {"type": "moons", "noise": 0}}"#)
        let (m, _) = generateAll(moons)
        for r in 0..<2000 {
            let x = Double(m.features[2 * r]), y = Double(m.features[2 * r + 1])
            let d = m.trueLabels[r] == 0 ? (x * x + y * y).squareRoot() : ((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5)).squareRoot()
            #expect(abs(d - 1) < 1e-5)
        }
        let circles = try plan(#"{"rows": 2000, "generator": {"type": "circles", "noise": 0, "factor": 0.3}}"#)
        let (c, _) = generateAll(circles)
        for r in 0..<2000 {
            let radius = (Double(c.features[2 * r]) * Double(c.features[2 * r]) + Double(c.features[2 * r + 1]) * Double(c.features[2 * r + 1])).squareRoot()
            #expect(abs(radius - (c.trueLabels[r] == 0 ? 1 : 0.3)) < 1e-5)
        }
    }
}
