"""Peer benchmark `forcing`: xarray daily resampling and degree days against
`permafrost-insar forcing era5`, on ERA5-Land-like hourly skin temperature in
both CDS layouts.

* `new_layout`: `valid_time` in seconds since 1970, float32 kelvin, extra
  `number` / `expver` coordinates, latitude descending.
* `old_layout`: `time` in hours since 1900, int16 packed with scale_factor /
  add_offset / _FillValue (a few fill values), latitude descending.

Both sides compute, per UTC day and cell, the daily mean (Σ of the 24 hourly
values / 24, °C), the thawing degree days Σ max(T, 0)/24 and the freezing
degree days Σ max(−T, 0)/24 (°C·day), with T = K − 273.15 in float64, and
write them to NetCDF. The peer unpacks int16 in float64 by hand (as
xtask/reference/era5-forcing/make_xarray_references.py does) so that both
sides start from the same numbers. `compare` requires the same days, the same
missing cells, and |ours − peer| ≤ 1e-6·|peer| + 1e-12 for every value.

Verbs (see xtask/bench/README.md): generate DIR [--quick] | cases DIR |
peer DIR CASE | compare DIR CASE.
"""

import json
import sys
from pathlib import Path

import numpy as np

SEED = 20261121
KELVIN = 273.15
VARS = ["skt_daily_mean", "skt_tdd", "skt_fdd"]
REL_TOL = 1e-6
ABS_TOL = 1e-12


def sizes(quick):
    if quick:
        return {"days": 3, "rows": 4, "cols": 5}
    return {"days": 365, "rows": 50, "cols": 100}


def temperature(rng, n):
    """Hourly skin temperature in K, (hour, lat, lon): seasonal and diurnal
    cycles that cross 0 °C, a latitude gradient, and noise."""
    h = np.arange(n["days"] * 24, dtype="float64")[:, None, None]
    r = np.arange(n["rows"], dtype="float64")[None, :, None]
    c = np.arange(n["cols"], dtype="float64")[None, None, :]
    season = -6.0 + 14.0 * np.sin(2 * np.pi * (h / 24.0 - 110.0) / 365.25)
    diurnal = 5.0 * np.cos(2 * np.pi * ((h % 24) - 14.0) / 24.0)
    noise = rng.normal(0.0, 1.5, (h.size, n["rows"], n["cols"]))
    return KELVIN + season + diurnal - 0.05 * r + 0.01 * c + noise


def coords(n):
    lat = 70.0 - 0.1 * np.arange(n["rows"])  # descending, as CDS writes it
    lon = 100.0 + 0.1 * np.arange(n["cols"])
    return lat, lon


def generate(d, quick):
    import netCDF4

    n = sizes(quick)
    rng = np.random.default_rng(SEED)
    t = temperature(rng, n)
    lat, lon = coords(n)
    hours = t.shape[0]
    # Newer layout: valid_time (seconds since 1970), float32, number/expver.
    t0 = 1_546_300_800  # 2019-01-01T00:00:00Z
    with netCDF4.Dataset(d / "era5land_new.nc", "w") as ds:
        ds.createDimension("valid_time", hours)
        ds.createDimension("latitude", n["rows"])
        ds.createDimension("longitude", n["cols"])
        v = ds.createVariable("valid_time", "i8", ("valid_time",))
        v.units = "seconds since 1970-01-01"
        v.calendar = "proleptic_gregorian"
        v[:] = t0 + 3600 * np.arange(hours, dtype="int64")
        ds.createVariable("latitude", "f8", ("latitude",))[:] = lat
        ds["latitude"].units = "degrees_north"
        ds.createVariable("longitude", "f8", ("longitude",))[:] = lon
        ds["longitude"].units = "degrees_east"
        ds.createVariable("number", "i8", ())[...] = 0
        e = ds.createVariable("expver", str, ("valid_time",))
        e[:] = np.array(["0001"] * hours, dtype=object)
        s = ds.createVariable("skt", "f4", ("valid_time", "latitude", "longitude"))
        s.units = "K"
        s.long_name = "Skin temperature"
        s[:] = t.astype("float32")
    # Older layout: time (hours since 1900), int16 packed, a few fills.
    with netCDF4.Dataset(d / "era5land_old.nc", "w") as ds:
        ds.createDimension("longitude", n["cols"])
        ds.createDimension("latitude", n["rows"])
        ds.createDimension("time", hours)
        ds.createVariable("longitude", "f4", ("longitude",))[:] = lon
        ds["longitude"].units = "degrees_east"
        ds.createVariable("latitude", "f4", ("latitude",))[:] = lat
        ds["latitude"].units = "degrees_north"
        v = ds.createVariable("time", "i4", ("time",))
        v.units = "hours since 1900-01-01 00:00:00.0"
        v.calendar = "gregorian"
        v[:] = 1_043_832 + np.arange(hours, dtype="int32")  # 2019-01-01T00
        lo, hi = float(t.min()), float(t.max())
        scale = (hi - lo) / 65_000.0
        offset = (hi + lo) / 2.0
        s = ds.createVariable(
            "skt", "i2", ("time", "latitude", "longitude"), fill_value=np.int16(-32767)
        )
        s.set_auto_maskandscale(False)
        s.scale_factor = scale
        s.add_offset = offset
        s.missing_value = np.int16(-32767)
        s.units = "K"
        s.long_name = "Skin temperature"
        packed = np.round((t - offset) / scale).astype("int16")
        # A few missing hours (whole days of a cell then have fewer than 24
        # steps: both sides give NaN there).
        idx = rng.integers(0, packed.size, max(1, packed.size // 200_000))
        packed.reshape(-1)[idx] = -32767
        s[:] = packed
    (d / "sizes.json").write_text(json.dumps(n))


def cases(d):
    n = json.loads((d / "sizes.json").read_text())
    size = f"{n['days'] * 24:,} h × {n['rows']} × {n['cols']} cells"
    out = []
    for layout, what in [
        ("new", "daily mean + degree days, valid_time / float32 layout"),
        ("old", "daily mean + degree days, time / packed int16 layout"),
    ]:
        out.append(
            {
                "case": f"{layout}_layout",
                "what": what,
                "input": f"{size} (NetCDF)",
                "ours": [
                    "--json", "forcing", "era5", "--input", f"{{dir}}/era5land_{layout}.nc",
                    "--variable", "skt", "--out", f"{{dir}}/ours_{layout}.nc",
                ],
            }
        )
    return out


def unpack(da):
    """float64 values of a raw (mask_and_scale=False) variable."""
    x = da.astype("float64")
    for key in ("_FillValue", "missing_value"):
        if key in da.attrs:
            x = x.where(da != da.attrs[key])
    scale = float(da.attrs.get("scale_factor", 1.0))
    offset = float(da.attrs.get("add_offset", 0.0))
    return x * scale + offset


def peer(d, case):
    import xarray as xr

    layout = case.split("_")[0]
    ds = xr.open_dataset(d / f"era5land_{layout}.nc", mask_and_scale=False)
    tname = "valid_time" if "valid_time" in ds.dims else "time"
    t = (unpack(ds["skt"]) - KELVIN).sortby("latitude").sortby("longitude")
    t = t.transpose(tname, "latitude", "longitude").rename({tname: "time"})
    # A day is complete with all 24 hours present; else NaN (as ours).
    day = {"time": "1D"}
    count = t.notnull().resample(**day).sum()
    ok = count == 24
    mean = t.resample(**day).mean().where(ok)
    tdd = t.clip(min=0.0).resample(**day).mean().where(ok)
    fdd = (-t).clip(min=0.0).resample(**day).mean().where(ok)
    out = xr.Dataset({"skt_daily_mean": mean, "skt_tdd": tdd, "skt_fdd": fdd})
    # Plain float64 output: no packing inherited from the input's encoding.
    for v in out.variables.values():
        v.attrs = {}
        v.encoding = {}
    out.to_netcdf(d / f"peer_{layout}.nc")
    print(json.dumps({"days": int(mean.sizes["time"])}))


def compare(d, case):
    import netCDF4

    layout = case.split("_")[0]
    ours_json = json.loads((d / f"{case}.ours.out").read_text())
    peer_json = json.loads((d / f"{case}.peer.out").read_text())
    worst, msgs, ok = 0.0, [], True
    if ours_json["days"] != peer_json["days"]:
        ok = False
        msgs.append(f"days {ours_json['days']} vs {peer_json['days']}")
    with netCDF4.Dataset(d / f"ours_{layout}.nc") as a, netCDF4.Dataset(d / f"peer_{layout}.nc") as b:
        for v in VARS:
            x = np.ma.filled(a[v][:].astype("float64"), np.nan)
            y = np.ma.filled(b[v][:].astype("float64"), np.nan)
            if x.shape != y.shape:
                ok = False
                msgs.append(f"{v}: shape {x.shape} vs {y.shape}")
                continue
            nan_x, nan_y = np.isnan(x), np.isnan(y)
            if (nan_x != nan_y).any():
                ok = False
                msgs.append(f"{v}: {int((nan_x != nan_y).sum())} cells NaN on one side only")
            m = ~(nan_x | nan_y)
            diff = np.abs(x[m] - y[m])
            rel = diff / np.maximum(np.abs(y[m]), ABS_TOL / REL_TOL)
            worst = max(worst, float(rel.max(initial=0.0)))
            if (diff > REL_TOL * np.abs(y[m]) + ABS_TOL).any():
                ok = False
                msgs.append(f"{v}: max rel. diff {float(rel.max()):.1e}")
    print(f"max rel. diff {worst:.1e} (tolerance {REL_TOL:g} rel + {ABS_TOL:g})" + ("; " + "; ".join(msgs) if msgs else ""))
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
