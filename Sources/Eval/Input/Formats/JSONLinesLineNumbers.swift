/// The 1-based line of each row of a JSON Lines table, kept as runs: a row
/// on the line after the previous row's costs nothing, a row after blank
/// lines (or the first row) starts a run of 16 bytes. A file without blank
/// lines is therefore one run, where an array of line numbers grew by
/// eight bytes a row.
struct JSONLinesLineNumbers: RandomAccessCollection, CustomStringConvertible {
    /// The first row of each run and its line, in row order.
    private var runs = [(row: Int, line: Int)]()
    private(set) var count = 0

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    /// Row `count` is on line `line` (greater than the last row's).
    mutating func append(_ line: Int) {
        if let last = runs.last, last.line + (count - last.row) == line {
            count += 1
            return
        }
        runs.append((count, line))
        count += 1
    }

    /// The line of row `row` (0..<count): its run's first line plus the rows since.
    subscript(row: Int) -> Int {
        precondition(row >= 0 && row < count, "row \(row) outside 0..<\(count)")
        // The last run starting at or before `row`.
        var low = 0, high = runs.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if runs[mid].row <= row { low = mid } else { high = mid }
        }
        return runs[low].line + (row - runs[low].row)
    }

    /// The lines as an array prints them: `[2, 4]`.
    var description: String { Array(self).description }
}
