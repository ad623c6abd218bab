//! The Stefan thaw depth, the seasonal subsidence of a uniformly wet active
//! layer, and the inverse: the water content (and thaw depth) that explains
//! a seasonal amplitude.
//!
//! The bare formulas are public functions (no range checks, `NaN` in gives
//! `NaN` out); the checked forms that compute κ_t from the soil are methods
//! of [`Johansen`].

use crate::constants::{FREEZING_EXPANSION, LATENT_HEAT_FUSION, SECONDS_PER_DAY, WATER_DENSITY};
use crate::error::{Error, Result};
use crate::kersten::{unfrozen_dry_limit, unfrozen_log_slope};
use crate::params::{Johansen, OnNoSolution};
use crate::soil::{Phase, Soil, Texture};

/// Relative slack when an amplitude sits at the saturated or dry end of the
/// range (so that forward-then-inverse at those ends does not fail on a
/// rounding error).
const END_SLACK: f64 = 1e-12;

/// 2·n_t·DDT·86400/(ρ_w·L), m² (W m⁻¹ K⁻¹)⁻¹: Z² = this · κ_t/θ.
fn stefan_factor(ddt: f64, n_factor: f64) -> f64 {
    2.0 * n_factor * ddt * SECONDS_PER_DAY / (WATER_DENSITY * LATENT_HEAT_FUSION)
}

/// Stefan thaw depth Z = sqrt(2·κ_t·n_t·DDT·86400/(ρ_w·L·θ)) in m, with κ_t in
/// W m⁻¹ K⁻¹, θ in m³ m⁻³ and DDT in °C·day.
///
/// Limits: Z = 0 when DDT = 0; Z = +∞ when θ = 0 and DDT > 0 (no latent heat
/// holds the thaw front back). `NaN` in any argument gives `NaN`.
pub fn thaw_depth(kappa_thawed: f64, theta: f64, ddt: f64, n_factor: f64) -> f64 {
    if kappa_thawed.is_nan() || theta.is_nan() || ddt.is_nan() || n_factor.is_nan() {
        f64::NAN
    } else if ddt == 0.0 {
        0.0
    } else if theta == 0.0 {
        f64::INFINITY
    } else {
        (stefan_factor(ddt, n_factor) * kappa_thawed / theta).sqrt()
    }
}

/// Seasonal subsidence d = (ρ_w/ρ_i − 1)·θ·Z in m of an active layer of
/// thickness Z (m) and water content θ (m³ m⁻³) that thaws completely.
/// d = 0 when θ = 0, whatever Z (the Stefan limit). `NaN` gives `NaN`.
pub fn subsidence(theta: f64, thaw_depth: f64) -> f64 {
    if theta.is_nan() || thaw_depth.is_nan() {
        f64::NAN
    } else if theta == 0.0 {
        0.0
    } else {
        FREEZING_EXPANSION * theta * thaw_depth
    }
}

/// The thaw depth Z = d/((ρ_w/ρ_i − 1)·θ) in m that explains a subsidence d
/// (m) when θ is known (no Stefan model involved).
pub fn thaw_depth_from_subsidence(amplitude: f64, theta: f64) -> f64 {
    amplitude / (FREEZING_EXPANSION * theta)
}

/// The forward Stefan solution at one point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StefanSolution {
    /// κ_t (thaw-season θ, unfrozen formulas), W m⁻¹ K⁻¹.
    pub kappa_thawed: f64,
    /// Thaw depth Z, m.
    pub thaw_depth: f64,
    /// Seasonal subsidence d, m.
    pub subsidence: f64,
}

/// The water content that explains a seasonal amplitude, with the state it
/// implies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inversion {
    /// Thaw-season water content θ, m³ m⁻³, in \[0, φ\].
    pub theta: f64,
    /// Degree of saturation θ/φ.
    pub saturation: f64,
    /// κ_t at θ, W m⁻¹ K⁻¹.
    pub kappa_thawed: f64,
    /// Stefan thaw depth Z at θ, m (+∞ for a zero amplitude, θ = 0).
    pub thaw_depth: f64,
    /// Fixed-point iterations used (0 for `NaN` inputs and a zero amplitude;
    /// 1 where κ_t is constant around the solution: dry or saturated).
    pub iterations: usize,
}

impl Inversion {
    fn nan() -> Self {
        Inversion {
            theta: f64::NAN,
            saturation: f64::NAN,
            kappa_thawed: f64::NAN,
            thaw_depth: f64::NAN,
            iterations: 0,
        }
    }
}

/// Checks DDT for the forward solution (finite, ≥ 0); `NaN` passes.
fn check_ddt_forward(ddt: f64) -> Result<()> {
    if ddt.is_nan() || (ddt.is_finite() && ddt >= 0.0) {
        Ok(())
    } else {
        Err(Error::out_of_range(
            "ddt",
            ddt,
            "must be finite and ≥ 0 °C·day",
        ))
    }
}

impl Johansen {
    /// Stefan thaw depth and seasonal subsidence for a soil, thaw-season
    /// water content θ (m³ m⁻³) and thawing degree days DDT (°C·day), with
    /// κ_t from the Johansen model at θ.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for ρ_b, sand or θ as in
    /// [`Johansen::terms`], or a negative / infinite DDT. `NaN` inputs give
    /// `NaN` results.
    pub fn stefan(&self, soil: &Soil, theta: f64, ddt: f64) -> Result<StefanSolution> {
        let kappa_thawed = self.conductivity(soil, theta, Phase::Thawed)?;
        check_ddt_forward(ddt)?;
        let z = thaw_depth(kappa_thawed, theta, ddt, self.params.n_factor());
        Ok(StefanSolution {
            kappa_thawed,
            thaw_depth: z,
            subsidence: subsidence(theta, z),
        })
    }

    /// The thaw-season water content θ ∈ (0, φ] (and the thaw depth) for
    /// which the Stefan subsidence of this soil after `ddt` thawing degree
    /// days equals `amplitude` (m).
    ///
    /// # Method
    ///
    /// Since d(θ) = (ρ_w/ρ_i − 1)·sqrt(θ·κ_t(θ)·2·n_t·DDT·86400/(ρ_w L)),
    /// the solution is the fixed point of θ = A/κ_t(θ) with
    /// A = d²·ρ_w·L/((ρ_w/ρ_i − 1)²·2·n_t·DDT·86400). θ·κ_t(θ) increases
    /// with θ wherever κ_sat ≥ κ_dry (every ρ_b < ρ_s when ρ_s = 2650; with a
    /// larger ρ_s only soils of near-zero porosity violate it), so the
    /// solution is unique.
    ///
    /// * Where κ_t is constant around the solution (κ_t = κ_dry for S_r at or
    ///   below the dry limit 0.05 / 0.1, or κ_sat at S_r = 1) the map is
    ///   constant and one step, θ = A/κ, is exact.
    /// * In the wet branch the plain iteration converges only while the
    ///   elasticity ε = d ln κ_t / d ln θ = (κ_sat − κ_dry)·a/(ln 10·κ_t)
    ///   (a = 0.7 coarse, 1 fine) is below 1, which fails near the dry limit
    ///   of fine soils (ε ≈ 3 there). Each step is therefore relaxed in
    ///   u = ln θ: u ← u + (g(u) − u)/(1 + ε(u)), g(u) = ln A − ln κ_t(e^u),
    ///   i.e. Newton's method on F(u) = u − g(u). F is increasing and concave,
    ///   so from the dry end of the bracket
    ///   \[max(ln θ_dry, ln(A/κ_sat)), ln φ\] the iterates rise monotonically;
    ///   a step that would leave the (shrinking) bracket is replaced by
    ///   bisection.
    /// * Stop when a step changes ln θ by at most the tolerance (default
    ///   1e-12, [`Params::with_tolerance`](crate::Params::with_tolerance));
    ///   otherwise after `max_iterations` (default 100) return
    ///   [`Error::NotConverged`]. Typical solutions take 4–7 iterations.
    ///
    /// A zero amplitude gives θ = 0 and an infinite thaw depth (the Stefan
    /// limit). θ·κ_t(θ) jumps at S_r = 0.05 in coarse soils, so a band of
    /// small amplitudes has no solution there.
    ///
    /// # Errors
    /// * [`Error::OutOfRange`] for ρ_b or sand as in [`Johansen::terms`], a
    ///   negative or infinite amplitude, or DDT not finite and > 0;
    /// * [`Error::AmplitudeTooLarge`] when even θ = φ gives a smaller
    ///   subsidence; [`Error::AmplitudeInKerstenGap`] for the coarse-soil
    ///   jump; [`Error::NotConverged`]. With
    ///   [`OnNoSolution::Nan`] these three give `NaN` results instead.
    pub fn invert_subsidence(&self, soil: &Soil, amplitude: f64, ddt: f64) -> Result<Inversion> {
        self.check_soil(soil)?;
        if !(amplitude.is_nan() || (amplitude.is_finite() && amplitude >= 0.0)) {
            return Err(Error::out_of_range(
                "amplitude",
                amplitude,
                "must be finite and ≥ 0 m",
            ));
        }
        if !(ddt.is_nan() || (ddt.is_finite() && ddt > 0.0)) {
            return Err(Error::out_of_range(
                "ddt",
                ddt,
                "must be finite and > 0 °C·day for the inversion",
            ));
        }
        if soil.is_nan() || amplitude.is_nan() || ddt.is_nan() {
            return Ok(Inversion::nan());
        }
        match self.solve_theta(soil, amplitude, ddt) {
            Err(
                Error::AmplitudeTooLarge { .. }
                | Error::AmplitudeInKerstenGap { .. }
                | Error::NotConverged { .. },
            ) if self.params.on_no_solution() == OnNoSolution::Nan => Ok(Inversion::nan()),
            other => other,
        }
    }

    fn solve_theta(&self, soil: &Soil, amplitude: f64, ddt: f64) -> Result<Inversion> {
        let p = &self.params;
        let n = p.n_factor();
        let finish = |theta: f64, iterations: usize| {
            let t = self.terms_unchecked(soil, theta, Phase::Thawed);
            Inversion {
                theta,
                saturation: t.saturation,
                kappa_thawed: t.kappa,
                thaw_depth: thaw_depth(t.kappa, theta, ddt, n),
                iterations,
            }
        };
        if amplitude == 0.0 {
            return Ok(finish(0.0, 0));
        }

        let terms = self.terms_unchecked(soil, 0.0, Phase::Thawed);
        let (phi, k_sat, k_dry, texture) = (
            terms.porosity,
            terms.kappa_saturated,
            terms.kappa_dry,
            terms.texture,
        );
        let factor = stefan_factor(ddt, n);
        let amplitude_of = |h: f64| FREEZING_EXPANSION * (h * factor).sqrt();
        // The target of θ·κ_t(θ).
        let target = (amplitude / FREEZING_EXPANSION).powi(2) / factor;

        // Saturated end: κ_t(φ) = κ_sat.
        let h_sat = phi * k_sat;
        if target > h_sat * (1.0 + END_SLACK) {
            return Err(Error::AmplitudeTooLarge {
                amplitude,
                max_amplitude: amplitude_of(h_sat),
                porosity: phi,
                ddt,
                index: None,
            });
        }
        if target >= h_sat {
            return Ok(finish(phi, 1));
        }

        // Dry branch: κ_t = κ_dry for S_r ≤ the texture's dry limit.
        let theta_dry = unfrozen_dry_limit(texture) * phi;
        let h_dry = theta_dry * k_dry;
        if target <= h_dry * (1.0 + END_SLACK) {
            return Ok(finish((target / k_dry).min(theta_dry), 1));
        }
        let log_slope = unfrozen_log_slope(texture);
        if texture == Texture::Coarse {
            // Ke jumps from 0 to 0.7·log10(0.05) + 1 at S_r = 0.05.
            let ke_jump = 0.7 * crate::kersten::COARSE_DRY_LIMIT.log10() + 1.0;
            let h_high = theta_dry * (k_dry + (k_sat - k_dry) * ke_jump);
            // The upper end is attained only in the limit S_r → 0.05⁺; the slack
            // keeps forward values computed there (rounding) explainable.
            if target < h_high * (1.0 - END_SLACK) {
                return Err(Error::AmplitudeInKerstenGap {
                    amplitude,
                    low: amplitude_of(h_dry),
                    high: amplitude_of(h_high),
                    index: None,
                });
            }
        }

        // Wet branch: relaxed fixed point (Newton on F(u) = u + ln κ_t(e^u) − ln A).
        // There κ_t(e^u) = κ_dry + (κ_sat − κ_dry)·(a·(u − ln φ)/ln 10 + 1) is
        // linear in u; it is evaluated in that form so that F stays continuous
        // at the lower end of the bracket (the coarse-soil jump).
        let ln_phi = phi.ln();
        let ln_target = target.ln();
        let kappa_wet = |u: f64| k_dry + (k_sat - k_dry) * (log_slope * (u - ln_phi) + 1.0);
        let residual = |u: f64| u + kappa_wet(u).ln() - ln_target;
        let derivative = |u: f64| 1.0 + (k_sat - k_dry) * log_slope / kappa_wet(u);
        let mut lo = theta_dry.ln().max((target / k_sat.max(k_dry)).ln());
        let mut hi = ln_phi;
        let mut u = lo;
        let mut step = f64::INFINITY;
        for iteration in 1..=p.max_iterations() {
            let f = residual(u);
            if f == 0.0 {
                return Ok(finish(u.exp().min(phi), iteration));
            }
            if f < 0.0 {
                lo = u;
            } else {
                hi = u;
            }
            let slope = derivative(u);
            let mut next = u - f / slope;
            if !(slope > 0.0 && next >= lo && next <= hi) {
                next = 0.5 * (lo + hi);
            }
            step = next - u;
            u = next;
            if step.abs() <= p.tolerance() {
                return Ok(finish(u.exp().min(phi), iteration));
            }
        }
        Err(Error::NotConverged {
            amplitude,
            iterations: p.max_iterations(),
            theta: u.exp(),
            step,
            index: None,
        })
    }
}
