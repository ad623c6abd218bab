//! Design matrices of the network in phase and velocity form, with MintPy's
//! conventions (`mintpy/objects/stack.py`,
//! `ifgramStack.get_design_matrix4timeseries`).
//!
//! * Unknowns are the phases of dates 1…N−1; the first date is the
//!   reference (phase 0), so its column is removed.
//! * Phase form **A** (M × (N−1)): row k has −1 at the reference date and +1
//!   at the secondary date of interferogram k (for a regular pair: −1 at the
//!   earlier, +1 at the later date), so `A·φ = Δφ_k`.
//! * Velocity form **B** (M × (N−1)): the unknowns are the mean phase
//!   velocities of the N−1 intervals between consecutive dates, in
//!   radians/year; row k holds the interval durations (years, days/365.25)
//!   spanned by the pair, with a minus sign for reversed pairs.
//!   `A = B·T⁻¹` where `T` accumulates velocity × duration into phase.

use ndarray::Array2;

use crate::network::Network;

impl Network {
    /// Phase-form design matrix A, shape (M, N − 1).
    pub fn phase_design(&self) -> Array2<f64> {
        let mut a = Array2::zeros((self.n_pairs(), self.n_dates() - 1));
        for (k, p) in self.pairs().iter().enumerate() {
            if p.reference > 0 {
                a[[k, p.reference - 1]] = -1.0;
            }
            if p.secondary > 0 {
                a[[k, p.secondary - 1]] = 1.0;
            }
        }
        a
    }

    /// Velocity-form design matrix B (interval durations in years), shape
    /// (M, N − 1).
    pub fn velocity_design(&self) -> Array2<f64> {
        let dt = self.interval_years();
        let mut b = Array2::zeros((self.n_pairs(), self.n_dates() - 1));
        for (k, p) in self.pairs().iter().enumerate() {
            let (lo, hi) = p.ordered();
            let sign = if p.reference < p.secondary { 1.0 } else { -1.0 };
            for j in lo..hi {
                b[[k, j]] = sign * dt[j];
            }
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use ndarray::{array, Array1};

    use crate::network::Network;

    fn dates() -> Vec<NaiveDate> {
        ["2017-01-01", "2017-01-13", "2017-02-06", "2017-02-18"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect()
    }

    #[test]
    fn phase_form_has_minus_one_at_reference() {
        let n = Network::new(dates(), &[(0, 1), (1, 3), (3, 2)]).unwrap();
        let a = n.phase_design();
        assert_eq!(
            a,
            array![[1.0, 0.0, 0.0], [-1.0, 0.0, 1.0], [0.0, 1.0, -1.0]]
        );
    }

    #[test]
    fn velocity_form_reproduces_phase_form() {
        let n = Network::new(dates(), &[(0, 1), (1, 3), (3, 2), (0, 2)]).unwrap();
        let (a, b) = (n.phase_design(), n.velocity_design());
        // A φ = B v when φ is the cumulative sum of v·dt.
        let v = Array1::from(vec![0.3, -1.2, 2.5]);
        let dt = n.interval_years();
        let mut phi = Array1::zeros(3);
        let mut acc = 0.0;
        for j in 0..3 {
            acc += v[j] * dt[j];
            phi[j] = acc;
        }
        let lhs = a.dot(&phi);
        let rhs = b.dot(&v);
        for (l, r) in lhs.iter().zip(rhs.iter()) {
            approx::assert_abs_diff_eq!(l, r, epsilon = 1e-12);
        }
    }
}
