import ArgumentParser
import SynthctlCore

/// Gate results for CI systems (``GateOutcomes``): the JUnit file. The
/// GitHub annotations need no option: they follow `GITHUB_ACTIONS=true`.
struct CIOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write every gate as a JUnit XML test case (passed, or failed with its message) to this file, for CI test reports (- for standard output). On GitHub Actions (GITHUB_ACTIONS=true) failed gates are also printed as ::error annotations.", valueName: "file"))
    var junit: String?

    /// The file, for ``RunFiles``'s checks.
    var outputs: [(String, String?, OutputTarget.Expected)] { [("--junit", junit, .file)] }
}
