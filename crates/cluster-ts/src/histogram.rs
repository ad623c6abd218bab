//! Histograms of deformation values on shared bins: the "shape" distance of
//! the upscaling study and the true Wasserstein geometry through quantile
//! functions.
//!
//! A histogram is a row of densities (counts / total / bin width, as
//! `upscale-dist` writes them) over the bins of a [`HistogramBins`]. Two
//! geometries are offered:
//!
//! * **Shape distance** ([`shape_distance`], pair [`crate::Shape`]): the W1
//!   distance between the *multisets of bin heights* of two histograms —
//!   `scipy.stats.wasserstein_distance(h1, h2)` on the density values, which
//!   is what the upscaling study's code computed. It ignores where on the
//!   deformation axis the mass lies (a histogram and its mirror image are at
//!   distance 0); it is kept to reproduce the study.
//! * **Wasserstein-p over deformation values** ([`HistogramBins::quantile_function`],
//!   pair [`crate::QuantileWasserstein`]): each histogram is read as a piecewise-uniform
//!   density, its quantile function is sampled at `n_quantiles` levels
//!   `k/(n−1)`, and `Wp = (∫₀¹|Q₁ − Q₂|ᵖ)^{1/p}` (trapezoid rule). In 1-D the
//!   W2 barycentre is the mean of the quantile functions and the W1
//!   barycentre their pointwise median; [`HistogramBins::histogram_from_quantiles`]
//!   projects a barycentre back onto the bins.

use ndarray::{Array2, ArrayView2};

use crate::error::{ensure_finite1, ensure_param, Error, Result};
use crate::kmeans::pair::{QuantileWasserstein, WassersteinOrder};
use crate::kmeans::{KMeans, KMeansResult};

/// Bin edges shared by a set of histograms (strictly increasing, ≥ 2 edges).
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramBins {
    edges: Vec<f64>,
}

impl HistogramBins {
    /// Bins from explicit edges (`n_bins + 1` values, finite, strictly
    /// increasing).
    pub fn new(edges: Vec<f64>) -> Result<Self> {
        ensure_param(
            edges.len() >= 2,
            "edges",
            edges.len(),
            "need at least 2 edges",
        )?;
        ensure_finite1("edges", &edges)?;
        for (i, w) in edges.windows(2).enumerate() {
            if w[1] <= w[0] {
                return Err(Error::InvalidParameter {
                    name: "edges",
                    value: format!("{} at index {} after {}", w[1], i + 1, w[0]),
                    reason: "edges must be strictly increasing",
                });
            }
        }
        Ok(Self { edges })
    }

    /// `n_bins` equal bins over `[min, max]` (edges `min + i·(max − min)/n_bins`).
    pub fn uniform(min: f64, max: f64, n_bins: usize) -> Result<Self> {
        ensure_param(n_bins >= 1, "n_bins", n_bins, "must be ≥ 1")?;
        ensure_param(
            min.is_finite() && max.is_finite() && max > min,
            "max",
            max,
            "must be finite and greater than min",
        )?;
        let w = (max - min) / n_bins as f64;
        let mut edges: Vec<f64> = (0..=n_bins).map(|i| min + i as f64 * w).collect();
        edges[n_bins] = max;
        Self::new(edges)
    }

    /// The bin edges.
    pub fn edges(&self) -> &[f64] {
        &self.edges
    }

    /// Number of bins.
    pub fn n_bins(&self) -> usize {
        self.edges.len() - 1
    }

    /// Quantile function of a density histogram sampled at the levels
    /// `k/(n_quantiles − 1)`, `k = 0..n_quantiles`.
    ///
    /// The histogram is read as piecewise uniform within each bin, so the
    /// quantile function is piecewise linear; level 0 maps to the left edge
    /// of the first bin with mass and level 1 to the right edge of the last.
    /// Densities must be finite, non-negative and not all zero.
    pub fn quantile_function(&self, density: &[f64], n_quantiles: usize) -> Result<Vec<f64>> {
        ensure_param(n_quantiles >= 2, "n_quantiles", n_quantiles, "must be ≥ 2")?;
        if density.len() != self.n_bins() {
            return Err(Error::ShapeMismatch {
                what: "histogram",
                expected: self.n_bins(),
                found: density.len(),
            });
        }
        ensure_finite1("histogram", density)?;
        if let Some((i, &h)) = density.iter().enumerate().find(|(_, &h)| h < 0.0) {
            return Err(Error::InvalidParameter {
                name: "histogram",
                value: format!("{h} in bin {i}"),
                reason: "densities must be non-negative",
            });
        }
        let masses: Vec<f64> = density
            .iter()
            .zip(self.edges.windows(2))
            .map(|(h, e)| h * (e[1] - e[0]))
            .collect();
        let total: f64 = masses.iter().sum();
        ensure_param(
            total > 0.0,
            "histogram",
            total,
            "total mass must be positive",
        )?;
        let first = masses.iter().position(|&m| m > 0.0).unwrap_or(0);
        let last = masses.iter().rposition(|&m| m > 0.0).unwrap_or(0);
        let mut cum = Vec::with_capacity(masses.len() + 1);
        cum.push(0.0);
        let mut s = 0.0;
        for m in &masses {
            s += m / total;
            cum.push(s);
        }
        let mut out = Vec::with_capacity(n_quantiles);
        let mut bin = first;
        for k in 0..n_quantiles {
            if k == 0 {
                out.push(self.edges[first]);
                continue;
            }
            if k == n_quantiles - 1 {
                out.push(self.edges[last + 1]);
                continue;
            }
            let p = k as f64 / (n_quantiles - 1) as f64;
            while bin < last && (cum[bin + 1] < p || masses[bin] <= 0.0) {
                bin += 1;
            }
            let (lo, hi) = (self.edges[bin], self.edges[bin + 1]);
            let frac = masses[bin] / total;
            let x = if frac > 0.0 {
                lo + (p - cum[bin]) / frac * (hi - lo)
            } else {
                lo
            };
            out.push(x.clamp(lo, hi));
        }
        Ok(out)
    }

    /// Quantile functions of every row of `histograms` (`(n, n_bins)`),
    /// giving `(n, n_quantiles)`.
    pub fn quantile_functions(
        &self,
        histograms: ArrayView2<'_, f64>,
        n_quantiles: usize,
    ) -> Result<Array2<f64>> {
        if histograms.nrows() == 0 {
            return Err(Error::EmptyInput { what: "histograms" });
        }
        let mut out = Array2::zeros((histograms.nrows(), n_quantiles));
        for (i, row) in histograms.outer_iter().enumerate() {
            let q = self
                .quantile_function(&row.to_vec(), n_quantiles)
                .map_err(|e| match e {
                    Error::NonFinite {
                        what, col, value, ..
                    } => Error::NonFinite {
                        what,
                        row: i,
                        col,
                        value,
                    },
                    other => other,
                })?;
            out.row_mut(i).assign(&ndarray::ArrayView1::from(&q));
        }
        Ok(out)
    }

    /// Projects a (non-decreasing) quantile function sampled at the levels
    /// `k/(n − 1)` back onto the bins, returning densities.
    ///
    /// The quantile function is taken piecewise linear between samples; its
    /// CDF `F(x) = sup{p : Q(p) ≤ x}` is evaluated at each edge, bin masses
    /// are the differences, and mass outside the bin range is put into the
    /// end bins. For a single histogram the round trip
    /// quantile → histogram is exact up to the sampling of the levels
    /// (errors near kinks of order 1/`n_quantiles` of a bin's mass).
    pub fn histogram_from_quantiles(&self, q: &[f64]) -> Vec<f64> {
        let n = q.len();
        let cdf = |x: f64| -> f64 {
            if n < 2 {
                return if q.first().is_some_and(|&q0| x >= q0) {
                    1.0
                } else {
                    0.0
                };
            }
            if x < q[0] {
                return 0.0;
            }
            let k = q.partition_point(|&v| v <= x);
            if k >= n {
                return 1.0;
            }
            let k = k - 1;
            let h = 1.0 / (n - 1) as f64;
            let (a, b) = (q[k], q[k + 1]);
            k as f64 * h + if b > a { (x - a) / (b - a) * h } else { 0.0 }
        };
        let nb = self.n_bins();
        let mut f: Vec<f64> = self.edges.iter().map(|&e| cdf(e)).collect();
        f[0] = 0.0;
        f[nb] = 1.0;
        (0..nb)
            .map(|i| (f[i + 1] - f[i]).max(0.0) / (self.edges[i + 1] - self.edges[i]))
            .collect()
    }
}

/// Histogram clusters under the Wasserstein geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramClusters {
    /// The k-means result in quantile space (centroids are quantile
    /// functions at the levels `k/(n_quantiles − 1)`; inertia in W2² or W1).
    pub kmeans: KMeansResult,
    /// Centroids projected back onto the bins, `(k, n_bins)` densities.
    pub centroid_histograms: Array2<f64>,
}

/// k-means of density histograms (`(n, n_bins)` on `bins`) under true
/// Wasserstein-p: histograms → quantile functions (`n_quantiles` levels) →
/// k-means with [`QuantileWasserstein`] → centroids back onto the bins.
pub fn fit_histograms_wasserstein(
    histograms: ArrayView2<'_, f64>,
    bins: &HistogramBins,
    order: WassersteinOrder,
    n_quantiles: usize,
    kmeans: &KMeans,
) -> Result<HistogramClusters> {
    let q = bins.quantile_functions(histograms, n_quantiles)?;
    let res = kmeans.fit(q.view(), &QuantileWasserstein::new(order))?;
    let mut centroid_histograms = Array2::zeros((res.centroids.nrows(), bins.n_bins()));
    for (c, row) in res.centroids.outer_iter().enumerate() {
        let h = bins.histogram_from_quantiles(&row.to_vec());
        centroid_histograms
            .row_mut(c)
            .assign(&ndarray::ArrayView1::from(&h));
    }
    Ok(HistogramClusters {
        kmeans: res,
        centroid_histograms,
    })
}

/// The "shape" distance of the upscaling study: the W1 distance between the
/// multisets of bin heights of two histograms,
/// `scipy.stats.wasserstein_distance(h1, h2)`.
///
/// ```
/// use cluster_ts::histogram::shape_distance;
/// // A histogram and its mirror image have the same bin heights.
/// let d = shape_distance(&[0.1, 0.3, 0.6], &[0.6, 0.3, 0.1]).unwrap();
/// assert_eq!(d, 0.0);
/// ```
pub fn shape_distance(h1: &[f64], h2: &[f64]) -> Result<f64> {
    crate::wasserstein::wasserstein_1d(h1, h2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_of_uniform_is_linear() {
        let bins = HistogramBins::uniform(-1.0, 1.0, 4).unwrap();
        let q = bins.quantile_function(&[0.5, 0.5, 0.5, 0.5], 5).unwrap();
        for (k, v) in q.iter().enumerate() {
            assert!((v - (-1.0 + 0.5 * k as f64)).abs() < 1e-12, "{q:?}");
        }
    }

    #[test]
    fn round_trip() {
        let bins = HistogramBins::uniform(0.0, 10.0, 10).unwrap();
        let h = [0.0, 0.05, 0.1, 0.2, 0.3, 0.2, 0.1, 0.05, 0.0, 0.0];
        let q = bins.quantile_function(&h, 2001).unwrap();
        let back = bins.histogram_from_quantiles(&q);
        for (a, b) in h.iter().zip(&back) {
            assert!((a - b).abs() < 2e-3, "{back:?}");
        }
    }

    #[test]
    fn w2_of_shift_is_shift() {
        let bins = HistogramBins::uniform(0.0, 10.0, 10).unwrap();
        let h1 = [0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let h2 = [0.0, 0.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0];
        let q1 = bins.quantile_function(&h1, 101).unwrap();
        let q2 = bins.quantile_function(&h2, 101).unwrap();
        for p in [1.0, 2.0, 3.0] {
            let d = crate::wasserstein::wasserstein_quantiles(&q1, &q2, p).unwrap();
            assert!((d - 3.0).abs() < 1e-12);
        }
    }

    #[test]
    fn bad_bins_and_histograms() {
        assert!(HistogramBins::new(vec![0.0, 0.0]).is_err());
        assert!(HistogramBins::uniform(1.0, 0.0, 3).is_err());
        let bins = HistogramBins::uniform(0.0, 1.0, 2).unwrap();
        assert!(bins.quantile_function(&[0.0, 0.0], 10).is_err());
        assert!(bins.quantile_function(&[1.0], 10).is_err());
        assert!(bins.quantile_function(&[-1.0, 2.0], 10).is_err());
    }
}
