#!/usr/bin/env python3
"""Reference numbers for synthctl compare's per-column and pairwise fidelity
by type and its category validity (JSON keys column_shapes,
column_pair_trends, validity.category_coverage, validity.boundary_adherence),
from SDMetrics itself, on fixed mixed-type tables.

Each case is a human table and a synthetic one, written as CSV under
Tests/EvalTests/Fixtures/column_fidelity/ (committed: the Swift test reads
them with synthctl's own table reader) with a label column that is not a
feature, numeric columns in different units (income in thousands, a ratio
in hundredths), a bounded integer column (visits, 0-16), a categorical
column (city) and a boolean (member, True/False, sdtype boolean: SDMetrics
scores it with TVComplement and ContingencySimilarity, as a categorical
column; the Swift tests read it both as the schema types it, boolean, and
named categorical, and expect these same numbers either way). The numbers are drawn here with
a fixed NumPy seed and rounded to float32 before they are written (with
repr of the float32, so the CSV reads back as the same float32), so both
sides see the same values: synthctl stores features as float32.

Missing values: none in the fixtures. synthctl refuses a row with a missing
cell, or drops it with --drop-missing, before any metric; SDMetrics drops
NaN per column (KS, TV, CategoryCoverage, BoundaryAdherence), per pair
(CorrelationSimilarity) or keeps NaN as a category (ContingencySimilarity),
so with missing cells the two would compare different rows.

Per metric (real = human rows, synthetic = synthetic rows):
- KSComplement, TVComplement, BoundaryAdherence, CategoryCoverage per column;
- CorrelationSimilarity (Pearson) per numeric pair;
- ContingencySimilarity per categorical pair;
- ContingencySimilarity per mixed (numeric x categorical) pair with the
  numeric column named in continuous_column_names: SDMetrics'
  utils.discretize_column, np.histogram_bin_edges of the real column (10
  bins), its outer edges opened to -inf and +inf, the same edges applied to
  the synthetic column with np.digitize. synthctl bins mixed pairs this way;
- column_pair_trends and pair_details: the mean over every pair and the
  per-pair scores of those single-pair metrics (synthctl's Column Pair
  Trends);
- the QualityReport's Column Shapes score and details, and its Column Pair
  Trends score and per-pair details (quality_report_*), with the report's
  real-trend thresholds set to 0 (every pair counts, as synthctl). The
  report (0.32) bins a mixed pair's numeric column on each set's own range
  (_discretize_column per set), so its mixed pairs differ from
  pair_details wherever the synthetic range is not the human one; the
  shifted, wider and narrower cases make them differ.

Writes Tests/EvalTests/Fixtures/column_fidelity.json (with the sdmetrics
version it ran).

Usage: pip install sdmetrics numpy pandas
       python3 Tests/Oracles/column_fidelity_oracle.py
"""
import json, os, itertools
import numpy as np
import pandas as pd
import sdmetrics
from sdmetrics.reports.single_table import QualityReport
from sdmetrics.single_column import KSComplement, TVComplement, BoundaryAdherence, CategoryCoverage
from sdmetrics.column_pairs import CorrelationSimilarity, ContingencySimilarity

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, "..", "EvalTests", "Fixtures")
tables = os.path.join(fixtures, "column_fidelity")
rng = np.random.default_rng(20261130)

NUMERIC = ["income", "ratio", "visits"]
CATEGORICAL = ["city", "member"]


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def table(n, income_scale, ratio_shift, visits_rate, cities, city_p, member_p, label_p, integer_visits=True, income_shift=0.0):
    label = rng.choice(["churn", "stay", "vip"], size=n, p=label_p)
    city = rng.choice(cities, size=n, p=city_p)
    member = rng.random(n) < member_p
    income = f32(np.round(rng.lognormal(3.5, 0.5, size=n) * income_scale + (label == "vip") * 40 + income_shift, 2))
    ratio = f32(np.clip(rng.normal(0.35 + ratio_shift, 0.1, size=n) + 0.002 * income / income_scale, 0, 1))
    visits = np.clip(rng.poisson(visits_rate, size=n) + member * 3, 0, 16).astype(np.float64)
    if not integer_visits:
        visits = f32(visits + rng.normal(0, 0.4, size=n))
    return pd.DataFrame({"label": label, "income": income, "ratio": ratio, "visits": f32(visits), "city": city, "member": member})


def write(df, name):
    path = os.path.join(tables, name)
    out = df.copy()
    for c in NUMERIC:
        out[c] = [repr(float(np.float32(v))) for v in df[c]]
    out["member"] = np.where(df["member"], "True", "False")
    out.to_csv(path, index=False)
    return os.path.relpath(path, fixtures)


def metadata():
    cols = {c: {"sdtype": "numerical"} for c in NUMERIC}
    cols["city"] = {"sdtype": "categorical"}
    cols["member"] = {"sdtype": "boolean"}
    return {"columns": cols}


def case(name, human, synthetic):
    h, s = human.drop(columns="label"), synthetic.drop(columns="label")
    out = {"human": write(human, name + "_human.csv"), "synthetic": write(synthetic, name + "_synthetic.csv")}
    out["ks_complement"] = {c: float(KSComplement.compute(h[c], s[c])) for c in NUMERIC}
    out["boundary_adherence"] = {c: float(BoundaryAdherence.compute(h[c], s[c])) for c in NUMERIC}
    out["tv_complement"] = {c: float(TVComplement.compute(h[c], s[c])) for c in CATEGORICAL}
    out["category_coverage"] = {c: float(CategoryCoverage.compute(h[c], s[c])) for c in CATEGORICAL}
    out["correlation_similarity"] = [
        {"columns": [a, b], "score": float(CorrelationSimilarity.compute(h[[a, b]], s[[a, b]]))}
        for a, b in itertools.combinations(NUMERIC, 2)]
    out["contingency_similarity"] = [
        {"columns": [a, b], "score": float(ContingencySimilarity.compute(h[[a, b]], s[[a, b]]))}
        for a, b in itertools.combinations(CATEGORICAL, 2)]
    out["mixed_contingency_similarity"] = [
        {"columns": [a, b], "score": float(ContingencySimilarity.compute(h[[a, b]], s[[a, b]], continuous_column_names=[a]))}
        for a in NUMERIC for b in CATEGORICAL]
    single = {tuple(p["columns"]): p for p in
              out["correlation_similarity"] + out["contingency_similarity"] + out["mixed_contingency_similarity"]}
    report = QualityReport()
    report.real_correlation_threshold = 0
    report.real_association_threshold = 0
    report.generate(h, s, metadata(), verbose=False)
    shapes = report.get_details("Column Shapes")
    trends = report.get_details("Column Pair Trends")
    scores = report.get_properties().set_index("Property")["Score"]
    out["column_shapes"] = float(scores["Column Shapes"])
    out["column_shapes_details"] = [{"column": r["Column"], "metric": r["Metric"], "score": float(r["Score"])} for _, r in shapes.iterrows()]
    out["quality_report_column_pair_trends"] = float(scores["Column Pair Trends"])
    out["quality_report_pair_details"] = [{"columns": [r["Column 1"], r["Column 2"]], "metric": r["Metric"], "score": float(r["Score"])}
                                          for _, r in trends.iterrows()]
    out["pair_details"] = [{"columns": [a, b], "metric": r["Metric"], "score": single[(a, b)]["score"]}
                           for a, b, r in ((r["Column 1"], r["Column 2"], r) for _, r in trends.iterrows())]
    out["column_pair_trends"] = float(np.mean([p["score"] for p in out["pair_details"]]))
    return out


fixture = {"sdmetrics_version": sdmetrics.__version__}
# Close: same process, a different draw.
fixture["close"] = case("close",
                        table(240, 1.0, 0, 3, ["Lyon", "Nantes", "Paris", "Rennes"], [0.2, 0.1, 0.5, 0.2], 0.4, [0.3, 0.6, 0.1]),
                        table(200, 1.0, 0, 3, ["Lyon", "Nantes", "Paris", "Rennes"], [0.2, 0.1, 0.5, 0.2], 0.4, [0.3, 0.6, 0.1]))
# Off: income in other units' spread, a shifted ratio, fractional visits, a
# missing rare category (Nantes) and an unseen one (Brest), other booleans.
fixture["off"] = case("off",
                      table(240, 1.0, 0, 3, ["Lyon", "Nantes", "Paris", "Rennes"], [0.2, 0.05, 0.55, 0.2], 0.4, [0.3, 0.6, 0.1]),
                      table(150, 1.6, 0.1, 5, ["Brest", "Lyon", "Paris", "Rennes"], [0.1, 0.3, 0.3, 0.3], 0.7, [0.3, 0.6, 0.1],
                            integer_visits=False))
# A mixed pair's numeric column off the human range: income shifted up by
# about half its range, spread 1.8x wider, or 0.4x narrower (same cities,
# same process otherwise), so its rows fall in other human bins.
HUMAN = (["Lyon", "Nantes", "Paris", "Rennes"], [0.2, 0.1, 0.5, 0.2], 0.4, [0.3, 0.6, 0.1])
fixture["shifted"] = case("shifted", table(240, 1.0, 0, 3, *HUMAN), table(200, 1.0, 0, 3, *HUMAN, income_shift=45.0))
fixture["wider"] = case("wider", table(240, 1.0, 0, 3, *HUMAN), table(200, 1.8, 0, 3, *HUMAN))
fixture["narrower"] = case("narrower", table(240, 1.0, 0, 3, *HUMAN), table(200, 0.4, 0, 3, *HUMAN))

with open(os.path.join(fixtures, "column_fidelity.json"), "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print("wrote", os.path.join(fixtures, "column_fidelity.json"))
