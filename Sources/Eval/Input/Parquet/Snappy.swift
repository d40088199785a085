import Synth
import SynthctlCore

/// Snappy decompression (the format of google/snappy's format_description):
/// a varint of the uncompressed length, then literals and back-references.
/// Parquet's default codec in pyarrow and Spark. Every length and offset is
/// checked against the buffers, so corrupt input throws, never traps.
enum Snappy {
    static func decompress(_ input: ArraySlice<UInt8>, expected: Int, describe: String) throws -> [UInt8] {
        var p = input.startIndex
        let end = input.endIndex
        func bad(_ what: String) -> SynthError { SynthError("\(describe): expected valid Snappy data, found \(what)") }
        var length = 0, shift = 0
        while true {
            guard p < end else { throw bad("a truncated length") }
            let b = input[p]; p += 1
            length |= Int(b & 0x7f) << shift
            if b & 0x80 == 0 { break }
            shift += 7
            guard shift < 35 else { throw bad("an overlong length") }
        }
        guard length == expected else { throw bad("\(length) bytes where the page header says \(expected)") }
        // The densest element, a 3-byte copy, makes 64 bytes: a length above
        // 64/3 of the input cannot be real and must not size an allocation.
        guard length <= (end - p) * 22 else { throw bad("a length of \(length) bytes from \(end - p) compressed bytes") }
        var out = [UInt8]()
        out.reserveCapacity(length)
        while p < end {
            let tag = input[p]; p += 1
            switch tag & 3 {
            case 0:
                var n = Int(tag >> 2)
                if n >= 60 {
                    let extra = n - 59
                    guard p + extra <= end else { throw bad("a truncated literal length") }
                    n = 0
                    for i in 0..<extra { n |= Int(input[p + i]) << (8 * i) }
                    p += extra
                }
                n += 1
                guard p + n <= end, out.count + n <= length else { throw bad("a literal past the end") }
                out.append(contentsOf: input[p..<(p + n)])
                p += n
            default:
                let n: Int, offset: Int
                switch tag & 3 {
                case 1:
                    guard p < end else { throw bad("a truncated copy") }
                    n = Int((tag >> 2) & 7) + 4
                    offset = (Int(tag >> 5) << 8) | Int(input[p]); p += 1
                case 2:
                    guard p + 2 <= end else { throw bad("a truncated copy") }
                    n = Int(tag >> 2) + 1
                    offset = Int(input[p]) | Int(input[p + 1]) << 8; p += 2
                default:
                    guard p + 4 <= end else { throw bad("a truncated copy") }
                    n = Int(tag >> 2) + 1
                    offset = Int(input[p]) | Int(input[p + 1]) << 8 | Int(input[p + 2]) << 16 | Int(input[p + 3]) << 24; p += 4
                }
                guard offset > 0, offset <= out.count, out.count + n <= length else { throw bad("a copy outside the output") }
                // Byte by byte: a copy may overlap the bytes it produces.
                let start = out.count - offset
                for i in 0..<n { out.append(out[start + i]) }
            }
        }
        guard out.count == length else { throw bad("\(out.count) bytes where \(length) were promised") }
        return out
    }
}
