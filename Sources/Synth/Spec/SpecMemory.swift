import SynthctlCore

/// What reading a spec or model file holds in memory, estimated from its
/// text before anything is decoded, so that `--max-memory` stops a large
/// model file (`synthctl fit` of 384 features × 50 classes writes 88 MB,
/// which took 460 MB to decode and 508 MB to sample) before the decoder
/// allocates, rather than counting only the file's bytes.
///
/// For a text of B bytes holding at most V values (``valueCount(in:json:)``),
/// the terms are:
/// - **the text**, held three times while it is decoded (the bytes read,
///   as `Data`, as `String`; ``SpecLoader``): 3·B bytes;
/// - **the JSON decoder's map**: Foundation's JSON scanner records three
///   words per value (its type, offset and length) in an array that
///   doubles as it grows: at most 2 × 24 bytes per value;
/// - **the decoded tree**: one ``JSONValue`` per value,
///   `MemoryLayout<JSONValue>.stride` bytes each (arrays and objects add a
///   header per container, which the count of `[` and `{` covers);
/// - **the numbers as a fitted model decodes them** (a model file, or a
///   manifest whose spec embeds one): a class's lower-triangular factor
///   of t = d(d+1)/2 numbers becomes a d × d Double matrix
///   (8d² = 16t·d/(d+1) < 16t bytes), read through a Double copy of its
///   rows (8t) and, for sampling, transposed into a d × d Float matrix
///   (< 8t): at most 32 bytes per value (means, weights and copula
///   quantiles take 8).
///
/// A model file of the two-file form (``FittedModelFile``) is a small JSON
/// estimated as above, and its tensors (``estimate(forTensors:)``).
///
/// The terms are summed although the text and the map are freed before a
/// model is decoded, so the total bounds the peak from above rather than
/// equalling it. YAML is estimated with the same terms (its parser's
/// nodes are held instead of the JSON map).
public enum SpecMemory {
    /// The bytes of the scanner's map per value: 3 words, twice over while its array doubles.
    static let mapBytesPerValue = 2 * 3 * MemoryLayout<Int>.stride
    /// The bytes a fitted model's decoding makes of each number: see the type's comment.
    static let modelBytesPerValue = 32

    /// The estimate for `bytes`, the text of a spec or model file.
    public static func estimate(for bytes: [UInt8], json: Bool) -> MemoryEstimate {
        let b = bytes.count, v = valueCount(in: bytes, json: json)
        var e = MemoryEstimate()
        e.add("the file's text, held three times while it is decoded (\(b) bytes × 3)", b, 3)
        e.add("the decoder's map of its values (at most \(v) values × 3 words × 8 bytes × 2)", v, mapBytesPerValue)
        e.add("its values decoded (\(v) values × \(MemoryLayout<JSONValue>.stride) bytes)", v, MemoryLayout<JSONValue>.stride)
        e.add("its numbers as a fitted model's factors (\(v) values × \(modelBytesPerValue) bytes)", v, modelBytesPerValue)
        return e
    }

    /// What reading a model's safetensors file of `bytes` bytes holds: the
    /// file's bytes, their copy as the model's Double arrays (the same
    /// size: 8 bytes a value either way), and for sampling the factors
    /// transposed into Float (at most half of it), and the copy a dataset
    /// directory gets (the file once more while it is written): 3.5 times
    /// the file, counted as 4.
    public static func estimate(forTensors bytes: Int) -> MemoryEstimate {
        var e = MemoryEstimate()
        e.add("the model's tensors, read, decoded, as sampling factors and copied (\(bytes) bytes × 4)", bytes, 4)
        return e
    }

    /// An upper bound on the number of values in the text: one, plus one
    /// per `,`, `[` and `{` outside double-quoted strings (every value but
    /// the first follows one of them; an empty container counts one too
    /// many). For YAML also one per line break and per `- ` (block
    /// sequences and mappings put a value on each line, or several after
    /// dashes).
    static func valueCount(in bytes: [UInt8], json: Bool) -> Int {
        var count = 1, inString = false, escaped = false
        for (i, b) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{"): count += 1
            case UInt8(ascii: "\n") where !json: count += 1
            case UInt8(ascii: "-") where !json && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: " "): count += 1
            default: break
            }
        }
        return count
    }
}
