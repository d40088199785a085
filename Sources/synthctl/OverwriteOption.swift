import ArgumentParser

/// `--force`, shared by every command that writes files: datasets, tables,
/// manifests, reports and model files follow the same rule.
struct OverwriteOption: ParsableArguments {
    @Flag(help: "Replace existing outputs (a regular file, or a synthctl dataset directory). Never a symbolic link, device or FIFO, nor one of the run's inputs.")
    var force = false
}
