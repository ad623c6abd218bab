//! Statistics the permafrost studies rely on.
//!
//! # What this crate owns
//!
//! * The geographical detector (Wang et al. 2010; Wang, Zhang & Fu 2016):
//!   factor detector with the non-central F p-value, interaction, risk and
//!   ecological detectors, discretisation and optimal discretisation.
//! * Pearson correlation matrices with list-wise `NaN` removal and p-values,
//!   Fisher-z weighted averaging over years.
//! * Two-sample Kolmogorov–Smirnov tests matching `scipy.stats.ks_2samp`, and
//!   the bootstrap KS robustness test of the upscaling study.
//! * Binned box statistics, adjusted Rand index, normalised mutual
//!   information, silhouette, covariograms and standard distance.
//!
//! It links no native library.
//!
//! *Status:* the workspace skeleton; the statistics land with issue \[2\]
//! "geo-stats".
