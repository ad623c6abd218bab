//! The crate's error type.

use thiserror::Error;

/// Everything that can go wrong in this crate.
///
/// Every variant names the offending input (and where it applies the index
/// and the value) so that a message is actionable without a debugger.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// An input that must hold at least one element is empty.
    #[error("input `{what}` is empty")]
    EmptyInput {
        /// Name of the input.
        what: &'static str,
    },
    /// More clusters were requested than there are samples.
    #[error("k = {k} clusters requested but `{what}` holds only {n} samples")]
    TooManyClusters {
        /// Name of the input.
        what: &'static str,
        /// Requested number of clusters.
        k: usize,
        /// Number of samples.
        n: usize,
    },
    /// A value that must be finite is NaN or infinite.
    #[error("input `{what}` has a non-finite value {value} at row {row}, column {col}")]
    NonFinite {
        /// Name of the input.
        what: &'static str,
        /// Row (sample) index.
        row: usize,
        /// Column (feature, date or bin) index.
        col: usize,
        /// The value found.
        value: f64,
    },
    /// A parameter is outside its valid range.
    #[error("parameter `{name}` = {value} is invalid: {reason}")]
    InvalidParameter {
        /// Name of the parameter.
        name: &'static str,
        /// The value given (formatted).
        value: String,
        /// What the parameter must satisfy.
        reason: &'static str,
    },
    /// Two inputs disagree in length or shape.
    #[error("input `{what}` has length {found}, expected {expected}")]
    ShapeMismatch {
        /// Name of the input.
        what: &'static str,
        /// Expected length.
        expected: usize,
        /// Length found.
        found: usize,
    },
    /// Cluster size bounds that cannot be met.
    #[error(
        "cluster sizes cannot be met: {n} samples in {k} clusters of {min_size}..={max_size} members"
    )]
    InfeasibleSizes {
        /// Number of samples.
        n: usize,
        /// Number of clusters.
        k: usize,
        /// Minimum cluster size.
        min_size: usize,
        /// Maximum cluster size.
        max_size: usize,
    },
    /// A label set that a metric cannot use (e.g. silhouette with one cluster).
    #[error("labels `{what}` are invalid: {reason}")]
    InvalidLabels {
        /// Name of the input.
        what: &'static str,
        /// Why they are invalid.
        reason: String,
    },
    /// The deep-learning backend failed, or a saved model cannot be read
    /// (feature `lstm`).
    #[error("LSTM classifier: {message}")]
    Model {
        /// What went wrong (with the file, if any).
        message: String,
    },
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Checks a parameter and returns `InvalidParameter` when `ok` is false.
pub(crate) fn ensure_param(
    ok: bool,
    name: &'static str,
    value: impl std::fmt::Display,
    reason: &'static str,
) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            value: value.to_string(),
            reason,
        })
    }
}

/// Checks that every value of a 2-D array is finite.
pub(crate) fn ensure_finite2(what: &'static str, a: ndarray::ArrayView2<'_, f64>) -> Result<()> {
    for ((row, col), &value) in a.indexed_iter() {
        if !value.is_finite() {
            return Err(Error::NonFinite {
                what,
                row,
                col,
                value,
            });
        }
    }
    Ok(())
}

/// Checks that every value of a slice is finite (reported as row 0).
pub(crate) fn ensure_finite1(what: &'static str, a: &[f64]) -> Result<()> {
    for (col, &value) in a.iter().enumerate() {
        if !value.is_finite() {
            return Err(Error::NonFinite {
                what,
                row: 0,
                col,
                value,
            });
        }
    }
    Ok(())
}
