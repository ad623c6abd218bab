//! `terrain` and `factors` from the command line.

mod common;
use common::{cli_text as cli, real};

use std::path::PathBuf;

use permafrost_insar::io::{self, geotiff};

fn gdal_ref(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/gdal")
        .join(name)
}

#[test]
fn terrain_writes_slope_and_aspect_on_the_dem_grid() {
    let Some(dem) = real("dem/cop30_healy_alaska.tif") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("terrain");
    let (ok, stdout, stderr) = cli(&[
        "--json",
        "terrain",
        "--dem",
        &dem.to_string_lossy(),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["outputs"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["spacing"], "geographic");
    let src = geotiff::read_raster(&dem).expect("dem");
    let slope = geotiff::read_raster(&out.join("slope.tif")).expect("slope");
    assert_eq!(slope.shape(), src.shape());
    assert_eq!(slope.geotransform, src.geotransform);
    assert!(slope.data.iter().all(|s| (0.0..90.0).contains(s)));
    let aspect = geotiff::read_raster(&out.join("aspect.tif")).expect("aspect");
    assert!(aspect
        .data
        .iter()
        .filter(|a| a.is_finite())
        .all(|a| (0.0..360.0).contains(a)));
}

#[test]
fn factors_stack_matches_gdalwarp_and_keeps_names() {
    let Some(dem) = real("dem/cop30_healy_alaska.tif") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("stack.tif");
    let target = gdal_ref("dem_to_utm_near.tif");
    let (ok, stdout, stderr) = cli(&[
        "--json",
        "factors",
        "--target",
        &target.to_string_lossy(),
        "--input",
        &format!("elevation={}", dem.display()),
        "--input",
        &format!("elevation_nn={}:nearest", dem.display()),
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["bands"], serde_json::json!(["elevation", "elevation_nn"]));
    let stack = geotiff::read_raster(&out).expect("stack");
    assert_eq!(stack.band_names, ["elevation", "elevation_nn"]);
    let bilinear = io::read_array(&gdal_ref("dem_to_utm_bilinear.tif"), None).expect("ref");
    let nearest = io::read_array(&gdal_ref("dem_to_utm_near.tif"), None).expect("ref");
    for (k, reference) in [(0usize, bilinear), (1, nearest)] {
        for (a, b) in stack.band(k).iter().zip(reference.iter()) {
            assert_eq!(a.is_nan(), b.is_nan());
            if b.is_finite() {
                assert_eq!(
                    *a,
                    f64::from(*b as f32),
                    "Float32 output of the gdalwarp value"
                );
            }
        }
    }
}

#[test]
fn categorical_factors_refuse_continuous_resampling() {
    let Some(dem) = real("dem/cop30_healy_alaska.tif") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    // A UInt8 land-cover raster on the DEM's grid.
    let classes = dir.path().join("landcover.tif");
    {
        let src = gdal::Dataset::open(&dem).expect("dem");
        let driver = gdal::DriverManager::get_driver_by_name("GTiff").expect("GTiff");
        let (cols, rows) = src.raster_size();
        let mut ds = driver
            .create_with_band_type::<u8, _>(&classes, cols, rows, 1)
            .expect("create");
        ds.set_geo_transform(&src.geo_transform().expect("gt"))
            .expect("gt");
        ds.set_projection(&src.projection()).expect("crs");
        let mut band = ds.rasterband(1).expect("band");
        let mut buf = gdal::raster::Buffer::new(
            (cols, rows),
            (0..cols * rows).map(|i| (i % 5) as u8).collect(),
        );
        band.write((0, 0), (cols, rows), &mut buf).expect("write");
    }
    let target = gdal_ref("dem_to_utm_near.tif")
        .to_string_lossy()
        .into_owned();
    let out = dir.path().join("f.tif").to_string_lossy().into_owned();
    let input = format!("vegetation={}:bilinear", classes.display());
    let (ok, _, stderr) = cli(&[
        "factors", "--target", &target, "--input", &input, "--out", &out,
    ]);
    assert!(!ok);
    assert!(
        stderr.contains("vegetation")
            && stderr.contains("categorical")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
    let input = format!("vegetation={}", classes.display());
    let (ok, stdout, stderr) = cli(&[
        "--json", "factors", "--target", &target, "--input", &input, "--out", &out,
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("\"nearest\""),
        "categorical default is nearest: {stdout}"
    );
    let stack = io::read_array(std::path::Path::new(&out), None).expect("read");
    assert!(stack
        .iter()
        .filter(|x| x.is_finite())
        .all(|x| x.fract() == 0.0 && (0.0..5.0).contains(x)));
}

#[test]
fn terrain_and_factors_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("t.csv");
    std::fs::write(&csv, "a,b\n1,2\n").expect("write");
    let (ok, _, stderr) = cli(&[
        "terrain",
        "--dem",
        &csv.to_string_lossy(),
        "--out",
        &dir.path().to_string_lossy(),
    ]);
    assert!(
        !ok && stderr.lines().count() == 1 && stderr.contains("t.csv"),
        "{stderr}"
    );
    let (ok, _, stderr) = cli(&[
        "factors",
        "--target",
        &csv.to_string_lossy(),
        "--input",
        "x",
        "--out",
        "o.tif",
    ]);
    assert!(!ok && stderr.lines().count() == 1, "{stderr}");
}

#[test]
fn factor_units_are_written() {
    let Some(dem) = real("dem/cop30_healy_alaska.tif") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let target = gdal_ref("dem_to_utm_near.tif")
        .to_string_lossy()
        .into_owned();
    for ext in ["tif", "nc"] {
        let out = dir
            .path()
            .join(format!("f.{ext}"))
            .to_string_lossy()
            .into_owned();
        let input = format!("elevation={}", dem.display());
        let (ok, _, stderr) = cli(&[
            "factors",
            "--target",
            &target,
            "--input",
            &input,
            "--unit",
            "elevation=m",
            "--out",
            &out,
        ]);
        assert!(ok, "{stderr}");
        let info = io::describe(std::path::Path::new(&out)).expect("describe");
        let v = info
            .variables
            .iter()
            .find(|v| v.name == "elevation" || v.long_name.as_deref() == Some("elevation"))
            .expect("band");
        assert_eq!(v.units.as_deref(), Some("m"), "{ext}");
    }
    let (ok, _, stderr) = cli(&[
        "factors",
        "--target",
        &target,
        "--input",
        &format!("e={}", dem.display()),
        "--unit",
        "x=m",
        "--out",
        "o.tif",
    ]);
    assert!(!ok && stderr.contains("no factor named `x`"), "{stderr}");
}
