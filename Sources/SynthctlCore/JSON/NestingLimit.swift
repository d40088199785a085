/// How deep a spec, model file or JSON Lines row may nest its arrays and
/// objects.
///
/// Decoders walk nested values recursively: `[[[[…]]]]` 100,000 deep would
/// exhaust the stack (Foundation's JSONDecoder stops at 512 levels with "The
/// given data was not valid JSON"; libyaml at 1,000 with a message that
/// quotes the whole line). synthctl's own files nest about 6 deep (a
/// manifest's annotator confusion matrices), so 64 refuses nothing real and
/// lets the message say what was wrong.
public enum NestingLimit {
    public static let maximumDepth = 64

    /// The 1-based (line, column) where JSON text first opens more than
    /// ``maximumDepth`` arrays and objects, or nil when it stays within.
    /// Brackets inside strings do not count. Linear, no recursion.
    public static func firstTooDeep(json bytes: some Sequence<UInt8>) -> (line: Int, column: Int)? {
        var depth = 0, line = 1, column = 0
        var inString = false, escaped = false
        for b in bytes {
            column += 1
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumDepth { return (line, column) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: "\n"): line += 1; column = 0
            default: break
            }
        }
        return nil
    }

    /// The one-line message for text nested too deep at `place`.
    package static func message(_ source: String, format: String, line: Int, column: Int) -> String {
        "\(source): expected \(format) nested at most \(maximumDepth) levels deep, found deeper nesting at line \(line), column \(column)"
    }
}
