//! `upscale` inputs and grids: the same field as a GeoTIFF, a NetCDF
//! variable and a CSV point table gives the same cells; the equal-area grid
//! (EPSG:6933 through PROJ) has cells of equal ellipsoidal area — checked
//! against the closed-form area of a longitude–latitude rectangle on the
//! WGS84 ellipsoid (Snyder, J. P. (1987), *Map Projections — A Working
//! Manual*, USGS PP 1395, eq. 3-12), not against PROJ — and points land in
//! the cell of their projected coordinates.

mod common;
use common::{cli_text as cli, close, native_io_turn};

use ndarray::{Array1, Array2};
use permafrost_insar::equal_area::{equal_area_grid, EqualAreaProjection};
use permafrost_insar::io::geotiff::{self, Raster, SampleType};
use permafrost_insar::io::nc::{self, NcData, NcWriter};
use permafrost_insar::upscale::BoundingBox;
use proptest::prelude::*;

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_223_563;

/// Snyder's q(φ) (eq. 3-12) on WGS84.
fn q(lat_deg: f64) -> f64 {
    let e2 = F * (2.0 - F);
    let e = e2.sqrt();
    let s = lat_deg.to_radians().sin();
    (1.0 - e2) * (s / (1.0 - e2 * s * s) - (0.5 / e) * ((1.0 - e * s) / (1.0 + e * s)).ln())
}

/// Area (m²) of the rectangle [lon0, lon1] × [lat0, lat1] on WGS84.
fn rectangle_area(lon0: f64, lon1: f64, lat0: f64, lat1: f64) -> f64 {
    0.5 * A * A * (lon1 - lon0).to_radians() * (q(lat1) - q(lat0))
}

#[test]
fn equal_area_cells_have_equal_area() {
    let _io = native_io_turn();
    for (bbox, km) in [
        (BoundingBox::new(-150.0, -147.0, 63.0, 65.5).unwrap(), 10.0),
        (BoundingBox::new(90.0, 100.0, 70.0, 80.0).unwrap(), 25.0),
        (BoundingBox::new(-10.0, 10.0, -40.0, 0.0).unwrap(), 100.0),
    ] {
        let grid = equal_area_grid(&bbox, km).unwrap();
        let (lon, lat) = (grid.lon_edges(), grid.lat_edges());
        assert_eq!(lon[0], bbox.lon_min());
        assert_eq!(lat[0], bbox.lat_min());
        assert!(*lon.last().unwrap() > bbox.lon_max() && *lat.last().unwrap() > bbox.lat_max());
        let target = km * km * 1e6;
        let mut worst: f64 = 0.0;
        for iy in 0..grid.ny() {
            for ix in 0..grid.nx() {
                let a = rectangle_area(lon[ix], lon[ix + 1], lat[iy], lat[iy + 1]);
                worst = worst.max((a / target - 1.0).abs());
            }
        }
        println!("{km} km over {bbox:?}: largest relative area error {worst:e}");
        // Measured up to 7e-9 with PROJ 9.1 (its inverse cea projection), while a
        // geodesic-grid cell at these sizes differs from its neighbours by 1e-3.
        assert!(worst < 2e-8, "relative area error {worst}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn points_land_in_the_cell_of_their_projected_coordinates(
        lon0 in -170.0..150.0f64, lat0 in -80.0..70.0f64,
        w in 0.5..15.0f64, h in 0.5..10.0f64, km in 5.0..60.0f64,
        fx in prop::collection::vec(0.0..1.0f64, 20),
        fy in prop::collection::vec(0.0..1.0f64, 20),
    ) {
        let _io = native_io_turn();
        let bbox = BoundingBox::new(lon0, lon0 + w, lat0, (lat0 + h).min(85.0)).unwrap();
        let grid = equal_area_grid(&bbox, km).unwrap();
        let p = EqualAreaProjection::new().unwrap();
        let mut x0 = [bbox.lon_min()];
        let mut y0 = [bbox.lat_min()];
        p.forward(&mut x0, &mut y0).unwrap();
        let mut lons: Vec<f64> = fx.iter().map(|f| bbox.lon_min() + f * (bbox.lon_max() - bbox.lon_min())).collect();
        let mut lats: Vec<f64> = fy.iter().map(|f| bbox.lat_min() + f * (bbox.lat_max() - bbox.lat_min())).collect();
        let (qlon, qlat) = (lons.clone(), lats.clone());
        p.forward(&mut lons, &mut lats).unwrap();
        let s = km * 1000.0;
        for i in 0..lons.len() {
            let (gx, gy) = ((lons[i] - x0[0]) / s, (lats[i] - y0[0]) / s);
            // Skip points within a micrometre of an edge (rounding either way).
            if (gx - gx.round()).abs() * s < 1e-6 || (gy - gy.round()).abs() * s < 1e-6 {
                continue;
            }
            let cell = grid.locate(qlon[i], qlat[i]);
            prop_assert_eq!(cell, Some(gy.floor() as usize * grid.nx() + gx.floor() as usize),
                "point ({}, {})", qlon[i], qlat[i]);
        }
    }
}

#[test]
fn equal_area_bad_input_is_an_error() {
    let _io = native_io_turn();
    let bbox = BoundingBox::new(-150.0, -147.0, 63.0, 65.5).unwrap();
    for km in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = equal_area_grid(&bbox, km).unwrap_err().to_string();
        assert!(e.contains("resolution_km"), "{e}");
    }
    let polar = BoundingBox::new(0.0, 10.0, 80.0, 89.0).unwrap();
    let e = equal_area_grid(&polar, 10.0).unwrap_err().to_string();
    assert!(e.contains("area of use"), "{e}");
    let e = equal_area_grid(&bbox, 1e-6).unwrap_err().to_string();
    assert!(e.contains("cells along"), "{e}");
}

/// A 60 × 80 field, north-up, as GeoTIFF (Float64), NetCDF and CSV.
fn write_inputs(dir: &std::path::Path) -> [String; 4] {
    let (rows, cols) = (60, 80);
    let gt = [-150.0, 0.01, 0.0, 64.0, 0.0, -0.005];
    let values = Array2::from_shape_fn((rows, cols), |(r, c)| {
        -0.01 + 1e-4 * ((r * 7 + c * 13) % 97) as f64 + 1e-7 * (r * cols + c) as f64
    });
    let lons: Vec<f64> = (0..cols)
        .map(|c| gt[0] + (c as f64 + 0.5) * gt[1])
        .collect();
    let lats: Vec<f64> = (0..rows)
        .map(|r| gt[3] + (r as f64 + 0.5) * gt[5])
        .collect();
    let tif = dir.join("field.tif");
    let wkt = geotiff::wkt_from_epsg(4326).unwrap();
    geotiff::write_geotiff(
        &tif,
        &Raster::single(values.clone(), gt, wkt),
        SampleType::Float64,
    )
    .unwrap();
    let ncf = dir.join("field.nc");
    let mut w = NcWriter::new();
    w.dimension("lat", rows)
        .dimension("lon", cols)
        .variable(
            "lat",
            &["lat"],
            NcData::F64(Array1::from(lats.clone()).into_dyn()),
        )
        .attr("lat", "units", "degrees_north")
        .variable(
            "lon",
            &["lon"],
            NcData::F64(Array1::from(lons.clone()).into_dyn()),
        )
        .attr("lon", "units", "degrees_east")
        .variable("v", &["lat", "lon"], NcData::F64(values.clone().into_dyn()));
    w.write(&ncf).unwrap();
    // The same field on a curvilinear grid: 2-D lat/lon on (y, x).
    let curv = dir.join("field_curvilinear.nc");
    let lat2 = Array2::from_shape_fn((rows, cols), |(r, _)| lats[r]);
    let lon2 = Array2::from_shape_fn((rows, cols), |(_, c)| lons[c]);
    let mut w = NcWriter::new();
    w.dimension("y", rows)
        .dimension("x", cols)
        .variable("lat", &["y", "x"], NcData::F64(lat2.into_dyn()))
        .attr("lat", "units", "degrees_north")
        .variable("lon", &["y", "x"], NcData::F64(lon2.into_dyn()))
        .attr("lon", "units", "degrees_east")
        .variable("v", &["y", "x"], NcData::F64(values.clone().into_dyn()));
    w.write(&curv).unwrap();
    let csv = dir.join("field.csv");
    let mut text = String::from("lon,lat,v\n");
    for r in 0..rows {
        for c in 0..cols {
            text.push_str(&format!("{},{},{}\n", lons[c], lats[r], values[[r, c]]));
        }
    }
    std::fs::write(&csv, text).unwrap();
    [
        tif.display().to_string(),
        format!("{}:v", ncf.display()),
        format!("{}:v", csv.display()),
        format!("{}:v", curv.display()),
    ]
}

#[test]
fn geotiff_netcdf_and_csv_inputs_give_the_same_cells() {
    let _io = native_io_turn();
    let dir = tempfile::tempdir().unwrap();
    let inputs = write_inputs(dir.path());
    for grid in ["geodesic", "equal-area"] {
        let mut results = Vec::new();
        // NetCDF, CSV and curvilinear NetCDF once more with --block-rows 1:
        // the fields arrive row by row, the CSV's 4,800 points in blocks of
        // 1,024 lines.
        let cases = inputs
            .iter()
            .map(|i| (i, "512"))
            .chain(inputs[1..].iter().map(|i| (i, "1")));
        for (i, (input, block_rows)) in cases.enumerate() {
            let out = dir.path().join(format!("{grid}{i}.nc"));
            let out_s = out.display().to_string();
            let (ok, stdout, stderr) = cli(&[
                "--json",
                "upscale",
                "--input",
                input,
                "--grid",
                grid,
                "--resolution-km",
                "5",
                "--bins",
                "20",
                "--range",
                "-0.02,0.02",
                "--threshold",
                "0",
                "--block-rows",
                block_rows,
                "--out",
                &out_s,
            ]);
            assert!(ok, "{input}: {stderr}");
            let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(v["points_seen"], 60 * 80, "{input}");
            // Two values have |x| < 1e-5 and meet the study's point filter.
            assert_eq!(v["dropped_by_filter"], 2, "{input}");
            assert_eq!(v["points_binned"], 60 * 80 - 2, "{input}");
            let read = |name: &str| nc::read_variable(&out, name).unwrap().data;
            results.push((
                read("count"),
                read("mean"),
                read("std"),
                read("lon_bnds"),
                read("lat_bnds"),
            ));
        }
        // Blocks do not change a result, not even in the last bit.
        for k in 1..4 {
            assert_eq!(
                results[k + 3],
                results[k],
                "{grid}: {} in blocks",
                inputs[k]
            );
        }
        let (c0, m0, s0, lon0, lat0) = &results[0];
        assert_eq!(c0.sum(), (60 * 80 - 2) as f64);
        for (c, m, s, lon, lat) in &results[1..] {
            assert_eq!(c, c0, "{grid}: counts");
            assert_eq!(lon, lon0, "{grid}: lon bounds");
            assert_eq!(lat, lat0, "{grid}: lat bounds");
            for (a, b) in m.iter().zip(m0.iter()).chain(s.iter().zip(s0.iter())) {
                assert!(
                    (a.is_nan() && b.is_nan()) || close(*a, *b, 1e-12),
                    "{grid}: {a} vs {b}"
                );
            }
        }
    }
    // The equal-area grid is recorded in the output.
    let out = dir.path().join("equal-area0.nc");
    let file = netcdf::open(&out).unwrap();
    let attr = file
        .attribute("grid")
        .expect("global `grid`")
        .value()
        .unwrap();
    assert!(format!("{attr:?}").contains("EPSG:6933"), "{attr:?}");
}
