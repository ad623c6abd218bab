//! One least-squares step for one pixel: every connected component of its
//! valid network solved on its own (grounded at its earliest date), by the
//! graph-Laplacian normal equations or by a truncated SVD.

use crate::laplacian::{Factor, Guard, NetworkData, Pattern};
use crate::params::Solver;
use crate::solve_svd::{Form, SvdSolver};
use crate::stitch::GapPolicy;

/// A validity pattern with what can be shared by its pixels.
#[derive(Debug, Clone)]
pub(crate) struct PatternEntry {
    pub pattern: Pattern,
    /// Unweighted factorisations, one per component system (Laplacian), or
    /// the unweighted pseudo-inverse (SVD). Filled on first use.
    pub shared: Option<Shared>,
}

#[derive(Debug, Clone)]
pub(crate) enum Shared {
    Laplacian(Vec<Factor>),
    Svd(SvdSolver),
}

/// Scratch buffers reused across pixels of a block.
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    pub mat: Vec<f64>,
    pub rhs: Vec<f64>,
}

/// The SVD form that makes the solver's result MintPy's for this policy.
pub(crate) fn svd_form(policy: GapPolicy) -> Form {
    if policy == GapPolicy::MinNormVelocity {
        Form::Velocity
    } else {
        Form::Phase
    }
}

/// Solves one weighted least-squares problem; `x` receives N phases with
/// every component grounded at its earliest date (or, for the SVD solver,
/// MintPy's minimum-norm solution in the form of [`svd_form`]). Returns the
/// numerical rank. `weights` are indexed by interferogram (`None`: all 1);
/// the shared factorisation is used (and filled) only when `weights` is None.
#[allow(clippy::too_many_arguments)]
pub(crate) fn solve_l2(
    net: &NetworkData,
    entry: &mut PatternEntry,
    solver: Solver,
    policy: GapPolicy,
    guard: Guard,
    y: &[f64],
    weights: Option<&[f64]>,
    ws: &mut Workspace,
    x: &mut [f64],
) -> Result<usize, String> {
    x.iter_mut().for_each(|v| *v = 0.0);
    match solver {
        Solver::Laplacian => {
            if weights.is_none() && entry.shared.is_none() {
                let mut factors = Vec::with_capacity(entry.pattern.systems.len());
                for sys in &entry.pattern.systems {
                    let w_min = sys.assemble_matrix(None, &mut ws.mat);
                    factors.push(Factor::new(sys, &ws.mat, w_min, guard)?);
                }
                entry.shared = Some(Shared::Laplacian(factors));
            }
            let shared = match (&entry.shared, weights) {
                (Some(Shared::Laplacian(f)), None) => Some(f),
                _ => None,
            };
            let mut rank = 0;
            for (s, sys) in entry.pattern.systems.iter().enumerate() {
                let owned;
                let factor = match shared {
                    Some(f) => &f[s],
                    None => {
                        let w_min = sys.assemble_matrix(weights, &mut ws.mat);
                        owned = Factor::new(sys, &ws.mat, w_min, guard)?;
                        &owned
                    }
                };
                sys.assemble_rhs(weights, y, &mut ws.rhs);
                factor.solve(sys, &mut ws.rhs);
                for (i, &d) in sys.dates.iter().enumerate().skip(1) {
                    x[d] = ws.rhs[i - 1];
                }
                rank += factor.rank(sys.n());
            }
            Ok(rank)
        }
        Solver::Svd => {
            let form = svd_form(policy);
            if weights.is_none() && entry.shared.is_none() {
                entry.shared = Some(Shared::Svd(SvdSolver::new(
                    net,
                    &entry.pattern,
                    None,
                    form,
                    guard.rcond,
                )?));
            }
            let owned;
            let svd = match (&entry.shared, weights) {
                (Some(Shared::Svd(s)), None) => s,
                _ => {
                    owned = SvdSolver::new(net, &entry.pattern, weights, form, guard.rcond)?;
                    &owned
                }
            };
            svd.solve(net, &entry.pattern, y, weights, x);
            Ok(svd.rank())
        }
    }
}
