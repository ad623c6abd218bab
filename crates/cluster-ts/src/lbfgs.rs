//! A small limited-memory BFGS minimiser (Nocedal 1980; Liu & Nocedal 1989)
//! with a backtracking Armijo line search, used for the soft-DTW barycentre.
//!
//! Stopping rules follow `scipy.optimize.minimize(method="L-BFGS-B", tol=…)`,
//! which is what tslearn's `softdtw_barycenter` calls: stop when the largest
//! gradient component is ≤ `tol`, when the relative decrease
//! `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1)` is ≤ `tol`, or after
//! `max_iter` iterations.

/// Result of [`minimize`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LbfgsResult {
    /// Minimiser found.
    pub x: Vec<f64>,
    /// Objective at `x`.
    pub f: f64,
    /// Iterations run.
    pub iterations: usize,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Minimises `fg` (returning value and gradient) from `x0`.
pub(crate) fn minimize<F>(fg: F, x0: Vec<f64>, max_iter: usize, tol: f64) -> LbfgsResult
where
    F: Fn(&[f64]) -> (f64, Vec<f64>),
{
    const MEMORY: usize = 10;
    const C1: f64 = 1e-4;
    let mut x = x0;
    let (mut f, mut g) = fg(&x);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut iterations = 0;
    while iterations < max_iter {
        if !f.is_finite() || g.iter().fold(0.0_f64, |m, v| m.max(v.abs())) <= tol {
            break;
        }
        // Two-loop recursion: d = −H g.
        let mut q = g.clone();
        let k = s_hist.len();
        let mut alpha = vec![0.0; k];
        let mut rho = vec![0.0; k];
        for idx in (0..k).rev() {
            rho[idx] = 1.0 / dot(&y_hist[idx], &s_hist[idx]);
            alpha[idx] = rho[idx] * dot(&s_hist[idx], &q);
            for (qv, yv) in q.iter_mut().zip(&y_hist[idx]) {
                *qv -= alpha[idx] * yv;
            }
        }
        let scale = if k > 0 {
            dot(&s_hist[k - 1], &y_hist[k - 1]) / dot(&y_hist[k - 1], &y_hist[k - 1])
        } else {
            1.0 / dot(&g, &g).sqrt().max(1.0)
        };
        for qv in q.iter_mut() {
            *qv *= scale;
        }
        for idx in 0..k {
            let beta = rho[idx] * dot(&y_hist[idx], &q);
            for (qv, sv) in q.iter_mut().zip(&s_hist[idx]) {
                *qv += (alpha[idx] - beta) * sv;
            }
        }
        let mut d: Vec<f64> = q.iter().map(|v| -v).collect();
        let mut slope = dot(&g, &d);
        if slope >= 0.0 || !slope.is_finite() {
            // Not a descent direction: restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            let gn = dot(&g, &g).sqrt().max(1.0);
            d = g.iter().map(|v| -v / gn).collect();
            slope = dot(&g, &d);
        }
        // Backtracking Armijo line search.
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..60 {
            let xn: Vec<f64> = x.iter().zip(&d).map(|(xv, dv)| xv + step * dv).collect();
            let (fn_, gn) = fg(&xn);
            if fn_.is_finite() && fn_ <= f + C1 * step * slope {
                accepted = Some((xn, fn_, gn));
                break;
            }
            step *= 0.5;
        }
        iterations += 1;
        let Some((xn, fn_, gn)) = accepted else {
            break;
        };
        let s: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 * dot(&y, &y).max(f64::MIN_POSITIVE) {
            if s_hist.len() == MEMORY {
                s_hist.remove(0);
                y_hist.remove(0);
            }
            s_hist.push(s);
            y_hist.push(y);
        }
        let rel = (f - fn_) / f.abs().max(fn_.abs()).max(1.0);
        x = xn;
        f = fn_;
        g = gn;
        if rel <= tol {
            break;
        }
    }
    LbfgsResult { x, f, iterations }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rosenbrock() {
        let fg = |x: &[f64]| {
            let (a, b) = (x[0], x[1]);
            let f = (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2);
            let g = vec![
                -2.0 * (1.0 - a) - 400.0 * a * (b - a * a),
                200.0 * (b - a * a),
            ];
            (f, g)
        };
        let r = minimize(fg, vec![-1.2, 1.0], 500, 1e-12);
        assert!(
            (r.x[0] - 1.0).abs() < 1e-4 && (r.x[1] - 1.0).abs() < 1e-4,
            "{r:?}"
        );
    }
}
