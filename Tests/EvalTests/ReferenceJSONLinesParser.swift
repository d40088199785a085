import Foundation
@testable import Eval
@testable import SynthctlCore

/// The JSON Lines reader as it was before the byte-level scanner: a
/// decoder per line and every check on every line (rows with other keys
/// than the first's since read as pandas reads them: absent keys null,
/// new keys new columns; integers from Int64.max up to UInt64.max as their
/// digits, as pandas writes uint64). Kept in the test target
/// only, as the reference the differential tests hold the new reader to.
enum ReferenceJSONLinesParser {
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
            if decoded == nil, let (key, number) = JSONLinesParser.firstNumberBeyondDouble(in: line) {
                // Valid JSON that no Swift number holds (1e400, a 400-digit integer).
                let shown = number.count > 40 ? String(number.prefix(40)) + "… (\(number.count) characters)" : number
                throw InputError(file: path, line: n + 1, columnName: .named(key),
                                 expected: "a number within float64's range (magnitude at most 1.8e308)", found: shown)
            }
            // An object that is not JSON, whether the lenient decoder took it (`{"a": 1,}`) or not
            // (`{"a": NaN}`): where and what. A line that is no object at all is shown whole.
            if line.first(where: { $0 != 32 && $0 != 9 }) == UInt8(ascii: "{"),
               let problem = JSONSyntax.firstProblem(in: line) {
                let (expected, found) = JSONLinesParser.parts(of: problem)
                throw InputError(file: path, line: n + 1, column: problem.column, expected: expected, found: found)
            }
            guard case .object(let o)? = decoded else {
                throw InputError(file: path, line: n + 1, expected: "one JSON object per line", found: String(decoding: line.prefix(40), as: UTF8.self))
            }
            if let duplicate = JSONValue.firstDuplicateKey(in: Array(line)) {
                throw InputError(file: path, line: n + 1, expected: "each key once",
                                 found: "\"\(duplicate.key)\" twice\(duplicate.path.isEmpty ? "" : " in \(duplicate.path)")")
            }
            if header.isEmpty {
                header = Array(line).withUnsafeBufferPointer { JSONLinesParser.keysInOrder($0) }
                for (i, k) in header.enumerated() { column[k] = i }
                let rows = data.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                var estimate = MemoryEstimate()
                estimate.add("the table's cells as text (\(rows) lines × \(header.count) keys × 32 bytes)", rows, header.count, 32)
                try MemoryBudget.current.check(estimate, subject: path)
            }
            // Keys first seen here are new columns, in the order written; absent keys are null.
            for k in Array(line).withUnsafeBufferPointer({ JSONLinesParser.keysInOrder($0) }) where column[k] == nil {
                column[k] = header.count
                header.append(k)
            }
            var record = [JSONValue](repeating: .null, count: header.count)
            for (k, v) in o { record[column[k]!] = v }
            // Since issue 15: an integer beyond Int64.max, up to UInt64.max, as its digits (a string cell).
            for (k, cell) in Array(line).withUnsafeBufferPointer({ JSONLinesParser.unsignedBeyondInt64(in: $0) }) {
                guard case .text(let digits) = cell else { continue }
                record[column[k]!] = .string(digits)
            }
            records.append(record)
            lines.append(n + 1)
        }
        guard !header.isEmpty else { throw InputError(file: path, expected: "at least one row", found: "an empty file") }
        return (header, records.map { $0 + Array(repeating: .null, count: header.count - $0.count) }, lines)
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

}
