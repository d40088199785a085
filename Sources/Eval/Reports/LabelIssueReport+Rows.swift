import SynthctlCore

extension LabelIssueReport {
    /// Every row's verdict, flagged or not, as cleanlab's
    /// `Datalab.get_issues("label")` table gives it: one row per row of the
    /// input, in input order, with the columns
    ///
    /// - `row`: the row's index in the file (0-based; the file's own index
    ///   when rows with missing values were dropped);
    /// - `is_label_issue`: whether the row is flagged (``flags``: the
    ///   `--filter-by` rule, as `cleanlab.filter.find_label_issues`);
    /// - `label_score`: its label-quality score (``scores``: the
    ///   `--rank-by` score, as `cleanlab.rank.get_label_quality_scores`;
    ///   lower is more suspicious);
    /// - `given_label`, `predicted_label`: the label given and the class of
    ///   highest out-of-sample probability (the lowest on an exact tie);
    /// - `true_label`: the ground truth, when the data has it (empty
    ///   where unknown).
    public var rowsTable: ResultTable {
        let names = data.classNames
        let n = data.rows
        var table = ResultTable(rows: n)
        table.append("row", .integer((0..<n).map { data.fileRows?[$0] ?? $0 }))
        table.append("is_label_issue", .boolean(flags))
        table.append("label_score", .real(scores))
        table.append("given_label", .text(data.labels.map { names[Int($0)] }))
        table.append("predicted_label", .text((0..<n).map { names[probabilities.argmax($0)] }))
        if let t = data.truth {
            table.append("true_label", .text(t.map { $0 >= 0 ? names[Int($0)] : "" }))
        }
        return table
    }
}
