import Testing
import Foundation
import TestSupport

/// `synthctl split` copies each row's bytes from the file (`TextTableRecords`
/// finds the row boundaries after the table reader has read it), so hostile
/// text must give a split or one line and exit 2, never a crash: seeded
/// byte mutations of a CSV and a JSON Lines table (quotes, newlines, carriage
/// returns, delimiters and stray bytes inserted, replaced or deleted).
extension CommandLineTests {
    @Test(arguments: ["h.csv", "h.jsonl"])
    func fuzzedTablesAreSplitOrRefusedInOneLine(_ name: String) throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "40", "--out", name, "--quiet"], in: dir).code == 0)
        let source = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(name)")))
        let ext = String(name.dropFirst(2))
        let hostile: [UInt8] = Array("\"\n\r,\t{}:\\ \u{0}".utf8) + [0xFF, 0xC3]
        var g = SplitMix64(seed: 16)
        var exits = [Int32: Int]()
        for case_ in 0..<24 {
            var bytes = source
            for _ in 0..<(1 + Int(g.next() % 4)) {
                let at = Int(g.next() % UInt64(bytes.count))
                let b = hostile[Int(g.next() % UInt64(hostile.count))]
                switch g.next() % 3 {
                case 0: bytes.insert(b, at: at)
                case 1: bytes[at] = b
                default: bytes.remove(at: at)
                }
            }
            let input = "f\(case_).\(ext)"
            try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/\(input)"))
            let r = try run(["split", input, "--train-out", "t\(case_).\(ext)", "--holdout-out", "v\(case_).\(ext)", "--record", "r\(case_).json", "--drop-missing"], in: dir)
            exits[r.code, default: 0] += 1
            #expect(r.code == 0 || r.code == 2, "case \(case_): exit \(r.code): \(r.stderr)")
            if r.code == 2 {
                #expect(r.stderr.hasPrefix("synthctl: error: ") && r.stderr.filter { $0 == "\n" }.count == 1, "case \(case_): \(r.stderr)")
            }
        }
        // The mutations reach both outcomes: some tables still split, some are refused.
        #expect(exits[0, default: 0] > 0 && exits[2, default: 0] > 0, "\(exits)")
    }
}
