//! Synthetic networks and stacks with known truth, shared by the tests.
#![allow(dead_code)]

use std::f64::consts::PI;

use chrono::{Datelike, Duration, NaiveDate};
use insar_sbas::{phase_to_displacement, Network, NetworkParams};
use ndarray::{Array2, Array3};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Sentinel-1 C band, m.
pub const WAVELENGTH: f64 = 0.055_465_76;

/// `n` dates every `step` days from 2017-01-03.
pub fn regular_dates(n: usize, step: i64) -> Vec<NaiveDate> {
    let t0 = NaiveDate::from_ymd_opt(2017, 1, 3).expect("date");
    (0..n)
        .map(|i| t0 + Duration::days(step * i as i64))
        .collect()
}

/// The default network rule on `dates`.
pub fn default_network(dates: &[NaiveDate]) -> Network {
    NetworkParams::new()
        .build()
        .expect("defaults")
        .select(dates, None)
        .expect("selection")
        .network
}

/// A standard normal draw (Box–Muller).
pub fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = rng.random::<f64>().max(1e-300);
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (2.0 * PI * v).cos()
}

/// A stack with planted velocity and seasonal displacement.
pub struct Synthetic {
    pub network: Network,
    /// Displacement (m) relative to the first date, (date, row, col).
    pub displacement: Array3<f64>,
    /// Unwrapped phase (rad), (ifg, row, col).
    pub phase: Array3<f64>,
    /// Coherence, (ifg, row, col).
    pub coherence: Array3<f64>,
    /// Cycles of unwrapping error added, (ifg, row, col).
    pub cycles: Array3<i32>,
}

/// Velocity −10 … −40 mm/yr and seasonal amplitude 3 … 15 mm varying over
/// the raster; phase noise of `noise_rad` (scaled up where coherence is
/// low); at every pixel, round(`unwrap_fraction`·M) interferograms chosen
/// at random carry ±1 cycle.
pub fn synthetic(
    network: Network,
    rows: usize,
    cols: usize,
    noise_rad: f64,
    unwrap_fraction: f64,
    seed: u64,
) -> Synthetic {
    synthetic_with_sign(network, rows, cols, noise_rad, unwrap_fraction, None, seed)
}

/// As [`synthetic`], with every unwrapping error of `sign` cycles (±1) when
/// given (random signs otherwise).
pub fn synthetic_with_sign(
    network: Network,
    rows: usize,
    cols: usize,
    noise_rad: f64,
    unwrap_fraction: f64,
    sign: Option<i32>,
    seed: u64,
) -> Synthetic {
    synthetic_full(
        network,
        rows,
        cols,
        noise_rad,
        unwrap_fraction,
        sign,
        |_, _| true,
        seed,
    )
}

/// As [`synthetic_with_sign`], with unwrapping errors only in the pairs
/// (reference, secondary date) where `prone` is true.
#[allow(clippy::too_many_arguments)]
pub fn synthetic_full(
    network: Network,
    rows: usize,
    cols: usize,
    noise_rad: f64,
    unwrap_fraction: f64,
    sign: Option<i32>,
    prone: impl Fn(NaiveDate, NaiveDate) -> bool,
    seed: u64,
) -> Synthetic {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let dates = network.dates().to_vec();
    let t = network.years();
    let velocity = Array2::from_shape_fn((rows, cols), |(r, c)| {
        -0.010 - 0.030 * (r * cols + c) as f64 / (rows * cols).max(1) as f64
    });
    let amplitude = Array2::from_shape_fn((rows, cols), |(r, c)| {
        0.003 + 0.012 * ((r + 2 * c) % 7) as f64 / 6.0
    });
    let seasonal = |d: NaiveDate| -(2.0 * PI * (f64::from(d.ordinal()) - 250.0) / 365.25).cos();
    let s0 = seasonal(dates[0]);
    let displacement = Array3::from_shape_fn((dates.len(), rows, cols), |(k, r, c)| {
        velocity[[r, c]] * t[k] + amplitude[[r, c]] * (seasonal(dates[k]) - s0)
    });
    let to_phase = 1.0 / phase_to_displacement(WAVELENGTH);
    let m = network.n_pairs();
    let mut phase = Array3::zeros((m, rows, cols));
    let mut coherence = Array3::zeros((m, rows, cols));
    let mut cycles = Array3::<i32>::zeros((m, rows, cols));
    let n_bad = (unwrap_fraction * m as f64).round() as usize;
    let prone_pair: Vec<bool> = network
        .date_pairs()
        .iter()
        .map(|&(a, b)| prone(a, b))
        .collect();
    assert!(prone_pair.iter().filter(|&&p| p).count() >= n_bad);
    for r in 0..rows {
        for c in 0..cols {
            let mut chosen = 0;
            while chosen < n_bad {
                let k = rng.random_range(0..m);
                if cycles[[k, r, c]] == 0 && prone_pair[k] {
                    cycles[[k, r, c]] =
                        sign.unwrap_or_else(|| if rng.random::<bool>() { 1 } else { -1 });
                    chosen += 1;
                }
            }
        }
    }
    for (k, p) in network.pairs().iter().enumerate() {
        let days = (dates[p.secondary] - dates[p.reference]).num_days().abs() as f64;
        for r in 0..rows {
            for c in 0..cols {
                let gamma = (0.9 - 0.0008 * days + 0.05 * normal(&mut rng)).clamp(0.2, 0.98);
                let sigma = noise_rad * (0.9 / gamma);
                let mut v = to_phase
                    * (displacement[[p.secondary, r, c]] - displacement[[p.reference, r, c]])
                    + sigma * normal(&mut rng);
                v += 2.0 * PI * f64::from(cycles[[k, r, c]]);
                phase[[k, r, c]] = v;
                coherence[[k, r, c]] = gamma;
            }
        }
    }
    Synthetic {
        network,
        displacement,
        phase,
        coherence,
        cycles,
    }
}

/// RMS over all dates and pixels of `a − b` (same shape), ignoring NaN in `a`.
pub fn rms(a: &Array3<f64>, b: &Array3<f64>) -> f64 {
    let (mut s, mut n) = (0.0, 0usize);
    for (x, y) in a.iter().zip(b.iter()) {
        if x.is_finite() {
            s += (x - y) * (x - y);
            n += 1;
        }
    }
    (s / n as f64).sqrt()
}
