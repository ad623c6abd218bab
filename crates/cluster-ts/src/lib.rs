//! Clustering of deformation time series and per-cell distributions, and
//! deformation hotspot detection.
//!
//! Pure Rust (ndarray, rayon, rand_chacha, and the workspace's `geo-stats`
//! for ARI / NMI); links no native library. The
//! conventions follow the workspace's `SCIENCE.md` §6.
//!
//! # What it does
//!
//! * **One k-means engine** ([`KMeans`], built from [`KMeansParams`]):
//!   k-means++ (greedy, scikit-learn's variant), random or given
//!   initialisation; `n_init` restarts keeping the lowest inertia;
//!   `max_iter`, `tol`; a seeded ChaCha8 generator; results with labels,
//!   centroids, inertia, iterations, the centroid-shift and inertia
//!   histories. The (distance, barycentre) pair is a trait, [`Pair`], with
//!   these implementations:
//!
//!   | pair | cost minimised | barycentre |
//!   |---|---|---|
//!   | [`Euclidean`] | squared Euclidean (also on histogram vectors) | arithmetic mean |
//!   | [`DtwDba`] | DTW², optional Sakoe–Chiba band | DBA (`max_iter_barycenter`) |
//!   | [`SoftDtw`] | soft-DTW(γ) | soft-DTW barycentre by L-BFGS |
//!   | [`Shape`] | (W1 between the multisets of bin heights)² — the upscaling study's "shape" distance | arithmetic mean |
//!   | [`QuantileWasserstein`] | W2² or W1 between quantile functions | mean (W2) or median (W1) of quantile functions, projected back onto the bins |
//!
//!   Assignment and restarts run in parallel with rayon; results are
//!   identical for any number of threads (per-sample work is independent
//!   and every reduction runs in sample order).
//! * **Size constraints** ([`assign_with_sizes`], [`KMeans::fit_constrained`]):
//!   every cluster between `min` and `max` members, by the study's greedy
//!   repair or exactly by a minimum-cost flow.
//! * **Choosing k**: [`elbow`] (knee of the inertia curve, maximum distance
//!   below the chord), [`silhouette_score`] (matches scikit-learn),
//!   [`sweep_k`] for both.
//! * **Seed stability**: [`seed_stability`] (pairwise ARI and NMI from
//!   `geo-stats` over k-means runs that differ in their seed);
//!   [`seed_runs`] and [`pairwise_agreement`] with any [`Agreement`]
//!   ([`AdjustedRand`], [`NormalizedMutualInfo`], [`RandIndex`] or a
//!   closure).
//! * **DBSCAN** ([`Dbscan`]): scikit-learn semantics (`eps` inclusive,
//!   `min_samples` counts the point itself, noise −1, clusters numbered in
//!   order of discovery), k-d tree neighbourhoods, Euclidean or haversine
//!   km.
//! * **Hotspots** ([`Hotspots`]): DBSCAN inside each temporal cluster into
//!   one label set, spatial correlation length ([`covariogram`]),
//!   dispersion (standard distance, area, relative standard distance),
//!   removal of widespread clusters and a per-cluster table.
//!
//! Inputs are `f64` arrays with samples in rows: `(series, date)`,
//! `(cell, bin)`, `(pixel, coordinate)`. Series within one clustering share
//! their dates (equal length). NaN is rejected with an error naming the row
//! and column; drop or fill gaps first.
//!
//! # Algorithms and sources
//!
//! | algorithm | source |
//! |---|---|
//! | k-means (Lloyd iterations) | Lloyd, S. P. (1982), IEEE Trans. Inf. Theory 28(2), 129–137 |
//! | k-means++ seeding (greedy variant of scikit-learn) | Arthur, D. & Vassilvitskii, S. (2007), *k-means++*, SODA |
//! | DTW, Sakoe–Chiba band | Sakoe, H. & Chiba, S. (1978), IEEE Trans. ASSP 26(1), 43–49 |
//! | DBA barycentre | Petitjean, F., Ketterlin, A. & Gançarski, P. (2011), Pattern Recognition 44(3), 678–693 |
//! | soft-DTW, its gradient and barycentre | Cuturi, M. & Blondel, M. (2017), *Soft-DTW*, ICML |
//! | L-BFGS | Liu, D. C. & Nocedal, J. (1989), Math. Programming 45, 503–528 |
//! | Wasserstein distances and barycentres in 1-D (quantile functions) | Villani, C. (2003), *Topics in Optimal Transportation*; Agueh, M. & Carlier, G. (2011), SIAM J. Math. Anal. 43(2) |
//! | histogram "shape" distance, greedy size repair | S-UPSCALE (Liu et al., distribution-based upscaling of InSAR permafrost deformation; code `invk_cluster_hist.ipynb`) |
//! | size-constrained k-means | Bradley, P. S., Bennett, K. P. & Demiriz, A. (2000), *Constrained k-means clustering*, MSR-TR-2000-65 |
//! | minimum-cost flow by successive shortest paths | Busacker, R. G. & Gowen, P. J. (1960); Ahuja, Magnanti & Orlin (1993), *Network Flows* |
//! | elbow / knee | Satopää, V. et al. (2011), *Finding a "Kneedle" in a haystack*, ICDCS workshops |
//! | silhouette | Rousseeuw, P. J. (1987), J. Comput. Appl. Math. 20, 53–65 |
//! | DBSCAN | Ester, M., Kriegel, H.-P., Sander, J. & Xu, X. (1996), KDD-96, 226–231 |
//! | k-d tree | Bentley, J. L. (1975), Commun. ACM 18(9), 509–517 |
//! | hotspot workflow, correlation length, dispersion filters | Tiwari, A. & Shirzaei, M. (2024), Int. J. Appl. Earth Obs. Geoinf. 126, 103611 |
//! | standard distance | Bachi, R. (1963), Papers Reg. Sci. Assoc. 10, 83–132 |
//! | convex hull (monotone chain) | Andrew, A. M. (1979), Inf. Process. Lett. 9(5), 216–219 |
//!
//! # Features
//!
//! | feature | what it enables |
//! |---|---|
//! | *(none)* | everything above; rayon is always used |
//! | `lstm` | module `lstm`: the supervised classifier of S-HOTSPOT — bidirectional LSTM (128, 64 units, dropout 0.2) with an optional dense static-feature branch, Adam + cross-entropy, held-out accuracy and macro precision / recall / F1 ([`classification_scores`], always available), save / load (safetensors) |
//!
//! The `lstm` feature uses [candle](https://github.com/huggingface/candle)
//! (`candle-core`, `candle-nn` 0.11, pure Rust on the CPU, no native
//! library). It was chosen by cold build time: a scratch project with only
//! `candle-core` + `candle-nn` (the workspace's dev profile, dependencies at
//! opt-level 2) builds from cold in 348 s of CPU time (129 crates, peak RSS
//! 0.7 GB; 13 min 51 s wall on the 2-core machine while other builds ran;
//! alone it would be about 348 s / 2 cores ≈ 3 min, not measured). `burn` with the ndarray backend was not
//! measured for lack of time; it pulls in many more crates. The rest of the
//! crate does not depend on candle.
//!
//! Acceptance run of the classifier (issue #8, acceptance 4; command and
//! measurements in the `lstm` module docs): `tests/lstm.rs`,
//! `lstm_full_size_on_hotspot_scene` — held-out accuracy 1.000 (macro F1
//! 1.000) after 3 epochs in 94 s of CPU time.
//!
//! # Example
//!
//! ```
//! use cluster_ts::{DbscanParams, Euclidean, KMeansParams, DtwDba};
//! use ndarray::Array2;
//!
//! // Two shapes of deformation series (12 dates), 10 pixels each.
//! let series = Array2::from_shape_fn((20, 12), |(i, t)| {
//!     let t = t as f64;
//!     if i < 10 { -0.5 * t + 0.01 * i as f64 } else { (t / 2.0).sin() + 0.01 * i as f64 }
//! });
//! let km = KMeansParams::new(2).with_n_init(2).with_seed(7).build().unwrap();
//! let fit = km.fit(series.view(), &DtwDba::default()).unwrap();
//! assert_eq!(fit.labels[0..10].iter().filter(|&&l| l == fit.labels[0]).count(), 10);
//! assert_ne!(fit.labels[0], fit.labels[10]);
//! let euclid = km.fit(series.view(), &Euclidean).unwrap();
//! assert!(euclid.inertia_history.windows(2).all(|w| w[1] <= w[0] + 1e-12));
//!
//! // DBSCAN on planar coordinates.
//! let pts = Array2::from_shape_vec((5, 2), vec![0., 0., 0., 1., 1., 0., 9., 9., 9., 10.]).unwrap();
//! let db = DbscanParams::new(1.0).with_min_samples(2).build().unwrap().fit(pts.view()).unwrap();
//! assert_eq!(db.labels, vec![0, 0, 0, 1, 1]);
//! ```

pub mod choose_k;
pub mod classification;
pub mod constrained;
pub mod dba;
pub mod dbscan;
pub mod error;
mod flow;
pub mod histogram;
pub mod hotspots;
mod kdtree;
pub mod kmeans;
mod lbfgs;
#[cfg(feature = "lstm")]
pub mod lstm;
pub mod metrics;
pub mod silhouette;
pub mod softdtw_barycentre;
pub mod stability;
pub mod synthetic;
pub mod wasserstein;

pub use choose_k::{elbow, sweep_k, KSweep};
pub use classification::{classification_scores, ClassificationScores};
pub use constrained::{assign_with_sizes, Assignment, SizeBounds, SizeMethod};
pub use dba::{dba, DbaResult};
pub use dbscan::{Dbscan, DbscanMetric, DbscanParams, DbscanResult, EARTH_RADIUS_KM};
pub use error::{Error, Result};
pub use histogram::{fit_histograms_wasserstein, shape_distance, HistogramBins, HistogramClusters};
pub use hotspots::{
    covariogram, dbscan_per_cluster, AreaMethod, ClusterRow, CorrelationParams, Covariogram,
    Geometry, HotspotParams, HotspotResult, Hotspots, Removal, SdThreshold, WidespreadFilter,
};
pub use kmeans::pair::{
    DtwDba, Euclidean, Pair, QuantileWasserstein, Shape, SoftDtw, WassersteinOrder,
};
pub use kmeans::{cost_matrix, predict, Init, KMeans, KMeansParams, KMeansResult};
pub use silhouette::{silhouette_samples, silhouette_samples_with, silhouette_score};
pub use softdtw_barycentre::{softdtw_barycentre, softdtw_objective, SoftDtwBarycentre};
pub use stability::{
    pairwise_agreement, seed_runs, seed_stability, AdjustedRand, Agreement, NormalizedMutualInfo,
    PairwiseAgreement, RandIndex, SeedRuns, SeedStability,
};
