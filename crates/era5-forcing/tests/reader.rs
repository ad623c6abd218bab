//! Readers: both CDS layouts (committed fixtures in `testdata/era5/`), any
//! dimension order, `days since` and `YYYYMMDD` axes, `expver` dimensions,
//! longitude conventions, merging along time (unordered, overlapping and
//! conflicting files), and the errors for bad input.
#![cfg(feature = "netcdf")]

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use era5_forcing::daily::DailyParams;
use era5_forcing::field::Grid;
use era5_forcing::reader::{list_variables, read_field, read_fields, ReadOptions};
use era5_forcing::Error;
use ndarray::Array3;

/// netCDF-C is not thread-safe, and the netcdf crate's per-call lock does not
/// make the sequences of calls of concurrent tests safe: a rare SIGSEGV was
/// seen with tests running in parallel (about 1 run in 15; never with one
/// test thread). The netCDF tests of this file take turns.
static NETCDF: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    NETCDF.lock().unwrap_or_else(|e| e.into_inner())
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/era5")
        .join(name)
}

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("era5-forcing-reader");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn t0() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2019, 4, 28)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
}

#[test]
fn both_layouts_read_to_the_same_normalised_field() {
    let _serial = serial();
    let old = fixture("era5land_old_layout.nc");
    let new = fixture("era5land_new_layout.nc");
    for var in ["t2m", "skt", "tp"] {
        let a = read_field(&old, var).unwrap();
        let b = read_field(&new, var).unwrap();
        assert_eq!(a.times.len(), 72);
        assert_eq!(a.times[0], t0());
        assert_eq!(a.times, b.times);
        let Grid::Regular { lat, lon } = &a.grid else {
            panic!("regular")
        };
        assert_eq!(lat, &vec![64.7, 64.8, 64.9, 65.0], "latitude ascending");
        assert_eq!(
            lon,
            &vec![-91.8, -91.7, -91.6, -91.5, -91.4],
            "0…360 mapped to −180…180"
        );
        assert_eq!(a.grid, b.grid);
        let tol = a.quantum.max(b.quantum) + 1e-9;
        assert!(
            a.quantum > 0.0 && b.quantum > 0.0,
            "stored values have a resolution"
        );
        for (x, y) in a.data.iter().zip(b.data.iter()) {
            assert!(
                (x.is_nan() && y.is_nan()) || (x - y).abs() <= tol,
                "{var}: {x} vs {y}"
            );
        }
    }
    let t = read_field(&old, "t2m").unwrap();
    assert_eq!(t.units, "degC");
    // The generator's missing value: hour 30, latitude 64.8 (row 1 ascending), column 3.
    let nans: Vec<_> = t
        .data
        .indexed_iter()
        .filter(|(_, v)| v.is_nan())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(nans, vec![(30, 1, 3)]);
    // Spring near 65° N around 0 °C: values in °C, not K.
    assert!(t
        .data
        .iter()
        .filter(|v| v.is_finite())
        .all(|v| v.abs() < 15.0));
    let raw = read_fields(&[&old], "t2m", &ReadOptions::new().with_to_celsius(false)).unwrap();
    assert_eq!(raw.units, "K");
    assert!((raw.data[[0, 0, 0]] - t.data[[0, 0, 0]] - 273.15).abs() < 1e-9);
}

#[test]
fn synthetic_daily_statistics() {
    let _serial = serial();
    let new = fixture("era5land_new_layout.nc");
    let t2m = read_field(&new, "t2m").unwrap();
    let m = t2m.daily_mean(&DailyParams::new()).unwrap();
    assert_eq!(m.dates.len(), 3);
    // The missing hour (30 = 29 April 06 UTC) makes that cell-day NaN only.
    assert!(m.values[[1, 1, 3]].is_nan());
    assert_eq!(m.values.iter().filter(|v| v.is_nan()).count(), 1);
    let lax = t2m
        .daily_mean(&DailyParams::new().with_max_missing_steps(1))
        .unwrap();
    let direct: f64 = (24..48)
        .filter(|&h| h != 30)
        .map(|h| t2m.data[[h, 1, 3]])
        .sum::<f64>()
        / 23.0;
    assert!((lax.values[[1, 1, 3]] - direct).abs() < 1e-12);

    // tp accumulates from 00 UTC: the day total is the value stamped 00 UTC next day.
    let tp = read_field(&new, "tp").unwrap();
    let tot = tp.daily_total(&DailyParams::new()).unwrap();
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(
        tot.dates,
        vec![
            day("2019-04-27"),
            day("2019-04-28"),
            day("2019-04-29"),
            day("2019-04-30")
        ]
    );
    assert_eq!(tot.complete, vec![false, true, true, false]);
    for (r, c) in [(0, 0), (2, 4), (3, 1)] {
        assert!((tot.values[[1, r, c]] - tp.data[[24, r, c]]).abs() < 1e-9);
        assert!((tot.values[[2, r, c]] - tp.data[[48, r, c]]).abs() < 1e-9);
        assert!(tot.values[[0, r, c]].is_nan() && tot.values[[3, r, c]].is_nan());
    }
    // Refusals: daily mean of an accumulated variable, totals of a temperature.
    assert!(matches!(
        tp.daily_mean(&DailyParams::new()),
        Err(Error::WrongKind { .. })
    ));
    assert!(matches!(
        t2m.daily_total(&DailyParams::new()),
        Err(Error::WrongKind { .. })
    ));
}

#[test]
fn files_of_both_layouts_merge_in_any_order() {
    let _serial = serial();
    let old = fixture("era5land_old_layout.nc");
    let new = fixture("era5land_new_layout.nc");
    let ab = read_fields(&[&old, &new], "t2m", &ReadOptions::new()).unwrap();
    let ba = read_fields(&[&new, &old], "t2m", &ReadOptions::new()).unwrap();
    assert_eq!(ab.times.len(), 72);
    assert_eq!(ab.times, ba.times);
    assert_eq!(ab.sources.len(), 2);
    // Identical steps are kept once, from the first file given.
    let same = |x: &Array3<f64>, y: &Array3<f64>| {
        x.iter()
            .zip(y.iter())
            .all(|(a, b)| a == b || (a.is_nan() && b.is_nan()))
    };
    assert!(same(&ab.data, &read_field(&old, "t2m").unwrap().data));
    assert!(same(&ba.data, &read_field(&new, "t2m").unwrap().data));
}

#[test]
fn listing_and_missing_variables() {
    let _serial = serial();
    let new = fixture("era5land_new_layout.nc");
    let names: Vec<String> = list_variables(&new)
        .unwrap()
        .into_iter()
        .map(|v| v.name)
        .collect();
    assert_eq!(names, vec!["t2m", "skt", "tp"]);
    let err = read_field(&new, "stl1").unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::MissingVariable { .. }));
    assert!(
        msg.contains("stl1")
            && msg.contains("era5land_new_layout.nc")
            && msg.contains("t2m, skt, tp"),
        "{msg}"
    );
    let err = read_field(Path::new("/nonexistent/x.nc"), "t2m").unwrap_err();
    assert!(matches!(err, Error::Io { .. }) && err.to_string().contains("/nonexistent/x.nc"));
}

/// A variable to write: name, dimensions, values (row-major), attributes.
struct Var {
    name: &'static str,
    dims: Vec<&'static str>,
    values: Vec<f64>,
    kind: Kind,
    attrs: Vec<(&'static str, Attr)>,
}

#[derive(Clone, Copy)]
enum Kind {
    F64,
    F32,
    I16,
    I64,
}

enum Attr {
    Text(&'static str),
    Num(f64),
    Short(i16),
    Float(f32),
}

fn write(path: &Path, dims: &[(&str, usize)], vars: Vec<Var>) {
    let _ = std::fs::remove_file(path);
    let mut f = netcdf::create(path).unwrap();
    for (d, n) in dims {
        f.add_dimension(d, *n).unwrap();
    }
    for v in vars {
        macro_rules! put {
            ($t:ty) => {{
                let mut var = f.add_variable::<$t>(v.name, &v.dims).unwrap();
                for (k, a) in &v.attrs {
                    match a {
                        Attr::Text(s) => var.put_attribute(k, *s).unwrap(),
                        Attr::Num(x) => var.put_attribute(k, *x).unwrap(),
                        Attr::Short(x) => var.put_attribute(k, *x).unwrap(),
                        Attr::Float(x) => var.put_attribute(k, *x).unwrap(),
                    };
                }
                let vals: Vec<$t> = v.values.iter().map(|&x| x as $t).collect();
                var.put_values(&vals, ..).unwrap();
            }};
        }
        match v.kind {
            Kind::F64 => put!(f64),
            Kind::F32 => put!(f32),
            Kind::I16 => put!(i16),
            Kind::I64 => put!(i64),
        }
    }
    f.close().unwrap();
}

fn coord(name: &'static str, values: Vec<f64>, units: &'static str) -> Var {
    Var {
        name,
        dims: vec![name],
        values,
        kind: Kind::F64,
        attrs: vec![("units", Attr::Text(units))],
    }
}

#[test]
fn lat_lon_time_order_days_since_and_packed_values() {
    let _serial = serial();
    // (latitude, longitude, time), latitude descending, longitudes across
    // Greenwich in 0…360, packed int16 with a fill value, days since 1858.
    let path = tmp("order.nc");
    let lats = [61.0, 60.0];
    let lons = [350.0, 355.0, 0.0, 5.0];
    let mjd0 = 58_484.0; // 2019-01-01
    let nt = 48;
    let truth = |i: usize, j: usize, t: usize| 270.0 + i as f64 + 0.1 * j as f64 + 0.01 * t as f64;
    let (scale, offset) = (0.001, 270.0);
    let mut packed = Vec::new();
    for i in 0..2 {
        for j in 0..4 {
            for t in 0..nt {
                packed.push(if (i, j, t) == (1, 2, 5) {
                    -32767.0
                } else {
                    ((truth(i, j, t) - offset) / scale).round()
                });
            }
        }
    }
    write(
        &path,
        &[("latitude", 2), ("longitude", 4), ("time", nt)],
        vec![
            coord("latitude", lats.to_vec(), "degrees_north"),
            coord("longitude", lons.to_vec(), "degrees_east"),
            coord(
                "time",
                (0..nt).map(|h| mjd0 + h as f64 / 24.0).collect(),
                "days since 1858-11-17 00:00:00",
            ),
            Var {
                name: "stl1",
                dims: vec!["latitude", "longitude", "time"],
                values: packed,
                kind: Kind::I16,
                attrs: vec![
                    ("scale_factor", Attr::Num(scale)),
                    ("add_offset", Attr::Num(offset)),
                    ("_FillValue", Attr::Short(-32767)),
                    ("units", Attr::Text("K")),
                ],
            },
        ],
    );
    let f = read_field(&path, "stl1").unwrap();
    assert_eq!(
        f.times[0],
        NaiveDate::from_ymd_opt(2019, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    );
    assert_eq!(
        f.times[nt - 1] - f.times[0],
        TimeDelta::hours(nt as i64 - 1)
    );
    let Grid::Regular { lat, lon } = &f.grid else {
        panic!()
    };
    assert_eq!(lat, &vec![60.0, 61.0]);
    assert_eq!(lon, &vec![-10.0, -5.0, 0.0, 5.0]);
    for t in 0..nt {
        for (r, i) in [(0, 1), (1, 0)] {
            for c in 0..4 {
                let v = f.data[[t, r, c]];
                if (i, c, t) == (1, 2, 5) {
                    assert!(v.is_nan());
                } else {
                    assert!((v - (truth(i, c, t) - 273.15)).abs() < 0.6e-3, "{v}");
                }
            }
        }
    }
    assert!((f.quantum - 0.001).abs() < 1e-15);
}

fn hourly_file(path: &Path, hours: &[i64], value: impl Fn(i64, usize) -> f64) {
    // Newer layout, one row of 3 cells, times in the given order.
    let secs0 = (t0()
        - NaiveDate::from_ymd_opt(1970, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap())
    .num_seconds();
    let mut vals = Vec::new();
    for &h in hours {
        for c in 0..3 {
            vals.push(value(h, c));
        }
    }
    write(
        path,
        &[
            ("valid_time", hours.len()),
            ("latitude", 1),
            ("longitude", 3),
        ],
        vec![
            Var {
                name: "valid_time",
                dims: vec!["valid_time"],
                values: hours.iter().map(|&h| (secs0 + 3600 * h) as f64).collect(),
                kind: Kind::I64,
                attrs: vec![("units", Attr::Text("seconds since 1970-01-01"))],
            },
            coord("latitude", vec![65.0], "degrees_north"),
            coord("longitude", vec![-150.0, -149.9, -149.8], "degrees_east"),
            Var {
                name: "t2m",
                dims: vec!["valid_time", "latitude", "longitude"],
                values: vals,
                kind: Kind::F32,
                attrs: vec![("units", Attr::Text("K"))],
            },
        ],
    );
}

#[test]
fn unordered_overlapping_files_merge_like_cdo_mergetime() {
    let _serial = serial();
    let v = |h: i64, c: usize| 260.0 + h as f64 * 0.5 + c as f64;
    let a = tmp("merge_a.nc");
    let b = tmp("merge_b.nc");
    hourly_file(&a, &(24..48).rev().collect::<Vec<_>>(), v); // reversed in the file
    hourly_file(
        &b,
        &[
            3, 0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25, 26,
        ],
        v,
    );
    let f = read_fields(&[&a, &b], "t2m", &ReadOptions::new()).unwrap();
    assert_eq!(f.times.len(), 48);
    for (k, t) in f.times.iter().enumerate() {
        assert_eq!(*t, t0() + TimeDelta::hours(k as i64));
        assert!((f.data[[k, 0, 2]] - (v(k as i64, 2) - 273.15)).abs() < 1e-4);
    }
    let d = f.daily_mean(&DailyParams::new()).unwrap();
    assert_eq!(d.complete, vec![true, true]);
}

#[test]
fn conflicting_duplicates_are_refused_with_the_time() {
    let _serial = serial();
    let a = tmp("conflict_a.nc");
    let b = tmp("conflict_b.nc");
    hourly_file(&a, &[0, 1, 2, 3], |h, c| 260.0 + h as f64 + c as f64);
    hourly_file(&b, &[5, 4, 3], |h, c| 261.0 + h as f64 + c as f64);
    let err = read_fields(&[&a, &b], "t2m", &ReadOptions::new()).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::ConflictingDuplicate { .. }), "{msg}");
    assert!(msg.contains("2019-04-28 03:00:00"), "{msg}");
    assert!(
        msg.contains("conflict_a.nc") && msg.contains("conflict_b.nc"),
        "{msg}"
    );
    // A tolerance that covers the difference lets them merge.
    let ok = read_fields(
        &[&a, &b],
        "t2m",
        &ReadOptions::new().with_duplicate_atol(1.5),
    )
    .unwrap();
    assert_eq!(ok.times.len(), 6);
    // Within one file too: a repeated step with another value.
    let c = tmp("conflict_c.nc");
    hourly_file(&c, &[0, 1, 1], |h, c| 260.0 + h as f64 + c as f64);
    // Same values: fine.
    assert_eq!(read_field(&c, "t2m").unwrap().times.len(), 2);
}

#[test]
fn yyyymmdd_axis_and_expver_dimension() {
    let _serial = serial();
    // Monthly, integer YYYYMMDD `date`, an `expver` dimension (ERA5 / ERA5T)
    // with complementary missing values, and a scalar-like `number` of length 1.
    let path = tmp("expver.nc");
    let dates = [20_190_101.0, 20_190_201.0, 20_190_301.0];
    let mut vals = Vec::new();
    for (t, _) in dates.iter().enumerate() {
        for e in 0..2 {
            for c in 0..2 {
                // expver 1 (ERA5) for the first two months, 5 (ERA5T) for the last.
                let have = (e == 0 && t < 2) || (e == 1 && t == 2);
                vals.push(if have {
                    250.0 + t as f64 * 10.0 + c as f64
                } else {
                    f64::NAN
                });
            }
        }
    }
    write(
        &path,
        &[
            ("date", 3),
            ("expver", 2),
            ("number", 1),
            ("latitude", 1),
            ("longitude", 2),
        ],
        vec![
            Var {
                name: "date",
                dims: vec!["date"],
                values: dates.to_vec(),
                kind: Kind::I64,
                attrs: vec![("units", Attr::Text("1"))],
            },
            coord("latitude", vec![63.9], "degrees_north"),
            coord("longitude", vec![210.7, 210.95], "degrees_east"),
            Var {
                name: "t2m",
                dims: vec!["date", "expver", "number", "latitude", "longitude"],
                values: vals.iter().flat_map(|&v| [v]).collect(),
                kind: Kind::F32,
                attrs: vec![
                    ("units", Attr::Text("K")),
                    ("_FillValue", Attr::Float(f32::NAN)),
                ],
            },
        ],
    );
    let f = read_field(&path, "t2m").unwrap();
    assert_eq!(
        f.times[2],
        NaiveDate::from_ymd_opt(2019, 3, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    );
    let Grid::Regular { lon, .. } = &f.grid else {
        panic!()
    };
    assert_eq!(lon, &vec![-149.3, -149.05]);
    let want = Array3::from_shape_fn((3, 1, 2), |(t, _, c)| {
        250.0 + t as f64 * 10.0 + c as f64 - 273.15
    });
    for (a, b) in f.data.iter().zip(want.iter()) {
        assert!((a - b).abs() < 1e-4, "{a} vs {b}");
    }
    assert!(f.daily_degree_days(&DailyParams::new()).is_err());
}

/// Reads `var` of `paths` whole and in blocks of 1, 2 and 3 rows: every
/// block's grid and values (to the bit, `NaN` included) are those rows of
/// the whole read.
fn assert_blocks_equal_whole(paths: &[PathBuf], var: &str) {
    let whole = read_fields(paths, var, &ReadOptions::new()).unwrap();
    let rows = whole.grid.shape().0;
    assert_eq!(
        era5_forcing::reader::read_grid(&paths[0], var).unwrap(),
        whole.grid,
        "{var}: read_grid"
    );
    for size in [1, 2, 3] {
        for r0 in (0..rows).step_by(size) {
            let r = r0..(r0 + size).min(rows);
            let part = read_fields(paths, var, &ReadOptions::new().with_rows(r.clone())).unwrap();
            assert_eq!(
                part.grid,
                whole.grid.rows(r.clone()).unwrap(),
                "{var} {r:?}"
            );
            assert_eq!(part.times, whole.times, "{var} {r:?}");
            let expected = whole.data.slice(ndarray::s![.., r.clone(), ..]);
            assert_eq!(part.data.dim(), expected.dim(), "{var} {r:?}");
            for (a, b) in part.data.iter().zip(expected.iter()) {
                assert_eq!(a.to_bits(), b.to_bits(), "{var} {r:?}: {a} vs {b}");
            }
        }
    }
}

#[test]
fn row_blocks_equal_the_whole_read() {
    let _serial = serial();
    // Both layouts, every variable; the two files merged along time.
    let both = [
        fixture("era5land_old_layout.nc"),
        fixture("era5land_new_layout.nc"),
    ];
    for path in &both {
        for v in list_variables(path).unwrap() {
            assert_blocks_equal_whole(std::slice::from_ref(path), &v.name);
        }
    }
    assert_blocks_equal_whole(&both, "t2m");
    // Latitudes in no order at all, (latitude, time, longitude) storage,
    // longitudes in 0…360 across Greenwich: a block's file rows are neither
    // contiguous nor ordered.
    let path = tmp("shuffled.nc");
    let lats = [61.0, 59.0, 62.0, 60.0, 58.5];
    let lons = [355.0, 0.0, 5.0];
    let nt = 30;
    let mut vals = Vec::new();
    for (i, _) in lats.iter().enumerate() {
        for t in 0..nt {
            for j in 0..lons.len() {
                vals.push(if (i, t, j) == (3, 7, 1) {
                    f64::NAN
                } else {
                    250.0 + 10.0 * i as f64 + j as f64 + 0.1 * t as f64
                });
            }
        }
    }
    write(
        &path,
        &[
            ("latitude", lats.len()),
            ("time", nt),
            ("longitude", lons.len()),
        ],
        vec![
            coord("latitude", lats.to_vec(), "degrees_north"),
            coord("longitude", lons.to_vec(), "degrees_east"),
            coord(
                "time",
                (0..nt).map(|h| 1_040_928.0 + h as f64).collect(),
                "hours since 1900-01-01 00:00:00.0",
            ),
            Var {
                name: "t2m",
                dims: vec!["latitude", "time", "longitude"],
                values: vals,
                kind: Kind::F64,
                attrs: vec![("units", Attr::Text("K"))],
            },
        ],
    );
    assert_blocks_equal_whole(std::slice::from_ref(&path), "t2m");
    let f = read_fields(&[&path], "t2m", &ReadOptions::new().with_rows(1..3)).unwrap();
    let Grid::Regular { lat, lon } = &f.grid else {
        panic!()
    };
    assert_eq!(lat, &vec![59.0, 60.0]);
    assert_eq!(lon, &vec![-5.0, 0.0, 5.0]);
    // 60° N is file row 3; its NaN at t = 7, 0° E (file column 1).
    assert!(f.data[[7, 1, 1]].is_nan());
    assert_eq!(f.data[[0, 0, 0]], 250.0 + 10.0 + 0.0 - 273.15);
    // Rows outside the grid, or none, name the variable.
    for bad in [0..0, 4..6] {
        let e = read_fields(&[&path], "t2m", &ReadOptions::new().with_rows(bad))
            .unwrap_err()
            .to_string();
        assert!(e.contains("t2m") && e.contains("rows"), "{e}");
    }
}
