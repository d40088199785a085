import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// Fidelity metrics on inputs whose answer is known in closed form, with
/// tolerances from the sample size; and the report's own guarantees.
@Suite struct FidelityPropertyTests {
    /// n × d standard normals from a seeded stream, times `scale`, plus `shift`.
    static func gaussian(_ n: Int, _ d: Int, seed: UInt64, scale: Float = 1, shift: [Float]? = nil) -> Matrix {
        let stream = RandomStream(seed: seed, purpose: .samples)
        var m = Matrix(rows: n, columns: d)
        var row = [Float](repeating: 0, count: d)
        for i in 0..<n {
            var span = row.mutableSpan
            stream.fillNormals(row: UInt64(i), into: &span)
            for j in 0..<d { m.storage[i * d + j] = row[j] * scale + (shift?[j] ?? 0) }
        }
        return m
    }

    /// Naeem et al.: for one distribution, E[coverage] = 1 − Π (N−i)/(N+M−i),
    /// 0.969 at k = 5 and N = M. Coverage is a mean of N indicators with
    /// p ≈ 0.97; their correlation is weak, so 5·√(p(1−p)/N) ≈ 0.027 at
    /// N = 1000 bounds a correct implementation's miss with room to spare.
    @Test(arguments: [3, 5])
    func coverageOfOneDistributionMatchesTheClosedForm(k: Int) {
        let n = 1000
        let expected = ManifoldMetrics.expectedCoverageForIdenticalDistributions(real: n, synthetic: n, k: k)
        // For large N it tends to 1 − 2⁻ᵏ: 0.969 at k = 5, 0.875 at k = 3.
        let limit = ManifoldMetrics.expectedCoverageForIdenticalDistributions(real: 1_000_000, synthetic: 1_000_000, k: k)
        #expect(abs(limit - (1 - pow(2, -Double(k)))) < 1e-5)
        var sum = 0.0
        for seed in UInt64(1)...4 {
            let m = ManifoldMetrics(real: Self.gaussian(n, 8, seed: seed), synthetic: Self.gaussian(n, 8, seed: seed + 100), k: k)
            sum += m.coverage
            #expect(m.density > 0.85 && m.density < 1.15, "density \(m.density)")
        }
        let tolerance = 5 * (expected * (1 - expected) / Double(4 * n)).squareRoot()
        #expect(abs(sum / 4 - expected) < tolerance, "mean coverage \(sum / 4), expected \(expected)")
    }

    /// FD(N(0, I), N(μ, s²I)) = ‖μ‖² + d(1 − s)². With n = 40,000 rows the
    /// estimate's standard deviation is about 2‖μ‖·√((1 + s²)/n) + s·√(2d/n)
    /// ≈ 0.05, and its upward bias about d(1 + s²)/n ≈ 5e-4; 0.25 is 5 sd.
    @Test func frechetOfTwoGaussiansMatchesTheClosedForm() throws {
        let d = 4, s: Float = 2, mu: [Float] = [1, 0, 0, 0]
        let a = Self.gaussian(40_000, d, seed: 7), b = Self.gaussian(40_000, d, seed: 8, scale: s, shift: mu)
        let fd = try FrechetDistance(Moments(a), Moments(b))
        #expect(abs(fd.distance - 5) < 0.25, "\(fd.distance)")
        #expect(abs(fd.meanTerm - 1) < 0.1)
    }

    /// The fixed-order route (collapse's: its own eigensolver and products)
    /// computes the same distance as LAPACK's, within the bound the LAPACK
    /// route states for its machine-dependent rounding, and states none of
    /// its own.
    @Test(arguments: [3, 24]) func frechetInAFixedOrderAgreesWithLAPACK(d: Int) throws {
        let a = Self.gaussian(2000, d, seed: 11), b = Self.gaussian(1500, d, seed: 12, scale: 1.5, shift: [Float](repeating: 0.2, count: d))
        let lapack = try FrechetDistance(Moments(a), Moments(b)), fixed = try FrechetDistance(Moments(a), Moments(b), fixedOrder: true)
        #expect(fixed.roundingBound == 0 && lapack.roundingBound > 0)
        #expect(abs(fixed.distance - lapack.distance) <= lapack.roundingBound, "\(fixed.distance) vs \(lapack.distance) ± \(lapack.roundingBound)")
        #expect(fixed.meanTerm == lapack.meanTerm)
    }

    @Test func frechetNeedsMoreRowsThanDimensions() {
        let a = Self.gaussian(10, 12, seed: 1), b = Self.gaussian(50, 12, seed: 2)
        #expect(throws: UndefinedStatisticError(statistic: "Fréchet distance", needs: "more rows than dimensions in the first set",
                                                why: "its covariance is singular otherwise", found: "10 rows in 12 dimensions")) {
            try FrechetDistance(Moments(a), Moments(b))
        }
        do { _ = try FrechetDistance(Moments(a), Moments(b)) } catch {
            #expect("\(error)".contains("expected more rows than dimensions in the first set"))
        }
    }

    /// A rank-deficient covariance (a constant feature) does not break the
    /// eigen route where sqrtm reports an imaginary component: the distance
    /// of a set to itself is 0 to rounding.
    @Test func frechetOfASingularSetToItselfIsZero() throws {
        var a = Self.gaussian(500, 6, seed: 3)
        for i in 0..<a.rows { a[i, 2] = 1; a[i, 4] = a[i, 0] }
        let fd = try FrechetDistance(Moments(a), Moments(a))
        #expect(abs(fd.distance) < 1e-9)
    }

    /// The tiled distances and every metric built on them give the same
    /// numbers for any thread count; exact re-decision makes ties exact.
    @Test func threadCountDoesNotChangeTheReport() throws {
        let h = LabeledFeatures(source: "h", features: Self.gaussian(900, 10, seed: 11), featureNames: (0..<10).map { "x\($0)" },
                                labels: (0..<900).map { Int32($0 % 3) }, classNames: ["a", "b", "c"], truth: nil, trueNoiseMatrix: nil)
        let s = LabeledFeatures(source: "s", features: Self.gaussian(700, 10, seed: 12, scale: 1.1), featureNames: (0..<10).map { "x\($0)" },
                                labels: (0..<700).map { Int32($0 % 3) }, classNames: ["a", "b", "c"], truth: nil, trueNoiseMatrix: nil)
        var p = FidelityReport.Parameters()
        p.kidSubsets = 5
        p.threads = 1
        let one = try FidelityReport(human: h, synthetic: s, parameters: p).json.serialized()
        p.threads = 2
        let two = try FidelityReport(human: h, synthetic: s, parameters: p).json.serialized()
        #expect(one == two)
    }

    /// Memorization shows: a synthetic set made of training rows has exact
    /// copies, a DCR ratio of 0 and authenticity 0; an independent draw from
    /// the same distribution has none, and its nearest real row is a
    /// training row about as often as the training share predicts.
    @Test func privacySeparatesCopiesFromFreshDraws() throws {
        let x = Self.gaussian(3000, 6, seed: 21)
        let labels = (0..<3000).map { Int32($0 % 2) }
        let human = LabeledFeatures(source: "h", features: x, featureNames: (0..<6).map { "x\($0)" }, labels: labels,
                                    classNames: ["0", "1"], truth: nil, trueNoiseMatrix: nil)
        let fresh = LabeledFeatures(source: "s", features: Self.gaussian(2000, 6, seed: 22), featureNames: (0..<6).map { "x\($0)" },
                                    labels: (0..<2000).map { Int32($0 % 2) }, classNames: ["0", "1"], truth: nil, trueNoiseMatrix: nil)
        var p = FidelityReport.Parameters()
        p.kidSubsets = 3
        p.perClass = false
        let r = try FidelityReport(human: human, synthetic: fresh, parameters: p)
        let pr = r.synthetic.privacy
        #expect(pr.exactCopyShare == 0)
        #expect(abs(pr.medianRatio.value! - 1) < 0.1)
        // a share of 2000 rows: sd √(0.7·0.3/2000) ≈ 0.01
        #expect(abs(pr.closerToTrainingShare! - pr.expectedCloserToTrainingShare!) < 0.05)
        let copy = try #require(r.baselines.first { $0.name == "copy_of_training_rows" })
        #expect(copy.privacy.exactCopyShare == 1 && copy.privacy.medianRatio == .defined(0) && copy.manifold.authenticity == 0)
        let holdout = try #require(r.baselines.first { $0.name == "human_holdout" })
        #expect(holdout.privacy.medianRatio == .defined(1))
    }

    /// A row as near to t training rows as to h holdout rows counts t/(t + h).
    @Test func privacySplitsTiesByHowManyRowsTie() {
        let p = PrivacyMetrics(syntheticToTraining: [0, 0, 1, 2], holdoutToTraining: [1, 1, 1],
                               syntheticToHoldout: [0, 1, 1, 1], trainingTies: [3, 1, 2, 1], holdoutTies: [1, 1, 2, 1],
                               trainingRows: 7)
        #expect(p.closerToTrainingShare == (3.0 / 4 + 1 + 2.0 / 4 + 0) / 4)
        #expect(p.tiedNearestShare == 0.5)
    }

    /// On data with repeated rows, a synthetic row is often exactly as near
    /// to several training rows as to several holdout rows. Split by how many
    /// of each tie, an independent draw from the same values scores the
    /// exchangeable expectation n_train/(n_train + n_holdout) (counted ½ it
    /// scored 0.51 against 0.70; counted as holdout, a verbatim copy of
    /// training rows scored 0.08).
    @Test func privacyTiesKeepTheExpectationOnRepeatedRows() throws {
        let distinct = Self.gaussian(200, 4, seed: 23)
        func draw(_ rows: Int, seed: UInt64) -> Matrix {
            let s = RandomStream(seed: seed, purpose: .samples)
            var x = Matrix(rows: rows, columns: 4)
            for i in 0..<rows {
                let v = s.integer(below: 200, row: UInt64(i), draw: 0)
                for j in 0..<4 { x[i, j] = distinct[v, j] }
            }
            return x
        }
        func set(_ x: Matrix, _ name: String) -> LabeledFeatures {
            LabeledFeatures(source: name, features: x, featureNames: (0..<4).map { "x\($0)" },
                            labels: (0..<x.rows).map { Int32($0 % 2) }, classNames: ["0", "1"], truth: nil, trueNoiseMatrix: nil)
        }
        var p = FidelityReport.Parameters()
        p.kidSubsets = 3
        p.perClass = false
        p.baselines = false
        let r = try FidelityReport(human: set(draw(3000, seed: 1), "h"), synthetic: set(draw(2000, seed: 2), "s"), parameters: p)
        let pr = r.synthetic.privacy
        let share = try #require(pr.closerToTrainingShare), expected = try #require(pr.expectedCloserToTrainingShare)
        #expect(try #require(pr.tiedNearestShare) > 0.9)
        // 2000 rows, each a Bernoulli-like share: 5 standard errors.
        #expect(abs(share - expected) < 5 * (expected * (1 - expected) / 2000).squareRoot(), "\(share) vs \(expected)")
    }

    @Test func baselinesOrderAsTheyShould() throws {
        // Correlated features: independent draws per feature must break the joint structure.
        var x = Self.gaussian(4000, 5, seed: 31)
        for i in 0..<x.rows { for j in 1..<5 { x[i, j] = 0.8 * x[i, 0] + 0.6 * x[i, j] } }
        let human = LabeledFeatures(source: "h", features: x, featureNames: (0..<5).map { "x\($0)" },
                                    labels: (0..<4000).map { Int32($0 % 2) }, classNames: ["0", "1"], truth: nil, trueNoiseMatrix: nil)
        var p = FidelityReport.Parameters()
        p.kidSubsets = 3
        p.perClass = false
        let r = try FidelityReport(human: human, synthetic: human, parameters: p)
        let holdout = r.baselines.first { $0.name == "human_holdout" }!, shuffled = r.baselines.first { $0.name == "independent_marginals" }!
        #expect(shuffled.marginals.meanAbsoluteCorrelationDifference > 0.5)
        #expect(holdout.marginals.meanAbsoluteCorrelationDifference < 0.1)
        #expect(shuffled.frechet!.distance > 10 * holdout.frechet!.distance)
        #expect(shuffled.manifold.precision < holdout.manifold.precision)
    }

    @Test func setsThatCannotBeComparedAreRejected() throws {
        let h = LabeledFeatures(source: "h.csv", features: Self.gaussian(100, 4, seed: 1), featureNames: ["a", "b", "c", "d"],
                                labels: [Int32](repeating: 0, count: 100), classNames: ["cat"], truth: nil, trueNoiseMatrix: nil)
        let wide = LabeledFeatures(source: "s.csv", features: Self.gaussian(100, 5, seed: 2), featureNames: ["a", "b", "c", "d", "e"],
                                   labels: [Int32](repeating: 0, count: 100), classNames: ["cat"], truth: nil, trueNoiseMatrix: nil)
        let otherClasses = LabeledFeatures(source: "s.csv", features: Self.gaussian(100, 4, seed: 2), featureNames: ["a", "b", "c", "d"],
                                           labels: [Int32](repeating: 0, count: 100), classNames: ["dog"], truth: nil, trueNoiseMatrix: nil)
        let reordered = LabeledFeatures(source: "s.csv", features: Self.gaussian(100, 4, seed: 2), featureNames: ["b", "a", "c", "d"],
                                        labels: [Int32](repeating: 0, count: 100), classNames: ["cat"], truth: nil, trueNoiseMatrix: nil)
        func message(_ s: LabeledFeatures) -> String {
            do { _ = try ClassAlignment(human: h, synthetic: s); return "" } catch { return "\(error)" }
        }
        #expect(message(wide) == "s.csv: expected the feature columns of h.csv (4), found 5 columns; not in h.csv: \"e\"")
        #expect(message(otherClasses) == "s.csv: expected labels that share classes with h.csv (cat), found none in common (dog)")
        // Named columns in another order are matched by name; other names are refused.
        #expect(message(reordered) == "")
        let renamed = LabeledFeatures(source: "s.csv", features: Self.gaussian(100, 4, seed: 2), featureNames: ["a", "b", "c", "e"],
                                      labels: [Int32](repeating: 0, count: 100), classNames: ["cat"], truth: nil, trueNoiseMatrix: nil)
        #expect(message(renamed) == "s.csv: expected the feature columns of h.csv (4), found 4 columns; no column \"d\"; not in h.csv: \"e\"")
    }

    /// The fused two-way pass gives what two one-way ball queries give, on
    /// rows with repeats (exact ties at the radius), for 1 and 2 threads.
    @Test(arguments: [BallQuery.Boundary.open, .closed])
    func twoWayPassEqualsTwoOneWayPasses(boundary: BallQuery.Boundary) {
        var x = Self.gaussian(1300, 5, seed: 41), y = Self.gaussian(700, 5, seed: 42)
        for i in stride(from: 0, to: 600, by: 3) { for j in 0..<5 { y[i / 3, j] = x[i, j]; x[i + 1, j] = x[i, j] } }
        let rx = ManifoldMetrics.Radii(of: x, k: 3), ry = ManifoldMetrics.Radii(of: y, k: 3)
        let forward = BallQuery.run(PairwiseDistances(queries: x, references: y), referenceRadii: ry.kth, queryRadii: rx.kth, boundary: boundary)
        let backward = BallQuery.run(PairwiseDistances(queries: y, references: x), referenceRadii: rx.kth, boundary: boundary)
        for threads in [1, 2] {
            let both = BallQuery.twoWay(PairwiseDistances(queries: x, references: y), queryRadii: rx.kth, referenceRadii: ry.kth,
                                        boundary: boundary, threads: threads)
            #expect(both.queryInSomeReferenceBall == forward.ballCounts.map { $0 > 0 })
            #expect(both.queryBallHoldsSomeReference == forward.reachesReference)
            #expect(both.referenceInQueryBalls == backward.ballCounts)
            #expect(both.nearestQuerySquaredDistance == backward.nearestSquaredDistance)
        }
        // The copied rows are at distance exactly 0 from their originals.
        #expect(backward.nearestSquaredDistance.prefix(200).allSatisfy { $0 == 0 })
    }

    /// The half-arithmetic self search finds the neighbours of the full one,
    /// ties (repeated rows) included, for any thread count: the same
    /// indices and the same exact distances, although a distance's float32
    /// bits may differ between (q, r) and (r, q) (sgemm rounds each entry
    /// its own way).
    @Test func selfSearchEqualsTheFullSearch() {
        var x = Self.gaussian(1500, 7, seed: 51)
        for i in stride(from: 0, to: 900, by: 3) { for j in 0..<7 { x[i + 1, j] = x[i, j]; x[i + 2, j] = x[i, j] } }
        let pairs = PairwiseDistances(queries: x, references: x)
        let full = NearestNeighbors.search(pairs, k: 6, threads: 1, excludingSelf: true)
        for threads in [1, 2] {
            let half = NearestNeighbors.selfSearch(pairs, k: 6, threads: threads)
            #expect(half.indices == full.indices)
            #expect(half.squaredDistances == full.squaredDistances)
            #expect(half.indices.enumerated().allSatisfy { $0.element != Int32($0.offset / 6) })
        }
    }

    /// A tile's public, bounds-checked entries cover every pair exactly once
    /// and lie within the stated error bound of the exact distance.
    @Test func tileEntriesCoverEveryPairWithinTheErrorBound() {
        let x = Self.gaussian(700, 5, seed: 61), y = Self.gaussian(2300, 5, seed: 62, shift: [3, 0, 0, 0, 0])
        let pairs = PairwiseDistances(queries: x, references: y)
        var seen = [UInt8](repeating: 0, count: 700 * 2300)
        var worst = 0.0
        pairs.forEachTile(threads: 1) { tile in
            for i in 0..<tile.queryCount {
                for j in 0..<tile.referenceCount {
                    let q = tile.queryStart + i, r = tile.referenceStart + j
                    seen[q * 2300 + r] += 1
                    let error = abs(Double(tile[query: i, reference: j]) - pairs.exactSquaredDistance(query: q, reference: r))
                    worst = max(worst, error / Double(pairs.errorBound(query: q, reference: r)))
                }
            }
        }
        #expect(seen.allSatisfy { $0 == 1 })
        #expect(worst <= 1, "largest error \(worst) × the bound")
    }

    /// Ratios with a zero denominator are undefined with a reason, not NaN:
    /// TSTR/TRTR when the model trained on the human rows gets every test
    /// row wrong (here the test rows swap the classes' sides), and the
    /// median DCR ratio when the holdout's median DCR is 0.
    @Test func zeroDenominatorsAreUndefinedWithAReason() {
        var train = Matrix(rows: 40, columns: 2), test = Matrix(rows: 20, columns: 2)
        let trainY = (0..<40).map { Int32($0 % 2) }, testY = (0..<20).map { Int32($0 % 2) }
        for i in 0..<40 { train[i, 0] = trainY[i] == 0 ? 1 : -1; train[i, 1] = Float(i % 5) / 10 }
        for i in 0..<20 { test[i, 0] = testY[i] == 0 ? -1 : 1; test[i, 1] = Float(i % 5) / 10 }
        let u = UtilityMetrics(realTrain: train, realTrainLabels: trainY, synthetic: train, syntheticLabels: trainY,
                               test: test, testLabels: testY, classes: 2)
        #expect(u.trainOnReal.accuracy == 0 && u.trainOnReal.macroF1 == 0)
        #expect(u.accuracyRatio.value == nil && u.accuracyRatio.undefinedReason?.contains("TRTR") == true)
        #expect(u.macroF1Ratio.value == nil && u.macroF1Ratio.undefinedReason?.contains("macro-F1 of 0") == true)
        #expect(PrivacyMetrics.medianRatio(0, 0).value == nil && PrivacyMetrics.medianRatio(0.5, 0).value == nil)
        #expect(PrivacyMetrics.medianRatio(0.5, 0.25) == .defined(2))
    }

    /// KID within rounding: rows offset by 1e5 in float32 make (xᵀy/D + 1)³
    /// about 1e30 and the subset estimates differences of such numbers, so
    /// the rounding bound (2.9e24 here) exceeds both the value and its
    /// spread (about 1e20): the mean and the spread are undefined, with the
    /// bounds as the reason. The same data centred give a KID that is a
    /// measurement. The spread's bound is B·√(s/(s − 1)).
    @Test func kidWithinRoundingIsUndefined() {
        let shift = [Float](repeating: 1e5, count: 4)
        let x = Self.gaussian(400, 4, seed: 1, shift: shift), y = Self.gaussian(400, 4, seed: 2, shift: shift)
        let far = KernelMetrics.kid(x, y, subsets: 10, subsetSize: 200)
        #expect(far.roundingBound > max(abs(far.mean), far.standardDeviation))
        #expect(far.meanWithinRounding?.hasPrefix("within rounding: the machine-dependent rounding of the Gram products can change KID by up to ") == true)
        #expect(far.standardDeviationWithinRounding != nil)
        #expect(far.standardDeviationRoundingBound == far.roundingBound * (10.0 / 9).squareRoot())
        let near = KernelMetrics.kid(Self.gaussian(400, 4, seed: 1), Self.gaussian(400, 4, seed: 2), subsets: 10, subsetSize: 200)
        #expect(near.meanWithinRounding == nil && near.standardDeviationWithinRounding == nil)
        #expect(near.roundingBound < near.standardDeviation)
        let one = KernelMetrics.kid(x, y, subsets: 1, subsetSize: 200)
        #expect(one.meanWithinRounding != nil && one.standardDeviationRoundingBound.isNaN && one.standardDeviationWithinRounding == nil)
    }
}
