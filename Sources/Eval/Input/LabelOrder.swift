/// The order synthctl gives the distinct values of a label (or id) column:
/// numeric when every value is a decimal number, byte order otherwise.
///
/// Order matters wherever classes are compared by position: ordinal,
/// interval and ratio Krippendorff's α, weighted κ, the rows and columns of
/// confusion and noise matrices, and class order in reports. Labels 2.5, 5
/// and 10 sorted as text would be 10 < 2.5 < 5, and ordinal α on them would
/// measure the wrong distances (issue 13: 0.1483 instead of krippendorff's
/// 0.7083). Values that are equal as numbers ("1" and "1.0") keep byte order
/// between them.
public enum LabelOrder {
    /// The value of a plain decimal number — an optional sign, digits with an
    /// optional fraction, an optional exponent ("7", "-2", "2.5", ".5",
    /// "1e3") — or nil for anything else, including spaces, hexadecimal,
    /// `inf`, `nan` and values beyond Double's range.
    public static func decimalValue(_ text: String) -> Double? {
        var digits = 0, i = text.utf8.startIndex
        let bytes = text.utf8
        func skipDigits() { while i < bytes.endIndex, (48...57).contains(bytes[i]) { digits += 1; i = bytes.index(after: i) } }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i = bytes.index(after: i) }
        skipDigits()
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") { i = bytes.index(after: i); skipDigits() }
        guard digits > 0 else { return nil }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i = bytes.index(after: i)
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i = bytes.index(after: i) }
            digits = 0
            skipDigits()
            guard digits > 0 else { return nil }
        }
        guard i == bytes.endIndex, let v = Double(text), v.isFinite else { return nil }
        return v
    }

    /// The positions of `names` in synthctl's order: `order[0]` is the index
    /// of the first value.
    static func order(_ names: [String]) -> [Int] {
        let byBytes: (Int, Int) -> Bool = { a, b in names[a].utf8.lexicographicallyPrecedes(names[b].utf8) }
        let numbers = names.map(decimalValue)
        guard numbers.allSatisfy({ $0 != nil }) else { return names.indices.sorted(by: byBytes) }
        return names.indices.sorted { a, b in numbers[a]! != numbers[b]! ? numbers[a]! < numbers[b]! : byBytes(a, b) }
    }
}

extension LabelOrder {
    /// A class order the user gives as text (`low,medium,high`): the labels
    /// split at commas and spelled as labels are (``LabelText``: `1.0` is
    /// `1`, spaces around a label are trimmed), so that they meet the labels
    /// of the input. Labels themselves cannot hold a comma here.
    /// - Returns: the labels, or what is wrong with the text ("an empty
    ///   label", "\"x\" twice").
    public static func given(_ text: String) -> Result<[String], GivenOrderProblem> {
        given(labels: text.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
    }

    /// A class order the user gives as a list of labels (split already,
    /// so that a label may hold a comma), spelled as labels are.
    public static func given(labels parts: [String]) -> Result<[String], GivenOrderProblem> {
        var labels = [String](), seen = Set<ExactText>()
        for part in parts {
            guard let label = LabelText.canonical(part) else {
                let problem = part.utf8.contains(0) ? "a NUL byte" : "a missing label (\"\(part)\")"
                return .failure(GivenOrderProblem(description: problem))
            }
            guard seen.insert(ExactText(label)).inserted else { return .failure(GivenOrderProblem(description: "\"\(label)\" twice")) }
            labels.append(label)
        }
        return .success(labels)
    }

    /// What is wrong with a given label order, in words ("\"x\" twice").
    public struct GivenOrderProblem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }
}
