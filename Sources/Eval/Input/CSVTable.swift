import Foundation
import Synth

/// A small RFC 4180 CSV reader: a header row naming the columns, then records
/// of the same width. Fields may be quoted ("a,b", with "" for a quote inside);
/// line ends may be \n or \r\n; blank lines are skipped. Enough for the tables
/// annotation tools export, with errors that name the file, the line and what
/// was wrong. Works on the UTF-8 bytes (not Characters), so a file of millions
/// of answers parses in well under a second.
public struct CSVTable: Sendable {
    public let path: String
    public let header: [String]
    /// Records in file order, each as wide as the header.
    public let records: [[String]]
    /// The 1-based file line each record starts on, for error messages.
    public let lines: [Int]

    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SynthError("\(path): no such file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw SynthError("\(path): expected a readable file, found \(isDirectory.boolValue ? "a directory" : "one that cannot be read")")
        }
        try self.init(bytes: [UInt8](data), path: path)
    }

    public init(text: String, path: String) throws {
        try self.init(bytes: Array(text.utf8), path: path)
    }

    init(bytes: [UInt8], path: String) throws {
        self.path = path
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var rows = [[String]](), starts = [Int]()
        var line = 1, i = 0
        let n = bytes.count
        func text(_ range: Range<Int>) throws -> String {
            var end = range.upperBound
            if end > range.lowerBound, bytes[end - 1] == cr { end -= 1 }
            guard let s = String(validating: bytes[range.lowerBound..<end], as: UTF8.self) else {
                throw SynthError("\(path): line \(line): expected UTF-8 text, found bytes that are not")
            }
            return s
        }
        while i < n {
            let start = line
            var fields = [String]()
            while true {
                if i < n, bytes[i] == quote {
                    var value = [UInt8]()
                    i += 1
                    while true {
                        guard i < n else { throw SynthError("\(path): line \(start): expected a closing quote, found the end of the file") }
                        let c = bytes[i]
                        i += 1
                        if c == quote {
                            if i < n, bytes[i] == quote { value.append(quote); i += 1 } else { break }
                        } else {
                            if c == newline { line += 1 }
                            value.append(c)
                        }
                    }
                    guard let s = String(validating: value, as: UTF8.self) else {
                        throw SynthError("\(path): line \(start): expected UTF-8 text, found bytes that are not")
                    }
                    fields.append(s)
                    if i < n, bytes[i] == cr, i + 1 < n, bytes[i + 1] == newline { i += 1 }
                    guard i == n || bytes[i] == comma || bytes[i] == newline else {
                        throw SynthError("\(path): line \(line): expected a comma or a line end after a quoted field, found \"\(Character(Unicode.Scalar(bytes[i])))\"")
                    }
                } else {
                    let fieldStart = i
                    while i < n, bytes[i] != comma, bytes[i] != newline { i += 1 }
                    fields.append(try text(fieldStart..<i))
                }
                if i < n, bytes[i] == comma { i += 1; continue }
                if i < n { i += 1; line += 1 }  // the newline
                break
            }
            if fields.count == 1, fields[0].isEmpty { continue }
            rows.append(fields)
            starts.append(start)
        }
        guard let header = rows.first else { throw SynthError("\(path): expected a header row, found an empty file") }
        self.header = header.map { $0.trimmingCharacters(in: .whitespaces) }
        for (r, row) in rows.enumerated().dropFirst() where row.count != header.count {
            throw SynthError("\(path): line \(starts[r]): expected \(header.count) fields (\(self.header.joined(separator: ","))), found \(row.count)")
        }
        records = Array(rows.dropFirst())
        lines = Array(starts.dropFirst())
    }

    /// The index of the first column named one of `names`.
    public func column(_ names: [String], role: String) throws -> Int {
        for name in names { if let i = header.firstIndex(of: name) { return i } }
        throw SynthError("\(path): line 1: expected a column named \(names.map { "\"\($0)\"" }.joined(separator: " or ")) for the \(role), found columns \(header.joined(separator: ","))")
    }
}
