//! Uncertainties and goodness of fit: Cov = σ̂²·(AᵀWA)⁻¹ with
//! σ̂² = WRSS/(n − p), residual RMS, R², AIC/AICc/BIC.

use crate::lsq::{Solution, MAX_P};
use crate::model::Criterion;

/// An estimated quantity with its standard deviation (1σ).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The value.
    pub value: f64,
    /// Its standard deviation σ (`NaN` when n = p, i.e. no degrees of
    /// freedom are left).
    pub sigma: f64,
}

impl Estimate {
    /// An estimate of `NaN` with `NaN` σ.
    pub const NAN: Estimate = Estimate {
        value: f64::NAN,
        sigma: f64::NAN,
    };

    /// Whether `truth` lies within `k`σ of the value.
    pub fn within(&self, truth: f64, k: f64) -> bool {
        (self.value - truth).abs() <= k * self.sigma
    }

    /// The estimate scaled by a constant factor (σ scales by its modulus).
    pub fn scaled(&self, factor: f64) -> Estimate {
        Estimate {
            value: self.value * factor,
            sigma: self.sigma * factor.abs(),
        }
    }
}

/// A covariance matrix of named parameters, σ̂²·(AᵀWA)⁻¹.
#[derive(Debug, Clone, PartialEq)]
pub struct Covariance {
    names: Vec<&'static str>,
    matrix: Vec<f64>,
}

impl Covariance {
    pub(crate) fn from_solution(s: &Solution, names: &[&'static str], sigma2: f64) -> Self {
        let p = s.p;
        let mut matrix = Vec::with_capacity(p * p);
        for i in 0..p {
            for j in 0..p {
                matrix.push(sigma2 * s.cov_unscaled[i][j]);
            }
        }
        Covariance {
            names: names[..p].to_vec(),
            matrix,
        }
    }

    /// The parameter names, in matrix order.
    pub fn names(&self) -> &[&'static str] {
        &self.names
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Element (i, j).
    ///
    /// # Panics
    /// When `i` or `j` is not below [`len`](Covariance::len).
    pub fn get(&self, i: usize, j: usize) -> f64 {
        let p = self.names.len();
        assert!(i < p && j < p, "covariance index ({i}, {j}) out of {p}×{p}");
        self.matrix[i * p + j]
    }

    /// Element by parameter names, if both exist.
    pub fn by_name(&self, a: &str, b: &str) -> Option<f64> {
        let i = self.names.iter().position(|n| *n == a)?;
        let j = self.names.iter().position(|n| *n == b)?;
        Some(self.get(i, j))
    }

    /// The correlation coefficient of parameters i and j.
    pub fn correlation(&self, i: usize, j: usize) -> f64 {
        self.get(i, j) / (self.get(i, i) * self.get(j, j)).sqrt()
    }
}

/// Goodness of fit of one weighted least-squares fit.
///
/// With n used observations, p parameters, weights w and residuals r:
/// WRSS = Σ w r², σ̂² = WRSS/(n − p) (`NaN` when n = p), residual RMS =
/// √(Σ r²/n) (unweighted, in the data's unit), R² = 1 − WRSS/Σ w (y − ȳ_w)²
/// (centred on the weighted mean ȳ_w, so it can be negative for a model
/// without intercept), and with k = p + 1 (the noise variance counts):
/// AIC = n·ln(WRSS/n) + 2k, AICc = AIC + 2k(k + 1)/(n − k − 1)
/// (`NaN` when n ≤ k + 1), BIC = n·ln(WRSS/n) + k·ln n. The criteria
/// drop the constants common to all models fitted to the same
/// observations with the same weights; only their differences matter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitStats {
    /// Observations used.
    pub n_obs: usize,
    /// Parameters fitted.
    pub n_params: usize,
    /// Degrees of freedom n − p.
    pub dof: usize,
    /// Weighted residual sum of squares.
    pub wrss: f64,
    /// σ̂² = WRSS/(n − p), the variance of unit weight.
    pub sigma2: f64,
    /// Unweighted residual RMS over the used observations.
    pub residual_rms: f64,
    /// Coefficient of determination (weighted, centred).
    pub r2: f64,
    /// Akaike information criterion.
    pub aic: f64,
    /// AIC with the small-sample correction.
    pub aicc: f64,
    /// Bayesian information criterion.
    pub bic: f64,
}

impl FitStats {
    pub(crate) fn from_solution(s: &Solution) -> Self {
        let n = s.n as f64;
        let p = s.p;
        let dof = s.n - p;
        let sigma2 = if dof > 0 {
            s.wrss / dof as f64
        } else {
            f64::NAN
        };
        let k = (p + 1) as f64;
        let ll = n * (s.wrss / n).ln();
        let aic = ll + 2.0 * k;
        let aicc = if n - k - 1.0 > 0.0 {
            aic + 2.0 * k * (k + 1.0) / (n - k - 1.0)
        } else {
            f64::NAN
        };
        FitStats {
            n_obs: s.n,
            n_params: p,
            dof,
            wrss: s.wrss,
            sigma2,
            residual_rms: (s.rss / n).sqrt(),
            r2: if s.wtss > 0.0 {
                1.0 - s.wrss / s.wtss
            } else {
                f64::NAN
            },
            aic,
            aicc,
            bic: ll + k * n.ln(),
        }
    }

    /// The value of a criterion.
    pub fn criterion(&self, criterion: Criterion) -> f64 {
        match criterion {
            Criterion::Aic => self.aic,
            Criterion::Aicc => self.aicc,
            Criterion::Bic => self.bic,
        }
    }
}

/// Estimates of all parameters of a solution.
pub(crate) fn estimates(s: &Solution, sigma2: f64) -> [Estimate; MAX_P] {
    std::array::from_fn(|j| {
        if j < s.p {
            Estimate {
                value: s.coef[j],
                sigma: (sigma2 * s.cov_unscaled[j][j]).sqrt(),
            }
        } else {
            Estimate::NAN
        }
    })
}
