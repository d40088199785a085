/// "1 class", "3 classes": a count with its noun in the right number, as
/// summaries, reports and gate messages print counts ("1 classes" and
/// "annotator(s)" read as the machine's, not the reader's, English).
/// `plural` defaults to `singular` + "s".
func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
}

/// "6 features", or "6 features (5 numeric, 1 categorical)" when some are
/// categorical: fit and compare count a table's features the same way
/// (a boolean column is numeric, 0/1, in both).
func countedFeatures(numeric: Int, categorical: Int) -> String {
    counted(numeric + categorical, "feature") + (categorical == 0 ? "" : " (\(numeric) numeric, \(categorical) categorical)")
}
