//! The crate's error type.

use thiserror::Error;

/// Everything that can go wrong in `geo-stats`.
///
/// Every variant names the offending input (`what`: `"y"`, `"x1"`,
/// `"sample 2"`, `"column 3"`, …) and, where it helps, the index and value,
/// so that a command-line front end can print a one-line error without
/// further context.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum GeoStatsError {
    /// An input holds no values at all.
    #[error("{what} is empty")]
    EmptyInput {
        /// The input that is empty.
        what: String,
    },
    /// Two inputs that must pair up element by element have different lengths.
    #[error("{what}: length {found} does not match the expected length {expected}")]
    LengthMismatch {
        /// The input with the wrong length.
        what: String,
        /// The length it should have.
        expected: usize,
        /// The length it has.
        found: usize,
    },
    /// A value is `NaN` or infinite where a finite number is required.
    #[error("{what}[{index}] = {value} is not finite")]
    NonFinite {
        /// The input holding the value.
        what: String,
        /// Position of the value.
        index: usize,
        /// The value itself.
        value: f64,
    },
    /// Every value of an input is `NaN` (nothing left after removing missing data).
    #[error("{what} holds only NaN values")]
    AllNan {
        /// The input.
        what: String,
    },
    /// Fewer samples than the method needs.
    #[error("{what}: {found} usable samples, at least {needed} needed")]
    TooFewSamples {
        /// The input.
        what: String,
        /// Usable samples found.
        found: usize,
        /// Minimum required.
        needed: usize,
    },
    /// A stratification has fewer strata than the method needs (for
    /// example a single stratum, for which q and its F test are undefined).
    #[error("{what}: {found} strata, at least {needed} needed")]
    TooFewStrata {
        /// The stratification.
        what: String,
        /// Number of (non-empty, retained) strata found.
        found: usize,
        /// Minimum required.
        needed: usize,
    },
    /// A stratum has no observations.
    #[error("{what}: stratum {stratum} is empty")]
    EmptyStratum {
        /// The stratification.
        what: String,
        /// Name or index of the empty stratum.
        stratum: String,
    },
    /// The response has zero variance, so ratios of variances are undefined.
    #[error("{what} is constant (zero variance); the statistic is undefined")]
    ConstantInput {
        /// The input.
        what: String,
    },
    /// A parameter is outside its valid range.
    #[error("parameter {name} = {value} is invalid: {reason}")]
    InvalidParameter {
        /// Parameter name.
        name: &'static str,
        /// The rejected value, formatted.
        value: String,
        /// Why it is rejected.
        reason: &'static str,
    },
}

/// `Result` with [`GeoStatsError`].
pub type Result<T> = std::result::Result<T, GeoStatsError>;

impl GeoStatsError {
    pub(crate) fn invalid(name: &'static str, value: impl ToString, reason: &'static str) -> Self {
        Self::InvalidParameter {
            name,
            value: value.to_string(),
            reason,
        }
    }
}

/// Checks that `found == expected` for paired inputs.
pub(crate) fn check_len(what: &str, expected: usize, found: usize) -> Result<()> {
    if expected != found {
        return Err(GeoStatsError::LengthMismatch {
            what: what.into(),
            expected,
            found,
        });
    }
    Ok(())
}
