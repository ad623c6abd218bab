//! Exact null distribution of the two-sample Smirnov statistic, ported
//! operation for operation from `scipy.stats._stats_py` (1.17) so that the
//! floating-point results, and the decision to fall back to the asymptotic
//! distribution, agree with scipy:
//!
//! * `prob_outside_square` — equal sample sizes, two-sided (Hodges 1958,
//!   Horner-like alternating sum);
//! * `outer_prob_inside` — unequal sizes, two-sided (the lattice-path
//!   "inside" method of Hodges 1958 in the 1 − p form of Viehmann 2021);
//! * `count_paths_outside` — unequal sizes, one-sided (Hodges' "outside"
//!   method);
//! * `binom` — the binomial coefficient as `scipy.special.binom` forms it.

use statrs::function::gamma::{gamma, ln_gamma};

/// Pr(D_{n,n} ≥ h/n), two-sided, equal sizes.
pub(crate) fn prob_outside_square(n: i64, h: i64) -> f64 {
    let mut p = 0.0;
    let mut k = n / h;
    while k >= 0 {
        let mut p1 = 1.0;
        for j in 0..h {
            p1 = ((n - k * h - j) as f64 * p1) / ((n + k * h + j + 1) as f64);
        }
        p = p1 * (1.0 - p);
        k -= 1;
    }
    2.0 * p
}

/// Proportion of lattice paths from (0,0) to (m,n) that leave the band
/// |x/m − y/n| < h/lcm(m, n); two-sided p-value for unequal sizes.
pub(crate) fn outer_prob_inside(m: i64, n: i64, g: i64, h: i64) -> f64 {
    let (m, n) = if m < n { (n, m) } else { (m, n) };
    let mg = m / g;
    let ng = n / g;
    let mut minj: i64 = 0;
    let mut maxj: i64 = ((h as f64 / mg as f64).ceil() as i64).min(n + 1);
    let mut curlen = maxj - minj;
    let len_a = (2 * maxj + 2).min(n + 1) as usize;
    let mut a = vec![1.0f64; len_a];
    for v in a.iter_mut().take(maxj as usize).skip(minj as usize) {
        *v = 0.0;
    }
    for i in 1..=m {
        let lastminj = minj;
        let lastlen = curlen;
        minj = ((((ng * i - h) as f64) / mg as f64).floor() as i64 + 1).max(0);
        minj = minj.min(n);
        maxj = ((((ng * i + h) as f64) / mg as f64).ceil() as i64).min(n + 1);
        if maxj <= minj {
            return 1.0;
        }
        let fi = i as f64;
        let mut val = if minj == 0 { 0.0 } else { 1.0 };
        for jj in 0..(maxj - minj) {
            let j = jj + minj;
            let src = a[(jj + minj - lastminj) as usize];
            val = (src * fi + val * j as f64) / (fi + j as f64);
            a[jj as usize] = val;
        }
        curlen = maxj - minj;
        if lastlen > curlen {
            let start = (maxj - minj) as usize;
            let end = (start + (lastlen - curlen) as usize).min(a.len());
            for v in &mut a[start..end] {
                *v = 1.0;
            }
        }
    }
    a[(maxj - minj - 1) as usize]
}

/// Number of lattice paths from (0,0) to (m,n) passing below the diagonal
/// shifted by h (one-sided), in floating point; `None` on overflow.
pub(crate) fn count_paths_outside(m: i64, n: i64, g: i64, h: i64) -> Option<f64> {
    let (m, n) = if m < n { (n, m) } else { (m, n) };
    let mg = m / g;
    let ng = n / g;
    let lxj = n + (mg - h).div_euclid(mg);
    if lxj <= 0 {
        let b = binom((m + n) as f64, n as f64);
        return b.is_finite().then_some(b);
    }
    let lxj = lxj as usize;
    let xj: Vec<i64> = (0..lxj as i64)
        .map(|j| (h + mg * j + ng - 1).div_euclid(ng))
        .collect();
    let mut b = vec![0.0f64; lxj];
    b[0] = 1.0;
    for j in 1..lxj {
        let mut bj = binom((xj[j] + j as i64) as f64, j as f64);
        if !bj.is_finite() {
            return None;
        }
        for i in 0..j {
            let bin = binom((xj[j] - xj[i] + (j - i) as i64) as f64, (j - i) as f64);
            let prod = bin * b[i];
            if !prod.is_finite() {
                return None;
            }
            bj -= prod;
            if !bj.is_finite() {
                return None;
            }
        }
        b[j] = bj;
    }
    let mut num_paths = 0.0;
    for j in 0..lxj {
        let bin = binom(((m - xj[j]) + (n - j as i64)) as f64, (n - j as i64) as f64);
        let term = b[j] * bin;
        if !term.is_finite() {
            return None;
        }
        num_paths += term;
        if !num_paths.is_finite() {
            return None;
        }
    }
    Some(num_paths)
}

/// Binomial coefficient for non-negative integer-valued `n ≥ k ≥ 0`, formed
/// the way `scipy.special.binom` (xsf) forms it: a product for k < 20 (after
/// using the symmetry), otherwise 1/((n+1) B(n−k+1, k+1)).
pub(crate) fn binom(n: f64, k: f64) -> f64 {
    let mut kx = k.floor();
    let nx = n.floor();
    if nx == n && kx > nx / 2.0 && nx > 0.0 {
        kx = nx - kx;
    }
    if (0.0..20.0).contains(&kx) {
        let mut num = 1.0;
        let mut den = 1.0;
        let ki = kx as i64;
        for i in 1..=ki {
            num *= i as f64 + n - kx;
            den *= i as f64;
            if num.abs() > 1e50 {
                num /= den;
                den = 1.0;
            }
        }
        return num / den;
    }
    1.0 / (n + 1.0) / beta_fn(1.0 + n - k, 1.0 + k)
}

/// The complete beta function as cephes `beta` evaluates it for positive
/// arguments.
fn beta_fn(a: f64, b: f64) -> f64 {
    const MAXGAM: f64 = 171.624_376_956_302_7;
    let (a, b) = if a.abs() < b.abs() { (b, a) } else { (a, b) };
    let y = a + b;
    if y.abs() > MAXGAM || a.abs() > MAXGAM || b.abs() > MAXGAM {
        let l = ln_gamma(a) + (ln_gamma(b) - ln_gamma(y));
        return l.exp();
    }
    let gy = gamma(y);
    let ga = gamma(a);
    let gb = gamma(b);
    if gy == 0.0 {
        return f64::INFINITY;
    }
    if (ga.abs() - gy.abs()).abs() > (gb.abs() - gy.abs()).abs() {
        (gb / gy) * ga
    } else {
        (ga / gy) * gb
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomials_are_exact_for_small_arguments() {
        assert_eq!(binom(10.0, 3.0), 120.0);
        assert_eq!(binom(52.0, 5.0), 2_598_960.0);
        let b = binom(60.0, 30.0);
        assert!((b / 118_264_581_564_861_424.0 - 1.0).abs() < 1e-13);
    }

    #[test]
    fn square_case_h1_is_one() {
        // D ≥ 1/n always holds for n = m: probability 1 (up to rounding).
        assert!((prob_outside_square(7, 1) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn inside_method_matches_square_for_equal_sizes() {
        // With m = n = 6 (g = 6, lcm = 6) both methods give the same p.
        for h in 1..=6 {
            let a = prob_outside_square(6, h);
            let b = outer_prob_inside(6, 6, 6, h);
            assert!((a - b).abs() < 1e-14, "h={h}: {a} vs {b}");
        }
    }
}
