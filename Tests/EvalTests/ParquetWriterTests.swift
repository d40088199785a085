import Testing
import Foundation
@testable import Eval
@testable import Synth
@testable import SynthctlCore
import TestSupport

/// `gen --format parquet` read back by synthctl's own Parquet reader: the
/// Thrift compact encoder against the decoder, and whole datasets (several
/// row groups and pages, each codec, nulls, both label formats) against the
/// rows the generator produced.
@Suite struct ParquetWriterTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    @Test func thriftEncoderAndDecoderAgree() throws {
        var w = ThriftCompactWriter()
        let long = (0..<40).map { Int32($0 * 1000 - 7) }
        w.structBody { s in
            s.i32(1, -5)
            s.i64(3, Int64.min)
            s.string(4, "naïve")
            s.i32List(5, long)                // 15 or more: the long list header
            s.structure(40) { inner in          // a delta above 15: the long field header
                inner.i64(1, Int64.max)
            }
            s.structList(41, count: 2) { e, i in e.i32(2, Int32(i)) }
        }
        var r = ThriftCompactReader(w.bytes, describe: "test")
        var seen = [Int16]()
        var list = [Int32](), inner: Int64 = 0, elements = [Int32]()
        try r.readStruct { r, id, type in
            seen.append(id)
            switch id {
            case 1: #expect(try r.i32() == -5)
            case 3: #expect(try r.i64() == Int64.min)
            case 4: #expect(try r.string() == "naïve")
            case 5:
                let (_, n) = try r.listHeader()
                for _ in 0..<n { list.append(try r.i32()) }
            case 40: try r.readStruct { r, _, _ in inner = try r.i64() }
            case 41:
                let (_, n) = try r.listHeader()
                for _ in 0..<n { try r.readStruct { r, _, _ in elements.append(try r.i32()) } }
            default: try r.skip(type)
            }
        }
        #expect(seen == [1, 3, 4, 5, 40, 41])
        #expect(list == long && inner == Int64.max && elements == [0, 1])
        #expect(r.position == w.bytes.count)
    }

    static let spec = #"{"rows": 2500, "seed": 4, "generator": {"type": "classification", "features": 6, "informative": 4, "redundant": 0, "classes": 5}, "noise": {"type": "random", "rate": 0.2}, "annotators": {"count": 4, "per_item": 2}}"#

    /// Writes `spec` as Parquet with row groups of 1000 rows and pages of
    /// 300 (three row groups, several pages each) and reads it back.
    func writeAndRead(_ spec: String = spec, codec: ParquetCodec, labels: LabelFormat) throws -> (ParquetTable, DatasetChunk, DatasetPlan) {
        let p = try DatasetPlan(spec: JSONDecoderBox.decode(spec), source: "test")
        let dir = temporary.directory("synthctl-pqw")
        var w = DatasetWriter(plan: p)
        w.format = .parquet
        w.compression = codec
        w.labelFormat = labels
        w.threads = 2
        w.parquetLayout = (rowGroupRows: 1000, pageRows: 300)
        _ = try w.write(to: "\(dir)/t.parquet")
        var stats = RealizedStatistics(classes: p.generator.classCount, annotators: 4)
        let rows = w.generate(0..<p.rows, stats: &stats)
        return (try ParquetTable(path: "\(dir)/t.parquet"), rows, p)
    }

    @Test(arguments: ParquetCodec.allCases)
    func everyCodecReadsBackToTheGeneratedRows(codec: ParquetCodec) throws {
        let (table, rows, p) = try writeAndRead(codec: codec, labels: .name)
        let names = p.generator.classNames
        #expect(table.rows == 2500)
        #expect(table.columns.map(\.name) == ["x0", "x1", "x2", "x3", "x4", "x5", "label", "label_id", "true_label", "true_label_id", "noisy",
                                              "annotator_0", "annotator_1", "annotator_2", "annotator_3"])
        func column(_ name: String) throws -> ParquetTable.Column { try #require(table.columns.first { $0.name == name }) }
        for j in 0..<6 {
            let c = try column("x\(j)")
            for i in 0..<2500 { #expect(c.number(i) == Double(rows.features[i * 6 + j])) }
        }
        let label = try column("label"), labelId = try column("label_id"), truth = try column("true_label")
        let truthId = try column("true_label_id"), noisy = try column("noisy")
        var nulls = 0
        for i in 0..<2500 {
            #expect(label.text(i) == names[Int(rows.labels[i])] && labelId.number(i) == Double(rows.labels[i]))
            #expect(truth.text(i) == names[Int(rows.trueLabels[i])] && truthId.number(i) == Double(rows.trueLabels[i]))
            #expect(noisy.number(i) == Double(rows.noiseMask[i]))
            for a in 0..<4 {
                let v = rows.annotations[i * 4 + a]
                #expect(try column("annotator_\(a)").text(i) == (v < 0 ? nil : names[Int(v)]))
                if v < 0 { nulls += 1 }
            }
        }
        #expect(nulls == 2500 * 2)  // 2 of 4 annotators per item: the others are nulls
    }

    @Test func idsAreInt32ColumnsWithNulls() throws {
        let (table, rows, _) = try writeAndRead(codec: .zstd, labels: .id)
        #expect(table.columns.map(\.name) == ["x0", "x1", "x2", "x3", "x4", "x5", "label", "true_label", "noisy",
                                              "annotator_0", "annotator_1", "annotator_2", "annotator_3"])
        let label = try #require(table.columns.first { $0.name == "label" })
        let annotator = try #require(table.columns.first { $0.name == "annotator_2" })
        guard case .integers = label.values else { Issue.record("label: \(label.values)"); return }
        for i in 0..<2500 {
            #expect(label.number(i) == Double(rows.labels[i]))
            let v = rows.annotations[i * 4 + 2]
            #expect(annotator.number(i) == (v < 0 ? nil : Double(v)))
        }
    }

    @Test func regressionAndMultilabelColumns() throws {
        let (regression, r, _) = try writeAndRead(#"{"rows": 2500, "seed": 9, "generator": {"type": "regression", "features": 3, "informative": 3, "targets": 2}}"#,
                                                  codec: .snappy, labels: .name)
        #expect(regression.columns.map(\.name) == ["x0", "x1", "x2", "target_0", "target_1"])
        let target = try #require(regression.columns.last)
        for i in 0..<2500 { #expect(target.number(i) == Double(r.targets[i * 2 + 1])) }
        let (multilabel, m, _) = try writeAndRead(#"{"rows": 2500, "seed": 10, "generator": {"type": "multilabel", "features": 4, "labels": 3}}"#,
                                                  codec: .zstd, labels: .name)
        #expect(multilabel.columns.count == 7)
        let indicator = multilabel.columns[5]
        guard case .booleans = indicator.values else { Issue.record("\(indicator.values)"); return }
        for i in 0..<2500 { #expect(indicator.number(i) == Double(m.labels[i * 3 + 1])) }
    }
}
