import Foundation
import Synth
import SynthctlCore

/// One table, whatever file it came from, seen cell by cell: each cell as
/// its file typed it (``TableCell``), and where a row is, for messages:
/// "line 12" in a text file (the physical line, as an editor shows it), and
/// "row 11" in Parquet, counting data rows from 0 as pandas' default index,
/// NumPy and every other "row" in synthctl's messages and reports do.
///
/// A Parquet table's columns are decoded only when ``load(columns:)`` asks
/// for them (every reader asks for the columns it uses before reading a
/// cell), so that a column a run does not use never blocks it.
///
/// Each format's ``TableReader`` makes one from the file's bytes; the
/// initializers here decide the format and dispatch to it.
struct TableSource {
    let header: [String]
    let rows: Int
    /// What reading left out of the file, in words, for the report's notes
    /// (an empty last column from trailing delimiters), and the units of the
    /// columns loaded (a Parquet TIMESTAMP read as seconds since 1970).
    private(set) var notes: [String]
    /// Columns that hold pandas' index by the file's own account (a
    /// Parquet footer's pandas metadata: a named index such as `id`).
    let indexColumns: [String]
    /// The type a column's file declares (Parquet's physical and logical
    /// types), or nil when the type is decided by content (CSV, TSV, JSON
    /// Lines): see ``ColumnType``.
    let declaredType: (Int) -> ColumnType?
    /// The names the file gives the integer class ids of the column called
    /// so (a Parquet footer's ``DeclaredClassNames``), or nil.
    var declaredClassNames: (String) -> DeclaredClassNames? = { _ in nil }
    /// Whether a column the file declares a timestamp holds UTC instants
    /// (Parquet's TIMESTAMP with isAdjustedToUTC: pandas' and pyarrow's
    /// time-zone-aware columns), so that its unit says UTC and a fitted
    /// model writes it back as UTC.
    var declaredUTC: (Int) -> Bool = { _ in false }
    /// Whether the file typed each cell (JSON Lines, Parquet): a string is
    /// text whatever it spells. In CSV and TSV every cell is text, and what
    /// it spells decides (`3` is a number, `NA` missing).
    var cellsTypedByFile = false
    /// The file says synthctl wrote it (a Parquet footer holding
    /// `synthctl.format_version`): its label column is `label` (``DeclaredLabelColumn``).
    var writtenBySynthctl = false
    /// The class order the file declares for the column called so (a
    /// Parquet ordered dictionary: ``DeclaredClassOrder``), or nil.
    var declaredOrder: (String) throws -> DeclaredClassOrder? = { _ in nil }
    private var cellAt: (Int, Int) -> TableCell
    private let where_: (Int) -> RowPosition
    private let whyUnreadable: (Int) -> InputError?
    /// For a format that decodes columns on demand (Parquet): decodes the
    /// given columns (sorted, distinct) and returns the cells over them.
    private let decode: (([Int], WorkProgress) throws -> DecodedColumns)?
    /// Where reading reports (``ReadProgress``): Parquet's decoding in
    /// ``load(columns:)``, CSV's and TSV's rows through ``rowProgress()``;
    /// JSON Lines reports as it is parsed, in the initializer.
    private var progress = WorkProgress.silent
    /// The bytes read whole (CSV, TSV, Parquet), for ``rowProgress()``; nil when streamed.
    private var byteCount: Int? = nil
    private var widthOf: (Int) -> Int = { _ in 1 }
    private var elementAt: (Int, Int, Int) -> TableCell = { _, _, _ in .null }

    /// What decoding columns on demand gives: their cells, and for a column
    /// that holds a block of numbers per row (a Parquet list of floats: an
    /// embedding) its width and elements, and the units of what was decoded.
    struct DecodedColumns {
        let cell: (Int, Int) -> TableCell
        var width: (Int) -> Int = { _ in 1 }
        var element: (Int, Int, Int) -> TableCell = { _, _, _ in .null }
        var notes: [String] = []
    }

    func cell(_ row: Int, _ column: Int) -> TableCell { cellAt(row, column) }
    /// Whether the format decodes columns on demand (Parquet), its cells typed as stored.
    var decodesColumnsOnDemand: Bool { decode != nil }
    /// How many numbers column `c` holds per row once loaded: an embedding's
    /// dimension, 1 for any other column (whose ``cell(_:_:)`` is the value).
    func width(_ c: Int) -> Int { widthOf(c) }
    /// Element `k` of the block in row `row`, column `c` (``width(_:)`` > 1).
    func cell(_ row: Int, _ c: Int, element k: Int) -> TableCell { elementAt(row, c, k) }
    func location(_ row: Int) -> RowPosition { where_(row) }

    /// What a ``TableReader`` makes: `cell(row, column)` and
    /// `location(row)` for rows `0..<rows`; `unsupported` and `decode` for a
    /// format whose columns are decoded on demand (then `cell` is replaced
    /// by what `decode` returns); `width` and `element` for one that holds
    /// blocks of numbers already (JSON Lines lists), `unsupported` then
    /// saying why a column cannot be read.
    init(header: [String], rows: Int, notes: [String] = [], indexColumns: [String] = [],
         cell: @escaping (Int, Int) -> TableCell, location: @escaping (Int) -> RowPosition,
         unsupported: @escaping (Int) -> InputError? = { _ in nil },
         decode: (([Int], WorkProgress) throws -> DecodedColumns)? = nil,
         declaredType: @escaping (Int) -> ColumnType? = { _ in nil },
         width: @escaping (Int) -> Int = { _ in 1 }, element: @escaping (Int, Int, Int) -> TableCell = { _, _, _ in .null }) {
        self.header = header
        self.rows = rows
        self.notes = notes
        self.indexColumns = indexColumns
        self.cellAt = cell
        self.where_ = location
        self.whyUnreadable = unsupported
        self.decode = decode
        self.declaredType = declaredType
        self.widthOf = width
        self.elementAt = element
    }

    /// CSV (or TSV), JSON Lines or Parquet, decided by ``TableFormat/of(_:bytes:explicit:)``
    /// from the first bytes, or a directory of Parquet parts (``ParquetPartDirectory``). `path` may be `-` (standard input) or a pipe.
    /// JSON Lines is read in pieces (``JSONLinesReader/source(_:input:)``),
    /// so memory is what its cells take, not the file; the other formats'
    /// bytes are read whole first, which Parquet's footer needs anyway.
    /// `progress` hears how far reading has come (``ReadProgress``): JSON
    /// Lines by bytes parsed (nothing from a stream of unknown size), the
    /// others later, as their rows are read or columns decoded.
    init(_ path: String, format explicit: TableFormat? = nil, progress: WorkProgress = .silent) throws {
        // A directory of Parquet parts (Spark's, pyarrow's, Polars', DuckDB's) is one table.
        if ParquetPartDirectory.holds(path) {
            self = try ParquetPartDirectory(path).source()
            self.progress = progress
            try checkColumnNames(path)
            return
        }
        if let refusal = ParquetPartDirectory.refusal(path) { throw refusal }
        let input: ChunkedInput
        do { input = try ChunkedInput(path, decompressing: true) } catch let failure as InputFile.Failure { throw InputFile.error(path, failure) }
        let format = TableFormat.of(path, bytes: input.first, explicit: explicit)
        if format == .jsonl, !input.first.starts(with: Self.npyMagic) {
            if let found = InputFile.notUTF8Text(input.first, path: path) { throw InputFile.error(path, .notUTF8(found: found)) }
            do { self = try JSONLinesReader.source(path, input: input, progress: progress) } catch let failure as InputFile.Failure { throw InputFile.error(path, failure) }
            try checkColumnNames(path)
            return
        }
        // Text (CSV, TSV, JSON Lines) is refused at its first block holding a NUL byte.
        let bytes = try Self.contents(path, format: explicit, input: input)
        try self.init(path, bytes: bytes, format: TableFormat.of(path, bytes: bytes, explicit: explicit), progress: progress)
    }

    /// The bytes of a table file, decoded when gzip or zstd compressed
    /// (by their magic numbers: `.csv.gz`, a gzip stream on a pipe). A NumPy `.npy` file is refused as such
    /// (it holds NUL bytes, and would otherwise be refused as text holding
    /// one at "line 1"); text is refused at its first block holding a NUL byte.
    static func contents(_ path: String, format explicit: TableFormat?, input: ChunkedInput? = nil) throws -> [UInt8] {
        let isText = { (first: [UInt8]) in
            !first.starts(with: npyMagic) && TableFormat.of(path, bytes: first, explicit: explicit).reader.isText
        }
        let bytes: [UInt8]
        if let input {
            do { bytes = try input.readAll(isText: isText) } catch let failure as InputFile.Failure { throw InputFile.error(path, failure) }
        } else {
            bytes = try InputFile.contents(path, isText: isText, decompressing: true)
        }
        if bytes.starts(with: npyMagic) {
            throw InputError(file: path, expected: "a table (\(TableFormat.displayNames))",
                             found: "a NumPy .npy array (a features .npy needs its labels .npy)")
        }
        return bytes
    }

    /// The first bytes of every `.npy` file: 0x93 and `NUMPY`.
    static let npyMagic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// A table from its bytes, read by `format`'s reader; `progress` hears
    /// of the rows read (``rowProgress()``) or the columns decoded (``load(columns:)``).
    init(_ path: String, bytes: [UInt8], format: TableFormat, progress: WorkProgress = .silent) throws {
        self = try format.reader.source(path, bytes: bytes)
        self.progress = progress
        byteCount = bytes.count
        try checkColumnNames(path)
    }

    /// The progress of a reader's loop over the rows, by the bytes they
    /// stand for: a table whose cells came whole out of its bytes (CSV,
    /// TSV, and JSON Lines given as bytes) reports there; one that reported
    /// already (JSON Lines streamed) or reports its decoding (Parquet) is silent here.
    func rowProgress(_ path: String) -> ReadProgress {
        guard decode == nil, let byteCount else { return .silent }
        return ReadProgress(progress, path: path, bytes: byteCount)
    }

    /// Refuses a column name holding a NUL byte.
    private func checkColumnNames(_ path: String) throws {
        if let c = header.firstIndex(where: { $0.utf8.contains(0) }) {
            throw InputError(file: path, field: "column \(c + 1)", expected: "a column name",
                             found: "a NUL byte in \"\(header[c].replacingOccurrences(of: "\0", with: "\\0"))\"")
        }
    }

    /// Why column `c` cannot be read (a Parquet logical type not decoded
    /// yet, a nested field); nil when it can.
    func unsupported(_ c: Int) -> InputError? { whyUnreadable(c) }

    /// Makes `columns` readable: a Parquet file's are checked against the
    /// memory budget and decoded (a column that cannot be read is refused
    /// here); other formats hold every cell already, and refuse here a
    /// column that cannot be read (JSON Lines lists of unequal length). Must come before the
    /// first ``cell(_:_:)``.
    mutating func load(columns: [Int]) throws {
        guard let decode else {
            if let why = Array(Set(columns)).sorted().lazy.compactMap(whyUnreadable).first { throw why }
            return
        }
        let decoded = try decode(Array(Set(columns)).sorted(), progress)
        cellAt = decoded.cell
        widthOf = decoded.width
        elementAt = decoded.element
        notes += decoded.notes
    }
}
