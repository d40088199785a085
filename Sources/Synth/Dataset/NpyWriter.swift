import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// The element types synthctl writes, with their NumPy descriptors.
public enum NpyType: String, Sendable {
    case float32 = "<f4"
    case int32 = "<i4"
    case uint8 = "|u1"

    var byteCount: Int { self == .uint8 ? 1 : 4 }
}

/// Streams one `.npy` file (NumPy format 1.0): the header with the final
/// shape first, then the payload appended block by block, hashed with SHA-256
/// as it goes so that the manifest's checksum costs no second read.
public final class NpyWriter {
    public let path: String
    public let type: NpyType
    public let shape: [Int]
    private let file: UnsafeMutablePointer<FILE>
    private var hasher = SHA256()
    public private(set) var bytesWritten = 0
    private let headerBytes: Int
    private let expectedPayload: Int

    public init(path: String, type: NpyType, shape: [Int]) throws {
        guard let f = fopen(path, "wb") else {
            throw SynthError("\(path): cannot create file (\(String(cString: strerror(errno))))")
        }
        self.path = path
        self.type = type
        self.shape = shape
        self.file = f
        self.expectedPayload = shape.reduce(1, *) * type.byteCount
        let header = Self.header(type: type, shape: shape)
        self.headerBytes = header.count
        try write(header)
    }

    /// The magic, version and a header dict padded with spaces so that the
    /// payload starts on a 64-byte boundary (what NumPy itself writes).
    static func header(type: NpyType, shape: [Int]) -> [UInt8] {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(type.rawValue)', 'fortran_order': False, 'shape': \(dims), }"
        let fixed = 10  // magic (6) + version (2) + header length (2)
        let padded = (fixed + dict.utf8.count + 1 + 63) / 64 * 64
        dict += String(repeating: " ", count: padded - fixed - dict.utf8.count - 1) + "\n"
        let n = dict.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xff), UInt8(n >> 8)] + Array(dict.utf8)
    }

    private func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append(raw: $0) }
    }

    /// Appends raw little-endian element bytes.
    public func append(raw: UnsafeRawBufferPointer) throws {
        guard raw.count > 0 else { return }
        hasher.update(bufferPointer: raw)
        let n = fwrite(raw.baseAddress, 1, raw.count, file)
        guard n == raw.count else {
            throw SynthError("\(path): write failed after \(bytesWritten + n) bytes (\(String(cString: strerror(errno))))")
        }
        bytesWritten += n
    }

    public func append<T>(_ values: UnsafeBufferPointer<T>) throws {
        try append(raw: UnsafeRawBufferPointer(values))
    }

    /// Appends the first `count` elements of `values`.
    public func append<T>(_ values: [T], count: Int) throws {
        precondition(count <= values.count)
        try values.withUnsafeBufferPointer { try append(UnsafeBufferPointer(rebasing: $0[..<count])) }
    }

    /// Flushes, closes and returns the file's SHA-256 in hex. There is no
    /// fsync: a killed run is covered by the atomic rename of the finished
    /// output; syncing half a gigabyte to disk tripled the time of a run.
    public func finish() throws -> String {
        precondition(bytesWritten - headerBytes == expectedPayload,
                     "\(path): wrote \(bytesWritten - headerBytes) payload bytes for shape \(shape), expected \(expectedPayload)")
        let ok = fflush(file) == 0
        fclose(file)
        guard ok else { throw SynthError("\(path): could not flush to disk (\(String(cString: strerror(errno))))") }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
