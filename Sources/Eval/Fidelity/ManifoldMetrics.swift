import Synth
import SynthctlCore

/// Precision, recall, density and coverage (Kynkäänniemi et al. 2019;
/// Naeem et al. 2020), and authenticity (Alaa et al. 2022), from k-nearest-
/// neighbour balls.
///
/// Each real row x gets the ball of radius NND_k(x), its distance to its
/// k-th nearest other real row; each synthetic row y likewise within the
/// synthetic set.
/// - precision: share of synthetic rows inside some real ball;
/// - recall: share of real rows inside some synthetic ball;
/// - density: mean over synthetic rows of (real balls holding it) / k —
///   1 on average for the same distribution, above 1 where synthetic rows
///   pile up in dense real regions;
/// - coverage: share of real rows whose ball holds a synthetic row;
/// - authenticity: share of synthetic rows farther from their nearest real
///   row x* than x*'s own nearest real neighbour is — the definition of the
///   paper (synthcity's code indexes the real-to-real distances with
///   synthetic indices; that is a known bug we do not reproduce).
///
/// prdc compares with a strict d < r, which gives zero density and coverage
/// when rows repeat (a radius of zero holds nothing). The default here is
/// the closed ball d ≤ r, which agrees with prdc whenever no distance
/// equals a radius exactly, and scores an exact copy as covered; `.open`
/// reproduces prdc. Every comparison is decided exactly (see ``BallQuery``).
/// Memory is O((N + M)·k): no pairwise matrix is built.
public struct ManifoldMetrics: Sendable {
    public let k: Int
    public let boundary: BallQuery.Boundary
    public let precision: Double
    public let recall: Double
    public let density: Double
    public let coverage: Double
    public let authenticity: Double
    /// Per synthetic row: its nearest real row and the exact distance to it
    /// (the distance to the closest record).
    public let nearestReal: [Int32]
    public let nearestRealDistance: [Double]
    /// How many real rows lie at exactly that distance (1 without ties).
    public let nearestRealTies: [Int32]

    /// The k-NN radii of a set within itself, squared and exact, plus each
    /// row's exact squared distance to its nearest other row.
    public struct Radii: Sendable {
        public let k: Int
        public let kth: [Double]
        public let nearest: [Double]

        public init(of x: Matrix, k: Int, threads: Int = Parallel.coreCount) {
            let pairs = PairwiseDistances(queries: x, references: x)
            let found = NearestNeighbors.selfSearch(pairs, k: k, threads: threads)
            self.k = k
            kth = (0..<x.rows).map { found.squaredDistance(query: $0, rank: k - 1) }
            nearest = (0..<x.rows).map { found.squaredDistance(query: $0, rank: 0) }
        }
    }

    /// - Parameters:
    ///   - realRadii, syntheticRadii: precomputed radii (reused when one
    ///     real set is compared with several synthetic ones).
    public init(real: Matrix, synthetic: Matrix, k: Int = 5, boundary: BallQuery.Boundary = .closed,
                realRadii: Radii? = nil, syntheticRadii: Radii? = nil, threads: Int = Parallel.coreCount) {
        precondition(real.columns == synthetic.columns && k >= 1)
        let realR = realRadii ?? Radii(of: real, k: k, threads: threads)
        let synthR = syntheticRadii ?? Radii(of: synthetic, k: k, threads: threads)
        precondition(realR.k == k && synthR.k == k && realR.kth.count == real.rows && synthR.kth.count == synthetic.rows)
        // One pass over the real × synthetic distances serves both sides:
        // real rows in synthetic balls (recall), real balls holding a
        // synthetic row (coverage), and per synthetic row the real balls
        // holding it (precision, density) and its nearest real row.
        let pass = BallQuery.twoWay(PairwiseDistances(queries: real, references: synthetic),
                                    queryRadii: realR.kth, referenceRadii: synthR.kth, boundary: boundary, threads: threads)
        let m = Double(synthetic.rows), n = Double(real.rows)
        self.k = k
        self.boundary = boundary
        precision = Double(pass.referenceInQueryBalls.lazy.filter { $0 > 0 }.count) / m
        density = Double(pass.referenceInQueryBalls.reduce(0) { $0 + Int($1) }) / (Double(k) * m)
        recall = Double(pass.queryInSomeReferenceBall.lazy.filter { $0 }.count) / n
        coverage = Double(pass.queryBallHoldsSomeReference.lazy.filter { $0 }.count) / n
        var authentic = 0
        for j in 0..<synthetic.rows {
            let x = Int(pass.nearestQuery[j])
            if pass.nearestQuerySquaredDistance[j] > realR.nearest[x] { authentic += 1 }
        }
        authenticity = Double(authentic) / m
        nearestReal = pass.nearestQuery
        nearestRealDistance = pass.nearestQuerySquaredDistance.map { $0.squareRoot() }
        nearestRealTies = pass.nearestQueryTies
    }

    /// The coverage expected when both sets are drawn from one distribution:
    /// 1 − Π_{i=1..k} (N − i)/(N + M − i) (Naeem et al. 2020, eq. 6).
    public static func expectedCoverageForIdenticalDistributions(real n: Int, synthetic m: Int, k: Int) -> Double {
        var p = 1.0
        for i in 1...k { p *= Double(n - i) / Double(n + m - i) }
        return 1 - p
    }
}
