import ArgumentParser
import Foundation
import Synth
import SynthctlCore

/// The command line: parses, calls the libraries, prints, sets the exit code.
///
/// Exit codes, for CI: 0 success, 1 a quality threshold failed, 2 bad input or
/// usage (argument-parser's own usage errors, 64, and any other error are
/// mapped to 2, so that 1 always means a gate failed). Every failure prints
/// one line, `synthctl: error: …` (see ``ErrorLine``); `--help` and
/// `--version` print their text and exit with 0, or with 2 when standard
/// output refused the text (`--help > /dev/full`), as for a summary.
@main
struct SynthCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthctl",
        abstract: "Generate labeled datasets with known ground truth, and score labeled data.",
        version: SynthVersion.current,
        subcommands: [Gen.self, Fit.self, Split.self, Score.self, Compare.self, Limits.self, Collapse.self, Embed.self, Bench.self]
    )

    static func main() {
        // Parsing reads no input and writes nothing, so it may come before
        // the exec; it tells whether the run needs the exec at all.
        let parsed = Result { try parseAsRoot() }
        // After the possible exec: a closed standard output is seen closed by the process that runs.
        if case .success(let command) = parsed, commandMultipliesMatrices(command) { selectBLASKernels() }
        AllocatorSettings.apply()
        StandardStreams.prepare()
        InterruptCleanup.install()
        var command: ParsableCommand
        switch parsed {
        case .success(let parsedCommand):
            command = parsedCommand
        case .failure(let error):
            // --help and --version end parsing too, with argument-parser's text to print.
            if exitCode(for: error) == .success { printHelpOrVersion(error) }
            fail(ErrorLine.parsing(error))
        }
        do {
            try command.run()
        } catch is ReaderGoneError {
            // Rows streamed to a reader that stopped early (`| head`): it has what it wanted.
            Foundation.exit(0)
        } catch let code as ExitCode {
            // Exit 1 from a failed gate (its message is already printed).
            if let lost = StandardStreams.finishOutput() { fail(lost) }
            Foundation.exit(code.rawValue)
        } catch {
            // `synthctl` alone asks for the help text.
            if exitCode(for: error) == .success { printHelpOrVersion(error) }
            fail(ErrorLine.running(error))
        }
        // A summary that standard output refused is a failed run, not exit 0.
        if let lost = StandardStreams.finishOutput() { fail(lost) }
    }

    /// Prints the help or version text argument-parser made for `error`
    /// (what its `exit(withError:)` prints) and exits with 0, or with 2 when
    /// standard output refused it: `exit(withError:)` never checks the
    /// write, so `--help > /dev/full` exited 0 having printed nothing.
    static func printHelpOrVersion(_ error: Error) -> Never {
        let text = fullMessage(for: error)
        if !text.isEmpty { print(text) }
        if let lost = StandardStreams.finishOutput(what: text == SynthVersion.current ? "the version" : "the help text") { fail(lost) }
        Foundation.exit(0)
    }

    /// Prints the one-line message and exits with 2: exit 1 is reserved for
    /// failed quality gates, so any other failure is bad input or usage.
    static func fail(_ line: String) -> Never {
        StandardStreams.writeError("synthctl: error: \(line)\n")
        Foundation.exit(2)
    }
}

/// Re-executes synthctl once with `OPENBLAS_CORETYPE` set when OpenBLAS fell
/// back to its slowest kernels on a CPU it did not recognize (see
/// ``BLAS/betterKernelCore(core:cpuFlags:)``). OpenBLAS reads the variable
/// only while it loads, before any Swift code runs, so setting it now needs a
/// fresh process image. A variable the user set is always respected, and if
/// exec fails the run simply continues with the kernels it has. Called only
/// for a run that multiplies matrices (``commandMultipliesMatrices(_:)``).
func selectBLASKernels() {
    guard getenv("OPENBLAS_CORETYPE") == nil,
          let core = BLAS.betterKernelCore(core: BLAS.kernelCore, cpuFlags: BLAS.cpuFlags()) else { return }
    setenv("OPENBLAS_CORETYPE", core, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
}
