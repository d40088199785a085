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
