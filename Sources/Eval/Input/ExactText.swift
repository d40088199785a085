/// Text that is equal to other text only when their UTF-8 bytes are equal.
///
/// Swift's `String` compares by canonical equivalence: "café" spelled with
/// U+00E9 (NFC) and "café" spelled with "e" + U+0301 (NFD) are `==` and hash
/// alike, so a `Set<String>` or a `Dictionary` keyed by `String` merges them.
/// pandas, NumPy, cleanlab and crowd-kit compare Python strings by code
/// points and see two labels; so must synthctl. Labels, item ids, worker ids
/// and column names are therefore interned and compared through this type
/// (or through ``ValueInterner``, which compares bytes too), never as
/// `String` keys.
public struct ExactText: Hashable, Sendable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (a: ExactText, b: ExactText) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }

    public func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public var description: String { text }
}
