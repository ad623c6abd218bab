//! Swath profiles: values of one or more rasters along a polyline given as
//! longitude/latitude vertices, summarised across a swath of ± half-width
//! at every station (median, 2/25/75/98 % percentiles, count), so that a
//! deformation profile and an elevation profile line up by distance.
//!
//! Geometry: each segment is laid out in a local metric frame at its
//! midpoint latitude (WGS84 radii), stations every `step_m` along the line
//! (distance accumulates over segments), samples every `across_step_m`
//! across it; each sample is mapped to the raster's CRS with GDAL/PROJ and
//! read by nearest neighbour. Percentiles interpolate linearly (R type 7).

use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};

use crate::error::{Error, Result};
use crate::io::geotiff::Raster;
use crate::terrain::metres_per_degree;

/// Profile parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileParams {
    /// Distance between stations along the line (m).
    pub step_m: f64,
    /// Half-width of the swath (m); 0 samples the line only.
    pub half_width_m: f64,
    /// Distance between samples across the line (m).
    pub across_step_m: f64,
}

impl ProfileParams {
    /// Stations every `step_m`, a swath of ± `half_width_m`, samples across
    /// the line every `step_m` too.
    pub fn new(step_m: f64, half_width_m: f64) -> Result<Self> {
        if !(step_m.is_finite() && step_m > 0.0) {
            return Err(Error::Invalid(format!(
                "profile: step must be positive, got {step_m}"
            )));
        }
        if !(half_width_m.is_finite() && half_width_m >= 0.0) {
            return Err(Error::Invalid(format!(
                "profile: half-width must be ≥ 0, got {half_width_m}"
            )));
        }
        Ok(ProfileParams {
            step_m,
            half_width_m,
            across_step_m: step_m,
        })
    }
}

/// One column group of a profile table: the summary of one raster.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileColumn {
    /// The raster's name.
    pub name: String,
    /// Median across the swath per station (`NaN` where no sample is valid).
    pub median: Vec<f64>,
    /// 2 % percentile.
    pub p02: Vec<f64>,
    /// 25 % percentile.
    pub p25: Vec<f64>,
    /// 75 % percentile.
    pub p75: Vec<f64>,
    /// 98 % percentile.
    pub p98: Vec<f64>,
    /// Valid samples per station.
    pub n: Vec<usize>,
}

/// A profile: stations and one column group per raster.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileTable {
    /// Distance of each station from the first vertex (m).
    pub distance_m: Vec<f64>,
    /// Station longitude (degrees).
    pub lon: Vec<f64>,
    /// Station latitude (degrees).
    pub lat: Vec<f64>,
    /// One summary per raster.
    pub columns: Vec<ProfileColumn>,
}

impl ProfileTable {
    /// The table as CSV text: `distance_m,lon,lat,` then per raster
    /// `NAME_median,NAME_p02,NAME_p25,NAME_p75,NAME_p98,NAME_n`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("distance_m,lon,lat");
        for c in &self.columns {
            for s in ["median", "p02", "p25", "p75", "p98", "n"] {
                out.push_str(&format!(",{}_{s}", c.name));
            }
        }
        out.push('\n');
        let num = |x: f64| {
            if x.is_nan() {
                String::new()
            } else {
                format!("{x}")
            }
        };
        for i in 0..self.distance_m.len() {
            out.push_str(&format!(
                "{},{},{}",
                self.distance_m[i], self.lon[i], self.lat[i]
            ));
            for c in &self.columns {
                for v in [c.median[i], c.p02[i], c.p25[i], c.p75[i], c.p98[i]] {
                    out.push(',');
                    out.push_str(&num(v));
                }
                out.push_str(&format!(",{}", c.n[i]));
            }
            out.push('\n');
        }
        out
    }
}

/// Linear-interpolation percentile of sorted values (R type 7).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// A station: distance along the line (m), longitude, latitude.
type Station = (f64, f64, f64);
/// The swath sample points (lon, lat) of one station.
type Swath = Vec<(f64, f64)>;

/// Stations and swath sample points along the polyline.
fn layout(vertices: &[(f64, f64)], params: &ProfileParams) -> (Vec<Station>, Vec<Swath>) {
    let mut stations = Vec::new();
    let mut swaths = Vec::new();
    let n_across = (params.half_width_m / params.across_step_m).floor() as i64;
    let mut start = 0.0; // distance at the segment start
    let mut next = 0.0; // distance of the next station
    for w in vertices.windows(2) {
        let ((lon0, lat0), (lon1, lat1)) = (w[0], w[1]);
        let (mx, my) = metres_per_degree(0.5 * (lat0 + lat1));
        let (ex, ny) = ((lon1 - lon0) * mx, (lat1 - lat0) * my);
        let len = ex.hypot(ny);
        if len == 0.0 {
            continue;
        }
        let (ux, uy) = (ex / len, ny / len);
        let (vx, vy) = (-uy, ux); // left of the direction of travel
        while next <= start + len + 1e-9 {
            let s = next - start;
            let (px, py) = (s * ux, s * uy);
            stations.push((next, lon0 + px / mx, lat0 + py / my));
            swaths.push(
                (-n_across..=n_across)
                    .map(|k| {
                        let t = k as f64 * params.across_step_m;
                        (lon0 + (px + t * vx) / mx, lat0 + (py + t * vy) / my)
                    })
                    .collect(),
            );
            next += params.step_m;
        }
        start += len;
    }
    (stations, swaths)
}

/// Samples `rasters` (band 1 of each) along the polyline `vertices` (lon, lat).
pub fn sample_profile(
    vertices: &[(f64, f64)],
    rasters: &[(&str, &Raster)],
    params: &ProfileParams,
) -> Result<ProfileTable> {
    if vertices.len() < 2 {
        return Err(Error::Invalid(
            "profile: the line needs at least two vertices".into(),
        ));
    }
    if let Some((i, _)) = vertices
        .iter()
        .enumerate()
        .find(|(_, (lon, lat))| !(lon.is_finite() && lat.is_finite() && lat.abs() <= 90.0))
    {
        return Err(Error::Invalid(format!(
            "profile: vertex {} is not a longitude/latitude",
            i + 1
        )));
    }
    let (stations, swaths) = layout(vertices, params);
    let mut wgs84 =
        SpatialRef::from_epsg(4326).map_err(|e| Error::Invalid(format!("EPSG:4326: {e}")))?;
    wgs84.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
    let mut columns = Vec::new();
    for (name, raster) in rasters {
        let mut srs = SpatialRef::from_wkt(&raster.crs_wkt).map_err(|e| {
            Error::Invalid(format!("profile: raster `{name}` has an unknown CRS: {e}"))
        })?;
        srs.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
        let to_raster = CoordTransform::new(&wgs84, &srs).map_err(|e| {
            Error::Invalid(format!(
                "profile: raster `{name}`: no transformation from WGS84: {e}"
            ))
        })?;
        let gt = raster.geotransform;
        let (rows, cols) = raster.shape();
        let band = raster.band(0);
        let mut col = ProfileColumn {
            name: (*name).to_string(),
            median: Vec::new(),
            p02: Vec::new(),
            p25: Vec::new(),
            p75: Vec::new(),
            p98: Vec::new(),
            n: Vec::new(),
        };
        for swath in &swaths {
            let mut xs: Vec<f64> = swath.iter().map(|p| p.0).collect();
            let mut ys: Vec<f64> = swath.iter().map(|p| p.1).collect();
            let mut zs = vec![0.0; xs.len()];
            to_raster
                .transform_coords(&mut xs, &mut ys, &mut zs)
                .map_err(|e| Error::Invalid(format!("profile: raster `{name}`: {e}")))?;
            let mut values: Vec<f64> = xs
                .iter()
                .zip(&ys)
                .filter_map(|(&x, &y)| {
                    // North-up grids: invert the geotransform axis by axis.
                    let c = ((x - gt[0]) / gt[1]).floor();
                    let r = ((y - gt[3]) / gt[5]).floor();
                    (c >= 0.0 && r >= 0.0 && (c as usize) < cols && (r as usize) < rows)
                        .then(|| band[[r as usize, c as usize]])
                        .filter(|v| v.is_finite())
                })
                .collect();
            values.sort_by(f64::total_cmp);
            col.median.push(percentile(&values, 0.5));
            col.p02.push(percentile(&values, 0.02));
            col.p25.push(percentile(&values, 0.25));
            col.p75.push(percentile(&values, 0.75));
            col.p98.push(percentile(&values, 0.98));
            col.n.push(values.len());
        }
        if col.n.iter().all(|&n| n == 0) {
            return Err(Error::Invalid(format!(
                "profile: the line does not cross raster `{name}`"
            )));
        }
        columns.push(col);
    }
    Ok(ProfileTable {
        distance_m: stations.iter().map(|s| s.0).collect(),
        lon: stations.iter().map(|s| s.1).collect(),
        lat: stations.iter().map(|s| s.2).collect(),
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn type7_percentiles() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&v, 0.5), 2.5);
        assert_eq!(percentile(&v, 0.25), 1.75);
        assert!(percentile(&[], 0.5).is_nan());
    }
}
