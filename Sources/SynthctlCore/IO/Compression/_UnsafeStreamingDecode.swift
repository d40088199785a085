/// The output loop of the streaming decoders (gzip, zstd, Brotli): the
/// library writes into a fixed 64 KiB scratch buffer, whose bytes are
/// appended to an array that grows with the real output. Memory therefore
/// follows what the compressed bytes produce, never the size a container
/// claims, and decoding stops one step past `expectedSize` (a bomb).
enum _UnsafeStreamingDecode {
    /// What one call of the library did.
    enum Step {
        /// Wrote some bytes; call again.
        case progress(Int)
        /// Wrote some bytes and reached the end of the compressed data.
        case finished(Int)
        /// Cannot go on: corrupt data, described in the library's words.
        case corrupt(String)
        /// Used all its input without reaching the end of the data.
        case truncated
    }

    static let scratchSize = 1 << 16

    /// Calls `step` until it finishes, fails, or has written more than
    /// `expectedSize` bytes; returns the bytes written.
    ///
    /// Preconditions on `step`: it writes at most `space.count` bytes, at the
    /// start of `space`, reports how many it wrote, and keeps no pointer to
    /// `space` after it returns; each call makes progress or reports
    /// `.truncated` or `.corrupt` (so the loop ends).
    static func collect<C: CompressionCodec>(
        _ codec: C.Type, expectedSize: Int, reserve: Int,
        _ step: (_ space: UnsafeMutableBufferPointer<UInt8>) -> Step
    ) throws(CompressionError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(min(expectedSize, reserve))
        var scratch = [UInt8](repeating: 0, count: scratchSize)
        while true {
            let result = scratch.withUnsafeMutableBufferPointer { step($0) }
            let written: Int
            switch result {
            case .progress(let n), .finished(let n): written = n
            case .corrupt(let why): throw C.failure(expectedSize, "corrupt data after \(out.count) bytes (\(why))")
            case .truncated: throw C.failure(expectedSize, "data that ends after \(out.count) bytes")
            }
            guard written <= expectedSize - out.count else {
                throw C.failure(expectedSize, "more than \(expectedSize) bytes")
            }
            out.append(contentsOf: scratch[0..<written])
            if case .finished = result { break }
        }
        guard out.count == expectedSize else { throw C.failure(expectedSize, "\(out.count) bytes") }
        return out
    }
}
