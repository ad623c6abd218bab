//! The active-layer check: ALT calibration by water content (the study's
//! Eq. 8), weighted block averages of InSAR pixels around stations, and the
//! agreement (RMSE, R²) between seasonal amplitude and (calibrated) ALT.

use ndarray::ArrayView2;

use crate::error::{Error, Result};
use crate::lsq::{solve, Design};

/// The water content the study divides by in Eq. 8 (m³ m⁻³).
pub const REFERENCE_VWC: f64 = 0.3;

/// Mean Earth radius (m, IUGG), for local metric offsets on geographic grids.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A soil layer between two depths (m, positive down) with its volumetric
/// water content (m³ m⁻³).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layer {
    /// Depth of the layer's top (m), ≥ 0.
    pub top: f64,
    /// Depth of the layer's bottom (m), > top.
    pub bottom: f64,
    /// Volumetric water content (m³ m⁻³), in \[0, 1\].
    pub vwc: f64,
}

/// The depth-weighted mean water content of `layers` (each weighted by its
/// thickness), counting only the part of each layer above `depth` when it
/// is given (the active layer: pass the ALT).
///
/// # Errors
/// [`Error::OutOfRange`] naming the layer for a negative top, a bottom not
/// below the top, or a water content outside \[0, 1\]; [`Error::AllMissing`]
/// when no layer lies above `depth`.
pub fn mean_vwc(layers: &[Layer], depth: Option<f64>) -> Result<f64> {
    let (mut sw, mut swv) = (0.0, 0.0);
    for (i, l) in layers.iter().enumerate() {
        if !(l.top.is_finite() && l.top >= 0.0) {
            return Err(Error::out_of_range(
                "layers.top",
                Some(i),
                l.top,
                "must be finite and ≥ 0 (m)",
            ));
        }
        if !(l.bottom.is_finite() && l.bottom > l.top) {
            return Err(Error::out_of_range(
                "layers.bottom",
                Some(i),
                l.bottom,
                "must be finite and below the top (m)",
            ));
        }
        if !(0.0..=1.0).contains(&l.vwc) {
            return Err(Error::out_of_range(
                "layers.vwc",
                Some(i),
                l.vwc,
                "must lie in [0, 1] (m³ m⁻³)",
            ));
        }
        let bottom = depth.map_or(l.bottom, |d| l.bottom.min(d));
        let h = bottom - l.top;
        if h > 0.0 {
            sw += h;
            swv += h * l.vwc;
        }
    }
    if sw > 0.0 {
        Ok(swv / sw)
    } else {
        Err(Error::AllMissing {
            input: "layers (above the given depth)",
        })
    }
}

/// The study's Eq. 8: ALT_cal = ALT · VWC_mean / 0.3 (same unit as `alt`).
///
/// ```
/// use permafrost_pecm::calibrate_alt;
/// assert!((calibrate_alt(2.0, 0.45) - 3.0).abs() < 1e-12);
/// ```
pub fn calibrate_alt(alt: f64, vwc_mean: f64) -> f64 {
    calibrate_alt_with(alt, vwc_mean, REFERENCE_VWC)
}

/// Eq. 8 with another reference water content.
pub fn calibrate_alt_with(alt: f64, vwc_mean: f64, reference_vwc: f64) -> f64 {
    alt * vwc_mean / reference_vwc
}

/// Eq. 8 from layers: VWC_mean is the depth-weighted mean over the active
/// layer (the layers clipped at `alt`, in metres).
///
/// # Errors
/// Those of [`mean_vwc`], and [`Error::OutOfRange`] for an ALT that is not
/// finite and > 0.
pub fn calibrate_alt_layers(alt: f64, layers: &[Layer]) -> Result<f64> {
    if !(alt.is_finite() && alt > 0.0) {
        return Err(Error::out_of_range(
            "alt",
            None,
            alt,
            "must be finite and > 0 (m)",
        ));
    }
    Ok(calibrate_alt(alt, mean_vwc(layers, Some(alt))?))
}

/// The coordinate system of a raster's geotransform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GridCrs {
    /// Longitude / latitude in degrees (WGS84; the S-PECM products).
    Geographic,
    /// Projected easting / northing in metres.
    Projected,
}

/// A north-up raster grid: GDAL's geotransform without rotation. Pixel
/// `(row, col)` has its centre at (x0 + (col + ½)·dx, y0 + (row + ½)·dy).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoGrid {
    /// x (longitude or easting) of the top-left corner.
    pub x0: f64,
    /// Pixel width (GT\[1\]).
    pub dx: f64,
    /// y (latitude or northing) of the top-left corner.
    pub y0: f64,
    /// Pixel height (GT\[5\], negative for north-up).
    pub dy: f64,
    /// The coordinate system.
    pub crs: GridCrs,
}

impl GeoGrid {
    /// From a GDAL geotransform `[x0, dx, rx, y0, ry, dy]`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for rotation terms or a zero/non-finite
    /// pixel size.
    pub fn from_geotransform(gt: [f64; 6], crs: GridCrs) -> Result<Self> {
        if gt[2] != 0.0 || gt[4] != 0.0 {
            return Err(Error::invalid_parameter(
                "geotransform",
                gt,
                "rotated grids are not supported",
            ));
        }
        if !(gt[1].is_finite() && gt[1] != 0.0 && gt[5].is_finite() && gt[5] != 0.0) {
            return Err(Error::invalid_parameter(
                "geotransform",
                gt,
                "pixel sizes must be finite and non-zero",
            ));
        }
        Ok(GeoGrid {
            x0: gt[0],
            dx: gt[1],
            y0: gt[3],
            dy: gt[5],
            crs,
        })
    }

    /// The centre of pixel `(row, col)`.
    pub fn center(&self, row: usize, col: usize) -> (f64, f64) {
        (
            self.x0 + (col as f64 + 0.5) * self.dx,
            self.y0 + (row as f64 + 0.5) * self.dy,
        )
    }

    /// Offsets (east, north) in metres from point (x, y) to (px, py):
    /// directly for projected grids, on the local tangent plane (spherical
    /// Earth) for geographic ones.
    pub fn offset_m(&self, x: f64, y: f64, px: f64, py: f64) -> (f64, f64) {
        match self.crs {
            GridCrs::Projected => (px - x, py - y),
            GridCrs::Geographic => {
                let dlon = (px - x + 540.0).rem_euclid(360.0) - 180.0;
                let k = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
                (k * y.to_radians().cos() * dlon, k * (py - y))
            }
        }
    }
}

/// How pixels in a block are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BlockWeighting {
    /// By 1/σ² of each pixel's value (needs the σ raster; the default).
    #[default]
    InverseVariance,
    /// Equally.
    Uniform,
}

/// Parameters of the block average.
///
/// | parameter | default | setter |
/// |---|---|---|
/// | block side (m), centred on the station | 200 | [`with_size_m`](BlockParams::with_size_m) |
/// | weighting | inverse variance | [`with_weighting`](BlockParams::with_weighting) |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockParams {
    size_m: f64,
    weighting: BlockWeighting,
}

impl Default for BlockParams {
    fn default() -> Self {
        Self::new()
    }
}

impl BlockParams {
    /// The defaults: a 200 m × 200 m block (the study's), inverse-variance weights.
    pub fn new() -> Self {
        BlockParams {
            size_m: 200.0,
            weighting: BlockWeighting::InverseVariance,
        }
    }

    /// The block side (m), finite and > 0.
    #[must_use]
    pub fn with_size_m(mut self, size_m: f64) -> Self {
        self.size_m = size_m;
        self
    }

    /// The weighting.
    #[must_use]
    pub fn with_weighting(mut self, weighting: BlockWeighting) -> Self {
        self.weighting = weighting;
        self
    }

    /// The block side (m).
    pub fn size_m(&self) -> f64 {
        self.size_m
    }

    /// The weighting.
    pub fn weighting(&self) -> BlockWeighting {
        self.weighting
    }
}

/// A weighted block average around one point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockAverage {
    /// The weighted mean.
    pub value: f64,
    /// Its standard error: 1/√Σw for inverse-variance weights;
    /// √Σσ²/n (with σ) or std/√n (without, `NaN` for one pixel) for uniform
    /// weights.
    pub sigma: f64,
    /// Pixels averaged.
    pub n_pixels: usize,
    /// `true` when no pixel centre fell in the block and the pixel
    /// containing the point was used instead (pixels larger than the block).
    pub containing_pixel: bool,
}

/// The weighted average of the finite pixels of `values` (axes
/// `(row, col)`) whose centres lie in the square block of side
/// `params.size_m` centred on (x, y) (longitude/latitude or easting/northing
/// as the grid). `sigmas` (same shape) gives each pixel's σ for
/// inverse-variance weights. `Ok(None)` when no finite pixel qualifies.
///
/// # Errors
/// [`Error::ShapeMismatch`], [`Error::InvalidParameter`] for a bad block
/// size or inverse-variance weights without `sigmas`.
pub fn block_average(
    values: ArrayView2<'_, f64>,
    sigmas: Option<ArrayView2<'_, f64>>,
    grid: &GeoGrid,
    x: f64,
    y: f64,
    params: &BlockParams,
) -> Result<Option<BlockAverage>> {
    if !(params.size_m.is_finite() && params.size_m > 0.0) {
        return Err(Error::invalid_parameter(
            "size_m",
            params.size_m,
            "must be finite and > 0 (m)",
        ));
    }
    if let Some(s) = &sigmas {
        if s.shape() != values.shape() {
            return Err(Error::ShapeMismatch {
                input: "sigmas",
                found: s.shape().to_vec(),
                reference: "values",
                expected: values.shape().to_vec(),
            });
        }
    }
    if params.weighting == BlockWeighting::InverseVariance && sigmas.is_none() {
        return Err(Error::invalid_parameter(
            "weighting",
            params.weighting,
            "inverse-variance weights need the sigma raster",
        ));
    }
    let (rows, cols) = values.dim();
    let half = params.size_m / 2.0;
    // Candidate index ranges from the block's extent in grid units.
    let (ex, ey) = match grid.crs {
        GridCrs::Projected => (half, half),
        GridCrs::Geographic => {
            let k = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
            (half / (k * y.to_radians().cos().max(1e-6)), half / k)
        }
    };
    let range = |lo: f64, hi: f64, o: f64, d: f64, n: usize| -> (usize, usize) {
        let a = (lo - o) / d - 0.5;
        let b = (hi - o) / d - 0.5;
        let (a, b) = (a.min(b).floor() - 1.0, a.max(b).ceil() + 1.0);
        let a = a.max(0.0).min(n as f64) as usize;
        let b = (b.max(-1.0) + 1.0).min(n as f64) as usize;
        (a, b)
    };
    let (c0, c1) = range(x - ex, x + ex, grid.x0, grid.dx, cols);
    let (r0, r1) = range(y - ey, y + ey, grid.y0, grid.dy, rows);
    let weighting = params.weighting;
    let mut pixels: Vec<(f64, f64)> = Vec::new();
    let take = |r: usize, c: usize, pixels: &mut Vec<(f64, f64)>| {
        let v = values[[r, c]];
        let s = sigmas.as_ref().map_or(f64::NAN, |s| s[[r, c]]);
        let ok = v.is_finite()
            && match weighting {
                BlockWeighting::InverseVariance => s.is_finite() && s > 0.0,
                BlockWeighting::Uniform => true,
            };
        if ok {
            pixels.push((v, s));
        }
    };
    for r in r0..r1 {
        for c in c0..c1 {
            let (px, py) = grid.center(r, c);
            let (de, dn) = grid.offset_m(x, y, px, py);
            if de.abs() <= half && dn.abs() <= half {
                take(r, c, &mut pixels);
            }
        }
    }
    let mut containing = false;
    if pixels.is_empty() {
        let c = ((x - grid.x0) / grid.dx).floor();
        let r = ((y - grid.y0) / grid.dy).floor();
        if c >= 0.0 && r >= 0.0 && (c as usize) < cols && (r as usize) < rows {
            take(r as usize, c as usize, &mut pixels);
            containing = true;
        }
    }
    if pixels.is_empty() {
        return Ok(None);
    }
    let n = pixels.len();
    let (value, sigma) = match weighting {
        BlockWeighting::InverseVariance => {
            let sw: f64 = pixels.iter().map(|(_, s)| 1.0 / (s * s)).sum();
            let swv: f64 = pixels.iter().map(|(v, s)| v / (s * s)).sum();
            (swv / sw, 1.0 / sw.sqrt())
        }
        BlockWeighting::Uniform => {
            let mean = pixels.iter().map(|(v, _)| v).sum::<f64>() / n as f64;
            let sigma = if sigmas.is_some() && pixels.iter().all(|(_, s)| s.is_finite()) {
                pixels.iter().map(|(_, s)| s * s).sum::<f64>().sqrt() / n as f64
            } else if n > 1 {
                let var = pixels
                    .iter()
                    .map(|(v, _)| (v - mean) * (v - mean))
                    .sum::<f64>()
                    / (n - 1) as f64;
                (var / n as f64).sqrt()
            } else {
                f64::NAN
            };
            (mean, sigma)
        }
    };
    Ok(Some(BlockAverage {
        value,
        sigma,
        n_pixels: n,
        containing_pixel: containing,
    }))
}

/// Agreement between seasonal amplitude and ALT over stations: the
/// least-squares line amplitude = intercept + slope·ALT, the RMSE of the
/// amplitudes about it (in the amplitude's unit; the study reports 9 mm
/// against ALT and 3 mm against calibrated ALT), R² of the line and the
/// Pearson correlation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AltAgreement {
    /// Stations used (both values finite).
    pub n: usize,
    /// Slope (amplitude unit per ALT unit).
    pub slope: f64,
    /// Intercept (amplitude unit).
    pub intercept: f64,
    /// √(Σ residual²/n).
    pub rmse: f64,
    /// 1 − RSS/TSS.
    pub r2: f64,
    /// Pearson correlation coefficient.
    pub pearson_r: f64,
}

/// The agreement between `amplitude` and `alt` (paired by index; pairs with
/// a `NaN` are dropped).
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::TooFewObservations`] for fewer than
/// three pairs, [`Error::Singular`] when every ALT is the same.
pub fn alt_agreement(alt: &[f64], amplitude: &[f64]) -> Result<AltAgreement> {
    if amplitude.len() != alt.len() {
        return Err(Error::length(
            "amplitude",
            amplitude.len(),
            "alt",
            alt.len(),
        ));
    }
    let keep: Vec<usize> = (0..alt.len())
        .filter(|&i| alt[i].is_finite() && amplitude[i].is_finite())
        .collect();
    if keep.len() < 3 {
        return Err(Error::TooFewObservations {
            model: "regression",
            found: keep.len(),
            params: 2,
        });
    }
    let rows = keep.iter().map(|&i| [1.0, alt[i], 0.0, 0.0]).collect();
    let y: Vec<f64> = keep.iter().map(|&i| amplitude[i]).collect();
    let design = Design::new("regression", &["intercept", "slope"], rows);
    let s = solve(&design, &y, None, None)?;
    let n = keep.len() as f64;
    let xm = keep.iter().map(|&i| alt[i]).sum::<f64>() / n;
    let ym = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&i, &yi) in keep.iter().zip(&y) {
        sxy += (alt[i] - xm) * (yi - ym);
        sxx += (alt[i] - xm) * (alt[i] - xm);
        syy += (yi - ym) * (yi - ym);
    }
    Ok(AltAgreement {
        n: keep.len(),
        slope: s.coef[1],
        intercept: s.coef[0],
        rmse: (s.rss / n).sqrt(),
        r2: if s.wtss > 0.0 {
            1.0 - s.wrss / s.wtss
        } else {
            f64::NAN
        },
        pearson_r: sxy / (sxx * syy).sqrt(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn mean_vwc_is_thickness_weighted_and_clipped() {
        let layers = [
            Layer {
                top: 0.0,
                bottom: 0.5,
                vwc: 0.2,
            },
            Layer {
                top: 0.5,
                bottom: 1.0,
                vwc: 0.4,
            },
            Layer {
                top: 1.0,
                bottom: 3.0,
                vwc: 0.1,
            },
        ];
        // 0.5·0.2 + 0.5·0.4 + 2·0.1 over 3 m.
        assert!((mean_vwc(&layers, None).unwrap() - 0.5 / 3.0).abs() < 1e-15);
        // Clipped at 1.5 m: 0.5·0.2 + 0.5·0.4 + 0.5·0.1 over 1.5 m.
        assert!((mean_vwc(&layers, Some(1.5)).unwrap() - 0.35 / 1.5).abs() < 1e-15);
        let cal = calibrate_alt_layers(1.5, &layers).unwrap();
        assert!((cal - 1.5 * (0.35 / 1.5) / 0.3).abs() < 1e-15);
        let bad = [Layer {
            top: 0.5,
            bottom: 0.2,
            vwc: 0.3,
        }];
        assert!(mean_vwc(&bad, None)
            .unwrap_err()
            .to_string()
            .contains("layers.bottom[0]"));
    }

    #[test]
    fn block_on_a_projected_grid() {
        // 50 m pixels; the station at the corner shared by pixels (1,1),(1,2),(2,1),(2,2).
        let grid = GeoGrid {
            x0: 0.0,
            dx: 50.0,
            y0: 500.0,
            dy: -50.0,
            crs: GridCrs::Projected,
        };
        let values = Array2::from_shape_fn((10, 10), |(r, c)| (10 * r + c) as f64);
        let p = BlockParams::new().with_weighting(BlockWeighting::Uniform);
        let b = block_average(values.view(), None, &grid, 100.0, 400.0, &p)
            .unwrap()
            .unwrap();
        // Centres within ±100 m: cols 0..=3 (x 25..175), rows 0..=3 (y 475..325) → 16 pixels.
        assert_eq!(b.n_pixels, 16);
        let mean = (0..4)
            .flat_map(|r| (0..4).map(move |c| (10 * r + c) as f64))
            .sum::<f64>()
            / 16.0;
        assert!((b.value - mean).abs() < 1e-12);
        // Inverse variance: equal σ gives the same mean and σ/√n.
        let s = Array2::from_elem((10, 10), 2.0);
        let b = block_average(
            values.view(),
            Some(s.view()),
            &grid,
            100.0,
            400.0,
            &BlockParams::new(),
        )
        .unwrap()
        .unwrap();
        assert!((b.value - mean).abs() < 1e-12);
        assert!((b.sigma - 0.5).abs() < 1e-12);
        // Outside the grid.
        assert!(block_average(values.view(), None, &grid, -1e4, 0.0, &p)
            .unwrap()
            .is_none());
    }

    #[test]
    fn block_on_a_geographic_grid_falls_back_to_the_containing_pixel() {
        // 0.01° pixels (≈ 1.1 km × 0.4 km at 68°N) are larger than the block.
        let grid = GeoGrid {
            x0: -150.0,
            dx: 0.01,
            y0: 68.1,
            dy: -0.01,
            crs: GridCrs::Geographic,
        };
        let values = Array2::from_shape_fn((10, 10), |(r, c)| (10 * r + c) as f64);
        let p = BlockParams::new().with_weighting(BlockWeighting::Uniform);
        // Station 187 m east of the centre of pixel (5, 5), inside it.
        let b = block_average(values.view(), None, &grid, -149.9405, 68.0449, &p)
            .unwrap()
            .unwrap();
        assert!(b.containing_pixel);
        assert_eq!(b.value, 55.0);
        // A small-pixel geographic grid: 0.0005° ≈ 55 m in latitude.
        let grid = GeoGrid {
            x0: 10.0,
            dx: 0.0005,
            y0: 60.01,
            dy: -0.0005,
            crs: GridCrs::Geographic,
        };
        let values = Array2::from_elem((40, 40), 1.0);
        let b = block_average(values.view(), None, &grid, 10.01, 60.0, &p)
            .unwrap()
            .unwrap();
        // ±100 m: latitude ±0.0009° → 4 rows; longitude ±0.0018° → 8 cols.
        assert!(!b.containing_pixel);
        assert_eq!(b.n_pixels, 32);
    }

    #[test]
    fn agreement_of_a_noisy_line() {
        let alt = [1.0, 2.0, 3.0, 4.0];
        let amp = [0.011, 0.019, 0.031, 0.039];
        let a = alt_agreement(&alt, &amp).unwrap();
        assert!((a.slope - 0.0096).abs() < 1e-12);
        assert!((a.intercept - 0.001).abs() < 1e-12);
        // Residuals 0.0004, −0.0012, 0.0012, −0.0004 → RSS 3.2e-6.
        assert!((a.rmse - (3.2e-6f64 / 4.0).sqrt()).abs() < 1e-12);
        assert!((a.r2 - a.pearson_r * a.pearson_r).abs() < 1e-12);
        assert!(matches!(
            alt_agreement(&alt[..2], &amp[..2]),
            Err(Error::TooFewObservations { found: 2, .. })
        ));
    }
}
