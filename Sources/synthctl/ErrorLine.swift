import ArgumentParser
import Eval
import Foundation
import Synth
import SynthctlCore

/// The one line synthctl prints for a failure, after `synthctl: error: `.
///
/// Every failure is one line naming where (file, field, row or flag), what
/// was expected and what was found: argument-parser's usage block and
/// "Error: " prefix are dropped, a numeric option's refusal is put in the
/// same form as every other message (`--rows: expected an integer ≥ 1,
/// found -5`), Foundation's file errors become the path and the reason in
/// plain words, and control characters in echoed names are escaped
/// (``Swift/String/escapingControlCharacters``), so the line stays one line
/// and cannot drive the terminal.
enum ErrorLine {
    /// The line for an error thrown while parsing the command line.
    static func parsing(_ error: Error) -> String {
        line(invalidValue(Split.explainingRecord(SynthCtl.message(for: error))))
    }

    /// The line for an error thrown while a command runs.
    static func running(_ error: Error) -> String {
        switch error {
        case let e as OutputError: return line(OverwriteOption.errorLine(e))
        case let e as IncompleteDatasetError:
            // The command that writes the file again: gen on the manifest's spec; a part into its directory (its number when its own manifest is gone).
            let part = e.part.map { (e.listed ? "" : " --shard \($0.index)/\($0.count)") + " --out \(e.directory)" } ?? ""
            return line(e.description(regenerating: "regenerate it with synthctl gen --spec \(e.manifest)\(part)"))
        case let e as OneColumnHeaderError: return line(SeparatorHint.line(e))
        case let e as any SynthctlError: return line(e.description)
        case let e as MemoryLimitExceeded: return line(MemoryOptions.message(e))
        case let e as ValidationError: return line(e.message)
        case let e as LinearAlgebraError: return line(e.description)
        case let e as SingularCovarianceError: return line(e.description)
        case let e as CocoaError: return line(FileErrorReason.describe(e, path: e.filePath))
        case let e as NSError where e.domain == NSCocoaErrorDomain || e.domain == NSPOSIXErrorDomain:
            return line(FileErrorReason.describe(e, path: e.userInfo[NSFilePathErrorKey] as? String))
        default: return line(SynthCtl.message(for: error))
        }
    }

    /// One line, controls escaped.
    static func line(_ message: String) -> String { message.escapingControlCharacters }

    /// argument-parser reports a value its option refused as "The value 'V'
    /// is invalid for '--flag <name>': DETAIL" (DETAIL is ours, from
    /// ``OptionValueError``); synthctl says "--flag: DETAIL, found V", or
    /// "--flag: DETAIL" when DETAIL shows the value its own way. Other
    /// messages pass unchanged.
    static func invalidValue(_ message: String) -> String {
        let opening = "The value '"
        guard message.hasPrefix(opening),
              let middle = message.range(of: "' is invalid for '", options: .backwards) else { return message }
        let value = String(message[opening.endIndex..<middle.lowerBound])
        let rest = message[middle.upperBound...]  // "--rows <rows>': expected …" or "--rows <rows>'"
        guard let end = rest.firstIndex(where: { $0 == " " || $0 == "'" }) else { return message }
        let flag = rest[..<end]
        let detail = rest.range(of: "': ").map { String(rest[$0.upperBound...]) } ?? "expected a valid value"
        // A detail that already shows the value (``OptionValueError/found``) ends the line.
        if detail.contains(", found ") { return "\(flag): \(detail)" }
        let found = value.isEmpty || value.contains(where: \.isWhitespace) ? "\"\(value)\"" : value
        return "\(flag): \(detail), found \(found)"
    }
}
