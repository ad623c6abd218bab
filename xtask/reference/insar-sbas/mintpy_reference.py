#!/usr/bin/env python3
"""MintPy reference values for crates/permafrost-insar/tests/sbas_vs_mintpy.rs.

Runs MintPy's own `ifgram_inversion.py` (not a re-implementation) on three
MintPy-layout interferogram stacks and stores its outputs as JSON under
crates/permafrost-insar/tests/data/mintpy/:

* `fixture`: testdata/stack/ifgramStack.h5 (written by `cargo xtask fixtures`;
  80 interferograms, 31 dates, 12 x 15 pixels, REF_Y/REF_X = 0, 0).
* `gaps_nans`: generated here with h5py (fixed seed) and committed as
  gaps_nans_ifgramStack.h5: irregular dates with a 60-day gap bridged by eight
  pairs (a 60-day, a 72-day and six inter-annual ones), one pair stored in
  reverse order, one dropped interferogram, a reference pixel with non-zero
  phase, scattered NaN phase, an all-NaN pixel, a
  pixel whose bridging pairs are NaN (disconnected: minimum-norm velocity), a
  pixel with a date left without valid interferogram (MintPy writes zeros),
  coherence below MintPy's 0.05 floor and NaN coherence.
* `disconnected`: generated here and committed as disconnected_ifgramStack.h5:
  two groups of dates that no interferogram joins (MintPy's minimum-norm
  velocity and minimum-norm phase solutions).

Runs: `-w no`, `-w fim`, `-w coh`, `-w var` on the first two; `-w no`,
`-w no --min-norm-phase`, `-w coh` on the third. Stored per run: the time
series exactly as MintPy writes it (metres, float32, shortest round-trip
decimal), the temporal coherence and the number of interferograms used, in C
order (date, row, col) / (row, col), with the command line and the versions of
MintPy, NumPy, SciPy, h5py and Python.

Usage (MintPy from PyPI in a virtual environment):

    python3 -m venv /work/venv-mintpy && /work/venv-mintpy/bin/pip install mintpy
    /work/venv-mintpy/bin/python xtask/reference/insar-sbas/mintpy_reference.py
"""
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import scipy

import mintpy

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "crates", "permafrost-insar", "tests", "data", "mintpy")
WAVELENGTH = 0.05546576


def f32_list(a):
    """Flattened float32 values as the shortest decimals that round-trip."""
    return [float(np.format_float_positional(np.float32(v), unique=True, trim="-"))
            if np.isfinite(v) else None for v in np.asarray(a, np.float32).ravel()]


def write_stack(path, dates, pairs, phase, coherence, keep, attrs, bperp=None):
    """Writes an ifgramStack.h5 in MintPy's layout (as mintpy/objects/stack.py)."""
    m, rows, cols = phase.shape
    with h5py.File(path, "w") as f:
        f.create_dataset("unwrapPhase", data=phase.astype(np.float32))
        f.create_dataset("coherence", data=coherence.astype(np.float32))
        date12 = np.array([[dates[a].strftime("%Y%m%d"), dates[b].strftime("%Y%m%d")]
                           for a, b in pairs], dtype="S8")
        f.create_dataset("date", data=date12)
        f.create_dataset("bperp", data=(np.zeros(m) if bperp is None else bperp).astype(np.float32))
        f.create_dataset("dropIfgram", data=np.array(keep, dtype=np.bool_))
        base = {"FILE_TYPE": "ifgramStack", "LENGTH": str(rows), "WIDTH": str(cols),
                "WAVELENGTH": str(WAVELENGTH), "ALOOKS": "5", "RLOOKS": "20",
                "PROCESSOR": "isce", "PLATFORM": "Sen", "UNIT": "radian",
                "DATA_TYPE": "float32"}
        base.update(attrs)
        for k, v in base.items():
            f.attrs[k] = v


def make_gaps_nans(path):
    rng = np.random.default_rng(20240917)
    t0 = dt.date(2018, 1, 5)
    offsets = [12 * i for i in range(12)]                 # 2018-01-05 … 2018-05-09
    offsets += [offsets[-1] + 60 + 12 * i for i in range(18)]  # after a 60-day gap
    dates = [t0 + dt.timedelta(days=d) for d in offsets]
    n = len(dates)
    pairs = []
    for i in range(n):
        for j in range(i + 1, n):
            days = (dates[j] - dates[i]).days
            if days <= 40 or 350 <= days <= 380:
                pairs.append((i, j))
    gap = 11  # the gap lies between date 11 and date 12
    bridges = [(gap, gap + 1), (gap - 1, gap + 1)]        # 60 and 72 days
    pairs += [p for p in bridges if p not in pairs]
    pairs.sort()
    bridging = [k for k, (a, b) in enumerate(pairs) if a <= gap < b]
    # One pair stored reversed (secondary date first), one dropped.
    rev = pairs.index((3, 4))
    pairs[rev] = (4, 3)
    dropped = pairs.index((6, 8))
    m = len(pairs)
    rows, cols = 7, 9
    t = np.array([(d - t0).days / 365.25 for d in dates])
    yy, xx = np.mgrid[0:rows, 0:cols]
    vel = -0.03 * (0.3 + yy / rows) * (1 + 0.4 * np.sin(xx))          # m/yr
    amp = 0.01 * (1 + xx / cols)                                      # m
    doy = np.array([d.timetuple().tm_yday for d in dates])
    seas = -np.cos(2 * np.pi * (doy - 250) / 365.25)
    disp = vel[None] * t[:, None, None] + amp[None] * (seas - seas[0])[:, None, None]
    to_phase = -4 * np.pi / WAVELENGTH
    phase = np.zeros((m, rows, cols))
    coh = rng.uniform(0.2, 0.95, size=(m, rows, cols))
    datum = rng.normal(0, 2.0, size=m)        # per-interferogram datum (unreferenced)
    for k, (a, b) in enumerate(pairs):
        phase[k] = to_phase * (disp[b] - disp[a]) + datum[k] + rng.normal(0, 0.4, size=(rows, cols))
    ref = (2, 3)
    # Scattered NaN (not at the reference pixel).
    nan = rng.random((m, rows, cols)) < 0.08
    nan[:, ref[0], ref[1]] = False
    phase[nan] = np.nan
    phase[:, 6, 8] = np.nan                             # all-NaN pixel
    phase[bridging, 5, 1] = np.nan                      # disconnected pixel
    iso = 20
    phase[[k for k, p in enumerate(pairs) if iso in p], 4, 7] = np.nan  # date without data
    # Coherence below the 0.05 floor and NaN coherence.
    coh[rng.random((m, rows, cols)) < 0.03] = 0.02
    coh[rng.random((m, rows, cols)) < 0.02] = np.nan
    keep = [k != dropped for k in range(m)]
    write_stack(path, dates, pairs, phase, coh, keep,
                {"REF_Y": str(ref[0]), "REF_X": str(ref[1])})


def make_disconnected(path):
    rng = np.random.default_rng(20240918)
    t0 = dt.date(2019, 6, 1)
    offsets = [12 * i for i in range(8)] + [84 + 80 + 12 * i for i in range(8)]
    dates = [t0 + dt.timedelta(days=d) for d in offsets]
    n = len(dates)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)
             if (dates[j] - dates[i]).days <= 40]
    m = len(pairs)
    rows, cols = 5, 4
    t = np.array([(d - t0).days / 365.25 for d in dates])
    yy, xx = np.mgrid[0:rows, 0:cols]
    vel = -0.02 * (1 + yy) / rows + 0.005 * xx
    disp = vel[None] * t[:, None, None]
    to_phase = -4 * np.pi / WAVELENGTH
    phase = np.zeros((m, rows, cols))
    for k, (a, b) in enumerate(pairs):
        phase[k] = to_phase * (disp[b] - disp[a]) + rng.normal(0, 0.3, size=(rows, cols))
    phase -= phase[:, :1, :1]                          # referenced to (0, 0) already
    phase[:, 0, 0] = 0.0
    nan = rng.random((m, rows, cols)) < 0.05
    nan[:, 0, 0] = False
    phase[nan] = np.nan
    coh = rng.uniform(0.3, 0.9, size=(m, rows, cols))
    write_stack(path, dates, pairs, phase, coh, [True] * m, {"REF_Y": "0", "REF_X": "0"})


def run_mintpy(stack, extra):
    """Runs ifgram_inversion.py in a scratch folder and reads its outputs."""
    with tempfile.TemporaryDirectory() as tmp:
        inputs = os.path.join(tmp, "inputs")
        os.makedirs(inputs)
        local = os.path.join(inputs, "ifgramStack.h5")
        shutil.copy(stack, local)
        cmd = ["ifgram_inversion.py", "inputs/ifgramStack.h5", "-o", "timeseries.h5",
               "temporalCoherence.h5", "numInvIfgram.h5"] + extra
        exe = os.path.join(os.path.dirname(sys.executable), cmd[0])
        subprocess.run([exe] + cmd[1:], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        with h5py.File(os.path.join(tmp, "timeseries.h5"), "r") as f:
            ts = f["timeseries"][:]
            dates = [d.decode() for d in f["date"][:]]
            ref_date = f.attrs["REF_DATE"]
        with h5py.File(os.path.join(tmp, "temporalCoherence.h5"), "r") as f:
            tcoh = f["temporalCoherence"][:]
        with h5py.File(os.path.join(tmp, "numInvIfgram.h5"), "r") as f:
            num = f["mask"][:]
    return {
        "command": " ".join(cmd),
        "ref_date": str(ref_date),
        "dates": dates,
        "shape": list(ts.shape),
        "timeseries_m": f32_list(ts),
        "temporal_coherence": f32_list(tcoh),
        "num_inv_ifgram": [int(v) for v in num.ravel()],
    }


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    os.makedirs(OUT, exist_ok=True)
    versions = {
        "mintpy": mintpy.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "h5py": h5py.__version__,
        "python": platform.python_version(),
    }
    gaps = os.path.join(OUT, "gaps_nans_ifgramStack.h5")
    disc = os.path.join(OUT, "disconnected_ifgramStack.h5")
    make_gaps_nans(gaps)
    make_disconnected(disc)
    stacks = {
        "fixture": ("testdata/stack/ifgramStack.h5",
                    [["-w", "no"], ["-w", "fim"], ["-w", "coh"], ["-w", "var"]]),
        "gaps_nans": (os.path.relpath(gaps, ROOT),
                      [["-w", "no"], ["-w", "fim"], ["-w", "coh"], ["-w", "var"]]),
        "disconnected": (os.path.relpath(disc, ROOT),
                         [["-w", "no"], ["-w", "no", "--min-norm-phase"], ["-w", "coh"]]),
    }
    for name, (rel, runs) in stacks.items():
        path = os.path.join(ROOT, rel)
        with h5py.File(path, "r") as f:
            attrs = {k: str(v) for k, v in f.attrs.items()}
        out = {
            "source": "MintPy ifgram_inversion.py (mintpy.ifgram_inversion), run by "
                      "xtask/reference/insar-sbas/mintpy_reference.py",
            "versions": versions,
            "stack": rel,
            "stack_sha256": sha256(path),
            "wavelength": float(attrs["WAVELENGTH"]),
            "ref_yx": [int(attrs["REF_Y"]), int(attrs["REF_X"])],
            "runs": {},
        }
        for extra in runs:
            key = "_".join(a.lstrip("-").replace("-", "_") for a in extra[1:])
            out["runs"][key] = run_mintpy(path, extra)
            print(f"{name}: {key} done", file=sys.stderr)
        with open(os.path.join(OUT, f"{name}_mintpy.json"), "w") as f:
            json.dump(out, f, separators=(",", ":"))
            f.write("\n")


if __name__ == "__main__":
    main()
