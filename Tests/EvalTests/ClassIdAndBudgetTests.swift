import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore
import TestSupport

/// Classes come from the distinct label ids present (one label 999999 is one
/// class, not a million), given probabilities fix the classes to their
/// columns, and every report checks its estimate against the memory budget
/// before it allocates.
@Suite struct ClassIdAndBudgetTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    func dir() -> String {
        temporary.directory("synthctl-classids")
    }

    func write(_ path: String, _ descr: String, _ shape: String, _ payload: [UInt8]) {
        let h = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }".utf8)
        FileManager.default.createFile(atPath: path, contents: Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(h.count & 0xff), UInt8(h.count >> 8)] + h + payload))
    }

    func ints(_ path: String, _ values: [Int32], shape: String? = nil) {
        write(path, "<i4", shape ?? "(\(values.count),)", values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } })
    }

    func floats(_ path: String, _ values: [Float], rows: Int) {
        write(path, "<f4", "(\(rows), \(values.count / rows))", values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } })
    }

    /// Two well-separated clusters of 20 rows, with two labels swapped.
    func twoClusters() -> (x: [Float], y: [Int32]) {
        var x = [Float](), y = [Int32]()
        for i in 0..<40 {
            let c: Int32 = i < 20 ? 0 : 1
            x += [Float(c) * 6 + Float(i % 5) * 0.1, Float(c) * 6 - Float(i % 7) * 0.1]
            y.append(i == 3 || i == 27 ? 1 - c : c)
        }
        return (x, y)
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as any SynthctlError { return e.message } catch { return "\(error)" }
    }

    @Test func aLargeLabelIdIsOneClassAndGivesTheSameAnswer() throws {
        let d = dir(), (x, y) = twoClusters()
        floats("\(d)/x.npy", x, rows: 40)
        ints("\(d)/dense.npy", y)
        ints("\(d)/sparse.npy", y.map { $0 == 1 ? 999_999 : 0 })
        let dense = try LabeledFeatures.read(features: "\(d)/x.npy", labels: "\(d)/dense.npy")
        let sparse = try LabeledFeatures.read(features: "\(d)/x.npy", labels: "\(d)/sparse.npy")
        #expect(sparse.classNames == ["0", "999999"] && sparse.labels == dense.labels && dense.classNames == ["0", "1"])
        let a = try LabelIssueReport(data: dense), b = try LabelIssueReport(data: sparse)
        #expect(a.flags == b.flags && a.ranked == b.ranked)
        #expect(Set(b.ranked) == [3, 27])
        // Ids up to Int32.max are class ids; beyond is bad input.
        write("\(d)/big.npy", "<f8", "(2,)", [2147483648.0, 0].flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } })
        #expect(message { _ = try LabeledFeatures.read(features: nil, labels: "\(d)/big.npy") }
            == "\(d)/big.npy: row 0: expected a class id (an integer in [0, 2147483647]), found 2147483648")
    }

    @Test func givenProbabilitiesDefineTheClasses() throws {
        let d = dir()
        ints("\(d)/y.npy", [0, 2, 1, 2])
        let set = try LabeledFeatures.read(features: nil, labels: "\(d)/y.npy", probabilityColumns: (count: 3, source: "P.npy"))
        #expect(set.classNames == ["0", "1", "2"] && set.labels == [0, 2, 1, 2])
        #expect(message { _ = try LabeledFeatures.read(features: nil, labels: "\(d)/y.npy", probabilityColumns: (count: 2, source: "P.npy")) }
            == "\(d)/y.npy: row 1: expected a class id below 2 (the columns of P.npy), found 2")
    }

    @Test func datasetDirectoriesMapLabelsAndTruthTogether() throws {
        let d = dir()
        floats("\(d)/features.npy", [0, 1, 2, 3, 4, 5], rows: 3)
        ints("\(d)/labels.npy", [3, 7, 3])
        ints("\(d)/true_labels.npy", [7, 3, 11])
        let set = try LabeledFeatures.read(datasetDirectory: d)
        #expect(set.classNames == ["3", "7", "11"] && set.labels == [0, 1, 0] && set.truth == [1, 0, 2])
        // With a manifest naming every id, ids index the names.
        FileManager.default.createFile(atPath: "\(d)/manifest.json", contents: Data(#"{"format_version": 1, "class_names": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]}"#.utf8))
        let named = try LabeledFeatures.read(datasetDirectory: d)
        #expect(named.classCount == 12 && named.labels == [3, 7, 3] && named.truth == [7, 3, 11] && named.classNames[7] == "h")
    }

    @Test func anAnnotationOfABillionIsOneClass() throws {
        let d = dir()
        ints("\(d)/annotations.npy", [0, 1_000_000_000, 1_000_000_000, 0, -1, 1_000_000_000], shape: "(3, 2)")
        let (set, gold, _) = try AnswerReader.read(datasetDirectory: d)
        #expect(set.classNames == ["0", "1000000000"] && set.label.allSatisfy { $0 == 0 || $0 == 1 } && gold == nil)
        ints("\(d)/true_labels.npy", [1_000_000_000, 5, 0])
        let (withGold, truth, _) = try AnswerReader.read(datasetDirectory: d)
        #expect(withGold.classNames == ["0", "5", "1000000000"] && truth?.truth == [2, 1, 0])
        write("\(d)/true_labels.npy", "<f8", "(3,)", [1.0, .nan, 0].flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } })
        #expect(message { _ = try AnswerReader.read(datasetDirectory: d) } == "\(d)/true_labels.npy: row 1: expected a class id, found nan (a missing value)")
        // With dropMissing that item has no gold label, and the row is counted.
        let (_, partial, _) = try AnswerReader.read(datasetDirectory: d, dropMissing: true)
        #expect(partial?.truth == [1, -1, 0] && partial?.droppedRows == 1)
    }

    @Test func reportsRefuseEstimatesAboveTheBudget() throws {
        let (x, y) = twoClusters()
        let data = LabeledFeatures(source: "y.npy", features: Matrix(rows: 40, columns: 2, storage: x), featureNames: ["a", "b"],
                                   labels: y, classNames: ["0", "1"])
        var p = LabelIssueReport.Parameters()
        p.model = .knn
        p.neighbors = 1_000_000_000
        p.memory = MemoryBudget(limit: 1 << 30)
        do {
            _ = try LabelIssueReport(data: data, parameters: p)
            Issue.record("expected a refusal")
        } catch let e as MemoryLimitExceeded {
            #expect(e.parameter == "neighbors" && e.subject == "y.npy" && e.estimate.total > 1 << 30)
            #expect(e.description.hasPrefix("y.npy: neighbors: expected a run within the memory limit of 1.0 GiB, found an estimate of 298.0 GiB"))
        }
        let answers = AnswerSet(items: ["a", "a", "b", "b"], workers: ["x", "y", "x", "y"], labels: ["1", "2", "2", "2"])
        var q = AnnotationReport.Parameters()
        q.extraModels = [.mace]
        q.mace.restarts = 1 << 40
        q.memory = MemoryBudget(limit: 1 << 30)
        #expect(throws: MemoryLimitExceeded.self) { _ = try AnnotationReport(answers: answers, gold: nil, parameters: q) }
        do { _ = try AnnotationReport(answers: answers, gold: nil, parameters: q) } catch let e as MemoryLimitExceeded {
            #expect(e.parameter == "restarts")
        }
        // Within the budget the same inputs run.
        q.mace.restarts = 2
        #expect(throws: Never.self) { _ = try AnnotationReport(answers: answers, gold: nil, parameters: q) }
    }
}
