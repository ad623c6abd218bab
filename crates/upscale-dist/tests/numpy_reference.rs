//! External reference: an independent numpy implementation of the same
//! definitions (`xtask/reference/upscale-dist/binning_reference.py`, numpy
//! 2.4.6, pyproj 3.7.2 / PROJ 9.5.1), on a synthetic 180 × 320 raster plus
//! 2000 scattered points generated there from a fixed seed. The inputs and
//! numpy's outputs are committed under `tests/data/`; no Python runs here.

mod common;

use common::{assert_same_bits, close, f, fvec, load_f64le, load_json, uvec};
use ndarray::Array2;
use serde_json::Value;
use upscale_dist::{
    Aggregation, AggregationParams, BinnedCells, BinningParams, BoundingBox, GeodesicGridParams,
    Grid, PointFilter,
};

struct Case {
    lons: Vec<f64>,
    lats: Vec<f64>,
    values: Array2<f64>,
    ex_lon: Vec<f64>,
    ex_lat: Vec<f64>,
    ex_val: Vec<f64>,
    params: Value,
    expected: Value,
}

fn case() -> Case {
    let c = load_json("binning_case.json");
    let r = &c["raster"];
    let (nrows, ncols) = (
        r["nrows"].as_u64().unwrap() as usize,
        r["ncols"].as_u64().unwrap() as usize,
    );
    let values = Array2::from_shape_vec(
        (nrows, ncols),
        load_f64le(r["values_file"].as_str().unwrap()),
    )
    .expect("raster size");
    Case {
        lons: fvec(&r["lons"]),
        lats: fvec(&r["lats"]),
        values,
        ex_lon: fvec(&c["extra"]["lon"]),
        ex_lat: fvec(&c["extra"]["lat"]),
        ex_val: fvec(&c["extra"]["val"]),
        params: c["params"].clone(),
        expected: load_json("binning_expected.json"),
    }
}

fn reference_grid(c: &Case) -> Grid {
    let g = &c.expected["grid"];
    Grid::from_edges(fvec(&g["lon_edges"]), fvec(&g["lat_edges"])).unwrap()
}

fn binning(c: &Case, chunk_size: usize) -> upscale_dist::Binning {
    let p = &c.params;
    let flt = fvec(&p["filter"]);
    BinningParams::new(f(&p["hist_min"]), f(&p["hist_max"]))
        .with_bins(p["n_bins"].as_u64().unwrap() as usize)
        .with_threshold(p["threshold"].as_u64().unwrap())
        .with_filter(Some(PointFilter::new(flt[0], flt[1], flt[2]).unwrap()))
        .with_chunk_size(chunk_size)
        .build()
        .unwrap()
}

/// Raster first, then the scattered points, as the reference concatenates them.
fn bin_raster_then_points(c: &Case, chunk_size: usize) -> BinnedCells {
    let grid = reference_grid(c);
    let mut b = binning(c, chunk_size).binner(&grid);
    b.push_raster(&c.lons, &c.lats, c.values.view()).unwrap();
    b.push_points(&c.ex_lon, &c.ex_lat, &c.ex_val).unwrap();
    b.finish()
}

#[test]
fn geodesic_grid_matches_pyproj() {
    let c = case();
    let bbox = BoundingBox::from_axes(&c.lons, &c.lats).unwrap();
    let grid = GeodesicGridParams::new(f(&c.params["resolution_km"]))
        .build(&bbox)
        .unwrap();
    let g = &c.expected["grid"];
    let (lon_ref, lat_ref) = (fvec(&g["lon_edges"]), fvec(&g["lat_edges"]));
    assert_eq!(grid.lon_edges().len(), lon_ref.len());
    assert_eq!(grid.lat_edges().len(), lat_ref.len());
    // geographiclib-rs and GeographicLib-C (through PROJ) agree to rounding:
    // 1e-12° is 0.1 µm.
    let mut worst: f64 = 0.0;
    for (a, b) in grid
        .lon_edges()
        .iter()
        .zip(&lon_ref)
        .chain(grid.lat_edges().iter().zip(&lat_ref))
    {
        assert!((a - b).abs() < 1e-12, "edge {a} vs pyproj {b}");
        worst = worst.max((a - b).abs());
    }
    println!("largest edge difference to pyproj: {worst:e}°");
    let r = fvec(&g["reference"]);
    assert_eq!(bbox.centre(), (r[0], r[1]));
}

#[test]
fn binning_matches_numpy() {
    let c = case();
    let got = bin_raster_then_points(&c, 1 << 20);
    let e = &c.expected["binning"];
    let nb = c.params["n_bins"].as_u64().unwrap() as usize;

    // Point accounting and counts: identical.
    let rep = &e["report"];
    let r = got.report;
    assert_eq!(r.points_seen, rep["points_seen"].as_u64().unwrap());
    assert_eq!(r.binned, rep["binned"].as_u64().unwrap());
    assert_eq!(
        r.dropped_non_finite,
        rep["dropped_non_finite"].as_u64().unwrap()
    );
    assert_eq!(
        r.dropped_by_filter,
        rep["dropped_by_filter"].as_u64().unwrap()
    );
    assert_eq!(
        r.dropped_outside_grid,
        rep["dropped_outside_grid"].as_u64().unwrap()
    );
    assert_eq!(
        r.outside_histogram,
        rep["outside_histogram"].as_u64().unwrap()
    );
    assert_eq!(got.counts.to_vec(), uvec(&e["counts"]));
    let valid: Vec<bool> = e["valid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_bool().unwrap())
        .collect();
    assert_eq!(got.valid.to_vec(), valid);
    assert!(valid.iter().any(|&v| v) && valid.iter().any(|&v| !v));

    // Histograms: identical counts (numpy.histogram per cell), including the
    // values placed exactly on and one ulp beside the bin edges.
    for (i, row) in e["histogram_counts"].as_array().unwrap().iter().enumerate() {
        assert_eq!(got.histogram_counts.row(i).to_vec(), uvec(row), "cell {i}");
    }
    assert_eq!(got.histogram_counts.ncols(), nb);

    // Densities: counts / total / width, the same operations as numpy
    // (agreement to the last bit is expected; asserted to 4e-16 relative);
    // numpy's own density=True divides by diff(edges): 1e-12.
    for (i, (row, row_np)) in e["density"]
        .as_array()
        .unwrap()
        .iter()
        .zip(e["density_np"].as_array().unwrap())
        .enumerate()
    {
        for (j, (d, dn)) in fvec(row).iter().zip(fvec(row_np)).enumerate() {
            let g = got.density[[i, j]];
            assert!(close(g, *d, 4e-16), "density cell {i} bin {j}: {g} vs {d}");
            assert!(
                close(g, dn, 1e-12),
                "numpy density cell {i} bin {j}: {g} vs {dn}"
            );
        }
    }

    // Moments: within 1e-9 relative (observed: about 1e-13) for every
    // non-empty cell, from the raw accumulators; the masked arrays match on
    // valid cells and are NaN elsewhere.
    let mut worst: f64 = 0.0;
    for (i, m) in e["moments"].as_array().unwrap().iter().enumerate() {
        let want = fvec(m);
        let acc = &got.moments[i];
        let have = [acc.mean(), acc.std(), acc.skewness(), acc.kurtosis()];
        for (k, (h, w)) in have.iter().zip(&want).enumerate() {
            assert!(close(*h, *w, 1e-9), "cell {i} moment {k}: {h} vs numpy {w}");
            if w.is_finite() {
                worst = worst.max((h - w).abs() / w.abs());
            }
        }
        let masked = [got.mean[i], got.std[i], got.skewness[i], got.kurtosis[i]];
        for (k, (h, w)) in masked.iter().zip(&want).enumerate() {
            if valid[i] {
                assert!(close(*h, *w, 1e-9), "cell {i} masked moment {k}");
            } else {
                assert!(h.is_nan(), "cell {i} is not valid: moment {k} must be NaN");
            }
        }
    }
    println!("largest relative moment difference to numpy: {worst:e}");
    assert!(worst < 1e-9);
}

#[test]
fn points_path_equals_raster_path() {
    // The flattened mesh through push_points gives the same bits as
    // push_raster (row-major order).
    let c = case();
    let raster = bin_raster_then_points(&c, 1 << 20);
    let grid = reference_grid(&c);
    let (mut lon, mut lat, mut val) = (Vec::new(), Vec::new(), Vec::new());
    for (r, &la) in c.lats.iter().enumerate() {
        for (col, &lo) in c.lons.iter().enumerate() {
            lon.push(lo);
            lat.push(la);
            val.push(c.values[[r, col]]);
        }
    }
    lon.extend(&c.ex_lon);
    lat.extend(&c.ex_lat);
    val.extend(&c.ex_val);
    let points = binning(&c, 4099)
        .bin_points(&grid, &lon, &lat, &val)
        .unwrap();
    assert_same_bits(&points, &raster, "points vs raster");
}

#[test]
fn aggregation_matches_numpy() {
    let c = case();
    let grid = reference_grid(&c);
    let e = &c.expected["aggregation"];
    let filter = Some(PointFilter::default());
    let run = |method| {
        let agg = AggregationParams::new()
            .with_method(method)
            .with_filter(filter)
            .build()
            .unwrap();
        let raster = agg
            .aggregate_raster(&grid, &c.lons, &c.lats, c.values.view())
            .unwrap();
        // The same field as scattered points (k-d tree path).
        let (lon2, lat2): (Vec<f64>, Vec<f64>) = c
            .lats
            .iter()
            .flat_map(|&la| c.lons.iter().map(move |&lo| (lo, la)))
            .unzip();
        let flat: Vec<f64> = c.values.iter().copied().collect();
        let points = agg.aggregate_points(&grid, &lon2, &lat2, &flat).unwrap();
        (raster, points)
    };
    for (method, key, rel) in [
        (Aggregation::CellMean, "cell_mean", 1e-12),
        (Aggregation::REMAPDIS, "idw4", 1e-12),
        (Aggregation::Nearest, "nearest", 0.0),
    ] {
        let want = fvec(&e[key]);
        let (raster, points) = run(method);
        assert_eq!(raster.dim(), grid.shape());
        for (i, w) in want.iter().enumerate() {
            let (a, b) = (raster.as_slice().unwrap()[i], points.as_slice().unwrap()[i]);
            assert!(close(a, *w, rel), "{key} raster cell {i}: {a} vs numpy {w}");
            assert!(close(b, *w, rel), "{key} points cell {i}: {b} vs numpy {w}");
        }
        assert!(want.iter().any(|v| v.is_finite()));
    }
}

/// The same comparison on a real DEM (Copernicus GLO-30, Healy, Alaska),
/// whose values are not committed: run the reference script with
/// `--dem ../shared/data/real/dem/cop30_healy_alaska.tif DIR`, then
/// `UPSCALE_DEM_CASE=DIR cargo test -p upscale-dist --test numpy_reference
/// -- --ignored`.
#[test]
#[ignore = "needs UPSCALE_DEM_CASE (a case written by the reference script --dem)"]
fn real_dem_matches_numpy() {
    let Ok(dir) = std::env::var("UPSCALE_DEM_CASE") else {
        println!("UPSCALE_DEM_CASE is not set: skipped");
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let c: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("dem_case.json")).unwrap()).unwrap();
    let r = &c["raster"];
    let (nrows, ncols) = (
        r["nrows"].as_u64().unwrap() as usize,
        r["ncols"].as_u64().unwrap() as usize,
    );
    let bytes = std::fs::read(dir.join(r["values_file"].as_str().unwrap())).unwrap();
    let values: Vec<f32> = bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().unwrap()) as f32)
        .collect();
    let values = Array2::from_shape_vec((nrows, ncols), values).unwrap();
    let (lons, lats) = (fvec(&r["lons"]), fvec(&r["lats"]));
    let p = &c["params"];
    let e = &c["expected"];

    // The geodesic grid from the DEM's box, against pyproj.
    let bbox = BoundingBox::from_axes(&lons, &lats).unwrap();
    let grid = GeodesicGridParams::new(f(&p["resolution_km"]))
        .build(&bbox)
        .unwrap();
    let (lon_ref, lat_ref) = (fvec(&e["grid"]["lon_edges"]), fvec(&e["grid"]["lat_edges"]));
    assert_eq!(grid.lon_edges().len(), lon_ref.len());
    assert_eq!(grid.lat_edges().len(), lat_ref.len());
    for (a, b) in grid
        .lon_edges()
        .iter()
        .zip(&lon_ref)
        .chain(grid.lat_edges().iter().zip(&lat_ref))
    {
        assert!((a - b).abs() < 1e-12, "edge {a} vs pyproj {b}");
    }
    let grid = Grid::from_edges(lon_ref, lat_ref).unwrap();

    // f32 values, as the GeoTIFF stores them (the reference widened them).
    let got = BinningParams::new(f(&p["hist_min"]), f(&p["hist_max"]))
        .with_bins(p["n_bins"].as_u64().unwrap() as usize)
        .with_threshold(p["threshold"].as_u64().unwrap())
        .build()
        .unwrap()
        .bin_raster(&grid, &lons, &lats, values.view())
        .unwrap();
    let b = &e["binning"];
    assert_eq!(got.counts.to_vec(), uvec(&b["counts"]));
    assert_eq!(got.report.binned, b["report"]["binned"].as_u64().unwrap());
    let mut worst: f64 = 0.0;
    for (i, (h, m)) in b["histogram_counts"]
        .as_array()
        .unwrap()
        .iter()
        .zip(b["moments"].as_array().unwrap())
        .enumerate()
    {
        assert_eq!(got.histogram_counts.row(i).to_vec(), uvec(h), "cell {i}");
        let acc = &got.moments[i];
        for (x, w) in [acc.mean(), acc.std(), acc.skewness(), acc.kurtosis()]
            .iter()
            .zip(fvec(m))
        {
            assert!(close(*x, w, 1e-9), "cell {i}: {x} vs numpy {w}");
            if w.is_finite() && w != 0.0 {
                worst = worst.max((x - w).abs() / w.abs());
            }
        }
    }
    println!(
        "DEM: {} cells, {} valid, largest relative moment difference {worst:e}",
        grid.n_cells(),
        got.valid.iter().filter(|&&v| v).count()
    );
}
