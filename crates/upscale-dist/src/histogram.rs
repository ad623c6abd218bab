//! Global histogram bins over `[min, max]`, bin for bin identical to
//! `numpy.histogram(x, bins=n, range=(min, max))`.

use crate::error::{Error, Result};

/// `n` equal bins over `[min, max]`.
///
/// * Edges are `numpy.linspace(min, max, n + 1)` to the bit:
///   `edge[i] = i·((max − min)/n) + min`, with `edge[n] = max` exactly.
/// * Value `x` falls in bin `i` when `edge[i] ≤ x < edge[i + 1]`, except the
///   last bin, which is closed: **a value equal to `max` falls in the last
///   bin**. Values outside `[min, max]` and `NaN` fall in no bin.
/// * The bin is found as numpy does: a guess `⌊(x − min)·n/(max − min)⌋`
///   corrected by one against the edges, so values on or one ulp beside an
///   edge are binned exactly like `numpy.histogram` (the answer is the bin
///   whose edges enclose `x`, whatever the rounding of the guess).
/// * Densities are `count / total / width` with the nominal width
///   `(max − min)/n` (S-UPSCALE's streaming binner). `numpy.histogram(…,
///   density=True)` divides by `numpy.diff(edges)` instead, which differs
///   in the last bits.
///
/// ```
/// use upscale_dist::HistogramBins;
/// let bins = HistogramBins::new(-0.05, 0.05, 50)?;
/// assert_eq!(bins.bin_of(-0.05), Some(0));
/// assert_eq!(bins.bin_of(0.05), Some(49)); // the last-bin rule
/// assert_eq!(bins.bin_of(0.0), Some(25));
/// assert_eq!(bins.bin_of(0.0500001), None);
/// assert!(HistogramBins::new(1.0, 1.0, 10).is_err());
/// assert!(HistogramBins::new(0.0, 1.0, 0).is_err());
/// # Ok::<(), upscale_dist::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramBins {
    min: f64,
    max: f64,
    n: usize,
    edges: Vec<f64>,
    norm: f64,
}

impl HistogramBins {
    /// `n_bins` bins over `[min, max]`.
    ///
    /// Errors: non-finite bounds, `min ≥ max`, `n_bins = 0`, or
    /// `n_bins > 2²⁴` (bins finer than that are not a histogram).
    pub fn new(min: f64, max: f64, n_bins: usize) -> Result<Self> {
        if !min.is_finite() {
            return Err(Error::invalid_parameter(
                "histogram min",
                min,
                "must be finite",
            ));
        }
        if !max.is_finite() {
            return Err(Error::invalid_parameter(
                "histogram max",
                max,
                "must be finite",
            ));
        }
        if min >= max {
            return Err(Error::invalid_parameter(
                "histogram max",
                max,
                format!("must be > histogram min = {min}"),
            ));
        }
        if !(max - min).is_finite() {
            return Err(Error::invalid_parameter(
                "histogram max",
                max,
                format!("max − min must be finite (min = {min})"),
            ));
        }
        if n_bins == 0 || n_bins > 1 << 24 {
            return Err(Error::invalid_parameter(
                "n_bins",
                n_bins,
                "must lie in [1, 2^24]",
            ));
        }
        let delta = max - min;
        let step = delta / n_bins as f64;
        let mut edges: Vec<f64> = (0..=n_bins).map(|i| i as f64 * step + min).collect();
        edges[n_bins] = max;
        if let Some(i) = (1..=n_bins).find(|&i| edges[i] <= edges[i - 1]) {
            return Err(Error::invalid_parameter(
                "n_bins",
                n_bins,
                format!(
                    "too many bins for the range [{min}, {max}]: edges {} and {i} coincide",
                    i - 1
                ),
            ));
        }
        Ok(HistogramBins {
            min,
            max,
            n: n_bins,
            edges,
            norm: n_bins as f64 / delta,
        })
    }

    /// Lower bound of the first bin.
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Upper bound of the last bin (inclusive).
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Number of bins.
    pub fn n_bins(&self) -> usize {
        self.n
    }

    /// The `n + 1` edges.
    pub fn edges(&self) -> &[f64] {
        &self.edges
    }

    /// The `n` bin centres (midpoints of the edges).
    pub fn centres(&self) -> Vec<f64> {
        self.edges.windows(2).map(|w| 0.5 * (w[0] + w[1])).collect()
    }

    /// The nominal bin width `(max − min)/n`.
    pub fn width(&self) -> f64 {
        (self.max - self.min) / self.n as f64
    }

    /// The bin of `x` (see the type's documentation), `None` outside
    /// `[min, max]` or for `NaN`.
    #[inline(always)]
    pub fn bin_of(&self, x: f64) -> Option<usize> {
        if !(x >= self.min && x <= self.max) {
            return None;
        }
        // A guess within one bin of the answer (numpy divides by the range;
        // either guess gives the same bin after the correction below, which
        // compares with the edges themselves).
        let f = (x - self.min) * self.norm;
        // 0 ≤ f ≤ n ≤ 2²⁴, so the cast through u32 is exact; x = max gives
        // f = n, clamped into the last bin.
        let mut i = (f as u32 as usize).min(self.n - 1);
        // x ≥ min = edges[0], so i > 0 when x < edges[i].
        if x < self.edges[i] {
            i -= 1;
        } else if i + 1 < self.n && x >= self.edges[i + 1] {
            i += 1;
        }
        Some(i)
    }

    /// Densities `count / total / width` of one histogram (all `NaN` when
    /// the total is zero).
    pub fn density(&self, counts: &[u64]) -> Vec<f64> {
        let total: u64 = counts.iter().sum();
        let width = self.width();
        if total == 0 {
            return vec![f64::NAN; counts.len()];
        }
        counts
            .iter()
            .map(|&c| c as f64 / total as f64 / width)
            .collect()
    }
}
