import Foundation

/// A progress bar on stderr, shown only when stderr is a terminal and the work
/// has already taken more than a second; silent otherwise (CI logs stay clean).
final class ProgressBar {
    let label: String
    let start = Date()
    let enabled = isatty(2) != 0
    var shown = false

    init(label: String) { self.label = label }

    func update(done: Int, total: Int) {
        guard enabled, Date().timeIntervalSince(start) > 1, total > 0 else { return }
        shown = true
        let width = 30
        let filled = Int(Double(width) * Double(done) / Double(total))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let pct = 100 * Double(done) / Double(total)
        StandardStreams.writeError("\r\(label) \(bar) \(String(format: "%5.1f", pct))%")
    }

    func finish() {
        if shown { StandardStreams.writeError("\r\u{1B}[K") }
    }
}
