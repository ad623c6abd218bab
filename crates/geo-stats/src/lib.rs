//! Statistics the permafrost studies rely on: the geographical detector
//! with discretisation of continuous factors, Pearson correlation with
//! Fisher-z averaging, two-sample Kolmogorov–Smirnov tests (exact and
//! asymptotic, as scipy, plus the bootstrap robustness test), binned box
//! statistics, clustering agreement, silhouette, variograms and standard
//! distance.
//!
//! Pure Rust (no native library); all inputs are `f64` slices or
//! `ndarray` views, all results are plain structs, and every failure is a
//! [`GeoStatsError`] that names the offending input.
//!
//! # Algorithms
//!
//! | module | what | source |
//! |---|---|---|
//! | [`geodetector`] | factor (q, non-central F p-value), interaction, risk (Welch t), ecological (F) detectors | Wang et al. (2010) *IJGIS* 24:107; Wang, Zhang & Fu (2016) *Ecol. Indic.* 67:250; R `geodetector` 1.0-5, R `GD` |
//! | [`discretize`] | equal, quantile (type 7), natural breaks (exact Fisher–Jenks), geometric, standard deviation; optimal = highest q | Fisher (1958) *JASA* 53:789; Jenks (1977); Wang & Song (2011) *R Journal* 3:29; Song et al. (2020) *GIScience & RS* 57:593 |
//! | [`correlation`] | Pearson r with exact p-value, list-wise `NaN` removal, Fisher-z weighted mean | Fisher (1915); `scipy.stats.pearsonr` |
//! | [`ks`] | two-sample KS: exact lattice-path p-values, asymptotic `kstwo`, bootstrap with measurement noise | Hodges (1958) *Ark. Mat.* 3:469; Viehmann (2021) arXiv:2102.08037; Simard & L'Ecuyer (2011) *JSS* 39(11); `scipy.stats.ks_2samp` |
//! | [`distributions`] | incomplete beta, Student t, F, non-central F, Kolmogorov / Smirnov distributions | DiDonato & Morris (1992) *TOMS* 18:360; van Mulbregt (2018) arXiv:1802.06966 |
//! | [`boxstats`] | 2/25/50/75/98 % percentiles and counts per bin of one or two factors | Hyndman & Fan (1996) *Am. Stat.* 50:361 (type 7) |
//! | [`agreement`] | adjusted Rand index, (normalised) mutual information | Hubert & Arabie (1985) *J. Classif.* 2:193; Vinh, Epps & Bailey (2010) *JMLR* 11:2837 |
//! | [`silhouette`] | silhouette values and score (Euclidean) | Rousseeuw (1987) *J. Comput. Appl. Math.* 20:53 |
//! | [`spatial`] | semivariogram, covariogram, correlogram, correlation length, standard distance | Matheron (1962); Cressie (1993) *Statistics for Spatial Data* §2.4 |
//!
//! Reference values: `xtask/reference/geo-stats/make_references.py` writes
//! `tests/data/*.json` from scipy 1.17, scikit-learn 1.9, numpy 2.4,
//! jenkspy 0.4, py-geodetector 0.2 and mpmath (60 digits); the tests
//! compare to 1e-10 or better (1e-12 relative for the non-central F
//! p-value) and never run Python.
//!
//! # Features
//!
//! | feature | default | effect |
//! |---|---|---|
//! | — | — | the crate has no optional features; parallel parts use `rayon` and give identical results for any thread count |
//!
//! # Conventions worth knowing
//!
//! * Geodetector defaults follow the method paper (σ² = SST/N in λ) and drop
//!   single-observation strata (R `GD`); [`geodetector::GeodetectorParams::r_geodetector`]
//!   reproduces R `geodetector` (σ² = SST/(N−1), singletons kept).
//! * Discretisation classes are right-closed intervals; see [`discretize`].
//! * KS p-values mirror scipy's method choice and fall-backs exactly.
//!
//! # Example
//!
//! ```
//! use geo_stats::geodetector::{GeodetectorParams, Strata};
//! use geo_stats::discretize::{optimal_discretization, OptimalDiscretizationParams};
//! use geo_stats::ks::{ks_2samp, KsParams};
//! use geo_stats::correlation::{pearson, fisher_z_average};
//!
//! // Subsidence (mm) and two candidate controls at 12 pixels.
//! let subsidence = [12.0, 14.0, 13.5, 20.0, 22.0, 21.0, 35.0, 33.0, 36.0, 34.0, 15.0, 21.5];
//! let soil = Strata::from_labels(&["peat", "peat", "peat", "silt", "silt", "silt",
//!                                  "ice", "ice", "ice", "ice", "peat", "silt"]).unwrap();
//! let slope = [1.0, 1.5, 1.2, 4.0, 4.5, 3.8, 9.0, 8.5, 9.5, 8.8, 1.1, 4.1];
//!
//! // Factor detector on a categorical factor.
//! let gd = GeodetectorParams::new().build().unwrap();
//! let f = gd.factor(&subsidence, &soil).unwrap();
//! assert!(f.q > 0.9 && f.p_value < 0.01);
//!
//! // Continuous factor: choose the discretisation with the highest q.
//! let params = OptimalDiscretizationParams::new().with_class_range(2, 4);
//! let best = optimal_discretization(&subsidence, &slope, &params).unwrap();
//! assert!(best.factor.q > 0.9);
//!
//! // Pearson correlation and a Fisher-z average over two "years".
//! let c = pearson(&slope, &subsidence).unwrap();
//! let mean_r = fisher_z_average(&[(c.r, c.n), (0.8, 40)]).unwrap();
//! assert!(mean_r > 0.8);
//!
//! // Two-sample KS test between the flat and the steep pixels.
//! let (flat, steep): (Vec<f64>, Vec<f64>) = (subsidence[..6].to_vec(), subsidence[6..].to_vec());
//! let ks = ks_2samp(&flat, &steep, &KsParams::new()).unwrap();
//! assert_eq!(ks.method.as_str(), "exact");
//! ```

pub mod agreement;
pub mod boxstats;
pub mod correlation;
pub mod discretize;
pub mod distributions;
pub mod error;
pub mod geodetector;
pub mod ks;
pub mod quantile;
pub mod silhouette;
pub mod spatial;
mod special;

pub use error::{GeoStatsError, Result};
