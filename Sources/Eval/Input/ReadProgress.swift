import SynthctlCore

/// How far the reading of one input file has come, reported through a
/// ``WorkProgress`` as one stage, `reading <path>`, so that a command's bar
/// moves while a large table or answers file is read.
///
/// Units, chosen so that a report costs nothing next to the reading:
/// - a text table (CSV, TSV, JSON Lines) counts pieces of
///   ``pieceBytes`` (8 MiB) of the file: `total` is ⌈file size / 8 MiB⌉,
///   and a piece is reported once the bytes before its end have been read
///   (JSON Lines, as its parser takes them) or the rows before it converted
///   (CSV and TSV, read whole first: row r of n stands for byte
///   (r + 1)·size/n, one multiplication and comparison a row, a report
///   every 8 MiB);
/// - Parquet counts column chunks decoded: row groups × columns read.
///
/// A table read whole knows its size even from standard input or a pipe
/// (the bytes in memory, decoded when compressed). JSON Lines streamed
/// from an input of unknown size — standard input, a pipe, gzip or zstd
/// data decoded as it streams — reports nothing: a bar cannot show a share
/// of an unknown total, and a count without one says little. The last
/// report reaches `total` exactly (``finish()``). Not thread-safe: one
/// reader owns it.
struct ReadProgress {
    /// The bytes of a text file one report stands for.
    static let pieceBytes = 8 << 20

    let progress: WorkProgress
    let stage: String
    /// Reports in all; 0 when silent.
    let total: Int
    /// The file's size in bytes when counting pieces of it; -1 when counting units.
    private let fileBytes: Int
    private var done = 0

    /// Silent: reports nothing.
    static var silent: ReadProgress { ReadProgress(.silent, path: "", units: 0) }

    /// Pieces of a file of `bytes` bytes (nil: unknown, silent).
    init(_ progress: WorkProgress, path: String, bytes: Int?) {
        self.progress = progress
        stage = "reading \(path)"
        total = progress.handler == nil ? 0 : bytes.map { max(1, ($0 + Self.pieceBytes - 1) / Self.pieceBytes) } ?? 0
        fileBytes = max(bytes ?? 0, 0)
    }

    /// `units` units counted one by one (Parquet's column chunks).
    init(_ progress: WorkProgress, path: String, units: Int) {
        self.progress = progress
        stage = "reading \(path)"
        total = progress.handler == nil ? 0 : max(units, 0)
        fileBytes = -1
    }

    /// The bytes before `byte` are read: reports the pieces they complete
    /// (piece k, from 0, once `byte` reaches (k + 1)·8 MiB or the file's end).
    @inline(__always)
    mutating func advance(toByte byte: Int) {
        guard done < total, fileBytes >= 0 else { return }
        let complete = byte >= fileBytes ? total : byte / Self.pieceBytes
        while done < complete { step() }
    }

    /// Rows `0...row` of `rows` are converted (a table read whole): reports
    /// the pieces of the file they stand for, row r for byte (r + 1)·size/rows.
    @inline(__always)
    mutating func advance(row: Int, of rows: Int) {
        guard done < total, fileBytes >= 0 else { return }
        advance(toByte: row + 1 >= rows ? fileBytes : Int(Double(row + 1) / Double(rows) * Double(fileBytes)))
    }

    /// One more unit (a Parquet column chunk) is done.
    mutating func advanceUnit() {
        if done < total { step() }
    }

    /// Reports whatever is left, so that the stage ends at `total`.
    mutating func finish() {
        while done < total { step() }
    }

    private mutating func step() {
        done += 1
        progress.step(stage, of: total)
    }
}
