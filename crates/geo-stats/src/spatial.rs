//! Spatial statistics: the empirical semivariogram and covariogram binned
//! by distance (Matheron 1962; Cressie 1993, §2.4), a correlation length
//! read from the correlogram, and the standard distance of a point set
//! (the dispersion measure of S-HOTSPOT).
//!
//! For the pairs (i, j), i < j, whose distance falls in bin h:
//!
//! * semivariance γ(h) = Σ (z_i − z_j)² / (2 N_h);
//! * covariance C(h) = Σ (z_i − z̄)(z_j − z̄) / N_h, with z̄ the mean of all
//!   values;
//! * correlation ρ(h) = C(h) / s², s² the (population) variance of all
//!   values.
//!
//! Distances are Euclidean in the units of the coordinates. All pairs are
//! used unless `max_pairs` is set and smaller than n(n − 1)/2; then that
//! many pairs are drawn at random (seeded ChaCha8, with replacement), as
//! S-HOTSPOT does with random pixel pairs.
//!
//! All pairs cost O(n²) (about 10⁸ pairs per second per core); for more
//! than some 10⁴ points set `max_pairs`. Work is split into fixed chunks
//! reduced in a fixed order, so results do not depend on the thread count.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::error::{check_len, GeoStatsError, Result};

/// Parameters of [`empirical_variogram`].
///
/// | field | default |
/// |---|---|
/// | `bin_width` | (required) |
/// | `max_distance` | `None`: up to the largest pair distance |
/// | `max_pairs` | `None`: all pairs |
/// | `seed` | 0 |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VariogramParams {
    /// Width of the distance bins `[k w, (k+1) w)`.
    pub bin_width: f64,
    /// Pairs at this distance or farther are ignored.
    pub max_distance: Option<f64>,
    /// Use at most this many randomly drawn pairs.
    pub max_pairs: Option<usize>,
    /// Seed for the random pairs.
    pub seed: u64,
}

impl VariogramParams {
    /// Bins of width `bin_width`, all pairs, no distance limit.
    pub fn new(bin_width: f64) -> Self {
        Self {
            bin_width,
            max_distance: None,
            max_pairs: None,
            seed: 0,
        }
    }

    /// Ignore pairs at `max_distance` or farther.
    pub fn with_max_distance(mut self, max_distance: f64) -> Self {
        self.max_distance = Some(max_distance);
        self
    }

    /// Draw at most `max_pairs` random pairs.
    pub fn with_max_pairs(mut self, max_pairs: usize) -> Self {
        self.max_pairs = Some(max_pairs);
        self
    }

    /// Seed for the random pairs.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        if !(self.bin_width > 0.0 && self.bin_width.is_finite()) {
            return Err(GeoStatsError::invalid(
                "bin_width",
                self.bin_width,
                "must be finite and > 0",
            ));
        }
        if let Some(m) = self.max_distance {
            if m.is_nan() || m <= 0.0 {
                return Err(GeoStatsError::invalid("max_distance", m, "must be > 0"));
            }
        }
        if self.max_pairs == Some(0) {
            return Err(GeoStatsError::invalid("max_pairs", 0, "must be >= 1"));
        }
        Ok(())
    }
}

/// One distance bin.
#[derive(Debug, Clone, PartialEq)]
pub struct VariogramBin {
    /// Lower edge of the bin.
    pub lower: f64,
    /// Upper edge of the bin.
    pub upper: f64,
    /// Number of pairs.
    pub count: u64,
    /// Mean distance of the pairs (`NaN` if empty).
    pub mean_distance: f64,
    /// Semivariance γ.
    pub semivariance: f64,
    /// Covariance C.
    pub covariance: f64,
    /// Correlation ρ = C / s².
    pub correlation: f64,
}

/// An empirical variogram / covariogram.
#[derive(Debug, Clone, PartialEq)]
pub struct Variogram {
    /// Bins from distance 0 upward (empty bins included).
    pub bins: Vec<VariogramBin>,
    /// Mean of the values.
    pub mean: f64,
    /// Population variance of the values.
    pub variance: f64,
    /// Number of pairs examined.
    pub pairs: u64,
}

#[derive(Clone, Default)]
struct Acc {
    count: Vec<u64>,
    dist: Vec<f64>,
    sq: Vec<f64>,
    cov: Vec<f64>,
}

impl Acc {
    fn new(nb: usize) -> Self {
        Self {
            count: vec![0; nb],
            dist: vec![0.0; nb],
            sq: vec![0.0; nb],
            cov: vec![0.0; nb],
        }
    }

    fn add(&mut self, b: usize, d: f64, zi: f64, zj: f64, mean: f64) {
        self.count[b] += 1;
        self.dist[b] += d;
        self.sq[b] += (zi - zj) * (zi - zj);
        self.cov[b] += (zi - mean) * (zj - mean);
    }

    fn merge(mut self, o: &Acc) -> Self {
        for b in 0..self.count.len() {
            self.count[b] += o.count[b];
            self.dist[b] += o.dist[b];
            self.sq[b] += o.sq[b];
            self.cov[b] += o.cov[b];
        }
        self
    }
}

fn check_points(x: &[f64], y: &[f64], values: &[f64]) -> Result<()> {
    if x.is_empty() {
        return Err(GeoStatsError::EmptyInput { what: "x".into() });
    }
    check_len("y", x.len(), y.len())?;
    check_len("values", x.len(), values.len())?;
    for (what, v) in [("x", x), ("y", y), ("values", values)] {
        if v.iter().all(|a| a.is_nan()) {
            return Err(GeoStatsError::AllNan { what: what.into() });
        }
        if let Some((index, &value)) = v.iter().enumerate().find(|(_, a)| !a.is_finite()) {
            return Err(GeoStatsError::NonFinite {
                what: what.into(),
                index,
                value,
            });
        }
    }
    Ok(())
}

/// Empirical semivariogram, covariogram and correlogram of `values` at the
/// points (`x`, `y`).
///
/// Errors: length mismatch; non-finite input; fewer than 2 points; invalid
/// parameters.
pub fn empirical_variogram(
    x: &[f64],
    y: &[f64],
    values: &[f64],
    params: &VariogramParams,
) -> Result<Variogram> {
    params.validate()?;
    check_points(x, y, values)?;
    let n = x.len();
    if n < 2 {
        return Err(GeoStatsError::TooFewSamples {
            what: "points".into(),
            found: n,
            needed: 2,
        });
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let variance = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
    let dist = |i: usize, j: usize| ((x[i] - x[j]).powi(2) + (y[i] - y[j]).powi(2)).sqrt();
    let max_d = match params.max_distance {
        Some(m) => m,
        None => {
            let (x0, x1) = x
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                });
            let (y0, y1) = y
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                });
            // The bounding-box diagonal bounds every pair distance.
            ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt() * (1.0 + 1e-12) + params.bin_width * 1e-9
        }
    };
    let nb = ((max_d / params.bin_width).ceil() as usize).max(1);
    let bin_of = |d: f64| -> Option<usize> {
        if d >= max_d {
            return None;
        }
        let b = (d / params.bin_width).floor() as usize;
        (b < nb).then_some(b)
    };
    let total_pairs = (n as u128) * (n as u128 - 1) / 2;
    let random = matches!(params.max_pairs, Some(m) if (m as u128) < total_pairs);
    let (acc, pairs) = if random {
        let m = params.max_pairs.expect("checked");
        const CHUNK: usize = 1 << 16;
        let n_chunks = m.div_ceil(CHUNK);
        let parts: Vec<Acc> = (0..n_chunks)
            .into_par_iter()
            .map(|c| {
                let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
                rng.set_stream(c as u64);
                let mut acc = Acc::new(nb);
                let todo = CHUNK.min(m - c * CHUNK);
                for _ in 0..todo {
                    let i = rng.random_range(0..n);
                    let mut j = rng.random_range(0..n - 1);
                    if j >= i {
                        j += 1;
                    }
                    let d = dist(i, j);
                    if let Some(b) = bin_of(d) {
                        acc.add(b, d, values[i], values[j], mean);
                    }
                }
                acc
            })
            .collect();
        (parts.iter().fold(Acc::new(nb), |a, p| a.merge(p)), m as u64)
    } else {
        const ROWS: usize = 64;
        let parts: Vec<Acc> = (0..n.div_ceil(ROWS))
            .into_par_iter()
            .map(|c| {
                let mut acc = Acc::new(nb);
                for i in c * ROWS..((c + 1) * ROWS).min(n) {
                    for j in i + 1..n {
                        let d = dist(i, j);
                        if let Some(b) = bin_of(d) {
                            acc.add(b, d, values[i], values[j], mean);
                        }
                    }
                }
                acc
            })
            .collect();
        (
            parts.iter().fold(Acc::new(nb), |a, p| a.merge(p)),
            total_pairs as u64,
        )
    };
    let bins = (0..nb)
        .map(|b| {
            let c = acc.count[b];
            let cf = c as f64;
            let (md, sv, cv) = if c == 0 {
                (f64::NAN, f64::NAN, f64::NAN)
            } else {
                (acc.dist[b] / cf, acc.sq[b] / (2.0 * cf), acc.cov[b] / cf)
            };
            VariogramBin {
                lower: b as f64 * params.bin_width,
                upper: ((b + 1) as f64 * params.bin_width).min(max_d),
                count: c,
                mean_distance: md,
                semivariance: sv,
                covariance: cv,
                correlation: cv / variance,
            }
        })
        .collect();
    Ok(Variogram {
        bins,
        mean,
        variance,
        pairs,
    })
}

/// Correlation length: the distance at which the correlogram first drops
/// below `threshold` (e.g. 1/e), interpolated linearly between the mean
/// distances of consecutive non-empty bins. `None` if it never does.
pub fn correlation_length(variogram: &Variogram, threshold: f64) -> Option<f64> {
    let pts: Vec<(f64, f64)> = variogram
        .bins
        .iter()
        .filter(|b| b.count > 0 && b.correlation.is_finite())
        .map(|b| (b.mean_distance, b.correlation))
        .collect();
    let first = pts.first()?;
    if first.1 < threshold {
        return Some(first.0);
    }
    pts.windows(2).find_map(|w| {
        let ((d0, r0), (d1, r1)) = (w[0], w[1]);
        (r1 < threshold).then(|| d0 + (r0 - threshold) / (r0 - r1) * (d1 - d0))
    })
}

/// Standard distance of a point set: sqrt(Σ w[(x − x̄)² + (y − ȳ)²] / Σ w)
/// with weighted means (unit weights when `weights` is `None`).
///
/// Errors: empty or non-finite input; length mismatch; negative or all-zero
/// weights.
///
/// ```
/// use geo_stats::spatial::standard_distance;
/// let sd = standard_distance(&[0.0, 2.0, 0.0, 2.0], &[0.0, 0.0, 2.0, 2.0], None).unwrap();
/// assert!((sd - 2f64.sqrt()).abs() < 1e-15);
/// ```
pub fn standard_distance(x: &[f64], y: &[f64], weights: Option<&[f64]>) -> Result<f64> {
    let ones;
    let w = match weights {
        Some(w) => w,
        None => {
            ones = vec![1.0; x.len()];
            &ones
        }
    };
    check_points(x, y, w)?;
    if let Some((index, &value)) = w.iter().enumerate().find(|(_, v)| **v < 0.0) {
        return Err(GeoStatsError::invalid(
            "weights",
            format!("weights[{index}] = {value}"),
            "weights must be >= 0",
        ));
    }
    let sw: f64 = w.iter().sum();
    if sw.is_nan() || sw <= 0.0 {
        return Err(GeoStatsError::invalid(
            "weights",
            sw,
            "weights must not all be zero",
        ));
    }
    let mx = x.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() / sw;
    let my = y.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() / sw;
    let s: f64 = x
        .iter()
        .zip(y)
        .zip(w)
        .map(|((a, b), c)| c * ((a - mx).powi(2) + (b - my).powi(2)))
        .sum();
    Ok((s / sw).sqrt())
}
