import Foundation

/// Reads a `.npy` array written by NumPy or synthctl: format 1.0–3.0,
/// little-endian float32 or float64, every integer dtype NumPy writes
/// (int8, int16, int32, int64, uint8, uint16, uint32, uint64: pandas'
/// `cat.codes` are int8, many label arrays uint16 or uint32) and bool, one or
/// two dimensions, in C or Fortran order. Anything else (big-endian data,
/// float16, complex, strings, objects, structured dtypes) is bad input,
/// reported with the file and what was found; the message lists what is
/// accepted (``acceptedTypes``). A uint64 value above Int64.max is refused by
/// value, naming its row (and column), as Parquet's UINT_64 is: synthctl's
/// integers are signed 64-bit.
///
/// Fortran order is what `np.save(df.values)` often writes (pandas keeps a
/// frame's columns contiguous) and what `numpy.load` reads without a word:
/// the values are transposed on load, so ``values`` is row-major either way.
///
/// The header is read and checked before the data: its shape's element and
/// byte counts are computed with overflow checks, must match the file's
/// size, and must fit the ``MemoryBudget`` (the data is held as Double), so a
/// hostile header such as shape (10¹², 10⁷) is one line, never a trap or an
/// allocation the machine cannot make.
public struct NpyArray: Sendable {
    public let path: String
    public let shape: [Int]
    public let descr: String
    /// The values converted to Double (exact for every supported type except
    /// int64 and uint64 beyond 2^53).
    public let values: [Double]

    public var rows: Int { shape.first ?? 1 }
    public var columns: Int { shape.count > 1 ? shape[1] : 1 }

    /// What the dtype message lists.
    public static let acceptedTypes = "float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64 or bool data (little-endian)"

    /// The byte width of each accepted dtype, as NumPy spells it in the
    /// header's `descr` (`|` for one-byte types, which have no byte order;
    /// NumPy also reads `<` there).
    package static let widths: [String: Int] = [
        "<f4": 4, "<f8": 8,
        "|i1": 1, "<i1": 1, "<i2": 2, "<i4": 4, "<i8": 8,
        "|u1": 1, "<u1": 1, "<u2": 2, "<u4": 4, "<u8": 8,
        "|b1": 1, "<b1": 1,
    ]

    /// NumPy itself refuses headers above 10,000 bytes by default
    /// (`max_header_size`); this is far above any header it writes.
    static let maximumHeaderLength = 1 << 20

    public init(path: String, budget: MemoryBudget = .current) throws {
        // `-` is standard input; a pipe or process substitution (`/dev/fd/N`)
        // opens like a file but cannot seek, and is read to its end below.
        let handle: FileHandle
        if path == InputFile.standardInput {
            handle = FileHandle.standardInput
        } else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            guard exists, !isDirectory.boolValue, let opened = FileHandle(forReadingAtPath: path) else {
                throw FileAccessError(path: path, problem: "cannot read the file", reason: exists ? "not a readable file" : "no such file")
            }
            handle = opened
        }
        defer { if path != InputFile.standardInput { try? handle.close() } }
        func read(_ count: Int) throws -> [UInt8] {
            do { return [UInt8](try handle.read(upToCount: count) ?? Data()) } catch {
                throw FileAccessError(path: path, problem: "cannot read the file", reason: FileErrorReason.describe(error, path: path))
            }
        }
        let prefix = try read(12)
        guard prefix.count >= 10, prefix[0] == 0x93, Array(prefix[1..<6]) == Array("NUMPY".utf8) else {
            throw InputError(file: path, expected: "a NumPy .npy file", found: "other bytes")
        }
        let major = prefix[6]
        let (headerLength, headerStart): (Int, Int)
        switch major {
        case 1: headerLength = Int(prefix[8]) | Int(prefix[9]) << 8; headerStart = 10
        case 2, 3:
            guard prefix.count >= 12 else { throw InputError(file: path, expected: "a complete .npy header", found: "\(prefix.count) bytes") }
            headerLength = Int(prefix[8]) | Int(prefix[9]) << 8 | Int(prefix[10]) << 16 | Int(prefix[11]) << 24
            headerStart = 12
        default: throw InputError(file: path, expected: ".npy format version 1, 2 or 3", found: "\(major)")
        }
        guard headerLength <= Self.maximumHeaderLength else {
            throw ResourceLimitError(subject: path, what: "a .npy header", limit: "\(Self.maximumHeaderLength) bytes", found: "a length of \(headerLength)")
        }
        let headerBytes = Array(prefix[min(headerStart, prefix.count)...]) + (try read(max(0, headerStart + headerLength - prefix.count)))
        guard headerBytes.count >= headerLength,
              let header = String(bytes: headerBytes[0..<headerLength], encoding: .utf8) else {
            throw InputError(file: path, expected: "a complete .npy header", found: "a truncated file")
        }
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        if let descrField = field("descr"), descrField.hasPrefix("[") {
            // A structured (record) dtype: a list of (name, type) fields.
            let list = descrField.prefix { $0 != "]" }
            let shown = list.count > 60 ? String(list.prefix(60)) + "…" : String(list) + "]"
            throw InputError(file: path, expected: Self.acceptedTypes, found: "a structured dtype \(shown)")
        }
        guard let descrField = field("descr"), let q1 = descrField.firstIndex(of: "'"),
              let q2 = descrField[descrField.index(after: q1)...].firstIndex(of: "'") else {
            throw InputError(file: path, expected: "a 'descr' in the .npy header", found: header.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        descr = String(descrField[descrField.index(after: q1)..<q2])
        let fortranOrder = field("fortran_order")?.hasPrefix("True") ?? false
        guard let shapeField = field("shape"), let open = shapeField.firstIndex(of: "("),
              let close = shapeField.firstIndex(of: ")") else {
            throw InputError(file: path, expected: "a 'shape' in the .npy header", found: header.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let dims = shapeField[shapeField.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard (1...2).contains(dims.count) else {
            throw InputError(file: path, expected: "a 1- or 2-dimensional array", found: "shape (\(dims.joined(separator: ", ")))")
        }
        let parsed = dims.compactMap { Int($0) }
        guard parsed.count == dims.count else {
            throw InputError(file: path, field: "shape", expected: "integer dimensions below 2^63", found: "(\(dims.joined(separator: ", ")))")
        }
        guard parsed.allSatisfy({ $0 >= 0 }) else {
            throw InputError(file: path, field: "shape", expected: "non-negative dimensions", found: "(\(dims.joined(separator: ", ")))")
        }
        shape = parsed
        self.path = path
        guard let width = Self.widths[descr] else {
            throw InputError(file: path, expected: Self.acceptedTypes, found: "dtype '\(descr)'")
        }
        // Element and byte counts, checked: a header may claim any shape.
        let count = MemoryEstimate.product(parsed), byteCount = MemoryEstimate.product(parsed + [width])
        guard byteCount < Int.max else {
            throw InputError(file: path, field: "shape", expected: "a shape whose data fits in a file", found: "(\(dims.joined(separator: ", "))) of \(width)-byte values")
        }
        let payload = headerStart + headerLength
        // A regular file's size is known before its data is read; a pipe's
        // is known only after.
        var data: [UInt8]? = nil
        let size: Int
        if let end = try? handle.seekToEnd() {
            size = Int(end)
        } else {
            do { data = [UInt8](try handle.readToEnd() ?? Data()) } catch {
                throw FileAccessError(path: path, problem: "cannot read the file", reason: FileErrorReason.describe(error, path: path))
            }
            size = payload + data!.count
        }
        guard size - payload == byteCount else {
            throw InputError(file: path, expected: "\(byteCount) bytes of data for shape \(parsed)", found: "\(size - payload)")
        }
        var estimate = MemoryEstimate()
        estimate.add("the file's data (\(byteCount) bytes)", byteCount)
        estimate.add("its \(count) values as Double (× 8 bytes)", count, 8)
        // Readers keep per-row and per-column arrays (names, counts), even
        // for an empty array such as shape (0, 10¹²).
        let (rowCount, columnCount) = (parsed[0], parsed.count > 1 ? parsed[1] : 1)
        estimate.add("per-row and per-column bookkeeping ((\(rowCount) + \(columnCount)) × 8 bytes)",
                     MemoryEstimate.sum([rowCount, columnCount]), 8)
        try budget.check(estimate, subject: path)
        if data == nil {
            do { try handle.seek(toOffset: UInt64(payload)) } catch {
                throw FileAccessError(path: path, problem: "cannot read the file", reason: FileErrorReason.describe(error, path: path))
            }
            data = try read(byteCount)
            guard data!.count == byteCount else {
                throw InputError(file: path, expected: "\(byteCount) bytes of data for shape \(parsed)", found: "\(data!.count)")
            }
        }
        // Fortran order stores column after column: element i of the file is
        // row i % rows, column i / rows. One dimension is the same either way.
        let columnsCount = parsed.count == 2 ? parsed[1] : 1
        let dtype = descr
        let (out, firstTooLarge) = data!.withUnsafeBytes { raw in
            Self.convert(raw, descr: dtype, width: width, count: count, rows: parsed[0], columns: columnsCount,
                         transposed: fortranOrder && parsed.count == 2)
        }
        if let (at, value) = firstTooLarge {
            let column = parsed.count == 2 ? at % columnsCount : nil
            throw InputError(file: path, row: at / columnsCount, column: column,
                             expected: "an integer of at most \(Int64.max) (a uint64 above Int64.max is not read)", found: "\(value)")
        }
        values = out
    }

    /// The `count` values of `raw` (dtype `descr`, `width` bytes each) as
    /// Double, row-major (a Fortran-order file's `rows` × `columns` values
    /// transposed), and the first uint64 above Int64.max by its row-major
    /// place, if any.
    private static func convert(_ raw: UnsafeRawBufferPointer, descr: String, width: Int, count: Int, rows: Int, columns: Int,
                                transposed: Bool) -> ([Double], (at: Int, value: UInt64)?) {
        var out = [Double](repeating: 0, count: count)
        guard let base = raw.baseAddress else { return (out, nil) }
        func place(_ i: Int) -> Int { transposed ? (i % rows) * columns + i / rows : i }
        /// Element i of the file, read by `value` from its bytes, into its row-major place.
        func fill(_ value: (UnsafeRawPointer) -> Double) {
            for i in 0..<count { out[place(i)] = value(base + width * i) }
        }
        var firstTooLarge: (at: Int, value: UInt64)? = nil
        switch descr {
        case "<f4": fill { Double(Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)))) }
        case "<f8": fill { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        case "|i1", "<i1": fill { Double($0.load(as: Int8.self)) }
        case "<i2": fill { Double(Int16(littleEndian: $0.loadUnaligned(as: Int16.self))) }
        case "<i4": fill { Double(Int32(littleEndian: $0.loadUnaligned(as: Int32.self))) }
        case "<i8": fill { Double(Int64(littleEndian: $0.loadUnaligned(as: Int64.self))) }
        case "<u2": fill { Double(UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self))) }
        case "<u4": fill { Double(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        case "<u8":
            fill { Double(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
            for i in 0..<count {
                let v = UInt64(littleEndian: (base + 8 * i).loadUnaligned(as: UInt64.self))
                if v > UInt64(Int64.max), firstTooLarge.map({ place(i) < $0.at }) ?? true { firstTooLarge = (place(i), v) }
            }
        default: fill { Double($0.load(as: UInt8.self)) }  // uint8, and bool as 0 or 1
        }
        return (out, firstTooLarge)
    }
}
