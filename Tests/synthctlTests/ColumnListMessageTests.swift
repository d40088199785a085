import Foundation
import Testing

/// Issue 15, re-test items 7 and 11: a message that lists a table's columns
/// always counts them, separated by ", " in every reader; a header read as
/// one column holding tabs or semicolons names the option that reads the
/// file; a CSV cell holding a list of numbers (`datasets`' `to_csv` of an
/// embedding) is said to be a list written as text.
extension CommandLineTests {
    func expectLine(_ args: [String], input: Data? = nil, in dir: String, _ line: String,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try input.map { try run(args, input: $0, in: dir) } ?? run(args, in: dir)
        #expect(r.code == 2, "\(args): exit \(r.code) \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr == "synthctl: error: \(line)\n", "\(args): \(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test func columnListsAlwaysCountTheColumns() throws {
        let dir = tempDir()
        try "a,b,label\n0.5,1.5,x\n1.5,0.5,y\n".write(toFile: "\(dir)/t.csv", atomically: true, encoding: .utf8)
        try "item,answer\n1,x\n".write(toFile: "\(dir)/a.csv", atomically: true, encoding: .utf8)
        try expectLine(["score", "--table", "t.csv", "--label-column", "nope"], in: dir,
                       "t.csv: expected a label column \"nope\", found columns a, b, label (3 columns)")
        try expectLine(["fit", "t.csv", "--categorical", "nope", "--out", "m.json"], in: dir,
                       "t.csv: expected a column \"nope\" (given as categorical), found columns a, b, label (3 columns)")
        // --answers: the same ", " as every other table message.
        try expectLine(["score", "--answers", "a.csv"], in: dir,
                       "a.csv: line 1: expected a column named \"worker\" or \"annotator\" for the worker ids, found columns item, answer (2 columns)")
    }

    @Test func aHeaderReadAsOneColumnNamesTheOptionThatReadsIt() throws {
        let dir = tempDir()
        var tsv = "a\tb\tlabel\n", semi = "a;b;label\n"
        for i in 0..<40 {
            tsv += "\(Double(i % 5) * 0.3)\t\(Double(i % 7) * 0.2)\t\(["x", "y"][i % 2])\n"
            semi += "\(Double(i % 5) * 0.3);\(Double(i % 7) * 0.2);\(["x", "y"][i % 2])\n"
        }
        try tsv.write(toFile: "\(dir)/tabs.csv", atomically: true, encoding: .utf8)
        try semi.write(toFile: "\(dir)/semi.csv", atomically: true, encoding: .utf8)
        try expectLine(["score", "--table", "-"], input: Data(tsv.utf8), in: dir,
                       "-: expected a label column \"label\", found columns a\\tb\\tlabel (1 column); a tab-separated table: read it with --input-format tsv")
        // A known extension wins over --input-format, so a .csv is told --delimiter.
        try expectLine(["score", "--table", "tabs.csv"], in: dir,
                       "tabs.csv: expected a label column \"label\", found columns a\\tb\\tlabel (1 column); a tab-separated table: read it with --delimiter tab")
        try expectLine(["score", "--table", "semi.csv"], in: dir,
                       "semi.csv: expected a label column \"label\", found columns a;b;label (1 column); a ';'-separated table: read it with --delimiter ';'")
        // The header's one name as the label, so that the column typed next is looked for.
        try expectLine(["fit", "semi.csv", "--label-column", "a;b;label", "--categorical", "b", "--out", "m.json"], in: dir,
                       "semi.csv: expected a column \"b\" (given as categorical), found columns a;b;label (1 column); a ';'-separated table: read it with --delimiter ';'")
        // The options suggested read the files.
        #expect(try run(["score", "--table", "-", "--input-format", "tsv"], input: Data(tsv.utf8), in: dir).code == 0)
        #expect(try run(["score", "--table", "tabs.csv", "--delimiter", "tab"], in: dir).code == 0)
        #expect(try run(["score", "--table", "semi.csv", "--delimiter", ";"], in: dir).code == 0)
    }

    @Test func aListOfNumbersWrittenAsTextIsSaidToBeOne() throws {
        let dir = tempDir()
        // As datasets' to_csv writes a NumPy embedding (padded, spaces) and pandas' a Python list (commas).
        var numpy = "x,label\n", python = "x,label\n", mixed = "x,city,label\n"
        for i in 0..<40 {
            numpy += "\"[\(Double(i % 5) * 0.3)   \(-Double(i % 7) * 0.2) 1e-3 ]\",\(["p", "q"][i % 2])\n"
            python += "\"[\(Double(i % 5) * 0.3), \(Double(i % 7) * 0.2)]\",\(["p", "q"][i % 2])\n"
            mixed += "\"[\(Double(i % 5) * 0.3), 1]\",\(["Oslo", "Rome"][i % 2]),\(["p", "q"][i % 2])\n"
        }
        try numpy.write(toFile: "\(dir)/np.csv", atomically: true, encoding: .utf8)
        try python.write(toFile: "\(dir)/py.csv", atomically: true, encoding: .utf8)
        try mixed.write(toFile: "\(dir)/mixed.csv", atomically: true, encoding: .utf8)
        let one = ": column \"x\": expected a numeric feature column, found a categorical one: a list of numbers written as text; write the table as Parquet or JSON Lines to keep it a vector"
        try expectLine(["score", "--table", "np.csv"], in: dir, "np.csv" + one)
        try expectLine(["score", "--table", "py.csv"], in: dir, "py.csv" + one)
        try expectLine(["score", "--table", "mixed.csv"], in: dir,
                       "mixed.csv: columns \"x\", \"city\": expected numeric feature columns, found categorical ones; \"x\" holds a list of numbers written as text: write the table as Parquet or JSON Lines to keep it a vector; give --feature-columns without them")
    }
}
