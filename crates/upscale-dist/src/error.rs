//! The crate's error type.

use std::fmt;

/// Errors of `upscale-dist`. Each variant names the offending input or
/// parameter, its value and, where it applies, the index.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter is invalid (reported by the `build` of a parameter
    /// builder or by a constructor).
    #[error("parameter {name} = {value} is invalid: {expected}")]
    InvalidParameter {
        /// The parameter's name (as in its `with_…` setter or constructor argument).
        name: &'static str,
        /// The value given, formatted.
        value: String,
        /// What it must be.
        expected: String,
    },
    /// The cell edges of a grid axis are unusable (too few, not finite, or
    /// not strictly increasing).
    #[error("{axis} edge [{index}] = {value} is invalid: {expected}")]
    InvalidEdges {
        /// `"longitude"` or `"latitude"`.
        axis: &'static str,
        /// The index of the offending edge.
        index: usize,
        /// Its value.
        value: f64,
        /// What the edges must be.
        expected: String,
    },
    /// Two inputs that must have the same length (or shape) do not.
    #[error("{input} has length {found}, but {reference} has length {expected}")]
    LengthMismatch {
        /// The input whose length differs.
        input: &'static str,
        /// Its length.
        found: usize,
        /// The input that sets the length.
        reference: &'static str,
        /// The length of `reference`.
        expected: usize,
    },
    /// An input has no usable element (for example no finite coordinate
    /// from which to derive a bounding box).
    #[error("{input} is empty: {reason}")]
    EmptyInput {
        /// The input's argument name.
        input: &'static str,
        /// Why nothing could be used.
        reason: String,
    },
    /// A coordinate axis of a source raster is not strictly monotone (or
    /// holds a non-finite value).
    #[error("{input}[{index}] = {value}: the axis must be finite and strictly monotone")]
    NonMonotoneAxis {
        /// The axis' argument name (`lons`, `lats`).
        input: &'static str,
        /// The first index at which monotonicity (or finiteness) fails.
        index: usize,
        /// The value there.
        value: f64,
    },
    /// A WGS84 geodesic step of the km grid failed (it would cross a pole,
    /// wrap around the globe, or need too many cells).
    #[error("geodesic {axis} step of {resolution_km} km from {from}°: {reason}")]
    GeodesicStep {
        /// `"longitude"` or `"latitude"`.
        axis: &'static str,
        /// The step length, km.
        resolution_km: f64,
        /// The edge the step started from, degrees.
        from: f64,
        /// What went wrong.
        reason: String,
    },
    /// A CDO grid description could not be read.
    #[error("CDO grid description, line {line}: {message}")]
    Griddes {
        /// 1-based line number (0 when the problem concerns the whole text).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Result alias of `upscale-dist`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
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

    pub(crate) fn length_mismatch(
        input: &'static str,
        found: usize,
        reference: &'static str,
        expected: usize,
    ) -> Self {
        Error::LengthMismatch {
            input,
            found,
            reference,
            expected,
        }
    }

    pub(crate) fn griddes(line: usize, message: impl Into<String>) -> Self {
        Error::Griddes {
            line,
            message: message.into(),
        }
    }
}
