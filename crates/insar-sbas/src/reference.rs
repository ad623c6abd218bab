//! Spatial referencing: every interferogram made relative to a reference
//! pixel or a small window, so that phases of different interferograms
//! share one datum.

use ndarray::{ArrayViewMut2, ArrayViewMut3, Axis};

use crate::error::{Error, Result};
use crate::real::Real;

/// Where the spatial reference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferencePoint {
    /// One pixel.
    Pixel {
        /// Row.
        row: usize,
        /// Column.
        col: usize,
    },
    /// The mean of the valid pixels in the (2·half_size + 1)² window centred
    /// on (row, col), clipped at the raster's edges.
    Window {
        /// Centre row.
        row: usize,
        /// Centre column.
        col: usize,
        /// Half the window's side (0 is the pixel itself).
        half_size: usize,
    },
}

impl ReferencePoint {
    fn centre(&self) -> (usize, usize, &'static str) {
        match *self {
            ReferencePoint::Pixel { row, col } => (row, col, "pixel"),
            ReferencePoint::Window { row, col, .. } => (row, col, "window"),
        }
    }

    /// The reference value of one interferogram (`None` when it has no
    /// valid value there).
    fn value<T: Real>(&self, ifg: &ArrayViewMut2<'_, T>) -> Option<f64> {
        match *self {
            ReferencePoint::Pixel { row, col } => {
                Some(ifg[[row, col]].to_f64()).filter(|v| v.is_finite())
            }
            ReferencePoint::Window {
                row,
                col,
                half_size,
            } => {
                let (rows, cols) = ifg.dim();
                let (r0, r1) = (
                    row.saturating_sub(half_size),
                    (row + half_size + 1).min(rows),
                );
                let (c0, c1) = (
                    col.saturating_sub(half_size),
                    (col + half_size + 1).min(cols),
                );
                let (mut sum, mut n) = (0.0, 0usize);
                for r in r0..r1 {
                    for c in c0..c1 {
                        let v = ifg[[r, c]].to_f64();
                        if v.is_finite() {
                            sum += v;
                            n += 1;
                        }
                    }
                }
                (n > 0).then(|| sum / n as f64)
            }
        }
    }
}

fn check_bounds(reference: ReferencePoint, rows: usize, cols: usize) -> Result<()> {
    let (row, col, what) = reference.centre();
    if row >= rows || col >= cols {
        return Err(Error::ReferenceOutOfBounds {
            what,
            row,
            col,
            rows,
            cols,
        });
    }
    Ok(())
}

/// Subtracts the reference value from every pixel of every interferogram
/// of `stack` (axes (ifg, row, col)) and returns the values subtracted.
/// `NaN` stays `NaN`. Errors when the reference lies outside the raster or
/// has no valid value in some interferogram (naming it); the stack is then
/// left unchanged.
pub fn subtract_reference<T: Real>(
    mut stack: ArrayViewMut3<'_, T>,
    reference: ReferencePoint,
) -> Result<Vec<f64>> {
    let (_, rows, cols) = stack.dim();
    check_bounds(reference, rows, cols)?;
    let (row, col, what) = reference.centre();
    let values = stack
        .axis_iter_mut(Axis(0))
        .enumerate()
        .map(|(k, ifg)| {
            reference.value(&ifg).ok_or(Error::ReferenceNoData {
                ifg: k,
                what,
                row,
                col,
            })
        })
        .collect::<Result<Vec<f64>>>()?;
    for (mut ifg, &v) in stack.axis_iter_mut(Axis(0)).zip(&values) {
        ifg.mapv_inplace(|x| T::from_f64(x.to_f64() - v));
    }
    Ok(values)
}

/// MintPy's referencing (`ifgram_inversion.read_stack_obs` followed by its
/// zero-to-no-data rule): the value at the reference pixel is subtracted
/// from every *non-zero* value, then every value that is exactly zero
/// becomes `NaN` (MintPy's fill value for masked phase). The reference
/// pixel itself thus ends up `NaN`, and MintPy does not invert it. Returns
/// the values subtracted; errors only when the pixel lies outside the
/// raster.
pub fn subtract_reference_mintpy<T: Real>(
    mut stack: ArrayViewMut3<'_, T>,
    row: usize,
    col: usize,
) -> Result<Vec<f64>> {
    let (_, rows, cols) = stack.dim();
    check_bounds(ReferencePoint::Pixel { row, col }, rows, cols)?;
    let mut values = Vec::with_capacity(stack.len_of(Axis(0)));
    for mut ifg in stack.axis_iter_mut(Axis(0)) {
        let v = ifg[[row, col]].to_f64();
        values.push(v);
        ifg.mapv_inplace(|x| {
            let x = x.to_f64();
            let y = if x != 0.0 { x - v } else { x };
            // Round to the stack's type before the zero test, as MintPy.
            let y = T::from_f64(y);
            if y.to_f64() == 0.0 {
                T::nan()
            } else {
                y
            }
        });
    }
    Ok(values)
}
