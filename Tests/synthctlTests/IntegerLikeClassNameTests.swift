import Testing
import Foundation

/// Issue 15: class names that look like integers but are not the ids in
/// order (a fitted model's classes `10`, `2`, `1`: ids 0, 1, 2 are `1`,
/// `2`, `10`) are names in every table `gen` writes. A Parquet `label`
/// column holds them as text beside the footer's `synthctl.class_names`;
/// read as ids, `2` became the class `10` and `10` was refused.
extension CommandLineTests {
    @Test(.enabled(if: pythonHasPandasAndPyarrow, "needs python3 with numpy, pandas and pyarrow"))
    func integerLikeClassNamesAreNamesInEveryCommand() throws {
        let dir = tempDir()
        let made = try pythonIn(dir, """
        import numpy as np, pandas as pd
        rng = np.random.default_rng(0)
        y = rng.choice(['10', '2', '1'], size=300, p=[0.5, 0.3, 0.2])
        x = rng.normal(size=(300, 2)) + np.array([[{'10': 0, '2': 3, '1': 6}[v], 0] for v in y])
        pd.DataFrame({'x0': x[:, 0], 'x1': x[:, 1], 'label': y}).to_csv('h.csv', index=False)
        """)
        #expect(made.code == 0, "\(made.stderr)")
        #expect(try run(["fit", "h.csv", "--out", "m.json"], in: dir).code == 0)
        for out in ["t.csv", "t.jsonl", "t.parquet"] {
            let gen = try run(["gen", "--model", "m.json", "--rows", "600", "--out", out], in: dir)
            #expect(gen.code == 0, "\(out): \(gen.stderr)")
            let score = try run(["score", "--table", out, "--rows-out", "\(out).rows.csv", "--json", "\(out).json"], in: dir)
            #expect(score.code == 0, "\(out): \(score.stderr)")
            let compare = try run(["compare", "--human", "h.csv", "--synthetic", out, "--json", "\(out).compare.json"], in: dir)
            #expect(compare.code == 0 || compare.code == 1, "\(out): \(compare.stderr)")
        }
        // Every row's class is the one gen wrote: the given label of score's rows, and each class's mean x0 as in h.csv.
        let check = try pythonIn(dir, """
        import json, pandas as pd
        for out in ['t.csv', 't.jsonl', 't.parquet']:
            t = pd.read_parquet(out) if out.endswith('parquet') else pd.read_json(out, lines=True, dtype=False) if out.endswith('jsonl') else pd.read_csv(out, dtype=str)
            rows = pd.read_csv(out + '.rows.csv', dtype=str)
            assert (rows['given_label'].values == t['label'].astype(str).values).all(), out
            means = t.assign(x0=t['x0'].astype(float)).groupby(t['label'].astype(str))['x0'].mean()
            assert abs(means['10']) < 0.5 and abs(means['2'] - 3) < 0.5 and abs(means['1'] - 6) < 0.5, (out, means)
            classes = json.load(open(out + '.json'))['label_issues']['input']['classes']
            assert sorted(classes) == ['1', '10', '2'], (out, classes)
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stdout) \(check.stderr)")
    }
}
