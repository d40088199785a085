import Foundation

/// Reads a `.npy` array written by NumPy or synthctl: format 1.0–3.0,
/// little-endian float32, float64, int32, int64, uint8 or bool, one or two
/// dimensions, in C or Fortran order. Anything else is bad input, reported
/// with the file and what was found.
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
    /// int64 beyond 2^53).
    public let values: [Double]

    public var rows: Int { shape.first ?? 1 }
    public var columns: Int { shape.count > 1 ? shape[1] : 1 }

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
                throw SynthError("\(path): cannot read the file (\(exists ? "not a readable file" : "no such file"))")
            }
            handle = opened
        }
        defer { if path != InputFile.standardInput { try? handle.close() } }
        func read(_ count: Int) throws -> [UInt8] {
            do { return [UInt8](try handle.read(upToCount: count) ?? Data()) } catch {
                throw SynthError("\(path): cannot read the file (\(FileErrorReason.describe(error, path: path)))")
            }
        }
        let prefix = try read(12)
        guard prefix.count >= 10, prefix[0] == 0x93, Array(prefix[1..<6]) == Array("NUMPY".utf8) else {
            throw SynthError("\(path): expected a NumPy .npy file, found other bytes")
        }
        let major = prefix[6]
        let (headerLength, headerStart): (Int, Int)
        switch major {
        case 1: headerLength = Int(prefix[8]) | Int(prefix[9]) << 8; headerStart = 10
        case 2, 3:
            guard prefix.count >= 12 else { throw SynthError("\(path): expected a complete .npy header, found \(prefix.count) bytes") }
            headerLength = Int(prefix[8]) | Int(prefix[9]) << 8 | Int(prefix[10]) << 16 | Int(prefix[11]) << 24
            headerStart = 12
        default: throw SynthError("\(path): expected .npy format version 1, 2 or 3, found \(major)")
        }
        guard headerLength <= Self.maximumHeaderLength else {
            throw SynthError("\(path): expected a .npy header of at most \(Self.maximumHeaderLength) bytes, found a length of \(headerLength)")
        }
        let headerBytes = Array(prefix[min(headerStart, prefix.count)...]) + (try read(max(0, headerStart + headerLength - prefix.count)))
        guard headerBytes.count >= headerLength,
              let header = String(bytes: headerBytes[0..<headerLength], encoding: .utf8) else {
            throw SynthError("\(path): expected a complete .npy header, found a truncated file")
        }
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        if let descrField = field("descr"), descrField.hasPrefix("[") {
            // A structured (record) dtype: a list of (name, type) fields.
            let list = descrField.prefix { $0 != "]" }
            let shown = list.count > 60 ? String(list.prefix(60)) + "…" : String(list) + "]"
            throw SynthError("\(path): expected float32, float64, int32, int64 or uint8 data, found a structured dtype \(shown)")
        }
        guard let descrField = field("descr"), let q1 = descrField.firstIndex(of: "'"),
              let q2 = descrField[descrField.index(after: q1)...].firstIndex(of: "'") else {
            throw SynthError("\(path): expected a 'descr' in the .npy header, found \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        descr = String(descrField[descrField.index(after: q1)..<q2])
        let fortranOrder = field("fortran_order")?.hasPrefix("True") ?? false
        guard let shapeField = field("shape"), let open = shapeField.firstIndex(of: "("),
              let close = shapeField.firstIndex(of: ")") else {
            throw SynthError("\(path): expected a 'shape' in the .npy header, found \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let dims = shapeField[shapeField.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard (1...2).contains(dims.count) else {
            throw SynthError("\(path): expected a 1- or 2-dimensional array, found shape (\(dims.joined(separator: ", ")))")
        }
        let parsed = dims.compactMap { Int($0) }
        guard parsed.count == dims.count else {
            throw SynthError("\(path): shape: expected integer dimensions below 2^63, found (\(dims.joined(separator: ", ")))")
        }
        guard parsed.allSatisfy({ $0 >= 0 }) else {
            throw SynthError("\(path): shape: expected non-negative dimensions, found (\(dims.joined(separator: ", ")))")
        }
        shape = parsed
        self.path = path
        let width: Int
        switch descr {
        case "<f4", "<i4": width = 4
        case "<f8", "<i8": width = 8
        case "|u1", "<u1", "|b1": width = 1
        default: throw SynthError("\(path): expected float32, float64, int32, int64 or uint8 data, found dtype '\(descr)'")
        }
        // Element and byte counts, checked: a header may claim any shape.
        let count = MemoryEstimate.product(parsed), byteCount = MemoryEstimate.product(parsed + [width])
        guard byteCount < Int.max else {
            throw SynthError("\(path): shape: expected a shape whose data fits in a file, found (\(dims.joined(separator: ", "))) of \(width)-byte values")
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
                throw SynthError("\(path): cannot read the file (\(FileErrorReason.describe(error, path: path)))")
            }
            size = payload + data!.count
        }
        guard size - payload == byteCount else {
            throw SynthError("\(path): expected \(byteCount) bytes of data for shape \(parsed), found \(size - payload)")
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
                throw SynthError("\(path): cannot read the file (\(FileErrorReason.describe(error, path: path)))")
            }
            data = try read(byteCount)
            guard data!.count == byteCount else {
                throw SynthError("\(path): expected \(byteCount) bytes of data for shape \(parsed), found \(data!.count)")
            }
        }
        var out = [Double](repeating: 0, count: count)
        let kind = descr
        // Fortran order stores column after column: element i of the file is
        // row i % rows, column i / rows. One dimension is the same either way.
        let (fileRows, transposed) = (parsed[0], fortranOrder && parsed.count == 2)
        let columnsCount = parsed.count == 2 ? parsed[1] : 1
        data!.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            for i in 0..<count {
                let at = transposed ? (i % fileRows) * columnsCount + i / fileRows : i
                switch kind {
                case "<f4": out[at] = Double(Float(bitPattern: UInt32(littleEndian: (base + 4 * i).loadUnaligned(as: UInt32.self))))
                case "<f8": out[at] = Double(bitPattern: UInt64(littleEndian: (base + 8 * i).loadUnaligned(as: UInt64.self)))
                case "<i4": out[at] = Double(Int32(littleEndian: (base + 4 * i).loadUnaligned(as: Int32.self)))
                case "<i8": out[at] = Double(Int64(littleEndian: (base + 8 * i).loadUnaligned(as: Int64.self)))
                default: out[at] = Double(base.load(fromByteOffset: i, as: UInt8.self))
                }
            }
        }
        values = out
    }
}
