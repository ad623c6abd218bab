//! Figures for the studies: maps with colour bars and scale bars, categorical
//! label maps, binned box plots, geodetector q-statistic bars, lower-triangle
//! correlation heat maps, histogram / CDF panels and fitted time series.
//!
//! Every function renders one PNG of about 1000 × 700 pixels with
//! [`plotters`]' bitmap backend and a bundled font (DejaVu Sans, so no system
//! font library is needed), and writes it atomically (temporary file beside
//! the target, then rename). Inputs are checked first: empty or mismatched
//! inputs give an [`Error::Invalid`](crate::Error::Invalid) naming the
//! argument; data that is all `NaN` still renders (an empty plot saying so),
//! it never panics.
//!
//! | function | figure |
//! |---|---|
//! | [`map`] | a raster, north up, with colour bar (units), scale bar and `NaN` in grey |
//! | [`labels_map`] | a label raster (clusters, hotspots), categorical colours and a legend; −1 is background |
//! | [`binned_boxplot`] | one box per class (median, quartiles, 1.5 IQR whiskers) with `n` |
//! | [`q_bars`] | geographical-detector q per factor, sorted, non-significant factors pale and hatched |
//! | [`correlation_heatmap`] | lower triangle of a correlation matrix with values, diverging −1…1 |
//! | [`histograms_cdf`] | per-bin density and cumulative distribution, one line per group |
//! | [`time_series`] | observed points and fitted lines per series over dates |
//!
//! # Example
//!
//! ```
//! use ndarray::Array2;
//! use permafrost_insar::figures::{map, Colormap, MapStyle};
//!
//! let dir = tempfile::tempdir()?;
//! let rate = Array2::from_shape_fn((60, 80), |(r, c)| (r as f64 - 30.0) * 0.2 + c as f64 * 0.05);
//! let style = MapStyle {
//!     title: "Linear rate".into(),
//!     units: "mm/yr".into(),
//!     colormap: Colormap::Diverging,
//!     range: None,
//!     pixel_size_m: Some(90.0),
//! };
//! let png = dir.path().join("rate.png");
//! map(&png, rate.view(), &style)?;
//! assert!(std::fs::read(&png)?.starts_with(b"\x89PNG"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod canvas;
mod charts;
mod colormap;
mod maps;

use std::path::Path;

use ndarray::ArrayView2;

use crate::Result;

pub use charts::{box_stats, BoxStats};
pub use colormap::Colormap;

/// Width of every figure in pixels.
pub const WIDTH: u32 = 1000;
/// Height of every figure in pixels.
pub const HEIGHT: u32 = 700;

/// How [`map`] draws a raster.
#[derive(Debug, Clone, PartialEq)]
pub struct MapStyle {
    /// Title above the map.
    pub title: String,
    /// Units of the values, written on the colour bar (e.g. `mm/yr`).
    pub units: String,
    /// Colour map.
    pub colormap: Colormap,
    /// Value range of the colour bar; `None` takes the 2 % and 98 %
    /// percentiles of the finite values (made symmetric about 0 for
    /// [`Colormap::Diverging`]). Values outside are clamped to the end colours.
    pub range: Option<(f64, f64)>,
    /// Pixel size in metres; when given the axes are in km and a scale bar is
    /// drawn, otherwise the axes count pixels.
    pub pixel_size_m: Option<f64>,
}

impl Default for MapStyle {
    fn default() -> Self {
        MapStyle {
            title: String::new(),
            units: String::new(),
            colormap: Colormap::Viridis,
            range: None,
            pixel_size_m: None,
        }
    }
}

/// One series of [`time_series`]: observations on the figure's dates and,
/// optionally, a fitted model on the same dates.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Name in the legend (e.g. the pixel's row and column).
    pub name: String,
    /// One value per date; `NaN` = missing.
    pub observed: Vec<f64>,
    /// Fitted model, one value per date, drawn as a line.
    pub fitted: Option<Vec<f64>>,
}

/// Draws a raster `data` (axes `(row, col)`, row 0 at the top: north up) with
/// a colour bar labelled with `style.units`, a scale bar when
/// `style.pixel_size_m` is given, and `NaN` pixels in grey.
pub fn map(path: &Path, data: ArrayView2<'_, f64>, style: &MapStyle) -> Result<()> {
    maps::map(path, data, style)
}

/// Draws a label raster (axes `(row, col)`, row 0 at the top): `-1` is
/// background / noise (light grey), every other label gets a categorical
/// colour and a legend entry with its pixel count.
pub fn labels_map(
    path: &Path,
    labels: ArrayView2<'_, i64>,
    title: &str,
    pixel_size_m: Option<f64>,
) -> Result<()> {
    maps::labels_map(path, labels, title, pixel_size_m)
}

/// One box per class: median, interquartile range, whiskers to the most
/// extreme values within 1.5 IQR, and the number of values above each box.
/// `groups[i]` holds the values of `classes[i]`; non-finite values are
/// ignored.
pub fn binned_boxplot(
    path: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    classes: &[String],
    groups: &[Vec<f64>],
) -> Result<()> {
    charts::binned_boxplot(path, title, x_label, y_label, classes, groups)
}

/// Geographical-detector q statistic per factor as horizontal bars, sorted
/// descending; factors that are not significant are drawn pale and hatched.
pub fn q_bars(
    path: &Path,
    title: &str,
    names: &[String],
    q: &[f64],
    significant: &[bool],
) -> Result<()> {
    charts::q_bars(path, title, names, q, significant)
}

/// The lower triangle (with the diagonal) of a square correlation `matrix`
/// named by `names`, each cell coloured on a diverging −1…1 scale with its
/// value printed.
pub fn correlation_heatmap(
    path: &Path,
    title: &str,
    names: &[String],
    matrix: ArrayView2<'_, f64>,
) -> Result<()> {
    charts::correlation_heatmap(path, title, names, matrix)
}

/// Two panels over the bins given by `bin_edges` (`n + 1` increasing edges):
/// the density per bin and the cumulative distribution, one line per group.
/// Each group holds `n` non-negative per-bin weights (counts or
/// probabilities, e.g. a cluster centroid); they are normalised to a density
/// (weight / (total × bin width)) and a CDF (running total / total).
pub fn histograms_cdf(
    path: &Path,
    title: &str,
    x_label: &str,
    bin_edges: &[f64],
    groups: &[(String, Vec<f64>)],
) -> Result<()> {
    charts::histograms_cdf(path, title, x_label, bin_edges, groups)
}

/// Observed values as points and fitted values as lines over `dates`, one
/// colour per series, with a legend.
pub fn time_series(
    path: &Path,
    title: &str,
    y_label: &str,
    dates: &[chrono::NaiveDate],
    series: &[Series],
) -> Result<()> {
    charts::time_series(path, title, y_label, dates, series)
}
