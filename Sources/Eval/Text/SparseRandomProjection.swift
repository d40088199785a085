/// A seeded sparse random projection of hashed bucket vectors to a dense
/// vector of `components` dimensions: y = R·x, R of shape components ×
/// features, built column by column on demand and never stored.
///
/// Each column of R (one bucket) has exactly `nonzerosPerFeature` = s
/// entries, in s distinct rows chosen uniformly, each +1/√s or −1/√s with
/// equal chance: Kane & Nelson's sparse Johnson–Lindenstrauss transform
/// ("Sparser Johnson–Lindenstrauss Transforms", J. ACM 61(1), 2014; the
/// "graph" construction). Every column then has norm 1 exactly, so a text
/// of one n-gram keeps its norm exactly, and for any x
///
///     E‖R·x‖² = ‖x‖²,   Var ‖R·x‖² = (2/D)·(‖x‖⁴ − Σⱼ xⱼ⁴)
///
/// with D = `components`: two columns share each row with chance s/D and
/// then meet with weight ±1/s, so their inner product has variance 1/D
/// whatever s is (a dense Gaussian projection has (2/D)·‖x‖⁴). What s
/// changes is the tail: a single shared row moves the inner product of two
/// n-grams by 1/s, so s = 1 (feature hashing straight into D buckets) can
/// cancel a two-word text to nothing, and s = 8 (the default) moves it by
/// at most an eighth. Kane & Nelson's high-probability bounds need s of
/// order ε⁻¹·log(1/δ); the mean and variance above do not.
///
/// Why not scikit-learn's `SparseRandomProjection` (Li, Hastie & Church,
/// "Very sparse random projections", KDD 2006): its entries are nonzero
/// independently with density 1/√features, which for 2²⁰ buckets and 384
/// dimensions leaves a bucket 0.375 nonzero entries on average, so most of
/// a short text's n-grams would map to nothing. Fixing the count per column
/// keeps every n-gram.
///
/// Column j is a pure function of (seed, j): SplitMix64's output function
/// (Steele, Lea & Flood, OOPSLA 2014) applied to j and then to the seed
/// xored in gives the column's starting state, from which a SplitMix64
/// sequence draws the rows by Floyd's sampling without replacement
/// (Bentley & Floyd, "Programming pearls: a sample of brilliance", CACM
/// 1987), with Lemire's multiply-shift for each bounded integer, and one
/// sign bit each. (A Philox block per column, as the generators draw,
/// cost a fifth of the whole embedding; columns need independence between
/// buckets, not the generators' addressable streams.) The draws are
/// integer arithmetic only; the one floating-point constant,
/// 1/√s, is a correctly rounded square root and division. The sum for each
/// output is taken over buckets in ascending order, so a text's vector is
/// the same doubles on every CPU and for any thread count.
public struct SparseRandomProjection: Sendable {
    /// Buckets of the input vectors (the vectorizer's `features`).
    public let features: Int
    /// Dimensions of the output vectors.
    public let components: Int
    /// Nonzero entries in each column of R (s).
    public let nonzerosPerFeature: Int
    public let seed: UInt64
    /// 1/√s, the magnitude of every nonzero entry.
    public let scale: Double
    /// The seed, mixed once: what each column's state is derived from.
    private let key: UInt64

    /// 8, or `components` when there are fewer (see the type's documentation).
    public static func defaultNonzeros(components: Int) -> Int { min(8, components) }

    /// - Precondition: 1 ≤ `nonzerosPerFeature` ≤ `components`, `features` ≥ 1.
    public init(features: Int, components: Int, nonzerosPerFeature: Int? = nil, seed: UInt64) {
        let s = nonzerosPerFeature ?? Self.defaultNonzeros(components: components)
        precondition(features >= 1 && components >= 1 && s >= 1 && s <= components, "1 ≤ nonzeros ≤ components, features ≥ 1")
        self.features = features
        self.components = components
        self.nonzerosPerFeature = s
        self.seed = seed
        self.scale = 1 / Double(s).squareRoot()
        self.key = Self.mix(seed ^ 0x6861_7368_696E_6720)  // "hashing " in ASCII: this use's own domain
    }

    /// Reusable state for one thread: a mark per output dimension for
    /// Floyd's draws, the rows of the column being drawn, and the columns
    /// drawn lately.
    ///
    /// The cache: a text's n-grams are mostly frequent words (or, for
    /// `char_wb`, frequent letter runs), whose columns were drawn for
    /// earlier texts; drawing a column costs s + 2 SplitMix64 steps and a
    /// mark per row, a seventh of embedding's time at s = 8. A column is
    /// kept in slot (bucket mod ``cacheSlots``), replacing the one there:
    /// each entry its row and, in the top bit, its sign, in draw order, so
    /// the sums run in the same order with the same terms as when drawn.
    /// Kept for s ≤ ``cachedNonzeros`` (288 KiB a thread); wider columns
    /// are drawn every time.
    public struct Workspace {
        fileprivate var marked: [Bool]
        fileprivate var rows: [Int32]
        /// The bucket whose column each slot holds, −1 for none.
        fileprivate var cachedBucket: [Int32]
        /// `cacheSlots` × s entries: row | (negative ? 1 << 31 : 0).
        fileprivate var cachedEntries: [UInt32]
        /// The unscaled sums y/scale, all zero between projections.
        fileprivate var sums: [Double]
        /// The rows the last sums touched, with repeats, up to
        /// `components` of them (``touchedAll`` beyond).
        fileprivate var touched: [Int32]
        fileprivate var touchedCount = 0
        public init(for projection: SparseRandomProjection) {
            marked = Array(repeating: false, count: projection.components)
            rows = Array(repeating: 0, count: projection.nonzerosPerFeature)
            let cached = projection.nonzerosPerFeature <= SparseRandomProjection.cachedNonzeros && projection.components <= Int(Int32.max)
            cachedBucket = cached ? Array(repeating: -1, count: SparseRandomProjection.cacheSlots) : []
            cachedEntries = cached ? Array(repeating: 0, count: SparseRandomProjection.cacheSlots * projection.nonzerosPerFeature) : []
            sums = Array(repeating: 0, count: projection.components)
            touched = Array(repeating: 0, count: projection.components)
        }

        /// Whether more entries were added than ``touched`` holds: every
        /// row is then read (and zeroed) rather than the listed ones.
        fileprivate var touchedAll: Bool { touchedCount > touched.count }
    }

    /// Columns a ``Workspace`` keeps (a power of two).
    static let cacheSlots = 8192
    /// The widest columns a ``Workspace`` keeps.
    static let cachedNonzeros = 8

    /// Column j of R: its s rows, in draw order, and whether each entry is
    /// negative (the entry is then −``scale``, else +``scale``).
    public func column(_ j: Int, workspace: inout Workspace) -> (rows: [Int32], negative: [Bool]) {
        var rows = [Int32](), negative = [Bool]()
        workspace.marked.withUnsafeMutableBufferPointer { marked in
            workspace.rows.withUnsafeMutableBufferPointer { chosen in
                forEachEntry(of: j, marked: marked, chosen: chosen) { row, isNegative in
                    rows.append(Int32(row))
                    negative.append(isNegative)
                }
            }
        }
        return (rows, negative)
    }

    /// Calls `body(row, negative)` for each of column j's s entries, in draw
    /// order. `marked` (``components`` flags, all false) and `chosen` (s
    /// slots) are scratch; `marked` is all false again on return.
    @inline(__always)
    private func forEachEntry(of j: Int, marked: UnsafeMutableBufferPointer<Bool>, chosen: UnsafeMutableBufferPointer<Int32>,
                              _ body: (Int, Bool) -> Void) {
        var state = Self.mix(key ^ Self.mix(UInt64(j)))
        var signs = Self.splitMix(&state)
        let d = components, s = nonzerosPerFeature
        for k in 0..<s {
            // Floyd: t uniform in 0...i; take t unless already taken, then i (never taken yet).
            let i = d - s + k
            let t = Int(Self.splitMix(&state).multipliedFullWidth(by: UInt64(i + 1)).high)
            let row = marked[t] ? i : t
            marked[row] = true
            chosen[k] = Int32(row)
            if k % 64 == 0 && k > 0 { signs = Self.splitMix(&state) }
            body(row, signs & 1 == 1)
            signs >>= 1
        }
        for k in 0..<s { marked[Int(chosen[k])] = false }
    }

    /// SplitMix64's next output (Steele, Lea & Flood, OOPSLA 2014).
    @inline(__always)
    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    /// SplitMix64's output function: a bijection of 64-bit words that
    /// spreads every input bit over the output.
    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// y = R·x for the sparse x given by `indices` (ascending buckets in
    /// 0..<features) and `values`, written to `output` (`components`
    /// values, overwritten).
    public func project(indices: [Int32], values: [Double], into output: inout [Double], workspace: inout Workspace) {
        precondition(indices.count == values.count && output.count == components)
        accumulate(indices: indices, values: values, workspace: &workspace)
        let scale = self.scale, all = workspace.touchedAll, count = workspace.touchedCount
        output.withUnsafeMutableBufferPointer { y in
            workspace.sums.withUnsafeMutableBufferPointer { sums in
                workspace.touched.withUnsafeBufferPointer { touched in
                    for d in y.indices { y[d] = sums[d] * scale }
                    if all { sums.update(repeating: 0) } else { for k in 0..<count { sums[Int(touched[k])] = 0 } }
                }
            }
        }
    }

    /// ``project(indices:values:into:workspace:)`` rounded once to float32:
    /// `output[d]` = Float(y[d]), the same values as rounding that
    /// function's doubles.
    ///
    /// Why a second form: a short text touches a few rows of y (8 per
    /// n-gram), and the embedder wrote every row three times over — zeroing,
    /// scaling and rounding 384 doubles per text were two fifths of the
    /// projection's time. Here the float row is zeroed once and only the
    /// rows the sums touched are scaled, rounded and reset (a row holding a
    /// sum that cancelled to +0 rounds to +0, as an untouched one).
    func project(indices: [Int32], values: [Double], into output: UnsafeMutableBufferPointer<Float>, workspace: inout Workspace) {
        precondition(indices.count == values.count && output.count == components)
        accumulate(indices: indices, values: values, workspace: &workspace)
        let scale = self.scale, all = workspace.touchedAll, count = workspace.touchedCount
        workspace.sums.withUnsafeMutableBufferPointer { sums in
            workspace.touched.withUnsafeBufferPointer { touched in
                if all {
                    for d in output.indices { output[d] = Float(sums[d] * scale) }
                    sums.update(repeating: 0)
                    return
                }
                output.update(repeating: 0)
                // A row listed twice is rounded twice to the same value, then reset.
                for k in 0..<count { let r = Int(touched[k]); output[r] = Float(sums[r] * scale) }
                for k in 0..<count { sums[Int(touched[k])] = 0 }
            }
        }
    }

    /// Adds each value's column, unscaled, into `workspace.sums` (all zero
    /// on entry), in bucket order and each column's draw order, listing
    /// the rows touched in `workspace.touched`.
    private func accumulate(indices: [Int32], values: [Double], workspace: inout Workspace) {
        let s = nonzerosPerFeature
        var count = 0
        workspace.sums.withUnsafeMutableBufferPointer { y in
            workspace.touched.withUnsafeMutableBufferPointer { touched in
                workspace.marked.withUnsafeMutableBufferPointer { marked in
                    workspace.rows.withUnsafeMutableBufferPointer { chosen in
                        workspace.cachedBucket.withUnsafeMutableBufferPointer { bucket in
                            workspace.cachedEntries.withUnsafeMutableBufferPointer { entries in
                                let room = touched.count
                                for (j, v) in zip(indices, values) where v != 0 {
                                    guard !bucket.isEmpty else {
                                        forEachEntry(of: Int(j), marked: marked, chosen: chosen) { row, negative in
                                            y[row] += negative ? -v : v
                                            if count < room { touched[count] = Int32(truncatingIfNeeded: row) }
                                            count += 1
                                        }
                                        continue
                                    }
                                    let slot = Int(j) & (Self.cacheSlots - 1), first = slot * s
                                    if bucket[slot] != j {
                                        var k = first
                                        forEachEntry(of: Int(j), marked: marked, chosen: chosen) { row, negative in
                                            entries[k] = UInt32(row) | (negative ? 1 << 31 : 0)
                                            k += 1
                                        }
                                        bucket[slot] = j
                                    }
                                    // The entry's sign bit flips v's (−v exactly): a branch on
                                    // the sign, taken at random, was mispredicted half the time.
                                    let bits = v.bitPattern
                                    if count + s <= room {
                                        for k in first..<(first + s) {
                                            let e = entries[k], row = Int(e & 0x7FFF_FFFF)
                                            y[row] += Double(bitPattern: bits ^ (UInt64(e >> 31) << 63))
                                            touched[count] = Int32(truncatingIfNeeded: row)
                                            count += 1
                                        }
                                    } else {
                                        for k in first..<(first + s) {
                                            let e = entries[k]
                                            y[Int(e & 0x7FFF_FFFF)] += Double(bitPattern: bits ^ (UInt64(e >> 31) << 63))
                                        }
                                        count += s + room  // past the room for good: every row is read
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        workspace.touchedCount = count
    }
}
