//! Rasters through GDAL: GeoTIFF read and write, and any GDAL-readable raster
//! (HDF4 subdatasets of MODIS products among them) for reading.

use std::path::Path;
use std::sync::Once;

use gdal::raster::{Buffer, GdalDataType, RasterCreationOptions};
use gdal::{Dataset, DriverManager, Metadata};
use ndarray::{Array2, Array3, Axis};

use super::atomic::write_atomically;
use crate::error::{Error, Result};

/// A georeferenced raster: bands of `(row, col)` values with `NaN` for nodata.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    /// Values, axes `(band, row, col)`; nodata cells are `NaN`.
    pub data: Array3<f64>,
    /// GDAL geotransform: `[x0, dx, rot, y0, rot, dy]` of the top-left corner.
    pub geotransform: [f64; 6],
    /// Coordinate reference system as WKT (empty when the file has none).
    pub crs_wkt: String,
    /// Band descriptions (empty strings where a band has none).
    pub band_names: Vec<String>,
}

impl Raster {
    /// A single-band raster.
    pub fn single(band: Array2<f64>, geotransform: [f64; 6], crs_wkt: impl Into<String>) -> Self {
        Raster {
            data: band.insert_axis(Axis(0)),
            geotransform,
            crs_wkt: crs_wkt.into(),
            band_names: vec![String::new()],
        }
    }

    /// Number of rows and columns.
    pub fn shape(&self) -> (usize, usize) {
        (self.data.shape()[1], self.data.shape()[2])
    }

    /// Band `i` (0-based) as a 2-D view.
    pub fn band(&self, i: usize) -> ndarray::ArrayView2<'_, f64> {
        self.data.index_axis(Axis(0), i)
    }
}

/// Sample type of a written GeoTIFF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SampleType {
    /// 32-bit float (the usual choice for InSAR products).
    #[default]
    Float32,
    /// 64-bit float.
    Float64,
}

/// Makes GDAL quiet: its messages come back inside our errors instead of
/// being printed to stderr.
pub(crate) fn init_gdal() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        gdal::config::set_error_handler(|_, _, msg| log::debug!("GDAL: {msg}"));
    });
}

/// Opens any GDAL dataset name (a path, or an `HDF4_EOS:…` subdataset string).
pub(crate) fn open_gdal(name: &str, path_for_errors: &Path) -> Result<Dataset> {
    init_gdal();
    Dataset::open(name)
        .map_err(|e| Error::format(path_for_errors, format!("GDAL cannot open it: {e}")))
}

/// Short name of a GDAL sample type (`uint16`, `float32`, …).
pub(crate) fn gdal_type_name(t: GdalDataType) -> String {
    match t {
        GdalDataType::UInt8 => "uint8",
        GdalDataType::UInt16 => "uint16",
        GdalDataType::Int16 => "int16",
        GdalDataType::UInt32 => "uint32",
        GdalDataType::Int32 => "int32",
        GdalDataType::UInt64 => "uint64",
        GdalDataType::Int64 => "int64",
        GdalDataType::Float32 => "float32",
        GdalDataType::Float64 => "float64",
        _ => "unknown",
    }
    .to_string()
}

/// Reads every band of a GeoTIFF (or other GDAL raster) into a [`Raster`].
pub fn read_raster(path: &Path) -> Result<Raster> {
    if !path.exists() {
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        ));
    }
    read_gdal(&path.to_string_lossy(), path)
}

/// Reads a GDAL dataset by name (path or subdataset string).
pub(crate) fn read_gdal(name: &str, path_for_errors: &Path) -> Result<Raster> {
    let ds = open_gdal(name, path_for_errors)?;
    let (cols, rows) = ds.raster_size();
    let n = ds.raster_count();
    if n == 0 {
        return Err(Error::format(path_for_errors, "raster has no bands"));
    }
    let mut data = Array3::<f64>::zeros((n, rows, cols));
    let mut band_names = Vec::with_capacity(n);
    for b in 0..n {
        let band = ds
            .rasterband(b + 1)
            .map_err(|e| Error::format(path_for_errors, format!("band {}: {e}", b + 1)))?;
        let buf = band
            .read_as::<f64>((0, 0), (cols, rows), (cols, rows), None)
            .map_err(|e| {
                Error::format(path_for_errors, format!("band {}: cannot read: {e}", b + 1))
            })?;
        let nodata = band.no_data_value();
        let scale = band.scale().unwrap_or(1.0);
        let offset = band.offset().unwrap_or(0.0);
        let (_, values) = buf.into_shape_and_vec();
        for (dst, v) in data.index_axis_mut(Axis(0), b).iter_mut().zip(values) {
            let is_nodata = nodata.is_some_and(|nd| v == nd || (nd.is_nan() && v.is_nan()));
            *dst = if is_nodata {
                f64::NAN
            } else {
                v * scale + offset
            };
        }
        band_names.push(band.description().unwrap_or_default());
    }
    let geotransform = ds.geo_transform().unwrap_or([0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
    Ok(Raster {
        data,
        geotransform,
        crs_wkt: ds.projection(),
        band_names,
    })
}

/// Writes a raster as a deflate-compressed GeoTIFF, atomically. `NaN` is the
/// nodata value; band descriptions are written when not empty.
pub fn write_geotiff(path: &Path, raster: &Raster, sample: SampleType) -> Result<()> {
    write_geotiff_with_units(path, raster, sample, &[])
}

/// [`write_geotiff`] with a unit per band (GDAL's unit type, e.g. `m`,
/// `degrees`); empty strings and missing entries leave a band without one.
pub fn write_geotiff_with_units(
    path: &Path,
    raster: &Raster,
    sample: SampleType,
    units: &[String],
) -> Result<()> {
    let (bands, rows, cols) = raster.data.dim();
    if raster.band_names.len() != bands {
        return Err(Error::Shape {
            context: format!("{}: band names", path.display()),
            expected: vec![bands],
            found: vec![raster.band_names.len()],
        });
    }
    if bands == 0 || rows == 0 || cols == 0 {
        return Err(Error::Invalid(format!(
            "{}: cannot write an empty raster ({bands}×{rows}×{cols})",
            path.display()
        )));
    }
    init_gdal();
    write_atomically(path, |tmp| {
        let gdal_err =
            |what: &str, e: gdal::errors::GdalError| Error::format(path, format!("{what}: {e}"));
        let driver =
            DriverManager::get_driver_by_name("GTiff").map_err(|e| gdal_err("GTiff driver", e))?;
        let mut options = RasterCreationOptions::new();
        options
            .set_name_value("COMPRESS", "DEFLATE")
            .map_err(|e| gdal_err("creation option", e))?;
        let mut ds = match sample {
            SampleType::Float32 => driver
                .create_with_band_type_with_options::<f32, _>(tmp, cols, rows, bands, &options),
            SampleType::Float64 => driver
                .create_with_band_type_with_options::<f64, _>(tmp, cols, rows, bands, &options),
        }
        .map_err(|e| gdal_err("cannot create", e))?;
        ds.set_geo_transform(&raster.geotransform)
            .map_err(|e| gdal_err("geotransform", e))?;
        if !raster.crs_wkt.is_empty() {
            ds.set_projection(&raster.crs_wkt)
                .map_err(|e| gdal_err("CRS", e))?;
        }
        for b in 0..bands {
            let mut band = ds.rasterband(b + 1).map_err(|e| gdal_err("band", e))?;
            band.set_no_data_value(Some(f64::NAN))
                .map_err(|e| gdal_err("nodata", e))?;
            let values = raster.data.index_axis(Axis(0), b);
            match sample {
                SampleType::Float32 => {
                    let mut buf =
                        Buffer::new((cols, rows), values.iter().map(|&x| x as f32).collect());
                    band.write((0, 0), (cols, rows), &mut buf)
                }
                SampleType::Float64 => {
                    let mut buf = Buffer::new((cols, rows), values.iter().copied().collect());
                    band.write((0, 0), (cols, rows), &mut buf)
                }
            }
            .map_err(|e| gdal_err(&format!("band {}", b + 1), e))?;
            if !raster.band_names[b].is_empty() {
                band.set_description(&raster.band_names[b])
                    .map_err(|e| gdal_err("band description", e))?;
            }
            if let Some(unit) = units.get(b).filter(|u| !u.is_empty()) {
                set_unit(&band, unit)
                    .map_err(|m| Error::format(path, format!("band unit: {m}")))?;
            }
        }
        ds.close().map_err(|e| gdal_err("cannot close", e))?;
        Ok(())
    })
}

/// `GDALSetRasterUnitType` (not wrapped by the `gdal` crate).
#[allow(unsafe_code)]
fn set_unit(band: &gdal::raster::RasterBand<'_>, unit: &str) -> std::result::Result<(), String> {
    let c =
        std::ffi::CString::new(unit).map_err(|_| format!("unit `{unit}` contains a NUL byte"))?;
    // SAFETY: the band handle is valid while `band` is borrowed; GDAL copies
    // the NUL-terminated string before returning.
    let rv = unsafe { gdal_sys::GDALSetRasterUnitType(band.c_rasterband(), c.as_ptr()) };
    if rv == gdal_sys::CPLErr::CE_None {
        Ok(())
    } else {
        Err(format!("GDAL refused unit `{unit}`"))
    }
}

/// A CRS as WKT from an EPSG code (e.g. 4326 for WGS84 lat/lon).
pub fn wkt_from_epsg(epsg: u32) -> Result<String> {
    init_gdal();
    gdal::spatial_ref::SpatialRef::from_epsg(epsg)
        .and_then(|s| s.to_wkt())
        .map_err(|e| Error::Invalid(format!("EPSG:{epsg}: {e}")))
}

/// Subdatasets of a container file (HDF4, netCDF through GDAL): `(gdal name, description)`.
pub(crate) fn subdatasets(ds: &Dataset) -> Vec<(String, String)> {
    let items = ds.metadata_domain("SUBDATASETS").unwrap_or_default();
    let mut names = Vec::new();
    let mut descs = Vec::new();
    for item in items {
        if let Some((k, v)) = item.split_once('=') {
            if k.ends_with("_NAME") {
                names.push(v.to_string());
            } else if k.ends_with("_DESC") {
                descs.push(v.to_string());
            }
        }
    }
    descs.resize(names.len(), String::new());
    names.into_iter().zip(descs).collect()
}

/// A raster opened for reading in row blocks, so that large scenes stream
/// with memory bounded by the block, not the scene.
pub struct RasterReader {
    ds: Dataset,
    path: std::path::PathBuf,
}

impl RasterReader {
    /// Opens any GDAL raster.
    pub fn open(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Err(Error::io(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            ));
        }
        Ok(RasterReader {
            ds: open_gdal(&path.to_string_lossy(), path)?,
            path: path.to_path_buf(),
        })
    }

    /// `(rows, cols)`.
    pub fn shape(&self) -> (usize, usize) {
        let (cols, rows) = self.ds.raster_size();
        (rows, cols)
    }

    /// Number of bands.
    pub fn bands(&self) -> usize {
        self.ds.raster_count()
    }

    /// The geotransform (identity when the file has none).
    pub fn geotransform(&self) -> [f64; 6] {
        self.ds
            .geo_transform()
            .unwrap_or([0.0, 1.0, 0.0, 0.0, 0.0, 1.0])
    }

    /// The CRS as WKT (empty when none).
    pub fn crs_wkt(&self) -> String {
        self.ds.projection()
    }

    /// Rows `row0 .. row0 + n` of band `band` (1-based) as `f64`, nodata →
    /// `NaN`, scale and offset applied.
    pub fn read_rows(&self, band: usize, row0: usize, n: usize) -> Result<Array2<f64>> {
        let (rows, cols) = self.shape();
        if row0 + n > rows {
            return Err(Error::Invalid(format!(
                "{}: rows {row0}..{} outside the raster's {rows} rows",
                self.path.display(),
                row0 + n
            )));
        }
        let b = self
            .ds
            .rasterband(band)
            .map_err(|e| Error::format(&self.path, format!("band {band}: {e}")))?;
        let buf = b
            .read_as::<f64>((0, row0 as isize), (cols, n), (cols, n), None)
            .map_err(|e| {
                Error::format(
                    &self.path,
                    format!("band {band}, rows {row0}..{}: {e}", row0 + n),
                )
            })?;
        let nodata = b.no_data_value();
        let scale = b.scale().unwrap_or(1.0);
        let offset = b.offset().unwrap_or(0.0);
        let (_, values) = buf.into_shape_and_vec();
        let values = values
            .into_iter()
            .map(|v| {
                if nodata.is_some_and(|nd| v == nd || (nd.is_nan() && v.is_nan())) {
                    f64::NAN
                } else {
                    v * scale + offset
                }
            })
            .collect();
        Array2::from_shape_vec((n, cols), values).map_err(|e| Error::format(&self.path, e))
    }
}
