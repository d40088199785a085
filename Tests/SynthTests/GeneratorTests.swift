import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

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

@Suite struct MultilabelAndLowRankTests {
    @Test func multilabelRowsFollowTheirModel() throws {
        let n = 20000
        let p = try plan(#"{"rows": 20000, "seed": 5, "generator": {"type": "multilabel", "features": 12, "labels": 4, "average_labels": 1.5, "length": 40, "allow_unlabeled": false}}"#)
        let g = p.generator as! MultilabelGenerator
        let chunk = generateAll(p).chunk
        #expect(chunk.labels.count == n * 4)
        #expect(chunk.labels.allSatisfy { $0 == 0 || $0 == 1 })
        var labelsPerRow = [Double](), wordsPerRow = [Double]()
        // Rows with the single label 2: their words follow p(w | 2).
        var singleCounts = [Double](repeating: 0, count: 12), singleWords = 0.0
        for r in 0..<n {
            let ls = (0..<4).filter { chunk.labels[r * 4 + $0] == 1 }
            labelsPerRow.append(Double(ls.count))
            let words = (0..<12).reduce(0.0) { $0 + Double(chunk.features[r * 12 + $1]) }
            wordsPerRow.append(words)
            if ls == [2] {
                for j in 0..<12 { singleCounts[j] += Double(chunk.features[r * 12 + j]) }
                singleWords += words
            }
        }
        #expect(!labelsPerRow.contains(0))  // allow_unlabeled = false
        #expect(labelsPerRow.max()! <= 4)
        func check(_ xs: [Double], mean: Double) {
            let m = xs.reduce(0, +) / Double(xs.count)
            let sd = (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
            #expect(abs(m - mean) < 5 * sd / Double(xs.count).squareRoot(), "mean \(m), expected \(mean)")
        }
        check(labelsPerRow, mean: g.labelCountTable.mean)
        check(wordsPerRow, mean: g.lengthTable.mean)
        #expect(singleWords > 10000)
        for j in 0..<12 {
            let q = g.wordDistributions[2][j], f = singleCounts[j] / singleWords
            #expect(abs(f - q) < 5 * (q * (1 - q) / singleWords).squareRoot())
        }
    }

    @Test func truncatedPoissonHasTheRightMean() {
        // Poisson(2) restricted to 1...3: weights 2, 2, 4/3.
        let t = TruncatedPoisson(mean: 2, from: 1, through: 3)
        #expect(abs(t.mean - (2 + 4 + 4) / (2 + 2 + 4.0 / 3)) < 1e-12)
        #expect(t.sample(0) == 1 && t.sample(0.999999) == 3)
    }

    @Test func lowRankRegressionHasTheRequestedSpectrum() throws {
        let n = 20000, d = 10
        let p = try plan(#"{"rows": 20000, "generator": {"type": "regression", "features": 10, "informative": 4, "noise": 1, "effective_rank": 2, "tail_strength": 0.2}}"#)
        let g = p.generator as! RegressionGenerator
        let chunk = generateAll(p).chunk
        // The sample covariance's eigenvalues are s² (sorted), each within
        // 5·√(2/n) relative error (the standard error of a variance estimate).
        var x = Matrix(rows: n, columns: d)
        x.storage = Array(chunk.features)
        var cov = BLAS.gram(x)
        for i in cov.storage.indices { cov.storage[i] /= Float(n) }
        let values = try LAPACK.symmetricEigen(cov).values.sorted(by: >)
        let expected = g.singularValues!.map { $0 * $0 }.sorted(by: >)
        for (v, e) in zip(values, expected) {
            #expect(abs(v - e) < 5 * (2.0 / Double(n)).squareRoot() * expected[0], "eigenvalue \(v), expected \(e)")
        }
        // y still equals X·w plus noise of variance 1.
        var rss = 0.0
        for r in 0..<n {
            var y = 0.0
            for j in 0..<d { y += Double(chunk.features[r * d + j]) * Double(g.coefficients[j, 0]) }
            rss += (Double(chunk.targets[r]) - y) * (Double(chunk.targets[r]) - y)
        }
        #expect(abs(rss / Double(n) - 1) < 5 * (2.0 / Double(n)).squareRoot())
    }

    /// Every generator writes every element of the rows it fills: the writer
    /// reuses its buffers from chunk to chunk and never clears them.
    @Test(arguments: ["classification", "blobs", "moons", "circles", "regression", "multilabel", "embedding"])
    func fillWritesEveryElement(type: String) throws {
        let extra = type == "regression" ? #", "targets": 3, "effective_rank": 3"# : ""
        let p = try plan(#"{"rows": 5000, "generator": {"type": "\#(type)"\#(extra)}}"#)
        let g = p.generator
        let shape = ChunkShape(plan: p)
        let rows = 1234..<3456
        var f = [Float](repeating: .nan, count: rows.count * shape.featureCount)
        var l = [Int32](repeating: -7, count: rows.count * max(shape.labelWidth, 1))
        var t = [Float](repeating: .nan, count: rows.count * shape.targets)
        g.fill(rows: rows, features: &f, labels: &l, targets: &t)
        #expect(!f.contains { $0.isNaN })
        #expect(!t.contains { $0.isNaN })
        if shape.labelWidth > 0 { #expect(!l.contains(-7)) }
        // The array form writes what the dataset writer writes at those rows
        // (no noise here, so the observed labels are the true ones).
        let chunk = generateAll(p).chunk
        let d = shape.featureCount, lw = shape.labelWidth, tw = shape.targets
        #expect(f.map(\.bitPattern) == Array(chunk.features)[(rows.lowerBound * d)..<(rows.upperBound * d)].map(\.bitPattern))
        #expect(t.map(\.bitPattern) == chunk.targets[(rows.lowerBound * tw)..<(rows.upperBound * tw)].map(\.bitPattern))
        if lw > 0 { #expect(l == Array(chunk.labels[(rows.lowerBound * lw)..<(rows.upperBound * lw)])) }
    }
}
