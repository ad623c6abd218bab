//! Raster maps: continuous values with a colour bar, and label rasters.

use std::path::Path;

use ndarray::ArrayView2;

use super::canvas::{invalid, render, titled};
use super::{MapStyle, HEIGHT, WIDTH};
use crate::Result;

pub(crate) fn map(path: &Path, data: ArrayView2<'_, f64>, style: &MapStyle) -> Result<()> {
    check_raster(data.dim(), "data")?;
    check_pixel_size(style.pixel_size_m)?;
    if let Some((lo, hi)) = style.range {
        if !(lo.is_finite() && hi.is_finite() && hi > lo) {
            return Err(invalid(format!(
                "map `{}`: range ({lo}, {hi}) must be finite with min < max",
                style.title
            )));
        }
    }
    render(path, (WIDTH, HEIGHT), |root| {
        titled(root, &style.title)?;
        Ok(())
    })
}

pub(crate) fn labels_map(
    path: &Path,
    labels: ArrayView2<'_, i64>,
    title: &str,
    pixel_size_m: Option<f64>,
) -> Result<()> {
    check_raster(labels.dim(), "labels")?;
    check_pixel_size(pixel_size_m)?;
    render(path, (WIDTH, HEIGHT), |root| {
        titled(root, title)?;
        Ok(())
    })
}

fn check_raster((rows, cols): (usize, usize), what: &str) -> Result<()> {
    if rows == 0 || cols == 0 {
        return Err(invalid(format!(
            "map: `{what}` is empty ({rows} rows × {cols} columns)"
        )));
    }
    Ok(())
}

fn check_pixel_size(pixel_size_m: Option<f64>) -> Result<()> {
    match pixel_size_m {
        Some(p) if !(p.is_finite() && p > 0.0) => Err(invalid(format!(
            "map: pixel size {p} m must be positive and finite"
        ))),
        _ => Ok(()),
    }
}
