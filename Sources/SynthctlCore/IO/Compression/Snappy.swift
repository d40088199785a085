import CSnappy

/// Snappy (google/snappy, through its C interface `snappy-c.h`): the raw
/// format of `format_description.txt` — a varint of the uncompressed length,
/// then literals and back-references. pyarrow's and Spark's default Parquet
/// codec.
public enum Snappy: CompressionCodec {
    public static let name = "Snappy"

    /// The most one compressed byte can expand to: a 3-byte copy (tag and
    /// 2-byte offset) writes at most 64 bytes, so ⌈64/3⌉ per byte bounds any
    /// valid stream, and a stated length above it is refused before any
    /// allocation.
    static let maximumExpansion = 22

    public static func decompress(_ bytes: ArraySlice<UInt8>, expectedSize: Int) throws(CompressionError) -> [UInt8] {
        try checkStated(expectedSize)
        guard let stated = _UnsafeSnappy.statedLength(bytes) else { throw failure(expectedSize, "no valid length at its start") }
        guard stated == expectedSize else { throw failure(expectedSize, "a stated length of \(stated) bytes") }
        guard stated <= bytes.count * maximumExpansion else {
            throw failure(expectedSize, "\(bytes.count) compressed bytes, which hold at most \(bytes.count * maximumExpansion)")
        }
        if stated == 0 {  // the varint 0 alone: nothing to hand the library a buffer for
            guard bytes.count == 1 else { throw failure(expectedSize, "corrupt data") }
            return []
        }
        guard let out = _UnsafeSnappy.uncompress(bytes, length: stated) else { throw failure(expectedSize, "corrupt data") }
        return out
    }

    public static func compress(_ bytes: ArraySlice<UInt8>, level: Int? = nil) -> [UInt8] {
        _UnsafeSnappy.compress(bytes)
    }
}

/// The pointer calls into libsnappy. Preconditions (held by the callers
/// here): the input buffer is valid for its count; the output buffer has
/// the capacity passed as its length.
enum _UnsafeSnappy {
    static func statedLength(_ bytes: ArraySlice<UInt8>) -> Int? {
        bytes.withUnsafeBufferPointer { input -> Int? in
            var length = 0
            let status = input.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: input.count) {
                    snappy_uncompressed_length($0, input.count, &length)
                }
            } ?? SNAPPY_INVALID_INPUT
            return status == SNAPPY_OK ? length : nil
        }
    }

    /// `length` must be the stream's stated length (so the output fits).
    static func uncompress(_ bytes: ArraySlice<UInt8>, length: Int) -> [UInt8]? {
        var ok = false
        let out = bytes.withUnsafeBufferPointer { input in
            [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                var produced = length
                let status = input.baseAddress!.withMemoryRebound(to: CChar.self, capacity: input.count) { source in
                    buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: length) {
                        snappy_uncompress(source, input.count, $0, &produced)
                    }
                }
                ok = status == SNAPPY_OK && produced == length
                count = ok ? length : 0
            }
        }
        return ok ? out : nil
    }

    static func compress(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.withUnsafeBytes { compress(raw: $0) }
    }

    /// ``compress(_:)`` of the bytes at `raw`. Precondition: `raw` stays
    /// valid and unchanged during the call.
    static func compress(raw: UnsafeRawBufferPointer) -> [UInt8] {
        let bound = snappy_max_compressed_length(raw.count)
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            count = compress(raw: raw, into: UnsafeMutableRawPointer(buffer.baseAddress!), capacity: bound)
        }
    }

    /// Compresses the bytes at `raw` into `target`; returns the bytes
    /// written. Preconditions: `raw` stays valid and unchanged during the
    /// call; `target` holds `capacity` ≥ `snappy_max_compressed_length(raw.count)`
    /// writable bytes that do not overlap `raw`.
    static func compress(raw: UnsafeRawBufferPointer, into target: UnsafeMutableRawPointer, capacity: Int) -> Int {
        var produced = capacity
        let empty: CChar = 0
        let status = target.withMemoryRebound(to: CChar.self, capacity: capacity) { out in
            // C's char may read any memory.
            if let base = raw.baseAddress {
                snappy_compress(base.assumingMemoryBound(to: CChar.self), raw.count, out, &produced)
            } else {
                withUnsafePointer(to: empty) { snappy_compress($0, 0, out, &produced) }
            }
        }
        precondition(status == SNAPPY_OK, "snappy_compress failed with a buffer of snappy_max_compressed_length")
        return produced
    }
}
