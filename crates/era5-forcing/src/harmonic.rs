//! Gap filling of LST series by harmonic analysis (HANTS-like).
//!
//! Per pixel: least-squares fit of a mean plus annual and semi-annual
//! harmonics (the number of harmonics is a parameter),
//! y(t) ≈ a₀ + Σₖ aₖ cos(2πkt/P) + bₖ sin(2πkt/P), iteratively rejecting
//! the observations more than `reject_below` under the fit (clouds bias LST
//! low), never below `min_observations`; then gaps and rejected values are
//! replaced by the fit, valid observations kept. After Roerink, Menenti &
//! Verhoef (2000) and Xu, Shen et al. (2013).

use ndarray::{Array2, Array3, ArrayView3};
use rayon::prelude::*;

use crate::error::{Error, Result};

/// Parameters of the harmonic gap filling.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `harmonics` | 2 | annual and semi-annual |
/// | `period_days` | 365.25 | base period P, days |
/// | `reject_below` | 5.0 | reject values this far below the fit (K or °C) |
/// | `max_iterations` | 10 | rejection rounds |
/// | `min_observations` | 10 | fewest observations to fit (never rejected below) |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HarmonicParams {
    harmonics: usize,
    period_days: f64,
    reject_below: f64,
    max_iterations: usize,
    min_observations: usize,
}

impl Default for HarmonicParams {
    fn default() -> Self {
        HarmonicParams {
            harmonics: 2,
            period_days: 365.25,
            reject_below: 5.0,
            max_iterations: 10,
            min_observations: 10,
        }
    }
}

impl HarmonicParams {
    /// The defaults (see the table above).
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of harmonics (≥ 1).
    #[must_use]
    pub fn with_harmonics(mut self, n: usize) -> Self {
        self.harmonics = n;
        self
    }

    /// Base period, days (> 0).
    #[must_use]
    pub fn with_period_days(mut self, days: f64) -> Self {
        self.period_days = days;
        self
    }

    /// Rejection threshold below the fit (> 0; `f64::INFINITY` disables).
    #[must_use]
    pub fn with_reject_below(mut self, threshold: f64) -> Self {
        self.reject_below = threshold;
        self
    }

    /// Rejection rounds.
    #[must_use]
    pub fn with_max_iterations(mut self, n: usize) -> Self {
        self.max_iterations = n;
        self
    }

    /// Fewest observations for a fit (≥ 2·harmonics + 1).
    #[must_use]
    pub fn with_min_observations(mut self, n: usize) -> Self {
        self.min_observations = n;
        self
    }

    /// Validates the parameters.
    pub fn build(self) -> Result<Self> {
        if self.harmonics == 0 {
            return Err(Error::invalid_parameter(
                "harmonics",
                self.harmonics,
                "must be ≥ 1",
            ));
        }
        if !(self.period_days.is_finite() && self.period_days > 0.0) {
            return Err(Error::invalid_parameter(
                "period_days",
                self.period_days,
                "must be finite and > 0",
            ));
        }
        if self.reject_below.is_nan() || self.reject_below <= 0.0 {
            return Err(Error::invalid_parameter(
                "reject_below",
                self.reject_below,
                "must be > 0",
            ));
        }
        if self.min_observations < self.n_coefficients() {
            return Err(Error::invalid_parameter(
                "min_observations",
                self.min_observations,
                format!("must be ≥ 2·harmonics + 1 = {}", self.n_coefficients()),
            ));
        }
        Ok(self)
    }

    /// Number of coefficients, 2·harmonics + 1.
    pub fn n_coefficients(&self) -> usize {
        2 * self.harmonics + 1
    }

    /// Number of harmonics.
    pub fn harmonics(&self) -> usize {
        self.harmonics
    }

    /// Base period, days.
    pub fn period_days(&self) -> f64 {
        self.period_days
    }

    /// Rejection threshold.
    pub fn reject_below(&self) -> f64 {
        self.reject_below
    }

    /// Rejection rounds.
    pub fn max_iterations(&self) -> usize {
        self.max_iterations
    }

    /// Fewest observations for a fit.
    pub fn min_observations(&self) -> usize {
        self.min_observations
    }

    fn basis(&self, t: f64, row: &mut [f64]) {
        row[0] = 1.0;
        let w = 2.0 * std::f64::consts::PI * t / self.period_days;
        for k in 1..=self.harmonics {
            let (s, c) = (w * k as f64).sin_cos();
            row[2 * k - 1] = c;
            row[2 * k] = s;
        }
    }
}

/// The result of [`harmonic_fit`] for one series.
#[derive(Debug, Clone, PartialEq)]
pub struct HarmonicFit {
    /// a₀, then (aₖ, bₖ) for k = 1 … harmonics.
    pub coefficients: Vec<f64>,
    /// The fit at every time.
    pub fitted: Vec<f64>,
    /// Observations where kept, the fit in gaps and at rejected values.
    pub filled: Vec<f64>,
    /// Which observations were rejected as cloud-contaminated.
    pub rejected: Vec<bool>,
    /// Rejection rounds done.
    pub iterations: usize,
    /// RMS of the residuals of the kept observations.
    pub rms: f64,
}

/// Fits the harmonic model to `values` at `times_days` (days, any origin;
/// `NaN` = gap) with iterative rejection of low outliers, and fills gaps.
/// Fewer than `min_observations` valid values is an error.
pub fn harmonic_fit(
    times_days: &[f64],
    values: &[f64],
    params: &HarmonicParams,
) -> Result<HarmonicFit> {
    let p = params.build()?;
    if times_days.len() != values.len() {
        return Err(Error::shape("values", &[times_days.len()], &[values.len()]));
    }
    if let Some(i) = times_days.iter().position(|t| !t.is_finite()) {
        return Err(Error::invalid_parameter(
            "times_days",
            format!("[{i}] = {}", times_days[i]),
            "times must be finite",
        ));
    }
    fit_one(times_days, values, &p)
}

fn fit_one(t: &[f64], y: &[f64], p: &HarmonicParams) -> Result<HarmonicFit> {
    let n = t.len();
    let m = p.n_coefficients();
    let mut basis = vec![0.0; n * m];
    for (i, &ti) in t.iter().enumerate() {
        p.basis(ti, &mut basis[i * m..(i + 1) * m]);
    }
    let mut used: Vec<bool> = y.iter().map(|v| v.is_finite()).collect();
    let n_valid = used.iter().filter(|&&u| u).count();
    if n_valid < p.min_observations {
        return Err(Error::TooFewObservations {
            input: "LST series".into(),
            found: n_valid,
            needed: p.min_observations,
            index: None,
        });
    }
    let valid = used.clone();
    let mut coef = least_squares(&basis, y, &used, m)?;
    let mut iterations = 0;
    let mut n_used = n_valid;
    while iterations < p.max_iterations {
        let mut cand: Vec<(f64, usize)> = (0..n)
            .filter(|&i| used[i])
            .map(|i| (y[i] - dot(&basis[i * m..(i + 1) * m], &coef), i))
            .filter(|&(r, _)| r < -p.reject_below)
            .collect();
        let allowed = n_used - p.min_observations;
        if cand.is_empty() || allowed == 0 {
            break;
        }
        cand.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, i) in cand.iter().take(allowed) {
            used[i] = false;
            n_used -= 1;
        }
        iterations += 1;
        coef = least_squares(&basis, y, &used, m)?;
    }
    let fitted: Vec<f64> = (0..n)
        .map(|i| dot(&basis[i * m..(i + 1) * m], &coef))
        .collect();
    let filled = (0..n)
        .map(|i| if used[i] { y[i] } else { fitted[i] })
        .collect();
    let ss: f64 = (0..n)
        .filter(|&i| used[i])
        .map(|i| (y[i] - fitted[i]).powi(2))
        .sum();
    Ok(HarmonicFit {
        coefficients: coef,
        fitted,
        filled,
        rejected: valid.iter().zip(&used).map(|(&v, &u)| v && !u).collect(),
        iterations,
        rms: (ss / n_used as f64).sqrt(),
    })
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solves the normal equations of the rows in `used` by Gaussian
/// elimination with partial pivoting.
fn least_squares(basis: &[f64], y: &[f64], used: &[bool], m: usize) -> Result<Vec<f64>> {
    let mut a = vec![0.0; m * m];
    let mut b = vec![0.0; m];
    for (i, &u) in used.iter().enumerate() {
        if !u {
            continue;
        }
        let row = &basis[i * m..(i + 1) * m];
        for j in 0..m {
            b[j] += row[j] * y[i];
            for k in 0..m {
                a[j * m + k] += row[j] * row[k];
            }
        }
    }
    let scale = (0..m).map(|j| a[j * m + j]).fold(0.0, f64::max);
    for col in 0..m {
        let piv = (col..m)
            .max_by(|&r, &s| a[r * m + col].abs().total_cmp(&a[s * m + col].abs()))
            .unwrap_or(col);
        if a[piv * m + col].abs() <= 1e-10 * scale {
            return Err(Error::TooFewObservations {
                input: "LST series (observations do not constrain every harmonic: too short a time span)".into(),
                found: used.iter().filter(|&&u| u).count(),
                needed: m,
                index: None,
            });
        }
        if piv != col {
            for k in 0..m {
                a.swap(piv * m + k, col * m + k);
            }
            b.swap(piv, col);
        }
        for r in col + 1..m {
            let f = a[r * m + col] / a[col * m + col];
            for k in col..m {
                a[r * m + k] -= f * a[col * m + k];
            }
            b[r] -= f * b[col];
        }
    }
    let mut x = vec![0.0; m];
    for r in (0..m).rev() {
        let s: f64 = (r + 1..m).map(|k| a[r * m + k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r * m + r];
    }
    Ok(x)
}

/// Gap-filled series of a raster.
#[derive(Debug, Clone, PartialEq)]
pub struct GapFilledRaster {
    /// Filled values `(time, row, col)`; all `NaN` for pixels that could not
    /// be fitted (fewer than `min_observations` valid values, e.g. all-NaN).
    pub filled: Array3<f64>,
    /// The fit `(time, row, col)` (`NaN` where not fitted).
    pub fitted: Array3<f64>,
    /// Rejected observations per pixel `(row, col)`.
    pub n_rejected: Array2<usize>,
    /// Valid observations per pixel `(row, col)`.
    pub n_valid: Array2<usize>,
}

/// [`harmonic_fit`] for every pixel of values `(time, row, col)`, rows in
/// parallel (results independent of the thread count). Pixels that cannot be
/// fitted are `NaN` (see [`GapFilledRaster`]), not errors.
pub fn gap_fill_raster(
    times_days: &[f64],
    values: ArrayView3<'_, f64>,
    params: &HarmonicParams,
) -> Result<GapFilledRaster> {
    let p = params.build()?;
    let (nt, rows, cols) = values.dim();
    if nt != times_days.len() {
        return Err(Error::shape(
            "values (time, row, col)",
            &[times_days.len(), rows, cols],
            values.shape(),
        ));
    }
    type RowOut = Vec<(Option<HarmonicFit>, usize)>;
    let per_row: Vec<RowOut> = (0..rows)
        .into_par_iter()
        .map(|r| {
            (0..cols)
                .map(|c| {
                    let y: Vec<f64> = values.slice(ndarray::s![.., r, c]).to_vec();
                    let n_valid = y.iter().filter(|v| v.is_finite()).count();
                    (fit_one(times_days, &y, &p).ok(), n_valid)
                })
                .collect()
        })
        .collect();
    let mut out = GapFilledRaster {
        filled: Array3::from_elem((nt, rows, cols), f64::NAN),
        fitted: Array3::from_elem((nt, rows, cols), f64::NAN),
        n_rejected: Array2::zeros((rows, cols)),
        n_valid: Array2::zeros((rows, cols)),
    };
    for (r, row) in per_row.into_iter().enumerate() {
        for (c, (fit, n_valid)) in row.into_iter().enumerate() {
            out.n_valid[[r, c]] = n_valid;
            if let Some(f) = fit {
                out.n_rejected[[r, c]] = f.rejected.iter().filter(|&&x| x).count();
                for (t, (&a, &b)) in f.filled.iter().zip(&f.fitted).enumerate() {
                    out.filled[[t, r, c]] = a;
                    out.fitted[[t, r, c]] = b;
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_harmonic_series_is_recovered() {
        let t: Vec<f64> = (0..92).map(|k| 8.0 * k as f64 + 3.5).collect();
        let f = |t: f64| {
            let w = 2.0 * std::f64::consts::PI * t / 365.25;
            -3.0 + 12.0 * w.cos() + 4.0 * w.sin() - 2.0 * (2.0 * w).cos() + 0.5 * (2.0 * w).sin()
        };
        let y: Vec<f64> = t.iter().map(|&x| f(x)).collect();
        let fit = harmonic_fit(&t, &y, &HarmonicParams::new()).unwrap();
        let want = [-3.0, 12.0, 4.0, -2.0, 0.5];
        for (a, b) in fit.coefficients.iter().zip(want) {
            assert!((a - b).abs() < 1e-9, "{:?}", fit.coefficients);
        }
        assert_eq!(fit.iterations, 0);
    }

    #[test]
    fn too_few_observations() {
        let t: Vec<f64> = (0..20).map(f64::from).collect();
        let y = vec![f64::NAN; 20];
        assert!(matches!(
            harmonic_fit(&t, &y, &HarmonicParams::new()),
            Err(Error::TooFewObservations { found: 0, .. })
        ));
        assert!(HarmonicParams::new()
            .with_min_observations(3)
            .build()
            .is_err());
    }
}
