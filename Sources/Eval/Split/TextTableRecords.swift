import Foundation
import SynthctlCore

/// The byte ranges of a text table's rows (CSV, TSV, JSON Lines), as its
/// reader counts them, so that a part of the table can be written with
/// each row's bytes exactly as the file has them: every cell, quoting,
/// number spelling and line end unchanged.
///
/// A record ends at `\n`, `\r\n` or a lone `\r` (as ``CSVTable`` reads
/// them) outside double quotes (CSV and TSV; a JSON Lines row never holds
/// a raw line end); blank records (no bytes, or for JSON Lines only spaces
/// and tabs) are skipped as the readers skip them. The preamble is what
/// comes before the first row: a byte-order mark, blank lines, the CSV
/// header.
struct TextTableRecords {
    /// Bytes before the first row (the header and what precedes it).
    let preamble: Range<Int>
    /// Each row's bytes, its line end included, in the file's order.
    let rows: [Range<Int>]

    init(_ bytes: [UInt8], format: TableFormat) {
        let quoted = format != .jsonl
        var records = [Range<Int>]()
        var start = 0, i = 0, inQuotes = false
        let n = bytes.count
        func isBlank(_ r: Range<Int>) -> Bool {
            bytes[r].allSatisfy { $0 == 10 || $0 == 13 || (!quoted && ($0 == 32 || $0 == 9)) }
                || (r.lowerBound == 0 && Array(bytes[r]) == [0xEF, 0xBB, 0xBF])
        }
        while i < n {
            let b = bytes[i]
            if quoted && b == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes && (b == 10 || b == 13) {
                if b == 13, i + 1 < n, bytes[i + 1] == 10 { i += 1 }
                records.append(start..<(i + 1))
                start = i + 1
            }
            i += 1
        }
        if start < n { records.append(start..<n) }
        var rows = records.filter { !isBlank($0) }
        var preambleEnd = rows.first?.lowerBound ?? n
        if quoted, !rows.isEmpty {  // the header is the first record that is not blank
            preambleEnd = rows.removeFirst().upperBound
        }
        self.preamble = 0..<preambleEnd
        self.rows = rows
    }
}
