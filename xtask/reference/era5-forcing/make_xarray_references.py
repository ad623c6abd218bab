#!/usr/bin/env python3
"""Independent reference values for era5-forcing, computed with xarray.

Reads the real ERA5 files in ../shared/data/real/era5/ (relative to the
project root) and writes crates/era5-forcing/tests/data/xarray_reference.json
with daily means and degree days (Finse, hourly), daily precipitation totals
(Finse; ERA5 single levels store per-hour accumulations, so the value stamped
t covers (t - 1 h, t]), monthly means (permafrost_usecase, monthly) and daily
values and degree days (qa4sm, daily at 06 UTC, point series).

Packed int16 values are unpacked here in float64 by hand (scale_factor,
add_offset, _FillValue / missing_value), not by xarray's decoder, which may
pick float32. Temperatures are converted with T[degC] = T[K] - 273.15.

Usage (from the project root):
    pip install xarray netCDF4
    python3 xtask/reference/era5-forcing/make_xarray_references.py
"""

import json
import math
import platform
import sys
from pathlib import Path

import netCDF4
import numpy as np
import pandas as pd
import xarray as xr

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT.parent / "shared" / "data" / "real" / "era5"
OUT = ROOT / "crates" / "era5-forcing" / "tests" / "data" / "xarray_reference.json"
KELVIN = 273.15
N_LOCATIONS = 8  # qa4sm: full series for the first locations only (file size)


def unpack(da):
    """float64 values of a raw (mask_and_scale=False) variable."""
    x = da.astype("float64")
    for key in ("_FillValue", "missing_value"):
        if key in da.attrs:
            fill = float(da.attrs[key])
            x = x.where(~((da == fill) | (np.isnan(fill) & np.isnan(x))))
    scale = float(da.attrs.get("scale_factor", 1.0))
    offset = float(da.attrs.get("add_offset", 0.0))
    return x * scale + offset


def tolist(a):
    a = np.asarray(a, dtype="float64")
    return [[None if math.isnan(v) else float(v) for v in row] for row in a.reshape(a.shape[0], -1)]


def finse():
    ds = xr.open_dataset(DATA / "topopyscale_finse_SURF_201810.nc", mask_and_scale=False)
    t = (unpack(ds["t2m"]) - KELVIN).sortby("latitude").sortby("longitude")
    t = t.transpose("time", "latitude", "longitude")
    mean = t.resample(time="1D").mean()
    thaw = t.clip(min=0.0).resample(time="1D").mean()
    freeze = (-t).clip(min=0.0).resample(time="1D").mean()
    tp = unpack(ds["tp"]).sortby("latitude").sortby("longitude").transpose("time", "latitude", "longitude")
    tp = tp.assign_coords(time=tp["time"] - np.timedelta64(1, "h"))
    tp_day = tp.resample(time="1D").sum(min_count=24)
    return {
        "file": "topopyscale_finse_SURF_201810.nc",
        "variable": "t2m",
        "lat": [float(x) for x in t["latitude"].values],
        "lon": [float(x) for x in t["longitude"].values],
        "dates": [str(d)[:10] for d in mean["time"].values],
        "daily_mean_degC": tolist(mean.values),
        "thawing_degree_days": tolist(thaw.values),
        "freezing_degree_days": tolist(freeze.values),
        "tp_dates": [str(d)[:10] for d in tp_day["time"].values],
        "tp_daily_total_m": tolist(tp_day.values),
        "shape": "(day, lat, lon) flattened to (day, lat*lon), latitude ascending",
    }


def permafrost_usecase():
    ds = xr.open_dataset(DATA / "permafrost_usecase_era5_2010.nc", mask_and_scale=False)
    t = (unpack(ds["t2m"]) - KELVIN).sortby("latitude").sortby("longitude")
    t = t.transpose("date", "latitude", "longitude")
    return {
        "file": "permafrost_usecase_era5_2010.nc",
        "variable": "t2m",
        "months": [str(int(d)) for d in t["date"].values],
        "monthly_mean_degC": tolist(t.values),
        "shape": "(month, lat, lon) flattened, latitude ascending",
    }


def qa4sm():
    ds = xr.open_dataset(DATA / "qa4sm_ERA5_LAND_V20190904_cell0165.nc", mask_and_scale=False)
    t = (unpack(ds["stl1"]) - KELVIN).transpose("time", "locations")
    mean = t.resample(time="1D").mean()
    thaw = t.clip(min=0.0).resample(time="1D").mean()
    freeze = (-t).clip(min=0.0).resample(time="1D").mean()
    return {
        "file": "qa4sm_ERA5_LAND_V20190904_cell0165.nc",
        "variable": "stl1",
        "dates": [str(d)[:10] for d in mean["time"].values],
        "n_locations": int(t.sizes["locations"]),
        "first_locations": N_LOCATIONS,
        "daily_mean_degC": tolist(mean.values[:, :N_LOCATIONS]),
        "thawing_degree_days": tolist(thaw.values[:, :N_LOCATIONS]),
        "freezing_degree_days": tolist(freeze.values[:, :N_LOCATIONS]),
        "location_time_mean_degC": [float(x) for x in mean.mean("time").values],
        "shape": "(day, location) for the first locations; time mean of the daily means for all",
    }


def main():
    out = {
        "generator": "xtask/reference/era5-forcing/make_xarray_references.py",
        "versions": {
            "python": platform.python_version(),
            "xarray": xr.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "netCDF4": netCDF4.__version__,
            "netcdf_c": netCDF4.__netcdf4libversion__,
        },
        "conventions": "daily mean = mean of the 24 hourly values of the UTC day; degree days = daily mean "
        "of max(T,0) and max(-T,0) in degC day; T in degC = K - 273.15",
        "finse": finse(),
        "permafrost_usecase": permafrost_usecase(),
        "qa4sm": qa4sm(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
