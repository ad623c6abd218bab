//! Dynamic time warping (Sakoe & Chiba 1978).

use super::band_range;

/// Squared DTW: the smallest sum of squared differences along an admissible
/// warping path (tslearn's `cum_sum[-1, -1]`).
///
/// `radius` is an optional Sakoe–Chiba radius (see [`dtw`]). Returns
/// `f64::INFINITY` when either series is empty.
pub fn dtw_squared(a: &[f64], b: &[f64], radius: Option<usize>) -> f64 {
    let (m, n) = (a.len(), b.len());
    if m == 0 || n == 0 {
        return f64::INFINITY;
    }
    // Two rows of the (m+1) × (n+1) accumulated matrix.
    let mut prev = vec![f64::INFINITY; n + 1];
    let mut cur = vec![f64::INFINITY; n + 1];
    prev[0] = 0.0;
    for (i, &ai) in a.iter().enumerate() {
        cur.fill(f64::INFINITY);
        let (lo, hi) = band_range(i, m, n, radius);
        row(ai, &b[lo..hi], &prev[lo..=hi], &mut cur[lo..=hi]);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n]
}

/// One row of the accumulated matrix over the columns `lo..hi`:
/// `prev` and `cur` are the padded rows' slices `lo..=hi`, `cur[0]` holds
/// the cell left of the band (`+∞` or the row's previous value).
#[inline]
fn row(ai: f64, b: &[f64], prev: &[f64], cur: &mut [f64]) {
    let mut left = cur[0];
    let mut diag = prev[0];
    for ((out, &bj), &up) in cur[1..].iter_mut().zip(b).zip(&prev[1..]) {
        let d = ai - bj;
        let mut best = if up < diag { up } else { diag };
        if left < best {
            best = left;
        }
        left = d * d + best;
        *out = left;
        diag = up;
    }
}

/// DTW distance between two univariate series, as `tslearn.metrics.dtw`:
/// the square root of the smallest sum of squared differences along a
/// warping path.
///
/// `radius`: `None` for no constraint, `Some(r)` for a Sakoe–Chiba band of
/// radius `r` (tslearn's `sakoe_chiba_radius`; for series of unequal length
/// the band is widened by the length difference, as tslearn does).
///
/// ```
/// use cluster_ts::metrics::dtw;
/// assert_eq!(dtw(&[1.0, 2.0, 3.0], &[1.0, 2.0, 2.0, 3.0], None), 0.0);
/// assert_eq!(dtw(&[1.0, 2.0, 3.0], &[1.0, 2.0, 2.0, 3.0, 4.0], None), 1.0);
/// ```
pub fn dtw(a: &[f64], b: &[f64], radius: Option<usize>) -> f64 {
    dtw_squared(a, b, radius).sqrt()
}

/// DTW distance and the optimal warping path as `(i, j)` index pairs from
/// `(0, 0)` to `(m − 1, n − 1)`.
///
/// Ties in the back-tracking are broken as tslearn does (diagonal, then
/// `(i − 1, j)`, then `(i, j − 1)`), so the path, and hence the DBA
/// barycentre, is the same as tslearn's.
pub fn dtw_path(a: &[f64], b: &[f64], radius: Option<usize>) -> (f64, Vec<(usize, usize)>) {
    let (m, n) = (a.len(), b.len());
    if m == 0 || n == 0 {
        return (f64::INFINITY, Vec::new());
    }
    let w = n + 1;
    let mut acc = vec![f64::INFINITY; (m + 1) * w];
    acc[0] = 0.0;
    for (i, &ai) in a.iter().enumerate() {
        let (lo, hi) = band_range(i, m, n, radius);
        let (done, rest) = acc.split_at_mut((i + 1) * w);
        row(
            ai,
            &b[lo..hi],
            &done[i * w + lo..=i * w + hi],
            &mut rest[lo..=hi],
        );
    }
    // acc[(i+1)*w + (j+1)] is tslearn's cum_sum[i, j] (without the padding).
    let at = |i: usize, j: usize| acc[(i + 1) * w + j + 1];
    let mut path = vec![(m - 1, n - 1)];
    let (mut i, mut j) = (m - 1, n - 1);
    while (i, j) != (0, 0) {
        if i == 0 {
            j -= 1;
        } else if j == 0 {
            i -= 1;
        } else {
            let cands = [at(i - 1, j - 1), at(i - 1, j), at(i, j - 1)];
            // numpy.argmin: first minimum wins.
            let mut arg = 0;
            for (c, &v) in cands.iter().enumerate().skip(1) {
                if v < cands[arg] {
                    arg = c;
                }
            }
            match arg {
                0 => {
                    i -= 1;
                    j -= 1;
                }
                1 => i -= 1,
                _ => j -= 1,
            }
        }
        path.push((i, j));
    }
    path.reverse();
    (at(m - 1, n - 1).sqrt(), path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_cost_equals_distance() {
        let a = [0.0, 1.0, 3.0, 2.0, 5.0];
        let b = [1.0, 1.5, 2.0, 4.0];
        for r in [None, Some(0), Some(1), Some(2)] {
            let (d, path) = dtw_path(&a, &b, r);
            let s: f64 = path.iter().map(|&(i, j)| (a[i] - b[j]).powi(2)).sum();
            assert!((s.sqrt() - d).abs() < 1e-12);
            assert!((dtw(&a, &b, r) - d).abs() < 1e-12);
        }
    }

    #[test]
    fn zero_radius_equal_length_is_euclidean() {
        let a = [0.0f64, 1.0, 3.0, 2.0];
        let b = [1.0f64, 1.5, 2.0, 4.0];
        let e: f64 = a.iter().zip(&b).map(|(x, y)| (x - y).powi(2)).sum();
        assert!((dtw_squared(&a, &b, Some(0)) - e).abs() < 1e-12);
    }
}
