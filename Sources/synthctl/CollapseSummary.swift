import Eval
import Foundation
import SynthctlCore

/// The text summary `synthctl collapse` prints: the run in one line, the
/// constant human columns if any, and one table row per generation.
enum CollapseSummary {
    static func lines(_ r: CollapseReport) -> [String] {
        let c = r.collapse
        var lines = ["\(c.mode.rawValue): \(counted(r.parameters.generations, "generation")) of \(c.rowsPerGeneration) rows from a class-conditional Gaussian; human: \(r.trainingRows) training rows, \(r.holdoutRows) held out"]
        func f(_ v: Double?) -> String { v.map { $0.isFinite ? fixedDecimals($0, 4) : "n/a" } ?? "n/a" }
        if !c.constantColumns.isEmpty {
            lines.append("constant human columns (or varying by at most \(Int(ModelCollapse.nearConstantUlps)) float32 ulp at their magnitude; left out of mean drift and tail mass, reported in their own units): "
                         + c.constantColumns.prefix(10).map { r.featureNames[$0].escapingControlCharacters }.joined(separator: ", ")
                         + (c.constantColumns.count > 10 ? " and \(c.constantColumns.count - 10) more" : ""))
        }
        let constant = !c.constantColumns.isEmpty
        // Headers left-aligned, numbers right-aligned, each column as wide as its widest entry.
        let header = ["generation", "trained on", "mean drift", "variance ratio", "tail mass", "Fréchet", "accuracy"]
            + (constant ? ["constant drift", "constant spread"] : [])
        let rows = c.generations.map { g in
            [String(g.index), String(g.trainingRows), f(g.meanDrift), f(g.varianceRatio), f(g.tailMass), f(g.frechet), f(g.accuracy)]
                + (constant ? [f(g.constantColumnDrift), f(g.constantColumnSpread)] : [])
        }
        let widths = header.indices.map { c in max([10, 10, 10, 14, 9, 8, 10, 14, 15][c], header[c].count, rows.map { $0[c].count }.max() ?? 0) }
        lines.append(String(header.indices.map { header[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .reversed().drop { $0 == " " }.reversed()))
        for row in rows { lines.append(row.indices.map { row[$0].leftPad(widths[$0]) }.joined(separator: "  ")) }
        return lines
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
