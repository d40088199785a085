/// A list of names (columns, keys, labels) as a message shows it: the first
/// few, then how many there are in all, so that a table with 200,000
/// columns still gets a one-line message of readable length.
enum NameList {
    /// How many names a message lists before it counts the rest.
    static let shown = 8

    /// `a, b, c` for a short list; `a, b, …, h, … (200000 columns)` for a long one.
    static func describe(_ names: [String], noun: String = "columns", separator: String = ", ") -> String {
        guard names.count > shown else { return names.joined(separator: separator) }
        return names.prefix(shown).joined(separator: separator) + "\(separator)… (\(names.count) \(noun))"
    }
}
