//! The PECM fit to a displacement time series: weighted least squares of
//! D(τ) = v·(L(τ) − L(τ_ref)) + d·(Î(τ) − Î(τ_ref)) per pixel.

use crate::basis::Bases;
use crate::error::{Error, Result};
use crate::lsq::{solve, Design, Solution, MAX_P};
use crate::model::Pecm;
use crate::uncertainty::{estimates, Covariance, Estimate, FitStats};

/// The PECM fitted to one pixel's displacement series.
#[derive(Debug, Clone, PartialEq)]
pub struct PecmFit {
    /// v: long-term rate, m per permafrost year (≈ m/yr); negative =
    /// subsidence.
    pub linear_rate: Estimate,
    /// d: seasonal amplitude (m), the subsidence of a typical cycle (Î
    /// reaches −1 on average over complete cycles).
    pub seasonal_amplitude: Estimate,
    /// The raw seasonal coefficient d/N in m per √(°C·day) (the coefficient
    /// of the unnormalised index I).
    pub seasonal_coefficient_raw: Estimate,
    /// The free offset c, when [`Params::with_offset`](crate::Params::with_offset) is on.
    pub offset: Option<Estimate>,
    /// Covariance σ̂²(AᵀWA)⁻¹ of (`linear_rate`, `seasonal_amplitude`\[, `offset`\]).
    pub covariance: Covariance,
    /// Goodness of fit (residuals in m).
    pub stats: FitStats,
    /// Index of the reference date.
    pub reference: usize,
    /// The fitted model on every date (m; `NaN` where the bases are `NaN`).
    pub fitted: Vec<f64>,
    /// Observation − model on every date where both are finite (m), `NaN`
    /// elsewhere.
    pub residuals: Vec<f64>,
    /// Which dates entered the fit (finite, positive weight, not the
    /// reference date).
    pub used: Vec<bool>,
}

/// Checks a series and optional weights against the number of dates.
pub(crate) fn check_series(
    input: &'static str,
    values: &[f64],
    weights: Option<&[f64]>,
    reference: &'static str,
    n: usize,
) -> Result<()> {
    if values.len() != n {
        return Err(Error::length(input, values.len(), reference, n));
    }
    if let Some(w) = weights {
        if w.len() != n {
            return Err(Error::length("weights", w.len(), reference, n));
        }
    }
    Ok(())
}

/// A time-series design from per-date columns: anchored at the reference
/// row (columns minus their reference value) unless `offset`, which adds a
/// column of ones instead.
pub(crate) fn series_design(
    model: &'static str,
    names: &[&'static str],
    columns: &[[f64; MAX_P]],
    reference: usize,
    offset: bool,
) -> Design {
    let q = names.len() - usize::from(offset);
    let base = columns[reference];
    let rows = columns
        .iter()
        .map(|c| {
            let mut row = [0.0; MAX_P];
            for j in 0..q {
                row[j] = if offset { c[j] } else { c[j] - base[j] };
            }
            if offset {
                row[q] = 1.0;
            }
            row
        })
        .collect();
    Design::new(model, names, rows)
}

/// Fitted values and residuals on every row.
pub(crate) fn fitted_and_residuals(
    design: &Design,
    s: &Solution,
    y: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    let fitted: Vec<f64> = (0..design.rows.len())
        .map(|i| design.value(i, &s.coef))
        .collect();
    let residuals = y
        .iter()
        .zip(&fitted)
        .map(|(y, f)| {
            if y.is_finite() && f.is_finite() {
                y - f
            } else {
                f64::NAN
            }
        })
        .collect();
    (fitted, residuals)
}

impl Pecm {
    pub(crate) fn pecm_design(&self, bases: &Bases, reference: usize) -> Result<Design> {
        let offset = self.params().offset();
        let (l, s) = (bases.long_term(), bases.seasonal());
        let defined = l[reference].is_finite() && s[reference].is_finite();
        if !(offset || defined) {
            return Err(Error::ReferenceUndefined {
                date: bases.dates()[reference],
            });
        }
        let columns: Vec<[f64; MAX_P]> = l.iter().zip(s).map(|(&l, &s)| [l, s, 0.0, 0.0]).collect();
        let names: &[&'static str] = if offset {
            &["linear_rate", "seasonal_amplitude", "offset"]
        } else {
            &["linear_rate", "seasonal_amplitude"]
        };
        Ok(series_design("pecm", names, &columns, reference, offset))
    }

    /// Fits the PECM to one pixel's LOS displacement series (m, one value
    /// per date of `bases`, referred to the reference date; `NaN` for
    /// missing) by weighted least squares. `weights` (optional, e.g.
    /// 1/σ² of each date; `NaN` or 0 drops a date) default to 1.
    ///
    /// The reference date's value is zero by construction (the series is
    /// referred to it) and is not counted as an observation.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`], [`Error::OutOfRange`] for negative or
    /// infinite weights, [`Error::ReferenceNotFound`],
    /// [`Error::ReferenceUndefined`], [`Error::TooFewObservations`] (fewer
    /// usable dates than parameters), [`Error::Singular`].
    pub fn fit_timeseries(
        &self,
        bases: &Bases,
        displacement: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<PecmFit> {
        let n = bases.dates().len();
        check_series("displacement", displacement, weights, "dates", n)?;
        let reference = self.reference_index(bases.dates())?;
        let design = self.pecm_design(bases, reference)?;
        let s = solve(&design, displacement, weights, Some(reference))?;
        Ok(self.pecm_fit(bases, &design, &s, displacement, reference))
    }

    pub(crate) fn pecm_fit(
        &self,
        bases: &Bases,
        design: &Design,
        s: &Solution,
        y: &[f64],
        reference: usize,
    ) -> PecmFit {
        let stats = FitStats::from_solution(s);
        let est = estimates(s, stats.sigma2);
        let (fitted, residuals) = fitted_and_residuals(design, s, y);
        PecmFit {
            linear_rate: est[0],
            seasonal_amplitude: est[1],
            seasonal_coefficient_raw: est[1].scaled(1.0 / bases.normaliser()),
            offset: self.params().offset().then_some(est[2]),
            covariance: Covariance::from_solution(s, &design.names, stats.sigma2),
            stats,
            reference,
            fitted,
            residuals,
            used: s.used.clone(),
        }
    }
}
