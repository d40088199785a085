extension FidelityReport {
    /// The notes for what the holdout has and the training rows do not, one
    /// per kind (empty when nothing): classes, left out of utility
    /// (``holdoutOnlyClasses``), and categories, which category coverage
    /// and unseen categories do not count (``holdoutOnlyCategories``).
    ///
    ///     the human holdout has classes the training rows do not: delta; their rows are left out of utility (TSTR/TRTR): no model trained on the training rows can predict them
    ///     the human holdout has categories the training rows do not: region: central; category coverage and unseen categories count against the training rows' categories
    public var holdoutOnlyNotes: [String] {
        var notes = [String]()
        if !holdoutOnlyClasses.isEmpty {
            notes.append("the human holdout has \(holdoutOnlyClasses.count == 1 ? "a class" : "classes") the training rows do not: \(NameList.describe(holdoutOnlyClasses, noun: "classes")); "
                         + "\(holdoutOnlyClasses.count == 1 ? "its" : "their") rows are left out of utility (TSTR/TRTR): no model trained on the training rows can predict \(holdoutOnlyClasses.count == 1 ? "it" : "them")")
        }
        if !holdoutOnlyCategories.isEmpty {
            let count = holdoutOnlyCategories.map(\.categories.count).reduce(0, +)
            let list = holdoutOnlyCategories.map { "\($0.column): \(NameList.describe($0.categories, noun: "categories"))" }.joined(separator: "; ")
            notes.append("the human holdout has \(count == 1 ? "a category" : "categories") the training rows do not: \(list); "
                         + "category coverage and unseen categories count against the training rows' categories")
        }
        return notes
    }
}
