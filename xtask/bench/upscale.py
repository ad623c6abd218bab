"""Peer benchmark `upscale`: the study-style numpy implementation (every
point in memory, cell index and ``numpy.bincount`` per statistic, the
geodesic 10 km grid stepped with ``pyproj.Geod.fwd``) against
`permafrost-insar upscale` on the same NetCDF field.

Verbs (see xtask/bench/README.md): generate DIR [--quick] | cases DIR |
peer DIR CASE | compare DIR CASE.

Agreement: identical point accounting, per-cell counts, validity and
histogram counts (recovered from the densities, checked to be integers);
densities within 1e-12 relative; mean, std, skewness and Pearson kurtosis of
the valid cells within 1e-9 relative. The peer's moments are two-pass
(``bincount`` of the values, then of the centred powers), not raw power
sums, so that both sides are accurate to ~1e-12.
"""

import json
import sys
from pathlib import Path

import numpy as np

SEED = 20261121
RES_KM = 10.0
NBINS = 50
HMIN, HMAX = -0.05, 0.05
NEAR_ZERO = 1e-5
THRESHOLD = 2000  # ~5500 points per cell here (the study uses 6000); --quick: QUICK_THRESHOLD
QUICK_THRESHOLD = 5


def shape(quick):
    # 10^7 pixels (2500 × 4000) over 10° × 3° at 64.5° N: ~1500 cells of
    # 10 km with ~6600 points each; --quick: 2·10^4 pixels.
    return (100, 200) if quick else (2500, 4000)


def generate(d, quick):
    import netCDF4

    rows, cols = shape(quick)
    rng = np.random.default_rng(SEED)
    lon = -150.0 + (np.arange(cols) + 0.5) * (10.0 / cols)
    lat = 66.0 - (np.arange(rows) + 0.5) * (3.0 / rows)  # north-up
    comp = rng.integers(0, 3, size=(rows, cols))
    mu = np.array([-0.02, 0.004, 0.0])[comp]
    sig = np.array([0.008, 0.005, 0.03])[comp]
    v = mu + sig * rng.standard_normal((rows, cols))
    v[rng.random((rows, cols)) < 0.05] = 0.0  # the products' fill value
    with netCDF4.Dataset(d / "field.nc", "w") as ds:
        ds.createDimension("lat", rows)
        ds.createDimension("lon", cols)
        x = ds.createVariable("lat", "f8", ("lat",))
        x.units = "degrees_north"
        x[:] = lat
        x = ds.createVariable("lon", "f8", ("lon",))
        x.units = "degrees_east"
        x[:] = lon
        ds.createVariable("v", "f8", ("lat", "lon"))[:] = v
    thr = QUICK_THRESHOLD if quick else THRESHOLD
    (d / "shape.json").write_text(json.dumps([rows, cols, thr]))


def cases(d):
    rows, cols, thr = json.loads((d / "shape.json").read_text())
    return [
        {
            "case": "bin10km",
            "what": f"geodesic {RES_KM:g} km grid, {NBINS}-bin histograms + 4 moments per cell",
            "input": f"{rows * cols:,} points ({rows} × {cols} NetCDF field)",
            "ours": [
                "--json", "upscale", "--input", "{dir}/field.nc:v",
                "--resolution-km", f"{RES_KM:g}", "--bins", str(NBINS),
                "--range", f"{HMIN},{HMAX}", "--threshold", str(thr),
                "--near-zero", f"{NEAR_ZERO}", "--out", "{dir}/ours.nc",
            ],
        }
    ]


def geodesic_edges(vmin, vmax, step):
    edges = [vmin]
    cur = vmin
    while cur <= vmax:
        cur = step(cur)
        edges.append(cur)
    return np.array(edges)


def peer(d, case):
    import netCDF4
    import pyproj

    assert case == "bin10km", case
    with netCDF4.Dataset(d / "field.nc") as ds:
        lat = ds["lat"][:].filled(np.nan)
        lon = ds["lon"][:].filled(np.nan)
        v = ds["v"][:].filled(np.nan)
    # Grid over the bounding box, reference point at its centre.
    geod = pyproj.Geod(ellps="WGS84")
    lo_x, hi_x, lo_y, hi_y = lon.min(), lon.max(), lat.min(), lat.max()
    lon_ref, lat_ref = 0.5 * (lo_x + hi_x), 0.5 * (lo_y + hi_y)
    s = RES_KM * 1000.0
    lat_edges = geodesic_edges(lo_y, hi_y, lambda c: geod.fwd(lon_ref, c, 0.0, s)[1])
    lon_edges = geodesic_edges(lo_x, hi_x, lambda c: geod.fwd(c, lat_ref, 90.0, s)[0])
    nx, ny = len(lon_edges) - 1, len(lat_edges) - 1
    # Every point in memory, as the study does.
    lon2 = np.broadcast_to(lon[None, :], v.shape).ravel()
    lat2 = np.broadcast_to(lat[:, None], v.shape).ravel()
    x = v.ravel()
    finite = np.isfinite(x)
    with np.errstate(invalid="ignore"):
        kept = finite & (x >= HMIN) & (x <= HMAX) & ~(np.abs(x) < NEAR_ZERO)
    ix = np.searchsorted(lon_edges, lon2, side="right") - 1
    iy = np.searchsorted(lat_edges, lat2, side="right") - 1
    inside = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
    sel = kept & inside
    cell = (iy * nx + ix)[sel]
    x = x[sel]
    nc = nx * ny
    n = np.bincount(cell, minlength=nc).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(cell, weights=x, minlength=nc) / n
        dev = x - mean[cell]
        d2 = dev * dev
        m2 = np.bincount(cell, weights=d2, minlength=nc) / n
        m3 = np.bincount(cell, weights=d2 * dev, minlength=nc) / n
        m4 = np.bincount(cell, weights=d2 * d2, minlength=nc) / n
        std = np.sqrt(m2)
        skew = m3 / m2**1.5
        kurt = m4 / m2**2
    width = (HMAX - HMIN) / NBINS
    b = np.floor((x - HMIN) / width).astype(np.int64)
    b[x == HMAX] = NBINS - 1
    # numpy.histogram's edge correction: a value below its computed edge
    # goes one bin down, at or above the next edge one bin up.
    edges = np.linspace(HMIN, HMAX, NBINS + 1)
    b = np.clip(b, 0, NBINS - 1)
    b -= x < edges[b]
    b += (x >= edges[b + 1]) & (b != NBINS - 1)
    hist = np.bincount(cell * NBINS + b, minlength=nc * NBINS).reshape(nc, NBINS)
    np.savez(
        d / "peer.npz",
        counts=n.astype(np.int64), hist=hist, mean=mean, std=std, skew=skew, kurt=kurt,
        shape=np.array([ny, nx]), seen=np.array(v.size),
        binned=np.array(int(sel.sum())), filtered=np.array(int((finite & ~kept).sum())),
        lon_edges=lon_edges, lat_edges=lat_edges,
    )
    print(json.dumps({"n_cells": nc, "points_binned": int(sel.sum())}))


def compare(d, case):
    import netCDF4

    assert case == "bin10km", case
    p = np.load(d / "peer.npz")
    ny, nx = p["shape"]
    with netCDF4.Dataset(d / "ours.nc") as ds:
        get = lambda k: np.asarray(ds[k][:].filled(np.nan) if np.ma.isMaskedArray(ds[k][:]) else ds[k][:])
        counts = get("count").reshape(-1)
        valid = get("valid").reshape(-1).astype(bool)
        dens = get("histogram").reshape(ny * nx, NBINS)
        ours = {k: get(k).reshape(-1) for k in ["mean", "std", "skewness", "kurtosis"]}
        lon_b, lat_b = get("lon_bnds"), get("lat_bnds")
    errors = []
    if counts.shape != p["counts"].shape:
        sys.exit(f"grid differs: ours {counts.size} cells, peer {p['counts'].size}")
    edge_diff = max(np.abs(lon_b[:, 0] - p["lon_edges"][:-1]).max(),
                    np.abs(lat_b[:, 0] - p["lat_edges"][:-1]).max())
    if edge_diff > 1e-12:
        errors.append(f"grid edges differ by {edge_diff:e} deg")
    if not np.array_equal(counts, p["counts"]):
        errors.append(f"counts differ in {(counts != p['counts']).sum()} cells")
    thr = json.loads((d / "shape.json").read_text())[2]
    pvalid = p["counts"] > thr
    if not np.array_equal(valid, pvalid):
        errors.append("validity differs")
    width = (HMAX - HMIN) / NBINS
    tot = p["hist"].sum(axis=1).astype(np.float64)
    worst_hist, worst_dens = 0, 0.0
    for c in np.nonzero(pvalid & (tot > 0))[0]:
        rec = dens[c] * tot[c] * width
        worst_hist = max(worst_hist, int(np.abs(np.rint(rec) - p["hist"][c]).max()))
        ref = p["hist"][c] / tot[c] / width
        worst_dens = max(worst_dens, float((np.abs(dens[c] - ref) / np.maximum(np.abs(ref), 1e-300)).max()))
    if worst_hist != 0:
        errors.append(f"histogram counts differ by up to {worst_hist}")
    if worst_dens > 1e-12:
        errors.append(f"densities differ by {worst_dens:e} relative")
    worst_mom = 0.0
    for k, pk in [("mean", "mean"), ("std", "std"), ("skewness", "skew"), ("kurtosis", "kurt")]:
        a, b = ours[k][pvalid], p[pk][pvalid]
        rel = np.abs(a - b) / np.maximum(np.abs(b), 1e-300)
        worst_mom = max(worst_mom, float(rel.max()) if rel.size else 0.0)
    if worst_mom > 1e-9:
        errors.append(f"moments differ by {worst_mom:e} relative (tolerance 1e-9)")
    report = (f"{nx * ny} cells, {int(pvalid.sum())} valid; counts and histograms identical "
              f"(max |diff| {worst_hist}); max relative diff: densities {worst_dens:.1e}, "
              f"moments {worst_mom:.1e}; edges {edge_diff:.1e} deg")
    if errors:
        sys.exit("upscale disagrees: " + "; ".join(errors) + f" ({report})")
    print(report)


def main(argv):
    verb, d = argv[1], Path(argv[2])
    if verb == "generate":
        d.mkdir(parents=True, exist_ok=True)
        generate(d, "--quick" in argv[3:])
    elif verb == "cases":
        print(json.dumps(cases(d)))
    elif verb == "peer":
        peer(d, argv[3])
    elif verb == "compare":
        compare(d, argv[3])
    else:
        sys.exit(f"unknown verb {verb}")


if __name__ == "__main__":
    main(sys.argv)
