//! Pearson correlation with p-values, correlation matrices with list-wise
//! `NaN` removal, and the Fisher-z weighted average over years (S-UPSCALE).
//!
//! r and its two-sided p-value follow `scipy.stats.pearsonr` (1.17): the
//! deviations are scaled by their largest magnitude before the norms are
//! taken, r is clipped to [−1, 1], and p = 2·I_{(1−|r|)/2}(n/2 − 1, n/2 − 1)
//! (the exact null distribution of r, a beta distribution on [−1, 1]).
//! For n = 2, r is ±1 and p = 1. A constant input has no correlation:
//! r = p = `NaN`.

use ndarray::{Array2, ArrayView2};

use crate::error::{check_len, GeoStatsError, Result};
use crate::special::beta::beta_reg_pair;

/// Pearson correlation of two samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pearson {
    /// Correlation coefficient r (`NaN` if an input is constant).
    pub r: f64,
    /// Two-sided p-value of H₀: ρ = 0.
    pub p_value: f64,
    /// Number of pairs used.
    pub n: usize,
}

/// Two-sided p-value of r for n pairs (scipy's beta form).
pub fn pearson_p_value(r: f64, n: usize) -> f64 {
    if r.is_nan() || n < 2 {
        return f64::NAN;
    }
    if n == 2 {
        return 1.0;
    }
    let ab = n as f64 / 2.0 - 1.0;
    let z = (r.abs() + 1.0) / 2.0;
    let upper = beta_reg_pair(ab, ab, z, 1.0 - z).1;
    2.0 * upper
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// r of complete (NaN-free) data, as scipy computes it.
fn pearson_r(x: &[f64], y: &[f64]) -> f64 {
    let constant = |v: &[f64]| v.iter().all(|&a| a == v[0]);
    if constant(x) || constant(y) {
        return f64::NAN;
    }
    let (mx, my) = (mean(x), mean(y));
    let xm: Vec<f64> = x.iter().map(|v| v - mx).collect();
    let ym: Vec<f64> = y.iter().map(|v| v - my).collect();
    let scaled_norm = |d: &[f64]| {
        let m = d.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        m * d.iter().map(|v| (v / m) * (v / m)).sum::<f64>().sqrt()
    };
    let (nx, ny) = (scaled_norm(&xm), scaled_norm(&ym));
    let r: f64 = xm.iter().zip(&ym).map(|(a, b)| (a / nx) * (b / ny)).sum();
    r.clamp(-1.0, 1.0)
}

/// Pearson correlation of `x` and `y`, dropping pairs where either is `NaN`.
///
/// Errors: length mismatch; fewer than 2 complete pairs; an input that is
/// all `NaN`.
///
/// ```
/// use geo_stats::correlation::pearson;
/// let x = [1.0, 2.0, 3.0, 4.0, 5.0, f64::NAN];
/// let y = [2.1, 3.9, 6.2, 8.1, 9.8, 1.0];
/// let c = pearson(&x, &y).unwrap();
/// assert_eq!(c.n, 5);
/// assert!(c.r > 0.99 && c.p_value < 1e-3);
/// ```
pub fn pearson(x: &[f64], y: &[f64]) -> Result<Pearson> {
    check_len("y", x.len(), y.len())?;
    for (what, v) in [("x", x), ("y", y)] {
        if v.is_empty() {
            return Err(GeoStatsError::EmptyInput { what: what.into() });
        }
        if v.iter().all(|a| a.is_nan()) {
            return Err(GeoStatsError::AllNan { what: what.into() });
        }
    }
    let (cx, cy): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(&a, &b)| (a, b))
        .unzip();
    let n = cx.len();
    if n < 2 {
        return Err(GeoStatsError::TooFewSamples {
            what: "x, y (complete pairs)".into(),
            found: n,
            needed: 2,
        });
    }
    let mut r = pearson_r(&cx, &cy);
    if n == 2 && !r.is_nan() {
        r = r.round();
    }
    Ok(Pearson {
        r,
        p_value: pearson_p_value(r, n),
        n,
    })
}

/// A correlation matrix with p-values.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationMatrix {
    /// Pearson r, symmetric, 1 on the diagonal (`NaN` rows/columns for
    /// constant variables).
    pub r: Array2<f64>,
    /// Two-sided p-values, symmetric, 0 on the diagonal.
    pub p_values: Array2<f64>,
    /// Rows (observations) left after list-wise `NaN` removal.
    pub n: usize,
}

/// Pearson correlation matrix of the columns of `data` (rows =
/// observations, columns = variables), after dropping every row that holds
/// a `NaN` in any column (list-wise deletion).
///
/// Errors: no columns; a column that is entirely `NaN` (named by index);
/// fewer than 2 complete rows.
pub fn correlation_matrix(data: ArrayView2<'_, f64>) -> Result<CorrelationMatrix> {
    let (nrows, ncols) = data.dim();
    if ncols == 0 || nrows == 0 {
        return Err(GeoStatsError::EmptyInput {
            what: "data".into(),
        });
    }
    for j in 0..ncols {
        if data.column(j).iter().all(|v| v.is_nan()) {
            return Err(GeoStatsError::AllNan {
                what: format!("column {j}"),
            });
        }
    }
    let rows: Vec<usize> = (0..nrows)
        .filter(|&i| data.row(i).iter().all(|v| !v.is_nan()))
        .collect();
    let n = rows.len();
    if n < 2 {
        return Err(GeoStatsError::TooFewSamples {
            what: "data (rows without NaN)".into(),
            found: n,
            needed: 2,
        });
    }
    let cols: Vec<Vec<f64>> = (0..ncols)
        .map(|j| rows.iter().map(|&i| data[[i, j]]).collect())
        .collect();
    let mut r = Array2::<f64>::zeros((ncols, ncols));
    let mut p = Array2::<f64>::zeros((ncols, ncols));
    for a in 0..ncols {
        let constant = cols[a].iter().all(|&v| v == cols[a][0]);
        r[[a, a]] = if constant { f64::NAN } else { 1.0 };
        p[[a, a]] = if constant { f64::NAN } else { 0.0 };
        for b in a + 1..ncols {
            let mut rv = pearson_r(&cols[a], &cols[b]);
            if n == 2 && !rv.is_nan() {
                rv = rv.round();
            }
            let pv = pearson_p_value(rv, n);
            r[[a, b]] = rv;
            r[[b, a]] = rv;
            p[[a, b]] = pv;
            p[[b, a]] = pv;
        }
    }
    Ok(CorrelationMatrix { r, p_values: p, n })
}

/// Bound applied to r before the Fisher transform.
pub const FISHER_R_CLIP: f64 = 0.999_999;

/// Fisher-z weighted average of correlations from several samples (years):
/// z = artanh(clip(r, ±0.999999)), weights max(n − 3, 1),
/// r̄ = tanh(Σ w z / Σ w). Entries with `NaN` r are skipped; the result is
/// `NaN` when nothing is left.
///
/// Errors: an empty list.
///
/// ```
/// use geo_stats::correlation::fisher_z_average;
/// let r = fisher_z_average(&[(0.5, 30), (0.7, 50)]).unwrap();
/// assert!(r > 0.5 && r < 0.7);
/// ```
pub fn fisher_z_average(items: &[(f64, usize)]) -> Result<f64> {
    if items.is_empty() {
        return Err(GeoStatsError::EmptyInput {
            what: "correlations to average".into(),
        });
    }
    let mut sw = 0.0;
    let mut swz = 0.0;
    for &(r, n) in items {
        if r.is_nan() {
            continue;
        }
        let z = r.clamp(-FISHER_R_CLIP, FISHER_R_CLIP).atanh();
        let w = (n as f64 - 3.0).max(1.0);
        sw += w;
        swz += w * z;
    }
    Ok(if sw > 0.0 {
        (swz / sw).tanh()
    } else {
        f64::NAN
    })
}

/// Element-wise Fisher-z average of correlation matrices of the same
/// variables (one per year), each weighted by its own `n`.
///
/// Errors: an empty list; matrices of different shapes.
pub fn fisher_z_average_matrices(matrices: &[CorrelationMatrix]) -> Result<Array2<f64>> {
    let first = matrices.first().ok_or_else(|| GeoStatsError::EmptyInput {
        what: "correlation matrices to average".into(),
    })?;
    let dim = first.r.dim();
    for (i, m) in matrices.iter().enumerate() {
        if m.r.dim() != dim {
            return Err(GeoStatsError::LengthMismatch {
                what: format!("correlation matrix {i} (variables)"),
                expected: dim.0,
                found: m.r.dim().0,
            });
        }
    }
    let mut out = Array2::<f64>::zeros(dim);
    for ((a, b), v) in out.indexed_iter_mut() {
        let items: Vec<(f64, usize)> = matrices.iter().map(|m| (m.r[[a, b]], m.n)).collect();
        *v = fisher_z_average(&items)?;
    }
    Ok(out)
}
