//! Per-pixel PECM fit over a 500 × 500 raster of 150 Sentinel-1-like dates
//! (250 000 pixels, `f32` input as MintPy stores it), one temperature series
//! for the scene: the PECM alone and with the two rival models. Throughput
//! is reported in pixels per second. A 100 × 100 variant builds the bases
//! per pixel (an r₀ raster), which is the cost of per-pixel forcing. The
//! joint fit straight from interferograms runs on a study-sized network
//! (150 dates, 460 interferograms: the three next dates of each date plus
//! ~1-year pairs) over 100 × 100 pixels.

use chrono::{Datelike, Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ndarray::{Array2, Array3};
use permafrost_pecm::{displacement_to_phase, Forcing, OnsetParams, Pair, Params, RatioField};
use std::hint::black_box;

const DATES: usize = 150;

fn forcing() -> (Forcing, Vec<NaiveDate>) {
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let t: Vec<f64> = (0..6 * 365)
        .map(|i| {
            let doy = f64::from((start + Days::new(i as u64)).ordinal());
            let i = i as f64;
            -4.0 + 14.0 * (2.0 * std::f64::consts::PI * (doy - 200.0) / 365.25).cos()
                + 3.0 * (1.7 * i).sin() * (0.31 * i).cos()
        })
        .collect();
    let forcing = Forcing::from_daily_temperature(start, &t, &OnsetParams::new()).unwrap();
    let first = NaiveDate::from_ymd_opt(2015, 10, 3).unwrap();
    let dates = (0..DATES as u64)
        .map(|k| first + Days::new(12 * k))
        .collect();
    (forcing, dates)
}

/// A planted stack with deterministic pseudo-noise.
fn stack(forcing: &Forcing, dates: &[NaiveDate], n: usize) -> Array3<f32> {
    let pecm = Params::new().build().unwrap();
    let bases = pecm.bases(forcing, dates, 1.2).unwrap();
    let (l, s) = (bases.long_term(), bases.seasonal());
    Array3::from_shape_fn((dates.len(), n, n), |(k, r, c)| {
        let v = -0.01 * (r as f64 / n as f64);
        let d = 0.05 * (c as f64 / n as f64);
        let noise = 0.003 * ((k * 7 + r * 13 + c * 3) as f64 * 0.61).sin();
        let x = v * (l[k] - l[0]) + d * (s[k] - s[0]) + if k == 0 { 0.0 } else { noise };
        x as f32
    })
}

fn bench(c: &mut Criterion) {
    let (forcing, dates) = forcing();
    let big = stack(&forcing, &dates, 500);
    let mut g = c.benchmark_group("pecm_fit_500x500x150");
    g.sample_size(10);
    g.throughput(Throughput::Elements(500 * 500));
    let pecm_only = Params::new().with_rivals(false).build().unwrap();
    g.bench_function("pecm", |b| {
        b.iter(|| {
            pecm_only
                .fit_raster(&dates, black_box(big.view()), None, &forcing, 1.2.into())
                .unwrap()
        })
    });
    let with_rivals = Params::new().build().unwrap();
    g.bench_function("pecm_sinusoid_stefan", |b| {
        b.iter(|| {
            with_rivals
                .fit_raster(&dates, black_box(big.view()), None, &forcing, 1.2.into())
                .unwrap()
        })
    });
    g.finish();
    drop(big);

    let small = stack(&forcing, &dates, 100);
    let ratio = Array2::from_shape_fn((100, 100), |(r, c)| 0.3 + 0.01 * ((r + c) % 150) as f64);
    let mut g = c.benchmark_group("pecm_fit_100x100x150_per_pixel_bases");
    g.sample_size(10);
    g.throughput(Throughput::Elements(100 * 100));
    g.bench_function("pecm", |b| {
        b.iter(|| {
            pecm_only
                .fit_raster(
                    &dates,
                    black_box(small.view()),
                    None,
                    &forcing,
                    RatioField::from(&ratio),
                )
                .unwrap()
        })
    });
    g.finish();

    // Joint fit: 460 interferograms of the 150 dates.
    let mut pairs: Vec<Pair> = (0..DATES)
        .flat_map(|i| (i + 1..(i + 4).min(DATES)).map(move |j| Pair::new(i, j)))
        .collect();
    let mut i = 0;
    while pairs.len() < 460 {
        pairs.push(Pair::new(i, i + 30));
        i += 1;
    }
    let phase = Array3::from_shape_fn((pairs.len(), 100, 100), |(k, r, c)| {
        let p = pairs[k];
        let d = f64::from(small[[p.secondary, r, c]]) - f64::from(small[[p.reference, r, c]]);
        displacement_to_phase(d, 0.05546576) as f32
    });
    let mut g = c.benchmark_group("pecm_joint_100x100_460ifgs_150dates");
    g.sample_size(10);
    g.throughput(Throughput::Elements(100 * 100));
    g.bench_function("pecm", |b| {
        b.iter(|| {
            pecm_only
                .fit_interferograms_raster(
                    &dates,
                    &pairs,
                    black_box(phase.view()),
                    None,
                    &forcing,
                    1.2.into(),
                )
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
