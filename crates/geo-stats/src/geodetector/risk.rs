//! Risk detector: Welch t-tests between the means of every pair of strata.

use super::factor::{check_inputs, group_stats};
use super::{Geodetector, SingletonStrata, Strata, StratumStats};
use crate::error::{GeoStatsError, Result};
use crate::special::beta::student_t_sf;

/// Welch's t-test between two strata.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskPair {
    /// Level index of the first stratum.
    pub a: usize,
    /// Level index of the second stratum.
    pub b: usize,
    /// Mean of y in stratum `a`.
    pub mean_a: f64,
    /// Mean of y in stratum `b`.
    pub mean_b: f64,
    /// t = (ȳ_a − ȳ_b) / sqrt(s_a²/n_a + s_b²/n_b).
    pub t_statistic: f64,
    /// Welch–Satterthwaite degrees of freedom (1 when both variances are 0,
    /// as in scipy).
    pub df: f64,
    /// Two-sided p-value; `NaN` when a stratum has a single observation or
    /// both strata are constant with equal means.
    pub p_value: f64,
}

impl RiskPair {
    /// Whether the means differ at level `alpha`.
    pub fn is_significant(&self, alpha: f64) -> bool {
        self.p_value < alpha
    }
}

/// Result of the risk detector.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskDetection {
    /// Every stratum with its mean of y.
    pub strata: Vec<StratumStats>,
    /// One test per pair (a < b) of retained strata, in order.
    pub pairs: Vec<RiskPair>,
}

/// Welch's unequal-variance t-test from summaries, as
/// `scipy.stats.ttest_ind(equal_var=False)`.
pub(crate) fn welch(m1: f64, v1: f64, n1: usize, m2: f64, v2: f64, n2: usize) -> (f64, f64, f64) {
    let vn1 = v1 / n1 as f64;
    let vn2 = v2 / n2 as f64;
    let mut df =
        (vn1 + vn2).powi(2) / (vn1 * vn1 / (n1 as f64 - 1.0) + vn2 * vn2 / (n2 as f64 - 1.0));
    if df.is_nan() {
        df = 1.0;
    }
    let denom = (vn1 + vn2).sqrt();
    let t = (m1 - m2) / denom;
    let p = 2.0 * student_t_sf(t.abs(), df);
    (t, df, p)
}

impl Geodetector {
    /// Risk detector: Welch t-test of the difference of the means of y
    /// between every pair of strata of `x`. Single-observation strata are
    /// left out under [`SingletonStrata::Drop`] and give `NaN` tests under
    /// [`SingletonStrata::Keep`].
    pub fn risk(&self, y: &[f64], x: &Strata) -> Result<RiskDetection> {
        check_inputs(y, x, "x")?;
        let groups = group_stats(y, x.codes(), x.n_strata());
        let retained: Vec<bool> = groups
            .iter()
            .map(|g| g.0 >= 2 || self.singletons == SingletonStrata::Keep)
            .collect();
        let kept: Vec<usize> = (0..groups.len()).filter(|&h| retained[h]).collect();
        if kept.len() < 2 {
            return Err(GeoStatsError::TooFewStrata {
                what: "x".into(),
                found: kept.len(),
                needed: 2,
            });
        }
        let strata: Vec<StratumStats> = groups
            .iter()
            .enumerate()
            .map(|(h, g)| StratumStats {
                level: h,
                label: x.labels()[h].clone(),
                count: g.0,
                mean: g.1,
                sum_of_squares: g.2,
                retained: retained[h],
            })
            .collect();
        let mut pairs = Vec::with_capacity(kept.len() * (kept.len() - 1) / 2);
        for (i, &a) in kept.iter().enumerate() {
            for &b in &kept[i + 1..] {
                let (sa, sb) = (&strata[a], &strata[b]);
                let (t, df, p) = welch(
                    sa.mean,
                    sa.sample_variance(),
                    sa.count,
                    sb.mean,
                    sb.sample_variance(),
                    sb.count,
                );
                pairs.push(RiskPair {
                    a,
                    b,
                    mean_a: sa.mean,
                    mean_b: sb.mean,
                    t_statistic: t,
                    df,
                    p_value: p,
                });
            }
        }
        Ok(RiskDetection { strata, pairs })
    }
}
