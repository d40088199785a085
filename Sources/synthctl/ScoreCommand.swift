import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score labels and annotations: label issues, label health, agreement, Dawid–Skene, annotator reliability.",
        discussion: """
        Labels (a dataset directory, --labels with --features or --pred-probs, or --table) are checked by \
        confident learning on out-of-sample probabilities: yours (--pred-probs) or a cross-validated \
        model's. Annotations (a dataset directory's annotations.npy or a gen table's annotator_* columns, or --answers with optional --gold) \
        are aggregated and their annotators rated. Prints a summary; --json writes the full report and \
        --issues the flagged items. Gates exit with code 1 naming what failed; bad input exits with 2.
        """
    )

    @OptionGroup(title: "Input") var input: ScoreInput
    @OptionGroup(title: "Label issues") var labelOptions: LabelIssueOptions
    @OptionGroup(title: "Annotations") var annotationOptions: AnnotationOptions
    @OptionGroup(title: "Gates") var gates: ScoreGates
    @OptionGroup(title: "CI") var ci: CIOptions

    @Option(help: "Seed for the cross-validation folds and for --tie-policy random.", range: .seed)
    var seed: UInt64 = 0

    @Option(help: "Write the full report as JSON to this file (- for standard output; the summary then goes to standard error).")
    var json: String?

    @OptionGroup(title: "Report files") var reportFiles: ReportFileOptions
    @OptionGroup(title: "Result tables") var resultTables: ResultTableOptions
    @OptionGroup var overwrite: OverwriteOption
    @OptionGroup var tableFormat: InputFormatOption

    @Option(help: "How many classes, items and annotators to list in the summary.", range: .atLeast(0))
    var top: Int = 5

    @OptionGroup(title: "Execution") var execution: ExecutionOptions
    @OptionGroup var progressOption: ProgressOption

    func validate() throws { try validateSeed(seed) }

    func run() throws {
        try input.requireSource()
        try resultTables.validateFormats()
        // Annotations need no BLAS; labels use it single-threaded per fold.
        BLAS.parkIdleThreads()
        let files = try RunFiles(
            inputs: [("dataset directory", input.dataset), ("--answers", input.answers), ("--gold", input.gold),
                     ("--labels", input.labels), ("--features", input.features), ("--table", input.table),
                     ("--pred-probs", input.predProbs)] + input.labeledSet.inputs,
            outputs: [("--json", json, .file), ("--issues", labelOptions.issues, .file)] + reportFiles.outputs + resultTables.outputs + ci.outputs,
            force: overwrite.force)
        var stopwatch = Stopwatch()
        let bar = ProgressBar(label: "score", quiet: progressOption.quiet)
        defer { bar.finish() }  // also when the run fails: the error line starts clean
        var labels: LabeledFeatures? = nil
        var annotations: (AnswerSet, GoldLabels?, [[[Double]]]?)? = nil
        var notes = InputNotes(dropMissing: input.labeledSet.dropMissing)
        // Given probabilities define the classes: label ids are their columns.
        var probabilities = try input.predProbs.map { try PredictedProbabilities(npy: $0) }
        let columns = input.predProbs.flatMap { path in probabilities.map { (count: $0.classes, source: path) } }
        let labelOrder = input.givenLabelOrder
        try DropMissing.hinting {
        if let dir = input.dataset {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw InputError(file: dir, expected: "a synthctl dataset directory",
                                 found: FileManager.default.fileExists(atPath: dir) ? "a file (give a table with --table, or answers with --answers)" : "nothing")
            }
            if LabeledFeatures.isParquetPartDirectory(dir) {
                throw InputError(file: dir, expected: "a synthctl dataset directory",
                                 found: "a directory of Parquet parts (give it with --table, or --answers)")
            }
            // Parts with a stray entry, or a folder that is no set: say which, and how to give parts.
            if let refusal = LabeledFeatures.partDirectoryRefusal(dir) {
                throw HintedError(refusal, hint: "a directory of parts holding nothing else is read with --table or --answers")
            }
            if let refusal = DatasetDirectory.unrecognized(dir) { throw refusal }
            // The .npy form, a table directory or a sharded Parquet one.
            let directory = try DatasetDirectory(dir)
            if directory.hasLabels {
                labels = try LabeledFeatures.read(datasetDirectory: directory, dropMissing: input.labeledSet.dropMissing, probabilityColumns: columns,
                                                  featureColumns: input.labeledSet.featureColumnNames)
                // Without predicted probabilities the features train the model: they must be numbers (a fitted model's categorical column is not).
                if let labels, columns == nil { try ColumnTypeOptions.requireNumericFeatures(labels, typesFromManifest: true) }
            }
            if directory.hasAnnotations {
                annotations = try AnswerReader.read(datasetDirectory: directory, dropMissing: input.labeledSet.dropMissing)
                if let (a, g, _) = annotations {
                    notes.add("answers", schema: a.schema)
                    notes.add("gold", schema: g?.schema)
                    if let g, input.labeledSet.dropMissing {
                        notes.add("gold", source: directory.isTable ? a.source : "\(dir)/true_labels.npy", kept: g.knownCount, dropped: g.droppedRows, unit: "true labels")
                    }
                    for note in a.readingNotes { notes.add("answers", source: a.source, note: note) }
                    for note in g?.readingNotes ?? [] { notes.add("gold", source: directory.isTable ? a.source : "\(dir)/true_labels.npy", note: note) }
                }
            }
            if labels == nil && annotations == nil {
                if directory.isTable { throw directory.noClassLabels }  // a regression or multilabel table
                if let why = directory.npyWithoutClassLabels { throw why }
                throw InputError(file: dir, expected: "labels.npy and features.npy, or annotations.npy", found: "neither")
            }
        } else if let path = input.answers, input.annotatorColumns {
            annotations = try AnswerReader.read(wideAnswers: path, format: tableFormat.format, dropMissing: input.labeledSet.dropMissing)
            if let (a, g, _) = annotations {
                notes.add("answers", source: path, kept: a.answerCount, dropped: a.droppedAnswers, unit: "answers")
                notes.add("answers", schema: a.schema)
                if let g, input.labeledSet.dropMissing {
                    notes.add("gold", source: path, kept: g.knownCount, dropped: g.droppedRows, unit: "true labels")
                }
                notes.add("gold", schema: g?.schema)
                for note in a.readingNotes + (g?.readingNotes ?? []) { notes.add("answers", source: path, note: note) }
            }
        } else if let path = input.answers {
            // A folder that is no set: what it holds, not "expected a readable file".
            for given in [path] + (input.gold.map { [$0] } ?? []) {
                if let refusal = DatasetDirectory.unrecognized(given, expected: "a table or a Parquet part directory") { throw refusal }
            }
            let (a, g) = try AnswerReader.read(answers: path, gold: input.gold, dropMissing: input.labeledSet.dropMissing,
                                               format: tableFormat.format, labelOrder: labelOrder, columns: input.answerColumns,
                                               threads: execution.threads ?? Parallel.coreCount, progress: bar.workProgress)
            annotations = (a, g, nil)
            notes.add("answers", source: path, kept: a.answerCount, dropped: a.droppedAnswers, unit: "answers")
            notes.add("answers", schema: a.schema)
            for note in a.readingNotes { notes.add("answers", source: path, note: note) }
            if let g, let goldPath = input.gold {
                notes.add("gold", source: goldPath, kept: g.knownCount + g.unmatchedItems, dropped: g.droppedRows, unit: "gold rows")
                notes.add("gold", schema: g.schema)
                for note in g.readingNotes { notes.add("gold", source: goldPath, note: note) }
            }
        }
        if let path = input.labels {
            labels = try LabeledFeatures.read(features: input.features, labels: path, dropMissing: input.labeledSet.dropMissing,
                                              probabilityColumns: columns)
        } else if let path = input.table {
            if let refusal = DatasetDirectory.unrecognized(path) { throw refusal }
            labels = try ModelFileHint.table(path) {
                try LabeledFeatures.read(table: path, labelColumn: input.labeledSet.labelColumn,
                                         featureColumns: input.labeledSet.featureColumnNames,
                                         dropMissing: input.labeledSet.dropMissing, format: tableFormat.format,
                                         probabilityColumns: columns, labelOrder: labelOrder, types: input.labeledSet.columnTypes(),
                                         progress: bar.workProgress)
            }
            // Without predicted probabilities the features train the model: they must be numbers (a text column embedded).
            if let read = labels, columns == nil {
                labels = try input.labeledSet.embeddingText(read, categoricalFeatures: false)
                try ColumnTypeOptions.requireNumericFeatures(labels!)
            }
        }
        }
        if let idle = annotations?.0.workersWithoutAnswers, !idle.isEmpty, let source = annotations?.0.source {
            let list = idle.count > 8 ? idle.prefix(8).joined(separator: ", ") + ", … (\(idle.count))" : idle.joined(separator: ", ")
            notes.add("annotations", source: source, note: "\(counted(idle.count, "annotator")) without a single answer left out (column\(idle.count == 1 ? "" : "s") \(list))", json: false)
        }
        if annotationOptions.alphaLevel == .ordinal, labelOrder == nil, let unkept = annotations?.0.unkeptClassOrderDescription {
            throw ArgumentError(argument: "--alpha-level", value: "ordinal", expected: "the class order in --label-order", found: unkept)
        }
        if annotationOptions.alphaLevel == .ordinal, labelOrder == nil, let answers = annotations?.0, !answers.classOrderGiven,
           let text = answers.classNames.first(where: { LabelOrder.decimalValue($0) == nil }) {
            let byBytes = answers.classNames.prefix(3).map { "\"\($0)\"" }.joined(separator: " before ")
            throw ArgumentError(argument: "--alpha-level", value: "ordinal", expected: "numeric labels or their order in --label-order",
                                found: "the label \"\(text)\" in \(answers.source) (no class order read from the file: byte order would put \(byBytes))")
        }
        if let labels { notes.add("labels", labels, source: input.table ?? input.features ?? input.dataset ?? labels.source) }
        if labels == nil, let gate = gates.needLabels.first {
            throw ArgumentError(argument: gate, expected: Self.labelsToCheck, found: "none")
        }
        if annotations == nil, let gate = gates.needAnnotations.first {
            throw ArgumentError(argument: gate, expected: Self.annotationsToAggregate, found: "none")
        }
        if annotations == nil, resultTables.itemsOut != nil {
            throw ArgumentError(argument: "--items-out", expected: Self.annotationsToAggregate, found: "none")
        }
        if gates.minAccuracy != nil, annotations?.1 == nil {
            throw ArgumentError(argument: "--min-accuracy", expected: "gold labels to measure accuracy against (--gold FILE, or a dataset with true_labels.npy)", found: "none")
        }

        if let labels, input.predProbs == nil, labelOptions.model == .knn,
           labelOptions.neighbors >= labels.rows {
            // A row's neighbours are the other rows: more can never be found.
            throw ArgumentError(argument: "--neighbors", expected: "at most \(labels.rows - 1) (the rows besides the one scored)", found: "\(labelOptions.neighbors)")
        }

        stopwatch.lap("reading the input")
        var labelReport: LabelIssueReport? = nil
        if let labels {
            var parameters = labelOptions.parameters
            parameters.seed = seed
            parameters.progress = bar.workProgress
            if let threads = execution.threads { parameters.threads = threads }
            if let p = probabilities, let kept = labels.fileRows, let path = input.predProbs {
                probabilities = try p.keeping(fileRows: kept, of: labels.rows + labels.droppedRows, source: path, table: labels.source)
            }
            do {
                labelReport = try LabelIssueReport(data: labels, probabilities: probabilities,
                                                   probabilitySource: input.predProbs, parameters: parameters)
            } catch var e as InputError where e.expected == LabelIssueReport.featuresToTrainOn {
                e.expected += " (or --pred-probs FILE)"
                throw e
            }
        } else if let option = [("--issues", labelOptions.issues), ("--rows-out", resultTables.rowsOut)].first(where: { $0.1 != nil })?.0 {
            throw ArgumentError(argument: option, expected: Self.labelsToCheck, found: "none")
        }
        if labels != nil { stopwatch.lap("label issues") }
        var annotationReport: AnnotationReport? = nil
        if let (answers, gold, truth) = annotations {
            var parameters = annotationOptions.parameters(seed: seed)
            if let threads = execution.threads { parameters.threads = threads }
            parameters.buildsJSON = json != nil
            parameters.dawidSkene.progress = bar.workProgress
            annotationReport = try AnnotationReport(answers: answers, gold: gold, parameters: parameters, trueConfusion: truth)
        }
        bar.finish()
        let stages = stopwatch.laps + (annotationReport?.timings ?? [])
        stopwatch = Stopwatch()

        let summary = ScoreSummary(top: top)
        notes.print()
        print([labelReport.map(summary.labels), annotationReport.map(summary.annotations)].compactMap { $0 }.joined(separator: "\n\n"))
        if let json {
            var o: [String: JSONValue] = ["synthctl_version": .string(SynthVersion.current)]
            if let labelReport { o["label_issues"] = labelReport.json }
            if let annotationReport { o["annotations"] = annotationReport.json }
            notes.addJSON(to: &o)
            try files.write(bytes: JSONValue.object(o).fileContents(threads: execution.threads ?? Parallel.coreCount), to: json)
        }
        if let path = labelOptions.issues, let labelReport {
            // CSV as ever, unless the name asks for another table format.
            if path != InputFile.standardInput, let format = ResultTable.Format(path: path), format != .csv {
                try ResultTableOptions.write(labelReport.issuesTable, to: path, files: files)
            } else {
                try files.write(labelReport.issuesCSV, to: path)
            }
        }
        if let path = resultTables.rowsOut, let labelReport {
            try ResultTableOptions.write(labelReport.rowsTable, to: path, files: files)
        }
        if let path = resultTables.itemsOut, let annotationReport {
            try ResultTableOptions.write(annotationReport.itemsTable, to: path, files: files)
        }
        stopwatch.lap("summary and files")
        execution.report(stages + stopwatch.laps)
        let failures = (labelReport.map(labelGateFailures) ?? []) + (annotationReport.map(annotationGateFailures) ?? [])
        try reportFiles.write(to: files, markdown: Markdown.score(labels: labelReport, annotations: annotationReport, failures: failures, top: top), html: HTMLReport.score(labels: labelReport, annotations: annotationReport, failures: failures, top: top))
        try GateOutcomes(command: "score", given: gates.given, failures: failures).finish(failures: failures, junit: ci.junit, files: files)
    }

    private func show(_ x: Double) -> String { fixedDecimals(x, 4) }

    func labelGateFailures(_ r: LabelIssueReport) -> [String] {
        var failures = [String]()
        if let min = gates.minHealth, !(r.health.score >= min) {
            failures.append("--min-health: label health is \(show(r.health.score)), below \(show(min))")
        }
        if let max = gates.maxNoiseRate, !(r.estimatedNoiseRate <= max) {
            failures.append("--max-noise-rate: estimated noise rate is \(show(r.estimatedNoiseRate)), above \(show(max))")
        }
        return failures
    }

    func annotationGateFailures(_ r: AnnotationReport) -> [String] {
        var failures = [String]()
        if let min = gates.minAgreement {
            let name = "Krippendorff's α (\(r.parameters.alphaLevel.rawValue))"
            switch r.alpha {
            case .undefined(let why): failures.append("--min-agreement: \(name) is undefined: \(why)")
            case .defined(let alpha) where !(alpha >= min): failures.append("--min-agreement: \(name) is \(show(alpha)), below \(show(min))")
            case .defined: break
            }
        }
        if gates.minAnnotatorAccuracy != nil, r.annotatorsByAccuracy.isEmpty {
            // As --max-flagged-share: a gate over no annotators is undefined, and fails.
            failures.append("--min-annotator-accuracy: the least accurate annotator is undefined: no annotator has --min-labels \(r.parameters.minimumLabels) answers (0 of \(r.answers.workerCount))")
        }
        if let min = gates.minAnnotatorAccuracy, let worst = r.annotatorsByAccuracy.first {
            let acc = r.dawidSkene.accuracy(ofWorker: worst)
            if !(acc >= min) {
                let below = r.annotatorsByAccuracy.filter { r.dawidSkene.accuracy(ofWorker: $0) < min }.count
                failures.append("--min-annotator-accuracy: \(counted(below, "annotator")) below \(show(min)); the worst, \(r.answers.workerNames[worst]), has \(show(acc))")
            }
        }
        if let min = gates.minAccuracy, let acc = r.dawidSkeneAccuracy {
            switch acc {
            case .undefined(let why): failures.append("--min-accuracy: Dawid–Skene accuracy against gold is undefined: \(why)")
            case .defined(let a) where !(a >= min): failures.append("--min-accuracy: Dawid–Skene accuracy against gold is \(show(a)), below \(show(min))")
            case .defined: break
            }
        }
        if let max = gates.maxFlaggedShare {
            let eligible = r.annotatorsByAccuracy.count
            let flagged = r.annotators.flags.compactMap { $0 }.count
            if eligible == 0 {
                failures.append("--max-flagged-share: the flagged share is undefined: no annotator has --min-labels \(r.parameters.minimumLabels) answers (0 of 0)")
            } else if Double(flagged) / Double(eligible) > max {
                failures.append("--max-flagged-share: \(flagged) of \(eligible) annotators flagged (\(show(Double(flagged) / Double(eligible)))), above \(show(max))")
            }
        }
        return failures
    }

    /// What a gate on labels, or `--issues`, needs and the run was not given.
    static let labelsToCheck = "labels to check (a dataset directory with labels.npy, --labels or --table)"

    /// What a gate on annotations, or `--items-out`, needs and the run was not given.
    static let annotationsToAggregate = "annotations (a dataset directory with annotations.npy, or --answers)"
}
