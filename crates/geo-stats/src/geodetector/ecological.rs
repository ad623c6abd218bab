//! Ecological detector: do two factors explain y equally well?

use super::factor::{check_inputs, core, group_stats};
use super::{Geodetector, Strata};
use crate::error::Result;
use crate::special::beta::f_sf;

/// Result of the ecological detector.
#[derive(Debug, Clone, PartialEq)]
pub struct EcologicalDetection {
    /// F = N₁(N₂ − 1) SSW₁ / [N₂(N₁ − 1) SSW₂].
    pub f_statistic: f64,
    /// N₁ − 1.
    pub df1: f64,
    /// N₂ − 1.
    pub df2: f64,
    /// P(F' ≥ F) for F' ~ F(N₁ − 1, N₂ − 1): small when the within-strata
    /// sum of squares of x1 is significantly larger than that of x2, i.e.
    /// when x2 explains y significantly better than x1.
    pub p_value: f64,
    /// Within-strata sum of squares of x1.
    pub ssw1: f64,
    /// Within-strata sum of squares of x2.
    pub ssw2: f64,
    /// Observations used for x1.
    pub n1: usize,
    /// Observations used for x2.
    pub n2: usize,
}

impl EcologicalDetection {
    /// Whether the two factors differ significantly at level `alpha`.
    pub fn is_significant(&self, alpha: f64) -> bool {
        self.p_value < alpha
    }
}

impl Geodetector {
    /// Ecological detector (Wang et al. 2010): F test of the ratio of the
    /// within-strata sums of squares of two stratifications of the same y.
    pub fn ecological(&self, y: &[f64], x1: &Strata, x2: &Strata) -> Result<EcologicalDetection> {
        check_inputs(y, x1, "x1")?;
        check_inputs(y, x2, "x2")?;
        let g1 = group_stats(y, x1.codes(), x1.n_strata());
        let g2 = group_stats(y, x2.codes(), x2.n_strata());
        let c1 = core("x1", &g1, self.variance, self.singletons, false)?;
        let c2 = core("x2", &g2, self.variance, self.singletons, false)?;
        let (n1, n2) = (c1.n as f64, c2.n as f64);
        let f = (n1 * (n2 - 1.0) * c1.ssw) / (n2 * (n1 - 1.0) * c2.ssw);
        let p = f_sf(f, n1 - 1.0, n2 - 1.0);
        Ok(EcologicalDetection {
            f_statistic: f,
            df1: n1 - 1.0,
            df2: n2 - 1.0,
            p_value: p,
            ssw1: c1.ssw,
            ssw2: c2.ssw,
            n1: c1.n,
            n2: c2.n,
        })
    }
}
