//! Physical constants of the Johansen model and the Stefan solution
//! (SCIENCE.md §1). All in SI units.

/// Thermal conductivity of quartz κ_q, W m⁻¹ K⁻¹ (Johansen 1975).
pub const KAPPA_QUARTZ: f64 = 7.7;

/// Thermal conductivity κ_o of the other soil minerals, W m⁻¹ K⁻¹, when the
/// quartz content exceeds [`LOW_QUARTZ_LIMIT`] (Johansen 1975).
pub const KAPPA_OTHER_MINERALS: f64 = 2.0;

/// Thermal conductivity κ_o of the other soil minerals, W m⁻¹ K⁻¹, when the
/// quartz content is at most [`LOW_QUARTZ_LIMIT`] (Peters-Lidard et al. 1998).
pub const KAPPA_OTHER_MINERALS_LOW_QUARTZ: f64 = 3.0;

/// Quartz content (fraction of the solids) at or below which κ_o is
/// [`KAPPA_OTHER_MINERALS_LOW_QUARTZ`].
pub const LOW_QUARTZ_LIMIT: f64 = 0.2;

/// Thermal conductivity of liquid water κ_w, W m⁻¹ K⁻¹.
pub const KAPPA_WATER: f64 = 0.57;

/// Thermal conductivity of ice κ_i, W m⁻¹ K⁻¹.
pub const KAPPA_ICE: f64 = 2.2;

/// Degree of saturation at or below which κ = κ_dry (the study's Eq. 1).
pub const DRY_SATURATION_LIMIT: f64 = 1e-5;

/// Default particle (solid) density ρ_s, kg m⁻³. CLM and Noah-MP use 2700.
pub const DEFAULT_PARTICLE_DENSITY: f64 = 2650.0;

/// Latent heat of fusion of water L, J kg⁻¹.
pub const LATENT_HEAT_FUSION: f64 = 3.34e5;

/// Density of liquid water ρ_w, kg m⁻³.
pub const WATER_DENSITY: f64 = 1000.0;

/// Density of ice ρ_i, kg m⁻³.
pub const ICE_DENSITY: f64 = 917.0;

/// Volumetric expansion of water on freezing, ρ_w/ρ_i − 1 (≈ 0.0905): the
/// heave (or, on thaw, the subsidence) per metre of frozen pore water.
pub const FREEZING_EXPANSION: f64 = WATER_DENSITY / ICE_DENSITY - 1.0;

/// Seconds per day, converting degree days (°C·day) to °C·s.
pub const SECONDS_PER_DAY: f64 = 86_400.0;
