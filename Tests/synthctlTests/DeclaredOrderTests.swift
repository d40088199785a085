import Testing
import Foundation
@testable import Eval
import SynthctlCore
import TestSupport

/// Issue 15: an order a Parquet file declares for its label column (a
/// pandas ordered `Categorical`, a pyarrow ordered `DictionaryArray`, a
/// Polars `Enum`) is the class order of `score --answers`, as
/// `--label-order` would give it. Fixtures and krippendorff's α:
/// `Tests/Oracles/declared_order.py`.
extension CommandLineTests {
    static var declaredOrderFixtures: String { evalFixtures + "/declared_order" }

    func declaredOrderExpected() throws -> [String: [String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.declaredOrderFixtures + "/expected.json"))
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]).compactMapValues { $0 as? [String: Any] }
    }

    @Test(arguments: ["pandas.parquet", "pyarrow.parquet", "polars.parquet", "row_groups.parquet"])
    func ordinalAlphaUsesTheDeclaredOrder(file: String) throws {
        let expected = try #require(try declaredOrderExpected()[file])
        let order = try #require(expected["order"] as? [String])
        let alpha = try #require((expected["alpha"] as? [String: Double])?["ordinal"])
        let dir = tempDir()
        let r = try run(["score", "--answers", "\(Self.declaredOrderFixtures)/\(file)", "--alpha-level", "ordinal", "--json", "\(dir)/r.json"])
        #expect(r.code == 0, "\(r.stderr)")
        let report = try jsonReport("\(dir)/r.json")["annotations"] as? [String: Any] ?? [:]
        let parameters = report["parameters"] as? [String: Any] ?? [:]
        #expect(parameters["label_order"] as? [String] == order)
        #expect(parameters["label_order_source"] as? String == "parquet_declared")
        let value = try #require(((report["agreement"] as? [String: Any])?["krippendorff_alpha"] as? [String: Any])?["value"] as? Double)
        #expect(abs(value - alpha) < 1e-9, "\(file): \(value) against krippendorff's \(alpha)")
        // The same run with the order given: the same report, but for where the order came from.
        let given = try run(["score", "--answers", "\(Self.declaredOrderFixtures)/\(file)", "--alpha-level", "ordinal",
                             "--label-order", order.joined(separator: ","), "--json", "\(dir)/g.json"])
        #expect(given.code == 0, "\(given.stderr)")
        // The reports' input notes say where the order came from; the rest is the same.
        var declared = report, byHand = try jsonReport("\(dir)/g.json")["annotations"] as? [String: Any] ?? [:]
        var p = declared["parameters"] as? [String: Any] ?? [:]
        p["label_order_source"] = nil
        declared["parameters"] = p
        #expect(NSDictionary(dictionary: declared).isEqual(to: byHand), "\(file)")
    }

    @Test func anUnusedDeclaredCategoryIsAClass() throws {
        // pandas writes every category into the dictionary page, "medium" (never answered) too.
        let dir = tempDir()
        let r = try run(["score", "--answers", "\(Self.declaredOrderFixtures)/pandas.parquet", "--alpha-level", "ordinal", "--json", "\(dir)/r.json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("3 classes"))
        #expect(r.stdout.contains("class order low < medium < high: the ordered dictionary of column \"label\""), "\(r.stdout)")
    }

    @Test(arguments: ["unordered.parquet", "duckdb.parquet"])
    func filesDeclaringNoOrderAreRefusedAsBefore(file: String) throws {
        let r = try run(["score", "--answers", "\(Self.declaredOrderFixtures)/\(file)", "--alpha-level", "ordinal"])
        #expect(r.code == 2)
        #expect(r.stderr.hasPrefix("synthctl: error: --alpha-level ordinal: expected numeric labels or their order in --label-order"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        // Nominal α needs no order, and byte order is kept.
        let dir = tempDir()
        let nominal = try run(["score", "--answers", "\(Self.declaredOrderFixtures)/\(file)", "--json", "\(dir)/r.json"])
        #expect(nominal.code == 0, "\(nominal.stderr)")
        let annotations = try jsonReport("\(dir)/r.json")["annotations"] as? [String: Any]
        #expect(annotations?["parameters"] != nil && (annotations?["parameters"] as? [String: Any])?["label_order"] == nil)
    }

    /// pandas' ordered Categorical of integers (categories 3 < 1 < 2 < 7):
    /// pyarrow writes the values as INT64, and the dictionary page is in
    /// order of first appearance, so the file keeps no order. Ordinal α is
    /// refused in one line; `--label-order` gives krippendorff's α under the
    /// categories; nominal α takes numeric order, with a note.
    @Test func anOrderedDictionaryOfIntegersDeclaresNoOrder() throws {
        let expected = try #require(try declaredOrderExpected()["integers.parquet"])
        #expect(expected["ordered"] as? Bool == true && expected["kept_order"] as? Bool == false)
        let file = "\(Self.declaredOrderFixtures)/integers.parquet"
        let r = try run(["score", "--answers", file, "--alpha-level", "ordinal"])
        #expect(r.code == 2 && r.stdout.isEmpty)
        #expect(r.stderr == "synthctl: error: --alpha-level ordinal: expected the class order in --label-order, found an ordered dictionary of integers in column \"label\" of \(file), whose order Parquet does not keep (it stores the values, not the categories)\n", "\(r.stderr)")
        let dir = tempDir()
        let categories = try #require(expected["categories"] as? [Int])
        let given = try run(["score", "--answers", file, "--alpha-level", "ordinal",
                             "--label-order", categories.map(String.init).joined(separator: ","), "--json", "\(dir)/g.json"])
        #expect(given.code == 0, "\(given.stderr)")
        let declaredAlpha = try #require(expected["declared_alpha"] as? Double)
        let g = try jsonReport("\(dir)/g.json")["annotations"] as? [String: Any] ?? [:]
        let gValue = try #require(((g["agreement"] as? [String: Any])?["krippendorff_alpha"] as? [String: Any])?["value"] as? Double)
        #expect(abs(gValue - declaredAlpha) < 1e-9, "\(gValue) against krippendorff's \(declaredAlpha)")
        // Nominal: numeric order, no declared order reported, and a note saying why.
        let nominal = try run(["score", "--answers", file, "--json", "\(dir)/n.json"])
        #expect(nominal.code == 0, "\(nominal.stderr)")
        #expect(nominal.stdout.contains("note: \(file): an ordered dictionary of integers in column \"label\", whose order Parquet does not keep (it stores the values, not the categories): the labels are ordered as if the file declared none (numbers in numeric order)\n"), "\(nominal.stdout)")
        let n = try jsonReport("\(dir)/n.json")["annotations"] as? [String: Any] ?? [:]
        let parameters = n["parameters"] as? [String: Any] ?? [:]
        #expect(parameters["label_order_source"] == nil && parameters["label_order"] == nil, "\(parameters)")
        let nValue = try #require(((n["agreement"] as? [String: Any])?["krippendorff_alpha"] as? [String: Any])?["value"] as? Double)
        let nominalAlpha = try #require((expected["alpha"] as? [String: Double])?["nominal"])
        #expect(abs(nValue - nominalAlpha) < 1e-9)
        // The reader itself: an order without labels.
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        let declared = try #require(try ParquetFile(bytes: bytes, path: "p.parquet").declaredOrder(ofColumn: "label"))
        #expect(declared.labels == nil)
    }

    @Test func rowGroupsWhoseDictionariesDifferAreRefused() throws {
        let r = try run(["score", "--answers", "\(Self.declaredOrderFixtures)/row_groups_differ.parquet", "--alpha-level", "ordinal"])
        #expect(r.code == 2)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("column \"label\"") && r.stderr.contains("row group 1 (low, high)"), "\(r.stderr)")
    }

    @Test func aGarbageArrowSchemaIsOneLine() throws {
        // The blob's first 8 base64 characters (continuation marker, length) zeroed: a message of 0 bytes.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(Self.declaredOrderFixtures)/polars.parquet")))
        let at = try #require(Self.arrowSchemaValue(in: bytes))
        for k in 0..<8 { bytes[at.lowerBound + k] = UInt8(ascii: "A") }
        let dir = tempDir()
        try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/a.parquet"))
        let r = try run(["score", "--answers", "\(dir)/a.parquet", "--alpha-level", "ordinal"])
        #expect(r.code == 2)
        #expect(r.stderr.hasPrefix("synthctl: error: \(dir)/a.parquet: the footer's ARROW:schema: expected an Arrow IPC Schema message in base64, found a message length of 0"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    /// Where the base64 value of the footer key `ARROW:schema` is in a Parquet file's bytes.
    static func arrowSchemaValue(in bytes: [UInt8]) -> Range<Int>? {
        let key = Array("ARROW:schema".utf8)
        guard let k = (0...(bytes.count - key.count)).last(where: { Array(bytes[$0..<($0 + key.count)]) == key }) else { return nil }
        // Thrift compact: the value's field header (0x18, binary) and its varint length follow the key.
        var p = k + key.count + 1, length = 0, shift = 0
        while true {
            let b = bytes[p]; p += 1
            length |= Int(b & 0x7F) << shift; shift += 7
            if b < 0x80 { break }
        }
        return p..<(p + length)
    }
}

/// The `ARROW:schema` reader on seeded mutations of real blobs: every
/// mutation reads (an order or none) or is refused in one line, never a crash.
@Suite struct ArrowSchemaFuzzTests {
    let temporary = TemporaryPaths()  // removed when the test ends

    @Test func mutatedBlobsReadOrAreRefusedInOneLine() throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: CommandLineTests.declaredOrderFixtures + "/polars.parquet")))
        let value = try #require(CommandLineTests.arrowSchemaValue(in: original))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        // The blob as it is: the Polars Enum's order.
        #expect(try ParquetFile(bytes: original, path: "p.parquet").declaredOrder(ofColumn: "label")?.labels == ["low", "medium", "high"])
        var rng = SplitMix64(seed: 0x0A5C_4E3A)  // seeded: a failure replays, CI never flakes
        var read = 0, refused = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                // Base64 characters for base64 characters: the footer keeps its length.
                let at = value.lowerBound + Int(rng.next() % UInt64(value.count - 4))
                bytes[at] = alphabet[Int(rng.next() % 64)]
            }
            do {
                _ = try ParquetFile(bytes: bytes, path: "p.parquet").declaredOrder(ofColumn: "label")
                read += 1
            } catch let e as InputError {
                #expect(!e.description.contains("\n"))
                #expect(e.description.contains("ARROW:schema"), "\(e.description)")
                refused += 1
            }
        }
        #expect(read > 0 && refused > 0, "read \(read), refused \(refused)")
    }
}
