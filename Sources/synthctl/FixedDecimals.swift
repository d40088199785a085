import Foundation

/// `x` with `digits` decimals, as summaries, Markdown and HTML print a
/// number: `0.000`, never `-0.000`. C's `%f` keeps the sign of a value that
/// rounds to zero (−0, or −0.0001 at three decimals), which reads as a
/// negative log-likelihood or MMD² where there is none.
func fixedDecimals(_ x: Double, _ digits: Int) -> String {
    let text = String(format: "%.\(digits)f", x)
    guard text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) else { return text }
    return String(text.dropFirst())
}
