//! Soft-DTW (Cuturi & Blondel 2017) and its gradient.

use super::band_range;

/// tslearn's `_njit_softmin3`: −γ·log(Σ exp(−x/γ)) with the max trick.
#[inline]
fn softmin3(a: f64, b: f64, c: f64, gamma: f64) -> f64 {
    let (a, b, c) = (a / -gamma, b / -gamma, c / -gamma);
    let max = a.max(b).max(c);
    if max == f64::NEG_INFINITY {
        return f64::INFINITY;
    }
    let mut tmp = 0.0;
    tmp += (a - max).exp();
    tmp += (b - max).exp();
    tmp += (c - max).exp();
    -gamma * (tmp.ln() + max)
}

/// Accumulated soft-DTW matrix `R`, padded to `(m + 2) × (n + 2)` as in the
/// paper: `R[0][0] = 0`, the rest of row/column 0 is `+∞`, cells outside the
/// band are `+∞`.
fn accumulate(a: &[f64], b: &[f64], gamma: f64, radius: Option<usize>) -> Vec<f64> {
    let (m, n) = (a.len(), b.len());
    let w = n + 2;
    let mut r = vec![f64::INFINITY; (m + 2) * w];
    r[0] = 0.0;
    for (i, &ai) in a.iter().enumerate() {
        let (lo, hi) = band_range(i, m, n, radius);
        for j in lo..hi {
            let diff = ai - b[j];
            // Argument order of tslearn: (up, left, diagonal).
            let s = softmin3(r[i * w + j + 1], r[(i + 1) * w + j], r[i * w + j], gamma);
            r[(i + 1) * w + j + 1] = diff * diff + s;
        }
    }
    r
}

/// Soft-DTW value between two univariate series with smoothing `gamma > 0`,
/// as `tslearn.metrics.soft_dtw` (squared Euclidean ground cost; the value
/// can be negative). `radius` is an optional Sakoe–Chiba radius (see
/// [`dtw`](super::dtw)).
///
/// ```
/// use cluster_ts::metrics::soft_dtw;
/// let v = soft_dtw(&[1.0, 2.0, 3.0], &[3.0, 4.0, -3.0], 1.0, None);
/// assert!((v - 41.187627).abs() < 1e-6);
/// ```
pub fn soft_dtw(a: &[f64], b: &[f64], gamma: f64, radius: Option<usize>) -> f64 {
    let (m, n) = (a.len(), b.len());
    if m == 0 || n == 0 {
        return f64::INFINITY;
    }
    let r = accumulate(a, b, gamma, radius);
    r[m * (n + 2) + n]
}

/// Soft-DTW value and its gradient with respect to the first series `z`
/// (the backward recursion of Cuturi & Blondel 2017, Algorithm 2, with the
/// squared-Euclidean Jacobian). Cells outside the band do not contribute.
pub fn soft_dtw_with_gradient(
    z: &[f64],
    x: &[f64],
    gamma: f64,
    radius: Option<usize>,
) -> (f64, Vec<f64>) {
    let (m, n) = (z.len(), x.len());
    if m == 0 || n == 0 {
        return (f64::INFINITY, vec![0.0; m]);
    }
    let r = accumulate(z, x, gamma, radius);
    let w = n + 2;
    let value = r[m * w + n];
    let admitted = |i: usize, j: usize| -> bool {
        // 1-based padded cell (i, j) inside the matrix and the band.
        if i == 0 || j == 0 || i > m || j > n {
            return false;
        }
        let (lo, hi) = band_range(i - 1, m, n, radius);
        j > lo && j - 1 < hi
    };
    let d = |i: usize, j: usize| {
        let diff = z[i - 1] - x[j - 1];
        diff * diff
    };
    let mut e = vec![0.0; (m + 2) * w];
    e[m * w + n] = 1.0;
    for j in (1..=n).rev() {
        for i in (1..=m).rev() {
            if (i, j) == (m, n) || !admitted(i, j) {
                continue;
            }
            let rij = r[i * w + j];
            let mut acc = 0.0;
            for (ii, jj) in [(i + 1, j), (i, j + 1), (i + 1, j + 1)] {
                if admitted(ii, jj) {
                    let coef = ((r[ii * w + jj] - rij - d(ii, jj)) / gamma).exp();
                    acc += e[ii * w + jj] * coef;
                }
            }
            e[i * w + j] = acc;
        }
    }
    let mut grad = vec![0.0; m];
    for i in 1..=m {
        let mut g = 0.0;
        let (lo, hi) = band_range(i - 1, m, n, radius);
        for j in lo + 1..=hi {
            g += e[i * w + j] * 2.0 * (z[i - 1] - x[j - 1]);
        }
        grad[i - 1] = g;
    }
    (value, grad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let z = [0.3, 1.2, -0.4, 2.0, 0.7];
        let x = [0.0, 1.0, 0.5, 1.5, 2.5, 0.2];
        for radius in [None, Some(1)] {
            for gamma in [0.1, 1.0] {
                let (v, g) = soft_dtw_with_gradient(&z, &x, gamma, radius);
                assert!((v - soft_dtw(&z, &x, gamma, radius)).abs() < 1e-12);
                for k in 0..z.len() {
                    let h = 1e-6;
                    let mut zp = z;
                    zp[k] += h;
                    let mut zm = z;
                    zm[k] -= h;
                    let fd = (soft_dtw(&zp, &x, gamma, radius) - soft_dtw(&zm, &x, gamma, radius))
                        / (2.0 * h);
                    assert!((fd - g[k]).abs() < 1e-5, "k={k} fd={fd} g={}", g[k]);
                }
            }
        }
    }

    #[test]
    fn small_gamma_approaches_dtw() {
        let a = [0.0, 1.0, 3.0, 2.0];
        let b = [1.0, 1.5, 2.0, 4.0, 4.0];
        let s = soft_dtw(&a, &b, 1e-4, None);
        let d = crate::metrics::dtw_squared(&a, &b, None);
        assert!((s - d).abs() < 1e-2);
    }
}
