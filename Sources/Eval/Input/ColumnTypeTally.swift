import SynthctlCore

/// What a text or JSON Lines column's cells say of its type, tallied while
/// the column is read as numbers (no second pass over the table): its
/// missing cells, and whether every value so far was an integer, a boolean.
/// The rule is ``ColumnType``'s; a categorical column is decided before
/// reading, by its first value (``startsWithText(_:)``).
struct ColumnTypeTally {
    var missing = 0
    var values = 0
    var allIntegers = true
    var allBooleans = true

    /// Counts a cell read as a number (`reading`, its ``TableCell/featureValue``).
    @inline(__always)
    mutating func add(_ cell: TableCell, _ reading: TableCell.Reading<Float>) {
        guard case .value = reading else {
            if case .missing = reading { missing += 1 }
            return
        }
        values += 1
        guard allIntegers || allBooleans else { return }
        switch cell {
        case .integer: allBooleans = false
        case .boolean: allIntegers = false
        case .real, .null, .absent, .nested: allIntegers = false; allBooleans = false
        case .text(let text):
            var s = text
            s.withUTF8 { bytes in
                let t = LabelText.trimmed(bytes)
                if LabelText.decimalSyntax(t) != .integer { allIntegers = false }
                if TableCell.boolean(t) == nil { allBooleans = false }
            }
        }
    }

    /// The type the tally shows: integer when every value was an integer,
    /// boolean when every one was a boolean, numeric otherwise (and for a
    /// column of missing values only, as pandas reads one as float64).
    var type: ColumnType {
        guard values > 0 else { return .numeric }
        return allIntegers ? .integer : allBooleans ? .boolean : .numeric
    }

    /// Whether `cell`, a column's first value that is not missing, is text
    /// that no reading makes a number (`inf` and `1e999` are numbers, if bad
    /// ones): such a column is categorical.
    static func startsWithText(_ cell: TableCell) -> Bool {
        guard case .text(let text) = cell else { return false }
        var s = text
        return s.withUTF8 { bytes in
            let t = LabelText.trimmed(bytes)
            return !t.contains(0) && TableCell.boolean(t) == nil && Double(String(decoding: t, as: UTF8.self)) == nil
        }
    }
}
