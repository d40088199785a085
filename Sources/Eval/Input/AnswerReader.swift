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
