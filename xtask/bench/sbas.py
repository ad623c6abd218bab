#!/usr/bin/env python3
"""Peer benchmark `sbas` (issue #4, acceptance 4): our `sbas invert` against
MintPy's `ifgram_inversion.py` on the same MintPy-layout `ifgramStack.h5`.

Verbs (protocol of `cargo xtask bench`, issue #9):

    sbas.py generate DIR [--quick]   write the stacks (fixed seed) into DIR
    sbas.py cases DIR                print the cases as JSON
    sbas.py peer DIR CASE            run MintPy on CASE, output in DIR/peer_CASE
    sbas.py compare DIR CASE         check ours (DIR/ours_CASE) against MintPy

The stacks have the study's size: 140 Sentinel-1 dates every 12 days
(2017-01-03 … 2021-07-31) and the network of pairs of 12 and 24 days plus
one-year (355–365 days) and two-year (725–735 days) pairs: 466
interferograms (~3.3 per date). Phase = planted velocity + seasonal signal
+ coherence-dependent noise, already referenced to pixel (0, 0) (REF_Y/REF_X
= 0), float32, with MintPy's attributes (WAVELENGTH, ALOOKS/RLOOKS).
`ifgramStack.h5` has every value valid; `ifgramStack_nan.h5` is the same
with 10 % of the phase values NaN (never at the reference pixel). The full
size (64 × 50 pixels) makes MintPy's weighted run last tens of seconds;
`--quick` writes 12 × 10 pixels.

Cases and tolerances:

* `l2_all_valid`: unweighted L2 on the all-valid stack; MintPy `-w no`.
* `wls_fim_nan`: `fim`-weighted L2 with NaN; MintPy `-w fim`. A pixel
  whose valid pairs split the network gets MintPy's minimum-norm velocity
  solution on both sides (`--gap min-norm-velocity`, MintPy's default).
  Both L2 cases must agree with MintPy within 1e-4 rad in the time series
  (MintPy's metres converted back with 4π/λ) and 1e-4 in temporal
  coherence, at every pixel MintPy inverts (all but the reference pixel,
  which MintPy skips: zero phase is no-data to it).
* `l1_nan`: our L1 (IRLS, `fim` weights) on the NaN stack; the peer is
  MintPy's weighted L2 (`-w fim`), as the target reads "L1 faster than
  MintPy's weighted L2". The two estimators solve different problems, so
  they cannot agree to 1e-4; on this stack (no unwrapping errors, Gaussian
  noise) both estimate the same planted signal, so the check is that L1 ran
  and lies within the noise of the L2 solution: RMS difference ≤ 0.5 rad
  and 99th percentile of |difference| ≤ 2 rad (the interferogram noise is
  0.25–0.8 rad). The numbers are printed either way.

Only numpy and h5py (pinned in requirements.txt) are imported; MintPy runs
as its own command-line tool from the same virtual environment.
"""
import datetime as dt
import json
import os
import subprocess
import sys

import h5py
import numpy as np

WAVELENGTH = 0.05546576
TS_TOL_RAD = 1e-4
TCOH_TOL = 1e-4
SEED = 20261121

CASES = {
    "l2_all_valid": {
        "what": "L2 unweighted, all values valid",
        "stack": "ifgramStack.h5",
        "ours": ["--method", "l2"],
        "mintpy": ["-w", "no"],
    },
    "wls_fim_nan": {
        "what": "weighted L2 (fim), 10 % NaN",
        "stack": "ifgramStack_nan.h5",
        "ours": ["--method", "wls", "--weight", "fim", "--gap", "min-norm-velocity"],
        "mintpy": ["-w", "fim"],
    },
    "l1_nan": {
        "what": "L1 (IRLS, fim) vs MintPy weighted L2 (fim), 10 % NaN",
        "stack": "ifgramStack_nan.h5",
        "ours": ["--method", "l1", "--weight", "fim", "--gap", "min-norm-velocity"],
        "mintpy": ["-w", "fim"],
    },
}


def network():
    t0 = dt.date(2017, 1, 3)
    dates = [t0 + dt.timedelta(days=12 * i) for i in range(140)]
    pairs = []
    for i in range(len(dates)):
        for j in range(i + 1, len(dates)):
            days = (dates[j] - dates[i]).days
            if days <= 24 or 355 <= days <= 365 or 725 <= days <= 735:
                pairs.append((i, j))
    return dates, pairs


def write_stack(path, dates, pairs, phase, coherence):
    """An ifgramStack.h5 in MintPy's layout (mintpy/objects/stack.py)."""
    m, rows, cols = phase.shape
    tmp = path + ".tmp"
    with h5py.File(tmp, "w") as f:
        f.create_dataset("unwrapPhase", data=phase.astype(np.float32))
        f.create_dataset("coherence", data=coherence.astype(np.float32))
        f.create_dataset("date", data=np.array(
            [[dates[a].strftime("%Y%m%d"), dates[b].strftime("%Y%m%d")] for a, b in pairs],
            dtype="S8"))
        f.create_dataset("bperp", data=np.zeros(m, np.float32))
        f.create_dataset("dropIfgram", data=np.ones(m, np.bool_))
        attrs = {"FILE_TYPE": "ifgramStack", "LENGTH": str(rows), "WIDTH": str(cols),
                 "WAVELENGTH": str(WAVELENGTH), "ALOOKS": "5", "RLOOKS": "20",
                 "PROCESSOR": "isce", "PLATFORM": "Sen", "UNIT": "radian",
                 "DATA_TYPE": "float32", "REF_Y": "0", "REF_X": "0"}
        for k, v in attrs.items():
            f.attrs[k] = v
    os.replace(tmp, path)


def generate(out_dir, quick):
    os.makedirs(out_dir, exist_ok=True)
    rows, cols = (12, 10) if quick else (64, 50)
    rng = np.random.default_rng(SEED)
    dates, pairs = network()
    m = len(pairs)
    t = np.array([(d - dates[0]).days / 365.25 for d in dates])
    yy, xx = np.mgrid[0:rows, 0:cols]
    vel = -0.04 * (0.2 + yy / rows) * (1 + 0.3 * np.sin(0.2 * xx))      # m/yr
    amp = 0.003 + 0.012 * ((yy + 2 * xx) % 7) / 6.0                     # m
    doy = np.array([d.timetuple().tm_yday for d in dates])
    seas = -np.cos(2 * np.pi * (doy - 250) / 365.25)
    disp = vel[None] * t[:, None, None] + amp[None] * (seas - seas[0])[:, None, None]
    disp -= disp[:, :1, :1]                              # referenced at (0, 0)
    to_phase = -4 * np.pi / WAVELENGTH
    phase = np.empty((m, rows, cols), np.float32)
    coh = np.empty((m, rows, cols), np.float32)
    for k, (a, b) in enumerate(pairs):
        days = (dates[b] - dates[a]).days
        gamma = np.clip(0.85 - 0.0005 * days + 0.08 * rng.standard_normal((rows, cols)),
                        0.25, 0.97)
        noise = 0.25 * (0.85 / gamma) * rng.standard_normal((rows, cols))
        noise[0, 0] = 0.0
        phase[k] = to_phase * (disp[b] - disp[a]) + noise
        coh[k] = gamma
    phase[:, 0, 0] = 0.0
    write_stack(os.path.join(out_dir, "ifgramStack.h5"), dates, pairs, phase, coh)
    nan = rng.random(phase.shape) < 0.10
    nan[:, 0, 0] = False
    phase_nan = phase.copy()
    phase_nan[nan] = np.nan
    write_stack(os.path.join(out_dir, "ifgramStack_nan.h5"), dates, pairs, phase_nan, coh)
    with open(os.path.join(out_dir, "sbas_meta.json"), "w") as f:
        json.dump({"rows": rows, "cols": cols, "n_ifgs": m, "n_dates": len(dates),
                   "numpy": np.__version__, "h5py": h5py.__version__, "seed": SEED}, f)


def meta(out_dir):
    with open(os.path.join(out_dir, "sbas_meta.json")) as f:
        return json.load(f)


def cases(out_dir):
    info = meta(out_dir)
    size = f"{info['n_ifgs']} ifgs × {info['n_dates']} dates × {info['rows'] * info['cols']} px"
    out = []
    for name, c in CASES.items():
        out.append({
            "case": name,
            "what": c["what"],
            "input": size,
            "ours": ["sbas", "invert", "--stack", "{dir}/" + c["stack"]] + c["ours"]
                    + ["--out", "{dir}/ours_" + name],
        })
    print(json.dumps(out, ensure_ascii=False))


def mintpy_command():
    exe = os.path.join(os.path.dirname(sys.executable), "ifgram_inversion.py")
    if os.path.exists(exe):
        return [exe]
    return [sys.executable, "-m", "mintpy.cli.ifgram_inversion"]


def peer(out_dir, case):
    c = CASES[case]
    work = os.path.abspath(os.path.join(out_dir, "peer_" + case))
    inputs = os.path.join(work, "inputs")
    os.makedirs(inputs, exist_ok=True)
    link = os.path.join(inputs, "ifgramStack.h5")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(os.path.abspath(os.path.join(out_dir, c["stack"])), link)
    cmd = mintpy_command() + ["inputs/ifgramStack.h5", "-o", "timeseries.h5",
                              "temporalCoherence.h5", "numInvIfgram.h5"] + c["mintpy"]
    subprocess.run(cmd, cwd=work, check=True, stdout=subprocess.DEVNULL)


def read(path, name):
    with h5py.File(path, "r") as f:
        return f[name][:], f.attrs.get("REF_DATE")


def compare(out_dir, case):
    ours_dir = os.path.join(out_dir, "ours_" + case)
    peer_dir = os.path.join(out_dir, "peer_" + case)
    ts_o, _ = read(os.path.join(ours_dir, "timeseries.h5"), "timeseries")
    ts_p, _ = read(os.path.join(peer_dir, "timeseries.h5"), "timeseries")
    if ts_o.shape != ts_p.shape:
        sys.exit(f"{case}: time series shapes differ: ours {ts_o.shape}, MintPy {ts_p.shape}")
    inverted = read(os.path.join(peer_dir, "numInvIfgram.h5"), "mask")[0] > 0
    to_rad = 4 * np.pi / WAVELENGTH
    d = np.abs(ts_o.astype(np.float64) - ts_p.astype(np.float64))[:, inverted] * to_rad
    if not np.all(np.isfinite(d)):
        sys.exit(f"{case}: NaN in our time series at a pixel MintPy inverts")
    if case == "l1_nan":
        rms, p99, mx = np.sqrt(np.mean(d * d)), np.percentile(d, 99), d.max()
        print(f"L1 vs MintPy WLS: RMS |Δ| {rms:.2g} rad (≤ 0.5), p99 {p99:.2g} rad (≤ 2), "
              f"max {mx:.2g} rad, {inverted.sum()} px")
        if rms > 0.5 or p99 > 2.0:
            sys.exit(f"{case}: L1 departs from the L2 solution beyond the noise")
        return
    tc_o = read(os.path.join(ours_dir, "temporalCoherence.h5"), "temporalCoherence")[0]
    tc_p = read(os.path.join(peer_dir, "temporalCoherence.h5"), "temporalCoherence")[0]
    dt_ = np.abs(tc_o.astype(np.float64) - tc_p.astype(np.float64))[inverted]
    print(f"max |Δ ts| {d.max():.1e} rad, max |Δ tcoh| {dt_.max():.1e} (tol 1e-4), "
          f"{inverted.sum()} px")
    if d.max() > TS_TOL_RAD or dt_.max() > TCOH_TOL:
        sys.exit(f"{case}: ours and MintPy disagree beyond the tolerance")


def main(argv):
    if len(argv) >= 2 and argv[0] == "generate":
        generate(argv[1], "--quick" in argv[2:])
    elif len(argv) == 2 and argv[0] == "cases":
        cases(argv[1])
    elif len(argv) == 3 and argv[0] == "peer" and argv[2] in CASES:
        peer(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "compare" and argv[2] in CASES:
        compare(argv[1], argv[2])
    else:
        sys.exit(__doc__.split("\n\n")[1] + "\n\ncases: " + ", ".join(CASES))


if __name__ == "__main__":
    main(sys.argv[1:])
