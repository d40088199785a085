import Foundation

/// A list of names (columns, keys, labels) as a message shows it: the first
/// few, then how many there are in all, so that a table with 200,000
/// columns still gets a one-line message of readable length.
enum NameList {
    /// How many names a message lists before it counts the rest.
    static let shown = 8

    /// `a, b, c` for a short list; `a, b, …, h, … (200000 columns)` for a long one.
    /// A line end inside a name (a quoted CSV header may hold one) is
    /// shown as `\n` or `\r`, so the message stays one line.
    static func describe(_ names: [String], noun: String = "columns", separator: String = ", ") -> String {
        let names = names.map { $0.utf8.contains(where: { $0 == 10 || $0 == 13 }) ? oneLine($0) : $0 }
        guard names.count > shown else { return names.joined(separator: separator) }
        return names.prefix(shown).joined(separator: separator) + "\(separator)… (\(names.count) \(noun))"
    }

    /// A table's columns as a message that reports them shows them: the
    /// list (``describe(_:noun:separator:)``) and always how many there are,
    /// `a, b, label (3 columns)`, `a;b;label (1 column)`, so that a header
    /// read as one column (a tab- or semicolon-separated file read as CSV)
    /// shows as one.
    static func columns(_ names: [String]) -> String {
        let list = describe(names)
        guard names.count <= shown else { return list }  // the long form ends with its count
        return list + " (\(names.count) \(names.count == 1 ? "column" : "columns"))"
    }

    private static func oneLine(_ name: String) -> String {
        name.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }
}
