import Eval
import Foundation

/// `x` as the compare page prints it, in readable precision whatever its
/// magnitude: scientific notation with 4 significant digits below 1e-3 in
/// magnitude (`-2.310e-05`, never `-0.0000`), 4 significant digits up to
/// 10⁴ (`0.9312`, `12.5`, `1234`), whole numbers up to 10⁶, scientific
/// notation above; `0` for zero of either sign, `n/a` when not finite.
/// C's `%e`, `%g` and `%f` are exact decimal conversions, so the text is
/// the same on every machine.
func readableNumber(_ x: Double) -> String {
    guard x.isFinite else { return "n/a" }
    let m = abs(x)
    if m == 0 { return "0" }
    if m < 1e-3 || m >= 1e6 { return String(format: "%.3e", x) }
    if m >= 9999.5 { return String(format: "%.0f", x) }
    return String(format: "%.4g", x)
}

/// A spread (± a standard deviation) beside a value: two significant
/// digits ("0.0069", "0.016"; "2.6e-04" below 1e-3), so that it does not
/// read as more precise than the value it qualifies.
func readableSpread(_ x: Double) -> String {
    guard x.isFinite else { return "n/a" }
    let m = abs(x)
    if m == 0 { return "0" }
    if m < 1e-3 || m >= 1e6 { return String(format: "%.1e", x) }
    return String(format: "%.2g", x)
}

/// `x` as a table cell of the compare page: ``readableNumber(_:)`` with
/// its trailing zeros kept, so that every cell has 4 significant digits
/// (`0.9000`, `1.000`, `12.50`; `1234`, `0`, `2.310e-05` as before): a
/// coverage of 0.9 printed `0.9` beside `0.8723` reads as less precise
/// than it is. Axis ticks and captions keep ``readableNumber(_:)``.
func readableCell(_ x: Double) -> String {
    guard x.isFinite else { return "n/a" }
    let m = abs(x)
    if m == 0 { return "0" }
    if m < 1e-3 || m >= 1e6 { return String(format: "%.3e", x) }
    if m >= 9999.5 { return String(format: "%.0f", x) }
    // `%#g` keeps the zeros, and a point after a whole number ("1234.").
    let text = String(format: "%#.4g", x)
    return text.hasSuffix(".") ? String(text.dropLast()) : text
}

/// A spread beside a table cell (``readableCell(_:)``):
/// ``readableSpread(_:)``'s two significant digits with trailing zeros
/// kept (`0.030`, `0.0069`, `12`).
func readableCellSpread(_ x: Double) -> String {
    guard x.isFinite else { return "n/a" }
    let m = abs(x)
    if m == 0 { return "0" }
    if m < 1e-3 || m >= 1e6 { return String(format: "%.1e", x) }
    let text = String(format: "%#.2g", x)
    return text.hasSuffix(".") ? String(text.dropLast()) : text
}

/// `x` with `decimals` decimals as ``fixedDecimals(_:_:)`` prints it
/// (scientific from 10⁶), except a value below 1e-3 in magnitude that is
/// not zero, which gets ``readableNumber(_:)``'s scientific notation: the
/// Markdown's metric cells, where a small MMD² or KID would read `0.0000`
/// or `-0.0000`.
func fixedOrScientific(_ x: Double, _ decimals: Int) -> String {
    guard x.isFinite else { return "n/a" }
    return x != 0 && abs(x) < 1e-3 ? readableNumber(x) : fixedDecimals(x, decimals)
}
