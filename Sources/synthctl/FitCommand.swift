import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a generative model to a labeled set; sample from it with synthctl gen --model.",
        discussion: """
        --model gaussian fits a class-conditional Gaussian: per class its share of the rows, its mean, and \
        its covariance shrunk toward a multiple of the identity (Ledoit–Wolf by default, or a fixed λ with \
        --shrinkage), stored as its Cholesky factor. The model is a small JSON with a format version \
        (--out m.json) and its numbers as safetensors beside it (m.safetensors); \
        synthctl gen --model model.json --rows N samples from it with the same determinism, sharding and \
        output contracts as every other generator.
        """
    )

    @Argument(help: ArgumentHelp("The labeled set: a dataset directory, a table (\(TableFormat.helpList)), or a features .npy with --labels."))
    var input: String

    @Option(help: "Labels (.npy of class ids) for a features .npy.")
    var labels: String?

    @OptionGroup var labeledSet: LabeledSetOptions

    @Option(help: "The model: gaussian (class-conditional Gaussian with full covariance), mixture (class-conditional Gaussian mixture, EM from k-means++) or copula (class-conditional Gaussian copula over empirical marginals).",
            oneOf: FitModel.self)
    var model: FitModel = .gaussian

    @Option(help: "Components per class for --model mixture.", range: .atLeast(1))
    var components: Int = 3

    @Option(help: "The seed of the mixture's k-means++ start.", range: .seed)
    var seed: UInt64 = 0

    @Option(parsing: .unconditional, help: "Covariance shrinkage: ledoit-wolf, or a fixed λ in [0, 1].")
    var shrinkage: String = "ledoit-wolf"

    @Option(help: "Where to write the model: m.json, with its tensors in m.safetensors beside it (- for standard output: one JSON with every number inline, the summary then going to standard error).")
    var out: String

    @Option(help: "Also write a short JSON report of the fit (model, rows, per-class shrinkage or EM iterations) to this file (- for standard output).")
    var json: String?

    @OptionGroup var overwrite: OverwriteOption
    @OptionGroup var tableFormat: InputFormatOption

    @OptionGroup var memory: MemoryOptions
    @OptionGroup var progressOption: ProgressOption

    func validate() throws {
        _ = try parsedShrinkage()
        // A model is JSON: a table's or an array's name would promise bytes no reader of that format opens.
        let lower = StreamCompression.strippingSuffix(out).lowercased()
        if out != InputFile.standardInput, TableFormat(extensionOf: out) != nil || [".npy", ".safetensors"].contains(where: { lower.hasSuffix($0) }) {
            throw ValidationError("--out \(out.escapingControlCharacters): expected a .json name (a fitted model is JSON, its tensors in a .safetensors file beside it), found a name of another format")
        }
        try LabelsOption.validate(input, labels: labels, input: "", labelsOption: "--labels")
    }

    func parsedShrinkage() throws -> CovarianceShrinkage {
        if shrinkage == "ledoit-wolf" { return .ledoitWolf }
        guard let v = Double(shrinkage), v >= 0, v <= 1 else {
            throw ValidationError("--shrinkage: expected ledoit-wolf or a number in [0, 1], found \"\(shrinkage)\"")
        }
        return .fixed(v)
    }

    func run() throws {
        // The tensors beside the model's JSON; standard output gets the one-JSON form.
        let tensorsOut = out == InputFile.standardInput ? nil : FittedModelFile.tensorPath(forModelAt: out)
        let files = try RunFiles(inputs: [("labeled set", input), ("--labels", labels)] + labeledSet.inputs,
                                 outputs: [("--out", out, .file), ("--out", tensorsOut, .file), ("--json", json, .file)], force: overwrite.force)
        let bar = ProgressBar(label: "fit", quiet: progressOption.quiet)
        defer { bar.finish() }
        let data = try labeledSet.read(input, labels: labels, format: tableFormat.format, progress: bar.workProgress, categoricalFeatures: true)
        // Each column's type, range and categories; categorical columns become numbers by their frequencies.
        let typed = try FittedColumns.encode(
            numeric: data.features!, numericNames: data.featureNames,
            numericTypes: data.featureNames.map { data.schema?[$0]?.type ?? .numeric },
            numericUnits: data.featureNames.map { data.schema?[$0]?.unit },
            categorical: data.categoricalColumns.map { ($0.name, $0.categories, $0.codes) },
            labels: data.labels, classCount: data.classNames.count, tails: model == .copula, seed: seed, source: input)
        let x = typed.features
        var notes = InputNotes(dropMissing: labeledSet.dropMissing)
        notes.add("input", data, source: input)
        let featureNames = typed.names
        for note in typed.columns.float32RoundingNotes(names: featureNames, read: data.features!) { notes.add("input", source: input, note: note) }
        let json: JSONValue, fittedModel: any Sendable, classes: Int, lambdas: [Double], kind: String
        var perClass = [JSONValue]()
        do {
            switch model {
            case .mixture:
                var fitted = try GaussianMixtureModel(fitting: x, labels: data.labels, classNames: data.classNames, featureNames: featureNames,
                                                      components: components, seed: seed, source: input, progress: bar.workProgress)
                fitted.columns = typed.columns
                (json, fittedModel, classes, lambdas, kind) = (fitted.json, fitted, fitted.classes.count, [], "class-conditional Gaussian mixture (\(components) components per class)")
                perClass = fitted.classes.map { .object(["class": .string($0.name), "rows": .int($0.rows), "em_iterations": .int($0.iterations),
                                                         "log_likelihood_per_row": .double($0.logLikelihood)]) }
            case .copula:
                var fitted = try GaussianCopulaModel(fitting: x, labels: data.labels, classNames: data.classNames,
                                                     featureNames: featureNames, shrinkage: try parsedShrinkage(), source: input,
                                                     progress: bar.workProgress)
                fitted.columns = typed.columns
                (json, fittedModel, classes, lambdas, kind) = (fitted.json, fitted, fitted.classes.count, fitted.classes.map(\.shrinkage), "class-conditional Gaussian copula")
                perClass = fitted.classes.map { .object(["class": .string($0.name), "rows": .int($0.rows), "shrinkage": .double($0.shrinkage)]) }
            case .gaussian:
                var fitted = try GaussianClassModel(fitting: x, labels: data.labels, classNames: data.classNames,
                                                    featureNames: featureNames, shrinkage: try parsedShrinkage(), source: input,
                                                     progress: bar.workProgress)
                fitted.columns = typed.columns
                (json, fittedModel, classes, lambdas, kind) = (fitted.json, fitted, fitted.classes.count, fitted.classes.map(\.shrinkage), "class-conditional Gaussian")
                perClass = fitted.classes.map { .object(["class": .string($0.name), "rows": .int($0.rows), "shrinkage": .double($0.shrinkage)]) }
            }
        } catch let e as SingularCovarianceError where e.cause == .singular {
            // More shrinkage lifts a singular covariance toward a multiple of the identity;
            // λ is a convex weight, so the hint is (λ, 1] (Ledoit–Wolf's λ is clamped to [0, 1]).
            throw HintedError(e, hint: "give --shrinkage a value above \(String(format: "%g", e.shrinkage)) (at most 1)")
        }
        bar.finish()
        if let tensorsOut {
            // The tensors first: the JSON that names them appears last.
            let model = FittedModelFile.files(of: fittedModel, tensorFile: URL(fileURLWithPath: tensorsOut).lastPathComponent, schema: data.schema,
                                              fittedRows: FittedRowsFingerprint(rows: .init(numeric: data.features!, types: data.featureNames.map { data.schema?[$0]?.type ?? .numeric },
                                                                                           categorical: data.categoricalColumns.map { ($0.categories, $0.codes) }),
                                                                                labels: data.labels, classNames: data.classNames))
            try files.write(bytes: model.tensors, to: tensorsOut)
            do { try files.write(bytes: model.json, to: out) } catch {
                unlink(tensorsOut)  // written by this run a moment ago: no tensors without their model
                throw error
            }
        } else {
            try files.write(FittedModelFile.adding(schema: data.schema, to: json).serialized() + "\n", to: out)
        }
        if let report = self.json {
            var o: [String: JSONValue] = [
                "synthctl_version": .string(SynthVersion.current),
                "fit": .object(["model": .string(model.rawValue), "input": .string(input), "rows": .int(data.rows), "features": .int(x.columns),
                                "model_file": .string(out), "classes": .array(perClass)]),
            ]
            notes.addJSON(to: &o)
            try files.write(bytes: JSONValue.object(o).fileContents(), to: report)
        }
        notes.print()
        print("fitted a \(kind) to \(data.rows) rows of \(input.escapingControlCharacters): \(counted(classes, "class", "classes")), \(countedFeatures(numeric: data.featureNames.count, boolean: data.featureNames.filter { data.schema?[$0]?.type == .boolean }.count, categorical: data.categoricalColumns.count))"
              + (lambdas.isEmpty ? "" : "; shrinkage λ \(String(format: "%.4f", lambdas.min()!))–\(String(format: "%.4f", lambdas.max()!))"))
        print("wrote \(out.escapingControlCharacters); sample with: synthctl gen --model \(out.escapingControlCharacters) --rows N")
    }
}
