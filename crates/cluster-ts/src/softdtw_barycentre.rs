//! Soft-DTW barycentre (Cuturi & Blondel 2017): the series minimising the
//! sum of soft-DTW values to a set of series, found by L-BFGS on the
//! soft-DTW objective and its exact gradient (tslearn's
//! `softdtw_barycenter`, which calls scipy's L-BFGS-B).

use crate::lbfgs;
use crate::metrics::soft_dtw_with_gradient;

/// Outcome of [`softdtw_barycentre`].
#[derive(Debug, Clone, PartialEq)]
pub struct SoftDtwBarycentre {
    /// The barycentre (length of the initial barycentre).
    pub barycentre: Vec<f64>,
    /// Objective `Σₖ soft_dtw(b, xₖ)` at the barycentre.
    pub objective: f64,
    /// L-BFGS iterations run.
    pub iterations: usize,
}

/// Objective `Σₖ soft_dtw(z, xₖ)` and its gradient with respect to `z`.
pub fn softdtw_objective(
    z: &[f64],
    series: &[&[f64]],
    gamma: f64,
    radius: Option<usize>,
) -> (f64, Vec<f64>) {
    let mut f = 0.0;
    let mut g = vec![0.0; z.len()];
    for s in series {
        let (v, gs) = soft_dtw_with_gradient(z, s, gamma, radius);
        f += v;
        for (a, b) in g.iter_mut().zip(&gs) {
            *a += b;
        }
    }
    (f, g)
}

/// Soft-DTW barycentre of `series` from `init` with smoothing `gamma`.
///
/// `max_iter` and `tol` have tslearn's meaning (defaults there: 50 and
/// 1e-3; `TimeSeriesKMeans` passes `max_iter_barycenter`). The minimiser is
/// this crate's L-BFGS, not scipy's L-BFGS-B, so the iterates differ from
/// tslearn's, but both minimise the same objective: the tests check that
/// the objective reached is as low as tslearn's.
pub fn softdtw_barycentre(
    series: &[&[f64]],
    init: &[f64],
    gamma: f64,
    max_iter: usize,
    tol: f64,
    radius: Option<usize>,
) -> SoftDtwBarycentre {
    if series.is_empty() || max_iter == 0 {
        let objective = if series.is_empty() {
            0.0
        } else {
            softdtw_objective(init, series, gamma, radius).0
        };
        return SoftDtwBarycentre {
            barycentre: init.to_vec(),
            objective,
            iterations: 0,
        };
    }
    let r = lbfgs::minimize(
        |z| softdtw_objective(z, series, gamma, radius),
        init.to_vec(),
        max_iter,
        tol,
    );
    SoftDtwBarycentre {
        barycentre: r.x,
        objective: r.f,
        iterations: r.iterations,
    }
}
