import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore

/// Every dataset directory `gen` writes reads back as the same labeled set
/// and the same answers: the `.npy` form, a table directory (csv, jsonl,
/// parquet, class names or ids) and a sharded Parquet directory.
@Suite struct DatasetDirectoryTests {
    /// Features that read back exactly from text (fractions of 1/8 would
    /// too, but any float32 does: CSV and JSON Lines cells are its shortest
    /// decimal), noise, and a pool that leaves some cells empty.
    static let spec = #"{"rows": 600, "seed": 11, "generator": {"type": "classification", "features": 5, "informative": 3, "redundant": 0, "classes": 3}, "noise": {"type": "flip", "rate": 0.2}, "annotators": {"count": 6, "per_item": 3}}"#

    func writer(format: OutputFormat = .npy, labels: LabelFormat = .name) throws -> DatasetWriter {
        var w = DatasetWriter(plan: try DatasetPlan(spec: JSONDecoderBox.decode(Self.spec), source: "test"))
        w.format = format
        w.labelFormat = labels
        w.threads = 2
        return w
    }

    func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "synthctl-dirs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The `.npy` form, the reference.
    func npyForm(in dir: String) throws -> String {
        _ = try writer().write(to: "\(dir)/npy")
        return "\(dir)/npy"
    }

    func expectSameSet(_ a: LabeledFeatures, _ b: LabeledFeatures) {
        #expect(a.features == b.features)
        #expect(a.featureNames == b.featureNames && a.featureNamesArePositions == b.featureNamesArePositions)
        #expect(a.labels == b.labels && a.classNames == b.classNames && a.truth == b.truth)
        #expect(a.trueNoiseMatrix == b.trueNoiseMatrix && a.trueNoiseMatrix != nil)
        #expect(a.droppedRows == b.droppedRows && a.fileRows == b.fileRows)
        #expect(a.schema == b.schema)
    }

    func expectSameAnswers(_ a: (AnswerSet, GoldLabels?, [[[Double]]]?), _ b: (AnswerSet, GoldLabels?, [[[Double]]]?)) {
        #expect(a.0.itemNames == b.0.itemNames && a.0.workerNames == b.0.workerNames && a.0.classNames == b.0.classNames)
        #expect(a.0.item == b.0.item && a.0.worker == b.0.worker && a.0.label == b.0.label)
        #expect(a.0.workersWithoutAnswers == b.0.workersWithoutAnswers)
        #expect(a.1?.truth == b.1?.truth && a.1 != nil)
        #expect(a.2 == b.2 && a.2 != nil)
    }

    @Test(arguments: [OutputFormat.csv, .jsonl, .parquet], [LabelFormat.name, .id])
    func aTableDirectoryReadsAsItsNpyForm(format: OutputFormat, labels: LabelFormat) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let npy = try npyForm(in: dir)
        var w = try writer(format: format, labels: labels)
        w.tableDirectory = true
        _ = try w.write(to: "\(dir)/table")
        let directory = try DatasetDirectory("\(dir)/table")
        #expect(directory.isTable && directory.hasLabels && directory.hasAnnotations)
        expectSameSet(try LabeledFeatures.read(datasetDirectory: "\(dir)/table"), try LabeledFeatures.read(datasetDirectory: npy).named("\(dir)/table"))
        expectSameAnswers(try AnswerReader.read(datasetDirectory: "\(dir)/table"), try AnswerReader.read(datasetDirectory: npy))
        // The plain table with its manifest beside it: the same answers.
        var plain = try writer(format: format, labels: labels)
        plain.tableDirectory = false
        _ = try plain.write(to: "\(dir)/t.\(format.rawValue)")
        expectSameAnswers(try AnswerReader.read(wideAnswers: "\(dir)/t.\(format.rawValue)"), try AnswerReader.read(datasetDirectory: npy))
    }

    /// Writes the dataset as `parts` Parquet parts into `dir/parts`.
    func writeParts(_ parts: Int, in dir: String, labels: LabelFormat = .name) throws {
        try DatasetWriter.makePartDirectory("\(dir)/parts")
        for k in 1...parts {
            var w = try writer(format: .parquet, labels: labels)
            w.shard = try Shard(index: k, count: parts)
            _ = try w.write(to: DatasetWriter.partPath(in: "\(dir)/parts", shard: w.shard!))
        }
    }

    @Test(arguments: [LabelFormat.name, .id])
    func aShardedDirectoryReadsAsOneTable(labels: LabelFormat) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let npy = try npyForm(in: dir)
        try writeParts(3, in: dir, labels: labels)
        #expect(try DatasetDirectory("\(dir)/parts").tables.map { URL(fileURLWithPath: $0.path).lastPathComponent }
                    == ["part-00001-of-00003.parquet", "part-00002-of-00003.parquet", "part-00003-of-00003.parquet"])
        // The noise matrix is the parts' counts summed: the whole run's to the bit.
        expectSameSet(try LabeledFeatures.read(datasetDirectory: "\(dir)/parts"), try LabeledFeatures.read(datasetDirectory: npy).named("\(dir)/parts"))
        expectSameAnswers(try AnswerReader.read(datasetDirectory: "\(dir)/parts"), try AnswerReader.read(datasetDirectory: npy))
    }

    /// Without a manifest beside it, a wide table's classes are its labels
    /// in numeric or byte order, and its annotators' confusion matrices unknown.
    @Test func aWideTableWithoutItsManifestTakesTheClassesItHolds() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "x0,true_label,annotator_0,annotator_2\n1,b,a,\n2,a,b,a\n3,a,,\n".write(toFile: "\(dir)/w.csv", atomically: false, encoding: .utf8)
        let (answers, gold, truth) = try AnswerReader.read(wideAnswers: "\(dir)/w.csv")
        #expect(answers.classNames == ["a", "b"] && answers.itemNames == ["0", "1", "2"])
        #expect(answers.workerNames == ["0", "2"] && answers.workersWithoutAnswers == ["1"])
        #expect(answers.answerCount == 3 && gold?.truth == [1, 0, 0] && truth == nil)
    }
}

extension DatasetDirectoryTests {
    /// A wide table whose annotator columns are all empty has no answer to score: one line saying so.
    @Test func aWideTableWithNoAnswerIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "x0,annotator_0\n1,\n2,NA\n".write(toFile: "\(dir)/w.csv", atomically: false, encoding: .utf8)
        #expect(throws: InputError(file: "\(dir)/w.csv", expected: "at least one answer (a cell in an annotator column that is not missing)", found: "none")) {
            try AnswerReader.read(wideAnswers: "\(dir)/w.csv")
        }
    }
}
