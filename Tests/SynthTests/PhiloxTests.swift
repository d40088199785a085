import Testing
@testable import Synth
@testable import SynthctlCore

/// Known-answer vectors published with Random123 (kat_vectors, "philox4x32 10").
@Suite struct PhiloxTests {
    static let vectors: [(counter: SIMD4<UInt32>, key: SIMD2<UInt32>, expected: SIMD4<UInt32>)] = [
        (SIMD4(0, 0, 0, 0), SIMD2(0, 0), SIMD4(0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8)),
        (SIMD4(repeating: 0xffff_ffff), SIMD2(repeating: 0xffff_ffff),
         SIMD4(0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd)),
        (SIMD4(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), SIMD2(0xa409_3822, 0x299f_31d0),
         SIMD4(0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1)),
    ]

    @Test func scalarMatchesPublishedVectors() {
        for v in Self.vectors {
            #expect(Philox4x32(key: v.key).block(v.counter) == v.expected)
        }
    }

    @Test func vectorLanesMatchScalar() {
        for v in Self.vectors {
            let g = Philox4x32(key: v.key)
            var c0 = SIMD8<UInt32>(repeating: v.counter[0])
            c0[3] = v.counter[0] &+ 17
            let (x0, x1, x2, x3) = g.blocks(
                c0, SIMD8(repeating: v.counter[1]), SIMD8(repeating: v.counter[2]), SIMD8(repeating: v.counter[3]))
            #expect(SIMD4(x0[0], x1[0], x2[0], x3[0]) == v.expected)
            #expect(SIMD4(x0[7], x1[7], x2[7], x3[7]) == v.expected)
            var shifted = v.counter
            shifted[0] = shifted[0] &+ 17
            #expect(SIMD4(x0[3], x1[3], x2[3], x3[3]) == g.block(shifted))
        }
    }
}
