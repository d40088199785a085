import ArgumentParser

/// `--quiet`: no progress bar (``ProgressBar``), even on a terminal.
struct ProgressOption: ParsableArguments {
    @Flag(help: "Show no progress bar on standard error (one is shown only when standard error is a terminal and the work takes more than a second).")
    var quiet = false
}
