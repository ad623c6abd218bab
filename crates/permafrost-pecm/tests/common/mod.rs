//! Helpers shared by the integration tests: a realistic synthetic
//! temperature history, Sentinel-1-like dates, seeded Gaussian noise, and
//! the shared real-data folder.
#![allow(dead_code)]

use std::path::PathBuf;

use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A date.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Seeded standard-normal deviates (Box–Muller).
pub struct Gauss(ChaCha8Rng);

impl Gauss {
    pub fn new(seed: u64) -> Self {
        Gauss(ChaCha8Rng::seed_from_u64(seed))
    }

    pub fn next(&mut self) -> f64 {
        let u1: f64 = 1.0 - self.0.random::<f64>();
        let u2: f64 = self.0.random::<f64>();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    pub fn uniform(&mut self) -> f64 {
        self.0.random::<f64>()
    }
}

/// Daily temperature (°C) from `start` for `days` days: an annual cosine
/// (mean `mean`, amplitude `amp`, warmest near 19 July) plus AR(1) weather
/// noise (φ = 0.7, innovation σ = `noise`).
pub fn temperature(
    seed: u64,
    start: NaiveDate,
    days: usize,
    mean: f64,
    amp: f64,
    noise: f64,
) -> Vec<f64> {
    let mut g = Gauss::new(seed);
    let mut e = 0.0;
    (0..days)
        .map(|i| {
            let date = start + Days::new(i as u64);
            let doy = f64::from(chrono::Datelike::ordinal(&date));
            e = 0.7 * e + noise * g.next();
            mean + amp * (2.0 * std::f64::consts::PI * (doy - 200.0) / 365.25).cos() + e
        })
        .collect()
}

/// The default synthetic site: 2015-01-01 … 2020-12-31.
pub fn site(seed: u64) -> (NaiveDate, Vec<f64>) {
    let start = d(2015, 1, 1);
    (
        start,
        temperature(seed, start, 6 * 365 + 1, -4.0, 14.0, 2.5),
    )
}

/// Sentinel-1-like acquisitions: every 12 days from `first`, `n` dates.
pub fn sar_dates(first: NaiveDate, n: usize) -> Vec<NaiveDate> {
    (0..n).map(|i| first + Days::new(12 * i as u64)).collect()
}

/// The shared real-data folder, or `None` (with a notice) when it is absent
/// outside CI; under `CI=true` a missing folder fails.
pub fn real(rel: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/real");
    if dir.is_dir() {
        return Some(dir.join(rel));
    }
    let ci = matches!(std::env::var("CI").as_deref(), Ok("true" | "1"));
    assert!(
        !ci,
        "{} is missing: CI must have the shared sample data",
        dir.display()
    );
    eprintln!(
        "notice: {} not found, skipping a real-data test",
        dir.display()
    );
    None
}
