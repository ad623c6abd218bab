//! Results do not depend on the chunk size, the thread count or how the
//! input is cut into pushes: bit for bit, because every cell is updated
//! value by value in input order (no floating-point merge inside a stream).
//! Merging separately binned streams (Pébay) agrees to rounding only.

mod common;

use common::{assert_same_bits, close};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use upscale_dist::{BinnedCells, Binning, BinningParams, Grid, PointFilter};

struct Data {
    grid: Grid,
    lons: Vec<f64>,
    lats: Vec<f64>,
    values: Vec<f64>,
}

fn data() -> Data {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let grid = Grid::from_edges(
        (0..=7).map(|i| -134.0 + 0.25 * i as f64).collect(),
        (0..=5).map(|i| 68.0 + 0.09 * i as f64).collect(),
    )
    .unwrap();
    let n = 30_000;
    let mut lons = Vec::with_capacity(n);
    let mut lats = Vec::with_capacity(n);
    let mut values = Vec::with_capacity(n);
    for i in 0..n {
        lons.push(rng.random_range(-134.1..-132.1));
        lats.push(rng.random_range(67.95..68.5));
        // Offset, skewed values with fill zeros and NaNs sprinkled in.
        let v: f64 = match i % 97 {
            0 => 0.0,
            1 => f64::NAN,
            _ => 3.0 + 0.01 * rng.random::<f64>().powi(3) - 0.004 * rng.random::<f64>(),
        };
        values.push(v);
    }
    Data {
        grid,
        lons,
        lats,
        values,
    }
}

fn params(chunk: usize) -> Binning {
    BinningParams::new(2.995, 3.01)
        .with_bins(30)
        .with_threshold(100)
        .with_filter(Some(PointFilter::new(-10.0, 10.0, 1e-5).unwrap()))
        .with_chunk_size(chunk)
        .build()
        .unwrap()
}

fn run(d: &Data, chunk: usize, threads: usize) -> BinnedCells {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        params(chunk)
            .bin_points(&d.grid, &d.lons, &d.lats, &d.values)
            .unwrap()
    })
}

#[test]
fn identical_for_any_chunk_size_and_thread_count() {
    let d = data();
    let reference = run(&d, 1 << 20, 1);
    assert!(reference.valid.iter().any(|&v| v));
    for chunk in [1, 2, 7, 1000, 4096, 16_385, 30_000] {
        for threads in [1, 2, 3] {
            let r = run(&d, chunk, threads);
            assert_same_bits(&r, &reference, &format!("chunk {chunk}, {threads} threads"));
        }
    }
}

#[test]
fn identical_for_any_cut_into_pushes() {
    let d = data();
    let reference = run(&d, 1 << 20, 2);
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for chunk in [5, 333, 1 << 20] {
        let mut b = params(chunk).binner(&d.grid);
        let mut start = 0;
        while start < d.values.len() {
            let end = (start + rng.random_range(0..2500)).min(d.values.len());
            b.push_points(
                &d.lons[start..end],
                &d.lats[start..end],
                &d.values[start..end],
            )
            .unwrap();
            start = end;
        }
        assert_same_bits(
            &b.finish(),
            &reference,
            &format!("random pushes, chunk {chunk}"),
        );
    }
}

#[test]
fn raster_identical_for_any_chunk_size_and_thread_count() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let grid = Grid::from_edges(vec![0.0, 0.4, 1.0], vec![10.0, 10.3, 10.5, 11.0]).unwrap();
    let lons: Vec<f64> = (0..53).map(|i| -0.05 + 0.02 * i as f64).collect();
    let lats: Vec<f64> = (0..41).map(|i| 11.02 - 0.026 * i as f64).collect();
    let v = Array2::from_shape_fn((41, 53), |_| rng.random_range(-1.0..1.0f32));
    let go = |chunk: usize, threads: usize| {
        let b = BinningParams::new(-1.0, 1.0)
            .with_threshold(10)
            .with_chunk_size(chunk)
            .build()
            .unwrap();
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| b.bin_raster(&grid, &lons, &lats, v.view()).unwrap())
    };
    let reference = go(1 << 20, 1);
    for chunk in [1, 52, 53, 54, 999] {
        for threads in [1, 2, 3] {
            assert_same_bits(
                &go(chunk, threads),
                &reference,
                &format!("raster chunk {chunk}, {threads} threads"),
            );
        }
    }
}

#[test]
fn merged_streams_agree_to_rounding() {
    // Two halves binned separately and merged (Pébay): counts and
    // histograms exact, moments to 1e-12 relative — floating merges round
    // differently from one stream, so bit identity is not expected here.
    let d = data();
    let whole = run(&d, 1 << 20, 2);
    let half = d.values.len() / 2;
    let p = params(4096);
    let mut a = p.binner(&d.grid);
    a.push_points(&d.lons[..half], &d.lats[..half], &d.values[..half])
        .unwrap();
    let mut b = p.binner(&d.grid);
    b.push_points(&d.lons[half..], &d.lats[half..], &d.values[half..])
        .unwrap();
    a.merge(&b).unwrap();
    let merged = a.finish();
    assert_eq!(merged.counts, whole.counts);
    assert_eq!(merged.histogram_counts, whole.histogram_counts);
    assert_eq!(merged.report, whole.report);
    for i in 0..whole.counts.len() {
        let (m, w) = (&merged.moments[i], &whole.moments[i]);
        for (x, y) in [
            (m.mean(), w.mean()),
            (m.std(), w.std()),
            (m.skewness(), w.skewness()),
            (m.kurtosis(), w.kurtosis()),
        ] {
            assert!(close(x, y, 1e-12), "cell {i}: {x} vs {y}");
        }
    }
    // A binner of another grid cannot be merged.
    let other = Grid::from_edges(vec![0.0, 1.0], vec![0.0, 1.0]).unwrap();
    let mut c = p.binner(&other);
    assert!(c.merge(&b).is_err());
}
