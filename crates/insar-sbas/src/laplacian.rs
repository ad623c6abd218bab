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
    /// Global date indices: `dates[0]` is the ground (the component's
    /// earliest date), `dates[i + 1]` the date of unknown `i`. The unknowns
    /// are in time order unless a reverse Cuthill–McKee order gives the
    /// matrix a smaller envelope (see `reorder_unknowns`).
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
            reorder_unknowns(sys);
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

/// Stored entries of the lower envelope of the unknowns' matrix when
/// unknown `i` gets position `pos[i]`.
fn envelope(n: usize, ends: &[(Option<usize>, Option<usize>)], pos: &[usize]) -> usize {
    let mut first: Vec<usize> = (0..n).collect();
    for &(a, b) in ends {
        if let (Some(a), Some(b)) = (a, b) {
            let (pa, pb) = (pos[a], pos[b]);
            let (lo, hi) = if pa < pb { (pa, pb) } else { (pb, pa) };
            first[hi] = first[hi].min(lo);
        }
    }
    first.iter().enumerate().map(|(i, &f)| i - f + 1).sum()
}

/// Renumbers the unknowns of `sys` by reverse Cuthill–McKee (Cuthill &
/// McKee 1969; George & Liu 1981, §4.3) when that makes the envelope of
/// the matrix smaller than time order does. Inter-annual pairs give a
/// time-ordered network an envelope as wide as two years of acquisitions;
/// RCM orders the dates of a small-baseline network roughly by season and
/// then by year, which shrinks the skyline Cholesky cost (Σ bᵢ²) several
/// times. The order depends only on the validity pattern (ties broken by
/// index), so results stay independent of the thread count; it changes
/// the rounding of the solution, not the solution.
fn reorder_unknowns(sys: &mut ComponentSystem) {
    let n = sys.n();
    if n < 3 {
        return;
    }
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in &sys.ends {
        if let (Some(a), Some(b)) = (a, b) {
            if a != b {
                adj[a].push(b);
                adj[b].push(a);
            }
        }
    }
    for list in &mut adj {
        list.sort_unstable();
        list.dedup();
    }
    let degree: Vec<usize> = adj.iter().map(Vec::len).collect();
    // Cuthill–McKee: breadth-first from a lowest-degree node of each
    // connected part, neighbours by increasing degree (then index).
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    let mut by_degree: Vec<usize> = (0..n).collect();
    by_degree.sort_by_key(|&i| (degree[i], i));
    for &start in &by_degree {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut head = order.len();
        order.push(start);
        while head < order.len() {
            let u = order[head];
            head += 1;
            let mut next: Vec<usize> = adj[u].iter().copied().filter(|&v| !seen[v]).collect();
            next.sort_by_key(|&v| (degree[v], v));
            for v in next {
                seen[v] = true;
                order.push(v);
            }
        }
    }
    order.reverse();
    let mut pos = vec![0; n];
    for (new, &old) in order.iter().enumerate() {
        pos[old] = new;
    }
    let identity: Vec<usize> = (0..n).collect();
    if envelope(n, &sys.ends, &pos) >= envelope(n, &sys.ends, &identity) {
        return;
    }
    for e in &mut sys.ends {
        *e = (e.0.map(|a| pos[a]), e.1.map(|b| pos[b]));
    }
    let ground = sys.dates[0];
    let old_dates = std::mem::take(&mut sys.dates);
    sys.dates = std::iter::once(ground)
        .chain(order.iter().map(|&old| old_dates[old + 1]))
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Solver;
    use crate::solve_l2::{solve_l2, PatternEntry, Workspace};
    use crate::stitch::GapPolicy;

    /// The study's network: 140 dates every 12 days, pairs of 12 and 24
    /// days and of one (360 days) and two years (732 days).
    fn study() -> NetworkData {
        let n = 140;
        let pairs: Vec<(usize, usize)> = (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .filter(|&(i, j)| {
                let d = 12 * (j - i);
                d <= 24 || (355..=365).contains(&d) || (725..=735).contains(&d)
            })
            .collect();
        NetworkData {
            n_dates: n,
            t_years: (0..n).map(|i| 12.0 * i as f64 / 365.25).collect(),
            dt_years: vec![12.0 / 365.25; n - 1],
            pairs,
        }
    }

    #[test]
    fn reverse_cuthill_mckee_shrinks_the_envelope_and_keeps_the_solution() {
        let net = study();
        assert_eq!(net.pairs.len(), 466);
        let mut valid = vec![true; net.pairs.len()];
        // A pattern with a few missing values, as a pixel with NaN.
        for k in (0..valid.len()).step_by(37) {
            valid[k] = false;
        }
        let pattern = Pattern::new(&net, &valid);
        assert_eq!(pattern.systems.len(), 1);
        let sys = &pattern.systems[0];
        // Time order stores 5,884 entries for the full network (scipy's
        // reverse_cuthill_mckee ordering: 2,452).
        assert!(sys.profile.len() < 3000, "{}", sys.profile.len());
        assert_eq!(sys.dates[0], 0);
        let mut sorted = sys.dates.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..net.n_dates).collect::<Vec<_>>());
        // Consistent data with planted phases: recovered exactly, weighted
        // or not.
        let truth: Vec<f64> = (0..net.n_dates)
            .map(|d| 0.3 * d as f64 + (0.7 * d as f64).sin())
            .collect();
        let y: Vec<f64> = net
            .pairs
            .iter()
            .zip(&valid)
            .map(|(&(a, b), &v)| if v { truth[b] - truth[a] } else { f64::NAN })
            .collect();
        let w: Vec<f64> = (0..y.len()).map(|k| 0.2 + (k % 7) as f64).collect();
        let mut entry = PatternEntry {
            pattern,
            shared: None,
        };
        for weights in [None, Some(&w[..])] {
            let mut x = vec![0.0; net.n_dates];
            let mut ws = Workspace::default();
            let rank = solve_l2(
                &net,
                &mut entry,
                Solver::Laplacian,
                GapPolicy::Error,
                Guard { rcond: 1e-5 },
                &y,
                weights,
                &mut ws,
                &mut x,
            )
            .expect("solved");
            assert_eq!(rank, net.n_dates - 1);
            for d in 0..net.n_dates {
                assert!(
                    (x[d] - truth[d]).abs() < 1e-9,
                    "date {d}: {} vs {}",
                    x[d],
                    truth[d]
                );
            }
        }
    }
}
