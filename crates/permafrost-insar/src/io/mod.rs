//! File I/O: GeoTIFF (GDAL), NetCDF 3/4 with CF decoding, HDF5 (MintPy,
//! MATLAB v7.3), MATLAB v5, HDF4 through GDAL, and CSV tables. Formats are
//! recognised by content ([`detect`]); every writer is atomic (temporary file,
//! then rename).
//!
//! Threads: netCDF-C is not thread-safe, and GDAL's netCDF/HDF drivers call
//! it (and HDF5) outside the lock the Rust bindings share. The command line
//! does its file I/O from one thread (rayon only computes); a program that
//! reads or writes NetCDF/HDF5 from several threads at once must serialise
//! those calls itself (the facade's own tests do, see `tests/*.rs`).

mod atomic;
pub mod attr;
pub mod cf_time;
pub mod geotiff;
pub mod h5;
mod info;
pub mod mat_v5;
pub mod mat_v73;
pub mod mintpy;
pub mod nc;
mod nc3_header;
mod sniff;
pub mod table;
pub mod warp;

use std::path::{Path, PathBuf};

use ndarray::{ArrayD, IxDyn};

pub use atomic::write_atomically;
pub use attr::AttrValue;
pub use info::{describe, CrsInfo, DimensionInfo, FileInfo, TimeInfo, VariableInfo};
pub use sniff::{detect, detect_bytes, Format};

use crate::error::{Error, Result};

/// An input given as `path` or `path:VARIABLE` (the command-line form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarSpec {
    /// The file.
    pub path: PathBuf,
    /// The variable, dataset, band (`band_2`) or column, if named.
    pub variable: Option<String>,
}

impl VarSpec {
    /// Splits `path:VAR` at the last colon when the part before it is an
    /// existing file and the whole is not.
    pub fn parse(s: &str) -> VarSpec {
        if !Path::new(s).exists() {
            if let Some((p, v)) = s.rsplit_once(':') {
                if !v.is_empty() && Path::new(p).is_file() {
                    return VarSpec {
                        path: PathBuf::from(p),
                        variable: Some(v.to_string()),
                    };
                }
            }
        }
        VarSpec {
            path: PathBuf::from(s),
            variable: None,
        }
    }
}

/// Reads one variable of any supported file as `f64` with missing values as
/// `NaN` (CF-decoded for NetCDF; MATLAB orientation for MAT-files; a column
/// for CSV). `variable` may be omitted for single-band rasters.
pub fn read_array(path: &Path, variable: Option<&str>) -> Result<ArrayD<f64>> {
    let format = detect(path)?;
    let need = |what: &str| -> Result<&str> {
        variable.ok_or_else(|| {
            Error::Invalid(format!(
                "{}: name the {what} to read as `{}:NAME`",
                path.display(),
                path.display()
            ))
        })
    };
    match format {
        Format::Geotiff => {
            let raster = geotiff::read_raster(path)?;
            let b = band_index(path, &raster, variable)?;
            Ok(raster.band(b).to_owned().into_dyn())
        }
        Format::Netcdf3 | Format::Netcdf4 => Ok(nc::read_variable(path, need("variable")?)?.data),
        Format::Hdf5 => h5::read_f64(path, need("dataset")?),
        Format::MatlabV73 => mat_v73::read_array(path, need("variable")?),
        Format::MatlabV5 => {
            let name = need("variable")?;
            let vars = mat_v5::read(path)?;
            let names: Vec<String> = vars.iter().map(|v| v.name.clone()).collect();
            let var = vars
                .into_iter()
                .find(|v| v.name == name)
                .ok_or_else(|| Error::missing(path, name, &names))?;
            var.values.ok_or_else(|| {
                Error::variable(
                    path,
                    name,
                    format!("MATLAB class `{}` cannot be read as numbers", var.class),
                )
            })
        }
        Format::Csv => {
            let t = table::Table::read(path)?;
            let col = t.numeric_column(path, need("column")?)?;
            Ok(ArrayD::from_shape_vec(IxDyn(&[col.len()]), col)
                .map_err(|e| Error::format(path, e))?)
        }
        Format::Hdf4 => {
            let name = need("subdataset")?;
            let ds = geotiff::open_gdal(&path.to_string_lossy(), path)?;
            let subs = geotiff::subdatasets(&ds);
            let short: Vec<String> = subs
                .iter()
                .map(|(n, _)| n.rsplit(':').next().unwrap_or(n).to_string())
                .collect();
            let i = short
                .iter()
                .position(|s| s == name)
                .ok_or_else(|| Error::missing(path, name, &short))?;
            let raster = geotiff::read_gdal(&subs[i].0, path)?;
            Ok(raster.band(0).to_owned().into_dyn())
        }
    }
}

/// Reads one 2-D layer with its georeferencing: band `name` of a GeoTIFF (by
/// band description or `band_N`), or subdataset `name` of an HDF4 file (e.g.
/// `LST_Day_1km` of a MODIS MOD11A1/MOD11A2 file, read through GDAL with its
/// scale, offset and fill value applied: kelvin, fill → `NaN`). The result
/// has one band named `name`.
pub fn read_layer(path: &Path, name: &str) -> Result<geotiff::Raster> {
    let (raster, b) = match detect(path)? {
        Format::Geotiff => {
            let raster = geotiff::read_raster(path)?;
            let b = band_index(path, &raster, Some(name))?;
            (raster, b)
        }
        Format::Hdf4 => {
            let ds = geotiff::open_gdal(&path.to_string_lossy(), path)?;
            let subs = geotiff::subdatasets(&ds);
            let short: Vec<String> = subs
                .iter()
                .map(|(n, _)| n.rsplit(':').next().unwrap_or(n).to_string())
                .collect();
            let i = short
                .iter()
                .position(|s| s == name)
                .ok_or_else(|| Error::missing(path, name, &short))?;
            (geotiff::read_gdal(&subs[i].0, path)?, 0)
        }
        other => {
            return Err(Error::format(
                path,
                format!(
                    "is {}; a raster layer needs a GeoTIFF or an HDF4 file",
                    other.name()
                ),
            ))
        }
    };
    Ok(geotiff::Raster {
        data: raster
            .data
            .index_axis(ndarray::Axis(0), b)
            .to_owned()
            .insert_axis(ndarray::Axis(0)),
        geotransform: raster.geotransform,
        crs_wkt: raster.crs_wkt,
        band_names: vec![name.to_string()],
    })
}

fn band_index(path: &Path, raster: &geotiff::Raster, variable: Option<&str>) -> Result<usize> {
    let n = raster.data.shape()[0];
    match variable {
        None if n == 1 => Ok(0),
        None => Err(Error::Invalid(format!(
            "{}: has {n} bands; name one as `{}:band_N`",
            path.display(),
            path.display()
        ))),
        Some(v) => {
            if let Some(i) = raster.band_names.iter().position(|b| b == v) {
                return Ok(i);
            }
            v.strip_prefix("band_")
                .and_then(|k| k.parse::<usize>().ok())
                .filter(|&k| (1..=n).contains(&k))
                .map(|k| k - 1)
                .ok_or_else(|| {
                    let names: Vec<String> = (1..=n).map(|k| format!("band_{k}")).collect();
                    Error::missing(path, v, names)
                })
        }
    }
}
