//! The piecewise elevation change model (PECM) of permafrost ground: the
//! long-term and seasonal bases driven by each pixel's own temperature history
//! and soil, their fits to InSAR displacement, uncertainties and rival models.
//!
//! # What this crate owns
//!
//! * The long-term basis `L(τ)` and the seasonal basis
//!   `I(τ) = −max(0, √ADDT − √(r·ADDF))` with per-cycle closure
//!   `r = max(r₀, ADDT_end/ADDF_end)` (SCIENCE.md §3).
//! * Weighted least-squares fits from a displacement time series and the joint
//!   fit straight from interferograms (the PECM inserted into the SBAS
//!   system), with `σ̂²(AᵀWA)⁻¹` uncertainties, residual RMS and R².
//! * Rival models (sinusoid, plain Stefan) with AIC / BIC, and the
//!   active-layer-thickness check against CALM stations.
//!
//! It may depend on `thermo-johansen` for `κ_f/κ_t`; it links no native
//! library.
//!
//! *Status:* workspace skeleton; the API above is being built under the
//! issue "\[2\] permafrost-pecm".
