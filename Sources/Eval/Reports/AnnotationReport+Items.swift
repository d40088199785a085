import SynthctlCore

extension AnnotationReport {
    /// The model whose labels are the run's consensus, as ``itemsTable``
    /// names it.
    public static let consensusModel = "Dawid–Skene"

    /// The consensus per item, as crowd-kit gives it (`labels_` and
    /// `probas_` of its `DawidSkene`): one row per item, in the answers'
    /// item order (numeric order when every item id is a decimal number,
    /// byte order otherwise; ``AnswerSet``), with the columns
    ///
    /// - the item id, under the name of the answers table's item column
    ///   (``AnswerSet/itemColumn``: `item`, crowd-kit's `task`, or the
    ///   `--item-column` given) so that the table joins back onto the
    ///   user's data; `item` for answers not read from a table, or when
    ///   that name is one of the other columns' names;
    /// - `label`: Dawid–Skene's label (``consensusModel``, the label every
    ///   consensus statistic of the report uses; the lowest class on an
    ///   exact tie);
    ///
    /// Item ids and labels are integers when every one is spelled as an
    /// integer, text otherwise (``ResultTable/Column/identifiers(_:)``,
    /// ``ResultTable/Column/labels(_:classNames:)``): pandas then merges
    /// the table onto an int64 id column as it is.
    /// - `probability`: its posterior probability;
    /// - `proba_<class>`: the posterior of every class, in class order,
    ///   summing to one per row.
    public var itemsTable: ResultTable {
        let n = answers.itemCount, k = answers.classCount
        var table = ResultTable(rows: n)
        let probabilityNames = answers.classNames.map { "proba_" + $0 }
        let itemColumn = answers.itemColumn.flatMap { (["label", "probability"] + probabilityNames).contains($0) ? nil : $0 } ?? "item"
        table.append(itemColumn, .identifiers(answers.itemNames))
        table.append("label", .labels(dawidSkene.labels.map { Int($0) }, classNames: answers.classNames))
        table.append("probability", .real((0..<n).map { dawidSkene.posterior[$0 * k + Int(dawidSkene.labels[$0])] }))
        for c in 0..<k {
            table.append(probabilityNames[c], .real((0..<n).map { dawidSkene.posterior[$0 * k + c] }))
        }
        return table
    }
}
