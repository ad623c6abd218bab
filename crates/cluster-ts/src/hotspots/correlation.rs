//! Spatial correlation length from binned covariances of random pixel pairs
//! (S-HOTSPOT's `p04_finding_spatial_correlation_lengths`).

use ndarray::ArrayView2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::Geometry;
use crate::error::{ensure_finite2, ensure_param, Error, Result};

/// Parameters of [`covariogram`]; validated by [`CorrelationParams::check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CorrelationParams {
    /// Random pixel pairs drawn (default 200 000).
    pub n_pairs: usize,
    /// Width of the distance bins, km (default 3.0, the study's).
    pub bin_km: f64,
    /// Pairs farther apart are ignored (default `None`: all distances).
    pub max_distance_km: Option<f64>,
    /// Seed of the ChaCha8 generator that draws the pairs (default 0).
    pub seed: u64,
}

impl Default for CorrelationParams {
    fn default() -> Self {
        Self {
            n_pairs: 200_000,
            bin_km: 3.0,
            max_distance_km: None,
            seed: 0,
        }
    }
}

impl CorrelationParams {
    /// Validates the parameters.
    pub fn check(&self) -> Result<()> {
        ensure_param(self.n_pairs >= 1, "n_pairs", self.n_pairs, "must be ≥ 1")?;
        ensure_param(
            self.bin_km.is_finite() && self.bin_km > 0.0,
            "bin_km",
            self.bin_km,
            "must be finite and > 0",
        )?;
        if let Some(m) = self.max_distance_km {
            ensure_param(
                m.is_finite() && m > 0.0,
                "max_distance_km",
                m,
                "must be finite and > 0",
            )?;
        }
        Ok(())
    }
}

/// Binned covariance of pixel pairs against distance.
#[derive(Debug, Clone, PartialEq)]
pub struct Covariogram {
    /// Centre of each distance bin, km (`(b + ½)·bin_km`).
    pub bin_centres_km: Vec<f64>,
    /// Mean covariance of the pairs in each bin (NaN for empty bins).
    pub covariance: Vec<f64>,
    /// Pairs in each bin.
    pub counts: Vec<usize>,
    /// Mean over pixels of the temporal mean square of the demeaned series
    /// (the covariance at distance 0).
    pub variance: f64,
    /// Distance at which the covariance first falls to 1/e of the first
    /// non-empty bin's value, interpolated linearly between bin centres;
    /// `None` when it never does or the first bin's covariance is ≤ 0.
    pub correlation_length_km: Option<f64>,
}

/// Distance in km between two coordinate rows.
pub(crate) fn distance_km(geometry: Geometry, a: (f64, f64), b: (f64, f64)) -> f64 {
    match geometry {
        Geometry::PlanarKm => ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt(),
        Geometry::LonLatDeg => {
            let (la1, la2) = (a.1.to_radians(), b.1.to_radians());
            let s0 = (0.5 * (la1 - la2)).sin();
            let s1 = (0.5 * (a.0.to_radians() - b.0.to_radians())).sin();
            let h = (s0 * s0 + la1.cos() * la2.cos() * s1 * s1).clamp(0.0, 1.0);
            2.0 * h.sqrt().asin() * crate::dbscan::EARTH_RADIUS_KM
        }
    }
}

/// Covariogram of the displacement series `series` (`(pixel, date)`) at
/// pixel coordinates `coords` (`(pixel, 2)`, see [`Geometry`]).
///
/// Each date is demeaned over the pixels (so the covariance is spatial);
/// for a random pair (i, j), i ≠ j, drawn uniformly with the seeded
/// generator, the covariance is `(1/T) Σ_t x̃_i(t)·x̃_j(t)`; pairs are binned
/// by distance in `bin_km` bins and averaged. The spatial correlation
/// length is where the binned covariance falls to `1/e` of its first bin.
/// Results do not depend on the number of threads.
pub fn covariogram(
    series: ArrayView2<'_, f64>,
    coords: ArrayView2<'_, f64>,
    geometry: Geometry,
    params: &CorrelationParams,
) -> Result<Covariogram> {
    params.check()?;
    let (n, t) = series.dim();
    if n < 2 || t == 0 {
        return Err(Error::EmptyInput {
            what: "series (need ≥ 2 pixels and ≥ 1 date)",
        });
    }
    check_coords(coords, n)?;
    ensure_finite2("series", series)?;
    // Spatially demeaned series, row-major.
    let means: Vec<f64> = series
        .columns()
        .into_iter()
        .map(|c| c.sum() / n as f64)
        .collect();
    let mut x = Vec::with_capacity(n * t);
    for row in series.outer_iter() {
        x.extend(row.iter().zip(&means).map(|(v, m)| v - m));
    }
    let variance = x.iter().map(|v| v * v).sum::<f64>() / (n * t) as f64;
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let pairs: Vec<(usize, usize)> = (0..params.n_pairs)
        .map(|_| {
            let i = rng.random_range(0..n);
            let mut j = rng.random_range(0..n - 1);
            if j >= i {
                j += 1;
            }
            (i, j)
        })
        .collect();
    let xy = |i: usize| (coords[[i, 0]], coords[[i, 1]]);
    let values: Vec<(f64, f64)> = pairs
        .par_iter()
        .map(|&(i, j)| {
            let d = distance_km(geometry, xy(i), xy(j));
            let c = x[i * t..(i + 1) * t]
                .iter()
                .zip(&x[j * t..(j + 1) * t])
                .map(|(a, b)| a * b)
                .sum::<f64>()
                / t as f64;
            (d, c)
        })
        .collect();
    let max_d = values
        .iter()
        .map(|v| v.0)
        .filter(|&d| params.max_distance_km.is_none_or(|m| d <= m))
        .fold(0.0_f64, f64::max);
    let n_bins = (max_d / params.bin_km).floor() as usize + 1;
    let mut sums = vec![0.0; n_bins];
    let mut counts = vec![0usize; n_bins];
    for &(d, c) in &values {
        if params.max_distance_km.is_some_and(|m| d > m) {
            continue;
        }
        let b = ((d / params.bin_km).floor() as usize).min(n_bins - 1);
        sums[b] += c;
        counts[b] += 1;
    }
    let covariance: Vec<f64> = sums
        .iter()
        .zip(&counts)
        .map(|(s, &c)| if c > 0 { s / c as f64 } else { f64::NAN })
        .collect();
    let bin_centres_km: Vec<f64> = (0..n_bins)
        .map(|b| (b as f64 + 0.5) * params.bin_km)
        .collect();
    let correlation_length_km = e_folding(&bin_centres_km, &covariance);
    Ok(Covariogram {
        bin_centres_km,
        covariance,
        counts,
        variance,
        correlation_length_km,
    })
}

/// First distance where `cov` falls to `cov[first]/e` (linear interpolation
/// between consecutive non-empty bins).
pub(crate) fn e_folding(centres: &[f64], cov: &[f64]) -> Option<f64> {
    let first = cov.iter().position(|c| c.is_finite())?;
    let c0 = cov[first];
    if c0 <= 0.0 {
        return None;
    }
    let target = c0 / std::f64::consts::E;
    let mut prev = first;
    for b in first + 1..cov.len() {
        if !cov[b].is_finite() {
            continue;
        }
        if cov[b] <= target {
            let (x0, y0, x1, y1) = (centres[prev], cov[prev], centres[b], cov[b]);
            return Some(if y0 > y1 {
                x0 + (y0 - target) / (y0 - y1) * (x1 - x0)
            } else {
                x1
            });
        }
        prev = b;
    }
    None
}

pub(crate) fn check_coords(coords: ArrayView2<'_, f64>, n: usize) -> Result<()> {
    if coords.nrows() != n {
        return Err(Error::ShapeMismatch {
            what: "coords (rows)",
            expected: n,
            found: coords.nrows(),
        });
    }
    if coords.ncols() != 2 {
        return Err(Error::ShapeMismatch {
            what: "coords (columns)",
            expected: 2,
            found: coords.ncols(),
        });
    }
    ensure_finite2("coords", coords)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_folding_of_exponential() {
        let centres: Vec<f64> = (0..30).map(|b| (b as f64 + 0.5) * 3.0).collect();
        let cov: Vec<f64> = centres
            .iter()
            .map(|d| 2.0 * (-(d - 1.5) / 12.0).exp())
            .collect();
        let l = e_folding(&centres, &cov).unwrap();
        // Falls to 1/e of the first bin 12 km after the first centre.
        assert!((l - 13.5).abs() < 0.3, "{l}");
        assert_eq!(e_folding(&centres, &vec![1.0; 30]), None);
    }
}
