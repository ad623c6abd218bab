//! Interchangeable (distance, barycentre) pairs for the k-means engine.

use crate::dba::dba;
use crate::metrics::{dtw_squared, soft_dtw};
use crate::softdtw_barycentre::softdtw_barycentre;
use crate::wasserstein::{trapezoid_weights, wasserstein_1d, wp_pow};

/// A (distance, barycentre) pair: what k-means minimises and how it updates
/// a centroid.
///
/// `cost` is the quantity summed into the inertia and used for the
/// assignment (a squared distance for the metric pairs, the soft-DTW value
/// for soft-DTW, W1 itself for the W1 pair). `barycentre` returns the new
/// centroid of a cluster from its members, starting from the current
/// centroid (iterative barycentres such as DBA use it as initialisation).
///
/// Implementations must be deterministic: the engine calls them from
/// several threads and relies on identical results for identical inputs.
pub trait Pair: Sync {
    /// Short name for messages and reports.
    fn name(&self) -> &'static str;

    /// Dissimilarity of `x` to centroid `c` minimised by k-means.
    fn cost(&self, x: &[f64], c: &[f64]) -> f64;

    /// New centroid of `members` (never empty) from the current centroid.
    fn barycentre(&self, members: &[&[f64]], current: &[f64]) -> Vec<f64>;

    /// The distance itself (reported, e.g. for silhouettes); by default
    /// `sqrt(max(cost, 0))`.
    fn distance(&self, x: &[f64], y: &[f64]) -> f64 {
        self.cost(x, y).max(0.0).sqrt()
    }

    /// Non-negative weight for k-means++ seeding (D² sampling); by default
    /// `max(cost, 0)`.
    fn seeding_cost(&self, x: &[f64], c: &[f64]) -> f64 {
        self.cost(x, c).max(0.0)
    }
}

fn mean(members: &[&[f64]], d: usize) -> Vec<f64> {
    let mut out = vec![0.0; d];
    for m in members {
        for (o, v) in out.iter_mut().zip(m.iter()) {
            *o += v;
        }
    }
    let n = members.len() as f64;
    out.iter_mut().for_each(|o| *o /= n);
    out
}

/// Squared Euclidean distance with the arithmetic mean: classical (Lloyd)
/// k-means. Also the "Euclidean on histogram vectors" option.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Euclidean;

impl Pair for Euclidean {
    fn name(&self) -> &'static str {
        "euclidean"
    }
    fn cost(&self, x: &[f64], c: &[f64]) -> f64 {
        x.iter().zip(c).map(|(a, b)| (a - b) * (a - b)).sum()
    }
    fn barycentre(&self, members: &[&[f64]], current: &[f64]) -> Vec<f64> {
        mean(members, current.len())
    }
}

/// DTW (optional Sakoe–Chiba band) with the DBA barycentre (Petitjean et
/// al. 2011), as tslearn's `TimeSeriesKMeans(metric="dtw")`. Cost = DTW².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DtwDba {
    /// Sakoe–Chiba radius; `None` (default) for unconstrained DTW.
    pub radius: Option<usize>,
    /// DBA iterations per centroid update (tslearn's `max_iter_barycenter`,
    /// default 100).
    pub max_iter_barycenter: usize,
    /// DBA tolerance on the change of the mean DTW² cost (default 1e-5).
    pub tol: f64,
}

impl Default for DtwDba {
    fn default() -> Self {
        Self {
            radius: None,
            max_iter_barycenter: 100,
            tol: 1e-5,
        }
    }
}

impl DtwDba {
    /// Sets the Sakoe–Chiba radius.
    pub fn with_radius(mut self, radius: usize) -> Self {
        self.radius = Some(radius);
        self
    }
    /// Sets the DBA iteration cap.
    pub fn with_max_iter_barycenter(mut self, n: usize) -> Self {
        self.max_iter_barycenter = n;
        self
    }
}

impl Pair for DtwDba {
    fn name(&self) -> &'static str {
        "dtw"
    }
    fn cost(&self, x: &[f64], c: &[f64]) -> f64 {
        dtw_squared(x, c, self.radius)
    }
    fn barycentre(&self, members: &[&[f64]], current: &[f64]) -> Vec<f64> {
        dba(
            members,
            current,
            self.max_iter_barycenter,
            self.tol,
            self.radius,
        )
        .barycentre
    }
}

/// Soft-DTW (smoothing `gamma`) with the gradient-based soft-DTW barycentre
/// (Cuturi & Blondel 2017), as tslearn's `TimeSeriesKMeans(metric="softdtw")`.
/// Cost = the soft-DTW value (can be negative); seeding uses the soft-DTW
/// divergence `sdtw(x, c) − (sdtw(x, x) + sdtw(c, c))/2`, which is ≥ 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SoftDtw {
    /// Smoothing γ > 0 (default 1.0).
    pub gamma: f64,
    /// Sakoe–Chiba radius; `None` (default) for none.
    pub radius: Option<usize>,
    /// L-BFGS iterations per centroid update (default 100).
    pub max_iter_barycenter: usize,
    /// L-BFGS tolerance (default 1e-3, tslearn's).
    pub tol: f64,
}

impl Default for SoftDtw {
    fn default() -> Self {
        Self {
            gamma: 1.0,
            radius: None,
            max_iter_barycenter: 100,
            tol: 1e-3,
        }
    }
}

impl SoftDtw {
    /// Soft-DTW pair with smoothing `gamma` and the other defaults.
    pub fn new(gamma: f64) -> Self {
        Self {
            gamma,
            ..Self::default()
        }
    }
}

impl Pair for SoftDtw {
    fn name(&self) -> &'static str {
        "softdtw"
    }
    fn cost(&self, x: &[f64], c: &[f64]) -> f64 {
        soft_dtw(x, c, self.gamma, self.radius)
    }
    fn barycentre(&self, members: &[&[f64]], current: &[f64]) -> Vec<f64> {
        softdtw_barycentre(
            members,
            current,
            self.gamma,
            self.max_iter_barycenter,
            self.tol,
            self.radius,
        )
        .barycentre
    }
    fn distance(&self, x: &[f64], y: &[f64]) -> f64 {
        self.seeding_cost(x, y).sqrt()
    }
    fn seeding_cost(&self, x: &[f64], c: &[f64]) -> f64 {
        let g = self.gamma;
        let r = self.radius;
        (soft_dtw(x, c, g, r) - 0.5 * (soft_dtw(x, x, g, r) + soft_dtw(c, c, g, r))).max(0.0)
    }
}

/// The "shape" distance of the upscaling study on histogram rows (W1 between
/// the multisets of bin heights, [`crate::histogram::shape_distance`]) with
/// the arithmetic-mean update, as the study did. Cost = distance².
///
/// The mean is not the minimiser of this cost, so unlike [`Euclidean`] the
/// inertia is not guaranteed to decrease monotonically.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape;

impl Pair for Shape {
    fn name(&self) -> &'static str {
        "shape"
    }
    fn cost(&self, x: &[f64], c: &[f64]) -> f64 {
        let d = wasserstein_1d(x, c).unwrap_or(f64::INFINITY);
        d * d
    }
    fn barycentre(&self, members: &[&[f64]], current: &[f64]) -> Vec<f64> {
        mean(members, current.len())
    }
    fn distance(&self, x: &[f64], y: &[f64]) -> f64 {
        wasserstein_1d(x, y).unwrap_or(f64::INFINITY)
    }
}

/// Order of the quantile Wasserstein pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WassersteinOrder {
    /// W1: cost = W1, barycentre = pointwise median of quantile functions.
    W1,
    /// W2: cost = W2², barycentre = mean of quantile functions.
    W2,
}

/// True Wasserstein-p geometry on rows that are quantile functions sampled
/// at `k/(n−1)` (from [`crate::HistogramBins::quantile_functions`]). Use
/// [`crate::fit_histograms_wasserstein`] to go from histograms to clusters
/// and back.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantileWasserstein {
    order: WassersteinOrder,
}

impl QuantileWasserstein {
    /// Pair of the given order.
    pub fn new(order: WassersteinOrder) -> Self {
        Self { order }
    }
    /// The order.
    pub fn order(&self) -> WassersteinOrder {
        self.order
    }
}

impl Pair for QuantileWasserstein {
    fn name(&self) -> &'static str {
        match self.order {
            WassersteinOrder::W1 => "wasserstein-1",
            WassersteinOrder::W2 => "wasserstein-2",
        }
    }
    fn cost(&self, x: &[f64], c: &[f64]) -> f64 {
        let w = trapezoid_weights(x.len().max(2));
        match self.order {
            WassersteinOrder::W1 => wp_pow(x, c, 1.0, &w),
            WassersteinOrder::W2 => wp_pow(x, c, 2.0, &w),
        }
    }
    fn barycentre(&self, members: &[&[f64]], current: &[f64]) -> Vec<f64> {
        match self.order {
            WassersteinOrder::W2 => mean(members, current.len()),
            WassersteinOrder::W1 => {
                let mut col = Vec::with_capacity(members.len());
                (0..current.len())
                    .map(|j| {
                        col.clear();
                        col.extend(members.iter().map(|m| m[j]));
                        col.sort_by(f64::total_cmp);
                        let n = col.len();
                        if n % 2 == 1 {
                            col[n / 2]
                        } else {
                            0.5 * (col[n / 2 - 1] + col[n / 2])
                        }
                    })
                    .collect()
            }
        }
    }
    fn distance(&self, x: &[f64], y: &[f64]) -> f64 {
        match self.order {
            WassersteinOrder::W1 => self.cost(x, y),
            WassersteinOrder::W2 => self.cost(x, y).max(0.0).sqrt(),
        }
    }
    fn seeding_cost(&self, x: &[f64], c: &[f64]) -> f64 {
        // D² sampling in the metric's own distance.
        let d = self.distance(x, c);
        d * d
    }
}
