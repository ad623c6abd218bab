//! The crate's error type.

use std::fmt;

use chrono::NaiveDate;

/// Errors of `insar-sbas`. Each variant names the offending input (and its
/// index, date or value) so that a message alone says what to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A parameter is invalid (reported by the `build` of a parameter set).
    #[error("parameter {name} = {value} is invalid: {expected}")]
    InvalidParameter {
        /// The parameter's name (as in its `with_…` setter).
        name: &'static str,
        /// The value given, formatted.
        value: String,
        /// What it must be.
        expected: String,
    },
    /// Fewer than two acquisition dates.
    #[error("{input}: at least two acquisition dates are needed, found {found}")]
    TooFewDates {
        /// The input holding the dates.
        input: &'static str,
        /// How many there are.
        found: usize,
    },
    /// Acquisition dates are not strictly increasing.
    #[error("{input}: dates must be strictly increasing, but date {index} ({date}) is not after the date before it ({previous})")]
    DatesNotIncreasing {
        /// The input holding the dates.
        input: &'static str,
        /// Index of the offending date.
        index: usize,
        /// The date before it.
        previous: NaiveDate,
        /// The offending date.
        date: NaiveDate,
    },
    /// A pair names a date that is not among the acquisition dates.
    #[error("pair {pair}: date {date} is not among the {n_dates} acquisition dates")]
    UnknownDate {
        /// Index of the pair (interferogram).
        pair: usize,
        /// The date that was not found.
        date: NaiveDate,
        /// Number of acquisition dates given.
        n_dates: usize,
    },
    /// A pair refers to a date index outside the date list.
    #[error("pair {pair}: date index {index} is out of range (there are {n_dates} dates)")]
    DateIndexOutOfRange {
        /// Index of the pair (interferogram).
        pair: usize,
        /// The offending date index.
        index: usize,
        /// Number of dates.
        n_dates: usize,
    },
    /// A pair joins a date with itself.
    #[error("pair {pair}: reference and secondary are the same date ({date})")]
    SelfPair {
        /// Index of the pair (interferogram).
        pair: usize,
        /// The date.
        date: NaiveDate,
    },
    /// The same two dates are paired twice (in either order).
    #[error("pair {pair} ({reference} – {secondary}) repeats pair {first}")]
    DuplicatePair {
        /// Index of the repeated pair.
        pair: usize,
        /// Index of its first occurrence.
        first: usize,
        /// Reference date of the pair.
        reference: NaiveDate,
        /// Secondary date of the pair.
        secondary: NaiveDate,
    },
    /// The network has no pair.
    #[error("the network has no interferogram")]
    EmptyNetwork,
    /// A 1-D input has the wrong length.
    #[error("{input} has {found} values, but {expected} are needed ({what})")]
    LengthMismatch {
        /// The offending input.
        input: &'static str,
        /// Its length.
        found: usize,
        /// The length it must have.
        expected: usize,
        /// What sets the expected length.
        what: &'static str,
    },
    /// An array input has the wrong shape.
    #[error("{input} has shape {found:?}, but {expected:?} is needed ({what})")]
    ShapeMismatch {
        /// The offending input.
        input: &'static str,
        /// Its shape.
        found: Vec<usize>,
        /// The shape it must have.
        expected: Vec<usize>,
        /// What sets the expected shape.
        what: &'static str,
    },
    /// A value that must be finite is not.
    #[error("{input}[{index}] = {value} is not finite")]
    NonFinite {
        /// The offending input.
        input: &'static str,
        /// Index of the value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// Weighted (or coherence-weighted L1) inversion without a coherence stack.
    #[error("weighting `{weighting}` needs a coherence stack, but none was given")]
    MissingCoherence {
        /// The weighting asked for (MintPy's name: `coh`, `fim`, `var`).
        weighting: &'static str,
    },
    /// The network falls apart into groups of dates that no interferogram
    /// joins, and the gap policy is [`GapPolicy::Error`](crate::GapPolicy::Error).
    #[error("disconnected network: {description}; choose GapPolicy::MinNormVelocity, MinNormPhase or NsbasLinear to invert it anyway")]
    DisconnectedNetwork {
        /// Number of connected components.
        n_components: usize,
        /// Where the network splits, e.g. "network splits between 2017-03-02 and 2017-04-07".
        description: String,
    },
    /// A reference pixel or window lies outside the raster.
    #[error("reference {what} at (row {row}, col {col}) lies outside the {rows} × {cols} raster")]
    ReferenceOutOfBounds {
        /// `pixel` or `window`.
        what: &'static str,
        /// Row of the reference.
        row: usize,
        /// Column of the reference.
        col: usize,
        /// Raster rows.
        rows: usize,
        /// Raster columns.
        cols: usize,
    },
    /// The reference pixel (or every pixel of the reference window) has no
    /// data in an interferogram.
    #[error(
        "interferogram {ifg}: the reference {what} at (row {row}, col {col}) has no valid value"
    )]
    ReferenceNoData {
        /// Index of the interferogram.
        ifg: usize,
        /// `pixel` or `window`.
        what: &'static str,
        /// Row of the reference.
        row: usize,
        /// Column of the reference.
        col: usize,
    },
    /// Too few valid pixels on the mask to fit a ramp.
    #[error("interferogram {ifg}: {valid} valid pixels on the mask, at least {needed} are needed to fit a {ramp} ramp")]
    TooFewRampPixels {
        /// Index of the interferogram.
        ifg: usize,
        /// Valid pixels found.
        valid: usize,
        /// Pixels needed.
        needed: usize,
        /// `plane` or `quadratic`.
        ramp: &'static str,
    },
    /// A LAPACK routine failed.
    #[error("linear algebra failed at pixel (row {row}, col {col}): {message}")]
    Linalg {
        /// Pixel row (0 for single-pixel calls).
        row: usize,
        /// Pixel column.
        col: usize,
        /// LAPACK's message.
        message: String,
    },
}

/// Result alias of `insar-sbas`.
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
}
