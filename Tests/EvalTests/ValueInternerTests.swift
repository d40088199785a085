import Testing
@testable import Eval
import TestSupport

/// ``ValueInterner`` gives each distinct value one id, in first-seen
/// order, whatever its bytes: its hash reads eight bytes at a time and the
/// last few one by one, so values that differ in one byte anywhere, or only
/// in length, must stay apart through every rehash.
@Suite struct ValueInternerTests {
    static func id(_ interner: inout ValueInterner, _ text: String, insert: Bool = true) -> Int32? {
        interner.id(of: text, insert: insert)
    }

    @Test func valuesDifferingInOneByteOrInLengthStayApart() {
        var interner = ValueInterner(directLimit: 0)
        var values = [String]()
        for length in 0...40 {
            let base = String(repeating: "a", count: length)
            values.append(base)
            for position in 0..<length {
                var bytes = Array(base.utf8)
                bytes[position] = UInt8(ascii: "b")
                values.append(String(decoding: bytes, as: UTF8.self))
            }
            values.append(base + "\0")  // a trailing zero byte, as the tail word's padding would be
        }
        for (i, v) in values.enumerated() { #expect(Self.id(&interner, v) == Int32(i), "\(v.debugDescription)") }
        #expect(interner.count == values.count)
        for (i, v) in values.enumerated() {
            #expect(Self.id(&interner, v, insert: false) == Int32(i))
            #expect(interner.name(i) == v)
        }
        #expect(Self.id(&interner, "not there", insert: false) == nil)
    }

    /// Canonical integers go to the direct table, other spellings of the
    /// same number to the hash table: "7" and "007" are two values.
    @Test func integerSpellingsAreDistinctValues() {
        var interner = ValueInterner()
        let values = ["7", "007", "-7", "7.0", "", "18446744073709551616", "123456789012345678"]
        for (i, v) in values.enumerated() { #expect(Self.id(&interner, v) == Int32(i)) }
        for (i, v) in values.enumerated() { #expect(Self.id(&interner, v) == Int32(i)) }
        #expect(!interner.onlyCanonicalIntegers)
    }

    /// Values kept without a lookup get ids of their own, even when equal
    /// to one interned before, and read back the same.
    @Test func unlookedValuesTakeNewIds() {
        var interner = ValueInterner(directLimit: 0)
        #expect(Self.id(&interner, "spam") == 0)
        #expect(interner.appendUnlooked("spam") == 1)
        #expect(interner.appendUnlooked("eggs") == 2)
        #expect(Self.id(&interner, "spam") == 0)
        #expect(Self.id(&interner, "eggs") == 3)
        #expect((0..<4).map(interner.name) == ["spam", "spam", "eggs", "eggs"])
    }
}
