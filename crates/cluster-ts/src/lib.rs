//! Clustering of deformation time series and per-cell distributions, and
//! deformation hotspot detection.
//!
//! # What this crate owns
//!
//! * One k-means engine (k-means++ initialisation, restarts, seeded RNG) with
//!   plug-in distance / barycentre pairs: Euclidean, DTW / DBA
//!   (Petitjean et al. 2011), soft-DTW (Cuturi & Blondel 2017), the histogram
//!   "shape" distance and true Wasserstein-p through quantile functions.
//! * Size-constrained assignment (greedy repair, exact min-cost flow); choice
//!   of k (elbow, silhouette) and seed stability.
//! * DBSCAN with a spatial index (Ester et al. 1996), Euclidean or haversine.
//! * The hotspot workflow: temporal clusters, DBSCAN per cluster, spatial
//!   correlation length and dispersion filters, per-cluster tables.
//! * The bidirectional LSTM classifier trained on hotspot labels.
//!
//! It may depend on `geo-stats` for agreement indices; it links no native
//! library.
//!
//! *Status:* workspace skeleton; the API above is being built under the
//! issue "\[2\] cluster-ts".
