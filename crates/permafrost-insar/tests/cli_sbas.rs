//! `sbas invert` on the fixture stack: MintPy-layout outputs, the planted
//! velocity recovered, both input forms agreeing, and bad input.

mod common;

use std::process::Command;

use common::testdata;
use permafrost_insar::io::{h5, nc};

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
fn mintpy_stack_and_geotiff_stack_recover_the_planted_velocity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_h5 = dir.path().join("h5");
    let out_tif = dir.path().join("tif");
    let stack = testdata("stack/ifgramStack.h5")
        .to_string_lossy()
        .into_owned();
    let (ok, v, stderr) = cli(&[
        "--json",
        "sbas",
        "invert",
        "--stack",
        &stack,
        "--method",
        "l1",
        "--weight",
        "coh",
        "--out",
        &out_h5.to_string_lossy(),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(v["n_ifgs"], 80);
    assert_eq!(v["n_pixels"], 180);
    assert_eq!(v["dates"].as_array().map(Vec::len), Some(31));
    let unw = format!("{}/*.unw.tif", testdata("stack/unw").display());
    let coh = testdata("stack/coh").to_string_lossy().into_owned();
    let (ok, _, stderr) = cli(&[
        "--json",
        "sbas",
        "invert",
        "--stack",
        &unw,
        "--coherence",
        &coh,
        "--wavelength",
        "0.05546576",
        "--ref-yx",
        "0,0",
        "--method",
        "l1",
        "--weight",
        "coh",
        "--out",
        &out_tif.to_string_lossy(),
    ]);
    assert!(ok, "{stderr}");
    let vel_a = h5::read_f64(&out_h5.join("velocity.h5"), "velocity").expect("velocity");
    let vel_b = h5::read_f64(&out_tif.join("velocity.h5"), "velocity").expect("velocity");
    assert_eq!(vel_a, vel_b, "both input forms give the same answer");
    let attrs = h5::read_attributes(&out_h5.join("timeseries.h5"), "").expect("attrs");
    assert_eq!(attrs["FILE_TYPE"].as_text(), Some("timeseries"));
    assert_eq!(
        h5::read_strings(&out_h5.join("timeseries.h5"), "date").expect("dates")[0],
        "20160610"
    );
    // Planted velocity (truth.nc) against the estimate; the seasonal term
    // over a 1.3-year span and the noise leave a few mm/yr.
    let truth = nc::read_variable(&testdata("stack/truth.nc"), "velocity")
        .expect("truth")
        .data;
    let mut worst = 0.0f64;
    for ((r, c), t) in truth
        .clone()
        .into_dimensionality::<ndarray::Ix2>()
        .expect("2-D")
        .indexed_iter()
    {
        if (r, c) != (0, 0) {
            worst = worst.max((vel_a[[r, c]] - t).abs());
        }
    }
    eprintln!("worst velocity error {:.2} mm/yr", worst * 1e3);
    assert!(worst < 0.01, "{worst}");
    assert!(
        out_tif.join("velocity.tif").exists() && out_h5.join("velocity.tif").exists(),
        "geocoded GeoTIFFs"
    );
}

#[test]
fn bad_sbas_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().to_string_lossy().into_owned();
    let unw = format!("{}/*.unw.tif", testdata("stack/unw").display());
    let (ok, _, stderr) = cli(&["sbas", "invert", "--stack", &unw, "--out", &out]);
    assert!(!ok && stderr.contains("--coherence"), "{stderr}");
    let (ok, _, stderr) = cli(&[
        "sbas",
        "invert",
        "--stack",
        &unw,
        "--coherence",
        &format!("{}/nothing*", dir.path().display()),
        "--out",
        &out,
    ]);
    assert!(!ok && stderr.contains("no files match"), "{stderr}");
    let stack = testdata("stack/ifgramStack.h5")
        .to_string_lossy()
        .into_owned();
    let (ok, _, stderr) = cli(&[
        "sbas", "invert", "--stack", &stack, "--ref-yx", "99,0", "--out", &out,
    ]);
    assert!(!ok && stderr.lines().count() == 1, "{stderr}");
    let (ok, _, stderr) = cli(&[
        "sbas", "invert", "--stack", &stack, "--method", "wls", "--weight", "heavy", "--out", &out,
    ]);
    assert!(!ok && stderr.contains("heavy"), "{stderr}");
}
