//! Parameters, the validated model [`Pecm`], the reference date and the
//! phase ↔ displacement conversion.

use std::f64::consts::PI;

use chrono::NaiveDate;

use crate::basis::{compute, Bases, LeadIn, PecmIndex, SeasonalBasis};
use crate::error::{Error, Result};
use crate::forcing::Forcing;

/// Sentinel-1 C-band radar wavelength (m), as MintPy.
pub const SENTINEL1_WAVELENGTH: f64 = 0.05546576;

/// ALOS-2 PALSAR-2 L-band radar wavelength (m).
pub const PALSAR2_WAVELENGTH: f64 = 0.2424;

/// Interferometric phase (rad) of a LOS displacement (m):
/// φ = −(4π/λ)·D (MintPy's convention: negative displacement, away from the
/// satellite, is positive phase).
///
/// ```
/// use permafrost_pecm::{displacement_to_phase, phase_to_displacement, SENTINEL1_WAVELENGTH};
/// let phi = displacement_to_phase(-0.01, SENTINEL1_WAVELENGTH);
/// assert!((phi - 4.0 * std::f64::consts::PI * 0.01 / SENTINEL1_WAVELENGTH).abs() < 1e-12);
/// assert!((phase_to_displacement(phi, SENTINEL1_WAVELENGTH) + 0.01).abs() < 1e-15);
/// ```
pub fn displacement_to_phase(displacement: f64, wavelength: f64) -> f64 {
    -4.0 * PI / wavelength * displacement
}

/// LOS displacement (m) of an interferometric phase (rad): D = −λ/(4π)·φ.
pub fn phase_to_displacement(phase: f64, wavelength: f64) -> f64 {
    -wavelength / (4.0 * PI) * phase
}

/// The date the displacement series and the model are referred to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Reference {
    /// The first date (MintPy's default reference date).
    #[default]
    First,
    /// The date with this index.
    Index(usize),
    /// This date (must be one of the dates).
    Date(NaiveDate),
}

/// Which information criterion picks the preferred model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Criterion {
    /// Akaike: n·ln(WRSS/n) + 2k (the default).
    #[default]
    Aic,
    /// Akaike with the small-sample correction: AIC + 2k(k+1)/(n − k − 1).
    Aicc,
    /// Bayesian (Schwarz): n·ln(WRSS/n) + k·ln n.
    Bic,
}

/// Parameters of the PECM fits, with defaults.
///
/// | parameter | default | setter |
/// |---|---|---|
/// | radar wavelength λ | 0.05546576 m (Sentinel-1) | [`with_wavelength`](Params::with_wavelength) |
/// | reference date | the first date | [`with_reference`](Params::with_reference) |
/// | dates before the first thaw onset | frozen (L = I = 0) | [`with_lead_in`](Params::with_lead_in) |
/// | free offset c in the PECM and Stefan fits | no (the model is referred to the reference date) | [`with_offset`](Params::with_offset) |
/// | criterion for the preferred model | AIC | [`with_criterion`](Params::with_criterion) |
/// | fit the rival models in the raster form | yes | [`with_rivals`](Params::with_rivals) |
/// | keep the residual series in the raster form | no | [`with_residuals`](Params::with_residuals) |
/// | rayon over raster rows | on | [`with_parallel`](Params::with_parallel) |
///
/// The setters do not fail; [`Params::build`] checks everything and returns
/// the [`Pecm`] model.
///
/// ```
/// use permafrost_pecm::{Params, Reference, PALSAR2_WAVELENGTH};
/// let pecm = Params::new()
///     .with_wavelength(PALSAR2_WAVELENGTH)
///     .with_reference(Reference::Index(3))
///     .build()?;
/// assert_eq!(pecm.params().wavelength(), 0.2424);
/// assert!(Params::new().with_wavelength(-1.0).build().is_err());
/// # Ok::<(), permafrost_pecm::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    wavelength: f64,
    reference: Reference,
    lead_in: LeadIn,
    offset: bool,
    criterion: Criterion,
    rivals: bool,
    residuals: bool,
    parallel: bool,
}

impl Default for Params {
    fn default() -> Self {
        Self::new()
    }
}

impl Params {
    /// The defaults (see the table above).
    pub fn new() -> Self {
        Params {
            wavelength: SENTINEL1_WAVELENGTH,
            reference: Reference::First,
            lead_in: LeadIn::Frozen,
            offset: false,
            criterion: Criterion::Aic,
            rivals: true,
            residuals: false,
            parallel: true,
        }
    }

    /// Radar wavelength λ (m), finite and > 0.
    #[must_use]
    pub fn with_wavelength(mut self, wavelength: f64) -> Self {
        self.wavelength = wavelength;
        self
    }

    /// The reference date of the displacement series.
    #[must_use]
    pub fn with_reference(mut self, reference: Reference) -> Self {
        self.reference = reference;
        self
    }

    /// What the bases are before the first thaw onset.
    #[must_use]
    pub fn with_lead_in(mut self, lead_in: LeadIn) -> Self {
        self.lead_in = lead_in;
        self
    }

    /// Fit a free offset c (D = c + v·L + d·Î) instead of referring the
    /// model to the reference date; for series not referenced to one of
    /// their dates. Ignored by the interferogram fit, where it cancels.
    #[must_use]
    pub fn with_offset(mut self, offset: bool) -> Self {
        self.offset = offset;
        self
    }

    /// The information criterion for the preferred model.
    #[must_use]
    pub fn with_criterion(mut self, criterion: Criterion) -> Self {
        self.criterion = criterion;
        self
    }

    /// Whether the raster form also fits the sinusoid and the Stefan model
    /// and reports the preferred model.
    #[must_use]
    pub fn with_rivals(mut self, rivals: bool) -> Self {
        self.rivals = rivals;
        self
    }

    /// Whether the raster form keeps the PECM residual series
    /// `(time, row, col)` (as large as the input).
    #[must_use]
    pub fn with_residuals(mut self, residuals: bool) -> Self {
        self.residuals = residuals;
        self
    }

    /// Whether raster rows are spread over the rayon thread pool (results
    /// are identical either way).
    #[must_use]
    pub fn with_parallel(mut self, parallel: bool) -> Self {
        self.parallel = parallel;
        self
    }

    /// Radar wavelength (m).
    pub fn wavelength(&self) -> f64 {
        self.wavelength
    }

    /// The reference date.
    pub fn reference(&self) -> Reference {
        self.reference
    }

    /// The lead-in policy.
    pub fn lead_in(&self) -> LeadIn {
        self.lead_in
    }

    /// Whether a free offset is fitted.
    pub fn offset(&self) -> bool {
        self.offset
    }

    /// The criterion for the preferred model.
    pub fn criterion(&self) -> Criterion {
        self.criterion
    }

    /// Whether the raster form fits the rivals.
    pub fn rivals(&self) -> bool {
        self.rivals
    }

    /// Whether the raster form keeps residuals.
    pub fn residuals(&self) -> bool {
        self.residuals
    }

    /// Whether raster rows run in parallel.
    pub fn parallel(&self) -> bool {
        self.parallel
    }

    /// Checks the parameters and returns the model.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a wavelength that is not finite and
    /// positive.
    pub fn build(self) -> Result<Pecm> {
        if !(self.wavelength.is_finite() && self.wavelength > 0.0) {
            return Err(Error::invalid_parameter(
                "wavelength",
                self.wavelength,
                "must be finite and > 0 (m)",
            ));
        }
        Ok(Pecm { params: self })
    }
}

/// The validated PECM: builds bases and fits them. Obtain it from
/// [`Params::build`]; `Pecm::default()` has the default parameters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pecm {
    params: Params,
}

impl Pecm {
    /// The parameters.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The PECM bases L(τ) and Î(τ) of a pixel on `dates` (each must be a
    /// sample date of `forcing`), with the Johansen ratio `r0 = κ_f/κ_t`
    /// (`thermo_johansen::Johansen::conductivities(..).ratio`).
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for `r0` not finite and > 0,
    /// [`Error::NotIncreasing`] for dates out of order,
    /// [`Error::DateNotInForcing`], [`Error::NoCycle`],
    /// [`Error::CannotClose`], [`Error::NoFreezeOnset`],
    /// [`Error::NoSeasonalSignal`].
    pub fn bases(&self, forcing: &Forcing, dates: &[NaiveDate], r0: f64) -> Result<Bases> {
        compute(&PecmIndex, forcing, dates, r0, self.params.lead_in)
    }

    /// The bases with another seasonal basis (e.g. [`StefanIndex`](crate::StefanIndex)).
    ///
    /// # Errors
    /// As [`Pecm::bases`].
    pub fn bases_with<B: SeasonalBasis + ?Sized>(
        &self,
        basis: &B,
        forcing: &Forcing,
        dates: &[NaiveDate],
        r0: f64,
    ) -> Result<Bases> {
        compute(basis, forcing, dates, r0, self.params.lead_in)
    }

    /// The index of the reference date among `dates`.
    ///
    /// # Errors
    /// [`Error::ReferenceNotFound`] when it is not among them (or `dates`
    /// is empty).
    pub fn reference_index(&self, dates: &[NaiveDate]) -> Result<usize> {
        let not_found = |reference: String| match (dates.first(), dates.last()) {
            (Some(a), Some(b)) => Error::ReferenceNotFound {
                reference,
                n_dates: dates.len(),
                first: *a,
                last: *b,
            },
            _ => Error::AllMissing { input: "dates" },
        };
        match self.params.reference {
            Reference::First if !dates.is_empty() => Ok(0),
            Reference::First => Err(not_found("first date".into())),
            Reference::Index(i) if i < dates.len() => Ok(i),
            Reference::Index(i) => Err(not_found(format!("index {i}"))),
            Reference::Date(d) => dates
                .binary_search(&d)
                .map_err(|_| not_found(format!("date {d}"))),
        }
    }

    /// The model D(τ) = v·(L(τ) − L(τ_ref)) + d·(Î(τ) − Î(τ_ref)) on the
    /// bases' dates (m, LOS; negative = subsidence).
    ///
    /// # Errors
    /// [`Error::ReferenceNotFound`], [`Error::ReferenceUndefined`].
    pub fn model(
        &self,
        bases: &Bases,
        linear_rate: f64,
        seasonal_amplitude: f64,
    ) -> Result<Vec<f64>> {
        let r = self.reference_index(bases.dates())?;
        let (l, s) = (bases.long_term(), bases.seasonal());
        if !(l[r].is_finite() && s[r].is_finite()) {
            return Err(Error::ReferenceUndefined {
                date: bases.dates()[r],
            });
        }
        Ok(l.iter()
            .zip(s)
            .map(|(li, si)| linear_rate * (li - l[r]) + seasonal_amplitude * (si - s[r]))
            .collect())
    }

    /// φ = −(4π/λ)·D with this model's wavelength.
    pub fn displacement_to_phase(&self, displacement: f64) -> f64 {
        displacement_to_phase(displacement, self.params.wavelength)
    }

    /// D = −λ/(4π)·φ with this model's wavelength.
    pub fn phase_to_displacement(&self, phase: f64) -> f64 {
        phase_to_displacement(phase, self.params.wavelength)
    }
}
