//! Aggregation rules, hand-checked: inverse-distance weights 1/d over the
//! k nearest (great-circle) points, zero distance takes the value, missing
//! neighbours are dropped after the search (CDO), nearest, cell mean; the
//! raster and scattered-point paths agree; thread count changes nothing.

use ndarray::{array, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use upscale_dist::{Aggregation, AggregationParams, Grid, PointFilter};

/// Great-circle angle (haversine), for the hand computations.
fn angle(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let s = ((p2 - p1) / 2.0).sin();
    let t = ((lon2 - lon1).to_radians() / 2.0).sin();
    2.0 * (s * s + p1.cos() * p2.cos() * t * t).sqrt().asin()
}

fn agg(method: Aggregation) -> upscale_dist::Aggregator {
    AggregationParams::new()
        .with_method(method)
        .build()
        .unwrap()
}

#[test]
fn idw_weights_are_inverse_great_circle_distances() {
    // One cell centred on (0.5, 60.5); five points around it.
    let grid = Grid::from_edges(vec![0.0, 1.0], vec![60.0, 61.0]).unwrap();
    let lons = [0.4, 0.9, 0.5, 0.2, 3.0];
    let lats = [60.5, 60.7, 60.1, 60.9, 60.5];
    let vals = [1.0, 2.0, 4.0, 8.0, 100.0];
    let out = agg(Aggregation::REMAPDIS)
        .aggregate_points(&grid, &lons, &lats, &vals)
        .unwrap();
    let (num, den) = (0..4).fold((0.0, 0.0), |(n, d), i| {
        let w = 1.0 / angle(0.5, 60.5, lons[i], lats[i]);
        (n + w * vals[i], d + w)
    });
    assert!(
        (out[[0, 0]] - num / den).abs() < 1e-13,
        "{} vs {}",
        out[[0, 0]],
        num / den
    );
    // k = 1 is the nearest point.
    let one = agg(Aggregation::InverseDistance { neighbours: 1 })
        .aggregate_points(&grid, &lons, &lats, &vals)
        .unwrap();
    let nearest = agg(Aggregation::Nearest)
        .aggregate_points(&grid, &lons, &lats, &vals)
        .unwrap();
    assert_eq!(one[[0, 0]], 1.0);
    assert_eq!(nearest[[0, 0]], 1.0);
}

#[test]
fn zero_distance_takes_the_value() {
    let grid = Grid::from_edges(vec![0.0, 1.0], vec![60.0, 61.0]).unwrap();
    let out = agg(Aggregation::REMAPDIS)
        .aggregate_points(
            &grid,
            &[0.4, 0.5, 0.6],
            &[60.5, 60.5, 60.5],
            &[1.0, 7.0, 3.0],
        )
        .unwrap();
    assert_eq!(out[[0, 0]], 7.0);
}

#[test]
fn missing_neighbours_are_dropped_after_the_search() {
    // The nearest point is missing: remapdis uses the other 3 of the 4
    // nearest (not a 5th point); nearest gives NaN.
    let grid = Grid::from_edges(vec![0.0, 1.0], vec![0.0, 1.0]).unwrap();
    let lons = [0.5, 0.6, 0.5, 0.3, 0.9];
    let lats = [0.5, 0.5, 0.7, 0.4, 0.95];
    let vals = [f64::NAN, 2.0, 4.0, 8.0, 1000.0];
    let out = agg(Aggregation::REMAPDIS)
        .aggregate_points(&grid, &lons, &lats, &vals)
        .unwrap();
    let (num, den) = (1..4).fold((0.0, 0.0), |(n, d), i| {
        let w = 1.0 / angle(0.5, 0.5, lons[i], lats[i]);
        (n + w * vals[i], d + w)
    });
    assert!((out[[0, 0]] - num / den).abs() < 1e-13);
    let nn = agg(Aggregation::Nearest)
        .aggregate_points(&grid, &lons, &lats, &vals)
        .unwrap();
    assert!(nn[[0, 0]].is_nan());
    // The filter turns fill values (0) into missing values.
    let vals0 = [0.0, 2.0, 4.0, 8.0, 1000.0];
    let with_filter = AggregationParams::new()
        .with_filter(Some(PointFilter::new(-1e6, 1e6, 1e-5).unwrap()))
        .build()
        .unwrap()
        .aggregate_points(&grid, &lons, &lats, &vals0)
        .unwrap();
    assert!((with_filter[[0, 0]] - num / den).abs() < 1e-13);
}

#[test]
fn cell_mean_uses_half_open_cells() {
    let grid = Grid::from_edges(vec![0.0, 1.0, 2.0], vec![0.0, 1.0]).unwrap();
    let lons = [0.0, 0.5, 1.0, 1.5, 2.0];
    let lats = [0.5; 5];
    let v = array![[1.0, 2.0, 10.0, 20.0, 1000.0]];
    let out = agg(Aggregation::CellMean)
        .aggregate_raster(&grid, &lons, &lats[..1], v.view())
        .unwrap();
    assert_eq!(out, array![[1.5, 15.0]]);
    let pts = agg(Aggregation::CellMean)
        .aggregate_points(&grid, &lons, &lats, v.as_slice().unwrap())
        .unwrap();
    assert_eq!(pts, out);
    // An empty cell is NaN.
    let out = agg(Aggregation::CellMean)
        .aggregate_raster(&grid, &[0.5], &[0.5], array![[3.0]].view())
        .unwrap();
    assert_eq!(out[[0, 0]], 3.0);
    assert!(out[[0, 1]].is_nan());
}

#[test]
fn raster_and_points_agree_and_threads_do_not_matter() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let lons: Vec<f64> = (0..60).map(|i| 20.0 + 0.031 * i as f64).collect();
    let lats: Vec<f64> = (0..45).map(|i| 62.0 - 0.017 * i as f64).collect();
    let v = Array2::from_shape_fn((45, 60), |_| {
        if rng.random::<f64>() < 0.1 {
            f64::NAN
        } else {
            rng.random_range(-1.0..1.0)
        }
    });
    let grid = Grid::from_edges(
        (0..=5).map(|i| 20.0 + 0.37 * i as f64).collect(),
        (0..=4).map(|i| 61.25 + 0.2 * i as f64).collect(),
    )
    .unwrap();
    let (plon, plat): (Vec<f64>, Vec<f64>) = lats
        .iter()
        .flat_map(|&la| lons.iter().map(move |&lo| (lo, la)))
        .unzip();
    let flat: Vec<f64> = v.iter().copied().collect();
    for method in [
        Aggregation::CellMean,
        Aggregation::REMAPDIS,
        Aggregation::Nearest,
    ] {
        let a = agg(method);
        let r1 = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| a.aggregate_raster(&grid, &lons, &lats, v.view()).unwrap());
        let r3 = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap()
            .install(|| a.aggregate_raster(&grid, &lons, &lats, v.view()).unwrap());
        let p = a.aggregate_points(&grid, &plon, &plat, &flat).unwrap();
        let bits = |x: &Array2<f64>| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&r1), bits(&r3), "{method:?}: threads");
        if method == Aggregation::CellMean {
            // Same values, different summation order: to rounding.
            for (a, b) in r1.iter().zip(&p) {
                assert!((a - b).abs() <= 1e-14 * a.abs().max(1.0), "{a} vs {b}");
            }
        } else {
            // Same neighbours in the same order: same bits.
            assert_eq!(bits(&r1), bits(&p), "{method:?}: raster vs points");
        }
        assert!(
            r1.iter().filter(|x| x.is_finite()).count() >= 18,
            "{method:?}"
        );
    }
}
