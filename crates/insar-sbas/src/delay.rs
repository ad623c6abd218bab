//! Subtraction of an external delay stack (e.g. a tropospheric delay from
//! ERA5-based tools such as PyAPS or GACOS) given per acquisition date.

use ndarray::{ArrayView3, ArrayViewMut3, Axis, Zip};

use crate::error::{Error, Result};
use crate::invert::phase_to_displacement;
use crate::network::Network;
use crate::real::Real;

/// Units of a delay stack.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DelayUnit {
    /// Radians of interferometric phase.
    Radians,
    /// Metres, with the sign of MintPy's time series (the same as the
    /// displacement: a corrected time series is `timeseries − delay`); it
    /// becomes phase through −4π/λ.
    Metres {
        /// Radar wavelength, m.
        wavelength_m: f64,
    },
}

/// Subtracts the delay difference `delay[secondary] − delay[reference]`
/// from every interferogram of `stack` (axes (ifg, row, col)); `delay` has
/// axes (date, row, col) over the network's dates. `NaN` in the delay makes
/// the value `NaN` (dropped by the inversion).
///
/// Errors: a stack or delay whose shape does not match the network, or a
/// non-positive wavelength.
pub fn subtract_delay<T: Real>(
    mut stack: ArrayViewMut3<'_, T>,
    network: &Network,
    delay: ArrayView3<'_, T>,
    unit: DelayUnit,
) -> Result<()> {
    let (m, rows, cols) = stack.dim();
    if m != network.n_pairs() {
        return Err(Error::ShapeMismatch {
            input: "stack",
            found: stack.shape().to_vec(),
            expected: vec![network.n_pairs(), rows, cols],
            what: "one interferogram per pair of the network",
        });
    }
    if delay.dim() != (network.n_dates(), rows, cols) {
        return Err(Error::ShapeMismatch {
            input: "delay",
            found: delay.shape().to_vec(),
            expected: vec![network.n_dates(), rows, cols],
            what: "one raster per date of the network, shaped like the stack",
        });
    }
    let factor = match unit {
        DelayUnit::Radians => 1.0,
        DelayUnit::Metres { wavelength_m } => {
            if !(wavelength_m.is_finite() && wavelength_m > 0.0) {
                return Err(Error::invalid_parameter(
                    "wavelength_m",
                    wavelength_m,
                    "must be finite and > 0",
                ));
            }
            1.0 / phase_to_displacement(wavelength_m)
        }
    };
    for (ifg, pair) in stack.axis_iter_mut(Axis(0)).zip(network.pairs()) {
        let dr = delay.index_axis(Axis(0), pair.reference);
        let ds = delay.index_axis(Axis(0), pair.secondary);
        Zip::from(ifg).and(dr).and(ds).for_each(|v, &a, &b| {
            *v = T::from_f64(v.to_f64() - factor * (b.to_f64() - a.to_f64()));
        });
    }
    Ok(())
}
