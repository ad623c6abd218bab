//! `describe`: what a file holds (format, variables, shapes, types, CRS,
//! time axis), for any format the facade reads.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::attr::AttrValue;
use super::sniff::{detect, Format};
use super::{geotiff, h5, mat_v5, mat_v73, nc, table::Table};
use crate::error::{Error, Result};

/// A description of a file, as printed by `permafrost-insar info`.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    /// The path as given.
    pub path: String,
    /// The format, recognised by content.
    pub format: Format,
    /// File size in bytes.
    pub size_bytes: u64,
    /// Variables (bands, datasets, columns), in file order.
    pub variables: Vec<VariableInfo>,
    /// Named dimensions (NetCDF only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<DimensionInfo>,
    /// Coordinate reference system, when the file states or implies one.
    pub crs: Option<CrsInfo>,
    /// GDAL geotransform of rasters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geotransform: Option<[f64; 6]>,
    /// The time axis, when there is one.
    pub time: Option<TimeInfo>,
    /// Global attributes (as text).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

/// One variable of a file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VariableInfo {
    /// Name (`band_1`, `unwrapPhase`, `data/arr_two_three`, a CSV column).
    pub name: String,
    /// Shape (MATLAB dimensions for MAT-files).
    pub shape: Vec<usize>,
    /// Element type as stored (`float32`, `int16`, `S8`, MATLAB class for MAT-files, …).
    pub dtype: String,
    /// Dimension names (NetCDF).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dims: Vec<String>,
    /// The `units` attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub units: Option<String>,
    /// The `long_name` attribute, or a band description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long_name: Option<String>,
    /// True when values are packed (`scale_factor` / `add_offset`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub packed: bool,
    /// Nodata / fill value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fill_value: Option<f64>,
    /// Number of missing cells (CSV columns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_missing: Option<usize>,
}

impl VariableInfo {
    fn new(name: impl Into<String>, shape: Vec<usize>, dtype: impl Into<String>) -> Self {
        VariableInfo {
            name: name.into(),
            shape,
            dtype: dtype.into(),
            dims: Vec::new(),
            units: None,
            long_name: None,
            packed: false,
            fill_value: None,
            n_missing: None,
        }
    }
}

/// A named dimension.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DimensionInfo {
    /// Name.
    pub name: String,
    /// Length.
    pub len: usize,
    /// True for an unlimited (record) dimension.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unlimited: bool,
}

/// A coordinate reference system.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CrsInfo {
    /// EPSG code, when known.
    pub epsg: Option<u32>,
    /// Name (`WGS 84`, `WGS 84 / UTM zone 48S`, …).
    pub name: Option<String>,
    /// WKT, when the file stores one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wkt: Option<String>,
    /// Where it comes from: `file` (stated) or `coordinates` (implied by
    /// latitude/longitude variables).
    pub source: String,
}

/// A time axis.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimeInfo {
    /// The variable or dataset it comes from.
    pub variable: String,
    /// Units as stored.
    pub units: String,
    /// Number of steps.
    pub n: usize,
    /// First instant (ISO 8601, UTC).
    pub first: String,
    /// Last instant.
    pub last: String,
}

/// Describes any file the facade reads.
pub fn describe(path: &Path) -> Result<FileInfo> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::format(path, "is a folder, not a file"));
    }
    let format = detect(path)?;
    let mut info = FileInfo {
        path: path.display().to_string(),
        format,
        size_bytes: meta.len(),
        variables: Vec::new(),
        dimensions: Vec::new(),
        crs: None,
        geotransform: None,
        time: None,
        attributes: BTreeMap::new(),
    };
    match format {
        Format::Geotiff => describe_gdal(path, &mut info)?,
        Format::Hdf4 => describe_gdal_container(path, &mut info)?,
        Format::Netcdf3 | Format::Netcdf4 => describe_netcdf(path, &mut info)?,
        Format::Hdf5 => describe_hdf5(path, &mut info)?,
        Format::MatlabV73 => {
            info.variables = mat_v73::list(path)?.into_iter().map(mat_info).collect();
        }
        Format::MatlabV5 => {
            info.variables = mat_v5::read(path)?.into_iter().map(mat_info).collect();
        }
        Format::Csv => describe_csv(path, &mut info)?,
    }
    Ok(info)
}

fn mat_info(v: mat_v5::MatVariable) -> VariableInfo {
    let dtype = if v.complex {
        format!("complex {}", v.class)
    } else {
        v.class
    };
    VariableInfo::new(v.name, v.dims, dtype)
}

fn crs_from_wkt(wkt: &str) -> Option<CrsInfo> {
    if wkt.trim().is_empty() {
        return None;
    }
    let srs = gdal::spatial_ref::SpatialRef::from_wkt(wkt).ok();
    let epsg = srs.as_ref().and_then(|s| {
        let mut s = s.clone();
        let _ = s.auto_identify_epsg();
        s.auth_code().ok().and_then(|c| u32::try_from(c).ok())
    });
    Some(CrsInfo {
        epsg,
        name: srs.as_ref().and_then(|s| s.name()),
        wkt: Some(wkt.to_string()),
        source: "file".into(),
    })
}

fn describe_gdal(path: &Path, info: &mut FileInfo) -> Result<()> {
    let ds = geotiff::open_gdal(&path.to_string_lossy(), path)?;
    add_gdal_bands(&ds, path, None, info)?;
    info.crs = crs_from_wkt(&ds.projection());
    info.geotransform = ds.geo_transform().ok();
    Ok(())
}

fn add_gdal_bands(
    ds: &gdal::Dataset,
    path: &Path,
    name: Option<&str>,
    info: &mut FileInfo,
) -> Result<()> {
    use gdal::Metadata;
    let (cols, rows) = ds.raster_size();
    let n = ds.raster_count();
    for b in 1..=n {
        let band = ds
            .rasterband(b)
            .map_err(|e| Error::format(path, format!("band {b}: {e}")))?;
        let description = band.description().unwrap_or_default();
        let var_name = match name {
            Some(n) if ds.raster_count() == 1 => n.to_string(),
            Some(n) => format!("{n}_band_{b}"),
            None => format!("band_{b}"),
        };
        let mut v = VariableInfo::new(
            var_name,
            vec![rows, cols],
            geotiff::gdal_type_name(band.band_type()),
        );
        if !description.is_empty() {
            v.long_name = Some(description);
        }
        let unit = band.unit();
        if !unit.is_empty() {
            v.units = Some(unit);
        }
        v.fill_value = band.no_data_value();
        v.packed =
            band.scale().is_some_and(|s| s != 1.0) || band.offset().is_some_and(|o| o != 0.0);
        info.variables.push(v);
    }
    Ok(())
}

/// HDF4 (MODIS) and other containers: one variable per GDAL subdataset.
fn describe_gdal_container(path: &Path, info: &mut FileInfo) -> Result<()> {
    let ds = geotiff::open_gdal(&path.to_string_lossy(), path)?;
    let subs = geotiff::subdatasets(&ds);
    if subs.is_empty() {
        return describe_gdal(path, info);
    }
    for (gdal_name, _) in &subs {
        let short = gdal_name
            .rsplit(':')
            .next()
            .unwrap_or(gdal_name)
            .to_string();
        let sub = geotiff::open_gdal(gdal_name, path)?;
        add_gdal_bands(&sub, path, Some(&short), info)?;
        if info.crs.is_none() {
            info.crs = crs_from_wkt(&sub.projection());
            info.geotransform = sub.geo_transform().ok();
        }
    }
    Ok(())
}

fn describe_netcdf(path: &Path, info: &mut FileInfo) -> Result<()> {
    let file = nc::open(path)?;
    info.dimensions = file
        .dimensions()
        .map(|d| DimensionInfo {
            name: d.name(),
            len: d.len(),
            unlimited: d.is_unlimited(),
        })
        .collect();
    let mut wkt: Option<String> = None;
    for var in file.variables() {
        let attrs = nc::attributes_of(var.attributes());
        let dims: Vec<String> = var.dimensions().iter().map(|d| d.name()).collect();
        let shape: Vec<usize> = var.dimensions().iter().map(|d| d.len()).collect();
        let mut v = VariableInfo::new(var.name(), shape, nc::type_name(&var.vartype()));
        v.dims = dims;
        v.units = attrs
            .get("units")
            .and_then(AttrValue::as_text)
            .map(str::to_string);
        v.long_name = attrs
            .get("long_name")
            .and_then(AttrValue::as_text)
            .map(str::to_string);
        v.packed = attrs.contains_key("scale_factor") || attrs.contains_key("add_offset");
        v.fill_value = attrs.get("_FillValue").and_then(AttrValue::as_f64);
        for key in ["crs_wkt", "spatial_ref"] {
            if wkt.is_none() {
                wkt = attrs
                    .get(key)
                    .and_then(AttrValue::as_text)
                    .map(str::to_string);
            }
        }
        info.variables.push(v);
    }
    info.attributes = nc::attributes_of(file.attributes())
        .into_iter()
        .map(|(k, v)| (k, v.display()))
        .collect();
    drop(file);
    info.crs = match wkt {
        Some(w) => crs_from_wkt(&w),
        None => nc::read_lat_lon(path).ok().map(|_| CrsInfo {
            epsg: Some(4326),
            name: Some("WGS 84".into()),
            wkt: None,
            source: "coordinates".into(),
        }),
    };
    info.time = nc::read_time(path)?.and_then(|t| time_info(t.variable, t.units, &t.values));
    Ok(())
}

fn time_info(
    variable: String,
    units: String,
    values: &[chrono::NaiveDateTime],
) -> Option<TimeInfo> {
    let iso = |t: &chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    Some(TimeInfo {
        variable,
        units,
        n: values.len(),
        first: iso(values.first()?),
        last: iso(values.last()?),
    })
}

fn describe_hdf5(path: &Path, info: &mut FileInfo) -> Result<()> {
    for d in h5::list_datasets(path)? {
        info.variables
            .push(VariableInfo::new(d.name, d.shape, d.dtype));
    }
    info.attributes = h5::read_attributes(path, "")?
        .into_iter()
        .map(|(k, v)| (k, v.display()))
        .collect();
    // MintPy: `date` holds YYYYMMDD strings (pairs for interferogram stacks).
    if info
        .variables
        .iter()
        .any(|v| v.name == "date" && v.dtype.starts_with('S'))
    {
        let mut dates: Vec<chrono::NaiveDateTime> = h5::read_strings(path, "date")?
            .iter()
            .filter_map(|s| {
                chrono::NaiveDate::parse_from_str(s.trim(), "%Y%m%d")
                    .ok()
                    .map(|d| d.and_time(chrono::NaiveTime::MIN))
            })
            .collect();
        dates.sort();
        dates.dedup();
        info.time = time_info("date".into(), "YYYYMMDD".into(), &dates);
    }
    if let Some(epsg) = info
        .attributes
        .get("EPSG")
        .and_then(|e| e.trim().parse::<u32>().ok())
    {
        info.crs = Some(CrsInfo {
            epsg: Some(epsg),
            name: None,
            wkt: None,
            source: "file".into(),
        });
    }
    Ok(())
}

fn describe_csv(path: &Path, info: &mut FileInfo) -> Result<()> {
    let table = Table::read(path)?;
    let n = table.rows.len();
    for (j, name) in table.columns.iter().enumerate() {
        let numeric = table.is_numeric(j);
        let mut v = VariableInfo::new(
            name.clone(),
            vec![n],
            if numeric { "float64" } else { "string" },
        );
        v.n_missing = Some(table.rows.iter().filter(|r| r[j].trim().is_empty()).count());
        info.variables.push(v);
    }
    Ok(())
}
