import Testing
import Foundation
@testable import SynthctlCore
import TestSupport

/// SafetensorsFile: what it writes reads back, laid out as the format says;
/// a damaged or hostile file is one line naming it, never a trap or an
/// allocation its bytes do not back.
@Suite struct SafetensorsFileTests {
    static let tensors = [
        SafetensorsFile.Tensor(name: "b", shape: [2, 3], values: [1, -2.5, 3e300, 0, -0.0, .leastNonzeroMagnitude]),
        SafetensorsFile.Tensor(name: "a", shape: [1], values: [42]),
        SafetensorsFile.Tensor(name: "empty", shape: [0, 5], values: []),
    ]

    /// 8 + N bytes, N padded so the data starts 8-byte aligned; every value back bit for bit.
    @Test func whatIsWrittenReadsBack() throws {
        let bytes = SafetensorsFile.encode(Self.tensors, metadata: ["format": "synthctl-model"])
        let n = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect((8 + n) % 8 == 0 && bytes.count == 8 + n + 7 * 8)
        let file = try SafetensorsFile(bytes: bytes, source: "t.safetensors")
        #expect(file.names == ["a", "b", "empty"] && file.metadata == ["format": "synthctl-model"])
        for t in Self.tensors {
            let values = try file.values(t.name, shape: t.shape)
            #expect(values.map(\.bitPattern) == t.values.map(\.bitPattern), "\(t.name)")
        }
        #expect(errorMessage { _ = try file.values("b", shape: [3, 2], field: "classes[0].mean") }
            == "t.safetensors: classes[0].mean: expected tensor \"b\" of shape [3, 2], found shape [2, 3]")
        #expect(errorMessage { _ = try file.values("c", shape: [1]) } == "t.safetensors: expected a tensor \"c\" of shape [1], found none")
    }

    func file(header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        return withUnsafeBytes(of: (length ?? UInt64(h.count)).littleEndian, Array.init) + h + data
    }

    @Test func damagedFilesAreOneLineEach() {
        let eight = [UInt8](repeating: 0, count: 8)
        let cases: [([UInt8], String)] = [
            ([1, 2, 3], "expected a safetensors file (an 8-byte header length, a JSON header, the data), found 3 bytes"),
            (file(header: "{}", length: UInt64.max), "expected a safetensors header length of at most 2 bytes (the file's size), found a length of 18446744073709551615"),
            (file(header: "{\"a\": ", length: 6), "expected a safetensors header of JSON, found a syntax error"),
            (file(header: "[1]"), "expected a safetensors header that is a JSON object, found another JSON value"),
            (file(header: String(repeating: "[", count: 100)), "expected a safetensors header nested at most 64 levels deep"),
            (file(header: #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, data: eight), #"tensor "a": dtype "F64" (little-endian float64), found "F32""#),
            (file(header: #"{"a": {"dtype": "F64", "shape": [-1], "data_offsets": [0, 8]}}"#, data: eight), "tensor \"a\": non-negative integer dimensions, found -1"),
            (file(header: #"{"a": {"dtype": "F64", "shape": [4611686018427387904, 4], "data_offsets": [0, 8]}}"#, data: eight),
             "tensor \"a\": a shape whose values fit in the file's 8 bytes of data"),
            (file(header: #"{"a": {"dtype": "F64", "shape": [1], "data_offsets": [0, 16]}}"#, data: eight), "tensor \"a\": data_offsets [begin, end] within the file's 8 bytes of data, found [0,16]"),
            (file(header: #"{"a": {"dtype": "F64", "shape": [1], "data_offsets": [8, 0]}}"#, data: eight), "data_offsets [begin, end] within"),
            (file(header: #"{"a": {"dtype": "F64", "shape": [0], "data_offsets": [0, 8]}}"#, data: eight), "tensor \"a\": 0 bytes of data for shape [0] (8 bytes a value), found 8"),
            (file(header: #"{"a": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}, "b": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}}"#, data: eight + eight),
             "expected tensors whose data_offsets tile the data without gaps or overlaps, found tensor \"b\" at 0 where 8 was next"),
            (file(header: #"{"a": {"dtype": "F64", "shape": [1], "data_offsets": [8, 16]}}"#, data: eight + eight), "tensor \"a\" at 8 where 0 was next"),
            (file(header: #"{"a": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}}"#, data: eight + eight), "expected data ending with the last tensor, found 8 bytes after it"),
            (file(header: #"{"__metadata__": {"k": 1}}"#), "expected __metadata__.k as a string, found 1"),
        ]
        for (bytes, expected) in cases {
            let m = errorMessage { _ = try SafetensorsFile(bytes: bytes, source: "t.safetensors") }
            #expect(m?.hasPrefix("t.safetensors: ") == true && m?.contains(expected) == true && m?.contains("\n") == false, "\(m ?? "read") vs \(expected)")
        }
    }

    /// A sentence-transformers checkpoint's dtypes: F16 and BF16 widen to
    /// float32 exactly (every half and bfloat16 value is a float32 value),
    /// F64 rounds to nearest; an I64 buffer is read past (its bytes still
    /// tile the data) and refused where floats are asked for; the F64-only
    /// reader refuses the others.
    @Test func halfBFloatAndIntegerTensors() throws {
        func le<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) } }
        // F16: 1, -2, the largest finite 65504, the smallest subnormal 2⁻²⁴, -0, +∞, 1/3 rounded (0x3555).
        let half: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x7C00, 0x3555]
        let halfValues: [Float] = [1, -2, 65504, 0x1p-24, -0.0, .infinity, 0.333251953125]
        // BF16: float32's top 16 bits: 1, -3, the largest finite, a float32 subnormal, 0x3EAB.
        let brain: [UInt16] = [0x3F80, 0xC040, 0x7F7F, 0x0001, 0x3EAB]
        let brainValues = [Float(1), -3, Float(bitPattern: 0x7F7F_0000), Float(bitPattern: 0x0001_0000), Float(bitPattern: 0x3EAB_0000)]
        let doubles: [Double] = [0.1, -1e300, 1e-50]
        let header = #"{"h": {"dtype": "F16", "shape": [7], "data_offsets": [0, 14]}, "b": {"dtype": "BF16", "shape": [5], "data_offsets": [14, 24]}, "#
            + #""d": {"dtype": "F64", "shape": [3], "data_offsets": [24, 48]}, "ids": {"dtype": "I64", "shape": [1, 2], "data_offsets": [48, 64]}}"#
        let bytes = file(header: header, data: le(half) + le(brain) + le(doubles.map(\.bitPattern)) + le([Int64(0), 1]))
        let all = try SafetensorsFile(bytes: bytes, source: "m.safetensors", dtypes: SafetensorsFile.DType.allCases)
        #expect(try all.floats("h", shape: [7]).map(\.bitPattern) == halfValues.map(\.bitPattern))
        #expect(try all.floats("b", shape: [5]).map(\.bitPattern) == brainValues.map(\.bitPattern))
        #expect(try all.floats("d", shape: [3]) == [Float(0.1), -.infinity, 0])
        #expect(all.shape("ids") == [1, 2])
        #expect(errorMessage { _ = try all.floats("ids", shape: [1, 2], field: "position_ids") }
            == "m.safetensors: position_ids: expected tensor \"ids\" of a float dtype (F32, F16, BF16 or F64), found I64")
        #expect(errorMessage { _ = try all.values("h", shape: [7]) } == "m.safetensors: expected tensor \"h\" of dtype F64, found F16")
        #expect(errorMessage { _ = try all.floats("h", shape: [8]) } == "m.safetensors: expected tensor \"h\" of shape [8], found shape [7]")
        #expect(errorMessage { _ = try all.floats("x", shape: [1]) } == "m.safetensors: expected a tensor \"x\" of shape [1], found none")
        // A fitted model's reader takes F64 only; a dtype no reader knows is refused with the allowed list.
        #expect(errorMessage { _ = try SafetensorsFile(bytes: bytes, source: "m.safetensors") }?.contains(#"dtype "F64" (little-endian float64), found "#) == true)
        let eight = file(header: #"{"a": {"dtype": "F8_E4M3", "shape": [8], "data_offsets": [0, 8]}}"#, data: [UInt8](repeating: 0, count: 8))
        #expect(errorMessage { _ = try SafetensorsFile(bytes: eight, source: "m.safetensors", dtypes: [.f32, .f16, .bf16]) }
            == #"m.safetensors: expected tensor "a": dtype "F32" (float32), "F16" (IEEE half) or "BF16" (bfloat16), found "F8_E4M3""#)
        // Two bytes a value: a shape of 3 halves needs 6 bytes.
        let short = file(header: #"{"a": {"dtype": "F16", "shape": [3], "data_offsets": [0, 8]}}"#, data: [UInt8](repeating: 0, count: 8))
        #expect(errorMessage { _ = try SafetensorsFile(bytes: short, source: "m.safetensors", dtypes: [.f16]) }
            == #"m.safetensors: expected tensor "a": 6 bytes of data for shape [3] (2 bytes a value), found 8"#)
    }

    /// Fuzz: a valid file with random bytes changed, cut short or extended.
    /// Every outcome is a file whose tensors lie within its bytes, or one line.
    @Test func damagedBytesNeverTrap() throws {
        let good = SafetensorsFile.encode(Self.tensors, metadata: ["m": "x"])
        var rng = SplitMix64(seed: 0x5EED2412)  // seeded: a failure replays, CI never flakes
        let d = temporaryDirectory()
        for i in 0..<500 {
            var bytes = good
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[at] = [UInt8.random(in: 0...255, using: &rng), UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "["), 0xff].randomElement(using: &rng)!
            }
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            case 1: bytes += [UInt8](repeating: 0, count: Int.random(in: 1...16, using: &rng))
            default: break
            }
            let path = "\(d)/\(i).safetensors"
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            // Read a tensor at a time from the file, the outcome is the whole read's, message or bits.
            #expect(outcome { try SafetensorsFile(path: path) } == outcome { try SafetensorsFile(readingTensorsFrom: path, dtypes: [.f64]) })
            do {
                let file = try SafetensorsFile(path: path)
                for name in file.names {
                    let shape = try #require(file.shape(name))
                    #expect(try file.values(name, shape: shape).count * 8 <= bytes.count)
                }
            } catch let e as any SynthctlError {
                #expect(e.message.hasPrefix("\(path): ") && !e.message.contains("\n"), "\(e.message)")
            }
        }
    }

    /// A file's tensors, each as its values' bits, or the error's line.
    func outcome(_ open: () throws -> SafetensorsFile) -> String {
        do {
            let file = try open()
            return try file.names.map { name in "\(name): \(try file.values(name, shape: file.shape(name)!).map(\.bitPattern))" }.joined(separator: "; ")
        } catch let e as any SynthctlError {
            return "error: " + e.message
        } catch {
            return "other: \(error)"
        }
    }

    /// Reading tensors from the file as they are asked for gives the whole
    /// read's values for every float dtype (F32 read straight into the
    /// values); a file cut after its header was read is one line naming it;
    /// a missing file, a directory and a device are refused in one line.
    @Test func tensorsReadFromTheFileAreTheWholeReadsValues() throws {
        func le<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) } }
        let floats: [Float] = [1, -2.5, .pi, -0.0, .infinity, .leastNonzeroMagnitude, 3e38]
        let header = #"{"f": {"dtype": "F32", "shape": [7], "data_offsets": [0, 28]}, "h": {"dtype": "F16", "shape": [2], "data_offsets": [28, 32]}, "#
            + #""b": {"dtype": "BF16", "shape": [2], "data_offsets": [32, 36]}, "d": {"dtype": "F64", "shape": [1, 2], "data_offsets": [36, 52]}}"#
        let bytes = file(header: header, data: le(floats.map(\.bitPattern)) + le([UInt16(0x3C00), 0xC000]) + le([UInt16(0x3F80), 0x3EAB])
                         + le([Double(0.1), -7].map(\.bitPattern)))
        let d = temporaryDirectory()
        let path = "\(d)/m.safetensors"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let whole = try SafetensorsFile(bytes: bytes, source: path, dtypes: SafetensorsFile.DType.allCases)
        let lazy = try SafetensorsFile(readingTensorsFrom: path, dtypes: SafetensorsFile.DType.allCases)
        #expect(lazy.names == whole.names)
        for name in whole.names {
            let shape = try #require(whole.shape(name))
            #expect(try lazy.floats(name, shape: shape).map(\.bitPattern) == whole.floats(name, shape: shape).map(\.bitPattern), "\(name)")
        }
        #expect(try lazy.floats("f", shape: [7]).map(\.bitPattern) == floats.map(\.bitPattern))
        #expect(try lazy.values("d", shape: [1, 2]) == [0.1, -7])
        // The file cut short after the header was read: the tensor's read says so.
        let cut = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try cut.truncate(atOffset: UInt64(bytes.count - 44))  // 8 bytes of data left
        try cut.close()
        #expect(errorMessage { _ = try lazy.floats("f", shape: [7]) }
            == "\(path): expected 28 bytes at offset \(bytes.count - 52), found the end of the file after 8 (it changed while read)")
        #expect(errorMessage { _ = try lazy.values("d", shape: [1, 2]) }
            == "\(path): expected 16 bytes at offset \(bytes.count - 16), found the end of the file after 0 (it changed while read)")
        #expect(errorMessage { _ = try SafetensorsFile(readingTensorsFrom: "\(d)/none.safetensors", dtypes: [.f32]) }
            == "\(d)/none.safetensors: expected a readable safetensors file, found no such file or directory")
        #expect(errorMessage { _ = try SafetensorsFile(readingTensorsFrom: d, dtypes: [.f32]) } == "\(d): expected a safetensors file, found a directory")
        #expect(errorMessage { _ = try SafetensorsFile(readingTensorsFrom: "/dev/null", dtypes: [.f32]) }
            == "/dev/null: expected a safetensors file, found not a regular file")
    }
}
