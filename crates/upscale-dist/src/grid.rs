//! Longitude–latitude grids with arbitrary monotone cell edges, and the
//! geodesic kilometre grid of the upscaling study.
//!
//! A [`Grid`] is a rectilinear grid in longitude and latitude: `nx + 1`
//! strictly increasing longitude edges and `ny + 1` strictly increasing
//! latitude edges, in degrees. Cell `(iy, ix)` is the half-open box
//! `[lon_edges[ix], lon_edges[ix + 1]) × [lat_edges[iy], lat_edges[iy + 1])`
//! and has the flat index `iy * nx + ix`: **latitude outer, longitude
//! inner**, south to north and west to east, as S-UPSCALE's `create_km_grid`
//! listed its cells. Per-cell results of this crate are arrays in that flat
//! order; `array.into_shape_with_order(grid.shape())` gives the `(lat, lon)`
//! raster.

use geographiclib_rs::{DirectGeodesic, Geodesic};
use ndarray::{Array1, Array2};

use crate::error::{Error, Result};

/// A longitude–latitude box (degrees), `lon_min ≤ lon_max`,
/// `lat_min ≤ lat_max`, latitudes in \[−90, 90\].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    lon_min: f64,
    lon_max: f64,
    lat_min: f64,
    lat_max: f64,
}

impl BoundingBox {
    /// A box from its bounds; errors name the offending bound.
    pub fn new(lon_min: f64, lon_max: f64, lat_min: f64, lat_max: f64) -> Result<Self> {
        for (name, v) in [
            ("lon_min", lon_min),
            ("lon_max", lon_max),
            ("lat_min", lat_min),
            ("lat_max", lat_max),
        ] {
            if !v.is_finite() {
                return Err(Error::invalid_parameter(name, v, "must be finite"));
            }
        }
        for (name, v) in [("lat_min", lat_min), ("lat_max", lat_max)] {
            if !(-90.0..=90.0).contains(&v) {
                return Err(Error::invalid_parameter(name, v, "must lie in [-90, 90]"));
            }
        }
        if lon_min > lon_max {
            return Err(Error::invalid_parameter(
                "lon_max",
                lon_max,
                format!("must be ≥ lon_min = {lon_min}"),
            ));
        }
        if lat_min > lat_max {
            return Err(Error::invalid_parameter(
                "lat_max",
                lat_max,
                format!("must be ≥ lat_min = {lat_min}"),
            ));
        }
        Ok(BoundingBox {
            lon_min,
            lon_max,
            lat_min,
            lat_max,
        })
    }

    /// The box of scattered points: the extremes over the pairs
    /// `(lons[i], lats[i])` whose two coordinates are both finite.
    ///
    /// Errors: the slices differ in length; no pair is finite
    /// ([`Error::EmptyInput`]).
    pub fn from_points(lons: &[f64], lats: &[f64]) -> Result<Self> {
        if lats.len() != lons.len() {
            return Err(Error::length_mismatch(
                "lats",
                lats.len(),
                "lons",
                lons.len(),
            ));
        }
        let mut acc = Extent::default();
        let mut acc_lat = Extent::default();
        for (&lon, &lat) in lons.iter().zip(lats) {
            if lon.is_finite() && lat.is_finite() {
                acc.add(lon);
                acc_lat.add(lat);
            }
        }
        match (acc.get(), acc_lat.get()) {
            (Some((a, b)), Some((c, d))) => Self::new(a, b, c, d),
            _ => Err(Error::EmptyInput {
                input: "lons/lats",
                reason: format!(
                    "none of the {} coordinate pairs is finite, so there is no bounding box",
                    lons.len()
                ),
            }),
        }
    }

    /// The box of a regular raster given by its coordinate axes (one
    /// longitude per column, one latitude per row, in any order):
    /// the extremes of the finite values of each axis. This is the box of
    /// the full coordinate mesh (`numpy.meshgrid(lons, lats)`).
    pub fn from_axes(lons: &[f64], lats: &[f64]) -> Result<Self> {
        let ext = |input: &'static str, axis: &[f64]| {
            let mut e = Extent::default();
            axis.iter()
                .filter(|v| v.is_finite())
                .for_each(|&v| e.add(v));
            e.get().ok_or_else(|| Error::EmptyInput {
                input,
                reason: format!("none of its {} values is finite", axis.len()),
            })
        };
        let (a, b) = ext("lons", lons)?;
        let (c, d) = ext("lats", lats)?;
        Self::new(a, b, c, d)
    }

    /// Western bound, degrees.
    pub fn lon_min(&self) -> f64 {
        self.lon_min
    }
    /// Eastern bound, degrees.
    pub fn lon_max(&self) -> f64 {
        self.lon_max
    }
    /// Southern bound, degrees.
    pub fn lat_min(&self) -> f64 {
        self.lat_min
    }
    /// Northern bound, degrees.
    pub fn lat_max(&self) -> f64 {
        self.lat_max
    }
    /// The centre `(lon, lat)` = the midpoints of the bounds.
    pub fn centre(&self) -> (f64, f64) {
        (
            0.5 * (self.lon_min + self.lon_max),
            0.5 * (self.lat_min + self.lat_max),
        )
    }
}

#[derive(Default)]
struct Extent(Option<(f64, f64)>);

impl Extent {
    fn add(&mut self, v: f64) {
        self.0 = Some(match self.0 {
            None => (v, v),
            Some((a, b)) => (a.min(v), b.max(v)),
        });
    }
    fn get(&self) -> Option<(f64, f64)> {
        self.0
    }
}

/// Parameters of the geodesic kilometre grid, with defaults.
///
/// | parameter | default | setter |
/// |---|---|---|
/// | cell size | 10 km (S-UPSCALE) | [`new`](GeodesicGridParams::new) |
/// | reference point (meridian of the latitude steps, parallel of the longitude steps) | the box's centre | [`with_reference`](GeodesicGridParams::with_reference) |
/// | largest number of cells along one axis | 100 000 | [`with_max_cells_per_axis`](GeodesicGridParams::with_max_cells_per_axis) |
///
/// # How the box is covered
///
/// On the WGS84 ellipsoid ([`Geodesic::wgs84`], the direct problem of
/// Karney 2013):
///
/// * latitude edges: `e₀ = lat_min`; `eₖ₊₁` is the latitude reached by a
///   geodesic of `resolution_km` heading north (azimuth 0°) from
///   `(eₖ, lon_ref)`;
/// * longitude edges: `e₀ = lon_min`; `eₖ₊₁` is the longitude reached by a
///   geodesic of `resolution_km` heading east (azimuth 90°) from
///   `(lat_ref, eₖ)` (the longitude is unrolled, so edges may pass 180°);
/// * steps continue **while the last edge is ≤ the box's maximum**, so the
///   last edge is the first one strictly greater than the maximum. Every
///   point of the closed box then lies in exactly one half-open cell, the
///   maximum included. S-UPSCALE stepped while the edge was `<` the maximum;
///   the two rules differ only when a step lands exactly on the maximum (the
///   original then dropped the points on the maximum) or when the box is
///   degenerate (`min = max`: one cell here, none in the original).
///
/// The number of cells is `ceil`-like: a box 25 km wide at 10 km gives 3
/// cells whose last one reaches 5 km past the box.
///
/// ```
/// use upscale_dist::{BoundingBox, GeodesicGridParams};
/// let bbox = BoundingBox::new(-134.5, -133.5, 68.6, 69.0)?;
/// let grid = GeodesicGridParams::new(10.0).build(&bbox)?;
/// assert_eq!(grid.shape(), (5, 5)); // (lat, lon)
/// assert_eq!(grid.lat_edges()[0], 68.6);
/// assert!(grid.lat_edges()[5] > 69.0 && grid.lat_edges()[4] <= 69.0);
/// # Ok::<(), upscale_dist::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GeodesicGridParams {
    resolution_km: f64,
    reference: Option<(f64, f64)>,
    max_cells_per_axis: usize,
}

impl Default for GeodesicGridParams {
    fn default() -> Self {
        GeodesicGridParams {
            resolution_km: 10.0,
            reference: None,
            max_cells_per_axis: 100_000,
        }
    }
}

impl GeodesicGridParams {
    /// Cells of `resolution_km` kilometres (finite, > 0), other parameters
    /// at their defaults.
    pub fn new(resolution_km: f64) -> Self {
        GeodesicGridParams {
            resolution_km,
            ..Self::default()
        }
    }

    /// The reference point `(lon, lat)` in degrees: latitude steps run along
    /// the meridian `lon`, longitude steps along the parallel `lat` (|lat| <
    /// 90). S-UPSCALE used the mean of the data's coordinate mesh
    /// (`lon_mesh.mean()`, `lat_mesh.mean()`); for a full regular raster that
    /// is the mean of each axis, which is (up to rounding) the box's centre,
    /// the default.
    #[must_use]
    pub fn with_reference(mut self, lon: f64, lat: f64) -> Self {
        self.reference = Some((lon, lat));
        self
    }

    /// Largest number of cells along either axis (≥ 1); building a grid that
    /// needs more is an error rather than a runaway loop.
    #[must_use]
    pub fn with_max_cells_per_axis(mut self, max_cells: usize) -> Self {
        self.max_cells_per_axis = max_cells;
        self
    }

    /// The cell size, km.
    pub fn resolution_km(&self) -> f64 {
        self.resolution_km
    }

    /// Checks the parameters and builds the grid covering `bbox` (see the
    /// type's documentation for the exact rule).
    ///
    /// Errors: invalid parameters; a latitude step that would pass a pole
    /// ([`Error::GeodesicStep`]); a longitude step spanning 180° or more
    /// (steps of half a great circle); more than `max_cells_per_axis`
    /// cells.
    pub fn build(&self, bbox: &BoundingBox) -> Result<Grid> {
        let res = self.resolution_km;
        if !(res.is_finite() && res > 0.0) {
            return Err(Error::invalid_parameter(
                "resolution_km",
                res,
                "must be finite and > 0",
            ));
        }
        if self.max_cells_per_axis == 0 {
            return Err(Error::invalid_parameter(
                "max_cells_per_axis",
                self.max_cells_per_axis,
                "must be ≥ 1",
            ));
        }
        let (lon_ref, lat_ref) = self.reference.unwrap_or_else(|| bbox.centre());
        if !lon_ref.is_finite() {
            return Err(Error::invalid_parameter(
                "reference lon",
                lon_ref,
                "must be finite",
            ));
        }
        if !(lat_ref.is_finite() && lat_ref.abs() < 90.0) {
            return Err(Error::invalid_parameter(
                "reference lat",
                lat_ref,
                "must be finite with |lat| < 90",
            ));
        }
        let geod = Geodesic::wgs84();
        let s = res * 1000.0;
        let max_edges = self.max_cells_per_axis.saturating_add(1);

        // Rough cell counts (a degree is 110.6–111.7 km of meridian and
        // 111.3·cos φ km of parallel), to refuse hopeless grids before
        // stepping.
        let too_many = |axis: &'static str, from: f64, km: f64| -> Result<()> {
            let estimate = km / res;
            if estimate > 1.01 * self.max_cells_per_axis as f64 + 2.0 {
                return Err(Error::GeodesicStep {
                    axis,
                    resolution_km: res,
                    from,
                    reason: format!(
                        "covering the box needs about {estimate:.0} cells, more than \
                         max_cells_per_axis = {}",
                        self.max_cells_per_axis
                    ),
                });
            }
            Ok(())
        };
        too_many(
            "latitude",
            bbox.lat_min,
            (bbox.lat_max - bbox.lat_min) * 110.5,
        )?;
        too_many(
            "longitude",
            bbox.lon_min,
            (bbox.lon_max - bbox.lon_min) * 111.0 * lat_ref.to_radians().cos(),
        )?;
        let lon_edges = step_edges(
            "longitude",
            res,
            bbox.lon_min,
            bbox.lon_max,
            max_edges,
            |cur| {
                let (_lat2, lon2): (f64, f64) = geod.direct(lat_ref, cur, 90.0, s);
                // Unroll: the geodesic library returns longitudes in [-180, 180].
                let mut next = lon2;
                if next <= cur {
                    next += 360.0 * ((cur - next) / 360.0).floor() + 360.0;
                }
                if next - cur >= 180.0 || next <= cur {
                    Err(format!(
                    "the step spans {}° of longitude from latitude {lat_ref}°; a step must stay \
                     below 180°",
                    next - cur
                ))
                } else {
                    Ok(next)
                }
            },
        )?;
        let lat_edges = step_edges(
            "latitude",
            res,
            bbox.lat_min,
            bbox.lat_max,
            max_edges,
            |cur| {
                let (lat2, _lon2): (f64, f64) = geod.direct(cur, lon_ref, 0.0, s);
                if lat2 > cur {
                    Ok(lat2)
                } else {
                    Err("the step would pass the north pole".to_string())
                }
            },
        )?;
        Grid::from_edges(lon_edges, lat_edges)
    }
}

fn step_edges(
    axis: &'static str,
    resolution_km: f64,
    min: f64,
    max: f64,
    max_edges: usize,
    mut step: impl FnMut(f64) -> std::result::Result<f64, String>,
) -> Result<Vec<f64>> {
    let mut edges = vec![min];
    let mut cur = min;
    while cur <= max {
        if edges.len() >= max_edges {
            return Err(Error::GeodesicStep {
                axis,
                resolution_km,
                from: cur,
                reason: format!(
                    "covering [{min}, {max}] needs more than {} cells (max_cells_per_axis)",
                    max_edges - 1
                ),
            });
        }
        cur = step(cur).map_err(|reason| Error::GeodesicStep {
            axis,
            resolution_km,
            from: cur,
            reason,
        })?;
        edges.push(cur);
    }
    Ok(edges)
}

/// Finds the cell of a coordinate along one axis: a guess from the mean
/// spacing, corrected by a few steps, with a binary search as fallback.
#[derive(Debug, Clone, PartialEq)]
struct AxisLocator {
    first: f64,
    last: f64,
    inv_step: f64,
    n: usize,
}

impl AxisLocator {
    fn new(edges: &[f64]) -> Self {
        let n = edges.len() - 1;
        let first = edges[0];
        let last = edges[n];
        AxisLocator {
            first,
            last,
            inv_step: n as f64 / (last - first),
            n,
        }
    }

    #[inline(always)]
    fn locate(&self, edges: &[f64], x: f64) -> Option<usize> {
        // NaN fails both comparisons.
        if !(x >= self.first && x < self.last) {
            return None;
        }
        // Invariant from here: edges[0] <= x < edges[n], so the corrections
        // below stay in bounds.
        // The guess is ≥ 0; the u32 cast saturates (n ≤ MAX_CELLS < 2³²).
        let g = (((x - self.first) * self.inv_step) as u32 as usize).min(self.n - 1);
        if x < edges[g] {
            if g >= 1 && x >= edges[g - 1] {
                return Some(g - 1);
            }
        } else if x < edges[g + 1] {
            return Some(g);
        } else if g + 2 <= self.n && x < edges[g + 2] {
            return Some(g + 1);
        }
        Some(edges.partition_point(|&e| e <= x) - 1)
    }
}

/// A rectilinear longitude–latitude grid (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    lon_edges: Vec<f64>,
    lat_edges: Vec<f64>,
    lon_loc: AxisLocator,
    lat_loc: AxisLocator,
}

/// One cell of a [`Grid`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Flat index `iy * nx + ix`.
    pub index: usize,
    /// Longitude index.
    pub ix: usize,
    /// Latitude index.
    pub iy: usize,
    /// Western edge (inclusive), degrees.
    pub lon_min: f64,
    /// Eastern edge (exclusive), degrees.
    pub lon_max: f64,
    /// Southern edge (inclusive), degrees.
    pub lat_min: f64,
    /// Northern edge (exclusive), degrees.
    pub lat_max: f64,
}

impl Cell {
    /// The cell's centre `(lon, lat)`: the midpoints of its edges.
    pub fn centre(&self) -> (f64, f64) {
        (
            0.5 * (self.lon_min + self.lon_max),
            0.5 * (self.lat_min + self.lat_max),
        )
    }
}

/// Largest number of cells a grid may have (cell indices are stored as `u32`
/// while binning, with one value reserved).
pub const MAX_CELLS: usize = (u32::MAX - 1) as usize;

impl Grid {
    /// A grid from arbitrary cell edges (degrees): each axis needs at least
    /// two finite, strictly increasing edges. This is how a facade builds an
    /// equal-area or any other grid whose cells are rectangles in
    /// longitude–latitude. Longitudes are not wrapped: points must use the
    /// same longitude convention as the edges.
    pub fn from_edges(lon_edges: Vec<f64>, lat_edges: Vec<f64>) -> Result<Self> {
        check_edges("longitude", &lon_edges)?;
        check_edges("latitude", &lat_edges)?;
        let n = (lon_edges.len() - 1).checked_mul(lat_edges.len() - 1);
        match n {
            Some(n) if n <= MAX_CELLS => {}
            _ => {
                return Err(Error::invalid_parameter(
                    "lon_edges/lat_edges",
                    (lon_edges.len() - 1, lat_edges.len() - 1),
                    format!("the grid may have at most {MAX_CELLS} cells"),
                ))
            }
        }
        Ok(Grid {
            lon_loc: AxisLocator::new(&lon_edges),
            lat_loc: AxisLocator::new(&lat_edges),
            lon_edges,
            lat_edges,
        })
    }

    /// Number of cells along longitude.
    pub fn nx(&self) -> usize {
        self.lon_edges.len() - 1
    }

    /// Number of cells along latitude.
    pub fn ny(&self) -> usize {
        self.lat_edges.len() - 1
    }

    /// Number of cells, `nx * ny`.
    pub fn n_cells(&self) -> usize {
        self.nx() * self.ny()
    }

    /// `(ny, nx)`: the shape of a per-cell array seen as a `(lat, lon)` raster.
    pub fn shape(&self) -> (usize, usize) {
        (self.ny(), self.nx())
    }

    /// The `nx + 1` longitude edges, degrees, increasing.
    pub fn lon_edges(&self) -> &[f64] {
        &self.lon_edges
    }

    /// The `ny + 1` latitude edges, degrees, increasing (south to north).
    pub fn lat_edges(&self) -> &[f64] {
        &self.lat_edges
    }

    /// The `nx` longitude centres (midpoints of the edges), degrees.
    pub fn lon_centres(&self) -> Array1<f64> {
        midpoints(&self.lon_edges)
    }

    /// The `ny` latitude centres (midpoints of the edges), degrees.
    pub fn lat_centres(&self) -> Array1<f64> {
        midpoints(&self.lat_edges)
    }

    /// CF bounds of the longitude axis, shape `(nx, 2)`: `[west, east]`.
    pub fn lon_bounds(&self) -> Array2<f64> {
        bounds(&self.lon_edges)
    }

    /// CF bounds of the latitude axis, shape `(ny, 2)`: `[south, north]`.
    pub fn lat_bounds(&self) -> Array2<f64> {
        bounds(&self.lat_edges)
    }

    /// The centres as two `(ny, nx)` arrays `(lon, lat)`, the 2-D
    /// coordinates of a curvilinear description of the same grid.
    pub fn centres_2d(&self) -> (Array2<f64>, Array2<f64>) {
        let lon = self.lon_centres();
        let lat = self.lat_centres();
        let shape = self.shape();
        (
            Array2::from_shape_fn(shape, |(_, ix)| lon[ix]),
            Array2::from_shape_fn(shape, |(iy, _)| lat[iy]),
        )
    }

    /// The longitude cell of `lon`: `ix` with `lon_edges[ix] ≤ lon <
    /// lon_edges[ix + 1]`, `None` outside the grid or for `NaN`.
    #[inline(always)]
    pub fn locate_lon(&self, lon: f64) -> Option<usize> {
        self.lon_loc.locate(&self.lon_edges, lon)
    }

    /// The latitude cell of `lat` (half-open like [`Grid::locate_lon`]).
    #[inline(always)]
    pub fn locate_lat(&self, lat: f64) -> Option<usize> {
        self.lat_loc.locate(&self.lat_edges, lat)
    }

    /// The flat cell index `iy * nx + ix` of a point, `None` when it lies
    /// outside the grid (the last edge of each axis is exclusive) or has a
    /// non-finite coordinate.
    #[inline(always)]
    pub fn locate(&self, lon: f64, lat: f64) -> Option<usize> {
        let ix = self.locate_lon(lon)?;
        let iy = self.locate_lat(lat)?;
        Some(iy * self.nx() + ix)
    }

    /// The cell with flat index `index` (panics when `index ≥ n_cells`).
    pub fn cell(&self, index: usize) -> Cell {
        assert!(
            index < self.n_cells(),
            "cell index {index} out of range for a grid of {} cells",
            self.n_cells()
        );
        let nx = self.nx();
        let (iy, ix) = (index / nx, index % nx);
        Cell {
            index,
            ix,
            iy,
            lon_min: self.lon_edges[ix],
            lon_max: self.lon_edges[ix + 1],
            lat_min: self.lat_edges[iy],
            lat_max: self.lat_edges[iy + 1],
        }
    }

    /// All cells in flat order (latitude outer, longitude inner): the list
    /// S-UPSCALE's `create_km_grid` returned as
    /// `(lon_start, lon_end, lat_start, lat_end)` tuples.
    pub fn cells(&self) -> impl ExactSizeIterator<Item = Cell> + '_ {
        (0..self.n_cells()).map(|i| self.cell(i))
    }
}

fn check_edges(axis: &'static str, edges: &[f64]) -> Result<()> {
    if edges.len() < 2 {
        return Err(Error::InvalidEdges {
            axis,
            index: edges.len(),
            value: f64::NAN,
            expected: format!("at least 2 edges are needed, {} given", edges.len()),
        });
    }
    for (i, &e) in edges.iter().enumerate() {
        if !e.is_finite() {
            return Err(Error::InvalidEdges {
                axis,
                index: i,
                value: e,
                expected: "edges must be finite".into(),
            });
        }
        if axis == "latitude" && !(-90.0..=90.0).contains(&e) {
            return Err(Error::InvalidEdges {
                axis,
                index: i,
                value: e,
                expected: "latitude edges must lie in [-90, 90]".into(),
            });
        }
        if i > 0 && e <= edges[i - 1] {
            return Err(Error::InvalidEdges {
                axis,
                index: i,
                value: e,
                expected: format!(
                    "edges must be strictly increasing (previous edge {})",
                    edges[i - 1]
                ),
            });
        }
    }
    Ok(())
}

fn midpoints(edges: &[f64]) -> Array1<f64> {
    edges.windows(2).map(|w| 0.5 * (w[0] + w[1])).collect()
}

fn bounds(edges: &[f64]) -> Array2<f64> {
    let n = edges.len() - 1;
    Array2::from_shape_fn((n, 2), |(i, j)| edges[i + j])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locator_matches_binary_search_on_irregular_edges() {
        let edges = vec![0.0, 0.1, 0.15, 3.0, 3.01, 3.02, 10.0];
        let grid = Grid::from_edges(edges.clone(), vec![0.0, 1.0]).unwrap();
        let mut x = -1.0;
        while x < 11.0 {
            let expect = if (0.0..10.0).contains(&x) {
                Some(edges.partition_point(|&e| e <= x) - 1)
            } else {
                None
            };
            assert_eq!(grid.locate_lon(x), expect, "x = {x}");
            x += 0.001;
        }
        for (i, &e) in edges[..edges.len() - 1].iter().enumerate() {
            assert_eq!(grid.locate_lon(e), Some(i));
        }
        assert_eq!(grid.locate_lon(10.0), None);
        assert_eq!(grid.locate_lon(f64::NAN), None);
    }
}
