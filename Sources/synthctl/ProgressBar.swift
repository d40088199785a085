import Foundation
import SynthctlCore

/// A progress bar on stderr, shown only when stderr is a terminal and the work
/// has already taken more than a second; silent otherwise (CI logs and pipes
/// stay clean) and under `--quiet` (``ProgressOption``).
///
/// `gen` moves it by rows written (``update(done:total:)``); the evaluation
/// commands hand ``workProgress`` to the libraries, which report each
/// finished unit of a stage (folds, iterations, curve points, generations,
/// a comparison's stages), and the bar shows the stage and its share done.
/// Thread-safe: parallel workers report from their own threads.
final class ProgressBar: @unchecked Sendable {
    let label: String
    let start = Date()
    let enabled: Bool
    private var shown = false
    private let lock = NSLock()
    private var stage = "", stageDone = 0

    init(label: String, quiet: Bool = false) {
        self.label = label
        enabled = !quiet && isatty(2) != 0
    }

    func update(done: Int, total: Int) {
        lock.lock(); defer { lock.unlock() }
        draw(label, done: done, total: total)
    }

    /// Progress for a library: each step counts one unit of its stage (a
    /// new stage starts the count again). Silent when the bar is.
    var workProgress: WorkProgress {
        guard enabled else { return .silent }
        return WorkProgress { [self] stage, total in
            lock.lock(); defer { lock.unlock() }
            if stage != self.stage { self.stage = stage; stageDone = 0 }
            stageDone += 1
            draw("\(label): \(stage)", done: min(stageDone, total), total: total)
        }
    }

    /// Caller holds the lock.
    private func draw(_ text: String, done: Int, total: Int) {
        guard enabled, Date().timeIntervalSince(start) > 1, total > 0 else { return }
        shown = true
        let width = 30
        let filled = Int(Double(width) * Double(done) / Double(total))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let pct = 100 * Double(done) / Double(total)
        StandardStreams.writeError("\r\u{1B}[K\(text) \(bar) \(String(format: "%5.1f", pct))%")
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown { StandardStreams.writeError("\r\u{1B}[K") }
        shown = false
    }
}
