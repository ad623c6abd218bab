//! The dense reference solver: least squares by a truncated SVD of the
//! (weighted) design matrix, exactly what MintPy does with
//! `scipy.linalg.lstsq(G, y, cond=rcond)` (LAPACK `gelsd`): singular values
//! ≤ rcond·σ_max count as zero, and the minimum-norm solution is returned.

use ndarray::Array2;
use ndarray_linalg::{JobSvd, SVDDC};

use crate::laplacian::{NetworkData, Pattern};

/// Which unknowns the SVD solves for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// Phases of dates 1 … N−1 (design matrix A).
    Phase,
    /// Velocities of the N−1 intervals (design matrix B).
    Velocity,
}

/// The pseudo-inverse of one pixel's (weighted) design matrix.
#[derive(Debug, Clone)]
pub(crate) struct SvdSolver {
    /// (N − 1) × n_valid.
    pinv: Array2<f64>,
    rank: usize,
    form: Form,
}

impl SvdSolver {
    /// Pseudo-inverse of the rows `pattern.valid_rows` of A or B, each row
    /// scaled by √w (`weights` indexed by global row; `None` for 1).
    pub(crate) fn new(
        net: &NetworkData,
        pattern: &Pattern,
        weights: Option<&[f64]>,
        form: Form,
        rcond: f64,
    ) -> Result<SvdSolver, String> {
        let m = pattern.n_valid;
        let n = net.n_dates - 1;
        let mut g = Array2::<f64>::zeros((m, n));
        for (i, &k) in pattern.valid_rows.iter().enumerate() {
            let s = weights.map_or(1.0, |w| w[k].sqrt());
            let (r, q) = net.pairs[k];
            match form {
                Form::Phase => {
                    if r > 0 {
                        g[[i, r - 1]] = -s;
                    }
                    if q > 0 {
                        g[[i, q - 1]] = s;
                    }
                }
                Form::Velocity => {
                    let (lo, hi, sign) = if r < q { (r, q, 1.0) } else { (q, r, -1.0) };
                    for j in lo..hi {
                        g[[i, j]] = sign * s * net.dt_years[j];
                    }
                }
            }
        }
        let (u, sigma, vt) = g.svddc(JobSvd::Some).map_err(|e| e.to_string())?;
        let (u, vt) = match (u, vt) {
            (Some(u), Some(vt)) => (u, vt),
            _ => return Err("SVD returned no singular vectors".to_string()),
        };
        let s_max = sigma.iter().copied().fold(0.0, f64::max);
        let cut = rcond * s_max;
        let mut pinv = Array2::<f64>::zeros((n, m));
        let mut rank = 0;
        for (j, &s) in sigma.iter().enumerate() {
            if !(s > cut && s > 0.0) {
                continue;
            }
            rank += 1;
            let inv = 1.0 / s;
            for a in 0..n {
                let va = vt[[j, a]] * inv;
                if va == 0.0 {
                    continue;
                }
                for b in 0..m {
                    pinv[[a, b]] += va * u[[b, j]];
                }
            }
        }
        Ok(SvdSolver { pinv, rank, form })
    }

    /// Numerical rank.
    pub(crate) fn rank(&self) -> usize {
        self.rank
    }

    /// Solves for one pixel: `x` (N phases, x\[0\] = 0) from `y` and the
    /// weights the pseudo-inverse was built with.
    pub(crate) fn solve(
        &self,
        net: &NetworkData,
        pattern: &Pattern,
        y: &[f64],
        weights: Option<&[f64]>,
        x: &mut [f64],
    ) {
        let rhs: Vec<f64> = pattern
            .valid_rows
            .iter()
            .map(|&k| weights.map_or(1.0, |w| w[k].sqrt()) * y[k])
            .collect();
        let n = net.n_dates - 1;
        let u: Vec<f64> = (0..n)
            .map(|a| {
                self.pinv
                    .row(a)
                    .iter()
                    .zip(&rhs)
                    .map(|(p, r)| p * r)
                    .sum::<f64>()
            })
            .collect();
        x[0] = 0.0;
        match self.form {
            Form::Phase => x[1..].copy_from_slice(&u),
            Form::Velocity => {
                for j in 0..n {
                    x[j + 1] = x[j] + u[j] * net.dt_years[j];
                }
            }
        }
    }
}
