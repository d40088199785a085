import Foundation
import Testing

/// Issue 14, item 5: no public or package API takes or returns an unsafe
/// pointer. Pointer code lives in internal `_Unsafe…` types whose comments
/// state their preconditions, behind a safe surface (arrays, spans, methods
/// that check bounds once per call).
///
/// The check reads the package's sources: every `public` or `package`
/// declaration (its whole header, over several lines, up to its body) that
/// names an `Unsafe…` type fails the test, by file, line and name. Left out:
/// members of `_Unsafe…` types (the documented pointer code itself), and
/// scoped `withUnsafe…` accessors, whose pointer lives only inside the
/// caller's closure (as `Array.withUnsafeBufferPointer`).
@Suite struct PublicSurfaceTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    @Test func noPublicOrPackageDeclarationTakesOrReturnsAnUnsafePointer() throws {
        let files = try Self.swiftFiles(under: Self.sources)
        #expect(files.count > 50, "found \(files.count) Swift files under \(Self.sources.path)")
        var offenders = [String]()
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for d in Self.unsafeDeclarations(in: text) {
                offenders.append("\(file.path.replacingOccurrences(of: Self.sources.path + "/", with: "")):\(d.line): \(d.header)")
            }
        }
        #expect(offenders.isEmpty, "public or package declarations with an unsafe pointer:\n\(offenders.joined(separator: "\n"))")
    }

    /// The scanner finds what it must, so that an empty list above means
    /// something.
    @Test func theScannerFindsPointersInMultiLineHeadersAndSkipsUnsafeTypes() {
        let text = """
            public struct Tile {
                public func fill(rows: Range<Int>,
                                 out: UnsafeMutablePointer<Float>) {
                    let p: UnsafePointer<Float>? = nil
                }
                public let base: UnsafeRawPointer
                package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R { fatalError() }
                public subscript(i: Int) -> Float { 0 }
            }
            enum _UnsafeKernel {
                package static func run(_ a: UnsafePointer<Float>) {}
            }
            package func after(_ a: UnsafeBufferPointer<UInt8>) -> Int { 0 }
            func internalOne(_ a: UnsafePointer<Float>) {}
            """
        let found = Self.unsafeDeclarations(in: text)
        #expect(found.map(\.line) == [2, 6, 13], "\(found)")
    }

    static func swiftFiles(under root: URL) throws -> [URL] {
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var files = [URL]()
        while let url = walker?.nextObject() as? URL {
            if url.pathExtension == "swift" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// The public and package declarations of `text` whose header names an
    /// `Unsafe…` type, with their 1-based line numbers.
    static func unsafeDeclarations(in text: String) -> [(line: Int, header: String)] {
        let lines = text.components(separatedBy: "\n").map(Self.code)
        let declaration = /^\s*(@\w+(\([^)]*\))?\s+)*((public|package)(\(set\))?\s+)+(\w+\s+)*(func|init|subscript|var|let|static|typealias|case)\b/
        let unsafeTypeName = /\bUnsafe[A-Z]\w*/
        let unsafeTypeDeclaration = /\b(enum|struct|class|extension)\s+_Unsafe\w*/
        var found = [(line: Int, header: String)]()
        var depth = 0
        // Inside an `_Unsafe…` type: the depth its declaration stands at,
        // and whether its body has opened yet.
        var unsafeType: (depth: Int, opened: Bool)? = nil
        for (i, line) in lines.enumerated() {
            if unsafeType == nil, line.contains(unsafeTypeDeclaration) { unsafeType = (depth, false) }
            if unsafeType == nil, line.contains(declaration) {
                let header = Self.header(lines, from: i)
                let isScopedAccessor = header.contains(/\bfunc\s+withUnsafe/)
                if !isScopedAccessor, header.contains(unsafeTypeName) {
                    found.append((i + 1, header.trimmingCharacters(in: .whitespaces)))
                }
            }
            depth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
            if let t = unsafeType {
                if depth > t.depth { unsafeType?.opened = true }
                else if t.opened || line.contains("}") { unsafeType = nil }
            }
        }
        return found
    }

    /// A declaration's header: from line `start` until its parentheses close
    /// and its body opens (or its line ends), without the body.
    static func header(_ lines: [String], from start: Int) -> String {
        var parens = 0, out = ""
        var i = start
        while i < lines.count {
            for ch in lines[i] {
                if ch == "(" || ch == "[" { parens += 1 }
                if ch == ")" || ch == "]" { parens -= 1 }
                if ch == "{" && parens == 0 { return out }
                out.append(ch)
            }
            i += 1
            // A return type or a where clause on the next line still belongs.
            let next = i < lines.count ? lines[i].trimmingCharacters(in: .whitespaces) : ""
            if parens <= 0 && !next.hasPrefix("->") && !next.hasPrefix("where") { return out }
            out.append(" ")
        }
        return out
    }

    /// A line without its `//` comment and with string literals emptied, so
    /// that braces and names in them do not count.
    static func code(_ line: String) -> String {
        var s = line.replacing(/"(?:\\.|[^"\\])*"/, with: "\"\"")
        if let comment = s.firstRange(of: "//") { s = String(s[..<comment.lowerBound]) }
        return s
    }
}
