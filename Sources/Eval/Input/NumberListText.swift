/// A list of numbers written into one text cell, as a CSV writer leaves a
/// vector column: Hugging Face `datasets`' `to_csv` writes a NumPy array as
/// `[0.1 0.2 0.3]` (NumPy's `str`, spaces, possibly padded and over
/// several widths), pandas' `to_csv` a Python list as `[0.1, 0.2]`. Such a
/// column reads as categorical text; CSV has no list type, so the cure is a
/// format that keeps the vector (Parquet, JSON Lines).
enum NumberListText {
    /// Whether `text` is `[` numbers `]`, the numbers separated by commas
    /// and/or white space, at least one (`[]` is no evidence of a vector).
    static func isNumberList(_ text: String) -> Bool {
        let trimmed = text.trimmingASCIISpaces
        guard trimmed.hasPrefix("["), trimmed.hasSuffix("]"), trimmed.count >= 2 else { return false }
        let items = trimmed.dropFirst().dropLast().split(whereSeparator: { $0 == "," || $0.isWhitespace })
        return !items.isEmpty && items.allSatisfy { Double($0) != nil }
    }
}
