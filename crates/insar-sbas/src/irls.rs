//! L1-norm inversion by iteratively reweighted least squares
//! (Beaton & Tukey 1974; for SBAS e.g. Lauknes et al. 2011).
//!
//! Start from the (coherence-weighted) L2 solution; then repeat: residuals
//! rₖ of the interferograms, weights wₖ = cₖ / max(|rₖ|, ε) with cₖ the
//! coherence weight (1 when unweighted), weighted least squares. Stop when
//! ‖x_new − x‖ ≤ tol·‖x_new‖, or when the objective F = Σ cₖ|rₖ| changed by
//! at most tol·F (a flat L1 objective — several minimisers — lets x creep
//! for many iterations without improving F), or after the iteration cap.
//! As ε → 0 the fixed point minimises F.

use crate::laplacian::{Guard, NetworkData};
use crate::params::Solver;
use crate::solve_l2::{solve_l2, PatternEntry, Workspace};
use crate::stitch::GapPolicy;

/// Settings of the iteration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IrlsSettings {
    pub max_iterations: usize,
    pub tolerance: f64,
    pub epsilon: f64,
}

/// How the iteration ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IrlsOutcome {
    /// Reweighting iterations done (the L2 start not counted).
    pub iterations: usize,
    pub converged: bool,
    pub rank: usize,
}

/// Runs IRLS for one pixel; `x` receives the phases (components grounded
/// as [`solve_l2`] leaves them).
#[allow(clippy::too_many_arguments)]
pub(crate) fn irls(
    net: &NetworkData,
    entry: &mut PatternEntry,
    solver: Solver,
    policy: GapPolicy,
    guard: Guard,
    settings: IrlsSettings,
    y: &[f64],
    coherence_weights: Option<&[f64]>,
    ws: &mut Workspace,
    x: &mut [f64],
) -> Result<IrlsOutcome, String> {
    let mut rank = solve_l2(
        net,
        entry,
        solver,
        policy,
        guard,
        y,
        coherence_weights,
        ws,
        x,
    )?;
    let valid = entry.pattern.valid_rows.clone();
    let objective = |x: &[f64]| l1_misfit(net, x, y, coherence_weights, &valid);
    let mut f = objective(x);
    let mut w = vec![0.0; y.len()];
    let mut x_new = vec![0.0; x.len()];
    for it in 1..=settings.max_iterations {
        for &k in &valid {
            let (a, b) = net.pairs[k];
            let r = y[k] - (x[b] - x[a]);
            let c = coherence_weights.map_or(1.0, |cw| cw[k]);
            w[k] = c / r.abs().max(settings.epsilon);
        }
        rank = solve_l2(
            net,
            entry,
            solver,
            policy,
            guard,
            y,
            Some(&w),
            ws,
            &mut x_new,
        )?;
        let (mut dx, mut nx) = (0.0, 0.0);
        for (a, b) in x_new.iter().zip(x.iter()) {
            dx += (a - b) * (a - b);
            nx += a * a;
        }
        x.copy_from_slice(&x_new);
        let f_new = objective(x);
        let flat = (f - f_new).abs() <= settings.tolerance * f_new;
        f = f_new;
        if dx.sqrt() <= settings.tolerance * nx.sqrt() || flat {
            return Ok(IrlsOutcome {
                iterations: it,
                converged: true,
                rank,
            });
        }
    }
    Ok(IrlsOutcome {
        iterations: settings.max_iterations,
        converged: false,
        rank,
    })
}

/// The weighted L1 misfit Σ cₖ|rₖ| over the rows used.
fn l1_misfit(net: &NetworkData, x: &[f64], y: &[f64], c: Option<&[f64]>, rows: &[usize]) -> f64 {
    rows.iter()
        .map(|&k| {
            let (a, b) = net.pairs[k];
            c.map_or(1.0, |c| c[k]) * (y[k] - (x[b] - x[a])).abs()
        })
        .sum()
}
