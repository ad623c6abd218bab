//! Spatial dispersion of a cluster: standard distance, area and relative
//! standard distance (S-HOTSPOT's `p05_spatial_dispersion`).

use super::Geometry;
use crate::dbscan::EARTH_RADIUS_KM;

/// How a cluster's area is measured.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum AreaMethod {
    /// Area of the convex hull of the member pixels (km²; Andrew's
    /// monotone chain in local km coordinates). Default. Fewer than three
    /// non-collinear pixels give 0.
    #[default]
    ConvexHull,
    /// Number of member pixels × the area of one pixel (km²).
    PixelCount {
        /// Area of one pixel, km² (e.g. 0.0025 for 50 m × 50 m).
        pixel_area_km2: f64,
    },
}

/// Dispersion of one cluster.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dispersion {
    /// Centroid in the input coordinates (mean x, mean y; or mean lon°,
    /// mean lat° — clusters are assumed not to straddle ±180°).
    pub centroid: (f64, f64),
    /// Standard distance, km: `sqrt(Σ‖pᵢ − p̄‖²/n)` (population form).
    pub standard_distance_km: f64,
    /// Area, km² ([`AreaMethod`]).
    pub area_km2: f64,
    /// Standard distance / area (km⁻¹); `None` when the area is 0.
    pub relative_standard_distance: Option<f64>,
}

/// Member coordinates in local km: planar as given, geographic by an
/// equirectangular projection about the members' mean latitude and
/// longitude (adequate at cluster scale).
fn local_km(geometry: Geometry, pts: &[(f64, f64)], centre: (f64, f64)) -> Vec<(f64, f64)> {
    match geometry {
        Geometry::PlanarKm => pts.to_vec(),
        Geometry::LonLatDeg => {
            let k = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;
            let c = centre.1.to_radians().cos();
            pts.iter()
                .map(|&(lon, lat)| ((lon - centre.0) * k * c, (lat - centre.1) * k))
                .collect()
        }
    }
}

fn cross(o: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
}

/// Area of the convex hull of `pts` (Andrew 1979, monotone chain).
pub fn convex_hull_area(pts: &[(f64, f64)]) -> f64 {
    let mut p = pts.to_vec();
    p.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    p.dedup();
    if p.len() < 3 {
        return 0.0;
    }
    let mut hull: Vec<(f64, f64)> = Vec::with_capacity(2 * p.len());
    for &q in &p {
        while hull.len() >= 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], q) <= 0.0 {
            hull.pop();
        }
        hull.push(q);
    }
    let lower = hull.len() + 1;
    for &q in p.iter().rev().skip(1) {
        while hull.len() >= lower && cross(hull[hull.len() - 2], hull[hull.len() - 1], q) <= 0.0 {
            hull.pop();
        }
        hull.push(q);
    }
    hull.pop();
    let mut a = 0.0;
    for i in 0..hull.len() {
        let (x0, y0) = hull[i];
        let (x1, y1) = hull[(i + 1) % hull.len()];
        a += x0 * y1 - x1 * y0;
    }
    0.5 * a.abs()
}

/// Dispersion of a cluster with member coordinates `pts` (non-empty).
pub fn dispersion(geometry: Geometry, pts: &[(f64, f64)], area: AreaMethod) -> Dispersion {
    let n = pts.len() as f64;
    let centroid = (
        pts.iter().map(|p| p.0).sum::<f64>() / n,
        pts.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let local = local_km(geometry, pts, centroid);
    let (mx, my) = (
        local.iter().map(|p| p.0).sum::<f64>() / n,
        local.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let sd = (local
        .iter()
        .map(|p| (p.0 - mx).powi(2) + (p.1 - my).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    let area_km2 = match area {
        AreaMethod::ConvexHull => convex_hull_area(&local),
        AreaMethod::PixelCount { pixel_area_km2 } => n * pixel_area_km2,
    };
    Dispersion {
        centroid,
        standard_distance_km: sd,
        area_km2,
        relative_standard_distance: if area_km2 > 0.0 {
            Some(sd / area_km2)
        } else {
            None
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_hull_and_sd() {
        let pts = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (1.0, 1.0)];
        assert!((convex_hull_area(&pts) - 4.0).abs() < 1e-12);
        let d = dispersion(Geometry::PlanarKm, &pts, AreaMethod::ConvexHull);
        assert!((d.standard_distance_km - (8.0f64 / 5.0).sqrt()).abs() < 1e-12);
        assert_eq!(d.centroid, (1.0, 1.0));
        assert!((d.relative_standard_distance.unwrap() - (1.6f64).sqrt() / 4.0).abs() < 1e-12);
        assert_eq!(convex_hull_area(&[(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)]), 0.0);
    }

    #[test]
    fn geographic_sd_in_km() {
        // Two points 0.01° of latitude apart: 1.112 km, SD = half of it.
        let pts = [(90.0, 34.0), (90.0, 34.01)];
        let d = dispersion(
            Geometry::LonLatDeg,
            &pts,
            AreaMethod::PixelCount {
                pixel_area_km2: 0.01,
            },
        );
        let half = 0.005 * EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;
        assert!((d.standard_distance_km - half).abs() < 1e-9);
        assert!((d.area_km2 - 0.02).abs() < 1e-15);
    }
}
