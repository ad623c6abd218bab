//! The normalised ERA5 field: values `(time, row, col)` on a [`Grid`] with
//! metadata.

use chrono::NaiveDateTime;
use ndarray::{Array2, Array3};

use crate::error::{Error, Result};
use crate::time::{self, TimeResolution};

/// Offset between kelvin and degrees Celsius.
pub const KELVIN_OFFSET: f64 = 273.15;

/// Horizontal coordinates of a field or a regridding target, in degrees.
///
/// Arrays on a grid have the spatial axes `(row, col)`:
/// * `Regular`: `row` follows `lat`, `col` follows `lon` (any monotonic
///   order; fields read by this crate have ascending latitude and longitude
///   in −180…180);
/// * `Curvilinear`: `lat` and `lon` are 2-D with the shape `(rows, cols)`;
/// * `Points`: a list of locations, stored as one row: `(1, n)`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Grid {
    /// A regular latitude/longitude grid.
    Regular {
        /// Cell-centre latitudes (degrees north), one per row.
        lat: Vec<f64>,
        /// Cell-centre longitudes (degrees east), one per column.
        lon: Vec<f64>,
    },
    /// A curvilinear grid: one latitude and longitude per cell.
    Curvilinear {
        /// Latitudes `(row, col)`.
        lat: Array2<f64>,
        /// Longitudes `(row, col)`.
        lon: Array2<f64>,
    },
    /// Arbitrary points (e.g. the locations of a point-series file).
    Points {
        /// Latitudes.
        lat: Vec<f64>,
        /// Longitudes.
        lon: Vec<f64>,
    },
}

impl Grid {
    /// A regular grid from cell-centre vectors.
    pub fn regular(lat: Vec<f64>, lon: Vec<f64>) -> Result<Self> {
        check_coords("lat", &lat)?;
        check_coords("lon", &lon)?;
        Ok(Grid::Regular { lat, lon })
    }

    /// A curvilinear grid from 2-D coordinate arrays of one shape.
    pub fn curvilinear(lat: Array2<f64>, lon: Array2<f64>) -> Result<Self> {
        if lat.dim() != lon.dim() {
            return Err(Error::shape("curvilinear lon", lat.shape(), lon.shape()));
        }
        Ok(Grid::Curvilinear { lat, lon })
    }

    /// A list of points.
    pub fn points(lat: Vec<f64>, lon: Vec<f64>) -> Result<Self> {
        if lat.len() != lon.len() {
            return Err(Error::shape("points lon", &[lat.len()], &[lon.len()]));
        }
        Ok(Grid::Points { lat, lon })
    }

    /// The grid of a north-up GeoTIFF in geographic coordinates (EPSG:4326)
    /// from its GDAL geotransform `[x0, dx, 0, y0, 0, dy]`: cell centres at
    /// `x0 + (j + ½)·dx`, `y0 + (i + ½)·dy` (so usually descending latitude).
    pub fn from_geotransform(gt: [f64; 6], rows: usize, cols: usize) -> Result<Self> {
        if gt[2] != 0.0 || gt[4] != 0.0 {
            return Err(Error::invalid_parameter(
                "geotransform",
                gt,
                "must be north-up (no rotation terms)",
            ));
        }
        let lon = (0..cols)
            .map(|j| gt[0] + (j as f64 + 0.5) * gt[1])
            .collect();
        let lat = (0..rows)
            .map(|i| gt[3] + (i as f64 + 0.5) * gt[5])
            .collect();
        Grid::regular(lat, lon)
    }

    /// The spatial shape `(rows, cols)` of arrays on this grid.
    pub fn shape(&self) -> (usize, usize) {
        match self {
            Grid::Regular { lat, lon } => (lat.len(), lon.len()),
            Grid::Curvilinear { lat, .. } => lat.dim(),
            Grid::Points { lat, .. } => (1, lat.len()),
        }
    }

    /// The grid of rows `rows` only (a point list has one row), e.g. the
    /// block a reader read with `reader::ReadOptions::with_rows`.
    pub fn rows(&self, rows: std::ops::Range<usize>) -> Result<Grid> {
        let n = self.shape().0;
        if rows.is_empty() || rows.end > n {
            return Err(Error::invalid_parameter(
                "rows",
                rows.clone(),
                format!("a non-empty range within the grid's {n} rows"),
            ));
        }
        Ok(match self {
            Grid::Regular { lat, lon } => Grid::Regular {
                lat: lat[rows].to_vec(),
                lon: lon.clone(),
            },
            Grid::Curvilinear { lat, lon } => Grid::Curvilinear {
                lat: lat.slice(ndarray::s![rows.clone(), ..]).to_owned(),
                lon: lon.slice(ndarray::s![rows, ..]).to_owned(),
            },
            Grid::Points { .. } => self.clone(),
        })
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        let (r, c) = self.shape();
        r * c
    }

    /// Whether the grid has no cell.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell centre `(lat, lon)` of cell `(row, col)`.
    pub fn centre(&self, row: usize, col: usize) -> (f64, f64) {
        match self {
            Grid::Regular { lat, lon } => (lat[row], lon[col]),
            Grid::Curvilinear { lat, lon } => (lat[[row, col]], lon[[row, col]]),
            Grid::Points { lat, lon } => (lat[col], lon[col]),
        }
    }

    /// All cell centres `(lat, lon)` in row-major order.
    pub fn centres(&self) -> Vec<(f64, f64)> {
        let (rows, cols) = self.shape();
        let mut out = Vec::with_capacity(rows * cols);
        for r in 0..rows {
            for c in 0..cols {
                out.push(self.centre(r, c));
            }
        }
        out
    }

    /// Whether two grids have the same kind, shape and coordinates within
    /// `tol` degrees (longitudes compared modulo 360).
    pub fn approx_eq(&self, other: &Grid, tol: f64) -> bool {
        let same_kind = matches!(
            (self, other),
            (Grid::Regular { .. }, Grid::Regular { .. })
                | (Grid::Curvilinear { .. }, Grid::Curvilinear { .. })
                | (Grid::Points { .. }, Grid::Points { .. })
        );
        if !same_kind || self.shape() != other.shape() {
            return false;
        }
        self.centres()
            .iter()
            .zip(other.centres())
            .all(|(&(la, lo), (lb, lob))| {
                let dlon = (lo - lob).rem_euclid(360.0);
                (la - lb).abs() <= tol && dlon.min(360.0 - dlon) <= tol
            })
    }
}

fn check_coords(name: &str, v: &[f64]) -> Result<()> {
    if let Some(i) = v.iter().position(|x| !x.is_finite()) {
        return Err(Error::invalid_parameter(
            "grid coordinates",
            format!("{name}[{i}] = {}", v[i]),
            "coordinates must be finite",
        ));
    }
    Ok(())
}

/// Whether a variable is an instantaneous state or a flux accumulated over
/// the forecast steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableKind {
    /// Instantaneous (or mean) state: temperatures, soil water, snow depth.
    Instantaneous,
    /// Accumulated quantity: precipitation, snowfall, runoff, radiation and
    /// heat fluxes (m, J m⁻²). See [`crate::accumulate`].
    Accumulated,
}

impl VariableKind {
    /// The kind of an ERA5 / ERA5-Land short name: the accumulated
    /// parameters (`tp`, `sf`, `ro`, `sro`, `ssro`, `e`, `es`, `evabs`,
    /// `evaow`, `evatc`, `evavt`, `pev`, `smlt`, `ssr`, `ssrd`, `str`,
    /// `strd`, `slhf`, `sshf`, `tisr`, `tsr`, `ttr`, `fdir`, `cdir`, `lsp`,
    /// `cp`, `lsf`, `csf`) are [`VariableKind::Accumulated`], everything
    /// else [`VariableKind::Instantaneous`].
    pub fn of(name: &str) -> Self {
        const ACCUMULATED: &[&str] = &[
            "tp", "sf", "ro", "sro", "ssro", "e", "es", "evabs", "evaow", "evatc", "evavt", "pev",
            "smlt", "ssr", "ssrd", "str", "strd", "slhf", "sshf", "tisr", "tsr", "ttr", "fdir",
            "cdir", "lsp", "cp", "lsf", "csf",
        ];
        if ACCUMULATED.contains(&name) {
            VariableKind::Accumulated
        } else {
            VariableKind::Instantaneous
        }
    }

    pub(crate) fn describe(&self) -> &'static str {
        match self {
            VariableKind::Instantaneous => "an instantaneous variable",
            VariableKind::Accumulated => "an accumulated variable",
        }
    }
}

/// One variable on a grid over time, normalised: values `(time, row, col)`
/// with strictly increasing `times` (UTC), temperatures in °C (units
/// `degC`), missing values `NaN`.
///
/// Fields read from files ([`crate::reader`]) have a [`Grid::Regular`] grid
/// with ascending latitude and ascending longitude in −180…180 (row 0 is the
/// southernmost row), or [`Grid::Points`] for point-series files.
#[derive(Debug, Clone, PartialEq)]
pub struct Era5Field {
    /// Short name (`t2m`, `skt`, `tp`, …).
    pub name: String,
    /// Long name (from the file's `long_name`), may be empty.
    pub long_name: String,
    /// Units after conversion (`degC` for temperatures read in K).
    pub units: String,
    /// Instantaneous or accumulated (from the short name by default).
    pub kind: VariableKind,
    /// Time stamps (UTC), strictly increasing.
    pub times: Vec<NaiveDateTime>,
    /// Horizontal coordinates.
    pub grid: Grid,
    /// Values `(time, row, col)`.
    pub data: Array3<f64>,
    /// Resolution of the stored values in `units` (the packing
    /// `scale_factor`, or the float32 rounding), 0 when exact; used as the
    /// tolerance when duplicate time steps are compared in a merge.
    pub quantum: f64,
    /// Where the values came from (file names), for messages.
    pub sources: Vec<String>,
}

impl Era5Field {
    /// A field from arrays. `data` must have the shape
    /// `(times.len(), grid rows, grid cols)` and `times` must be strictly
    /// increasing. The kind follows from the name ([`VariableKind::of`]);
    /// values are taken as given (convert temperatures to °C first, or see
    /// [`Era5Field::to_celsius`]).
    pub fn new(
        name: impl Into<String>,
        units: impl Into<String>,
        times: Vec<NaiveDateTime>,
        grid: Grid,
        data: Array3<f64>,
    ) -> Result<Self> {
        let name = name.into();
        let (rows, cols) = grid.shape();
        if data.dim() != (times.len(), rows, cols) {
            return Err(Error::shape(
                format!("data of `{name}`"),
                &[times.len(), rows, cols],
                data.shape(),
            ));
        }
        time::check_increasing(&name, &times)?;
        Ok(Era5Field {
            kind: VariableKind::of(&name),
            long_name: String::new(),
            units: units.into(),
            times,
            grid,
            data,
            quantum: 0.0,
            sources: Vec::new(),
            name,
        })
    }

    /// The same field with another kind (for variables not in the name
    /// table of [`VariableKind::of`]).
    #[must_use]
    pub fn with_kind(mut self, kind: VariableKind) -> Self {
        self.kind = kind;
        self
    }

    /// The same field with a long name.
    #[must_use]
    pub fn with_long_name(mut self, long_name: impl Into<String>) -> Self {
        self.long_name = long_name.into();
        self
    }

    /// The time resolution ([`time::resolution`]).
    pub fn resolution(&self) -> Result<TimeResolution> {
        time::resolution(&self.name, &self.times)
    }

    /// Whether the units are kelvin.
    pub fn is_kelvin(&self) -> bool {
        is_kelvin(&self.units)
    }

    /// Converts kelvin values to °C (units `degC`); other units unchanged.
    #[must_use]
    pub fn to_celsius(mut self) -> Self {
        if self.is_kelvin() {
            self.data.mapv_inplace(|x| x - KELVIN_OFFSET);
            self.units = "degC".to_string();
        }
        self
    }

    /// A short description of the sources for messages.
    pub(crate) fn source_label(&self) -> String {
        if self.sources.is_empty() {
            format!("`{}`", self.name)
        } else {
            self.sources.join(", ")
        }
    }
}

/// Whether a units string means kelvin.
pub(crate) fn is_kelvin(units: &str) -> bool {
    matches!(
        units.trim(),
        "K" | "k" | "kelvin" | "Kelvin" | "degK" | "deg K"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_shapes_and_equality() {
        let g = Grid::regular(vec![1.0, 2.0], vec![10.0, 11.0, 12.0]).unwrap();
        assert_eq!(g.shape(), (2, 3));
        assert_eq!(g.centre(1, 2), (2.0, 12.0));
        let h = Grid::regular(vec![1.0, 2.0], vec![370.0, 11.0, 12.0]).unwrap();
        assert!(g.approx_eq(&h, 1e-9));
        let p = Grid::points(vec![1.0, 2.0], vec![3.0, 4.0]).unwrap();
        assert_eq!(p.shape(), (1, 2));
        assert!(!g.approx_eq(&p, 1.0));
        let gt = Grid::from_geotransform([10.0, 0.5, 0.0, 60.0, 0.0, -0.5], 2, 2).unwrap();
        assert_eq!(gt.centre(1, 1), (59.25, 10.75));
    }

    #[test]
    fn kinds() {
        assert_eq!(VariableKind::of("tp"), VariableKind::Accumulated);
        assert_eq!(VariableKind::of("t2m"), VariableKind::Instantaneous);
    }
}
