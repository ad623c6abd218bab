#!/usr/bin/env python3
"""Reference values for the `geo-stats` crate.

Writes JSON files into crates/geo-stats/tests/data/. Each file records the
versions of the packages that produced it. The Rust tests read these files;
they never run Python.

    python3 xtask/reference/geo-stats/make_references.py

Requirements: numpy, scipy, scikit-learn; optional: jenkspy (natural breaks),
py-geodetector + pandas (R-geodetector convention of the factor detector).

Large samples are not stored: they are described by a tiny deterministic
generator (splitmix64 -> exact dyadic uniforms -> +,-,*,/ and sqrt only) that
tests/common/mod.rs re-implements bit for bit.
"""

import json
import math
import os
import platform
import sys
from pathlib import Path

import numpy as np
import scipy
import sklearn
from scipy import special, stats
from sklearn import metrics

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
OUT = ROOT / "crates" / "geo-stats" / "tests" / "data"

import mpmath as mp

try:
    import jenkspy
except ImportError:  # pragma: no cover
    jenkspy = None
try:
    import pandas as pd
    import geodetector as pygd
    from importlib.metadata import version as _pkg_version
except ImportError:  # pragma: no cover
    pygd = None


def versions():
    v = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "mpmath": mp.__version__,
    }
    if jenkspy is not None:
        from importlib.metadata import version
        v["jenkspy"] = version("jenkspy")
    if pygd is not None:
        v["py-geodetector"] = _pkg_version("py-geodetector")
        v["pandas"] = pd.__version__
    return v


def _sanitize(obj):
    """NaN -> null (JSON has no NaN); the tests map null back to NaN."""
    if isinstance(obj, float):
        if math.isnan(obj):
            return None
        if math.isinf(obj):
            return "inf" if obj > 0 else "-inf"
        return obj
    if isinstance(obj, (np.floating,)):
        return _sanitize(float(obj))
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, dict):
        return {k: _sanitize(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_sanitize(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _sanitize(obj.tolist())
    return obj


def dump(name, source, cases, **extra):
    OUT.mkdir(parents=True, exist_ok=True)
    doc = {
        "generator": "xtask/reference/geo-stats/make_references.py",
        "source": source,
        "versions": versions(),
        **extra,
        "cases": cases,
    }
    path = OUT / name
    with open(path, "w") as fh:
        json.dump(_sanitize(doc), fh, indent=None, separators=(",", ":"), allow_nan=False)
        fh.write("\n")
    counts = {k: len(v) for k, v in [("cases", cases), *extra.items()] if isinstance(v, list) and v}
    print(f"{path.relative_to(ROOT)}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


def f(x):
    """Plain float (NaN stays NaN: the JSON reader maps it back)."""
    return float(x)


# --------------------------------------------------------------------------
# Deterministic generator shared with tests/common/mod.rs
# --------------------------------------------------------------------------
MASK = (1 << 64) - 1


class SplitMix:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next_u64() >> 11) * (1.0 / 9007199254740992.0)


SQRT3 = math.sqrt(3.0)


def generate(spec):
    """Realise a generator spec: {seed, n, kind, loc, scale, round}."""
    g = SplitMix(spec["seed"])
    out = []
    for _ in range(spec["n"]):
        if spec["kind"] == "uniform":
            v = spec["loc"] + spec["scale"] * g.uniform()
        elif spec["kind"] == "normalish":
            s = g.uniform() + g.uniform() + g.uniform() + g.uniform()
            v = spec["loc"] + spec["scale"] * ((s - 2.0) * SQRT3)
        else:
            raise ValueError(spec["kind"])
        if spec.get("round", 0) > 0:
            k = float(spec["round"])
            v = math.floor(v * k) / k
        out.append(v)
    return np.array(out)


def gen_spec(seed, n, kind="normalish", loc=0.0, scale=1.0, rnd=0):
    return {"seed": seed, "n": n, "kind": kind, "loc": loc, "scale": scale, "round": rnd}



# --------------------------------------------------------------------------
# High-precision references (mpmath, 60 digits): the incomplete beta by its
# classical continued fraction and the non-central F as the Poisson series,
# both evaluated far beyond double precision. Used where scipy (Boost) itself
# is less accurate than 1e-12 (non-central F with df2 ~ 1e6, tiny tails).
# --------------------------------------------------------------------------
mp.mp.dps = 60


def mp_beta_cf(a, b, x):
    tiny = mp.mpf(10) ** -200
    qab, qap, qam = a + b, a + 1, a - 1
    c = mp.mpf(1)
    d = 1 - qab * x / qap
    d = tiny if abs(d) < tiny else d
    d = 1 / d
    h = d
    for m in range(1, 400000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        de = d * c
        h *= de
        if abs(de - 1) < mp.mpf(10) ** -55:
            return h
    raise RuntimeError("continued fraction did not converge")


def mp_ln_prefactor(a, b, x, y):
    return a * mp.log(x) + b * mp.log(y) - (mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b))


def mp_betainc_pair(a, b, x, y=None):
    """(I_x(a,b), 1 - I_x(a,b)) at 60 digits; x (and y = 1 - x) exact as given."""
    a = mp.mpf(a)
    b = mp.mpf(b)
    x = mp.mpf(x)
    y = 1 - x if y is None else mp.mpf(y)
    if x < (a + 1) / (a + b + 2):
        v = mp.exp(mp_ln_prefactor(a, b, x, y)) * mp_beta_cf(a, b, x) / a
        return v, 1 - v
    w = mp.exp(mp_ln_prefactor(b, a, y, x)) * mp_beta_cf(b, a, y) / b
    return 1 - w, w


def mp_ncf_sf(fv, d1, d2, nc):
    """Survival function of the non-central F at 60 digits (Poisson series)."""
    fv = mp.mpf(fv)
    d1 = mp.mpf(d1)
    d2 = mp.mpf(d2)
    mu = mp.mpf(nc) / 2
    a = d1 / 2
    b = d2 / 2
    x = d1 * fv / (d1 * fv + d2)
    y = d2 / (d1 * fv + d2)
    _, q = mp_betainc_pair(a, b, x, y)
    if mu == 0:
        return q
    t = mp.exp(mp_ln_prefactor(a, b, x, y)) / a
    w = mp.exp(-mu)
    total = mp.mpf(0)
    j = 0
    while True:
        total += w * q
        if j > mu and w * (mu / (j + 1)) / (1 - mu / (j + 1)) < total * mp.mpf(10) ** -30:
            return total
        q += t
        t *= x * (a + b + j) / (a + j + 1)
        w *= mu / (j + 1)
        j += 1


def mp_t_sf(t, df):
    t = mp.mpf(t)
    df = mp.mpf(df)
    if t == 0:
        return mp.mpf(0.5)
    t2 = t * t
    half = mp_betainc_pair(df / 2, mp.mpf(0.5), df / (df + t2), t2 / (df + t2))[0] / 2
    return half if t > 0 else 1 - half

# --------------------------------------------------------------------------
# Special functions
# --------------------------------------------------------------------------
def special_functions():
    rng = np.random.default_rng(20240601)
    ncf_cases = []
    for dfn in [1, 2, 3, 5, 9, 14]:
        for dfd in [3, 10, 47, 200, 1000, 12345, 99990, 999985]:
            for nc in [0.0, 0.003, 0.5, 1.6, 7.0, 40.0, 250.0, 3000.0]:
                mean = (dfd / (dfd - 2) * (dfn + nc) / dfn) if dfd > 2 else 2.0
                for mult in [0.05, 0.6, 1.0, 2.5, 6.0]:
                    x = mean * mult * float(rng.uniform(0.8, 1.25))
                    sf = stats.ncf.sf(x, dfn, dfd, nc) if nc > 0 else stats.f.sf(x, dfn, dfd)
                    if sf > 1e-290 and rng.uniform() < 0.3:
                        ncf_cases.append({"f": x, "dfn": dfn, "dfd": dfd, "nc": nc, "sf": f(sf),
                                          "sf_mp": f(mp_ncf_sf(x, dfn, dfd, nc))})
    t_cases = []
    for df in [0.7, 1.0, 2.0, 3.5, 10.0, 29.3, 200.0, 5000.0, 1e6]:
        for t in [-40.0, -3.0, -0.4, 0.0, 1e-3, 0.7, 1.96, 4.5, 12.0, 80.0]:
            t_cases.append({"t": t, "df": df, "sf": f(stats.t.sf(t, df)), "sf_mp": f(mp_t_sf(t, df))})
    beta_cases = []
    for a in [0.5, 1.0, 2.5, 9.0, 31.0, 450.0, 25000.0, 499999.0]:
        for b in [0.5, 1.5, 4.0, 12.0, 99.0, 3000.0, 500000.0]:
            m = a / (a + b)
            for x in sorted({m * 0.01, m * 0.5, m, min(0.999999, m * 1.05 + 1e-9), 0.5 * (m + 1.0), 0.999}):
                if 0.0 < x < 1.0:
                    lo, up = mp_betainc_pair(a, b, x)
                    beta_cases.append({"a": a, "b": b, "x": x,
                                       "lower": f(special.betainc(a, b, x)),
                                       "upper": f(special.betaincc(a, b, x)),
                                       "lower_mp": f(lo), "upper_mp": f(up)})
    kstwo_cases = []
    for n in [1, 2, 3, 5, 8, 13, 40, 100, 140, 141, 400, 1000, 2500, 5000, 10000, 25000, 100000, 100001, 400000]:
        xs = set()
        for z in [0.3, 0.45, 0.6, 0.8, 0.95, 1.1, 1.3, 1.6, 2.0, 2.6, 3.5, 5.0, 8.0]:
            xs.add(z / math.sqrt(n))
        for x in [0.5 / n, 0.75 / n, 1.0 / n, 1.5 / n, (n - 1.0) / n, 0.5, 0.51, 0.7, 0.99]:
            xs.add(x)
        for x in sorted(xs):
            if 0.0 < x < 1.0:
                kstwo_cases.append({"n": n, "x": x, "sf": f(stats.kstwo.sf(x, n))})
    smirnov_cases = []
    for n in [1, 2, 3, 7, 10, 31, 100, 1000, 5000, 20000, 1000000, 1500000]:
        for z in [0.05, 0.3, 0.7, 1.0, 1.5, 2.5, 4.0]:
            x = z / math.sqrt(n)
            if x < 1.0:
                smirnov_cases.append({"n": n, "x": x, "sf": f(special.smirnov(n, x))})
        for x in [1.0 / n, 0.5 / n, 0.5, 0.9]:
            smirnov_cases.append({"n": n, "x": x, "sf": f(special.smirnov(n, x))})
    kolm_cases = [{"x": x, "sf": f(special.kolmogorov(x))}
                  for x in [0.03, 0.05, 0.2, 0.5, 0.8, 0.82, 0.83, 1.0, 1.36, 2.0, 3.0, 6.0]]
    dump("special_functions.json",
         "scipy.stats.ncf.sf / f.sf / t.sf, scipy.special.betainc / betaincc / smirnov / kolmogorov, "
         "scipy.stats.kstwo.sf; *_mp fields: mpmath at 60 digits (continued fraction / Poisson series)",
         [], ncf=ncf_cases, t=t_cases, beta=beta_cases, kstwo=kstwo_cases,
         smirnov=smirnov_cases, kolmogorov=kolm_cases)

# --------------------------------------------------------------------------
# Two-sample Kolmogorov-Smirnov
# --------------------------------------------------------------------------
def ks_reference(x, y, method, alternative):
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = stats.ks_2samp(x, y, alternative=alternative, method=method)
    fell_back = any("Switching to" in str(w.message) for w in caught)
    n1, n2 = len(x), len(y)
    if method == "asymp":
        used = "asymp"
    elif method == "auto":
        used = "exact" if max(n1, n2) <= 10000 else "asymp"
    else:
        used = "exact"
    if fell_back:
        used = "asymp"
    return {"statistic": f(res.statistic), "pvalue": f(res.pvalue), "method_used": used,
            "fell_back": fell_back, "statistic_location": f(res.statistic_location),
            "statistic_sign": int(res.statistic_sign)}


def ks_two_sample():
    rng = np.random.default_rng(7)
    cases = []

    def add(name, xs, ys, methods=("auto", "exact", "asymp"), alts=("two-sided",)):
        xv = generate(xs) if isinstance(xs, dict) else np.asarray(xs, float)
        yv = generate(ys) if isinstance(ys, dict) else np.asarray(ys, float)
        for m in methods:
            for a in alts:
                ref = ks_reference(xv, yv, m, a)
                cases.append({"name": name, "x": xs if isinstance(xs, dict) else list(map(float, xs)),
                              "y": ys if isinstance(ys, dict) else list(map(float, ys)),
                              "method": m, "alternative": a, **ref})

    all3 = ("two-sided", "less", "greater")
    # small equal sizes
    add("equal n=10", rng.normal(size=10), rng.normal(0.5, 1, size=10), alts=all3)
    add("equal n=25 shifted", rng.normal(size=25), rng.normal(1.0, 1, size=25), alts=all3)
    add("equal n=40 same", rng.normal(size=40), rng.normal(size=40), alts=all3)
    # unequal sizes
    add("unequal 8 vs 13", rng.normal(size=8), rng.normal(0.3, 1, size=13), alts=all3)
    add("unequal 30 vs 45", rng.normal(size=30), rng.normal(0, 2, size=45), alts=all3)
    add("unequal 60 vs 61", rng.normal(size=60), rng.normal(0.2, 1, size=61), alts=all3)
    add("unequal 17 vs 250", rng.normal(size=17), rng.normal(-0.4, 1, size=250), alts=all3)
    # n1 = 1
    add("n1 = 1", [0.3], rng.normal(size=12), alts=all3)
    add("n1 = 1, n2 = 1", [0.3], [1.5])
    add("n1 = 1 extreme", [10.0], rng.normal(size=30))
    # ties
    add("ties rounded", np.round(rng.normal(size=50), 1), np.round(rng.normal(0.2, 1, size=70), 1), alts=all3)
    add("ties integers", rng.integers(0, 5, size=40).astype(float), rng.integers(1, 6, size=33).astype(float))
    add("ties shared values", [1, 1, 2, 2, 3, 3, 3], [2, 2, 3, 3, 4, 4, 4, 5])
    # constant input
    add("both constant equal", [2.0] * 9, [2.0] * 14)
    add("both constant different", [2.0] * 9, [3.0] * 14)
    add("one constant", [0.0] * 20, rng.normal(size=20))
    # identical samples
    v = rng.normal(size=35)
    add("identical", v, v.copy())
    # perfectly interleaved (D = 1/n): exact p rounds at 1
    add("interleaved", np.arange(0, 40, 2.0), np.arange(1, 41, 2.0))
    # exact p rounds above 1 (n = 7, h = 1): scipy falls back to asymp
    add("interleaved n=7 falls back", np.arange(0, 14, 2.0), np.arange(1, 15, 2.0))
    # one-sided exact path counting overflows: falls back to asymp
    add("one-sided overflow falls back", gen_spec(31, 600), gen_spec(32, 900, loc=0.1),
        methods=("exact",), alts=("less", "greater"))
    # separated
    add("separated", np.arange(12.0), np.arange(100.0, 115.0))
    # large samples (generated on both sides, not stored)
    add("n=5000 vs 5000", gen_spec(11, 5000), gen_spec(12, 5000, loc=0.03))
    add("n=5000 vs 4999", gen_spec(13, 5000), gen_spec(14, 4999, loc=0.05))
    add("n=3000 vs 7001 ties", gen_spec(15, 3000, rnd=20), gen_spec(16, 7001, loc=0.02, rnd=20))
    add("n=20000 vs 20000", gen_spec(17, 20000), gen_spec(18, 20000, loc=0.02), methods=("auto", "asymp"))
    add("n=20000 vs 15000 uniform", gen_spec(19, 20000, kind="uniform"), gen_spec(20, 15000, kind="uniform", scale=1.01),
        methods=("auto", "asymp"))
    add("n=12000 vs 9000 far", gen_spec(21, 12000), gen_spec(22, 9000, loc=0.5), methods=("auto", "asymp"))
    add("n=10000 vs 10000 same", gen_spec(23, 10000), gen_spec(24, 10000), methods=("auto",))
    add("n=10001 vs 500", gen_spec(25, 10001), gen_spec(26, 500, loc=0.1), methods=("auto", "exact"))
    dump("ks_2samp.json", "scipy.stats.ks_2samp", cases)


# --------------------------------------------------------------------------
# Geographical detector
# --------------------------------------------------------------------------
def gd_factor_ref(y, s, variance, singletons):
    """Factor detector straight from the formulas (numpy, scipy ncf, mpmath)."""
    y = np.asarray(y, float)
    s = np.asarray(s)
    labels, counts = np.unique(s, return_counts=True)
    keep = labels if singletons == "keep" else labels[counts >= 2]
    mask = np.isin(s, keep)
    y2, s2 = y[mask], s[mask]
    n, nl = len(y2), len(keep)
    sst = float(((y2 - y2.mean()) ** 2).sum())
    means = np.array([y2[s2 == h].mean() for h in keep])
    ns = np.array([(s2 == h).sum() for h in keep], float)
    ssw = float(sum(((y2[s2 == h] - y2[s2 == h].mean()) ** 2).sum() for h in keep))
    q = np.float64(1.0) - np.float64(ssw) / np.float64(sst)
    with np.errstate(divide="ignore"):
        fv = np.float64(n - nl) * q / (np.float64(nl - 1) * (1.0 - q))
    var = sst / n if variance == "population" else sst / (n - 1)
    lam = ((means ** 2).sum() - (np.sqrt(ns) * means).sum() ** 2 / n) / var
    lam = max(lam, 0.0)
    p = stats.ncf.sf(fv, nl - 1, n - nl, lam) if lam > 0 else stats.f.sf(fv, nl - 1, n - nl)
    p_mp = mp_ncf_sf(fv, nl - 1, n - nl, lam) if np.isfinite(fv) else 0.0
    return {"q": f(q), "f": f(fv), "lambda": f(lam), "pvalue": f(p), "pvalue_mp": f(p_mp),
            "n": int(n), "n_strata": int(nl), "ssw": ssw, "sst": sst}


def interaction_kind(q1, q2, q12, tol):
    lo, hi = min(q1, q2), max(q1, q2)
    if abs(q12 - (q1 + q2)) <= tol:
        return "independent"
    if q12 > q1 + q2:
        return "enhance_nonlinear"
    if q12 > hi + tol:
        return "enhance_bi"
    if q12 >= lo - tol:
        return "weaken_uni"
    return "weaken_nonlinear"


def overlay(s1, s2):
    return np.array([f"{a}|{b}" for a, b in zip(s1, s2)])


CONVENTIONS = [("population", "drop"), ("sample", "keep"), ("population", "keep"), ("sample", "drop")]


def geodetector():
    rng = np.random.default_rng(42)
    factor_cases = []

    def add_factor(name, y, s, conventions=CONVENTIONS):
        for var, sing in conventions:
            ref = gd_factor_ref(y, s, var, sing)
            case = {"name": name, "y": list(map(float, y)), "strata": [str(v) for v in s],
                    "variance": var, "singletons": sing, **ref}
            if pygd is not None and (var, sing) == ("sample", "keep"):
                df = pd.DataFrame({"y": np.asarray(y, float), "x": [str(v) for v in s]})
                q_py, p_py = pygd.GeoDetector(df, "y", ["x"]).factor_detector("x")
                case["q_py_geodetector"] = f(q_py)
                case["pvalue_py_geodetector"] = f(p_py)
            factor_cases.append(case)

    add_factor("spec test vector", np.arange(1.0, 8.0), list("abbbccc"))
    add_factor("two strata", [1.2, 1.5, 2.1, 3.3, 3.6, 4.3, 1.2, 1.5, 1.9, 2.8], list("dddcccdddc"))
    for i, (n, nl, effect) in enumerate([(12, 3, 1.0), (30, 4, 0.5), (60, 5, 0.2), (100, 6, 1.5),
                                         (250, 8, 0.1), (500, 3, 0.05), (1000, 10, 0.3),
                                         (2000, 12, 0.02), (40, 2, 3.0), (80, 20, 0.4),
                                         (150, 7, 0.0), (300, 4, 2.5)]):
        s = rng.integers(0, nl, size=n)
        y = rng.normal(size=n) + effect * s + 10.0 * (i % 3)
        add_factor(f"random n={n} L={nl} effect={effect}", np.round(y, 6), [f"s{v}" for v in s])
    # with singleton strata
    s = np.array(list("aaabbbbccdefff"))
    y = rng.normal(size=len(s)) + np.array([ord(c) % 5 for c in s])
    add_factor("singletons", np.round(y, 6), s)
    # near-perfect stratification
    s = np.repeat(np.arange(5), 8)
    y = s * 10.0 + rng.normal(0, 0.01, size=len(s))
    add_factor("strong effect", np.round(y, 8), [f"k{v}" for v in s])

    # interaction detector: search random small designs for every kind
    tol = 1e-10
    inter_cases = []
    wanted = {"weaken_nonlinear": 0, "weaken_uni": 0, "enhance_bi": 0, "independent": 0, "enhance_nonlinear": 0}

    def add_inter(name, y, s1, s2, var, sing):
        with np.errstate(all="ignore"):
            q1 = gd_factor_ref_q(y, s1, sing)
            q2 = gd_factor_ref_q(y, s2, sing)
            q12 = gd_factor_ref_q(y, overlay(s1, s2), sing)
        if not all(np.isfinite([q1, q2, q12])):
            return None
        kind = interaction_kind(q1, q2, q12, tol)
        inter_cases.append({"name": name, "y": list(map(float, y)), "x1": [str(v) for v in s1],
                            "x2": [str(v) for v in s2], "variance": var, "singletons": sing,
                            "q1": q1, "q2": q2, "q12": q12, "kind": kind})
        return kind

    # exact independence: balanced additive design, two observations per
    # cell with symmetric noise (no interaction sum of squares)
    a = np.repeat(np.arange(3), 8)
    b = np.tile(np.repeat(np.arange(4), 2), 3)
    e = np.tile([0.25, -0.25], 12)
    y = 2.0 * a + np.array([0.0, 1.0, 3.0, 7.0])[b] + e
    for var, sing in CONVENTIONS:
        add_inter("balanced additive (independent)", y, [f"a{v}" for v in a], [f"b{v}" for v in b], var, sing)
    y = 2.0 * a + np.array([0.0, 1.0, 3.0, 7.0])[b]
    add_inter("balanced additive, exact (independent, q12 = 1)", y, [f"a{v}" for v in a], [f"b{v}" for v in b],
              "population", "drop")
    # XOR: nonlinear enhancement
    a = np.repeat([0, 1], 10)
    b = np.tile([0, 1], 10)
    y = (a ^ b) * 5.0 + rng.normal(0, 0.1, size=20)
    for var, sing in CONVENTIONS[:2]:
        add_inter("xor (enhance nonlinear)", np.round(y, 6), [f"a{v}" for v in a], [f"b{v}" for v in b], var, sing)
    tries = 0
    while (min(wanted.values()) < 3 or len(inter_cases) < 30) and tries < 20000:
        tries += 1
        n = int(rng.integers(8, 40))
        s1 = rng.integers(0, int(rng.integers(2, 5)), size=n)
        mode = rng.integers(0, 3)
        if mode == 0:
            s2 = rng.integers(0, int(rng.integers(2, 6)), size=n)
        elif mode == 1:
            s2 = np.where(rng.uniform(size=n) < 0.8, s1, rng.integers(0, 3, size=n))
        else:
            s2 = (s1 + rng.integers(0, 2, size=n)) % 4
        y = np.round(rng.normal(size=n) + rng.uniform(0, 2) * s1 + rng.uniform(0, 2) * (s2 % 2), 4)
        var, sing = CONVENTIONS[int(rng.integers(0, 4))]
        kind = None
        if np.var(y) > 0:
            with np.errstate(all="ignore"):
                pre = len(inter_cases)
                kind = add_inter(f"random design {tries}", y, [f"a{v}" for v in s1], [f"b{v}" for v in s2], var, sing)
                if kind is not None and wanted[kind] >= 3 and len(inter_cases) > 30:
                    inter_cases.pop()
                    kind = None
                elif kind is None and len(inter_cases) > pre:
                    inter_cases.pop()
        if kind is not None:
            wanted[kind] += 1
    print("interaction kinds:", wanted)
    for c in inter_cases:
        r12 = gd_factor_ref(c["y"], overlay(c["x1"], c["x2"]), c["variance"], c["singletons"])
        c["pvalue12"] = r12["pvalue"]
        c["pvalue12_mp"] = r12["pvalue_mp"]

    # risk detector: Welch t-tests between all pairs of strata
    risk_cases = []
    risk_designs = [(20, 3), (45, 4), (100, 5), (12, 4), (300, 6)] + [
        (int(rng.integers(10, 120)), int(rng.integers(2, 6))) for _ in range(5)]
    for i, (n, nl) in enumerate(risk_designs):
        s = rng.integers(0, nl, size=n)
        y = np.round(rng.normal(size=n) * (1 + s) + 0.7 * s, 6)
        if i == 3:
            s[0] = 9  # a singleton stratum
        for sing in ("drop", "keep"):
            labels, counts = np.unique(s, return_counts=True)
            keep = labels if sing == "keep" else labels[counts >= 2]
            pairs = []
            for ia in range(len(keep)):
                for ib in range(ia + 1, len(keep)):
                    ya, yb = y[s == keep[ia]], y[s == keep[ib]]
                    with np.errstate(all="ignore"):
                        t, p = stats.ttest_ind(ya, yb, equal_var=False)
                        va, vb = np.var(ya, ddof=1) / len(ya), np.var(yb, ddof=1) / len(yb)
                        dfw = (va + vb) ** 2 / (va ** 2 / (len(ya) - 1) + vb ** 2 / (len(yb) - 1))
                    pairs.append({"a": f"s{keep[ia]}", "b": f"s{keep[ib]}", "t": f(t), "df": f(dfw), "pvalue": f(p)})
            risk_cases.append({"name": f"risk {i} ({sing})", "y": list(map(float, y)),
                               "strata": [f"s{v}" for v in s], "singletons": sing, "pairs": pairs})
    # constant strata: different means (t = inf, p = 0) and equal means (NaN)
    y = np.array([1.0, 1.0, 1.0, 3.0, 3.0, 3.0, 1.0, 1.0])
    s = ["a", "a", "a", "b", "b", "b", "c", "c"]
    pairs = []
    for ia, ib in [("a", "b"), ("a", "c"), ("b", "c")]:
        ya = y[np.array(s) == ia]
        yb = y[np.array(s) == ib]
        with np.errstate(all="ignore"):
            t, p = stats.ttest_ind(ya, yb, equal_var=False)
        pairs.append({"a": ia, "b": ib, "t": f(t), "df": 1.0, "pvalue": f(p)})
    risk_cases.append({"name": "constant strata", "y": list(y), "strata": s, "singletons": "drop", "pairs": pairs})

    # ecological detector
    eco_cases = []
    for i in range(22):
        n = int(rng.integers(15, 400))
        s1 = rng.integers(0, int(rng.integers(2, 7)), size=n)
        s2 = rng.integers(0, int(rng.integers(2, 7)), size=n)
        y = np.round(rng.normal(size=n) + rng.uniform(0, 2) * s1 + rng.uniform(0, 2) * s2, 6)
        var, sing = CONVENTIONS[i % 4]
        r1 = gd_factor_ref(y, s1, var, sing)
        r2 = gd_factor_ref(y, s2, var, sing)
        n1, n2 = r1["n"], r2["n"]
        fv = (n1 * (n2 - 1) * r1["ssw"]) / (n2 * (n1 - 1) * r2["ssw"])
        eco_cases.append({"name": f"eco {i}", "y": list(map(float, y)), "x1": [f"a{v}" for v in s1],
                          "x2": [f"b{v}" for v in s2], "variance": var, "singletons": sing,
                          "f": f(fv), "df1": n1 - 1, "df2": n2 - 1, "pvalue": f(stats.f.sf(fv, n1 - 1, n2 - 1))})

    dump("geodetector.json",
         "formulas of Wang et al. 2010 / Wang, Zhang & Fu 2016 in numpy; p: scipy.stats.ncf.sf and "
         "mpmath (60 digits); *_py_geodetector: py-geodetector (R geodetector conventions); "
         "risk: scipy.stats.ttest_ind(equal_var=False); ecological: scipy.stats.f.sf",
         factor_cases, interaction=inter_cases, risk=risk_cases, ecological=eco_cases)


# --------------------------------------------------------------------------
# Discretisation
# --------------------------------------------------------------------------
def fisher_dp_ref(x, k):
    """Exact weighted Fisher (natural breaks) programme on the distinct values, O(k m^2)."""
    v, w = np.unique(np.asarray(x, float), return_counts=True)
    m = len(v)
    k = min(k, m)
    if k <= 1:
        return []
    cw = np.concatenate([[0.0], np.cumsum(w)])
    c = np.average(v, weights=w)
    cs1 = np.concatenate([[0.0], np.cumsum(w * (v - c))])
    cs2 = np.concatenate([[0.0], np.cumsum(w * (v - c) ** 2)])

    def cost(j, i):  # items j..i inclusive (vectorised over j)
        ww = cw[i + 1] - cw[j]
        s1 = cs1[i + 1] - cs1[j]
        return np.maximum(cs2[i + 1] - cs2[j] - s1 * s1 / ww, 0.0)

    prev = np.array([cost(0, i) for i in range(m)])
    back = []
    for q in range(2, k + 1):
        cur = np.full(m, np.inf)
        arg = np.zeros(m, int)
        for i in range(q - 1, m):
            js = np.arange(q - 1, i + 1)
            vals = prev[js - 1] + cost(js, i)
            jbest = int(np.argmin(vals))
            cur[i] = vals[jbest]
            arg[i] = js[jbest]
        back.append(arg)
        prev = cur
    out = []
    i = m - 1
    for q in range(k, 1, -1):
        j = back[q - 2][i]
        out.append(float(v[j - 1]))
        i = j - 1
    return out[::-1]


def breaks_ref(x, method, k):
    x = np.asarray(x, float)
    xs = np.sort(x)
    lo, hi = xs[0], xs[-1]
    if lo == hi:
        return []
    if method == "equal":
        w = (hi - lo) / k
        raw = [lo + i * w for i in range(1, k)]
    elif method == "quantile":
        raw = [float(np.quantile(xs, i / k)) for i in range(1, k)]
    elif method == "natural":
        raw = fisher_dp_ref(xs, k)
    elif method == "geometric":
        shift = 0.0 if lo > 0 else 1.0 - lo
        a, b = lo + shift, hi + shift
        r = (b / a) ** (1.0 / k)
        raw = [a * r ** i - shift for i in range(1, k)]
    elif method == "sd":
        mean = xs.sum() / len(xs)
        sd = math.sqrt(((xs - mean) ** 2).sum() / (len(xs) - 1))
        h = min(6.0 / k, 1.0)
        raw = [mean + (i - k / 2.0) * h * sd for i in range(1, k)]
    else:
        raise ValueError(method)
    return sorted({b for b in raw if math.isfinite(b) and lo <= b < hi})


METHODS = ["equal", "quantile", "natural", "geometric", "sd"]


def discretization():
    rng = np.random.default_rng(5)
    datasets = {
        "normal": np.round(rng.normal(10, 3, size=300), 4),
        "lognormal": np.round(rng.lognormal(0, 1, size=250), 5),
        "uniform negative": np.round(rng.uniform(-50, 20, size=200), 3),
        "ties": rng.integers(0, 12, size=150).astype(float),
        "bimodal": np.round(np.concatenate([rng.normal(0, 1, 120), rng.normal(8, 0.5, 80)]), 4),
        "small": np.array([1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 30.0, 31.0, 50.0]),
        "zero min": np.round(np.abs(rng.normal(0, 5, size=100)), 3) * (rng.uniform(size=100) > 0.1),
        "constant": np.full(20, 4.5),
    }
    cases = []
    for name, x in datasets.items():
        for method in METHODS:
            for k in [2, 3, 4, 5, 7, 10, 15]:
                b = breaks_ref(x, method, k)
                classes = np.searchsorted(np.array(b), x, side="left").tolist() if b else [0] * len(x)
                case = {"name": name, "x": list(map(float, x)), "method": method, "k": k,
                        "interior": b, "classes": classes}
                if method == "natural" and jenkspy is not None and len(np.unique(x)) == len(x) and k < len(x):
                    jb = jenkspy.jenks_breaks(list(map(float, x)), n_classes=k)
                    case["jenkspy_interior"] = [float(v) for v in jb[1:-1]]
                cases.append(case)
    dump("discretize.json", "numpy formulas (quantile: numpy.quantile 'linear' = R type 7); natural breaks: "
         "exact weighted Fisher programme O(k m^2) in numpy, and jenkspy where the data have no ties", cases)


def q_of(y, classes, variance="population", singletons="drop"):
    try:
        with np.errstate(all="ignore"):
            r = gd_factor_ref_q(y, classes, singletons)
    except (ValueError, ZeroDivisionError):
        return float("nan")
    return r


def gd_factor_ref_q(y, s, singletons):
    y = np.asarray(y, float)
    s = np.asarray(s)
    labels, counts = np.unique(s, return_counts=True)
    keep = labels if singletons == "keep" else labels[counts >= 2]
    if len(keep) < 2:
        return float("nan")
    mask = np.isin(s, keep)
    y2, s2 = y[mask], s[mask]
    if len(y2) <= len(keep):
        return float("nan")
    sst = ((y2 - y2.mean()) ** 2).sum()
    ssw = sum(((y2[s2 == h] - y2[s2 == h].mean()) ** 2).sum() for h in keep)
    return float(1.0 - ssw / sst)


def optimal_discretization():
    rng = np.random.default_rng(11)
    cases = []
    for i in range(20):
        n = int(rng.integers(60, 400))
        kind = i % 4
        if kind == 0:
            x = rng.normal(0, 1, n)
            y = np.where(x > 0.3, 2.0, 0.0) + rng.normal(0, 0.5, n)
        elif kind == 1:
            x = rng.lognormal(0, 1, n)
            y = np.log(x) ** 2 + rng.normal(0, 0.3, n)
        elif kind == 2:
            x = rng.uniform(-5, 5, n)
            y = np.sin(x) + rng.normal(0, 0.2, n)
        else:
            x = rng.integers(0, 30, n).astype(float)
            y = (x % 7) + rng.normal(0, 1, n)
        x = np.round(x, 4)
        y = np.round(y, 4)
        sing = "drop" if i % 5 else "keep"
        cands = []
        for method in METHODS:
            for k in range(3, 16):
                b = breaks_ref(x, method, k)
                classes = np.searchsorted(np.array(b), x, side="left") if b else np.zeros(n, int)
                q = gd_factor_ref_q(y, classes, sing) if b else float("nan")
                cands.append({"method": method, "k": k, "n_classes": len(b) + 1, "q": q})
        best_q = max(c["q"] for c in cands if not math.isnan(c["q"]))
        tied = [c for c in cands if not math.isnan(c["q"]) and c["q"] >= best_q - 1e-10]
        best = min(tied, key=lambda c: (c["n_classes"], METHODS.index(c["method"]), c["k"]))
        cases.append({"name": f"optimal {i}", "x": list(map(float, x)), "y": list(map(float, y)),
                      "singletons": sing, "candidates": cands, "best": best})
    dump("optimal_discretization.json", "brute force over methods x classes 3..15 in numpy (q from the formula), "
         "highest q, ties (1e-10) to fewer classes then method order", cases)


# --------------------------------------------------------------------------
# Pearson correlation and Fisher-z averaging
# --------------------------------------------------------------------------
def correlation():
    rng = np.random.default_rng(3)
    cases = []

    def add(name, x, y):
        xs = x if isinstance(x, dict) else None
        ys = y if isinstance(y, dict) else None
        x = generate(x) if xs else np.asarray(x, float)
        y = generate(y) if ys else np.asarray(y, float)
        ok = ~np.isnan(x) & ~np.isnan(y)
        with np.errstate(all="ignore"):
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r, p = stats.pearsonr(x[ok], y[ok])
        cases.append({"name": name, "x": xs or list(map(float, x)), "y": ys or list(map(float, y)),
                      "r": f(r), "pvalue": f(p), "n": int(ok.sum())})

    for n, rho in [(3, 0.5), (4, 0.9), (5, -0.3), (8, 0.0), (12, 0.7), (30, 0.2), (50, -0.95),
                   (100, 0.05), (400, 0.5), (1000, -0.1), (2500, 0.999), (5000, 0.01)]:
        x = rng.normal(size=n)
        y = rho * x + math.sqrt(max(1 - rho * rho, 0)) * rng.normal(size=n)
        add(f"n={n} rho={rho}", np.round(x, 8), np.round(y, 8))
    add("n=2", [1.0, 2.0], [3.0, 1.0])
    add("perfect", np.arange(10.0), 2 * np.arange(10.0) + 1)
    add("perfect negative", np.arange(10.0), -np.arange(10.0))
    add("constant y", rng.normal(size=10), np.full(10, 3.0))
    x = rng.normal(size=40)
    y = 0.6 * x + rng.normal(size=40)
    x[[3, 17]] = np.nan
    y[[5, 17, 30]] = np.nan
    add("with NaN", x, y)
    add("large offsets", 1e6 + rng.normal(size=50), -3e5 + rng.normal(size=50))
    add("ties", rng.integers(0, 4, 60).astype(float), rng.integers(0, 3, 60).astype(float))
    add("n=3 exact", [1.0, 2.0, 4.0], [2.0, 1.0, 5.0])
    add("tiny correlation n=20000 (generated)", gen_spec(41, 20000), gen_spec(42, 20000))
    add("uniform n=50000 (generated)", gen_spec(43, 50000, kind="uniform"), gen_spec(44, 50000, kind="uniform"))
    add("both constant", np.full(6, 1.0), np.full(6, 2.0))

    # matrix with list-wise NaN removal
    mats = []
    shapes = [(60, 4), (200, 6), (25, 3)] + [(int(rng.integers(8, 80)), int(rng.integers(2, 6))) for _ in range(17)]
    for i, (n, v) in enumerate(shapes):
        data = rng.normal(size=(n, v))
        data[:, 1] += 0.5 * data[:, 0]
        data[:, v - 1] -= 0.3 * data[:, 0]
        nan_rows = rng.choice(n, size=max(n // 10, 1), replace=False)
        for r in nan_rows:
            data[r, rng.integers(0, v)] = np.nan
        ok = ~np.isnan(data).any(axis=1)
        rmat = np.eye(v)
        pmat = np.zeros((v, v))
        for a in range(v):
            for b in range(a + 1, v):
                r_, p_ = stats.pearsonr(data[ok, a], data[ok, b])
                rmat[a, b] = rmat[b, a] = r_
                pmat[a, b] = pmat[b, a] = p_
        mats.append({"name": f"matrix {i}", "data": [[None if np.isnan(c) else float(c) for c in row] for row in data],
                     "r": rmat.tolist(), "pvalues": pmat.tolist(), "n": int(ok.sum())})

    # Fisher-z average
    fisher = []
    for i in range(20):
        m = int(rng.integers(1, 8))
        rs = np.clip(rng.uniform(-1, 1, size=m), -1, 1)
        if i == 3:
            rs[0] = 1.0
        if i == 4:
            rs[:] = -1.0
        ns = rng.integers(2, 500, size=m)
        z = np.arctanh(np.clip(rs, -0.999999, 0.999999))
        w = np.maximum(ns - 3, 1)
        fisher.append({"r": rs.tolist(), "n": ns.tolist(), "mean_r": f(np.tanh((w * z).sum() / w.sum()))})
    dump("correlation.json", "scipy.stats.pearsonr (pairwise/list-wise NaN removal done before the call); "
         "Fisher-z average in numpy", cases, matrices=mats, fisher=fisher)


# --------------------------------------------------------------------------
# Binned box statistics
# --------------------------------------------------------------------------
PCTS = [2.0, 25.0, 50.0, 75.0, 98.0]


def boxstats():
    rng = np.random.default_rng(9)
    cases = []
    for i in range(14):
        n = int(rng.integers(20, 600))
        fac = np.round(rng.uniform(0, 12, n), 3)
        resp = np.round(rng.normal(size=n) * (1 + fac / 5) - fac, 4)
        if i % 2 == 1:
            fac[rng.choice(n, 5, replace=False)] = np.nan
            resp[rng.choice(n, 7, replace=False)] = np.nan
        width, origin = [(1.0, 0.0), (2.5, 0.0), (0.7, 0.3)][i % 3]
        ok = ~np.isnan(fac) & ~np.isnan(resp)
        k = np.floor((fac[ok] - origin) / width).astype(int)
        bins = []
        for b in range(k.min(), k.max() + 1):
            sel = resp[ok][k == b]
            bins.append({"lower": origin + b * width, "upper": origin + (b + 1) * width, "count": int(len(sel)),
                         "mean": f(sel.mean()) if len(sel) else None,
                         "percentiles": [f(v) for v in np.percentile(sel, PCTS)] if len(sel) else [None] * 5})
        cases.append({"name": f"width {i}", "response": [None if np.isnan(v) else float(v) for v in resp],
                      "factor": [None if np.isnan(v) else float(v) for v in fac],
                      "width": width, "origin": origin, "bins": bins, "missing": int((~ok).sum())})
    for i in range(6):
        n = int(rng.integers(30, 500))
        fac = np.round(rng.gamma(2, 3, n), 3)
        resp = np.round(rng.normal(size=n), 4)
        edges = [0.0, 1.0, 2.5, 5.0, 10.0, 20.0]
        hist_bins = []
        inside = (fac >= edges[0]) & (fac <= edges[-1])
        idx = np.digitize(fac, edges[1:-1], right=False)  # [e_i, e_i+1)
        for b in range(len(edges) - 1):
            sel = resp[inside & (idx == b)]
            hist_bins.append({"lower": edges[b], "upper": edges[b + 1], "count": int(len(sel)),
                              "mean": f(sel.mean()) if len(sel) else None,
                              "percentiles": [f(v) for v in np.percentile(sel, PCTS)] if len(sel) else [None] * 5})
        cases.append({"name": f"edges {i}", "response": resp.tolist(), "factor": fac.tolist(), "edges": edges,
                      "bins": hist_bins, "missing": 0, "outside": int((~inside).sum())})
    # two factors jointly
    two = []
    for i in range(20):
        n = int(rng.integers(40, 300))
        f1 = np.round(rng.uniform(0, 30, n), 2)
        f2 = np.round(rng.uniform(0, 360, n), 1)
        resp = np.round(rng.normal(size=n) + f1 / 10, 4)
        e1 = [0.0, 10.0, 20.0, 30.0]
        e2 = [0.0, 90.0, 180.0, 270.0, 360.0]
        i1 = np.clip(np.searchsorted(e1, f1, side="right") - 1, 0, len(e1) - 2)
        i2 = np.clip(np.searchsorted(e2, f2, side="right") - 1, 0, len(e2) - 2)
        cells = []
        for a in range(len(e1) - 1):
            for b in range(len(e2) - 1):
                sel = resp[(i1 == a) & (i2 == b)]
                cells.append({"index": [a, b], "count": int(len(sel)),
                              "percentiles": [f(v) for v in np.percentile(sel, PCTS)] if len(sel) else [None] * 5})
        two.append({"name": f"two factors {i}", "response": resp.tolist(), "factor1": f1.tolist(),
                    "factor2": f2.tolist(), "edges1": e1, "edges2": e2, "cells": cells})
    dump("boxstats.json", "numpy.percentile (linear) over numpy-binned data", cases, two_factor=two, percentiles=PCTS)


# --------------------------------------------------------------------------
# Agreement indices and silhouette
# --------------------------------------------------------------------------
def agreement():
    rng = np.random.default_rng(21)
    cases = []

    def add(name, a, b):
        cases.append({"name": name, "a": [int(v) for v in a], "b": [int(v) for v in b],
                      "ari": f(metrics.adjusted_rand_score(a, b)),
                      "nmi": f(metrics.normalized_mutual_info_score(a, b)),
                      "mi": f(metrics.mutual_info_score(a, b))})

    for n, ka, kb, noise in [(10, 2, 2, 0.2), (30, 3, 3, 0.1), (50, 4, 2, 0.5), (100, 5, 5, 0.0),
                             (200, 3, 6, 0.3), (500, 8, 8, 0.9), (1000, 10, 4, 0.4), (5000, 20, 15, 0.2),
                             (20000, 6, 6, 0.05), (37, 1, 3, 0.0), (40, 7, 1, 0.0)]:
        a = rng.integers(0, ka, n)
        b = np.where(rng.uniform(size=n) < noise, rng.integers(0, kb, n), a % kb)
        add(f"n={n} ka={ka} kb={kb} noise={noise}", a, b)
    a = rng.integers(0, 4, 60)
    add("identical", a, a)
    perm = np.array([3, 0, 2, 1])
    add("permuted labels", a, perm[a])
    add("with noise label -1", np.where(rng.uniform(size=60) < 0.2, -1, a), a)
    add("single cluster both", np.zeros(15, int), np.zeros(15, int))
    add("singletons", np.arange(12), rng.integers(0, 3, 12))
    add("all singletons both", np.arange(12), np.arange(12)[::-1])
    add("independent", rng.integers(0, 3, 300), rng.integers(0, 3, 300))
    add("two points", [0, 1], [1, 1])
    add("nested partitions", np.repeat(np.arange(6), 10), np.repeat(np.arange(3), 20))
    add("large noisy n=8000", rng.integers(0, 12, 8000), rng.integers(0, 12, 8000))

    sil = []

    def add_sil(name, X, labels):
        X = np.asarray(X, float)
        sil.append({"name": name, "points": X.tolist(), "labels": [int(v) for v in labels],
                    "score": f(metrics.silhouette_score(X, labels)),
                    "samples": [f(v) for v in metrics.silhouette_samples(X, labels)]})

    for i, (n, d, k) in enumerate([(10, 2, 2), (30, 2, 3), (60, 3, 4), (100, 2, 5), (150, 5, 3), (300, 2, 6),
                                   (500, 4, 8), (40, 1, 2), (80, 10, 4), (200, 3, 2)]):
        centers = rng.normal(0, 4, size=(k, d))
        lab = rng.integers(0, k, n)
        X = centers[lab] + rng.normal(size=(n, d))
        add_sil(f"blobs n={n} d={d} k={k}", np.round(X, 6), lab)
        add_sil(f"random labels n={n}", np.round(X, 6), rng.integers(0, k, n))
    X = rng.normal(size=(12, 2))
    lab = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4])  # a singleton cluster
    add_sil("singleton cluster", np.round(X, 6), lab)
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.0], [5.0, 5.0]])
    add_sil("duplicate points", X, [0, 0, 1, 1, 1])
    dump("agreement.json", "sklearn.metrics adjusted_rand_score, normalized_mutual_info_score (arithmetic), "
         "mutual_info_score, silhouette_score / silhouette_samples (euclidean)", cases, silhouette=sil)


# --------------------------------------------------------------------------
# Spatial statistics
# --------------------------------------------------------------------------
def spatial():
    rng = np.random.default_rng(17)
    cases = []
    for i in range(20):
        n = int(rng.integers(20, 250))
        x = np.round(rng.uniform(0, 10, n), 4)
        y = np.round(rng.uniform(0, 6, n), 4)
        z = np.round(np.sin(x) + 0.5 * np.cos(y) + rng.normal(0, 0.3, n), 5)
        w = [0.5, 1.0, 1.7, 3.0][i % 4]
        maxd = [4.0, 6.0, 9.0, 12.0][i % 4]
        ii, jj = np.triu_indices(n, 1)
        d = np.sqrt((x[ii] - x[jj]) ** 2 + (y[ii] - y[jj]) ** 2)
        mean = z.mean()
        var = ((z - mean) ** 2).mean()
        nb = int(math.ceil(maxd / w))
        bins = []
        for b in range(nb):
            sel = (d < maxd) & (np.floor(d / w) == b)
            c = int(sel.sum())
            if c:
                sv = ((z[ii][sel] - z[jj][sel]) ** 2).sum() / (2 * c)
                cv = ((z[ii][sel] - mean) * (z[jj][sel] - mean)).sum() / c
                bins.append({"count": c, "mean_distance": f(d[sel].mean()), "semivariance": f(sv),
                             "covariance": f(cv), "correlation": f(cv / var)})
            else:
                bins.append({"count": 0, "mean_distance": None, "semivariance": None, "covariance": None,
                             "correlation": None})
        cases.append({"name": f"variogram {i}", "x": x.tolist(), "y": y.tolist(), "z": z.tolist(),
                      "bin_width": w, "max_distance": maxd, "mean": f(mean), "variance": f(var), "bins": bins})
    sd_cases = []
    for i in range(20):
        n = int(rng.integers(2, 500))
        x = rng.normal(100, 5, n)
        y = rng.normal(-30, 2, n)
        if i % 2:
            w = rng.uniform(0, 3, n)
            mx, my = (w * x).sum() / w.sum(), (w * y).sum() / w.sum()
            sd = math.sqrt((w * ((x - mx) ** 2 + (y - my) ** 2)).sum() / w.sum())
            sd_cases.append({"x": x.tolist(), "y": y.tolist(), "w": w.tolist(), "sd": sd})
        else:
            sd = math.sqrt(((x - x.mean()) ** 2).mean() + ((y - y.mean()) ** 2).mean())
            sd_cases.append({"x": x.tolist(), "y": y.tolist(), "w": None, "sd": sd})
    dump("spatial.json", "brute-force numpy over all pairs (variogram/covariogram/correlogram); "
         "standard distance formula in numpy", cases, standard_distance=sd_cases)


SECTIONS = {
    "special": special_functions,
    "ks": ks_two_sample,
    "geodetector": geodetector,
    "discretize": discretization,
    "optimal": optimal_discretization,
    "correlation": correlation,
    "boxstats": boxstats,
    "agreement": agreement,
    "spatial": spatial,
}


def main(argv):
    import time
    wanted = argv[1:] or list(SECTIONS)
    for name in wanted:
        t0 = time.time()
        SECTIONS[name]()
        print(f"  ({name}: {time.time() - t0:.1f} s)")


if __name__ == "__main__":
    main(sys.argv)
