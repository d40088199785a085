import Foundation

/// Reads a `.npy` array written by NumPy or synthctl: format 1.0–3.0,
/// little-endian float32, float64, int32, int64 or uint8, C order, one or two
/// dimensions. Anything else is bad input, reported with the file and what was
/// found.
public struct NpyArray: Sendable {
    public let path: String
    public let shape: [Int]
    public let descr: String
    /// The values converted to Double (exact for every supported type except
    /// int64 beyond 2^53).
    public let values: [Double]

    public var rows: Int { shape.first ?? 1 }
    public var columns: Int { shape.count > 1 ? shape[1] : 1 }

    public init(path: String) throws {
        let bytes: [UInt8]
        do { bytes = try InputFile.read(path) } catch let failure as InputFile.Failure {
            throw SynthError("\(path): cannot read the file (\(failure == .missing ? "no such file" : "not a readable file"))")
        }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw SynthError("\(path): expected a NumPy .npy file, found other bytes")
        }
        let major = bytes[6]
        let (headerLength, headerStart): (Int, Int)
        switch major {
        case 1: headerLength = Int(bytes[8]) | Int(bytes[9]) << 8; headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw SynthError("\(path): expected a complete .npy header, found \(bytes.count) bytes") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default: throw SynthError("\(path): expected .npy format version 1, 2 or 3, found \(major)")
        }
        guard bytes.count >= headerStart + headerLength,
              let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8) else {
            throw SynthError("\(path): expected a complete .npy header, found a truncated file")
        }
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrField = field("descr"), let q1 = descrField.firstIndex(of: "'"),
              let q2 = descrField[descrField.index(after: q1)...].firstIndex(of: "'") else {
            throw SynthError("\(path): expected a 'descr' in the .npy header, found \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        descr = String(descrField[descrField.index(after: q1)..<q2])
        if let fortran = field("fortran_order"), fortran.hasPrefix("True") {
            throw SynthError("\(path): expected C order, found a Fortran-order array (save it with numpy.ascontiguousarray)")
        }
        guard let shapeField = field("shape"), let open = shapeField.firstIndex(of: "("),
              let close = shapeField.firstIndex(of: ")") else {
            throw SynthError("\(path): expected a 'shape' in the .npy header, found \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let dims = shapeField[shapeField.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let parsed = dims.compactMap { Int($0) }
        guard parsed.count == dims.count, (1...2).contains(parsed.count) else {
            throw SynthError("\(path): expected a 1- or 2-dimensional array, found shape (\(dims.joined(separator: ", ")))")
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
        let count = parsed.reduce(1, *)
        let payload = headerStart + headerLength
        guard bytes.count - payload == count * width else {
            throw SynthError("\(path): expected \(count * width) bytes of data for shape \(parsed), found \(bytes.count - payload)")
        }
        var out = [Double](repeating: 0, count: count)
        let kind = descr
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + payload
            for i in 0..<count {
                switch kind {
                case "<f4": out[i] = Double(Float(bitPattern: UInt32(littleEndian: (base + 4 * i).loadUnaligned(as: UInt32.self))))
                case "<f8": out[i] = Double(bitPattern: UInt64(littleEndian: (base + 8 * i).loadUnaligned(as: UInt64.self)))
                case "<i4": out[i] = Double(Int32(littleEndian: (base + 4 * i).loadUnaligned(as: Int32.self)))
                case "<i8": out[i] = Double(Int64(littleEndian: (base + 8 * i).loadUnaligned(as: Int64.self)))
                default: out[i] = Double(base.load(fromByteOffset: i, as: UInt8.self))
                }
            }
        }
        values = out
    }
}
