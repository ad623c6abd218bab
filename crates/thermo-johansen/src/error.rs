//! The crate's error type.

use std::fmt;

/// Errors of `thermo-johansen`. Each variant names the offending input or
/// parameter and its value and, for raster inputs, the pixel `(row, col)`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A (non-NaN) input value lies outside its physical range.
    #[error("{input} = {value}{at} is out of range: {expected}", at = At(*index))]
    OutOfRange {
        /// The input's argument name (`bulk_density`, `sand`, `theta`, …).
        input: &'static str,
        /// The value given.
        value: f64,
        /// The range it must lie in.
        expected: String,
        /// The pixel `(row, col)` for raster inputs; `None` for scalars.
        index: Option<(usize, usize)>,
    },
    /// A model parameter is invalid (reported by [`Params::build`](crate::Params::build)).
    #[error("parameter {name} = {value} is invalid: {expected}")]
    InvalidParameter {
        /// The parameter's name (as in its `with_…` setter).
        name: &'static str,
        /// The value given, formatted.
        value: String,
        /// What it must be.
        expected: String,
    },
    /// A raster input does not have the shape of the first raster input.
    #[error("raster {input} has shape {found:?}, but {reference} has shape {expected:?}")]
    ShapeMismatch {
        /// The raster whose shape differs.
        input: &'static str,
        /// Its shape `(rows, cols)`.
        found: (usize, usize),
        /// The first raster input, which sets the shape.
        reference: &'static str,
        /// The shape of `reference`.
        expected: (usize, usize),
    },
    /// All inputs of a raster function are scalars, so the output shape is unknown.
    #[error("no raster among the inputs of {function}: at least one must be an array (use the scalar form for single points)")]
    NoRaster {
        /// The function called.
        function: &'static str,
    },
    /// The seasonal amplitude exceeds the subsidence of a saturated active
    /// layer (θ = φ), so no θ in (0, φ] explains it.
    #[error(
        "amplitude = {amplitude} m{at} cannot be explained by any θ in (0, φ]: \
         it exceeds {max_amplitude} m, the Stefan subsidence of a saturated active layer \
         (θ = φ = {porosity}) for this soil and DDT = {ddt} °C·day",
        at = At(*index)
    )]
    AmplitudeTooLarge {
        /// The amplitude given, m.
        amplitude: f64,
        /// The largest amplitude this soil and DDT can produce, m.
        max_amplitude: f64,
        /// The soil's porosity φ.
        porosity: f64,
        /// The thawing degree days, °C·day.
        ddt: f64,
        /// The pixel `(row, col)` for raster inputs; `None` for scalars.
        index: Option<(usize, usize)>,
    },
    /// The seasonal amplitude falls in the jump of the coarse-soil Kersten
    /// number at S_r = 0.05 (Ke jumps from 0 to 0.7·log10 0.05 + 1 ≈ 0.09), so
    /// no θ explains it exactly.
    #[error(
        "amplitude = {amplitude} m{at} cannot be explained by any θ in (0, φ]: \
         it falls in ({low} m, {high} m), the jump of the coarse-soil Kersten number at S_r = 0.05",
        at = At(*index)
    )]
    AmplitudeInKerstenGap {
        /// The amplitude given, m.
        amplitude: f64,
        /// The subsidence at S_r = 0.05 (Ke = 0), m.
        low: f64,
        /// The subsidence just above S_r = 0.05, m.
        high: f64,
        /// The pixel `(row, col)` for raster inputs; `None` for scalars.
        index: Option<(usize, usize)>,
    },
    /// The fixed-point iteration of the inverse did not converge.
    #[error(
        "inversion of amplitude = {amplitude} m{at} did not converge in {iterations} iterations \
         (last θ = {theta}, last relative step {step:e})",
        at = At(*index)
    )]
    NotConverged {
        /// The amplitude given, m.
        amplitude: f64,
        /// Iterations done.
        iterations: usize,
        /// The last iterate θ, m³ m⁻³.
        theta: f64,
        /// The last step in ln θ (≈ relative change of θ).
        step: f64,
        /// The pixel `(row, col)` for raster inputs; `None` for scalars.
        index: Option<(usize, usize)>,
    },
}

/// Result alias of `thermo-johansen`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The same error located at pixel `(row, col)` of a raster (variants
    /// without a pixel are returned unchanged).
    #[must_use]
    pub fn at(mut self, row: usize, col: usize) -> Self {
        match &mut self {
            Error::OutOfRange { index, .. }
            | Error::AmplitudeTooLarge { index, .. }
            | Error::AmplitudeInKerstenGap { index, .. }
            | Error::NotConverged { index, .. } => *index = Some((row, col)),
            Error::InvalidParameter { .. }
            | Error::ShapeMismatch { .. }
            | Error::NoRaster { .. } => {}
        }
        self
    }

    /// The pixel `(row, col)` the error refers to, if any.
    pub fn index(&self) -> Option<(usize, usize)> {
        match self {
            Error::OutOfRange { index, .. }
            | Error::AmplitudeTooLarge { index, .. }
            | Error::AmplitudeInKerstenGap { index, .. }
            | Error::NotConverged { index, .. } => *index,
            Error::InvalidParameter { .. }
            | Error::ShapeMismatch { .. }
            | Error::NoRaster { .. } => None,
        }
    }

    pub(crate) fn out_of_range(
        input: &'static str,
        value: f64,
        expected: impl Into<String>,
    ) -> Self {
        Error::OutOfRange {
            input,
            value,
            expected: expected.into(),
            index: None,
        }
    }

    pub(crate) fn invalid_parameter(
        name: &'static str,
        value: impl fmt::Debug,
        expected: impl Into<String>,
    ) -> Self {
        Error::InvalidParameter {
            name,
            value: format!("{value:?}"),
            expected: expected.into(),
        }
    }
}

/// Formats an optional pixel index as ` at (row r, col c)`.
struct At(Option<(usize, usize)>);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some((row, col)) => write!(f, " at (row {row}, col {col})"),
            None => Ok(()),
        }
    }
}
