import Testing
import Foundation
@testable import Eval
@testable import SynthctlCore
import TestSupport

/// The byte-level JSON Lines reader against the decoder-per-line reader it
/// replaced (``ReferenceJSONLinesParser``): the same header, rows, line
/// numbers and cells — each number the same Double bit for bit, integers
/// and doubles told apart as before — and the same one line for every
/// refusal, on tricky numbers, random rows and random mutations.
@Suite struct JSONLinesScannerTests {
    /// A cell, exactly: text as its UTF-8 bytes, a double as its bits.
    static func show(_ cell: TableCell) -> String {
        switch cell {
        case .null: "null"
        case .absent: "null"  // a key the line lacks: a null to the reader it replaced
        case .boolean(let b): "bool \(b)"
        case .integer(let i): "int \(i)"
        case .real(let d): "real \(d) \(d.bitPattern)"
        case .text(let s): "text \(Array(s.utf8))"
        case .nested(let what): "nested \(what)"
        }
    }

    /// What the new reader makes of `bytes`: the table, or the error's one line.
    static func current(_ bytes: [UInt8]) -> String {
        do {
            let t = try JSONLinesParser.table("t.jsonl", bytes: bytes)
            var out = "\(t.header) \(t.lines)\n"
            for r in t.lines.indices { out += t.columns.map { show($0[r]) }.joined(separator: " | ") + "\n" }
            return out
        } catch let e as any SynthctlError { return "error: " + e.message } catch { return "other error: \(error)" }
    }

    /// What the old reader made of `bytes`; "ragged" where it kept rows of
    /// unequal widths (rows of `{}` before the first keys), which the new
    /// reader refuses.
    static func reference(_ bytes: [UInt8]) -> String {
        do {
            let (header, records, lines) = try ReferenceJSONLinesParser.tableRecords("t.jsonl", bytes: bytes)
            guard records.allSatisfy({ $0.count == header.count }) else { return "ragged" }
            var out = "\(header) \(lines)\n"
            for r in records { out += r.map { show(TableCell($0)) }.joined(separator: " | ") + "\n" }
            return out
        } catch let e as any SynthctlError { return "error: " + e.message } catch { return "other error: \(error)" }
    }

    static func expectSame(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let (new, old) = (current(bytes), reference(bytes))
        if old == "ragged" {
            #expect(new.hasPrefix("error: t.jsonl: line "), "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        } else {
            #expect(new == old, "input: \(String(decoding: bytes, as: UTF8.self).debugDescription)", sourceLocation: sourceLocation)
        }
    }

    /// Numbers whose reading is easy to get wrong: long significands,
    /// subnormals, the edges of float64 and Int64, exponents far out,
    /// `-0`, and numbers beyond float64's range (refused with their key).
    static let trickyNumbers = [
        "0", "-0", "-0.0", "0.0", "0e0", "0e999999", "-0e-5", "1", "-1", "1.0", "1.5", "1e2", "1E+2", "1e-2", "100e-2", "0.1e1",
        "0.1", "0.2", "0.30000000000000004", "1.00000000000000011102230246251565404236316680908203125",
        "4.9e-324", "5e-324", "2e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400", "-1e-400",
        "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309", "1e400", "-1e400",
        "9007199254740992", "9007199254740993", "9007199254740993.0", "9007199254740993e0", "900719925474099.3e1",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "9223372036854775807.0", "9223372036854775808.0", "-9223372036854775808.0", "-9223372036854775809.0",
        "999999999999999999", "1000000000000000000", "9999999999999999999", "99999999999999999999",
        "1e18", "1e19", "1e22", "1e23", "1.5e22", "123456789012345678e-5", "12345678901234567890e-10",
        "1234567890123456789012345678901234567890", String(repeating: "9", count: 400), "1" + String(repeating: "0", count: 309),
        "0." + String(repeating: "0", count: 330) + "1", "3.4028234e38", "-1.2345678806304932", "1.6059533", "-0.028962135",
        "7e-10", "8.589973e9", "5e-1", "2.0e1", "1e0", "100000000000000000000.0", "17976931348623157e292",
        // pandas' uint64: beyond Int64.max up to UInt64.max as digits, beyond that a double.
        "18446744073709551615", "18446744073709551614", "12345678901234567890", "18446744073709551616", "-18446744073709551615",
        "18446744073709551615.0", "1.8446744073709551615e19",
        // Not JSON numbers (the exact path words why).
        "01", "-01.5", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "0x10", "1.2.3", "NaN", "Infinity", "-Infinity", "1_0",
    ]

    @Test func trickyNumbersReadAsBeforeBitForBit() {
        for n in Self.trickyNumbers {
            Self.expectSame(Array("{\"a\": \(n), \"b\": 1}\n{\"b\": 2, \"a\":\(n)}\n".utf8))
        }
    }

    /// Issue 15: an integer beyond Int64.max and at most UInt64.max (pandas
    /// writes uint64 so) keeps its digits, on the fast path and the exact
    /// one (a line with a nested value), so two such ids stay two; one
    /// beyond UInt64.max, or written with a fraction, is a double; as a
    /// list element it is its nearest double on both paths.
    @Test func integersBeyondInt64KeepTheirDigits() throws {
        let text = """
        {"a": 18446744073709551615, "b": 1, "e": [1, 18446744073709551615]}
        {"a": 18446744073709551614, "b": {"z": 9223372036854775808}, "e": [1, 18446744073709551615]}
        {"b": 2, "a": 9223372036854775808, "e": [1, 2]}
        {"a": 18446744073709551616, "b": 3, "e": [1, 2]}
        {"a": 9223372036854775808.0, "b": 3, "e": [1, 2], "\\u0063": 1}

        """
        let t = try JSONLinesParser.table("t.jsonl", bytes: Array(text.utf8))
        let a = (0..<5).map { Self.show(t.columns[0][$0]) }
        #expect(a == ["text \(Array("18446744073709551615".utf8))", "text \(Array("18446744073709551614".utf8))",
                      "text \(Array("9223372036854775808".utf8))", "real 1.8446744073709552e+19 \(0x1p64.bitPattern)",
                      "real 9.223372036854776e+18 \(0x1p63.bitPattern)"], "\(a)")
        #expect(Self.show(t.columns[1][1]) == "nested an object")
        #expect(Self.show(t.columns[2].element(0, 1)) == Self.show(.real(0x1p64)) && Self.show(t.columns[2].element(1, 1)) == Self.show(.real(0x1p64)))
        Self.expectSame(Array(text.utf8))
    }

    @Test func stringsWithEveryEscapeReadAsBefore() {
        let strings = [
            #""""#, #""plain""#, #""caf\u00e9""#, "\"café\"", #""\ud83d\ude00""#, "\"😀\"", #""\"\\\/\b\f\n\r\t""#,
            #""\u0000x""#, #""\u00""#, #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800x""#, #""\x""#,
            "\"tab\there\"", "\"\u{7f}\"", "\"\\u2028\\u2029\"", "\"\\uFEFF\"", #""\uD83D\uDE00""#, "\"a\\", "\"a",
        ]
        for s in strings {
            Self.expectSame(Array("{\"k\": \(s), \(s == #""""# ? "\"j\"" : s): 1}\n".utf8))
            Self.expectSame(Array("{\"k\": \(s)}\n".utf8))
        }
        // Bytes that are not UTF-8, inside and outside strings.
        for bad: [UInt8] in [[0xFF], [0xC3], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]] {
            Self.expectSame(Array("{\"k\": \"".utf8) + bad + Array("\"}\n".utf8))
            Self.expectSame(Array("{\"".utf8) + bad + Array("\": 1}\n".utf8))
        }
    }

    @Test func linesEndsBlankLinesAndKeyOrderReadAsBefore() {
        let inputs = [
            "\u{FEFF}{\"a\": 1}\r\n\r\n  \t \n{\"a\": 2}\r{\"a\":3}", "{\"b\": 1, \"a\": 2}\n{\"a\": 3, \"b\": 4}\n",
            "{\"x10\": 1, \"x2\": 2, \"x1\": 3}\n", "{\"\\u0061\": 1}\n{\"a\": 2}\n", "{\"a\": 1}\n{\"\\u0061\": 2}\n",
            "{\"a\": 1, \"a\": 2}\n", "{\"a\": 1}\n{\"a\": 1, \"a\": 2}\n", "{\"a\": 1}\n{\"b\": 2}\n", "{\"a\": 1}\n{\"a\": 1, \"b\": 2}\n",
            "{\"a\": 1}\n{}\n", "{}\n", "{}\n{\"a\": 1}\n", "", "\n\n", "[1]\n", "{\"a\": 1,}\n", "{\"a\": 1} x\n", "{\"a\": 1}{\"a\": 2}\n",
            "{\"a\": [1, 2.5, 3]}\n{\"a\": {\"b\": null}}\n", "{\"a\": [1, 2,]}\n", "{\"a\":" + String(repeating: "[", count: 70) + "}\n",
            "{\"a\": tru}\n", "{\"a\": true}\n{\"a\": false}\n{\"a\": null}\n", "{\"a\": truex}\n", "{\"a\" 1}\n", "{a: 1}\n",
            "{\"a\": 1}\u{0}\n", "{\"a\": \"x\u{0}\"}\n", " {\"a\": 1} \t\n", "\u{0C}{\"a\": 1}\n", "{\"a\": 1}\u{0B}\n",
            "{\"a\": \"line\nbreak\"}\n", "{\"a\": 1e400, \"b\": [1e400]}\n", "{\"a\": 1, \"b\": 2}\n{\"a\": 1, \"b\": 2, \"c\": 3}\n",
        ]
        for text in inputs { Self.expectSame(Array(text.utf8)) }
    }

    /// Random files of flat rows — awkward keys, numbers and strings, key
    /// order shuffled, spaces, tabs, every line end — read as before.
    @Test func randomTablesReadAsBefore() {
        var rng = SplitMix64(seed: 0x5EED2401)  // seeded: a failure replays, CI never flakes
        let keys = ["a", "b", "x1", "x10", "x2", "é", "\\u0041", "k\\\"q", "", "label", "😀"]
        let strings = ["\"\"", "\"cat\"", "\"caf\\u00e9\"", "\"naïve\"", "\"\\ud83d\\ude00\"", "\"a\\nb\\tc\\\\d\\/e\\\"\"", "\"\\u0000\"", "\" 1.5 \"", "\"NA\""]
        func number() -> String {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return Self.trickyNumbers.dropLast(15).randomElement(using: &rng)!
            case 1: return "\(Double(bitPattern: UInt64.random(in: 0...0x7FEF_FFFF_FFFF_FFFF, using: &rng)) * (Bool.random(using: &rng) ? 1 : -1))"
            case 2: return "\(Float.random(in: -10...10, using: &rng))"
            default:
                var s = Bool.random(using: &rng) ? "-" : ""
                s += String(Int.random(in: 1...9, using: &rng)) + (0..<Int.random(in: 0...24, using: &rng)).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
                if Bool.random(using: &rng) { s += "." + (0..<Int.random(in: 1...24, using: &rng)).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined() }
                if Bool.random(using: &rng) { s += ["e", "E", "e+", "e-", "E-"].randomElement(using: &rng)! + String(Int.random(in: 0...330, using: &rng)) }
                return s
            }
        }
        func value() -> String {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5: return number()
            case 5, 6: return strings.randomElement(using: &rng)!
            case 7: return ["true", "false", "null"].randomElement(using: &rng)!
            case 8: return ["[1, 2.5]", "[]", "{\"z\": 1}"].randomElement(using: &rng)!
            default: return "\"\(number())\""
            }
        }
        func blank() -> String { ["", " ", "\t", "  "].randomElement(using: &rng)! }
        for _ in 0..<300 {
            let chosen = Array(keys.shuffled(using: &rng).prefix(Int.random(in: 1...5, using: &rng)))
            var text = Int.random(in: 0..<10, using: &rng) == 0 ? "\u{FEFF}" : ""
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let order = Int.random(in: 0..<3, using: &rng) == 0 ? chosen.shuffled(using: &rng) : chosen
                let fields = order.map { "\(blank())\"\($0)\"\(blank()):\(blank())\(value())\(blank())" }
                text += blank() + "{" + fields.joined(separator: ",") + "}" + blank()
                text += ["\n", "\r\n", "\r", "\n\n", "\n \n"].randomElement(using: &rng)!
            }
            Self.expectSame(Array(text.utf8))
        }
    }

    /// Fuzz past the interning switch: a file of 4,400 mostly distinct
    /// strings, which its column stops interning after 4,096
    /// (``JSONLinesColumn/dedupSample``), with bytes mutated after that row.
    /// The reader never traps, and reads what the old one read or says what
    /// it said.
    @Test func mutationsAfterTheInterningSwitchFailAsBefore() throws {
        var rng = SplitMix64(seed: 0x5EED_3801)  // seeded: a failure replays, CI never flakes
        var valid = [UInt8]()
        for i in 0..<4_400 { valid += Array("{\"text\": \"t\(i % 4_300) caf\\u00e9 \\\"q\\\"\", \"y\": \(i % 3)}\n".utf8) }
        let switchAt = valid.count * 4_096 / 4_400
        let alphabet = Array("{}[]\",:\\ \t\n\r019e.-+Eutrfnlsa".utf8) + [0, 0xFF, 0xC3, 0xA9, 0x0C]
        Self.expectSame(valid)
        #expect(try JSONLinesParser.table("t.jsonl", bytes: valid).columns[0].internsStrings == false)
        for _ in 0..<12 {
            Self.expectSame(mutated(valid, alphabet: alphabet, from: switchAt, using: &rng))
        }
    }

    /// Fuzz: random mutations of a valid file and random bytes. The new
    /// reader never traps, and says what the old one said (one line naming
    /// the file and the line), or reads what it read.
    @Test func randomMutationsFailAsBefore() {
        var rng = SplitMix64(seed: 0x5EED2402)  // seeded: a failure replays, CI never flakes
        let valid = Array("{\"label\": \"cat\", \"x1\": 1.5, \"x2\": -2e-3}\r\n{\"x2\": 0, \"label\": \"d\\u00f6g\", \"x1\": null}\n{\"label\": true, \"x1\": 12345678901234567890, \"x2\": \"\\ud83d\\ude00\"}\n".utf8)
        let alphabet = Array("{}[]\",:\\ \t\n\r019e.-+Eutrfnlsa".utf8) + [0, 0xFF, 0xC3, 0xA9, 0x0C]
        for i in 0..<1_000 {
            var bytes = valid
            if i % 5 == 0 {
                bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                if Bool.random(using: &rng) { bytes = Array("{\"a\":".utf8) + bytes }
            } else {
                bytes = mutated(bytes, alphabet: alphabet, using: &rng)
            }
            Self.expectSame(bytes)
        }
    }
}
