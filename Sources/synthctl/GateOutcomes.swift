import ArgumentParser
import Foundation
import SynthctlCore

/// Every gate a run was given and how it came out, told to people and to
/// CI systems alike:
///
/// - a failed gate is one line on standard error,
///   `synthctl: gate failed: MESSAGE` (as it always was);
/// - on GitHub Actions (`GITHUB_ACTIONS=true`), each failure is also a
///   workflow command, `::error title=synthctl COMMAND gate::MESSAGE`, so it
///   shows as an annotation on the run and the pull request (GitHub reads
///   workflow commands on standard output and standard error; standard error
///   keeps standard output free for a report written to `-`);
/// - `--junit FILE` writes every gate as a JUnit test case, passed or failed
///   with its message, which Jenkins, GitLab, Azure Pipelines and the
///   GitHub test-report actions all show.
///
/// A failure is matched to its gate by the gate's option, which every
/// failure message starts with (`--min-health: label health is …`).
struct GateOutcomes {
    /// The command's name (`score`, `compare`).
    let command: String
    /// Each gate given, as `--option limit` (`--gate name=limit`), with its
    /// failure message, or nil when it passed.
    private(set) var outcomes: [(gate: String, failure: String?)]

    /// `given` is each gate's option (as failure messages begin) and limit,
    /// in the order the command checks them; `failures` the messages.
    init(command: String, given: [(option: String, limit: Double)], failures: [String]) {
        self.command = command
        outcomes = given.map { option, limit in
            let name = option.hasPrefix("--gate ") ? "\(option)=\(limit)" : "\(option) \(limit)"
            return (name, failures.first { $0.hasPrefix(option + ":") })
        }
    }

    /// Adds a gate whose failure line does not start with an option
    /// (compare's `--fail-on-verdict`, ``VerdictGate``), after the others.
    mutating func add(gate: String, failure: String?) {
        outcomes.append((gate, failure))
    }

    var failureCount: Int { outcomes.lazy.filter { $0.failure != nil }.count }

    /// Writes the JUnit file when asked, prints each failure (and its GitHub
    /// annotation on GitHub Actions), and ends the run with exit code 1 when
    /// a gate failed. `failures` are printed in their own order.
    func finish(failures: [String], junit: String?, files: RunFiles,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if let junit { try files.write(junitXML, to: junit) }
        for f in failures { StandardStreams.writeError("synthctl: gate failed: \(f.escapingControlCharacters)\n") }
        if environment["GITHUB_ACTIONS"] == "true" {
            for f in failures { StandardStreams.writeError(Self.gitHubError(title: "synthctl \(command) gate", message: f.escapingControlCharacters)) }
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    /// The gates as a JUnit XML report: `testsuites` holding one `testsuite`
    /// (`synthctl COMMAND gates`) with one `testcase` per gate, a failed one
    /// holding a `failure` element whose `message` is the failure line.
    /// The shape Jenkins' and Ant's JUnit schema describe.
    var junitXML: String {
        let suite = "synthctl \(command) gates"
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<testsuites name=\"\(Self.xml(suite))\" tests=\"\(outcomes.count)\" failures=\"\(failureCount)\" errors=\"0\">\n"
        s += "  <testsuite name=\"\(Self.xml(suite))\" tests=\"\(outcomes.count)\" failures=\"\(failureCount)\" errors=\"0\" skipped=\"0\">\n"
        for (gate, failure) in outcomes {
            let open = "    <testcase classname=\"synthctl.\(Self.xml(command))\" name=\"\(Self.xml(gate))\""
            if let failure {
                let text = Self.xml(failure.escapingControlCharacters)
                s += open + ">\n      <failure message=\"\(text)\" type=\"gate\">\(text)</failure>\n    </testcase>\n"
            } else {
                s += open + "/>\n"
            }
        }
        s += "  </testsuite>\n</testsuites>\n"
        return s
    }

    /// `text` as XML character data or an attribute value: the five
    /// predefined entities (`&`, `<`, `>`, `"`, `'`). Callers pass text with
    /// its control characters already escaped (XML 1.0 forbids most of them).
    static func xml(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A GitHub Actions `error` workflow command, one line, escaped as the
    /// runner unescapes it (actions/toolkit's `command.ts`): in the message
    /// `%` → `%25`, CR → `%0D`, LF → `%0A`; in a property also `:` → `%3A`
    /// and `,` → `%2C`.
    static func gitHubError(title: String, message: String) -> String {
        "::error title=\(gitHubProperty(title))::\(gitHubData(message))\n"
    }

    static func gitHubData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func gitHubProperty(_ text: String) -> String {
        gitHubData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
