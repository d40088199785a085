import Synth
import SynthctlCore

/// Annotations in long form — one answer per (item, worker, label) — with
/// dense ids, grouped by item.
///
/// Ids and labels may be any strings, equal only when their bytes are.
/// Dense ids follow a fixed order that does not depend on the order of the
/// input rows: numeric order when every id (or label) is a decimal number,
/// otherwise byte order (``LabelOrder``), or for labels the order the user
/// gave (``classOrderGiven``). Results therefore never depend on how a file
/// happens to be sorted (MACE in crowd-kit, for one, does).
///
/// A worker who answered the same item more than once keeps every answer
/// (majority vote, Fleiss' κ, Krippendorff's α and the aggregation models
/// count them all, as crowd-kit does; Cohen's κ, which needs one answer per
/// rater and item, takes the smallest label, ``CohenKappa``);
/// `duplicatePairs` says how many such extra answers there are.
public struct AnswerSet: Sendable {
    public let itemNames: [String]
    public let workerNames: [String]
    public let classNames: [String]
    /// Answers sorted by (item, worker, label); `itemStart[t]..<itemStart[t+1]`
    /// are item t's.
    public let item: [Int32], worker: [Int32], label: [Int32]
    public let itemStart: [Int]
    /// The answers again, by worker: `byWorker[workerStart[w]..<workerStart[w+1]]`
    /// are the indices of worker w's answers, in item order (what the M-steps
    /// of the aggregation models walk).
    public let workerStart: [Int], byWorker: [Int32]
    /// Answers beyond the first for the same (item, worker) pair.
    public let duplicatePairs: Int
    /// Where the answers came from, for messages: the file, or "answers"
    /// for a set built in memory.
    public internal(set) var source = "answers"
    /// True when the class order was given by the user (a label order),
    /// not derived from the labels: ordinal statistics may then use it
    /// whatever the labels' spelling.
    public internal(set) var classOrderGiven = false
    /// True when that order is the one the answers' file declares (a
    /// Parquet ordered dictionary, ``DeclaredClassOrder``), not the user's.
    public internal(set) var classOrderDeclared = false
    /// Set when the answers' file declares an ordered dictionary whose
    /// order it does not keep (one of integers: ``DeclaredClassOrder``):
    /// what the file declares, in words, naming the column. The
    /// labels then take numeric order, which ordinal α must not take for
    /// the declared one.
    public internal(set) var unkeptClassOrder: String? = nil

    /// ``unkeptClassOrder`` in a sentence naming the file, for messages
    /// ("an ordered dictionary of integers in column "label" of a.parquet, whose order Parquet does not keep (…)").
    public var unkeptClassOrderDescription: String? {
        unkeptClassOrder.map { "\($0) of \(source), \(DeclaredClassOrder.notKept)" }
    }
    /// Answers left out because their label was missing (read with `dropMissing`).
    public internal(set) var droppedAnswers = 0
    /// What reading left out that the run should say (answers whose label
    /// is −1, no label: ``NoLabel``), in words, without the file's name.
    public internal(set) var readingNotes: [String] = []
    /// Annotators left out because they gave no answer at all (columns of
    /// a dataset's `annotations.npy` holding only −1), by name.
    public internal(set) var workersWithoutAnswers: [String] = []
    /// The columns read from an answers table (item, worker, label), with
    /// their types, for reports (``schema(columns:ids:classNames:missingLabels:)``);
    /// nil for answers not read from a table.
    public internal(set) var schema: TableSchema? = nil
    /// The header of the answers table's item id column (`item`,
    /// crowd-kit's `task`, or the `--item-column` given), so that per-item
    /// results carry the name the user's data has
    /// (``AnnotationReport/itemsTable``); nil for answers not read from a
    /// table (a dataset's `annotations.npy`, a table's annotator columns).
    public internal(set) var itemColumn: String? = nil

    public var itemCount: Int { itemNames.count }
    public var workerCount: Int { workerNames.count }
    public var classCount: Int { classNames.count }
    public var answerCount: Int { label.count }

    /// Builds the set from raw answers. `extraClasses` adds label values that
    /// no answer uses (a gold label nobody gave, or a declared class list).
    public init(items: [String], workers: [String], labels: [String], extraClasses: [String] = []) {
        precondition(items.count == workers.count && workers.count == labels.count)
        var itemIDs = ValueInterner(), workerIDs = ValueInterner(), classIDs = ValueInterner()
        let item = items.map { itemIDs.id(of: $0)! }, worker = workers.map { workerIDs.id(of: $0)! }
        let label = labels.map { classIDs.id(of: $0)! }
        for extra in extraClasses { _ = classIDs.id(of: extra) }
        self.init(interned: (itemIDs, item), workers: (workerIDs, worker), labels: (classIDs, label))
    }

    /// From per-answer ids in first-seen order: renumbers every id into the
    /// set's fixed order (``ValueInterner/orderedRanks()``), then groups.
    init(interned items: (ValueInterner, [Int32]), workers: (ValueInterner, [Int32]), labels: (ValueInterner, [Int32])) {
        self.init(ranked: (items.0.orderedRanks(), items.1), workers: (workers.0.orderedRanks(), workers.1),
                  labels: (labels.0.orderedRanks(), labels.1))
    }

    typealias Ranked = (order: (rank: [Int32], names: [String]), ids: [Int32])

    /// From per-answer first-seen ids and their ranks (for callers that need
    /// the ranks again, as the gold reader does). `threads` renumber and sort
    /// (the set is the same for any number).
    init(ranked items: Ranked, workers: Ranked, labels: Ranked, threads: Int = Parallel.coreCount) {
        self.init(itemNames: items.order.names, workerNames: workers.order.names, classNames: labels.order.names,
                  item: Self.renumbered(items.ids, by: items.order.rank, threads: threads),
                  worker: Self.renumbered(workers.ids, by: workers.order.rank, threads: threads),
                  label: Self.renumbered(labels.ids, by: labels.order.rank, threads: threads), threads: threads)
    }

    /// Answers a thread takes at least, in the passes split among threads
    /// (fewer are not worth waking a thread for).
    static let answersPerThread = 1 << 16

    /// From dense ids in any order: answers are grouped by item with a
    /// counting sort (linear in the answers), then each item's answers are
    /// sorted by (worker, label), items split among `threads`.
    init(itemNames: [String], workerNames: [String], classNames: [String], item: [Int32], worker: [Int32], label: [Int32],
         threads: Int = Parallel.coreCount) {
        self.itemNames = itemNames
        self.workerNames = workerNames
        self.classNames = classNames
        let n = itemNames.count, count = item.count
        precondition(worker.count == count && label.count == count, "one worker and one label per answer")
        // Over raw buffers, each output written once (no zero fill first):
        // a file of millions of answers spends its reading time here otherwise.
        var start = [Int]()
        var key = item.withUnsafeBufferPointer { item in
            worker.withUnsafeBufferPointer { worker in
                label.withUnsafeBufferPointer { label in
                    // worker << 32 | label, grouped by item: every slot is written once.
                    [Int64](unsafeUninitializedCapacity: count) { key, initialized in
                        start = Self.countingSort(item, groups: n, threads: threads) { a, position in
                            key.initializeElement(at: position, to: Int64(worker[a]) << 32 | Int64(UInt32(bitPattern: label[a])))
                        }
                        initialized = count
                    }
                }
            }
        }
        // Items in parts of about equal answers, one per thread: each sorts
        // its items' keys and writes their rows of the three columns, which
        // no other part touches, and counts its duplicates.
        let parts = max(1, min(threads, count / Self.answersPerThread))
        let partStarts = (0...parts).map { p in
            guard p < parts else { return n }
            // The first item whose answers start at or after p/parts of them (binary search on `start`).
            var low = 0, high = n
            while low < high {
                let middle = (low + high) / 2
                if start[middle] < p * count / parts { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var partDuplicates = [Int](repeating: 0, count: parts)
        var sortedItem = [Int32](), sortedWorker = [Int32](), sortedLabel = [Int32]()
        key.withUnsafeMutableBufferPointer { key in
            let key = key
            sortedItem = [Int32](unsafeUninitializedCapacity: count) { sortedItem, itemsWritten in
                sortedWorker = [Int32](unsafeUninitializedCapacity: count) { sortedWorker, workersWritten in
                    sortedLabel = [Int32](unsafeUninitializedCapacity: count) { sortedLabel, labelsWritten in
                        let (sortedItem, sortedWorker, sortedLabel) = (sortedItem, sortedWorker, sortedLabel)
                        partDuplicates.withUnsafeMutableBufferPointer { partDuplicates in
                            let partDuplicates = partDuplicates
                            Parallel.forEach(parts, threads: threads) { part in
                                // One pass per item: sort its keys, then write the three columns.
                                var duplicates = 0
                                for t in partStarts[part]..<partStarts[part + 1] {
                                    let range = start[t]..<start[t + 1]
                                    if range.count <= 32 {
                                        // Insertion sort: items have a handful of answers.
                                        for a in range.dropFirst() {
                                            let x = key[a]
                                            var b = a
                                            while b > range.lowerBound, key[b - 1] > x { key[b] = key[b - 1]; b -= 1 }
                                            key[b] = x
                                        }
                                    } else {
                                        var group = UnsafeMutableBufferPointer(rebasing: key[range])
                                        group.sort()
                                    }
                                    for a in range {
                                        sortedItem.initializeElement(at: a, to: Int32(t))
                                        sortedWorker.initializeElement(at: a, to: Int32(truncatingIfNeeded: key[a] >> 32))
                                        sortedLabel.initializeElement(at: a, to: Int32(truncatingIfNeeded: key[a]))
                                        if a > range.lowerBound, key[a] >> 32 == key[a - 1] >> 32 { duplicates += 1 }
                                    }
                                }
                                partDuplicates[part] = duplicates
                            }
                        }
                        labelsWritten = count
                    }
                    workersWritten = count
                }
                itemsWritten = count
            }
        }
        self.item = sortedItem
        self.worker = sortedWorker
        self.label = sortedLabel
        itemStart = start
        duplicatePairs = partDuplicates.reduce(0, +)
        var wStart = [Int]()
        byWorker = self.worker.withUnsafeBufferPointer { worker in
            [Int32](unsafeUninitializedCapacity: count) { order, initialized in
                wStart = Self.countingSort(worker, groups: workerNames.count, threads: threads) { a, position in
                    order.initializeElement(at: position, to: Int32(a))
                }
                initialized = count
            }
        }
        workerStart = wStart
    }

    /// `rank[id]` for each of `ids`, in one allocation written once
    /// (`Array.map` grows its result an element at a time).
    static func renumbered(_ ids: [Int32], by rank: [Int32], threads: Int = Parallel.coreCount) -> [Int32] {
        ids.withUnsafeBufferPointer { ids in
            rank.withUnsafeBufferPointer { rank in
                [Int32](unsafeUninitializedCapacity: ids.count) { out, initialized in
                    let parts = max(1, min(threads, ids.count / answersPerThread))
                    Parallel.forEach(parts, threads: threads) { part in
                        for a in Parallel.range(part, of: parts, count: ids.count) {
                            let id = Int(ids[a])
                            precondition(id >= 0 && id < rank.count, "an id that has a rank")
                            out.initializeElement(at: a, to: rank[id])
                        }
                    }
                    initialized = ids.count
                }
            }
        }
    }

    /// A stable counting sort of the answers by group (`ids[a]`, each in
    /// `0..<groups`): `place(a, position)` is called once for every answer
    /// with its position in the grouped order (groups in id order, each
    /// group's answers in answer order); returns where each group starts,
    /// `groups + 1` offsets, the last `ids.count`.
    ///
    /// The answers are split into up to `threads` parts of at least
    /// ``answersPerThread``: each part counts its answers per group, and
    /// then places them after the groups before theirs and after the same
    /// group's answers in earlier parts, on a thread of its own. The
    /// positions are therefore those of one pass in answer order, for any
    /// number of threads. Why: on 500,000 answers the two passes of one
    /// thread (grouping by item, then by worker) took 6–7 ms of the 45–65
    /// ms that `score` spends reading its input on a 2-vCPU EPYC, most of it
    /// in page faults of the arrays written, which two threads share.
    /// `place` runs on several threads at once, for distinct answers and positions.
    @inline(__always)
    static func countingSort(_ ids: UnsafeBufferPointer<Int32>, groups: Int, threads: Int,
                             _ place: (_ answer: Int, _ position: Int) -> Void) -> [Int] {
        let count = ids.count
        let parts = max(1, min(threads, count / answersPerThread))
        // Part p's count of group g, then its next position there: next[p * groups + g].
        var next = [Int](repeating: 0, count: parts * groups)
        var start = [Int](repeating: 0, count: groups + 1)
        next.withUnsafeMutableBufferPointer { next in
            let next = next.baseAddress!
            Parallel.forEach(parts, threads: threads) { p in
                let counts = next + p * groups
                for a in Parallel.range(p, of: parts, count: count) {
                    let t = Int(ids[a])
                    precondition(t >= 0 && t < groups, "an id within its groups")
                    counts[t] += 1
                }
            }
            start.withUnsafeMutableBufferPointer { start in
                var position = 0
                for t in 0..<groups {
                    start[t] = position
                    for p in 0..<parts {
                        let n = next[p * groups + t]
                        next[p * groups + t] = position
                        position += n
                    }
                }
                start[groups] = position
            }
            Parallel.forEach(parts, threads: threads) { p in
                let positions = next + p * groups
                for a in Parallel.range(p, of: parts, count: count) {
                    let t = Int(ids[a])
                    place(a, positions[t])
                    positions[t] += 1
                }
            }
        }
        return start
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
    /// Gold rows left out because their label was missing (read with `dropMissing`).
    public var droppedRows = 0
    /// What reading left out that the run should say (gold rows whose
    /// label is −1, no label: ``NoLabel``), in words, without the file's name.
    public internal(set) var readingNotes: [String] = []
    /// The columns read from a gold table (item, label), as ``AnswerSet/schema``.
    public internal(set) var schema: TableSchema? = nil
    public var knownCount: Int { truth.lazy.filter { $0 >= 0 }.count }
}

extension AnswerSet {
    /// The schema of an answers or gold table: its id columns (item, and
    /// worker for answers) then its label column, named as the file names
    /// them (`columns`, in that order). An id column whose every id
    /// (`ids`, one list per id column) is an integer is ``ColumnType/integer``;
    /// any other is ``ColumnType/categorical(categories:)`` with its
    /// categories left out: ids name items and people, they are not classes
    /// to encode, and a million of them would swamp a report. The label
    /// column is categorical, its categories the class names. Ids are never
    /// missing (a missing id is refused); `missingLabels` labels were.
    /// `integers[i]` true says that id column i is known to hold integers
    /// only (its interner's: ``ValueInterner/onlyCanonicalIntegers``), so
    /// its ids need no second look.
    static func schema(columns: [String], ids: [[String]], integers: [Bool] = [], classNames: [String], missingLabels: Int) -> TableSchema? {
        guard columns.count == ids.count + 1 else { return nil }
        let idColumns = zip(columns, ids).enumerated().map { i, column in
            let integer = i < integers.count && integers[i] || column.1.allSatisfy(LabeledFeatures.isIntegerSpelling)
            return TableSchema.Column(name: column.0, type: integer ? .integer : .categorical(categories: []), missing: 0)
        }
        return TableSchema(columns: idColumns + [TableSchema.Column(name: columns[ids.count], type: .categorical(categories: classNames),
                                                                     missing: missingLabels)])
    }

    /// The schema of a wide answer matrix, items × annotators (a dataset's
    /// `annotations.npy`, or the `annotator_<a>` columns of a table `gen`
    /// wrote): one categorical column per annotator in `annotators`, named
    /// `annotator_<a>` as `gen`'s tables name them, so that both forms of
    /// one dataset report the same schema; its categories the class names,
    /// its missing cells the `items` that annotator did not label
    /// (`answered[a]`: the answers it gave).
    static func wideSchema(annotators: [Int], answered: [Int], items: Int, classNames: [String]) -> TableSchema {
        TableSchema(columns: annotators.map { a in
            TableSchema.Column(name: "annotator_\(a)", type: .categorical(categories: classNames), missing: items - answered[a])
        })
    }

    /// The schema of the gold labels beside a wide answer matrix (a
    /// dataset's `true_labels.npy`, a table's `true_label` column): the
    /// categorical column `true_label`, `missing` of its cells missing.
    static func trueLabelSchema(classNames: [String], missing: Int) -> TableSchema {
        TableSchema(columns: [TableSchema.Column(name: "true_label", type: .categorical(categories: classNames), missing: missing)])
    }
}
