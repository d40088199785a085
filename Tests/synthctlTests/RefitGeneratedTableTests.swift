import Testing
import Foundation
import TestSupport

/// Issue 16: a table `gen --model` wrote can be fitted again (the
/// leak-free path refits on synthetic sets too), with integer-like class
/// names (a fitted model's `10`, `2`, `1`), an integer and a categorical
/// column, in every table format, and the refit keeps each row's class.
extension CommandLineTests {
    @Test(.enabled(if: pythonHasPandasAndPyarrow, "needs python3 with numpy, pandas and pyarrow"))
    func tablesGenWroteFromIntegerLikeClassNamesFitAgain() throws {
        let dir = tempDir()
        let made = try pythonIn(dir, """
        import numpy as np, pandas as pd
        rng = np.random.default_rng(3)
        y = rng.choice(['10', '2', '1'], size=240, p=[0.5, 0.3, 0.2])
        shift = np.array([{'10': 0, '2': 3, '1': 6}[v] for v in y])
        pd.DataFrame({'x0': (rng.normal(size=240) + shift).round(4), 'count': rng.integers(0, 9, size=240),
                      'region': rng.choice(['north', 'south', 'east'], size=240), 'label': y}).to_csv('h.csv', index=False)
        """)
        #expect(made.code == 0, "\(made.stderr)")
        for model in ["gaussian", "copula"] {
            let fit = try run(["fit", "h.csv", "--model", model, "--out", "\(model).json"], in: dir)
            #expect(fit.code == 0, "\(fit.stderr)")
            for out in ["\(model).csv", "\(model).jsonl", "\(model).parquet"] {
                let gen = try run(["gen", "--model", "\(model).json", "--rows", "300", "--out", out], in: dir)
                #expect(gen.code == 0, "\(out): \(gen.stderr)")
                let refit = try run(["fit", out, "--model", model, "--out", "\(out).refit.json"], in: dir)
                #expect(refit.code == 0, "\(out): \(refit.stderr)")
            }
        }
        // The refit's classes are the table's, with its rows per class.
        let check = try pythonIn(dir, """
        import json, pandas as pd
        for model in ['gaussian', 'copula']:
            for out in [f'{model}.csv', f'{model}.jsonl', f'{model}.parquet']:
                t = pd.read_parquet(out) if out.endswith('parquet') else pd.read_json(out, lines=True, dtype=False) if out.endswith('jsonl') else pd.read_csv(out, dtype=str)
                counts = t['label'].astype(str).value_counts().to_dict()
                fitted = {c['name']: c['rows'] for c in json.load(open(out + '.refit.json'))['classes']}
                assert fitted == counts and sorted(fitted) == ['1', '10', '2'], (out, fitted, counts)
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stdout) \(check.stderr)")
    }
}
