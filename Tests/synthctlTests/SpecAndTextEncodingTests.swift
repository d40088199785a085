import Testing
import Foundation

/// Specs and text inputs as users bring them (issue 13, testers' third
/// round): a byte-order mark, YAML keys that are not names, numbers no
/// Double holds, a YAML key given twice, and text that is not UTF-8 at all
/// (gzip, zip, UTF-16), each one line and exit 2, or the right answer.
extension CommandLineTests {
    @Test func aSpecWithAByteOrderMarkReadsAsWithout() throws {
        let dir = tempDir()
        let bom = Data([0xEF, 0xBB, 0xBF])
        let json = Data(#"{"rows": 40, "seed": 3, "generator": {"type": "moons"}}"#.utf8)
        let yaml = Data("rows: 40\nseed: 3\ngenerator:\n  type: moons\n".utf8)
        try json.write(to: URL(fileURLWithPath: "\(dir)/plain.json"))
        try (bom + json).write(to: URL(fileURLWithPath: "\(dir)/bom.json"))
        try (bom + yaml).write(to: URL(fileURLWithPath: "\(dir)/bom.yaml"))
        for (spec, out) in [("plain.json", "a"), ("bom.json", "b"), ("bom.yaml", "c")] {
            let r = try run(["gen", "--spec", spec, "--out", out], in: dir)
            #expect(r.code == 0, "\(spec): \(r.stderr)")
        }
        for name in ["features.npy", "labels.npy", "manifest.json"] {
            #expect(contents(dir, "b/\(name)") == contents(dir, "a/\(name)") && contents(dir, "c/\(name)") == contents(dir, "a/\(name)"))
        }
        // A model file (read by the same loader) too.
        #expect(try run(["fit", "a", "--out", "m.json"], in: dir).code == 0)
        try (bom + (contents(dir, "m.json") ?? Data())).write(to: URL(fileURLWithPath: "\(dir)/bom-model.json"))
        let model = try run(["gen", "--model", "bom-model.json", "--rows", "20", "--out", "d"], in: dir)
        #expect(model.code == 0, "\(model.stderr)")
    }

    @Test(arguments: [
        // YAML keys that are not names were dropped without a word.
        ("k.yaml", "? [a, b]\n: 1\nrows: 10\n",
         "k.yaml: line 1, column 3: expected a field name as the key, found a sequence (a spec's keys are names such as rows or generator)"),
        ("k2.yaml", "rows: 10\ngenerator:\n  ? {a: 1}\n  : 2\n",
         "k2.yaml: line 3, column 5: expected a field name as the key, found a mapping (a spec's keys are names such as rows or generator)"),
        // A key given twice: synthctl's words, not the parser's "Parser: … Context: …".
        ("d.yaml", "rows: 10\nseed: 1\nrows: 20\n",
         "d.yaml: expected each key once in a mapping, found \"rows\" more than once (first at line 1, column 1)"),
        ("c.yaml", "rows: 10\u{1}\n",
         "c.yaml: expected YAML text, found a character YAML does not allow at byte 8 (control characters are not allowed)"),
        // Valid JSON that no Double holds: with its line and column.
        ("big.json", "{\"rows\": 1e400}",
         "big.json: expected JSON, found a syntax error (line 1, column 10: expected a number within float64's range (magnitude at most 1.8e308), found 1e400)"),
        ("half.json", "{\"rows\": 10,\n \"x\": \"\\ud800\"}",
         "half.json: expected JSON, found a syntax error (line 2, column 8: expected a \\uDC00–\\uDFFF escape after \"\\ud800\", the first half of a UTF-16 surrogate pair, found the end of the string)"),
    ])
    func specParsingGapsAreOneLine(name: String, text: String, message: String) throws {
        let dir = tempDir()
        try text.write(toFile: "\(dir)/\(name)", atomically: false, encoding: .utf8)
        let r = try run(["gen", "--spec", name, "--out", "x"], in: dir)
        #expect(r.code == 2)
        #expect(r.stderr == "synthctl: error: \(message)\n")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/x"))
    }

    /// UTF-16 and gzip once got "found a NUL byte": the first bytes say
    /// what the file is and how to convert it, for every text input.
    @Test func textInputsThatAreNotUTF8SayWhatTheyAre() throws {
        let dir = tempDir()
        #expect(try run(["gen", "--rows", "100", "--format", "csv", "--out", "t.csv"], in: dir).code == 0)
        let made = try python("""
        import gzip, zipfile, os
        os.chdir('\(dir)')
        d = open('t.csv').read()
        open('t16.csv', 'wb').write(d.encode('utf-16'))          # FF FE, as Excel's "Unicode text" writes
        open('t16be.csv', 'wb').write(b'\\xfe\\xff' + d.encode('utf-16-be'))
        open('t16le.csv', 'wb').write(d.encode('utf-16-le'))    # no byte-order mark
        open('t32.csv', 'wb').write(d.encode('utf-32'))
        open('t.csv.gz', 'wb').write(gzip.compress(d.encode()))
        with zipfile.ZipFile('t.xlsx', 'w') as z: z.writestr('t.csv', d)
        open('spec.json.gz', 'wb').write(gzip.compress(b'{"rows": 10}'))
        open('a.csv', 'wb').write('item,worker,label\\n1,a,x\\n1,b,y\\n'.encode('utf-16'))
        print('ok')
        """)
        #expect(made.stdout == "ok\n", "\(made.stderr)")
        let utf16 = "UTF-16 text (little-endian, with a byte-order mark): convert it to UTF-8, e.g. with <(iconv -f UTF-16 -t UTF-8"
        let cases: [([String], String)] = [
            (["score", "--table", "t16.csv"], "t16.csv: expected UTF-8 text, found \(utf16) t16.csv)"),
            (["score", "--table", "t16be.csv"], "t16be.csv: expected UTF-8 text, found UTF-16 text (big-endian, with a byte-order mark): convert it to UTF-8, e.g. with <(iconv -f UTF-16 -t UTF-8 t16be.csv)"),
            (["score", "--table", "t16le.csv"], "t16le.csv: expected UTF-8 text, found UTF-16 text (little-endian, without a byte-order mark): convert it to UTF-8, e.g. with <(iconv -f UTF-16LE -t UTF-8 t16le.csv)"),
            (["score", "--table", "t32.csv"], "t32.csv: expected UTF-8 text, found UTF-32 text (little-endian, with a byte-order mark): convert it to UTF-8, e.g. with <(iconv -f UTF-32 -t UTF-8 t32.csv)"),
            (["score", "--table", "t.xlsx", "--input-format", "csv"], "t.xlsx: expected UTF-8 text, found a zip archive (an Excel .xlsx workbook is one): export the sheet as CSV, or extract the file, e.g. with <(unzip -p t.xlsx)"),
            (["score", "--answers", "a.csv"], "a.csv: expected UTF-8 text, found \(utf16) a.csv)"),
            (["compare", "--human", "t.csv", "--synthetic", "t16.csv"], "t16.csv: expected UTF-8 text, found \(utf16) t16.csv)"),
            (["gen", "--spec", "spec.json.gz", "--out", "x"], "spec.json.gz: expected UTF-8 text, found a gzip-compressed file: decompress it, e.g. with <(zcat spec.json.gz)"),
            (["gen", "--model", "t.csv.gz", "--out", "x"], "t.csv.gz: expected UTF-8 text, found a gzip-compressed file: decompress it, e.g. with <(zcat t.csv.gz)"),
        ]
        for (args, message) in cases {
            let r = try run(args, in: dir)
            #expect(r.code == 2, "\(args)")
            #expect(r.stderr == "synthctl: error: \(message)\n", "\(args)")
        }
        // Standard input: a gzip table is read as it comes.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["score", "--table", "-", "--folds", "2"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardInput = FileHandle(forReadingAtPath: "\(dir)/t.csv.gz")
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // A gzip table is decoded as it is read (a spec or model still is not: above).
        #expect(p.terminationStatus == 0, "\(message)")
        for args in [["score", "--table", "t.csv.gz", "--folds", "2"], ["score", "--table", "t.csv.gz", "--input-format", "csv", "--folds", "2"],
                     ["fit", "t.csv.gz", "--out", "m.json"]] {
            let r = try run(args, in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
        }
        // The way the message gives works: the same table through zcat scores.
        let zcat = try launch("/bin/bash", ["-c", "'\(Self.binary)' score --table <(zcat t.csv.gz) --folds 2"], in: dir)
        #expect(zcat.code == 0, "\(zcat.stderr)")
    }
}
