//! The facade's error type.

use std::path::{Path, PathBuf};

/// Errors of the facade: every variant names the file (and, where it applies,
/// the variable or index) and says what was wrong, in one line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The operating system refused a read or write.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not of the expected kind, or is damaged (truncated, corrupt).
    #[error("{}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A variable, dataset, band or column is not in the file.
    #[error("{}: no variable `{name}` (available: {available})", path.display())]
    MissingVariable {
        /// The file.
        path: PathBuf,
        /// The name asked for.
        name: String,
        /// Names that are there, comma separated.
        available: String,
    },
    /// A variable exists but cannot be used as asked.
    #[error("{}: variable `{name}`: {message}", path.display())]
    Variable {
        /// The file.
        path: PathBuf,
        /// The variable.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// Arrays that must agree in shape do not.
    #[error("{context}: shape mismatch: expected {expected:?}, found {found:?}")]
    Shape {
        /// Where (file and variable, or argument).
        context: String,
        /// The shape required.
        expected: Vec<usize>,
        /// The shape given.
        found: Vec<usize>,
    },
    /// An argument or parameter is invalid.
    #[error("{0}")]
    Invalid(String),
}

/// Result alias of the facade.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A [`Error::Format`] for `path`; multi-line library messages are folded
    /// onto one line.
    pub fn format(path: &Path, message: impl std::fmt::Display) -> Self {
        Error::Format {
            path: path.to_path_buf(),
            message: one_line(&message.to_string()),
        }
    }

    /// A [`Error::Variable`] for `name` in `path`.
    pub fn variable(path: &Path, name: &str, message: impl std::fmt::Display) -> Self {
        Error::Variable {
            path: path.to_path_buf(),
            name: name.to_string(),
            message: one_line(&message.to_string()),
        }
    }

    /// A [`Error::MissingVariable`] listing what is available instead.
    pub fn missing<S: AsRef<str>>(
        path: &Path,
        name: &str,
        available: impl IntoIterator<Item = S>,
    ) -> Self {
        let available: Vec<String> = available
            .into_iter()
            .map(|s| s.as_ref().to_string())
            .collect();
        Error::MissingVariable {
            path: path.to_path_buf(),
            name: name.to_string(),
            available: if available.is_empty() {
                "none".to_string()
            } else {
                available.join(", ")
            },
        }
    }

    /// A [`Error::Io`] for `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Folds a message onto one line (library messages sometimes span several).
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
