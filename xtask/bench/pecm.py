"""Peer benchmark `pecm`: NumPy against `permafrost-insar pecm fit`.

The peer is what a scientist writes with NumPy today for one temperature
series per scene: onsets, ADDT/ADDF and the bases once (the rules of
SCIENCE.md §2–3 as the crate documents them, transcribed from
xtask/reference/permafrost-pecm/pecm_reference.py), then every pixel at
once with `numpy.linalg.lstsq` (many right-hand sides), σ from
σ̂²(AᵀA)⁻¹, residual RMS, R², and for the time series (with a free offset,
as the command fits by default) the sinusoid and Stefan rivals with AIC and
the preferred model. Inputs: a MintPy `timeseries.h5`
(planted PECM + 3 mm white noise, `float32`) or a MintPy `ifgramStack.h5`
(460 interferograms of 150 dates), and a daily temperature NetCDF (time).

Verbs (see xtask/src/bench.rs): generate DIR [--quick] | cases DIR |
peer DIR CASE | compare DIR CASE.
"""

import datetime as dt
import json
import math
import sys
from pathlib import Path

import numpy as np

SEED = 20261121
START = dt.date(2015, 1, 1)
NDAYS = 6 * 365
FIRST_SAR = dt.date(2015, 10, 3)
NDATES = 150
R0 = 1.2
LAMBDA = 0.05546576
DAYS_PER_YEAR = 365.25
OUTPUTS = ["linear_rate", "linear_rate_std", "seasonal_amplitude",
           "seasonal_amplitude_std", "residual_rms", "r2"]


def sizes(quick):
    if quick:
        return {"ts": [20, 20], "joint": [16, 16]}
    return {"ts": [400, 400], "joint": [200, 200]}


# --- forcing and bases (pure Python, once per scene) ----------------------

def temperature():
    rng = np.random.default_rng(SEED)
    e, out = 0.0, []
    for i in range(NDAYS):
        doy = (START + dt.timedelta(days=i)).timetuple().tm_yday
        e = 0.7 * e + 2.0 * rng.standard_normal()
        out.append(-4.0 + 14.0 * math.cos(2 * math.pi * (doy - 200.0) / 365.25) + e)
    return out


def running_mean(x, w):
    c = np.concatenate([[0.0], np.cumsum(x)])
    n, h = len(x), w // 2
    lo = np.maximum(np.arange(n) - h, 0)
    hi = np.minimum(np.arange(n) + h + 1, n)
    return list((c[hi] - c[lo]) / (hi - lo))


def first_run(t, start, stop, run, pred):
    i = start
    if i == 0 or pred(t[i - 1]):
        while i < len(t) and pred(t[i]):
            i += 1
    while i < len(t):
        if i >= stop:
            return None
        if pred(t[i]) and (i == 0 or not pred(t[i - 1])):
            if i + run <= len(t) and all(pred(v) for v in t[i:i + run]):
                return i
        i += 1
    return None


def idx(d):
    return (d - START).days


def onsets(t):
    sm = running_mean(t, 31)
    n = len(t)
    thaw, freeze = [], []
    for y in range(START.year, (START + dt.timedelta(days=n - 1)).year + 1):
        this_thaw = None
        lo, hi = max(0, idx(dt.date(y - 1, 7, 1))), min(n - 1, idx(dt.date(y, 6, 30)))
        if lo <= hi:
            seg = sm[lo:hi + 1]
            coldest = lo + seg.index(min(seg))
            end = min(n, max(0, idx(dt.date(y, 12, 31)) + 1))
            i = first_run(t, coldest, end, 5, lambda v: v > 0) if sm[coldest] < 0 else None
            if i is not None:
                thaw.append(i)
                this_thaw = i
        lo, hi = max(0, idx(dt.date(y, 1, 1))), min(n - 1, idx(dt.date(y, 12, 31)))
        if lo <= hi:
            seg = sm[lo:hi + 1]
            warmest = lo + seg.index(max(seg))
            start = warmest if this_thaw is None else max(warmest, this_thaw + 1)
            ok = (sm[warmest] > 0 or this_thaw is not None) and start < n
            i = first_run(t, start, n, 5, lambda v: v < 0) if ok else None
            if i is not None:
                freeze.append(i)
    return sorted(set(thaw)), sorted(set(freeze))


def bases(t, sar_idx, kind):
    """(L, Î) on the SAR days: long-term basis and normalised seasonal index."""
    thaw, freeze = onsets(t)
    n = len(t)
    cycles = []
    for k, th in enumerate(thaw):
        nxt = thaw[k + 1] if k + 1 < len(thaw) else None
        stop = nxt if nxt is not None else n
        fr = next((f for f in freeze if th < f < stop), None)
        A, F, a, f = [], [], 0.0, 0.0
        for i in range(th, stop + 1):
            A.append(a)
            F.append(f)
            if i < stop:
                a += max(t[i], 0.0)
                if fr is not None and i >= fr:
                    f += max(-t[i], 0.0)
        cycles.append(dict(thaw=th, freeze=fr, next=nxt, A=A, F=F, Aend=a, Fend=f))
    raw = [math.nan] * (n + 1)
    peaks = []
    for c in cycles:
        complete = c["next"] is not None
        r = R0
        if kind == "pecm" and complete and R0 * c["Fend"] < c["Aend"]:
            r = c["Aend"] / c["Fend"]
            while r * c["Fend"] < c["Aend"]:
                r = np.nextafter(r, math.inf)
        latched, vals = False, []
        last = c["next"] if complete else n + 1
        for j, i in enumerate(range(c["thaw"], last)):
            A, F = c["A"][j], c["F"][j]
            if kind == "pecm":
                if latched or (F > 0 and r * F >= A):
                    v, latched = 0.0, True
                else:
                    x = math.sqrt(A) - math.sqrt(r * F)
                    v = -x if x > 0 else 0.0
            else:
                v = -math.sqrt(A)
            raw[i] = v
            vals.append(abs(v))
        if complete:
            peaks.append(max(vals))
    norm = sum(peaks) / len(peaks)
    L, I = [], []
    for s in sar_idx:
        if s < cycles[0]["thaw"]:
            L.append(0.0)
            I.append(0.0)
            continue
        k = max(j for j, c in enumerate(cycles) if c["thaw"] <= s)
        c = cycles[k]
        L.append(k + min(1.0, max(0.0, (s - c["thaw"]) / (c["freeze"] - c["thaw"]))))
        I.append(raw[s])
    return np.array(L), np.array(I) / norm


def sar_idx():
    return [idx(FIRST_SAR) + 12 * k for k in range(NDATES)]


def sar_dates():
    return [FIRST_SAR + dt.timedelta(days=12 * k) for k in range(NDATES)]


def pairs():
    p = [(i, j) for i in range(NDATES) for j in range(i + 1, min(i + 4, NDATES))]
    i = 0
    while len(p) < 460:
        p.append((i, i + 30))
        i += 1
    return p


# --- inputs ---------------------------------------------------------------

def generate(d, quick):
    import h5py
    import netCDF4

    n = sizes(quick)
    t = temperature()
    with netCDF4.Dataset(d / "t2m.nc", "w") as ds:
        ds.createDimension("time", NDAYS)
        tv = ds.createVariable("time", "f8", ("time",))
        tv.units = f"days since {START.isoformat()} 00:00:00"
        tv.calendar = "standard"
        tv[:] = np.arange(NDAYS, dtype=float)
        v = ds.createVariable("t2m", "f8", ("time",))
        v.units = "degC"
        v[:] = np.array(t)
    L, I = bases(t, sar_idx(), "pecm")
    rng = np.random.default_rng(SEED + 1)
    dates = np.array([x.strftime("%Y%m%d").encode() for x in sar_dates()], dtype="S8")

    def planted(rows, cols):
        v = rng.uniform(-0.02, 0.01, (rows, cols))
        a = rng.uniform(0.0, 0.08, (rows, cols))
        y = (v[None] * (L - L[0])[:, None, None] + a[None] * (I - I[0])[:, None, None]
             + 0.003 * rng.standard_normal((NDATES, rows, cols)))
        return y - y[0:1]

    rows, cols = n["ts"]
    with h5py.File(d / "timeseries.h5", "w") as f:
        for k, val in {"FILE_TYPE": "timeseries", "UNIT": "m", "LENGTH": str(rows),
                       "WIDTH": str(cols), "REF_DATE": dates[0].decode()}.items():
            f.attrs[k] = val
        f.create_dataset("timeseries", data=planted(rows, cols).astype(np.float32))
        f.create_dataset("date", data=dates)
        f.create_dataset("bperp", data=np.zeros(NDATES, np.float32))

    rows, cols = n["joint"]
    y = planted(rows, cols)
    p = pairs()
    kk = -4 * math.pi / LAMBDA
    phase = np.stack([kk * (y[j] - y[i]) for i, j in p]).astype(np.float32)
    with h5py.File(d / "ifgramStack.h5", "w") as f:
        for k, val in {"FILE_TYPE": "ifgramStack", "LENGTH": str(rows), "WIDTH": str(cols),
                       "WAVELENGTH": str(LAMBDA)}.items():
            f.attrs[k] = val
        f.create_dataset("unwrapPhase", data=phase)
        f.create_dataset("coherence", data=np.full(phase.shape, 0.9, np.float32))
        f.create_dataset("date", data=np.array([[dates[i], dates[j]] for i, j in p], dtype="S8"))
        f.create_dataset("bperp", data=np.zeros(len(p), np.float32))
        f.create_dataset("dropIfgram", data=np.ones(len(p), bool))
    (d / "sizes.json").write_text(json.dumps(n))


def cases(d):
    n = json.loads((d / "sizes.json").read_text())
    r, c = n["ts"]
    rj, cj = n["joint"]
    common = ["--temperature", "{dir}/t2m.nc:t2m", "--kappa-ratio", str(R0)]
    return [
        {
            "case": "timeseries",
            "what": "PECM + sinusoid + Stefan per pixel, σ, RMS, R², AIC choice",
            "input": f"{NDATES} dates × {r * c:,} px (MintPy timeseries.h5), one daily temperature series",
            "ours": ["--json", "pecm", "fit", "--timeseries", "{dir}/timeseries.h5", *common,
                     "--out", "{dir}/ours_timeseries"],
        },
        {
            "case": "joint",
            "what": "PECM fitted straight from interferograms, σ, RMS, R²",
            "input": f"460 ifgs of {NDATES} dates × {rj * cj:,} px (MintPy ifgramStack.h5)",
            "ours": ["--json", "pecm", "fit", "--interferograms", "{dir}/ifgramStack.h5", *common,
                     "--out", "{dir}/ours_joint"],
        },
    ]


# --- the peer -------------------------------------------------------------

def fit_all(A, Y):
    """Unweighted least squares of every column of Y: coefficients, σ,
    residual RMS, R², AIC (the crate's definitions)."""
    n, p = A.shape
    coef, *_ = np.linalg.lstsq(A, Y, rcond=None)
    R = Y - A @ coef
    rss = np.sum(R * R, axis=0)
    s2 = rss / (n - p)
    cinv = np.linalg.inv(A.T @ A)
    sigma = np.sqrt(np.outer(np.diag(cinv), s2))
    tss = np.sum((Y - Y.mean(axis=0)) ** 2, axis=0)
    r2 = 1.0 - rss / tss
    aic = n * np.log(rss / n) + 2 * (p + 1)
    return coef, sigma, np.sqrt(rss / n), r2, aic, cinv, s2


def peer(d, case):
    import h5py
    import netCDF4

    with netCDF4.Dataset(d / "t2m.nc") as ds:
        t = list(np.asarray(ds["t2m"][:], float))
    s_idx = sar_idx()
    L, I = bases(t, s_idx, "pecm")
    out = d / f"peer_{case}"
    out.mkdir(exist_ok=True)
    if case == "timeseries":
        with h5py.File(d / "timeseries.h5", "r") as f:
            ts = np.asarray(f["timeseries"][:], float)
        nt, rows, cols = ts.shape
        Y = ts.reshape(nt, -1)[1:]  # the reference date is not an observation
        # A free offset c (the command's default): D = v·L + d·Î + c.
        A = np.column_stack([L, I, np.ones(nt)])[1:]
        coef, sigma, rms, r2, aic_p, _, _ = fit_all(A, Y)
        res = {"linear_rate": coef[0], "linear_rate_std": sigma[0],
               "seasonal_amplitude": coef[1], "seasonal_amplitude_std": sigma[1],
               "residual_rms": rms, "r2": r2}
        # Sinusoid: c + v·t + a·cos 2πt + b·sin 2πt, t in years from 1 January.
        jan1 = dt.date(FIRST_SAR.year, 1, 1)
        tt = np.array([(x - jan1).days / DAYS_PER_YEAR for x in sar_dates()])
        S = np.column_stack([np.ones(nt), tt, np.cos(2 * np.pi * tt), np.sin(2 * np.pi * tt)])[1:]
        aic_s = fit_all(S, Y)[4]
        # Plain Stefan: v·t + d·Ŝ.
        _, Sh = bases(t, s_idx, "stefan")
        ty = np.array([(s - s_idx[0]) / DAYS_PER_YEAR for s in s_idx])
        B = np.column_stack([ty, Sh, np.ones(nt)])[1:]
        aic_t = fit_all(B, Y)[4]
        res["preferred_model"] = 1.0 + np.argmin(np.vstack([aic_p, aic_s, aic_t]), axis=0)
    elif case == "joint":
        with h5py.File(d / "ifgramStack.h5", "r") as f:
            ph = np.asarray(f["unwrapPhase"][:], float)
        m, rows, cols = ph.shape
        kk = -4 * math.pi / LAMBDA
        P = np.array([[kk * (L[j] - L[i]), kk * (I[j] - I[i])] for i, j in pairs()])
        coef, sigma, rms, r2, _, _, _ = fit_all(P, ph.reshape(m, -1))
        res = {"linear_rate": coef[0], "linear_rate_std": sigma[0],
               "seasonal_amplitude": coef[1], "seasonal_amplitude_std": sigma[1],
               "residual_rms": rms * LAMBDA / (4 * math.pi), "r2": r2}
    else:
        sys.exit(f"unknown case {case}")
    for k, v in res.items():
        np.save(out / f"{k}.npy", np.asarray(v, float).reshape(rows, cols))
    print(json.dumps({"n_pixels": rows * cols}))


def compare(d, case):
    import tifffile

    names = OUTPUTS + (["preferred_model"] if case == "timeseries" else [])
    worst, msgs, ok = 0.0, [], True
    for k in names:
        ours = np.asarray(tifffile.imread(d / f"ours_{case}" / f"{k}.tif"), float)
        theirs = np.load(d / f"peer_{case}" / f"{k}.npy")
        if ours.shape != theirs.shape:
            print(f"{k}: shape {ours.shape} vs {theirs.shape}")
            sys.exit(1)
        if k == "preferred_model":
            agree = float(np.mean(ours == theirs))
            msgs.append(f"preferred model agrees on {agree:.2%}")
            ok &= agree >= 0.999
            continue
        # Ours are float32 GeoTIFFs: relative rounding ~6e-8 of the scale.
        scale = float(np.max(np.abs(theirs)))
        rel = float(np.max(np.abs(ours - theirs))) / scale
        worst = max(worst, rel)
        ok &= rel <= 1e-6
    msgs.insert(0, f"max |Δ|/max|x| over {len(OUTPUTS)} rasters = {worst:.1e}")
    print(", ".join(msgs))
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
