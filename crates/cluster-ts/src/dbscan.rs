//! DBSCAN (Ester, Kriegel, Sander & Xu 1996) with scikit-learn's semantics
//! and a k-d tree for the neighbourhoods.
//!
//! * A point's neighbourhood holds every point at distance `≤ eps`,
//!   itself included; it is a *core* point when the neighbourhood has at
//!   least `min_samples` points.
//! * Clusters are numbered `0, 1, …` in order of discovery: samples are
//!   scanned by index and each unlabelled core sample starts a new cluster,
//!   grown depth-first through core samples; a border sample reachable from
//!   several clusters joins the first one discovered. Noise is `−1`.
//!   This is `sklearn.cluster.DBSCAN` exactly (`dbscan_inner`).
//! * Metrics: Euclidean on any number of coordinate columns (squared
//!   distances compared with `eps²`, as scikit-learn's k-d tree does), or
//!   great-circle distance in km on `(lon°, lat°)` with
//!   [`EARTH_RADIUS_KM`] — scikit-learn's `metric="haversine"` on
//!   `radians([lat, lon])` with `eps = eps_km / 6371.0088`, including its
//!   comparison `hav ≤ sin²(eps/2)`.
//!
//! Neighbourhoods are found in parallel (rayon) from a static k-d tree (on
//! 3-D unit vectors for the sphere), so the cost is about
//! `O(n log n + n·m)` for `m` neighbours per point rather than `O(n²)`;
//! results do not depend on the number of threads.

use ndarray::ArrayView2;
use rayon::prelude::*;

use crate::error::{ensure_finite2, ensure_param, Error, Result};
use crate::kdtree::KdTree;

/// Mean Earth radius (IUGG R₁), km.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Distance used by [`Dbscan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DbscanMetric {
    /// Euclidean on the coordinate columns (any number ≥ 1); `eps` in the
    /// coordinates' unit. Default.
    #[default]
    Euclidean,
    /// Great-circle distance in km on a sphere of radius
    /// [`EARTH_RADIUS_KM`]; points are `(lon°, lat°)` rows, `eps` in km.
    HaversineKm,
}

/// Parameters of [`Dbscan`]; validated by [`DbscanParams::build`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DbscanParams {
    /// Neighbourhood radius (> 0, finite; no default). Inclusive.
    pub eps: f64,
    /// Neighbours (the point itself included) that make a core point
    /// (default 5, scikit-learn's).
    pub min_samples: usize,
    /// Distance (default Euclidean).
    pub metric: DbscanMetric,
}

impl DbscanParams {
    /// Parameters with radius `eps` and the defaults.
    pub fn new(eps: f64) -> Self {
        Self {
            eps,
            min_samples: 5,
            metric: DbscanMetric::Euclidean,
        }
    }
    /// Sets `min_samples`.
    pub fn with_min_samples(mut self, min_samples: usize) -> Self {
        self.min_samples = min_samples;
        self
    }
    /// Sets the metric.
    pub fn with_metric(mut self, metric: DbscanMetric) -> Self {
        self.metric = metric;
        self
    }
    /// Validates: `eps` finite and > 0, `min_samples ≥ 1`.
    pub fn build(self) -> Result<Dbscan> {
        ensure_param(
            self.eps.is_finite() && self.eps > 0.0,
            "eps",
            self.eps,
            "must be finite and > 0",
        )?;
        ensure_param(
            self.min_samples >= 1,
            "min_samples",
            self.min_samples,
            "must be ≥ 1",
        )?;
        Ok(Dbscan { params: self })
    }
}

/// A validated DBSCAN configuration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dbscan {
    params: DbscanParams,
}

/// Result of [`Dbscan::fit`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbscanResult {
    /// Cluster of each point (`0..n_clusters`) or −1 for noise.
    pub labels: Vec<i64>,
    /// Whether each point is a core point.
    pub core: Vec<bool>,
    /// Number of clusters.
    pub n_clusters: usize,
}

impl DbscanResult {
    /// Members per cluster.
    pub fn cluster_sizes(&self) -> Vec<usize> {
        let mut s = vec![0; self.n_clusters];
        for &l in &self.labels {
            if l >= 0 {
                s[l as usize] += 1;
            }
        }
        s
    }
    /// Number of noise points.
    pub fn n_noise(&self) -> usize {
        self.labels.iter().filter(|&&l| l < 0).count()
    }
}

impl Dbscan {
    /// The parameters.
    pub fn params(&self) -> &DbscanParams {
        &self.params
    }

    /// Clusters the rows of `points` (`(n, dim)`; `(n, 2)` as `(lon°, lat°)`
    /// for [`DbscanMetric::HaversineKm`]).
    ///
    /// Errors: no points or no columns, non-finite coordinates, latitudes
    /// outside ±90°, a haversine input without exactly two columns.
    ///
    /// ```
    /// use cluster_ts::{DbscanParams};
    /// use ndarray::array;
    /// let pts = array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [10.0, 10.0]];
    /// let r = DbscanParams::new(1.0).with_min_samples(3).build().unwrap().fit(pts.view()).unwrap();
    /// assert_eq!(r.labels, vec![0, 0, 0, -1]);
    /// ```
    pub fn fit(&self, points: ArrayView2<'_, f64>) -> Result<DbscanResult> {
        let neighbourhoods = self.neighbourhoods(points)?;
        Ok(expand(&neighbourhoods, self.params.min_samples))
    }

    /// Neighbourhood (indices in ascending order, the point itself
    /// included) of every point.
    pub fn neighbourhoods(&self, points: ArrayView2<'_, f64>) -> Result<Vec<Vec<u32>>> {
        let (n, dim) = points.dim();
        if n == 0 || dim == 0 {
            return Err(Error::EmptyInput { what: "points" });
        }
        ensure_param(
            n <= u32::MAX as usize,
            "points",
            n,
            "at most 2³² − 1 points",
        )?;
        ensure_finite2("points", points)?;
        match self.params.metric {
            DbscanMetric::Euclidean => {
                let flat: Vec<f64> = points.iter().copied().collect();
                let tree = KdTree::new(&flat, dim);
                let r2 = self.params.eps * self.params.eps;
                Ok((0..n)
                    .into_par_iter()
                    .map_init(Vec::new, |stack, i| {
                        let mut out = Vec::new();
                        tree.within(
                            &flat[i * dim..(i + 1) * dim],
                            r2,
                            &mut out,
                            stack,
                            |_, _| true,
                        );
                        out
                    })
                    .collect())
            }
            DbscanMetric::HaversineKm => {
                if dim != 2 {
                    return Err(Error::ShapeMismatch {
                        what: "points (columns lon°, lat°)",
                        expected: 2,
                        found: dim,
                    });
                }
                let mut lat = Vec::with_capacity(n);
                let mut lon = Vec::with_capacity(n);
                let mut coslat = Vec::with_capacity(n);
                let mut xyz = Vec::with_capacity(3 * n);
                for (i, row) in points.outer_iter().enumerate() {
                    let (lo, la) = (row[0], row[1]);
                    if !(-90.0..=90.0).contains(&la) {
                        return Err(Error::InvalidParameter {
                            name: "points",
                            value: format!("latitude {la} at row {i}"),
                            reason: "latitude must be within [-90, 90] degrees",
                        });
                    }
                    let (phi, lam) = (la.to_radians(), lo.to_radians());
                    lat.push(phi);
                    lon.push(lam);
                    coslat.push(phi.cos());
                    xyz.extend_from_slice(&[
                        phi.cos() * lam.cos(),
                        phi.cos() * lam.sin(),
                        phi.sin(),
                    ]);
                }
                let eps_rad = self.params.eps / EARTH_RADIUS_KM;
                let s = (0.5 * eps_rad).sin();
                let reduced = s * s;
                // Chord² = 4·hav; inflate for rounding, then test exactly.
                let chord2 = if eps_rad >= std::f64::consts::PI {
                    f64::INFINITY
                } else {
                    4.0 * reduced * (1.0 + 1e-9) + 1e-15
                };
                let tree = KdTree::new(&xyz, 3);
                Ok((0..n)
                    .into_par_iter()
                    .map_init(Vec::new, |stack, i| {
                        let mut out = Vec::new();
                        tree.within(&xyz[3 * i..3 * i + 3], chord2, &mut out, stack, |j, _| {
                            let s0 = (0.5 * (lat[i] - lat[j])).sin();
                            let s1 = (0.5 * (lon[i] - lon[j])).sin();
                            s0 * s0 + coslat[i] * coslat[j] * s1 * s1 <= reduced
                        });
                        out
                    })
                    .collect())
            }
        }
    }
}

/// scikit-learn's `dbscan_inner` on precomputed neighbourhoods.
pub(crate) fn expand(neighbourhoods: &[Vec<u32>], min_samples: usize) -> DbscanResult {
    let n = neighbourhoods.len();
    let core: Vec<bool> = neighbourhoods
        .iter()
        .map(|nb| nb.len() >= min_samples)
        .collect();
    let mut labels = vec![-1i64; n];
    let mut label = 0i64;
    let mut stack: Vec<usize> = Vec::new();
    for start in 0..n {
        if labels[start] != -1 || !core[start] {
            continue;
        }
        let mut i = start;
        loop {
            if labels[i] == -1 {
                labels[i] = label;
                if core[i] {
                    for &v in &neighbourhoods[i] {
                        if labels[v as usize] == -1 {
                            stack.push(v as usize);
                        }
                    }
                }
            }
            match stack.pop() {
                Some(v) => i = v,
                None => break,
            }
        }
        label += 1;
    }
    DbscanResult {
        labels,
        core,
        n_clusters: label as usize,
    }
}
