//! Reading ERA5 / ERA5-Land NetCDF files into normalised [`Era5Field`]s
//! (feature `netcdf`).
//!
//! What is accepted:
//! * the older CDS layout (`time` as hours since 1900-01-01, values packed as
//!   `short` with `scale_factor`/`add_offset`, `_FillValue`/`missing_value`),
//!   the newer one (`valid_time` as seconds since 1970-01-01, float32, scalar
//!   `number` and `expver` coordinates), any `<unit> since <date>` time
//!   (days, hours, minutes, seconds; standard/gregorian/proleptic calendars)
//!   and integer `YYYYMMDD` `date` axes;
//! * any dimension order (e.g. `(latitude, longitude, time)` or the point
//!   series `(locations, time)`), regular grids (1-D `latitude`/`longitude`),
//!   point series (1-D `lat`/`lon` over one `locations` dimension) and
//!   curvilinear grids (2-D `lat`/`lon`);
//! * extra dimensions of length 1 (`number`, `expver`, `step`, …) are
//!   dropped; an `expver` dimension longer than 1 (ERA5 and ERA5T in one
//!   file) is combined by taking, per value, the first non-missing version.
//!
//! What comes out (see [`Era5Field`]): values `(time, row, col)` in `f64`
//! with missing values `NaN`, times sorted (unordered files are sorted,
//! identical duplicate steps kept once, conflicting ones refused), regular
//! grids with ascending latitude and ascending longitude in −180…180, and
//! temperatures (units `K`) in °C (units `degC`).
//!
//! netCDF-C probes netCDF-4 files for optional attributes, and HDF5's
//! default error handler prints those failed probes to stderr
//! (`HDF5-DIAG … can't locate attribute`); they are harmless. A program that
//! links HDF5 can silence them before reading (the facade does, with
//! `hdf5::silence_errors`).
//!
//! ```no_run
//! use era5_forcing::reader::{read_fields, ReadOptions};
//! use era5_forcing::DailyParams;
//!
//! // Two months of hourly ERA5-Land downloads, in any order.
//! let files = ["era5land_2019-05.nc", "era5land_2019-04.nc"];
//! let skt = read_fields(&files, "skt", &ReadOptions::new())?;
//! let dd = skt.daily_degree_days(&DailyParams::new())?;
//! println!("{} days, thawing degree days of the first: {}", dd.dates.len(), dd.thawing[[0, 0, 0]]);
//! # Ok::<(), era5_forcing::Error>(())
//! ```

use std::path::Path;

use chrono::NaiveDateTime;
use ndarray::{Array3, ArrayD, Axis, IxDyn};
use netcdf::types::{FloatType, NcVariableType};
use netcdf::AttributeValue;

use crate::cf_time::{check_calendar, decode_yyyymmdd, TimeUnits};
use crate::error::{Error, Result};
use crate::field::{is_kelvin, Era5Field, Grid, VariableKind, KELVIN_OFFSET};
use crate::merge::{merge_chunks, Chunk, GRID_TOLERANCE_DEG};

/// Options of the readers.
///
/// | option | default | meaning |
/// |---|---|---|
/// | `to_celsius` | true | convert variables in `K` to °C (`degC`) |
/// | `duplicate_atol` | 0 | extra tolerance when duplicate time steps are compared (the packing resolution of either file is always allowed) |
/// | `rows` | all | read only these rows of the normalised grid ([`ReadOptions::with_rows`]) |
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    to_celsius: bool,
    duplicate_atol: f64,
    rows: Option<std::ops::Range<usize>>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            to_celsius: true,
            duplicate_atol: 0.0,
            rows: None,
        }
    }
}

impl ReadOptions {
    /// The defaults (see the table above).
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether to convert kelvin to °C.
    #[must_use]
    pub fn with_to_celsius(mut self, yes: bool) -> Self {
        self.to_celsius = yes;
        self
    }

    /// Extra absolute tolerance for duplicate time steps (≥ 0).
    #[must_use]
    pub fn with_duplicate_atol(mut self, atol: f64) -> Self {
        self.duplicate_atol = atol;
        self
    }

    /// Reads only rows `rows` of the grid as it comes out (ascending
    /// latitude for regular grids, the `y` rows of curvilinear grids; a point
    /// list has one row), so that large files can be processed in blocks of
    /// latitude rows with bounded memory. The values and the grid are those
    /// rows of a whole read, bit for bit.
    #[must_use]
    pub fn with_rows(mut self, rows: std::ops::Range<usize>) -> Self {
        self.rows = Some(rows);
        self
    }

    /// Validates the options.
    pub fn build(self) -> Result<Self> {
        if !(self.duplicate_atol >= 0.0 && self.duplicate_atol.is_finite()) {
            return Err(Error::invalid_parameter(
                "duplicate_atol",
                self.duplicate_atol,
                "must be finite and ≥ 0",
            ));
        }
        Ok(self)
    }
}

/// A data variable of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct VariableInfo {
    /// Name.
    pub name: String,
    /// `long_name` attribute (empty if none).
    pub long_name: String,
    /// `units` attribute (empty if none).
    pub units: String,
    /// Dimension names in storage order.
    pub dims: Vec<String>,
}

fn io_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn format_err(path: &Path, variable: &str, message: impl Into<String>) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        variable: variable.to_string(),
        message: message.into(),
    }
}

fn open(path: &Path) -> Result<netcdf::File> {
    if !path.exists() {
        return Err(io_err(path, "no such file"));
    }
    netcdf::open(path).map_err(|e| io_err(path, format!("cannot open as NetCDF: {e}")))
}

fn numbers(v: AttributeValue) -> Option<Vec<f64>> {
    use AttributeValue as A;
    Some(match v {
        A::Uchar(x) => vec![f64::from(x)],
        A::Uchars(x) => x.into_iter().map(f64::from).collect(),
        A::Schar(x) => vec![f64::from(x)],
        A::Schars(x) => x.into_iter().map(f64::from).collect(),
        A::Ushort(x) => vec![f64::from(x)],
        A::Ushorts(x) => x.into_iter().map(f64::from).collect(),
        A::Short(x) => vec![f64::from(x)],
        A::Shorts(x) => x.into_iter().map(f64::from).collect(),
        A::Uint(x) => vec![f64::from(x)],
        A::Uints(x) => x.into_iter().map(f64::from).collect(),
        A::Int(x) => vec![f64::from(x)],
        A::Ints(x) => x.into_iter().map(f64::from).collect(),
        A::Ulonglong(x) => vec![x as f64],
        A::Ulonglongs(x) => x.into_iter().map(|y| y as f64).collect(),
        A::Longlong(x) => vec![x as f64],
        A::Longlongs(x) => x.into_iter().map(|y| y as f64).collect(),
        A::Float(x) => vec![f64::from(x)],
        A::Floats(x) => x.into_iter().map(f64::from).collect(),
        A::Double(x) => vec![x],
        A::Doubles(x) => x,
        A::Str(_) | A::Strs(_) => return None,
    })
}

/// The value of an attribute, looked up among the variable's attributes
/// (asking netCDF-4 for a missing one makes HDF5 print diagnostics).
fn attr_value(var: &netcdf::Variable<'_>, name: &str) -> Option<AttributeValue> {
    var.attributes().find(|a| a.name() == name)?.value().ok()
}

fn attr_numbers(var: &netcdf::Variable<'_>, name: &str) -> Option<Vec<f64>> {
    attr_value(var, name).and_then(numbers)
}

fn attr_text(var: &netcdf::Variable<'_>, name: &str) -> Option<String> {
    match attr_value(var, name)? {
        AttributeValue::Str(s) => Some(s),
        AttributeValue::Strs(s) => Some(s.join(" ")),
        _ => None,
    }
}

fn is_numeric(t: &NcVariableType) -> bool {
    matches!(t, NcVariableType::Int(_) | NcVariableType::Float(_))
}

fn dim_names(var: &netcdf::Variable<'_>) -> Vec<String> {
    var.dimensions().iter().map(|d| d.name()).collect()
}

/// Whether a variable looks like a time coordinate.
fn is_time_like(var: &netcdf::Variable<'_>) -> bool {
    let name = var.name();
    attr_text(var, "units").is_some_and(|u| u.contains(" since "))
        || matches!(name.as_str(), "time" | "valid_time" | "date")
}

/// The data variables of a file: numeric, not a dimension's coordinate,
/// with a time-like dimension among theirs.
pub fn list_variables(path: impl AsRef<Path>) -> Result<Vec<VariableInfo>> {
    let path = path.as_ref();
    let file = open(path)?;
    Ok(data_variables(&file))
}

fn data_variables(file: &netcdf::File) -> Vec<VariableInfo> {
    let time_dims: Vec<String> = file
        .variables()
        .filter(|v| v.dimensions().len() == 1 && is_time_like(v))
        .map(|v| v.dimensions()[0].name())
        .collect();
    file.variables()
        .filter(|v| is_numeric(&v.vartype()))
        .filter(|v| file.dimension(&v.name()).is_none())
        .filter(|v| !is_time_like(v))
        .filter(|v| dim_names(v).iter().any(|d| time_dims.contains(d)))
        .map(|v| VariableInfo {
            name: v.name(),
            long_name: attr_text(&v, "long_name").unwrap_or_default(),
            units: attr_text(&v, "units").unwrap_or_default(),
            dims: dim_names(&v),
        })
        .collect()
}

/// One file's values before sorting along time.
struct RawField {
    times: Vec<NaiveDateTime>,
    grid: Grid,
    data: Array3<f64>,
    units: String,
    long_name: String,
    quantum: f64,
}

/// Reads `variable` from one file with the default [`ReadOptions`].
pub fn read_field(path: impl AsRef<Path>, variable: &str) -> Result<Era5Field> {
    read_fields(&[path.as_ref()], variable, &ReadOptions::default())
}

/// Reads `variable` from several files (or one) and merges them along time
/// like `cdo mergetime` (see [`crate::merge::merge_time`]); the files may
/// come in any order, overlap, and mix the two layouts, but must share the
/// grid and the units.
pub fn read_fields<P: AsRef<Path>>(
    paths: &[P],
    variable: &str,
    options: &ReadOptions,
) -> Result<Era5Field> {
    let options = options.clone().build()?;
    if paths.is_empty() {
        return Err(Error::Empty {
            input: format!("list of files to read `{variable}` from"),
        });
    }
    let raws: Vec<RawField> = paths
        .iter()
        .map(|p| read_raw(p.as_ref(), variable, &options))
        .collect::<Result<_>>()?;
    let labels: Vec<String> = paths
        .iter()
        .map(|p| p.as_ref().display().to_string())
        .collect();
    for (i, r) in raws.iter().enumerate().skip(1) {
        if !r.grid.approx_eq(&raws[0].grid, GRID_TOLERANCE_DEG) {
            return Err(Error::Mismatch {
                context: format!("merging `{variable}`"),
                detail: format!(
                    "the grid of {} differs from that of {}",
                    labels[i], labels[0]
                ),
            });
        }
        if r.units != raws[0].units {
            return Err(Error::Mismatch {
                context: format!("merging `{variable}`"),
                detail: format!(
                    "units `{}` in {} but `{}` in {}",
                    r.units, labels[i], raws[0].units, labels[0]
                ),
            });
        }
    }
    let chunks: Vec<Chunk<'_>> = raws
        .iter()
        .zip(&labels)
        .map(|(r, l)| Chunk {
            times: &r.times,
            data: &r.data,
            quantum: r.quantum,
            source: l.clone(),
        })
        .collect();
    let (times, data) = merge_chunks(variable, &chunks, options.duplicate_atol)?;
    let first = &raws[0];
    Ok(Era5Field {
        name: variable.to_string(),
        long_name: first.long_name.clone(),
        units: first.units.clone(),
        kind: VariableKind::of(variable),
        times,
        grid: first.grid.clone(),
        data,
        quantum: raws.iter().map(|r| r.quantum).fold(0.0, f64::max),
        sources: labels,
    })
}

/// Reads several variables from the same files (e.g. `skt`, `stl1`, `sd`
/// for the period products).
pub fn read_variables<P: AsRef<Path>>(
    paths: &[P],
    variables: &[&str],
    options: &ReadOptions,
) -> Result<Vec<Era5Field>> {
    variables
        .iter()
        .map(|v| read_fields(paths, v, options))
        .collect()
}

/// CF decoding of raw values: fill and missing values and values outside
/// the valid range (compared in packed units) become `NaN`, then
/// `scale_factor` and `add_offset` apply.
fn cf_decode(var: &netcdf::Variable<'_>, raw: &mut ArrayD<f64>) -> f64 {
    let is_f32 = matches!(var.vartype(), NcVariableType::Float(FloatType::F32));
    let mut missing: Vec<f64> = Vec::new();
    for key in ["_FillValue", "missing_value"] {
        missing.extend(attr_numbers(var, key).unwrap_or_default());
    }
    let (mut lo, mut hi) = (
        attr_numbers(var, "valid_min").and_then(|v| v.first().copied()),
        attr_numbers(var, "valid_max").and_then(|v| v.first().copied()),
    );
    if let Some(r) = attr_numbers(var, "valid_range") {
        if r.len() == 2 {
            lo = Some(r[0]);
            hi = Some(r[1]);
        }
    }
    let scale = attr_numbers(var, "scale_factor").and_then(|v| v.first().copied());
    let offset = attr_numbers(var, "add_offset").and_then(|v| v.first().copied());
    let same = |x: f64, m: f64| {
        x == m || (m.is_nan() && x.is_nan()) || (is_f32 && (x as f32) == (m as f32))
    };
    raw.mapv_inplace(|x| {
        let bad = missing.iter().any(|&m| same(x, m))
            || lo.is_some_and(|l| x < l)
            || hi.is_some_and(|h| x > h);
        if bad {
            f64::NAN
        } else {
            x * scale.unwrap_or(1.0) + offset.unwrap_or(0.0)
        }
    });
    match scale {
        Some(s) => s.abs(),
        None if is_f32 => {
            let m = raw
                .iter()
                .filter(|x| x.is_finite())
                .fold(0.0f64, |a, &x| a.max(x.abs()));
            m * f64::from(f32::EPSILON)
        }
        None => 0.0,
    }
}

/// The time coordinate over dimension `dim`, decoded, if it is one.
fn time_of_dim(
    path: &Path,
    file: &netcdf::File,
    dim: &str,
) -> Result<Option<(String, Vec<NaiveDateTime>)>> {
    let mut cands: Vec<netcdf::Variable<'_>> = Vec::new();
    if let Some(v) = file.variable(dim) {
        if v.dimensions().len() == 1 {
            cands.push(v);
        }
    }
    for v in file.variables() {
        if v.name() != dim
            && v.dimensions().len() == 1
            && v.dimensions()[0].name() == dim
            && is_time_like(&v)
        {
            cands.push(v);
        }
    }
    for v in cands {
        let name = v.name();
        if !is_numeric(&v.vartype()) {
            continue;
        }
        let units = attr_text(&v, "units").unwrap_or_default();
        let values: Vec<f64> = v
            .get_values::<f64, _>(..)
            .map_err(|e| format_err(path, &name, format!("cannot read values: {e}")))?;
        if units.contains(" since ") {
            if let Some(cal) = attr_text(&v, "calendar") {
                check_calendar(&cal).map_err(|m| format_err(path, &name, m))?;
            }
            let tu = TimeUnits::parse(&units).map_err(|m| format_err(path, &name, m))?;
            let times = values
                .iter()
                .enumerate()
                .map(|(i, &x)| {
                    tu.decode(x).ok_or_else(|| {
                        format_err(
                            path,
                            &name,
                            format!("time value {x} at index {i} cannot be decoded"),
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            return Ok(Some((name, times)));
        }
        if matches!(name.as_str(), "date" | "time" | "valid_time") {
            let times: Option<Vec<_>> = values.iter().map(|&x| decode_yyyymmdd(x)).collect();
            if let Some(times) = times {
                return Ok(Some((name, times)));
            }
            return Err(format_err(
                path,
                &name,
                format!("time axis with units `{units}` is neither `<unit> since <date>` nor integer YYYYMMDD"),
            ));
        }
    }
    Ok(None)
}

fn find_coord(
    file: &netcdf::File,
    standard: &str,
    names: &[&str],
    units: &[&str],
) -> Option<String> {
    for n in names {
        if file.variable(n).is_some() {
            return Some((*n).to_string());
        }
    }
    file.variables()
        .find(|v| {
            attr_text(v, "standard_name").as_deref() == Some(standard)
                || attr_text(v, "units").is_some_and(|u| units.contains(&u.as_str()))
        })
        .map(|v| v.name())
}

fn read_coord(path: &Path, file: &netcdf::File, name: &str) -> Result<(Vec<String>, ArrayD<f64>)> {
    let v = file
        .variable(name)
        .ok_or_else(|| format_err(path, name, "coordinate variable vanished"))?;
    let mut data: ArrayD<f64> = v
        .get::<f64, _>(..)
        .map_err(|e| format_err(path, name, format!("cannot read values: {e}")))?;
    cf_decode(&v, &mut data);
    if matches!(v.vartype(), NcVariableType::Float(FloatType::F32)) {
        // float32 coordinates (older layout): the decimal value they were
        // written from, so that 268.2f32 reads as 268.2 and not 268.20001.
        data.mapv_inplace(|x| (x as f32).to_string().parse().unwrap_or(x));
    }
    Ok((dim_names(&v), data))
}

/// Spatial layout found for a variable.
enum Layout {
    Regular {
        lat_dim: String,
        lon_dim: String,
        lat: Vec<f64>,
        lon: Vec<f64>,
    },
    Points {
        dim: String,
        lat: Vec<f64>,
        lon: Vec<f64>,
    },
    Curvilinear {
        y: String,
        x: String,
        lat: ndarray::Array2<f64>,
        lon: ndarray::Array2<f64>,
    },
}

fn layout(path: &Path, file: &netcdf::File, variable: &str, dims: &[String]) -> Result<Layout> {
    let lat = find_coord(
        file,
        "latitude",
        &["latitude", "lat", "nav_lat"],
        &["degrees_north", "degree_north"],
    );
    let lon = find_coord(
        file,
        "longitude",
        &["longitude", "lon", "nav_lon"],
        &["degrees_east", "degree_east"],
    );
    let (Some(lat), Some(lon)) = (lat, lon) else {
        return Err(format_err(
            path,
            variable,
            "no latitude/longitude coordinates in the file",
        ));
    };
    let (lat_dims, lat_v) = read_coord(path, file, &lat)?;
    let (lon_dims, lon_v) = read_coord(path, file, &lon)?;
    let in_var = |d: &[String]| d.iter().all(|x| dims.contains(x));
    if !in_var(&lat_dims) || !in_var(&lon_dims) {
        return Err(format_err(
            path,
            variable,
            format!("its dimensions {dims:?} do not include those of `{lat}` {lat_dims:?} and `{lon}` {lon_dims:?}"),
        ));
    }
    match (lat_dims.len(), lon_dims.len()) {
        (1, 1) if lat_dims != lon_dims => Ok(Layout::Regular {
            lat_dim: lat_dims[0].clone(),
            lon_dim: lon_dims[0].clone(),
            lat: lat_v.iter().copied().collect(),
            lon: lon_v.iter().copied().collect(),
        }),
        (1, 1) => Ok(Layout::Points {
            dim: lat_dims[0].clone(),
            lat: lat_v.iter().copied().collect(),
            lon: lon_v.iter().copied().collect(),
        }),
        (2, 2) if lat_dims == lon_dims => {
            let to2 = |a: ArrayD<f64>, n: &str| {
                a.into_dimensionality::<ndarray::Ix2>()
                    .map_err(|e| format_err(path, n, e.to_string()))
            };
            Ok(Layout::Curvilinear {
                y: lat_dims[0].clone(),
                x: lat_dims[1].clone(),
                lat: to2(lat_v, &lat)?,
                lon: to2(lon_v, &lon)?,
            })
        }
        _ => Err(format_err(
            path,
            variable,
            format!("unsupported coordinates `{lat}` {lat_dims:?} / `{lon}` {lon_dims:?}"),
        )),
    }
}

/// Maps a longitude to −180…180 (180 becomes −180), rounded to 1e-10°
/// so that 268.2 maps to −91.8 exactly.
fn normalise_lon(x: f64) -> f64 {
    (((x + 180.0).rem_euclid(360.0) - 180.0) * 1e10).round() / 1e10
}

fn read_raw(path: &Path, variable: &str, options: &ReadOptions) -> Result<RawField> {
    let file = open(path)?;
    let Some(var) = file.variable(variable) else {
        return Err(Error::MissingVariable {
            path: path.to_path_buf(),
            variable: variable.to_string(),
            available: data_variables(&file).into_iter().map(|v| v.name).collect(),
        });
    };
    if !is_numeric(&var.vartype()) {
        return Err(format_err(path, variable, "is not numeric"));
    }
    let dims = dim_names(&var);
    let mut time: Option<(usize, Vec<NaiveDateTime>)> = None;
    for (i, d) in dims.iter().enumerate() {
        if let Some((_, t)) = time_of_dim(path, &file, d)? {
            time = Some((i, t));
            break;
        }
    }
    let Some((t_axis, times)) = time else {
        return Err(format_err(
            path,
            variable,
            format!("none of its dimensions {dims:?} has a time coordinate"),
        ));
    };
    let lay = layout(path, &file, variable, &dims)?;
    let normal = normalise(path, &lay)?;
    let n_rows = normal.grid.shape().0;
    let rows = options.rows.clone().unwrap_or(0..n_rows);
    if rows.is_empty() || rows.end > n_rows {
        return Err(format_err(
            path,
            variable,
            format!(
                "rows {}..{} requested, the grid has {n_rows}",
                rows.start, rows.end
            ),
        ));
    }
    // The file rows of the requested output rows.
    let file_rows: Vec<usize> = match &normal.lat_order {
        Some(order) => order[rows.clone()].to_vec(),
        None => rows.clone().collect(),
    };
    let pos = |d: &str| dims.iter().position(|x| x == d).unwrap_or(usize::MAX);
    let (a_axis, b_axis) = match &lay {
        Layout::Regular {
            lat_dim, lon_dim, ..
        } => (Some(pos(lat_dim)), pos(lon_dim)),
        Layout::Points { dim, .. } => (None, pos(dim)),
        Layout::Curvilinear { y, x, .. } => (Some(pos(y)), pos(x)),
    };
    if a_axis == Some(t_axis) || b_axis == t_axis {
        return Err(format_err(
            path,
            variable,
            "the time dimension is also a spatial one",
        ));
    }
    // Only the span of file rows needed is read.
    let lo = file_rows.iter().copied().min().unwrap_or(0);
    let hi = file_rows.iter().copied().max().map_or(0, |m| m + 1);
    let extents: Vec<netcdf::Extent> = (0..dims.len())
        .map(|i| {
            if Some(i) == a_axis {
                netcdf::Extent::from(lo..hi)
            } else {
                netcdf::Extent::from(..)
            }
        })
        .collect();
    let mut data: ArrayD<f64> = var
        .get::<f64, _>(extents)
        .map_err(|e| format_err(path, variable, format!("cannot read values: {e}")))?;
    let mut quantum = cf_decode(&var, &mut data);
    // Axes: time, [a], b, then the extra dimensions.
    let mut order = vec![t_axis];
    order.extend(a_axis);
    order.push(b_axis);
    let extras: Vec<usize> = (0..dims.len()).filter(|i| !order.contains(i)).collect();
    order.extend(&extras);
    let mut data = data.permuted_axes(IxDyn(&order));
    for &e in extras.iter().rev() {
        let ax = Axis(data.ndim() - 1);
        let len = data.len_of(ax);
        let name = &dims[e];
        data = if len == 1 {
            data.index_axis_move(ax, 0)
        } else if name == "expver" {
            data.map_axis(ax, |v| {
                v.iter().copied().find(|x| !x.is_nan()).unwrap_or(f64::NAN)
            })
        } else {
            return Err(format_err(
                path,
                variable,
                format!("dimension `{name}` has length {len}; only length 1 (or `expver`) is supported — select one first"),
            ));
        };
    }
    if a_axis.is_none() {
        data.insert_axis_inplace(Axis(1));
    }
    let mut data: Array3<f64> = data
        .into_dimensionality::<ndarray::Ix3>()
        .map_err(|e| format_err(path, variable, e.to_string()))?
        .as_standard_layout()
        .into_owned();
    let sel: Vec<usize> = file_rows.iter().map(|&f| f - lo).collect();
    if sel.iter().enumerate().any(|(i, &k)| i != k) || sel.len() != data.len_of(Axis(1)) {
        data = data.select(Axis(1), &sel);
    }
    if let Some(order) = &normal.lon_order {
        data = data.select(Axis(2), order);
    }
    let grid = if rows.len() == n_rows {
        normal.grid
    } else {
        normal.grid.rows(rows)?
    };
    let mut units = attr_text(&var, "units").unwrap_or_default();
    if options.to_celsius && is_kelvin(&units) {
        data.mapv_inplace(|x| x - KELVIN_OFFSET);
        units = "degC".to_string();
    }
    if !quantum.is_finite() {
        quantum = 0.0;
    }
    Ok(RawField {
        times,
        grid,
        data,
        units,
        long_name: attr_text(&var, "long_name").unwrap_or_default(),
        quantum,
    })
}

/// A layout's grid as the reader returns it, with the permutations that
/// take file rows and columns there (`None`: the identity).
struct Normalised {
    grid: Grid,
    lat_order: Option<Vec<usize>>,
    lon_order: Option<Vec<usize>>,
}

fn normalise(path: &Path, lay: &Layout) -> Result<Normalised> {
    let identity = |o: Vec<usize>| (o.iter().enumerate().any(|(i, &k)| i != k)).then_some(o);
    Ok(match lay {
        Layout::Regular { lat, lon, .. } => {
            let lon: Vec<f64> = lon.iter().copied().map(normalise_lon).collect();
            let lat_order = argsort(lat);
            let lon_order = argsort(&lon);
            for w in lon_order.windows(2) {
                if (lon[w[1]] - lon[w[0]]).abs() < 1e-9 {
                    return Err(format_err(
                        path,
                        "longitude",
                        format!(
                            "duplicate longitude {} after mapping to −180…180",
                            lon[w[0]]
                        ),
                    ));
                }
            }
            let grid = Grid::regular(
                lat_order.iter().map(|&i| lat[i]).collect(),
                lon_order.iter().map(|&i| lon[i]).collect(),
            )
            .map_err(|e| format_err(path, "latitude/longitude", e.to_string()))?;
            Normalised {
                grid,
                lat_order: identity(lat_order),
                lon_order: identity(lon_order),
            }
        }
        Layout::Points { lat, lon, .. } => Normalised {
            grid: Grid::points(
                lat.clone(),
                lon.iter().copied().map(normalise_lon).collect(),
            )?,
            lat_order: None,
            lon_order: None,
        },
        Layout::Curvilinear { lat, lon, .. } => Normalised {
            grid: Grid::curvilinear(lat.clone(), lon.mapv(normalise_lon))?,
            lat_order: None,
            lon_order: None,
        },
    })
}

/// The grid `variable` of `path` comes out on (ascending latitude, longitude
/// in −180…180), read from the coordinates only: e.g. to plan blocks of
/// rows for [`ReadOptions::with_rows`].
pub fn read_grid(path: impl AsRef<Path>, variable: &str) -> Result<Grid> {
    let path = path.as_ref();
    let file = open(path)?;
    let Some(var) = file.variable(variable) else {
        return Err(Error::MissingVariable {
            path: path.to_path_buf(),
            variable: variable.to_string(),
            available: data_variables(&file).into_iter().map(|v| v.name).collect(),
        });
    };
    let dims = dim_names(&var);
    let lay = layout(path, &file, variable, &dims)?;
    Ok(normalise(path, &lay)?.grid)
}

fn argsort(v: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]).then(a.cmp(&b)));
    idx
}
