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
    /// - `item`: the item id as given;
    /// - `label`: Dawid–Skene's label (``consensusModel``, the label every
    ///   consensus statistic of the report uses; the lowest class on an
    ///   exact tie);
    /// - `probability`: its posterior probability;
    /// - `proba_<class>`: the posterior of every class, in class order,
    ///   summing to one per row.
    public var itemsTable: ResultTable {
        let n = answers.itemCount, k = answers.classCount
        var table = ResultTable(rows: n)
        table.append("item", .text(answers.itemNames))
        table.append("label", .text(dawidSkene.labels.map { answers.classNames[Int($0)] }))
        table.append("probability", .real((0..<n).map { dawidSkene.posterior[$0 * k + Int(dawidSkene.labels[$0])] }))
        for c in 0..<k {
            table.append("proba_" + answers.classNames[c], .real((0..<n).map { dawidSkene.posterior[$0 * k + c] }))
        }
        return table
    }
}
