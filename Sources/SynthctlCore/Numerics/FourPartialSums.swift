/// Σ term(j) for j below `count` in a fixed order of four partial sums:
/// s₀ … s₃ take the terms j ≡ 0, 1, 2, 3 (mod 4), the last count mod 4
/// terms go to s₀, s₁, s₂ in turn, and the result is (s₀ + s₁) + (s₂ + s₃).
///
/// Why: one running sum is one chain of dependent additions, each waiting
/// for the one before; four chains keep the adder busy. The order is
/// written out, and Swift does not reassociate floating-point sums, so the
/// result is the same bits on every machine. Used by the exact Double
/// distances (`_UnsafeExactDistance`) and LayerNorm's mean and variance
/// (Eval's BERT forward pass, where one chain took 3% of the pass).
@inlinable @inline(__always)
public func fourPartialSums(_ count: Int, _ term: (Int) -> Double) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, j = 0
    while j + 4 <= count {
        s0 += term(j)
        s1 += term(j + 1)
        s2 += term(j + 2)
        s3 += term(j + 3)
        j += 4
    }
    if j < count { s0 += term(j) }
    if j + 1 < count { s1 += term(j + 1) }
    if j + 2 < count { s2 += term(j + 2) }
    return (s0 + s1) + (s2 + s3)
}
