#!/usr/bin/env python3
"""Screenshots of the `synthctl compare --html` page in headless Chromium.

Run by hand, never by CI (Chromium is no dependency of the tests):

    python3 Tests/Oracles/page_screenshots.py --binary .build/debug/synthctl --out /tmp/pages

For each case it writes a real-looking typed table with NumPy and pandas
(columns in different units, a bounded integer count, a categorical
column, a small class), splits it (`synthctl split`), fits a model on the
training part, samples from it (`gen --model`), runs `compare --html` on
the leak-free path and screenshots the page with

    chromium --headless --no-sandbox --screenshot=PNG --window-size=1280,H file:///…/page.html

Cases: `mixed` (the table above, 3 classes, one small), `numeric` (no
categorical column), `many-classes` (10 classes). `--rows` and
`--columns` make larger tables (e.g. 30,000 × 30 for `--timings`); the
PNGs are for a person to look at and are not committed.
"""
import argparse
import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd


def table(rows, columns, classes, categorical, seed):
    """A labeled table: class weights with one small class (5% of rows),
    then columns cycling through kinds: a ratio in hundredths, an amount in
    thousands (log-normal, non-negative), a count bounded to 0–16 (integer),
    a score in units, and (with `categorical`) a region of five categories
    whose frequencies depend on the class."""
    rng = np.random.default_rng(seed)
    weights = np.ones(classes)
    weights[-1] = 0.05 * (classes - 1) / 0.95
    weights /= weights.sum()
    y = rng.choice(classes, size=rows, p=weights)
    data = {}
    kinds = ["ratio", "amount", "count", "score"] + (["region"] if categorical else [])
    for j in range(columns):
        kind = kinds[j % len(kinds)]
        name = kind if j < len(kinds) else f"{kind}_{j // len(kinds) + 1}"
        shift = (j + 1) * 0.37
        if kind == "ratio":
            data[name] = np.round(0.05 + 0.01 * y * shift + 0.01 * rng.standard_normal(rows), 5)
        elif kind == "amount":
            data[name] = np.round(1000 * np.exp(0.3 * y * shift + 0.5 * rng.standard_normal(rows)), 2)
        elif kind == "count":
            data[name] = np.clip(np.round(4 + 3 * y * shift % 9 + 2 * rng.standard_normal(rows)), 0, 16).astype(int)
        elif kind == "score":
            data[name] = np.round(y * shift + rng.standard_normal(rows), 4)
        else:
            regions = np.array(["north", "south", "east", "west", "centre"])
            p = np.full((classes, 5), 1.0)
            p[np.arange(classes), np.arange(classes) % 5] += 3
            p /= p.sum(axis=1, keepdims=True)
            u = rng.random(rows)
            data[name] = regions[(u[:, None] > np.cumsum(p[y], axis=1)).sum(axis=1).clip(0, 4)]
    names = ["small" if c == classes - 1 else f"class_{c}" for c in range(classes)]
    data["label"] = np.array(names)[y]
    return pd.DataFrame(data)


def run(binary, *args, timings=False):
    cmd = [binary, *args] + (["--timings"] if timings else [])
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stderr}")
    return p


def case(binary, out, name, rows, columns, classes, categorical, model, width, height, seed, timings):
    d = os.path.join(out, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    table(rows, columns, classes, categorical, seed).to_csv(os.path.join(d, "h.csv"), index=False)
    f = lambda x: os.path.join(d, x)
    run(binary, "split", f("h.csv"), "--holdout-fraction", "0.3", "--seed", "7",
        "--train-out", f("train.csv"), "--holdout-out", f("holdout.csv"), "--record", f("split.json"))
    run(binary, "fit", f("train.csv"), "--model", model, "--out", f("model.json"))
    run(binary, "gen", "--model", f("model.json"), "--rows", str(rows), "--out", f("s.csv"))
    p = run(binary, "compare", "--human-train", f("train.csv"), "--human-holdout", f("holdout.csv"),
            "--synthetic", f("s.csv"), "--html", f("page.html"), "--json", f("compare.json"), timings=timings)
    print(f"== {name}: {rows} rows × {columns} columns, {classes} classes\n{p.stdout}{p.stderr}")
    png = f("page.png")
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--hide-scrollbars", f"--screenshot={png}",
                    f"--window-size={width},{height}", "file://" + os.path.abspath(f("page.html"))],
                   capture_output=True, check=True)
    try:  # Trim the white below the page and cut it into screen-sized parts to look at.
        from PIL import Image, ImageChops
        image = Image.open(png).convert("RGB")
        box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
        if box:
            image = image.crop((0, 0, image.width, min(image.height, box[3] + 20)))
            image.save(png)
        for k, top in enumerate(range(0, image.height, 1300)):
            image.crop((0, top, image.width, min(image.height, top + 1300))).save(f("page-%d.png" % (k + 1)))
    except ImportError:
        pass
    print(f"screenshot: {png}")


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--binary", default=".build/debug/synthctl")
    a.add_argument("--out", default="/tmp/synthctl-pages")
    a.add_argument("--rows", type=int, default=1500)
    a.add_argument("--columns", type=int, default=5)
    a.add_argument("--model", default="copula", help="fit --model (default copula)")
    a.add_argument("--cases", default="mixed,numeric,many-classes")
    a.add_argument("--width", type=int, default=1280)
    a.add_argument("--height", type=int, default=5200)
    a.add_argument("--timings", action="store_true", help="pass --timings to compare")
    o = a.parse_args()
    cases = {"mixed": (3, True), "numeric": (3, False), "many-classes": (10, True)}
    for name in o.cases.split(","):
        classes, categorical = cases[name]
        case(o.binary, o.out, name, o.rows, o.columns if categorical else max(o.columns - 1, 1), classes, categorical,
             o.model, o.width, o.height, seed=11, timings=o.timings)


if __name__ == "__main__":
    main()
