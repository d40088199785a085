/// What actually happened while generating: integer counts, so merging blocks
/// in any grouping gives the same totals.
public struct RealizedStatistics: Sendable, Equatable {
    public let classes: Int
    public let annotators: Int
    /// transitions[true·K + observed]: rows per (true, observed) label pair.
    public var transitions: [Int]
    /// answers[(annotator·K + true)·K + answer].
    public var answers: [Int]

    public init(classes: Int, annotators: Int) {
        self.classes = classes
        self.annotators = annotators
        transitions = [Int](repeating: 0, count: classes * classes)
        answers = [Int](repeating: 0, count: annotators * classes * classes)
    }

    mutating func add(_ other: RealizedStatistics) {
        for i in transitions.indices { transitions[i] += other.transitions[i] }
        for i in answers.indices { answers[i] += other.answers[i] }
    }

    public var rows: Int { transitions.reduce(0, +) }
    public var flipped: Int { rows - (0..<classes).reduce(0) { $0 + transitions[$1 * classes + $1] } }
    public var noiseRate: Double { rows > 0 ? Double(flipped) / Double(rows) : 0 }

    /// The realized transition matrix: row i is the distribution of observed
    /// labels among rows whose true label is i.
    public var transitionMatrix: [[Double]] {
        (0..<classes).map { i in
            let row = Array(transitions[(i * classes)..<((i + 1) * classes)])
            let n = row.reduce(0, +)
            return row.map { n > 0 ? Double($0) / Double(n) : 0 }
        }
    }

    public func annotatorLabels(_ a: Int) -> Int {
        answers[(a * classes * classes)..<((a + 1) * classes * classes)].reduce(0, +)
    }

    public func annotatorAccuracy(_ a: Int) -> Double {
        let n = annotatorLabels(a)
        let correct = (0..<classes).reduce(0) { $0 + answers[(a * classes + $1) * classes + $1] }
        return n > 0 ? Double(correct) / Double(n) : .nan
    }
}
