import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// Fidelity metrics against prdc, SciPy, scikit-learn and NumPy on the same
/// inputs (Tests/Oracles/fidelity_oracle.py writes Fixtures/fidelity.json).
@Suite struct FidelityOracleTests {
    struct Fixture: Decodable {
        struct PRDC: Decodable { let real: [[Float]]; let fake: [[Float]]; let k5: [String: Double]; let k3: [String: Double] }
        struct Repeated: Decodable { let rows: [[Float]]; let k5: [String: Double] }
        struct Frechet: Decodable { let a: [[Float]]; let b: [[Float]]; let distance: Double }
        struct MMD: Decodable {
            let x: [[Float]]; let y: [[Float]]; let bandwidth: Double
            let mmd2_unbiased: Double; let mmd2_linear: Double; let kid_one_subset: Double
        }
        struct Marginals: Decodable {
            let u: [[Float]]; let v: [[Float]]; let ks: [Double]; let wasserstein: [Double]
            let corr_u: [[Double]]; let corr_v: [[Double]]
        }
        struct Classification: Decodable {
            let scores: [Double]; let labels: [Int]; let auc: Double; let delong_variance: Double
            let truth: [Int32]; let predicted: [Int32]; let accuracy: Double; let macro_f1: Double; let per_class_f1: [Double]
        }
        let prdc: PRDC
        let prdc_repeated: Repeated
        let frechet: Frechet
        let mmd: MMD
        let marginals: Marginals
        let classification: Classification
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fidelity.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    /// prdc counts with a strict comparison; on continuous data no distance
    /// equals a radius, so both boundaries must give prdc's numbers exactly
    /// (they are ratios of counts: any difference is at least 1/N).
    @Test(arguments: [3, 5], [BallQuery.Boundary.open, .closed])
    func precisionRecallDensityCoverageMatchPrdc(k: Int, boundary: BallQuery.Boundary) {
        let f = Self.fixture.prdc
        let expected = k == 5 ? f.k5 : f.k3
        for threads in [1, 2] {
            let m = ManifoldMetrics(real: Matrix(f.real), synthetic: Matrix(f.fake), k: k, boundary: boundary, threads: threads)
            #expect(abs(m.precision - expected["precision"]!) < 1e-12)
            #expect(abs(m.recall - expected["recall"]!) < 1e-12)
            #expect(abs(m.density - expected["density"]!) < 1e-12)
            #expect(abs(m.coverage - expected["coverage"]!) < 1e-12)
        }
    }

    /// prdc scores a set of identical rows against itself zero (prdc#7); the
    /// open boundary reproduces that, the closed one scores it as the copy it is.
    @Test func repeatedRows() {
        let rows = Matrix(Self.fixture.prdc_repeated.rows)
        let open = ManifoldMetrics(real: rows, synthetic: rows, k: 5, boundary: .open)
        let expected = Self.fixture.prdc_repeated.k5
        #expect([open.precision, open.recall, open.density, open.coverage]
                == [expected["precision"]!, expected["recall"]!, expected["density"]!, expected["coverage"]!])
        let closed = ManifoldMetrics(real: rows, synthetic: rows, k: 5, boundary: .closed)
        #expect(closed.precision == 1 && closed.recall == 1 && closed.coverage == 1)
        #expect(closed.density == 2)  // every row sits in all 10 balls: 10 / k
        #expect(closed.authenticity == 0)  // copies are not authentic
    }

    @Test func frechetMatchesScipySqrtm() throws {
        let f = Self.fixture.frechet
        let fd = try FrechetDistance(Moments(Matrix(f.a)), Moments(Matrix(f.b)))
        #expect(abs(fd.distance - f.distance) < 1e-9 * max(1, f.distance))
    }

    @Test func mmdAndKidMatchNumPy() {
        let f = Self.fixture.mmd
        let x = Matrix(f.x), y = Matrix(f.y)
        // The median is decided in Double, as NumPy's is.
        let sigma = KernelMetrics.medianBandwidth(x, y)
        #expect(abs(sigma - f.bandwidth) <= 4 * Double.ulpOfOne * f.bandwidth)
        for threads in [1, 2] {
            // NumPy sums exact kernel values; ours come from float32 tiles,
            // within the bound the estimate carries.
            let mmd = KernelMetrics.unbiasedMMD2(x, y, bandwidth: f.bandwidth, threads: threads)
            #expect(abs(mmd.value - f.mmd2_unbiased) <= mmd.roundingBound, "bound \(mmd.roundingBound)")
            #expect(mmd.roundingBound < 1e-3)
        }
        #expect(abs(KernelMetrics.linearTimeMMD2(x, y, bandwidth: f.bandwidth) - f.mmd2_linear) < 1e-12)
        // One subset as large as the smaller set: every row of y, and a
        // subset of x... so take x's first 150 rows to match the sizes.
        let kid = KernelMetrics.kid(x.gatheringRows(Array(0..<150)), y, subsets: 1, subsetSize: 150)
        #expect(kid.subsetSize == 150)
        let reference = Self.numpyStyleKID(x.gatheringRows(Array(0..<150)), y)
        #expect(abs(kid.mean - reference) < 1e-9 * max(1, abs(reference)))
    }

    /// KID's polynomial-kernel MMD² written out directly (the fixture's
    /// value is for all 200 × 150 rows, checked through this same formula).
    static func numpyStyleKID(_ x: Matrix, _ y: Matrix) -> Double {
        let d = Double(x.columns)
        func k(_ a: Matrix, _ i: Int, _ b: Matrix, _ j: Int) -> Double {
            var s = 0.0
            for t in 0..<a.columns { s += Double(a[i, t]) * Double(b[j, t]) }
            return pow(s / d + 1, 3)
        }
        let n = Double(x.rows), m = Double(y.rows)
        var xx = 0.0, yy = 0.0, xy = 0.0
        for i in 0..<x.rows { for j in 0..<x.rows where i != j { xx += k(x, i, x, j) } }
        for i in 0..<y.rows { for j in 0..<y.rows where i != j { yy += k(y, i, y, j) } }
        for i in 0..<x.rows { for j in 0..<y.rows { xy += k(x, i, y, j) } }
        return xx / (n * (n - 1)) + yy / (m * (m - 1)) - 2 * xy / (n * m)
    }

    @Test func kidFormulaMatchesTheFixture() {
        let f = Self.fixture.mmd
        #expect(abs(Self.numpyStyleKID(Matrix(f.x), Matrix(f.y)) - f.kid_one_subset) < 1e-9)
    }

    @Test func marginalsMatchScipy() {
        let f = Self.fixture.marginals
        let u = Matrix(f.u), v = Matrix(f.v)
        let m = MarginalMetrics(u, v, labelsA: [0], labelsB: [0], classes: 1)
        for j in 0..<3 {
            #expect(abs(m.ks[j] - f.ks[j]) < 1e-12)
            #expect(abs(m.wasserstein[j] - f.wasserstein[j]) < 1e-9)
        }
        var largest = 0.0
        for i in 0..<3 { for j in (i + 1)..<3 { largest = max(largest, abs(f.corr_u[i][j] - f.corr_v[i][j])) } }
        #expect(abs(m.largestCorrelationDifference - largest) < 1e-9)
        #expect(m.correlationPairsCompared == 3)
    }

    @Test func aucDeLongAndF1MatchScikitLearn() {
        let f = Self.fixture.classification
        let auc = ClassifierScores.auc(scores: f.scores, positive: f.labels.map { $0 == 1 })
        #expect(abs(auc.value - f.auc) < 1e-12)
        #expect(abs(auc.standardError * auc.standardError - f.delong_variance) < 1e-12)
        let c = ClassifierScores.classification(truth: f.truth, predicted: f.predicted, classes: 4)
        #expect(abs(c.accuracy - f.accuracy) < 1e-12)
        #expect(abs(c.macroF1 - f.macro_f1) < 1e-12)
        for (got, want) in zip(c.perClassF1, f.per_class_f1) { #expect(abs(got! - want) < 1e-12) }
    }
}
