//! Symmetric positive-definite matrices in skyline (profile) storage and
//! their Cholesky factorisation (George & Liu 1981, ch. 4).
//!
//! Row `i` stores the columns `first[i] ..= i` of the lower triangle. The
//! Cholesky factor has the same profile (no fill outside the envelope), so
//! a small-baseline network, whose pairs join dates close in time, factors
//! in O(Σ bᵢ²) instead of O(n³/3).

/// The profile (envelope) of a symmetric n × n matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Profile {
    /// First stored column of each row.
    first: Vec<usize>,
    /// Offset of each row's first stored entry in the data vector; one more
    /// entry holds the total length.
    start: Vec<usize>,
}

impl Profile {
    /// A profile from the first column of each row (`first[i] ≤ i`).
    pub(crate) fn new(first: Vec<usize>) -> Self {
        let mut start = Vec::with_capacity(first.len() + 1);
        let mut acc = 0;
        for (i, &f) in first.iter().enumerate() {
            debug_assert!(f <= i);
            start.push(acc);
            acc += i - f + 1;
        }
        start.push(acc);
        Profile { first, start }
    }

    /// Matrix order n.
    pub(crate) fn n(&self) -> usize {
        self.first.len()
    }

    /// First stored column of row i.
    pub(crate) fn first(&self, i: usize) -> usize {
        self.first[i]
    }

    /// Number of stored entries.
    pub(crate) fn len(&self) -> usize {
        self.start[self.first.len()]
    }

    /// Position of entry (i, j), j ≤ i, j ≥ first[i].
    #[inline]
    pub(crate) fn pos(&self, i: usize, j: usize) -> usize {
        debug_assert!(j <= i && j >= self.first[i]);
        self.start[i] + j - self.first[i]
    }

    /// Stored entries of row i, columns first[i] ..= i.
    #[inline]
    fn row<'a>(&self, data: &'a [f64], i: usize) -> &'a [f64] {
        &data[self.start[i]..self.start[i + 1]]
    }
}

/// Why a factorisation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotPositiveDefinite;

/// In-place Cholesky factorisation L·Lᵀ of the matrix stored in `data`
/// (lower triangle, skyline storage). Fails when a pivot is not clearly
/// positive (≤ 1e-13 of the original diagonal).
pub(crate) fn factor(profile: &Profile, data: &mut [f64]) -> Result<(), NotPositiveDefinite> {
    let n = profile.n();
    for i in 0..n {
        let fi = profile.first[i];
        let si = profile.start[i];
        for j in fi..i {
            let fj = profile.first[j];
            let k0 = fi.max(fj);
            let sj = profile.start[j];
            let mut s = data[si + j - fi];
            let ri = &data[si + k0 - fi..si + j - fi];
            let rj = &data[sj + k0 - fj..sj + j - fj];
            s -= dot(ri, rj);
            let ljj = data[sj + j - fj];
            data[si + j - fi] = s / ljj;
        }
        let diag = data[si + i - fi];
        let row = &data[si..si + i - fi];
        let s = diag - dot(row, row);
        let positive = s > diag.abs() * 1e-13; // false for NaN
        if !positive || !s.is_finite() {
            return Err(NotPositiveDefinite);
        }
        data[si + i - fi] = s.sqrt();
    }
    Ok(())
}

/// Solves L·Lᵀ·x = b in place (`b` becomes x), with `data` holding the
/// factor from [`factor`].
pub(crate) fn solve(profile: &Profile, data: &[f64], b: &mut [f64]) {
    let n = profile.n();
    // Forward: L z = b.
    for i in 0..n {
        let fi = profile.first[i];
        let row = profile.row(data, i);
        let s = b[i] - dot(&row[..i - fi], &b[fi..i]);
        b[i] = s / row[i - fi];
    }
    // Backward: Lᵀ x = z, by columns of Lᵀ (rows of L).
    for i in (0..n).rev() {
        let fi = profile.first[i];
        let row = profile.row(data, i);
        let xi = b[i] / row[i - fi];
        b[i] = xi;
        for (bk, &l) in b[fi..i].iter_mut().zip(&row[..i - fi]) {
            *bk -= l * xi;
        }
    }
}

/// 1-norm of the symmetric matrix in `data` (before factorisation).
pub(crate) fn norm1(profile: &Profile, data: &[f64]) -> f64 {
    let n = profile.n();
    let mut col = vec![0.0; n];
    for i in 0..n {
        let fi = profile.first[i];
        let row = profile.row(data, i);
        for (j, &v) in (fi..=i).zip(row) {
            col[j] += v.abs();
            if j != i {
                col[i] += v.abs();
            }
        }
    }
    col.into_iter().fold(0.0, f64::max)
}

/// Estimate of ‖M⁻¹‖₁ for the factored SPD matrix (Hager 1984; Higham
/// 1988, LAPACK's `dlacon` without the sign-repeat test). A lower bound,
/// usually within a factor of 3.
pub(crate) fn inverse_norm1_estimate(profile: &Profile, data: &[f64]) -> f64 {
    let n = profile.n();
    if n == 0 {
        return 0.0;
    }
    let mut x = vec![1.0 / n as f64; n];
    let mut est = 0.0;
    for iter in 0..5 {
        let mut y = x.clone();
        solve(profile, data, &mut y);
        let new_est: f64 = y.iter().map(|v| v.abs()).sum();
        if iter > 0 && new_est <= est {
            break;
        }
        est = new_est;
        let mut z: Vec<f64> = y
            .iter()
            .map(|&v| if v >= 0.0 { 1.0 } else { -1.0 })
            .collect();
        solve(profile, data, &mut z);
        let (jmax, zmax) = z
            .iter()
            .enumerate()
            .fold((0, f64::NEG_INFINITY), |acc, (j, &v)| {
                if v.abs() > acc.1 {
                    (j, v.abs())
                } else {
                    acc
                }
            });
        let ztx: f64 = z.iter().zip(&x).map(|(a, b)| a * b).sum();
        if iter > 0 && zmax <= ztx {
            break;
        }
        x.iter_mut().for_each(|v| *v = 0.0);
        x[jmax] = 1.0;
    }
    // Higham's alternative vector guards against pathological cases.
    let mut alt: Vec<f64> = (0..n)
        .map(|i| {
            let s = if i % 2 == 0 { 1.0 } else { -1.0 };
            s * (1.0 + i as f64 / (n.max(2) - 1) as f64)
        })
        .collect();
    solve(profile, data, &mut alt);
    let alt_est = 2.0 * alt.iter().map(|v| v.abs()).sum::<f64>() / (3.0 * n as f64);
    est.max(alt_est)
}

#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    // Four accumulators in a fixed order: fast and deterministic.
    let mut acc = [0.0f64; 4];
    let chunks = a.len() / 4;
    for c in 0..chunks {
        let k = 4 * c;
        acc[0] += a[k] * b[k];
        acc[1] += a[k + 1] * b[k + 1];
        acc[2] += a[k + 2] * b[k + 2];
        acc[3] += a[k + 3] * b[k + 3];
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for k in 4 * chunks..a.len() {
        s += a[k] * b[k];
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dense SPD matrix from a random-ish banded pattern; compare the
    /// skyline solve with a dense Gaussian elimination.
    #[test]
    #[allow(clippy::needless_range_loop)]
    fn skyline_solve_matches_dense() {
        let n: usize = 9;
        let first: Vec<usize> = (0..n).map(|i| i.saturating_sub(1 + i % 3)).collect();
        let p = Profile::new(first.clone());
        let mut dense = vec![vec![0.0f64; n]; n];
        for i in 0..n {
            for j in first[i]..i {
                let v = -0.3 - 0.05 * ((i * 7 + j * 3) % 5) as f64;
                dense[i][j] = v;
                dense[j][i] = v;
            }
        }
        for i in 0..n {
            let off: f64 = (0..n).filter(|&j| j != i).map(|j| dense[i][j].abs()).sum();
            dense[i][i] = off + 0.5 + 0.1 * i as f64;
        }
        let mut data = vec![0.0; p.len()];
        for i in 0..n {
            for j in first[i]..=i {
                data[p.pos(i, j)] = dense[i][j];
            }
        }
        let x_true: Vec<f64> = (0..n).map(|i| (i as f64 * 0.7).sin()).collect();
        let mut b: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| dense[i][j] * x_true[j]).sum())
            .collect();
        let norm = norm1(&p, &data);
        assert!(norm > 0.0);
        factor(&p, &mut data).unwrap();
        solve(&p, &data, &mut b);
        for (a, e) in b.iter().zip(&x_true) {
            approx::assert_abs_diff_eq!(a, e, epsilon = 1e-12);
        }
        let inv = inverse_norm1_estimate(&p, &data);
        assert!(inv > 0.0 && inv.is_finite());
    }

    #[test]
    fn singular_matrix_fails() {
        // [[1, -1], [-1, 1]] is singular.
        let p = Profile::new(vec![0, 0]);
        let mut data = vec![1.0, -1.0, 1.0];
        assert_eq!(factor(&p, &mut data), Err(NotPositiveDefinite));
    }
}
