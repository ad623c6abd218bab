//! Aggregation of a fine field to the cells of a coarse [`Grid`]: cell
//! mean, inverse-distance weighting of the k nearest points (`cdo
//! remapdis`), or nearest point (`cdo remapnn`).
//!
//! Missing source values are the non-finite ones and, when a
//! [`PointFilter`] is set, the values it rejects (use
//! [`PointFilter::default`] for products whose fill value is 0).
//!
//! Inverse-distance and nearest follow CDO's rules:
//!
//! * the target points are the cell centres (midpoints of the edges, the
//!   `xvals`/`yvals` of [`crate::griddes`]);
//! * distances are great-circle angles on the sphere (haversine), the same
//!   for every target;
//! * the k nearest source points are searched among **all** source points
//!   with finite coordinates (ties to the smaller source index), **then**
//!   missing ones are removed: a target next to a gap gets fewer than k
//!   neighbours, and `NaN` when all k are missing;
//! * weights are `1/d`, normalised; a neighbour at zero distance gives its
//!   value exactly (CDO uses a tiny distance instead, to the same effect).

use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;

use crate::binning::Value;
use crate::error::{Error, Result};
use crate::filter::PointFilter;
use crate::grid::Grid;
use crate::knn::{central_angle, Best, KdTree, RasterAxes};

/// How fine values become a cell value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// Mean of the source values whose points lie in the cell (half-open
    /// like [`Grid::locate`]); `NaN` for a cell without any.
    CellMean,
    /// Inverse-distance weighted mean of the `neighbours` nearest source
    /// points of the cell centre (`cdo remapdis`; CDO's default is 4).
    InverseDistance {
        /// Number of neighbours k (1–64).
        neighbours: usize,
    },
    /// Value of the nearest source point of the cell centre (`cdo
    /// remapnn`); `NaN` when that point is missing.
    Nearest,
}

impl Aggregation {
    /// `cdo remapdis`: inverse distance over the 4 nearest points (what
    /// S-UPSCALE used for the 10 km deformation fields).
    pub const REMAPDIS: Aggregation = Aggregation::InverseDistance { neighbours: 4 };
}

/// Parameters of the aggregation, with defaults.
///
/// | parameter | default | setter |
/// |---|---|---|
/// | method | [`Aggregation::REMAPDIS`] (k = 4) | [`with_method`](AggregationParams::with_method) |
/// | filter marking missing values | none (only non-finite values are missing) | [`with_filter`](AggregationParams::with_filter) |
///
/// ```
/// use ndarray::array;
/// use upscale_dist::{Aggregation, AggregationParams, Grid};
/// let grid = Grid::from_edges(vec![0.0, 2.0], vec![0.0, 2.0])?;
/// let lons = [0.5, 1.5];
/// let lats = [0.5, 1.5];
/// let v = array![[1.0, 2.0], [3.0, f64::NAN]];
/// let mean = AggregationParams::new()
///     .with_method(Aggregation::CellMean)
///     .build()?
///     .aggregate_raster(&grid, &lons, &lats, v.view())?;
/// assert_eq!(mean[[0, 0]], 2.0);
/// // Three equidistant neighbours (the fourth is missing): their mean.
/// let idw = AggregationParams::new().build()?.aggregate_raster(&grid, &lons, &lats, v.view())?;
/// assert!((idw[[0, 0]] - 2.0).abs() < 1e-3);
/// # Ok::<(), upscale_dist::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AggregationParams {
    method: Aggregation,
    filter: Option<PointFilter>,
}

impl Default for AggregationParams {
    fn default() -> Self {
        AggregationParams {
            method: Aggregation::REMAPDIS,
            filter: None,
        }
    }
}

impl AggregationParams {
    /// The defaults (see the table).
    pub fn new() -> Self {
        Self::default()
    }

    /// The method.
    #[must_use]
    pub fn with_method(mut self, method: Aggregation) -> Self {
        self.method = method;
        self
    }

    /// Values this filter rejects count as missing.
    #[must_use]
    pub fn with_filter(mut self, filter: Option<PointFilter>) -> Self {
        self.filter = filter;
        self
    }

    /// Checks the parameters (`neighbours` in 1–64).
    pub fn build(&self) -> Result<Aggregator> {
        if let Aggregation::InverseDistance { neighbours } = self.method {
            if !(1..=64).contains(&neighbours) {
                return Err(Error::invalid_parameter(
                    "neighbours",
                    neighbours,
                    "must lie in [1, 64]",
                ));
            }
        }
        Ok(Aggregator {
            method: self.method,
            filter: self.filter,
        })
    }
}

/// Checked aggregation parameters (from [`AggregationParams::build`]).
///
/// Outputs are `(ny, nx)` arrays, `(lat, lon)` from south-west, whose
/// row-major order is the grid's flat cell order. Targets are independent,
/// so rayon's thread count never changes a result.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregator {
    method: Aggregation,
    filter: Option<PointFilter>,
}

impl Aggregator {
    /// The method.
    pub fn method(&self) -> Aggregation {
        self.method
    }

    fn value(&self, v: f64) -> f64 {
        match self.filter {
            Some(f) if !f.keeps(v) => f64::NAN,
            _ if v.is_finite() => v,
            _ => f64::NAN,
        }
    }

    /// Aggregates a regular raster: `values` with axes `(row, col)`, `lons`
    /// one longitude per column and `lats` one latitude per row (pixel
    /// centres, each axis finite and strictly monotone, either direction).
    ///
    /// Errors: axis lengths differ from the raster's shape; an axis is not
    /// finite and strictly monotone; an empty raster.
    pub fn aggregate_raster<T: Value>(
        &self,
        grid: &Grid,
        lons: &[f64],
        lats: &[f64],
        values: ArrayView2<'_, T>,
    ) -> Result<Array2<f64>> {
        let (nrows, ncols) = values.dim();
        if lons.len() != ncols {
            return Err(Error::length_mismatch(
                "lons",
                lons.len(),
                "values (columns)",
                ncols,
            ));
        }
        if lats.len() != nrows {
            return Err(Error::length_mismatch(
                "lats",
                lats.len(),
                "values (rows)",
                nrows,
            ));
        }
        if nrows == 0 || ncols == 0 {
            return Err(Error::EmptyInput {
                input: "values",
                reason: format!("the raster has shape ({nrows}, {ncols})"),
            });
        }
        check_monotone("lons", lons)?;
        check_monotone("lats", lats)?;
        let value_at = |idx: usize| self.value(values[[idx / ncols, idx % ncols]].into());
        match self.method {
            Aggregation::CellMean => Ok(self.mean_raster(grid, lons, lats, values)),
            Aggregation::InverseDistance { neighbours } => {
                let axes = RasterAxes::new(lons, lats);
                Ok(per_target(
                    grid,
                    neighbours,
                    |lon, lat, best| axes.search(lon, lat, best),
                    |best| idw(best, &value_at),
                ))
            }
            Aggregation::Nearest => {
                let axes = RasterAxes::new(lons, lats);
                Ok(per_target(
                    grid,
                    1,
                    |lon, lat, best| axes.search(lon, lat, best),
                    |best| best.items().first().map_or(f64::NAN, |&(_, i)| value_at(i)),
                ))
            }
        }
    }

    /// Aggregates scattered points `(lons[i], lats[i], values[i])`. Points
    /// with a non-finite coordinate take no part.
    ///
    /// Errors: lengths differ.
    pub fn aggregate_points<T: Value>(
        &self,
        grid: &Grid,
        lons: &[f64],
        lats: &[f64],
        values: &[T],
    ) -> Result<Array2<f64>> {
        if lats.len() != lons.len() {
            return Err(Error::length_mismatch(
                "lats",
                lats.len(),
                "lons",
                lons.len(),
            ));
        }
        if values.len() != lons.len() {
            return Err(Error::length_mismatch(
                "values",
                values.len(),
                "lons",
                lons.len(),
            ));
        }
        let value_at = |i: usize| self.value(values[i].into());
        let tree = || {
            KdTree::new(
                lons.iter()
                    .zip(lats)
                    .enumerate()
                    .filter(|(_, (lo, la))| lo.is_finite() && la.is_finite())
                    .map(|(i, (&lo, &la))| (lo, la, i))
                    .collect(),
            )
        };
        match self.method {
            Aggregation::CellMean => {
                let mut acc = vec![MeanAcc::default(); grid.n_cells()];
                for (i, (&lon, &lat)) in lons.iter().zip(lats).enumerate() {
                    let v = value_at(i);
                    if v.is_nan() {
                        continue;
                    }
                    if let Some(c) = grid.locate(lon, lat) {
                        acc[c].add(v);
                    }
                }
                Ok(
                    Array2::from_shape_vec(grid.shape(), acc.iter().map(MeanAcc::mean).collect())
                        .expect("one value per cell"),
                )
            }
            Aggregation::InverseDistance { neighbours } => {
                let t = tree();
                Ok(per_target(
                    grid,
                    neighbours,
                    |lon, lat, best| t.search(lon, lat, best),
                    |best| idw(best, &value_at),
                ))
            }
            Aggregation::Nearest => {
                let t = tree();
                Ok(per_target(
                    grid,
                    1,
                    |lon, lat, best| t.search(lon, lat, best),
                    |best| best.items().first().map_or(f64::NAN, |&(_, i)| value_at(i)),
                ))
            }
        }
    }

    fn mean_raster<T: Value>(
        &self,
        grid: &Grid,
        lons: &[f64],
        lats: &[f64],
        values: ArrayView2<'_, T>,
    ) -> Array2<f64> {
        let (ny, nx) = grid.shape();
        let ix: Vec<Option<usize>> = lons.iter().map(|&l| grid.locate_lon(l)).collect();
        let mut rows_of: Vec<Vec<usize>> = vec![Vec::new(); ny];
        for (r, &lat) in lats.iter().enumerate() {
            if let Some(iy) = grid.locate_lat(lat) {
                rows_of[iy].push(r);
            }
        }
        let flat: Vec<f64> = rows_of
            .par_iter()
            .flat_map_iter(|rows| {
                let mut acc = vec![MeanAcc::default(); nx];
                for &r in rows {
                    for (c, &v) in values.row(r).iter().enumerate() {
                        let v = self.value(v.into());
                        if let (Some(x), false) = (ix[c], v.is_nan()) {
                            acc[x].add(v);
                        }
                    }
                }
                acc.into_iter().map(|a| a.mean())
            })
            .collect();
        Array2::from_shape_vec((ny, nx), flat).expect("one value per cell")
    }
}

/// Runs a neighbour search and a reduction for every cell centre.
fn per_target(
    grid: &Grid,
    k: usize,
    search: impl Fn(f64, f64, &mut Best) + Sync,
    reduce: impl Fn(&Best) -> f64 + Sync,
) -> Array2<f64> {
    let lon_c = grid.lon_centres();
    let lat_c = grid.lat_centres();
    let nx = grid.nx();
    let flat: Vec<f64> = (0..grid.n_cells())
        .into_par_iter()
        .map_init(
            || Best::new(k),
            |best, cell| {
                search(lon_c[cell % nx], lat_c[cell / nx], best);
                reduce(best)
            },
        )
        .collect();
    Array2::from_shape_vec(grid.shape(), flat).expect("one value per cell")
}

/// Inverse-distance weighted mean of the non-missing neighbours, in rank
/// order; a zero distance takes that value.
fn idw(best: &Best, value_at: &impl Fn(usize) -> f64) -> f64 {
    let mut num = 0.0;
    let mut den = 0.0;
    for &(hav, i) in best.items() {
        let v = value_at(i);
        if v.is_nan() {
            continue;
        }
        if hav == 0.0 {
            return v;
        }
        let w = 1.0 / central_angle(hav);
        num += w * v;
        den += w;
    }
    if den > 0.0 {
        num / den
    } else {
        f64::NAN
    }
}

/// Neumaier-compensated sum and count.
#[derive(Debug, Clone, Copy, Default)]
struct MeanAcc {
    sum: f64,
    comp: f64,
    n: u64,
}

impl MeanAcc {
    fn add(&mut self, v: f64) {
        let t = self.sum + v;
        if self.sum.abs() >= v.abs() {
            self.comp += (self.sum - t) + v;
        } else {
            self.comp += (v - t) + self.sum;
        }
        self.sum = t;
        self.n += 1;
    }

    fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            (self.sum + self.comp) / self.n as f64
        }
    }
}

fn check_monotone(input: &'static str, axis: &[f64]) -> Result<()> {
    if let Some(i) = axis.iter().position(|v| !v.is_finite()) {
        return Err(Error::NonMonotoneAxis {
            input,
            index: i,
            value: axis[i],
        });
    }
    if axis.len() < 2 {
        return Ok(());
    }
    let ascending = axis[1] > axis[0];
    for i in 1..axis.len() {
        let ok = if ascending {
            axis[i] > axis[i - 1]
        } else {
            axis[i] < axis[i - 1]
        };
        if !ok {
            return Err(Error::NonMonotoneAxis {
                input,
                index: i,
                value: axis[i],
            });
        }
    }
    Ok(())
}
