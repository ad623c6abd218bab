//! Inversion parameters: a builder with documented defaults, checked into
//! the [`Inverter`] that every inversion takes.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::stitch::GapPolicy;
use crate::weights::{WeightModel, Weighting};

/// The norm of the interferogram misfit that is minimised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Norm {
    /// Least squares (MintPy's `ifgram_inversion`), the default.
    #[default]
    L2,
    /// Least absolute deviations by iteratively reweighted least squares
    /// (the S-PECM study's choice, robust to unwrapping errors).
    L1,
}

impl fmt::Display for Norm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Norm::L2 => "L2",
            Norm::L1 => "L1",
        })
    }
}

impl FromStr for Norm {
    type Err = Error;

    /// Parses `L1` or `L2` (case-insensitive).
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_uppercase().as_str() {
            "L2" => Ok(Norm::L2),
            "L1" => Ok(Norm::L1),
            _ => Err(Error::invalid_parameter("norm", s, "`L1` or `L2`")),
        }
    }
}

/// The linear solver behind every least-squares step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Solver {
    /// Graph-Laplacian normal equations AᵀWA assembled in O(M) per pixel,
    /// skyline Cholesky per connected component (shared by pixels with the
    /// same validity when unweighted), with a rank-revealing eigen-solver
    /// fallback truncated at `rcond` whenever the condition number cannot be
    /// shown to stay below rcond⁻². The default.
    #[default]
    Laplacian,
    /// A truncated SVD (LAPACK `gesdd`) of the whole (weighted) design
    /// matrix per pixel (shared when unweighted): MintPy's
    /// `scipy.linalg.lstsq(G, y, cond=rcond)` literally, in the velocity form
    /// B under [`GapPolicy::MinNormVelocity`] and the phase form A
    /// otherwise. Slower; for checks.
    Svd,
}

/// Parameters of the time-series inversion, with defaults.
///
/// | parameter | default | setter |
/// |---|---|---|
/// | weighting | `No` (unweighted) | [`with_weighting`](InversionParams::with_weighting) |
/// | number of looks L (for `fim`, `var`) | 1 | [`with_looks`](InversionParams::with_looks) |
/// | norm | L2 | [`with_norm`](InversionParams::with_norm) |
/// | disconnected networks | error | [`with_gap_policy`](InversionParams::with_gap_policy) |
/// | linear solver | graph Laplacian | [`with_solver`](InversionParams::with_solver) |
/// | singular-value cut-off rcond | 1e-5 (MintPy) | [`with_rcond`](InversionParams::with_rcond) |
/// | minimum redundancy | 1 (MintPy) | [`with_min_redundancy`](InversionParams::with_min_redundancy) |
/// | L1: max iterations | 100 | [`with_irls_max_iterations`](InversionParams::with_irls_max_iterations) |
/// | L1: relative change to stop | 1e-5 | [`with_irls_tolerance`](InversionParams::with_irls_tolerance) |
/// | L1: residual floor ε | 1e-3 rad | [`with_irls_epsilon`](InversionParams::with_irls_epsilon) |
/// | pixels per block | 1024 | [`with_block_pixels`](InversionParams::with_block_pixels) |
///
/// The minimum redundancy is checked per pixel, as MintPy does, on every
/// date but the reference date: a pixel where a date has fewer valid
/// interferograms gets `NaN` and [`PixelStatus::LowRedundancy`](crate::PixelStatus::LowRedundancy).
/// Set it to 0 to let the gap policy handle unobserved dates (e.g. NSBAS,
/// which puts them on the fitted line).
///
/// The setters do not fail; [`InversionParams::build`] checks everything.
///
/// ```
/// use insar_sbas::{GapPolicy, InversionParams, Norm, Weighting};
/// let inverter = InversionParams::new()
///     .with_weighting(Weighting::Fisher)
///     .with_looks(52.0)
///     .with_norm(Norm::L1)
///     .with_gap_policy(GapPolicy::NsbasLinear)
///     .build()?;
/// assert_eq!(inverter.params().norm(), Norm::L1);
/// assert!(InversionParams::new().with_rcond(0.0).build().is_err());
/// # Ok::<(), insar_sbas::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct InversionParams {
    weighting: Weighting,
    looks: f64,
    norm: Norm,
    gap_policy: GapPolicy,
    solver: Solver,
    rcond: f64,
    min_redundancy: usize,
    irls_max_iterations: usize,
    irls_tolerance: f64,
    irls_epsilon: f64,
    block_pixels: usize,
}

impl Default for InversionParams {
    fn default() -> Self {
        InversionParams {
            weighting: Weighting::No,
            looks: 1.0,
            norm: Norm::L2,
            gap_policy: GapPolicy::Error,
            solver: Solver::Laplacian,
            rcond: 1e-5,
            min_redundancy: 1,
            irls_max_iterations: 100,
            irls_tolerance: 1e-5,
            irls_epsilon: 1e-3,
            block_pixels: 1024,
        }
    }
}

macro_rules! setter {
    ($(#[$doc:meta])* $name:ident, $field:ident: $ty:ty) => {
        $(#[$doc])*
        #[must_use]
        pub fn $name(mut self, $field: $ty) -> Self {
            self.$field = $field;
            self
        }
    };
}

macro_rules! getter {
    ($(#[$doc:meta])* $field:ident: $ty:ty) => {
        $(#[$doc])*
        pub fn $field(&self) -> $ty {
            self.$field
        }
    };
}

impl InversionParams {
    /// The defaults (see the table above).
    pub fn new() -> Self {
        Self::default()
    }

    setter!(
        /// Weighting of interferograms from coherence.
        with_weighting, weighting: Weighting
    );
    setter!(
        /// Number of looks L (> 0, rounded to an integer ≥ 1); MintPy uses
        /// `NCORRLOOKS` or [`mintpy_looks`](crate::mintpy_looks).
        with_looks, looks: f64
    );
    setter!(
        /// L2 or L1.
        with_norm, norm: Norm
    );
    setter!(
        /// What to do with disconnected networks.
        with_gap_policy, gap_policy: GapPolicy
    );
    setter!(
        /// Linear solver.
        with_solver, solver: Solver
    );
    setter!(
        /// Relative singular-value cut-off, in (0, 1).
        with_rcond, rcond: f64
    );
    setter!(
        /// Minimum number of valid interferograms at every date (0 switches
        /// the check off).
        with_min_redundancy, min_redundancy: usize
    );
    setter!(
        /// Largest number of IRLS iterations (≥ 1).
        with_irls_max_iterations, irls_max_iterations: usize
    );
    setter!(
        /// IRLS stops when ‖x_new − x‖ ≤ tolerance·‖x_new‖ (> 0).
        with_irls_tolerance, irls_tolerance: f64
    );
    setter!(
        /// IRLS residual floor ε in radians (> 0): weights are
        /// w_coh / max(|r|, ε).
        with_irls_epsilon, irls_epsilon: f64
    );
    setter!(
        /// Pixels per block of parallel work (≥ 1); blocks are whole rows, at
        /// least one.
        with_block_pixels, block_pixels: usize
    );

    getter!(
        /// Weighting.
        weighting: Weighting
    );
    getter!(
        /// Number of looks as given.
        looks: f64
    );
    getter!(
        /// Norm.
        norm: Norm
    );
    getter!(
        /// Gap policy.
        gap_policy: GapPolicy
    );
    getter!(
        /// Solver.
        solver: Solver
    );
    getter!(
        /// Singular-value cut-off.
        rcond: f64
    );
    getter!(
        /// Minimum redundancy.
        min_redundancy: usize
    );
    getter!(
        /// IRLS iteration cap.
        irls_max_iterations: usize
    );
    getter!(
        /// IRLS tolerance.
        irls_tolerance: f64
    );
    getter!(
        /// IRLS residual floor, rad.
        irls_epsilon: f64
    );
    getter!(
        /// Pixels per block.
        block_pixels: usize
    );

    /// Checks the parameters and prepares the weight model.
    pub fn build(self) -> Result<Inverter> {
        let positive = |name: &'static str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(Error::invalid_parameter(name, v, "must be finite and > 0"))
            }
        };
        if !(self.rcond > 0.0 && self.rcond < 1.0) {
            return Err(Error::invalid_parameter(
                "rcond",
                self.rcond,
                "must lie in (0, 1)",
            ));
        }
        positive("irls_tolerance", self.irls_tolerance)?;
        positive("irls_epsilon", self.irls_epsilon)?;
        if self.irls_max_iterations == 0 {
            return Err(Error::invalid_parameter(
                "irls_max_iterations",
                0,
                "must be ≥ 1",
            ));
        }
        if self.block_pixels == 0 {
            return Err(Error::invalid_parameter("block_pixels", 0, "must be ≥ 1"));
        }
        let model = WeightModel::new(self.weighting, self.looks)?;
        Ok(Inverter {
            params: self,
            model,
        })
    }
}

/// Checked inversion parameters; runs inversions
/// ([`Inverter::invert`], [`Inverter::invert_pixel`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Inverter {
    pub(crate) params: InversionParams,
    pub(crate) model: WeightModel,
}

impl Default for Inverter {
    fn default() -> Self {
        InversionParams::default()
            .build()
            .expect("the defaults are valid")
    }
}

impl Inverter {
    /// The parameters.
    pub fn params(&self) -> &InversionParams {
        &self.params
    }

    /// The weight model (weighting and integer looks).
    pub fn weight_model(&self) -> &WeightModel {
        &self.model
    }
}
