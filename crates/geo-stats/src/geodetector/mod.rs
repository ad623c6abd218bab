//! The geographical detector (Wang et al. 2010; Wang, Zhang & Fu 2016).
//!
//! * [`Geodetector::factor`] — q = 1 − Σ_h N_h σ_h² / (N σ²) with the F
//!   statistic F = (N − L)/(L − 1) · q/(1 − q) and its p-value from the
//!   **non-central** F(L − 1, N − L; λ), λ = [Σ ȳ_h² − (Σ √N_h ȳ_h)²/N]/σ²,
//!   which is how R `geodetector` (1.0-5) and `GD` compute it;
//! * [`Geodetector::interaction`] — q of the overlaid strata and the five
//!   interaction types ([`InteractionKind`]);
//! * [`Geodetector::risk`] — Welch t-tests between strata means;
//! * [`Geodetector::ecological`] — F = N₁(N₂−1)SSW₁ / [N₂(N₁−1)SSW₂].
//!
//! # Conventions (parameters)
//!
//! * σ² in λ: [`VarianceConvention::Population`] (SST/N, the method paper;
//!   default) or [`VarianceConvention::Sample`] (SST/(N − 1), what R
//!   `geodetector` and `py-geodetector` use). q and F do not depend on it.
//! * Single-observation strata: [`SingletonStrata::Drop`] (default) removes
//!   them before anything is computed, as the R package `GD` does ("remove
//!   strata containing one observation"); a stratum of one carries no
//!   within-stratum variance and inflates q. [`SingletonStrata::Keep`]
//!   reproduces R `geodetector`. With the defaults the normative test vector
//!   y = 1..7, strata (a, b, b, b, c, c, c) gives q = 0.771429 and
//!   p = 0.0793648 (stratum `a` is dropped); with `Keep` + `Sample` it gives
//!   the R `geodetector` values q = 0.857143, p = 0.0478383.
//!
//! λ is not invariant to a shift of y (the formula uses raw means); this is
//! the published formula and is kept as is.
//!
//! ```
//! use geo_stats::geodetector::{GeodetectorParams, Strata};
//! let y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
//! let x = Strata::from_labels(&["a", "b", "b", "b", "c", "c", "c"]).unwrap();
//! let gd = GeodetectorParams::new().build().unwrap();
//! let f = gd.factor(&y, &x).unwrap();
//! assert!((f.q - 0.771429).abs() < 1e-6);
//! assert!((f.p_value - 0.0793648).abs() < 1e-7);
//! ```

mod ecological;
mod factor;
mod interaction;
mod risk;
mod strata;

pub use ecological::EcologicalDetection;
pub use factor::{FactorDetection, StratumStats};
pub use interaction::{InteractionDetection, InteractionKind};
pub use risk::{RiskDetection, RiskPair};
pub use strata::Strata;

pub(crate) use factor::core;

use crate::error::{GeoStatsError, Result};

/// Which σ² enters the non-centrality λ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VarianceConvention {
    /// σ² = SST / N (Wang, Zhang & Fu 2016). Default.
    #[default]
    Population,
    /// σ² = SST / (N − 1) (R `geodetector`, `py-geodetector`).
    Sample,
}

/// What to do with strata that hold a single observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SingletonStrata {
    /// Remove them (and their observations) before computing anything, as
    /// R `GD` does. Default.
    #[default]
    Drop,
    /// Keep them (R `geodetector`, `py-geodetector`).
    Keep,
}

/// Parameters of the geographical detector.
///
/// | field | default |
/// |---|---|
/// | `variance` | [`VarianceConvention::Population`] |
/// | `singletons` | [`SingletonStrata::Drop`] |
/// | `interaction_tolerance` | 1e-10 (absolute, on q) |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeodetectorParams {
    /// σ² convention for λ.
    pub variance: VarianceConvention,
    /// Treatment of single-observation strata.
    pub singletons: SingletonStrata,
    /// Tolerance τ for "q₁₂ = q₁ + q₂" (and the other comparisons) in the
    /// interaction detector.
    pub interaction_tolerance: f64,
}

impl Default for GeodetectorParams {
    fn default() -> Self {
        Self {
            variance: VarianceConvention::Population,
            singletons: SingletonStrata::Drop,
            interaction_tolerance: 1e-10,
        }
    }
}

impl GeodetectorParams {
    /// The defaults (see the table on the type).
    pub fn new() -> Self {
        Self::default()
    }

    /// The conventions of R `geodetector` 1.0-5 and `py-geodetector`:
    /// sample variance, singleton strata kept.
    pub fn r_geodetector() -> Self {
        Self::default()
            .with_variance(VarianceConvention::Sample)
            .with_singletons(SingletonStrata::Keep)
    }

    /// Sets the σ² convention.
    pub fn with_variance(mut self, variance: VarianceConvention) -> Self {
        self.variance = variance;
        self
    }

    /// Sets the treatment of single-observation strata.
    pub fn with_singletons(mut self, singletons: SingletonStrata) -> Self {
        self.singletons = singletons;
        self
    }

    /// Sets the interaction tolerance τ (≥ 0).
    pub fn with_interaction_tolerance(mut self, tolerance: f64) -> Self {
        self.interaction_tolerance = tolerance;
        self
    }

    /// Validates the parameters into a [`Geodetector`].
    pub fn build(self) -> Result<Geodetector> {
        if !(self.interaction_tolerance >= 0.0 && self.interaction_tolerance.is_finite()) {
            return Err(GeoStatsError::invalid(
                "interaction_tolerance",
                self.interaction_tolerance,
                "must be finite and >= 0",
            ));
        }
        Ok(Geodetector {
            variance: self.variance,
            singletons: self.singletons,
            interaction_tolerance: self.interaction_tolerance,
        })
    }
}

/// A validated geographical detector; see the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geodetector {
    variance: VarianceConvention,
    singletons: SingletonStrata,
    interaction_tolerance: f64,
}

impl Default for Geodetector {
    fn default() -> Self {
        Self {
            variance: VarianceConvention::Population,
            singletons: SingletonStrata::Drop,
            interaction_tolerance: 1e-10,
        }
    }
}

impl Geodetector {
    /// The parameters this detector was built from.
    pub fn params(&self) -> GeodetectorParams {
        GeodetectorParams {
            variance: self.variance,
            singletons: self.singletons,
            interaction_tolerance: self.interaction_tolerance,
        }
    }
}
