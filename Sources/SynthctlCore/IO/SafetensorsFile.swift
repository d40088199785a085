import Foundation

/// A safetensors file of little-endian `F64` tensors (or, for a
/// sentence-transformers model, `F32`, `F16` or `BF16`): what a fitted model's
/// large numeric parts (means, Cholesky factors, quantile tables) are stored
/// as, beside the model's small JSON, so that reading them copies bytes
/// instead of parsing millions of decimal numbers, and so that Python reads
/// them with `safetensors.numpy.load_file`.
///
/// Layout (Hugging Face's format, https://github.com/huggingface/safetensors):
///
///     8 bytes   N, the header's length, unsigned little-endian
///     N bytes   a JSON object: {"NAME": {"dtype": "F64", "shape": [d0, d1, …],
///               "data_offsets": [begin, end]}, …, "__metadata__": {string: string}},
///               padded with spaces so that the data starts 8-byte aligned
///     the data  each tensor's values, C order, at [begin, end) from the data's start
///
/// Reading checks everything before it allocates: the header length
/// against the file (and 100 MB, the Python package's own limit), the
/// header as strict JSON nested at most ``NestingLimit/maximumDepth``
/// levels, each tensor's dtype (one of those the reader allows), its shape (non-negative, its
/// byte count without overflow) against its offsets, and the offsets
/// tiling the data exactly (contiguous, no gaps or overlaps, ending at the
/// file's end). A file that fails any of them is one ``InputError`` naming
/// the file, never a trap or an allocation the file's bytes do not back.
public struct SafetensorsFile: Sendable {
    /// One named tensor: its shape and its values in C order.
    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        public let values: [Double]

        public init(name: String, shape: [Int], values: [Double]) {
            precondition(shape.reduce(1, *) == values.count, "a tensor's shape and its values differ in count")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// The largest header read: the Python package refuses larger ones too.
    public static let maximumHeaderBytes = 100_000_000

    /// A tensor's element type, as the header's `dtype` names it.
    /// Integer ones are read past, not read: a PyTorch checkpoint stores
    /// buffers such as BERT's `position_ids` (I64) beside its weights.
    public enum DType: String, Sendable, CaseIterable {
        case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
        case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"
        var width: Int {
            switch self {
            case .f64, .i64: 8
            case .f32, .i32: 4
            case .f16, .bf16, .i16: 2
            case .i8, .u8, .bool: 1
            }
        }
        var spelled: String {
            switch self {
            case .f64: "\"F64\" (little-endian float64)"
            case .f32: "\"F32\" (float32)"
            case .f16: "\"F16\" (IEEE half)"
            case .bf16: "\"BF16\" (bfloat16)"
            default: "\"\(rawValue)\""
            }
        }
    }

    /// Where a tensor's values lie in the file, its shape and its type.
    struct Entry: Sendable {
        let shape: [Int]
        let bytes: Range<Int>
        let dtype: DType
    }

    /// Where the tensors' bytes are.
    enum Storage: Sendable {
        /// The whole file, read.
        case memory([UInt8])
        /// The file at this path, each tensor read (`pread`) when asked
        /// for: a model's weights are then held once, as the values, not
        /// also as the file's bytes (all-MiniLM-L6-v2: 87 MiB, not 174).
        case file(String)
    }

    /// The file's name in errors.
    public let source: String
    let storage: Storage
    let entries: [String: Entry]
    /// The `__metadata__` strings (empty when the file has none).
    public let metadata: [String: String]

    /// The tensor names, sorted.
    public var names: [String] { entries.keys.sorted() }

    // MARK: - Writing

    /// The file's bytes: the tensors in the order given, then `metadata`.
    /// Names must be distinct and not `__metadata__`.
    public static func encode(_ tensors: [Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        var header = [String: JSONValue]()
        var offset = 0
        for t in tensors {
            precondition(header[t.name] == nil && t.name != "__metadata__", "tensor names must be distinct")
            let end = offset + t.values.count * 8
            header[t.name] = .object(["dtype": .string("F64"), "shape": .array(t.shape.map { .int($0) }),
                                      "data_offsets": .array([.int(offset), .int(end)])])
            offset = end
        }
        if !metadata.isEmpty { header["__metadata__"] = .object(metadata.mapValues { .string($0) }) }
        var text = Array(JSONValue.object(header).compact.utf8)
        while (8 + text.count) % 8 != 0 { text.append(UInt8(ascii: " ")) }
        var out = [UInt8]()
        out.reserveCapacity(8 + text.count + offset)
        withUnsafeBytes(of: UInt64(text.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: text)
        for t in tensors { appendLittleEndian(t.values, to: &out) }
        return out
    }

    static func appendLittleEndian(_ values: [Double], to out: inout [UInt8]) {
        #if _endian(little)
        values.withUnsafeBytes { out.append(contentsOf: $0) }
        #else
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        #endif
    }

    // MARK: - Reading

    /// Reads the file at `path` whole (its size checked against the memory
    /// budget first, as every input) and checks its header; `source` names
    /// it in errors.
    public init(path: String) throws {
        try self.init(bytes: try InputFile.contents(path), source: path)
    }

    /// Checks the header of `bytes`, a whole safetensors file whose
    /// tensors are each of one of `dtypes` (a fitted model's: F64 only; a
    /// sentence-transformers model's: F32, F16 or BF16).
    public init(bytes: [UInt8], source: String, dtypes: [DType] = [.f64]) throws {
        try self.init(prefix: bytes[...], fileSize: bytes.count, storage: .memory(bytes), source: source, dtypes: dtypes)
    }

    /// Reads the header of the file at `path` (8 bytes, then the header's
    /// length) and checks it as ``init(bytes:source:dtypes:)`` does against
    /// the file's size; each tensor's values are read from the file when
    /// asked for (``floats(_:shape:field:)``), into their own array, so
    /// the file's bytes are never held whole.
    ///
    /// - Throws: ``InputError`` naming `path`: missing, unreadable, or a
    ///   header that fails the checks.
    public init(readingTensorsFrom path: String, dtypes: [DType]) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw InputError(file: path, expected: "a readable safetensors file", found: FileErrorReason.describe(errno: errno))
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw InputError(file: path, expected: "a safetensors file", found: status.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file")
        }
        let size = Int(status.st_size)
        // The values are about the file's size, float32 (F16 and BF16 widened: twice it).
        try InputFile.checkBudget(dtypes.contains(.f16) || dtypes.contains(.bf16) ? 2 * size : size, path, stream: false)
        var prefix = try Self.read(fd, at: 0, count: min(size, 8), source: path)
        if prefix.count == 8 {
            var n = 0
            for i in 0..<8 { n |= Int(prefix[i]) << (8 * i) }
            // A length the file cannot hold is refused by the checks, from the 8 bytes alone.
            if n >= 0, n <= min(size - 8, Self.maximumHeaderBytes) { prefix += try Self.read(fd, at: 8, count: n, source: path) }
        }
        try self.init(prefix: prefix[...], fileSize: size, storage: .file(path), source: path, dtypes: dtypes)
    }

    /// `count` bytes of `fd` from `offset`. Errors: a failed read, or the
    /// file ending first (it changed while read), naming `source`.
    static func read(_ fd: Int32, at offset: Int, count: Int, source: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { try readFully(fd, into: $0, at: offset, source: source) }
        return bytes
    }

    /// Fills `buffer` with `fd`'s bytes from `offset` (`pread`, resumed
    /// after a short read or an interruption).
    static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, source: String) throws {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw InputError(file: source, expected: "\(buffer.count) bytes at offset \(offset)",
                                 found: n < 0 ? FileErrorReason.describe(errno: errno) : "the end of the file after \(done) (it changed while read)")
            }
            done += n
        }
    }

    /// The checks of ``init(bytes:source:dtypes:)`` on a file of
    /// `fileSize` bytes whose first bytes are `prefix`: at least the
    /// length and the header, when the file has them.
    private init(prefix bytes: ArraySlice<UInt8>, fileSize: Int, storage: Storage, source: String, dtypes: [DType]) throws {
        func fail(_ expected: String, _ found: String) -> InputError { InputError(file: source, expected: expected, found: found) }
        guard fileSize >= 8 else {
            throw fail("a safetensors file (an 8-byte header length, a JSON header, the data)", "\(fileSize) bytes")
        }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[bytes.startIndex + i]) << (8 * UInt64(i)) }
        guard n <= UInt64(min(fileSize - 8, Self.maximumHeaderBytes)) else {
            throw fail("a safetensors header length of at most \(min(fileSize - 8, Self.maximumHeaderBytes)) bytes (the file's size)",
                       "a length of \(n)")
        }
        let headerEnd = 8 + Int(n)
        precondition(bytes.count >= headerEnd, "the prefix holds the header")
        let text = bytes[(bytes.startIndex + 8)..<(bytes.startIndex + headerEnd)]
        if let deep = NestingLimit.firstTooDeep(json: text) {
            throw fail("a safetensors header nested at most \(NestingLimit.maximumDepth) levels deep", "deeper nesting at column \(deep.column)")
        }
        if let problem = JSONSyntax.firstProblem(in: text) {
            throw fail("a safetensors header of JSON", "a syntax error (column \(problem.column): \(problem.message))")
        }
        guard case .object(let header)? = try? JSONDecoder().decode(JSONValue.self, from: Data(text)) else {
            throw fail("a safetensors header that is a JSON object", "another JSON value")
        }
        var metadata = [String: String]()
        var entries = [String: Entry]()
        let dataLength = fileSize - headerEnd
        // In name order, so that a file with several faults is refused for the same one every run.
        for (name, value) in header.sorted(by: { $0.key < $1.key }) {
            if name == "__metadata__" {
                guard case .object(let m) = value else { throw fail("__metadata__ as an object of strings", value.compact.prefix(60).description) }
                for (k, v) in m {
                    guard case .string(let s) = v else { throw fail("__metadata__.\(k) as a string", v.compact.prefix(60).description) }
                    metadata[k] = s
                }
                continue
            }
            let at = "tensor \(JSONValue.string(name).compact.prefix(80))"
            guard case .object(let t) = value else { throw fail("\(at) as an object", value.compact.prefix(60).description) }
            guard case .string(let named)? = t["dtype"], let dtype = DType(rawValue: named), dtypes.contains(dtype) else {
                let allowed = dtypes.map(\.spelled)
                throw fail("\(at): dtype \(allowed.dropLast().joined(separator: ", "))\(allowed.count > 1 ? " or " : "")\(allowed.last!)",
                           t["dtype"]?.compact.prefix(60).description ?? "none")
            }
            guard case .array(let dims)? = t["shape"], dims.count <= 8 else {
                throw fail("\(at): a shape of at most 8 dimensions", t["shape"]?.compact.prefix(60).description ?? "none")
            }
            var shape = [Int](), count = 1
            for d in dims {
                guard case .int(let k) = d, k >= 0 else { throw fail("\(at): non-negative integer dimensions", d.compact.prefix(60).description) }
                let (product, overflow) = count.multipliedReportingOverflow(by: k)
                guard !overflow, product <= dataLength / dtype.width else {
                    throw fail("\(at): a shape whose values fit in the file's \(dataLength) bytes of data", t["shape"]!.compact.prefix(60).description)
                }
                shape.append(k)
                count = product
            }
            guard case .array(let offsets)? = t["data_offsets"], offsets.count == 2,
                  case .int(let begin) = offsets[0], case .int(let end) = offsets[1],
                  begin >= 0, begin <= end, end <= dataLength else {
                throw fail("\(at): data_offsets [begin, end] within the file's \(dataLength) bytes of data",
                           t["data_offsets"]?.compact.prefix(60).description ?? "none")
            }
            guard end - begin == count * dtype.width else {
                throw fail("\(at): \(count * dtype.width) bytes of data for shape \(shape) (\(dtype.width) byte\(dtype.width == 1 ? "" : "s") a value)", "\(end - begin)")
            }
            entries[name] = Entry(shape: shape, bytes: (headerEnd + begin)..<(headerEnd + end), dtype: dtype)
        }
        // The tensors tile the data: sorted by start (then name, so that the
        // one named is the same every run), each begins where the
        // previous one ends, and the last ends at the file's end.
        var next = headerEnd
        for (name, e) in entries.sorted(by: { ($0.value.bytes.lowerBound, $0.value.bytes.upperBound, $0.key) < ($1.value.bytes.lowerBound, $1.value.bytes.upperBound, $1.key) }) {
            guard e.bytes.lowerBound == next else {
                throw fail("tensors whose data_offsets tile the data without gaps or overlaps",
                           "tensor \(JSONValue.string(name).compact.prefix(80)) at \(e.bytes.lowerBound - headerEnd) where \(next - headerEnd) was next")
            }
            next = e.bytes.upperBound
        }
        guard next == fileSize else {
            throw fail("data ending with the last tensor", "\(fileSize - next) bytes after it")
        }
        self.source = source
        self.storage = storage
        self.entries = entries
        self.metadata = metadata
    }

    /// The shape of the tensor `name`, or nil when the file has none.
    public func shape(_ name: String) -> [Int]? { entries[name]?.shape }

    /// The values of tensor `name`, C order, checked to have `shape`;
    /// `field` names it in the error (a model's field, say).
    public func values(_ name: String, shape expected: [Int], field: String? = nil) throws -> [Double] {
        guard let e = entries[name] else {
            throw InputError(file: source, field: field, expected: "a tensor \"\(name)\" of shape \(expected)", found: "none")
        }
        guard e.shape == expected else {
            throw InputError(file: source, field: field, expected: "tensor \"\(name)\" of shape \(expected)", found: "shape \(e.shape)")
        }
        guard e.dtype == .f64 else {
            throw InputError(file: source, field: field, expected: "tensor \"\(name)\" of dtype F64", found: e.dtype.rawValue)
        }
        return try withBytes(of: e) { Self.littleEndianDoubles($0) }
    }

    /// The values of tensor `name` as float32, C order, checked to have
    /// `shape`: F32 as stored, F16 and BF16 widened exactly, F64 rounded
    /// to nearest. `field` names it in the error.
    public func floats(_ name: String, shape expected: [Int], field: String? = nil) throws -> [Float] {
        guard let e = entries[name] else {
            throw InputError(file: source, field: field, expected: "a tensor \"\(name)\" of shape \(expected)", found: "none")
        }
        guard e.shape == expected else {
            throw InputError(file: source, field: field, expected: "tensor \"\(name)\" of shape \(expected)", found: "shape \(e.shape)")
        }
        let count = e.bytes.count / e.dtype.width
        guard [.f64, .f32, .f16, .bf16].contains(e.dtype) else {
            throw InputError(file: source, field: field, expected: "tensor \"\(name)\" of a float dtype (F32, F16, BF16 or F64)", found: e.dtype.rawValue)
        }
        #if _endian(little)
        // float32 as stored: read straight into the values when they are in the file.
        if e.dtype == .f32, case .file(let path) = storage {
            return try [Float](unsafeUninitializedCapacity: count) { out, initialized in
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw InputError(file: source, expected: "a readable safetensors file", found: FileErrorReason.describe(errno: errno)) }
                defer { close(fd) }
                try Self.readFully(fd, into: UnsafeMutableRawBufferPointer(out), at: e.bytes.lowerBound, source: source)
                initialized = count
            }
        }
        #endif
        return try withBytes(of: e) { src in
            switch e.dtype {
            case .f64: return (0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))) }
            case .f32: return (0..<count).map { Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            case .f16: return (0..<count).map { Float(Float16(bitPattern: UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)))) }
            // bfloat16 is float32's top half: its bits, shifted back.
            case .bf16: return (0..<count).map { Float(bitPattern: UInt32(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) << 16) }
            case .i64, .i32, .i16, .i8, .u8, .bool: preconditionFailure("checked above")
            }
        }
    }

    /// `body` on the stored bytes of tensor `e`: a view of the file's bytes
    /// in memory, or the tensor's bytes read from the file.
    private func withBytes<R>(of e: Entry, _ body: (UnsafeRawBufferPointer) -> R) throws -> R {
        switch storage {
        case .memory(let bytes):
            return bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[e.bytes])) }
        case .file(let path):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw InputError(file: source, expected: "a readable safetensors file", found: FileErrorReason.describe(errno: errno)) }
            defer { close(fd) }
            return try Self.read(fd, at: e.bytes.lowerBound, count: e.bytes.count, source: source).withUnsafeBytes(body)
        }
    }

    /// The doubles stored little-endian in `src` (a multiple of 8 bytes).
    static func littleEndianDoubles(_ src: UnsafeRawBufferPointer) -> [Double] {
        let count = src.count / 8
        return [Double](unsafeUninitializedCapacity: count) { out, initialized in
            #if _endian(little)
            UnsafeMutableRawBufferPointer(out).copyMemory(from: src)
            #else
            for i in 0..<count { out[i] = Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))) }
            #endif
            initialized = count
        }
    }
}
