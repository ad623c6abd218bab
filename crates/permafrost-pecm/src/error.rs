//! The crate's error type.

use std::fmt;

/// Errors of `permafrost-pecm`. Each variant names the offending input or
/// parameter and, where there is one, its index and value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A model parameter is invalid (reported by the `build`/`validate`
    /// methods of the parameter structs).
    #[error("parameter {name} = {value} is invalid: {expected}")]
    InvalidParameter {
        /// The parameter's name (as in its `with_…` setter).
        name: &'static str,
        /// The value given, formatted.
        value: String,
        /// What it must be.
        expected: String,
    },
    /// Two inputs that must have the same length do not.
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
    /// A raster input does not have the expected shape.
    #[error("raster {input} has shape {found:?}, but {reference} requires {expected:?}")]
    ShapeMismatch {
        /// The raster whose shape differs.
        input: &'static str,
        /// Its shape.
        found: Vec<usize>,
        /// What sets the shape (another raster, the dates, …).
        reference: &'static str,
        /// The required shape.
        expected: Vec<usize>,
    },
    /// A sequence that must increase strictly does not.
    #[error("{input} must be strictly increasing, but {input}[{index}] = {value} does not follow {input}[{}] = {previous}", index - 1)]
    NotIncreasing {
        /// The input (`dates`, `cycles.thaw_onset`, …).
        input: &'static str,
        /// The index of the first element that is not larger than its predecessor.
        index: usize,
        /// That element, formatted.
        value: String,
        /// Its predecessor, formatted.
        previous: String,
    },
    /// A value lies outside its valid range.
    #[error("{input}{at} = {value} is out of range: {expected}", at = At(*index))]
    OutOfRange {
        /// The input's name (`r0`, `weights`, `addt`, …).
        input: &'static str,
        /// The element's index, if the input is a sequence.
        index: Option<usize>,
        /// The value given.
        value: f64,
        /// The range it must lie in.
        expected: String,
    },
    /// Fewer usable observations than model parameters.
    #[error(
        "too few observations for the {model} model: {found} usable (finite, positive weight, \
         not the reference date) but it has {params} parameters"
    )]
    TooFewObservations {
        /// The model (`pecm`, `sinusoid`, `stefan`, `regression`).
        model: &'static str,
        /// Usable observations.
        found: usize,
        /// Parameters of the model.
        params: usize,
    },
    /// The design matrix is rank deficient on the usable observations.
    #[error(
        "the {model} design is singular: column {column} is (numerically) a combination of the \
         others on the {n_obs} usable observations"
    )]
    Singular {
        /// The model.
        model: &'static str,
        /// The first dependent column (`linear_rate`, `seasonal_amplitude`, …).
        column: &'static str,
        /// Usable observations.
        n_obs: usize,
    },
    /// A date (of the SAR series) lies outside the forcing's samples.
    #[error(
        "{input}[{index}] = {date} has no forcing sample: the forcing has no sample on that day \
         (forcing covers {first} … {last})"
    )]
    DateNotInForcing {
        /// The input (`dates`).
        input: &'static str,
        /// The index of the date.
        index: usize,
        /// The date.
        date: chrono::NaiveDate,
        /// First forcing sample.
        first: chrono::NaiveDate,
        /// Last forcing sample.
        last: chrono::NaiveDate,
    },
    /// The forcing has no thaw onset, so no permafrost year starts.
    #[error("the forcing has no freeze–thaw cycle: no thaw onset was given or detected")]
    NoCycle,
    /// A cycle table entry is inconsistent.
    #[error("cycles[{cycle}] (thaw onset {thaw_onset}) is invalid: {problem}")]
    InvalidCycle {
        /// Index of the cycle (0-based).
        cycle: usize,
        /// Its thaw onset.
        thaw_onset: chrono::NaiveDate,
        /// What is wrong.
        problem: String,
    },
    /// A complete cycle has thawing degree days but no freezing degree days,
    /// so no ratio r closes it.
    #[error(
        "cycles[{cycle}] (thaw onset {thaw_onset}) cannot be closed: ADDT_end = {addt_end} °C·day \
         but ADDF_end = {addf_end} °C·day (no freezing before the next thaw onset)"
    )]
    CannotClose {
        /// Index of the cycle (0-based).
        cycle: usize,
        /// Its thaw onset.
        thaw_onset: chrono::NaiveDate,
        /// Accumulated thawing degree days at the cycle's end.
        addt_end: f64,
        /// Accumulated freezing degree days at the cycle's end.
        addf_end: f64,
    },
    /// The freeze onset of a cycle is unknown and no other cycle gives a
    /// thaw-season length to estimate it from.
    #[error(
        "cycles[{cycle}] (thaw onset {thaw_onset}) has no freeze onset, and no cycle has both \
         onsets to estimate the thaw-season length from"
    )]
    NoFreezeOnset {
        /// Index of the cycle (0-based).
        cycle: usize,
        /// Its thaw onset.
        thaw_onset: chrono::NaiveDate,
    },
    /// The seasonal index is zero (or not finite) on every sample, so it
    /// cannot be normalised.
    #[error(
        "the {basis} seasonal index has no signal to normalise: its largest |I| over the cycles \
         is {peak}"
    )]
    NoSeasonalSignal {
        /// The seasonal basis.
        basis: &'static str,
        /// The normaliser found (0 or not finite).
        peak: f64,
    },
    /// The reference date is not among the dates.
    #[error("the reference {reference} is not among the {n_dates} dates ({first} … {last})")]
    ReferenceNotFound {
        /// The reference asked for, formatted.
        reference: String,
        /// Number of dates.
        n_dates: usize,
        /// First date.
        first: chrono::NaiveDate,
        /// Last date.
        last: chrono::NaiveDate,
    },
    /// The basis is not defined on the reference date (it lies in an
    /// excluded lead-in), so the model cannot be referred to it.
    #[error(
        "the basis is undefined on the reference date {date} (before the first thaw onset with \
         LeadIn::Exclude); choose a later reference or LeadIn::Frozen"
    )]
    ReferenceUndefined {
        /// The reference date.
        date: chrono::NaiveDate,
    },
    /// An interferogram pair names a date that does not exist, or the same
    /// date twice.
    #[error("pairs[{index}] = ({reference}, {secondary}) is invalid: {problem} ({n_dates} dates)")]
    InvalidPair {
        /// Index of the pair.
        index: usize,
        /// Its reference date index.
        reference: usize,
        /// Its secondary date index.
        secondary: usize,
        /// What is wrong.
        problem: &'static str,
        /// Number of dates.
        n_dates: usize,
    },
    /// Every value of an input is missing (`NaN`).
    #[error("every value of {input} is missing (NaN)")]
    AllMissing {
        /// The input.
        input: &'static str,
    },
    /// A station table cannot be parsed.
    #[error("station table{source_name}: line {line}: {problem}", source_name = Src(source_name))]
    StationTable {
        /// The file (empty when read from a reader).
        source_name: String,
        /// 1-based line number (1 = header).
        line: usize,
        /// What is wrong, naming the column and value.
        problem: String,
    },
    /// An I/O error while reading a file.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The system's message.
        message: String,
    },
}

/// Result alias of `permafrost-pecm`.
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

    pub(crate) fn out_of_range(
        input: &'static str,
        index: Option<usize>,
        value: f64,
        expected: impl Into<String>,
    ) -> Self {
        Error::OutOfRange {
            input,
            index,
            value,
            expected: expected.into(),
        }
    }

    pub(crate) fn length(
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
}

/// Formats an optional index as `[i]`.
struct At(Option<usize>);

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(i) => write!(f, "[{i}]"),
            None => Ok(()),
        }
    }
}

/// Formats an optional file name as ` name`.
struct Src<'a>(&'a str);

impl fmt::Display for Src<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, " {}", self.0)
        }
    }
}
