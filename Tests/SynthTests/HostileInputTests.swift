import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore
import TestSupport

/// Inputs built to trap, recurse or allocate without end: each gets one line
/// (a typed SynthctlError or a MemoryLimitExceeded naming the file or field), never
/// a trap, a stack overflow, an unbounded allocation or a hang.
@Suite struct HostileInputTests {
    func npy(_ header: String, payload: [UInt8] = [], major: UInt8 = 1) -> Data {
        let h = Array(header.utf8)
        let length: [UInt8] = major == 1 ? [UInt8(h.count & 0xff), UInt8(h.count >> 8)]
                                         : [UInt8(h.count & 0xff), UInt8(h.count >> 8 & 0xff), UInt8(h.count >> 16 & 0xff), UInt8(h.count >> 24)]
        return Data([0x93] + Array("NUMPY".utf8) + [major, 0] + length + h + payload)
    }

    func header(_ descr: String, _ shape: String) -> String { "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }" }

    /// The error's one line, whichever of the two kinds it is.
    func refusal(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as any SynthctlError { return e.message } catch { return "\(error)" }
    }

    @Test func npyHeadersThatClaimImpossibleShapes() throws {
        let d = temporaryDirectory()
        let cases: [(Data, String)] = [
            // 10¹² × 10⁷ float32: the byte count overflows Int64.
            (npy(header("<f4", "(1000000000000, 10000000)")), "shape: expected a shape whose data fits in a file, found (1000000000000, 10000000) of 4-byte values"),
            (npy(header("<f8", "(9223372036854775807,)")), "shape: expected a shape whose data fits in a file"),
            (npy(header("<f4", "(1000000000000, 1000000)")), "expected 4000000000000000000 bytes of data for shape [1000000000000, 1000000], found 0"),
            (npy(header("<i4", "(-1, 3)")), "shape: expected non-negative dimensions, found (-1, 3)"),
            (npy(header("<i4", "(99999999999999999999,)")), "shape: expected integer dimensions below 2^63, found (99999999999999999999)"),
            (npy(header("<i4", "(-9223372036854775808, -9223372036854775808)")), "shape: expected non-negative dimensions"),
            (npy(String(repeating: " ", count: 2_000_000), major: 2), "expected a .npy header of at most 1048576 bytes, found a length of 2000000"),
            (Data([0x93] + Array("NUMPY".utf8) + [2, 0, 0xff, 0xff, 0xff, 0xff]), "expected a .npy header of at most 1048576 bytes, found a length of 4294967295"),
            (Data([0x93] + Array("NUMPY".utf8) + [1, 0, 0xff, 0x00]), "expected a complete .npy header, found a truncated file"),
        ]
        for (i, (bytes, expected)) in cases.enumerated() {
            let path = "\(d)/\(i).npy"
            FileManager.default.createFile(atPath: path, contents: bytes)
            let m = refusal { _ = try NpyArray(path: path) }
            #expect(m?.hasPrefix("\(path): ") == true && m?.contains(expected) == true, "\(m ?? "no error")")
        }
    }

    @Test func npyShapesThatFitTheFileButNotTheBudget() throws {
        let d = temporaryDirectory()
        // An empty array whose column count alone would size per-column arrays of 8 TB.
        let empty = "\(d)/empty.npy"
        FileManager.default.createFile(atPath: empty, contents: npy(header("<f4", "(0, 1000000000000)")))
        #expect(refusal { _ = try NpyArray(path: empty, budget: MemoryBudget(limit: 1 << 40)) }?
            .hasPrefix("\(empty): expected a run within the memory limit of 1.0 TiB, found an estimate of 7.3 TiB; per-row and per-column bookkeeping") == true)
        // A real file: 1000 float64 values are 8 KB on disk and 8 KB as Double.
        let small = "\(d)/small.npy"
        FileManager.default.createFile(atPath: small, contents: npy(header("<f8", "(1000,)"), payload: [UInt8](repeating: 0, count: 8000)))
        #expect(throws: MemoryLimitExceeded.self) { _ = try NpyArray(path: small, budget: MemoryBudget(limit: 10_000)) }
        let read = try NpyArray(path: small, budget: MemoryBudget(limit: 30_000))
        #expect(read.values.count == 1000 && read.shape == [1000])
    }

    /// Fuzz: random shapes, dtypes, versions and truncations. Every outcome
    /// is a value or a one-line error; a trap would end the test process.
    @Test func randomHeadersNeverTrap() throws {
        let d = temporaryDirectory()
        var rng = SplitMix64(seed: 0x5EED2411)  // seeded: a failure replays, CI never flakes
        let dims = ["0", "1", "3", "-1", "-9223372036854775808", "9223372036854775807", "4611686018427387904",
                    "1000000000000", "2147483648", "99999999999999999999", "x", ""]
        let types = ["<f4", "<f8", "<i4", "<i8", "|u1", "<c8", ">f4", ""]
        for i in 0..<300 {
            let rank = Int.random(in: 0...3, using: &rng)
            let shape = "(" + (0..<rank).map { _ in dims.randomElement(using: &rng)! }.joined(separator: ", ") + (rank == 1 ? ",)" : ")")
            let payload = [UInt8](repeating: 0, count: [0, 4, 12, 24].randomElement(using: &rng)!)
            var bytes = npy(header(types.randomElement(using: &rng)!, shape), payload: payload, major: [1, 2, 3].randomElement(using: &rng)!)
            if Bool.random(using: &rng) { bytes = bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)) }
            let path = "\(d)/\(i).npy"
            FileManager.default.createFile(atPath: path, contents: bytes)
            do {
                let a = try NpyArray(path: path, budget: MemoryBudget(limit: 1 << 30))
                #expect(a.values.count * (a.descr.hasSuffix("8") ? 8 : a.descr.hasSuffix("4") ? 4 : 1) <= payload.count)
            } catch let e as any SynthctlError {
                #expect(e.message.hasPrefix("\(path): ") && !e.message.contains("\n"), "\(e.message)")
            } catch let e as MemoryLimitExceeded {
                #expect(e.subject == path)
            }
        }
    }

    func loadSpec(_ text: String, _ name: String) -> String? {
        let path = "\(temporaryDirectory())/\(name)"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return refusal { _ = try SpecLoader.load(path: path) }.map { $0.replacingOccurrences(of: path, with: name) }
    }

    @Test func yamlAliasesAreRefusedBeforeTheyExpand() {
        // "Billion laughs": 30 levels of ten aliases each would be 10³⁰ values.
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1..<30 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
        #expect(loadSpec(lines.joined(separator: "\n"), "laughs.yaml")
            == "laughs.yaml: expected no YAML aliases in a spec, found *a0 (the value anchored at line 1, column 5); write the value out instead")
        #expect(loadSpec("base: &b {type: moons}\ngenerator:\n  <<: *b\n", "merge.yaml")?.contains("expected no YAML aliases in a spec, found *b") == true)
        // An anchor nobody refers to is harmless.
        #expect(loadSpec("rows: 10\ngenerator: &g {type: moons}\n", "anchor.yaml") == nil)
    }

    @Test func deeplyNestedSpecsAreRefusedWithoutRecursing() {
        let deep = 100_000
        #expect(loadSpec("{\"rows\": " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + "}", "deep.json")
            == "deep.json: expected JSON nested at most 64 levels deep, found deeper nesting at line 1, column 73")
        #expect(loadSpec("rows: " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + "\n", "deep.yaml")?
            .hasPrefix("deep.yaml: expected YAML nested at most 64 levels deep, found deeper nesting at line 1") == true)
        // Within libyaml's own limit (1000), the walk's limit applies.
        let block = "rows:\n" + (1...100).map { String(repeating: "  ", count: $0) + "-" }.joined(separator: "\n") + " 1\n"
        #expect(loadSpec(block, "block.yaml") == "block.yaml: expected YAML nested at most 64 levels deep, found deeper nesting at line 65, column 129")
        // Brackets inside strings do not count; 64 levels are fine.
        #expect(loadSpec("{\"name\": \"" + String(repeating: "[", count: 200) + "\", \"rows\": "
                         + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}", "ok.json") == nil)
    }

    func planMessage(_ json: String) -> String? { refusal { _ = try plan(json, source: "s.json") } }

    @Test func hugeSpecSizesAreRefusedBeforeAllocating() {
        // classes × classes noise and count matrices: 10¹² cells.
        #expect(planMessage(#"{"generator": {"classes": 1000000, "informative": 20, "redundant": 0, "clusters_per_class": 1}}"#)?
            .hasPrefix("s.json: generator.classes: expected a run within the memory limit of") == true)
        // 2^36 clusters of 4096² mixing matrices: 4 EiB, not a search that never ends.
        #expect(planMessage(#"{"generator": {"classes": 1048576, "clusters_per_class": 65536, "informative": 4096, "features": 4096, "redundant": 0}}"#)?
            .hasPrefix("s.json: generator.classes: expected a run within the memory limit of") == true)
        #expect(planMessage(#"{"generator": {"type": "blobs", "centers": 1000000000000}}"#)?
            .hasPrefix("s.json: generator.centers: expected a run within the memory limit of") == true)
        #expect(planMessage(#"{"generator": {"type": "embedding", "classes": 100000, "dim": 65536}}"#)?
            .hasPrefix("s.json: generator.classes: expected a run within the memory limit of") == true)
        #expect(planMessage(#"{"generator": {"type": "regression", "features": 1048576, "targets": 4096}}"#)?
            .contains("generator.features: expected a run within the memory limit of") == true)
        #expect(planMessage(#"{"generator": {"type": "moons"}, "annotators": {"count": 1000}}"#) == nil)
        // Sums of counts that overflowed (informative + redundant + repeated) are bounded first.
        #expect(planMessage(#"{"generator": {"redundant": 9223372036854775807, "repeated": 9223372036854775807}}"#)
            == "s.json: generator.redundant: expected an integer in [0, 1048576], found 9223372036854775807")
    }

    @Test func manyInformativeDimensionsPlaceDistinctVerticesQuickly() throws {
        // informative ≥ 63 skips the 2^d check (2^63 vertices is more than any cluster count).
        for d in [62, 63, 64, 200] {
            let p = try plan(#"{"rows": 100, "generator": {"features": \#(d), "informative": \#(d), "redundant": 0, "classes": 8, "clusters_per_class": 4}}"#)
            let g = try #require(p.generator as? ClassificationGenerator)
            #expect(Set(g.centroids.map { $0.map { $0 > 0 } }).count == 32)
        }
    }

    @Test func theVertexSearchIsBoundedAndItsFallbackDeterministic() {
        let draws = StructureDraws(seed: 3)
        // Every vertex of the 4-cube, by the search and by the fallback alone.
        for attempts in [nil, 0, 5] as [Int?] {
            let v = ClassificationGenerator.vertices(16, dimensions: 4, draws: draws, attempts: attempts)
            #expect(v.count == 16 && Set(v).count == 16)
            #expect(v == ClassificationGenerator.vertices(16, dimensions: 4, draws: draws, attempts: attempts))
        }
        // The search's own draws come first: the fallback only completes them.
        let full = ClassificationGenerator.vertices(10, dimensions: 6, draws: draws)
        let partial = ClassificationGenerator.vertices(10, dimensions: 6, draws: draws, attempts: 4)
        #expect(Array(partial.prefix(4)) == Array(full.prefix(4)))
        #expect(Set(partial).count == 10)
        // Beyond 62 axes the fallback counts on the first 62 and leaves the rest −.
        let wide = ClassificationGenerator.vertices(5, dimensions: 70, draws: draws, attempts: 0)
        #expect(Set(wide).count == 5 && wide.allSatisfy { !$0[62...].contains(true) })
    }
}

/// Fitted-model files: a size is believed only once the file holds the data.
@Suite struct HostileModelFileTests {
    @Test func aClaimedDimensionDoesNotSizeTheFactorBeforeItsRowsAreChecked() {
        // 100,000 features would be an 80 GB factor; the rows hold nothing.
        let d = 100_000
        let model: JSONValue = .object([
            "format": .string(GaussianClassModel.formatName), "format_version": .int(FittedModelFile.inlineFormatVersion),
            "model": .string(GaussianClassModel.modelName), "feature_names": JSONValue((0..<d).map { "x\($0)" }),
            "shrinkage": .string("ledoit-wolf"),
            "classes": .array([.object(["name": .string("a"), "weight": .double(1), "rows": .int(Int.max),
                                        "mean": JSONValue([Double](repeating: 0, count: d)),
                                        "cholesky": .array([JSONValue]([.array([])] + Array(repeating: .array([]), count: d - 1)))])]),
        ])
        #expect(errorMessage { _ = try GaussianClassModel(json: model, source: "m.json") }
            == "m.json: classes[0].cholesky[0]: expected 1 finite number (row 0 of a lower-triangular factor), found []")
    }

    @Test func classRowCountsThatOverflowSumToTheirBound() {
        #expect(MemoryEstimate.sum([Int.max, Int.max, 5]) == Int.max)
        #expect(errorMessage { _ = try plan(#"{"rows": 9223372036854775807}"#, source: "m.json") }
            == "m.json: rows: expected an integer in [1, 1099511627776], found 9223372036854775807")
    }
}

/// Annotator assignment: Floyd's subset sampling stays linear in per_item.
@Suite struct AnnotatorSubsetTests {
    @Test func largePerItemPicksFloydsSubsetWithoutAQuadraticScan() throws {
        let p = try plan(#"{"rows": 50, "generator": {"type": "moons"}, "annotators": {"count": 3000, "per_item": 40}}"#)
        let pool = try #require(p.annotators)
        var out = [Int32](repeating: 0, count: pool.count)
        for row in 0..<50 {
            var answers = out.mutableSpan
            pool.annotate(row: row, label: 0, out: &answers, tally: { _, _ in })
            // The reference: Floyd's algorithm with a linear membership scan.
            var reference = [Int]()
            for (draw, j) in ((pool.count - 40)..<pool.count).enumerated() {
                let t = pool.stream.integer(below: j + 1, row: UInt64(row), draw: UInt32(draw))
                reference.append(reference.contains(t) ? j : t)
            }
            #expect(Set(out.indices.filter { out[$0] >= 0 }) == Set(reference))
        }
        // Every annotator on every item: 100,000² would be 10¹⁰ steps per row with the scan.
        let all = try plan(#"{"rows": 2, "generator": {"type": "moons"}, "annotators": {"count": 100000, "per_item": 100000}}"#)
        let everyone = try #require(all.annotators)
        var row = [Int32](repeating: 0, count: everyone.count)
        var answers = row.mutableSpan
        everyone.annotate(row: 0, label: 1, out: &answers, tally: { _, _ in })
        #expect(row.allSatisfy { $0 >= 0 })
    }
}
