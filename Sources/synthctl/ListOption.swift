import ArgumentParser

/// Options that take a list (`--feature-columns`, `--label-order`,
/// `--aggregators`): one rule for all of them. A value is a comma-separated
/// list (`--feature-columns age,income`), the option may be repeated
/// (`--feature-columns age --feature-columns income`), and each occurrence
/// takes exactly one value, so a positional argument after it stays
/// positional (`fit --feature-columns age,income human.csv` reads
/// human.csv). A value is taken as it is, even when it starts with `-`
/// (`--label-order -1,0,1`). A comma inside a name is written `\,` and a
/// backslash before a comma `\\` (a column called `price, usd`:
/// `--feature-columns 'price\, usd,age'`).
enum ListOption {
    /// The help text's sentence on how to give the list.
    static let syntax = "Comma-separated (a,b,c), or the option repeated; write \\, for a comma inside a name."

    /// `name` as one item of a list value: a comma written `\,`, a
    /// backslash `\\`, so that ``split(_:)`` gives `name` back.
    static func escaping(_ name: String) -> String {
        name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ",", with: "\\,")
    }

    /// Every item of every occurrence, in order.
    static func items(_ values: [String]) -> [String] {
        values.flatMap(split)
    }

    /// One value split at its commas; `\,` is a comma and `\\` a
    /// backslash, any other backslash is kept.
    static func split(_ value: String) -> [String] {
        var items = [String](), current = ""
        var escaped = false
        for c in value {
            if escaped {
                if c != "," && c != "\\" { current.append("\\") }
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "," {
                items.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        if escaped { current.append("\\") }
        items.append(current)
        return items
    }

    /// Refuses an empty item (`a,,b`, a trailing comma, an empty value),
    /// naming the option: no column or label is called nothing.
    static func validate(_ values: [String], option: String, noun: String) throws {
        if items(values).contains(where: \.isEmpty) {
            throw ValidationError("\(option): expected \(noun)s separated by commas, found an empty \(noun) in \"\(values.joined(separator: ","))\"")
        }
    }
}
