import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// The on-disk embedding cache with ``TinyBertModel``: a second run takes
/// every vector from it, bit for bit; another model's files start another
/// directory; a damaged vector, a cut or foreign shard, a cache it cannot
/// write are each gone without, never a wrong vector or a failed run.
@Suite struct EmbeddingCacheTests {
    let temporary = TemporaryPaths()
    let texts = ["the cat sat", "the cats sat on the mat.", "", "mat mat", "on the cat the mat the cat sat"]

    func shards(_ cache: EmbeddingCache) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: cache.directory).filter { $0.hasSuffix(".embeddings") }.sorted()
            .map { cache.directory + "/" + $0 }
    }

    /// The texts embedded once through a new cache of ``TinyBertModel``:
    /// the model's directory and model, the cache's root, the vectors and
    /// the one shard written.
    func storedOnce() throws -> (dir: String, model: SentenceTransformer, root: String, vectors: [Float], shard: String) {
        let dir = try TinyBertModel().write(in: temporary)
        let model = try SentenceTransformer(directory: dir)
        let root = temporary.directory("cache")
        let cache = try EmbeddingCache(root: root, modelDirectory: dir, dimensions: 4)
        let vectors = cache.embeddings(of: texts, model: model, threads: 1)
        return (dir, model, root, vectors, try shards(cache)[0])
    }

    @Test func aSecondRunTakesEveryVectorFromTheCache() throws {
        let dir = try TinyBertModel().write(in: temporary)
        let model = try SentenceTransformer(directory: dir)
        let root = temporary.directory("cache")
        let first = try EmbeddingCache(root: root, modelDirectory: dir, dimensions: model.dimensions)
        let cold = first.embeddings(of: texts, model: model, threads: 2)
        #expect(cold == model.embed(texts, threads: 1))
        #expect(try (first.hits == 0 && first.misses == 5 && shards(first).count == 1))
        let size = try FileManager.default.attributesOfItem(atPath: try shards(first)[0])[.size] as? Int
        #expect(size == EmbeddingCache.headerBytes + 5 * (32 + 4 + 4 * 4))
        let second = try EmbeddingCache(root: root, modelDirectory: dir, dimensions: model.dimensions)
        #expect(second.embeddings(of: texts, model: model, threads: 1) == cold)
        #expect(try (second.hits == 5 && second.misses == 0 && shards(second).count == 1))
        // Some new, some kept: only the new are embedded (together) and stored.
        let more = second.embeddings(of: ["mat", "the cat sat", "cats on mats"], model: model, threads: 1)
        let new = model.embed(["mat", "cats on mats"], threads: 1)
        #expect(Array(more[0..<4]) == Array(new[0..<4]) && Array(more[4..<8]) == Array(cold[0..<4]) && Array(more[8..<12]) == Array(new[4..<8]))
        #expect(try (second.hits == 6 && second.misses == 2 && shards(second).count == 2))
    }

    /// A text given twice: a cold run embeds both places (the bits of
    /// `model.embed`), the cache keeps one vector, the first place's,
    /// which a warm run gives for both.
    @Test func aRepeatedTextIsKeptOnce() throws {
        let dir = try TinyBertModel().write(in: temporary)
        let model = try SentenceTransformer(directory: dir)
        let root = temporary.directory("cache")
        let twice = ["the cat sat", "mat mat", "the cat sat"]
        let cold = try EmbeddingCache(root: root, modelDirectory: dir, dimensions: 4).embeddings(of: twice, model: model, threads: 1)
        #expect(cold == model.embed(twice, threads: 1))
        let warm = try EmbeddingCache(root: root, modelDirectory: dir, dimensions: 4)
        let again = warm.embeddings(of: twice, model: model, threads: 1)
        #expect(warm.hits == 3 && Array(again[0..<8]) == Array(cold[0..<8]) && Array(again[8..<12]) == Array(cold[0..<4]))
    }

    @Test func theKeyIsTheModelsFilesAndTheTextsBytes() throws {
        let a = try TinyBertModel().write(in: temporary)
        let b = try TinyBertModel(poolingMode: "pooling_mode_cls_token").write(in: temporary)
        let c = try TinyBertModel().write(in: temporary)
        #expect(try EmbeddingCache.modelKey(directory: a) == (try EmbeddingCache.modelKey(directory: c)))
        #expect(try EmbeddingCache.modelKey(directory: a) != (try EmbeddingCache.modelKey(directory: b)))
        // A changed weight file is another model too.
        var weights = try InputFile.contents(a + "/model.safetensors")
        weights[weights.count - 1] ^= 1
        try Data(weights).write(to: URL(fileURLWithPath: c + "/model.safetensors"))
        #expect(try EmbeddingCache.modelKey(directory: a) != (try EmbeddingCache.modelKey(directory: c)))
        #expect(EmbeddingCache.key("the cat") == EmbeddingCache.key("the cat") && EmbeddingCache.key("the cat") != EmbeddingCache.key("the cat "))
        #expect(EmbeddingCache.key("é") != EmbeddingCache.key("e\u{301}"))  // bytes, not canonical equivalence
    }

    /// The index keeps the first 8 bytes of a key: a stored key that
    /// shares them with a text's but differs after them (its 9th byte
    /// changed on disk) is another text's, and that text is embedded again.
    @Test func aKeyThatSharesItsFirstBytesIsNotTaken() throws {
        let (dir, model, root, want, shard) = try storedOnce()
        var bytes = try InputFile.contents(shard)
        // The first key starts after the 24-byte header: its 9th byte.
        bytes[EmbeddingCache.headerBytes + 8] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: shard))
        let other = try EmbeddingCache(root: root, modelDirectory: dir, dimensions: 4)
        let got = other.embeddings(of: texts, model: model, threads: 1)
        #expect(other.hits == 4 && other.misses == 1)
        #expect(Array(got[4...]) == Array(want[4...]) && zip(got[..<4], want[..<4]).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    /// A flipped bit in a stored vector fails its CRC-32: that vector is
    /// embedded again. A cut shard, one of other dimensions and one that
    /// is not a shard are skipped whole.
    @Test func damagedShardsAreNotBelieved() throws {
        let (dir, model, root, want, shard) = try storedOnce()
        var bytes = try InputFile.contents(shard)
        // The last vector's last float: its sign bit.
        bytes[bytes.count - 1] ^= 0x80
        try Data(bytes).write(to: URL(fileURLWithPath: shard))
        let flipped = try EmbeddingCache(root: root, modelDirectory: dir, dimensions: 4)
        let got = flipped.embeddings(of: texts, model: model, threads: 1)
        #expect(flipped.hits == 4 && flipped.misses == 1 && Array(got[0..<16]) == Array(want[0..<16]))
        // Embedded again, alone: want's row up to the last bits, not the damaged one.
        #expect(zip(got[16...], want[16...]).allSatisfy { abs($0 - $1) < 1e-6 })
        // Every shard cut by a byte, a foreign file and a shard of 8 dimensions: nothing is read.
        for name in try shards(flipped) {
            let whole = try InputFile.contents(name)
            try Data(whole.dropLast()).write(to: URL(fileURLWithPath: name))
        }
        try Data("not a shard".utf8).write(to: URL(fileURLWithPath: flipped.directory + "/junk.embeddings"))
        var wide = EmbeddingCache.magic
        wide += [8, 0, 0, 0, 0, 0, 0, 0]
        try Data(wide).write(to: URL(fileURLWithPath: flipped.directory + "/wide.embeddings"))
        let cut = try EmbeddingCache(root: root, modelDirectory: dir, dimensions: 4)
        #expect(cut.embeddings(of: texts, model: model, threads: 1) == want)
        #expect(cut.hits == 0 && cut.misses == 5)
    }

    @Test func aCacheThatCannotBeKeptIsRefusedOrGoneWithout() throws {
        let dir = try TinyBertModel().write(in: temporary)
        let model = try SentenceTransformer(directory: dir)
        let file = temporary.directory("x") + "/file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(errorMessage { _ = try EmbeddingCache(root: file + "/cache", modelDirectory: dir, dimensions: 4) }
                == "\(file)/cache: expected a directory the embedding cache can be kept in, found a path where none can be created")
        // Made read-only after opening (root can write anyway: then nothing to check).
        let root = temporary.directory("cache")
        let cache = try EmbeddingCache(root: root, modelDirectory: dir, dimensions: 4)
        chmod(cache.directory, 0o555)
        defer { chmod(cache.directory, 0o755) }
        guard access(cache.directory, W_OK) != 0 else { return }
        #expect(cache.embeddings(of: texts, model: model, threads: 1) == model.embed(texts, threads: 1))
        #expect(cache.writeFailures == 1)
        #expect(errorMessage { _ = try EmbeddingCache(root: root, modelDirectory: dir, dimensions: 4) }
                == "\(root): expected a directory the embedding cache can be kept in, found one this user cannot write")
    }
}
