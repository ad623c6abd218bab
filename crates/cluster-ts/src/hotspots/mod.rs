//! The hotspot workflow of S-HOTSPOT (Tiwari & Shirzaei 2024): temporal
//! clusters → DBSCAN inside each temporal cluster → one global label set;
//! spatial correlation length; per-cluster dispersion; removal of
//! widespread clusters; a per-cluster table.
//!
//! Temporal clusters come from the caller (usually [`crate::KMeans`] with a
//! [`crate::DtwDba`], [`crate::SoftDtw`] or [`crate::Euclidean`] pair on the
//! displacement series), so any pair and any `k` can be used.

mod correlation;
mod dispersion;

pub use correlation::{covariogram, CorrelationParams, Covariogram};
pub use dispersion::{convex_hull_area, dispersion, AreaMethod, Dispersion};

use ndarray::{Array2, ArrayView2};

use crate::dbscan::{DbscanMetric, DbscanParams};
use crate::error::{ensure_finite1, ensure_param, Error, Result};
use correlation::check_coords;

/// How pixel coordinates are given (two columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Geometry {
    /// Planar `(x, y)` in km (e.g. a projected CRS divided by 1000).
    PlanarKm,
    /// Geographic `(lon°, lat°)`; distances are great-circle km. Default.
    #[default]
    LonLatDeg,
}

/// Threshold on the standard distance above which a cluster is
/// "widespread" and removed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SdThreshold {
    /// No threshold on the standard distance.
    None,
    /// A fixed threshold, km.
    Km(f64),
    /// A multiple of the spatial correlation length (no removal by this
    /// rule when the correlation length is unknown).
    CorrelationLength(f64),
}

/// Rules that remove widespread clusters; a cluster is removed when any
/// rule fires.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WidespreadFilter {
    /// Standard-distance rule (default: `CorrelationLength(1.0)`, i.e. a
    /// cluster more dispersed than the deformation's spatial correlation
    /// length is not a localised hotspot).
    pub max_standard_distance: SdThreshold,
    /// Remove clusters whose relative standard distance (km⁻¹) is below
    /// this (sparse, spread-out clusters; default `None`).
    pub min_relative_standard_distance: Option<f64>,
    /// Remove clusters larger than this area, km² (default `None`).
    pub max_area_km2: Option<f64>,
}

impl Default for WidespreadFilter {
    fn default() -> Self {
        Self {
            max_standard_distance: SdThreshold::CorrelationLength(1.0),
            min_relative_standard_distance: None,
            max_area_km2: None,
        }
    }
}

/// Parameters of [`Hotspots`]; validated by [`HotspotParams::build`].
#[derive(Debug, Clone, PartialEq)]
pub struct HotspotParams {
    /// DBSCAN radius, km (no default).
    pub eps_km: f64,
    /// DBSCAN `min_samples` (point itself included; no default).
    pub min_samples: usize,
    /// Coordinate convention (default `(lon°, lat°)`).
    pub geometry: Geometry,
    /// Covariogram settings; `None` skips the correlation length (default
    /// `Some(CorrelationParams::default())`).
    pub correlation: Option<CorrelationParams>,
    /// Area measure (default convex hull).
    pub area: AreaMethod,
    /// Removal rules (default [`WidespreadFilter::default`]).
    pub filter: WidespreadFilter,
}

impl HotspotParams {
    /// Parameters with the DBSCAN radius (km) and `min_samples`, other
    /// fields at their defaults.
    pub fn new(eps_km: f64, min_samples: usize) -> Self {
        Self {
            eps_km,
            min_samples,
            geometry: Geometry::LonLatDeg,
            correlation: Some(CorrelationParams::default()),
            area: AreaMethod::ConvexHull,
            filter: WidespreadFilter::default(),
        }
    }
    /// Sets the coordinate convention.
    pub fn with_geometry(mut self, geometry: Geometry) -> Self {
        self.geometry = geometry;
        self
    }
    /// Sets (or disables) the covariogram.
    pub fn with_correlation(mut self, correlation: Option<CorrelationParams>) -> Self {
        self.correlation = correlation;
        self
    }
    /// Sets the area measure.
    pub fn with_area(mut self, area: AreaMethod) -> Self {
        self.area = area;
        self
    }
    /// Sets the removal rules.
    pub fn with_filter(mut self, filter: WidespreadFilter) -> Self {
        self.filter = filter;
        self
    }
    /// Validates the parameters.
    pub fn build(self) -> Result<Hotspots> {
        DbscanParams::new(self.eps_km)
            .with_min_samples(self.min_samples)
            .build()?;
        if let Some(c) = &self.correlation {
            c.check()?;
        }
        if let AreaMethod::PixelCount { pixel_area_km2 } = self.area {
            ensure_param(
                pixel_area_km2.is_finite() && pixel_area_km2 > 0.0,
                "pixel_area_km2",
                pixel_area_km2,
                "must be finite and > 0",
            )?;
        }
        match self.filter.max_standard_distance {
            SdThreshold::Km(v) | SdThreshold::CorrelationLength(v) => ensure_param(
                v.is_finite() && v > 0.0,
                "max_standard_distance",
                v,
                "must be finite and > 0",
            )?,
            SdThreshold::None => {}
        }
        Ok(Hotspots { params: self })
    }
}

/// Why a cluster was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Standard distance above the threshold.
    StandardDistance,
    /// Relative standard distance below the threshold.
    RelativeStandardDistance,
    /// Area above the threshold.
    Area,
}

/// One row of the per-cluster table.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterRow {
    /// Global DBSCAN cluster id (before removal).
    pub id: usize,
    /// Temporal cluster it was found in.
    pub temporal_cluster: usize,
    /// Label in the final label set, `None` when removed.
    pub final_label: Option<usize>,
    /// Member pixels.
    pub size: usize,
    /// Mean velocity of the members (when velocities were given).
    pub mean_velocity: Option<f64>,
    /// Dispersion (centroid, standard distance, area, relative SD).
    pub dispersion: Dispersion,
    /// Why it was removed (`None` when kept).
    pub removed: Option<Removal>,
}

/// Output of [`Hotspots::run`].
#[derive(Debug, Clone, PartialEq)]
pub struct HotspotResult {
    /// DBSCAN label of every pixel before removal (global ids, −1 noise).
    pub dbscan_labels: Vec<i64>,
    /// Final label of every pixel: kept clusters renumbered `0..` in order
    /// of their global id, −1 for noise and removed clusters.
    pub labels: Vec<i64>,
    /// One row per DBSCAN cluster, in global id order.
    pub table: Vec<ClusterRow>,
    /// The covariogram and correlation length (when requested).
    pub covariogram: Option<Covariogram>,
}

impl HotspotResult {
    /// Number of clusters kept.
    pub fn n_kept(&self) -> usize {
        self.table.iter().filter(|r| r.removed.is_none()).count()
    }
}

/// A validated hotspot workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct Hotspots {
    params: HotspotParams,
}

/// DBSCAN inside each temporal cluster, numbered into one global label set:
/// temporal cluster 0's clusters first (in DBSCAN discovery order), then
/// temporal cluster 1's, and so on; noise stays −1.
pub fn dbscan_per_cluster(
    coords: ArrayView2<'_, f64>,
    temporal_labels: &[usize],
    dbscan: &DbscanParams,
) -> Result<Vec<i64>> {
    let n = temporal_labels.len();
    check_coords(coords, n)?;
    let db = dbscan.build()?;
    let k = temporal_labels.iter().copied().max().map_or(0, |m| m + 1);
    let mut labels = vec![-1i64; n];
    let mut offset = 0i64;
    for t in 0..k {
        let members: Vec<usize> = (0..n).filter(|&i| temporal_labels[i] == t).collect();
        if members.is_empty() {
            continue;
        }
        let sub: Array2<f64> = coords.select(ndarray::Axis(0), &members);
        let r = db.fit(sub.view())?;
        for (m, &l) in members.iter().zip(&r.labels) {
            if l >= 0 {
                labels[*m] = offset + l;
            }
        }
        offset += r.n_clusters as i64;
    }
    Ok(labels)
}

impl Hotspots {
    /// The parameters.
    pub fn params(&self) -> &HotspotParams {
        &self.params
    }

    /// Runs the workflow on `series` (`(pixel, date)` displacements),
    /// `coords` (`(pixel, 2)`, see [`Geometry`]), optional per-pixel
    /// `velocity`, and the temporal cluster of each pixel.
    ///
    /// Errors: shape mismatches, non-finite values, an empty scene.
    pub fn run(
        &self,
        series: ArrayView2<'_, f64>,
        coords: ArrayView2<'_, f64>,
        velocity: Option<&[f64]>,
        temporal_labels: &[usize],
    ) -> Result<HotspotResult> {
        let p = &self.params;
        let n = series.nrows();
        if n == 0 {
            return Err(Error::EmptyInput { what: "series" });
        }
        if temporal_labels.len() != n {
            return Err(Error::ShapeMismatch {
                what: "temporal_labels",
                expected: n,
                found: temporal_labels.len(),
            });
        }
        check_coords(coords, n)?;
        if let Some(v) = velocity {
            if v.len() != n {
                return Err(Error::ShapeMismatch {
                    what: "velocity",
                    expected: n,
                    found: v.len(),
                });
            }
            ensure_finite1("velocity", v)?;
        }
        let metric = match p.geometry {
            Geometry::PlanarKm => DbscanMetric::Euclidean,
            Geometry::LonLatDeg => DbscanMetric::HaversineKm,
        };
        let dbp = DbscanParams::new(p.eps_km)
            .with_min_samples(p.min_samples)
            .with_metric(metric);
        let dbscan_labels = dbscan_per_cluster(coords, temporal_labels, &dbp)?;
        let covariogram = match &p.correlation {
            Some(c) => Some(covariogram(series, coords, p.geometry, c)?),
            None => None,
        };
        let corr_len = covariogram.as_ref().and_then(|c| c.correlation_length_km);
        let n_clusters = dbscan_labels
            .iter()
            .copied()
            .max()
            .map_or(0, |m| (m + 1).max(0) as usize);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_clusters];
        for (i, &l) in dbscan_labels.iter().enumerate() {
            if l >= 0 {
                members[l as usize].push(i);
            }
        }
        let mut table = Vec::with_capacity(n_clusters);
        let mut next = 0usize;
        let mut final_of = vec![None; n_clusters];
        for (id, m) in members.iter().enumerate() {
            let pts: Vec<(f64, f64)> = m
                .iter()
                .map(|&i| (coords[[i, 0]], coords[[i, 1]]))
                .collect();
            let disp = dispersion(p.geometry, &pts, p.area);
            let f = &p.filter;
            let sd_limit = match f.max_standard_distance {
                SdThreshold::None => None,
                SdThreshold::Km(v) => Some(v),
                SdThreshold::CorrelationLength(factor) => corr_len.map(|l| factor * l),
            };
            let removed = if sd_limit.is_some_and(|l| disp.standard_distance_km > l) {
                Some(Removal::StandardDistance)
            } else if f
                .min_relative_standard_distance
                .is_some_and(|t| disp.relative_standard_distance.is_some_and(|r| r < t))
            {
                Some(Removal::RelativeStandardDistance)
            } else if f.max_area_km2.is_some_and(|a| disp.area_km2 > a) {
                Some(Removal::Area)
            } else {
                None
            };
            let final_label = if removed.is_none() {
                next += 1;
                Some(next - 1)
            } else {
                None
            };
            final_of[id] = final_label;
            table.push(ClusterRow {
                id,
                temporal_cluster: temporal_labels[m[0]],
                final_label,
                size: m.len(),
                mean_velocity: velocity
                    .map(|v| m.iter().map(|&i| v[i]).sum::<f64>() / m.len() as f64),
                dispersion: disp,
                removed,
            });
        }
        let labels = dbscan_labels
            .iter()
            .map(|&l| {
                if l < 0 {
                    -1
                } else {
                    final_of[l as usize].map_or(-1, |f| f as i64)
                }
            })
            .collect();
        Ok(HotspotResult {
            dbscan_labels,
            labels,
            table,
            covariogram,
        })
    }
}
