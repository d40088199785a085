import Foundation

/// A computed number as an error message shows it: six significant digits,
/// so a sum of 0.1 + 0.2 reads 0.3, not 0.30000000000000004.
package func displayNumber(_ x: Double) -> String {
    JSONValue.format(Double(String(format: "%.6g", x)) ?? x)
}
