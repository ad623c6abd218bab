//! Model parameters: a builder with documented defaults, validated into the
//! [`Johansen`] model that every computation takes.

use crate::constants::DEFAULT_PARTICLE_DENSITY;
use crate::error::{Error, Result};
use crate::soil::Texture;

/// How the quartz content q (fraction of the solids) follows from the sand
/// fraction. All three mappings of SCIENCE.md §1 are in use in land models.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum QuartzMapping {
    /// q = sand (the S-PECM study; the default).
    Sand,
    /// q = 0.5·sand.
    HalfSand,
    /// q = min(max, factor·sand); [`QuartzMapping::CAPPED`] is
    /// min(0.8, 0.92·sand).
    Capped {
        /// Upper bound of q, in \[0, 1\].
        max: f64,
        /// Factor on the sand fraction, ≥ 0.
        factor: f64,
    },
    /// A fixed q in \[0, 1\] whatever the sand fraction.
    Fixed(f64),
}

impl QuartzMapping {
    /// q = min(0.8, 0.92·sand).
    pub const CAPPED: QuartzMapping = QuartzMapping::Capped {
        max: 0.8,
        factor: 0.92,
    };

    /// The quartz content for a sand fraction (`NaN` stays `NaN`, except
    /// for [`QuartzMapping::Fixed`], which ignores the sand fraction).
    pub fn quartz(&self, sand: f64) -> f64 {
        match *self {
            QuartzMapping::Sand => sand,
            QuartzMapping::HalfSand => 0.5 * sand,
            QuartzMapping::Capped { max, factor } => {
                let q = factor * sand;
                if q.is_nan() {
                    q
                } else {
                    q.min(max)
                }
            }
            QuartzMapping::Fixed(q) => q,
        }
    }

    fn validate(&self) -> Result<()> {
        let unit = |name: &'static str, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(Error::invalid_parameter(name, v, "must lie in [0, 1]"))
            }
        };
        match *self {
            QuartzMapping::Sand | QuartzMapping::HalfSand => Ok(()),
            QuartzMapping::Capped { max, factor } => {
                unit("quartz (Capped max)", max)?;
                if factor.is_finite() && factor >= 0.0 {
                    Ok(())
                } else {
                    Err(Error::invalid_parameter(
                        "quartz (Capped factor)",
                        factor,
                        "must be finite and ≥ 0",
                    ))
                }
            }
            QuartzMapping::Fixed(q) => unit("quartz (Fixed)", q),
        }
    }
}

/// Which soils count as coarse (for the unfrozen Kersten number).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TextureRule {
    /// Coarse when the sand fraction is at least this threshold, fine
    /// otherwise. The default is `SandAtLeast(0.5)`.
    SandAtLeast(f64),
    /// Every soil is coarse.
    AllCoarse,
    /// Every soil is fine.
    AllFine,
}

impl TextureRule {
    /// The texture of a soil with this sand fraction. A `NaN` sand fraction
    /// gives [`Texture::Fine`] under `SandAtLeast`; the model then returns
    /// `NaN` anyway.
    pub fn texture(&self, sand: f64) -> Texture {
        match *self {
            TextureRule::SandAtLeast(threshold) if sand >= threshold => Texture::Coarse,
            TextureRule::SandAtLeast(_) => Texture::Fine,
            TextureRule::AllCoarse => Texture::Coarse,
            TextureRule::AllFine => Texture::Fine,
        }
    }
}

/// What the inverse does when no θ explains an amplitude (too large, in the
/// coarse-soil Kersten gap) or the iteration does not converge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OnNoSolution {
    /// Return the error (the default).
    #[default]
    Error,
    /// Return `NaN` for θ, κ_t and the thaw depth, so that a raster inversion
    /// goes on over the remaining pixels.
    Nan,
}

/// Parameters of the Johansen model and the Stefan solution, with defaults.
///
/// | parameter | default | setter |
/// |---|---|---|
/// | particle density ρ_s | 2650 kg m⁻³ | [`with_particle_density`](Params::with_particle_density) |
/// | quartz mapping | q = sand | [`with_quartz`](Params::with_quartz) |
/// | coarse/fine rule | sand ≥ 0.5 is coarse | [`with_texture_rule`](Params::with_texture_rule) |
/// | thaw n-factor n_t | 1 | [`with_n_factor`](Params::with_n_factor) |
/// | inverse tolerance (step in ln θ) | 1e-12 | [`with_tolerance`](Params::with_tolerance) |
/// | inverse max iterations | 100 | [`with_max_iterations`](Params::with_max_iterations) |
/// | inverse without solution | error | [`with_on_no_solution`](Params::with_on_no_solution) |
/// | rayon over raster rows | on | [`with_parallel`](Params::with_parallel) |
///
/// The setters do not fail; [`Params::build`] checks everything and returns
/// the [`Johansen`] model.
///
/// ```
/// use thermo_johansen::{Params, QuartzMapping};
/// let model = Params::new()
///     .with_particle_density(2700.0)
///     .with_quartz(QuartzMapping::CAPPED)
///     .build()?;
/// assert_eq!(model.params().particle_density(), 2700.0);
/// assert!(Params::new().with_particle_density(-1.0).build().is_err());
/// # Ok::<(), thermo_johansen::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    particle_density: f64,
    quartz: QuartzMapping,
    texture_rule: TextureRule,
    n_factor: f64,
    tolerance: f64,
    max_iterations: usize,
    on_no_solution: OnNoSolution,
    parallel: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            particle_density: DEFAULT_PARTICLE_DENSITY,
            quartz: QuartzMapping::Sand,
            texture_rule: TextureRule::SandAtLeast(0.5),
            n_factor: 1.0,
            tolerance: 1e-12,
            max_iterations: 100,
            on_no_solution: OnNoSolution::Error,
            parallel: true,
        }
    }
}

/// Upper bound of the particle density: the dry-conductivity denominator
/// 2700 − 0.947·ρ_b must stay positive for every ρ_b < ρ_s.
pub const MAX_PARTICLE_DENSITY: f64 = 2700.0 / 0.947;

impl Params {
    /// The defaults (see the table on [`Params`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Particle density ρ_s in kg m⁻³ (porosity φ = 1 − ρ_b/ρ_s); must lie in
    /// (0, 2700/0.947 ≈ 2851) so that κ_dry stays finite and positive.
    #[must_use]
    pub fn with_particle_density(mut self, particle_density: f64) -> Self {
        self.particle_density = particle_density;
        self
    }

    /// The quartz mapping (see [`QuartzMapping`]).
    #[must_use]
    pub fn with_quartz(mut self, quartz: QuartzMapping) -> Self {
        self.quartz = quartz;
        self
    }

    /// The coarse/fine rule (see [`TextureRule`]).
    #[must_use]
    pub fn with_texture_rule(mut self, texture_rule: TextureRule) -> Self {
        self.texture_rule = texture_rule;
        self
    }

    /// The thaw n-factor n_t (ground/air or ground/surface thawing index
    /// ratio) on DDT in the Stefan solution; finite and > 0.
    #[must_use]
    pub fn with_n_factor(mut self, n_factor: f64) -> Self {
        self.n_factor = n_factor;
        self
    }

    /// Convergence tolerance of the inverse: the iteration stops when a step
    /// changes ln θ by at most this much (≈ relative change of θ); in
    /// (0, 1e-3].
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Iteration cap of the inverse, ≥ 1.
    #[must_use]
    pub fn with_max_iterations(mut self, max_iterations: usize) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// What the inverse does when no θ explains an amplitude.
    #[must_use]
    pub fn with_on_no_solution(mut self, on_no_solution: OnNoSolution) -> Self {
        self.on_no_solution = on_no_solution;
        self
    }

    /// Whether raster functions spread rows over the rayon thread pool.
    /// Results are identical either way (every pixel is independent).
    #[must_use]
    pub fn with_parallel(mut self, parallel: bool) -> Self {
        self.parallel = parallel;
        self
    }

    /// Particle density ρ_s, kg m⁻³.
    pub fn particle_density(&self) -> f64 {
        self.particle_density
    }

    /// The quartz mapping.
    pub fn quartz(&self) -> QuartzMapping {
        self.quartz
    }

    /// The coarse/fine rule.
    pub fn texture_rule(&self) -> TextureRule {
        self.texture_rule
    }

    /// The thaw n-factor n_t.
    pub fn n_factor(&self) -> f64 {
        self.n_factor
    }

    /// Convergence tolerance of the inverse (step in ln θ).
    pub fn tolerance(&self) -> f64 {
        self.tolerance
    }

    /// Iteration cap of the inverse.
    pub fn max_iterations(&self) -> usize {
        self.max_iterations
    }

    /// What the inverse does when no θ explains an amplitude.
    pub fn on_no_solution(&self) -> OnNoSolution {
        self.on_no_solution
    }

    /// Whether raster functions run rows in parallel.
    pub fn parallel(&self) -> bool {
        self.parallel
    }

    /// Checks every parameter and returns the model.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the first invalid parameter.
    pub fn build(self) -> Result<Johansen> {
        let rho_s = self.particle_density;
        if !(rho_s > 0.0 && rho_s < MAX_PARTICLE_DENSITY) {
            return Err(Error::invalid_parameter(
                "particle_density",
                rho_s,
                format!("must lie in (0, {MAX_PARTICLE_DENSITY:.1}) kg m⁻³"),
            ));
        }
        self.quartz.validate()?;
        if let TextureRule::SandAtLeast(t) = self.texture_rule {
            if !(0.0..=1.0).contains(&t) {
                return Err(Error::invalid_parameter(
                    "texture_rule (SandAtLeast threshold)",
                    t,
                    "must lie in [0, 1]",
                ));
            }
        }
        if !(self.n_factor.is_finite() && self.n_factor > 0.0) {
            return Err(Error::invalid_parameter(
                "n_factor",
                self.n_factor,
                "must be finite and > 0",
            ));
        }
        if !(self.tolerance > 0.0 && self.tolerance <= 1e-3) {
            return Err(Error::invalid_parameter(
                "tolerance",
                self.tolerance,
                "must lie in (0, 1e-3]",
            ));
        }
        if self.max_iterations == 0 {
            return Err(Error::invalid_parameter(
                "max_iterations",
                self.max_iterations,
                "must be ≥ 1",
            ));
        }
        Ok(Johansen { params: self })
    }
}

/// The validated model: Johansen conductivities, the Stefan solution and its
/// inverse, in scalar and raster form. Made by [`Params::build`];
/// `Johansen::default()` uses the default parameters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Johansen {
    pub(crate) params: Params,
}

impl Johansen {
    /// The parameters this model was built from.
    pub fn params(&self) -> &Params {
        &self.params
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartz_mappings() {
        assert_eq!(QuartzMapping::Sand.quartz(0.6), 0.6);
        assert_eq!(QuartzMapping::HalfSand.quartz(0.6), 0.3);
        assert!((QuartzMapping::CAPPED.quartz(0.5) - 0.46).abs() < 1e-15);
        assert_eq!(QuartzMapping::CAPPED.quartz(0.95), 0.8);
        assert!(QuartzMapping::CAPPED.quartz(f64::NAN).is_nan());
        assert_eq!(QuartzMapping::Fixed(0.3).quartz(0.9), 0.3);
    }

    #[test]
    fn texture_rule_threshold_is_inclusive() {
        let r = TextureRule::SandAtLeast(0.5);
        assert_eq!(r.texture(0.5), Texture::Coarse);
        assert_eq!(r.texture(0.4999), Texture::Fine);
        assert_eq!(TextureRule::AllCoarse.texture(0.0), Texture::Coarse);
        assert_eq!(TextureRule::AllFine.texture(1.0), Texture::Fine);
    }

    #[test]
    fn build_rejects_each_bad_parameter_by_name() {
        let name = |p: Params| match p.build() {
            Err(Error::InvalidParameter { name, .. }) => name,
            other => panic!("expected InvalidParameter, got {other:?}"),
        };
        assert_eq!(
            name(Params::new().with_particle_density(0.0)),
            "particle_density"
        );
        assert_eq!(
            name(Params::new().with_particle_density(f64::NAN)),
            "particle_density"
        );
        assert_eq!(
            name(Params::new().with_particle_density(2900.0)),
            "particle_density"
        );
        assert_eq!(
            name(Params::new().with_quartz(QuartzMapping::Fixed(1.2))),
            "quartz (Fixed)"
        );
        assert_eq!(
            name(Params::new().with_quartz(QuartzMapping::Capped {
                max: 0.8,
                factor: -1.0
            })),
            "quartz (Capped factor)"
        );
        assert_eq!(
            name(Params::new().with_texture_rule(TextureRule::SandAtLeast(1.5))),
            "texture_rule (SandAtLeast threshold)"
        );
        assert_eq!(name(Params::new().with_n_factor(0.0)), "n_factor");
        assert_eq!(name(Params::new().with_tolerance(0.0)), "tolerance");
        assert_eq!(name(Params::new().with_max_iterations(0)), "max_iterations");
        let e = Params::new()
            .with_particle_density(-5.0)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("-5"), "{e}");
        assert_eq!(Params::new().build().unwrap(), Johansen::default());
    }
}
