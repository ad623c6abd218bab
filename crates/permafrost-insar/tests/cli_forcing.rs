//! `forcing era5` on both ERA5 layouts and on bad input.

mod common;

use std::process::Command;

use common::{real, testdata};
use permafrost_insar::io::nc;

fn cli(args: &[&str]) -> (bool, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_permafrost-insar"))
        .args(args)
        .output()
        .expect("run");
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.success(),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn both_layouts_give_the_same_days_and_values() {
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
    }
}
