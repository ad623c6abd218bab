//! `upscale` from the command line: the CF-NetCDF layout of CLI.md, point
//! accounting, block-size independence and bad input.

mod common;
use common::{cli_text as cli, real, testdata};

use permafrost_insar::io::{describe, nc};

#[test]
fn dem_at_one_km_writes_the_documented_layout() {
    let Some(dem) = real("dem/cop30_healy_alaska.tif") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let dem = dem.to_string_lossy().into_owned();
    let mut outs = Vec::new();
    for block in ["7", "512"] {
        let out = dir
            .path()
            .join(format!("up{block}.nc"))
            .to_string_lossy()
            .into_owned();
        let (ok, stdout, stderr) = cli(&[
            "--json",
            "upscale",
            "--input",
            &dem,
            "--resolution-km",
            "1",
            "--bins",
            "20",
            "--range",
            "500,1100",
            "--threshold",
            "500",
            "--near-zero",
            "0",
            "--block-rows",
            block,
            "--out",
            &out,
        ]);
        assert!(ok, "{stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
        assert_eq!(v["points_seen"], 288 * 288);
        assert_eq!(v["points_binned"], 288 * 288);
        assert!(v["n_valid_cells"].as_u64().expect("n") <= v["n_cells"].as_u64().expect("n"));
        outs.push(out);
    }
    let info = describe(std::path::Path::new(&outs[0])).expect("describe");
    for name in [
        "count",
        "mean",
        "std",
        "skewness",
        "kurtosis",
        "valid",
        "histogram",
        "bin_edges",
        "lat",
        "lon",
        "lat_bnds",
        "lon_bnds",
    ] {
        assert!(
            info.variables.iter().any(|v| v.name == name),
            "{name} missing"
        );
    }
    let hist = info
        .variables
        .iter()
        .find(|v| v.name == "histogram")
        .expect("histogram");
    assert_eq!(hist.dims, ["y", "x", "bin"]);
    // The result does not depend on the block size.
    for var in ["count", "mean", "std", "skewness", "kurtosis", "histogram"] {
        let a = nc::read_variable(std::path::Path::new(&outs[0]), var)
            .expect("a")
            .data;
        let b = nc::read_variable(std::path::Path::new(&outs[1]), var)
            .expect("b")
            .data;
        assert!(
            a.iter()
                .zip(b.iter())
                .all(|(x, y)| x == y || (x.is_nan() && y.is_nan())),
            "{var}"
        );
    }
    // Counts add up, densities integrate to one in valid cells.
    let count = nc::read_variable(std::path::Path::new(&outs[0]), "count")
        .expect("count")
        .data;
    assert_eq!(count.sum(), (288 * 288) as f64);
    let h = nc::read_variable(std::path::Path::new(&outs[0]), "histogram")
        .expect("h")
        .data;
    let edges = nc::read_variable(std::path::Path::new(&outs[0]), "bin_edges")
        .expect("edges")
        .data;
    let width = edges[[1]] - edges[[0]];
    let valid = nc::read_variable(std::path::Path::new(&outs[0]), "valid")
        .expect("valid")
        .data;
    let (ny, nx) = (valid.shape()[0], valid.shape()[1]);
    for y in 0..ny {
        for x in 0..nx {
            if valid[[y, x]] == 1.0 {
                let s: f64 = (0..20).map(|b| h[[y, x, b]]).sum::<f64>() * width;
                assert!((s - 1.0).abs() < 1e-12, "cell ({y},{x}): {s}");
            }
        }
    }
}

#[test]
fn netcdf_inputs_and_bad_input() {
    let Some(palsar) =
        real("palsar2_10km/PALSAR_20151016_20161014_vert_filt_900px_gcs_masked_clipped_10km.nc")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("p.nc").to_string_lossy().into_owned();
    let input = format!("{}:Band1", palsar.display());
    let (ok, stdout, stderr) = cli(&[
        "--json",
        "upscale",
        "--input",
        &input,
        "--resolution-km",
        "50",
        "--bins",
        "10",
        "--range",
        "-0.1,0.1",
        "--threshold",
        "3",
        "--out",
        &out,
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    // 42 × 28 cells of which 435 hold data (the fill value 0 becomes NaN);
    // one of them has |x| < 1e-5 and is dropped by the study's point filter
    // (checked with netCDF4-python: 435 valid, 1 below 1e-5).
    assert_eq!(v["points_seen"], 42 * 28);
    assert_eq!(v["dropped_non_finite"], 42 * 28 - 435);
    assert_eq!(v["dropped_by_filter"], 1);
    assert_eq!(v["points_binned"], 434);
    let (ok, _, stderr) = cli(&[
        "upscale", "--input", &input, "--range", "0.1,-0.1", "--out", &out,
    ]);
    assert!(!ok && stderr.lines().count() == 1, "{stderr}");
    let (ok, _, stderr) = cli(&[
        "upscale", "--input", &input, "--range", "-0.1,0.1", "--bins", "0", "--out", &out,
    ]);
    assert!(!ok && stderr.lines().count() == 1, "{stderr}");
    let no_var = palsar.to_string_lossy().into_owned();
    let (ok, _, stderr) = cli(&[
        "upscale", "--input", &no_var, "--range", "-0.1,0.1", "--out", &out,
    ]);
    assert!(!ok && stderr.contains("FILE:VAR"), "{stderr}");
    let mat = testdata("mat/small_uncompressed_v5.mat")
        .to_string_lossy()
        .into_owned();
    let (ok, _, stderr) = cli(&[
        "upscale", "--input", &mat, "--range", "-0.1,0.1", "--out", &out,
    ]);
    assert!(!ok && stderr.contains("not supported"), "{stderr}");
}
