"""Peer benchmark `stats`: scipy (ks_2samp, pearsonr) and py-geodetector
against `permafrost-insar stats ks`, `stats corr` and `geodetector`.

Verbs (see xtask/src/bench.rs): generate DIR [--quick] | cases DIR |
peer DIR CASE | compare DIR CASE.
"""

import json
import sys
from pathlib import Path

import numpy as np

SEED = 20261121


def sizes(quick):
    if quick:
        return {"ks": 20_000, "corr": 20_000, "gd": 5_000}
    return {"ks": 5_000_000, "corr": 2_000_000, "gd": 1_000_000}


def generate(d, quick):
    import netCDF4

    n = sizes(quick)
    rng = np.random.default_rng(SEED)
    # KS: two samples of different lengths with NaN (dropped by both sides).
    a = rng.normal(0.0, 1.0, n["ks"])
    b = rng.standard_t(5, n["ks"] + 1234) * 0.98 + 0.004
    a[rng.random(a.size) < 0.01] = np.nan
    with netCDF4.Dataset(d / "ks.nc", "w") as ds:
        ds.createDimension("i", a.size)
        ds.createDimension("j", b.size)
        ds.createVariable("a", "f8", ("i",))[:] = a
        ds.createVariable("b", "f8", ("j",))[:] = b
    # Correlation: six co-located fields with planted correlations and NaN.
    m = n["corr"]
    base = rng.normal(size=(3, m))
    fields = {
        "def": base[0],
        "tdd": 0.6 * base[0] + 0.8 * base[1],
        "fdd": -0.3 * base[0] + rng.normal(size=m),
        "snow": 0.5 * base[1] + 0.5 * base[2],
        "slope": rng.normal(size=m),
        "ndvi": 0.2 * base[2] + rng.normal(size=m),
    }
    with netCDF4.Dataset(d / "corr.nc", "w") as ds:
        ds.createDimension("i", m)
        for k, v in fields.items():
            v = v.copy()
            v[rng.random(m) < 0.02] = np.nan
            ds.createVariable(k, "f8", ("i",))[:] = v
    # Geodetector: integer factors, response driven by two of them.
    g = n["gd"]
    f = {f"f{i}": rng.integers(0, k, g) for i, k in enumerate([5, 7, 9, 4], start=1)}
    y = 2.0 * f["f1"] + 0.5 * f["f2"] * (f["f3"] % 3) + rng.normal(0, 3.0, g)
    import pandas as pd

    pd.DataFrame({"y": np.round(y, 6), **f}).to_csv(d / "table.csv", index=False)
    (d / "sizes.json").write_text(json.dumps(n))


def cases(d):
    n = json.loads((d / "sizes.json").read_text())
    corr_inputs = []
    for k in ["def", "tdd", "fdd", "snow", "slope", "ndvi"]:
        corr_inputs += ["--input", f"{k}={{dir}}/corr.nc:{k}"]
    return [
        {
            "case": "ks",
            "what": "two-sample KS (asymptotic p), NaN dropped",
            "input": f"{n['ks']:,} + {n['ks'] + 1234:,} values (NetCDF)",
            "ours": ["--json", "stats", "ks", "{dir}/ks.nc:a", "{dir}/ks.nc:b"],
        },
        {
            "case": "corr",
            "what": "Pearson matrix + p-values, list-wise NaN removal",
            "input": f"6 variables × {n['corr']:,} values (NetCDF)",
            "ours": ["--json", "stats", "corr"] + corr_inputs,
        },
        {
            "case": "geodetector",
            "what": "factor, interaction, risk and ecological detectors",
            "input": f"{n['gd']:,} rows × 4 categorical factors (CSV)",
            "ours": [
                "--json", "geodetector", "--table", "{dir}/table.csv", "--y", "y",
                "--x", "f1,f2,f3,f4", "--categorical", "f1,f2,f3,f4",
            ],
        },
    ]


def peer(d, case):
    import netCDF4
    from scipy import stats

    if case == "ks":
        with netCDF4.Dataset(d / "ks.nc") as ds:
            a = np.asarray(ds["a"][:], float)
            b = np.asarray(ds["b"][:], float)
        r = stats.ks_2samp(a[~np.isnan(a)], b[~np.isnan(b)])
        print(json.dumps({"statistic": float(r.statistic), "pvalue": float(r.pvalue)}))
    elif case == "corr":
        names = ["def", "tdd", "fdd", "snow", "slope", "ndvi"]
        with netCDF4.Dataset(d / "corr.nc") as ds:
            x = np.vstack([np.asarray(ds[k][:], float) for k in names])
        x = x[:, ~np.isnan(x).any(axis=0)]
        k = len(names)
        mat = np.eye(k)
        pv = np.zeros((k, k))
        for i in range(k):
            for j in range(i + 1, k):
                r = stats.pearsonr(x[i], x[j])
                mat[i, j] = mat[j, i] = r.statistic
                pv[i, j] = pv[j, i] = r.pvalue
        print(json.dumps({"matrix": mat.tolist(), "pvalues": pv.tolist(), "n": int(x.shape[1])}))
    elif case == "geodetector":
        import pandas as pd
        import geodetector as pygd

        df = pd.read_csv(d / "table.csv")
        factors = ["f1", "f2", "f3", "f4"]
        gd = pygd.GeoDetector(df, "y", factors)
        q = {f: float(gd.factor_detector(f)[0]) for f in factors}
        gd.interaction_detector()
        gd.risk_detector()
        gd.ecological_detector()
        print(json.dumps({"q": q}))
    else:
        sys.exit(f"unknown case {case}")


def compare(d, case):
    ours = json.loads((d / f"{case}.ours.out").read_text())
    theirs = json.loads((d / f"{case}.peer.out").read_text())
    if case == "ks":
        ds = abs(ours["statistic"] - theirs["statistic"])
        dp = abs(ours["pvalue"] - theirs["pvalue"]) / max(abs(theirs["pvalue"]), 1e-300)
        ok = ds <= 1e-12 and (dp <= 1e-6 or abs(ours["pvalue"] - theirs["pvalue"]) <= 1e-15)
        msg = f"|ΔD| = {ds:.1e}, p rel. diff {dp:.1e}"
    elif case == "corr":
        a = np.array(ours["matrix"], float)
        b = np.array(theirs["matrix"], float)
        dm = float(np.max(np.abs(a - b)))
        pa = np.array([[np.nan if v is None else v for v in row] for row in ours["pvalues"]], float)
        pb = np.array(theirs["pvalues"], float)
        off = ~np.eye(len(a), dtype=bool)
        dp = float(np.max(np.abs(pa[off] - pb[off])))
        ok = dm <= 1e-10 and dp <= 1e-10 and ours["n"] == theirs["n"]
        msg = f"max |Δr| = {dm:.1e}, max |Δp| = {dp:.1e}, n {ours['n']} vs {theirs['n']}"
    elif case == "geodetector":
        q_ours = {f["name"]: f["q"] for f in ours["factor"]}
        dq = max(abs(q_ours[k] - v) for k, v in theirs["q"].items())
        ok = dq <= 1e-9
        msg = f"max |Δq| = {dq:.1e}"
    else:
        sys.exit(f"unknown case {case}")
    print(msg)
    if not ok:
        sys.exit(1)


def main():
    verb, d = sys.argv[1], Path(sys.argv[2])
    if verb == "generate":
        d.mkdir(parents=True, exist_ok=True)
        generate(d, "--quick" in sys.argv[3:])
    elif verb == "cases":
        print(json.dumps(cases(d)))
    elif verb == "peer":
        peer(d, sys.argv[3])
    elif verb == "compare":
        compare(d, sys.argv[3])
    else:
        sys.exit(f"unknown verb {verb}")


if __name__ == "__main__":
    main()
