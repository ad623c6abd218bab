//! A manufactured InSAR scene for the hotspot workflow and the classifier:
//! three planted hotspots with distinct temporal behaviour and a
//! widespread seasonal signal on a stable, noisy background.
//!
//! The scene is a `side × side` grid with `spacing_km` spacing (planar km
//! coordinates, [`crate::Geometry::PlanarKm`]) and `n_dates` acquisitions
//! every 12 days. Displacements are in metres:
//!
//! | class | where | signal |
//! |---|---|---|
//! | 0 background | everywhere else | white noise only |
//! | 1 seasonal (widespread) | the northern 40 % of the scene | `a_s sin(2π t / 365.25 d)` |
//! | 2 hotspot A | disc r = 0.08·side·spacing at (0.2, 0.2) | linear subsidence, −40 mm/yr |
//! | 3 hotspot B | disc r = 0.1·side·spacing at (0.5, 0.25) | accelerating subsidence, −60 mm·(t/T)² |
//! | 4 hotspot C | disc r = 0.08·side·spacing at (0.8, 0.2) | uplift step of +25 mm at mid-period |
//!
//! (positions as fractions of the scene width). `a_s` is 10 mm; the noise is
//! Gaussian with `noise_m` standard deviation, seeded (ChaCha8).
//!
//! ```
//! use cluster_ts::synthetic::{hotspot_scene, SceneParams};
//! let s = hotspot_scene(&SceneParams::default());
//! assert_eq!(s.series.nrows(), 50 * 50);
//! assert_eq!(s.class.iter().filter(|&&c| c >= 2).count(), s.hotspot_sizes().iter().sum::<usize>());
//! ```

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Parameters of [`hotspot_scene`].
#[derive(Debug, Clone, PartialEq)]
pub struct SceneParams {
    /// Pixels per side (default 50).
    pub side: usize,
    /// Grid spacing, km (default 0.5).
    pub spacing_km: f64,
    /// Number of acquisitions, 12 days apart (default 30).
    pub n_dates: usize,
    /// Standard deviation of the white noise, m (default 0.002).
    pub noise_m: f64,
    /// Seed of the noise (default 1).
    pub seed: u64,
}

impl Default for SceneParams {
    fn default() -> Self {
        Self {
            side: 50,
            spacing_km: 0.5,
            n_dates: 30,
            noise_m: 0.002,
            seed: 1,
        }
    }
}

/// The scene of [`hotspot_scene`].
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Displacements, m, `(pixel, date)`; pixels row-major (`iy * side + ix`).
    pub series: Array2<f64>,
    /// Planar coordinates, km, `(pixel, 2)`.
    pub coords: Array2<f64>,
    /// Days since the first acquisition.
    pub days: Vec<f64>,
    /// Planted class per pixel: 0 background, 1 seasonal, 2–4 hotspots.
    pub class: Vec<usize>,
    /// Mean velocity per pixel, m/yr (least-squares slope of the series).
    pub velocity: Vec<f64>,
}

impl Scene {
    /// Number of pixels of each hotspot (classes 2, 3, 4).
    pub fn hotspot_sizes(&self) -> [usize; 3] {
        let mut s = [0; 3];
        for &c in &self.class {
            if c >= 2 {
                s[c - 2] += 1;
            }
        }
        s
    }
}

/// Builds the scene described in the [module documentation](self).
pub fn hotspot_scene(p: &SceneParams) -> Scene {
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let n = p.side * p.side;
    let t = p.n_dates;
    let width = p.side as f64 * p.spacing_km;
    let days: Vec<f64> = (0..t).map(|j| 12.0 * j as f64).collect();
    let total = days.last().copied().unwrap_or(0.0).max(1.0);
    let mut series = Array2::zeros((n, t));
    let mut coords = Array2::zeros((n, 2));
    let mut class = vec![0usize; n];
    let discs = [(0.2, 0.2, 0.08), (0.5, 0.25, 0.1), (0.8, 0.2, 0.08)];
    for iy in 0..p.side {
        for ix in 0..p.side {
            let i = iy * p.side + ix;
            let (x, y) = (ix as f64 * p.spacing_km, iy as f64 * p.spacing_km);
            coords[[i, 0]] = x;
            coords[[i, 1]] = y;
            let mut c = if y >= 0.6 * width { 1 } else { 0 };
            for (k, &(fx, fy, fr)) in discs.iter().enumerate() {
                let d = ((x - fx * width).powi(2) + (y - fy * width).powi(2)).sqrt();
                if d <= fr * width {
                    c = 2 + k;
                }
            }
            class[i] = c;
            for j in 0..t {
                let d = days[j];
                let signal = match c {
                    1 => 0.010 * (2.0 * std::f64::consts::PI * d / 365.25).sin(),
                    2 => -0.040 * d / 365.25,
                    3 => -0.060 * (d / total).powi(2),
                    4 if d >= total / 2.0 => 0.025,
                    _ => 0.0,
                };
                series[[i, j]] = signal + p.noise_m * normal(&mut rng);
            }
        }
    }
    let tm = days.iter().sum::<f64>() / t as f64;
    let sxx: f64 = days.iter().map(|d| (d - tm).powi(2)).sum();
    let velocity = series
        .outer_iter()
        .map(|row| {
            if sxx == 0.0 {
                return 0.0;
            }
            let sxy: f64 = row.iter().zip(&days).map(|(v, d)| v * (d - tm)).sum();
            sxy / sxx * 365.25
        })
        .collect();
    Scene {
        series,
        coords,
        days,
        class,
        velocity,
    }
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(1e-300);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}
