//! NetCDF (3 and 4) reading with CF decoding, and CF-NetCDF writing.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDateTime;
use ndarray::ArrayD;

use super::atomic::write_atomically;
use super::attr::AttrValue;
use super::cf_time::{check_calendar, decode_yyyymmdd, TimeUnits};
use crate::error::{Error, Result};

/// A variable read with CF decoding: fill and missing values and values
/// outside `valid_range` become `NaN`, packed values are unpacked with
/// `scale_factor` and `add_offset`.
#[derive(Debug, Clone)]
pub struct CfVariable {
    /// Variable name.
    pub name: String,
    /// Dimension names, in storage order.
    pub dims: Vec<String>,
    /// Decoded values, shape = the dimension lengths.
    pub data: ArrayD<f64>,
    /// The variable's attributes as stored.
    pub attributes: BTreeMap<String, AttrValue>,
}

impl CfVariable {
    /// The `units` attribute, if any.
    pub fn units(&self) -> Option<&str> {
        self.attributes.get("units").and_then(AttrValue::as_text)
    }
}

/// A decoded time coordinate.
#[derive(Debug, Clone)]
pub struct TimeAxis {
    /// The coordinate variable (`time`, `valid_time`, `date`, …).
    pub variable: String,
    /// Its units as stored (`YYYYMMDD` for integer date axes).
    pub units: String,
    /// The instants, UTC.
    pub values: Vec<NaiveDateTime>,
}

/// Latitude and longitude coordinates of a grid.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum LatLon {
    /// A regular grid: 1-D latitude and longitude vectors.
    Regular {
        /// Latitudes (degrees north), in storage order.
        lat: Vec<f64>,
        /// Longitudes (degrees east), in storage order.
        lon: Vec<f64>,
    },
    /// A curvilinear grid (or a list of locations): 2-D (or 1-D paired) arrays.
    Curvilinear {
        /// Latitudes, same shape as `lon`.
        lat: ArrayD<f64>,
        /// Longitudes.
        lon: ArrayD<f64>,
    },
}

pub(crate) fn open(path: &Path) -> Result<netcdf::File> {
    if !path.exists() {
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        ));
    }
    super::nc3_header::check_length(path)?;
    quiet_hdf5();
    netcdf::open(path).map_err(|e| Error::format(path, format!("cannot open as NetCDF: {e}")))
}

/// netCDF-4 goes through HDF5, whose default error handler prints diagnostic
/// stacks to stderr even for the library's own probing; errors reach us
/// through return codes instead. Set per call because the handler may be
/// per thread.
pub fn quiet_hdf5() {
    hdf5::silence_errors(true);
}

/// Names of the variables in a NetCDF file, in file order.
pub fn variable_names(path: &Path) -> Result<Vec<String>> {
    let file = open(path)?;
    Ok(file.variables().map(|v| v.name()).collect())
}

pub(crate) fn attributes_of<'a>(
    attrs: impl Iterator<Item = netcdf::Attribute<'a>>,
) -> BTreeMap<String, AttrValue> {
    attrs
        .filter_map(|a| {
            let value = a.value().ok()?;
            Some((a.name().to_string(), convert_attr(value)))
        })
        .collect()
}

fn convert_attr(v: netcdf::AttributeValue) -> AttrValue {
    use netcdf::AttributeValue as A;
    let nums = |v: Vec<f64>| AttrValue::Numbers(v);
    match v {
        A::Uchar(x) => nums(vec![f64::from(x)]),
        A::Uchars(x) => nums(x.into_iter().map(f64::from).collect()),
        A::Schar(x) => nums(vec![f64::from(x)]),
        A::Schars(x) => nums(x.into_iter().map(f64::from).collect()),
        A::Ushort(x) => nums(vec![f64::from(x)]),
        A::Ushorts(x) => nums(x.into_iter().map(f64::from).collect()),
        A::Short(x) => AttrValue::Short(x),
        A::Shorts(x) => nums(x.into_iter().map(f64::from).collect()),
        A::Uint(x) => nums(vec![f64::from(x)]),
        A::Uints(x) => nums(x.into_iter().map(f64::from).collect()),
        A::Int(x) => nums(vec![f64::from(x)]),
        A::Ints(x) => nums(x.into_iter().map(f64::from).collect()),
        A::Ulonglong(x) => nums(vec![x as f64]),
        A::Ulonglongs(x) => nums(x.into_iter().map(|y| y as f64).collect()),
        A::Longlong(x) => AttrValue::Long(x),
        A::Longlongs(x) => nums(x.into_iter().map(|y| y as f64).collect()),
        A::Float(x) => AttrValue::Float(x),
        A::Floats(x) => nums(x.into_iter().map(f64::from).collect()),
        A::Double(x) => nums(vec![x]),
        A::Doubles(x) => nums(x),
        A::Str(s) => AttrValue::Text(s),
        A::Strs(s) => AttrValue::Texts(s),
    }
}

/// A NetCDF type as a short name (`int16`, `float32`, `string`, …).
pub(crate) fn type_name(t: &netcdf::types::NcVariableType) -> String {
    use netcdf::types::{FloatType, IntType, NcVariableType as T};
    match t {
        T::Int(IntType::U8) => "uint8",
        T::Int(IntType::I8) => "int8",
        T::Int(IntType::U16) => "uint16",
        T::Int(IntType::I16) => "int16",
        T::Int(IntType::U32) => "uint32",
        T::Int(IntType::I32) => "int32",
        T::Int(IntType::U64) => "uint64",
        T::Int(IntType::I64) => "int64",
        T::Float(FloatType::F32) => "float32",
        T::Float(FloatType::F64) => "float64",
        T::String => "string",
        T::Char => "char",
        T::Compound(_) => "compound",
        T::Opaque(_) => "opaque",
        T::Enum(_) => "enum",
        T::Vlen(_) => "vlen",
    }
    .to_string()
}

fn is_numeric(t: &netcdf::types::NcVariableType) -> bool {
    matches!(
        t,
        netcdf::types::NcVariableType::Int(_) | netcdf::types::NcVariableType::Float(_)
    )
}

/// Variable `name` of an open file, or an error listing the variables.
fn find_variable<'f>(
    file: &'f netcdf::File,
    path: &Path,
    name: &str,
) -> Result<netcdf::Variable<'f>> {
    file.variable(name)
        .ok_or_else(|| Error::missing(path, name, file.variables().map(|v| v.name())))
}

/// Reads the values selected by `extents` of numeric variable `name`, CF-decoded.
fn read_decoded(
    path: &Path,
    name: &str,
    extents: impl FnOnce(&[netcdf::Dimension<'_>]) -> Result<netcdf::Extents>,
) -> Result<CfVariable> {
    let file = open(path)?;
    let var = find_variable(&file, path, name)?;
    let vartype = var.vartype();
    if !is_numeric(&vartype) {
        return Err(Error::variable(
            path,
            name,
            format!("is of type {}, not numeric", type_name(&vartype)),
        ));
    }
    let extents = extents(var.dimensions())?;
    let dims: Vec<String> = var.dimensions().iter().map(|d| d.name()).collect();
    let attributes = attributes_of(var.attributes());
    let raw: ArrayD<f64> = var
        .get::<f64, _>(extents)
        .map_err(|e| Error::variable(path, name, format!("cannot read values: {e}")))?;
    Ok(CfVariable {
        name: name.to_string(),
        dims,
        data: cf_decode(raw, &attributes),
        attributes,
    })
}

/// Reads variable `name` of `path` with CF decoding (see [`CfVariable`]).
pub fn read_variable(path: &Path, name: &str) -> Result<CfVariable> {
    read_decoded(path, name, |_| Ok(netcdf::Extents::All))
}

/// The dimension lengths of variable `name` (its values are not read).
pub fn variable_shape(path: &Path, name: &str) -> Result<Vec<usize>> {
    let file = open(path)?;
    let var = find_variable(&file, path, name)?;
    Ok(var.dimensions().iter().map(|d| d.len()).collect())
}

/// Reads rows `rows` (a range of the first dimension; every other dimension
/// whole) of variable `name` with CF decoding, so that large fields can be
/// streamed in blocks. An empty range or one past the end is an error naming
/// the variable.
pub fn read_variable_rows(
    path: &Path,
    name: &str,
    rows: std::ops::Range<usize>,
) -> Result<CfVariable> {
    read_decoded(path, name, |dimensions| {
        let Some(first) = dimensions.first() else {
            return Err(Error::variable(path, name, "is a scalar, it has no rows"));
        };
        if rows.is_empty() || rows.end > first.len() {
            return Err(Error::variable(
                path,
                name,
                format!(
                    "rows {}..{} requested, `{}` has {}",
                    rows.start,
                    rows.end,
                    first.name(),
                    first.len()
                ),
            ));
        }
        let extents: Vec<netcdf::Extent> = std::iter::once(netcdf::Extent::from(rows))
            .chain(dimensions[1..].iter().map(|_| netcdf::Extent::from(..)))
            .collect();
        Ok(extents.into())
    })
}

/// Reads a 1-D string (or char) variable as texts.
pub fn read_strings(path: &Path, name: &str) -> Result<Vec<String>> {
    let file = open(path)?;
    let var = find_variable(&file, path, name)?;
    if !matches!(var.vartype(), netcdf::types::NcVariableType::String) {
        return Err(Error::variable(
            path,
            name,
            format!("is of type {}, not string", type_name(&var.vartype())),
        ));
    }
    (0..var.len())
        .map(|i| {
            var.get_string(i)
                .map_err(|e| Error::variable(path, name, format!("cannot read element {i}: {e}")))
        })
        .collect()
}

/// CF decoding of raw values: masks `_FillValue`, `missing_value` and values
/// outside `valid_min`/`valid_max`/`valid_range` (compared in packed units,
/// as CF prescribes), then applies `scale_factor` and `add_offset`.
pub fn cf_decode(mut raw: ArrayD<f64>, attrs: &BTreeMap<String, AttrValue>) -> ArrayD<f64> {
    let mut missing: Vec<f64> = Vec::new();
    for key in ["_FillValue", "missing_value"] {
        if let Some(v) = attrs.get(key) {
            missing.extend(v.as_numbers());
        }
    }
    let mut lo = attrs.get("valid_min").and_then(AttrValue::as_f64);
    let mut hi = attrs.get("valid_max").and_then(AttrValue::as_f64);
    if let Some(range) = attrs.get("valid_range").map(AttrValue::as_numbers) {
        if range.len() == 2 {
            lo = Some(range[0]);
            hi = Some(range[1]);
        }
    }
    let scale = attrs.get("scale_factor").and_then(AttrValue::as_f64);
    let offset = attrs.get("add_offset").and_then(AttrValue::as_f64);
    raw.mapv_inplace(|x| {
        let is_missing = missing
            .iter()
            .any(|&m| x == m || (m.is_nan() && x.is_nan()))
            || lo.is_some_and(|l| x < l)
            || hi.is_some_and(|h| x > h);
        if is_missing {
            f64::NAN
        } else {
            x * scale.unwrap_or(1.0) + offset.unwrap_or(0.0)
        }
    });
    raw
}

/// Finds and decodes the time coordinate of a NetCDF file, if it has one:
/// `valid_time`, `time`, any 1-D variable whose units read `… since …`, or an
/// integer `date` axis holding `YYYYMMDD` values.
pub fn read_time(path: &Path) -> Result<Option<TimeAxis>> {
    let file = open(path)?;
    let mut candidates: Vec<String> = Vec::new();
    for preferred in ["valid_time", "time"] {
        if file.variable(preferred).is_some() {
            candidates.push(preferred.to_string());
        }
    }
    for v in file.variables() {
        let name = v.name();
        if v.dimensions().len() == 1 && !candidates.contains(&name) {
            let units = v
                .attribute_value("units")
                .and_then(|r| r.ok())
                .map(convert_attr);
            if units
                .as_ref()
                .and_then(AttrValue::as_text)
                .is_some_and(|u| u.contains(" since "))
                || name == "date"
            {
                candidates.push(name);
            }
        }
    }
    drop(file);
    for name in candidates {
        let var = read_variable(path, &name)?;
        if var.data.ndim() != 1 {
            continue;
        }
        let units = var.units().unwrap_or("").to_string();
        if units.contains(" since ") {
            if let Some(cal) = var.attributes.get("calendar").and_then(AttrValue::as_text) {
                check_calendar(cal).map_err(|m| Error::variable(path, &name, m))?;
            }
            let tu = TimeUnits::parse(&units).map_err(|m| Error::variable(path, &name, m))?;
            let values = var
                .data
                .iter()
                .enumerate()
                .map(|(i, &x)| {
                    tu.decode(x).ok_or_else(|| {
                        Error::variable(
                            path,
                            &name,
                            format!("time value {x} at index {i} cannot be decoded"),
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            return Ok(Some(TimeAxis {
                variable: name,
                units,
                values,
            }));
        }
        let decoded: Option<Vec<_>> = var.data.iter().map(|&x| decode_yyyymmdd(x)).collect();
        if let Some(values) = decoded {
            return Ok(Some(TimeAxis {
                variable: name,
                units: "YYYYMMDD".to_string(),
                values,
            }));
        }
    }
    Ok(None)
}

fn find_coordinate(file: &netcdf::File, standard_name: &str, names: &[&str]) -> Option<String> {
    for v in file.variables() {
        let sn = v
            .attribute_value("standard_name")
            .and_then(|r| r.ok())
            .map(convert_attr);
        if sn.as_ref().and_then(AttrValue::as_text) == Some(standard_name) {
            return Some(v.name());
        }
    }
    names
        .iter()
        .find(|n| file.variable(n).is_some())
        .map(|n| (*n).to_string())
}

/// Reads the latitude / longitude coordinates (by `standard_name`, else by the
/// usual names `lat`/`latitude`, `lon`/`longitude`).
pub fn read_lat_lon(path: &Path) -> Result<LatLon> {
    let file = open(path)?;
    let lat = find_coordinate(&file, "latitude", &["lat", "latitude", "nav_lat"]);
    let lon = find_coordinate(&file, "longitude", &["lon", "longitude", "nav_lon"]);
    drop(file);
    let (Some(lat), Some(lon)) = (lat, lon) else {
        return Err(Error::format(
            path,
            "no latitude/longitude coordinates found",
        ));
    };
    let lat = read_variable(path, &lat)?;
    let lon = read_variable(path, &lon)?;
    if lat.data.ndim() == 1 && lon.data.ndim() == 1 && lat.dims != lon.dims {
        return Ok(LatLon::Regular {
            lat: lat.data.iter().copied().collect(),
            lon: lon.data.iter().copied().collect(),
        });
    }
    if lat.data.shape() != lon.data.shape() {
        return Err(Error::Shape {
            context: format!(
                "{}: latitude `{}` vs longitude `{}`",
                path.display(),
                lat.name,
                lon.name
            ),
            expected: lat.data.shape().to_vec(),
            found: lon.data.shape().to_vec(),
        });
    }
    Ok(LatLon::Curvilinear {
        lat: lat.data,
        lon: lon.data,
    })
}

/// Values of a variable to be written.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum NcData {
    /// 64-bit floats.
    F64(ArrayD<f64>),
    /// 32-bit floats.
    F32(ArrayD<f32>),
    /// 16-bit integers (packed data).
    I16(ArrayD<i16>),
    /// 32-bit integers.
    I32(ArrayD<i32>),
    /// 64-bit integers (NetCDF-4 only).
    I64(ArrayD<i64>),
    /// Variable-length strings, 1-D (NetCDF-4 only).
    Str(Vec<String>),
}

impl NcData {
    fn shape(&self) -> Vec<usize> {
        match self {
            NcData::F64(a) => a.shape().to_vec(),
            NcData::F32(a) => a.shape().to_vec(),
            NcData::I16(a) => a.shape().to_vec(),
            NcData::I32(a) => a.shape().to_vec(),
            NcData::I64(a) => a.shape().to_vec(),
            NcData::Str(v) => vec![v.len()],
        }
    }
}

/// On-disk flavour of a written NetCDF file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NcFlavour {
    /// NetCDF-4 (HDF5-based; strings and 64-bit integers allowed).
    #[default]
    Netcdf4,
    /// NetCDF-3 64-bit offset (what older ERA5 downloads are).
    Classic64,
}

#[derive(Debug, Clone)]
struct PendingVariable {
    name: String,
    dims: Vec<String>,
    data: NcData,
    attrs: Vec<(String, AttrValue)>,
}

/// Builds a CF-NetCDF file in memory and writes it atomically.
///
/// ```no_run
/// use ndarray::ArrayD;
/// use permafrost_insar::io::nc::{NcData, NcWriter};
/// let mut w = NcWriter::new();
/// w.dimension("x", 3)
///     .variable("v", &["x"], NcData::F64(ArrayD::zeros(vec![3])))
///     .attr("v", "units", "m")
///     .global("Conventions", "CF-1.8");
/// w.write(std::path::Path::new("out.nc"))?;
/// # Ok::<(), permafrost_insar::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct NcWriter {
    flavour: NcFlavour,
    dims: Vec<(String, usize)>,
    vars: Vec<PendingVariable>,
    globals: Vec<(String, AttrValue)>,
}

impl NcWriter {
    /// An empty NetCDF-4 file.
    pub fn new() -> Self {
        Self::default()
    }

    /// Chooses the on-disk flavour.
    pub fn flavour(&mut self, flavour: NcFlavour) -> &mut Self {
        self.flavour = flavour;
        self
    }

    /// Adds a dimension.
    pub fn dimension(&mut self, name: &str, len: usize) -> &mut Self {
        self.dims.push((name.to_string(), len));
        self
    }

    /// Adds a variable over `dims` (checked against the data's shape on write).
    pub fn variable(&mut self, name: &str, dims: &[&str], data: NcData) -> &mut Self {
        self.vars.push(PendingVariable {
            name: name.to_string(),
            dims: dims.iter().map(|d| (*d).to_string()).collect(),
            data,
            attrs: Vec::new(),
        });
        self
    }

    /// Sets an attribute of an already added variable. `_FillValue` is stored
    /// in the variable's own type.
    pub fn attr(&mut self, var: &str, key: &str, value: impl Into<AttrValue>) -> &mut Self {
        let value = value.into();
        if let Some(v) = self.vars.iter_mut().find(|v| v.name == var) {
            v.attrs.push((key.to_string(), value));
        }
        self
    }

    /// Sets a global attribute.
    pub fn global(&mut self, key: &str, value: impl Into<AttrValue>) -> &mut Self {
        self.globals.push((key.to_string(), value.into()));
        self
    }

    /// Checks shapes and names, then writes the file atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        self.validate(path)?;
        write_atomically(path, |tmp| {
            self.write_to(tmp).map_err(|e| relabel(e, tmp, path))
        })
    }

    fn validate(&self, path: &Path) -> Result<()> {
        for v in &self.vars {
            let mut expected = Vec::new();
            for d in &v.dims {
                let len = self
                    .dims
                    .iter()
                    .find(|(n, _)| n == d)
                    .map(|(_, l)| *l)
                    .ok_or_else(|| {
                        Error::variable(path, &v.name, format!("unknown dimension `{d}`"))
                    })?;
                expected.push(len);
            }
            let found = v.data.shape();
            if found != expected {
                return Err(Error::Shape {
                    context: format!("{}: variable `{}`", path.display(), v.name),
                    expected,
                    found,
                });
            }
            if self.flavour == NcFlavour::Classic64
                && matches!(v.data, NcData::I64(_) | NcData::Str(_))
            {
                return Err(Error::variable(
                    path,
                    &v.name,
                    "64-bit integers and strings need NetCDF-4",
                ));
            }
            if matches!(v.data, NcData::Str(_)) && v.dims.len() != 1 {
                return Err(Error::variable(
                    path,
                    &v.name,
                    "string variables must be 1-D",
                ));
            }
        }
        Ok(())
    }

    fn write_to(&self, tmp: &Path) -> Result<()> {
        let nc_err = |what: &str, e: netcdf::Error| Error::format(tmp, format!("{what}: {e}"));
        let options = match self.flavour {
            NcFlavour::Netcdf4 => netcdf::Options::NETCDF4,
            NcFlavour::Classic64 => netcdf::Options::_64BIT_OFFSET,
        };
        quiet_hdf5();
        let mut file = netcdf::create_with(tmp, options).map_err(|e| nc_err("cannot create", e))?;
        for (name, len) in &self.dims {
            file.add_dimension(name, *len)
                .map_err(|e| nc_err(&format!("dimension `{name}`"), e))?;
        }
        for (key, value) in &self.globals {
            file.add_attribute(key, to_nc_attr(value))
                .map_err(|e| nc_err(&format!("global attribute `{key}`"), e))?;
        }
        for v in &self.vars {
            let dims: Vec<&str> = v.dims.iter().map(String::as_str).collect();
            let ctx = |e: netcdf::Error| nc_err(&format!("variable `{}`", v.name), e);
            let mut var = match &v.data {
                NcData::F64(_) => file.add_variable::<f64>(&v.name, &dims),
                NcData::F32(_) => file.add_variable::<f32>(&v.name, &dims),
                NcData::I16(_) => file.add_variable::<i16>(&v.name, &dims),
                NcData::I32(_) => file.add_variable::<i32>(&v.name, &dims),
                NcData::I64(_) => file.add_variable::<i64>(&v.name, &dims),
                NcData::Str(_) => file.add_string_variable(&v.name, &dims),
            }
            .map_err(ctx)?;
            for (key, value) in &v.attrs {
                if key == "_FillValue" {
                    let fill = value.as_f64().unwrap_or(f64::NAN);
                    match &v.data {
                        NcData::F64(_) => var.set_fill_value(fill),
                        NcData::F32(_) => var.set_fill_value(fill as f32),
                        NcData::I16(_) => var.set_fill_value(fill as i16),
                        NcData::I32(_) => var.set_fill_value(fill as i32),
                        NcData::I64(_) => var.set_fill_value(fill as i64),
                        NcData::Str(_) => Ok(()),
                    }
                    .map_err(ctx)?;
                } else {
                    var.put_attribute(key, to_nc_attr(value)).map_err(ctx)?;
                }
            }
        }
        // NetCDF-3 files must leave define mode before data is written.
        if self.flavour == NcFlavour::Classic64 {
            file.enddef()
                .map_err(|e| nc_err("cannot leave define mode", e))?;
        }
        for v in &self.vars {
            let ctx = |e: netcdf::Error| nc_err(&format!("variable `{}`", v.name), e);
            let mut var = file
                .variable_mut(&v.name)
                .ok_or_else(|| Error::format(tmp, format!("variable `{}` vanished", v.name)))?;
            match &v.data {
                NcData::F64(a) => var.put(a.as_standard_layout().view(), ..),
                NcData::F32(a) => var.put(a.as_standard_layout().view(), ..),
                NcData::I16(a) => var.put(a.as_standard_layout().view(), ..),
                NcData::I32(a) => var.put(a.as_standard_layout().view(), ..),
                NcData::I64(a) => var.put(a.as_standard_layout().view(), ..),
                NcData::Str(s) => s
                    .iter()
                    .enumerate()
                    .try_for_each(|(i, text)| var.put_string(text, [i])),
            }
            .map_err(ctx)?;
        }
        file.close().map_err(|e| nc_err("cannot close", e))?;
        Ok(())
    }
}

/// Replaces a temporary path in an error by the target's.
fn relabel(e: Error, tmp: &Path, target: &Path) -> Error {
    match e {
        Error::Format { path, message } if path == tmp => Error::Format {
            path: target.to_path_buf(),
            message,
        },
        other => other,
    }
}

fn to_nc_attr(v: &AttrValue) -> netcdf::AttributeValue {
    use netcdf::AttributeValue as A;
    match v {
        AttrValue::Text(s) => A::Str(s.clone()),
        AttrValue::Texts(s) => A::Strs(s.clone()),
        AttrValue::Numbers(x) if x.len() == 1 => A::Double(x[0]),
        AttrValue::Numbers(x) => A::Doubles(x.clone()),
        AttrValue::Short(x) => A::Short(*x),
        AttrValue::Float(x) => A::Float(*x),
        AttrValue::Long(x) => A::Longlong(*x),
    }
}
