import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore

@Suite struct DeterminismTests {
    static let spec = #"{"rows": 5000, "seed": 21, "generator": {"type": "classification", "features": 17, "informative": 5, "redundant": 3, "classes": 4}, "noise": {"type": "random", "rate": 0.15}, "annotators": {"count": 6, "per_item": 2}}"#

    func bytes(_ dir: String) throws -> [String: Data] {
        var out = [String: Data]()
        for f in try FileManager.default.contentsOfDirectory(atPath: dir) {
            out[f] = FileManager.default.contents(atPath: "\(dir)/\(f)")
        }
        return out
    }

    @Test func oneAndTwoThreadsWriteIdenticalBytes() throws {
        let p = try plan(Self.spec)
        let root = temporaryDirectory()
        var w = DatasetWriter(plan: p)
        w.threads = 1
        _ = try w.write(to: "\(root)/one")
        w.threads = 2
        _ = try w.write(to: "\(root)/two")
        let a = try bytes("\(root)/one"), b = try bytes("\(root)/two")
        #expect(a.keys.sorted() == ["README.md", "annotations.npy", "croissant.json", "features.npy", "labels.npy", "manifest.json", "noise_mask.npy", "true_labels.npy"])
        #expect(a == b)
    }

    @Test func shardsConcatenateToTheWholeRun() throws {
        let p = try plan(Self.spec)
        let whole = generateAll(p).chunk
        var w = DatasetWriter(plan: p)
        var features = [Float](), labels = [Int32](), annotations = [Int32]()
        for k in 1...3 {
            w.shard = try Shard(index: k, count: 3)
            var stats = RealizedStatistics(classes: 4, annotators: 6)
            let part = w.generate(w.shard!.rows(of: p.rows), stats: &stats)
            features += part.features; labels += part.labels; annotations += part.annotations
        }
        #expect(features == Array(whole.features))
        #expect(labels == whole.labels)
        #expect(annotations == whole.annotations)
    }

    @Test func shardDirectoryHoldsExactlyItsRows() throws {
        let p = try plan(Self.spec)
        let root = temporaryDirectory()
        var w = DatasetWriter(plan: p)
        w.shard = try Shard(index: 2, count: 3)
        let summary = try w.write(to: "\(root)/s2")
        #expect(summary.rows == 5000 * 2 / 3 - 5000 / 3)
        let whole = generateAll(p).chunk
        let data = FileManager.default.contents(atPath: "\(root)/s2/features.npy")!
        let payload = data.suffix(summary.rows * 17 * 4)
        let floats = payload.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(floats == Array(whole.features[(1666 * 17)..<(3333 * 17)]))
    }

    @Test func existingOutputIsNotOverwrittenWithoutForce() throws {
        let p = try plan(#"{"rows": 10, "generator": {"type": "moons"}}"#)
        let root = temporaryDirectory()
        var w = DatasetWriter(plan: p)
        _ = try w.write(to: "\(root)/d")
        #expect(errorMessage { _ = try w.write(to: "\(root)/d") } == "\(root)/d: already exists")
        w.force = true
        _ = try w.write(to: "\(root)/d")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == ["d"])
    }

    @Test func manifestHashesMatchTheFiles() throws {
        let p = try plan(Self.spec)
        let root = temporaryDirectory()
        _ = try DatasetWriter(plan: p).write(to: "\(root)/d")
        let manifest = try JSONDecoder().decode(JSONValue.self, from: FileManager.default.contents(atPath: "\(root)/d/manifest.json")!)
        guard case .object(let files)? = manifest["files"] else { Issue.record("no files"); return }
        for (name, entry) in files {
            let data = [UInt8](FileManager.default.contents(atPath: "\(root)/d/\(name)")!)
            #expect(entry["sha256"] == .string(sha256Hex(data)))
        }
        #expect(files.count == 7)  // the five arrays, README.md and croissant.json
    }
}
