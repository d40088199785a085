import Testing
import Foundation

/// A shard's manifest regenerates that shard: `gen --shard 2/3 --out s;
/// gen --spec s/manifest.json --out s2` wrote all the rows, while the
/// shard's dataset card said its spec "writes the same bytes again".
extension CommandLineTests {
    func files(_ dir: String) -> [String: Data] {
        var out = [String: Data]()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            out[name] = FileManager.default.contents(atPath: "\(dir)/\(name)")
        }
        return out
    }

    @Test func aShardsManifestWritesTheSameBytesAgain() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "1000", "--shard", "2/3", "--out", "s"], in: dir).code == 0)
        let again = try run(["gen", "--spec", "s/manifest.json", "--out", "s2"], in: dir)
        #expect(again.code == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("wrote s2: 333 rows,"))
        let shard = files("\(dir)/s")
        #expect(shard.count == 8 && files("\(dir)/s2") == shard)  // every file, the manifest, card and croissant.json included
        // The spec object alone (as the card says), and the table form.
        let spec = try python("""
        import json; m = json.load(open('\(dir)/s/manifest.json')); print(m['spec']['shard']); json.dump(m['spec'], open('\(dir)/spec.json', 'w'))
        """)
        #expect(spec.stdout == "2/3\n")
        #expect(try run(["gen", "--spec", "spec.json", "--out", "s3"], in: dir).code == 0)
        #expect(files("\(dir)/s3") == shard)
        #expect(try run(["gen", "--rows", "1000", "--shard", "2/3", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        #expect(try run(["gen", "--spec", "t.csv.manifest.json", "--format", "csv", "--out", "t2.csv"], in: dir).code == 0)
        #expect(contents(dir, "t2.csv") == contents(dir, "t.csv") && contents(dir, "t.csv") != nil)
        #expect(contents(dir, "t2.csv.manifest.json") == contents(dir, "t.csv.manifest.json")?
            .replacingOccurrences(of: "\"t.csv\"", with: "\"t2.csv\""))
        // An explicit --shard overrides the spec's: part 1 of the same split.
        #expect(try run(["gen", "--spec", "s/manifest.json", "--shard", "1/3", "--out", "first"], in: dir).code == 0)
        #expect(try run(["gen", "--rows", "1000", "--shard", "1/3", "--out", "first2"], in: dir).code == 0)
        #expect(files("\(dir)/first") == files("\(dir)/first2"))
        // A manifest written before the spec recorded its shard (only the
        // top-level "shard" object): still that shard's rows.
        let old = try python("""
        import json; m = json.load(open('\(dir)/s/manifest.json')); del m['spec']['shard']
        assert m['shard'] == {'index': 2, 'count': 3}; json.dump(m, open('\(dir)/old.json', 'w'))
        """)
        #expect(old.code == 0, "\(old.stderr)")
        #expect(try run(["gen", "--spec", "old.json", "--out", "s4"], in: dir).code == 0)
        for name in ["features.npy", "labels.npy", "true_labels.npy", "annotations.npy", "noise_mask.npy", "README.md"] {
            #expect(contents(dir, "s4/\(name)") == shard[name], "\(name)")
        }
        // A spec's shard is checked as --shard is, naming the field.
        try #"{"rows": 10, "shard": "4/3"}"#.write(toFile: "\(dir)/bad.json", atomically: false, encoding: .utf8)
        let bad = try run(["gen", "--spec", "bad.json", "--out", "b"], in: dir)
        #expect(bad.code == 2)
        #expect(bad.stderr == "synthctl: error: bad.json: shard: expected k/n with integers 1 ≤ k ≤ n (e.g. \"2/8\": part 2 of 8 of the rows), found \"4/3\"\n")
        // An unsharded dataset's spec has no shard: its manifest is as before.
        #expect(try run(["gen", "--rows", "50", "--out", "whole"], in: dir).code == 0)
        let whole = try python("import json; m = json.load(open('\(dir)/whole/manifest.json')); print(m['shard'], 'shard' in m['spec'])")
        #expect(whole.stdout == "None False\n")
    }
}

private extension Data {
    func replacingOccurrences(of a: String, with b: String) -> Data {
        Data(String(decoding: self, as: UTF8.self).replacingOccurrences(of: a, with: b).utf8)
    }
}
