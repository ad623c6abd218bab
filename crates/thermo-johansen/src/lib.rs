//! Soil thermal conductivity after Johansen (1975), Kersten numbers and the
//! Stefan thaw-depth solution, for single points and whole rasters.
//!
//! This crate is pure Rust and links no native library. The formulas and
//! their conventions are fixed in the workspace's `SCIENCE.md` §1.
//!
//! # What it does
//!
//! * Porosity and degree of saturation from dry bulk density and volumetric
//!   water content; quartz content from the sand fraction (the mapping is a
//!   parameter, [`QuartzMapping`]).
//! * Solid, saturated (thawed and frozen) and dry conductivities, the Kersten
//!   number variants and the combined conductivity; hence κ_t, κ_f and the
//!   ratio κ_f/κ_t that the permafrost elevation-change model (PECM) needs.
//! * The Stefan thaw depth, the seasonal subsidence of a uniformly wet active
//!   layer, and the inverse: the water content (and thaw depth) that explains
//!   a fitted seasonal amplitude, by a relaxed fixed-point iteration
//!   ([`Johansen::invert_subsidence`] documents tolerance and iteration cap).
//! * Scalar forms on [`Johansen`] and raster forms (`*_raster`) on
//!   `ndarray::Array2` with axes `(row, col)`, `f32` or `f64`, scalars
//!   broadcast ([`Field`]), rows in parallel with rayon and results identical
//!   to the scalar form element by element. `NaN` (missing data) in any input
//!   gives `NaN` out; out-of-range values are errors that name the input, its
//!   value and, for rasters, the pixel.
//!
//! # Inputs and units
//!
//! | input | unit | valid range |
//! |---|---|---|
//! | dry bulk density ρ_b | kg m⁻³ (SoilGrids `bdod` is cg cm⁻³: **× 10**) | (0, ρ_s) |
//! | sand fraction | 0–1 (SoilGrids `sand` is g kg⁻¹: ÷ 1000) | \[0, 1\] |
//! | water content θ (thaw / freeze season) | m³ m⁻³ | finite, ≥ 0 (θ > φ gives S_r = 1) |
//! | thawing degree days DDT | °C·day | finite, ≥ 0 (> 0 for the inverse) |
//! | seasonal amplitude d | m | finite, ≥ 0 |
//! | particle density ρ_s (parameter) | kg m⁻³, default 2650 (CLM/Noah-MP: 2700) | (0, 2851) |
//!
//! # Formulas (SCIENCE.md §1)
//!
//! * Porosity φ = 1 − ρ_b/ρ_s; degree of saturation S_r = θ/φ clamped to \[0, 1\].
//! * Quartz q = sand (default), 0.5·sand, min(0.8, 0.92·sand) or a fixed value.
//! * Solids κ_s = κ_q^q·κ_o^(1−q), κ_q = 7.7, κ_o = 2.0, or 3.0 when q ≤ 0.2
//!   (W m⁻¹ K⁻¹).
//! * Saturated: thawed κ_sat = κ_s^(1−φ)·κ_w^φ (κ_w = 0.57), frozen
//!   κ_sat = κ_s^(1−φ)·κ_i^φ (κ_i = 2.2).
//! * Dry: κ_dry = (0.135·ρ_d + 64.7)/(2700 − 0.947·ρ_d), ρ_d = ρ_b in kg m⁻³.
//! * Kersten number: unfrozen coarse Ke = 0.7·log10 S_r + 1 (0 when
//!   S_r ≤ 0.05); unfrozen fine Ke = log10 S_r + 1 (0 when S_r ≤ 0.1); frozen
//!   Ke = S_r. Coarse when sand ≥ 0.5 by default ([`TextureRule`]).
//! * κ = (κ_sat − κ_dry)·Ke + κ_dry when S_r > 1e-5, else κ_dry (the S-PECM
//!   study's Eq. 1). κ_t uses the thaw-season θ and the unfrozen formulas,
//!   κ_f the freeze-season θ and the frozen formulas.
//! * Stefan: Z = sqrt(2·κ_t·n_t·DDT·86400/(ρ_w·L·θ)), L = 3.34e5 J kg⁻¹,
//!   ρ_w = 1000 kg m⁻³, n_t default 1; subsidence d = (ρ_w/ρ_i − 1)·θ·Z with
//!   ρ_i = 917 kg m⁻³. Inverse: θ = A/κ_t(θ) with
//!   A = d²·ρ_w·L/((ρ_w/ρ_i − 1)²·2·n_t·DDT·86400).
//!
//! # Algorithms and sources
//!
//! | algorithm | source |
//! |---|---|
//! | conductivity from κ_sat, κ_dry and the Kersten number; κ_s geometric mean; κ_dry from ρ_d | Johansen, O. (1975), *Thermal conductivity of soils*, PhD thesis, Trondheim (CRREL draft translation 637, 1977) |
//! | review and the coarse/fine/frozen Kersten forms used here | Farouki, O. T. (1981), *Thermal properties of soils*, CRREL Monograph 81-1 |
//! | κ_o = 3.0 for q ≤ 0.2, else 2.0 | Peters-Lidard, C. D., Blackburn, E., Liang, X., Wood, E. F. (1998), J. Atmos. Sci. 55, 1209–1224 |
//! | Stefan thaw depth; seasonal subsidence of a saturated/uniformly wet active layer | Nelson, F. E. et al. (2001, Stefan-based active-layer models); Liu, L., Schaefer, K., Zhang, T., Wahr, J. (2012), J. Geophys. Res. 117, F01005 |
//! | relaxed fixed point (Newton on the fixed-point residual) for the inverse | this crate; see [`Johansen::invert_subsidence`] |
//!
//! # Features
//!
//! | feature | what it enables |
//! |---|---|
//! | *(none)* | the crate has no optional features; rayon is always used for rasters (switch off per model with [`Params::with_parallel`]) |
//!
//! # Example
//!
//! ```
//! use ndarray::array;
//! use thermo_johansen::{Johansen, Params, Phase, QuartzMapping, Soil};
//!
//! // A clayey soil: ρ_b = 1300 kg m⁻³ (SoilGrids bdod 130 cg cm⁻³ × 10), 10 % sand.
//! let model = Johansen::default();
//! let soil = Soil::new(1300.0, 0.1);
//! let k = model.conductivities(&soil, 0.30, 0.55)?;
//! assert!((k.thawed - 1.0758160837063846).abs() < 1e-12);
//! assert!((k.frozen - 2.6827703780932173).abs() < 1e-12);
//! println!("κ_t = {:.3}, κ_f = {:.3}, κ_f/κ_t = {:.3}", k.thawed, k.frozen, k.ratio);
//!
//! // Stefan solution after 1500 °C·day, and back from the subsidence to θ.
//! let s = model.stefan(&soil, 0.30, 1500.0)?;
//! let inv = model.invert_subsidence(&soil, s.subsidence, 1500.0)?;
//! assert!((inv.theta - 0.30).abs() < 1e-9);
//! assert!((inv.thaw_depth - s.thaw_depth).abs() < 1e-9);
//!
//! // Rasters (row, col); the sand fraction is broadcast from a scalar.
//! let model = Params::new().with_quartz(QuartzMapping::CAPPED).build()?;
//! let bulk = array![[1300.0, 1500.0], [f64::NAN, 1600.0]];
//! let theta = array![[0.30, 0.20], [0.25, 0.45]];
//! let kt = model.conductivity_raster(&bulk, 0.1, &theta, Phase::Thawed)?;
//! assert!(kt[[1, 0]].is_nan());
//! assert_eq!(kt[[0, 1]], model.conductivity(&Soil::new(1500.0, 0.1), 0.20, Phase::Thawed)?);
//!
//! // Out-of-range input: the error names the input, the value and the pixel.
//! let bad = array![[1300.0, 13.0e3]];
//! let err = model.conductivity_raster(&bad, 0.1, 0.2, Phase::Frozen).unwrap_err();
//! assert!(err.to_string().contains("bulk_density = 13000 at (row 0, col 1)"));
//! # Ok::<(), thermo_johansen::Error>(())
//! ```

pub mod conductivity;
pub mod constants;
mod error;
pub mod kersten;
mod params;
mod raster;
mod soil;
pub mod stefan;

pub use conductivity::{Conductivities, ConductivityTerms};
pub use error::{Error, Result};
pub use params::{
    Johansen, OnNoSolution, Params, QuartzMapping, TextureRule, MAX_PARTICLE_DENSITY,
};
pub use raster::{ConductivityRasters, Field, InversionRasters, RasterFloat, StefanRasters};
pub use soil::{Phase, Soil, Texture};
pub use stefan::{Inversion, StefanSolution};
