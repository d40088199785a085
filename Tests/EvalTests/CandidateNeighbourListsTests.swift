import Testing
import Foundation
import Synth
@testable import Eval
@testable import SynthctlCore

/// The k-NN searches keep float candidates and decide in Double at the end
/// (``CandidateNeighbourLists``). Whatever the input — distinct rows, rows
/// repeated more often than a float list has room for, lattice rows with
/// many exactly equal distances — they must return what a brute-force
/// search over every exact distance returns: the k smallest by (distance,
/// index).
@Suite struct CandidateNeighbourListsTests {
    /// Every query's k nearest by (exact squared distance, index), from all
    /// N × M exact distances.
    static func bruteForce(_ pairs: PairwiseDistances, k: Int, excludingSelf: Bool) -> (indices: [Int32], distances: [Double]) {
        var indices = [Int32](), distances = [Double]()
        for q in 0..<pairs.queryCount {
            var all = [(Double, Int)]()
            for r in 0..<pairs.referenceCount where !(excludingSelf && r == q) {
                all.append((pairs.exactSquaredDistance(query: q, reference: r), r))
            }
            all.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            for j in 0..<k {
                indices.append(j < all.count ? Int32(all[j].1) : -1)
                distances.append(j < all.count ? all[j].0 : .infinity)
            }
        }
        return (indices, distances)
    }

    static func gaussian(_ n: Int, _ d: Int, seed: UInt64) -> Matrix {
        FidelityPropertyTests.gaussian(n, d, seed: seed)
    }

    /// Rows 0..<n where each distinct row appears `copies` times in a row.
    static func repeated(_ n: Int, _ d: Int, copies: Int, seed: UInt64) -> Matrix {
        let base = gaussian((n + copies - 1) / copies, d, seed: seed)
        var x = Matrix(rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { x[i, j] = base[i / copies, j] } }
        return x
    }

    /// Integer points of a small grid, far from the origin so that the
    /// float expansion rounds: many pairs share one exact distance.
    static func lattice(_ n: Int, seed: UInt64) -> Matrix {
        var state = seed
        var x = Matrix(rows: n, columns: 3)
        for i in 0..<n {
            for j in 0..<3 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                x[i, j] = 1000 + Float((state >> 33) % 4)
            }
        }
        return x
    }

    static let inputs: [(String, Matrix)] = [
        ("distinct rows", gaussian(700, 9, seed: 71)),
        ("rows repeated 12 times", repeated(700, 9, copies: 12, seed: 72)),
        ("lattice rows", lattice(600, seed: 73)),
    ]

    @Test(arguments: [1, 5, 8])
    func searchEqualsBruteForce(k: Int) {
        for (name, x) in Self.inputs {
            let y = Self.gaussian(300, x.columns, seed: 74)
            for (queries, references) in [(x, x), (y, x)] {
                let pairs = PairwiseDistances(queries: queries, references: references)
                let expected = Self.bruteForce(pairs, k: k, excludingSelf: false)
                for threads in [1, 2, 3] {
                    let found = NearestNeighbors.search(pairs, k: k, threads: threads)
                    #expect(found.indices == expected.indices, "\(name), k = \(k), \(threads) threads")
                    #expect(found.squaredDistances == expected.distances, "\(name), k = \(k), \(threads) threads")
                }
            }
        }
    }

    @Test(arguments: [1, 5, 8])
    func selfSearchEqualsBruteForce(k: Int) {
        for (name, x) in Self.inputs {
            let pairs = PairwiseDistances(queries: x, references: x)
            let expected = Self.bruteForce(pairs, k: k, excludingSelf: true)
            for threads in [1, 2, 3] {
                let found = NearestNeighbors.selfSearch(pairs, k: k, threads: threads)
                #expect(found.indices == expected.indices, "\(name), k = \(k), \(threads) threads")
                #expect(found.squaredDistances == expected.distances, "\(name), k = \(k), \(threads) threads")
            }
        }
    }

    /// Rows repeated more often than a list has room for send queries to
    /// exact lists mid-scan; distinct Gaussian rows keep every query on the
    /// float path. Both end in the brute-force answer.
    @Test func repeatedRowsFallBackToExactListsAndDistinctRowsDoNot() {
        for (x, expectFallback) in [(Self.repeated(700, 9, copies: 12, seed: 72), true),
                                    (Self.gaussian(700, 9, seed: 71), false)] {
            let k = 5
            let pairs = PairwiseDistances(queries: x, references: x)
            let store = CandidateNeighbourLists(queries: x.rows, k: k, bounds: (0..<x.rows).map(pairs.queryErrorBound))
            withExtendedLifetime(store) {
                pairs.forEachTile(threads: 1) { tile in
                    for i in 0..<tile.queryCount {
                        let q = tile.queryStart + i, row = tile.row(i)
                        for j in 0..<tile.referenceCount where tile.referenceStart + j != q && row[j] <= store.lists.cutoff(q) {
                            store.lists.offer(query: q, reference: Int32(tile.referenceStart + j), value: row[j], pairs: pairs)
                        }
                    }
                }
            }
            let fellBack = (0..<x.rows).filter { store.lists.exactMode[$0] }.count
            #expect(expectFallback ? fellBack == x.rows : fellBack == 0)
            let found = CandidateNeighbourLists.exactNeighbours([store], pairs: pairs, threads: 2)
            let expected = Self.bruteForce(pairs, k: k, excludingSelf: true)
            #expect(found.indices == expected.indices)
            #expect(found.squaredDistances == expected.distances)
        }
    }
}
