import Foundation

/// `x` with `digits` decimals, as summaries, Markdown and HTML print a
/// number: `0.000`, never `-0.000`; from 10⁶ in magnitude in scientific
/// notation with 4 significant digits (`6.149e+15`), as the compare page
/// prints it (`readableNumber`). The one rule for every text output: the
/// metric tables (``FidelityMetric/text(_:)``), ``MetricValue/description``
/// and the summaries' and Markdown's own lines.
///
/// C's `%f` keeps the sign of a value that rounds to zero (−0, or −0.0001
/// at three decimals), which reads as a negative log-likelihood or MMD²
/// where there is none; and it writes every digit of a large value (a
/// median DCR in raw units read `6148743900430344.0000`), which no one
/// reads. C's `%f` and `%e` are exact decimal conversions, so the text is
/// the same on every machine.
package func fixedDecimals(_ x: Double, _ digits: Int) -> String {
    if x.isFinite && abs(x) >= 1e6 { return String(format: "%.3e", x) }
    let text = String(format: "%.\(digits)f", x)
    guard text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) else { return text }
    return String(text.dropFirst())
}
