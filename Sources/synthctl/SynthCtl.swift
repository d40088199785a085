import ArgumentParser
import Foundation
import Synth

/// The command line: parses, calls the libraries, prints, sets the exit code.
///
/// Exit codes, for CI: 0 success, 1 a quality threshold failed, 2 bad input or
/// usage (argument-parser's own usage errors, 64, and any other error are
/// mapped to 2, so that 1 always means a gate failed).
@main
struct SynthCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthctl",
        abstract: "Generate labeled datasets with known ground truth, and score labeled data.",
        version: SynthVersion.current,
        subcommands: [Gen.self, Fit.self, Score.self, Compare.self, Limits.self, Collapse.self, Bench.self]
    )

    static func main() {
        selectBLASKernels()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            // Exit 1 from a failed gate (its message is already printed).
            Foundation.exit(code.rawValue)
        } catch let error as SynthError {
            FileHandle.standardError.write(Data("synthctl: error: \(error.message)\n".utf8))
            Foundation.exit(2)
        } catch let error as MemoryLimitExceeded {
            FileHandle.standardError.write(Data("synthctl: error: \(MemoryOptions.message(error))\n".utf8))
            Foundation.exit(2)
        } catch let error as LinearAlgebraError {
            FileHandle.standardError.write(Data("synthctl: error: \(error)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty {
                FileHandle.standardError.write(Data("synthctl: error: \(message.split(whereSeparator: \.isNewline).first ?? "")\n".utf8))
                if message.contains("\n") {
                    FileHandle.standardError.write(Data("\(message.split(whereSeparator: \.isNewline).dropFirst().joined(separator: "\n"))\n".utf8))
                }
            }
            // Exit 1 is reserved for failed quality gates: any other failure
            // that reaches here is bad input or usage.
            Foundation.exit(2)
        }
    }
}

/// Re-executes synthctl once with `OPENBLAS_CORETYPE` set when OpenBLAS fell
/// back to its slowest kernels on a CPU it did not recognize (see
/// ``BLAS/betterKernelCore(core:cpuFlags:)``). OpenBLAS reads the variable
/// only while it loads, before any Swift code runs, so setting it now needs a
/// fresh process image. A variable the user set is always respected, and if
/// exec fails the run simply continues with the kernels it has.
func selectBLASKernels() {
    guard getenv("OPENBLAS_CORETYPE") == nil,
          let core = BLAS.betterKernelCore(core: BLAS.kernelCore, cpuFlags: BLAS.cpuFlags()) else { return }
    setenv("OPENBLAS_CORETYPE", core, 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
}
