import Testing
import Foundation

/// Careless input in tables, arrays and answers, end to end: values float32
/// cannot hold, missing values (refused, or dropped and counted), several
/// spellings of one label, and structural junk. Each gets one line naming the
/// file, the row and the column, and exit code 2 — or, where the input is
/// valid, the answer the clean input gives.
extension CommandLineTests {
    /// Runs `synthctl` expecting bad input: exit 2 and one line holding `message`.
    func expectRefused(_ args: [String], in dir: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try run(args, in: dir)
        #expect(r.code == 2, "\(args): exit \(r.code) \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix("synthctl: error: ") && r.stderr.contains(message), "\(args): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)", sourceLocation: sourceLocation)
    }

    /// Runs a Python script in `dir` that writes test inputs.
    func makeInputs(_ dir: String, _ script: String) throws {
        let made = try python("import os; os.chdir('\(dir)')\n" + script + "\nprint('ok')")
        #expect(made.code == 0 && made.stdout == "ok\n", "\(made.stderr)")
    }

    @Test func valuesFloat32CannotHoldAreRefusedInEveryReader() throws {
        let dir = tempDir()
        try makeInputs(dir, """
        import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
        open('big.csv', 'w').write('a,b,label\\n1,2,x\\n1e39,3,y\\n')
        open('inf.csv', 'w').write('a,b,label\\n1,-inf,x\\n')
        open('big.jsonl', 'w').write('{"a": 1, "b": 2, "label": "x"}\\n{"a": 1e39, "b": 2, "label": "y"}\\n')
        open('inf.jsonl', 'w').write('{"a": "Infinity", "b": 2, "label": "x"}\\n')
        pd.DataFrame({'a': [1.0, 1e300], 'b': [1, 2], 'label': ['x', 'y']}).to_parquet('big.parquet')
        pq.write_table(pa.table({'a': pa.array([1.0, np.inf], pa.float32()), 'label': ['x', 'y']}), 'inf.parquet')
        x = np.zeros((10, 3)); x[3, 1] = 1e300; np.save('x64.npy', x)
        x = np.zeros((10, 3), dtype=np.float32); x[0, 2] = -np.inf; np.save('xinf.npy', x)
        np.save('y.npy', np.arange(10) % 2)
        p = np.full((10, 2), 0.5); p[2, 0] = np.nan; np.save('pnan.npy', p)
        p = np.full((10, 2), 0.5); p[4, 1] = np.inf; np.save('pinf.npy', p)
        """)
        let range = "expected a number within float32's range (magnitude at most 3.4028235e+38)"
        let cases: [([String], String)] = [
            (["score", "--table", "big.csv"], "big.csv: line 3, column \"a\": \(range), found \"1e39\""),
            (["fit", "big.csv", "--out", "m.json"], "big.csv: line 3, column \"a\": \(range), found \"1e39\""),
            (["score", "--table", "inf.csv"], "inf.csv: line 2, column \"b\": expected a finite number, found \"-inf\""),
            (["score", "--table", "big.jsonl"], "big.jsonl: line 2, column \"a\": \(range), found 1e+39"),
            (["score", "--table", "inf.jsonl"], "inf.jsonl: line 1, column \"a\": expected a finite number, found \"Infinity\""),
            (["score", "--table", "big.parquet"], "big.parquet: row 1, column \"a\": \(range), found 1e+300"),
            (["score", "--table", "inf.parquet"], "inf.parquet: row 1, column \"a\": expected a finite number, found inf"),
            (["score", "--labels", "y.npy", "--features", "x64.npy"], "x64.npy: row 3, column 1: \(range), found 1e+300"),
            (["score", "--labels", "y.npy", "--features", "xinf.npy"], "xinf.npy: row 0, column 2: expected a finite number, found -inf"),
            (["score", "--labels", "y.npy", "--pred-probs", "pnan.npy"], "pnan.npy: row 2, column 0: expected a probability in [0, 1], found nan"),
            (["score", "--labels", "y.npy", "--pred-probs", "pinf.npy"], "pinf.npy: row 4, column 1: expected a probability in [0, 1], found inf"),
            (["compare", "--human", "big.csv", "--synthetic", "inf.csv"], "big.csv: line 3, column \"a\": \(range), found \"1e39\""),
        ]
        for (args, message) in cases { try expectRefused(args, in: dir, message) }
    }

    @Test func missingValuesAreRefusedNamingRowAndColumn() throws {
        let dir = tempDir()
        let spellings = ["NA", "N/A", "nan", "NaN", "null", "None", "", " ", "#N/A", "<NA>"]
        try makeInputs(dir, """
        import numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
        spellings = [\(spellings.map { "'\($0)'" }.joined(separator: ", "))]
        for i, s in enumerate(spellings):
            open(f'label{i}.csv', 'w').write(f'a,b,label\\n1,2,x\\n3,4,{s}\\n')
            open(f'feature{i}.csv', 'w').write(f'a,b,label\\n1,{s},x\\n')
        open('null.jsonl', 'w').write('{"a": 1, "label": "x"}\\n{"a": 2, "label": null}\\n')
        open('nullx.jsonl', 'w').write('{"a": null, "label": "x"}\\n')
        pd.DataFrame({'a': [1.0, 2.0], 'label': ['x', None]}).to_parquet('null.parquet')
        pq.write_table(pa.table({'a': pa.array([1.0, 2.0, float('nan')], from_pandas=False), 'label': ['x', 'y', 'x']}), 'nan.parquet')
        nl = chr(10)
        open('a.csv', 'w').write('item,worker,label' + nl + '1,u,x' + nl + '1,v,NA' + nl)
        open('ok.csv', 'w').write('item,worker,label' + nl + '1,u,x' + nl + '1,v,y' + nl)
        open('g.csv', 'w').write('item,truth' + nl + '1,null' + nl)
        x = np.zeros((4, 2), dtype=np.float32); x[2, 1] = np.nan; np.save('xnan.npy', x)
        np.save('y.npy', np.array([0, 1, 0, 1]))
        """)
        for (i, s) in spellings.enumerated() {
            let found = s.isEmpty ? "an empty field" : s == " " ? "a blank field" : "\"\(s)\""
            try expectRefused(["score", "--table", "label\(i).csv"], in: dir,
                              "label\(i).csv: line 3, column \"label\": expected a label, found a missing value (\(found)); --drop-missing drops such rows")
            try expectRefused(["fit", "feature\(i).csv", "--out", "m.json"], in: dir,
                              "feature\(i).csv: line 2, column \"b\": expected a number, found a missing value (\(found)); --drop-missing drops such rows")
        }
        let cases: [([String], String)] = [
            (["score", "--table", "null.jsonl"], "null.jsonl: line 2, column \"label\": expected a label, found a missing value (null)"),
            (["score", "--table", "nullx.jsonl"], "nullx.jsonl: line 1, column \"a\": expected a number, found a missing value (null)"),
            (["score", "--table", "null.parquet"], "null.parquet: row 1, column \"label\": expected a label, found a missing value (null)"),
            (["score", "--table", "nan.parquet"], "nan.parquet: row 2, column \"a\": expected a number, found a missing value (nan)"),
            (["score", "--answers", "a.csv"], "a.csv: line 3, column \"label\": expected a label, found a missing value (\"NA\"); --drop-missing drops such rows"),
            (["score", "--answers", "ok.csv", "--gold", "g.csv"], "g.csv: line 2, column \"truth\": expected a gold label, found a missing value (\"null\")"),
            (["score", "--labels", "y.npy", "--features", "xnan.npy"], "xnan.npy: row 2, column 1: expected a finite number, found nan (a missing value); --drop-missing drops such rows"),
        ]
        for (args, message) in cases { try expectRefused(args, in: dir, message) }
    }

    /// Rows with missing values inserted into a clean table: with
    /// --drop-missing every command gives the clean table's answer, and says
    /// how many rows it dropped, in the summary and in the JSON report.
    @Test func dropMissingGivesTheCleanAnswerAndCountsTheRows() throws {
        let dir = tempDir()
        try makeInputs(dir, """
        import numpy as np, pandas as pd
        rng = np.random.default_rng(3)
        n = 150
        y = rng.integers(0, 3, n)
        x = rng.normal(size=(n, 3)) + y[:, None] * 1.5
        clean = pd.DataFrame({'a': x[:, 0], 'b': x[:, 1], 'c': x[:, 2], 'label': np.array(['p', 'q', 'r'])[y]})
        clean.to_csv('clean.csv', index=False)
        text = open('clean.csv').read().splitlines()
        junk = ['1,2,3,NA', '1,,3,q', 'nan,2,3,p', '1,2,None,r', ',,,']
        # junk rows land after clean rows 10, 40, 70, 100, 130: file rows 11, 42, 73, 104, 135
        rows = text[1:]
        dirty = [text[0]]
        for i, line in enumerate(rows):
            dirty.append(line)
            if i % 30 == 10: dirty.append(junk[i // 30])
        open('dirty.csv', 'w').write('\\n'.join(dirty) + '\\n')
        p = np.abs(rng.normal(size=(n, 3))) + np.eye(3)[y] * 1.2
        p[rng.choice(n, 15, replace=False)] = np.roll(p[:15], 1, axis=1)
        p /= p.sum(axis=1, keepdims=True)
        np.save('pclean.npy', p)
        inserted = [11 + 31 * k for k in range(5)]
        keep = [r for r in range(n + 5) if r not in inserted]
        pd_ = np.full((n + 5, 3), 1 / 3); pd_[keep] = p
        np.save('pdirty.npy', pd_)
        # answers and gold with missing labels
        nl = chr(10)
        answers = ['item,worker,label'] + [f'{t},{w},{"xyz"[(t + (w == 2 and t % 4 == 0)) % 3]}' for t in range(30) for w in range(3)]
        open('aclean.csv', 'w').write(nl.join(answers) + nl)
        open('adirty.csv', 'w').write(nl.join(answers[:5] + ['3,7,NA', '4,7,'] + answers[5:] + ['9,8,nan']) + nl)
        gold = ['item,truth'] + [f'{t},{"xyz"[t % 3]}' for t in range(0, 30, 2)]
        open('gclean.csv', 'w').write(nl.join(gold) + nl)
        open('gdirty.csv', 'w').write(nl.join(gold + ['1,N/A']) + nl)
        """)
        // fit: the same model as from the clean rows.
        let fit = try run(["fit", "dirty.csv", "--drop-missing", "--out", "m1.json", "--json", "f1.json"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
        #expect(fit.stdout.hasPrefix("note: dirty.csv: 5 of 155 rows dropped for a missing value (--drop-missing)\nfitted a class-conditional Gaussian to 150 rows"))
        #expect(try run(["fit", "clean.csv", "--out", "m2.json"], in: dir).code == 0)
        // score with --pred-probs: each kept row keeps its own probabilities; flagged rows are named by their file row.
        let score = try run(["score", "--table", "dirty.csv", "--drop-missing", "--pred-probs", "pdirty.npy", "--issues", "i1.csv", "--json", "s1.json"], in: dir)
        #expect(score.code == 0, "\(score.stderr)")
        #expect(score.stdout.hasPrefix("note: dirty.csv: 5 of 155 rows dropped for a missing value (--drop-missing)\n"
            + "note: dirty.csv: the 3 columns of pdirty.npy are the labels in byte order (p, q, r), as cleanlab takes them; --label-order to give another\n"
            + "labels: 150 rows, 3 classes"))
        #expect(try run(["score", "--table", "clean.csv", "--pred-probs", "pclean.npy", "--issues", "i2.csv", "--json", "s2.json"], in: dir).code == 0)
        // compare, limits and collapse count per input.
        let compare = try run(["compare", "--human", "dirty.csv", "--synthetic", "clean.csv", "--drop-missing", "--no-baselines", "--json", "c1.json"], in: dir)
        #expect(compare.code == 0, "\(compare.stderr)")
        #expect(compare.stdout.hasPrefix("note: dirty.csv: 5 of 155 rows dropped for a missing value (--drop-missing)\nnote: clean.csv: 0 of 150 rows dropped"))
        #expect(try run(["compare", "--human", "clean.csv", "--synthetic", "clean.csv", "--no-baselines", "--json", "c2.json"], in: dir).code == 0)
        let limits = try run(["limits", "--human", "dirty.csv", "--synthetic", "clean.csv", "--drop-missing", "--points", "3", "--seeds", "1", "--json", "l.json"], in: dir)
        #expect(limits.code == 0, "\(limits.stderr)")
        #expect(limits.stdout.hasPrefix("note: dirty.csv: 5 of 155 rows dropped for a missing value (--drop-missing)\nnote: clean.csv: 0 of 150"))
        let collapse = try run(["collapse", "--human", "dirty.csv", "--drop-missing", "--generations", "1", "--json", "k.json"], in: dir)
        #expect(collapse.code == 0, "\(collapse.stderr)")
        #expect(collapse.stdout.hasPrefix("note: dirty.csv: 5 of 155 rows dropped for a missing value (--drop-missing)\n"))
        // answers and gold
        let answers = try run(["score", "--answers", "adirty.csv", "--gold", "gdirty.csv", "--drop-missing", "--json", "a1.json"], in: dir)
        #expect(answers.code == 0, "\(answers.stderr)")
        #expect(answers.stdout.hasPrefix("note: adirty.csv: 3 of 93 answers dropped for a missing value (--drop-missing)\nnote: gdirty.csv: 1 of 16 gold rows dropped"))
        #expect(try run(["score", "--answers", "aclean.csv", "--gold", "gclean.csv", "--json", "a2.json"], in: dir).code == 0)
        let check = try python("""
        import json, pandas as pd
        d = '\(dir)/'
        def load(name, *strip):
            text = open(d + name).read()
            for s in strip: text = text.replace(s, 'SOURCE')
            return json.loads(text)
        def missing(schema):
            # The schema counts the file's missing cells: the dirty file's 5 rows hold them, the clean one none.
            return sum(c.pop('missing') for c in schema['columns'])
        m1, m2 = load('m1.json', 'dirty.csv', 'm1.safetensors'), load('m2.json', 'clean.csv', 'm2.safetensors')
        assert missing(m1['schema']) >= 5 and missing(m2['schema']) == 0
        assert m1 == m2 and open(d + 'm1.safetensors', 'rb').read() == open(d + 'm2.safetensors', 'rb').read()
        f1 = load('f1.json'); assert f1['dropped_rows'] == {'input': 5}, f1
        s1, s2 = load('s1.json', 'dirty.csv', 'pdirty.npy'), load('s2.json', 'clean.csv', 'pclean.npy')
        assert s1.pop('dropped_rows') == {'labels': 5} and 'dropped_rows' not in s2
        assert missing(s1['schemas']['labels']) >= 5 and missing(s2['schemas']['labels']) == 0
        assert s1 == s2
        inserted = [11 + 31 * k for k in range(5)]
        file_row = [r for r in range(155) if r not in inserted]
        i1, i2 = pd.read_csv(d + 'i1.csv'), pd.read_csv(d + 'i2.csv')
        assert len(i2) > 3 and list(i1['row']) == [file_row[r] for r in i2['row']], (list(i1['row']), list(i2['row']))
        assert (i1.drop(columns='row').values == i2.drop(columns='row').values).all()
        c1, c2 = load('c1.json', 'dirty.csv', 'clean.csv'), load('c2.json', 'clean.csv')
        assert c1.pop('dropped_rows') == {'human': 5, 'synthetic': 0}
        assert missing(c1['schemas']['human']) >= 5 and missing(c2['schemas']['human']) == 0
        assert missing(c1['schemas']['synthetic']) == missing(c2['schemas']['synthetic']) == 0
        assert c1 == c2
        assert load('l.json')['dropped_rows'] == {'human': 5, 'synthetic': 0}
        assert load('k.json')['dropped_rows'] == {'human': 5}
        a1, a2 = load('a1.json', 'adirty.csv', 'gdirty.csv'), load('a2.json', 'aclean.csv', 'gclean.csv')
        assert a1.pop('dropped_rows') == {'answers': 3, 'gold': 1}
        # The answers' and gold's schemas count the missing labels of the dirty files.
        assert missing(a1['schemas']['answers']) == 3 and missing(a2['schemas']['answers']) == 0
        assert missing(a1['schemas']['gold']) == 1 and missing(a2['schemas']['gold']) == 0
        assert a1 == a2
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    @Test func spellingsOfOneLabelAreOneClass() throws {
        let dir = tempDir()
        try makeInputs(dir, """
        import numpy as np
        nl = chr(10)
        spell = {0: ['0', '0.0', ' 0', '00', '-0'], 1: ['1', '1.0', ' 1', '01', '1e0', '+1 ']}
        rng = np.random.default_rng(0)
        y = np.arange(40) % 2
        rows = [f'{rng.normal() + 2 * t},{rng.normal()},{spell[t][i % len(spell[t])]}' for i, t in enumerate(y)]
        open('t.csv', 'w').write('a,b,label' + nl + nl.join(rows) + nl)
        open('u.csv', 'w').write('a,b,label' + nl + nl.join(r.rsplit(',', 1)[0] + ',' + str(t) for r, t in zip(rows, y)) + nl)
        p = np.full((40, 2), 0.1); p[np.arange(40), y] = 0.9; p[5] = p[5][::-1]; np.save('p.npy', p)
        np.save('sx.npy', rng.normal(size=(40, 2)).astype(np.float32) + 2 * y[:, None]); np.save('sy.npy', y)
        open('a.csv', 'w').write('item,worker,label' + nl + '1,u,1' + nl + '1,v,1.0' + nl + '2,u, 2' + nl + '2,v,2.00' + nl + '3,u,01' + nl + '3,v,2' + nl)
        open('g.csv', 'w').write('item,truth' + nl + '1,1e0' + nl + '2,+2' + nl)
        """)
        let t = try run(["score", "--table", "t.csv", "--pred-probs", "p.npy", "--json", "t.json"], in: dir)
        #expect(t.code == 0, "\(t.stderr)")
        #expect(t.stdout.hasPrefix("labels: 40 rows, 2 classes"), "\(t.stdout)")
        #expect(try run(["score", "--table", "u.csv", "--pred-probs", "p.npy", "--json", "u.json"], in: dir).code == 0)
        // A table's 1.0 meets a .npy's class 1.
        let c = try run(["compare", "--human", "t.csv", "--synthetic", "sx.npy", "--synthetic-labels", "sy.npy", "--no-baselines"], in: dir)
        #expect(c.code == 0, "\(c.stderr)")
        #expect(c.stdout.contains("2 features, 2 classes"), "\(c.stdout)")
        let a = try run(["score", "--answers", "a.csv", "--gold", "g.csv", "--json", "a.json"], in: dir)
        #expect(a.code == 0, "\(a.stderr)")
        #expect(a.stdout.hasPrefix("answers: 6 from 2 annotators on 3 items, 2 classes"), "\(a.stdout)")
        let check = try python("""
        import json
        d = '\(dir)/'
        t, u = (json.loads(open(d + f).read().replace(f.replace('json', 'csv'), 'X')) for f in ['t.json', 'u.json'])
        assert t['label_issues']['input']['classes'] == ['0', '1'] and t == u
        a = json.load(open(d + 'a.json'))['annotations']
        assert a['input']['classes'] == ['1', '2'] and a['input']['gold_items'] == 2, a['input']
        assert a['majority_vote']['accuracy'] == 1, a['majority_vote']
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }

    @Test func structuralJunkGetsOneLine() throws {
        let dir = tempDir()
        try makeInputs(dir, """
        import numpy as np, json, shutil
        nl = chr(10)
        np.save('x0.npy', np.zeros((300, 0), dtype=np.float32)); np.save('y300.npy', np.arange(300) % 2)
        open('nul.csv', 'wb').write(b'a,b,label\\n1,2\\x003,x\\n')
        open('nul.jsonl', 'wb').write(b'{"a": 1, "label": "x"}\\n{"a": 1\\x00, "label": "x"}\\n')
        open('nulesc.jsonl', 'w').write('{"a": "1\\\\u00002", "label": "x"}' + nl)
        json.dump({'rows': 10}, open('ok.json', 'w'))
        open('dup.json', 'w').write('{"rows": 100, "generator": {"type": "blobs", "centers": 3, "centers": 30}}')
        open('dup.yaml', 'w').write('rows: 100' + nl + 'rows: 200' + nl)
        open('twolabels_a.csv', 'w').write('item,label,worker,label' + nl + '1,x,u,y' + nl)
        open('dupkey.jsonl', 'w').write('{"a": 1, "label": "x"}' + nl + '{"a": 1, "label": "x", "a": 2}' + nl)
        open('obj.jsonl', 'w').write('{"a": 1, "label": {"choices": ["x"]}}' + nl)
        open('twolabels.csv', 'w').write('a,label,b,label' + nl + '1,x,2,y' + nl)
        open('dupfeat.csv', 'w').write('a,b,a,label' + nl + '1,2,3,x' + nl)
        open('t.csv', 'w').write('a,b,label' + nl + '1,2,x' + nl + '3,4,y' + nl)
        open('a.csv', 'w').write('item,worker,label' + nl + '1,u,x' + nl + '1,v,y' + nl + '2,u,x' + nl + '2,v,x' + nl)
        open('gnone.csv', 'w').write('item,truth' + nl)
        open('gother.csv', 'w').write('item,truth' + nl + '7,x' + nl + '8,y' + nl)
        for name, truth, ann in [('neg', [0, -2, 1], [[0, 1], [1, 1], [1, 0]]), ('nan', [0, np.nan, 1], [[0, 1], [1, 1], [1, 0]]),
                                 ('ann', [0, 1, 1], [[0, -2], [1, 1], [1, 0]])]:
            os.makedirs(name)
            np.save(name + '/annotations.npy', np.array(ann, dtype=np.int32))
            np.save(name + '/true_labels.npy', np.array(truth))
        rows = [f'{i % 7},{i % 5},{"xy"[i % 2]}' for i in range(40)]
        open('h.csv', 'w').write('a,b,label' + nl + nl.join(rows) + nl)
        open('renamed.csv', 'w').write('a,z,label' + nl + nl.join(rows) + nl)
        """)
        let cases: [([String], String)] = [
            (["score", "--labels", "y300.npy", "--features", "x0.npy"], "x0.npy: expected at least one row and one feature column, found shape [300, 0]"),
            // Text inputs are refused at their first block holding a NUL byte (InputFile), by line.
            (["score", "--table", "nul.csv"], "nul.csv: line 2: expected text, found a NUL byte"),
            (["score", "--table", "nul.jsonl"], "nul.jsonl: line 2: expected text, found a NUL byte"),
            (["score", "--table", "nulesc.jsonl"], "nulesc.jsonl: line 1, column \"a\": expected a number, found a NUL byte in \"1\\02\""),
            (["gen", "--spec", "dup.json", "--out", "d"], "dup.json: generator: expected each key once in an object, found \"centers\" twice"),
            (["gen", "--spec", "dup.yaml", "--out", "d"], "dup.yaml: expected each key once in a mapping, found \"rows\" more than once (first at line 1, column 1)"),
            (["score", "--answers", "twolabels_a.csv"], "twolabels_a.csv: line 1: expected one column named \"label\" for the labels, found 2: columns 2 and 4"),
            (["score", "--table", "dupkey.jsonl"], "dupkey.jsonl: line 2: expected each key once, found \"a\" twice"),
            (["score", "--table", "obj.jsonl"], "obj.jsonl: line 1, column \"label\": expected a label (a string or a number), found an object"),
            (["score", "--table", "twolabels.csv"], "twolabels.csv: expected one column named \"label\" (the label column), found 2: columns 2 and 4"),
            (["fit", "dupfeat.csv", "--out", "m.json"], "dupfeat.csv: expected one column named \"a\" (the feature column), found 2: columns 1 and 3"),
            (["score", "--table", "t.csv", "--feature-columns", "a,label"], "t.csv: expected feature columns other than the label column, found \"label\" among the feature columns"),
            (["fit", "t.csv", "--feature-columns", "a,a", "--out", "m.json"], "t.csv: expected each feature column once, found \"a\" twice among the feature columns"),
            (["compare", "--human", "t.csv", "--synthetic", "t.csv", "--feature-columns", "a,c"], "t.csv: expected a feature column \"c\", found columns a, b, label (3 columns)"),
            (["score", "--answers", "a.csv", "--gold", "gnone.csv"], "gnone.csv: expected at least one gold label, found only the header"),
            (["score", "--answers", "a.csv", "--gold", "gother.csv"], "gother.csv: expected gold labels for items that have answers in a.csv, found none of its 2 items there"),
            (["score", "neg"], "neg/true_labels.npy: row 1: expected a class id (an integer ≥ 0), found -2"),
            (["score", "nan"], "nan/true_labels.npy: row 1: expected a class id, found nan (a missing value); --drop-missing drops such rows"),
            (["score", "ann"], "ann/annotations.npy: row 0, column 1: expected a class id or −1, found -2"),
            (["score", "--answers", "a.csv", "--alpha-level", "interval"], "a.csv: expected numbers for interval α, found the label \"x\""),
            (["compare", "--human", "h.csv", "--synthetic", "renamed.csv"], "renamed.csv: expected the feature columns of h.csv (2), found 2 columns; no column \"b\"; not in h.csv: \"z\""),
        ]
        for (args, message) in cases { try expectRefused(args, in: dir, message) }
    }

    /// A byte-order mark, CR-only (old Mac) and CRLF line ends read as the
    /// plain file does: same columns, same rows, same flagged items.
    @Test func byteOrderMarksAndOldLineEndsReadLikeThePlainFile() throws {
        let dir = tempDir()
        try makeInputs(dir, """
        import numpy as np
        rng = np.random.default_rng(1)
        y = np.arange(60) % 3
        x = rng.normal(size=(60, 2)) + y[:, None]
        lines = ['a,b,label'] + [f'{u:.6f},{v:.6f},"c{t}"' for (u, v), t in zip(x, y)]
        open('lf.csv', 'w', newline='').write('\\n'.join(lines) + '\\n')
        open('cr.csv', 'w', newline='').write('\\ufeff' + '\\r'.join(lines) + '\\r')
        open('crlf.csv', 'w', newline='').write('\\r\\n'.join(lines) + '\\r\\n')
        import json
        rows = [json.dumps({'a': float(f'{u:.6f}'), 'b': float(f'{v:.6f}'), 'label': f'c{t}'}) for (u, v), t in zip(x, y)]
        open('bom.jsonl', 'w', newline='').write('\\ufeff' + '\\r\\n'.join(rows) + '\\r\\n')
        """)
        var outputs = [String]()
        for file in ["lf.csv", "cr.csv", "crlf.csv", "bom.jsonl"] {
            let r = try run(["score", "--table", file, "--feature-columns", "a,b", "--folds", "3", "--issues", "\(file).issues"], in: dir)
            #expect(r.code == 0, "\(file): \(r.stderr)")
            #expect(r.stdout.hasPrefix("labels: 60 rows, 3 classes"), "\(file): \(r.stdout)")
            outputs.append(try String(contentsOfFile: "\(dir)/\(file).issues", encoding: .utf8))
        }
        #expect(outputs.allSatisfy { $0 == outputs[0] })
    }

    /// pandas' index (to_csv and to_parquet without index=False) is no
    /// feature: left out with a note, unless named in --feature-columns.
    @Test func pandasIndexIsLeftOutWithANote() throws {
        let dir = tempDir()
        try makeInputs(dir, """
        import numpy as np, pandas as pd
        rng = np.random.default_rng(2)
        y = np.arange(90) % 3
        df = pd.DataFrame({'a': rng.normal(size=90) + y, 'b': rng.normal(size=90), 'label': y})
        df.to_csv('plain.csv', index=False)
        df.to_csv('index.csv')
        pd.read_csv('index.csv').to_csv('unnamed.csv', index=False)
        # Read with its index and saved again: two index columns, which
        # pandas reads as 'Unnamed: 0.1' (the new) and 'Unnamed: 0' (the old).
        pd.read_csv('index.csv').to_csv('twice.csv')
        assert list(pd.read_csv('twice.csv').columns[:2]) == ['Unnamed: 0.1', 'Unnamed: 0']
        # A RangeIndex goes to the schema's metadata; any other index is a column.
        df.set_index(pd.Index(rng.permutation(90) * 3)).to_parquet('index.parquet')
        import pyarrow.parquet as pq
        assert pq.read_table('index.parquet').column_names == ['a', 'b', 'label', '__index_level_0__']
        df.to_parquet('plain.parquet', index=False)
        """)
        func issues(_ args: [String], note: String?) throws -> String {
            let r = try run(["score"] + args + ["--folds", "3", "--issues", "i.csv", "--json", "r.json", "--force"], in: dir)
            #expect(r.code == 0, "\(args): \(r.stderr)")
            if let note { #expect(r.stdout.hasPrefix("note: \(note)\nlabels: 90 rows"), "\(args): \(r.stdout)") }
            else { #expect(r.stdout.hasPrefix("labels: 90 rows"), "\(args): \(r.stdout)") }
            return try String(contentsOfFile: "\(dir)/i.csv", encoding: .utf8)
        }
        let tail = "left out of the features (pandas' index; name it in --feature-columns to use it)"
        let plain = try issues(["--table", "plain.csv"], note: nil)
        #expect(try issues(["--table", "index.csv"], note: "index.csv: column \"Unnamed: 0\" \(tail)") == plain)
        #expect(try issues(["--table", "unnamed.csv"], note: "unnamed.csv: column \"Unnamed: 0\" \(tail)") == plain)
        let check = try python("""
        import json; r = json.load(open('\(dir)/r.json'))
        assert r['excluded_columns'] == {'labels': ['Unnamed: 0']} and r['label_issues']['input']['features'] == 2, r['excluded_columns']
        print('ok')
        """)
        #expect(check.code == 0, "\(check.stderr)")
        #expect(try issues(["--table", "twice.csv"], note: "twice.csv: column \"Unnamed: 0.1\" \(tail)\nnote: twice.csv: column \"Unnamed: 0\" \(tail)") == plain)
        let parquet = try issues(["--table", "plain.parquet"], note: nil)
        #expect(try issues(["--table", "index.parquet"], note: "index.parquet: column \"__index_level_0__\" \(tail)") == parquet)
        // Named, the index is a feature like any other.
        _ = try issues(["--table", "unnamed.csv", "--feature-columns", "Unnamed: 0", "--feature-columns", "a,b"], note: nil)
        let named = try python("import json; print(json.load(open('\(dir)/r.json'))['label_issues']['input']['features'])")
        #expect(named.stdout == "3\n")
    }

    /// Named columns in another order are the same columns: compare takes
    /// them by name and gives the report of the same order.
    @Test func compareMatchesNamedColumnsByName() throws {
        let dir = tempDir()
        try makeInputs(dir, """
        import numpy as np, pandas as pd
        rng = np.random.default_rng(4)
        y = np.arange(120) % 2
        h = pd.DataFrame({'a': rng.normal(size=120) + y, 'b': rng.normal(size=120), 'c': rng.exponential(size=120), 'label': y})
        s = pd.DataFrame({'a': rng.normal(size=120) + y, 'b': rng.normal(size=120) * 1.2, 'c': rng.exponential(size=120), 'label': y})
        h.to_csv('h.csv', index=False); s.to_csv('s.csv', index=False)
        s[['c', 'label', 'a', 'b']].to_csv('s_perm.csv', index=False)
        """)
        for s in ["s.csv", "s_perm.csv"] {
            let r = try run(["compare", "--human", "h.csv", "--synthetic", s, "--no-baselines", "--json", "\(s).json"], in: dir)
            #expect(r.code == 0, "\(s): \(r.stderr)")
        }
        let check = try python("""
        import json
        d = '\(dir)/'
        a = json.loads(open(d + 's.csv.json').read())
        b = json.loads(open(d + 's_perm.csv.json').read().replace('s_perm.csv', 's.csv'))
        # Each schema lists its file's columns in the file's order; the same columns, the same types.
        order = [c['name'] for c in b['schemas']['synthetic']['columns']]
        assert order == ['c', 'label', 'a', 'b'], order
        b['schemas']['synthetic']['columns'].sort(key=lambda c: ['a', 'b', 'c', 'label'].index(c['name']))
        assert a == b
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }
}
