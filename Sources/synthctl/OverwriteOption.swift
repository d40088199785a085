import ArgumentParser
import SynthctlCore

/// `--force`, shared by every command that writes files: datasets, tables,
/// manifests, reports and model files follow the same rule.
struct OverwriteOption: ParsableArguments {
    @Flag(help: "Replace existing outputs (a regular file, or a synthctl dataset directory). Never a symbolic link, device or FIFO, nor one of the run's inputs.")
    var force = false
}

extension OverwriteOption {
    /// The line for an output the library refused, with `--force` where it
    /// is the remedy or where the user may expect it to help: the library
    /// names no flag (``OutputError``).
    static func errorLine(_ error: OutputError) -> String {
        switch error.problem {
        case .exists:
            "\(error.path): already exists (pass --force to replace it)"
        case .notReplaceable(let kind):
            "\(error.path): expected a new name or a regular file to write, found \(kind); synthctl never replaces links, devices or FIFOs, even with --force (- writes to standard output)"
        case .notADataset(let found):
            "\(error.path): expected a synthctl dataset directory to replace, found \(found); --force replaces only a directory that synthctl wrote and that holds nothing else"
        default:
            error.description
        }
    }
}
