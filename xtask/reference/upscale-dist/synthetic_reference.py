#!/usr/bin/env python3
"""Reference data for crates/upscale-dist/tests/numpy_synthetic.rs.

A synthetic point field of N points at 10 km cells, generated identically
here and in the Rust test from a counter-based splitmix64 stream (Steele,
Lea & Flood 2014; the ``java.util.SplittableRandom`` / ``xoshiro`` seeding
mixer) with bit-exact float64 arithmetic, so only the per-cell results are
committed, never the points.

Point ``i`` (0-based) uses the five 64-bit draws ``z_k = mix(SEED + (5 i + k +
1) * GAMMA)``, ``k = 0..4`` (wrapping 64-bit arithmetic), ``u(z) = (z >> 11) *
2**-53``:

* ``lon = LON0 + LONW * u(z0)``, ``lat = LAT0 + LATW * u(z1)``;
* component ``c = z2 >> 62`` (0..3), ``val = MU[c] + SIG[c] * ((u(z3) +
  u(z4)) - 1.0)`` (a triangular mixture; component 3 is wide, so values
  fall outside the histogram range, and values near 0 meet the |x| < 1e-5
  filter).

The grid is the geodesic 10 km grid (pyproj ``Geod(ellps="WGS84").fwd``,
covering rule as in binning_reference.py) over the fixed box GRID_BOX
(smaller than the point box, so points fall outside the grid). Per cell, in
input order: count, ``numpy.histogram`` over the global bins, mean /
population std / skewness / Pearson kurtosis by a two-pass computation with
``math.fsum``. Nothing reuses the crate's streaming algorithm.

Writes crates/upscale-dist/tests/data/synthetic_1e6.json and
synthetic_1e7.json (N = 10**6 is the prefix of the 10**7 stream). Run from
the repository root (about a minute):

    python3 xtask/reference/upscale-dist/synthetic_reference.py
"""
import json
import math
import os
import sys

import numpy as np
import pyproj

SEED = 0x5EED_0007
GAMMA = 0x9E3779B97F4A7C15
LON0, LONW = -136.2, 5.4
LAT0, LATW = 65.9, 2.2
GRID_BOX = (-136.0, -131.0, 66.0, 68.0)  # lon_min, lon_max, lat_min, lat_max
MU = np.array([-0.02, 0.005, 0.03, 0.0])
SIG = np.array([0.01, 0.004, 0.03, 0.12])
RESOLUTION_KM = 10.0
FILTER = (-0.5, 0.5, 1e-5)
HIST = (-0.05, 0.05, 50)
THRESHOLD = 1000
OUT = os.path.join("crates", "upscale-dist", "tests", "data")


def mix(z):
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def unit(z):
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def points(n):
    with np.errstate(over="ignore"):
        i = np.arange(n, dtype=np.uint64)
        draws = []
        for k in range(5):
            ctr = np.uint64(5) * i + np.uint64(k + 1)
            draws.append(mix(np.uint64(SEED) + ctr * np.uint64(GAMMA)))
    lon = LON0 + LONW * unit(draws[0])
    lat = LAT0 + LATW * unit(draws[1])
    c = (draws[2] >> np.uint64(62)).astype(np.int64)
    val = MU[c] + SIG[c] * ((unit(draws[3]) + unit(draws[4])) - 1.0)
    return lon, lat, val


def geodesic_edges(vmin, vmax, step):
    edges = [vmin]
    cur = vmin
    while cur <= vmax:
        cur = step(cur)
        edges.append(cur)
    return np.array(edges)


def make_grid():
    geod = pyproj.Geod(ellps="WGS84")
    lon_min, lon_max, lat_min, lat_max = GRID_BOX
    lon_ref, lat_ref = 0.5 * (lon_min + lon_max), 0.5 * (lat_min + lat_max)
    s = RESOLUTION_KM * 1000.0
    lat_edges = geodesic_edges(lat_min, lat_max, lambda c: geod.fwd(lon_ref, c, 0.0, s)[1])
    lon_edges = geodesic_edges(lon_min, lon_max, lambda c: geod.fwd(c, lat_ref, 90.0, s)[0])
    return lon_edges, lat_edges


def moments(x):
    n = len(x)
    if n == 0:
        return [None] * 4
    mean = math.fsum(x) / n
    d = x - mean
    m2 = math.fsum(d * d) / n
    m3 = math.fsum(d * d * d) / n
    m4 = math.fsum(d * d * d * d) / n
    if m2 > 0:
        return [mean, math.sqrt(m2), m3 / m2**1.5, m4 / m2**2]
    return [mean, math.sqrt(m2), None, None]


def case(n, lon_edges, lat_edges):
    lon, lat, val = points(n)
    nx, ny = len(lon_edges) - 1, len(lat_edges) - 1
    kept = (val >= FILTER[0]) & (val <= FILTER[1]) & ~((val > -FILTER[2]) & (val < FILTER[2]))
    ix = np.searchsorted(lon_edges, lon, side="right") - 1
    iy = np.searchsorted(lat_edges, lat, side="right") - 1
    inside = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
    binned = kept & inside
    cell = np.where(binned, iy * nx + ix, -1)
    order = np.argsort(cell, kind="stable")  # input order within each cell
    sorted_cell = cell[order]
    starts = np.searchsorted(sorted_cell, np.arange(nx * ny + 1), side="left")
    counts, hists, moms = [], [], []
    outside_hist = 0
    for c in range(nx * ny):
        x = val[order[starts[c]:starts[c + 1]]]
        h = np.histogram(x, bins=HIST[2], range=HIST[:2])[0]
        outside_hist += len(x) - int(h.sum())
        counts.append(len(x))
        hists.append([int(t) for t in h])
        moms.append(moments(x))
    return dict(
        n_points=n,
        # A few generated points, for the Rust side to check its generator.
        first_points=[[float(lon[i]), float(lat[i]), float(val[i])] for i in range(5)],
        last_point=[float(lon[-1]), float(lat[-1]), float(val[-1])],
        report=dict(
            points_seen=n,
            binned=int(binned.sum()),
            dropped_by_filter=int((~kept).sum()),
            dropped_outside_grid=int((kept & ~inside).sum()),
            outside_histogram=int(outside_hist),
        ),
        counts=counts,
        histogram_counts=hists,
        moments=moms,
    )


def main():
    lon_edges, lat_edges = make_grid()
    common = dict(
        generator=dict(seed=SEED, gamma=GAMMA, lon=[LON0, LONW], lat=[LAT0, LATW],
                       mu=list(MU), sig=list(SIG)),
        params=dict(grid_box=list(GRID_BOX), resolution_km=RESOLUTION_KM, filter=list(FILTER),
                    hist_min=HIST[0], hist_max=HIST[1], n_bins=HIST[2], threshold=THRESHOLD),
        grid=dict(lon_edges=list(lon_edges), lat_edges=list(lat_edges)),
        versions=dict(python=sys.version.split()[0], numpy=np.__version__,
                      pyproj=pyproj.__version__, proj=pyproj.proj_version_str),
    )
    for n, name in [(10**6, "synthetic_1e6.json"), (10**7, "synthetic_1e7.json")]:
        out = dict(common, **case(n, lon_edges, lat_edges))
        with open(os.path.join(OUT, name), "w") as fh:
            json.dump(out, fh, separators=(",", ":"))
        print(name, out["report"], f"{len(lon_edges)-1} x {len(lat_edges)-1} cells")


if __name__ == "__main__":
    main()
