//! Daily means and degree days of one year of hourly data.
//!
//! * `daily_year_hourly_100x100`: each function separately on a 100 × 100
//!   grid (8760 × 10 000 = 8.76e7 cell·hours, 700 MB of f64).
//! * `daily_year_hourly_500x500`: the whole 500 × 500 grid for a year
//!   (2.19e9 cell·hours). As one array it would take 17.5 GB of f64, so the
//!   grid is streamed in 25 row blocks of 20 × 500 cells (700 MB each); one
//!   iteration computes daily means *and* daily degree days of every block.
//!   The same synthetic block content is reused for every block (the work
//!   does not depend on the values), so generating the input is not timed.
//!
//! Throughput is cell·hours per second (criterion's elements/s).

use std::hint::black_box;

use chrono::{NaiveDate, TimeDelta};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use era5_forcing::daily::{daily_degree_days, daily_mean, DailyParams};
use ndarray::Array3;

const N: usize = 100;
const HOURS: usize = 8760;

fn bench(c: &mut Criterion) {
    let t0 = NaiveDate::from_ymd_opt(2019, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("valid date");
    let times: Vec<_> = (0..HOURS)
        .map(|h| t0 + TimeDelta::hours(h as i64))
        .collect();
    let data = Array3::from_shape_fn((HOURS, N, N), |(h, r, c)| {
        let day = h as f64 / 24.0;
        -5.0 + 15.0 * (day / 58.1).sin()
            + 4.0 * ((h % 24) as f64 / 3.82).cos()
            + 0.01 * (r + c) as f64
    });
    let p = DailyParams::new();
    let mut g = c.benchmark_group("daily_year_hourly_100x100");
    g.sample_size(10);
    g.throughput(Throughput::Elements((HOURS * N * N) as u64));
    g.bench_function("daily_mean", |b| {
        b.iter(|| daily_mean(black_box(data.view()), &times, &p).expect("daily means"))
    });
    g.bench_function("daily_degree_days", |b| {
        b.iter(|| daily_degree_days(black_box(data.view()), &times, &p).expect("degree days"))
    });
    g.finish();
}

const BIG: usize = 500;
const BLOCK_ROWS: usize = 20;

fn bench_500(c: &mut Criterion) {
    let t0 = NaiveDate::from_ymd_opt(2019, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("valid date");
    let times: Vec<_> = (0..HOURS)
        .map(|h| t0 + TimeDelta::hours(h as i64))
        .collect();
    let block = Array3::from_shape_fn((HOURS, BLOCK_ROWS, BIG), |(h, r, c)| {
        let day = h as f64 / 24.0;
        -5.0 + 15.0 * (day / 58.1).sin()
            + 4.0 * ((h % 24) as f64 / 3.82).cos()
            + 0.01 * (r + c) as f64
    });
    let p = DailyParams::new();
    let mut g = c.benchmark_group("daily_year_hourly_500x500");
    g.sample_size(10);
    g.throughput(Throughput::Elements((HOURS * BIG * BIG) as u64));
    g.bench_function("mean_and_degree_days_25_row_blocks", |b| {
        b.iter(|| {
            let mut checksum = 0.0;
            for _ in 0..BIG / BLOCK_ROWS {
                let m = daily_mean(black_box(block.view()), &times, &p).expect("daily means");
                let d =
                    daily_degree_days(black_box(block.view()), &times, &p).expect("degree days");
                checksum += m.values[[0, 0, 0]] + d.thawing[[0, 0, 0]];
            }
            checksum
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_500);
criterion_main!(benches);
