/// A categorical column of a labeled set, carried beside the numeric
/// features until a command can use it (fit and compare will encode it):
/// one code per row kept, indexing ``categories``, or −1 where the cell was
/// missing.
public struct CategoricalColumn: Sendable, Equatable {
    public let name: String
    /// Every distinct value, in ``LabelOrder``'s order (numeric when every
    /// value is a number, byte order otherwise).
    public let categories: [String]
    /// One per row of the set, −1 for a missing value.
    public let codes: [Int32]

    public init(name: String, categories: [String], codes: [Int32]) {
        self.name = name
        self.categories = categories
        self.codes = codes
    }
}

extension CategoricalColumn {
    /// One column of a table read in parts (a sharded set's parts, in
    /// order), stacked: its categories the union of the parts' (a part may
    /// lack one) in ``LabelOrder``'s order, as one read of the whole table
    /// gives them, and each part's codes mapped to them (−1 stays missing).
    /// Values are compared by their bytes (``ExactText``). `parts` is the
    /// same column of each part: at least one, all of one name.
    static func stacking(_ parts: [CategoricalColumn]) -> CategoricalColumn {
        guard parts.count > 1 else { return parts[0] }
        var seen = Set<ExactText>(), union = [String]()
        for part in parts {
            for value in part.categories where seen.insert(ExactText(value)).inserted { union.append(value) }
        }
        let categories = LabelOrder.order(union).map { union[$0] }
        var position = [ExactText: Int32]()
        for (i, value) in categories.enumerated() { position[ExactText(value)] = Int32(i) }
        var codes = [Int32]()
        codes.reserveCapacity(parts.reduce(0) { $0 + $1.codes.count })
        for part in parts {
            let mapped = part.categories.map { position[ExactText($0)]! }
            codes += part.codes.map { $0 < 0 ? -1 : mapped[Int($0)] }
        }
        return CategoricalColumn(name: parts[0].name, categories: categories, codes: codes)
    }
}
