/// Wall-clock laps for the `--timings` breakdown of a report's stages.
public struct Stopwatch: Sendable {
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant
    public private(set) var laps: [(stage: String, seconds: Double)] = []

    public init() { last = clock.now }

    /// Records the time since the previous lap (or the start) under `stage`.
    public mutating func lap(_ stage: String) {
        let now = clock.now
        let d = (now - last).components
        laps.append((stage, Double(d.seconds) + Double(d.attoseconds) * 1e-18))
        last = now
    }
}
