//! Graph-Laplacian normal equations of the phase-form design matrix.
//!
//! Each row of A has two non-zeros (−1 at the reference date, +1 at the
//! secondary date), so AᵀWA is the weighted Laplacian of the network
//! (grounded at the reference date) and AᵀWy its divergence: both are
//! assembled in O(M) per pixel. Every connected component of a pixel's
//! valid network is solved on its own, grounded at its earliest date; the
//! gap policy then fixes the offsets between components
//! ([`crate::stitch`]).

use std::collections::VecDeque;

use ndarray::Array2;
use ndarray_linalg::{Eigh, UPLO};

use crate::components::Components;
use crate::skyline::{self, Profile};

/// Pairs and times of a network, in the compact form the solvers use.
#[derive(Debug, Clone)]
pub(crate) struct NetworkData {
    pub n_dates: usize,
    /// `(reference, secondary)` date index of each interferogram.
    pub pairs: Vec<(usize, usize)>,
    /// Time of each date since the first, years.
    pub t_years: Vec<f64>,
    /// Duration of each interval, years.
    pub dt_years: Vec<f64>,
}

impl NetworkData {
    pub(crate) fn new(net: &crate::Network) -> Self {
        NetworkData {
            n_dates: net.n_dates(),
            pairs: net
                .pairs()
                .iter()
                .map(|p| (p.reference, p.secondary))
                .collect(),
            t_years: net.years(),
            dt_years: net.interval_years(),
        }
    }
}

/// One connected component of a pixel's valid network, with its grounded
/// Laplacian structure.
#[derive(Debug, Clone)]
pub(crate) struct ComponentSystem {
    /// Global date indices, increasing; `dates[0]` is the ground.
    pub dates: Vec<usize>,
    /// Interferograms (global row indices) inside the component.
    pub rows: Vec<usize>,
    /// Local unknown index of (reference, secondary) of each row; `None` for
    /// the ground.
    pub ends: Vec<(Option<usize>, Option<usize>)>,
    pub profile: Profile,
    /// Σ over dates of the hop distance to the ground (bounds λ_min).
    pub hop_sum: f64,
}

impl ComponentSystem {
    /// Number of unknowns (dates − 1).
    pub(crate) fn n(&self) -> usize {
        self.dates.len() - 1
    }

    /// Assembles AᵀWA (skyline, lower triangle) into `mat`, returning the
    /// smallest weight used.
    pub(crate) fn assemble_matrix(&self, weights: Option<&[f64]>, mat: &mut Vec<f64>) -> f64 {
        mat.clear();
        mat.resize(self.profile.len(), 0.0);
        let mut w_min = f64::INFINITY;
        for (&row, &(a, b)) in self.rows.iter().zip(&self.ends) {
            let w = weights.map_or(1.0, |w| w[row]);
            w_min = w_min.min(w);
            if let Some(a) = a {
                mat[self.profile.pos(a, a)] += w;
            }
            if let Some(b) = b {
                mat[self.profile.pos(b, b)] += w;
            }
            if let (Some(a), Some(b)) = (a, b) {
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                mat[self.profile.pos(hi, lo)] -= w;
            }
        }
        w_min
    }

    /// Assembles AᵀWy into `rhs`.
    pub(crate) fn assemble_rhs(&self, weights: Option<&[f64]>, y: &[f64], rhs: &mut Vec<f64>) {
        rhs.clear();
        rhs.resize(self.n(), 0.0);
        for (&row, &(a, b)) in self.rows.iter().zip(&self.ends) {
            let wy = weights.map_or(1.0, |w| w[row]) * y[row];
            if let Some(a) = a {
                rhs[a] -= wy;
            }
            if let Some(b) = b {
                rhs[b] += wy;
            }
        }
    }

    /// Upper bound of the 2-norm condition number of the assembled matrix:
    /// λ_max ≤ 2·max weighted degree (Gershgorin) and
    /// λ_min ≥ 1/Σᵢ R_eff(i, ground) ≥ w_min/Σᵢ hops(i, ground).
    fn condition_bound(&self, mat: &[f64], w_min: f64) -> f64 {
        let max_diag = (0..self.n())
            .map(|i| mat[self.profile.pos(i, i)])
            .fold(0.0, f64::max);
        2.0 * max_diag * self.hop_sum / w_min
    }
}

/// The structure of a pixel's valid network: which interferograms are
/// valid, its components and their systems. Shared by every pixel with the
/// same validity.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub n_valid: usize,
    /// Valid interferograms (global row indices).
    pub valid_rows: Vec<usize>,
    pub components: Components,
    /// Systems of the components with at least two dates, in component order.
    pub systems: Vec<ComponentSystem>,
    /// Smallest number of valid interferograms at any date but the first
    /// (MintPy checks the columns of A, which has no reference column).
    pub min_redundancy: usize,
}

impl Pattern {
    pub(crate) fn new(net: &NetworkData, valid: &[bool]) -> Pattern {
        let valid_rows: Vec<usize> = (0..valid.len()).filter(|&k| valid[k]).collect();
        let mut redundancy = vec![0usize; net.n_dates];
        for &k in &valid_rows {
            let (a, b) = net.pairs[k];
            redundancy[a] += 1;
            redundancy[b] += 1;
        }
        let components =
            Components::from_pairs(net.n_dates, valid_rows.iter().map(|&k| net.pairs[k]));
        let mut local = vec![None; net.n_dates];
        let mut system_of = vec![None; components.len()];
        let mut systems = Vec::new();
        for (c, group) in components.groups().iter().enumerate() {
            if group.len() < 2 {
                continue;
            }
            for (i, &d) in group.iter().enumerate().skip(1) {
                local[d] = Some(i - 1);
            }
            system_of[c] = Some(systems.len());
            systems.push(ComponentSystem {
                dates: group.clone(),
                rows: Vec::new(),
                ends: Vec::new(),
                profile: Profile::new(Vec::new()),
                hop_sum: 0.0,
            });
        }
        for &k in &valid_rows {
            let (a, b) = net.pairs[k];
            let s = system_of[components.label(a)].expect("a date with a pair has a system");
            systems[s].rows.push(k);
            systems[s].ends.push((local[a], local[b]));
        }
        for sys in &mut systems {
            let n = sys.n();
            let mut first: Vec<usize> = (0..n).collect();
            let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n + 1];
            for &(a, b) in &sys.ends {
                if let (Some(a), Some(b)) = (a, b) {
                    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                    first[hi] = first[hi].min(lo);
                }
                // Node 0 is the ground, node i + 1 the unknown i.
                let (na, nb) = (a.map_or(0, |v| v + 1), b.map_or(0, |v| v + 1));
                adj[na].push(nb);
                adj[nb].push(na);
            }
            sys.profile = Profile::new(first);
            // Breadth-first hop distances from the ground.
            let mut dist = vec![usize::MAX; n + 1];
            dist[0] = 0;
            let mut queue = VecDeque::from([0usize]);
            while let Some(u) = queue.pop_front() {
                for &v in &adj[u] {
                    if dist[v] == usize::MAX {
                        dist[v] = dist[u] + 1;
                        queue.push_back(v);
                    }
                }
            }
            sys.hop_sum = dist.iter().skip(1).map(|&d| d as f64).sum();
        }
        Pattern {
            n_valid: valid_rows.len(),
            valid_rows,
            components,
            systems,
            min_redundancy: redundancy.into_iter().skip(1).min().unwrap_or(0),
        }
    }
}

/// A factorised component system.
#[derive(Debug, Clone)]
pub(crate) enum Factor {
    /// Skyline Cholesky factor.
    Cholesky(Vec<f64>),
    /// Truncated eigen-decomposition (rank-revealing fallback): eigenvectors
    /// (columns) and reciprocal eigenvalues, 0 where truncated.
    Eigen {
        vectors: Array2<f64>,
        inv_values: Vec<f64>,
    },
}

/// How a factorisation guards against ill-conditioning.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Guard {
    /// Relative singular-value cut-off of the (weighted) design matrix.
    pub rcond: f64,
}

impl Factor {
    /// Factorises the assembled matrix `mat` of `sys`. Uses Cholesky when the
    /// system is provably (or, by the Hager–Higham estimate, very likely)
    /// better conditioned than rcond⁻²; otherwise, or when Cholesky fails, a
    /// LAPACK eigen-decomposition truncated at rcond² · λ_max, which gives
    /// the same solution as an SVD of W½A truncated at rcond · σ_max.
    pub(crate) fn new(
        sys: &ComponentSystem,
        mat: &[f64],
        w_min: f64,
        guard: Guard,
    ) -> Result<Factor, String> {
        let limit = 1.0 / (guard.rcond * guard.rcond);
        let mut data = mat.to_vec();
        if skyline::factor(&sys.profile, &mut data).is_ok() {
            if w_min > 0.0 && sys.condition_bound(mat, w_min) < limit {
                return Ok(Factor::Cholesky(data));
            }
            let kappa = skyline::norm1(&sys.profile, mat)
                * skyline::inverse_norm1_estimate(&sys.profile, &data);
            if 3.0 * kappa < limit {
                return Ok(Factor::Cholesky(data));
            }
        }
        Self::eigen(sys, mat, guard)
    }

    fn eigen(sys: &ComponentSystem, mat: &[f64], guard: Guard) -> Result<Factor, String> {
        let n = sys.n();
        let mut dense = Array2::<f64>::zeros((n, n));
        for i in 0..n {
            for j in 0..=i {
                // Entries outside the profile are zero.
                let p = &sys.profile;
                let v = if j >= p.first(i) {
                    mat[p.pos(i, j)]
                } else {
                    0.0
                };
                dense[[i, j]] = v;
                dense[[j, i]] = v;
            }
        }
        let (values, vectors) = dense.eigh(UPLO::Lower).map_err(|e| e.to_string())?;
        let max = values.iter().copied().fold(0.0, f64::max);
        let cut = guard.rcond * guard.rcond * max;
        let inv_values = values
            .iter()
            .map(|&l| if l > cut && l > 0.0 { 1.0 / l } else { 0.0 })
            .collect();
        Ok(Factor::Eigen {
            vectors,
            inv_values,
        })
    }

    /// Numerical rank of the factored system.
    pub(crate) fn rank(&self, n: usize) -> usize {
        match self {
            Factor::Cholesky(_) => n,
            Factor::Eigen { inv_values, .. } => inv_values.iter().filter(|&&v| v > 0.0).count(),
        }
    }

    /// Solves in place: `rhs` becomes the solution.
    pub(crate) fn solve(&self, sys: &ComponentSystem, rhs: &mut [f64]) {
        match self {
            Factor::Cholesky(data) => skyline::solve(&sys.profile, data, rhs),
            Factor::Eigen {
                vectors,
                inv_values,
            } => {
                let n = rhs.len();
                let mut coef = vec![0.0; n];
                for (j, c) in coef.iter_mut().enumerate() {
                    if inv_values[j] > 0.0 {
                        let mut s = 0.0;
                        for i in 0..n {
                            s += vectors[[i, j]] * rhs[i];
                        }
                        *c = s * inv_values[j];
                    }
                }
                for (i, r) in rhs.iter_mut().enumerate() {
                    let mut s = 0.0;
                    for (j, &c) in coef.iter().enumerate() {
                        s += vectors[[i, j]] * c;
                    }
                    *r = s;
                }
            }
        }
    }
}
