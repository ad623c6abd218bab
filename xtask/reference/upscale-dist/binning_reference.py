#!/usr/bin/env python3
"""Reference data for crates/upscale-dist/tests/numpy_reference.rs.

An independent numpy implementation of SCIENCE.md §5 (the definitions of the
S-UPSCALE study), run on a synthetic field generated here from a fixed seed:

* the geodesic 10 km grid, stepped with pyproj's ``Geod(ellps="WGS84").fwd``
  (the library S-UPSCALE used; PROJ wraps GeographicLib) with the crate's
  covering rule: first edge at the box's minimum, steps while the last edge
  is <= the maximum;
* the point filter (keep [min, max], drop |x| < 1e-5), cell assignment with
  ``numpy.searchsorted(edges, x, side="right") - 1`` (half-open cells);
* per cell, with the points in input order: count, ``numpy.histogram`` over
  the global bins, mean / population std / skewness / Pearson kurtosis by a
  two-pass computation with ``math.fsum`` (exactly rounded sums), validity
  ``count > threshold``, densities ``counts / total / width``;
* aggregation of the (filtered) raster to the cell centres: cell mean,
  inverse distance over the 4 nearest points (``cdo remapdis`` rule:
  haversine angle, ties to the smaller index, search first then drop the
  missing, zero distance takes the value) and nearest, by brute force.

Nothing here reuses the crate's streaming algorithm. Outputs (little-endian
float64 raster values and two JSON files) go to
crates/upscale-dist/tests/data/. Run from the repository root:

    python3 xtask/reference/upscale-dist/binning_reference.py

With ``--dem TIF OUTDIR`` it runs the same definitions on a real
single-band EPSG:4326 GeoTIFF read with rasterio (1 km geodesic grid, no
filter, histogram over [500, 1100] m, threshold 500) and writes the case to
OUTDIR (outside the repository: real data are not committed); the ignored
test ``real_dem_matches_numpy`` in tests/numpy_reference.rs reads it when
``UPSCALE_DEM_CASE=OUTDIR`` is set.

Recorded with Python 3.11.7, numpy 2.4.6, pyproj 3.7.2 (PROJ 9.5.1).
"""
import json
import math
import os
import sys

import numpy as np
import pyproj

SEED = 20250205
OUT = os.path.join("crates", "upscale-dist", "tests", "data")

# Raster (row, col): latitudes descending (north-up, like a GeoTIFF).
NROWS, NCOLS = 180, 320
LONS = -134.5 + (np.arange(NCOLS) + 0.5) * 0.003
LATS = 69.0 - (np.arange(NROWS) + 0.5) * 0.0022

RESOLUTION_KM = 10.0
FILTER = (-0.5, 0.5, 1e-5)
HIST = (-0.05, 0.05, 50)
THRESHOLD = 2000
K = 4


def geodesic_edges(vmin, vmax, step):
    """Edges from vmin, stepping while the last edge is <= vmax."""
    edges = [vmin]
    cur = vmin
    while cur <= vmax:
        cur = step(cur)
        edges.append(cur)
    return np.array(edges)


def make_grid():
    geod = pyproj.Geod(ellps="WGS84")
    lon_min, lon_max = float(LONS.min()), float(LONS.max())
    lat_min, lat_max = float(LATS.min()), float(LATS.max())
    lon_ref, lat_ref = 0.5 * (lon_min + lon_max), 0.5 * (lat_min + lat_max)
    s = RESOLUTION_KM * 1000.0
    lat_edges = geodesic_edges(lat_min, lat_max, lambda c: geod.fwd(lon_ref, c, 0.0, s)[1])
    lon_edges = geodesic_edges(lon_min, lon_max, lambda c: geod.fwd(c, lat_ref, 90.0, s)[0])
    return lon_edges, lat_edges, (lon_ref, lat_ref)


def make_values(rng, lon_edges, lat_edges):
    y, x = np.meshgrid(np.linspace(0, 1, NROWS), np.linspace(0, 1, NCOLS), indexing="ij")
    v = -0.012 + 0.006 * np.sin(2 * np.pi * x) * np.cos(2 * np.pi * y)
    v = v + 0.004 * rng.standard_normal((NROWS, NCOLS))
    # A skewed, heavy-tailed part in the east.
    east = x > 0.55
    v[east] += 0.003 * (rng.exponential(1.0, east.sum()) - 1.0)
    v[east] += 0.002 * rng.standard_t(3, east.sum())
    flat = v.ravel()  # a view
    n = flat.size

    def pick(count):
        return rng.choice(n, count, replace=False)

    # A "lake" of fill values (0) in the north-west: cells there go sparse.
    lake = ((x - 0.15) / 0.2) ** 2 + ((y - 0.2) / 0.25) ** 2 < 1.0
    v[lake] = 0.0
    flat[pick(200)] = 0.0
    flat[pick(100)] = rng.choice([-1.0, 1.0], 100) * rng.uniform(0, 0.99e-5, 100)
    flat[pick(50)] = rng.choice([-1e-5, 1e-5], 50)
    flat[pick(50)] = rng.choice([-0.8, 0.8, 3.0, -2.5, 0.50000001], 50)
    flat[pick(30)] = rng.choice([-0.5, 0.5], 30)
    flat[pick(300)] = rng.uniform(0.05, 0.4, 300) * rng.choice([-1.0, 1.0], 300)
    flat[pick(50)] = np.nan
    flat[pick(10)] = rng.choice([np.inf, -np.inf], 10)
    # Values exactly on the histogram edges and one ulp beside them.
    edges = np.linspace(HIST[0], HIST[1], HIST[2] + 1)
    flat[pick(300)] = rng.choice(edges, 300)
    idx = pick(200)
    e = rng.choice(edges, 200)
    flat[idx] = np.where(rng.random(200) < 0.5, np.nextafter(e, -np.inf), np.nextafter(e, np.inf))
    return v


def make_extra(rng, lon_edges, lat_edges):
    m = 2000
    lon = rng.uniform(-134.56, -133.44, m)
    lat = rng.uniform(68.55, 69.05, m)
    val = -0.01 + 0.008 * rng.standard_normal(m)
    val[rng.choice(m, 40, replace=False)] = 0.0
    # Points exactly on cell edges (the last edge of each axis is outside).
    k = 0
    for e in lon_edges:
        lon[k] = e
        lat[k] = rng.uniform(lat_edges[0], lat_edges[-1])
        k += 1
    for e in lat_edges:
        lat[k] = e
        lon[k] = rng.uniform(lon_edges[0], lon_edges[-1])
        k += 1
    lon[k : k + 5] = np.nan
    lat[k + 5 : k + 10] = np.nan
    return lon, lat, val


def moments(x):
    n = len(x)
    if n == 0:
        return [math.nan] * 4
    mean = math.fsum(x) / n
    d = x - mean
    m2 = math.fsum(d * d) / n
    m3 = math.fsum(d * d * d) / n
    m4 = math.fsum(d * d * d * d) / n
    if m2 > 0:
        return [mean, math.sqrt(m2), m3 / m2**1.5, m4 / m2**2]
    return [mean, math.sqrt(m2), math.nan, math.nan]


def binning(lon_edges, lat_edges, lon, lat, val):
    nx, ny = len(lon_edges) - 1, len(lat_edges) - 1
    nonfinite = ~np.isfinite(val)
    with np.errstate(invalid="ignore"):
        kept = (val >= FILTER[0]) & (val <= FILTER[1]) & ~((val > -FILTER[2]) & (val < FILTER[2]))
    ix = np.searchsorted(lon_edges, lon, side="right") - 1
    iy = np.searchsorted(lat_edges, lat, side="right") - 1
    inside = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
    binned = ~nonfinite & kept & inside
    cell = np.where(binned, iy * nx + ix, -1)
    width = (HIST[1] - HIST[0]) / HIST[2]
    out = dict(counts=[], histogram_counts=[], moments=[], valid=[], density=[], density_np=[])
    outside_hist = 0
    for c in range(nx * ny):
        x = val[cell == c]
        n = len(x)
        h = np.histogram(x, bins=HIST[2], range=HIST[:2])[0]
        outside_hist += n - int(h.sum())
        valid = n > THRESHOLD
        total = int(h.sum())
        out["counts"].append(n)
        out["histogram_counts"].append([int(t) for t in h])
        out["valid"].append(bool(valid))
        out["moments"].append(moments(x))
        if valid and total > 0:
            out["density"].append(list(h / total / width))
            out["density_np"].append(list(np.histogram(x, bins=HIST[2], range=HIST[:2], density=True)[0]))
        else:
            out["density"].append([math.nan] * HIST[2])
            out["density_np"].append([math.nan] * HIST[2])
    out["report"] = dict(
        points_seen=int(len(val)),
        binned=int(binned.sum()),
        dropped_non_finite=int(nonfinite.sum()),
        dropped_by_filter=int((~nonfinite & ~kept).sum()),
        dropped_outside_grid=int((~nonfinite & kept & ~inside).sum()),
        outside_histogram=int(outside_hist),
    )
    return out


def aggregation(lon_edges, lat_edges, values):
    with np.errstate(invalid="ignore"):
        keep = (values >= FILTER[0]) & (values <= FILTER[1]) & ~((values > -FILTER[2]) & (values < FILTER[2]))
    field = np.where(keep, values, np.nan).ravel()
    lon2, lat2 = np.meshgrid(LONS, LATS)
    lon2, lat2 = lon2.ravel(), lat2.ravel()
    phi, lam = np.radians(lat2), np.radians(lon2)
    cphi = np.cos(phi)
    lon_c = 0.5 * (lon_edges[:-1] + lon_edges[1:])
    lat_c = 0.5 * (lat_edges[:-1] + lat_edges[1:])
    ix = np.searchsorted(lon_edges, lon2, side="right") - 1
    iy = np.searchsorted(lat_edges, lat2, side="right") - 1
    nx = len(lon_c)
    out = dict(cell_mean=[], idw4=[], nearest=[], min_gap=math.inf)
    idx = np.arange(field.size)
    for j, la in enumerate(lat_c):
        for i, lo in enumerate(lon_c):
            sel = (ix == i) & (iy == j) & np.isfinite(field)
            out["cell_mean"].append(float(np.mean(field[sel])) if sel.any() else math.nan)
            p0, l0 = math.radians(la), math.radians(lo)
            s = np.sin((phi - p0) * 0.5)
            t = np.sin((lam - l0) * 0.5)
            hav = s * s + math.cos(p0) * cphi * t * t
            order = np.lexsort((idx, hav))[: K + 1]
            gap = (hav[order[K]] - hav[order[K - 1]]) / hav[order[K - 1]]
            out["min_gap"] = min(out["min_gap"], float(gap))
            nb = order[:K]
            num = den = 0.0
            res = math.nan
            for q in nb:
                v = field[q]
                if np.isnan(v):
                    continue
                if hav[q] == 0.0:
                    res = v
                    break
                w = 1.0 / (2.0 * math.asin(math.sqrt(min(max(hav[q], 0.0), 1.0))))
                num += w * v
                den += w
            else:
                res = num / den if den > 0 else math.nan
            out["idw4"].append(float(res))
            out["nearest"].append(float(field[nb[0]]))
    assert out["min_gap"] > 1e-9, "near-tie among the 4th/5th neighbours: choose other data"
    return out


def clean(x):
    """JSON without NaN: NaN becomes null."""
    if isinstance(x, np.ndarray):
        return clean(x.tolist())
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if math.isnan(x):
            return None
        assert math.isfinite(x), "infinite values are not written to JSON"
        return x
    if isinstance(x, (np.integer,)):
        return int(x)
    return x


def dem_case(tif, outdir):
    global LONS, LATS, NROWS, NCOLS, RESOLUTION_KM, FILTER, HIST, THRESHOLD
    import rasterio

    with rasterio.open(tif) as d:
        assert d.crs.to_epsg() == 4326, d.crs
        t = d.transform
        values = d.read(1).astype("<f8")
        NROWS, NCOLS = values.shape
        LONS = t.c + (np.arange(NCOLS) + 0.5) * t.a
        LATS = t.f + (np.arange(NROWS) + 0.5) * t.e
        versions = dict(python=sys.version.split()[0], numpy=np.__version__, pyproj=pyproj.__version__,
                        rasterio=rasterio.__version__, gdal=rasterio.__gdal_version__)
    RESOLUTION_KM = 1.0
    FILTER = (-1e9, 1e9, 0.0)
    HIST = (500.0, 1100.0, 50)
    THRESHOLD = 500
    lon_edges, lat_edges, ref = make_grid()
    lon2, lat2 = np.meshgrid(LONS, LATS)
    os.makedirs(outdir, exist_ok=True)
    values.tofile(os.path.join(outdir, "dem_values_f64le.bin"))
    case = dict(
        versions=versions,
        source=os.path.abspath(tif),
        raster=dict(nrows=NROWS, ncols=NCOLS, lons=LONS, lats=LATS, values_file="dem_values_f64le.bin"),
        params=dict(resolution_km=RESOLUTION_KM, filter=FILTER, hist_min=HIST[0], hist_max=HIST[1],
                    n_bins=HIST[2], threshold=THRESHOLD),
        expected=dict(
            grid=dict(lon_edges=lon_edges, lat_edges=lat_edges, reference=ref),
            binning=binning(lon_edges, lat_edges, lon2.ravel(), lat2.ravel(), values.ravel()),
        ),
    )
    with open(os.path.join(outdir, "dem_case.json"), "w") as f:
        json.dump(clean(case), f, separators=(",", ":"))
    b = case["expected"]["binning"]
    print("DEM grid", len(lon_edges) - 1, "x", len(lat_edges) - 1, "valid", sum(b["valid"]), b["report"])


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--dem":
        dem_case(sys.argv[2], sys.argv[3])
        return
    rng = np.random.default_rng(SEED)
    lon_edges, lat_edges, ref = make_grid()
    values = make_values(rng, lon_edges, lat_edges)
    ex_lon, ex_lat, ex_val = make_extra(rng, lon_edges, lat_edges)

    lon2, lat2 = np.meshgrid(LONS, LATS)
    all_lon = np.concatenate([lon2.ravel(), ex_lon])
    all_lat = np.concatenate([lat2.ravel(), ex_lat])
    all_val = np.concatenate([values.ravel(), ex_val])

    os.makedirs(OUT, exist_ok=True)
    values.astype("<f8").tofile(os.path.join(OUT, "binning_values_f64le.bin"))
    versions = dict(
        python=sys.version.split()[0],
        numpy=np.__version__,
        pyproj=pyproj.__version__,
        proj=pyproj.proj_version_str,
    )
    case = dict(
        versions=versions,
        seed=SEED,
        raster=dict(nrows=NROWS, ncols=NCOLS, lons=LONS, lats=LATS, values_file="binning_values_f64le.bin"),
        extra=dict(lon=ex_lon, lat=ex_lat, val=ex_val),
        params=dict(
            resolution_km=RESOLUTION_KM,
            filter=FILTER,
            hist_min=HIST[0],
            hist_max=HIST[1],
            n_bins=HIST[2],
            threshold=THRESHOLD,
            neighbours=K,
        ),
    )
    expected = dict(
        versions=versions,
        grid=dict(lon_edges=lon_edges, lat_edges=lat_edges, reference=ref),
        binning=binning(lon_edges, lat_edges, all_lon, all_lat, all_val),
        aggregation=aggregation(lon_edges, lat_edges, values),
    )
    with open(os.path.join(OUT, "binning_case.json"), "w") as f:
        json.dump(clean(case), f, separators=(",", ":"))
    with open(os.path.join(OUT, "binning_expected.json"), "w") as f:
        json.dump(clean(expected), f, separators=(",", ":"))
    b = expected["binning"]
    print("grid", len(lon_edges) - 1, "x", len(lat_edges) - 1, "versions", versions)
    print("counts", b["counts"])
    print("valid", sum(b["valid"]), "report", b["report"])
    print("aggregation min relative gap 4th/5th neighbour", expected["aggregation"]["min_gap"])


if __name__ == "__main__":
    main()
