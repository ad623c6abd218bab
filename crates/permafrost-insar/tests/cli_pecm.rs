//! `pecm fit` on a small planted scene written in the test (MintPy
//! `timeseries.h5` / `ifgramStack.h5` and a daily temperature NetCDF):
//! planted rates and amplitudes recovered, reason codes, and bad input.

mod common;
use common::{cli_json as cli, native_io_turn};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use ndarray::{Array2, Array3, ArrayD, IxDyn};
use permafrost_insar::io::geotiff::{self, Raster, SampleType};
use permafrost_insar::io::mintpy::{self, IfgramStack};
use permafrost_insar::io::nc::{NcData, NcWriter};
use permafrost_insar::pecm::{Forcing, OnsetParams, Params, PixelStatus};

const ROWS: usize = 3;
const COLS: usize = 4;
const DAYS: usize = 5 * 365;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2016, 1, 1).unwrap()
}

/// Daily temperature of pixel (r, c): the mean and the amplitude vary over
/// the scene; pixel (2, 3) stays below 0 °C.
fn temperature(r: usize, c: usize, i: usize) -> f64 {
    if (r, c) == (2, 3) {
        return -8.0 + 3.0 * (i as f64 / 50.0).sin();
    }
    let mean = -5.0 + 0.5 * r as f64;
    let amp = 13.0 + 0.8 * c as f64;
    let phase = 200.0 + 3.0 * (r + c) as f64;
    mean + amp * (2.0 * std::f64::consts::PI * (i as f64 - phase) / 365.25).cos()
}

fn sar_dates(n: usize) -> Vec<NaiveDate> {
    (0..n)
        .map(|k| start() + Days::new(20 + 12 * k as u64))
        .collect()
}

fn planted(r: usize, c: usize) -> (f64, f64) {
    (
        -0.015 + 0.004 * r as f64 + 0.001 * c as f64,
        0.01 + 0.01 * c as f64,
    )
}

/// Writes the temperature as (time, y, x) or, with `one`, as (time) (the
/// series of pixel (0, 0)), `days` days long.
fn write_temperature(path: &Path, one: bool, days: usize, ny: usize, nx: usize) {
    let time: Vec<f64> = (0..days).map(|i| i as f64).collect();
    let mut w = NcWriter::new();
    w.dimension("time", days)
        .variable(
            "time",
            &["time"],
            NcData::F64(ArrayD::from_shape_vec(IxDyn(&[days]), time).unwrap()),
        )
        .attr("time", "units", "days since 2016-01-01 00:00:00")
        .attr("time", "calendar", "standard");
    if one {
        let t: Vec<f64> = (0..days).map(|i| temperature(0, 0, i)).collect();
        w.variable(
            "t2m",
            &["time"],
            NcData::F64(ArrayD::from_shape_vec(IxDyn(&[days]), t).unwrap()),
        );
    } else {
        let t = ArrayD::from_shape_fn(IxDyn(&[days, ny, nx]), |ix| {
            temperature(ix[1], ix[2], ix[0])
        });
        w.dimension("y", ny).dimension("x", nx).variable(
            "t2m",
            &["time", "y", "x"],
            NcData::F64(t),
        );
    }
    w.attr("t2m", "units", "degC");
    w.write(path).expect("write temperature");
}

/// The planted displacement (m) of every pixel on `dates`; pixel (0, 1) is
/// missing, pixel (2, 3) never thaws (planted as zeros).
fn planted_stack(dates: &[NaiveDate], r0: &dyn Fn(usize, usize) -> f64) -> Array3<f64> {
    let pecm = Params::new().build().unwrap();
    let mut out = Array3::zeros((dates.len(), ROWS, COLS));
    for r in 0..ROWS {
        for c in 0..COLS {
            if (r, c) == (0, 1) {
                out.slice_mut(ndarray::s![.., r, c]).fill(f64::NAN);
                continue;
            }
            if (r, c) == (2, 3) {
                continue;
            }
            let t: Vec<f64> = (0..DAYS).map(|i| temperature(r, c, i)).collect();
            let f = Forcing::from_daily_temperature(start(), &t, &OnsetParams::new()).unwrap();
            let bases = pecm.bases(&f, dates, r0(r, c)).unwrap();
            let (v, d) = planted(r, c);
            for (k, x) in pecm.model(&bases, v, d).unwrap().into_iter().enumerate() {
                out[[k, r, c]] = x;
            }
        }
    }
    out
}

fn geo_attrs() -> BTreeMap<String, String> {
    [
        ("X_FIRST", "100.0"),
        ("X_STEP", "0.001"),
        ("Y_FIRST", "35.0"),
        ("Y_STEP", "-0.001"),
        ("EPSG", "4326"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn read(dir: &Path, name: &str) -> Raster {
    geotiff::read_raster(&dir.join(format!("{name}.tif"))).expect(name)
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

struct Scene {
    _dir: tempfile::TempDir,
    root: PathBuf,
    ts: PathBuf,
    temp: PathBuf,
    dates: Vec<NaiveDate>,
}

fn scene() -> Scene {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_path_buf();
    let dates = sar_dates(140);
    let stack = planted_stack(&dates, &|_, _| 1.2);
    let ts = root.join("timeseries.h5");
    mintpy::write_timeseries(&ts, &dates, &stack.mapv(|x| x as f32), &geo_attrs())
        .expect("write timeseries");
    let temp = root.join("t2m.nc");
    write_temperature(&temp, false, DAYS, ROWS, COLS);
    Scene {
        _dir: dir,
        root,
        ts,
        temp,
        dates,
    }
}

#[test]
fn time_series_fit_recovers_the_planted_scene() {
    let _io = native_io_turn();
    let sc = scene();
    let out = sc.root.join("out");
    let temp = format!("{}:t2m", s(&sc.temp));
    let (ok, v, stderr) = cli(&[
        "--json",
        "pecm",
        "fit",
        "--timeseries",
        &s(&sc.ts),
        "--temperature",
        &temp,
        "--kappa-ratio",
        "1.2",
        "--out",
        &s(&out),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["n_pixels"], 12);
    assert_eq!(v["n_fitted"], 10);
    assert_eq!(v["status_counts"]["ok"], 10);
    assert_eq!(v["status_counts"]["no_data"], 1);
    assert_eq!(v["status_counts"]["never_thaws"], 1);
    assert_eq!(v["outputs"].as_array().map(Vec::len), Some(8));
    let rate = read(&out, "linear_rate");
    assert_eq!(rate.shape(), (ROWS, COLS));
    assert_eq!(rate.geotransform, [100.0, 0.001, 0.0, 35.0, 0.0, -0.001]);
    assert!(rate.crs_wkt.contains("WGS"), "{}", rate.crs_wkt);
    let amp = read(&out, "seasonal_amplitude");
    let status = read(&out, "status");
    let preferred = read(&out, "preferred_model");
    let rms = read(&out, "residual_rms");
    for name in ["linear_rate_std", "seasonal_amplitude_std", "r2"] {
        assert_eq!(read(&out, name).shape(), (ROWS, COLS), "{name}");
    }
    for r in 0..ROWS {
        for c in 0..COLS {
            let st = PixelStatus::from_code(status.band(0)[[r, c]] as u8).unwrap();
            match (r, c) {
                (0, 1) => assert_eq!(st, PixelStatus::NoData),
                (2, 3) => assert_eq!(st, PixelStatus::NeverThaws),
                _ => {
                    assert_eq!(st, PixelStatus::Ok, "({r}, {c})");
                    let (pv, pd) = planted(r, c);
                    // f32 storage of the series: ~1e-9 m rounding.
                    assert!((rate.band(0)[[r, c]] - pv).abs() < 1e-6, "({r}, {c})");
                    assert!((amp.band(0)[[r, c]] - pd).abs() < 1e-6, "({r}, {c})");
                    assert!(rms.band(0)[[r, c]] < 1e-6);
                    assert_eq!(preferred.band(0)[[r, c]], 1.0, "PECM preferred");
                    continue;
                }
            }
            assert!(rate.band(0)[[r, c]].is_nan());
            assert!(amp.band(0)[[r, c]].is_nan());
            assert!(preferred.band(0)[[r, c]].is_nan());
        }
    }

    // One temperature series for every pixel: pixel (0, 0)'s forcing.
    let one = sc.root.join("t2m_one.nc");
    write_temperature(&one, true, DAYS, 1, 1);
    let out1 = sc.root.join("out1");
    let (ok, v, stderr) = cli(&[
        "--json",
        "pecm",
        "fit",
        "--timeseries",
        &s(&sc.ts),
        "--temperature",
        &format!("{}:t2m", s(&one)),
        "--kappa-ratio",
        "1.2",
        "--out",
        &s(&out1),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["status_counts"]["ok"], 11);
    let rate1 = read(&out1, "linear_rate");
    assert!((rate1.band(0)[[0, 0]] - planted(0, 0).0).abs() < 1e-6);
}

#[test]
fn joint_fit_from_interferograms_and_a_ratio_raster() {
    let _io = native_io_turn();
    let sc = scene();
    let wavelength = 0.05546576;
    let stack = planted_stack(&sc.dates, &|_, _| 1.2);
    // Two groups of dates with no interferogram between them.
    let n = sc.dates.len();
    let mut pairs = Vec::new();
    for i in 0..n {
        for j in i + 1..(i + 4).min(n) {
            if (i < n / 2) == (j < n / 2) {
                pairs.push((i, j));
            }
        }
    }
    let m = pairs.len();
    let mut phase = Array3::<f32>::zeros((m, ROWS, COLS));
    for (k, &(i, j)) in pairs.iter().enumerate() {
        for r in 0..ROWS {
            for c in 0..COLS {
                let d = stack[[j, r, c]] - stack[[i, r, c]];
                phase[[k, r, c]] = (-4.0 * std::f64::consts::PI / wavelength * d) as f32;
            }
        }
    }
    let mut attributes = geo_attrs();
    attributes.insert("WAVELENGTH".into(), wavelength.to_string());
    let ifg = IfgramStack {
        date_pairs: pairs
            .iter()
            .map(|&(i, j)| (sc.dates[i], sc.dates[j]))
            .collect(),
        unwrap_phase: phase,
        coherence: Array3::from_elem((m, ROWS, COLS), 0.9),
        bperp: vec![0.0; m],
        keep: vec![true; m],
        attributes,
    };
    let path = sc.root.join("ifgramStack.h5");
    mintpy::write_ifgram_stack(&path, &ifg).expect("write stack");
    let ratio = sc.root.join("ratio.tif");
    geotiff::write_geotiff(
        &ratio,
        &Raster::single(
            Array2::from_elem((ROWS, COLS), 1.2),
            [100.0, 0.001, 0.0, 35.0, 0.0, -0.001],
            geotiff::wkt_from_epsg(4326).unwrap(),
        ),
        SampleType::Float64,
    )
    .unwrap();
    let out = sc.root.join("joint");
    let (ok, v, stderr) = cli(&[
        "--json",
        "pecm",
        "fit",
        "--interferograms",
        &s(&path),
        "--temperature",
        &format!("{}:t2m", s(&sc.temp)),
        "--kappa-ratio",
        &s(&ratio),
        "--out",
        &s(&out),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["mode"], "interferograms");
    // Pixel (0, 1) is NaN in the time series, so its phases are NaN too.
    assert_eq!(v["status_counts"]["ok"], 10);
    assert_eq!(v["status_counts"]["never_thaws"], 1);
    let rate = read(&out, "linear_rate");
    let amp = read(&out, "seasonal_amplitude");
    let comps = read(&out, "n_components");
    let (pv, pd) = planted(1, 2);
    assert!((rate.band(0)[[1, 2]] - pv).abs() < 1e-5);
    assert!((amp.band(0)[[1, 2]] - pd).abs() < 1e-5);
    assert_eq!(comps.band(0)[[1, 2]], 2.0);
}

#[test]
fn bad_input_gives_clear_errors() {
    let _io = native_io_turn();
    let sc = scene();
    let out = s(&sc.root.join("bad"));
    let run = |ts: &str, temp: &str, kappa: &str| {
        let (ok, _, stderr) = cli(&[
            "pecm",
            "fit",
            "--timeseries",
            ts,
            "--temperature",
            temp,
            "--kappa-ratio",
            kappa,
            "--out",
            &out,
        ]);
        assert!(!ok);
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        stderr
    };
    let temp = format!("{}:t2m", s(&sc.temp));
    // Temperature grid of another shape.
    let small = sc.root.join("small.nc");
    write_temperature(&small, false, DAYS, 2, 2);
    let e = run(&s(&sc.ts), &format!("{}:t2m", s(&small)), "1.0");
    assert!(e.contains("shape mismatch") && e.contains("[3, 4]"), "{e}");
    // SAR dates beyond the temperature record.
    let short = sc.root.join("short.nc");
    write_temperature(&short, false, 3 * 365, ROWS, COLS);
    let e = run(&s(&sc.ts), &format!("{}:t2m", s(&short)), "1.0");
    assert!(
        e.contains("lies outside the temperature record") && e.contains("date[90]"),
        "{e}"
    );
    // No variable named, a missing variable, a bad ratio.
    let e = run(&s(&sc.ts), &s(&sc.temp), "1.0");
    assert!(e.contains("FILE:VAR"), "{e}");
    let e = run(&s(&sc.ts), &format!("{}:skt", s(&sc.temp)), "1.0");
    assert!(e.contains("no variable `skt`"), "{e}");
    let e = run(&s(&sc.ts), &temp, "-1");
    assert!(e.contains("--kappa-ratio -1"), "{e}");
    // A ratio raster of the wrong shape.
    let ratio = sc.root.join("ratio_small.tif");
    geotiff::write_geotiff(
        &ratio,
        &Raster::single(
            Array2::from_elem((2, 2), 1.0),
            [0.0, 1.0, 0.0, 0.0, 0.0, 1.0],
            "",
        ),
        SampleType::Float32,
    )
    .unwrap();
    let e = run(&s(&sc.ts), &temp, &s(&ratio));
    assert!(
        e.contains("--kappa-ratio") && e.contains("shape mismatch"),
        "{e}"
    );
    // Not a time series.
    let e = run(&temp.replace(":t2m", ""), &temp, "1.0");
    assert!(e.contains("t2m.nc"), "{e}");
    // Both inputs at once.
    let (ok, _, stderr) = cli(&[
        "pecm",
        "fit",
        "--timeseries",
        &s(&sc.ts),
        "--interferograms",
        &s(&sc.ts),
        "--temperature",
        &temp,
        "--out",
        &out,
    ]);
    assert!(!ok && stderr.contains("cannot be used with"), "{stderr}");
}

#[test]
fn kappa_ratio_from_soil_rasters_through_thermal() {
    let _io = native_io_turn();
    let sc = scene();
    // Bulk density varies over the scene; sand and water contents are numbers.
    let bd = sc.root.join("bulk_density.tif");
    geotiff::write_geotiff(
        &bd,
        &Raster::single(
            Array2::from_shape_fn((ROWS, COLS), |(r, c)| 1100.0 + 60.0 * (r * COLS + c) as f64),
            [100.0, 0.001, 0.0, 35.0, 0.0, -0.001],
            geotiff::wkt_from_epsg(4326).unwrap(),
        ),
        SampleType::Float32,
    )
    .unwrap();
    let soil = sc.root.join("soil");
    let (ok, _, stderr) = cli(&[
        "--json",
        "thermal",
        "--bulk-density",
        &s(&bd),
        "--sand",
        "0.4",
        "--theta-thaw",
        "0.3",
        "--theta-freeze",
        "0.25",
        "--out",
        &s(&soil),
    ]);
    assert!(ok, "{stderr}");
    let ratio_path = soil.join("kappa_ratio.tif");
    let ratio = read(&soil, "kappa_ratio").band(0).to_owned();
    assert!(ratio.iter().all(|x| x.is_finite() && *x > 0.0));
    assert!(
        ratio[[0, 0]] != ratio[[2, 2]],
        "the ratio varies over the scene"
    );
    // Plant the scene with those ratios and fit with the raster.
    let stack = planted_stack(&sc.dates, &|r, c| ratio[[r, c]]);
    let ts = sc.root.join("timeseries_soil.h5");
    mintpy::write_timeseries(&ts, &sc.dates, &stack.mapv(|x| x as f32), &geo_attrs()).unwrap();
    let out = sc.root.join("out_soil");
    let (ok, v, stderr) = cli(&[
        "--json",
        "pecm",
        "fit",
        "--timeseries",
        &s(&ts),
        "--temperature",
        &format!("{}:t2m", s(&sc.temp)),
        "--kappa-ratio",
        &s(&ratio_path),
        "--out",
        &s(&out),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["status_counts"]["ok"], 10);
    let amp = read(&out, "seasonal_amplitude");
    for (r, c) in [(0, 0), (1, 2), (2, 2)] {
        assert!(
            (amp.band(0)[[r, c]] - planted(r, c).1).abs() < 1e-6,
            "({r}, {c})"
        );
    }
    // A uniform ratio that differs from the planted ones misfits.
    let out1 = sc.root.join("out_soil_uniform");
    let (ok, _, stderr) = cli(&[
        "pecm",
        "fit",
        "--timeseries",
        &s(&ts),
        "--temperature",
        &format!("{}:t2m", s(&sc.temp)),
        "--kappa-ratio",
        "0.05",
        "--out",
        &s(&out1),
    ]);
    assert!(ok, "{stderr}");
    let rms = read(&out1, "residual_rms");
    assert!(rms.band(0)[[2, 2]] > 1e-5, "{}", rms.band(0)[[2, 2]]);
}
