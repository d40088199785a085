/// "1 class", "3 classes": a count with its noun in the right number, as
/// summaries, reports and gate messages print counts ("1 classes" and
/// "annotator(s)" read as the machine's, not the reader's, English).
/// `plural` defaults to `singular` + "s".
func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
}

/// "6 features", or "6 features (4 numeric, 1 boolean, 1 categorical)"
/// when some are boolean or categorical: fit and compare count a table's
/// features the same way, and as the column shapes, the compare page's
/// charts and a fitted model type them (a boolean column has two
/// categories there, though the distances read it as 0/1). `numeric`
/// counts the number-valued columns, booleans included (a set's
/// `featureNames`); `boolean` says how many of them are boolean.
func countedFeatures(numeric: Int, boolean: Int = 0, categorical: Int) -> String {
    var kinds = ["\(numeric - boolean) numeric"]
    if boolean > 0 { kinds.append("\(boolean) boolean") }
    if categorical > 0 { kinds.append("\(categorical) categorical") }
    return counted(numeric + categorical, "feature") + (kinds.count == 1 ? "" : " (" + kinds.joined(separator: ", ") + ")")
}
