//! Numerical special functions behind the p-values (private; the public
//! face is [`crate::distributions`]).

pub(crate) mod beta;
pub(crate) mod dd;
pub(crate) mod kolmogorov;
