/// Random damage for the fuzz tests of the readers: a file's bytes with a
/// few single-byte edits, each one replacing, inserting or removing a byte
/// at a random place (`from` on), the new bytes drawn from `alphabet` (the
/// characters that matter to the format, and a few that are never valid).
///
/// - Precondition: `from < bytes.count`.
public func mutated<R: RandomNumberGenerator>(_ bytes: [UInt8], edits: ClosedRange<Int> = 1...3, alphabet: [UInt8], from: Int = 0,
                                              using rng: inout R) -> [UInt8] {
    var bytes = bytes
    for _ in 0..<Int.random(in: edits, using: &rng) {
        let at = Int.random(in: from..<bytes.count, using: &rng)
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: bytes[at] = alphabet.randomElement(using: &rng)!
        case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: at)
        default: bytes.remove(at: at)
        }
    }
    return bytes
}
