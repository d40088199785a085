import Foundation
import Synth
import SynthctlCore

extension AnswerReader {
    /// The annotations of a table or sharded directory that `gen` wrote
    /// (``DatasetDirectory``): its `annotator_0` … `annotator_{A−1}`
    /// columns as the wide answer matrix (a missing cell: no answer),
    /// `true_label` as gold, parts stacked in part order. Items are row
    /// numbers over the whole dataset, annotators their column numbers,
    /// classes the manifest's (cells holding names, or ids with
    /// `label_format` `id`), with its annotators' confusion matrices: the
    /// answer set ``read(datasetDirectory:dropMissing:)`` gives for the
    /// `.npy` form of the same spec and seed. Each table's footer and
    /// SHA-256 must be its manifest's (``DatasetDirectory/checkedReading(_:)``).
    static func read(tables directory: DatasetDirectory, dropMissing: Bool) throws -> (AnswerSet, GoldLabels?, [[[Double]]]?) {
        let spellings = try directory.classes().spellings
        return try directory.checkedReading {
            try readWide(directory.tables.map(\.path), source: directory.tables.count == 1 ? directory.tables[0].path : directory.path,
                         spellings: spellings, format: nil, dropMissing: dropMissing, manifest: directory.tables[0].manifest)
        }
    }

    /// Answers in wide form from one table (`score --answers T` with the
    /// annotator columns): one row per item, its `annotator_<a>` columns
    /// one answer each (empty or null: none), `true_label` as gold when
    /// present. When the table is one `gen` wrote, with its manifest
    /// beside it (`T.manifest.json` listing T), classes are the manifest's
    /// and its annotators' confusion matrices come along; otherwise classes
    /// are the labels given, in numeric order when every one is a number,
    /// else byte order, as in long form.
    ///
    /// - Throws: ``InputError`` naming the file when it has no
    ///   `annotator_<a>` column, or a cell that is no class of the manifest.
    public static func read(wideAnswers path: String, format: TableFormat? = nil,
                            dropMissing: Bool = false) throws -> (AnswerSet, GoldLabels?, [[[Double]]]?) {
        var manifest: DatasetManifest? = nil
        var spellings: [String]? = nil
        if path != InputFile.standardInput {
            let beside = DatasetWriter.manifestPath(forTable: path)
            let name = URL(fileURLWithPath: path).lastPathComponent
            if FileManager.default.fileExists(atPath: beside), let m = try DatasetManifest(path: beside), let entry = m.tables[name], let names = m.classNames {
                // Its classes are the table's only while it is the file the manifest lists.
                if let digest = m.fileDigests[name], let found = FileDigest.sha256(ofFileAt: path), found != digest {
                    throw ListedFileDigests.mismatch(ListedFileDigests.File(path: path, sha256: digest, manifest: beside, explanation:
                        "the file changed after gen wrote it, so its classes and annotators may not be the manifest's (remove its entry from \(URL(fileURLWithPath: beside).lastPathComponent), or that manifest, to read the answers as they are)"),
                        found: found)
                }
                manifest = m
                spellings = entry.labelFormat == "id" ? names.indices.map(String.init) : names
            }
        }
        return try readWide([path], source: path, spellings: spellings, format: format, dropMissing: dropMissing, manifest: manifest)
    }

    /// Reads the annotator columns and `true_label` of `paths`, stacked.
    /// `spellings`: the cell of each class id (a cell that is none is
    /// refused); nil: classes are the values found, ranked as long-form
    /// labels are.
    static func readWide(_ paths: [String], source: String, spellings: [String]?, format: TableFormat?, dropMissing: Bool,
                         manifest: DatasetManifest?) throws -> (AnswerSet, GoldLabels?, [[[Double]]]?) {
        var values = ValueInterner()
        let spelled = spellings ?? []
        for name in spelled { _ = values.id(of: name) }
        var items = [Int32](), workers = [Int32](), labels = [Int32](), truth = [Int32]()
        var perWorker = [Int](), hasTruth = false, droppedGold = 0, offset = 0
        var columns = Set<Int>()  // the annotator columns read, for the schema
        // −1 is no label (``NoLabel``) unless the manifest names a class "-1".
        let noLabel = NoLabel.applies(order: nil, declared: spellings)
        var noLabelAnswers = 0, noLabelGold = 0
        for path in paths {
            var table = try TableSource(path, format: format)
            let annotators = table.header.enumerated().compactMap { c, name in AnnotatorColumns.index(of: name).map { (column: c, worker: $0) } }
            guard !annotators.isEmpty else {
                throw OneColumnHeaderError.refusing(InputError(file: path, expected: "annotator columns (annotator_0, annotator_1, …)", found: "columns \(NameList.columns(table.header))"), header: table.header)
            }
            let tc = table.header.firstIndex(of: "true_label")
            if offset == 0 { hasTruth = tc != nil }
            guard (tc != nil) == hasTruth else {
                throw InputError(file: path, expected: hasTruth ? "a true_label column (as the parts before it)" : "no true_label column (as the parts before it)",
                                 found: hasTruth ? "none" : "one")
            }
            try table.load(columns: annotators.map(\.column) + (tc.map { [$0] } ?? []))
            columns.formUnion(annotators.map(\.worker))
            let a = annotators.map(\.worker).max()! + 1
            if perWorker.count < a { perWorker += [Int](repeating: 0, count: a - perWorker.count) }
            guard offset + table.rows <= Int(Int32.max) else {
                throw InputError(file: path, expected: "at most \(Int32.max) items", found: "more")
            }
            func classId(_ r: Int, _ c: Int, _ text: String) throws -> Int32 {
                let before = values.count
                let id = values.id(of: text)!
                if spellings != nil, Int(id) >= spelled.count || values.count > before {
                    throw InputError(file: path, at: table.location(r), column: table.header[c],
                                     expected: "a class of the manifest (\(NameList.describe(spelled, noun: "classes")))", found: "\"\(text)\"")
                }
                return id
            }
            for r in 0..<table.rows {
                for (c, w) in annotators {
                    switch table.cell(r, c).label {
                    case .value(let text) where noLabel && NoLabel.holds(text):
                        noLabelAnswers += 1  // no answer, as an empty cell
                    case .value(let text):
                        items.append(Int32(offset + r)); workers.append(Int32(w)); labels.append(try classId(r, c, text))
                        perWorker[w] += 1
                    case .missing: continue
                    case .invalid(let expected, let found):
                        throw InputError(file: path, at: table.location(r), column: table.header[c], expected: expected, found: found)
                    }
                }
                if let tc {
                    switch table.cell(r, tc).label {
                    case .value(let text) where noLabel && NoLabel.holds(text):
                        noLabelGold += 1  // the item has no gold
                        truth.append(-1)
                    case .value(let text): truth.append(try classId(r, tc, text))
                    case .missing(let spelledMissing):
                        guard dropMissing else {
                            throw MissingValueError(InputError(file: path, at: table.location(r), column: "true_label", expected: "a true label",
                                                               found: TableCell.foundMissing(spelledMissing, column: table.header[tc])))
                        }
                        droppedGold += 1
                        truth.append(-1)
                    case .invalid(let expected, let found):
                        throw InputError(file: path, at: table.location(r), column: "true_label", expected: expected, found: found)
                    }
                }
            }
            offset += table.rows
        }
        /// The answers with what reading left out (−1 cells) in their notes.
        func noted(_ read: (AnswerSet, GoldLabels?, [[[Double]]]?)) -> (AnswerSet, GoldLabels?, [[[Double]]]?) {
            var read = read
            if noLabelAnswers > 0 { read.0.readingNotes = [NoLabel.note(noLabelAnswers, "cell", role: "an answer", readAs: "read as no answer")] }
            if noLabelGold > 0 { read.1?.readingNotes = [NoLabel.note(noLabelGold, "row", role: "true label", readAs: "read as missing (no gold for its item)")] }
            return read
        }
        if spellings == nil {
            // The values found, ranked as long-form labels are, their ranks the class ids.
            let ranked = values.orderedRanks()
            labels = labels.map { ranked.rank[Int($0)] }
            truth = truth.map { $0 < 0 ? $0 : ranked.rank[Int($0)] }
            return noted(try assemble(source: source, items: offset, annotators: perWorker.count, answers: (items, workers, labels),
                                perWorker: perWorker, truth: hasTruth ? truth : nil, droppedGold: droppedGold, manifest: nil, classNames: ranked.names,
                                answerCell: "a cell in an annotator column that is not missing", columns: columns.sorted()))
        }
        return noted(try assemble(source: source, items: offset, annotators: perWorker.count, answers: (items, workers, labels), perWorker: perWorker,
                            truth: hasTruth ? truth : nil, droppedGold: droppedGold, manifest: manifest,
                            answerCell: "a cell in an annotator column that is not missing", columns: columns.sorted()))
    }
}
