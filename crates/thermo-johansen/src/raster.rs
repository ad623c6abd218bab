//! Raster forms: every scalar computation applied pixel by pixel to
//! `ndarray` rasters with axes `(row, col)`, scalars broadcast, `NaN`
//! propagated, rows optionally spread over the rayon thread pool.
//!
//! Each pixel goes through exactly the scalar method (inputs widened to
//! `f64`), so a raster result equals the scalar result element by element,
//! whatever the number of threads. An out-of-range pixel fails the call with
//! the first offending `(row, col)` in row-major order.

use ndarray::{Array2, ArrayView1, ArrayView2};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::params::Johansen;
use crate::soil::{Phase, Soil};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// Element type of rasters: `f32` or `f64`. Computation is always in `f64`;
/// `f32` outputs are rounded once at the end.
pub trait RasterFloat: Copy + Send + Sync + std::fmt::Debug + 'static + sealed::Sealed {
    /// Widens to `f64`.
    fn to_f64(self) -> f64;
    /// Narrows from `f64` (rounding to nearest for `f32`).
    fn from_f64(value: f64) -> Self;
}

impl RasterFloat for f64 {
    fn to_f64(self) -> f64 {
        self
    }
    fn from_f64(value: f64) -> Self {
        value
    }
}

impl RasterFloat for f32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[allow(clippy::cast_possible_truncation)]
    fn from_f64(value: f64) -> Self {
        value as f32
    }
}

/// One input of a raster function: a raster `(row, col)`, or a scalar
/// broadcast to the shape of the raster inputs.
///
/// Converts from `f64`/`f32`, `ArrayView2` and `&Array2`, so arguments can be
/// written as `0.6`, `bulk.view()` or `&bulk`.
#[derive(Debug, Clone)]
pub enum Field<'a, T> {
    /// The same value at every pixel.
    Scalar(T),
    /// One value per pixel.
    Raster(ArrayView2<'a, T>),
}

impl From<f64> for Field<'_, f64> {
    fn from(value: f64) -> Self {
        Field::Scalar(value)
    }
}

impl From<f32> for Field<'_, f32> {
    fn from(value: f32) -> Self {
        Field::Scalar(value)
    }
}

impl<'a, T> From<ArrayView2<'a, T>> for Field<'a, T> {
    fn from(view: ArrayView2<'a, T>) -> Self {
        Field::Raster(view)
    }
}

impl<'a, T> From<&'a Array2<T>> for Field<'a, T> {
    fn from(array: &'a Array2<T>) -> Self {
        Field::Raster(array.view())
    }
}

impl<T> Field<'_, T> {
    fn shape(&self) -> Option<(usize, usize)> {
        match self {
            Field::Scalar(_) => None,
            Field::Raster(a) => Some(a.dim()),
        }
    }
}

/// A row of one input: the broadcast scalar or the raster's row.
enum RowSource<'a, T> {
    Scalar(f64),
    Row(ArrayView1<'a, T>),
}

/// κ_t, κ_f and κ_f/κ_t rasters.
#[derive(Debug, Clone, PartialEq)]
pub struct ConductivityRasters<T> {
    /// κ_t, W m⁻¹ K⁻¹.
    pub thawed: Array2<T>,
    /// κ_f, W m⁻¹ K⁻¹.
    pub frozen: Array2<T>,
    /// κ_f/κ_t.
    pub ratio: Array2<T>,
}

/// Forward Stefan rasters.
#[derive(Debug, Clone, PartialEq)]
pub struct StefanRasters<T> {
    /// κ_t, W m⁻¹ K⁻¹.
    pub kappa_thawed: Array2<T>,
    /// Thaw depth Z, m.
    pub thaw_depth: Array2<T>,
    /// Seasonal subsidence d, m.
    pub subsidence: Array2<T>,
}

/// Inverse Stefan rasters.
#[derive(Debug, Clone, PartialEq)]
pub struct InversionRasters<T> {
    /// Thaw-season water content θ, m³ m⁻³.
    pub theta: Array2<T>,
    /// κ_t at θ, W m⁻¹ K⁻¹.
    pub kappa_thawed: Array2<T>,
    /// Thaw depth Z, m.
    pub thaw_depth: Array2<T>,
}

/// Applies `pixel` to every pixel of the broadcast inputs and gathers its `N`
/// outputs into `N` rasters.
fn map_pixels<T: RasterFloat, const K: usize, const N: usize>(
    function: &'static str,
    inputs: [(&'static str, Field<'_, T>); K],
    parallel: bool,
    pixel: impl Fn([f64; K]) -> Result<[f64; N]> + Sync,
) -> Result<[Array2<T>; N]> {
    let mut reference: Option<(&'static str, (usize, usize))> = None;
    for (name, field) in &inputs {
        if let Some(shape) = field.shape() {
            match reference {
                None => reference = Some((name, shape)),
                Some((ref_name, expected)) if expected != shape => {
                    return Err(Error::ShapeMismatch {
                        input: name,
                        found: shape,
                        reference: ref_name,
                        expected,
                    })
                }
                Some(_) => {}
            }
        }
    }
    let Some((_, (rows, cols))) = reference else {
        return Err(Error::NoRaster { function });
    };
    let mut out = vec![[T::from_f64(0.0); N]; rows * cols];
    if cols > 0 {
        let row_fn = |(r, chunk): (usize, &mut [[T; N]])| -> Result<()> {
            let sources = inputs.each_ref().map(|(_, field)| match field {
                Field::Scalar(v) => RowSource::Scalar(v.to_f64()),
                Field::Raster(a) => RowSource::Row(a.row(r)),
            });
            for (c, slot) in chunk.iter_mut().enumerate() {
                let x: [f64; K] = std::array::from_fn(|i| match &sources[i] {
                    RowSource::Scalar(v) => *v,
                    RowSource::Row(row) => row[c].to_f64(),
                });
                *slot = pixel(x).map_err(|e| e.at(r, c))?.map(T::from_f64);
            }
            Ok(())
        };
        let results: Vec<Result<()>> = if parallel && rows > 1 {
            out.par_chunks_mut(cols).enumerate().map(row_fn).collect()
        } else {
            out.chunks_mut(cols).enumerate().map(row_fn).collect()
        };
        // The first failing row in order, hence the first failing pixel.
        results.into_iter().collect::<Result<()>>()?;
    }
    Ok(std::array::from_fn(|i| {
        Array2::from_shape_fn((rows, cols), |(r, c)| out[r * cols + c][i])
    }))
}

impl Johansen {
    /// κ (W m⁻¹ K⁻¹) per pixel for one phase; see [`Johansen::conductivity`].
    ///
    /// # Errors
    /// [`Error::OutOfRange`] with the first offending `(row, col)`,
    /// [`Error::ShapeMismatch`], or [`Error::NoRaster`] when every input is a
    /// scalar.
    pub fn conductivity_raster<'a, T: RasterFloat>(
        &self,
        bulk_density: impl Into<Field<'a, T>>,
        sand: impl Into<Field<'a, T>>,
        theta: impl Into<Field<'a, T>>,
        phase: Phase,
    ) -> Result<Array2<T>> {
        let [kappa] = map_pixels(
            "conductivity_raster",
            [
                ("bulk_density", bulk_density.into()),
                ("sand", sand.into()),
                ("theta", theta.into()),
            ],
            self.params.parallel(),
            |[b, s, t]| Ok([self.conductivity(&Soil::new(b, s), t, phase)?]),
        )?;
        Ok(kappa)
    }

    /// κ_t, κ_f and κ_f/κ_t per pixel; see [`Johansen::conductivities`].
    ///
    /// # Errors
    /// As [`Johansen::conductivity_raster`].
    pub fn conductivities_raster<'a, T: RasterFloat>(
        &self,
        bulk_density: impl Into<Field<'a, T>>,
        sand: impl Into<Field<'a, T>>,
        theta_thaw: impl Into<Field<'a, T>>,
        theta_freeze: impl Into<Field<'a, T>>,
    ) -> Result<ConductivityRasters<T>> {
        let [thawed, frozen, ratio] = map_pixels(
            "conductivities_raster",
            [
                ("bulk_density", bulk_density.into()),
                ("sand", sand.into()),
                ("theta_thaw", theta_thaw.into()),
                ("theta_freeze", theta_freeze.into()),
            ],
            self.params.parallel(),
            |[b, s, tt, tf]| {
                let k = self.conductivities(&Soil::new(b, s), tt, tf)?;
                Ok([k.thawed, k.frozen, k.ratio])
            },
        )?;
        Ok(ConductivityRasters {
            thawed,
            frozen,
            ratio,
        })
    }

    /// Stefan thaw depth and subsidence per pixel; see [`Johansen::stefan`].
    ///
    /// # Errors
    /// As [`Johansen::conductivity_raster`], and DDT out of range.
    pub fn stefan_raster<'a, T: RasterFloat>(
        &self,
        bulk_density: impl Into<Field<'a, T>>,
        sand: impl Into<Field<'a, T>>,
        theta: impl Into<Field<'a, T>>,
        ddt: impl Into<Field<'a, T>>,
    ) -> Result<StefanRasters<T>> {
        let [kappa_thawed, thaw_depth, subsidence] = map_pixels(
            "stefan_raster",
            [
                ("bulk_density", bulk_density.into()),
                ("sand", sand.into()),
                ("theta", theta.into()),
                ("ddt", ddt.into()),
            ],
            self.params.parallel(),
            |[b, s, t, d]| {
                let x = self.stefan(&Soil::new(b, s), t, d)?;
                Ok([x.kappa_thawed, x.thaw_depth, x.subsidence])
            },
        )?;
        Ok(StefanRasters {
            kappa_thawed,
            thaw_depth,
            subsidence,
        })
    }

    /// θ, κ_t and thaw depth that explain a seasonal amplitude, per pixel;
    /// see [`Johansen::invert_subsidence`] (with
    /// [`OnNoSolution::Nan`](crate::OnNoSolution::Nan), unexplainable pixels
    /// become `NaN` instead of failing the call).
    ///
    /// # Errors
    /// As [`Johansen::invert_subsidence`], with the first offending
    /// `(row, col)`; [`Error::ShapeMismatch`]; [`Error::NoRaster`].
    pub fn invert_subsidence_raster<'a, T: RasterFloat>(
        &self,
        bulk_density: impl Into<Field<'a, T>>,
        sand: impl Into<Field<'a, T>>,
        amplitude: impl Into<Field<'a, T>>,
        ddt: impl Into<Field<'a, T>>,
    ) -> Result<InversionRasters<T>> {
        let [theta, kappa_thawed, thaw_depth] = map_pixels(
            "invert_subsidence_raster",
            [
                ("bulk_density", bulk_density.into()),
                ("sand", sand.into()),
                ("amplitude", amplitude.into()),
                ("ddt", ddt.into()),
            ],
            self.params.parallel(),
            |[b, s, a, d]| {
                let x = self.invert_subsidence(&Soil::new(b, s), a, d)?;
                Ok([x.theta, x.kappa_thawed, x.thaw_depth])
            },
        )?;
        Ok(InversionRasters {
            theta,
            kappa_thawed,
            thaw_depth,
        })
    }
}
