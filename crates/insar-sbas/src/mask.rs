//! Masking interferogram values before the inversion.

use ndarray::{ArrayView3, ArrayViewMut3, Zip};

use crate::error::{Error, Result};
use crate::real::Real;

/// Sets phase to `NaN` where coherence is below `threshold` (or `NaN`), as
/// MintPy's `--mask-dset coherence --mask-thres …`. Both stacks have axes
/// (ifg, row, col) and must have the same shape. Returns the number of
/// values masked.
pub fn mask_low_coherence<T: Real>(
    phase: ArrayViewMut3<'_, T>,
    coherence: ArrayView3<'_, T>,
    threshold: f64,
) -> Result<usize> {
    if phase.dim() != coherence.dim() {
        return Err(Error::ShapeMismatch {
            input: "coherence",
            found: coherence.shape().to_vec(),
            expected: phase.shape().to_vec(),
            what: "the shape of the phase stack",
        });
    }
    let mut n = 0;
    Zip::from(phase).and(coherence).for_each(|p, &c| {
        let c = c.to_f64();
        let keep = c >= threshold; // false for NaN coherence
        if !keep && p.to_f64().is_finite() {
            *p = T::nan();
            n += 1;
        }
    });
    Ok(n)
}
