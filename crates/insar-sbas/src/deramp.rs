//! Removal of a plane or quadratic ramp from every interferogram, fitted by
//! least squares on a mask (orbital errors, long-wavelength atmosphere).

use ndarray::{Array2, ArrayView2, ArrayViewMut2, ArrayViewMut3, Axis};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::real::Real;
use crate::skyline::{self, Profile};

/// The surface fitted to each interferogram. Coordinates are scaled to
/// x = (col − c̄)/s, y = (row − r̄)/s with c̄, r̄ the raster centre and
/// s = max(rows, cols)/2, so the coefficients are comparable in size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ramp {
    /// a + b·x + c·y.
    Plane,
    /// a + b·x + c·y + d·x² + e·y² + f·x·y (MintPy's `quadratic`).
    Quadratic,
}

impl Ramp {
    /// Number of coefficients.
    pub fn n_terms(&self) -> usize {
        match self {
            Ramp::Plane => 3,
            Ramp::Quadratic => 6,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Ramp::Plane => "plane",
            Ramp::Quadratic => "quadratic",
        }
    }

    fn terms(&self, x: f64, y: f64, out: &mut [f64; 6]) {
        out[0] = 1.0;
        out[1] = x;
        out[2] = y;
        if *self == Ramp::Quadratic {
            out[3] = x * x;
            out[4] = y * y;
            out[5] = x * y;
        }
    }
}

/// Fits `ramp` to every interferogram of `stack` (axes (ifg, row, col)) on
/// the pixels where `mask` is true (all pixels when `None`) and the phase
/// is finite, and subtracts it from every pixel. Returns the coefficients,
/// shape (ifg, terms), in the scaled coordinates of [`Ramp`].
///
/// Errors: a mask of another shape, or an interferogram with too few valid
/// mask pixels (or all on a line) to fit the ramp, naming it; the stack is
/// unchanged then.
pub fn deramp<T: Real>(
    mut stack: ArrayViewMut3<'_, T>,
    mask: Option<ArrayView2<'_, bool>>,
    ramp: Ramp,
) -> Result<Array2<f64>> {
    let (m, rows, cols) = stack.dim();
    if let Some(mask) = mask {
        if mask.dim() != (rows, cols) {
            return Err(Error::ShapeMismatch {
                input: "mask",
                found: mask.shape().to_vec(),
                expected: vec![rows, cols],
                what: "the (row, col) shape of the stack",
            });
        }
    }
    let scale = (rows.max(cols) as f64 / 2.0).max(1.0);
    let (rc, cc) = ((rows as f64 - 1.0) / 2.0, (cols as f64 - 1.0) / 2.0);
    let coord = move |r: usize, c: usize| ((c as f64 - cc) / scale, (r as f64 - rc) / scale);
    let fit = |k: usize, ifg: &ArrayViewMut2<'_, T>| -> Result<Vec<f64>> {
        let n = ramp.n_terms();
        let profile = Profile::new(vec![0; n]);
        let mut mat = vec![0.0; profile.len()];
        let mut rhs = vec![0.0; n];
        let mut t = [0.0; 6];
        let mut valid = 0;
        for ((r, c), v) in ifg.indexed_iter() {
            let v = v.to_f64();
            if !v.is_finite() || mask.is_some_and(|m| !m[[r, c]]) {
                continue;
            }
            valid += 1;
            let (x, y) = coord(r, c);
            ramp.terms(x, y, &mut t);
            for i in 0..n {
                rhs[i] += t[i] * v;
                for j in 0..=i {
                    mat[profile.pos(i, j)] += t[i] * t[j];
                }
            }
        }
        let too_few = || Error::TooFewRampPixels {
            ifg: k,
            valid,
            needed: n,
            ramp: ramp.name(),
        };
        if valid < n {
            return Err(too_few());
        }
        skyline::factor(&profile, &mut mat).map_err(|_| too_few())?;
        skyline::solve(&profile, &mat, &mut rhs);
        Ok(rhs)
    };
    let ifgs: Vec<ArrayViewMut2<'_, T>> = stack.axis_iter_mut(Axis(0)).collect();
    // Collect every result first: rayon's short-circuiting collect would
    // report whichever failure finished first, not the first interferogram.
    let fits: Vec<Result<Vec<f64>>> = ifgs
        .par_iter()
        .enumerate()
        .map(|(k, ifg)| fit(k, ifg))
        .collect();
    let coefs = fits.into_iter().collect::<Result<Vec<_>>>()?;
    ifgs.into_par_iter()
        .zip(&coefs)
        .for_each(|(mut ifg, coef)| {
            let mut t = [0.0; 6];
            for ((r, c), v) in ifg.indexed_iter_mut() {
                let (x, y) = coord(r, c);
                ramp.terms(x, y, &mut t);
                let s: f64 = coef.iter().zip(&t).map(|(a, b)| a * b).sum();
                *v = T::from_f64(v.to_f64() - s);
            }
        });
    let mut out = Array2::zeros((m, ramp.n_terms()));
    for (k, coef) in coefs.iter().enumerate() {
        for (j, &v) in coef.iter().enumerate() {
            out[[k, j]] = v;
        }
    }
    Ok(out)
}
