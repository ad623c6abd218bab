//! The joint fit straight from interferograms: the PECM inserted into the
//! SBAS system (the study's Eqs. 6–7),
//! φ_ifg = −(4π/λ)·(D(τ_j) − D(τ_i)) for each pair (i, j),
//! with D = v·L + d·Î. The unknowns are only v and d, so the network need
//! not be connected: every group of dates shares the same two parameters.

use crate::basis::Bases;
use crate::error::{Error, Result};
use crate::fit::fitted_and_residuals;
use crate::lsq::{solve, Design, MAX_P};
use crate::model::Pecm;
use crate::uncertainty::{estimates, Covariance, Estimate, FitStats};

/// One interferogram: indices into the dates. Its phase is
/// φ(secondary) − φ(reference) = −(4π/λ)·(D(secondary) − D(reference))
/// (MintPy's convention; the same field names as `insar-sbas`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pair {
    /// Index of the reference (usually earlier) date.
    pub reference: usize,
    /// Index of the secondary (usually later) date.
    pub secondary: usize,
}

impl Pair {
    /// A pair of date indices.
    pub fn new(reference: usize, secondary: usize) -> Self {
        Pair {
            reference,
            secondary,
        }
    }
}

/// The PECM fitted jointly to one pixel's interferograms.
#[derive(Debug, Clone, PartialEq)]
pub struct JointFit {
    /// v (m per permafrost year).
    pub linear_rate: Estimate,
    /// d, the seasonal amplitude (m).
    pub seasonal_amplitude: Estimate,
    /// d/N (m per √(°C·day)).
    pub seasonal_coefficient_raw: Estimate,
    /// Covariance of (`linear_rate`, `seasonal_amplitude`) (m², from the
    /// phase residuals).
    pub covariance: Covariance,
    /// Goodness of fit in phase (residuals in rad).
    pub stats: FitStats,
    /// The residual RMS converted to LOS displacement (m): λ/(4π)·RMS.
    pub residual_rms_m: f64,
    /// The modelled phase of every interferogram (rad).
    pub fitted: Vec<f64>,
    /// Phase − model per interferogram (rad; `NaN` where unused).
    pub residuals: Vec<f64>,
    /// Which interferograms entered the fit.
    pub used: Vec<bool>,
    /// Connected components of the network of used interferograms (1 for a
    /// connected network; the fit does not need 1).
    pub n_components: usize,
}

pub(crate) fn components(n_dates: usize, pairs: &[Pair], used: &[bool]) -> usize {
    let mut parent: Vec<usize> = (0..n_dates).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut touched = vec![false; n_dates];
    for (pair, _) in pairs.iter().zip(used).filter(|(_, u)| **u) {
        touched[pair.reference] = true;
        touched[pair.secondary] = true;
        let (a, b) = (
            find(&mut parent, pair.reference),
            find(&mut parent, pair.secondary),
        );
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    (0..n_dates)
        .filter(|&i| touched[i] && find(&mut parent, i) == i)
        .count()
}

/// Checks the pairs against the number of dates.
pub(crate) fn check_pairs(pairs: &[Pair], n_dates: usize) -> Result<()> {
    for (index, p) in pairs.iter().enumerate() {
        let problem = if p.reference >= n_dates || p.secondary >= n_dates {
            Some("date index out of range")
        } else if p.reference == p.secondary {
            Some("both dates are the same")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Error::InvalidPair {
                index,
                reference: p.reference,
                secondary: p.secondary,
                problem,
                n_dates,
            });
        }
    }
    Ok(())
}

impl Pecm {
    pub(crate) fn joint_design(&self, bases: &Bases, pairs: &[Pair]) -> Design {
        let k = -4.0 * std::f64::consts::PI / self.params().wavelength();
        let (l, s) = (bases.long_term(), bases.seasonal());
        let rows = pairs
            .iter()
            .map(|p| {
                let (i, j) = (p.reference, p.secondary);
                let mut row = [0.0; MAX_P];
                row[0] = k * (l[j] - l[i]);
                row[1] = k * (s[j] - s[i]);
                row
            })
            .collect();
        Design::new("pecm", &["linear_rate", "seasonal_amplitude"], rows)
    }

    /// Fits v and d of one pixel straight from its unwrapped interferometric
    /// phases (rad, one per pair; `NaN` for missing) by weighted least
    /// squares; `weights` (optional, e.g. from coherence; `NaN` or 0 drops an
    /// interferogram) default to 1. Works on disconnected networks. A free
    /// offset ([`Params::with_offset`](crate::Params::with_offset)) cancels
    /// in phase differences and is ignored.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`], [`Error::InvalidPair`],
    /// [`Error::OutOfRange`] for bad weights, [`Error::TooFewObservations`],
    /// [`Error::Singular`].
    pub fn fit_interferograms(
        &self,
        bases: &Bases,
        pairs: &[Pair],
        phase: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<JointFit> {
        if phase.len() != pairs.len() {
            return Err(Error::length("phase", phase.len(), "pairs", pairs.len()));
        }
        if let Some(w) = weights {
            if w.len() != pairs.len() {
                return Err(Error::length("weights", w.len(), "pairs", pairs.len()));
            }
        }
        let n_dates = bases.dates().len();
        check_pairs(pairs, n_dates)?;
        let design = self.joint_design(bases, pairs);
        let s = solve(&design, phase, weights, None)?;
        let stats = FitStats::from_solution(&s);
        let est = estimates(&s, stats.sigma2);
        let (fitted, residuals) = fitted_and_residuals(&design, &s, phase);
        Ok(JointFit {
            linear_rate: est[0],
            seasonal_amplitude: est[1],
            seasonal_coefficient_raw: est[1].scaled(1.0 / bases.normaliser()),
            covariance: Covariance::from_solution(&s, &design.names, stats.sigma2),
            residual_rms_m: stats.residual_rms * self.params().wavelength()
                / (4.0 * std::f64::consts::PI),
            stats,
            fitted,
            residuals,
            n_components: components(n_dates, pairs, &s.used),
            used: s.used,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_components() {
        let pairs = [
            Pair::new(0, 1),
            Pair::new(1, 2),
            Pair::new(3, 4),
            Pair::new(4, 5),
        ];
        assert_eq!(components(6, &pairs, &[true; 4]), 2);
        assert_eq!(components(6, &pairs, &[true, false, true, true]), 2);
        assert_eq!(components(6, &pairs, &[false, true, true, true]), 2);
    }

    #[test]
    fn rejects_bad_pairs() {
        assert!(matches!(
            check_pairs(&[Pair::new(0, 3)], 3),
            Err(Error::InvalidPair { index: 0, .. })
        ));
        assert!(check_pairs(&[Pair::new(1, 1)], 3).is_err());
    }
}
