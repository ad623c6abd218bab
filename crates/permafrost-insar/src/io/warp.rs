//! Reprojecting and resampling rasters onto a target grid through GDAL's
//! warper (the engine behind `gdalwarp`).

use std::path::Path;

use gdal::raster::Buffer;
use gdal::spatial_ref::SpatialRef;
use gdal::DriverManager;
use ndarray::{Array3, Axis};

use super::geotiff::{self, Raster};
use crate::error::{Error, Result};

/// Resampling methods, chosen by the factor's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Resampling {
    /// Nearest neighbour (categorical or continuous).
    Nearest,
    /// Bilinear (continuous only).
    Bilinear,
    /// Average of the source pixels covering a target pixel (continuous only).
    Average,
    /// Most frequent value (categorical).
    Mode,
}

impl Resampling {
    /// Parses `nearest`, `bilinear`, `average`, `mode` (and GDAL's `near`).
    pub fn parse(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "nearest" | "near" => Ok(Resampling::Nearest),
            "bilinear" => Ok(Resampling::Bilinear),
            "average" => Ok(Resampling::Average),
            "mode" => Ok(Resampling::Mode),
            other => Err(Error::Invalid(format!(
                "unknown resampling `{other}` (nearest, bilinear, average, mode)"
            ))),
        }
    }

    /// True for methods that only make sense on categorical data.
    pub fn is_categorical(self) -> bool {
        matches!(self, Resampling::Nearest | Resampling::Mode)
    }

    fn gdal(self) -> gdal_sys::GDALResampleAlg::Type {
        use gdal_sys::GDALResampleAlg as G;
        match self {
            Resampling::Nearest => G::GRA_NearestNeighbour,
            Resampling::Bilinear => G::GRA_Bilinear,
            Resampling::Average => G::GRA_Average,
            Resampling::Mode => G::GRA_Mode,
        }
    }
}

/// A target grid: CRS, geotransform and shape.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetGrid {
    /// CRS as WKT.
    pub crs_wkt: String,
    /// GDAL geotransform.
    pub geotransform: [f64; 6],
    /// Rows.
    pub rows: usize,
    /// Columns.
    pub cols: usize,
}

impl TargetGrid {
    /// The grid of an existing raster file.
    pub fn of_raster(path: &Path) -> Result<TargetGrid> {
        let ds = geotiff::open_gdal(&path.to_string_lossy(), path)?;
        let (cols, rows) = ds.raster_size();
        let crs_wkt = ds.projection();
        if crs_wkt.trim().is_empty() {
            return Err(Error::format(path, "has no CRS; a target grid needs one"));
        }
        let geotransform = ds
            .geo_transform()
            .map_err(|e| Error::format(path, format!("no geotransform: {e}")))?;
        Ok(TargetGrid {
            crs_wkt,
            geotransform,
            rows,
            cols,
        })
    }

    /// The grid of a raster in memory.
    pub fn of(raster: &Raster) -> TargetGrid {
        let (rows, cols) = raster.shape();
        TargetGrid {
            crs_wkt: raster.crs_wkt.clone(),
            geotransform: raster.geotransform,
            rows,
            cols,
        }
    }
}

/// Reprojects every band of the raster file `src` onto `target` with
/// `resampling`, as `gdalwarp -r METHOD -dstnodata nan` would (error
/// threshold 0.125 pixel, GDAL's default). Source nodata becomes `NaN`;
/// target cells the source does not cover are `NaN`.
pub fn warp_to(src: &Path, target: &TargetGrid, resampling: Resampling) -> Result<Raster> {
    let ds = geotiff::open_gdal(&src.to_string_lossy(), src)?;
    let src_wkt = ds.projection();
    if src_wkt.trim().is_empty() {
        return Err(Error::format(src, "has no CRS; it cannot be reprojected"));
    }
    SpatialRef::from_wkt(&src_wkt).map_err(|e| Error::format(src, format!("unknown CRS: {e}")))?;
    SpatialRef::from_wkt(&target.crs_wkt)
        .map_err(|e| Error::Invalid(format!("target grid: unknown CRS: {e}")))?;
    let bands = ds.raster_count();
    let gdal_err =
        |what: &str, e: gdal::errors::GdalError| Error::format(src, format!("{what}: {e}"));
    let mem = DriverManager::get_driver_by_name("MEM").map_err(|e| gdal_err("MEM driver", e))?;
    let mut dst = mem
        .create_with_band_type::<f64, _>("", target.cols, target.rows, bands)
        .map_err(|e| gdal_err("target dataset", e))?;
    dst.set_geo_transform(&target.geotransform)
        .map_err(|e| gdal_err("target geotransform", e))?;
    dst.set_projection(&target.crs_wkt)
        .map_err(|e| gdal_err("target CRS", e))?;
    for b in 1..=bands {
        let mut band = dst.rasterband(b).map_err(|e| gdal_err("target band", e))?;
        band.set_no_data_value(Some(f64::NAN))
            .map_err(|e| gdal_err("target nodata", e))?;
        band.fill(f64::NAN, None)
            .map_err(|e| gdal_err("target fill", e))?;
    }
    reproject_image(&ds, &dst, resampling)
        .map_err(|m| Error::format(src, format!("warping failed: {m}")))?;
    let mut data = Array3::<f64>::from_elem((bands, target.rows, target.cols), f64::NAN);
    for b in 0..bands {
        let band = dst
            .rasterband(b + 1)
            .map_err(|e| gdal_err("target band", e))?;
        let buf: Buffer<f64> = band
            .read_as(
                (0, 0),
                (target.cols, target.rows),
                (target.cols, target.rows),
                None,
            )
            .map_err(|e| gdal_err("reading the warped band", e))?;
        let (_, values) = buf.into_shape_and_vec();
        for (d, v) in data.index_axis_mut(Axis(0), b).iter_mut().zip(values) {
            *d = v;
        }
    }
    if data.iter().all(|x| x.is_nan()) {
        return Err(Error::format(
            src,
            "does not overlap the target grid (every target cell is empty)",
        ));
    }
    let band_names = (1..=bands)
        .map(|b| {
            ds.rasterband(b)
                .ok()
                .and_then(|bd| gdal::Metadata::description(&bd).ok())
                .unwrap_or_default()
        })
        .collect();
    Ok(Raster {
        data,
        geotransform: target.geotransform,
        crs_wkt: target.crs_wkt.clone(),
        band_names,
    })
}

/// `GDALReprojectImage` with a chosen resampling (the `gdal` crate's
/// `reproject` is fixed to bilinear).
#[allow(unsafe_code)]
fn reproject_image(
    src: &gdal::Dataset,
    dst: &gdal::Dataset,
    resampling: Resampling,
) -> std::result::Result<(), String> {
    // SAFETY: both handles are valid, open datasets owned by the caller for
    // the whole call; null WKTs mean "use the datasets' own CRS"; no
    // progress callback or warp options are passed.
    let rv = unsafe {
        gdal_sys::GDALReprojectImage(
            src.c_dataset(),
            std::ptr::null(),
            dst.c_dataset(),
            std::ptr::null(),
            resampling.gdal(),
            0.0,
            0.125,
            None,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    if rv == gdal_sys::CPLErr::CE_None {
        Ok(())
    } else {
        // SAFETY: CPLGetLastErrorMsg returns a pointer to a thread-local,
        // NUL-terminated buffer owned by GDAL, valid until the next GDAL call.
        let msg = unsafe { std::ffi::CStr::from_ptr(gdal_sys::CPLGetLastErrorMsg()) };
        Err(msg.to_string_lossy().into_owned())
    }
}
