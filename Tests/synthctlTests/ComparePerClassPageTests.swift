import Testing
import Foundation
import TestSupport
@testable import synthctl

/// Issue 16, the compare page's per-class section and pair heat map: the
/// matched metrics get their own table with each class's holdout row
/// under it (its row count alone when it was not subsampled), the other
/// metrics a second table; the heat map's colour scale is fitted to the
/// largest difference and stated in its legend.
extension CommandLineTests {
    @Test func heatMapScaleIsTheLargestDifferenceRoundedUpToOneTwoFive() {
        #expect(SVGChart.heatMapScale([[nil, 0.043], [0.043, nil]]) == 0.05)
        #expect(SVGChart.heatMapScale([[nil, 0.2], [0.2, nil]]) == 0.2)
        #expect(SVGChart.heatMapScale([[nil, 0.0003], [nil, nil]]) == 0.001)
        #expect(SVGChart.heatMapScale([[nil, 1.5], [1.5, nil]]) == 2)
        #expect(SVGChart.heatMapScale([[nil, nil], [nil, nil]]) == 0.001)
        // The top of the scale is the darkest red, 0 white, whatever the scale.
        #expect(SVGChart.shade(0.05, top: 0.05) == SVGChart.shade(1) && SVGChart.shade(0, top: 0.05) == "rgb(255,255,255)")
    }

    @Test func comparePageSplitsThePerClassTableAndStatesTheHeatMapScale() throws {
        let dir = tempDir()
        try writeMixedTable("\(dir)/human.csv", seed: 1, synthetic: false)
        try writeMixedTable("\(dir)/synthetic.csv", seed: 2, synthetic: true)
        let r = try run(["compare", "--human", "human.csv", "--synthetic", "synthetic.csv", "--kid-subsets", "3",
                         "--html", "p.html", "--json", "p.json"], in: dir)
        #expect(r.code == 0, "\(r.stderr)")
        let check = try python("""
        import json, re, html as H
        page = open('\(dir)/p.html', encoding='utf-8').read()
        report = json.load(open('\(dir)/p.json'))['compare']
        section = page[page.index('<h2>Per-class fidelity</h2>'):]
        tables = re.findall(r'<table style="white-space: nowrap">(.*?)</table>', section, re.S)
        assert len(tables) == 2, len(tables)
        def rows(t): return [[H.unescape(c) for c in re.findall(r'<t[hd]>(.*?)</t[hd]>', row)] for row in re.findall(r'<tr>(.*?)</tr>', t)]
        matched, other = rows(tables[0]), rows(tables[1])
        assert matched[0] == ['class', 'human rows', 'synthetic rows', 'precision', 'recall', 'density', 'coverage', 'mean KS'], matched[0]
        assert other[0][:3] == ['class', 'human rows', 'synthetic rows'] and 'detection AUC' in other[0] and 'coverage' not in other[0], other[0]
        classes = report['per_class']
        assert len(matched) == 1 + 2 * len(classes) and len(other) == 1 + len(classes)
        for k, c in enumerate(classes):
            holdout = matched[2 + 2 * k]
            m = c['matched_sizes']
            # The holdout's rows are human rows: in that column (QA27 item 10), the synthetic column empty.
            assert holdout[0] == '↳ human holdout' and holdout[2] == '', holdout
            # 360 synthetic rows against 108 held out: the synthetic side is subsampled, the holdout keeps its rows.
            assert m['subsampled'] == 'synthetic', m
            assert holdout[1] == str(m['size']), (holdout, m)
            assert all(v != '' for v in holdout[3:]), holdout
            # Every value to 4 significant digits, trailing zeros kept ("1.000", not "1").
            for v in matched[1 + 2 * k][3:] + holdout[3:]:
                head = v.split(' ± ')[0]
                assert len(head.replace('-', '').replace('.', '').lstrip('0')) == 4 or 'e' in head or head == '0', (v, holdout)
            # The cross-validated AUC, the unreliable mark where the JSON has it, then the held-out AUC with its 95% interval.
            auc = other[1 + k][other[0].index('detection AUC')]
            assert re.fullmatch(r'[0-9.]+( \\(unreliable\\))?; held out [0-9.]+ \\[[0-9.]+, [0-9.]+\\]', auc), auc
            assert ('(unreliable)' in auc) == bool(c.get('detection_auc_unreliable')), (auc, c.get('detection_auc_unreliable'))
            shown = [float(v) for v in re.findall(r'^([0-9.]+)|held out ([0-9.]+)', auc)[0] + re.findall(r'^([0-9.]+)|held out ([0-9.]+)', auc)[1] if v]
            assert abs(shown[0] - c['detection_auc']) < 5e-4 and abs(shown[1] - c['detection_held_out_auc']) < 5e-4, (auc, c)
        # The heat map's scale: the largest cell rounded up to 1-2-5, its top label and the legend's words.
        heat = re.search(r'<svg [^>]*data-chart="heatmap".*?</svg>', page, re.S).group(0)
        cells = [float(v) for v in re.findall(r'<title>[^<]* × [^<]*: ([-0-9.e+]+)</title>', heat)]
        largest = max(cells)
        scale = next(s for s in [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2] if s >= largest)
        assert largest < 1 and f'scale 0 to {scale:g} (the largest' in heat, (largest, scale)
        print('ok')
        """)
        #expect(check.code == 0 && check.stdout == "ok\n", "\(check.stdout) \(check.stderr)")
    }
}
