import Foundation
import Synth
import SynthctlCore

/// The JSON Lines parser behind ``JSONLinesReader``: a whole file of flat
/// objects into a header (the keys, naturally sorted), one record per
/// object and each record's line number, refusing what is not such a file
/// with the line it is on.
enum JSONLinesParser {
    /// Header, records and line numbers of JSON Lines (`.jsonl`, `.ndjson`)
    /// of flat objects, whose keys become the columns. Lines end in \n, \r\n
    /// or \r; a UTF-8 byte-order mark at the start is skipped; a row with a
    /// NUL byte or a key given twice is refused (JSONDecoder would keep one
    /// of the two values without a word).
    static func tableRecords(_ path: String, bytes data: [UInt8]) throws -> ([String], [[JSONValue]], [Int]) {
        var header = [String](), column = [String: Int](), records = [[JSONValue]](), lines = [Int]()
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        for (n, line) in jsonLines(bytes).enumerated() {
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            if line.contains(0) { throw InputError(file: path, line: n + 1, expected: "text", found: "a NUL byte") }
            if let (_, column) = NestingLimit.firstTooDeep(json: line) {
                throw InputError(file: path, line: n + 1, expected: "a flat JSON object",
                                 found: "values nested more than \(NestingLimit.maximumDepth) levels deep (column \(column))")
            }
            let decoded = try? JSONDecoder().decode(JSONValue.self, from: Data(line))
            if decoded == nil, let (key, number) = firstNumberBeyondDouble(in: line) {
                // Valid JSON that no Swift number holds (1e400, a 400-digit integer).
                let shown = number.count > 40 ? String(number.prefix(40)) + "… (\(number.count) characters)" : number
                throw InputError(file: path, line: n + 1, columnName: .named(key),
                                 expected: "a number within float64's range (magnitude at most 1.8e308)", found: shown)
            }
            guard case .object(let o)? = decoded else {
                throw InputError(file: path, line: n + 1, expected: "one JSON object per line", found: String(decoding: line.prefix(40), as: UTF8.self))
            }
            // What the lenient decoder took but JSON is not (`{"a": 1,}`).
            if let problem = JSONSyntax.firstProblem(in: line) {
                let (expected, found) = parts(of: problem)
                throw InputError(file: path, line: n + 1, column: problem.column, expected: expected, found: found)
            }
            if let duplicate = JSONValue.firstDuplicateKey(in: Array(line)) {
                throw InputError(file: path, line: n + 1, expected: "each key once",
                                 found: "\"\(duplicate.key)\" twice\(duplicate.path.isEmpty ? "" : " in \(duplicate.path)")")
            }
            if header.isEmpty {
                header = naturallySorted(o.keys)
                for (i, k) in header.enumerated() { column[k] = i }
                let rows = data.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                var estimate = MemoryEstimate()
                estimate.add("the table's cells as text (\(rows) lines × \(header.count) keys × 32 bytes)", rows, header.count, 32)
                try MemoryBudget.current.check(estimate, subject: path)
            }
            guard o.count == header.count, o.keys.allSatisfy({ column[$0] != nil }) else {
                throw InputError(file: path, line: n + 1, expected: "the keys of the first line (\(NameList.describe(header, noun: "keys")))",
                                 found: NameList.describe(naturallySorted(o.keys), noun: "keys"))
            }
            var record = [JSONValue](repeating: .null, count: header.count)
            for (k, v) in o { record[column[k]!] = v }
            records.append(record)
            lines.append(n + 1)
        }
        guard !header.isEmpty else { throw InputError(file: path, expected: "at least one row", found: "an empty file") }
        return (header, records, lines)
    }

    /// A JSON syntax problem's message, `expected E, found F`, as E and F
    /// for an ``InputError``. The scanner words E itself and never puts
    /// ", found " in it, so the first ", found " is the split; a message in
    /// any other form would be kept whole as what was found.
    static func parts(of problem: JSONSyntax.Problem) -> (expected: String, found: String) {
        let message = problem.message
        guard message.hasPrefix("expected "), let split = message.range(of: ", found ") else { return ("JSON", message) }
        return (String(message[message.index(message.startIndex, offsetBy: 9)..<split.lowerBound]), String(message[split.upperBound...]))
    }

    /// The first number in a JSON line that Double cannot hold (its
    /// magnitude rounds to infinity), with the top-level key it belongs to:
    /// JSONDecoder refuses the whole line without saying where.
    static func firstNumberBeyondDouble(in line: ArraySlice<UInt8>) -> (key: String, number: String)? {
        var depth = 0, key = "", lastString = ""
        var i = line.startIndex
        while i < line.endIndex {
            let b = line[i]
            switch b {
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < line.endIndex, line[j] != UInt8(ascii: "\"") { j += line[j] == UInt8(ascii: "\\") ? 2 : 1 }
                lastString = String(decoding: line[(i + 1)..<min(j, line.endIndex)], as: UTF8.self)
                i = j + 1
                continue
            case UInt8(ascii: ":") where depth == 1: key = lastString
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i
                while j < line.endIndex, "+-.eE0123456789".utf8.contains(line[j]) { j += 1 }
                let number = String(decoding: line[i..<j], as: UTF8.self)
                if let d = Double(number), !d.isFinite { return (key, number) }
                i = j
                continue
            default: break
            }
            i += 1
        }
        return nil
    }

    /// The lines of a text, split at \n, \r\n or a lone \r, without their ends.
    static func jsonLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var out = [ArraySlice<UInt8>](), start = 0, i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 10 || b == 13 {
                out.append(bytes[start..<i])
                if b == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
                start = i + 1
            }
            i += 1
        }
        out.append(bytes[start...])
        return out
    }

    /// "x2" before "x10": names sorted by their text with a trailing digit
    /// run compared as a number. Each name's key is computed once, so
    /// 200,000 keys sort in well under a second.
    static func naturallySorted<C: Collection<String>>(_ names: C) -> [String] {
        let names = Array(names)
        let keys = names.map { s -> (String, Int) in
            let digits = s.reversed().prefix { $0.isASCII && $0.isNumber }
            return (String(s.dropLast(digits.count)), Int(String(digits.reversed())) ?? -1)
        }
        return names.indices.sorted { a, b in
            let (ka, kb) = (keys[a], keys[b])
            return ka.0 != kb.0 ? ka.0 < kb.0 : ka.1 != kb.1 ? ka.1 < kb.1 : names[a] < names[b]
        }.map { names[$0] }
    }
}
