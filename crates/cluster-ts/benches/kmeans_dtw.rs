//! k-means with the DTW / DBA pair on 1000 series × 150 dates (k = 4), and
//! the Euclidean pair on the same data for scale.

use cluster_ts::{DtwDba, Euclidean, Init, KMeansParams};
use criterion::{criterion_group, criterion_main, Criterion};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

const N: usize = 1000;
const T: usize = 150;

/// Four deformation behaviours (linear, seasonal, step, accelerating) with
/// random time shifts and noise.
fn series() -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut x = Array2::zeros((N, T));
    for i in 0..N {
        let shift = rng.random_range(0..10) as f64;
        for j in 0..T {
            let t = j as f64 - shift;
            let v = match i % 4 {
                0 => -0.2 * t,
                1 => 5.0 * (t * std::f64::consts::TAU / 30.0).sin(),
                2 => {
                    if t > 70.0 {
                        -12.0
                    } else {
                        0.0
                    }
                }
                _ => -0.002 * t * t,
            };
            x[[i, j]] = v + 0.5 * (rng.random::<f64>() - 0.5);
        }
    }
    x
}

fn bench(c: &mut Criterion) {
    let x = series();
    let mut g = c.benchmark_group("kmeans_1000x150_k4");
    g.sample_size(10);
    // Fixed work per sample: one run of k-means++ and 5 Lloyd iterations,
    // DBA limited to 10 iterations per update.
    let km = KMeansParams::new(4)
        .with_n_init(1)
        .with_max_iter(5)
        .with_tol(0.0)
        .with_init(Init::KMeansPlusPlus)
        .build()
        .unwrap();
    let dtw = DtwDba::default().with_max_iter_barycenter(10);
    g.bench_function("dtw_dba", |b| {
        b.iter(|| black_box(km.fit(black_box(x.view()), &dtw).unwrap().inertia))
    });
    let banded = dtw.with_radius(10);
    g.bench_function("dtw_dba_sakoe_chiba_10", |b| {
        b.iter(|| black_box(km.fit(black_box(x.view()), &banded).unwrap().inertia))
    });
    g.bench_function("euclidean", |b| {
        b.iter(|| black_box(km.fit(black_box(x.view()), &Euclidean).unwrap().inertia))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
