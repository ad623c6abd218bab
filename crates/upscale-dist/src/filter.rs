//! The point filter of S-UPSCALE: keep values in `[min, max]`, drop values
//! with `|x| < near_zero` (zero is the fill value of the deformation
//! products).

use crate::error::{Error, Result};

/// Which values a point keeps (S-UPSCALE's `prepare_subsidence_data` mask):
/// `min ≤ x ≤ max` and not `−near_zero < x < near_zero`. `NaN` is never
/// kept. Values are compared as `f64` (an `f32` input is widened first).
///
/// | parameter | default | source |
/// |---|---|---|
/// | `min` | −0.5 (m) | S-UPSCALE `min_value` |
/// | `max` | 0.5 (m) | S-UPSCALE `max_value` |
/// | `near_zero` | 1e-5 | S-UPSCALE `near_zero_threshold` |
///
/// ```
/// use upscale_dist::PointFilter;
/// let f = PointFilter::default();
/// assert!(f.keeps(0.01) && f.keeps(-0.5) && f.keeps(0.5) && f.keeps(1e-5));
/// assert!(!f.keeps(0.0) && !f.keeps(-9e-6) && !f.keeps(0.6) && !f.keeps(f64::NAN));
/// assert!(PointFilter::new(1.0, -1.0, 1e-5).is_err());
/// # Ok::<(), upscale_dist::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointFilter {
    min: f64,
    max: f64,
    near_zero: f64,
}

impl Default for PointFilter {
    fn default() -> Self {
        PointFilter {
            min: -0.5,
            max: 0.5,
            near_zero: 1e-5,
        }
    }
}

impl PointFilter {
    /// A filter keeping `min ≤ x ≤ max` except `|x| < near_zero`.
    ///
    /// Errors: a non-finite bound, `min ≥ max`, a negative or non-finite
    /// `near_zero` (0 disables the near-zero rule).
    pub fn new(min: f64, max: f64, near_zero: f64) -> Result<Self> {
        if !min.is_finite() {
            return Err(Error::invalid_parameter(
                "filter min",
                min,
                "must be finite",
            ));
        }
        if !max.is_finite() {
            return Err(Error::invalid_parameter(
                "filter max",
                max,
                "must be finite",
            ));
        }
        if min >= max {
            return Err(Error::invalid_parameter(
                "filter max",
                max,
                format!("must be > filter min = {min}"),
            ));
        }
        if !(near_zero.is_finite() && near_zero >= 0.0) {
            return Err(Error::invalid_parameter(
                "filter near_zero",
                near_zero,
                "must be finite and ≥ 0",
            ));
        }
        Ok(PointFilter {
            min,
            max,
            near_zero,
        })
    }

    /// Lower bound (inclusive).
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Upper bound (inclusive).
    pub fn max(&self) -> f64 {
        self.max
    }

    /// Values with `|x| < near_zero` are dropped.
    pub fn near_zero(&self) -> f64 {
        self.near_zero
    }

    /// Whether the value is kept.
    #[inline]
    pub fn keeps(&self, x: f64) -> bool {
        x >= self.min && x <= self.max && !(x > -self.near_zero && x < self.near_zero)
    }

    /// The kept values and their positions, in input order (for callers that
    /// filter before binning or aggregating).
    pub fn apply(&self, values: &[f64]) -> (Vec<usize>, Vec<f64>) {
        values
            .iter()
            .enumerate()
            .filter(|(_, &v)| self.keeps(v))
            .map(|(i, &v)| (i, v))
            .unzip()
    }
}
