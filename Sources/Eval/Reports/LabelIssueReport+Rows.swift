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
    ///
    /// The labels are integers when every class name is spelled as an
    /// integer (and, for `true_label`, none is unknown), text otherwise
    /// (``ResultTable/Column/labels(_:classNames:)``), so that pandas reads
    /// them with the dtype of the user's own label column.
    public var rowsTable: ResultTable {
        let names = data.classNames
        let n = data.rows
        var table = ResultTable(rows: n)
        table.append("row", .integer((0..<n).map { data.fileRows?[$0] ?? $0 }))
        table.append("is_label_issue", .boolean(flags))
        table.append("label_score", .real(scores))
        table.append("given_label", .labels(data.labels.map { Int($0) }, classNames: names))
        table.append("predicted_label", .labels((0..<n).map { probabilities.argmax($0) }, classNames: names))
        if let t = data.truth {
            table.append("true_label", .labels(t.map { Int($0) }, classNames: names))
        }
        return table
    }

    /// The flagged rows only, most suspicious first: ``issuesCSV``'s
    /// columns (`row`, `given_label`, `predicted_label`, the `--rank-by`
    /// score, `true_label` when known) as a table, for `--issues` named
    /// `.tsv`, `.jsonl` or `.parquet`.
    public var issuesTable: ResultTable {
        let names = data.classNames
        var table = ResultTable(rows: ranked.count)
        table.append("row", .integer(ranked.map { data.fileRows?[$0] ?? $0 }))
        table.append("given_label", .labels(ranked.map { Int(data.labels[$0]) }, classNames: names))
        table.append("predicted_label", .labels(ranked.map { probabilities.argmax($0) }, classNames: names))
        table.append(parameters.rankBy.rawValue, .real(ranked.map { scores[$0] }))
        if let t = data.truth {
            table.append("true_label", .labels(ranked.map { Int(t[$0]) }, classNames: names))
        }
        return table
    }
}
