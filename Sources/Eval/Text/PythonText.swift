/// The pieces of Python's `str` that scikit-learn's text vectorizers lean
/// on, over Unicode scalars (Python's code points) rather than Swift's
/// characters: a combining accent is a character of its own there, and
/// not a word character, so "é" written as e + U+0301 ends a word.
///
/// Source: CPython 3.11 `Objects/unicodeobject.c` (`lower`, with
/// `handle_capital_sigma`), `Objects/unicodectype.c` (`isalpha`,
/// `isnumeric`, `isspace`) and `Modules/_sre` (`\w`, `\s` in Unicode
/// patterns). Swift's Unicode tables may be a version newer than
/// Python's (14.0 in 3.11): code points assigned since read as
/// unassigned there.
enum PythonText {
    /// `str.lower()`: each code point's full lowercase mapping (İ becomes
    /// i + U+0307), and Σ as ς where it ends a word (Unicode's Final_Sigma:
    /// a cased letter before it and none after it, case-ignorable code
    /// points skipped either way), which Swift's `lowercased()` does not do.
    static func lower(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        for (i, s) in scalars.enumerated() {
            if s.value == 0x3A3 {
                out.append(Unicode.Scalar(isFinalSigma(scalars, at: i) ? 0x3C2 : 0x3C3)!)
            } else if s.isASCII {
                out.append(s.value >= 0x41 && s.value <= 0x5A ? Unicode.Scalar(s.value + 32)! : s)
            } else {
                out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    private static func isFinalSigma(_ scalars: [Unicode.Scalar], at i: Int) -> Bool {
        var j = i - 1
        while j >= 0, scalars[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, scalars[j].properties.isCased else { return false }
        j = i + 1
        while j < scalars.count, scalars[j].properties.isCaseIgnorable { j += 1 }
        return j == scalars.count || !scalars[j].properties.isCased
    }

    /// `\w` in a Unicode pattern: a letter (Lu, Ll, Lt, Lm, Lo), a code
    /// point with a numeric value (decimal, digit or numeric), or `_`.
    static func isWordCharacter(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return s.properties.numericType != nil
        }
    }

    /// `str.isspace()` and `\s`: U+001C–U+001F (bidirectional class B or
    /// S, which Python counts) and Unicode's White_Space code points.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x1C && s.value <= 0x1F) || s.properties.isWhitespace
    }
}
