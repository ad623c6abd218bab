//! Pixels per second of the SBAS inversion on a synthetic stack of ~470
//! interferograms over 140 dates (12-day revisits, pairs ≤ 24 days plus
//! 355–365- and 725–735-day pairs), 32 × 32 pixels per iteration:
//!
//! * `l2_all_valid`: unweighted L2, no missing value (one shared
//!   factorisation per block);
//! * `wls_fim_nans`: `fim`-weighted L2 with 10 % of the values missing;
//! * `l1_irls`: L1 by IRLS, unweighted, with 5 % unwrapping errors.
//!
//! Criterion reports the throughput in elements (pixels) per second.

use std::f64::consts::PI;

use chrono::{Duration, NaiveDate};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use insar_sbas::{InversionParams, Network, NetworkParams, Norm, Weighting};
use ndarray::Array3;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const ROWS: usize = 32;
const COLS: usize = 32;

fn network() -> Network {
    let t0 = NaiveDate::from_ymd_opt(2017, 1, 3).expect("date");
    let dates: Vec<NaiveDate> = (0..140).map(|i| t0 + Duration::days(12 * i)).collect();
    NetworkParams::new()
        .with_max_temporal_baseline_days(24)
        .with_interannual_windows(vec![(355, 365), (725, 735)])
        .build()
        .expect("rule")
        .select(&dates, None)
        .expect("selection")
        .network
}

/// Phase and coherence of a subsiding, seasonal scene with noise.
fn stack(net: &Network, nan_fraction: f64, unwrap_fraction: f64) -> (Array3<f64>, Array3<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let t = net.years();
    let truth: Vec<f64> = t
        .iter()
        .map(|&t| 30.0 * t + 8.0 * (2.0 * PI * t).sin())
        .collect();
    let m = net.n_pairs();
    let mut phase = Array3::zeros((m, ROWS, COLS));
    let mut coh = Array3::zeros((m, ROWS, COLS));
    for (k, p) in net.pairs().iter().enumerate() {
        for r in 0..ROWS {
            for c in 0..COLS {
                let scale = 1.0 + 0.002 * (r * COLS + c) as f64;
                let mut v = scale * (truth[p.secondary] - truth[p.reference])
                    + 0.3 * (rng.random::<f64>() - 0.5);
                if rng.random::<f64>() < unwrap_fraction {
                    v += 2.0 * PI;
                }
                if rng.random::<f64>() < nan_fraction {
                    v = f64::NAN;
                }
                phase[[k, r, c]] = v;
                coh[[k, r, c]] = rng.random_range(0.2..0.95);
            }
        }
    }
    (phase, coh)
}

fn bench(c: &mut Criterion) {
    let net = network();
    let mut group = c.benchmark_group("sbas_inversion");
    group.sample_size(10);
    group.throughput(Throughput::Elements((ROWS * COLS) as u64));
    let label = format!("{}ifg_{}dates", net.n_pairs(), net.n_dates());
    let cases = [
        ("l2_all_valid", Norm::L2, Weighting::No, 0.0, 0.0),
        ("wls_fim_nans", Norm::L2, Weighting::Fisher, 0.1, 0.0),
        ("l1_irls", Norm::L1, Weighting::No, 0.0, 0.05),
    ];
    for (name, norm, weighting, nan, unw) in cases {
        let (phase, coh) = stack(&net, nan, unw);
        let inv = InversionParams::new()
            .with_norm(norm)
            .with_weighting(weighting)
            .with_looks(10.0)
            .build()
            .expect("parameters");
        group.bench_with_input(BenchmarkId::new(name, &label), &(), |b, _| {
            b.iter(|| {
                inv.invert(&net, phase.view(), Some(coh.view()))
                    .expect("inversion")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
