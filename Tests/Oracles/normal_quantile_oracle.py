#!/usr/bin/env python3
"""Reference values of the standard normal quantile Φ⁻¹(p) at 50 digits
(mpmath: Newton's method on mpmath's ncdf, which evaluates Φ through
erfc and so keeps p's digits in the lower tail, from the double estimate
of Python's statistics.NormalDist, until the step is below 1e-45), for synthctl's own `normalQuantile`
(AS 241 with synthctl's logarithm). Each reference is written as two
doubles, hi + lo, so that the test can measure errors below one ulp; every
double is written in hexadecimal (float.hex), so that reading it back is
exact whatever the JSON reader.

The probabilities: a uniform grid through the centre, the copula's grid
points (k + ½)/G for G = 2…16 and a few up to 256, both tails on a log scale down to 1e-300,
p = 1 − 2⁻ᵏ, and the region boundaries of the algorithm (|p − ½| = 0.425,
r = 5, i.e. p = e⁻²⁵).

Usage: pip install mpmath
       python3 Tests/Oracles/normal_quantile_oracle.py
Writes Tests/EvalTests/Fixtures/normal_quantile.json.
"""
import json, math, os
import mpmath
from statistics import NormalDist

mpmath.mp.dps = 50
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "EvalTests", "Fixtures", "normal_quantile.json")

ps = set()
for i in range(1, 2000):
    ps.add(i / 2000)
for g in list(range(2, 17)) + [31, 64, 100, 127, 200, 255, 256]:
    for k in range(g):
        ps.add((k + 0.5) / g)
for e in range(1, 3001):
    x = 10.0 ** (-e / 10)
    if x > 0:
        ps.add(x)
        if x < 0.5:
            ps.add(1 - x)
for k in range(2, 54):
    ps.add(1 - 2.0 ** -k)
for b in [0.075, 0.925, math.exp(-25)]:
    for step in range(-3, 4):
        x = b
        for _ in range(abs(step)):
            x = math.nextafter(x, 1 if step > 0 else 0)
        ps.add(x)
ps = sorted(p for p in ps if 0 < p < 1)

def quantile(p):
    x = mpmath.mpf(NormalDist().inv_cdf(p))
    target = mpmath.mpf(p)
    for _ in range(100):
        step = (mpmath.ncdf(x) - target) / mpmath.npdf(x)
        x -= step
        if abs(step) < mpmath.mpf("1e-45") * max(1, abs(x)):
            return x
    raise RuntimeError("Newton did not converge at p = %r" % p)

rows = []
for p in ps:
    v = quantile(p)
    hi = float(v)
    lo = float(v - mpmath.mpf(hi))
    rows.append([p.hex(), hi.hex(), lo.hex()])
with open(out, "w") as f:
    json.dump({"source": "mpmath %s, 50 digits" % mpmath.__version__, "p_hi_lo": rows}, f)
    f.write("\n")
print("wrote", out, len(rows), "points")
