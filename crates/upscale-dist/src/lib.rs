//! Distribution-based upscaling: geodesic kilometre grids and streaming
//! per-cell distributions of high-resolution deformation fields.
//!
//! # What this crate owns
//!
//! * The geodesic km grid of the upscaling study (WGS84 forward geodesic steps
//!   along the meridian and the parallel through the data's centre).
//! * Streaming binning in chunks with bounded memory: per-cell count, mean,
//!   population standard deviation, skewness and Pearson kurtosis by a
//!   numerically stable, mergeable update; per-cell histograms on global bins.
//! * Aggregation of fine rasters to coarse grids (cell mean, inverse-distance
//!   k-nearest as `cdo remapdis`, nearest).
//!
//! It links no native library; an equal-area grid through PROJ is offered by
//! the facade.
//!
//! *Status:* workspace skeleton; the API above is being built under the
//! issue "\[2\] upscale-dist".
