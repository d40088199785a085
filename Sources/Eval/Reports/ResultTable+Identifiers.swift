extension ResultTable.Column {
    /// Ids (item ids, class names) as a column that joins back onto the
    /// user's own data: integers when every id is the canonical spelling of
    /// an Int64 (``canonicalInteger(_:)``), text otherwise.
    ///
    /// Why: pandas reads an id column of bare digits as int64, and
    /// `merge` refuses to join an int64 key onto a string one ("You are
    /// trying to merge on int64 and object columns"). Written as INT64 in
    /// Parquet and as numbers in JSON Lines, the ids come back with the
    /// dtype the user's own frame has. Only canonical spellings qualify, so
    /// the integer reads back to the same text: "007", "+7", "-0" or
    /// "1e3" keep the column as text.
    /// Ids of which some exceed Int64 but all are canonical UInt64
    /// spellings (pandas' uint64 columns) are ``unsigned``: UINT_64 in
    /// Parquet, bare digits in CSV and JSON Lines, which pandas reads back
    /// as uint64 (a quoted string in JSON Lines would come back as float64,
    /// every id near 2⁶⁴ the same number).
    public static func identifiers(_ values: [String]) -> Self {
        var integers = [Int]()
        integers.reserveCapacity(values.count)
        for v in values {
            guard let i = canonicalInteger(v) else { return unsignedIdentifiers(values) ?? .text(values) }
            integers.append(i)
        }
        return .integer(integers)
    }

    /// `values` as UInt64 when every one is the canonical spelling of one, else nil.
    static func unsignedIdentifiers(_ values: [String]) -> Self? {
        var out = [UInt64]()
        out.reserveCapacity(values.count)
        for v in values {
            guard let u = UInt64(v), String(u) == v else { return nil }
            out.append(u)
        }
        return .unsigned(out)
    }

    /// Class labels by class id (`ids[r]` indexes `classNames`; −1 is no
    /// label, written as an empty text cell). Integers when every class
    /// name is a canonical integer (``identifiers(_:)``) and no label is
    /// missing; text otherwise. Decided on the class names, not on the
    /// labels present, so every label column of one report (given,
    /// predicted, true) has the same type.
    public static func labels(_ ids: [Int], classNames: [String]) -> Self {
        let numbers = classNames.map(canonicalInteger)
        if !ids.contains(where: { $0 < 0 }), numbers.allSatisfy({ $0 != nil }) {
            return .integer(ids.map { numbers[$0]! })
        }
        if !ids.contains(where: { $0 < 0 }), case .unsigned(let names)? = unsignedIdentifiers(classNames) {
            return .unsigned(ids.map { names[$0] })
        }
        return .text(ids.map { $0 >= 0 ? classNames[$0] : "" })
    }

    /// The value of `text` when it is exactly the decimal spelling Swift
    /// (and pandas, and JSON) gives that Int64 — an optional minus sign,
    /// no leading zeros, no plus sign, not "-0" — else nil.
    public static func canonicalInteger(_ text: String) -> Int? {
        guard let value = Int(text), String(value) == text else { return nil }
        return value
    }
}
