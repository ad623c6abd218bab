//! Rival models fitted to the same observations, and the choice between
//! them by AIC / AICc / BIC.
//!
//! * Sinusoid (Li et al. 2015; Daout et al. 2017):
//!   D = c + v·t + a·cos 2πt + b·sin 2πt, t in years from 1 January of the
//!   first date's year. Amplitude A = √(a² + b²) (half the peak-to-peak
//!   range) and the day of year of maximum subsidence (the minimum of the
//!   seasonal term, 2πt = atan2(b, a) + π), both with σ propagated to first
//!   order from the covariance of (a, b).
//! * Plain Stefan (Liu et al. 2010): D = v·(t − t_ref) + d·(Ŝ(τ) − Ŝ(τ_ref))
//!   with Ŝ = −√ADDT normalised like the PECM index ([`StefanIndex`]): no
//!   freeze term, the seasonal subsidence is held through winter and
//!   restarts at each thaw onset.
//!
//! All three models use the same dates (the reference date excluded) and
//! weights, so their criteria are comparable.

use std::f64::consts::PI;

use chrono::NaiveDate;

use crate::basis::{Bases, StefanIndex};
use crate::error::{Error, Result};
use crate::fit::{check_series, fitted_and_residuals, series_design, PecmFit};
use crate::forcing::Forcing;
use crate::lsq::{solve, Design, MAX_P};
use crate::model::{Criterion, Pecm};
use crate::time::{day, years_since_first_january, DAYS_PER_YEAR};
use crate::uncertainty::{estimates, Covariance, Estimate, FitStats};

/// The models this crate fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ModelKind {
    /// The piecewise elevation change model.
    Pecm,
    /// Linear trend plus an annual sinusoid.
    Sinusoid,
    /// Linear trend plus the plain Stefan √ADDT term.
    Stefan,
}

impl ModelKind {
    /// All models, in code order.
    pub const ALL: [ModelKind; 3] = [ModelKind::Pecm, ModelKind::Sinusoid, ModelKind::Stefan];

    /// A raster code: 1 PECM, 2 sinusoid, 3 Stefan (0 is left for "no
    /// model", e.g. a `NaN` pixel).
    pub fn code(self) -> u8 {
        match self {
            ModelKind::Pecm => 1,
            ModelKind::Sinusoid => 2,
            ModelKind::Stefan => 3,
        }
    }

    /// The model of a raster code.
    pub fn from_code(code: u8) -> Option<ModelKind> {
        ModelKind::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The model's name (`pecm`, `sinusoid`, `stefan`).
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Pecm => "pecm",
            ModelKind::Sinusoid => "sinusoid",
            ModelKind::Stefan => "stefan",
        }
    }
}

/// The sinusoid fitted to one pixel.
#[derive(Debug, Clone, PartialEq)]
pub struct SinusoidFit {
    /// c (m).
    pub offset: Estimate,
    /// v (m/yr).
    pub linear_rate: Estimate,
    /// a, the cosine coefficient (m).
    pub cos_coefficient: Estimate,
    /// b, the sine coefficient (m).
    pub sin_coefficient: Estimate,
    /// A = √(a² + b²) (m), σ by first-order propagation.
    pub amplitude: Estimate,
    /// Day of year of maximum subsidence, in \[1, 366.25) (1 = 1 January
    /// 00:00; fractional), σ in days by first-order propagation.
    pub subsidence_day_of_year: Estimate,
    /// Covariance of (c, v, a, b).
    pub covariance: Covariance,
    /// Goodness of fit (m).
    pub stats: FitStats,
    /// The fitted model on every date (m).
    pub fitted: Vec<f64>,
    /// Observation − model (m; `NaN` where either is missing).
    pub residuals: Vec<f64>,
}

/// The plain Stefan model fitted to one pixel.
#[derive(Debug, Clone, PartialEq)]
pub struct StefanFit {
    /// v (m/yr), linear in time.
    pub linear_rate: Estimate,
    /// d (m): the thaw subsidence of a typical cycle (Ŝ reaches −1 on
    /// average over complete cycles).
    pub seasonal_amplitude: Estimate,
    /// d/N (m per √(°C·day)), Liu et al.'s coefficient of √ADDT.
    pub seasonal_coefficient_raw: Estimate,
    /// The free offset, when [`Params::with_offset`](crate::Params::with_offset) is on.
    pub offset: Option<Estimate>,
    /// Covariance of (v, d\[, c\]).
    pub covariance: Covariance,
    /// Goodness of fit (m).
    pub stats: FitStats,
    /// The fitted model on every date (m).
    pub fitted: Vec<f64>,
    /// Observation − model (m).
    pub residuals: Vec<f64>,
}

/// The three models fitted to one pixel and the preferred one.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The PECM fit.
    pub pecm: PecmFit,
    /// The sinusoid (`None` when it cannot be fitted, e.g. fewer than four
    /// usable dates).
    pub sinusoid: Option<SinusoidFit>,
    /// The plain Stefan model (`None` when it cannot be fitted).
    pub stefan: Option<StefanFit>,
}

impl Comparison {
    /// The statistics of each fitted model.
    pub fn stats(&self) -> Vec<(ModelKind, FitStats)> {
        let mut out = vec![(ModelKind::Pecm, self.pecm.stats)];
        if let Some(s) = &self.sinusoid {
            out.push((ModelKind::Sinusoid, s.stats));
        }
        if let Some(s) = &self.stefan {
            out.push((ModelKind::Stefan, s.stats));
        }
        out
    }

    /// The model with the lowest criterion (ties and `NaN`s: the first in
    /// the order PECM, sinusoid, Stefan).
    pub fn preferred(&self, criterion: Criterion) -> ModelKind {
        preferred(&self.stats(), criterion)
    }
}

pub(crate) fn preferred(stats: &[(ModelKind, FitStats)], criterion: Criterion) -> ModelKind {
    let mut best = (ModelKind::Pecm, f64::NAN);
    for (kind, s) in stats {
        let v = s.criterion(criterion);
        if !v.is_nan() && (best.1.is_nan() || v < best.1) {
            best = (*kind, v);
        }
    }
    best.0
}

/// Amplitude and day of year of maximum subsidence from (a, b) and their
/// covariance.
pub(crate) fn amplitude_phase(
    a: f64,
    b: f64,
    vaa: f64,
    vbb: f64,
    vab: f64,
) -> (Estimate, Estimate) {
    let amp = a.hypot(b);
    let amp_var = (a * a * vaa + b * b * vbb + 2.0 * a * b * vab) / (amp * amp);
    let phi = b.atan2(a);
    let frac = ((phi + PI) / (2.0 * PI)).rem_euclid(1.0);
    let phi_var = (b * b * vaa + a * a * vbb - 2.0 * a * b * vab) / amp.powi(4);
    let days = DAYS_PER_YEAR / (2.0 * PI);
    (
        Estimate {
            value: amp,
            sigma: amp_var.sqrt(),
        },
        Estimate {
            value: 1.0 + frac * DAYS_PER_YEAR,
            sigma: days * phi_var.sqrt(),
        },
    )
}

impl Pecm {
    pub(crate) fn sinusoid_design(dates: &[NaiveDate]) -> Design {
        let t = years_since_first_january(dates);
        let rows = t
            .iter()
            .map(|&t| {
                let w = 2.0 * PI * t;
                [1.0, t, w.cos(), w.sin()]
            })
            .collect();
        Design::new(
            "sinusoid",
            &[
                "offset",
                "linear_rate",
                "cos_coefficient",
                "sin_coefficient",
            ],
            rows,
        )
    }

    /// Fits the sinusoid to a displacement series on `dates` (same
    /// conventions as [`Pecm::fit_timeseries`]: the reference date is not an
    /// observation).
    ///
    /// # Errors
    /// As [`Pecm::fit_timeseries`], and [`Error::NotIncreasing`] for dates
    /// out of order.
    pub fn fit_sinusoid(
        &self,
        dates: &[NaiveDate],
        displacement: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<SinusoidFit> {
        crate::time::check_increasing("dates", dates)?;
        check_series("displacement", displacement, weights, "dates", dates.len())?;
        let reference = self.reference_index(dates)?;
        let design = Self::sinusoid_design(dates);
        let s = solve(&design, displacement, weights, Some(reference))?;
        let stats = FitStats::from_solution(&s);
        let est = estimates(&s, stats.sigma2);
        let cov = Covariance::from_solution(&s, &design.names, stats.sigma2);
        let (amplitude, doy) = amplitude_phase(
            est[2].value,
            est[3].value,
            cov.get(2, 2),
            cov.get(3, 3),
            cov.get(2, 3),
        );
        let (fitted, residuals) = fitted_and_residuals(&design, &s, displacement);
        Ok(SinusoidFit {
            offset: est[0],
            linear_rate: est[1],
            cos_coefficient: est[2],
            sin_coefficient: est[3],
            amplitude,
            subsidence_day_of_year: doy,
            covariance: cov,
            stats,
            fitted,
            residuals,
        })
    }

    pub(crate) fn stefan_design(&self, bases: &Bases, reference: usize) -> Result<Design> {
        let offset = self.params().offset();
        let s = bases.seasonal();
        if !offset && !s[reference].is_finite() {
            return Err(Error::ReferenceUndefined {
                date: bases.dates()[reference],
            });
        }
        let d0 = bases.dates().first().map_or(0, |d| day(*d));
        let columns: Vec<[f64; MAX_P]> = bases
            .dates()
            .iter()
            .zip(s)
            .map(|(d, &s)| [(day(*d) - d0) as f64 / DAYS_PER_YEAR, s, 0.0, 0.0])
            .collect();
        let names: &[&'static str] = if offset {
            &["linear_rate", "seasonal_amplitude", "offset"]
        } else {
            &["linear_rate", "seasonal_amplitude"]
        };
        Ok(series_design("stefan", names, &columns, reference, offset))
    }

    /// Fits the plain Stefan model with bases built by
    /// `pecm.bases_with(&StefanIndex, ..)`.
    ///
    /// # Errors
    /// As [`Pecm::fit_timeseries`].
    pub fn fit_stefan(
        &self,
        stefan_bases: &Bases,
        displacement: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<StefanFit> {
        let n = stefan_bases.dates().len();
        check_series("displacement", displacement, weights, "dates", n)?;
        let reference = self.reference_index(stefan_bases.dates())?;
        let design = self.stefan_design(stefan_bases, reference)?;
        let s = solve(&design, displacement, weights, Some(reference))?;
        let stats = FitStats::from_solution(&s);
        let est = estimates(&s, stats.sigma2);
        let (fitted, residuals) = fitted_and_residuals(&design, &s, displacement);
        Ok(StefanFit {
            linear_rate: est[0],
            seasonal_amplitude: est[1],
            seasonal_coefficient_raw: est[1].scaled(1.0 / stefan_bases.normaliser()),
            offset: self.params().offset().then_some(est[2]),
            covariance: Covariance::from_solution(&s, &design.names, stats.sigma2),
            stats,
            fitted,
            residuals,
        })
    }

    /// Fits the PECM, the sinusoid and the plain Stefan model to the same
    /// pixel. A rival that cannot be fitted is `None`; a PECM failure is an
    /// error.
    ///
    /// # Errors
    /// Those of [`Pecm::bases`] and [`Pecm::fit_timeseries`].
    pub fn compare(
        &self,
        forcing: &Forcing,
        dates: &[NaiveDate],
        r0: f64,
        displacement: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<Comparison> {
        let bases = self.bases(forcing, dates, r0)?;
        let stefan = self.bases_with(&StefanIndex, forcing, dates, r0).ok();
        self.compare_bases(&bases, stefan.as_ref(), displacement, weights)
    }

    /// As [`Pecm::compare`] with bases built beforehand (`stefan_bases` from
    /// [`StefanIndex`]; `None` skips the Stefan model).
    ///
    /// # Errors
    /// Those of [`Pecm::fit_timeseries`].
    pub fn compare_bases(
        &self,
        bases: &Bases,
        stefan_bases: Option<&Bases>,
        displacement: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<Comparison> {
        let pecm = self.fit_timeseries(bases, displacement, weights)?;
        let sinusoid = self.fit_sinusoid(bases.dates(), displacement, weights).ok();
        let stefan = stefan_bases.and_then(|b| self.fit_stefan(b, displacement, weights).ok());
        Ok(Comparison {
            pecm,
            sinusoid,
            stefan,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phase_of_a_pure_cosine() {
        // D = −cos(2π(t − 0.5)): minimum at t = 0.5 → day 1 + 182.625.
        let (a, b) = (-(2.0 * PI * 0.5).cos(), -(2.0 * PI * 0.5).sin());
        let (amp, doy) = amplitude_phase(a, b, 1e-6, 1e-6, 0.0);
        assert!((amp.value - 1.0).abs() < 1e-12);
        assert!(
            (doy.value - (1.0 + 0.5 * DAYS_PER_YEAR)).abs() < 1e-9,
            "{}",
            doy.value
        );
        // σ_A = σ_a for uncorrelated equal variances; σ_φ = σ/A.
        assert!((amp.sigma - 1e-3).abs() < 1e-12);
        assert!((doy.sigma - DAYS_PER_YEAR / (2.0 * PI) * 1e-3).abs() < 1e-9);
    }

    #[test]
    fn codes_round_trip() {
        for m in ModelKind::ALL {
            assert_eq!(ModelKind::from_code(m.code()), Some(m));
        }
        assert_eq!(ModelKind::from_code(0), None);
    }
}
