//! The equal-area alternative to the geodesic km grid of `upscale`
//! (`SCIENCE.md` §5), through PROJ (via GDAL's `OGRCoordinateTransformation`).
//!
//! Cells are squares of `resolution_km × resolution_km` in **EPSG:6933**
//! (WGS 84 / NSIDC EASE-Grid 2.0 Global, a cylindrical equal-area
//! projection with standard parallels ±30°). The projected x depends only on
//! the longitude and y only on the latitude, so the cells are rectilinear in
//! longitude–latitude: the grid is an [`upscale::Grid`](crate::upscale::Grid)
//! with the inverse-projected edges, and the algorithm crate stays free of
//! PROJ. Every cell has the same area on the WGS84 ellipsoid,
//! `resolution_km²` (the projection is authalic); the price is shape: at
//! 67° N a "10 km" cell is about 4.5 km wide and 22 km tall.
//!
//! The edges follow the covering rule of the geodesic grid: the first edge
//! at the box's minimum (in projected metres), then steps of
//! `resolution_km` until an edge lies strictly beyond the maximum.
//!
//! ```
//! use permafrost_insar::equal_area::equal_area_grid;
//! use permafrost_insar::upscale::BoundingBox;
//!
//! let bbox = BoundingBox::new(-150.0, -149.0, 63.5, 64.0)?;
//! let grid = equal_area_grid(&bbox, 10.0)?;
//! assert!(grid.lon_edges()[0] == -150.0 && grid.lat_edges()[0] == 63.5);
//! assert!(*grid.lon_edges().last().unwrap() > -149.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};

use crate::upscale::{BoundingBox, Grid};
use crate::{Error, Result};

/// EPSG code of the equal-area projection.
pub const EQUAL_AREA_EPSG: u32 = 6933;

/// Largest number of cells along one axis (as the geodesic grid's default).
pub const MAX_CELLS_PER_AXIS: usize = 100_000;

/// Latitude limit of EPSG:6933's area of use (degrees).
pub const EQUAL_AREA_MAX_LAT: f64 = 86.0;

fn srs(epsg: u32) -> Result<SpatialRef> {
    let mut s = SpatialRef::from_epsg(epsg)
        .map_err(|e| Error::Invalid(format!("EPSG:{epsg} is not available from PROJ: {e}")))?;
    s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    Ok(s)
}

/// Forward (`lon/lat → x/y` metres) and inverse transformations between
/// WGS84 and EPSG:6933.
pub struct EqualAreaProjection {
    forward: CoordTransform,
    inverse: CoordTransform,
}

impl EqualAreaProjection {
    /// Builds both transformations through PROJ.
    pub fn new() -> Result<Self> {
        let (wgs, ea) = (srs(4326)?, srs(EQUAL_AREA_EPSG)?);
        let forward = CoordTransform::new(&wgs, &ea)
            .map_err(|e| Error::Invalid(format!("EPSG:4326 → EPSG:6933: {e}")))?;
        let inverse = CoordTransform::new(&ea, &wgs)
            .map_err(|e| Error::Invalid(format!("EPSG:6933 → EPSG:4326: {e}")))?;
        Ok(Self { forward, inverse })
    }

    /// Projects longitudes/latitudes (degrees) to x/y (metres), in place.
    pub fn forward(&self, lon: &mut [f64], lat: &mut [f64]) -> Result<()> {
        let mut z = vec![0.0; lon.len()];
        self.forward
            .transform_coords(lon, lat, &mut z)
            .map_err(|e| Error::Invalid(format!("projecting to EPSG:6933: {e}")))
    }

    /// Inverse-projects x/y (metres) to longitudes/latitudes, in place.
    pub fn inverse(&self, x: &mut [f64], y: &mut [f64]) -> Result<()> {
        let mut z = vec![0.0; x.len()];
        self.inverse
            .transform_coords(x, y, &mut z)
            .map_err(|e| Error::Invalid(format!("inverse projection from EPSG:6933: {e}")))
    }
}

/// Projected edges from `lo`, stepping `step` until one lies strictly
/// beyond `hi`.
fn covering_edges(lo: f64, hi: f64, step: f64, axis: &str) -> Result<Vec<f64>> {
    let n = ((hi - lo) / step).floor() + 1.0;
    if n.is_nan() || n > MAX_CELLS_PER_AXIS as f64 {
        return Err(Error::Invalid(format!(
            "equal-area grid: {n} cells along {axis} (more than {MAX_CELLS_PER_AXIS}); use a coarser --resolution-km"
        )));
    }
    Ok((0..=n as usize).map(|k| lo + k as f64 * step).collect())
}

/// The equal-area grid of `resolution_km` cells covering `bbox` (see the
/// module docs). Errors: a resolution that is not positive and finite, a box
/// beyond ±86° latitude, a grid whose last edge passes 180° E, too many
/// cells.
pub fn equal_area_grid(bbox: &BoundingBox, resolution_km: f64) -> Result<Grid> {
    if !(resolution_km.is_finite() && resolution_km > 0.0) {
        return Err(Error::Invalid(format!(
            "equal-area grid: resolution_km must be positive and finite, got {resolution_km}"
        )));
    }
    if bbox.lat_min() < -EQUAL_AREA_MAX_LAT || bbox.lat_max() > EQUAL_AREA_MAX_LAT {
        return Err(Error::Invalid(format!(
            "equal-area grid: latitudes {}..{} leave EPSG:6933's area of use (±{EQUAL_AREA_MAX_LAT}°)",
            bbox.lat_min(),
            bbox.lat_max()
        )));
    }
    let p = EqualAreaProjection::new()?;
    let (lon_c, lat_c) = bbox.centre();
    let mut lon = [bbox.lon_min(), bbox.lon_max(), lon_c, lon_c];
    let mut lat = [lat_c, lat_c, bbox.lat_min(), bbox.lat_max()];
    p.forward(&mut lon, &mut lat)?;
    let step = resolution_km * 1000.0;
    let mut xs = covering_edges(lon[0], lon[1], step, "longitude")?;
    let mut ys = covering_edges(lat[2], lat[3], step, "latitude")?;
    // x depends only on the longitude and y only on the latitude.
    let (x_mid, y_mid) = (lon[2], lat[0]);
    let mut y_for_x = vec![y_mid; xs.len()];
    p.inverse(&mut xs, &mut y_for_x)?;
    let mut x_for_y = vec![x_mid; ys.len()];
    p.inverse(&mut x_for_y, &mut ys)?;
    let (mut lon_edges, mut lat_edges) = (xs, ys);
    // The first edges are the box's own minima (not their round trip).
    lon_edges[0] = bbox.lon_min();
    lat_edges[0] = bbox.lat_min();
    if lon_edges.iter().any(|x| !x.is_finite() || *x > 180.0) {
        return Err(Error::Invalid(format!(
            "equal-area grid: the cells from longitude {} pass 180° E",
            bbox.lon_min()
        )));
    }
    if lat_edges.iter().any(|y| !y.is_finite()) {
        return Err(Error::Invalid(
            "equal-area grid: the cells pass the pole".into(),
        ));
    }
    Grid::from_edges(lon_edges, lat_edges)
        .map_err(|e| Error::Invalid(format!("equal-area grid: {e}")))
}
