//! One-dimensional Wasserstein distances.
//!
//! * [`wasserstein_1d`] / [`wasserstein_1d_weighted`]: the W1 distance
//!   between two discrete distributions given by their values (and
//!   weights), computed exactly as `scipy.stats.wasserstein_distance`
//!   (integral of |F_u − F_v| between consecutive pooled values).
//! * [`wasserstein_quantiles`]: Wp between two quantile functions sampled on
//!   a common grid of levels (trapezoid rule), the building block of the
//!   histogram Wasserstein pair in [`crate::histogram`].

use crate::error::{ensure_finite1, ensure_param, Error, Result};

/// W1 distance between the empirical distributions of `u` and `v` (equal
/// weights), as `scipy.stats.wasserstein_distance(u, v)`.
///
/// ```
/// use cluster_ts::wasserstein::wasserstein_1d;
/// // scipy: wasserstein_distance([0, 1, 3], [5, 6, 8]) == 5.0
/// let d = wasserstein_1d(&[0.0, 1.0, 3.0], &[5.0, 6.0, 8.0]).unwrap();
/// assert!((d - 5.0).abs() < 1e-12);
/// ```
pub fn wasserstein_1d(u: &[f64], v: &[f64]) -> Result<f64> {
    wasserstein_1d_weighted(u, None, v, None)
}

/// Weighted W1 distance, as `scipy.stats.wasserstein_distance(u, v, uw, vw)`:
/// weights need not sum to one but must be non-negative, finite and have a
/// positive sum.
pub fn wasserstein_1d_weighted(
    u: &[f64],
    u_weights: Option<&[f64]>,
    v: &[f64],
    v_weights: Option<&[f64]>,
) -> Result<f64> {
    validate("u_values", u, "u_weights", u_weights)?;
    validate("v_values", v, "v_weights", v_weights)?;
    let mut us: Vec<usize> = (0..u.len()).collect();
    us.sort_by(|&a, &b| u[a].total_cmp(&u[b]));
    let mut vs: Vec<usize> = (0..v.len()).collect();
    vs.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let u_sorted: Vec<f64> = us.iter().map(|&i| u[i]).collect();
    let v_sorted: Vec<f64> = vs.iter().map(|&i| v[i]).collect();
    let mut all: Vec<f64> = u.iter().chain(v).copied().collect();
    all.sort_by(f64::total_cmp);
    let cum = |sorter: &[usize], w: Option<&[f64]>| -> Option<Vec<f64>> {
        w.map(|w| {
            let mut c = Vec::with_capacity(sorter.len() + 1);
            c.push(0.0);
            let mut s = 0.0;
            for &i in sorter {
                s += w[i];
                c.push(s);
            }
            c
        })
    };
    let ucum = cum(&us, u_weights);
    let vcum = cum(&vs, v_weights);
    let cdf = |sorted: &[f64], cumw: &Option<Vec<f64>>, x: f64| -> f64 {
        // searchsorted(side="right")
        let idx = sorted.partition_point(|&s| s <= x);
        match cumw {
            None => idx as f64 / sorted.len() as f64,
            Some(c) => c[idx] / c[c.len() - 1],
        }
    };
    let mut total = 0.0;
    for w in all.windows(2) {
        let delta = w[1] - w[0];
        let fu = cdf(&u_sorted, &ucum, w[0]);
        let fv = cdf(&v_sorted, &vcum, w[0]);
        total += (fu - fv).abs() * delta;
    }
    Ok(total)
}

fn validate(
    what: &'static str,
    values: &[f64],
    wname: &'static str,
    weights: Option<&[f64]>,
) -> Result<()> {
    if values.is_empty() {
        return Err(Error::EmptyInput { what });
    }
    ensure_finite1(what, values)?;
    if let Some(w) = weights {
        if w.len() != values.len() {
            return Err(Error::ShapeMismatch {
                what: wname,
                expected: values.len(),
                found: w.len(),
            });
        }
        ensure_finite1(wname, w)?;
        if let Some((i, &x)) = w.iter().enumerate().find(|(_, &x)| x < 0.0) {
            return Err(Error::InvalidParameter {
                name: wname,
                value: format!("{x} at index {i}"),
                reason: "weights must be non-negative",
            });
        }
        let s: f64 = w.iter().sum();
        ensure_param(s > 0.0, wname, s, "weights must have a positive sum")?;
    }
    Ok(())
}

/// Trapezoid weights of `n ≥ 2` equally spaced levels `k/(n−1)` on \[0, 1\].
pub(crate) fn trapezoid_weights(n: usize) -> Vec<f64> {
    let h = 1.0 / (n as f64 - 1.0);
    (0..n)
        .map(|k| if k == 0 || k == n - 1 { 0.5 * h } else { h })
        .collect()
}

/// Wp distance (`p ≥ 1`) between two quantile functions sampled at the
/// levels `k/(n−1)`, `k = 0..n`: `(∫₀¹ |Q₁ − Q₂|ᵖ)^{1/p}` by the trapezoid
/// rule. Both slices must have the same length `n ≥ 2`.
pub fn wasserstein_quantiles(q1: &[f64], q2: &[f64], p: f64) -> Result<f64> {
    ensure_param(p >= 1.0 && p.is_finite(), "p", p, "must be finite and ≥ 1")?;
    if q1.len() != q2.len() {
        return Err(Error::ShapeMismatch {
            what: "q2",
            expected: q1.len(),
            found: q2.len(),
        });
    }
    ensure_param(q1.len() >= 2, "n_quantiles", q1.len(), "must be ≥ 2")?;
    Ok(wp_pow(q1, q2, p, &trapezoid_weights(q1.len())).powf(1.0 / p))
}

/// `∫ |Q₁ − Q₂|ᵖ` with the given quadrature weights.
pub(crate) fn wp_pow(q1: &[f64], q2: &[f64], p: f64, w: &[f64]) -> f64 {
    q1.iter()
        .zip(q2)
        .zip(w)
        .map(|((a, b), w)| {
            let d = (a - b).abs();
            w * if p == 1.0 {
                d
            } else if p == 2.0 {
                d * d
            } else {
                d.powf(p)
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_size_samples_is_mean_sorted_difference() {
        let u = [3.0, 1.0, 2.0, 7.0];
        let v = [0.5, 4.0, 4.0, 1.0];
        let mut a = u;
        a.sort_by(f64::total_cmp);
        let mut b = v;
        b.sort_by(f64::total_cmp);
        let expect: f64 = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).sum::<f64>() / 4.0;
        assert!((wasserstein_1d(&u, &v).unwrap() - expect).abs() < 1e-14);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            wasserstein_1d(&[], &[1.0]),
            Err(Error::EmptyInput { .. })
        ));
        assert!(matches!(
            wasserstein_1d(&[f64::NAN], &[1.0]),
            Err(Error::NonFinite { .. })
        ));
        assert!(wasserstein_1d_weighted(&[1.0], Some(&[-1.0]), &[1.0], None).is_err());
    }
}
