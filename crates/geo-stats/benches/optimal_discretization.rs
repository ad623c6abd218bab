//! Optimal discretisation of 10⁶ samples: 5 methods × classes 3–15.
//!
//! Run with `cargo bench -p geo-stats --bench optimal_discretization`.

use criterion::{criterion_group, criterion_main, Criterion};
use geo_stats::discretize::{
    optimal_discretization, DiscretizationMethod, OptimalDiscretizationParams,
};
use std::hint::black_box;

/// Deterministic test data: x log-normal-ish with a step response plus noise.
fn data(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut uniform = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut x = Vec::with_capacity(n);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let s = uniform() + uniform() + uniform() - 1.5;
        let xi = (2.0 * s).exp() * 10.0;
        let yi = if xi < 8.0 { 1.0 } else { 3.0 } + 0.1 * xi.sqrt() + (uniform() - 0.5);
        x.push(xi);
        y.push(yi);
    }
    (x, y)
}

fn bench(c: &mut Criterion) {
    let (x, y) = data(1_000_000);
    let params = OptimalDiscretizationParams::new();
    let mut group = c.benchmark_group("optimal_discretization");
    group.sample_size(10);
    group.bench_function("1e6 samples, 5 methods x 3..15 classes", |b| {
        b.iter(|| optimal_discretization(black_box(&y), black_box(&x), &params).unwrap())
    });
    let nb =
        OptimalDiscretizationParams::new().with_methods(&[DiscretizationMethod::NaturalBreaks]);
    group.bench_function("1e6 samples, natural breaks only x 3..15 classes", |b| {
        b.iter(|| optimal_discretization(black_box(&y), black_box(&x), &nb).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
