//! Acceptance (1): on the real ERA5 files, daily means, degree days, daily
//! precipitation totals and monthly means agree with an independent xarray
//! computation (`xtask/reference/era5-forcing/make_xarray_references.py`;
//! versions recorded in `tests/data/xarray_reference.json`) to 1e-6 relative.
#![cfg(feature = "netcdf")]

use std::path::PathBuf;

use approx::assert_relative_eq;
use era5_forcing::accumulate::Accumulation;
use era5_forcing::daily::DailyParams;
use era5_forcing::field::Grid;
use era5_forcing::reader::read_field;
use era5_forcing::time::TimeResolution;
use era5_forcing::Error;
use serde_json::Value;

/// netCDF-C is not thread-safe, and the netcdf crate's per-call lock does not
/// make the sequences of calls of concurrent tests safe: a rare SIGSEGV was
/// seen with tests running in parallel (about 1 run in 15; never with one
/// test thread). The netCDF tests of this file take turns.
static NETCDF: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    NETCDF.lock().unwrap_or_else(|e| e.into_inner())
}

/// The shared real-data folder; `None` (with a notice) when it is missing,
/// a panic when it is missing on CI.
fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/real/era5");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but the real-data folder {} is missing",
            dir.display()
        );
    }
    eprintln!(
        "NOTICE: {} not found; skipping the real-data comparison",
        dir.display()
    );
    None
}

fn reference() -> Value {
    let text = include_str!("data/xarray_reference.json");
    serde_json::from_str(text).expect("reference JSON")
}

/// Rows of (time, cells) numbers; `null` = NaN.
fn table(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|row| {
            row.as_array()
                .expect("row")
                .iter()
                .map(|x| x.as_f64().unwrap_or(f64::NAN))
                .collect()
        })
        .collect()
}

fn close(ours: f64, theirs: f64, what: &str) {
    if theirs.is_nan() {
        assert!(ours.is_nan(), "{what}: {ours} where xarray has NaN");
    } else {
        assert_relative_eq!(ours, theirs, max_relative = 1e-6, epsilon = 1e-9);
    }
}

fn dates(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("dates")
        .iter()
        .map(|d| d.as_str().expect("date").to_string())
        .collect()
}

#[test]
fn finse_hourly_daily_means_degree_days_and_precipitation() {
    let _serial = serial();
    let Some(dir) = data_dir() else { return };
    let r = &reference()["finse"];
    let t2m = read_field(dir.join("topopyscale_finse_SURF_201810.nc"), "t2m").unwrap();
    assert_eq!(
        t2m.resolution().unwrap(),
        TimeResolution::SubDaily { step_seconds: 3600 }
    );
    let Grid::Regular { lat, lon } = &t2m.grid else {
        panic!("regular grid expected")
    };
    let want_lat: Vec<f64> = r["lat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let want_lon: Vec<f64> = r["lon"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(lat, &want_lat);
    assert_eq!(lon, &want_lon);

    let p = DailyParams::new();
    let mean = t2m.daily_mean(&p).unwrap();
    let dd = t2m.daily_degree_days(&p).unwrap();
    let want_dates = dates(&r["dates"]);
    let got: Vec<String> = mean.dates.iter().map(|d| d.to_string()).collect();
    assert_eq!(got, want_dates);
    for (name, ours, theirs) in [
        ("daily mean", &mean.values, &r["daily_mean_degC"]),
        (
            "thawing degree days",
            &dd.thawing,
            &r["thawing_degree_days"],
        ),
        (
            "freezing degree days",
            &dd.freezing,
            &r["freezing_degree_days"],
        ),
    ] {
        let want = table(theirs);
        assert_eq!(want.len(), ours.shape()[0]);
        for (d, row) in want.iter().enumerate() {
            let flat: Vec<f64> = ours
                .index_axis(ndarray::Axis(0), d)
                .iter()
                .copied()
                .collect();
            assert_eq!(flat.len(), row.len());
            for (a, b) in flat.iter().zip(row) {
                close(*a, *b, name);
            }
        }
    }
    // Degree days really differ from max(mean, 0): the check has teeth.
    assert!(dd
        .thawing
        .iter()
        .zip(mean.values.iter())
        .any(|(t, m)| (t - m.max(0.0)).abs() > 1e-3));

    // ERA5 single levels: per-hour accumulations.
    let tp = read_field(dir.join("topopyscale_finse_SURF_201810.nc"), "tp").unwrap();
    let tot = tp
        .daily_total(&DailyParams::new().with_accumulation(Accumulation::PerStep))
        .unwrap();
    let got: Vec<String> = tot.dates.iter().map(|d| d.to_string()).collect();
    assert_eq!(got, dates(&r["tp_dates"]));
    assert_eq!(tot.complete.first(), Some(&false));
    assert_eq!(tot.complete.last(), Some(&false));
    for (d, row) in table(&r["tp_daily_total_m"]).iter().enumerate() {
        for (a, b) in tot.values.index_axis(ndarray::Axis(0), d).iter().zip(row) {
            close(*a, *b, "daily precipitation");
        }
    }
}

#[test]
fn permafrost_usecase_monthly_passes_means_and_refuses_degree_days() {
    let _serial = serial();
    let Some(dir) = data_dir() else { return };
    let r = &reference()["permafrost_usecase"];
    let t2m = read_field(dir.join("permafrost_usecase_era5_2010.nc"), "t2m").unwrap();
    assert_eq!(t2m.resolution().unwrap(), TimeResolution::Monthly);
    assert_eq!(t2m.units, "degC");
    let err = t2m.daily_degree_days(&DailyParams::new()).unwrap_err();
    assert!(matches!(err, Error::Resolution { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("monthly") && msg.contains("t2m"), "{msg}");
    assert!(t2m.daily_mean(&DailyParams::new()).is_err());

    let m = t2m.monthly_mean(&DailyParams::new()).unwrap();
    let months: Vec<String> = m
        .months
        .iter()
        .map(|d| d.format("%Y%m%d").to_string())
        .collect();
    assert_eq!(months, dates(&r["months"]));
    for (k, row) in table(&r["monthly_mean_degC"]).iter().enumerate() {
        for (a, b) in m.values.index_axis(ndarray::Axis(0), k).iter().zip(row) {
            close(*a, *b, "monthly mean");
        }
    }
}

#[test]
fn qa4sm_daily_point_series() {
    let _serial = serial();
    let Some(dir) = data_dir() else { return };
    let r = &reference()["qa4sm"];
    let stl1 = read_field(dir.join("qa4sm_ERA5_LAND_V20190904_cell0165.nc"), "stl1").unwrap();
    assert_eq!(stl1.resolution().unwrap(), TimeResolution::Daily);
    assert!(matches!(stl1.grid, Grid::Points { .. }));
    let n = r["n_locations"].as_u64().unwrap() as usize;
    assert_eq!(stl1.grid.shape(), (1, n));
    let mean = stl1.daily_mean(&DailyParams::new()).unwrap();
    let dd = stl1.daily_degree_days(&DailyParams::new()).unwrap();
    let got: Vec<String> = mean.dates.iter().map(|d| d.to_string()).collect();
    assert_eq!(got, dates(&r["dates"]));
    let k = r["first_locations"].as_u64().unwrap() as usize;
    for (name, ours, theirs) in [
        ("daily mean", &mean.values, &r["daily_mean_degC"]),
        (
            "thawing degree days",
            &dd.thawing,
            &r["thawing_degree_days"],
        ),
        (
            "freezing degree days",
            &dd.freezing,
            &r["freezing_degree_days"],
        ),
    ] {
        for (d, row) in table(theirs).iter().enumerate() {
            assert_eq!(row.len(), k);
            for (j, b) in row.iter().enumerate() {
                close(ours[[d, 0, j]], *b, name);
            }
        }
    }
    let means: Vec<f64> = r["location_time_mean_degC"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let ours = mean.values.mean_axis(ndarray::Axis(0)).unwrap();
    for (j, b) in means.iter().enumerate() {
        close(ours[[0, j]], *b, "time mean of daily means");
    }
}
