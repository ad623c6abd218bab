//! Sample quantiles by linear interpolation between order statistics —
//! R's type 7, numpy's default `linear` method (Hyndman & Fan 1996).
//!
//! The interpolation is done exactly as numpy 2.x does it (`_lerp`:
//! `a + (b − a)·g` for g < ½, `b − (b − a)·(1 − g)` otherwise, with the
//! virtual index `(n − 1)·p`), so results agree with `numpy.percentile`
//! to the last bit in practice.

/// Quantile of already **sorted** data at probability `p ∈ [0, 1]`.
/// Returns `NaN` for empty data.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 || p.is_nan() {
        return f64::NAN;
    }
    let virtual_index = (n - 1) as f64 * p;
    let lo_f = virtual_index.floor();
    let lo = (lo_f.max(0.0) as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    let g = virtual_index - lo_f;
    let (a, b) = (sorted[lo], sorted[hi]);
    let diff = b - a;
    if g >= 0.5 {
        b - diff * (1.0 - g)
    } else {
        a + diff * g
    }
}

/// Percentile (`pct` in `[0, 100]`) of already **sorted** data, as
/// `numpy.percentile(x, pct)`.
pub fn percentile_sorted(sorted: &[f64], pct: f64) -> f64 {
    quantile_sorted(sorted, pct / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_small_examples() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 1.0), 4.0);
        assert_eq!(quantile_sorted(&v, 0.5), 2.5);
        assert!((quantile_sorted(&v, 0.25) - 1.75).abs() < 1e-15);
        assert_eq!(quantile_sorted(&[5.0], 0.3), 5.0);
        assert!(quantile_sorted(&[], 0.3).is_nan());
    }
}
