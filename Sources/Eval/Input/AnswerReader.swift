import Foundation
import Synth
import SynthctlCore

/// Reads long-form annotations (`item,worker,label`, as crowdsourcing
/// platforms export them, and crowd-kit's `task,worker,label`) and optional
/// gold labels (`item,truth`), from any table format synthctl reads: CSV
/// (or TSV), JSON Lines or Parquet (``TableFormat``: by extension, else
/// `format`, else the first bytes).
///
/// The item column may also be called `task` (crowd-kit's name), the worker
/// column `annotator`, the label column `answer`, and the gold column
/// `label` or `gold`; `columns` names others (``AnswerColumns``). Item and worker ids must be non-empty; they are text
/// compared by bytes (a Parquet or JSON integer id 7 is "7", a float id 7.0
/// is "7" too, as a label would be). An empty file or a file with a header
/// only is bad input. Labels, given and gold, are spelled canonically
/// (``LabelText``: ` 1`, `1.0` and `01` are one class) and are one class
/// only when their bytes are equal (``ValueInterner``). A missing label
/// (empty, `NA`, `nan`, null, …, ``TableCell/missingSpellings``) is refused
/// naming the file, line (or row) and column (``MissingValueError``), or
/// with `dropMissing` its answer or gold row is left out and counted
/// (``AnswerSet/droppedAnswers``, ``GoldLabels/droppedRows``). A gold file
/// must give at least one gold label for an item that has answers.
///
/// Classes are ordered numerically when every label is a number, by bytes
/// otherwise, or as `labelOrder` lists them: every label, given or gold,
/// must be in it (the first that is not is refused, with its line), and the
/// labels it lists that nobody gave are classes too. Without `labelOrder`,
/// each file's labels are read with that file's own names
/// (``ClassNaming``): integer labels whose names the file declares
/// (``DeclaredClassNames``: a Parquet footer's `synthctl.class_names` or
/// Hugging Face `ClassLabel` of the label column, or a synthctl manifest
/// beside the file) are class ids, as a table's labels are
/// (``LabeledFeatures/read(table:labelColumn:featureColumns:dropMissing:format:probabilityColumns:labelOrder:types:progress:)``):
/// id i is the i-th name, every name a class, an id with no name refused
/// naming its row. Answers and gold are then matched by class name; a file
/// of bare ids (integers nothing names) beside a file of names is refused
/// in one line naming both. A label −1 is no label (``NoLabel``): such an
/// answer is left out, such a gold row gives its item no gold, each
/// counted in ``AnswerSet/readingNotes`` and ``GoldLabels/readingNotes``.
public enum AnswerReader {
    /// `progress` hears how far reading the answers has come, as one stage
    /// `reading <path>` (``ReadProgress``); it never changes the result.
    ///
    /// CSV and TSV answers are read in pieces on `threads` threads
    /// (``AnswerCSVChunks``); the result does not depend on their number.
    public static func read(answers path: String, gold goldPath: String? = nil, dropMissing: Bool = false,
                            format: TableFormat? = nil, labelOrder: [String]? = nil,
                            columns names: AnswerColumns = AnswerColumns(),
                            threads: Int = Parallel.coreCount,
                            progress: WorkProgress = .silent) throws -> (AnswerSet, GoldLabels?) {
        try read(answers: path, gold: goldPath, dropMissing: dropMissing, format: format, labelOrder: labelOrder,
                 columns: names, threads: threads, pieceBytes: nil, progress: progress)
    }

    /// ``read(answers:gold:dropMissing:format:labelOrder:columns:threads:progress:)``
    /// with CSV answers read in pieces of `pieceBytes` bytes (nil: the
    /// usual size; 0: record by record, never in pieces), for tests.
    static func read(answers path: String, gold goldPath: String? = nil, dropMissing: Bool = false,
                     format: TableFormat? = nil, labelOrder: [String]? = nil,
                     columns names: AnswerColumns = AnswerColumns(),
                     threads: Int, pieceBytes: Int?,
                     progress: WorkProgress = .silent) throws -> (AnswerSet, GoldLabels?) {
        var itemIDs = ValueInterner(), workerIDs = ValueInterner()
        // Each file's labels are interned apart: its ids are decoded with its own names (``ClassNaming``).
        var answerValues = ValueInterner(), goldValues = ValueInterner()
        var items = [Int32](), workers = [Int32](), labels = [Int32]()
        var droppedAnswers = 0, noLabelAnswers = 0
        // Without a given order, an order the answers' file declares (``DeclaredClassOrder``) stands for it.
        var labelOrder = labelOrder, declaredOrder: DeclaredClassOrder? = nil, unkeptOrder: DeclaredClassOrder? = nil
        var noLabel = true  // whether −1 is no label in the file being read (``NoLabel``)
        var answerColumns = [String]()  // the item, worker and label columns' names, as the file spells them
        // The label column's names in a Parquet footer (looked up on the first
        // row), and where each class value was first seen in its file, for messages.
        var answerNames: DeclaredClassNames?? = nil, goldNames: DeclaredClassNames?? = nil
        var answerSeen = [(file: String, at: RowPosition, column: String)](), goldSeen = answerSeen
        let answerFile = try AnswerRows.Contents(path, format: format)
        // CSV and TSV: in pieces, when nothing in the file needs the record-by-record reader's word.
        // A text table declares no class names or order (those are Parquet's): −1 is no label unless the order lists it.
        let pieces = answerFile.parts || pieceBytes == 0 ? nil : answerFile.format.reader.fieldDelimiter.flatMap { delimiter in
            answerFile.bytes.withUnsafeBufferPointer { bytes in
                AnswerCSVChunks.read(bytes, path: path, delimiter: delimiter, wanted: names.answers,
                                     noLabel: NoLabel.applies(order: labelOrder), dropMissing: dropMissing,
                                     threads: threads, pieceBytes: pieceBytes, progress: progress)
            }
        }
        if let pieces {
            let labelColumn = pieces.header[pieces.columns[2]]
            answerColumns = pieces.columns.map { pieces.header[$0] }
            answerNames = .some(nil)
            noLabel = NoLabel.applies(order: labelOrder)
            (itemIDs, workerIDs, answerValues) = (pieces.itemIDs, pieces.workerIDs, pieces.labelValues)
            (items, workers, labels) = (pieces.items, pieces.workers, pieces.labels)
            (droppedAnswers, noLabelAnswers) = (pieces.dropped, pieces.noLabel)
            answerSeen = pieces.labelLines.map { (path, .line($0), labelColumn) }
        } else {
            try AnswerRows.read(path, contents: answerFile, columns: names.answers, progress: progress) { row in
                if answerColumns.isEmpty { answerColumns = row.columns.map { row.header[$0] } }
                if answerNames == nil {
                    if labelOrder == nil, let declared = try row.declaredOrder(2) {
                        if let labels = declared.labels {
                            declaredOrder = declared
                            labelOrder = labels
                        } else {
                            unkeptOrder = declared  // the labels' own (numeric) order, and a note
                        }
                    }
                    answerNames = .some(row.declaredClassNames(2))
                    try NoLabel.requireClass(inOrder: labelOrder, declared: answerNames!?.names, file: path, column: row.header[row.columns[2]])
                    noLabel = NoLabel.applies(order: labelOrder, declared: answerNames!?.names)
                }
                if items.isEmpty {
                    items.reserveCapacity(row.estimatedRows)
                    workers.reserveCapacity(row.estimatedRows)
                    labels.reserveCapacity(row.estimatedRows)
                }
                // Ids are Int32: more answers than that could not be numbered.
                guard items.count < Int(Int32.max) else {
                    throw InputError(file: path, expected: "at most \(Int32.max) answers", found: "more")
                }
                try row.requireID(0, role: "an item id")
                try row.requireID(1, role: "a worker id")
                let before = answerValues.count
                let label: Int32
                switch try row.label(2, role: "a label", into: &answerValues, noLabel: noLabel, namedIDs: answerNames! != nil) {
                case .value(let id): label = id
                case .noLabel:
                    noLabelAnswers += 1  // left out, as crowd-kit leaves out a NaN answer
                    return
                case .missing:
                    guard dropMissing else { throw MissingValueError(try row.missingLabel(2, role: "a label")) }
                    droppedAnswers += 1
                    return
                }
                if answerValues.count > before { answerSeen.append((path, row.location, row.header[row.columns[2]])) }
                items.append(try row.id(0, role: "an item id", into: &itemIDs))
                workers.append(try row.id(1, role: "a worker id", into: &workerIDs))
                labels.append(label)
            }
        }
        guard !items.isEmpty else {
            let left = droppedAnswers + noLabelAnswers
            throw InputError(file: path, expected: "at least one answer",
                             found: left > 0 ? "none with a label (\(left) dropped)" : "only the header")
        }
        let order = try labelOrder.map(LabelPositions.init)
        // The answers' own class names; with a given order, the labels the order is matched against.
        let answerDeclared = { try answerNames ?? nil ?? DeclaredClassNames.of(nil, column: "", path: path) }
        let answerNaming = try order.map { try $0.naming(answerValues, declared: answerDeclared, firstSeen: { answerSeen[$0] }) }
            ?? ClassNaming.of(answerValues, declared: answerDeclared, firstSeen: { answerSeen[$0] })
        var answerNotes = noLabelAnswers > 0 ? [NoLabel.note(noLabelAnswers, "answer", readAs: "left out", declared: answerNames??.names)] : []
        if answerNaming.isBareIDs, let note = DatasetManifest.unlistedNote(forTable: path) { answerNotes.append(note) }
        if let declaredOrder { answerNotes.append("class order \((declaredOrder.labels ?? []).joined(separator: " < ")): \(declaredOrder.origin)") }
        if let unkeptOrder { answerNotes.append("\(unkeptOrder.origin), \(DeclaredClassOrder.notKept): the labels are ordered as if the file declared none (numbers in numeric order)") }
        guard let goldPath else {
            var set = AnswerSet(ranked: (itemIDs.orderedRanks(), items), workers: (workerIDs.orderedRanks(), workers),
                                labels: (try classes([(answerValues, answerNaming)], order: order)[0], labels), threads: threads)
            set.source = path
            set.droppedAnswers = droppedAnswers
            set.readingNotes = answerNotes
            set.classOrderGiven = order != nil
        set.classOrderDeclared = declaredOrder != nil
            set.unkeptClassOrder = unkeptOrder?.origin
            set.schema = AnswerSet.schema(columns: answerColumns, ids: [set.itemNames, set.workerNames],
                                          integers: [itemIDs.onlyCanonicalIntegers, workerIDs.onlyCanonicalIntegers],
                                          classNames: set.classNames, missingLabels: droppedAnswers + noLabelAnswers)
            set.itemColumn = answerColumns.first
            return (set, nil)
        }

        // Gold rows as (answer item id or −1, the gold file's interned label); the answers' items with gold, and the other gold items.
        var goldRows = [(Int32, Int32)]()
        var hasGold = [Bool](repeating: false, count: itemIDs.count), unmatchedItems = [String]()
        var droppedGold = 0, noLabelGold = 0
        var goldColumns = [String]()
        let goldFile = try AnswerRows.Contents(goldPath, format: format)
        // CSV and TSV in pieces, as the answers; a gold item given twice is for the record-by-record reader to name, with both lines.
        let goldPieces = goldFile.parts || pieceBytes == 0 ? nil : goldFile.format.reader.fieldDelimiter.flatMap { delimiter in
            goldFile.bytes.withUnsafeBufferPointer { bytes in
                AnswerCSVChunks.read(bytes, path: goldPath, delimiter: delimiter, wanted: names.gold,
                                     noLabel: NoLabel.applies(order: labelOrder), dropMissing: dropMissing,
                                     threads: threads, pieceBytes: pieceBytes)
            }
        }.flatMap { $0.itemIDs.count == $0.items.count ? $0 : nil }
        if let pieces = goldPieces {
            let labelColumn = pieces.header[pieces.columns[1]]
            goldColumns = pieces.columns.map { pieces.header[$0] }
            goldNames = .some(nil)
            noLabel = NoLabel.applies(order: labelOrder)
            goldValues = pieces.labelValues
            goldSeen = pieces.labelLines.map { (goldPath, .line($0), labelColumn) }
            (droppedGold, noLabelGold) = (pieces.dropped, pieces.noLabel)
            // Each gold item once: its answers' id, or −1 for an item no answer has.
            let answerItem = pieces.itemIDs.keyBytes.withUnsafeBufferPointer { keys in
                (0..<pieces.itemIDs.count).map { v in
                    itemIDs.id(of: UnsafeBufferPointer(rebasing: keys[pieces.itemIDs.keyStart[v]..<pieces.itemIDs.keyStart[v + 1]]), insert: false) ?? -1
                }
            }
            goldRows.reserveCapacity(pieces.items.count)
            for (item, value) in zip(pieces.items, pieces.labels) {
                let matched = answerItem[Int(item)]
                if matched >= 0 { hasGold[Int(matched)] = true } else { unmatchedItems.append(pieces.itemIDs.name(Int(item))) }
                goldRows.append((matched, value))
            }
        } else {
            // Indexed by the answers' item id: an array, not a dictionary (one lookup per gold row).
            var firstLine = [RowPosition?](repeating: nil, count: itemIDs.count), unmatchedLine = [ExactText: RowPosition]()
            try AnswerRows.read(goldPath, contents: goldFile, columns: names.gold) { row in
                if goldColumns.isEmpty { goldColumns = row.columns.map { row.header[$0] } }
                if goldNames == nil {
                    goldNames = .some(row.declaredClassNames(1))
                    try NoLabel.requireClass(inOrder: labelOrder, declared: goldNames!?.names, file: goldPath, column: row.header[row.columns[1]])
                    noLabel = NoLabel.applies(order: labelOrder, declared: goldNames!?.names)
                }
                try row.requireID(0, role: "an item id")
                let before = goldValues.count
                let value: Int32
                switch try row.label(1, role: "a gold label", into: &goldValues, noLabel: noLabel, namedIDs: goldNames! != nil) {
                case .value(let id): value = id
                case .noLabel:
                    noLabelGold += 1  // its item simply has no gold
                    return
                case .missing:
                    guard dropMissing else { throw MissingValueError(try row.missingLabel(1, role: "a gold label")) }
                    droppedGold += 1
                    return
                }
                if goldValues.count > before { goldSeen.append((goldPath, row.location, row.header[row.columns[1]])) }
                let (item, text) = try row.lookUp(0, role: "an item id", in: itemIDs)
                let previous: RowPosition?
                if let item {
                    previous = firstLine[Int(item)]
                    if previous == nil { firstLine[Int(item)] = row.location }
                } else {
                    previous = unmatchedLine[ExactText(text)]
                    if previous == nil { unmatchedLine[ExactText(text)] = row.location }
                }
                if let previous {
                    throw InputError(file: goldPath, at: row.location, expected: "one gold label per item",
                                     found: "item \(text) again (first on \(previous))")
                }
                goldRows.append((item ?? -1, value))
            }
            hasGold = firstLine.map { $0 != nil }
            unmatchedItems = unmatchedLine.keys.map(\.text)
        }
        guard !goldRows.isEmpty else {
            let left = droppedGold + noLabelGold
            throw InputError(file: goldPath, expected: "at least one gold label",
                             found: left > 0 ? "none that is not missing (\(left) dropped)" : "only the header")
        }
        guard goldRows.contains(where: { $0.0 >= 0 }) else {
            throw InputError(file: goldPath, expected: "gold labels for items that have answers in \(path)",
                             found: "none of its \(goldRows.count) items there (item ids are matched as text: \"7\" is not \"7.0\")")
        }
        // The gold file's own names; then bare ids meeting names are refused, and classes matched by name.
        let goldDeclared = { try goldNames ?? nil ?? DeclaredClassNames.of(nil, column: "", path: goldPath) }
        // Under an order of the answers' ids (`3,2,1,0` for a ClassLabel), gold names meet the names those ids have.
        let goldNaming = try order.map { try $0.naming(goldValues, declared: goldDeclared, idNames: answerNaming.declaredNames.flatMap($0.namesOfIDs),
                                                       firstSeen: { goldSeen[$0] }) }
            ?? ClassNaming.of(goldValues, declared: goldDeclared, firstSeen: { goldSeen[$0] })
        if order == nil {
            try ClassNaming.requireAgreement((path, answerNaming.isBareIDs, answerNaming.listed), (goldPath, goldNaming.isBareIDs, goldNaming.listed))
        }
        let ranks = try classes([(answerValues, answerNaming), (goldValues, goldNaming)], order: order)
        let itemOrder = itemIDs.orderedRanks()
        var set = AnswerSet(ranked: (itemOrder, items), workers: (workerIDs.orderedRanks(), workers), labels: (ranks[0], labels), threads: threads)
        set.source = path
        set.droppedAnswers = droppedAnswers
        set.readingNotes = answerNotes
        set.classOrderGiven = order != nil
        set.classOrderDeclared = declaredOrder != nil
        set.unkeptClassOrder = unkeptOrder?.origin
        set.schema = AnswerSet.schema(columns: answerColumns, ids: [set.itemNames, set.workerNames],
                                      integers: [itemIDs.onlyCanonicalIntegers, workerIDs.onlyCanonicalIntegers],
                                      classNames: set.classNames, missingLabels: droppedAnswers + noLabelAnswers)
        set.itemColumn = answerColumns.first
        let itemRank = itemOrder.rank, classRank = ranks[1].rank
        var truth = [Int32](repeating: -1, count: set.itemCount)
        var unmatched = 0
        for (item, value) in goldRows {
            if item >= 0 { truth[Int(itemRank[Int(item)])] = classRank[Int(value)] } else { unmatched += 1 }
        }
        var gold = GoldLabels(truth: truth, unmatchedItems: unmatched, droppedRows: droppedGold)
        if noLabelGold > 0 { gold.readingNotes = [NoLabel.note(noLabelGold, "row", readAs: "read as missing (no gold for its item)",
                                                              declared: goldNames??.names)] }
        if goldNaming.isBareIDs, let note = DatasetManifest.unlistedNote(forTable: goldPath) { gold.readingNotes.append(note) }
        // The gold file's own declared classes when it declares names (under a
        // given order too), else the run's classes.
        let goldOwn = try goldNaming.declaredNames
            ?? (order != nil && (0..<goldValues.count).allSatisfy { LabeledFeatures.isIntegerSpelling(goldValues.name($0)) } ? goldDeclared()?.names : nil)
        let goldClasses = goldOwn ?? set.classNames
        // Gold items are answers' items (integers when those all are) and the unmatched ones.
        let goldIntegers = itemIDs.onlyCanonicalIntegers && unmatchedItems.allSatisfy(LabeledFeatures.isIntegerSpelling)
        // Their ids, for the schema to type, which it needs only when they are not known to be integers
        // (a list of 100,000 Strings took a millisecond of `score` for nothing).
        let goldItems = goldIntegers ? [] : hasGold.indices.filter { hasGold[$0] }.map { set.itemNames[Int(itemRank[$0])] } + unmatchedItems
        gold.schema = AnswerSet.schema(columns: goldColumns, ids: [goldItems], integers: [goldIntegers], classNames: goldClasses,
                                       missingLabels: droppedGold + noLabelGold)
        return (set, gold)
    }

    /// One class numbering for the labels of one or more files (answers,
    /// then gold): per file, the class of each of its interned values, and
    /// the class names. With `order`, its classes (``LabelPositions``).
    /// Otherwise classes are matched by name (``ClassNaming/names``): the
    /// first file that declares names gives its whole list, in its id order
    /// (every name a class, used or not), then each other file's declared
    /// names it lacks, in that file's id order (a class only the gold file
    /// declares is a class as one only the answers declare is: zero
    /// answers), and any other name follows in label order
    /// (``ValueInterner/orderedRanks()``: numeric when every one is a
    /// number, else by bytes); with no declared names, every name in label
    /// order.
    static func classes(_ files: [(values: ValueInterner, naming: ClassNaming)], order: LabelPositions?) throws -> [(rank: [Int32], names: [String])] {
        if let order {
            // An order of ids (`0,1,2`) for a file that names its ids keeps the file's names.
            let shown = files.lazy.compactMap { $0.naming.declaredNames.flatMap(order.namesOfIDs) }.first
            return files.map { (order.ranks($0.naming.names).rank, shown ?? order.names) }
        }
        var declared = [String]()
        var position = [ExactText: Int32]()
        for name in files.compactMap(\.naming.declaredNames).joined() where position[ExactText(name)] == nil {
            position[ExactText(name)] = Int32(declared.count)
            declared.append(name)
        }
        var others = ValueInterner()
        for file in files { for name in file.naming.names where position[ExactText(name)] == nil { _ = others.id(of: name) } }
        let ranked = others.orderedRanks()
        for (r, name) in ranked.names.enumerated() { position[ExactText(name)] = Int32(declared.count + r) }
        let names = declared + ranked.names
        return files.map { file in (file.naming.names.map { position[ExactText($0)]! }, names) }
    }
}

/// A class order given by the user (`--label-order`): each label's
/// position, matched by bytes.
struct LabelPositions {
    let names: [String]
    private let position: [ExactText: Int32]

    /// Refuses a label listed twice.
    init(_ names: [String]) throws {
        var position = [ExactText: Int32]()
        for (i, name) in names.enumerated() where position.updateValue(Int32(i), forKey: ExactText(name)) != nil {
            throw ArgumentError(argument: "the label order", expected: "each label once", found: "\"\(name)\" twice")
        }
        self.names = names
        self.position = position
    }

    /// The labels of one file as this order names them: integer ids the
    /// file declares names for (``DeclaredClassNames``; a `datasets`
    /// ClassLabel) are matched by those names when the order lists any of
    /// them (`neg,neu,pos`), else as the ids they are (`0,1,2`); other labels
    /// as written. Every one must be listed: the first that is not, in file
    /// order, is refused where `firstSeen` says it first appeared.
    ///
    /// `idNames`: when this is an order of ids of another file that names
    /// them (``namesOfIDs(_:)``: the answers' `ClassLabel`), the names those
    /// ids have, in the order's order; a label the order does not list but
    /// that is one of these names is that id (gold `class_1` is the
    /// answers' id 1), as without an order names meet names and ids ids.
    ///
    /// - Throws: ``InputError`` naming the file, row and column.
    func naming(_ values: ValueInterner, declared: () throws -> DeclaredClassNames?, idNames: [String]? = nil,
                firstSeen: (Int) -> (file: String, at: RowPosition, column: String)) throws -> ClassNaming {
        var spelled = (0..<values.count).map(values.name)
        var kind = ClassNaming.Kind.text
        if spelled.allSatisfy(LabeledFeatures.isIntegerSpelling), let declared = try declared() {
            kind = .declared(declared)
            if declared.names.contains(where: { position[ExactText($0)] != nil }) {
                spelled = spelled.map { id in Int(id).flatMap { declared.names.indices.contains($0) ? declared.names[$0] : nil } ?? id }
            } else if !spelled.isEmpty {
                let seen = firstSeen(0)
                try requireNamedIDs(declared.names, file: seen.file, column: seen.column)
            }
        }
        if let idNames {
            let idOf = Dictionary(zip(idNames, names).map { (ExactText($0), $1) }) { first, _ in first }
            spelled = spelled.map { position[ExactText($0)] == nil ? idOf[ExactText($0)] ?? $0 : $0 }
        }
        if let bad = spelled.indices.first(where: { position[ExactText(spelled[$0])] == nil }) {
            let seen = firstSeen(bad)
            let named = idNames.map { " or the names its ids have (\(NameList.describe($0, noun: "names")))" } ?? ""
            throw InputError(file: seen.file, at: seen.at, column: seen.column,
                             expected: "one of the labels of the given order (\(NameList.describe(names, noun: "labels")))\(named)", found: "\"\(spelled[bad])\"")
        }
        return ClassNaming(kind: kind, names: spelled)
    }

    /// Refuses an order of ids (`0,1,2,3`) listing an id that a file
    /// naming its ids (`declared`, a `ClassLabel`'s three names) does not
    /// name: that class would be one the file cannot hold, under its id's
    /// spelling ("3"). An order of names, or of entries that are no ids,
    /// passes (it is matched as names).
    ///
    /// - Throws: ``InputError`` naming the file, the column, the ids it
    ///   names and the first id given beyond them.
    func requireNamedIDs(_ declared: [String], file: String, column: String) throws {
        guard !declared.contains(where: { position[ExactText($0)] != nil }),
              names.allSatisfy(LabeledFeatures.isIntegerSpelling),
              let bad = names.first(where: { Int($0).map { !declared.indices.contains($0) } ?? true }) else { return }
        let named = declared.indices.map { "\($0) = \(declared[$0])" }
        throw InputError(file: file, columnName: .named(column),
                         expected: "class ids the file names (\(NameList.describe(named, noun: "ids"))) in the label order",
                         found: "\(bad)")
    }

    /// The class names of an order that lists ids (`0,1,2`) for a file that
    /// names them (`declared`, a `ClassLabel`'s [neg, neu, pos]): each listed
    /// id's name, so that reports keep the file's names in the order given
    /// ([neu, pos, neg] for `1,2,0`); a listed id the file does not name
    /// keeps its spelling. Nil when the order lists any of the names (it is
    /// an order of names) or entries that are no ids.
    func namesOfIDs(_ declared: [String]) -> [String]? {
        guard !declared.contains(where: { position[ExactText($0)] != nil }),
              names.allSatisfy(LabeledFeatures.isIntegerSpelling) else { return nil }
        return names.map { id in Int(id).flatMap { declared.indices.contains($0) ? declared[$0] : nil } ?? id }
    }

    /// The ranks in this order of labels named as ``naming(_:declared:firstSeen:)``
    /// names them, and the class names (every label listed, used or not).
    func ranks(_ spelled: [String]) -> (rank: [Int32], names: [String]) {
        (spelled.map { position[ExactText($0)]! }, names)
    }
}

/// The rows of an answers or gold table, whatever its format, with the
/// columns the reader asked for: CSV is scanned in place (no String per
/// field, for files of millions of answers), the other formats go through
/// ``TableSource``.
struct AnswerRows {
    let path: String
    let header: [String]
    /// The asked-for columns' indices in `header`.
    let columns: [Int]
    /// A guess at the row count, for reserving capacity.
    let estimatedRows: Int
    /// The row: a CSV record, or row `row` of `table`.
    private let record: CSVRecord?
    private let table: TableSource?
    private let row: Int

    /// Where this row is, for messages: "line 12" (CSV, JSON Lines) or "row 11" (Parquet).
    var location: RowPosition { record.map { .line($0.line) } ?? table!.location(row) }

    private func field(_ i: Int) -> Field {
        if let record { return .bytes(record.field(columns[i])) }
        return .cell(table!.cell(row, columns[i]))
    }

    enum Field {
        /// A CSV field's bytes, valid during the row's call.
        case bytes(UnsafeBufferPointer<UInt8>)
        case cell(TableCell)
    }

    /// Calls `body` with each row of `path`, in file order. `columns` are
    /// the accepted names of each column wanted, and its role for messages.
    /// `progress` hears of each 8 MiB of rows read (CSV, TSV: by the end of
    /// a record's last field, when it is not quoted; JSON Lines: by rows) or
    /// of each Parquet column chunk decoded (``ReadProgress``).
    static func read(_ path: String, format: TableFormat?, columns wanted: [([String], String)],
                     progress: WorkProgress = .silent, _ body: (AnswerRows) throws -> Void) throws {
        try read(path, contents: Contents(path, format: format), columns: wanted, progress: progress, body)
    }

    /// A table file's bytes and format, read once for both readers of
    /// answers (``AnswerCSVChunks`` first, then these rows when it declines).
    struct Contents {
        /// The file's bytes (decompressed); empty for a directory of Parquet parts.
        let bytes: [UInt8]
        let format: TableFormat
        /// Whether `path` is a directory of Parquet parts (``ParquetPartDirectory``), one Parquet table.
        let parts: Bool

        init(_ path: String, format: TableFormat?) throws {
            parts = ParquetPartDirectory.holds(path)
            if !parts, let refusal = ParquetPartDirectory.refusal(path) { throw refusal }
            // Text (CSV, TSV, JSON Lines) is refused at its first block holding a NUL byte.
            bytes = parts ? [] : try TableSource.contents(path, format: format)
            self.format = parts ? .parquet : TableFormat.of(path, bytes: bytes, explicit: format)
        }
    }

    /// ``read(_:format:columns:progress:_:)`` of contents already read.
    static func read(_ path: String, contents: Contents, columns wanted: [([String], String)],
                     progress: WorkProgress = .silent, _ body: (AnswerRows) throws -> Void) throws {
        let parts = contents.parts, bytes = contents.bytes, format = contents.format
        if let delimiter = format.reader.fieldDelimiter {
            var header = [String](), columns = [Int]()
            var reading = ReadProgress(progress, path: path, bytes: bytes.count)
            try CSVTable.stream(bytes: bytes, path: path, delimiter: delimiter, onHeader: { names in
                header = names
                columns = try wanted.map { try CSVTable.column($0.0, role: $0.1, header: names, path: path) }
            }) { record in
                if let end = record.fileRange(record.fieldCount - 1)?.upperBound { reading.advance(toByte: end) }
                try body(AnswerRows(path: path, header: header, columns: columns, estimatedRows: record.estimatedRecords,
                                    record: record, table: nil, row: 0))
            }
            reading.finish()
            return
        }
        var table = parts ? try TableSource(path, progress: progress) : try TableSource(path, bytes: bytes, format: format, progress: progress)
        let columns = try wanted.map { try CSVTable.column($0.0, role: $0.1, header: table.header, path: path, headerLine: nil) }
        // Only these columns are decoded: a Parquet TIMESTAMP beside them does not block the run.
        try table.load(columns: columns)
        var reading = table.rowProgress(path)
        for r in 0..<table.rows {
            reading.advance(row: r, of: table.rows)
            try body(AnswerRows(path: path, header: table.header, columns: columns, estimatedRows: table.rows,
                                record: nil, table: table, row: r))
        }
        reading.finish()
    }

    private func column(_ i: Int) -> String { "column \"\(header[columns[i]])\"" }

    /// Refuses an empty or missing id in wanted column `i` (checked before
    /// the label, so that a row is refused for its id first).
    func requireID(_ i: Int, role: String) throws {
        switch field(i) {
        case .bytes(let b):
            guard !b.isEmpty else { throw InputError(file: path, at: location, expected: "\(role) in \(column(i))", found: "an empty field") }
        case .cell(let cell):
            _ = try idText(cell, i, role: role)
        }
    }

    /// The id in wanted column `i`, interned; an empty or missing id is refused.
    func id(_ i: Int, role: String, into ids: inout ValueInterner) throws -> Int32 {
        switch field(i) {
        case .bytes(let b):
            guard !b.isEmpty else { throw InputError(file: path, at: location, expected: "\(role) in \(column(i))", found: "an empty field") }
            return ids.id(of: b)!
        case .cell(let cell):
            return try ids.id(of: idText(cell, i, role: role))!
        }
    }

    /// The id in wanted column `i` if `ids` has it (nil otherwise), and its text.
    func lookUp(_ i: Int, role: String, in ids: ValueInterner) throws -> (Int32?, String) {
        var ids = ids
        switch field(i) {
        case .bytes(let b):
            guard !b.isEmpty else { throw InputError(file: path, at: location, expected: "\(role) in \(column(i))", found: "an empty field") }
            return (ids.id(of: b, insert: false), String(decoding: b, as: UTF8.self))
        case .cell(let cell):
            let text = try idText(cell, i, role: role)
            return (ids.id(of: text, insert: false), text)
        }
    }

    /// A typed cell as an id: text as it is, integers in decimal, other
    /// numbers as labels spell them, booleans as `true`/`false`.
    private func idText(_ cell: TableCell, _ i: Int, role: String) throws -> String {
        let text: String
        switch cell {
        case .text(let s): text = s
        case .integer(let v): text = String(v)
        case .real(let d) where d.isFinite: text = LabelText.spelling(of: d)
        case .boolean(let b): text = b ? "true" : "false"
        case .null, .absent, .real:
            let found = TableCell.foundMissing(cell.isNull ? "null" : cell.isAbsent ? TableCell.absentSpelling : "nan", column: header[columns[i]])
            throw InputError(file: path, at: location, expected: "\(role) in \(column(i))", found: found)
        case .nested(let what): throw InputError(file: path, at: location, expected: "\(role) in \(column(i))", found: what)
        }
        guard !text.isEmpty else { throw InputError(file: path, at: location, expected: "\(role) in \(column(i))", found: "an empty field") }
        guard !text.utf8.contains(0) else { throw InputError(file: path, at: location, expected: "\(role) in \(column(i))", found: "a NUL byte") }
        return text
    }

    /// The names a Parquet footer gives wanted column `i` (``DeclaredClassNames``), or nil.
    func declaredClassNames(_ i: Int) -> DeclaredClassNames? { table?.declaredClassNames(header[columns[i]]) }

    /// The class order a Parquet file declares for wanted column `i` (``DeclaredClassOrder``), or nil.
    func declaredOrder(_ i: Int) throws -> DeclaredClassOrder? { try table?.declaredOrder(header[columns[i]]) }

    /// What a label cell holds (``label(_:role:into:noLabel:)``).
    enum Label {
        /// The interned id of its canonical spelling.
        case value(Int32)
        /// A missing value (``missingLabel(_:role:)`` says which).
        case missing
        /// −1, no label (``NoLabel``).
        case noLabel
    }

    /// The label in wanted column `i`, spelled canonically and interned;
    /// missing, or −1 read as no label when `noLabel` (``NoLabel``), or when
    /// `namedIDs` (the file names the column's ids: a `ClassLabel`) and
    /// it is stored as an integer, as `datasets` stores "no label" even
    /// when a class is named "-1".
    func label(_ i: Int, role: String, into classes: inout ValueInterner, noLabel: Bool, namedIDs: Bool = false) throws -> Label {
        switch field(i) {
        case .bytes(let label):
            switch LabelText.canonical(label) {
            case .same(let r):
                let text = UnsafeBufferPointer(rebasing: label[r])
                return noLabel && NoLabel.holds(text) ? .noLabel : .value(classes.id(of: text)!)
            case .rewritten(let text):
                return text.withUnsafeBufferPointer { noLabel && NoLabel.holds($0) ? .noLabel : .value(classes.id(of: $0)!) }
            case .nul: throw InputError(file: path, at: location, column: header[columns[i]], expected: role, found: "a NUL byte")
            case .missing: return .missing
            }
        case .cell(let cell):
            switch cell.label {
            case .value(let text):
                return (noLabel || (namedIDs && cell.isInteger)) && NoLabel.holds(text) ? .noLabel : .value(classes.id(of: text)!)
            case .missing: return .missing
            case .invalid(let expected, let found): throw InputError(file: path, at: location, column: header[columns[i]], expected: expected, found: found)
            }
        }
    }

    /// The message for a missing label in wanted column `i`.
    func missingLabel(_ i: Int, role: String) throws -> InputError {
        let spelled: String
        switch field(i) {
        case .bytes(let b): spelled = TableCell.describe(b)
        case .cell(let cell):
            guard case .missing(let s) = cell.label else { spelled = "?"; break }
            spelled = s
        }
        return InputError(file: path, at: location, column: header[columns[i]], expected: role, found: TableCell.foundMissing(spelled, column: header[columns[i]]))
    }
}

extension TableCell {
    var isNull: Bool { if case .null = self { return true } else { return false } }
    var isAbsent: Bool { if case .absent = self { return true } else { return false } }
    /// Whether the cell is stored as an integer (a Parquet INT column, a JSON
    /// number without a fraction): in a column whose ids the file names
    /// (a `ClassLabel`), −1 stored so is no label whatever the names are.
    var isInteger: Bool { if case .integer = self { return true } else { return false } }
}

extension AnswerReader {
    /// Reads a synthctl dataset directory's annotations (a table or sharded
    /// directory: ``read(tables:dropMissing:)``): `annotations.npy`
    /// (items × annotators, −1 where missing) as the answers, `true_labels.npy`
    /// as gold, and each annotator's true confusion matrix from
    /// `manifest.json` when it is there. Items are row numbers, workers
    /// column numbers, labels class ids named as the manifest names them
    /// (`class_0`, …, as the directory's labels are; ``DatasetManifest``).
    ///
    /// An annotator (a column) with no answer at all is left out and named
    /// in ``AnswerSet/workersWithoutAnswers``: a small set drawn from a large
    /// pool leaves some annotators idle, which is no fault of the input (in
    /// long form such an annotator simply has no rows). A NaN true label is
    /// a missing value: refused, or with `dropMissing` that item has no gold
    /// label (counted in ``GoldLabels/droppedRows``). Every file read that
    /// the manifest lists must be there (``IncompleteDatasetError``) and
    /// have the SHA-256 it lists (``ListedFileDigests``).
    public static func read(datasetDirectory dir: String, dropMissing: Bool = false) throws -> (AnswerSet, GoldLabels?, [[[Double]]]?) {
        try read(datasetDirectory: DatasetDirectory(dir), dropMissing: dropMissing)
    }

    /// The annotations of `directory`, as ``read(datasetDirectory:dropMissing:)``
    /// says; a file `directory` has checked for an earlier reader (the
    /// labels' `true_labels.npy`, a table directory's table) is not hashed again.
    public static func read(datasetDirectory directory: DatasetDirectory, dropMissing: Bool = false) throws -> (AnswerSet, GoldLabels?, [[[Double]]]?) {
        if directory.isTable { return try read(tables: directory, dropMissing: dropMissing) }
        let dir = directory.path, manifest = directory.manifest
        return try ListedFileDigests(["annotations.npy", "true_labels.npy"], in: dir, manifest: manifest, verified: directory.verified).reading {
            try read(npyDirectory: dir, dropMissing: dropMissing, manifest: manifest)
        }
    }

    /// The `.npy` form's annotations, as ``read(datasetDirectory:dropMissing:)`` says.
    private static func read(npyDirectory dir: String, dropMissing: Bool, manifest: DatasetManifest?) throws -> (AnswerSet, GoldLabels?, [[[Double]]]?) {
        let matrix = try NpyArray(path: "\(dir)/annotations.npy")
        guard matrix.shape.count == 2 else {
            throw InputError(file: "\(dir)/annotations.npy", expected: "items × annotators (2 dimensions)", found: "shape \(matrix.shape)")
        }
        let n = matrix.rows, a = matrix.columns
        // Items and annotators are Int32 ids in an AnswerSet.
        guard n <= Int(Int32.max), a <= Int(Int32.max) else {
            throw InputError(file: "\(dir)/annotations.npy", expected: "at most \(Int32.max) items and annotators", found: "shape \(matrix.shape)")
        }
        var items = [Int32](), workers = [Int32](), labels = [Int32]()
        var perWorker = [Int](repeating: 0, count: a)
        for t in 0..<n {
            for w in 0..<a {
                let v = matrix.values[t * a + w]
                if v == -1 { continue }
                guard v >= 0, v == v.rounded(), v <= Double(Int32.max) else {
                    throw InputError(file: "\(dir)/annotations.npy", row: t, column: w, expected: "a class id or −1", found: LabelText.spelling(of: v))
                }
                items.append(Int32(t)); workers.append(Int32(w)); labels.append(Int32(v))
                perWorker[w] += 1
            }
        }
        var truth: [Int32]? = nil, droppedGold = 0, noLabelGold = 0
        if FileManager.default.fileExists(atPath: "\(dir)/true_labels.npy") {
            let array = try NpyArray(path: "\(dir)/true_labels.npy")
            guard array.values.count == n else {
                // The odd one out is the file whose count differs from labels.npy's, when there is one.
                if let rows = try? NpyArray(path: "\(dir)/labels.npy").values.count, rows == array.values.count {
                    throw InputError(file: "\(dir)/annotations.npy", expected: "\(rows) rows (one per row of labels.npy and true_labels.npy)", found: "\(n)")
                }
                throw InputError(file: "\(dir)/true_labels.npy", expected: "\(n) labels (one per row of annotations.npy)", found: "\(array.values.count)")
            }
            truth = try array.values.enumerated().map { t, v in
                if v.isNaN {
                    guard dropMissing else { throw MissingValueError(InputError(file: "\(dir)/true_labels.npy", row: t, expected: "a class id", found: "nan (a missing value)")) }
                    droppedGold += 1
                    return -1
                }
                if v == -1 {  // no label (``NoLabel``): the item has no gold
                    noLabelGold += 1
                    return -1
                }
                guard v.isFinite, v == v.rounded(), v >= 0, v <= Double(Int32.max) else {
                    throw InputError(file: "\(dir)/true_labels.npy", row: t, expected: "a class id (an integer ≥ 0)", found: LabelText.spelling(of: v))
                }
                return Int32(v)
            }
        }
        var read = try assemble(source: "\(dir)/annotations.npy", items: n, annotators: a, answers: (items, workers, labels), perWorker: perWorker,
                                truth: truth, droppedGold: droppedGold, manifest: manifest)
        if noLabelGold > 0 { read.1?.readingNotes = [NoLabel.note(noLabelGold, "row", role: "true label", readAs: "read as missing (no gold for its item)")] }
        return read
    }

    /// The answer set of a wide answer matrix (items × annotators) read
    /// from `source`: class ids named by `manifest` (see
    /// ``read(datasetDirectory:dropMissing:)``), annotators without answers
    /// left out, and the manifest's annotator confusion matrices. `given`:
    /// the class names of the ids instead; `answerCell`: what an answer is
    /// in the source, for the message when there is none; `columns`: the
    /// annotator columns read (nil: all 0 ..< a), for the answers' schema
    /// (``AnswerSet/wideSchema(annotators:answered:items:classNames:)``).
    static func assemble(source: String, items n: Int, annotators a: Int, answers: (items: [Int32], workers: [Int32], labels: [Int32]),
                         perWorker: [Int], truth: [Int32]?, droppedGold: Int,
                         manifest: DatasetManifest?, classNames given: [String]? = nil,
                         answerCell: String = "a value other than −1", columns: [Int]? = nil) throws -> (AnswerSet, GoldLabels?, [[[Double]]]?) {
        var (items, workers, labels) = answers
        var truth = truth
        var trueConfusion = manifest?.annotatorConfusions
        // A synthetic pool's ids index the manifest's class names (the names
        // its labels.npy gets too, so that one report names each class one
        // way) or its confusion matrices' K classes; otherwise classes are
        // the distinct ids given (one stray 10⁹ is one class, not a billion).
        let top = Int(max(labels.max() ?? 0, truth?.max() ?? 0))
        let classNames: [String]
        if let given {
            classNames = given
        } else if let names = manifest?.classNames, names.count > top, trueConfusion?.first.map({ $0.count == names.count }) ?? true {
            classNames = names
        } else if let k = trueConfusion?.first?.count, k > top {
            classNames = (0..<k).map(String.init)
        } else {
            let classes = ClassIds([labels] + (truth.map { [$0] } ?? []))
            labels = labels.map { classes($0) }
            truth = truth.map { $0.map { classes($0) } }
            classNames = classes.names
        }
        // Annotators who answered nothing are left out; the others keep
        // their column numbers as names.
        let active = (0..<a).filter { perWorker[$0] > 0 }
        guard !active.isEmpty else {
            throw InputError(file: source, expected: "at least one answer (\(answerCell))", found: "none")
        }
        if active.count < a {
            var dense = [Int32](repeating: -1, count: a)
            for (i, w) in active.enumerated() { dense[w] = Int32(i) }
            workers = workers.map { dense[Int($0)] }
            if let pool = trueConfusion, pool.count == a { trueConfusion = active.map { pool[$0] } }
        }
        var gold = truth.map { GoldLabels(truth: $0, unmatchedItems: 0, droppedRows: droppedGold) }
        gold?.schema = AnswerSet.trueLabelSchema(classNames: classNames, missing: droppedGold)
        var set = AnswerSet(itemNames: (0..<n).map(String.init), workerNames: active.map(String.init),
                            classNames: classNames, item: items, worker: workers, label: labels)
        set.source = source
        set.schema = AnswerSet.wideSchema(annotators: columns ?? Array(0..<a), answered: perWorker, items: n, classNames: classNames)
        set.workersWithoutAnswers = (0..<a).filter { perWorker[$0] == 0 }.map(String.init)
        return (set, gold, trueConfusion)
    }
}
