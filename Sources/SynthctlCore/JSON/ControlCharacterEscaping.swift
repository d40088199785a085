extension String {
    /// This text with every control character written out visibly, for
    /// messages, summaries and reports that echo names from the input
    /// (column, class, worker and item names, file paths).
    ///
    /// A name is data: printed raw, `\u{1b}[31m` would recolour the user's
    /// terminal (or, with other escape sequences, retitle or rewrite it), a
    /// newline would split a one-line error into two and forge a line of its
    /// own, and a bidirectional override would show the rest of the line
    /// reversed. Escaped, each shows what the input holds:
    /// - `\n`, `\r`, `\t` for newline, carriage return and tab;
    /// - `\u{XX}` (hexadecimal, as in a Swift literal) for the other C0 and C1
    ///   controls and DEL (Unicode category Cc: U+0000–U+001F, U+007F–U+009F),
    ///   the line and paragraph separators U+2028 and U+2029, and the
    ///   bidirectional formatting characters (U+061C, U+200E, U+200F,
    ///   U+202A–U+202E, U+2066–U+2069).
    ///
    /// Text without such characters is returned unchanged, so the output of
    /// ordinary names is byte for byte what it was. JSON output does not use
    /// this: its serializer escapes controls as RFC 8259 requires.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: Self.needsEscape) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where Self.needsEscape(scalar): out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F: return true        // C0, DEL, C1 (Cc)
        case 0x2028, 0x2029: return true                  // line and paragraph separators
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true  // bidi controls
        default: return false
        }
    }
}
