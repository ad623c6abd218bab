//! `upscale` on the real Copernicus DEM treated as a high-resolution field at
//! 1 km cells, against the independent numpy implementation of the same
//! definitions (xtask/reference/upscale-dist/binning_reference.py --dem …,
//! numpy 2.4.6, pyproj 3.7.2, rasterio 1.4.4; output committed as
//! tests/data/upscale_dem_numpy.json — statistics only, not the DEM).

mod common;

use std::path::Path;
use std::process::Command;

use common::real;
use permafrost_insar::io::nc;

#[test]
fn dem_at_one_km_matches_numpy() {
    let Some(dem) = real("dem/cop30_healy_alaska.tif") else {
        return;
    };
    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/upscale_dem_numpy.json"),
        )
        .expect("json"),
    )
    .expect("parse");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("dem.nc");
    let status = Command::new(env!("CARGO_BIN_EXE_permafrost-insar"))
        .args([
            "upscale",
            "--input",
            &dem.to_string_lossy(),
            "--resolution-km",
            "1",
            "--bins",
            "50",
            "--range",
            "500,1100",
        ])
        .args([
            "--threshold",
            "500",
            "--near-zero",
            "0",
            "--out",
            &out.to_string_lossy(),
        ])
        .status()
        .expect("run");
    assert!(status.success());
    let get = |v: &str| nc::read_variable(&out, v).expect(v).data;
    let (count, mean, std, skew, kurt, hist) = (
        get("count"),
        get("mean"),
        get("std"),
        get("skewness"),
        get("kurtosis"),
        get("histogram"),
    );
    let expected = &case["expected"]["binning"];
    let nx = count.shape()[1];
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1e-300);
    let cells = expected["counts"].as_array().expect("counts");
    assert_eq!(cells.len(), count.len());
    for (i, want) in cells.iter().enumerate() {
        let (y, x) = (i / nx, i % nx);
        assert_eq!(
            count[[y, x]],
            want.as_f64().expect("count"),
            "cell {i}: count"
        );
        let m = expected["moments"][i].as_array().expect("moments");
        for (got, (k, name)) in [mean[[y, x]], std[[y, x]], skew[[y, x]], kurt[[y, x]]]
            .iter()
            .zip(m.iter().zip(["mean", "std", "skewness", "kurtosis"]))
        {
            assert!(
                close(*got, k.as_f64().expect("moment")),
                "cell {i}: {name} {got} vs numpy {k}"
            );
        }
        for (b, d) in expected["density"][i]
            .as_array()
            .expect("density")
            .iter()
            .enumerate()
        {
            assert!(
                (hist[[y, x, b]] - d.as_f64().expect("density")).abs() <= 1e-15,
                "cell {i}, bin {b}"
            );
        }
    }
    // The geodesic grid edges agree with pyproj's.
    let lat_b = get("lat_bnds");
    let lat_edges = case["expected"]["grid"]["lat_edges"]
        .as_array()
        .expect("edges");
    for (k, e) in lat_edges.iter().take(lat_b.shape()[0]).enumerate() {
        assert!((lat_b[[k, 0]] - e.as_f64().expect("edge")).abs() < 1e-12);
    }
}
