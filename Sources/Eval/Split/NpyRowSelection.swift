import Foundation
import SynthctlCore

/// A `.npy` array whose rows (its first dimension) can be written out as
/// a smaller array of the same dtype and order: what `synthctl split`
/// writes for a dataset directory's arrays and a features/labels pair, so
/// that a part holds each chosen row's bytes exactly as the input has
/// them (any dtype the readers take, C or Fortran order).
///
/// The header is NumPy format 1.0 (2.0 when it does not fit 65,535
/// bytes), `{'descr': …, 'fortran_order': …, 'shape': (m, …), }` padded
/// with spaces to a multiple of 64 bytes, as NumPy writes it
/// (NumPy's `format.py`, "Format Version 1.0").
///
/// Errors: the file's bytes (``InputFile``), a header that is not a
/// `.npy` header of one or two dimensions, data of another size than the
/// shape says (one line naming the file).
public struct NpyRowSelection: Sendable {
    let path: String
    let descr: String
    let fortranOrder: Bool
    let shape: [Int]
    /// Bytes of one element.
    let width: Int
    package let bytes: [UInt8]
    /// Where the data starts in `bytes`.
    let payload: Int

    var rows: Int { shape[0] }
    /// Elements per row (1 for a one-dimensional array).
    var rowElements: Int { shape.dropFirst().reduce(1, *) }

    public init(path: String) throws {
        let bytes = try InputFile.contents(path)
        func bad(_ found: String) -> InputError { InputError(file: path, expected: "a NumPy .npy array of 1 or 2 dimensions", found: found) }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else { throw bad("other bytes") }
        let start = bytes[6] == 1 ? 10 : 12
        guard bytes.count >= start else { throw bad("a truncated header") }
        let length = bytes[6] == 1 ? Int(bytes[8]) | Int(bytes[9]) << 8
            : Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        guard start + length <= bytes.count, let header = String(bytes: bytes[start..<(start + length)], encoding: .utf8) else {
            throw bad("a truncated header")
        }
        func field(_ key: String) -> Substring? {
            header.range(of: "'\(key)':").map { header[$0.upperBound...].drop { $0 == " " } }
        }
        guard let d = field("descr"), d.first == "'", let close = d.dropFirst().firstIndex(of: "'"),
              let s = field("shape"), s.first == "(", let end = s.firstIndex(of: ")") else { throw bad("header \(header.trimmingCharacters(in: .whitespacesAndNewlines))") }
        let descr = String(d[d.index(after: d.startIndex)..<close])
        let shape = s[s.index(after: s.startIndex)..<end].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.compactMap { Int($0) }
        guard (1...2).contains(shape.count), let width = NpyArray.widths[descr] else { throw bad("header \(header.trimmingCharacters(in: .whitespacesAndNewlines))") }
        guard bytes.count - start - length == shape.reduce(width, *) else {
            throw InputError(file: path, expected: "\(shape.reduce(width, *)) bytes of data for shape \(shape)", found: "\(bytes.count - start - length)")
        }
        self.path = path
        self.descr = descr
        self.fortranOrder = field("fortran_order")?.hasPrefix("True") ?? false
        self.shape = shape
        self.width = width
        self.bytes = bytes
        self.payload = start + length
    }

    /// The array of rows `rows` (in that order), as `.npy` bytes.
    public func bytes(ofRows rows: [Int]) -> [UInt8] {
        let newShape = [rows.count] + shape.dropFirst()
        let dims = newShape.count == 1 ? "(\(newShape[0]),)" : "(" + newShape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(dims), }"
        var fixed = 10  // magic, version, a 2-byte header length
        if fixed + dict.utf8.count + 1 > 65_535 { fixed = 12 }
        let padded = (fixed + dict.utf8.count + 1 + 63) / 64 * 64
        dict += String(repeating: " ", count: padded - fixed - dict.utf8.count - 1) + "\n"
        let n = dict.utf8.count
        var out = [0x93] + Array("NUMPY".utf8) + (fixed == 10 ? [1, 0, UInt8(n & 0xff), UInt8(n >> 8)]
                                                  : [2, 0, UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 24)])
        out += Array(dict.utf8)
        out.reserveCapacity(out.count + rows.count * rowElements * width)
        if fortranOrder && shape.count == 2 {
            // Column after column: element (r, c) at (c · rows + r) · width.
            for c in 0..<shape[1] {
                for r in rows {
                    let at = payload + (c * self.rows + r) * width
                    out += bytes[at..<(at + width)]
                }
            }
        } else {
            let rowBytes = rowElements * width
            for r in rows { out += bytes[(payload + r * rowBytes)..<(payload + (r + 1) * rowBytes)] }
        }
        return out
    }
}
