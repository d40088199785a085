import Foundation
import SynthctlCore

/// Sentence embeddings kept on disk between runs, so that a second run on
/// the same texts with the same model embeds nothing.
///
/// Keyed by the model and the text: a model's vectors live in a directory
/// named by the SHA-256 of its files (``modelKey(directory:)``: every file
/// that decides a vector, so a changed weight or vocabulary starts a new
/// directory), and each vector under the SHA-256 of its text's UTF-8 bytes.
///
/// A directory holds shards, each written whole under a temporary name and
/// renamed into place (two runs at once write two shards; an interrupted
/// run leaves none). A shard (`<random>.embeddings`, little-endian):
///
/// | bytes | what |
/// | --- | --- |
/// | 16 | `SYNTHCTL-EMB-1\n\0` |
/// | 4, 4 | dimensions d, vectors n |
/// | n × 32 | the texts' SHA-256, in the vectors' order |
/// | n × (4 + 4d) | per vector: the CRC-32 (zlib's) of its 4d bytes, then d float32 |
///
/// Opening reads the keys only; a vector is read when asked for, and used
/// only if its CRC-32 matches (a damaged one is embedded again). A shard
/// whose size or header does not fit is skipped. The cache never fails a
/// run: what it cannot read it does not use, and what it cannot write
/// is counted in ``writeFailures``.
///
/// A vector from the cache is the bits the run that stored it computed. A
/// text embedded afresh in other company may differ from it in the last
/// bits (``SentenceTransformer/embed(_:threads:)``), so a run that takes
/// vectors from the cache can differ that much from a cold run; so can a
/// text given twice, whose one stored vector is its first place's.
public final class EmbeddingCache: @unchecked Sendable {
    /// The cache's directory as given, and the model's in it: `root`/``modelKey(directory:)``.
    public let root: String, directory: String
    /// The vectors' width.
    public let dimensions: Int
    /// Vectors taken from the cache and embedded afresh, since opening.
    public private(set) var hits = 0, misses = 0
    /// Shards that could not be written (a full disk, a directory made read-only).
    public private(set) var writeFailures = 0

    struct Key: Hashable { let a: UInt64, b: UInt64, c: UInt64, d: UInt64 }
    private struct Shard { let descriptor: Int32, count: Int }
    private var shards = [Shard]()
    /// Each stored vector's place, under the first 8 bytes of its key: the
    /// shard in the high 32 bits, the position in it in the low 32. Eight
    /// bytes of key and eight of place (about 20 bytes an entry with the
    /// dictionary's slack, against 60 for the whole key and two Ints) keep
    /// the index small for the millions of texts a run may store; the whole
    /// key is compared on disk before a vector is used, so two texts whose
    /// keys share their first 8 bytes cost at most an embedding again.
    private var index = [UInt64: UInt64]()
    private let lock = NSLock()

    static let magic = Array("SYNTHCTL-EMB-1\n\0".utf8)
    static let headerBytes = 24

    /// Opens (creating it when missing) the cache of the model in
    /// `modelDirectory` under `root`, and reads the keys of its shards.
    /// Each shard keeps a descriptor open (one per block of texts a run
    /// embedded, about 5,500 with `embed`): a shard that cannot be opened,
    /// past the process's limit on open files, is not read.
    ///
    /// - Throws: ``InputError`` naming `root` when the directory cannot be
    ///   created or is not writable (a cache that cannot keep anything is
    ///   the caller's to refuse or to go without).
    public init(root: String, modelDirectory: String, dimensions: Int) throws {
        let key = try Self.modelKey(directory: modelDirectory)
        self.root = root
        directory = URL(fileURLWithPath: root).appendingPathComponent(key).path
        self.dimensions = dimensions
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError(file: root, expected: "a directory the embedding cache can be kept in", found: "a path where none can be created")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw InputError(file: root, expected: "a directory the embedding cache can be kept in", found: "one this user cannot write")
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".embeddings") }.sorted()
        for name in names { openShard(URL(fileURLWithPath: directory).appendingPathComponent(name).path) }
    }

    deinit { for shard in shards { close(shard.descriptor) } }

    /// The hex SHA-256 naming a model's vectors: of each file of `directory`
    /// that decides them (the `.json` and `.txt` files and
    /// `model.safetensors` at its top, and the `config.json` of each
    /// module folder such as `1_Pooling`), as "name NUL hex-SHA-256 LF" in
    /// name order.
    ///
    /// - Throws: ``InputError`` naming a file that cannot be read.
    public static func modelKey(directory: String) throws -> String {
        let base = URL(fileURLWithPath: directory)
        var names = [String]()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: base.appendingPathComponent(name).path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                if FileManager.default.fileExists(atPath: base.appendingPathComponent(name).appendingPathComponent("config.json").path) {
                    names.append(name + "/config.json")
                }
            } else if name == "model.safetensors" || name.hasSuffix(".json") || name.hasSuffix(".txt") {
                names.append(name)
            }
        }
        var listing = ""
        for name in names.sorted() {
            let path = base.appendingPathComponent(name).path
            guard let digest = FileDigest.sha256(ofFileAt: path) else {
                throw InputError(file: path, expected: "a readable model file", found: "one that cannot be read")
            }
            listing += "\(name)\0\(digest)\n"
        }
        return sha256Hex(Array(listing.utf8))
    }

    /// The key of a text: the SHA-256 of its UTF-8 bytes.
    static func key(_ text: String) -> Key {
        let digest = sha256Digest(Array(text.utf8).span.bytes)
        return digest.withUnsafeBytes { raw in
            Key(a: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), b: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                c: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self), d: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        }
    }

    /// The embeddings of `texts` (texts.count × ``dimensions``, row i for
    /// text i): the cache's where it has them, `model`'s for the rest
    /// (embedded together, on `threads` threads), which are then stored as
    /// one new shard. With none in the cache, the bits of `model.embed(texts)`.
    public func embeddings(of texts: [String], model: SentenceTransformer, threads: Int) -> [Float] {
        precondition(model.dimensions == dimensions)
        let d = dimensions
        var out = [Float](repeating: 0, count: texts.count * d)
        let keys = texts.map(Self.key)
        var missing = [Int]()
        lock.lock()
        for (i, key) in keys.enumerated() {
            let found = out.withUnsafeMutableBufferPointer { o in index[key.a].map { read($0, key: key, into: o.baseAddress! + i * d) } ?? false }
            if !found { missing.append(i) }
        }
        lock.unlock()
        // The missing texts are embedded as they come, repeats too: with
        // nothing in the cache the batches, and so the bits, are those of
        // `model.embed(texts)`. A repeated text is stored once.
        let fresh = missing.isEmpty ? [] : model.embed(missing.map { texts[$0] }, threads: threads)
        var stored = Set<Key>(), storedRows = [Int]()
        for (row, i) in missing.enumerated() {
            for j in 0..<d { out[i * d + j] = fresh[row * d + j] }
            if stored.insert(keys[i]).inserted { storedRows.append(row) }
        }
        lock.lock()
        hits += texts.count - missing.count
        misses += missing.count
        lock.unlock()
        if !storedRows.isEmpty {
            store(storedRows.map { keys[missing[$0]] }, storedRows.flatMap { fresh[($0 * d)..<(($0 + 1) * d)] })
        }
        return out
    }

    // MARK: - Shards

    private func openShard(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        var header = [UInt8](repeating: 0, count: Self.headerBytes)
        var st = stat()
        guard fstat(fd, &st) == 0, pread(fd, &header, header.count, 0) == header.count, Array(header[..<16]) == Self.magic else {
            close(fd)
            return
        }
        let d = Int(UInt32(header[16]) | UInt32(header[17]) << 8 | UInt32(header[18]) << 16 | UInt32(header[19]) << 24)
        let n = Int(UInt32(header[20]) | UInt32(header[21]) << 8 | UInt32(header[22]) << 16 | UInt32(header[23]) << 24)
        guard d == dimensions, Int(st.st_size) == Self.headerBytes + n * 32 + n * (4 + 4 * d) else {
            close(fd)
            return
        }
        var keys = [UInt8](repeating: 0, count: n * 32)
        guard n == 0 || pread(fd, &keys, keys.count, off_t(Self.headerBytes)) == keys.count else {
            close(fd)
            return
        }
        let shard = shards.count
        shards.append(Shard(descriptor: fd, count: n))
        keys.withUnsafeBytes { raw in
            for r in 0..<n {
                let key = Key(a: raw.loadUnaligned(fromByteOffset: r * 32, as: UInt64.self), b: raw.loadUnaligned(fromByteOffset: r * 32 + 8, as: UInt64.self),
                              c: raw.loadUnaligned(fromByteOffset: r * 32 + 16, as: UInt64.self), d: raw.loadUnaligned(fromByteOffset: r * 32 + 24, as: UInt64.self))
                index[key.a] = UInt64(shard) << 32 | UInt64(r)
            }
        }
    }

    /// Reads the vector at `place` (``index``'s packing) into `out` if the
    /// key stored there is `key` and the vector's CRC-32 matches.
    private func read(_ place: UInt64, key: Key, into out: UnsafeMutablePointer<Float>) -> Bool {
        let shard = shards[Int(place >> 32)], position = Int(place & 0xFFFF_FFFF), d = dimensions
        var stored = [UInt64](repeating: 0, count: 4)
        guard pread(shard.descriptor, &stored, 32, off_t(Self.headerBytes + position * 32)) == 32,
              stored == [key.a, key.b, key.c, key.d] else { return false }
        let record = 4 + 4 * d
        let offset = Self.headerBytes + shard.count * 32 + position * record
        var bytes = [UInt8](repeating: 0, count: record)
        guard pread(shard.descriptor, &bytes, record, off_t(offset)) == record else { return false }
        let checksum = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        let crc = CRC32.checksum(bytes.span.bytes.extracting(4..<record))
        guard crc == checksum else { return false }
        bytes.withUnsafeBytes { raw in
            for j in 0..<d { out[j] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 + 4 * j, as: UInt32.self))) }
        }
        return true
    }

    /// Writes `vectors` (keys.count × d) as one new shard, and indexes it.
    private func store(_ keys: [Key], _ vectors: [Float]) {
        let n = keys.count, d = dimensions
        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerBytes + n * (36 + 4 * d))
        func append32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        append32(UInt32(d))
        append32(UInt32(n))
        for key in keys { for part in [key.a, key.b, key.c, key.d] { withUnsafeBytes(of: part) { bytes.append(contentsOf: $0) } } }
        for r in 0..<n {
            // float32 bytes as they lie in memory: little-endian on the x86-64 and arm64 synthctl builds for.
            let row = vectors[(r * d)..<((r + 1) * d)].withUnsafeBytes { Array($0) }
            append32(CRC32.checksum(row.span.bytes))
            bytes.append(contentsOf: row)
        }
        let path = URL(fileURLWithPath: directory).appendingPathComponent("\(UUID().uuidString).embeddings").path
        lock.lock()
        defer { lock.unlock() }
        do {
            try AtomicFile.write(bytes: bytes, to: path)
            openShard(path)
        } catch {
            writeFailures += 1
        }
    }
}

