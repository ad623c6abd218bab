//! Size-constrained assignment: every cluster gets between `min` and `max`
//! members.
//!
//! Two solvers on a cost matrix `(n_samples, k)`:
//!
//! * [`SizeMethod::GreedyRepair`] — the upscaling study's heuristic as we read
//!   it (its code is not public): start from the nearest-centroid
//!   assignment; while a cluster holds more than `max`, move the one of its
//!   members whose move to a cluster with room is cheapest (smallest cost
//!   increase); then, while a cluster holds fewer than `min`, pull in the
//!   sample, from a cluster holding more than `min`, whose move is
//!   cheapest. Fast, always feasible, not optimal.
//! * [`SizeMethod::MinCostFlow`] — the exact optimum of the total cost
//!   under the bounds. Default. The network is source → sample (unit
//!   capacity) → cluster (cost `c[i][j]`) → sink, each cluster reaching the sink by
//!   a *required* arc of capacity `min` and an *optional* arc of capacity
//!   `max − min` through a shared overflow node of capacity `n − Σ min`, so
//!   a flow of value `n` is exactly a feasible assignment. It is solved by
//!   successive shortest paths (Busacker & Gowen 1960), with the sample
//!   nodes collapsed into cluster-to-cluster arcs (cheapest move of a
//!   member, kept in heaps) and Bellman–Ford on the `k + 3` remaining
//!   nodes: `O(n·k²·log n + n·k³)`, fine for tens of thousands of samples.

use ndarray::ArrayView2;

use crate::error::{ensure_finite2, Error, Result};
use crate::flow::min_cost_assignment;

/// Bounds on cluster sizes, the same for every cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeBounds {
    /// Minimum members per cluster.
    pub min_size: usize,
    /// Maximum members per cluster.
    pub max_size: usize,
}

impl SizeBounds {
    /// Bounds `min_size ..= max_size`; errors when `min_size > max_size` or
    /// `max_size == 0`.
    pub fn new(min_size: usize, max_size: usize) -> Result<Self> {
        if min_size > max_size {
            return Err(Error::InvalidParameter {
                name: "min_size",
                value: format!("{min_size} (max_size = {max_size})"),
                reason: "min_size must not exceed max_size",
            });
        }
        if max_size == 0 {
            return Err(Error::InvalidParameter {
                name: "max_size",
                value: "0".into(),
                reason: "must be ≥ 1",
            });
        }
        Ok(Self { min_size, max_size })
    }

    /// Checks that `n` samples fit in `k` clusters: `k·min ≤ n ≤ k·max`.
    pub fn check(&self, n: usize, k: usize) -> Result<()> {
        if self.min_size > self.max_size
            || k == 0
            || self.min_size.saturating_mul(k) > n
            || self.max_size.saturating_mul(k) < n
        {
            return Err(Error::InfeasibleSizes {
                n,
                k,
                min_size: self.min_size,
                max_size: self.max_size,
            });
        }
        Ok(())
    }
}

/// Solver for [`assign_with_sizes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SizeMethod {
    /// The study's greedy repair (heuristic).
    GreedyRepair,
    /// Exact minimum-cost flow (default).
    #[default]
    MinCostFlow,
}

/// A size-constrained assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Cluster of each sample.
    pub labels: Vec<usize>,
    /// Members per cluster.
    pub sizes: Vec<usize>,
    /// Sum of the costs of the chosen entries.
    pub total_cost: f64,
}

/// Assigns each row of `costs` (`(n_samples, k)`, finite) to a column so
/// that every column receives between `bounds.min_size` and
/// `bounds.max_size` rows.
///
/// ```
/// use cluster_ts::{assign_with_sizes, SizeBounds, SizeMethod};
/// use ndarray::array;
/// // Everybody prefers cluster 0, but it may hold only two.
/// let costs = array![[0.0, 5.0], [0.0, 1.0], [0.0, 3.0], [0.0, 2.0]];
/// let a = assign_with_sizes(costs.view(), SizeBounds::new(2, 2).unwrap(), SizeMethod::MinCostFlow).unwrap();
/// assert_eq!(a.labels, vec![0, 1, 0, 1]);
/// assert_eq!(a.total_cost, 3.0);
/// ```
pub fn assign_with_sizes(
    costs: ArrayView2<'_, f64>,
    bounds: SizeBounds,
    method: SizeMethod,
) -> Result<Assignment> {
    let (n, k) = costs.dim();
    if n == 0 || k == 0 {
        return Err(Error::EmptyInput { what: "costs" });
    }
    ensure_finite2("costs", costs)?;
    bounds.check(n, k)?;
    let flat: Vec<f64> = costs.iter().copied().collect();
    let labels = match method {
        SizeMethod::MinCostFlow => min_cost_assignment(
            &flat,
            n,
            k,
            &vec![bounds.min_size; k],
            &vec![bounds.max_size; k],
        )
        .ok_or(Error::InfeasibleSizes {
            n,
            k,
            min_size: bounds.min_size,
            max_size: bounds.max_size,
        })?,
        SizeMethod::GreedyRepair => greedy_repair(&flat, n, k, bounds),
    };
    let mut sizes = vec![0; k];
    let mut total_cost = 0.0;
    for (i, &l) in labels.iter().enumerate() {
        sizes[l] += 1;
        total_cost += flat[i * k + l];
    }
    Ok(Assignment {
        labels,
        sizes,
        total_cost,
    })
}

fn greedy_repair(cost: &[f64], n: usize, k: usize, b: SizeBounds) -> Vec<usize> {
    let c = |i: usize, j: usize| cost[i * k + j];
    let mut labels: Vec<usize> = (0..n)
        .map(|i| {
            let mut best = 0;
            for j in 1..k {
                if c(i, j) < c(i, best) {
                    best = j;
                }
            }
            best
        })
        .collect();
    let mut sizes = vec![0usize; k];
    for &l in &labels {
        sizes[l] += 1;
    }
    // Overfull clusters give away their cheapest-to-move members.
    while let Some(a) = (0..k).find(|&a| sizes[a] > b.max_size) {
        let mut best: Option<(f64, usize, usize)> = None;
        for i in (0..n).filter(|&i| labels[i] == a) {
            for t in (0..k).filter(|&t| t != a && sizes[t] < b.max_size) {
                let delta = c(i, t) - c(i, a);
                if best.is_none_or(|(d, _, _)| delta < d) {
                    best = Some((delta, i, t));
                }
            }
        }
        let (_, i, t) = best.expect("room exists when n ≤ k·max");
        labels[i] = t;
        sizes[a] -= 1;
        sizes[t] += 1;
    }
    // Underfull clusters pull in the cheapest samples from clusters above min.
    while let Some(t) = (0..k).find(|&t| sizes[t] < b.min_size) {
        let mut best: Option<(f64, usize)> = None;
        for i in (0..n).filter(|&i| labels[i] != t && sizes[labels[i]] > b.min_size) {
            let delta = c(i, t) - c(i, labels[i]);
            if best.is_none_or(|(d, _)| delta < d) {
                best = Some((delta, i));
            }
        }
        let (_, i) = best.expect("a donor exists when n ≥ k·min");
        sizes[labels[i]] -= 1;
        labels[i] = t;
        sizes[t] += 1;
    }
    labels
}
