import Testing
import Foundation

/// Issue 15 (a fresh tester's finding): an integer column beyond 2³¹ stays
/// integer in a fitted model (tables write INT64, which holds it exactly),
/// so that `gen` writes integers inside the human [min, max] rather than
/// float32 doubles from the copula's tails (979,174,144 below every human
/// value ≥ 10⁹); `fit` says that float32 rounds such values to its steps.
extension CommandLineTests {
    @Test(.enabled(if: pythonHasPandasAndPyarrow, "needs python3 with numpy, pandas and pyarrow"), arguments: ["copula", "gaussian"])
    func integerColumnsBeyondInt32StayIntegers(model: String) throws {
        let dir = tempDir()
        let make = try launch("/usr/bin/env", ["python3", "-c", """
        import numpy as np, pandas as pd
        r = np.random.default_rng(15); y = r.integers(0, 2, 300)
        pd.DataFrame({'big': r.integers(1_000_000_000, 3_000_000_000, 300), 'small': r.integers(0, 50, 300),
                      'x': r.normal(size=300) + y, 'label': np.array(['a', 'b'])[y]}).to_csv('ints.csv', index=False)
        """], in: dir)
        #expect(make.code == 0, "\(make.stderr)")
        let fit = try run(["fit", "ints.csv", "--model", model, "--out", "m.json", "--json", "fit.json"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
        let note = "column \"big\" holds values beyond 2^24 (up to "
        #expect(fit.stdout.split(separator: "\n").filter { $0.contains(note) }.count == 1, "\(fit.stdout)")
        #expect(fit.stdout.contains("holds integers only in steps of 256 at the largest: its values are read and sampled rounded to those steps"), "\(fit.stdout)")
        #expect(!fit.stdout.contains("column \"small\" holds") && !fit.stdout.contains("column \"x\" holds"))
        let report = try jsonReport("\(dir)/fit.json")
        #expect(((report["input_notes"] as? [String: Any])?["input"] as? [String])?.contains { $0.hasPrefix(note) } == true, "\(report)")
        for (format, out) in [("parquet", "s.parquet"), ("csv", "s.csv")] {
            let r = try run(["gen", "--model", "m.json", "--rows", "3000", "--format", format, "--out", out], in: dir)
            #expect(r.code == 0, "\(r.stderr)")
        }
        let check = try launch("/usr/bin/env", ["python3", "-c", """
        import json, numpy as np, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
        m = json.load(open('m.json'))
        big = m['columns'][m['feature_names'].index('big')] if 'feature_names' in m else m['columns'][0]
        assert big['kind'] == 'integer', big
        human = pd.read_csv('ints.csv')['big'].to_numpy()
        lo, hi = float(np.float32(human.min())), float(np.float32(human.max()))  # the float32 values the model read
        assert pq.read_schema('s.parquet').field('big').type == pa.int64(), pq.read_schema('s.parquet')
        for table in (pd.read_parquet('s.parquet'), pd.read_csv('s.csv')):
            v = table['big']
            assert v.dtype == np.int64, v.dtype
            assert v.min() >= lo and v.max() <= hi, (v.min(), v.max(), lo, hi)
            assert (v.to_numpy() % 64 == 0).all()  # float32's step: 64 from 2^29, 128 from 2^30, 256 from 2^31
            assert np.array_equal(v.to_numpy(), v.to_numpy().astype(np.float32).astype(np.int64))
        print('ok')
        """], in: dir)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }
}
