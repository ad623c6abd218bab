#!/usr/bin/env python3
"""Reference values for crates/permafrost-pecm/tests/reference_values.rs.

An independent NumPy transcription of SCIENCE.md §3 (and the onset rules of
§2 as documented in the crate's `onset` module): a deterministic daily
temperature series, onsets, daily ADDT/ADDF, per-cycle closure, the
normalised PECM and Stefan indices, the long-term basis, and weighted
least-squares fits (PECM, sinusoid, Stefan, joint interferogram fit) with
covariances, R², AIC and BIC. Fits use numpy.linalg.lstsq (SVD), not the
crate's QR. Prints every number with 17 significant digits. Run:

    python3 xtask/reference/permafrost-pecm/pecm_reference.py

Checked with CPython 3 and NumPy 2.4.
"""
import datetime as dt
import math

import numpy as np

START = dt.date(2015, 1, 1)
NDAYS = 1461  # 2015-01-01 … 2018-12-31
R0 = 0.4
LAMBDA = 0.05546576
DAYS_PER_YEAR = 365.25


def temperature():
    t = []
    for i in range(NDAYS):
        doy = (START + dt.timedelta(days=i)).timetuple().tm_yday
        t.append(-4.0 + 14.0 * math.cos(2 * math.pi * (doy - 200.0) / 365.25)
                 + 3.0 * math.sin(1.7 * i) * math.cos(0.31 * i))
    return t


def running_mean(x, w):
    h = w // 2
    n = len(x)
    out = []
    for i in range(n):
        lo, hi = max(0, i - h), min(n, i + h + 1)
        out.append(sum(x[lo:hi]) / (hi - lo))
    return out


def first_run(t, start, stop, run, pred):
    """First i in [start, stop) starting a run of `run` days with pred, whose
    predecessor fails pred (a run under way at `start` does not count)."""
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
        thaw_this_year = None
        lo, hi = max(0, idx(dt.date(y - 1, 7, 1))), min(n - 1, idx(dt.date(y, 6, 30)))
        if lo <= hi:
            seg = sm[lo:hi + 1]
            coldest = lo + seg.index(min(seg))
            end = min(n, max(0, idx(dt.date(y, 12, 31)) + 1))
            i = first_run(t, coldest, end, 5, lambda v: v > 0) if sm[coldest] < 0 else None
            if i is not None:
                thaw.append(i)
                thaw_this_year = i
        lo, hi = max(0, idx(dt.date(y, 1, 1))), min(n - 1, idx(dt.date(y, 12, 31)))
        if lo <= hi:
            seg = sm[lo:hi + 1]
            warmest = lo + seg.index(max(seg))
            # after the warmest day and after the year's thaw onset
            start = warmest if thaw_this_year is None else max(warmest, thaw_this_year + 1)
            ok = (sm[warmest] > 0 or thaw_this_year is not None) and start < n
            i = first_run(t, start, n, 5, lambda v: v < 0) if ok else None
            if i is not None:
                freeze.append(i)
    return sorted(set(thaw)), sorted(set(freeze))


def pecm_index(A, F, r, latched):
    if latched or (F > 0 and r * F >= A):
        return 0.0, True
    x = math.sqrt(A) - math.sqrt(r * F)
    return (-x if x > 0 else 0.0), False


def bases(t, sar_idx, kind):
    thaw, freeze = onsets(t)
    n = len(t)
    cycles = []
    for k, th in enumerate(thaw):
        nxt = thaw[k + 1] if k + 1 < len(thaw) else None
        stop = nxt if nxt is not None else n
        fr = next((f for f in freeze if th < f < stop), None)
        A, F = [], []
        a = f = 0.0
        for i in range(th, stop + 1):
            A.append(a)
            F.append(f)
            if i < stop:
                a += max(t[i], 0.0)
                if fr is not None and i >= fr:
                    f += max(-t[i], 0.0)
        cycles.append(dict(thaw=th, freeze=fr, next=nxt, A=A, F=F, Aend=a, Fend=f))
    raw = [math.nan] * (n + 1)
    for c in cycles:
        complete = c["next"] is not None
        r = R0
        adjusted = False
        if kind == "pecm" and complete and R0 * c["Fend"] < c["Aend"]:
            r = c["Aend"] / c["Fend"]
            while r * c["Fend"] < c["Aend"]:
                r = np.nextafter(r, math.inf)
            adjusted = True
        c["r"], c["adjusted"] = r, adjusted
        latched = False
        vals = []
        # Samples of the cycle: instants thaw … next − 1 (or the end).
        last = c["next"] if complete else n + 1
        for j, i in enumerate(range(c["thaw"], last)):
            if kind == "pecm":
                v, latched = pecm_index(c["A"][j], c["F"][j], r, latched)
            else:
                v = -math.sqrt(c["A"][j])
            raw[i] = v
            vals.append(abs(v))
        c["peak"] = max(vals)
        c["covered"] = complete
    peaks = [c["peak"] for c in cycles if c["covered"]]
    N = sum(peaks) / len(peaks)
    L, I = [], []
    for s in sar_idx:
        if s < cycles[0]["thaw"]:
            L.append(0.0)
            I.append(0.0)
            continue
        k = max(j for j, c in enumerate(cycles) if c["thaw"] <= s)
        c = cycles[k]
        frac = min(1.0, max(0.0, (s - c["thaw"]) / (c["freeze"] - c["thaw"])))
        L.append(k + frac)
        I.append(raw[s])
    return cycles, N, np.array(L), np.array(I) / N, np.array(I)


def wls(A, y, w):
    sw = np.sqrt(w)
    coef, *_ = np.linalg.lstsq(A * sw[:, None], y * sw, rcond=None)
    r = y - A @ coef
    n, p = A.shape
    wrss = float(np.sum(w * r * r))
    s2 = wrss / (n - p)
    cov = s2 * np.linalg.inv((A * w[:, None]).T @ A)
    ybar = np.sum(w * y) / np.sum(w)
    r2 = 1 - wrss / float(np.sum(w * (y - ybar) ** 2))
    k = p + 1
    aic = n * math.log(wrss / n) + 2 * k
    bic = n * math.log(wrss / n) + k * math.log(n)
    rms = math.sqrt(float(np.mean(r * r)))
    return coef, cov, s2, r2, aic, bic, rms


def show(name, v):
    if isinstance(v, (list, tuple, np.ndarray)):
        print(f"{name} = [" + ", ".join(f"{float(x):.17g}" for x in v) + "]")
    else:
        print(f"{name} = {float(v):.17g}")


def main():
    t = temperature()
    first_sar = dt.date(2015, 3, 2)
    nsar = 110
    sar_idx = [idx(first_sar) + 12 * k for k in range(nsar)]
    cycles, N, L, Ih, I = bases(t, sar_idx, "pecm")
    for k, c in enumerate(cycles):
        d = lambda i: (START + dt.timedelta(days=i)).isoformat() if i is not None else None
        print(f"cycle {k}: thaw {d(c['thaw'])} freeze {d(c['freeze'])} next {d(c['next'])} "
              f"Aend {c['Aend']:.17g} Fend {c['Fend']:.17g} r {c['r']:.17g} adjusted {c['adjusted']} "
              f"peak {c['peak']:.17g}")
    show("normaliser", N)
    show("L[0:110:10]", L[::10])
    show("Ihat[0:110:10]", Ih[::10])

    # Observations: planted PECM + deterministic pseudo-noise, referred to date 0.
    k = np.arange(nsar)
    model = -0.004 * (L - L[0]) + 0.02 * (Ih - Ih[0])
    y = model + 0.002 * np.sin(0.9 * k) * np.cos(0.23 * k)
    y[0] = 0.0
    w = 1.0 + 0.5 * np.cos(0.37 * k)
    use = k != 0
    A = np.column_stack([L - L[0], Ih - Ih[0]])
    coef, cov, s2, r2, aic, bic, rms = wls(A[use], y[use], w[use])
    show("pecm coef", coef)
    show("pecm sigma", np.sqrt(np.diag(cov)))
    show("pecm cov01", cov[0, 1])
    show("pecm raw", coef[1] / N)
    show("pecm sigma2", s2)
    show("pecm r2", r2)
    show("pecm aic", aic)
    show("pecm bic", bic)
    show("pecm rms", rms)

    # Sinusoid.
    dates = [START + dt.timedelta(days=i) for i in sar_idx]
    jan1 = dt.date(dates[0].year, 1, 1)
    tt = np.array([(d - jan1).days / DAYS_PER_YEAR for d in dates])
    S = np.column_stack([np.ones(nsar), tt, np.cos(2 * np.pi * tt), np.sin(2 * np.pi * tt)])
    coef, cov, s2, r2, aic, bic, rms = wls(S[use], y[use], w[use])
    a, b = coef[2], coef[3]
    amp = math.hypot(a, b)
    g = np.array([0, 0, a / amp, b / amp])
    amp_s = math.sqrt(g @ cov @ g)
    phi = math.atan2(b, a)
    frac = ((phi + math.pi) / (2 * math.pi)) % 1.0
    gp = np.array([0, 0, -b / amp**2, a / amp**2])
    doy_s = DAYS_PER_YEAR / (2 * math.pi) * math.sqrt(gp @ cov @ gp)
    show("sinusoid coef", coef)
    show("sinusoid sigma", np.sqrt(np.diag(cov)))
    show("sinusoid amplitude", [amp, amp_s])
    show("sinusoid doy", [1 + frac * DAYS_PER_YEAR, doy_s])
    show("sinusoid aic", aic)
    show("sinusoid bic", bic)

    # Stefan.
    _, NS, _, Sh, _ = bases(t, sar_idx, "stefan")
    ty = np.array([(s - sar_idx[0]) / DAYS_PER_YEAR for s in sar_idx])
    B = np.column_stack([ty - ty[0], Sh - Sh[0]])
    coef, cov, s2, r2, aic, bic, rms = wls(B[use], y[use], w[use])
    show("stefan normaliser", NS)
    show("stefan coef", coef)
    show("stefan sigma", np.sqrt(np.diag(cov)))
    show("stefan aic", aic)
    show("stefan bic", bic)

    # Joint fit: pairs (i, i+1), (i, i+2), (i, i+30) (annual-ish).
    pairs = [(i, j) for i in range(nsar) for j in (i + 1, i + 2, i + 30) if j < nsar]
    kk = -4 * math.pi / LAMBDA
    P = np.array([[kk * (L[j] - L[i]), kk * (Ih[j] - Ih[i])] for i, j in pairs])
    phase = np.array([kk * (y[j] - y[i]) + 0.05 * math.sin(1.3 * m) for m, (i, j) in enumerate(pairs)])
    wj = np.ones(len(pairs))
    coef, cov, s2, r2, aic, bic, rms = wls(P, phase, wj)
    show("joint n_pairs", len(pairs))
    show("joint coef", coef)
    show("joint sigma", np.sqrt(np.diag(cov)))
    show("joint r2", r2)
    show("joint rms", rms)


if __name__ == "__main__":
    main()
