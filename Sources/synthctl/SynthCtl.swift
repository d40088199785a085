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
        subcommands: [Gen.self, Bench.self]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as SynthError {
            FileHandle.standardError.write(Data("synthctl: error: \(error.message)\n".utf8))
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
