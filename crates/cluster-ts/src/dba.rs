//! DTW barycentre averaging (DBA; Petitjean, Ketterlin & Gançarski 2011),
//! in the majorise–minimise form of tslearn's `dtw_barycenter_averaging`.

use crate::metrics::dtw_path;

/// Outcome of [`dba`].
#[derive(Debug, Clone, PartialEq)]
pub struct DbaResult {
    /// The barycentre (same length as the initial barycentre).
    pub barycentre: Vec<f64>,
    /// Mean squared DTW cost `Σ dtw(b, xₖ)² / n` of the barycentre *before*
    /// the last update (tslearn's reported loss).
    pub cost: f64,
    /// Number of DBA iterations run.
    pub iterations: usize,
}

/// DBA from a given initial barycentre.
///
/// Each iteration aligns every series to the barycentre with DTW (optional
/// Sakoe–Chiba `radius`), replaces each barycentre point by the mean of the
/// series values aligned to it, and stops after `max_iter` iterations, when
/// the cost changes by less than `tol`, or when the cost increases — the
/// rules of tslearn's `dtw_barycenter_averaging` (`max_iter` = tslearn's
/// `max_iter`, `max_iter_barycenter` in `TimeSeriesKMeans`). As in tslearn the
/// update of the last iteration is kept, so results agree with tslearn run
/// from the same initialisation.
///
/// Series may differ in length; an empty `series` returns the initial
/// barycentre unchanged.
pub fn dba(
    series: &[&[f64]],
    init: &[f64],
    max_iter: usize,
    tol: f64,
    radius: Option<usize>,
) -> DbaResult {
    let size = init.len();
    let mut bary = init.to_vec();
    let mut cost_prev = f64::INFINITY;
    let mut cost = f64::INFINITY;
    let mut iterations = 0;
    if series.is_empty() {
        return DbaResult {
            barycentre: bary,
            cost,
            iterations,
        };
    }
    for _ in 0..max_iter {
        iterations += 1;
        let mut sums = vec![0.0; size];
        let mut counts = vec![0.0; size];
        cost = 0.0;
        for s in series {
            let (d, path) = dtw_path(&bary, s, radius);
            cost += d * d;
            for (i, j) in path {
                sums[i] += s[j];
                counts[i] += 1.0;
            }
        }
        cost /= series.len() as f64;
        for ((b, s), c) in bary.iter_mut().zip(&sums).zip(&counts) {
            *b = (1.0 / c) * s;
        }
        if (cost_prev - cost).abs() < tol || cost_prev < cost {
            break;
        }
        cost_prev = cost;
    }
    DbaResult {
        barycentre: bary,
        cost,
        iterations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_series_are_their_own_barycentre() {
        let s = [0.0, 1.0, 2.0, 1.0, 0.0];
        let r = dba(&[&s, &s, &s], &[0.5; 5], 30, 1e-5, None);
        let again = dba(&[&s, &s, &s], &r.barycentre, 30, 1e-5, None);
        assert!(again.cost < 1e-20, "{:?}", again);
    }

    #[test]
    fn cost_does_not_increase() {
        let a = [0.0, 0.0, 1.0, 2.0, 1.0, 0.0];
        let b = [0.0, 1.0, 2.0, 1.0, 0.0, 0.0];
        let c = [0.0, 0.5, 1.5, 2.5, 1.0, 0.2];
        let mut init = vec![0.3; 6];
        let mut last = f64::INFINITY;
        for _ in 0..5 {
            let r = dba(&[&a, &b, &c], &init, 1, 0.0, None);
            assert!(r.cost <= last + 1e-12);
            last = r.cost;
            init = r.barycentre;
        }
    }
}
