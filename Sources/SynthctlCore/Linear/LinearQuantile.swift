/// The q-quantile of ascending values by linear interpolation between the
/// two nearest order statistics (NumPy's default `method="linear"`); NaN
/// for no values.
public func linearQuantile(sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let position = q * Double(sorted.count - 1)
    let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - Double(lo))
}
