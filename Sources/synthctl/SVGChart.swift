import Foundation

/// The compare page's charts as inline SVG: no script, no font or file
/// fetched, and every coordinate written with one decimal (``SVGChart/at(_:)``)
/// so the bytes are the same on every machine and thread count. Each
/// chart is one `<svg class="chart" data-chart="…">`; the drawn data carry
/// `data-series` (bars, histogram bins, curves), so a test can count them.
///
/// Kinds: ``histogram(title:column:lower:upper:series:)`` (two sets'
/// shares on shared bins), ``bars(title:yLabel:groups:series:marked:)``
/// (grouped bars with optional error bars), ``heatMap(title:names:values:legend:)``
/// (a symmetric matrix of differences, 0 white to dark red at the top of a
/// scale fitted to the largest difference) and
/// ``roc(title:points:caption:)`` (a ROC curve beside the diagonal).
enum SVGChart {
    /// One series: a name, a colour and one value per bin or group.
    struct Series {
        let name: String
        let color: String
        let values: [Double]
        /// Error bars (lower, upper) per value, or nil.
        var errors: [(lower: Double, upper: Double)?] = []
    }

    static let human = "#1f77b4", synthetic = "#d62728"

    /// A coordinate: one decimal, never `-0.0`, 0 for a non-finite value.
    static func at(_ v: Double) -> String {
        let text = String(format: "%.1f", v.isFinite ? v : 0)
        return text == "-0.0" ? "0.0" : text
    }

    static func escape(_ s: String) -> String { HTMLReport.escape(s).replacingOccurrences(of: "\"", with: "&quot;") }

    static func short(_ s: String, _ n: Int = 16) -> String { s.count > n ? String(s.prefix(n - 1)) + "…" : s }

    /// A plot frame: title, axes, y ticks over [y0, y1] and axis labels.
    /// Returns the SVG so far and the y mapping.
    private static func frame(kind: String, title: String, width: Double, height: Double, left: Double, right: Double, top: Double, bottom: Double,
                              y0: Double, y1: Double, yTicks: [Double], xLabel: String, yLabel: String) -> (String, (Double) -> Double) {
        func ty(_ y: Double) -> Double { top + (1 - (y - y0) / max(y1 - y0, 1e-300)) * (height - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"\(kind)\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        svg += "<text x=\"\(at((left + width - right) / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">\(escape(title))</text>"
        for v in yTicks {
            svg += "<line x1=\"\(at(left - 4))\" y1=\"\(at(ty(v)))\" x2=\"\(at(width - right))\" y2=\"\(at(ty(v)))\" stroke=\"#e4e4e4\"/>"
            svg += "<text x=\"\(at(left - 7))\" y=\"\(at(ty(v) + 4))\" text-anchor=\"end\" font-size=\"11\">\(readableNumber(v))</text>"
        }
        svg += "<line x1=\"\(at(left))\" y1=\"\(at(height - bottom))\" x2=\"\(at(width - right))\" y2=\"\(at(height - bottom))\" stroke=\"#444\"/>"
        svg += "<line x1=\"\(at(left))\" y1=\"\(at(top))\" x2=\"\(at(left))\" y2=\"\(at(height - bottom))\" stroke=\"#444\"/>"
        svg += "<text class=\"axis-label\" x=\"\(at((left + width - right) / 2))\" y=\"\(at(height - 6))\" text-anchor=\"middle\" font-size=\"12\">\(escape(xLabel))</text>"
        svg += "<text class=\"axis-label\" transform=\"translate(14 \(at((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">\(escape(yLabel))</text>"
        return (svg, ty)
    }

    /// A legend of coloured squares at (x, y), one row per entry.
    private static func legend(_ entries: [(String, String)], x: Double, y: Double) -> String {
        entries.enumerated().map { k, e in
            let ly = y + Double(k) * 18
            return "<rect x=\"\(at(x))\" y=\"\(at(ly - 10))\" width=\"12\" height=\"12\" fill=\"\(e.1)\" opacity=\"0.7\"/>"
                + "<text x=\"\(at(x + 18))\" y=\"\(at(ly))\" font-size=\"12\">\(escape(e.0))</text>"
        }.joined()
    }

    /// Ticks on [0, max] (at least [0, 1e-12]).
    private static func yTicks(_ largest: Double) -> [Double] {
        HTMLReport.niceTicks(0, max(largest, 1e-12)).filter { $0 >= 0 }
    }

    /// Two (or more) sets' shares of rows on shared equal-width bins over
    /// [lower, upper], drawn as translucent overlapping bars.
    static func histogram(title: String, column: String, lower: Double, upper: Double, series: [Series]) -> String {
        let width = 460.0, height = 250.0, left = 56.0, right = 120.0, top = 28.0, bottom = 44.0
        let bins = series.first?.values.count ?? 0
        guard bins > 0 else { return "" }
        let ticks = yTicks(series.flatMap(\.values).max() ?? 0)
        let (start, ty) = frame(kind: "histogram", title: title, width: width, height: height, left: left, right: right, top: top, bottom: bottom,
                              y0: 0, y1: ticks.last ?? 1, yTicks: ticks, xLabel: column, yLabel: "share of rows")
        var svg = start
        let plot = width - left - right, bw = plot / Double(bins)
        func tx(_ x: Double) -> Double { left + (upper > lower ? (x - lower) / (upper - lower) : 0.5) * plot }
        for s in series {
            for (i, v) in s.values.enumerated() where v > 0 {
                svg += "<rect data-series=\"\(escape(s.name))\" x=\"\(at(left + bw * Double(i)))\" y=\"\(at(ty(v)))\" width=\"\(at(bw))\" height=\"\(at(ty(0) - ty(v)))\" fill=\"\(s.color)\" opacity=\"0.45\"/>"
            }
        }
        let xTicks = upper > lower ? HTMLReport.niceTicks(lower, upper).filter { $0 >= lower && $0 <= upper } : [lower]
        for t in xTicks {
            svg += "<line x1=\"\(at(tx(t)))\" y1=\"\(at(height - bottom))\" x2=\"\(at(tx(t)))\" y2=\"\(at(height - bottom + 4))\" stroke=\"#444\"/>"
            svg += "<text x=\"\(at(tx(t)))\" y=\"\(at(height - bottom + 16))\" text-anchor=\"middle\" font-size=\"11\">\(readableNumber(t))</text>"
        }
        svg += legend(series.map { ($0.name, $0.color) }, x: width - right + 12, y: top + 16)
        return svg + "</svg>"
    }

    /// Grouped vertical bars: one group per name, one bar per series, with
    /// error bars where given; a group in `marked` gets its label in red
    /// with a `*` (an unseen category).
    static func bars(title: String, yLabel: String, groups: [String], series: [Series], marked: Set<Int> = [], note: String? = nil) -> String {
        guard !groups.isEmpty, !series.isEmpty else { return "" }
        let group = max(36.0, min(90.0, 560.0 / Double(groups.count)))
        let left = 56.0, right = 190.0, top = 28.0, bottom = 80.0
        let width = left + group * Double(groups.count) + right, height = 290.0
        let largest = series.flatMap { s in s.values.indices.map { i in max(s.values[i], i < s.errors.count ? (s.errors[i]?.upper ?? 0) : 0) } }.max() ?? 0
        let ticks = yTicks(largest)
        let (start, ty) = frame(kind: "bars", title: title, width: width, height: height, left: left, right: right, top: top, bottom: bottom,
                              y0: 0, y1: ticks.last ?? 1, yTicks: ticks, xLabel: "", yLabel: yLabel)
        var svg = start
        let bw = group * 0.8 / Double(series.count)
        for (g, name) in groups.enumerated() {
            let gx = left + group * Double(g)
            for (k, s) in series.enumerated() where g < s.values.count {
                let v = max(s.values[g], 0), x = gx + group * 0.1 + bw * Double(k)
                svg += "<rect data-series=\"\(escape(s.name))\" x=\"\(at(x))\" y=\"\(at(ty(v)))\" width=\"\(at(bw))\" height=\"\(at(ty(0) - ty(v)))\" fill=\"\(s.color)\" opacity=\"0.8\"><title>\(escape(name)), \(escape(s.name)): \(readableNumber(s.values[g]))</title></rect>"
                if g < s.errors.count, let e = s.errors[g] {
                    let cx = x + bw / 2
                    svg += "<line class=\"error-bar\" x1=\"\(at(cx))\" y1=\"\(at(ty(max(e.lower, 0))))\" x2=\"\(at(cx))\" y2=\"\(at(ty(e.upper)))\" stroke=\"#222\"/>"
                    for y in [max(e.lower, 0), e.upper] {
                        svg += "<line x1=\"\(at(cx - 3))\" y1=\"\(at(ty(y)))\" x2=\"\(at(cx + 3))\" y2=\"\(at(ty(y)))\" stroke=\"#222\"/>"
                    }
                }
            }
            let label = escape(short(name)) + (marked.contains(g) ? " *" : "")
            svg += "<text transform=\"translate(\(at(gx + group / 2)) \(at(height - bottom + 14))) rotate(-30)\" text-anchor=\"end\" font-size=\"11\"\(marked.contains(g) ? " fill=\"#d62728\"" : "")>\(label)</text>"
        }
        svg += legend(series.map { ($0.name, $0.color) }, x: width - right + 14, y: top + 16)
        if let note {
            svg += "<text x=\"\(at(width - right + 14))\" y=\"\(at(top + 22 + Double(series.count) * 18))\" font-size=\"11\" fill=\"#d62728\">\(escape(note))</text>"
        }
        return svg + "</svg>"
    }

    /// The fill of a difference on a scale of [0, `top`]: white at 0 to
    /// dark red at `top` and above.
    static func shade(_ v: Double, top: Double = 1) -> String {
        let t = min(max(v / top, 0), 1)
        return "rgb(\(Int((255 - t * (255 - 165)).rounded())),\(Int((255 - t * 255).rounded())),\(Int((255 - t * 255).rounded())))"
    }

    /// The heat map's scale tops, 1-2-5 steps: differences of a few
    /// hundredths were near-white on a fixed 0–1 scale.
    static let heatMapScales: [Double] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2]

    /// The top of the heat map's scale: the smallest of ``heatMapScales``
    /// at or above the largest difference (|Δρ| ≤ 2, a TV distance ≤ 1).
    static func heatMapScale(_ values: [[Double?]]) -> Double {
        let largest = values.joined().compactMap { $0 }.filter(\.isFinite).max() ?? 0
        return heatMapScales.first { $0 >= largest } ?? heatMapScales[heatMapScales.count - 1]
    }

    /// A symmetric matrix of differences (nil: undefined, grey), names on
    /// both axes, with a colour legend from 0 to the scale's top
    /// (``heatMapScale(_:)``), which the legend states. The grid starts
    /// just below the rotated column names, so a short name leaves no gap
    /// under the title.
    static func heatMap(title: String, names: [String], values: [[Double?]], legend: String) -> String {
        let k = names.count
        guard k > 1 else { return "" }
        let scale = heatMapScale(values)
        // A 10 px name is about 6 px a character; rotated by 50°, it rises sin 50° ≈ 0.77 of its length.
        let longest = Double(names.map { short($0).count }.max() ?? 0)
        let cell = min(28.0, 560.0 / Double(k)), left = 130.0, top = 34.0 + longest * 6 * 0.77
        let width = left + cell * Double(k) + 200, height = top + max(cell * Double(k), 240) + 30
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"heatmap\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        svg += "<text x=\"\(at(left + cell * Double(k) / 2))\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\">\(escape(title))</text>"
        for i in 0..<k {
            svg += "<text class=\"axis-label\" x=\"\(at(left - 5))\" y=\"\(at(top + cell * (Double(i) + 0.5) + 4))\" text-anchor=\"end\" font-size=\"10\">\(escape(short(names[i])))</text>"
            svg += "<text class=\"axis-label\" transform=\"translate(\(at(left + cell * (Double(i) + 0.5) + 3)) \(at(top - 5))) rotate(-50)\" font-size=\"10\">\(escape(short(names[i])))</text>"
            for j in 0..<k {
                let v = values[i][j]
                let fill = i == j ? "#fff" : v.map { shade($0, top: scale) } ?? "#ccc"
                let tip = i == j ? "" : "<title>\(escape(names[i])) × \(escape(names[j])): \(v.map(readableNumber) ?? "undefined")</title>"
                svg += "<rect data-series=\"cell\" x=\"\(at(left + cell * Double(j)))\" y=\"\(at(top + cell * Double(i)))\" width=\"\(at(cell))\" height=\"\(at(cell))\" fill=\"\(fill)\" stroke=\"#eee\">\(tip)</rect>"
            }
        }
        let sx = left + cell * Double(k) + 24
        for t in 0..<20 {
            let v = scale * Double(19 - t) / 19
            svg += "<rect class=\"legend\" x=\"\(at(sx))\" y=\"\(at(top + Double(t) * 8))\" width=\"14\" height=\"8\" fill=\"\(shade(v, top: scale))\"/>"
        }
        svg += "<text x=\"\(at(sx + 18))\" y=\"\(at(top + 8))\" font-size=\"11\">\(readableNumber(scale))</text>"
            + "<text x=\"\(at(sx + 18))\" y=\"\(at(top + 84))\" font-size=\"11\">\(readableNumber(scale / 2))</text>"
            + "<text x=\"\(at(sx + 18))\" y=\"\(at(top + 160))\" font-size=\"11\">0</text>"
        svg += "<rect x=\"\(at(sx))\" y=\"\(at(top + 172))\" width=\"14\" height=\"8\" fill=\"#ccc\"/><text x=\"\(at(sx + 18))\" y=\"\(at(top + 180))\" font-size=\"11\">undefined</text>"
        let lines = ["scale 0 to \(readableNumber(scale)) (the largest", "difference rounded up)"] + legend.split(separator: "\n").map(String.init)
        for (n, line) in lines.enumerated() {
            svg += "<text x=\"\(at(sx))\" y=\"\(at(top + 200 + Double(n) * 14))\" font-size=\"11\">\(escape(line))</text>"
        }
        return svg + "</svg>"
    }

    /// A ROC curve from (0, 0) to (1, 1) on the unit square, the chance
    /// diagonal dashed, and a caption (the AUC and its interval).
    static func roc(title: String, points: [(falsePositiveRate: Double, truePositiveRate: Double)], caption: [String]) -> String {
        guard points.count > 1 else { return "" }
        let side = 300.0, left = 62.0, top = 30.0, bottom = 46.0, right = 260.0
        let width = left + side + right, height = top + side + bottom
        let ticks = [0, 0.25, 0.5, 0.75, 1.0]
        let (start, ty) = frame(kind: "roc", title: title, width: width, height: height, left: left, right: right, top: top, bottom: bottom,
                              y0: 0, y1: 1, yTicks: ticks, xLabel: "false positive rate (synthetic rows taken for human)",
                              yLabel: "true positive rate")
        var svg = start
        func tx(_ x: Double) -> Double { left + x * side }
        for t in ticks {
            svg += "<text x=\"\(at(tx(t)))\" y=\"\(at(top + side + 16))\" text-anchor=\"middle\" font-size=\"11\">\(readableNumber(t))</text>"
        }
        svg += "<line data-series=\"chance\" x1=\"\(at(tx(0)))\" y1=\"\(at(ty(0)))\" x2=\"\(at(tx(1)))\" y2=\"\(at(ty(1)))\" stroke=\"#888\" stroke-dasharray=\"5 4\"/>"
        svg += "<polyline data-series=\"roc\" points=\"" + points.map { "\(at(tx($0.falsePositiveRate))),\(at(ty($0.truePositiveRate)))" }.joined(separator: " ")
            + "\" fill=\"none\" stroke=\"\(synthetic)\" stroke-width=\"2\"/>"
        for (n, line) in caption.enumerated() {
            svg += "<text x=\"\(at(left + side + 16))\" y=\"\(at(top + 20 + Double(n) * 18))\" font-size=\"12\">\(escape(line))</text>"
        }
        return svg + "</svg>"
    }
}
