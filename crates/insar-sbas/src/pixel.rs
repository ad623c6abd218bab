//! One pixel from interferograms to time series: validity, redundancy,
//! connectivity, solve, gap policy, quality.

use crate::irls::{irls, IrlsSettings};
use crate::laplacian::{Guard, NetworkData, Pattern};
use crate::params::{Inverter, Norm, Solver};
use crate::quality::quality;
use crate::solve_l2::{solve_l2, svd_form, PatternEntry, Workspace};
use crate::solve_svd::Form;
use crate::stitch::{stitch, GapPolicy};

/// What happened at a pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PixelStatus {
    /// Inverted; the L1 iteration (if any) converged.
    #[default]
    Inverted,
    /// Inverted, but the L1 iteration hit its cap; the last iterate is
    /// returned.
    NotConverged,
    /// No valid interferogram: outputs are `NaN`, counts 0.
    NoData,
    /// Some date (other than the reference date) has fewer valid
    /// interferograms than the minimum redundancy (MintPy's check): outputs
    /// are `NaN`, counts 0.
    LowRedundancy,
    /// The valid interferograms do not connect all dates and the gap policy
    /// is [`GapPolicy::Error`]: outputs are `NaN`; `components` says how
    /// many groups there are.
    Disconnected,
}

/// The inversion of one pixel (see [`Inverter::invert_pixel`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PixelSolution {
    /// Phase of every date relative to the first date, radians (`NaN` unless
    /// the status is `Inverted` or `NotConverged`).
    pub phase: Vec<f64>,
    /// Temporal coherence |Σ exp(j·eₖ)|/M over the residuals of the M
    /// interferograms used.
    pub temporal_coherence: f64,
    /// RMS of the interferogram residuals, radians.
    pub residual_rms: f64,
    /// Numerical rank of the system solved (N − number of components when
    /// nothing is truncated).
    pub rank: usize,
    /// Interferograms used (valid, i.e. finite phase).
    pub n_used: usize,
    /// Connected components of the valid network (0 without valid data).
    pub components: usize,
    /// IRLS iterations (0 for L2).
    pub iterations: usize,
    /// What happened.
    pub status: PixelStatus,
}

impl PixelSolution {
    pub(crate) fn empty(n_dates: usize, status: PixelStatus) -> Self {
        PixelSolution {
            phase: vec![f64::NAN; n_dates],
            temporal_coherence: f64::NAN,
            residual_rms: f64::NAN,
            rank: 0,
            n_used: 0,
            components: 0,
            iterations: 0,
            status,
        }
    }
}

/// Builds the validity pattern of `y` (finite values).
pub(crate) fn pattern_of(net: &NetworkData, y: &[f64]) -> PatternEntry {
    let valid: Vec<bool> = y.iter().map(|v| v.is_finite()).collect();
    PatternEntry {
        pattern: Pattern::new(net, &valid),
        shared: None,
    }
}

/// Inverts one pixel. `coherence_weights` are indexed by interferogram
/// (`None`: unweighted). Errors are LAPACK failures only.
pub(crate) fn solve_pixel(
    inv: &Inverter,
    net: &NetworkData,
    entry: &mut PatternEntry,
    y: &[f64],
    coherence_weights: Option<&[f64]>,
    ws: &mut Workspace,
) -> Result<PixelSolution, String> {
    let p = &inv.params;
    let n = net.n_dates;
    let pattern = &entry.pattern;
    if pattern.n_valid == 0 {
        return Ok(PixelSolution::empty(n, PixelStatus::NoData));
    }
    if pattern.min_redundancy < p.min_redundancy() {
        return Ok(PixelSolution::empty(n, PixelStatus::LowRedundancy));
    }
    let n_comp = pattern.components.len();
    let policy = p.gap_policy();
    if n_comp > 1 && policy == GapPolicy::Error {
        let mut s = PixelSolution::empty(n, PixelStatus::Disconnected);
        s.n_used = pattern.n_valid;
        s.components = n_comp;
        return Ok(s);
    }
    let guard = Guard { rcond: p.rcond() };
    let mut x = vec![0.0; n];
    let (rank, iterations, converged) = match p.norm() {
        Norm::L2 => {
            let r = solve_l2(
                net,
                entry,
                p.solver(),
                policy,
                guard,
                y,
                coherence_weights,
                ws,
                &mut x,
            )?;
            (r, 0, true)
        }
        Norm::L1 => {
            let settings = IrlsSettings {
                max_iterations: p.irls_max_iterations(),
                tolerance: p.irls_tolerance(),
                epsilon: p.irls_epsilon(),
            };
            let o = irls(
                net,
                entry,
                p.solver(),
                policy,
                guard,
                settings,
                y,
                coherence_weights,
                ws,
                &mut x,
            )?;
            (o.rank, o.iterations, o.converged)
        }
    };
    let pattern = &entry.pattern;
    // The SVD solver already returns the minimum-norm solution of its form.
    let already = p.solver() == Solver::Svd
        && matches!(
            (policy, svd_form(policy)),
            (GapPolicy::MinNormVelocity, Form::Velocity) | (GapPolicy::MinNormPhase, Form::Phase)
        );
    if !already && !stitch(policy, &pattern.components, net, &mut x) {
        let mut s = PixelSolution::empty(n, PixelStatus::Disconnected);
        s.n_used = pattern.n_valid;
        s.components = n_comp;
        return Ok(s);
    }
    let q = quality(net, &pattern.valid_rows, y, &x);
    Ok(PixelSolution {
        phase: x,
        temporal_coherence: q.temporal_coherence,
        residual_rms: q.residual_rms,
        rank,
        n_used: pattern.n_valid,
        components: n_comp,
        iterations,
        status: if converged {
            PixelStatus::Inverted
        } else {
            PixelStatus::NotConverged
        },
    })
}
