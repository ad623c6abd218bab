//! Points per second of the streaming binner (criterion reports the
//! throughput in elements/s): scattered points (cell lookup per point) and
//! a regular raster (lookup per row and column), 4 M points of a 10 km-like
//! grid of 40 × 40 cells with 50 histogram bins, for three chunk sizes
//! (2¹⁸ is the default).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use upscale_dist::{BinningParams, Grid};

const N: usize = 4_000_000;

fn grid() -> Grid {
    let lon: Vec<f64> = (0..=40).map(|i| -136.0 + 0.25 * i as f64).collect();
    let lat: Vec<f64> = (0..=40).map(|i| 65.0 + 0.09 * i as f64).collect();
    Grid::from_edges(lon, lat).expect("valid edges")
}

fn bench_binning(c: &mut Criterion) {
    let grid = grid();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let lons: Vec<f64> = (0..N).map(|_| rng.random_range(-136.0..-126.0)).collect();
    let lats: Vec<f64> = (0..N).map(|_| rng.random_range(65.0..68.6)).collect();
    let values: Vec<f64> = (0..N).map(|_| rng.random_range(-0.06..0.06)).collect();
    let (nrows, ncols) = (2000, N / 2000);
    let r_lons: Vec<f64> = (0..ncols)
        .map(|i| -136.0 + 10.0 * (i as f64 + 0.5) / ncols as f64)
        .collect();
    let r_lats: Vec<f64> = (0..nrows)
        .map(|i| 68.6 - 3.6 * (i as f64 + 0.5) / nrows as f64)
        .collect();
    let raster = Array2::from_shape_vec((nrows, ncols), values.clone()).expect("shape");

    let mut group = c.benchmark_group("binning");
    group.throughput(Throughput::Elements(N as u64));
    group.sample_size(10);
    for chunk in [1usize << 16, 1 << 18, 1 << 20] {
        let binning = BinningParams::new(-0.05, 0.05)
            .with_chunk_size(chunk)
            .build()
            .expect("valid parameters");
        group.bench_with_input(BenchmarkId::new("points", chunk), &chunk, |b, _| {
            b.iter(|| {
                black_box(
                    binning
                        .bin_points(&grid, &lons, &lats, &values)
                        .expect("binned"),
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("raster", chunk), &chunk, |b, _| {
            b.iter(|| {
                black_box(
                    binning
                        .bin_raster(&grid, &r_lons, &r_lats, raster.view())
                        .expect("binned"),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_binning);
criterion_main!(benches);
