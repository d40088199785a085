import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

struct Split: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split a labeled table into a training part and a holdout (seeded, stratified by class), for a leak-free fit and compare.",
        discussion: """
        Each class is split in the given share, with at least one row on each side for a class of two rows or \
        more (a class of one row stays in the training part). Both parts are tables of the input's format, \
        each row's bytes as the input has them, in the input's order; --record writes the split (source and \
        parts with their SHA-256, seed, fraction, rows per class, source rows). Fit on the training part, \
        then: synthctl compare --human-train TRAIN --human-holdout HOLDOUT --synthetic SET.
        """
    )

    @Argument(help: "The labeled table: CSV, TSV or JSON Lines (optionally .gz or .zst).")
    var input: String

    @OptionGroup var labeledSet: LabeledSetOptions

    @Option(help: "Share of each class's rows held out.", range: .openShare)
    var holdoutFraction: Double = 0.3

    @Option(help: "Seed of the split.", range: .seed)
    var seed: UInt64 = 0

    @Option(help: "Where to write the training part: a table of the input's format (its name's .gz or .zst compresses it).")
    var trainOut: String

    @Option(help: "Where to write the holdout, as --train-out.")
    var holdoutOut: String

    @Option(help: "Where to write the record of the split (JSON; - for standard output).")
    var record: String

    @OptionGroup var overwrite: OverwriteOption
    @OptionGroup var tableFormat: InputFormatOption
    @OptionGroup var progressOption: ProgressOption

    func validate() throws {
        try validateSeed(seed)
        guard input != InputFile.standardInput else {
            throw ValidationError("split reads its input twice (rows, then their bytes): give a file, not -")
        }
        for (option, path) in [("--train-out", trainOut), ("--holdout-out", holdoutOut)] where path == InputFile.standardInput {
            throw ValidationError("\(option): give a file (both parts cannot share standard output)")
        }
    }

    func run() throws {
        let files = try RunFiles(inputs: [("labeled set", input)] + labeledSet.inputs,
                                 outputs: [("--train-out", trainOut, .file), ("--holdout-out", holdoutOut, .file), ("--record", record, .file)],
                                 force: overwrite.force)
        try LabeledTableSplit.checkSplittable(input)
        let bar = ProgressBar(label: "split", quiet: progressOption.quiet)
        defer { bar.finish() }
        let set = try DropMissing.hinting {
            try LabeledFeatures.read(table: input, labelColumn: labeledSet.labelColumn, featureColumns: labeledSet.featureColumnNames,
                                     dropMissing: labeledSet.dropMissing, format: tableFormat.format, types: labeledSet.columnTypes(),
                                     progress: bar.workProgress)
        }
        bar.finish()
        let split = try LabeledTableSplit(table: input, set: set, format: tableFormat.format, fraction: holdoutFraction, seed: seed)
        try split.checkPartName(trainOut, option: "--train-out")
        try split.checkPartName(holdoutOut, option: "--holdout-out")
        let train = split.trainBytes(path: trainOut), holdout = split.holdoutBytes(path: holdoutOut)
        try files.write(bytes: train, to: trainOut)
        try files.write(bytes: holdout, to: holdoutOut)
        let o: [String: JSONValue] = ["synthctl_version": .string(SynthVersion.current),
                                      "split": split.record(trainFile: trainOut, trainBytes: train, holdoutFile: holdoutOut, holdoutBytes: holdout)]
        try files.write(JSONValue.object(o).serialized() + "\n", to: record)
        var notes = InputNotes(dropMissing: labeledSet.dropMissing)
        notes.add("input", set, source: input)
        notes.print()
        print("split \(set.rows) rows of \(input.escapingControlCharacters) (seed \(seed)): \(split.split.train.count) in \(trainOut.escapingControlCharacters), "
              + "\(split.split.holdout.count) held out in \(holdoutOut.escapingControlCharacters); record in \(record.escapingControlCharacters)")
        print("fit on the training part, then: synthctl compare --human-train \(trainOut.escapingControlCharacters) --human-holdout \(holdoutOut.escapingControlCharacters) --synthetic SET")
    }
}
