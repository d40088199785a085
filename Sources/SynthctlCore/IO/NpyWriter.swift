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
///
/// Writing and hashing are separate calls so that two threads can do them
/// at once (``DatasetWriter`` does): each must see the payload in file order,
/// and neither touches the other's state. The header is written and hashed
/// by `init`.
public final class NpyWriter {
    public let path: String
    public let type: NpyType
    public let shape: [Int]
    private let file: SequentialFile
    private var hasher = SHA256()
    public var bytesWritten: Int { file.bytesAppended }
    private var bytesHashed = 0
    private let headerBytes: Int
    private let expectedPayload: Int

    /// `name` is what error messages call the file (the output it becomes,
    /// when `path` is a temporary name); `path` by default.
    public init(path: String, type: NpyType, shape: [Int], name: String? = nil) throws {
        self.path = path
        self.type = type
        self.shape = shape
        self.expectedPayload = shape.reduce(1, *) * type.byteCount
        let header = Self.header(type: type, shape: shape, payloadBytes: expectedPayload)
        self.headerBytes = header.count
        self.file = try SequentialFile(path: path, expectedBytes: header.count + expectedPayload, name: name)
        try append(raw: header.span.bytes)
    }

    /// The header for a payload of `payloadBytes`: a file large enough to
    /// bypass the page cache gets a header of one whole block, so that the
    /// payload starts block-aligned and goes to the disk straight from the
    /// generator's buffers.
    package static func header(type: NpyType, shape: [Int], payloadBytes: Int) -> [UInt8] {
        let large = payloadBytes >= SequentialFile.directThreshold
        return header(type: type, shape: shape, alignment: large ? SequentialFile.blockAlignment : 64)
    }

    /// The magic, version and a header dict padded with spaces so that the
    /// payload starts on a multiple of `alignment` bytes: 64 is what NumPy
    /// itself writes; any multiple of 64 is valid NumPy format 1.0 (whose
    /// header length field allows up to 65,535 bytes).
    static func header(type: NpyType, shape: [Int], alignment: Int = 64) -> [UInt8] {
        precondition(alignment % 64 == 0 && alignment <= 1 << 15)
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(type.rawValue)', 'fortran_order': False, 'shape': \(dims), }"
        let fixed = 10  // magic (6) + version (2) + header length (2)
        let padded = (fixed + dict.utf8.count + 1 + alignment - 1) / alignment * alignment
        dict += String(repeating: " ", count: padded - fixed - dict.utf8.count - 1) + "\n"
        let n = dict.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xff), UInt8(n >> 8)] + Array(dict.utf8)
    }

    /// Appends raw little-endian element bytes to the file (not the hash).
    public func write(_ raw: RawSpan) throws {
        try file.write(raw)
    }

    /// Adds raw bytes to the checksum (not the file).
    public func hash(_ raw: RawSpan) {
        raw.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        bytesHashed += raw.byteCount
    }

    /// Writes and hashes, on the calling thread.
    public func append(raw: RawSpan) throws {
        try write(raw)
        hash(raw)
    }

    /// Appends the first `count` elements of `values`.
    public func append<T>(_ values: [T], count: Int) throws {
        try withPrefix(of: values, count: count) { writer, raw in try writer.append(raw: raw) }
    }

    /// Calls `body` with this writer and the bytes of `values`' first
    /// `count` elements.
    package func withPrefix<T>(of values: [T], count: Int,
                       _ body: (NpyWriter, RawSpan) throws -> Void) rethrows {
        precondition(count <= values.count)
        try values.withUnsafeBufferPointer {
            try body(self, unsafe RawSpan(_unsafeBytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[..<count]))))
        }
    }

    package func withPrefix<T>(of values: PageAlignedBuffer<T>, count: Int,
                       _ body: (NpyWriter, RawSpan) throws -> Void) rethrows {
        precondition(count <= values.count)
        try values.withUnsafeBufferPointer {
            try body(self, unsafe RawSpan(_unsafeBytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[..<count]))))
        }
    }

    /// Writes what is left, closes and returns the file's SHA-256 in hex.
    public func finish() throws -> String {
        precondition(bytesWritten - headerBytes == expectedPayload && bytesHashed == bytesWritten,
                     "\(path): wrote \(bytesWritten - headerBytes) payload bytes (hashed \(bytesHashed - headerBytes)) for shape \(shape), expected \(expectedPayload)")
        try file.finish()
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
