//! Raster throughput on a 1000 × 1000 scene (1e6 pixels): κ_t, κ_f and
//! κ_f/κ_t, serial and over rayon, and the Stefan inverse.

use criterion::{criterion_group, criterion_main, Criterion};
use ndarray::Array2;
use std::hint::black_box;
use thermo_johansen::{OnNoSolution, Params};

const N: usize = 1000;

/// A deterministic, smoothly varying scene with realistic ranges.
fn scene() -> [Array2<f64>; 4] {
    let f = |r: usize, c: usize, k: f64| ((r as f64) * 0.013 * k + (c as f64) * 0.007 / k).sin();
    [
        Array2::from_shape_fn((N, N), |(r, c)| 1300.0 + 300.0 * f(r, c, 1.0)),
        Array2::from_shape_fn((N, N), |(r, c)| 0.5 + 0.45 * f(r, c, 1.7)),
        Array2::from_shape_fn((N, N), |(r, c)| 0.25 + 0.2 * f(r, c, 2.3)),
        Array2::from_shape_fn((N, N), |(r, c)| 0.2 + 0.15 * f(r, c, 0.6)),
    ]
}

fn bench(c: &mut Criterion) {
    let [bulk, sand, theta_t, theta_f] = scene();
    let serial = Params::new().with_parallel(false).build().unwrap();
    let parallel = Params::new().with_parallel(true).build().unwrap();
    let mut g = c.benchmark_group("raster_1000x1000");
    g.sample_size(10);
    g.bench_function("conductivities_serial", |b| {
        b.iter(|| {
            serial
                .conductivities_raster(black_box(&bulk), &sand, &theta_t, &theta_f)
                .unwrap()
        })
    });
    g.bench_function("conductivities_parallel", |b| {
        b.iter(|| {
            parallel
                .conductivities_raster(black_box(&bulk), &sand, &theta_t, &theta_f)
                .unwrap()
        })
    });
    let amplitude = Array2::from_elem((N, N), 0.02);
    let inverse = Params::new()
        .with_on_no_solution(OnNoSolution::Nan)
        .build()
        .unwrap();
    g.bench_function("invert_subsidence_parallel", |b| {
        b.iter(|| {
            inverse
                .invert_subsidence_raster(black_box(&bulk), &sand, &amplitude, 1200.0)
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
