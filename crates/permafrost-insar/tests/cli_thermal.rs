//! `thermal` from the command line: scalars, rasters, units and bad input.

mod common;
use common::{cli_text as cli, real};

use permafrost_insar::io::geotiff;

#[test]
fn scalar_inputs_print_the_conductivities() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().to_string_lossy().into_owned();
    let (ok, stdout, stderr) = cli(&[
        "--json",
        "thermal",
        "--bulk-density",
        "1.3",
        "--bulk-density-units",
        "g/cm3",
        "--sand",
        "70",
        "--sand-units",
        "percent",
        "--theta-thaw",
        "0.3",
        "--theta-freeze",
        "0.25",
        "--out",
        &out,
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    // By hand (SCIENCE.md §1): φ = 1 − 1300/2650 = 0.509434, S_r = 0.588889,
    // κ_s = 7.7^0.7·2^0.3 = 5.13874, κ_sat = κ_s^0.490566·0.57^0.509434 = 1.67631,
    // κ_dry = 240.2/1468.9 = 0.163524, coarse Ke = 0.7·log10(S_r) + 1 = 0.839027,
    // κ_t = (κ_sat − κ_dry)·Ke + κ_dry = 1.43279.
    let kt = v["kappa_thaw"].as_f64().expect("kappa_thaw");
    assert!((kt - 1.43279).abs() < 1e-5, "{kt}");
    let (kf, ratio) = (
        v["kappa_freeze"].as_f64().expect("kf"),
        v["ratio"].as_f64().expect("ratio"),
    );
    assert!((ratio - kf / kt).abs() < 1e-12 && kf > kt);
    assert!(dir.path().join("thermal.csv").exists());
}

#[test]
fn raster_inputs_keep_the_grid() {
    let Some(sand) = real("soilgrids/lumens_bungo_sand_0-5cm_mean.tif") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().to_string_lossy().into_owned();
    let (ok, stdout, stderr) = cli(&[
        "--json",
        "thermal",
        "--bulk-density",
        "1300",
        "--sand",
        &sand.to_string_lossy(),
        "--sand-units",
        "percent",
        "--theta-thaw",
        "0.3",
        "--theta-freeze",
        "0.25",
        "--out",
        &out,
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stdout).expect("json")["outputs"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    let src = geotiff::read_raster(&sand).expect("sand");
    let ratio = geotiff::read_raster(&dir.path().join("kappa_ratio.tif")).expect("ratio");
    assert_eq!(
        (ratio.shape(), ratio.geotransform),
        (src.shape(), src.geotransform)
    );
    // NaN sand (nodata) gives NaN, valid cells a ratio above 1 (ice conducts better).
    for (s, r) in src.data.iter().zip(ratio.data.iter()) {
        assert_eq!(s.is_nan(), r.is_nan());
        if r.is_finite() {
            assert!(*r > 1.0);
        }
    }
}

#[test]
fn out_of_range_input_names_the_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ok, _, stderr) = cli(&[
        "thermal",
        "--bulk-density",
        "3000",
        "--sand",
        "0.5",
        "--theta-thaw",
        "0.3",
        "--theta-freeze",
        "0.2",
        "--out",
        &dir.path().to_string_lossy(),
    ]);
    assert!(
        !ok && stderr.lines().count() == 1 && stderr.contains("bulk_density = 3000"),
        "{stderr}"
    );
}
