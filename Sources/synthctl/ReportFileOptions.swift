import ArgumentParser
import Synth
import SynthctlCore

/// The human-facing report files every evaluation command can write beside
/// its JSON: Markdown for CI job summaries, a self-contained HTML page.
struct ReportFileOptions: ParsableArguments {
    @Option(help: "Write a self-contained HTML page (inline SVG charts) to this file (- for standard output).")
    var html: String?

    @Option(help: "Write the headline numbers as Markdown to this file (for CI job summaries; - for standard output).")
    var markdown: String?

    /// The files, for ``RunFiles``'s checks.
    var outputs: [(String, String?, OutputTarget.Expected)] { [("--html", html, .file), ("--markdown", markdown, .file)] }

    /// Writes the files asked for; each renderer runs only when its file is.
    func write(to files: RunFiles, markdown sections: @autoclosure () -> [String], html page: @autoclosure () -> String) throws {
        if let markdown { try Markdown.write(sections(), to: markdown, files: files) }
        if let html { try files.write(page(), to: html) }
    }
}
