//! A small weighted least-squares engine for designs of at most
//! [`MAX_P`] columns: Householder QR of √W·A (no normal equations), so that
//! noise-free data are recovered to rounding error.

use crate::error::{Error, Result};

/// The most columns a design has (the sinusoid's four).
pub(crate) const MAX_P: usize = 4;

/// Relative size below which a diagonal element of R marks a dependent
/// column.
const RANK_TOL: f64 = 1e-10;

/// A design: `p` named columns, one row of values per observation.
#[derive(Debug, Clone)]
pub(crate) struct Design {
    pub model: &'static str,
    pub names: [&'static str; MAX_P],
    pub p: usize,
    pub rows: Vec<[f64; MAX_P]>,
}

impl Design {
    pub fn new(model: &'static str, names: &[&'static str], rows: Vec<[f64; MAX_P]>) -> Self {
        let mut n = [""; MAX_P];
        n[..names.len()].copy_from_slice(names);
        Design {
            model,
            names: n,
            p: names.len(),
            rows,
        }
    }

    /// The model value of row `i` for coefficients `coef`.
    pub fn value(&self, i: usize, coef: &[f64; MAX_P]) -> f64 {
        let row = &self.rows[i];
        (0..self.p).map(|j| row[j] * coef[j]).sum()
    }
}

/// The solution of a weighted least-squares problem.
#[derive(Debug, Clone)]
pub(crate) struct Solution {
    pub p: usize,
    pub coef: [f64; MAX_P],
    /// (AᵀWA)⁻¹.
    pub cov_unscaled: [[f64; MAX_P]; MAX_P],
    /// Observations used.
    pub n: usize,
    /// Σ w r².
    pub wrss: f64,
    /// Σ w (y − ȳ_w)².
    pub wtss: f64,
    /// Σ r² (unweighted, over the used rows).
    pub rss: f64,
    /// Which rows were used.
    pub used: Vec<bool>,
}

/// Checks weights: finite and ≥ 0, or `NaN`.
pub(crate) fn check_weights(w: Option<&[f64]>) -> Result<()> {
    if let Some(w) = w {
        for (i, &wi) in w.iter().enumerate() {
            let valid = wi.is_nan() || (wi.is_finite() && wi >= 0.0);
            if !valid {
                return Err(Error::out_of_range(
                    "weights",
                    Some(i),
                    wi,
                    "weights must be finite and ≥ 0 (NaN to drop a row)",
                ));
            }
        }
    }
    Ok(())
}

/// The usable rows: y, w and the design row finite, w > 0, and not `skip`.
pub(crate) fn usable(
    design: &Design,
    y: &[f64],
    w: Option<&[f64]>,
    skip: Option<usize>,
) -> Vec<bool> {
    let p = design.p;
    (0..design.rows.len())
        .map(|i| {
            Some(i) != skip
                && y[i].is_finite()
                && w.map_or(1.0, |w| w[i]) > 0.0
                && design.rows[i][..p].iter().all(|v| v.is_finite())
        })
        .collect()
}

/// The Householder QR of √W·A on a set of usable rows, reusable for every
/// right-hand side with the same rows and weights.
#[derive(Debug, Clone)]
pub(crate) struct Factor {
    p: usize,
    m: usize,
    used: Vec<bool>,
    /// √w of the used rows, in row order.
    sw: Vec<f64>,
    /// Householder vectors: vector k occupies `hv[k * m + k..(k + 1) * m]`.
    hv: Vec<f64>,
    vnorm2: [f64; MAX_P],
    rmat: [[f64; MAX_P]; MAX_P],
    cov: [[f64; MAX_P]; MAX_P],
}

impl Factor {
    /// The rows the factor uses.
    pub fn used(&self) -> &[bool] {
        &self.used
    }

    /// Factors √W·A over the rows marked in `used`.
    pub fn new(design: &Design, w: Option<&[f64]>, used: Vec<bool>) -> Result<Factor> {
        let p = design.p;
        let m = used.iter().filter(|u| **u).count();
        if m < p || p == 0 {
            return Err(Error::TooFewObservations {
                model: design.model,
                found: m,
                params: p,
            });
        }
        let mut a = vec![0.0; m * p];
        let mut sw = Vec::with_capacity(m);
        for (i, _) in used.iter().enumerate().filter(|(_, u)| **u) {
            let r = sw.len();
            let s = w.map_or(1.0, |w| w[i]).sqrt();
            for j in 0..p {
                a[j * m + r] = s * design.rows[i][j];
            }
            sw.push(s);
        }
        let col_norm: Vec<f64> = (0..p)
            .map(|j| {
                a[j * m..(j + 1) * m]
                    .iter()
                    .map(|v| v * v)
                    .sum::<f64>()
                    .sqrt()
            })
            .collect();
        let mut rmat = [[0.0; MAX_P]; MAX_P];
        let mut hv = vec![0.0; m * p];
        let mut vnorm2 = [0.0; MAX_P];
        for k in 0..p {
            let col = &a[k * m..(k + 1) * m];
            let norm = col[k..].iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm <= RANK_TOL * col_norm[k] || col_norm[k] == 0.0 {
                return Err(Error::Singular {
                    model: design.model,
                    column: design.names[k],
                    n_obs: m,
                });
            }
            let alpha = if col[k] > 0.0 { -norm } else { norm };
            let v = &mut hv[k * m..(k + 1) * m];
            v[k..].copy_from_slice(&col[k..]);
            v[k] -= alpha;
            vnorm2[k] = v[k..].iter().map(|x| x * x).sum();
            rmat[k][k] = alpha;
            let v = &hv[k * m..(k + 1) * m];
            for j in k + 1..p {
                let cj = &mut a[j * m..(j + 1) * m];
                let s: f64 = v[k..].iter().zip(&cj[k..]).map(|(x, y)| x * y).sum();
                let f = 2.0 * s / vnorm2[k];
                for (c, x) in cj[k..].iter_mut().zip(&v[k..]) {
                    *c -= f * x;
                }
                rmat[k][j] = cj[k];
            }
        }
        // R⁻¹ (upper triangular), then (AᵀWA)⁻¹ = R⁻¹R⁻ᵀ.
        let mut rinv = [[0.0; MAX_P]; MAX_P];
        for j in 0..p {
            rinv[j][j] = 1.0 / rmat[j][j];
            for i in (0..j).rev() {
                let s: f64 = (i + 1..=j).map(|k| rmat[i][k] * rinv[k][j]).sum();
                rinv[i][j] = -s / rmat[i][i];
            }
        }
        let mut cov = [[0.0; MAX_P]; MAX_P];
        for i in 0..p {
            for j in 0..p {
                cov[i][j] = (i.max(j)..p).map(|k| rinv[i][k] * rinv[j][k]).sum();
            }
        }
        Ok(Factor {
            p,
            m,
            used,
            sw,
            hv,
            vnorm2,
            rmat,
            cov,
        })
    }

    /// Solves for one right-hand side `y` (all rows; the used ones must be
    /// finite) with the weights the factor was built with.
    pub fn solve(&self, design: &Design, y: &[f64], w: Option<&[f64]>) -> Solution {
        let (p, m) = (self.p, self.m);
        let mut b = Vec::with_capacity(m);
        for (i, _) in self.used.iter().enumerate().filter(|(_, u)| **u) {
            b.push(self.sw[b.len()] * y[i]);
        }
        for k in 0..p {
            let v = &self.hv[k * m..(k + 1) * m];
            let s: f64 = v[k..].iter().zip(&b[k..]).map(|(x, y)| x * y).sum();
            let f = 2.0 * s / self.vnorm2[k];
            for (c, x) in b[k..].iter_mut().zip(&v[k..]) {
                *c -= f * x;
            }
        }
        // Back substitution R x = (Qᵀb)[..p].
        let mut coef = [0.0; MAX_P];
        for k in (0..p).rev() {
            let s: f64 = (k + 1..p).map(|j| self.rmat[k][j] * coef[j]).sum();
            coef[k] = (b[k] - s) / self.rmat[k][k];
        }
        // Residual sums from the original rows.
        let weight = |i: usize| w.map_or(1.0, |w| w[i]);
        let (mut wrss, mut rss, mut sw, mut swy) = (0.0, 0.0, 0.0, 0.0);
        for (i, _) in self.used.iter().enumerate().filter(|(_, u)| **u) {
            let r = y[i] - design.value(i, &coef);
            let wi = weight(i);
            wrss += wi * r * r;
            rss += r * r;
            sw += wi;
            swy += wi * y[i];
        }
        let ybar = swy / sw;
        let wtss: f64 = self
            .used
            .iter()
            .enumerate()
            .filter(|(_, u)| **u)
            .map(|(i, _)| weight(i) * (y[i] - ybar) * (y[i] - ybar))
            .sum();
        Solution {
            p,
            coef,
            cov_unscaled: self.cov,
            n: m,
            wrss,
            wtss,
            rss,
            used: self.used.clone(),
        }
    }
}

/// Solves min Σ w_i (y_i − a_i·x)² over the usable rows: y, w and the design
/// row finite, w > 0, and not `skip`. Weights `NaN` drop the row; negative
/// or infinite weights are an error.
pub(crate) fn solve(
    design: &Design,
    y: &[f64],
    w: Option<&[f64]>,
    skip: Option<usize>,
) -> Result<Solution> {
    debug_assert_eq!(y.len(), design.rows.len());
    check_weights(w)?;
    let factor = Factor::new(design, w, usable(design, y, w, skip))?;
    Ok(factor.solve(design, y, w))
}

/// Unweighted solves that reuse the last factorisation while the usable rows
/// stay the same (pixels with identical validity share one QR; the results
/// are bit-for-bit those of [`solve`]).
#[derive(Debug, Default)]
pub(crate) struct FactorCache {
    last: Option<Factor>,
}

impl FactorCache {
    pub fn solve(&mut self, design: &Design, y: &[f64], skip: Option<usize>) -> Result<Solution> {
        let used = usable(design, y, None, skip);
        if let Some(f) = &self.last {
            if f.used() == used.as_slice() {
                return Ok(f.solve(design, y, None));
            }
        }
        let f = Factor::new(design, None, used)?;
        let s = f.solve(design, y, None);
        self.last = Some(f);
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_design(x: &[f64]) -> Design {
        Design::new(
            "test",
            &["intercept", "slope"],
            x.iter().map(|&x| [1.0, x, 0.0, 0.0]).collect(),
        )
    }

    #[test]
    fn straight_line_matches_closed_form() {
        let x = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [1.1, 2.9, 5.2, 7.1, 8.8];
        let s = solve(&line_design(&x), &y, None, None).unwrap();
        // Closed form: slope = Sxy/Sxx, intercept = ȳ − slope·x̄.
        let (xm, ym) = (2.0, y.iter().sum::<f64>() / 5.0);
        let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - xm) * (b - ym)).sum();
        let slope = sxy / 10.0;
        assert!((s.coef[1] - slope).abs() < 1e-13);
        assert!((s.coef[0] - (ym - slope * xm)).abs() < 1e-13);
        // (AᵀA)⁻¹ of a line: var(slope) = 1/Sxx.
        assert!((s.cov_unscaled[1][1] - 0.1).abs() < 1e-14);
        assert!((s.cov_unscaled[0][0] - (1.0 / 5.0 + xm * xm / 10.0)).abs() < 1e-14);
        assert!((s.cov_unscaled[0][1] + xm / 10.0).abs() < 1e-14);
    }

    #[test]
    fn weights_skip_and_nan_rows() {
        let x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        let mut y: Vec<f64> = x.iter().map(|x| 2.0 - 0.5 * x).collect();
        y[2] = f64::NAN;
        y[4] = 100.0; // skipped
        let w = [1.0, 2.0, 3.0, f64::NAN, 1.0, 0.5];
        let s = solve(&line_design(&x), &y, Some(&w), Some(4)).unwrap();
        assert_eq!(s.n, 3);
        assert_eq!(s.used, vec![true, true, false, false, false, true]);
        assert!((s.coef[0] - 2.0).abs() < 1e-14 && (s.coef[1] + 0.5).abs() < 1e-14);
    }

    #[test]
    fn errors() {
        let d = line_design(&[0.0, 1.0, 2.0]);
        let err = solve(&d, &[1.0, f64::NAN, f64::NAN], None, None).unwrap_err();
        assert!(matches!(
            err,
            Error::TooFewObservations {
                found: 1,
                params: 2,
                ..
            }
        ));
        let err = solve(&d, &[1.0, 2.0, 3.0], Some(&[1.0, -1.0, 1.0]), None).unwrap_err();
        assert!(err.to_string().contains("weights[1] = -1"), "{err}");
        let same = line_design(&[2.0, 2.0, 2.0]);
        let err = solve(&same, &[1.0, 2.0, 3.0], None, None).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Singular {
                    column: "slope",
                    ..
                }
            ),
            "{err}"
        );
    }
}
