//! Johansen (1975) thermal conductivity: the bare formulas (public functions,
//! no range checks, `NaN` in gives `NaN` out) and the checked scalar forms on
//! [`Johansen`].

use crate::constants::{
    DRY_SATURATION_LIMIT, KAPPA_ICE, KAPPA_OTHER_MINERALS, KAPPA_OTHER_MINERALS_LOW_QUARTZ,
    KAPPA_QUARTZ, KAPPA_WATER, LOW_QUARTZ_LIMIT,
};
use crate::error::{Error, Result};
use crate::kersten::kersten;
use crate::params::Johansen;
use crate::soil::{Phase, Soil, Texture};

/// Porosity φ = 1 − ρ_b/ρ_s (both in kg m⁻³).
pub fn porosity(bulk_density: f64, particle_density: f64) -> f64 {
    1.0 - bulk_density / particle_density
}

/// Degree of saturation S_r = θ/φ clamped to \[0, 1\].
pub fn saturation(theta: f64, porosity: f64) -> f64 {
    (theta / porosity).clamp(0.0, 1.0)
}

/// Conductivity κ_o of the non-quartz minerals: 3.0 W m⁻¹ K⁻¹ when q ≤ 0.2,
/// else 2.0 (Johansen 1975; Peters-Lidard et al. 1998).
pub fn other_minerals_conductivity(quartz: f64) -> f64 {
    if quartz.is_nan() {
        f64::NAN
    } else if quartz <= LOW_QUARTZ_LIMIT {
        KAPPA_OTHER_MINERALS_LOW_QUARTZ
    } else {
        KAPPA_OTHER_MINERALS
    }
}

/// Conductivity of the solids κ_s = κ_q^q · κ_o^(1−q) (geometric mean).
pub fn solids_conductivity(quartz: f64) -> f64 {
    KAPPA_QUARTZ.powf(quartz) * other_minerals_conductivity(quartz).powf(1.0 - quartz)
}

/// Saturated conductivity: κ_s^(1−φ)·κ_w^φ thawed, κ_s^(1−φ)·κ_i^φ frozen.
pub fn saturated_conductivity(kappa_solids: f64, porosity: f64, phase: Phase) -> f64 {
    let kappa_pore = match phase {
        Phase::Thawed => KAPPA_WATER,
        Phase::Frozen => KAPPA_ICE,
    };
    kappa_solids.powf(1.0 - porosity) * kappa_pore.powf(porosity)
}

/// Dry conductivity κ_dry = (0.135·ρ_d + 64.7)/(2700 − 0.947·ρ_d), ρ_d the dry
/// bulk density in kg m⁻³ (Johansen 1975; Farouki 1981).
pub fn dry_conductivity(bulk_density: f64) -> f64 {
    (0.135 * bulk_density + 64.7) / (2700.0 - 0.947 * bulk_density)
}

/// The study's Eq. 1: κ = (κ_sat − κ_dry)·Ke + κ_dry when S_r > 1e-5, else
/// κ_dry. A `NaN` saturation gives `NaN`.
pub fn combine(kappa_saturated: f64, kappa_dry: f64, kersten: f64, saturation: f64) -> f64 {
    if saturation > DRY_SATURATION_LIMIT {
        (kappa_saturated - kappa_dry) * kersten + kappa_dry
    } else if saturation.is_nan() {
        f64::NAN
    } else {
        kappa_dry
    }
}

/// Every intermediate of one conductivity evaluation, for checks and plots.
///
/// Fields that depend on a `NaN` input are `NaN`; `kappa` is `NaN` whenever
/// any input is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConductivityTerms {
    /// Porosity φ.
    pub porosity: f64,
    /// Degree of saturation S_r = θ/φ in \[0, 1\].
    pub saturation: f64,
    /// Quartz content q.
    pub quartz: f64,
    /// κ_o, W m⁻¹ K⁻¹.
    pub kappa_other: f64,
    /// κ_s, W m⁻¹ K⁻¹.
    pub kappa_solids: f64,
    /// κ_sat of the requested phase, W m⁻¹ K⁻¹.
    pub kappa_saturated: f64,
    /// κ_dry, W m⁻¹ K⁻¹.
    pub kappa_dry: f64,
    /// Coarse or fine (by the model's [`TextureRule`](crate::TextureRule)).
    pub texture: Texture,
    /// Kersten number Ke.
    pub kersten: f64,
    /// The conductivity κ, W m⁻¹ K⁻¹.
    pub kappa: f64,
}

/// Thawed and frozen conductivity of one soil and their ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conductivities {
    /// κ_t: thaw-season θ, unfrozen formulas, W m⁻¹ K⁻¹.
    pub thawed: f64,
    /// κ_f: freeze-season θ, frozen formulas, W m⁻¹ K⁻¹.
    pub frozen: f64,
    /// κ_f/κ_t, the ratio the PECM seasonal basis needs.
    pub ratio: f64,
}

impl Johansen {
    /// Checks a soil: ρ_b in (0, ρ_s) and sand in \[0, 1\]; `NaN` passes.
    pub(crate) fn check_soil(&self, soil: &Soil) -> Result<()> {
        let rho_s = self.params.particle_density();
        let b = soil.bulk_density;
        if !(b.is_nan() || (b > 0.0 && b < rho_s)) {
            return Err(Error::out_of_range(
                "bulk_density",
                b,
                format!(
                    "must lie in (0, {rho_s}) kg m⁻³, below the particle density \
                     (SoilGrids bdod is in cg cm⁻³: multiply by 10)"
                ),
            ));
        }
        let s = soil.sand;
        if !(s.is_nan() || (0.0..=1.0).contains(&s)) {
            return Err(Error::out_of_range(
                "sand",
                s,
                "must lie in [0, 1] (a fraction; SoilGrids sand is in g kg⁻¹: divide by 1000)",
            ));
        }
        Ok(())
    }

    /// Porosity φ = 1 − ρ_b/ρ_s of a dry bulk density (kg m⁻³).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] when ρ_b is not in (0, ρ_s).
    pub fn porosity(&self, bulk_density: f64) -> Result<f64> {
        self.check_soil(&Soil::new(bulk_density, 0.0))?;
        Ok(porosity(bulk_density, self.params.particle_density()))
    }

    /// Every intermediate of κ for a soil, water content θ (m³ m⁻³) and phase.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] when ρ_b ∉ (0, ρ_s), sand ∉ \[0, 1\] or θ is
    /// negative or infinite. `NaN` inputs are not errors.
    pub fn terms(&self, soil: &Soil, theta: f64, phase: Phase) -> Result<ConductivityTerms> {
        self.check_soil(soil)?;
        check_water("theta", theta)?;
        Ok(self.terms_unchecked(soil, theta, phase))
    }

    /// The parts of the model that depend on the soil only (shared by the
    /// thawed and frozen evaluations).
    fn soil_part(&self, soil: &Soil) -> SoilPart {
        let p = &self.params;
        let porosity = porosity(soil.bulk_density, p.particle_density());
        let quartz = p.quartz().quartz(soil.sand);
        let kappa_solids = solids_conductivity(quartz);
        SoilPart {
            porosity,
            quartz,
            kappa_other: other_minerals_conductivity(quartz),
            kappa_solids,
            solids_factor: kappa_solids.powf(1.0 - porosity),
            kappa_dry: dry_conductivity(soil.bulk_density),
            texture: p.texture_rule().texture(soil.sand),
        }
    }

    pub(crate) fn terms_unchecked(
        &self,
        soil: &Soil,
        theta: f64,
        phase: Phase,
    ) -> ConductivityTerms {
        terms_from(&self.soil_part(soil), soil, theta, phase)
    }

    /// Thermal conductivity κ (W m⁻¹ K⁻¹) for a soil, water content θ
    /// (m³ m⁻³) and phase.
    ///
    /// # Errors
    /// As [`Johansen::terms`].
    pub fn conductivity(&self, soil: &Soil, theta: f64, phase: Phase) -> Result<f64> {
        Ok(self.terms(soil, theta, phase)?.kappa)
    }

    /// κ_t (thaw-season θ, unfrozen formulas), κ_f (freeze-season θ, frozen
    /// formulas) and κ_f/κ_t.
    ///
    /// # Errors
    /// As [`Johansen::terms`], naming `theta_thaw` or `theta_freeze`.
    pub fn conductivities(
        &self,
        soil: &Soil,
        theta_thaw: f64,
        theta_freeze: f64,
    ) -> Result<Conductivities> {
        self.check_soil(soil)?;
        check_water("theta_thaw", theta_thaw)?;
        check_water("theta_freeze", theta_freeze)?;
        let part = self.soil_part(soil);
        let thawed = terms_from(&part, soil, theta_thaw, Phase::Thawed).kappa;
        let frozen = terms_from(&part, soil, theta_freeze, Phase::Frozen).kappa;
        Ok(Conductivities {
            thawed,
            frozen,
            ratio: frozen / thawed,
        })
    }
}

/// The soil-only parts of a conductivity evaluation.
struct SoilPart {
    porosity: f64,
    quartz: f64,
    kappa_other: f64,
    kappa_solids: f64,
    /// κ_s^(1−φ), the solids' factor of κ_sat.
    solids_factor: f64,
    kappa_dry: f64,
    texture: Texture,
}

/// One evaluation from the soil-only parts; the same arithmetic, in the same
/// order, as the public formula functions.
fn terms_from(part: &SoilPart, soil: &Soil, theta: f64, phase: Phase) -> ConductivityTerms {
    let phi = part.porosity;
    let sr = saturation(theta, phi);
    let kappa_pore = match phase {
        Phase::Thawed => KAPPA_WATER,
        Phase::Frozen => KAPPA_ICE,
    };
    let kappa_saturated = part.solids_factor * kappa_pore.powf(phi);
    let mut ke = kersten(sr, phase, part.texture);
    if phase == Phase::Thawed && soil.sand.is_nan() {
        ke = f64::NAN;
    }
    let mut kappa = combine(kappa_saturated, part.kappa_dry, ke, sr);
    if soil.is_nan() || theta.is_nan() {
        kappa = f64::NAN;
    }
    ConductivityTerms {
        porosity: phi,
        saturation: sr,
        quartz: part.quartz,
        kappa_other: part.kappa_other,
        kappa_solids: part.kappa_solids,
        kappa_saturated,
        kappa_dry: part.kappa_dry,
        texture: part.texture,
        kersten: ke,
        kappa,
    }
}

/// Checks a water content (or any quantity that must be finite and ≥ 0);
/// `NaN` passes.
pub(crate) fn check_water(name: &'static str, value: f64) -> Result<()> {
    if value.is_nan() || (value.is_finite() && value >= 0.0) {
        Ok(())
    } else {
        Err(Error::out_of_range(
            name,
            value,
            "must be finite and ≥ 0 m³ m⁻³",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The model's shared-part evaluation is bit-identical to the public
    /// formula functions composed by hand.
    #[test]
    fn model_matches_public_formulas_bit_for_bit() {
        let model = Johansen::default();
        for (b, sand, theta) in [(1300.0, 0.1, 0.3), (1600.0, 0.9, 0.02), (900.0, 0.55, 0.5)] {
            for phase in [Phase::Thawed, Phase::Frozen] {
                let t = model.terms(&Soil::new(b, sand), theta, phase).unwrap();
                let phi = porosity(b, 2650.0);
                let sr = saturation(theta, phi);
                let ks = solids_conductivity(sand);
                let ksat = saturated_conductivity(ks, phi, phase);
                let kdry = dry_conductivity(b);
                let texture = if sand >= 0.5 {
                    Texture::Coarse
                } else {
                    Texture::Fine
                };
                let ke = kersten(sr, phase, texture);
                assert_eq!(t.kappa_saturated.to_bits(), ksat.to_bits());
                assert_eq!(t.kappa.to_bits(), combine(ksat, kdry, ke, sr).to_bits());
            }
        }
    }

    #[test]
    fn kappa_other_rule_at_the_limit() {
        assert_eq!(other_minerals_conductivity(0.2), 3.0);
        assert_eq!(other_minerals_conductivity(0.2000001), 2.0);
        assert!(other_minerals_conductivity(f64::NAN).is_nan());
        assert_eq!(combine(2.0, 0.5, 0.3, 1e-5), 0.5);
        assert!(combine(2.0, 0.5, 0.3, f64::NAN).is_nan());
    }
}
