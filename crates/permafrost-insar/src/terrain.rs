//! Terrain factors from a DEM: slope and aspect by Horn's (1981) 3 × 3
//! method, with metric pixel spacing on projected *and* geographic grids.
//!
//! On a geographic grid the spacing of a pixel in metres comes from its
//! row's latitude on the WGS84 ellipsoid: east–west `Δλ·N(φ)·cos φ`,
//! north–south `Δφ·M(φ)` (prime-vertical and meridional radii), so a slope
//! at 60° N is not overestimated twofold as with a constant degree-to-metre
//! scale. Aspect is the downslope direction in degrees clockwise from north,
//! as `gdaldem aspect`.
//!
//! Edges and nodata: a neighbour outside the raster or `NaN` is replaced by
//! the centre value (GDAL's `-compute_edges` rule), so `NaN` never spreads
//! beyond its own cell; a `NaN` centre gives `NaN`. Flat cells (zero
//! gradient) get slope 0, aspect `NaN` and `flat = true`.

use ndarray::{Array2, ArrayView2};

use crate::error::{Error, Result};

/// WGS84 semi-major axis (m) and first eccentricity squared.
const WGS84_A: f64 = 6_378_137.0;
const WGS84_E2: f64 = 6.694_379_990_141_316e-3;

/// How pixel spacing converts to metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spacing {
    /// Projected grid: pixel size in the CRS's linear unit times `metres_per_unit`.
    Projected {
        /// Metres per CRS unit (1 for metre-based CRSs).
        metres_per_unit: f64,
    },
    /// Geographic grid (degrees): metres from each row's latitude on WGS84.
    Geographic,
}

/// Slope and aspect of a DEM, on the DEM's grid.
#[derive(Debug, Clone, PartialEq)]
pub struct SlopeAspect {
    /// Slope in degrees (0 = flat), axes `(row, col)`.
    pub slope_deg: Array2<f64>,
    /// Aspect in degrees clockwise from north, in `[0, 360)`; `NaN` where flat.
    pub aspect_deg: Array2<f64>,
    /// True where the gradient is exactly zero.
    pub flat: Array2<bool>,
}

/// Metres per degree of longitude and of latitude at latitude `lat_deg` (WGS84).
pub fn metres_per_degree(lat_deg: f64) -> (f64, f64) {
    let phi = lat_deg.to_radians();
    let s2 = phi.sin().powi(2);
    let w = (1.0 - WGS84_E2 * s2).sqrt();
    let n = WGS84_A / w; // prime vertical radius
    let m = WGS84_A * (1.0 - WGS84_E2) / (w * w * w); // meridional radius
    let rad = std::f64::consts::PI / 180.0;
    (rad * n * phi.cos(), rad * m)
}

/// Slope and aspect by Horn's method. `geotransform` is GDAL's
/// `[x0, dx, 0, y0, 0, dy]` (rotated grids are refused).
pub fn slope_aspect(
    dem: ArrayView2<'_, f64>,
    geotransform: [f64; 6],
    spacing: Spacing,
) -> Result<SlopeAspect> {
    if geotransform[2] != 0.0 || geotransform[4] != 0.0 {
        return Err(Error::Invalid(
            "terrain: rotated grids (geotransform terms 2 and 4 non-zero) are not supported".into(),
        ));
    }
    if geotransform[1] == 0.0 || geotransform[5] == 0.0 {
        return Err(Error::Invalid(
            "terrain: zero pixel size in the geotransform".into(),
        ));
    }
    let (rows, cols) = dem.dim();
    let mut slope = Array2::<f64>::from_elem((rows, cols), f64::NAN);
    let mut aspect = Array2::<f64>::from_elem((rows, cols), f64::NAN);
    let mut flat = Array2::<bool>::from_elem((rows, cols), false);
    for r in 0..rows {
        // Pixel spacing in metres for this row; the sign of dy tells which way rows run.
        let (dx_m, dy_m) = match spacing {
            Spacing::Projected { metres_per_unit } => (
                geotransform[1].abs() * metres_per_unit,
                geotransform[5].abs() * metres_per_unit,
            ),
            Spacing::Geographic => {
                let lat = geotransform[3] + (r as f64 + 0.5) * geotransform[5];
                let (mx, my) = metres_per_degree(lat);
                (geotransform[1].abs() * mx, geotransform[5].abs() * my)
            }
        };
        // +1 when row index increases southwards (the usual north-up grid).
        let south = if geotransform[5] < 0.0 { 1.0 } else { -1.0 };
        let east = if geotransform[1] > 0.0 { 1.0 } else { -1.0 };
        for c in 0..cols {
            let z0 = dem[[r, c]];
            if z0.is_nan() {
                continue;
            }
            let z = |dr: isize, dc: isize| -> f64 {
                let (rr, cc) = (r as isize + dr, c as isize + dc);
                if rr < 0 || cc < 0 || rr >= rows as isize || cc >= cols as isize {
                    return z0;
                }
                let v = dem[[rr as usize, cc as usize]];
                if v.is_nan() {
                    z0
                } else {
                    v
                }
            };
            // Window  a b c / d e f / g h i  with row -1 on top.
            let (a, b, cc_) = (z(-1, -1), z(-1, 0), z(-1, 1));
            let (d, f) = (z(0, -1), z(0, 1));
            let (g, h, i) = (z(1, -1), z(1, 0), z(1, 1));
            let dz_dcol = ((cc_ + 2.0 * f + i) - (a + 2.0 * d + g)) / (8.0 * dx_m);
            let dz_drow = ((g + 2.0 * h + i) - (a + 2.0 * b + cc_)) / (8.0 * dy_m);
            let dz_east = east * dz_dcol;
            let dz_north = -south * dz_drow;
            let grad = dz_east.hypot(dz_north);
            slope[[r, c]] = grad.atan().to_degrees();
            if grad == 0.0 {
                flat[[r, c]] = true;
            } else {
                // Downslope direction, clockwise from north.
                let az = (-dz_east).atan2(-dz_north).to_degrees();
                let az = if az < 0.0 { az + 360.0 } else { az };
                aspect[[r, c]] = if az >= 360.0 { 0.0 } else { az };
            }
        }
    }
    Ok(SlopeAspect {
        slope_deg: slope,
        aspect_deg: aspect,
        flat,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metres_per_degree_matches_known_values() {
        // At the equator: 111 319.49 m per degree of longitude, 110 574.28 of latitude.
        let (mx, my) = metres_per_degree(0.0);
        assert!((mx - 111_319.490_793).abs() < 1e-3, "{mx}");
        assert!((my - 110_574.275_822).abs() < 1e-3, "{my}");
        // At 60° N longitude degrees shrink to about half (N(φ)·cos φ·π/180
        // with WGS84 a = 6378137 m, f = 1/298.257223563).
        let (mx, my) = metres_per_degree(60.0);
        assert!((mx - 55_800.001_572).abs() < 1e-3, "{mx}");
        assert!((my - 111_412.287_458).abs() < 1e-3, "{my}");
    }

    #[test]
    fn paraboloid_slope_and_aspect() {
        // z = (x² + y²)/ (2·100): gradient (x, y)/100, slope atan(r/100),
        // downslope direction points to the centre.
        let n = 41;
        let h = 10.0;
        let dem = Array2::from_shape_fn((n, n), |(r, c)| {
            let x = (c as f64 - 20.0) * h;
            let y = (20.0 - r as f64) * h; // north-up
            (x * x + y * y) / 200.0
        });
        let gt = [0.0, h, 0.0, 0.0, 0.0, -h];
        let sa = slope_aspect(
            dem.view(),
            gt,
            Spacing::Projected {
                metres_per_unit: 1.0,
            },
        )
        .expect("terrain");
        for (r, c) in [(10, 30), (5, 20), (20, 3), (33, 33)] {
            let x = (c as f64 - 20.0) * h;
            let y = (20.0 - r as f64) * h;
            let slope = (x.hypot(y) / 100.0).atan().to_degrees();
            // Horn's stencil is exact for quadratics.
            assert!((sa.slope_deg[[r, c]] - slope).abs() < 1e-9, "({r},{c})");
            let az = (-x).atan2(-y).to_degrees().rem_euclid(360.0);
            assert!(
                (sa.aspect_deg[[r, c]] - az).abs() < 1e-9,
                "({r},{c}): {} vs {az}",
                sa.aspect_deg[[r, c]]
            );
        }
        assert!(
            sa.flat[[20, 20]] && sa.aspect_deg[[20, 20]].is_nan() && sa.slope_deg[[20, 20]] == 0.0
        );
    }

    #[test]
    fn nan_does_not_spread() {
        let mut dem = Array2::from_shape_fn((5, 5), |(r, c)| (r * 5 + c) as f64);
        dem[[2, 2]] = f64::NAN;
        let sa = slope_aspect(
            dem.view(),
            [0.0, 1.0, 0.0, 0.0, 0.0, -1.0],
            Spacing::Projected {
                metres_per_unit: 1.0,
            },
        )
        .expect("terrain");
        assert!(sa.slope_deg[[2, 2]].is_nan());
        assert_eq!(sa.slope_deg.iter().filter(|x| x.is_nan()).count(), 1);
    }
}
