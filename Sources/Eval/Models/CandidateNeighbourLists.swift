import Synth
import SynthctlCore

/// Per-query k-nearest-neighbour candidates kept by their float32 tile
/// entries, so that exact Double distances are computed once, at the end,
/// for a handful of rows per query instead of for every reference that
/// once looked like a neighbour.
///
/// Why: keeping exact top-k lists during the scan recomputes a reference's
/// Double distance each time it enters a query's running list, about
/// k·(1 + ln(N/k)) times per query over N references in random order (43
/// for k = 5, N = 10,000), each a walk over both rows. On the 10,000 ×
/// 384 PRDC benchmark that was 12 % of the process. The float entries
/// decide nothing exactly, but they bound the exact distances:
///
/// Let f be a tile entry and e the exact squared distance of the same
/// pair, |f − e| ≤ B (the query's ``PairwiseDistances/queryErrorBound(_:)``),
/// and T the k-th smallest entry of the query seen so far. The k references
/// with entries ≤ T have e ≤ T + B, so the exact k-th distance E is at most
/// T + B, and every reference with e ≤ E (the whole exact top-k, ties at E
/// included) has f ≤ e + B ≤ T + 2B. A list that keeps every entry up to
/// T + 2B therefore holds the exact top-k among its candidates, and T only
/// falls as the scan goes on, so an entry dropped above an earlier T + 2B
/// stays above the final one. Recomputing the survivors in Double and
/// ordering by (distance, index) gives exactly the neighbours the exact
/// running lists gave.
///
/// A list has room for k + ``spareSlots`` entries. When more than that lie
/// within 2B of the k-th (duplicated rows, many near-ties) the query falls
/// back, for the rest of the scan, to exact running lists
/// (``ExactNeighbourLists``), which are correct for any input: the float
/// path is only ever a shortcut.
final class CandidateNeighbourLists: @unchecked Sendable {
    /// Room beyond k in each float list before the query falls back to
    /// exact lists.
    static let spareSlots = 4

    let k: Int
    let queries: Int
    let capacity: Int
    /// Valid for the lifetime of this object.
    let lists: _UnsafeCandidateLists
    /// The fallback for queries whose float list overflowed.
    let exact: ExactNeighbourLists

    /// - Parameter bounds: per query, the largest difference between a tile
    ///   entry and the exact squared distance (B above).
    init(queries n: Int, k: Int, bounds: [Double]) {
        precondition(bounds.count == n && k >= 1)
        self.k = k
        queries = n
        capacity = k + Self.spareSlots
        exact = ExactNeighbourLists(queries: n, k: k, bounds: bounds)
        let values = UnsafeMutableBufferPointer<Float>.allocate(capacity: n * capacity)
        values.initialize(repeating: .infinity)
        let indices = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n * capacity)
        indices.initialize(repeating: -1)
        let counts = UnsafeMutableBufferPointer<Int32>.allocate(capacity: n)
        counts.initialize(repeating: 0)
        let exactMode = UnsafeMutableBufferPointer<Bool>.allocate(capacity: n)
        exactMode.initialize(repeating: false)
        let cutoffs = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
        cutoffs.initialize(repeating: .infinity)
        let twice = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        _ = twice.initialize(from: bounds.map { 2 * $0 })
        lists = _UnsafeCandidateLists(values: values, indices: indices, counts: counts, exactMode: exactMode,
                                      cutoffs: cutoffs, twiceBounds: UnsafeBufferPointer(twice), k: k,
                                      capacity: capacity, exact: exact.lists)
    }

    deinit {
        lists.values.deallocate()
        lists.indices.deallocate()
        lists.counts.deallocate()
        lists.exactMode.deallocate()
        lists.cutoffs.deallocate()
        lists.twiceBounds.deallocate()
    }

    /// The exact k nearest of every query over the candidates of every
    /// store in `stores` (each holding candidates from its own share of the
    /// references, for the same queries), ordered by (exact distance,
    /// index) as ``NearestNeighbors/Result`` promises.
    ///
    /// Float candidates from all stores are pooled before any is
    /// recomputed: the pooled k-th entry T is at most each store's own, so
    /// the pool's T + 2B still admits every exact neighbour, and only those
    /// entries are recomputed. A query that fell back to exact lists in some
    /// store has every float candidate of the others recomputed instead.
    static func exactNeighbours(_ stores: [CandidateNeighbourLists], pairs: PairwiseDistances,
                                threads: Int) -> NearestNeighbors.Result {
        precondition(!stores.isEmpty)
        let n = stores[0].queries, k = stores[0].k
        precondition(stores.allSatisfy { $0.queries == n && $0.k == k })
        let merged = ExactNeighbourLists(queries: n, k: k, bounds: (0..<n).map(pairs.queryErrorBound))
        withExtendedLifetime((stores, merged)) {
            let handles = stores.map(\.lists), out = merged.lists
            let block = 256, blocks = (n + block - 1) / block
            Parallel.forEach(blocks, threads: max(1, min(threads, blocks))) { b in
                var pool = [(value: Float, index: Int32)]()
                for q in (b * block)..<min(n, (b + 1) * block) {
                    pool.removeAll(keepingCapacity: true)
                    var anyExact = false
                    for h in handles {
                        if h.exactMode[q] {
                            anyExact = true
                            for j in 0..<k {
                                let r = h.exact.indices[q * k + j]
                                guard r >= 0 else { break }
                                out.offer(query: q, reference: r, distance: h.exact.distances[q * k + j])
                            }
                        } else {
                            let base = q * h.capacity
                            for j in 0..<Int(h.counts[q]) { pool.append((h.values[base + j], h.indices[base + j])) }
                        }
                    }
                    var threshold = Float.infinity
                    if !anyExact && pool.count > k {
                        pool.sort { $0.value < $1.value }
                        threshold = floatCeiling(Double(pool[k - 1].value) + handles[0].twiceBounds[q])
                    }
                    for c in pool where c.value <= threshold {
                        out.offer(query: q, reference: c.index,
                                  distance: pairs.exactSquaredDistance(query: q, reference: Int(c.index)))
                    }
                }
            }
        }
        return merged.result
    }
}

/// Per-query float candidate lists in flat buffers: `counts[q]` entries
/// sorted by value ascending, then free slots. Preconditions: the buffers
/// outlive the handle; each query is offered candidates by one thread
/// only, so writes never overlap.
struct _UnsafeCandidateLists: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<Float>
    let indices: UnsafeMutableBufferPointer<Int32>
    let counts: UnsafeMutableBufferPointer<Int32>
    /// The query overflowed its float list and uses `exact` from then on.
    let exactMode: UnsafeMutableBufferPointer<Bool>
    /// Tile entries above this cannot belong to query q's neighbours: the
    /// k-th entry + 2B in float mode, the exact lists' cutoff after a
    /// fallback, +∞ while fewer than k have been seen.
    let cutoffs: UnsafeMutableBufferPointer<Float>
    let twiceBounds: UnsafeBufferPointer<Double>
    let k: Int
    let capacity: Int
    let exact: _UnsafeNeighbourLists

    @inline(__always)
    func cutoff(_ q: Int) -> Float { cutoffs[q] }

    /// Offers reference r with tile entry `value` (at most `cutoff(q)`) to
    /// query q. `pairs` gives the Double distance, computed here only when
    /// the query has fallen back to exact lists.
    @inline(__always)
    func offer(query q: Int, reference r: Int32, value: Float, pairs: PairwiseDistances) {
        if exactMode[q] {
            exact.offer(query: q, reference: r, distance: pairs.exactSquaredDistance(query: q, reference: Int(r)))
            cutoffs[q] = exact.cutoff(q)
            return
        }
        let base = q * capacity
        var count = Int(counts[q])
        if count == capacity {
            fallBack(query: q, reference: r, pairs: pairs)
            return
        }
        var j = count
        while j > 0 && values[base + j - 1] > value {
            values[base + j] = values[base + j - 1]
            indices[base + j] = indices[base + j - 1]
            j -= 1
        }
        values[base + j] = value
        indices[base + j] = r
        count += 1
        if count >= k {
            let cut = floatCeiling(Double(values[base + k - 1]) + twiceBounds[q])
            cutoffs[q] = cut
            while count > k && values[base + count - 1] > cut { count -= 1 }
        }
        counts[q] = Int32(count)
    }

    /// Moves query q to exact lists: its float candidates are recomputed
    /// (through the exact lists' own `offer`), then the new one. Rare: it
    /// needs more than `capacity − k` entries within 2B of the k-th.
    @inline(never)
    func fallBack(query q: Int, reference r: Int32, pairs: PairwiseDistances) {
        exactMode[q] = true
        let base = q * capacity
        for j in 0..<Int(counts[q]) {
            let c = indices[base + j]
            exact.offer(query: q, reference: c, distance: pairs.exactSquaredDistance(query: q, reference: Int(c)))
        }
        counts[q] = 0
        exact.offer(query: q, reference: r, distance: pairs.exactSquaredDistance(query: q, reference: Int(r)))
        cutoffs[q] = exact.cutoff(q)
    }
}
