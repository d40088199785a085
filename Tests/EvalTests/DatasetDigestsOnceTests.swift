import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore

/// One dataset directory read for its labels and then its annotations (as
/// `score D` does) hashes each file once: `true_labels.npy`, which both
/// readers read, and a table directory's one table. The check is kept: a
/// file that failed is checked again, and another run (another value)
/// hashes again.
extension DatasetDirectoryTests {
    @Test func aFileBothReadersReadIsHashedOnce() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let npy = try npyForm(in: dir)
        let directory = try DatasetDirectory(npy)
        _ = try LabeledFeatures.read(datasetDirectory: directory)
        _ = try AnswerReader.read(datasetDirectory: directory)
        #expect(directory.verified.hashCounts == ["features.npy": 1, "labels.npy": 1, "true_labels.npy": 1, "annotations.npy": 1,
                                                      "README.md": 1, "croissant.json": 1, "noise_mask.npy": 1]  // the files no reader reads: when opened
            .reduce(into: [String: Int]()) { $0["\(npy)/\($1.key)"] = $1.value })
        // Another run hashes again.
        let again = try DatasetDirectory(npy)
        _ = try AnswerReader.read(datasetDirectory: again)
        #expect(again.verified.hashCounts == ["\(npy)/annotations.npy": 1, "\(npy)/true_labels.npy": 1,
                                              "\(npy)/README.md": 1, "\(npy)/croissant.json": 1, "\(npy)/noise_mask.npy": 1])

        var w = try writer(format: .parquet)
        w.tableDirectory = true
        _ = try w.write(to: "\(dir)/table")
        let table = try DatasetDirectory("\(dir)/table")
        _ = try LabeledFeatures.read(datasetDirectory: table)
        _ = try AnswerReader.read(datasetDirectory: table)
        #expect(table.verified.hashCounts == ["\(dir)/table/data.parquet": 1, "\(dir)/table/README.md": 1, "\(dir)/table/croissant.json": 1])
    }

    @Test func aFileThatFailedItsCheckIsCheckedAgain() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let npy = try npyForm(in: dir)
        let path = "\(npy)/true_labels.npy"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 4] = bytes[bytes.count - 4] == 0 ? 1 : 0
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let directory = try DatasetDirectory(npy)
        #expect(throws: InputError.self) { _ = try LabeledFeatures.read(datasetDirectory: directory) }
        #expect(throws: InputError.self) { _ = try AnswerReader.read(datasetDirectory: directory) }
        #expect(directory.verified.hashCounts[path] == 2)
    }

    /// A file the manifest lists that is gone is refused by the reader that
    /// would read it, not read around; one the run does not read is not asked for.
    @Test func aListedFileThatIsGoneIsRefusedByItsReader() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let npy = try npyForm(in: dir)
        try FileManager.default.removeItem(atPath: "\(npy)/annotations.npy")
        let directory = try DatasetDirectory(npy)
        #expect(directory.hasAnnotations)
        _ = try LabeledFeatures.read(datasetDirectory: directory)
        #expect(throws: IncompleteDatasetError(file: "\(npy)/annotations.npy", manifest: "\(npy)/manifest.json")) {
            _ = try AnswerReader.read(datasetDirectory: directory)
        }
    }
}
