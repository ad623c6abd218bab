//! `forcing lst`: planted onsets and degree days from a daily temperature
//! NetCDF and from MODIS-named 8-day LST rasters; bad input.

mod common;
use common::{cli_json as cli, native_io_turn};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeDelta};
use ndarray::{Array1, Array3};
use permafrost_insar::io::geotiff::{write_geotiff, Raster, SampleType};
use permafrost_insar::io::mintpy::write_timeseries;
use permafrost_insar::io::nc::{self, NcData, NcWriter};

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2017, 1, 1).unwrap()
}

/// Days (index in the 365-day years 2017–2019) of the thaw and freeze onsets
/// planted at pixel (r, c).
fn planted(r: usize, c: usize) -> (usize, usize) {
    (120 + 3 * r + c, 270 - 2 * c)
}

const ROWS: usize = 2;
const COLS: usize = 3;
const DAYS: usize = 3 * 365;

/// Square waves: +4 °C from the thaw to the freeze onset of every year,
/// −6 °C otherwise; pixel (1, 2) all `NaN`.
fn square_waves() -> Array3<f64> {
    Array3::from_shape_fn((DAYS, ROWS, COLS), |(i, r, c)| {
        if (r, c) == (1, 2) {
            return f64::NAN;
        }
        let (ta, tf) = planted(r, c);
        if (ta..tf).contains(&(i % 365)) {
            4.0
        } else {
            -6.0
        }
    })
}

fn write_nc(path: &Path, data: &Array3<f64>, units: &str, one_d: bool) {
    let n = data.dim().0;
    let mut w = NcWriter::new();
    w.dimension("time", n);
    w.variable(
        "time",
        &["time"],
        NcData::F64(Array1::from_iter((0..n).map(|i| 17_167.0 + i as f64)).into_dyn()),
    )
    .attr("time", "units", "days since 1970-01-01")
    .attr("time", "calendar", "standard");
    if one_d {
        let s = data.slice(ndarray::s![.., 0, 0]).to_owned();
        w.variable("t", &["time"], NcData::F64(s.into_dyn()));
    } else {
        w.dimension("y", data.dim().1).dimension("x", data.dim().2);
        w.variable(
            "t",
            &["time", "y", "x"],
            NcData::F64(data.clone().into_dyn()),
        );
    }
    w.attr("t", "units", units);
    w.write(path).expect("write nc");
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn read(path: &Path, var: &str) -> ndarray::ArrayD<f64> {
    nc::read_variable(path, var).expect(var).data
}

#[test]
fn planted_onsets_and_exact_degree_days_from_a_netcdf() {
    let _io = native_io_turn();
    assert_eq!(
        start() + TimeDelta::days(0),
        NaiveDate::from_ymd_opt(2017, 1, 1).unwrap()
    );
    assert_eq!(
        (start() - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days(),
        17_167
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("t.nc");
    write_nc(&input, &square_waves(), "degC", false);
    // SAR dates as a MintPy timeseries.h5 (its /date is what counts).
    let sar_idx = [365 + 139, 365 + 287, 730 + 9];
    let sar: Vec<NaiveDate> = sar_idx
        .iter()
        .map(|&i| start() + TimeDelta::days(i as i64))
        .collect();
    let ts = dir.path().join("timeseries.h5");
    write_timeseries(&ts, &sar, &Array3::zeros((3, 1, 1)), &BTreeMap::new()).expect("ts");
    let out = dir.path().join("ft.nc");
    let (ok, v, stderr) = cli(&[
        "--json",
        "forcing",
        "lst",
        "--temperature",
        &format!("{}:t", s(&input)),
        "--dates",
        &s(&ts),
        "--out",
        &s(&out),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["years"], serde_json::json!([2017, 2018, 2019]));
    assert_eq!(v["n_dates"], 3);
    assert_eq!(v["n_days"], DAYS);
    assert_eq!(v["outputs"][0], s(&out));
    let thaw = read(&out, "thaw_onset_doy");
    let freeze = read(&out, "freeze_onset_doy");
    let mean_thaw = read(&out, "mean_thaw_doy");
    let addt = read(&out, "addt");
    let addf = read(&out, "addf");
    let max_ddt = read(&out, "max_ddt");
    let max_ddf = read(&out, "max_ddf");
    let ratio = read(&out, "ddt_ddf_ratio");
    for r in 0..ROWS {
        for c in 0..COLS {
            if (r, c) == (1, 2) {
                // The all-NaN pixel: NaN everywhere, documented.
                assert!(mean_thaw[[r, c]].is_nan());
                assert!(addt.slice(ndarray::s![.., r, c]).iter().all(|x| x.is_nan()));
                assert!(max_ddt
                    .slice(ndarray::s![.., r, c])
                    .iter()
                    .all(|x| x.is_nan()));
                continue;
            }
            let (ta, tf) = planted(r, c);
            // 2018: day of year = index within the year + 1; within 1 day.
            assert!((thaw[[1, r, c]] - (ta + 1) as f64).abs() <= 1.0, "{r},{c}");
            assert!(
                (freeze[[1, r, c]] - (tf + 1) as f64).abs() <= 1.0,
                "{r},{c}"
            );
            assert!(
                (mean_thaw[[r, c]] - (ta + 1) as f64).abs() <= 1.0,
                "{r},{c}"
            );
            // ADDT/ADDF exact: the days before the SAR date since the onset.
            assert_eq!(addt[[0, r, c]], 4.0 * (139 - ta) as f64, "{r},{c}");
            assert_eq!(addf[[0, r, c]], 0.0);
            assert_eq!(addt[[1, r, c]], 4.0 * (tf - ta) as f64);
            assert_eq!(addf[[1, r, c]], 6.0 * (287 - tf) as f64);
            assert_eq!(addt[[2, r, c]], 4.0 * (tf - ta) as f64);
            assert_eq!(addf[[2, r, c]], 6.0 * (365 + 9 - tf) as f64);
            // Complete permafrost years 2017 and 2018.
            for y in 0..2 {
                assert_eq!(max_ddt[[y, r, c]], 4.0 * (tf - ta) as f64);
                assert_eq!(max_ddf[[y, r, c]], 6.0 * (365 - (tf - ta)) as f64);
                let want = (4.0 * (tf - ta) as f64) / (6.0 * (365 - (tf - ta)) as f64);
                assert!((ratio[[y, r, c]] - want).abs() < 1e-12);
            }
        }
    }
    let temp = read(&out, "temperature");
    assert_eq!(temp[[0, 0, 0]], 4.0);
    assert_eq!(temp[[2, 0, 0]], -6.0);

    // One series (time) and kelvin give the same values for pixel (0, 0);
    // dates as a comma list and as a text file.
    let k = square_waves().mapv(|x| x + 273.15);
    let input1 = dir.path().join("t1.nc");
    write_nc(&input1, &k, "K", true);
    let list = dir.path().join("dates.txt");
    std::fs::write(&list, "# SAR dates\n20180520\n\n20181015\n20190110\n").expect("txt");
    for dates in [s(&list), "20180520,20181015,20190110".to_string()] {
        let out1 = dir.path().join("ft1.nc");
        let (ok, v, stderr) = cli(&[
            "--json",
            "forcing",
            "lst",
            "--temperature",
            &format!("{}:t", s(&input1)),
            "--dates",
            &dates,
            "--out",
            &s(&out1),
        ]);
        assert!(ok, "{stderr}");
        assert_eq!(v["n_dates"], 3);
        let a = read(&out1, "addt");
        let f = read(&out1, "addf");
        assert_eq!(a.shape(), &[3, 1, 1]);
        for d in 0..3 {
            assert!((a[[d, 0, 0]] - addt[[d, 0, 0]]).abs() < 1e-9);
            assert!((f[[d, 0, 0]] - addf[[d, 0, 0]]).abs() < 1e-9);
        }
    }
}

#[test]
fn bad_input_is_one_clear_line() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("t.nc");
    write_nc(&input, &square_waves(), "degC", false);
    let out = s(&dir.path().join("o.nc"));
    let t = format!("{}:t", s(&input));
    let cases: Vec<(Vec<String>, &str)> = vec![
        // Missing variable: names it.
        (
            vec![
                "--temperature".into(),
                format!("{}:t2m", s(&input)),
                "--dates".into(),
                "20180520".into(),
            ],
            "t2m",
        ),
        // A SAR date outside the data: names the date.
        (
            vec![
                "--temperature".into(),
                t.clone(),
                "--dates".into(),
                "20180520,20210101".into(),
            ],
            "2021-01-01",
        ),
        // Not a date.
        (
            vec![
                "--temperature".into(),
                t.clone(),
                "--dates".into(),
                "20180520,2018-10-15".into(),
            ],
            "2018-10-15",
        ),
        // LST file without a MODIS name.
        (
            vec![
                "--lst".into(),
                s(&input),
                "--dates".into(),
                "20180520".into(),
            ],
            "MOD11A2",
        ),
    ];
    for (args, needle) in cases {
        let mut all = vec!["forcing".to_string(), "lst".into()];
        all.extend(args);
        all.extend(["--out".to_string(), out.clone()]);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        let (ok, _, stderr) = cli(&refs);
        assert!(
            !ok && stderr.contains(needle) && stderr.trim().lines().count() == 1,
            "{all:?}: {stderr}"
        );
        assert!(!Path::new(&out).exists());
    }
    // Wrong units.
    let bad = dir.path().join("bad.nc");
    write_nc(&bad, &square_waves(), "m", false);
    let (ok, _, stderr) = cli(&[
        "forcing",
        "lst",
        "--temperature",
        &format!("{}:t", s(&bad)),
        "--dates",
        "20180520",
        "--out",
        &out,
    ]);
    assert!(!ok && stderr.contains("units"), "{stderr}");
    // The real MODIS tile is a single day: a clear error, not a panic.
    if let Some(hdf) = common::real("modis/MOD11A1.A2021227.h11v05.061.2021228105320.hdf") {
        let (ok, _, stderr) = cli(&[
            "forcing",
            "lst",
            "--lst",
            &s(&hdf),
            "--window",
            "600,600,4,4",
            "--dates",
            "20210815",
            "--out",
            &out,
        ]);
        assert!(
            !ok && stderr.contains("1 day(s) (2021-08-15 .. 2021-08-15)"),
            "{stderr}"
        );
    }
}

/// Air-like temperature at day number `t` (days since 1970, noon = .5).
fn sinusoid(t: f64) -> f64 {
    -5.0 + 15.0 * (2.0 * std::f64::consts::PI * (t - 17_167.0 - 100.0) / 365.25).sin()
}

fn write_lst(dir: &Path, start: NaiveDate, day: f64, night: f64) -> PathBuf {
    let doy = chrono::Datelike::ordinal(&start);
    let year = chrono::Datelike::year(&start);
    let p = dir.join(format!("MOD11A2.A{year}{doy:03}.h11v05.061.tif"));
    let mut data = Array3::<f64>::zeros((2, 2, 2));
    data.index_axis_mut(ndarray::Axis(0), 0).fill(day);
    data.index_axis_mut(ndarray::Axis(0), 1).fill(night);
    // Pixel (1, 1) has no observation at all.
    data[[0, 1, 1]] = f64::NAN;
    data[[1, 1, 1]] = f64::NAN;
    let r = Raster {
        data,
        geotransform: [500_000.0, 1000.0, 0.0, 7_000_000.0, 0.0, -1000.0],
        crs_wkt: permafrost_insar::io::geotiff::wkt_from_epsg(32606).expect("wkt"),
        band_names: vec!["LST_Day_1km".into(), "LST_Night_1km".into()],
    };
    write_geotiff(&p, &r, SampleType::Float64).expect("tif");
    p
}

#[test]
fn eight_day_lst_with_cloud_gaps_gives_the_onsets_of_the_clean_series() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    // Reference: the clean daily series through the NetCDF path.
    let clean = Array3::from_shape_fn((DAYS, 1, 1), |(i, _, _)| sinusoid(17_167.5 + i as f64));
    let input = dir.path().join("clean.nc");
    write_nc(&input, &clean, "degC", false);
    let dates = "20180601,20181101";
    let ref_out = dir.path().join("ref.nc");
    let (ok, _, stderr) = cli(&[
        "forcing",
        "lst",
        "--temperature",
        &format!("{}:t", s(&input)),
        "--dates",
        dates,
        "--out",
        &s(&ref_out),
    ]);
    assert!(ok, "{stderr}");
    // 8-day composites (46 a year) standing at start + 3.5 days: day = T + 3,
    // night = T − 3 (kelvin); every third composite clouded (night missing,
    // day 12 K too cold), every fifth missing.
    let lst_dir = dir.path().join("lst");
    std::fs::create_dir(&lst_dir).expect("dir");
    let mut files = Vec::new();
    for year in 2016..=2020 {
        for k in 0..46 {
            let d = NaiveDate::from_yo_opt(year, 1 + 8 * k).unwrap();
            let t = sinusoid(
                (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days() as f64 + 3.5,
            );
            let (mut day, mut night) = (t + 3.0 + 273.15, t - 3.0 + 273.15);
            let n = (year - 2016) as u32 * 46 + k;
            if n % 5 == 4 {
                continue;
            }
            if n % 3 == 2 {
                day -= 12.0;
                night = f64::NAN;
            }
            files.push(write_lst(&lst_dir, d, day, night));
        }
    }
    let out = dir.path().join("lst.nc");
    let mut args: Vec<String> = vec![
        "--json".into(),
        "forcing".into(),
        "lst".into(),
        "--lst".into(),
    ];
    args.extend(files.iter().map(|p| s(p)));
    args.extend(["--dates".into(), dates.into(), "--out".into(), s(&out)]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, v, stderr) = cli(&refs);
    assert!(ok, "{stderr}");
    assert_eq!(v["outputs"].as_array().map(Vec::len), Some(2), "{v}");
    let tif = PathBuf::from(v["outputs"][1].as_str().unwrap());
    let geo = permafrost_insar::io::geotiff::read_raster(&tif).expect("tif");
    assert_eq!(geo.band_names, vec!["mean_thaw_doy", "mean_freeze_doy"]);
    let want_thaw = read(&ref_out, "mean_thaw_doy")[[0, 0]];
    let want_freeze = read(&ref_out, "mean_freeze_doy")[[0, 0]];
    let thaw = read(&out, "mean_thaw_doy");
    let freeze = read(&out, "mean_freeze_doy");
    for (r, c) in [(0, 0), (0, 1), (1, 0)] {
        assert!(
            (thaw[[r, c]] - want_thaw).abs() <= 1.0,
            "{} vs {want_thaw}",
            thaw[[r, c]]
        );
        assert!(
            (freeze[[r, c]] - want_freeze).abs() <= 1.0,
            "{} vs {want_freeze}",
            freeze[[r, c]]
        );
        assert!((geo.data[[0, r, c]] - thaw[[r, c]]).abs() < 1e-3);
    }
    // No observation at all: NaN, documented.
    assert!(thaw[[1, 1]].is_nan() && geo.data[[0, 1, 1]].is_nan());
    // The same bits for any thread count (gap filling and onsets run rows
    // in parallel).
    let bits = |p: &Path, v: &str| read(p, v).iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for threads in ["1", "3"] {
        let o = dir.path().join(format!("lst_{threads}.nc"));
        let mut a = args.clone();
        let n = a.len();
        a[n - 1] = s(&o);
        a.extend(["--threads".into(), threads.into()]);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let (ok, _, stderr) = cli(&refs);
        assert!(ok, "{stderr}");
        for v in ["mean_thaw_doy", "addt", "addf", "max_ddt", "temperature"] {
            assert_eq!(bits(&o, v), bits(&out, v), "{v} with {threads} threads");
        }
    }
    let temp = read(&out, "temperature");
    let want = read(&ref_out, "temperature");
    for d in 0..2 {
        assert!(
            (temp[[d, 0, 0]] - want[[d, 0, 0]]).abs() < 0.5,
            "{} vs {}",
            temp[[d, 0, 0]],
            want[[d, 0, 0]]
        );
    }
}
