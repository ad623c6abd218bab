//! Slope / aspect and alignment against GDAL's own tools (gdaldem,
//! gdalwarp 3.6.2; references made by
//! xtask/reference/terrain/make_gdal_references.sh), and manufactured
//! surfaces on geographic grids.

mod common;

use std::path::PathBuf;

use common::real;
use ndarray::Array2;
use permafrost_insar::io::geotiff;
use permafrost_insar::io::warp::{self, Resampling, TargetGrid};
use permafrost_insar::terrain::{metres_per_degree, slope_aspect, Spacing};

fn gdal_ref(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/gdal")
        .join(name)
}

/// Smallest angular difference in degrees.
fn angle_diff(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

/// gdaldem's Horn aspect as GDAL 3.6 computes it on a Float32 DEM: the
/// window sums in float32, then `atan2` in double.
fn gdaldem_aspect_f32(w: [f32; 9]) -> f64 {
    let dx = f64::from((w[2] + w[5] + w[5] + w[8]) - (w[0] + w[3] + w[3] + w[6]));
    let dy = f64::from((w[6] + w[7] + w[7] + w[8]) - (w[0] + w[1] + w[1] + w[2]));
    let a = dy.atan2(-dx).to_degrees();
    let a = if a > 90.0 { 450.0 - a } else { 90.0 - a };
    f64::from(a as f32)
}

#[test]
fn slope_and_aspect_match_gdaldem_on_the_utm_dem() {
    let dem = geotiff::read_raster(&gdal_ref("dem_utm.tif")).expect("dem");
    let slope_ref = geotiff::read_raster(&gdal_ref("dem_utm_slope.tif")).expect("slope");
    let aspect_ref = geotiff::read_raster(&gdal_ref("dem_utm_aspect.tif")).expect("aspect");
    let sa = slope_aspect(
        dem.band(0),
        dem.geotransform,
        Spacing::Projected {
            metres_per_unit: 1.0,
        },
    )
    .expect("terrain");
    let (rows, cols) = dem.shape();
    let (mut n_slope, mut n_aspect, mut worst_s, mut worst_a, mut worst_emulated) =
        (0, 0, 0.0f64, 0.0f64, 0.0f64);
    for r in 1..rows - 1 {
        for c in 1..cols - 1 {
            // Interior cells: gdaldem leaves cells touching nodata or the edge empty.
            let (s, a) = (slope_ref.data[[0, r, c]], aspect_ref.data[[0, r, c]]);
            if s.is_finite() {
                worst_s = worst_s.max((sa.slope_deg[[r, c]] - s).abs());
                n_slope += 1;
            }
            if !a.is_finite() || sa.aspect_deg[[r, c]].is_nan() {
                continue;
            }
            // gdaldem sums the window in float32: its own rounding (~1e-4 m
            // at 1000 m) swamps the aspect of near-flat cells. Emulating it
            // reproduces gdaldem everywhere; we compute in float64 and match
            // it to 0.01° wherever float32 is accurate enough (slope ≥ 1°).
            let w: Vec<f32> = (0..9)
                .map(|k| dem.data[[0, r + k / 3 - 1, c + k % 3 - 1]] as f32)
                .collect();
            let emulated = gdaldem_aspect_f32(w.try_into().expect("nine"));
            worst_emulated = worst_emulated.max(angle_diff(emulated, a));
            if sa.slope_deg[[r, c]] >= 1.0 {
                worst_a = worst_a.max(angle_diff(sa.aspect_deg[[r, c]], a));
                n_aspect += 1;
            }
        }
    }
    eprintln!(
        "gdaldem agreement: slope {worst_s:.2e}° over {n_slope} cells, aspect {worst_a:.2e}° over {n_aspect} (float32 emulation {worst_emulated:.2e}°)"
    );
    assert!(n_slope > 30_000 && n_aspect > 30_000);
    assert!(worst_s < 0.01, "slope differs by {worst_s}°");
    assert!(worst_a < 0.01, "aspect differs by {worst_a}°");
    assert!(
        worst_emulated < 1e-3,
        "gdaldem is float32 Horn: {worst_emulated}°"
    );
}

#[test]
fn tilted_plane_on_a_geographic_grid_at_60n() {
    // A plane z = αx + βy in local metric coordinates, sampled on a 1″ grid at 60° N.
    let (alpha, beta) = (0.05, -0.02); // rising eastwards, falling northwards
    let lat0 = 60.0;
    let step = 1.0 / 3600.0;
    let (rows, cols) = (60, 60);
    // Centred on 10° E: away from the central meridian, meridian convergence
    // (Δλ·sin φ) rotates local north, which a planar test must avoid.
    let gt = [
        10.0 - 0.5 * cols as f64 * step,
        step,
        0.0,
        lat0 + 0.5 * rows as f64 * step,
        0.0,
        -step,
    ];
    let (_, my0) = metres_per_degree(lat0);
    let dem = Array2::from_shape_fn((rows, cols), |(r, c)| {
        let lat = gt[3] + (r as f64 + 0.5) * gt[5];
        let lon = gt[0] + (c as f64 + 0.5) * gt[1];
        let (mx, _) = metres_per_degree(lat);
        let x = (lon - 10.0) * mx;
        let y = (lat - lat0) * my0;
        alpha * x + beta * y
    });
    let sa = slope_aspect(dem.view(), gt, Spacing::Geographic).expect("terrain");
    let true_slope = alpha.hypot(beta).atan().to_degrees();
    let true_aspect = (-alpha).atan2(-beta).to_degrees().rem_euclid(360.0);
    for (r, c) in [(30, 30), (5, 30), (55, 29)] {
        assert!(
            (sa.slope_deg[[r, c]] - true_slope).abs() < 0.01,
            "slope {} vs {true_slope}",
            sa.slope_deg[[r, c]]
        );
        assert!(
            angle_diff(sa.aspect_deg[[r, c]], true_aspect) < 0.01,
            "aspect {} vs {true_aspect}",
            sa.aspect_deg[[r, c]]
        );
    }
    // A constant degrees-to-metres scale (the equator's) would be far off.
    let (mx_eq, my_eq) = metres_per_degree(0.0);
    let naive = slope_aspect(
        dem.view(),
        [
            gt[0] * mx_eq,
            step * mx_eq,
            0.0,
            gt[3] * my_eq,
            0.0,
            -step * my_eq,
        ],
        Spacing::Projected {
            metres_per_unit: 1.0,
        },
    )
    .expect("terrain");
    assert!((naive.slope_deg[[30, 30]] - true_slope).abs() > 0.5);
}

fn compare_warp(src: PathBuf, reference: &str, resampling: Resampling, rtol: f64) {
    let reference = geotiff::read_raster(&gdal_ref(reference)).expect("reference");
    let target = TargetGrid::of(&reference);
    let ours = warp::warp_to(&src, &target, resampling).expect("warp");
    assert_eq!(ours.data.shape(), reference.data.shape());
    let (mut n, mut worst) = (0usize, 0.0f64);
    for (a, b) in ours.data.iter().zip(reference.data.iter()) {
        assert_eq!(a.is_nan(), b.is_nan(), "coverage differs");
        if b.is_finite() {
            let rel = (a - b).abs() / b.abs().max(1e-12);
            worst = worst.max(rel);
            n += 1;
        }
    }
    eprintln!("{resampling:?}: {n} cells, worst relative difference {worst:.2e}");
    assert!(n > 1000);
    assert!(worst <= rtol, "{resampling:?}: {worst}");
}

#[test]
fn alignment_matches_gdalwarp() {
    let Some(sand) = real("soilgrids/lumens_bungo_sand_0-5cm_mean.tif") else {
        return;
    };
    let Some(dem) = real("dem/cop30_healy_alaska.tif") else {
        return;
    };
    compare_warp(
        sand.clone(),
        "sand_to_wgs84_near.tif",
        Resampling::Nearest,
        0.0,
    );
    compare_warp(
        sand,
        "sand_to_wgs84_bilinear.tif",
        Resampling::Bilinear,
        1e-6,
    );
    compare_warp(dem.clone(), "dem_to_utm_near.tif", Resampling::Nearest, 0.0);
    compare_warp(dem, "dem_to_utm_bilinear.tif", Resampling::Bilinear, 1e-6);
}

#[test]
fn alignment_refuses_what_it_cannot_do() {
    let Some(dem) = real("dem/cop30_healy_alaska.tif") else {
        return;
    };
    // No overlap: a target grid on the other side of the world.
    let far = TargetGrid {
        crs_wkt: geotiff::wkt_from_epsg(4326).expect("wkt"),
        geotransform: [10.0, 0.01, 0.0, 50.0, 0.0, -0.01],
        rows: 10,
        cols: 10,
    };
    let e = warp::warp_to(&dem, &far, Resampling::Nearest).expect_err("no overlap");
    assert!(e.to_string().contains("does not overlap"), "{e}");
    let bad = TargetGrid {
        crs_wkt: "NOT A CRS".into(),
        ..far
    };
    let e = warp::warp_to(&dem, &bad, Resampling::Nearest).expect_err("bad CRS");
    assert!(e.to_string().contains("unknown CRS"), "{e}");
    assert!(Resampling::parse("cubic").is_err());
    assert!(Resampling::Mode.is_categorical() && !Resampling::Bilinear.is_categorical());
}
