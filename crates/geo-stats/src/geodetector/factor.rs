//! Factor detector: q-statistic and its non-central F test.

use super::{Geodetector, SingletonStrata, Strata, VarianceConvention};
use crate::error::{check_len, GeoStatsError, Result};
use crate::special::beta::noncentral_f_sf;

/// Summary of one stratum.
#[derive(Debug, Clone, PartialEq)]
pub struct StratumStats {
    /// Level index in the [`Strata`].
    pub level: usize,
    /// Level label.
    pub label: String,
    /// Number of observations.
    pub count: usize,
    /// Mean of y in the stratum.
    pub mean: f64,
    /// Within-stratum sum of squares Σ (y − ȳ_h)².
    pub sum_of_squares: f64,
    /// Whether the stratum entered the statistics (false for a dropped
    /// single-observation stratum).
    pub retained: bool,
}

impl StratumStats {
    /// Sample variance (n − 1 denominator); `NaN` for a single observation.
    pub fn sample_variance(&self) -> f64 {
        if self.count < 2 {
            f64::NAN
        } else {
            self.sum_of_squares / (self.count - 1) as f64
        }
    }
}

/// Result of the factor detector.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorDetection {
    /// q = 1 − Σ_h N_h σ_h² / (N σ²) = 1 − SSW / SST.
    pub q: f64,
    /// F = (N − L)/(L − 1) · q/(1 − q).
    pub f_statistic: f64,
    /// P(F' ≥ F) for F' non-central F(L − 1, N − L; λ).
    pub p_value: f64,
    /// Non-centrality λ = [Σ ȳ_h² − (Σ √N_h ȳ_h)²/N] / σ².
    pub noncentrality: f64,
    /// L − 1.
    pub df1: f64,
    /// N − L.
    pub df2: f64,
    /// N: observations that entered the statistics.
    pub n: usize,
    /// L: strata that entered the statistics.
    pub n_strata: usize,
    /// Within-strata sum of squares SSW.
    pub ssw: f64,
    /// Total sum of squares SST.
    pub sst: f64,
    /// Every stratum, including dropped single-observation strata.
    pub strata: Vec<StratumStats>,
}

impl FactorDetection {
    /// Levels dropped as single-observation strata.
    pub fn dropped_levels(&self) -> Vec<usize> {
        self.strata
            .iter()
            .filter(|s| !s.retained)
            .map(|s| s.level)
            .collect()
    }
}

/// Per-stratum count, mean and within sum of squares (two passes).
pub(crate) fn group_stats(y: &[f64], codes: &[u32], n_levels: usize) -> Vec<(usize, f64, f64)> {
    let mut count = vec![0usize; n_levels];
    let mut sum = vec![0.0f64; n_levels];
    for (&v, &c) in y.iter().zip(codes) {
        count[c as usize] += 1;
        sum[c as usize] += v;
    }
    let mean: Vec<f64> = sum
        .iter()
        .zip(&count)
        .map(|(&s, &n)| if n > 0 { s / n as f64 } else { f64::NAN })
        .collect();
    let mut ss = vec![0.0f64; n_levels];
    for (&v, &c) in y.iter().zip(codes) {
        let d = v - mean[c as usize];
        ss[c as usize] += d * d;
    }
    (0..n_levels).map(|h| (count[h], mean[h], ss[h])).collect()
}

/// The q-statistic and its test from group summaries `(count, mean, ssw)`.
pub(crate) struct Core {
    pub q: f64,
    pub f: f64,
    pub p: f64,
    pub lambda: f64,
    pub n: usize,
    pub l: usize,
    pub ssw: f64,
    pub sst: f64,
    pub retained: Vec<bool>,
}

pub(crate) fn core(
    what: &str,
    groups: &[(usize, f64, f64)],
    variance: VarianceConvention,
    singletons: SingletonStrata,
    with_p: bool,
) -> Result<Core> {
    let min_count = match singletons {
        SingletonStrata::Drop => 2,
        SingletonStrata::Keep => 1,
    };
    let retained: Vec<bool> = groups.iter().map(|g| g.0 >= min_count).collect();
    let kept = || {
        groups
            .iter()
            .zip(&retained)
            .filter(|(_, &r)| r)
            .map(|(g, _)| g)
    };
    let l = kept().count();
    let n: usize = kept().map(|g| g.0).sum();
    if l < 2 {
        return Err(GeoStatsError::TooFewStrata {
            what: what.into(),
            found: l,
            needed: 2,
        });
    }
    if n <= l {
        return Err(GeoStatsError::TooFewSamples {
            what: what.into(),
            found: n,
            needed: l + 1,
        });
    }
    let nf = n as f64;
    let grand = kept().map(|g| g.0 as f64 * g.1).sum::<f64>() / nf;
    let ssw: f64 = kept().map(|g| g.2).sum();
    let ssb: f64 = kept()
        .map(|g| {
            let d = g.1 - grand;
            g.0 as f64 * d * d
        })
        .sum();
    let sst = ssw + ssb;
    if sst.is_nan() || sst <= 0.0 {
        return Err(GeoStatsError::ConstantInput {
            what: format!("y (within the strata of {what})"),
        });
    }
    let q = 1.0 - ssw / sst;
    let lf = l as f64;
    let f = (nf - lf) * q / ((lf - 1.0) * (1.0 - q));
    let sigma2 = match variance {
        VarianceConvention::Population => sst / nf,
        VarianceConvention::Sample => sst / (nf - 1.0),
    };
    let m1: f64 = kept().map(|g| g.1 * g.1).sum();
    let m2: f64 = kept().map(|g| (g.0 as f64).sqrt() * g.1).sum();
    let mut lambda = (m1 - m2 * m2 / nf) / sigma2;
    // λ ≥ 0 by Cauchy–Schwarz; clear rounding noise below zero.
    if lambda < 0.0 && lambda > -1e-12 * (m1 / sigma2).max(1.0) {
        lambda = 0.0;
    }
    let p = if with_p {
        noncentral_f_sf(f, lf - 1.0, nf - lf, lambda)
    } else {
        f64::NAN
    };
    Ok(Core {
        q,
        f,
        p,
        lambda,
        n,
        l,
        ssw,
        sst,
        retained,
    })
}

pub(crate) fn check_inputs(y: &[f64], x: &Strata, what: &str) -> Result<()> {
    if y.is_empty() {
        return Err(GeoStatsError::EmptyInput { what: "y".into() });
    }
    check_len(what, y.len(), x.len())?;
    if y.iter().all(|v| v.is_nan()) {
        return Err(GeoStatsError::AllNan { what: "y".into() });
    }
    if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(GeoStatsError::NonFinite {
            what: "y".into(),
            index,
            value,
        });
    }
    Ok(())
}

impl Geodetector {
    /// Factor detector: how much of the variance of `y` the stratification
    /// `x` explains (q), with the non-central F test of R `geodetector`.
    ///
    /// Errors: empty or non-finite `y`, length mismatch, fewer than two
    /// (retained) strata, no degrees of freedom left (N ≤ L), constant `y`.
    pub fn factor(&self, y: &[f64], x: &Strata) -> Result<FactorDetection> {
        self.factor_named(y, x, "x")
    }

    pub(crate) fn factor_named(
        &self,
        y: &[f64],
        x: &Strata,
        what: &str,
    ) -> Result<FactorDetection> {
        check_inputs(y, x, what)?;
        let groups = group_stats(y, x.codes(), x.n_strata());
        let c = core(what, &groups, self.variance, self.singletons, true)?;
        let strata = groups
            .iter()
            .enumerate()
            .map(|(h, g)| StratumStats {
                level: h,
                label: x.labels()[h].clone(),
                count: g.0,
                mean: g.1,
                sum_of_squares: g.2,
                retained: c.retained[h],
            })
            .collect();
        Ok(FactorDetection {
            q: c.q,
            f_statistic: c.f,
            p_value: c.p,
            noncentrality: c.lambda,
            df1: (c.l - 1) as f64,
            df2: (c.n - c.l) as f64,
            n: c.n,
            n_strata: c.l,
            ssw: c.ssw,
            sst: c.sst,
            strata,
        })
    }
}
