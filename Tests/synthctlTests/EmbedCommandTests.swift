import Testing
import Foundation

/// `synthctl embed` end to end: what NumPy loads, the forms of input, and
/// one line with exit code 2 for each refusal.
extension CommandLineTests {
    /// A JSON Lines file, its CSV and Parquet twins (written by pandas), and
    /// a text file of the same texts: all give the same .npy, which NumPy
    /// loads as texts × dimensions float32; a repeated text gives a
    /// repeated row, an empty text a row of zeros; standard output carries
    /// the same bytes; the summary names what was read and the settings.
    @Test func embedWritesTheSameArrayFromEveryFormOfInput() throws {
        let dir = tempDir()
        let made = try python("""
        import pandas as pd, os
        os.chdir('\(dir)')
        texts = ['The cat sat on the mat.', 'Ein Hund, ein Σίσυφος!', '', '中文 text, "quoted"', 'The cat sat on the mat.', 'tab\\there']
        df = pd.DataFrame({'id': range(len(texts)), 'text': texts})
        df.to_json('t.jsonl', orient='records', lines=True, force_ascii=False)
        df.to_csv('t.csv', index=False)
        df.to_parquet('t.parquet')
        open('t.txt', 'w', encoding='utf-8').write('\\n'.join(texts) + '\\n')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        let first = try run(["embed", "t.jsonl", "--out", "jsonl.npy", "--dimensions", "16"], in: dir)
        #expect(first.code == 0, "\(first.stderr)")
        #expect(first.stderr.hasPrefix("synthctl: embedded 6 texts (column \"text\" of t.jsonl) as 6 × 16 float32 in jsonl.npy; hashing: "))
        #expect(first.stderr.hasSuffix("hashing: word 1-grams, 1048576 buckets, signed, L2; projection: 8 nonzeros per bucket, seed 0\n"))
        for (input, out) in [("t.csv", "csv.npy"), ("t.parquet", "parquet.npy"), ("t.txt", "txt.npy")] {
            let r = try run(["embed", input, "--out", out, "--dimensions", "16", "--threads", "1"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let piped = try run(["embed", "t.jsonl", "--out", "-", "--dimensions", "16"], in: dir)
        #expect(piped.code == 0)
        let check = try python("""
        import numpy as np, hashlib, os
        os.chdir('\(dir)')
        a = np.load('jsonl.npy')
        assert a.shape == (6, 16) and a.dtype == np.float32, (a.shape, a.dtype)
        for other in ['csv.npy', 'parquet.npy', 'txt.npy']:
            assert open(other, 'rb').read() == open('jsonl.npy', 'rb').read(), other
        assert (a[0] == a[4]).all() and (a[2] == 0).all() and (a[0] != a[1]).any()
        assert np.isfinite(a).all() and abs(np.linalg.norm(a[0]) - 1) < 1
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        let raw = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/jsonl.npy"))
        #expect(Data(piped.stdout.utf8).count > 0)
        // Standard output carries the .npy bytes (read back through the file to compare bytes, not text).
        let viaShell = try launch("/bin/sh", ["-c", "'\(Self.binary)' embed t.jsonl --out - --dimensions 16 > piped.npy"], in: dir)
        #expect(viaShell.code == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/piped.npy")) == raw)
    }

    /// TF-IDF and character n-grams change the vectors, and each setting
    /// is stated in the summary; the seed changes the projection.
    @Test func embedSettingsReachTheVectors() throws {
        let dir = tempDir()
        try "alpha beta\nbeta gamma\ngamma delta alpha\n".write(toFile: "\(dir)/t.txt", atomically: true, encoding: .utf8)
        var outputs = [Data]()
        for (name, args) in [("plain", [String]()), ("tfidf", ["--tfidf"]), ("char", ["--analyzer", "char_wb", "--ngram-range", "2,4"]),
                             ("seed", ["--seed", "5"]), ("unsigned", ["--no-alternate-sign", "--no-normalize", "--features", "64"])] {
            let r = try run(["embed", "t.txt", "--out", "\(name).npy", "--dimensions", "8"] + args, in: dir)
            #expect(r.code == 0, "\(r.stderr)")
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(name).npy")))
            switch name {
            case "tfidf": #expect(r.stderr.contains("signed, TF-IDF;"))
            case "char": #expect(r.stderr.contains("hashing: char_wb 2–4-grams"))
            case "seed": #expect(r.stderr.contains("seed 5"))
            case "unsigned": #expect(r.stderr.contains("hashing: word 1-grams, 64 buckets; projection"))
            default: #expect(r.stderr.contains("(lines of t.txt)"))
            }
        }
        #expect(Set(outputs).count == outputs.count)
    }

    /// Each refusal is one line naming the file, row or option, what was
    /// expected and what was found, with exit code 2; nothing is written.
    @Test func embedRefusesBadInputInOneLine() throws {
        let dir = tempDir()
        try #"{"text": "a"}"#.appending("\n").appending(#"{"text": null}"#).appending("\n")
            .write(toFile: "\(dir)/null.jsonl", atomically: true, encoding: .utf8)
        try #"{"text": "a"}"#.appending("\n").appending(#"{"text": 12}"#).appending("\n")
            .write(toFile: "\(dir)/number.jsonl", atomically: true, encoding: .utf8)
        try "body,label\nhello,1\n".write(toFile: "\(dir)/t.csv", atomically: true, encoding: .utf8)
        try Data([0x61, 0x0A, 0x62, 0xFF, 0x63, 0x0A]).write(to: URL(fileURLWithPath: "\(dir)/bad.txt"))
        try "x\n".write(toFile: "\(dir)/taken.npy", atomically: true, encoding: .utf8)
        try "".write(toFile: "\(dir)/empty.txt", atomically: true, encoding: .utf8)
        try Data([0xFF, 0xFE, 0x68, 0x00, 0x0A, 0x00]).write(to: URL(fileURLWithPath: "\(dir)/u16.txt"))
        try Data([0x61, 0x00, 0x62, 0x0A]).write(to: URL(fileURLWithPath: "\(dir)/nul.txt"))
        try #"{"text": "a"}"#.appending("\n").appending(#"{"text": ["a", "b"]}"#).appending("\n")
            .write(toFile: "\(dir)/array.jsonl", atomically: true, encoding: .utf8)
        try #"{"text": true}"#.appending("\n").write(toFile: "\(dir)/boolean.jsonl", atomically: true, encoding: .utf8)
        try #"{"id": 1}"#.appending("\n").appending(#"{"id": 2, "text": "x"}"#).appending("\n")
            .write(toFile: "\(dir)/absent.jsonl", atomically: true, encoding: .utf8)
        try "text,label\n".write(toFile: "\(dir)/header.csv", atomically: true, encoding: .utf8)
        // Columns a .parquet output cannot carry (a .npy output reads only the texts).
        try #"{"text": "a", "x": 1}"#.appending("\n").appending(#"{"text": "b", "x": "one"}"#).appending("\n")
            .write(toFile: "\(dir)/mixed.jsonl", atomically: true, encoding: .utf8)
        try #"{"text": "a", "x": true}"#.appending("\n").appending(#"{"text": "b", "x": 2.5}"#).appending("\n")
            .write(toFile: "\(dir)/boolnum.jsonl", atomically: true, encoding: .utf8)
        try #"{"text": "a", "meta": {"k": 1}}"#.appending("\n").write(toFile: "\(dir)/nested.jsonl", atomically: true, encoding: .utf8)
        try #"{"text": "a", "v": [1, null]}"#.appending("\n").write(toFile: "\(dir)/nullelement.jsonl", atomically: true, encoding: .utf8)
        try "text,a,a\nx,1,2\n".write(toFile: "\(dir)/twice.csv", atomically: true, encoding: .utf8)
        // What the JSON Lines text column read on all cores leaves to the exact reader, which refuses it.
        try "{\"text\": \"a\", \"x\": 1}\n{\"text\": \"b\", \"x\": NaN}\n".write(toFile: "\(dir)/nan.jsonl", atomically: true, encoding: .utf8)
        try Data(Array("{\"te".utf8) + [0xFF] + Array("xt\":\"a\",\"text\":\"hello\"}\n".utf8)).write(to: URL(fileURLWithPath: "\(dir)/key.jsonl"))
        try "{\"text\":\"one\",\"caf\u{E9}\":1,\"cafe\u{301}\":2}\n".write(toFile: "\(dir)/keytwice.jsonl", atomically: true, encoding: .utf8)
        try "{\"text\":[1,2]}\n{\"text\":\"alpha beta\"}\n".write(toFile: "\(dir)/listfirst.jsonl", atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["null.jsonl", "--out", "o.npy"], "null.jsonl: line 2, column \"text\": expected a text (a string), found a missing value (null)"),
            (["number.jsonl", "--out", "o.npy"], "number.jsonl: line 2, column \"text\": expected a text (a string), found the number 12"),
            (["t.csv", "--out", "o.npy"], "t.csv: expected a column named \"text\" for the texts, found columns body, label (2 columns)"),
            (["bad.txt", "--out", "o.npy"], "bad.txt: line 2: expected UTF-8 text, found bytes that are not UTF-8 (0xFF at byte 2)"),
            (["t.csv", "--text-column", "body", "--out", "o.csv"], "--out: expected a .npy or .parquet name, or - (standard output), found \"o.csv\""),
            (["t.csv", "--text-column", "body", "--out", "o.npy", "--dimensions", "8", "--nonzeros", "9"], "--nonzeros: expected at most --dimensions (8), found 9"),
            (["t.csv", "--text-column", "body", "--out", "o.npy", "--ngram-range", "3,2"], "--ngram-range: expected N or MIN,MAX with 1 ≤ MIN ≤ MAX ≤ 64, found \"3,2\""),
            (["t.csv", "--text-column", "body", "--out", "o.npy", "--tfidf", "--no-normalize"], "--tfidf normalizes the weighted vectors: drop --no-normalize"),
            (["t.csv", "--text-column", "body", "--out", "o.npy", "--dimensions", "0"], "--dimensions: expected an integer in [1, 65536], found 0"),
            (["t.csv", "--text-column", "body", "--out", "o.npy", "--analyzer", "char"], "--analyzer: expected word or char_wb, found \"char\""),
            (["t.csv", "--lines", "--input-format", "csv", "--out", "o.npy"], "--lines and --input-format: give one (--lines reads one text per line, --input-format a table)"),
            (["t.csv", "--text-column", "body", "--out", "taken.npy"], "taken.npy: already exists (pass --force to replace it)"),
            (["missing.txt", "--out", "o.npy"], "missing.txt: no such file"),
            (["t.csv", "--text-column", "body", "--embedding-column", "body", "--out", "o.parquet"],
             "t.csv: column \"body\": expected no column of the name the embeddings are written to, found one (name the embeddings' column with --embedding-column NAME)"),
            (["empty.txt", "--out", "o.npy"], "empty.txt: expected at least one text, found no line"),
            (["u16.txt", "--out", "o.npy"], "u16.txt: expected UTF-8 text, found UTF-16 text (little-endian, with a byte-order mark): convert it to UTF-8, e.g. with <(iconv -f UTF-16 -t UTF-8 u16.txt)"),
            (["nul.txt", "--out", "o.npy"], "nul.txt: line 1: expected text, found a NUL byte"),
            (["array.jsonl", "--out", "o.npy"], "array.jsonl: line 2, column \"text\": expected a text (a string), found an array of 2"),
            (["nan.jsonl", "--out", "o.npy"],
             "nan.jsonl: line 2, column 20: expected a value (an object, array, string, number, true, false or null), found \"NaN\""),
            (["key.jsonl", "--out", "o.npy"], "key.jsonl: line 1: expected one JSON object per line, found {\"te\u{FFFD}xt\":\"a\",\"text\":\"hello\"}"),
            (["keytwice.jsonl", "--out", "o.npy"], "keytwice.jsonl: line 1: expected each key once, found \"caf\u{E9}\" twice"),
            (["listfirst.jsonl", "--out", "o.npy"], "listfirst.jsonl: line 1, column \"text\": expected a text (a string), found an array of 2"),
            (["boolean.jsonl", "--out", "o.npy"], "boolean.jsonl: line 1, column \"text\": expected a text (a string), found the boolean true"),
            (["absent.jsonl", "--out", "o.npy"], "absent.jsonl: line 1, column \"text\": expected a text (a string), found no key \"text\""),
            (["header.csv", "--out", "o.npy"], "header.csv: expected at least one text, found no row"),
            (["mixed.jsonl", "--out", "o.parquet"],
             "mixed.jsonl: line 2, column \"x\": expected a number, as at line 1 (a Parquet column holds one type), found a string, \"one\""),
            (["boolnum.jsonl", "--out", "o.parquet"],
             "boolnum.jsonl: line 2, column \"x\": expected a boolean, as at line 1 (a Parquet column holds one type), found a number, 2.5"),
            (["nested.jsonl", "--out", "o.parquet"],
             "nested.jsonl: line 1, column \"meta\": expected a string, number, boolean or null (what a Parquet output carries beside the embeddings), found an object; write a .npy, or leave the column out of the input"),
            (["nullelement.jsonl", "--out", "o.parquet"],
             "nullelement.jsonl: line 1, column \"v\": expected a list without null elements (a Parquet output carries lists of numbers), found a null element"),
            (["twice.csv", "--out", "o.parquet"],
             "twice.csv: column \"a\": expected columns of different names (a Parquet output carries every column), found two of this name"),
        ]
        for (args, line) in cases {
            let r = try run(["embed"] + args, in: dir)
            #expect(r.code == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("synthctl: error: " + line), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/o.npy"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/o.parquet"))
        // The same files embed into a .npy, which carries no other column.
        for name in ["mixed.jsonl", "boolnum.jsonl", "nested.jsonl", "nullelement.jsonl", "twice.csv"] {
            let r = try run(["embed", name, "--out", name + ".npy"], in: dir)
            #expect(r.code == 0, "\(name): \(r.stderr)")
        }
        // --embedding-column names a .parquet output's column: beside a .npy it takes no name from the input.
        let npy = try run(["embed", "t.csv", "--text-column", "body", "--embedding-column", "body", "--out", "named.npy"], in: dir)
        #expect(npy.code == 0, "\(npy.stderr)")
    }

    /// A .parquet output: from a Parquet input, every input column with
    /// its values (pyarrow reads them as it reads the input's) and then
    /// the embeddings as list<float>, the .npy's rows; from the CSV pandas
    /// wrote of it, the same columns with the same values; Polars reads
    /// both; a name taken by the input is refused.
    @Test func embedWritesAParquetTableBesideTheInputsColumns() throws {
        let dir = tempDir()
        let made = try python("""
        import pandas as pd, numpy as np, os
        os.chdir('\(dir)')
        n = 700
        df = pd.DataFrame({'id': np.arange(n, dtype=np.int64), 'text': [f'text {i} about item{i % 13} and more' for i in range(n)],
                           'score': [None if i % 9 == 0 else i / 7 for i in range(n)], 'flag': [i % 2 == 0 for i in range(n)],
                           'tag': [['x', 'y', 'z'][i % 3] for i in range(n)]})
        df.to_parquet('in.parquet', index=False); df.to_csv('in.csv', index=False)
        """)
        #expect(made.code == 0, "\(made.stderr)")
        for args in [["in.parquet", "--out", "p.parquet"], ["in.parquet", "--out", "p.npy"], ["in.csv", "--out", "c.parquet", "--embedding-column", "vec"]] {
            let r = try run(["embed"] + args + ["--dimensions", "12", "--tfidf"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let check = try python("""
        import pandas as pd, numpy as np, pyarrow.parquet as pq, polars as pl, os
        os.chdir('\(dir)')
        src = pq.read_table('in.parquet'); out = pq.read_table('p.parquet')
        assert out.column_names == src.column_names + ['embedding'], out.column_names
        for c in src.column_names:
            assert out.column(c).to_pylist() == src.column(c).to_pylist(), c
        e = np.load('p.npy')
        got = np.array(out.column('embedding').to_pylist(), dtype=np.float32)
        assert got.shape == (700, 12) and (got == e).all()
        c = pl.read_parquet('c.parquet')
        assert c.columns == src.column_names + ['vec'] and c['vec'].dtype == pl.List(pl.Float32), c.schema
        assert (np.array(c['vec'].to_list(), dtype=np.float32) == e).all()
        assert c['text'].to_list() == src.column('text').to_pylist()
        for name in src.column_names:
            assert c[name].to_list() == src.column(name).to_pylist(), name
        assert pl.read_parquet('p.parquet')['embedding'].dtype == pl.List(pl.Float32)
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        #expect(check.stdout == "ok\n")
    }

    /// A CSV, TSV or JSON Lines input's columns travel into a .parquet
    /// output typed as pandas reads them: for files written by pandas,
    /// Polars and DuckDB, every column holds what `pd.read_csv` or
    /// `pd.read_json(lines=True, precise_float=True)` reads (NaN as null;
    /// without precise_float pandas' parser misses the nearest double by
    /// an ulp, and synthctl reads the nearest), as int64, double,
    /// bool or string; a gap keeps an integer column int64; a JSON list of
    /// numbers is list<float>; a CSV integer beyond int64 is uint64, one
    /// beyond uint64 keeps its column text.
    @Test func embedCarriesATextTablesColumnsTypedAsPandasReadsThem() throws {
        let dir = tempDir()
        let made = try python("""
        import pandas as pd, numpy as np, polars as pl, duckdb, os
        os.chdir('\(dir)')
        n = 300
        df = pd.DataFrame({'id': np.arange(n, dtype=np.int64) - 150,
                           'text': [f'text {i}, about "item{i % 13}"' for i in range(n)],
                           'score': [None if i % 9 == 0 else i / 7 for i in range(n)],
                           'flag': [i % 3 == 0 for i in range(n)],
                           'tag': [None if i % 11 == 0 else ['x', 'NAb', ' y'][i % 3] for i in range(n)],
                           'count': pd.array([None if i % 5 == 0 else i * 1000 for i in range(n)], dtype='Int64'),
                           'nothing': [np.nan] * n})
        df.to_csv('pandas.csv', index=False)
        df.to_csv('pandas.tsv', index=False, sep='\\t')
        df.to_json('pandas.jsonl', orient='records', lines=True)
        p = pl.from_pandas(df.drop(columns=['nothing']))
        p.write_csv('polars.csv'); p.write_ndjson('polars.jsonl')
        duckdb.sql("COPY (SELECT * FROM p) TO 'duckdb.csv' (HEADER)")
        with open('lists.jsonl', 'w') as f:
            for i in range(n):
                f.write('{"text": "t%d", "vec": [%d.5, -1, 0.25]%s}\\n' % (i, i, ', "u": null' if i % 2 else ''))
        with open('wide.csv', 'w') as f:
            f.write('text,big,huge,inf\\na,12345678901234567890,99999999999999999999,inf\\nb,1,1,-Infinity\\nc,,,1.5\\n')
        """)
        #expect(made.code == 0, "\(made.stderr)")
        for name in ["pandas.csv", "pandas.tsv", "pandas.jsonl", "polars.csv", "polars.jsonl", "duckdb.csv", "lists.jsonl", "wide.csv"] {
            let r = try run(["embed", name, "--out", name + ".parquet", "--dimensions", "4"], in: dir)
            #expect(r.code == 0, "\(name): \(r.stderr)")
        }
        let check = try python("""
        import pandas as pd, numpy as np, pyarrow as pa, pyarrow.parquet as pq, polars as pl, math, os
        os.chdir('\(dir)')
        types = {'id': pa.int64(), 'text': pa.string(), 'score': pa.float64(), 'flag': pa.bool_(), 'tag': pa.string(),
                 'count': pa.int64(), 'nothing': pa.float64()}
        def plain(v):
            return None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v
        for name, read in [('pandas.csv', lambda f: pd.read_csv(f)), ('pandas.tsv', lambda f: pd.read_csv(f, sep='\\t')),
                           ('pandas.jsonl', lambda f: pd.read_json(f, lines=True, precise_float=True)), ('polars.csv', lambda f: pd.read_csv(f)),
                           ('polars.jsonl', lambda f: pd.read_json(f, lines=True, precise_float=True)), ('duckdb.csv', lambda f: pd.read_csv(f))]:
            want = read(name)
            got = pq.read_table(name + '.parquet')
            assert got.column_names == list(want.columns) + ['embedding'], (name, got.column_names)
            for c in want.columns:
                assert got.schema.field(c).type == types[c], (name, c, got.schema.field(c).type)
                g = [plain(v) for v in got.column(c).to_pylist()]
                w = [plain(v) for v in want[c].tolist()]
                assert g == w, (name, c, [(a, b) for a, b in zip(g, w) if a != b][:3])
            assert pl.read_parquet(name + '.parquet')['count'].dtype == pl.Int64
        lists = pq.read_table('lists.jsonl.parquet')
        assert lists.schema.field('vec').type == pa.list_(pa.float32()), lists.schema
        assert lists.column('vec').to_pylist()[7] == [7.5, -1.0, 0.25]
        assert lists.schema.field('u').type == pa.float64() and lists.column('u').null_count == 300
        wide = pq.read_table('wide.csv.parquet')
        assert wide.schema.field('big').type == pa.uint64() and wide.column('big').to_pylist() == [12345678901234567890, 1, None]
        assert wide.column('huge').to_pylist() == ['99999999999999999999', '1', None], wide.column('huge')
        assert wide.column('inf').to_pylist() == [math.inf, -math.inf, 1.5]
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        #expect(check.stdout == "ok\n")
    }

    /// A pipe (`<(…)`, bash's /dev/fd path) gives its bytes once: a table
    /// read from one embeds as from its file, into a .npy and into a
    /// .parquet carrying its columns (the input is not opened twice to
    /// look for Parquet's magic bytes).
    @Test func embedReadsATableFromAPipe() throws {
        let dir = tempDir()
        var csv = "id,text\n"
        for i in 0..<2_000 { csv += "\(i),text number \(i) of a pipe\n" }
        try csv.write(toFile: "\(dir)/t.csv", atomically: true, encoding: .utf8)
        let binary = Self.binary
        for out in ["file.npy", "file.parquet"] {
            let r = try run(["embed", "t.csv", "--out", out, "--dimensions", "8"], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        for out in ["pipe.npy", "pipe.parquet"] {
            let r = try launch("/bin/bash", ["-c", "'\(binary)' embed <(cat t.csv) --input-format csv --out \(out) --dimensions 8"], in: dir)
            #expect(r.code == 0, "\(out): \(r.stderr)")
        }
        let file = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/file.npy")), pipe = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/pipe.npy"))
        #expect(file == pipe)
        let filed = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/file.parquet")), piped = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/pipe.parquet"))
        #expect(filed == piped)
    }
}
