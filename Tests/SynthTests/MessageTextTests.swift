import Testing
import Foundation
@testable import Synth
@testable import SynthctlCore
import TestSupport

/// The text helpers behind one-line messages: control characters written out
/// visibly, JSON strings escaped per RFC 8259, file errors in plain words.
@Suite struct MessageTextTests {
    let temporary = TemporaryPaths()  // removed when the test ends
    @Test func controlCharactersAreWrittenOutVisibly() {
        #expect("a\u{1b}[31mb".escapingControlCharacters == "a\\u{1b}[31mb")
        #expect("x\ny\r\tz".escapingControlCharacters == "x\\ny\\r\\tz")
        #expect("\u{0}\u{7}\u{7f}\u{85}\u{9b}".escapingControlCharacters == "\\u{0}\\u{7}\\u{7f}\\u{85}\\u{9b}")
        #expect("r\u{202e}txt.exe\u{2028}\u{2066}".escapingControlCharacters == "r\\u{202e}txt.exe\\u{2028}\\u{2066}")
        // A CR LF pair is one Character but two controls.
        #expect("a\r\nb".escapingControlCharacters == "a\\r\\nb")
        // Ordinary names, accents, other scripts and emoji are untouched.
        for plain in ["class_0", "Größe (cm)", "猫", "🐈‍⬛ cat", "back\\slash", ""] {
            #expect(plain.escapingControlCharacters == plain)
        }
        // Every C0 and C1 control and DEL is escaped; nothing printable is.
        for v in UInt32(0)...0x2FF {
            let s = String(Character(Unicode.Scalar(v)!))
            let isControl = v < 0x20 || (0x7F...0x9F).contains(v)
            #expect((s.escapingControlCharacters != s) == isControl, "U+\(String(v, radix: 16))")
            #expect(!s.escapingControlCharacters.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        }
    }

    /// Every control character inside a JSON string is escaped (RFC 8259
    /// §7: U+0000–U+001F must be), and the text reads back to the same string
    /// through Foundation's strict parser.
    @Test func jsonStringsEscapeEveryControlCharacter() throws {
        let all = String(String.UnicodeScalarView((0...0x9F).compactMap(Unicode.Scalar.init))) + "\u{2028}\u{2029}\u{202e}\"\\/"
        let value = JSONValue.object(["name\u{1b}": .string(all), "list": .array([.string("a\nb")])])
        for text in [value.serialized(), value.compact] {
            let insideStrings = text.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" && $0 != " " }
            #expect(insideStrings.isEmpty)
            #expect(!value.compact.unicodeScalars.contains { $0.value < 0x20 })
            let back = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            #expect(back?["name\u{1b}"] as? String == all)
            #expect((back?["list"] as? [String]) == ["a\nb"])
        }
        #expect(JSONValue.string("\u{1b}[31m").compact == "\"\\u001b[31m\"")
    }

    @Test func fileErrorsAreReportedInPlainWords() throws {
        #expect(FileErrorReason.describe(errno: EACCES) == "permission denied")
        #expect(FileErrorReason.describe(errno: ENOSPC) == "no space left on device")
        #expect(FileErrorReason.describe(errno: EISDIR) == "is a directory")
        #expect(FileErrorReason.describe(errno: ENOTDIR) == "not a directory")
        // A POSIX error, a Cocoa error with a POSIX error underneath, a Cocoa code with a meaning of its own.
        #expect(FileErrorReason.describe(NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS))) == "read-only file system")
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteUnknown.rawValue,
                              userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))])
        #expect(FileErrorReason.describe(wrapped) == "no space left on device")
        #expect(FileErrorReason.describe(CocoaError(.fileWriteOutOfSpace)) == "no space left on device")
        #expect(FileErrorReason.describe(CocoaError(.fileNoSuchFile)) == "no such file or directory")
        // "NSCocoaErrorDomain error 512" with no reason: the path says why.
        let dir = temporary.path("synthctl-reason")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        try "x".write(toFile: "\(dir)/file", atomically: true, encoding: .utf8)
        let unknown = CocoaError(.fileWriteUnknown)
        #expect(FileErrorReason.describe(unknown, path: dir) == "is a directory")
        #expect(FileErrorReason.describe(unknown, path: "\(dir)/file/x") == "\(dir)/file: not a directory")
        #expect(FileErrorReason.describe(unknown, path: "\(dir)/none/x") == "\(dir)/none: no such file or directory")
        #expect(FileErrorReason.describe(unknown, path: "\(dir)/new") == "the system gave no reason")
        #expect(FileErrorReason.probeForReading("\(dir)/none") == "no such file or directory")
        #expect(FileErrorReason.probeForReading(dir) == "is a directory")
        // The real Foundation error for a write onto a directory.
        do {
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir), options: .atomic)
            Issue.record("writing onto a directory succeeded")
        } catch {
            #expect(FileErrorReason.describe(error, path: dir) == "is a directory")
        }
    }
}
