//! `forcing era5` on both ERA5 layouts and on bad input.

mod common;
use common::{cli_json as cli, native_io_turn, real, testdata};

use permafrost_insar::io::nc;

#[test]
fn both_layouts_give_the_same_days_and_values() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut outs = Vec::new();
    for layout in ["old", "new"] {
        let input = testdata(&format!("era5/era5land_{layout}_layout.nc"))
            .to_string_lossy()
            .into_owned();
        let out = dir.path().join(format!("{layout}.nc"));
        let (ok, v, stderr) = cli(&[
            "--json",
            "forcing",
            "era5",
            "--input",
            &input,
            "--out",
            &out.to_string_lossy(),
        ]);
        assert!(ok, "{layout}: {stderr}");
        assert_eq!(
            v["variables"],
            serde_json::json!(["t2m", "skt", "tp"]),
            "{layout}"
        );
        assert_eq!(
            v["days"], 3,
            "{layout}: 72 hourly steps from 2019-04-28 00 UTC"
        );
        assert_eq!(v["first_day"], "2019-04-28");
        outs.push(out);
    }
    for var in [
        "t2m_daily_mean",
        "t2m_tdd",
        "t2m_fdd",
        "t2m_tdd_period",
        "skt_daily_mean",
        "tp_daily_total",
    ] {
        let a = nc::read_variable(&outs[0], var).expect(var).data;
        let b = nc::read_variable(&outs[1], var).expect(var).data;
        assert_eq!(a.shape(), b.shape(), "{var}");
        // The older layout is int16-packed: agreement to the packing step.
        for (x, y) in a.iter().zip(b.iter()) {
            assert!(
                (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-4,
                "{var}: {x} vs {y}"
            );
        }
    }
    // Degree days split the daily mean: tdd − fdd = mean where every hour is present.
    let mean = nc::read_variable(&outs[1], "skt_daily_mean")
        .expect("mean")
        .data;
    let tdd = nc::read_variable(&outs[1], "skt_tdd").expect("tdd").data;
    let fdd = nc::read_variable(&outs[1], "skt_fdd").expect("fdd").data;
    for ((m, t), f) in mean.iter().zip(tdd.iter()).zip(fdd.iter()) {
        assert!((m - (t - f)).abs() < 1e-9 && *t >= 0.0 && *f >= 0.0);
    }
}

#[test]
fn periods_and_monthly_data() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("o.nc").to_string_lossy().into_owned();
    let input = testdata("era5/era5land_new_layout.nc")
        .to_string_lossy()
        .into_owned();
    let (ok, v, stderr) = cli(&[
        "--json",
        "forcing",
        "era5",
        "--input",
        &input,
        "--variable",
        "t2m",
        "--period",
        "2019-04-29..2019-04-29",
        "--out",
        &out,
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["days"], 1);
    let (ok, _, stderr) = cli(&[
        "forcing",
        "era5",
        "--input",
        &input,
        "--period",
        "2020-01-01..2020-01-31",
        "--out",
        &out,
    ]);
    assert!(
        !ok && stderr.contains("no day in the data") && stderr.lines().count() == 1,
        "{stderr}"
    );
    let (ok, _, stderr) = cli(&[
        "forcing",
        "era5",
        "--input",
        &input,
        "--variable",
        "swvl9",
        "--out",
        &out,
    ]);
    assert!(!ok && stderr.contains("swvl9"), "{stderr}");
    if let Some(monthly) = real("era5/permafrost_usecase_era5_2010.nc") {
        let (ok, _, stderr) = cli(&[
            "forcing",
            "era5",
            "--input",
            &monthly.to_string_lossy(),
            "--out",
            &out,
        ]);
        assert!(
            !ok && stderr.contains("monthly") && stderr.lines().count() == 1,
            "{stderr}"
        );
        // t2m alone feeds no product that needs days: its monthly means.
        let (ok, v, stderr) = cli(&[
            "--json",
            "forcing",
            "era5",
            "--input",
            &monthly.to_string_lossy(),
            "--variable",
            "t2m",
            "--out",
            &out,
        ]);
        assert!(ok, "{stderr}");
        assert_eq!(v["months"], 120);
        assert_eq!(v["written"], serde_json::json!(["t2m_monthly_mean"]));
    }
}

#[test]
fn period_products_of_the_variables_given() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("p.nc");
    let input = testdata("era5/era5land_new_layout.nc");
    let (ok, v, stderr) = cli(&[
        "--json",
        "forcing",
        "era5",
        "--input",
        &input.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(ok, "{stderr}");
    // skt → tdd_skt, tp → tp_sum; t2m feeds no product. Default period: the
    // complete days of every variable (tp's 00 UTC of 2019-05-01 is missing).
    assert_eq!(
        v["period_products"],
        serde_json::json!(["tdd_skt", "tp_sum"])
    );
    assert_eq!(v["period"], serde_json::json!(["2019-04-28", "2019-04-29"]));
    let tdd = nc::read_variable(&out, "tdd_skt").expect("tdd_skt");
    assert_eq!(tdd.units(), Some("degC day"));
    assert_eq!(
        tdd.attributes
            .get("period_end")
            .and_then(permafrost_insar::io::AttrValue::as_text),
        Some("2019-04-29")
    );
    let daily = nc::read_variable(&out, "skt_tdd").expect("skt_tdd").data;
    let (rows, cols) = (tdd.data.shape()[0], tdd.data.shape()[1]);
    for r in 0..rows {
        for c in 0..cols {
            let want = daily[[0, r, c]] + daily[[1, r, c]];
            assert!((tdd.data[[r, c]] - want).abs() < 1e-9);
        }
    }
    let tp = nc::read_variable(&out, "tp_sum").expect("tp_sum");
    assert_eq!(tp.units(), Some("m"));
    let t = nc::read_variable(&out, "time_tp").expect("time_tp").data;
    let tp_daily = nc::read_variable(&out, "tp_daily_total").expect("tp").data;
    // 2019-04-28 = day 18 014 since 1970.
    let idx: Vec<usize> = (0..t.len())
        .filter(|&i| (18_014.0..=18_015.0).contains(&t[i]))
        .collect();
    assert_eq!(idx.len(), 2);
    for r in 0..rows {
        for c in 0..cols {
            let want: f64 = idx.iter().map(|&i| tp_daily[[i, r, c]]).sum();
            assert!((tp.data[[r, c]] - want).abs() <= 1e-12 + 1e-9 * want.abs());
        }
    }
    // An explicit period beyond the complete days of tp: a clear error
    // naming the product.
    let (ok, _, stderr) = cli(&[
        "forcing",
        "era5",
        "--input",
        &input.to_string_lossy(),
        "--period",
        "2019-04-28..2019-04-30",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(
        !ok && stderr.contains("tp_sum") && stderr.trim().lines().count() == 1,
        "{stderr}"
    );
}

/// Monthly swvl1 (0.1, 0.2, 0.3 for Jan–Mar 2019) and sd on a 1 × 2 grid.
fn write_monthly(path: &std::path::Path) {
    use ndarray::{Array1, Array3};
    use permafrost_insar::io::nc::{NcData, NcWriter};
    let mut w = NcWriter::new();
    w.dimension("time", 3)
        .dimension("latitude", 1)
        .dimension("longitude", 2);
    // 2019-01-01, 02-01, 03-01 in days since 1970.
    w.variable(
        "time",
        &["time"],
        NcData::F64(Array1::from(vec![17_897.0, 17_928.0, 17_956.0]).into_dyn()),
    )
    .attr("time", "units", "days since 1970-01-01")
    .attr("time", "calendar", "gregorian");
    w.variable(
        "latitude",
        &["latitude"],
        NcData::F64(Array1::from(vec![65.0]).into_dyn()),
    )
    .attr("latitude", "units", "degrees_north");
    w.variable(
        "longitude",
        &["longitude"],
        NcData::F64(Array1::from(vec![-150.0, -149.9]).into_dyn()),
    )
    .attr("longitude", "units", "degrees_east");
    let v = Array3::from_shape_fn((3, 1, 2), |(m, _, c)| {
        0.1 * (m + 1) as f64 + 0.01 * c as f64
    });
    w.variable(
        "swvl1",
        &["time", "latitude", "longitude"],
        NcData::F64(v.into_dyn()),
    )
    .attr("swvl1", "units", "m**3 m**-3");
    w.variable(
        "sd",
        &["time", "latitude", "longitude"],
        NcData::F64(Array3::from_elem((3, 1, 2), 0.2).into_dyn()),
    )
    .attr("sd", "units", "m of water equivalent");
    w.write(path).expect("write");
}

#[test]
fn monthly_input_where_the_product_allows_it() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("monthly.nc");
    write_monthly(&input);
    let out = dir.path().join("m.nc");
    let (ok, v, stderr) = cli(&[
        "--json",
        "forcing",
        "era5",
        "--input",
        &input.to_string_lossy(),
        "--variable",
        "swvl1",
        "--period",
        "2019-01-15..2019-03-10",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["period_products"], serde_json::json!(["swvl1_mean"]));
    assert_eq!(v["months"], 3);
    assert_eq!(v["days"], 0);
    let m = nc::read_variable(&out, "swvl1_mean").expect("swvl1_mean");
    assert_eq!(m.units(), Some("m3 m-3"));
    // Weighted by the days of each month in the period: 17, 28, 10.
    for c in 0..2 {
        let x = 0.01 * c as f64;
        let want = (17.0 * (0.1 + x) + 28.0 * (0.2 + x) + 10.0 * (0.3 + x)) / 55.0;
        assert!((m.data[[0, c]] - want).abs() < 1e-12, "{}", m.data[[0, c]]);
    }
    let mm = nc::read_variable(&out, "swvl1_monthly_mean").expect("monthly");
    assert!((mm.data[[1, 0, 1]] - 0.21).abs() < 1e-12);
    // Snow days need daily data: a clear error naming product and variable.
    let (ok, _, stderr) = cli(&[
        "forcing",
        "era5",
        "--input",
        &input.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(
        !ok && stderr.contains("snow_days")
            && stderr.contains("`sd` is monthly")
            && stderr.trim().lines().count() == 1,
        "{stderr}"
    );
}

/// Acceptance 1 through the command line: the real ERA5 file of the older
/// layout (Finse, hourly, packed int16) against the xarray values in
/// crates/era5-forcing/tests/data/xarray_reference.json (written by
/// xtask/reference/era5-forcing/make_xarray_references.py; xarray 2026.9.0,
/// numpy 2.4.6, netCDF4 1.7.5.1.post1, Python 3.11.7).
#[test]
fn real_finse_file_agrees_with_xarray() {
    let _io = native_io_turn();
    let Some(finse) = real("era5/topopyscale_finse_SURF_201810.nc") else {
        return;
    };
    let reference: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            common::workspace().join("crates/era5-forcing/tests/data/xarray_reference.json"),
        )
        .expect("reference"),
    )
    .expect("json");
    let r = &reference["finse"];
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("finse.nc");
    let (ok, v, stderr) = cli(&[
        "--json",
        "forcing",
        "era5",
        "--input",
        &finse.to_string_lossy(),
        "--variable",
        "t2m,tp",
        "--per-step",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["variables"], serde_json::json!(["t2m", "tp"]));
    assert_eq!(v["days"], 31);
    assert_eq!(v["first_day"], "2018-10-01");
    assert_eq!(v["last_day"], "2018-10-31");
    let table = |key: &str| -> Vec<Vec<Option<f64>>> {
        r[key]
            .as_array()
            .expect("rows")
            .iter()
            .map(|row| {
                row.as_array()
                    .expect("row")
                    .iter()
                    .map(serde_json::Value::as_f64)
                    .collect()
            })
            .collect()
    };
    let mut worst = 0.0f64;
    for (ours, key) in [
        ("t2m_daily_mean", "daily_mean_degC"),
        ("t2m_tdd", "thawing_degree_days"),
        ("t2m_fdd", "freezing_degree_days"),
    ] {
        let a = nc::read_variable(&out, ours).expect(ours).data;
        let want = table(key);
        assert_eq!(a.shape()[0], want.len(), "{ours}");
        let cols = a.shape()[2];
        for (d, row) in want.iter().enumerate() {
            for (k, w) in row.iter().enumerate() {
                let x = a[[d, k / cols, k % cols]];
                match w {
                    None => assert!(x.is_nan(), "{ours}[{d}, {k}]"),
                    Some(w) => {
                        let rel = (x - w).abs() / w.abs().max(1e-300);
                        worst = worst.max(if (x - w).abs() < 1e-12 { 0.0 } else { rel });
                        assert!(
                            (x - w).abs() <= 1e-6 * w.abs() + 1e-12,
                            "{ours}[{d}, {k}]: {x} vs {w}"
                        );
                    }
                }
            }
        }
    }
    eprintln!("worst relative difference to xarray: {worst:.1e}");
}

/// Every variable of two outputs, to the bit (`NaN` included).
fn same_outputs(a: &std::path::Path, b: &std::path::Path) {
    let names = nc::variable_names(a).expect("names");
    assert_eq!(names, nc::variable_names(b).expect("names"));
    for n in &names {
        let (x, y) = (
            nc::read_variable(a, n).expect("read").data,
            nc::read_variable(b, n).expect("read").data,
        );
        assert_eq!(x.shape(), y.shape(), "{n}");
        for (p, q) in x.iter().zip(y.iter()) {
            assert_eq!(p.to_bits(), q.to_bits(), "{n}: {p} vs {q}");
        }
    }
}

/// Reading in blocks of rows changes nothing: both fixture layouts (4 rows),
/// the real Finse file (7 rows, hourly, period products) and the real
/// monthly file, with one row per block against the default.
#[test]
fn blocks_of_rows_give_the_same_file() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().expect("tempdir");
    // (input, variables): the monthly file's t2m alone (its other variables
    // feed products that need days).
    let mut inputs: Vec<(std::path::PathBuf, &str)> = ["old", "new"]
        .iter()
        .map(|l| (testdata(&format!("era5/era5land_{l}_layout.nc")), ""))
        .collect();
    inputs.extend(real("era5/topopyscale_finse_SURF_201810.nc").map(|p| (p, "")));
    inputs.extend(real("era5/permafrost_usecase_era5_2010.nc").map(|p| (p, "t2m")));
    for (i, (input, variables)) in inputs.iter().enumerate() {
        let input = input.to_string_lossy().into_owned();
        let mut results = Vec::new();
        for block in ["32", "1"] {
            let out = dir.path().join(format!("{i}_{block}.nc"));
            let out_s = out.to_string_lossy().into_owned();
            let mut args = vec![
                "--json",
                "forcing",
                "era5",
                "--input",
                &input,
                "--block-rows",
                block,
                "--out",
                &out_s,
            ];
            if !variables.is_empty() {
                args.extend(["--variable", variables]);
            }
            let (ok, v, stderr) = cli(&args);
            assert!(ok, "{input} --block-rows {block}: {stderr}");
            results.push((out, v));
        }
        assert_eq!(results[0].1["outputs"].as_array().map(Vec::len), Some(1));
        let strip = |v: &serde_json::Value| {
            let mut v = v.clone();
            v["outputs"] = serde_json::Value::Null;
            v
        };
        assert_eq!(strip(&results[0].1), strip(&results[1].1), "{input}");
        same_outputs(&results[0].0, &results[1].0);
    }
    let (ok, _, stderr) = cli(&[
        "forcing",
        "era5",
        "--input",
        &inputs[0].0.to_string_lossy(),
        "--block-rows",
        "0",
        "--out",
        &dir.path().join("x.nc").to_string_lossy(),
    ]);
    assert!(!ok && stderr.contains("--block-rows"), "{stderr}");
}
