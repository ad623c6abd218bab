//! External reference (acceptance 1, second half): a synthetic point field
//! at 10 km cells against the independent numpy implementation
//! `xtask/reference/upscale-dist/synthetic_reference.py` (Python 3.11.7,
//! numpy 2.4.6, pyproj 3.7.2 / PROJ 9.5.1; versions also in the JSON).
//!
//! The points are not committed: both sides generate them from the same
//! counter-based splitmix64 stream with bit-exact f64 arithmetic (checked
//! here on the first and last points), and only numpy's per-cell results are
//! in `tests/data/synthetic_1e{6,7}.json`. Counts, histograms and the point
//! accounting must be identical; mean, std, skewness and kurtosis within
//! 1e-9 relative of numpy's two-pass `math.fsum` values.
//!
//! Both cases run by default: 10⁶ points take about 1 s and 10⁷ points about
//! 8 s in a debug build (measured on a shared 2-core machine).

mod common;

use common::{close, f, fvec, load_json, uvec};
use serde_json::Value;
use upscale_dist::{BinningParams, BoundingBox, GeodesicGridParams, Grid, PointFilter};

const SEED: u64 = 0x5EED_0007;
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
const LON: (f64, f64) = (-136.2, 5.4);
const LAT: (f64, f64) = (65.9, 2.2);
const MU: [f64; 4] = [-0.02, 0.005, 0.03, 0.0];
const SIG: [f64; 4] = [0.01, 0.004, 0.03, 0.12];

/// splitmix64's output function (Steele, Lea & Flood 2014).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn unit(z: u64) -> f64 {
    (z >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Point `i` of the stream, as the Python script computes it.
fn point(i: u64) -> (f64, f64, f64) {
    let d = |k: u64| mix(SEED.wrapping_add((5 * i + k + 1).wrapping_mul(GAMMA)));
    let lon = LON.0 + LON.1 * unit(d(0));
    let lat = LAT.0 + LAT.1 * unit(d(1));
    let c = (d(2) >> 62) as usize;
    let val = MU[c] + SIG[c] * ((unit(d(3)) + unit(d(4))) - 1.0);
    (lon, lat, val)
}

fn check(name: &str) {
    let e: Value = load_json(name);
    let n = e["n_points"].as_u64().unwrap();
    let g = &e["generator"];
    assert_eq!(g["seed"].as_u64(), Some(SEED));
    assert_eq!(g["gamma"].as_u64(), Some(GAMMA));
    assert_eq!(fvec(&g["mu"]), MU.to_vec());
    assert_eq!(fvec(&g["sig"]), SIG.to_vec());
    // The generators agree to the bit.
    for (i, p) in e["first_points"].as_array().unwrap().iter().enumerate() {
        let (lon, lat, val) = point(i as u64);
        assert_eq!(vec![lon, lat, val], fvec(p), "{name}: point {i}");
    }
    let (lon, lat, val) = point(n - 1);
    assert_eq!(vec![lon, lat, val], fvec(&e["last_point"]), "{name}: last");

    // The geodesic grid agrees with pyproj to rounding; bin on numpy's edges
    // so that a point on an edge cannot go either way.
    let p = &e["params"];
    let b = fvec(&p["grid_box"]);
    let ours = GeodesicGridParams::new(f(&p["resolution_km"]))
        .build(&BoundingBox::new(b[0], b[1], b[2], b[3]).unwrap())
        .unwrap();
    let (lon_edges, lat_edges) = (fvec(&e["grid"]["lon_edges"]), fvec(&e["grid"]["lat_edges"]));
    assert_eq!(ours.lon_edges().len(), lon_edges.len());
    assert_eq!(ours.lat_edges().len(), lat_edges.len());
    for (a, r) in ours.lon_edges().iter().zip(&lon_edges) {
        assert!((a - r).abs() < 1e-12, "lon edge {a} vs pyproj {r}");
    }
    for (a, r) in ours.lat_edges().iter().zip(&lat_edges) {
        assert!((a - r).abs() < 1e-12, "lat edge {a} vs pyproj {r}");
    }
    let grid = Grid::from_edges(lon_edges, lat_edges).unwrap();

    let flt = fvec(&p["filter"]);
    let binning = BinningParams::new(f(&p["hist_min"]), f(&p["hist_max"]))
        .with_bins(p["n_bins"].as_u64().unwrap() as usize)
        .with_threshold(p["threshold"].as_u64().unwrap())
        .with_filter(Some(PointFilter::new(flt[0], flt[1], flt[2]).unwrap()))
        .build()
        .unwrap();
    // Streamed in pushes of 2¹⁸ generated points: never all in memory.
    let mut binner = binning.binner(&grid);
    const PUSH: u64 = 1 << 18;
    let (mut lons, mut lats, mut vals) = (Vec::new(), Vec::new(), Vec::new());
    let mut start = 0;
    while start < n {
        let end = (start + PUSH).min(n);
        lons.clear();
        lats.clear();
        vals.clear();
        for i in start..end {
            let (lon, lat, val) = point(i);
            lons.push(lon);
            lats.push(lat);
            vals.push(val);
        }
        binner.push_points(&lons, &lats, &vals).unwrap();
        start = end;
    }
    let got = binner.finish();

    let rep = &e["report"];
    let r = got.report;
    assert_eq!(r.points_seen, rep["points_seen"].as_u64().unwrap());
    assert_eq!(r.binned, rep["binned"].as_u64().unwrap());
    assert_eq!(r.dropped_non_finite, 0);
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
    assert_eq!(got.counts.to_vec(), uvec(&e["counts"]), "{name}: counts");
    let nb = p["n_bins"].as_u64().unwrap() as usize;
    let hists = e["histogram_counts"].as_array().unwrap();
    let moms = e["moments"].as_array().unwrap();
    assert_eq!(hists.len(), grid.n_cells());
    let mut worst: f64 = 0.0;
    for c in 0..grid.n_cells() {
        let h: Vec<u64> = got.histogram_counts.row(c).to_vec();
        assert_eq!(h.len(), nb);
        assert_eq!(h, uvec(&hists[c]), "{name}: histogram of cell {c}");
        let m = fvec(&moms[c]);
        let ours = [got.mean[c], got.std[c], got.skewness[c], got.kurtosis[c]];
        for (k, (a, b)) in ours.iter().zip(&m).enumerate() {
            assert!(
                close(*a, *b, 1e-9),
                "{name}: cell {c} moment {k}: {a} vs numpy {b}"
            );
            if a.is_finite() && *b != 0.0 {
                worst = worst.max(((a - b) / b).abs());
            }
        }
    }
    println!("{name}: {n} points, largest relative moment difference to numpy {worst:e}");
}

#[test]
fn million_points_at_10_km_match_numpy() {
    check("synthetic_1e6.json");
}

#[test]
fn ten_million_points_at_10_km_match_numpy() {
    check("synthetic_1e7.json");
}
