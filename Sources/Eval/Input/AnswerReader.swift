import Foundation
import Synth

/// Reads long-form annotations (`item,worker,label`, as crowdsourcing
/// platforms export them) and optional gold labels (`item,truth`).
///
/// The item column may also be called `task` (crowd-kit's name) and the gold
/// column `label`. Item and worker ids must be non-empty; an empty file, a
/// file with a header only, or a worker with no answers is bad input.
/// Labels, given and gold, are spelled canonically (``LabelText``: ` 1`,
/// `1.0` and `01` are one class). A missing label (empty, `NA`, `nan`, …,
/// ``TableCell/missingSpellings``) is refused naming the file, line and
/// column, or with `dropMissing` its answer or gold row is left out and
/// counted (``AnswerSet/droppedAnswers``, ``GoldLabels/droppedRows``). A gold
/// file must give at least one gold label for an item that has answers.
public enum AnswerReader {
    public static func read(answers path: String, gold goldPath: String? = nil,
                            dropMissing: Bool = false) throws -> (AnswerSet, GoldLabels?) {
        var itemIDs = ValueInterner(), workerIDs = ValueInterner(), classIDs = ValueInterner()
        var items = [Int32](), workers = [Int32](), labels = [Int32]()
        var ic = 0, wc = 0, lc = 0
        var header = [String]()
        var droppedAnswers = 0
        let hint = "; --drop-missing drops such rows"
        try CSVTable.stream(path: path, onHeader: { names in
            header = names
            ic = try CSVTable.column(["item", "task"], role: "item ids", header: names, path: path)
            wc = try CSVTable.column(["worker", "annotator"], role: "worker ids", header: names, path: path)
            lc = try CSVTable.column(["label", "answer"], role: "labels", header: names, path: path)
        }) { record in
            if items.isEmpty {
                items.reserveCapacity(record.estimatedRecords)
                workers.reserveCapacity(record.estimatedRecords)
                labels.reserveCapacity(record.estimatedRecords)
            }
            // Ids are Int32: more answers than that could not be numbered.
            guard items.count < Int(Int32.max) else {
                throw SynthError("\(path): line \(record.line): expected at most \(Int32.max) answers, found more")
            }
            let item = record.field(ic), worker = record.field(wc), label = record.field(lc)
            guard !item.isEmpty, !worker.isEmpty else {
                let (c, role) = item.isEmpty ? (ic, "item id") : (wc, "worker id")
                throw SynthError("\(path): line \(record.line): expected a \(role) in column \"\(header[c])\", found an empty field")
            }
            let id: Int32
            switch LabelText.canonical(label) {
            case .same(let r): id = classIDs.id(of: UnsafeBufferPointer(rebasing: label[r]))!
            case .rewritten(let text): id = text.withUnsafeBufferPointer { classIDs.id(of: $0)! }
            case .nul:
                throw SynthError("\(path): line \(record.line), column \"\(header[lc])\": expected a label, found a NUL byte")
            case .missing:
                guard dropMissing else {
                    throw SynthError("\(path): line \(record.line), column \"\(header[lc])\": expected a label, found a missing value (\(TableCell.describe(label)))\(hint)")
                }
                droppedAnswers += 1
                return
            }
            items.append(itemIDs.id(of: item)!)
            workers.append(workerIDs.id(of: worker)!)
            labels.append(id)
        }
        guard !items.isEmpty else {
            throw SynthError("\(path): expected at least one answer, found \(droppedAnswers > 0 ? "none with a label (\(droppedAnswers) dropped)" : "only the header")")
        }
        guard let goldPath else {
            var set = AnswerSet(interned: (itemIDs, items), workers: (workerIDs, workers), labels: (classIDs, labels))
            set.source = path
            set.droppedAnswers = droppedAnswers
            return (set, nil)
        }

        // Gold rows as (answer item id or −1, class id); items seen, with their line.
        var goldRows = [(Int32, Int32)]()
        var firstLine = [Int32: Int](), unmatchedLine = [String: Int]()
        var gi = 0, gt = 0, droppedGold = 0
        var goldHeader = [String]()
        try CSVTable.stream(path: goldPath, onHeader: { names in
            goldHeader = names
            gi = try CSVTable.column(["item", "task"], role: "item ids", header: names, path: goldPath)
            gt = try CSVTable.column(["truth", "label", "gold"], role: "gold labels", header: names, path: goldPath)
        }) { record in
            guard !record.field(gi).isEmpty else {
                throw SynthError("\(goldPath): line \(record.line): expected an item id in column \"\(goldHeader[gi])\", found an empty field")
            }
            let label = record.field(gt)
            let value: Int32
            switch LabelText.canonical(label) {
            case .same(let r): value = classIDs.id(of: UnsafeBufferPointer(rebasing: label[r]))!
            case .rewritten(let text): value = text.withUnsafeBufferPointer { classIDs.id(of: $0)! }
            case .nul:
                throw SynthError("\(goldPath): line \(record.line), column \"\(goldHeader[gt])\": expected a gold label, found a NUL byte")
            case .missing:
                guard dropMissing else {
                    throw SynthError("\(goldPath): line \(record.line), column \"\(goldHeader[gt])\": expected a gold label, found a missing value (\(TableCell.describe(label)))\(hint)")
                }
                droppedGold += 1
                return
            }
            let item = itemIDs.id(of: record.field(gi), insert: false)
            let previous: Int?
            if let item {
                previous = firstLine[item]
                if previous == nil { firstLine[item] = record.line }
            } else {
                previous = unmatchedLine[record.text(gi)]
                if previous == nil { unmatchedLine[record.text(gi)] = record.line }
            }
            if let previous {
                throw SynthError("\(goldPath): line \(record.line): expected one gold label per item, found item \(record.text(gi)) again (first on line \(previous))")
            }
            goldRows.append((item ?? -1, value))
        }
        guard !goldRows.isEmpty else {
            throw SynthError("\(goldPath): expected at least one gold label, found \(droppedGold > 0 ? "none that is not missing (\(droppedGold) dropped)" : "only the header")")
        }
        guard goldRows.contains(where: { $0.0 >= 0 }) else {
            throw SynthError("\(goldPath): expected gold labels for items that have answers in \(path), found none of its \(goldRows.count) items there (item ids are matched as text: \"7\" is not \"7.0\")")
        }
        let itemOrder = itemIDs.orderedRanks(), classOrder = classIDs.orderedRanks()
        var set = AnswerSet(ranked: (itemOrder, items), workers: (workerIDs.orderedRanks(), workers), labels: (classOrder, labels))
        set.source = path
        set.droppedAnswers = droppedAnswers
        let itemRank = itemOrder.rank, classRank = classOrder.rank
        var truth = [Int32](repeating: -1, count: set.itemCount)
        var unmatched = 0
        for (item, value) in goldRows {
            if item >= 0 { truth[Int(itemRank[Int(item)])] = classRank[Int(value)] } else { unmatched += 1 }
        }
        return (set, GoldLabels(truth: truth, unmatchedItems: unmatched, droppedRows: droppedGold))
    }
}

extension AnswerReader {
    /// Reads a synthctl dataset directory's annotations: `annotations.npy`
    /// (items × annotators, −1 where missing) as the answers, `true_labels.npy`
    /// as gold, and each annotator's true confusion matrix from
    /// `manifest.json` when it is there. Items are row numbers, workers
    /// column numbers, labels class ids.
    public static func read(datasetDirectory dir: String) throws -> (AnswerSet, GoldLabels?, [[[Double]]]?) {
        let matrix = try NpyArray(path: "\(dir)/annotations.npy")
        guard matrix.shape.count == 2 else {
            throw SynthError("\(dir)/annotations.npy: expected items × annotators (2 dimensions), found shape \(matrix.shape)")
        }
        let n = matrix.rows, a = matrix.columns
        // Items and annotators are Int32 ids in an AnswerSet.
        guard n <= Int(Int32.max), a <= Int(Int32.max) else {
            throw SynthError("\(dir)/annotations.npy: expected at most \(Int32.max) items and annotators, found shape \(matrix.shape)")
        }
        var items = [Int32](), workers = [Int32](), labels = [Int32]()
        var perWorker = [Int](repeating: 0, count: a)
        for t in 0..<n {
            for w in 0..<a {
                let v = matrix.values[t * a + w]
                if v == -1 { continue }
                guard v >= 0, v == v.rounded(), v <= Double(Int32.max) else {
                    throw SynthError("\(dir)/annotations.npy: row \(t), column \(w): expected a class id or −1, found \(v)")
                }
                items.append(Int32(t)); workers.append(Int32(w)); labels.append(Int32(v))
                perWorker[w] += 1
            }
        }
        if let idle = perWorker.firstIndex(of: 0) {
            throw SynthError("\(dir)/annotations.npy: column \(idle): expected an annotator with at least one label, found none")
        }
        var truth: [Int32]? = nil
        if FileManager.default.fileExists(atPath: "\(dir)/true_labels.npy") {
            let array = try NpyArray(path: "\(dir)/true_labels.npy")
            guard array.values.count == n else {
                throw SynthError("\(dir)/true_labels.npy: expected \(n) labels (one per row of annotations.npy), found \(array.values.count)")
            }
            truth = try array.values.enumerated().map { t, v in
                guard v.isFinite, v == v.rounded(), v >= 0, v <= Double(Int32.max) else {
                    throw SynthError("\(dir)/true_labels.npy: row \(t): expected a class id (an integer ≥ 0), found \(v)")
                }
                return Int32(v)
            }
        }
        var trueConfusion: [[[Double]]]? = nil
        if let data = FileManager.default.contents(atPath: "\(dir)/manifest.json"),
           let manifest = try? JSONDecoder().decode(JSONValue.self, from: data),
           case .object(let o) = manifest, case .array(let pool)? = o["annotators"] {
            trueConfusion = pool.compactMap { entry -> [[Double]]? in
                guard case .object(let e) = entry, case .array(let rows)? = e["confusion_matrix"] else { return nil }
                return rows.compactMap { row -> [Double]? in
                    guard case .array(let xs) = row else { return nil }
                    return xs.compactMap { if case .double(let d) = $0 { return d }; if case .int(let i) = $0 { return Double(i) }; return nil }
                }
            }
        }
        // A synthetic pool's ids index its confusion matrices' K classes;
        // otherwise classes are the distinct ids given (one stray 10⁹ is one
        // class, not a billion).
        let top = Int(max(labels.max() ?? 0, truth?.max() ?? 0))
        let classNames: [String]
        if let k = trueConfusion?.first?.count, k > top {
            classNames = (0..<k).map(String.init)
        } else {
            let classes = ClassIds([labels] + (truth.map { [$0] } ?? []))
            labels = labels.map { classes($0) }
            truth = truth.map { $0.map { classes($0) } }
            classNames = classes.names
        }
        let gold = truth.map { GoldLabels(truth: $0, unmatchedItems: 0) }
        var set = AnswerSet(itemNames: (0..<n).map(String.init), workerNames: (0..<a).map(String.init),
                            classNames: classNames, item: items, worker: workers, label: labels)
        set.source = "\(dir)/annotations.npy"
        return (set, gold, trueConfusion)
    }
}
