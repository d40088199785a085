import Eval
import Foundation
import Synth
import SynthctlCore

/// The `--html FILE` reports: one self-contained page (inline CSS and SVG,
/// no scripts, nothing fetched) a person can open from a CI artifact.
enum HTMLReport {
    /// Text for an HTML text node: control characters written out visibly
    /// (``Swift/String/escapingControlCharacters``), then &, < and >.
    static func escape(_ s: String) -> String {
        s.escapingControlCharacters.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func page(title: String, _ body: [String]) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 980px; color: #222; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
        table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
        th:first-child, td:first-child { text-align: left; }
        th { background: #f3f3f3; }
        .note { color: #555; font-size: 0.9em; }
        svg text { font-family: system-ui, sans-serif; }
        </style></head><body>
        <h1>\(escape(title))</h1>
        \(body.joined(separator: "\n"))
        <p class="note">synthctl \(SynthVersion.current)</p>
        </body></html>
        """
    }

    /// A table, its first row the header; `style` is the table's inline
    /// CSS (the page's stylesheet is shared by every report).
    static func table(_ rows: [[String]], style: String? = nil) -> String {
        guard let header = rows.first else { return "" }
        return (style.map { "<table style=\"\($0)\">" } ?? "<table>") + "<tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
            + rows.dropFirst().map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined() + "</table>"
    }

    struct Series {
        let name: String
        let color: String
        let points: [(x: Double, y: Double, error: Double?)]
        /// A fitted curve drawn dashed, evaluated across the x range.
        var curve: ((Double) -> Double)? = nil
        var plateau: Double? = nil
    }

    /// A line chart with labelled axes, ticks, error bars and a legend.
    static func chart(title: String, xLabel: String, yLabel: String, series: [Series], logX: Bool) -> String {
        let width = 800.0, height = 380.0, left = 70.0, right = 210.0, top = 34.0, bottom = 52.0
        let xs = series.flatMap { $0.points.map(\.x) }.filter { !logX || $0 > 0 }
        var ys = series.flatMap { s in s.points.flatMap { [$0.y - ($0.error ?? 0), $0.y + ($0.error ?? 0)] } } + series.compactMap(\.plateau)
        ys = ys.filter(\.isFinite)
        guard let x0 = xs.min(), let x1 = xs.max(), let y0raw = ys.min(), let y1raw = ys.max() else { return "" }
        let pad = max((y1raw - y0raw) * 0.08, 1e-9)
        let yTicks = niceTicks(max(0, y0raw - pad), y1raw + pad)
        let y0 = yTicks.first!, y1 = yTicks.last!
        func tx(_ x: Double) -> Double {
            let (a, b, v) = logX ? (libmLog10(x0), libmLog10(x1), libmLog10(x)) : (x0, x1, x)
            return left + (b > a ? (v - a) / (b - a) : 0.5) * (width - left - right)
        }
        func ty(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        svg += "<text x=\"\(width / 2 - right / 2)\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"600\">\(escape(title))</text>"
        // Axes, ticks and labels.
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - right)\" y2=\"\(height - bottom)\" stroke=\"#444\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#444\"/>"
        var xTicks = [Double]()
        if logX {
            var e = floor(libmLog10(x0))
            while e <= ceil(libmLog10(x1)) {
                let t = libmPow(10.0, e)
                if t >= x0 * 0.999 && t <= x1 * 1.001 { xTicks.append(t) }
                e += 1
            }
        } else {
            xTicks = niceTicks(x0, x1).filter { $0 >= x0 && $0 <= x1 }
        }
        for t in (xTicks.isEmpty ? [x0, x1] : xTicks) {
            let px = tx(t)
            svg += "<line x1=\"\(px)\" y1=\"\(height - bottom)\" x2=\"\(px)\" y2=\"\(height - bottom + 5)\" stroke=\"#444\"/>"
            svg += "<text x=\"\(px)\" y=\"\(height - bottom + 19)\" text-anchor=\"middle\" font-size=\"12\">\(tick(t))</text>"
        }
        for v in yTicks {
            let py = ty(v)
            svg += "<line x1=\"\(left - 5)\" y1=\"\(py)\" x2=\"\(width - right)\" y2=\"\(py)\" stroke=\"#e4e4e4\"/>"
            svg += "<text x=\"\(left - 8)\" y=\"\(py + 4)\" text-anchor=\"end\" font-size=\"12\">\(tick(v))</text>"
        }
        svg += "<text x=\"\((left + width - right) / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\" font-size=\"13\">\(escape(xLabel))</text>"
        svg += "<text transform=\"translate(18 \((top + height - bottom) / 2)) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(escape(yLabel))</text>"
        // Series.
        for (k, s) in series.enumerated() {
            let pts = s.points.filter { (!logX || $0.x > 0) && $0.y.isFinite }
            if let curve = s.curve, let first = pts.first, let last = pts.last {
                let path = (0...60).map { i -> String in
                    let t = Double(i) / 60
                    let x = logX ? libmPow(10, libmLog10(first.x) + t * (libmLog10(last.x) - libmLog10(first.x))) : first.x + t * (last.x - first.x)
                    let y = min(max(curve(x), y0), y1)
                    return "\(i == 0 ? "M" : "L")\(tx(x)) \(ty(y))"
                }.joined(separator: " ")
                svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
            }
            if let plateau = s.plateau, plateau >= y0, plateau <= y1 {
                svg += "<line x1=\"\(left)\" y1=\"\(ty(plateau))\" x2=\"\(width - right)\" y2=\"\(ty(plateau))\" stroke=\"\(s.color)\" stroke-width=\"1\" stroke-dasharray=\"2 3\" opacity=\"0.8\"/>"
            }
            if pts.count > 1 {
                svg += "<polyline points=\"" + pts.map { "\(tx($0.x)),\(ty($0.y))" }.joined(separator: " ") + "\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"/>"
            }
            for p in pts {
                if let e = p.error, e > 0 {
                    svg += "<line x1=\"\(tx(p.x))\" y1=\"\(ty(max(p.y - e, y0)))\" x2=\"\(tx(p.x))\" y2=\"\(ty(min(p.y + e, y1)))\" stroke=\"\(s.color)\"/>"
                }
                svg += "<circle cx=\"\(tx(p.x))\" cy=\"\(ty(p.y))\" r=\"3.5\" fill=\"\(s.color)\"/>"
            }
            let ly = top + 14 + Double(k) * 22
            svg += "<line x1=\"\(width - right + 14)\" y1=\"\(ly)\" x2=\"\(width - right + 38)\" y2=\"\(ly)\" stroke=\"\(s.color)\" stroke-width=\"3\"/>"
            svg += "<text x=\"\(width - right + 44)\" y=\"\(ly + 4)\" font-size=\"12\">\(escape(s.name))</text>"
        }
        if series.contains(where: { $0.curve != nil }) {
            let ly = top + 14 + Double(series.count) * 22
            svg += "<line x1=\"\(width - right + 14)\" y1=\"\(ly)\" x2=\"\(width - right + 38)\" y2=\"\(ly)\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
            svg += "<text x=\"\(width - right + 44)\" y=\"\(ly + 4)\" font-size=\"12\">fitted c + a·n^(−b)</text>"
            svg += "<line x1=\"\(width - right + 14)\" y1=\"\(ly + 20)\" x2=\"\(width - right + 38)\" y2=\"\(ly + 20)\" stroke=\"#555\" stroke-dasharray=\"2 3\"/>"
            svg += "<text x=\"\(width - right + 44)\" y=\"\(ly + 24)\" font-size=\"12\">plateau c</text>"
        }
        return svg + "</svg>"
    }

    /// Round tick values (steps of 1, 2 or 5 times a power of ten) covering [a, b].
    static func niceTicks(_ a: Double, _ b: Double) -> [Double] {
        let span = max(b - a, 1e-12)
        let raw = span / 5, magnitude = libmPow(10, floor(libmLog10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let start = floor(a / step) * step, end = ceil(b / step) * step
        return stride(from: start, through: end + step / 2, by: step).map { ($0 / step).rounded() * step }
    }

    static func tick(_ v: Double) -> String {
        if v == 0 { return "0" }
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        if abs(v) >= 1000 { return String(format: "%.0f", v) }
        if abs(v) >= 10 { return String(format: "%.1f", v) }
        if abs(v) >= 0.1 { return String(format: "%.2f", v) }
        return String(format: "%.3g", v)
    }

    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]

    static func limits(_ c: LearningCurves, _ f: LimitsFindings, human: String, synthetic: String) -> String {
        let series = [(c.human, f.human), (c.synthetic, f.synthetic), (c.mixed, f.mixed)].enumerated().map { k, pair in
            let (curve, level) = pair
            // A flat curve is drawn at its level, without the power law fitted to noise; a rising
            // curve, or a falling one no decreasing power law fits, without a fit or a plateau.
            let flat = level?.flat == true, fit = level == nil ? curve.fit : level?.powerLaw
            return Series(name: curve.name == "human+synthetic" ? "\(c.mixHumanRows) human + synthetic" : curve.name, color: colors[k],
                          points: curve.points.map { (Double($0.rows), $0.mean, $0.standardError) },
                          curve: flat ? nil : fit.map { fit in { fit.error(at: $0) } },
                          plateau: flat || fit != nil ? (level?.value ?? fit?.plateau) : nil)
        }
        let body = [
            "<p>\(escape(synthetic)) against \(escape(human)); error = 1 − accuracy on \(counted(c.testRows, "held-out human row")); \(counted(c.parameters.seeds, "seed")) per point (bars: ± standard error).</p>",
            chart(title: "Learning curves", xLabel: "training rows n (log scale)", yLabel: "test error", series: series, logX: true),
        ] + Markdown.limits(c, f, human: human, synthetic: synthetic).dropFirst().map(markdownToHTML)
        return page(title: "synthctl limits", body)
    }

    static func collapse(_ c: ModelCollapse, human: String) -> String {
        func series(_ name: String, _ value: (ModelCollapse.Generation) -> Double?, _ color: String) -> Series {
            Series(name: name, color: color, points: c.generations.compactMap { g in value(g).map { (Double(g.index), $0, nil) } })
        }
        let body = [
            "<p>\(escape(human)): \(c.mode.rawValue), \(c.rowsPerGeneration) rows per generation.</p>",
            chart(title: "Distance to the human data", xLabel: "generation", yLabel: "Fréchet distance",
                  series: [series("Fréchet distance", { $0.frechet }, colors[0])], logX: false),
            chart(title: "Spread and tails", xLabel: "generation", yLabel: "ratio / share",
                  series: [series("variance ratio", { $0.varianceRatio }, colors[1]), series("tail mass", { $0.tailMass }, colors[2]),
                           series("mean drift (sd)", { $0.meanDrift }, colors[3])], logX: false),
            chart(title: "Downstream accuracy on held-out human rows", xLabel: "generation", yLabel: "accuracy",
                  series: [series("accuracy", { $0.accuracy }, colors[4])], logX: false),
        ] + Markdown.collapse(c, human: human).dropFirst().map(markdownToHTML)
        return page(title: "synthctl collapse", body)
    }

    /// The Markdown report's tables and paragraphs as HTML (tables become
    /// tables; **bold** leads become <b>).
    static func markdownToHTML(_ section: String) -> String {
        let lines = section.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out = [String](), rows = [[String]]()
        func flush() { if !rows.isEmpty { out.append(table(rows)); rows = [] } }
        for line in lines {
            if line.hasPrefix("| ") {
                if line.hasPrefix("| ---") { continue }
                rows.append(line.dropFirst(2).dropLast(2).components(separatedBy: " | ").map { $0.replacingOccurrences(of: "\\|", with: "|") })
            } else {
                flush()
                if line.isEmpty { continue }
                var text = escape(line)
                while let a = text.range(of: "**"), let b = text.range(of: "**", range: a.upperBound..<text.endIndex) {
                    text = text.replacingCharacters(in: a.lowerBound..<b.upperBound, with: "<b>" + text[a.upperBound..<b.lowerBound] + "</b>")
                }
                out.append(line.hasPrefix("- ") ? "<p>• \(text.dropFirst(2))</p>" : "<p>\(text)</p>")
            }
        }
        flush()
        return out.joined(separator: "\n")
    }
}

extension HTMLReport {
    /// A K × K heat map of a row-stochastic matrix, rows = true class,
    /// columns = given class, shaded from white (0) to blue (1).
    static func heatMap(title: String, matrix: [[Double]], names: [String]) -> String {
        let k = matrix.count
        guard k > 0 else { return "" }
        let cell = min(44.0, 520.0 / Double(k)), left = 130.0, top = 110.0
        let width = left + cell * Double(k) + 90, height = top + cell * Double(k) + 50
        func short(_ s: String) -> String { s.count > 14 ? String(s.prefix(13)) + "…" : s }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
        svg += "<text x=\"\(left + cell * Double(k) / 2)\" y=\"18\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"600\">\(escape(title))</text>"
        svg += "<text x=\"\(left + cell * Double(k) / 2)\" y=\"40\" text-anchor=\"middle\" font-size=\"12\">given label →</text>"
        svg += "<text transform=\"translate(14 \(top + cell * Double(k) / 2)) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">true label →</text>"
        for i in 0..<k {
            if k <= 20 {
                svg += "<text x=\"\(left - 6)\" y=\"\(top + cell * (Double(i) + 0.5) + 4)\" text-anchor=\"end\" font-size=\"11\">\(escape(short(names[i])))</text>"
                svg += "<text transform=\"translate(\(left + cell * (Double(i) + 0.5)) \(top - 6)) rotate(-40)\" font-size=\"11\">\(escape(short(names[i])))</text>"
            }
            for j in 0..<k {
                // NaN: undefined (a class no item belongs to), grey with "n/a".
                let defined = matrix[i][j].isFinite
                let v = defined ? min(max(matrix[i][j], 0), 1) : 0
                let shade = Int((1 - v) * 255), green = Int(255 - v * (255 - 110))
                let fill = defined ? "rgb(\(shade),\(green),255)" : "#ddd"
                svg += "<rect x=\"\(left + cell * Double(j))\" y=\"\(top + cell * Double(i))\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(fill)\" stroke=\"#fff\"/>"
                if k <= 12 {
                    svg += "<text x=\"\(left + cell * (Double(j) + 0.5))\" y=\"\(top + cell * (Double(i) + 0.5) + 4)\" text-anchor=\"middle\" font-size=\"10\" fill=\"\(v > 0.55 ? "#fff" : "#222")\">\(defined ? String(format: "%.2f", matrix[i][j]) : "n/a")</text>"
                }
            }
        }
        // Colour scale.
        let sx = left + cell * Double(k) + 24
        for t in 0..<20 {
            let v = Double(19 - t) / 19, shade = Int((1 - v) * 255), green = Int(255 - v * (255 - 110))
            svg += "<rect x=\"\(sx)\" y=\"\(top + Double(t) * 8)\" width=\"14\" height=\"8\" fill=\"rgb(\(shade),\(green),255)\"/>"
        }
        svg += "<text x=\"\(sx + 18)\" y=\"\(top + 8)\" font-size=\"11\">1</text><text x=\"\(sx + 18)\" y=\"\(top + 160)\" font-size=\"11\">0</text>"
        return svg + "</svg>"
    }

    /// Horizontal bars: each annotator's estimated accuracy beside the
    /// agreement expected by chance, coloured by flag.
    static func reliability(_ r: AnnotationReport, limit: Int = 30) -> String {
        let workers = Array(r.annotatorsByAccuracy.prefix(limit))
        guard !workers.isEmpty else { return "" }
        let left = 150.0, barArea = 480.0, row = 20.0, top = 50.0
        let height = top + row * Double(workers.count) + 50
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(left + barArea + 170))\" height=\"\(Int(height))\">"
        svg += "<text x=\"\(left + barArea / 2)\" y=\"18\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"600\">Annotator reliability (least accurate first)</text>"
        for (i, w) in workers.enumerated() {
            let acc = r.dawidSkene.accuracy(ofWorker: w), y = top + row * Double(i)
            let flag = r.annotators.flags[w]
            let color = flag == .spammer ? "#ff7f0e" : flag == .adversarial ? "#d62728" : "#1f77b4"
            svg += "<text x=\"\(left - 6)\" y=\"\(y + 14)\" text-anchor=\"end\" font-size=\"11\">\(escape(String(r.answers.workerNames[w].prefix(20))))</text>"
            svg += "<rect x=\"\(left)\" y=\"\(y + 3)\" width=\"\(barArea * min(max(acc, 0), 1))\" height=\"\(row - 6)\" fill=\"\(color)\"/>"
            let chance = r.annotators.chance[w]
            svg += "<line x1=\"\(left + barArea * chance)\" y1=\"\(y + 1)\" x2=\"\(left + barArea * chance)\" y2=\"\(y + row - 1)\" stroke=\"#222\" stroke-width=\"2\"/>"
            svg += "<text x=\"\(left + barArea * min(max(acc, 0), 1) + 4)\" y=\"\(y + 14)\" font-size=\"10\">\(String(format: "%.3f", acc))</text>"
        }
        let axisY = top + row * Double(workers.count) + 4
        svg += "<line x1=\"\(left)\" y1=\"\(axisY)\" x2=\"\(left + barArea)\" y2=\"\(axisY)\" stroke=\"#444\"/>"
        for t in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg += "<text x=\"\(left + barArea * t)\" y=\"\(axisY + 16)\" text-anchor=\"middle\" font-size=\"11\">\(tick(t))</text>"
        }
        svg += "<text x=\"\(left + barArea / 2)\" y=\"\(axisY + 34)\" text-anchor=\"middle\" font-size=\"12\">estimated accuracy (Dawid–Skene)</text>"
        let lx = left + barArea + 20
        for (k, (label, color)) in [("reliable", "#1f77b4"), ("spammer", "#ff7f0e"), ("adversarial", "#d62728")].enumerated() {
            svg += "<rect x=\"\(lx)\" y=\"\(top + Double(k) * 20)\" width=\"14\" height=\"12\" fill=\"\(color)\"/><text x=\"\(lx + 20)\" y=\"\(top + Double(k) * 20 + 11)\" font-size=\"12\">\(label)</text>"
        }
        svg += "<line x1=\"\(lx + 7)\" y1=\"\(top + 60)\" x2=\"\(lx + 7)\" y2=\"\(top + 74)\" stroke=\"#222\" stroke-width=\"2\"/><text x=\"\(lx + 20)\" y=\"\(top + 71)\" font-size=\"12\">chance agreement</text>"
        return svg + "</svg>"
    }

    static func score(labels: LabelIssueReport?, annotations: AnnotationReport?, failures: [String], top: Int = 5) -> String {
        var body = Markdown.score(labels: labels, annotations: annotations, failures: failures, top: top).dropFirst().map(markdownToHTML)
        if let r = labels {
            let k = r.noise.noiseMatrix.count
            let estimated = r.estimatedNoiseMatrix.map { $0 ?? [Double](repeating: .nan, count: k) }
            body.append("<h2>Label noise</h2><p>P(given label | true label), estimated by confident learning\(r.data.trueNoiseMatrix != nil ? ", beside the generator's true matrix" : "").</p>")
            body.append(heatMap(title: "Estimated noise matrix", matrix: estimated, names: r.data.classNames))
            if let truth = r.data.trueNoiseMatrix { body.append(heatMap(title: "True noise matrix", matrix: truth, names: r.data.classNames)) }
        }
        if let r = annotations {
            body.append("<h2>Annotators</h2>")
            body.append(reliability(r))
        }
        return page(title: "synthctl score", body)
    }
}
