//! Swath profiles recover a planted fault; masks from classes and thresholds.

use std::process::Command;

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
use ndarray::Array2;
use permafrost_insar::io::geotiff::{self, Raster, SampleType};
use permafrost_insar::profile::{sample_profile, ProfileParams};

const H: f64 = 2.0;
const X_FAULT: f64 = 391_000.0;

/// A UTM 6N raster (10 m cells) with a north–south step of `H` at `X_FAULT`
/// and deterministic ±5 cm texture.
fn fault_raster() -> Raster {
    let gt = [390_000.0, 10.0, 0.0, 7_090_000.0, 0.0, -10.0];
    let z = Array2::from_shape_fn((200, 200), |(r, c)| {
        let x = gt[0] + (c as f64 + 0.5) * gt[1];
        let texture = 0.05 * ((r * 7 + c * 13) as f64).sin();
        if x >= X_FAULT {
            H + texture
        } else {
            texture
        }
    });
    Raster::single(z, gt, geotiff::wkt_from_epsg(32606).expect("wkt"))
}

fn utm_to_lonlat(x: f64, y: f64) -> (f64, f64) {
    let mut utm = SpatialRef::from_epsg(32606).expect("utm");
    let mut wgs = SpatialRef::from_epsg(4326).expect("wgs84");
    utm.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    wgs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let t = CoordTransform::new(&utm, &wgs).expect("transform");
    let (mut xs, mut ys, mut zs) = ([x], [y], [0.0]);
    t.transform_coords(&mut xs, &mut ys, &mut zs)
        .expect("transform");
    (xs[0], ys[0])
}

#[test]
fn profile_across_a_fault_recovers_position_and_height() {
    let raster = fault_raster();
    let a = utm_to_lonlat(390_200.0, 7_089_000.0);
    let b = utm_to_lonlat(391_800.0, 7_089_000.0);
    let params = ProfileParams::new(5.0, 50.0).expect("params");
    let table = sample_profile(&[a, b], &[("deformation", &raster)], &params).expect("profile");
    let m = &table.columns[0].median;
    let d = &table.distance_m;
    let (jump, _) = (0..m.len() - 1)
        .map(|i| (i, m[i + 1] - m[i]))
        .max_by(|x, y| x.1.total_cmp(&y.1))
        .expect("stations");
    let position = 0.5 * (d[jump] + d[jump + 1]);
    let mean = |f: &dyn Fn(f64) -> bool| {
        let v: Vec<f64> = d
            .iter()
            .zip(m)
            .filter(|(x, _)| f(**x))
            .map(|(_, y)| *y)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let height = mean(&|x| x > 900.0) - mean(&|x| x < 700.0);
    eprintln!("fault at {position:.1} m (true 800 m), height {height:.4} (true {H})");
    assert!((position - 800.0).abs() <= 10.0, "one pixel: {position}");
    assert!((height - H).abs() <= 0.01 * H, "1 %: {height}");
    assert!(
        table.columns[0].n.iter().all(|&n| n == 21),
        "full swath everywhere"
    );
    let csv = table.to_csv();
    assert!(csv.starts_with("distance_m,lon,lat,deformation_median,deformation_p02"));
}

#[test]
fn profile_and_mask_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fault = dir.path().join("fault.tif");
    geotiff::write_geotiff(&fault, &fault_raster(), SampleType::Float32).expect("write");
    // A coherence raster on the same grid: low coherence on the left third.
    let mut coh = fault_raster();
    coh.data
        .indexed_iter_mut()
        .for_each(|((_, _, c), v)| *v = if c < 66 { 0.3 } else { 0.9 });
    let coh_path = dir.path().join("coh.tif");
    geotiff::write_geotiff(&coh_path, &coh, SampleType::Float32).expect("write");
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_permafrost-insar"))
            .args(args)
            .output()
            .expect("run");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (a, b) = (
        utm_to_lonlat(390_200.0, 7_089_000.0),
        utm_to_lonlat(391_800.0, 7_089_000.0),
    );
    let line = format!("{},{};{},{}", a.0, a.1, b.0, b.1);
    let csv = dir.path().join("p.csv");
    let s = |p: &std::path::Path| p.to_string_lossy().into_owned();
    let (ok, stdout, stderr) = run(&[
        "--json",
        "profile",
        "--line",
        &line,
        "--half-width",
        "20",
        "--step",
        "10",
        "--input",
        &format!("z={}", s(&fault)),
        "--out",
        &s(&csv),
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["n_stations"], 161);
    assert!(std::fs::read_to_string(&csv).expect("csv").lines().count() == 162);
    let out = dir.path().join("masked");
    let (ok, stdout, stderr) = run(&[
        "--json",
        "mask",
        "--target",
        &s(&fault),
        "--min",
        &format!("{}=0.7", s(&coh_path)),
        "--apply",
        &s(&fault),
        "--out",
        &s(&out),
    ]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["n_masked"], 66 * 200);
    let masked = geotiff::read_raster(&out.join("fault_masked.tif")).expect("masked");
    assert!(masked.data[[0, 10, 10]].is_nan() && masked.data[[0, 10, 100]].is_finite());
    // Bad input: a line that misses the raster, a malformed line.
    let (ok, _, stderr) = run(&[
        "profile",
        "--line",
        "10,50;10.1,50",
        "--input",
        &format!("z={}", s(&fault)),
        "--out",
        &s(&csv),
    ]);
    assert!(!ok && stderr.contains("does not cross"), "{stderr}");
    let (ok, _, stderr) = run(&[
        "profile",
        "--line",
        "10;11",
        "--input",
        &format!("z={}", s(&fault)),
        "--out",
        &s(&csv),
    ]);
    assert!(!ok && stderr.contains("vertex 1"), "{stderr}");
}
