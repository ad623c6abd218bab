//! The crate's error type.

use std::fmt;
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};

/// Errors of `era5-forcing`. Each variant names the offending input (file,
/// variable, index, date or value).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{}: {message}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The requested variable is not in the file.
    #[error("{}: no variable `{variable}` (data variables: {})", path.display(), available.join(", "))]
    MissingVariable {
        /// The file.
        path: PathBuf,
        /// The variable asked for.
        variable: String,
        /// The data variables the file has.
        available: Vec<String>,
    },
    /// A variable of a file cannot be interpreted (coordinates, units,
    /// dimensions, types).
    #[error("{}: variable `{variable}`: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// The variable (or coordinate) concerned.
        variable: String,
        /// What is wrong with it.
        message: String,
    },
    /// Two inputs hold the same time step with different values, so they
    /// cannot be merged along time.
    #[error(
        "variable `{variable}`: time step {time} appears twice with different values \
         ({first} vs {second} at (row {row}, col {col}); sources {first_source} and {second_source})"
    )]
    ConflictingDuplicate {
        /// The variable being merged.
        variable: String,
        /// The duplicated time step.
        time: NaiveDateTime,
        /// Value in the first source.
        first: f64,
        /// Value in the second source.
        second: f64,
        /// Row of the first differing cell.
        row: usize,
        /// Column of the first differing cell.
        col: usize,
        /// The first source (file name or field index).
        first_source: String,
        /// The second source.
        second_source: String,
    },
    /// Inputs that must share a grid (or a variable name) do not.
    #[error("{context}: {detail}")]
    Mismatch {
        /// Which inputs were compared.
        context: String,
        /// How they differ.
        detail: String,
    },
    /// A time axis that must be strictly increasing is not.
    #[error("{input}: time is not strictly increasing at index {index} ({time} after {previous})")]
    NonMonotonicTime {
        /// The input concerned.
        input: String,
        /// The first offending index.
        index: usize,
        /// The time at `index`.
        time: NaiveDateTime,
        /// The time at `index - 1`.
        previous: NaiveDateTime,
    },
    /// The time steps are neither sub-daily, daily nor monthly.
    #[error("{input}: irregular time axis: {detail}")]
    IrregularTime {
        /// The input concerned.
        input: String,
        /// What is irregular.
        detail: String,
    },
    /// An operation needs a finer (or another) time resolution than the
    /// input has, e.g. degree days from monthly means.
    #[error("{operation} needs {needs} data, but `{input}` is {found}")]
    Resolution {
        /// The operation refused.
        operation: &'static str,
        /// The input concerned.
        input: String,
        /// The input's resolution.
        found: String,
        /// What the operation needs.
        needs: &'static str,
    },
    /// A period (or a date) lies outside the data.
    #[error(
        "{input}: the period {start} .. {end} is not covered by the data \
         (complete days {covered})"
    )]
    PeriodOutsideData {
        /// The input concerned.
        input: String,
        /// First day of the period.
        start: NaiveDate,
        /// Last day of the period (inclusive).
        end: NaiveDate,
        /// The span of complete days in the data, formatted.
        covered: String,
    },
    /// A requested date lies outside the daily series.
    #[error("{input}: date {date} (index {index}) lies outside the data ({first} .. {last})")]
    DateOutsideData {
        /// The input concerned.
        input: String,
        /// The date asked for.
        date: NaiveDate,
        /// Its position in the list of requested dates.
        index: usize,
        /// First date of the data.
        first: NaiveDate,
        /// Last date of the data.
        last: NaiveDate,
    },
    /// Daily dates must be consecutive days.
    #[error("{input}: dates are not consecutive days at index {index} ({date} after {previous})")]
    NotConsecutive {
        /// The input concerned.
        input: String,
        /// The first offending index.
        index: usize,
        /// The date at `index`.
        date: NaiveDate,
        /// The date at `index - 1`.
        previous: NaiveDate,
    },
    /// An array does not have the expected shape.
    #[error("{input} has shape {found:?}, expected {expected:?}")]
    Shape {
        /// The input concerned.
        input: String,
        /// The expected shape.
        expected: Vec<usize>,
        /// The shape found.
        found: Vec<usize>,
    },
    /// A parameter is invalid (reported by the `build` of a parameter struct).
    #[error("parameter {name} = {value} is invalid: {expected}")]
    InvalidParameter {
        /// The parameter's name (as in its `with_…` setter).
        name: &'static str,
        /// The value given, formatted.
        value: String,
        /// What it must be.
        expected: String,
    },
    /// Too few valid observations for a fit.
    #[error("{input}{at}: {found} valid observations, at least {needed} needed", at = At(*index))]
    TooFewObservations {
        /// The input concerned.
        input: String,
        /// Valid observations found.
        found: usize,
        /// Observations needed.
        needed: usize,
        /// The pixel `(row, col)` for raster inputs.
        index: Option<(usize, usize)>,
    },
    /// An operation was asked of a variable of the wrong kind (e.g. daily
    /// totals of an instantaneous variable, degree days of a non-temperature).
    #[error("`{variable}` is {kind}: {operation} is not defined for it{hint}")]
    WrongKind {
        /// The variable.
        variable: String,
        /// What kind it is.
        kind: &'static str,
        /// The operation refused.
        operation: &'static str,
        /// A hint at what to use instead (starts with "; " when not empty).
        hint: &'static str,
    },
    /// A product needs a variable that was not supplied.
    #[error("product `{product}` needs variable `{variable}`, which is not among the inputs ({available})")]
    MissingInput {
        /// The product asked for.
        product: &'static str,
        /// The variable it needs.
        variable: &'static str,
        /// The variables supplied, comma-separated.
        available: String,
    },
    /// An input is empty.
    #[error("{input} is empty")]
    Empty {
        /// The input concerned.
        input: String,
    },
}

/// Result alias of `era5-forcing`.
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

    pub(crate) fn shape(input: impl Into<String>, expected: &[usize], found: &[usize]) -> Self {
        Error::Shape {
            input: input.into(),
            expected: expected.to_vec(),
            found: found.to_vec(),
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
