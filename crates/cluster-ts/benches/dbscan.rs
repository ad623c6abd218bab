//! DBSCAN on 1e5 points: planar Euclidean (k-d tree) and haversine on
//! (lon°, lat°) points, neighbourhoods in parallel.

use cluster_ts::{DbscanMetric, DbscanParams};
use criterion::{criterion_group, criterion_main, Criterion};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

const N: usize = 100_000;

/// 70 % of the points in 50 Gaussian clumps, 30 % uniform background, on a
/// 100 × 100 km square (planar km) or the matching ~1° box at 35° N.
fn scene(geographic: bool) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let centres: Vec<(f64, f64)> = (0..50)
        .map(|_| (rng.random::<f64>() * 100.0, rng.random::<f64>() * 100.0))
        .collect();
    let mut x = Array2::zeros((N, 2));
    for i in 0..N {
        let (px, py) = if rng.random::<f64>() < 0.7 {
            let c = centres[rng.random_range(0..centres.len())];
            let r = 1.5 * rng.random::<f64>().sqrt();
            let a = rng.random::<f64>() * std::f64::consts::TAU;
            (c.0 + r * a.cos(), c.1 + r * a.sin())
        } else {
            (rng.random::<f64>() * 100.0, rng.random::<f64>() * 100.0)
        };
        if geographic {
            x[[i, 0]] = 92.0 + px / (111.195 * 35f64.to_radians().cos());
            x[[i, 1]] = 35.0 + py / 111.195;
        } else {
            x[[i, 0]] = px;
            x[[i, 1]] = py;
        }
    }
    x
}

fn bench(c: &mut Criterion) {
    let planar = scene(false);
    let geo = scene(true);
    let mut g = c.benchmark_group("dbscan_1e5");
    g.sample_size(10);
    let euclid = DbscanParams::new(0.25)
        .with_min_samples(10)
        .build()
        .unwrap();
    g.bench_function("euclidean_eps0.25km", |b| {
        b.iter(|| black_box(euclid.fit(black_box(planar.view())).unwrap().n_clusters))
    });
    let hav = DbscanParams::new(0.25)
        .with_min_samples(10)
        .with_metric(DbscanMetric::HaversineKm)
        .build()
        .unwrap();
    g.bench_function("haversine_eps0.25km", |b| {
        b.iter(|| black_box(hav.fit(black_box(geo.view())).unwrap().n_clusters))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
