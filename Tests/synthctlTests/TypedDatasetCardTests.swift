import Testing
import Foundation

/// Issue 15: the dataset card's YAML header and croissant.json of a table
/// directory that `gen --model` writes from a model with typed columns
/// state each column's type as the table holds it (int64, float64 for a
/// column rounded to decimals, bool, string), as pyarrow reads it; they
/// said float32 (and `sc:Float`) for every feature.
extension CommandLineTests {
    @Test(.enabled(if: pythonHasPandasAndPyarrow, "needs python3 with numpy, pandas, pyarrow and yaml"),
          arguments: ["parquet", "csv", "jsonl"])
    func typedColumnsHaveTheirTypesInTheCardAndCroissant(_ format: String) throws {
        let dir = tempDir()
        let made = try pythonIn(dir, Self.typedHumanTable)
        #expect(made.code == 0, "\(made.stderr)")
        let fit = try run(["fit", "h.csv", "--model", "gaussian", "--out", "m.json"], in: dir)
        #expect(fit.code == 0, "\(fit.stderr)")
        let gen = try run(["gen", "--model", "m.json", "--rows", "500", "--format", format, "--directory", "--out", "d"], in: dir)
        #expect(gen.code == 0, "\(gen.stderr)")
        let check = try pythonIn(dir, """
        import json, yaml, pyarrow as pa, pyarrow.parquet as pq, pyarrow.csv as pc, pyarrow.json as pj
        card = open('d/README.md').read()
        header = yaml.safe_load(card.split('---\\n')[1])
        dtypes = {f['name']: f['dtype'] for f in header['dataset_info']['features']}
        assert dtypes['income'] == 'float64' and dtypes['ratio'] == 'float32', dtypes  # income is rounded to decimals
        assert dtypes['visits'] == 'int64' and dtypes['member'] == 'bool' and dtypes['city'] == 'string', dtypes
        assert dtypes['label_id'] == 'int32' if '\(format)' == 'parquet' else 'label_id' not in dtypes, dtypes
        assert '| features | 5 (1 float64, 1 float32, 1 int64, 1 bool, 1 string) |' in card, card
        if '\(format)' == 'parquet':
            s = pq.read_schema('d/data.parquet')
            arrow = {'float64': pa.float64(), 'float32': pa.float32(), 'int64': pa.int64(), 'int32': pa.int32(), 'bool': pa.bool_(), 'string': pa.string()}
            for name in ['income', 'ratio', 'visits', 'member', 'city', 'label_id', 'noisy']:
                assert s.field(name).type == arrow[dtypes[name]], (name, s.field(name).type, dtypes[name])
        croissant = json.load(open('d/croissant.json'))
        fields = {f['name']: f['dataType'] for rs in croissant['recordSet'] for f in rs['field']}
        assert fields['income'] == 'sc:Float' and fields['visits'] == 'sc:Integer' and fields['member'] == 'sc:Boolean' and fields['city'] == 'sc:Text', fields
        assert '5 features (1 float64, 1 float32, 1 int64, 1 bool, 1 string)' in croissant['description'], croissant['description']
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stdout) \(check.stderr)")
    }
}
