import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

struct Split: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split a labeled set into a training part and a holdout (seeded, stratified by class), for a leak-free fit and compare.",
        discussion: """
        Each class is split in the given share, with at least one row on each side for a class of two rows or \
        more (a class of one row stays in the training part). Both parts are of the input's form, rows in the \
        input's order: a CSV, TSV or JSON Lines table gives two tables, each row's bytes as the input has them; \
        a Parquet file or directory of Parquet parts gives two Parquet files of its schema; a dataset directory \
        gives two dataset directories; a features .npy with --labels gives two pairs (--train-labels-out, \
        --holdout-labels-out). --record writes the split (source and parts with their SHA-256, seed, fraction, \
        rows per class, source rows). Fit on the training part, then: \
        synthctl compare --human-train TRAIN --human-holdout HOLDOUT --synthetic SET.
        """
    )

    @Argument(help: "The labeled set: a table (CSV, TSV or JSON Lines, optionally .gz or .zst; Parquet, or a directory of Parquet parts), a dataset directory, or a features .npy with --labels.")
    var input: String

    @Option(help: "Labels (.npy of class ids) for a features .npy.")
    var labels: String?

    @OptionGroup var labeledSet: LabeledSetOptions

    @Option(help: "Share of each class's rows held out.", range: .openShare)
    var holdoutFraction: Double = 0.3

    @Option(help: "Seed of the split.", range: .seed)
    var seed: UInt64 = 0

    @Option(help: "Where to write the training part, in the input's form: a table of its format (a text table's .gz or .zst name compresses it), a .parquet file, a dataset directory, or a features .npy.")
    var trainOut: String

    @Option(help: "Where to write the holdout, as --train-out.")
    var holdoutOut: String

    @Option(help: "With a features .npy: where to write the training part's labels .npy.")
    var trainLabelsOut: String?

    @Option(help: "With a features .npy: where to write the holdout's labels .npy.")
    var holdoutLabelsOut: String?

    @Option(help: "Where to write the record of the split (JSON; - for standard output).")
    var record: String

    @OptionGroup var overwrite: OverwriteOption
    @OptionGroup var tableFormat: InputFormatOption
    @OptionGroup var progressOption: ProgressOption

    /// argument-parser's line for a missing `--record`, with why it is
    /// required: the record is what shows a later reader which rows the
    /// holdout holds (and that no model saw them); any other line unchanged.
    static func explainingRecord(_ message: String) -> String {
        guard message == "Missing expected argument '--record <record>'" else { return message }
        return message + ": the record (source and parts with their SHA-256, seed, fraction) shows which rows the holdout holds; give a file, or - for standard output"
    }

    func validate() throws {
        try validateSeed(seed)
        guard input != InputFile.standardInput else {
            throw ValidationError("split reads its input twice (rows, then their bytes): give a file, not -")
        }
        try LabelsOption.validate(input, labels: labels, input: "", labelsOption: "--labels")
        // Accepted by every command that reads a labeled set; here it would do nothing, and saying so beats ignoring it.
        if !labeledSet.textColumns.isEmpty {
            throw ValidationError("--text-columns: split writes every column as it is, texts too; give it to the commands that read the parts (fit, compare, limits, score)")
        }
        let npy = labels != nil
        for (option, path) in [("--train-out", trainOut), ("--holdout-out", holdoutOut), ("--train-labels-out", trainLabelsOut ?? ""),
                               ("--holdout-labels-out", holdoutLabelsOut ?? "")] where path == InputFile.standardInput {
            throw ValidationError("\(option): expected a file name, found - (standard output): split writes its parts, and the record naming their rows, as files")
        }
        if npy && (trainLabelsOut == nil || holdoutLabelsOut == nil) {
            throw ValidationError("\(input) is a features .npy: give where its parts' labels go with --train-labels-out FILE and --holdout-labels-out FILE")
        }
        if !npy && (trainLabelsOut != nil || holdoutLabelsOut != nil) {
            throw ValidationError("--train-labels-out and --holdout-labels-out go with a features .npy and --labels (a table or a dataset directory brings its own labels)")
        }
    }

    func run() throws {
        let form = SplitInput.of(input, format: tableFormat.format)
        let partKind: OutputTarget.Expected = form == .datasetDirectory ? .datasetDirectory : .file
        let files = try RunFiles(inputs: [("labeled set", input), ("--labels", labels)] + labeledSet.inputs,
                                 outputs: [("--train-out", trainOut, partKind), ("--holdout-out", holdoutOut, partKind),
                                           ("--train-labels-out", trainLabelsOut, .file), ("--holdout-labels-out", holdoutLabelsOut, .file),
                                           ("--record", record, .file)],
                                 force: overwrite.force)
        for (option, path) in [("--train-out", trainOut), ("--holdout-out", holdoutOut)] {
            switch form {
            case .parquet, .npy:
                let suffix = form == .parquet ? ".parquet" : ".npy"
                guard path.lowercased().hasSuffix(suffix) else {
                    throw InputError(file: path, field: option, expected: "a \(suffix) name, the form of \(input)", found: "\"\((path as NSString).lastPathComponent)\"")
                }
            case .textTable, .datasetDirectory: break
            }
        }
        let bar = ProgressBar(label: "split", quiet: progressOption.quiet)
        defer { bar.finish() }
        let set = try DropMissing.hinting { () throws -> LabeledFeatures in
            switch form {
            case .parquet where LabeledFeatures.isShardedParquetDataset(input):
                // A sharded dataset: its labels as every command reads them, through its manifests; rows in part order, as the split writes them.
                return try readLabeledSet(input, labels: nil, labelColumn: labeledSet.labelColumn, featureColumns: labeledSet.featureColumns,
                                          dropMissing: labeledSet.dropMissing, categoricalFeatures: true)
            case .textTable, .parquet:
                return try LabeledFeatures.read(table: input, labelColumn: labeledSet.labelColumn, featureColumns: labeledSet.featureColumnNames,
                                                dropMissing: labeledSet.dropMissing, format: tableFormat.format, types: labeledSet.columnTypes(),
                                                progress: bar.workProgress)
            case .datasetDirectory, .npy:
                return try readLabeledSet(input, labels: labels, labelColumn: labeledSet.labelColumn, featureColumns: labeledSet.featureColumns,
                                          dropMissing: labeledSet.dropMissing, categoricalFeatures: true)
            }
        }
        bar.finish()
        let split = StratifiedSplit(labels: set.labels, classes: set.classCount, fraction: holdoutFraction, seed: seed)
        let recordJSON: JSONValue
        switch form {
        case .textTable:
            let table = try LabeledTableSplit(table: input, set: set, format: tableFormat.format, fraction: holdoutFraction, seed: seed)
            try table.checkPartName(trainOut, option: "--train-out")
            try table.checkPartName(holdoutOut, option: "--holdout-out")
            let train = table.trainBytes(path: trainOut), holdout = table.holdoutBytes(path: holdoutOut)
            try files.write(bytes: train, to: trainOut)
            try files.write(bytes: holdout, to: holdoutOut)
            recordJSON = table.record(trainFile: trainOut, trainBytes: train, holdoutFile: holdoutOut, holdoutBytes: holdout)
        case .parquet:
            let table = try ParquetTableSplit(source: input)
            let r = SplitRecord(file: input, sha256: table.sha256, format: form.recordName, set: set, split: split, seed: seed, fraction: holdoutFraction)
            let train = try table.bytes(ofRows: r.sourceRows(split.train)), holdout = try table.bytes(ofRows: r.sourceRows(split.holdout))
            try files.write(bytes: train, to: trainOut)
            try files.write(bytes: holdout, to: holdoutOut)
            recordJSON = r.json(train: .init(file: trainOut, sha256: sha256Hex(train)), holdout: .init(file: holdoutOut, sha256: sha256Hex(holdout)))
        case .datasetDirectory:
            let directory = try DatasetDirectorySplit(source: input)
            let r = SplitRecord(file: input, sha256: directory.manifestSHA256, format: form.recordName, set: set, split: split, seed: seed, fraction: holdoutFraction)
            let train = try directory.write(rows: r.sourceRows(split.train), to: trainOut, part: "train", seed: seed, fraction: holdoutFraction, replace: overwrite.force)
            let holdout = try directory.write(rows: r.sourceRows(split.holdout), to: holdoutOut, part: "holdout", seed: seed, fraction: holdoutFraction, replace: overwrite.force)
            recordJSON = r.json(train: .init(file: trainOut, sha256: train), holdout: .init(file: holdoutOut, sha256: holdout))
        case .npy:
            let features = try NpyRowSelection(path: input), labelArray = try NpyRowSelection(path: labels!)
            let r = SplitRecord(file: input, sha256: sha256Hex(features.bytes), format: form.recordName, set: set, split: split, seed: seed, fraction: holdoutFraction)
            var parts = [SplitRecord.Part]()
            for (rows, out, labelsOut) in [(split.train, trainOut, trainLabelsOut!), (split.holdout, holdoutOut, holdoutLabelsOut!)] {
                let x = features.bytes(ofRows: r.sourceRows(rows)), y = labelArray.bytes(ofRows: r.sourceRows(rows))
                try files.write(bytes: x, to: out)
                try files.write(bytes: y, to: labelsOut)
                parts.append(.init(file: out, sha256: sha256Hex(x), extra: ["labels_file": .string(labelsOut), "labels_sha256": .string(sha256Hex(y))]))
            }
            recordJSON = r.json(train: parts[0], holdout: parts[1],
                                sourceExtra: ["labels_file": .string(labels!), "labels_sha256": .string(sha256Hex(labelArray.bytes))])
        }
        let o: [String: JSONValue] = ["synthctl_version": .string(SynthVersion.current), "split": recordJSON]
        try files.write(bytes: JSONValue.object(o).fileContents(), to: record)
        var notes = InputNotes(dropMissing: labeledSet.dropMissing)
        notes.add("input", set, source: input)
        notes.print()
        print("split \(set.rows) rows of \(input.escapingControlCharacters) (seed \(seed)): \(split.train.count) in \(trainOut.escapingControlCharacters), "
              + "\(split.holdout.count) held out in \(holdoutOut.escapingControlCharacters); record in \(record.escapingControlCharacters)")
        if form == .npy {
            print("fit on the training part: synthctl fit \(trainOut.escapingControlCharacters) --labels \((trainLabelsOut ?? "").escapingControlCharacters) --out MODEL")
        } else {
            print("fit on the training part, then: synthctl compare --human-train \(trainOut.escapingControlCharacters) --human-holdout \(holdoutOut.escapingControlCharacters) --synthetic SET")
        }
    }
}
