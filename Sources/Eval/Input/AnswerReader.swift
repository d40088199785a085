import Foundation
import Synth

/// Reads long-form annotations (`item,worker,label`, as crowdsourcing
/// platforms export them) and optional gold labels (`item,truth`).
///
/// The item column may also be called `task` (crowd-kit's name) and the gold
/// column `label`. Every value must be non-empty; an empty file, a file with a
/// header only, or a worker with no answers is bad input.
public enum AnswerReader {
    public static func read(answers path: String, gold goldPath: String? = nil) throws -> (AnswerSet, GoldLabels?) {
        let table = try CSVTable(path: path)
        let ic = try table.column(["item", "task"], role: "item ids")
        let wc = try table.column(["worker", "annotator"], role: "worker ids")
        let lc = try table.column(["label", "answer"], role: "labels")
        guard !table.records.isEmpty else { throw SynthError("\(path): expected at least one answer, found only the header") }
        var items = [String](), workers = [String](), labels = [String]()
        items.reserveCapacity(table.records.count)
        workers.reserveCapacity(table.records.count)
        labels.reserveCapacity(table.records.count)
        for (r, record) in table.records.enumerated() {
            for (c, role) in [(ic, "item id"), (wc, "worker id"), (lc, "label")] where record[c].isEmpty {
                throw SynthError("\(path): line \(table.lines[r]): expected a \(role) in column \"\(table.header[c])\", found an empty field")
            }
            items.append(record[ic]); workers.append(record[wc]); labels.append(record[lc])
        }
        guard let goldPath else { return (AnswerSet(items: items, workers: workers, labels: labels), nil) }

        let goldTable = try CSVTable(path: goldPath)
        let gi = try goldTable.column(["item", "task"], role: "item ids")
        let gt = try goldTable.column(["truth", "label", "gold"], role: "gold labels")
        var goldPairs = [(String, String)]()
        var seen = [String: Int]()
        for (r, record) in goldTable.records.enumerated() {
            guard !record[gi].isEmpty, !record[gt].isEmpty else {
                throw SynthError("\(goldPath): line \(goldTable.lines[r]): expected an item id and a gold label, found an empty field")
            }
            if let first = seen[record[gi]] {
                throw SynthError("\(goldPath): line \(goldTable.lines[r]): expected one gold label per item, found item \(record[gi]) again (first on line \(first))")
            }
            seen[record[gi]] = goldTable.lines[r]
            goldPairs.append((record[gi], record[gt]))
        }
        let set = AnswerSet(items: items, workers: workers, labels: labels, extraClasses: goldPairs.map(\.1))
        let itemID = Dictionary(uniqueKeysWithValues: set.itemNames.enumerated().map { ($1, $0) })
        let classID = Dictionary(uniqueKeysWithValues: set.classNames.enumerated().map { ($1, Int32($0)) })
        var truth = [Int32](repeating: -1, count: set.itemCount)
        var unmatched = 0
        for (item, value) in goldPairs {
            if let t = itemID[item] { truth[t] = classID[value]! } else { unmatched += 1 }
        }
        return (set, GoldLabels(truth: truth, unmatchedItems: unmatched))
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
        var classes = 0
        var triples = [(Int32, Int32, Int32)]()
        var perWorker = [Int](repeating: 0, count: a)
        for t in 0..<n {
            for w in 0..<a {
                let v = matrix.values[t * a + w]
                if v < 0 { continue }
                guard v == v.rounded(), v < 1_073_741_824 else {
                    throw SynthError("\(dir)/annotations.npy: row \(t), column \(w): expected a class id or −1, found \(v)")
                }
                triples.append((Int32(t), Int32(w), Int32(v)))
                perWorker[w] += 1
                classes = max(classes, Int(v) + 1)
            }
        }
        if let idle = perWorker.firstIndex(of: 0) {
            throw SynthError("\(dir)/annotations.npy: column \(idle): expected an annotator with at least one label, found none")
        }
        var gold: GoldLabels? = nil
        if FileManager.default.fileExists(atPath: "\(dir)/true_labels.npy") {
            let truth = try NpyArray(path: "\(dir)/true_labels.npy")
            guard truth.rows == n else {
                throw SynthError("\(dir)/true_labels.npy: expected \(n) labels (one per row of annotations.npy), found \(truth.rows)")
            }
            classes = max(classes, Int(truth.values.max() ?? 0) + 1)
            gold = GoldLabels(truth: truth.values.map { Int32($0) }, unmatchedItems: 0)
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
            if let c = trueConfusion, let first = c.first { classes = max(classes, first.count) }
        }
        let set = AnswerSet(itemNames: (0..<n).map(String.init), workerNames: (0..<a).map(String.init),
                            classNames: (0..<classes).map(String.init), sorted: triples)
        return (set, gold, trueConfusion)
    }
}
