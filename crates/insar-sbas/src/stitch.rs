//! What to do when a network (or a pixel's valid part of it) falls apart
//! into groups of dates that no interferogram joins.
//!
//! The interferograms fix each group's time series only up to a constant;
//! the solvers return every group grounded at its earliest date, and the
//! policy chooses the constants.

use std::fmt;
use std::str::FromStr;

use crate::components::Components;
use crate::error::{Error, Result};
use crate::laplacian::NetworkData;
use crate::skyline::{self, Profile};

/// How disconnected networks are inverted. Never silent: the default is an
/// error naming the gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum GapPolicy {
    /// A disconnected network is an error ([`Error::DisconnectedNetwork`],
    /// naming where it splits); a pixel whose *valid* interferograms are
    /// disconnected gets `NaN` and [`PixelStatus::Disconnected`](crate::PixelStatus::Disconnected).
    /// The default.
    #[default]
    Error,
    /// Minimum-norm solution in velocity form, ‖v‖ minimal over all
    /// least-squares solutions (MintPy's default, `min_norm_velocity=True`;
    /// Berardino et al. 2002).
    MinNormVelocity,
    /// Minimum-norm solution in phase form, ‖φ‖ minimal: every group not
    /// holding the reference date has zero mean (MintPy's
    /// `--min-norm-phase`).
    MinNormPhase,
    /// NSBAS bridging (López-Quiroz et al. 2009; Doin et al. 2011; LiCSBAS,
    /// Morishita et al. 2020): the group offsets are those that put the whole
    /// series closest to one straight line in time. This is the limit of
    /// LiCSBAS's weak constraint γ·(φᵢ − v·tᵢ − c) = 0 as γ → 0, so the
    /// interferograms are fitted exactly as without the constraint; dates
    /// observed by no interferogram land on the line.
    NsbasLinear,
}

impl fmt::Display for GapPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GapPolicy::Error => "error",
            GapPolicy::MinNormVelocity => "min-norm-velocity",
            GapPolicy::MinNormPhase => "min-norm-phase",
            GapPolicy::NsbasLinear => "nsbas",
        })
    }
}

impl FromStr for GapPolicy {
    type Err = Error;

    /// Parses `error`, `min-norm-velocity`, `min-norm-phase`, `nsbas`.
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "error" => Ok(GapPolicy::Error),
            "min-norm-velocity" | "min-norm" | "mintpy" => Ok(GapPolicy::MinNormVelocity),
            "min-norm-phase" => Ok(GapPolicy::MinNormPhase),
            "nsbas" | "nsbas-linear" => Ok(GapPolicy::NsbasLinear),
            _ => Err(Error::invalid_parameter(
                "gap_policy",
                s,
                "one of `error`, `min-norm-velocity`, `min-norm-phase`, `nsbas`",
            )),
        }
    }
}

/// Sets the offsets of the groups (components) of `x` (one phase per date,
/// each group grounded at its earliest date) as `policy` says. The group of
/// the first date keeps offset 0. Returns false if the offsets are not
/// determined (NSBAS with no group of two or more dates).
pub(crate) fn stitch(
    policy: GapPolicy,
    comps: &Components,
    net: &NetworkData,
    x: &mut [f64],
) -> bool {
    if comps.is_connected() {
        return true;
    }
    let k0 = comps.label(0);
    // Unknown index of every other component.
    let mut unknown = vec![None; comps.len()];
    let mut n_off = 0;
    for (k, u) in unknown.iter_mut().enumerate() {
        if k != k0 {
            *u = Some(n_off);
            n_off += 1;
        }
    }
    match policy {
        GapPolicy::Error => true,
        GapPolicy::MinNormPhase => {
            for (k, g) in comps.groups().iter().enumerate() {
                if k == k0 {
                    continue;
                }
                let mean = g.iter().map(|&d| x[d]).sum::<f64>() / g.len() as f64;
                for &d in g {
                    x[d] -= mean;
                }
            }
            true
        }
        GapPolicy::MinNormVelocity => {
            // min Σ_j ((x[j+1] + c(j+1) − x[j] − c(j)) / dt_j)² over the offsets.
            let profile = Profile::new(vec![0; n_off]);
            let mut mat = vec![0.0; profile.len()];
            let mut rhs = vec![0.0; n_off];
            for j in 0..net.n_dates - 1 {
                let (ka, kb) = (comps.label(j), comps.label(j + 1));
                if ka == kb {
                    continue;
                }
                let w = 1.0 / (net.dt_years[j] * net.dt_years[j]);
                let d = x[j + 1] - x[j];
                let (ua, ub) = (unknown[ka], unknown[kb]);
                if let Some(a) = ua {
                    mat[profile.pos(a, a)] += w;
                    rhs[a] += w * d;
                }
                if let Some(b) = ub {
                    mat[profile.pos(b, b)] += w;
                    rhs[b] -= w * d;
                }
                if let (Some(a), Some(b)) = (ua, ub) {
                    mat[profile.pos(a.max(b), a.min(b))] -= w;
                }
            }
            if skyline::factor(&profile, &mut mat).is_err() {
                return false;
            }
            skyline::solve(&profile, &mat, &mut rhs);
            for (d, xd) in x.iter_mut().enumerate() {
                if let Some(u) = unknown[comps.label(d)] {
                    *xd += rhs[u];
                }
            }
            true
        }
        GapPolicy::NsbasLinear => {
            // Unknowns: offsets, then v, then c; residual x_i + o_k(i) − v t_i − c.
            let p = n_off + 2;
            let profile = Profile::new(vec![0; p]);
            let mut mat = vec![0.0; profile.len()];
            let mut rhs = vec![0.0; p];
            for (d, &xd) in x.iter().enumerate() {
                let mut row: Vec<(usize, f64)> = Vec::with_capacity(3);
                if let Some(u) = unknown[comps.label(d)] {
                    row.push((u, 1.0));
                }
                row.push((n_off, -net.t_years[d]));
                row.push((n_off + 1, -1.0));
                for &(i, a) in &row {
                    rhs[i] -= a * xd;
                    for &(j, b) in &row {
                        if j <= i {
                            mat[profile.pos(i, j)] += a * b;
                        }
                    }
                }
            }
            if skyline::factor(&profile, &mut mat).is_err() {
                return false;
            }
            skyline::solve(&profile, &mat, &mut rhs);
            for (d, xd) in x.iter_mut().enumerate() {
                if let Some(u) = unknown[comps.label(d)] {
                    *xd += rhs[u];
                }
            }
            true
        }
    }
}
