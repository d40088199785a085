import Synth

/// Annotations in long form — one answer per (item, worker, label) — with
/// dense ids, grouped by item.
///
/// Ids and labels may be any strings. Dense ids follow a fixed order that does
/// not depend on the order of the input rows: numeric order when every id (or
/// label) is an integer, otherwise byte order. Results therefore never depend
/// on how a file happens to be sorted (MACE in crowd-kit, for one, does).
///
/// A worker who answered the same item more than once keeps every answer
/// (majority vote counts them all, as crowd-kit does); `duplicatePairs` says
/// how many such extra answers there are.
public struct AnswerSet: Sendable {
    public let itemNames: [String]
    public let workerNames: [String]
    public let classNames: [String]
    /// Answers sorted by (item, worker, label); `itemStart[t]..<itemStart[t+1]`
    /// are item t's.
    public let item: [Int32], worker: [Int32], label: [Int32]
    public let itemStart: [Int]
    /// Answers beyond the first for the same (item, worker) pair.
    public let duplicatePairs: Int

    public var itemCount: Int { itemNames.count }
    public var workerCount: Int { workerNames.count }
    public var classCount: Int { classNames.count }
    public var answerCount: Int { label.count }

    /// Builds the set from raw answers. `extraClasses` adds label values that
    /// no answer uses (a gold label nobody gave, or a declared class list).
    public init(items: [String], workers: [String], labels: [String], extraClasses: [String] = []) {
        precondition(items.count == workers.count && workers.count == labels.count)
        let itemNames = Self.ordered(Set(items)), workerNames = Self.ordered(Set(workers))
        let classNames = Self.ordered(Set(labels).union(extraClasses))
        let itemID = Dictionary(uniqueKeysWithValues: itemNames.enumerated().map { ($1, Int32($0)) })
        let workerID = Dictionary(uniqueKeysWithValues: workerNames.enumerated().map { ($1, Int32($0)) })
        let classID = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, Int32($0)) })
        var triples = (0..<items.count).map { (itemID[items[$0]]!, workerID[workers[$0]]!, classID[labels[$0]]!) }
        triples.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        self.init(itemNames: itemNames, workerNames: workerNames, classNames: classNames, sorted: triples)
    }

    /// From dense (item, worker, label) triples already sorted by item, then
    /// worker, then label.
    init(itemNames: [String], workerNames: [String], classNames: [String], sorted triples: [(Int32, Int32, Int32)]) {
        self.itemNames = itemNames
        self.workerNames = workerNames
        self.classNames = classNames
        item = triples.map(\.0)
        worker = triples.map(\.1)
        label = triples.map(\.2)
        var start = [Int](repeating: 0, count: itemNames.count + 1)
        for t in item { start[Int(t) + 1] += 1 }
        for t in 0..<itemNames.count { start[t + 1] += start[t] }
        itemStart = start
        var duplicates = 0
        for i in 1..<max(1, triples.count) where triples[i].0 == triples[i - 1].0 && triples[i].1 == triples[i - 1].1 {
            duplicates += 1
        }
        duplicatePairs = duplicates
    }

    /// Numeric order when every value is an integer, byte order otherwise.
    static func ordered(_ values: Set<String>) -> [String] {
        let numbers = values.compactMap { Int($0) }
        if numbers.count == values.count {
            return values.sorted { Int($0)! < Int($1)! }
        }
        return values.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Vote counts of item t: counts[k] answers of class k.
    @inlinable
    public func votes(_ t: Int, into counts: inout [Int]) {
        for k in counts.indices { counts[k] = 0 }
        for a in itemStart[t]..<itemStart[t + 1] { counts[Int(label[a])] += 1 }
    }
}

/// Gold labels for some items: `truth[t]` is a class id or −1.
public struct GoldLabels: Sendable {
    public let truth: [Int32]
    /// Gold rows whose item has no answers (they cannot be scored).
    public let unmatchedItems: Int
    public var knownCount: Int { truth.lazy.filter { $0 >= 0 }.count }
}
